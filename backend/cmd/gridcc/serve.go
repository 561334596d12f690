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

	"github.com/gridcc/gridcc/backend/config"
	"github.com/gridcc/gridcc/backend/grid"
	"github.com/gridcc/gridcc/backend/httpapi"
	"github.com/gridcc/gridcc/backend/redisbus"
)

// replica is one running gridcc server with everything it owns.
type replica struct {
	cfg      config.Config
	district *grid.District
	redis    *redis.Client
	history  *historyConn
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
	r, err := newReplica(ctx, cfg)
	if err != nil {
		return err
	}
	return r.run(ctx)
}

// newReplica loads the geodata (fatal when invalid: a replica that cannot
// locate events must not take traffic), connects to Redis and ClickHouse
// lazily and binds the listener.
func newReplica(ctx context.Context, cfg config.Config) (*replica, error) {
	start := time.Now()
	district, err := grid.Load(cfg.GeodataDir)
	if err != nil {
		return nil, fmt.Errorf("load geodata from %s: %w", cfg.GeodataDir, err)
	}
	slog.Info("geodata loaded", "district", district.Name, "streets", len(district.Streets),
		"grids", len(district.Grids), "cameras", len(district.Cameras), "ms", time.Since(start).Milliseconds())

	rdb, err := redisbus.Open(cfg.RedisURL)
	if err != nil {
		return nil, err
	}
	r := &replica{cfg: cfg, district: district, redis: rdb, history: newHistoryConn(cfg.ClickHouseURL)}

	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	api, err := httpapi.New(httpapi.Deps{
		District: district,
		Checks: []httpapi.Check{
			{Name: "geodata", Critical: true, Probe: func(context.Context) (map[string]any, error) {
				return map[string]any{"grids": len(district.Grids)}, nil
			}},
			{Name: "redis", Critical: true, Probe: func(ctx context.Context) (map[string]any, error) { return redisbus.Ping(ctx, rdb) }},
			{Name: "clickhouse", Critical: false, Probe: r.history.probe},
		},
		Registry:       reg,
		FrontendDir:    cfg.FrontendDir,
		TrustedProxies: cfg.TrustedProxies,
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

// Addr is the address the replica listens on (useful with port 0).
func (r *replica) Addr() string { return r.listener.Addr().String() }

// run serves until ctx ends; every background loop runs in one errgroup so a
// failing loop stops the replica and shutdown waits for all of them.
func (r *replica) run(ctx context.Context) error {
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		slog.Info("gridcc listening", "addr", "http://"+r.Addr())
		if err := r.http.Serve(r.listener); !errors.Is(err, http.ErrServerClosed) {
			return fmt.Errorf("http server: %w", err)
		}
		return nil
	})
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
