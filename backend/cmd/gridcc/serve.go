package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"regexp"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/redis/go-redis/v9"
	"golang.org/x/sync/errgroup"

	"github.com/gridcc/gridcc/backend/audit"
	"github.com/gridcc/gridcc/backend/auth"
	"github.com/gridcc/gridcc/backend/chstore"
	"github.com/gridcc/gridcc/backend/config"
	"github.com/gridcc/gridcc/backend/directory"
	"github.com/gridcc/gridcc/backend/duty"
	"github.com/gridcc/gridcc/backend/grid"
	"github.com/gridcc/gridcc/backend/history"
	"github.com/gridcc/gridcc/backend/httpapi"
	"github.com/gridcc/gridcc/backend/ingest"
	"github.com/gridcc/gridcc/backend/redisbus"
	"github.com/gridcc/gridcc/backend/retention"
	"github.com/gridcc/gridcc/backend/workflow"
	"github.com/gridcc/gridcc/backend/wshub"
)

// replica is one running gridcc server with everything it owns.
type replica struct {
	cfg      config.Config
	redis    *redis.Client
	tokens   *auth.Store
	hub      *wshub.Hub
	follower *redisbus.Follower
	writer   *history.Writer
	timer    *workflow.Timer
	logouts  *auth.LogoutBus
	audit    *audit.Writer
	expiry   *retention.Job // nil while both retention ages are 0 (keep for ever)
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
	// The scheduler latency histogram (go_sched_latencies_seconds) besides
	// the defaults: on a busy machine, time goroutines wait to run is where
	// ingest and fan-out latency goes first.
	reg.MustRegister(collectors.NewGoCollector(collectors.WithGoCollectorRuntimeMetrics(
		collectors.GoRuntimeMetricsRule{Matcher: regexp.MustCompile(`^/sched/latencies:seconds$`)})),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))

	log := redisbus.NewLog(rdb, redisbus.NewKeys(cfg.RedisPrefix), cfg.IdempotencyTTL)
	log.Register(reg)
	hub := wshub.New(wshub.Options{Location: zone, RingSize: cfg.WSRing, QueueBytes: cfg.WSQueueBytes,
		AllowedOrigins: cfg.AllowedOrigins, WriteGap: writeGap(cfg.WSWriteGap)}, hubLog{log}, reg)

	// History: one migration lock for every replica (and gridseed), so
	// replicas starting together apply the schema once.
	migrateLock := redisbus.NewLock(rdb, cfg.RedisPrefix+"history:migrate", 30*time.Second)
	store := chstore.New(cfg.ClickHouseURL, zone, migrateLock)
	writer, err := history.NewWriter(historySources(rdb, log.Keys(), consumerName(cfg.HistoryConsumer), cfg.HistoryWriters),
		store, history.Rows{Zone: zone, SLAs: history.DefaultSLAs},
		history.Options{BatchSize: cfg.HistoryBatch, FlushInterval: cfg.HistoryFlush,
			KeepRecent: cfg.HistoryKeepRecent, BacklogCap: cfg.HistoryBacklogCap}, reg)
	if err != nil {
		return nil, err
	}

	// Case workflow.
	var streetCodes []string
	for _, st := range district.Streets {
		streetCodes = append(streetCodes, st.Code)
	}
	roster, err := duty.Load(cfg.GeodataDir, func(id string) bool { _, ok := district.Grid(id); return ok })
	if err != nil {
		return nil, err
	}
	dir, err := directory.Load(cfg.GeodataDir, roster.Grids(), streetCodes)
	if err != nil {
		return nil, err
	}
	cases := redisbus.NewCaseStore(log, redisbus.CaseOptions{ClosedTTL: cfg.ClosedTTL})
	rules := &workflow.Rules{Directory: dir, SLA: workflow.DefaultPolicy, Care: workflow.DefaultCare}

	// Authentication, sessions, lockout, audit.
	sessions := auth.NewRedisSessions(rdb, cfg.RedisPrefix, tokens)
	lockout, err := auth.NewLockout(rdb, cfg.RedisPrefix, auth.LockoutPolicy{UserFailures: cfg.LoginUserFails,
		IPFailures: cfg.LoginIPFails, Window: cfg.LoginWindow, Lock: cfg.LoginLock})
	if err != nil {
		return nil, err
	}
	policy := auth.SessionPolicy{Idle: cfg.SessionIdle, Absolute: cfg.SessionAbsolute}
	if err := policy.Check(); err != nil {
		return nil, err
	}
	auditW := audit.New(audit.ClickHouse(cfg.ClickHouseURL, migrateLock), rdb, cfg.RedisPrefix,
		audit.Options{BufferRecords: cfg.AuditBuffer}, reg)
	logouts := auth.NewLogoutBus(rdb, cfg.RedisPrefix, func(n string) { hub.Disconnect(n, wshub.ClosePolicy, "logged out") })
	tokens.OnRevoke(auth.EndAccess(sessions, func(n string) { hub.Disconnect(n, wshub.CloseRevoked, "access revoked") }))

	r := &replica{cfg: cfg, redis: rdb, tokens: tokens, hub: hub, writer: writer, logouts: logouts, audit: auditW,
		follower: redisbus.NewFollower(log, hubFeed{hub}, today(zone), reg),
		timer:    workflow.NewTimer(rules, cases, cases, workflow.TimerOptions{Tick: cfg.SLATick})}

	// Retention: every replica runs the job; a Redis lock makes them take
	// turns, so each expired month is dropped once.
	policies, err := retention.Policies(cfg.HistoryRetentionDays, cfg.AuditRetentionDays)
	if err != nil {
		return nil, err
	}
	if len(policies) > 0 {
		r.expiry = retention.New(store, redisbus.NewLock(rdb, cfg.RedisPrefix+"history:retention", 30*time.Second),
			retention.Options{Policies: policies, Zone: zone}, reg)
	}

	ing := ingest.New(district, log, zone)
	ing.AdmitWith(writer.Admit)
	ing.IntakeWith(rules.Intake)
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
			// ClickHouse down degrades (history lags) but keeps the replica
			// in the load balancer: ingest and the live stream do not need it.
			{Name: "clickhouse", Critical: false, Probe: writer.Check},
		},
		Registry:       reg,
		FrontendDir:    cfg.FrontendDir,
		TrustedProxies: cfg.TrustedProxies,
		Ingest:         ing,
		Auth: httpapi.AuthDeps{Store: tokens, Sessions: sessions,
			Limiter: auth.NewLimiter(10000), DefaultRate: cfg.RatePerS, DefaultBurst: cfg.RateBurst,
			SecureCookies: cfg.SecureCookies},
		Login:     httpapi.LoginDeps{Lockout: lockout, Policy: policy, Audit: auditW, AuditLog: auditW, Logouts: logouts},
		Live:      hubServer{hub},
		Workflow:  workflow.NewService(rules, cases, cases),
		Duty:      roster,
		Stats:     history.NewStats(store, zone),
		Directory: dir,
		Zone:      zone,
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

// writeGap maps the config's "0 = none" to the hub's (a zero Option takes
// the default there).
func writeGap(d time.Duration) time.Duration {
	if d == 0 {
		return -1
	}
	return d
}

// consumerName is this replica's name in the history writer's consumer
// group: configured, else the host name (stable across restarts, so a
// restarted replica picks up its own pending records first).
// historySources are the history writer's lanes: consumers NAME, NAME/2,
// NAME/3 … of the group. The first keeps the bare name, so records a
// replica left pending before it ran several lanes are still its own.
func historySources(rdb *redis.Client, keys redisbus.Keys, name string, lanes int) []history.Source {
	srcs := make([]history.Source, lanes)
	for i := range srcs {
		n := name
		if i > 0 {
			n = fmt.Sprintf("%s/%d", name, i+1)
		}
		srcs[i] = redisbus.NewConsumer(rdb, keys, "history", n)
	}
	return srcs
}

func consumerName(configured string) string {
	if configured != "" {
		return configured
	}
	host, err := os.Hostname()
	if err != nil || host == "" {
		return "gridcc"
	}
	return host
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
	g.Go(func() error { return r.writer.Run(gctx) })
	g.Go(func() error { return r.timer.Run(gctx) })
	g.Go(func() error { return r.logouts.Run(gctx) })
	if r.expiry != nil {
		g.Go(func() error { return r.expiry.Run(gctx) })
	}
	if r.cfg.DebugAddr != "" {
		g.Go(func() error { return serveDebug(gctx, r.cfg.DebugAddr) })
	}
	// The audit writer outlives the HTTP server so the last requests'
	// records are still written: it stops after Shutdown returned.
	auditCtx, stopAudit := context.WithCancel(context.Background())
	auditDone := make(chan error, 1)
	go func() { auditDone <- r.audit.Run(auditCtx) }()
	g.Go(func() error {
		<-gctx.Done()
		slog.Info("gridcc shutting down", "timeout", r.cfg.ShutdownTimeout)
		sctx, cancel := context.WithTimeout(context.Background(), r.cfg.ShutdownTimeout)
		defer cancel()
		return r.http.Shutdown(sctx)
	})
	err := g.Wait()
	stopAudit()
	if aerr := <-auditDone; aerr != nil {
		slog.Error("audit writer stopped with an error", "err", aerr)
	}
	if cerr := r.redis.Close(); cerr != nil && err == nil {
		err = cerr
	}
	slog.Info("gridcc stopped")
	return err
}
