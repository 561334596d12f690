package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/redis/go-redis/v9"
	"golang.org/x/sync/errgroup"

	"github.com/gridcc/gridcc/backend/auth"
	"github.com/gridcc/gridcc/backend/config"
	"github.com/gridcc/gridcc/backend/grid"
	"github.com/gridcc/gridcc/backend/httpapi"
	"github.com/gridcc/gridcc/backend/ingest"
	"github.com/gridcc/gridcc/backend/redisbus"
	"github.com/gridcc/gridcc/backend/wshub"
)

// replica is one running gridcc server with everything it owns.
type replica struct {
	cfg      config.Config
	redis    *redis.Client
	history  *historyConn
	tokens   *auth.Store
	hub      *wshub.Hub
	follower *redisbus.Follower
	http     *http.Server
	listener net.Listener
}

// serve runs a replica until ctx is cancelled, then shuts down gracefully.
func serve(ctx context.Context, getenv func(string) string) error {
	cfg, err := config.FromEnv(getenv)
	if err != nil {
		return err
	}
	slog.SetDefault(newLogger(cfg.LogLevel, cfg.LogFormat, os.Stderr))
	slog.Info("gridcc starting", "config", cfg.LogValue(getenv))
	r, err := newReplica(cfg)
	if err != nil {
		return err
	}
	return r.run(ctx)
}

// newReplica loads the geodata (fatal when invalid: a replica that cannot
// locate events must not take traffic) and the tokens, connects to Redis and
// ClickHouse lazily (a replica starts while they are down and reports not
// ready) and binds the listener.
func newReplica(cfg config.Config) (*replica, error) {
	start := time.Now()
	district, err := grid.Load(cfg.GeodataDir)
	if err != nil {
		return nil, fmt.Errorf("load geodata from %s: %w", cfg.GeodataDir, err)
	}
	zone, err := districtZone(cfg.TimeZone, district.TimeZone)
	if err != nil {
		return nil, err
	}
	slog.Info("geodata loaded", "district", district.Name, "streets", len(district.Streets),
		"grids", len(district.Grids), "cameras", len(district.Cameras), "zone", zone, "ms", time.Since(start).Milliseconds())

	tokens, err := auth.OpenStore(cfg.AuthFile)
	if err != nil {
		return nil, err
	}
	rdb, err := redisbus.Open(cfg.RedisURL)
	if err != nil {
		return nil, err
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))

	log := redisbus.NewLog(rdb, redisbus.NewKeys(cfg.RedisPrefix), cfg.IdempotencyTTL)
	hub := wshub.New(wshub.Options{Location: zone, RingSize: cfg.WSRing, QueueBytes: cfg.WSQueueBytes,
		AllowedOrigins: cfg.AllowedOrigins}, hubLog{log}, reg)
	r := &replica{cfg: cfg, redis: rdb, history: newHistoryConn(cfg.ClickHouseURL), tokens: tokens, hub: hub,
		follower: redisbus.NewFollower(log, hubFeed{hub}, today(zone), reg)}

	api, err := httpapi.New(httpapi.Deps{
		District: district,
		Checks: []httpapi.Check{
			{Name: "geodata", Critical: true, Probe: func(context.Context) (map[string]any, error) {
				return map[string]any{"grids": len(district.Grids)}, nil
			}},
			{Name: "redis", Critical: true, Probe: func(ctx context.Context) (map[string]any, error) { return redisbus.Ping(ctx, rdb) }},
			{Name: "live", Critical: true, Probe: func(context.Context) (map[string]any, error) {
				// The hub serves nobody until the follower loaded the state.
				if hub.Epoch() == "" {
					return nil, errors.New("live state not loaded yet")
				}
				return map[string]any{"seq": hub.Seq(), "clients": hub.Clients()}, nil
			}},
			{Name: "clickhouse", Critical: false, Probe: r.history.probe},
		},
		Registry:       reg,
		FrontendDir:    cfg.FrontendDir,
		TrustedProxies: cfg.TrustedProxies,
		Ingest:         ingest.New(district, log, zone),
		Auth: httpapi.AuthDeps{Store: tokens, Sessions: auth.NewRedisSessions(rdb, cfg.RedisPrefix, tokens),
			Limiter: auth.NewLimiter(10000), DefaultRate: cfg.RatePerS, DefaultBurst: cfg.RateBurst,
			SecureCookies: cfg.SecureCookies},
		Live: hubServer{hub},
	})
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	r.listener = ln
	r.http = &http.Server{
		Handler:           api.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
	return r, nil
}

// districtZone picks the configured zone, else the district's, else
// Asia/Shanghai.
func districtZone(configured, fromData string) (*time.Location, error) {
	name := configured
	if name == "" {
		name = fromData
	}
	if name == "" {
		name = "Asia/Shanghai"
	}
	zone, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("time zone %q: %w", name, err)
	}
	return zone, nil
}

// Addr is the address the replica listens on (useful with port 0).
func (r *replica) Addr() string { return r.listener.Addr().String() }

// run serves until ctx ends. Every background loop runs in one errgroup: a
// failing loop stops the replica, and shutdown waits for all of them. The
// hub closes its sockets with 1001 (reconnect) when ctx ends, before the
// HTTP server drains the remaining requests.
func (r *replica) run(ctx context.Context) error {
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		slog.Info("gridcc listening", "addr", "http://"+r.Addr())
		if err := r.http.Serve(r.listener); !errors.Is(err, http.ErrServerClosed) {
			return fmt.Errorf("http server: %w", err)
		}
		return nil
	})
	g.Go(func() error { return r.tokens.Run(gctx) })
	g.Go(func() error { return r.hub.Run(gctx) })
	g.Go(func() error { return r.follower.Run(gctx) })
	g.Go(func() error {
		<-gctx.Done()
		slog.Info("gridcc shutting down", "timeout", r.cfg.ShutdownTimeout)
		sctx, cancel := context.WithTimeout(context.Background(), r.cfg.ShutdownTimeout)
		defer cancel()
		return r.http.Shutdown(sctx)
	})
	err := g.Wait()
	r.history.close()
	if cerr := r.redis.Close(); cerr != nil && err == nil {
		err = cerr
	}
	slog.Info("gridcc stopped")
	return err
}
