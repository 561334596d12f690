// Package config reads gridcc's settings from the environment. Every setting
// is declared once in vars, with its variable name, default and meaning, so
// the README table and the start-up log cannot drift from the code.
package config

import (
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gridcc/gridcc/backend/retention"
)

// Config holds every setting of a gridcc replica. Zero values are never used:
// FromEnv fills each field from its variable or its documented default.
type Config struct {
	Addr            string        // listen address of the HTTP server
	RedisURL        string        // Redis holding the event log, state and pub/sub
	RedisPrefix     string        // prefix of every Redis key and channel
	ClickHouseURL   string        // ClickHouse holding the history
	GeodataDir      string        // folder with the district's GeoJSON files
	TimeZone        string        // the district's time zone; empty: from the geodata, else Asia/Shanghai
	FrontendDir     string        // built frontend assets served at /
	LogLevel        slog.Level    // debug, info, warn or error
	LogFormat       string        // text or json
	ShutdownTimeout time.Duration // how long a graceful shutdown may take
	TrustedProxies  []string      // CIDRs whose X-Forwarded-For is believed; empty: none
	AuthFile        string        // tokens (and later users) file
	SecureCookies   bool          // mark session cookies Secure (behind TLS)
	AllowedOrigins  []string      // WebSocket Origin allowlist; empty: same origin only
	IdempotencyTTL  time.Duration // how long kind+source_id is remembered
	RatePerS        float64       // default request rate per token
	RateBurst       int           // default burst per token
	WSQueueBytes    int           // per-client WebSocket queue bound
	WSRing          int           // recent records each replica keeps for resumes
	WSWriteGap      time.Duration // least time between two writes to one socket; 0: none

	HistoryConsumer   string        // this replica's consumer name in the history writer group
	HistoryWriters    int           // history writer lanes (consumers) this replica runs side by side
	HistoryBatch      int           // most records per ClickHouse insert
	HistoryFlush      time.Duration // longest a record waits for its batch
	HistoryKeepRecent int64         // newest records kept in the stream for replays
	HistoryBacklogCap int64         // backlog at which ingest answers 503

	HistoryRetentionDays int // history months older than this are dropped; 0: kept for ever
	AuditRetentionDays   int // audit months older than this are dropped; 0: for ever, else ≥ retention.MinAuditDays

	ClosedTTL time.Duration // how long a done event's live state is kept
	SLATick   time.Duration // how often the SLA timer looks for due deadlines

	SessionIdle     time.Duration // a user's session ends after this long idle
	SessionAbsolute time.Duration // and this long after login
	LoginUserFails  int           // failures of one name that lock it
	LoginIPFails    int           // failures from one IP that lock it
	LoginWindow     time.Duration // failures are counted over this window
	LoginLock       time.Duration // how long a lock lasts
	AuditBuffer     int           // audit records held in memory
	DebugAddr       string        // loopback listener for pprof; empty: off
}

// Var documents one environment variable.
type Var struct {
	Name    string
	Default string
	Doc     string
	secret  bool
	set     func(c *Config, v string) error
}

var vars = []Var{
	{Name: "GRIDCC_ADDR", Default: "127.0.0.1:8080", Doc: "HTTP listen address (host:port; port 0 picks a free one)",
		set: func(c *Config, v string) error { c.Addr = v; return nil }},
	{Name: "GRIDCC_REDIS_URL", Default: "redis://127.0.0.1:6379/0", Doc: "Redis URL (redis://[user:pass@]host:port/db); holds the durable event log, the live state and pub/sub", secret: true,
		set: func(c *Config, v string) error { c.RedisURL = v; return checkURL(v, "redis", "rediss") }},
	{Name: "GRIDCC_REDIS_PREFIX", Default: "gridcc:", Doc: "prefix of every Redis key and channel, so several deployments can share one Redis",
		set: func(c *Config, v string) error { c.RedisPrefix = v; return nil }},
	{Name: "GRIDCC_CLICKHOUSE_URL", Default: "clickhouse://127.0.0.1:9000/gridcc", Doc: "ClickHouse native-protocol URL (clickhouse://[user:pass@]host:9000/database); holds the history", secret: true,
		set: func(c *Config, v string) error { c.ClickHouseURL = v; return checkURL(v, "clickhouse") }},
	{Name: "GRIDCC_GEODATA", Default: "geodata", Doc: "folder with district.geojson, streets.geojson, communities.geojson, grids.geojson, cameras.geojson (format: geodata/README.md)",
		set: func(c *Config, v string) error { c.GeodataDir = v; return nil }},
	{Name: "GRIDCC_TIMEZONE", Default: "", Doc: "the district's IANA time zone for days and weeks; empty: the `timezone` of district.geojson, else Asia/Shanghai",
		set: func(c *Config, v string) error { c.TimeZone = v; return checkZone(v) }},
	{Name: "GRIDCC_FRONTEND_DIR", Default: "frontend/dist", Doc: "built frontend served at / (the screens); a missing folder serves a notice page",
		set: func(c *Config, v string) error { c.FrontendDir = v; return nil }},
	{Name: "GRIDCC_LOG_LEVEL", Default: "info", Doc: "log level: debug, info, warn or error",
		set: func(c *Config, v string) error { return c.LogLevel.UnmarshalText([]byte(v)) }},
	{Name: "GRIDCC_LOG_FORMAT", Default: "text", Doc: "log format: text or json",
		set: func(c *Config, v string) error { c.LogFormat = v; return oneOf(v, "text", "json") }},
	{Name: "GRIDCC_SHUTDOWN_TIMEOUT", Default: "15s", Doc: "how long a graceful shutdown waits for requests and sockets to finish",
		set: func(c *Config, v string) (err error) { c.ShutdownTimeout, err = positiveDuration(v); return err }},
	{Name: "GRIDCC_TRUSTED_PROXIES", Default: "", Doc: "comma-separated CIDRs of reverse proxies whose X-Forwarded-For is trusted; empty trusts none",
		set: func(c *Config, v string) error { c.TrustedProxies = splitList(v); return nil }},
	{Name: "GRIDCC_AUTH_FILE", Default: "var/auth.json", Doc: "auth file with hashed tokens (managed by `gridcc tokens`)",
		set: func(c *Config, v string) error { c.AuthFile = v; return nil }},
	{Name: "GRIDCC_SECURE_COOKIES", Default: "false", Doc: "mark session cookies Secure; set true when users reach gridcc over HTTPS (reverse proxy)",
		set: func(c *Config, v string) (err error) { c.SecureCookies, err = strconv.ParseBool(v); return err }},
	{Name: "GRIDCC_ALLOWED_ORIGINS", Default: "", Doc: "comma-separated exact origins (scheme://host[:port]) allowed to open /ws with a cookie; empty allows the same origin only",
		set: func(c *Config, v string) error { c.AllowedOrigins = splitList(v); return nil }},
	{Name: "GRIDCC_IDEMPOTENCY_TTL", Default: "168h", Doc: "how long a kind+source_id is remembered, so a re-send is answered as a duplicate (at least 7 days)",
		set: func(c *Config, v string) (err error) { c.IdempotencyTTL, err = positiveDuration(v); return err }},
	{Name: "GRIDCC_RATE_PER_S", Default: "50", Doc: "default requests per second per token, per replica (a token's own rate overrides it)",
		set: func(c *Config, v string) (err error) { c.RatePerS, err = positiveFloat(v); return err }},
	{Name: "GRIDCC_RATE_BURST", Default: "200", Doc: "default burst per token, per replica",
		set: func(c *Config, v string) (err error) { c.RateBurst, err = positiveInt(v); return err }},
	{Name: "GRIDCC_WS_QUEUE_BYTES", Default: "2097152", Doc: "per-WebSocket-client queue bound in bytes; a client that falls further behind is disconnected (close 4000) and resumes",
		set: func(c *Config, v string) (err error) { c.WSQueueBytes, err = positiveInt(v); return err }},
	{Name: "GRIDCC_WS_RING", Default: "10000", Doc: "recent records each replica keeps in memory to serve resumes without reading Redis",
		set: func(c *Config, v string) (err error) { c.WSRing, err = positiveInt(v); return err }},
	{Name: "GRIDCC_WS_WRITE_GAP", Default: "5ms", Doc: "least time between two writes to one WebSocket client; records arriving meanwhile share one frame (fewer syscalls under load, at most this much added latency); 0: write each at once",
		set: func(c *Config, v string) (err error) { c.WSWriteGap, err = nonNegativeDuration(v); return err }},
	{Name: "GRIDCC_HISTORY_CONSUMER", Default: "", Doc: "this replica's name in the history writer's Redis consumer group; empty: the host name",
		set: func(c *Config, v string) error { c.HistoryConsumer = v; return nil }},
	{Name: "GRIDCC_HISTORY_WRITERS", Default: "1", Doc: "history writer lanes this replica runs side by side, each a consumer of the group holding at most two batches (1 to 16); more lanes overlap inserts, which helps only where ClickHouse has spare CPU and disk",
		set: func(c *Config, v string) (err error) { c.HistoryWriters, err = intIn(v, 1, 16); return err }},
	{Name: "GRIDCC_HISTORY_BATCH_SIZE", Default: "50000", Doc: "most records per ClickHouse insert (ClickHouse prefers few large inserts; memory: two batches of about 3 KB a record while a backlog drains)",
		set: func(c *Config, v string) (err error) { c.HistoryBatch, err = positiveInt(v); return err }},
	{Name: "GRIDCC_HISTORY_FLUSH_INTERVAL", Default: "1s", Doc: "longest a record waits for its batch before it is written to ClickHouse",
		set: func(c *Config, v string) (err error) { c.HistoryFlush, err = positiveDuration(v); return err }},
	{Name: "GRIDCC_HISTORY_KEEP_RECENT", Default: "100000", Doc: "newest records kept in the Redis stream for WebSocket resumes after they are in ClickHouse",
		set: func(c *Config, v string) (err error) {
			n, err := positiveInt(v)
			c.HistoryKeepRecent = int64(n)
			return err
		}},
	{Name: "GRIDCC_HISTORY_BACKLOG_CAP", Default: "1000000", Doc: "records not yet in ClickHouse at which ingest answers 503 instead of growing Redis further",
		set: func(c *Config, v string) (err error) {
			n, err := positiveInt(v)
			c.HistoryBacklogCap = int64(n)
			return err
		}},
	{Name: "GRIDCC_HISTORY_RETENTION_DAYS", Default: "0", Doc: "history in ClickHouse older than this many days is dropped, a whole month at a time once all its days are older (docs/operations.md); 0 keeps it for ever",
		set: func(c *Config, v string) (err error) { c.HistoryRetentionDays, err = nonNegativeInt(v); return err }},
	{Name: "GRIDCC_AUDIT_RETENTION_DAYS", Default: "0", Doc: "the audit log older than this many days is dropped the same way; at least 180 (Cybersecurity Law art. 21); 0 keeps it for ever",
		set: func(c *Config, v string) (err error) { c.AuditRetentionDays, err = auditRetention(v); return err }},
	{Name: "GRIDCC_CLOSED_TTL", Default: "720h", Doc: "how long a closed event's live state and timeline stay in Redis (a late rating or reopen still works)",
		set: func(c *Config, v string) (err error) { c.ClosedTTL, err = positiveDuration(v); return err }},
	{Name: "GRIDCC_SLA_TICK", Default: "1s", Doc: "how often each replica's SLA timer looks for due deadlines (each fires once across replicas)",
		set: func(c *Config, v string) (err error) { c.SLATick, err = positiveDuration(v); return err }},
	{Name: "GRIDCC_SESSION_IDLE", Default: "30m", Doc: "a user's session ends after this long without a request",
		set: func(c *Config, v string) (err error) { c.SessionIdle, err = positiveDuration(v); return err }},
	{Name: "GRIDCC_SESSION_ABSOLUTE", Default: "12h", Doc: "a user's session ends this long after login, however active",
		set: func(c *Config, v string) (err error) { c.SessionAbsolute, err = positiveDuration(v); return err }},
	{Name: "GRIDCC_LOGIN_USER_FAILURES", Default: "5", Doc: "failed logins of one name within GRIDCC_LOGIN_WINDOW that lock it",
		set: func(c *Config, v string) (err error) { c.LoginUserFails, err = positiveInt(v); return err }},
	{Name: "GRIDCC_LOGIN_IP_FAILURES", Default: "30", Doc: "failed logins from one client IP within GRIDCC_LOGIN_WINDOW that lock it",
		set: func(c *Config, v string) (err error) { c.LoginIPFails, err = positiveInt(v); return err }},
	{Name: "GRIDCC_LOGIN_WINDOW", Default: "15m", Doc: "window over which failed logins are counted",
		set: func(c *Config, v string) (err error) { c.LoginWindow, err = positiveDuration(v); return err }},
	{Name: "GRIDCC_LOGIN_LOCK", Default: "15m", Doc: "how long a login lock lasts",
		set: func(c *Config, v string) (err error) { c.LoginLock, err = positiveDuration(v); return err }},
	{Name: "GRIDCC_AUDIT_BUFFER", Default: "10000", Doc: "audit records held in memory before they are written (beyond: parked in Redis, then counted as dropped)",
		set: func(c *Config, v string) (err error) { c.AuditBuffer, err = positiveInt(v); return err }},
	{Name: "GRIDCC_DEBUG_ADDR", Default: "", Doc: "loopback address (e.g. 127.0.0.1:6060) serving Go's pprof profiles at /debug/pprof/ for maintainers; empty: off",
		set: func(c *Config, v string) error { c.DebugAddr = v; return checkLoopback(v) }},
}

// Vars lists every environment variable gridcc reads, in documentation order.
func Vars() []Var { return append([]Var(nil), vars...) }

// FromEnv builds a Config from getenv (os.Getenv in production, a map in
// tests). An unset or empty variable takes its default; an invalid value is
// an error naming the variable.
func FromEnv(getenv func(string) string) (Config, error) {
	var c Config
	for _, v := range vars {
		val := getenv(v.Name)
		if val == "" {
			val = v.Default
		}
		if err := v.set(&c, val); err != nil {
			return Config{}, fmt.Errorf("config: %s=%q: %w", v.Name, val, err)
		}
	}
	return c, nil
}

// LogValue lists the settings for the start-up log with secrets masked.
func (c Config) LogValue(getenv func(string) string) slog.Value {
	attrs := make([]slog.Attr, 0, len(vars))
	for _, v := range vars {
		val := getenv(v.Name)
		if val == "" {
			val = v.Default
		}
		if v.secret {
			val = maskURL(val)
		}
		attrs = append(attrs, slog.String(v.Name, val))
	}
	return slog.GroupValue(attrs...)
}

// maskURL hides the password of a URL, so the start-up log can show where
// gridcc connects without leaking credentials.
func maskURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable)"
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// checkLoopback accepts "" or a host:port whose host is a loopback IP or
// localhost: profiles show internals and must not be reachable from outside.
func checkLoopback(addr string) error {
	if addr == "" {
		return nil
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return err
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("host %q is not a loopback address", host)
	}
	return nil
}

func checkURL(raw string, schemes ...string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return err
	}
	for _, s := range schemes {
		if u.Scheme == s {
			if u.Host == "" {
				return fmt.Errorf("no host")
			}
			return nil
		}
	}
	return fmt.Errorf("scheme must be %s", strings.Join(schemes, " or "))
}

func checkZone(v string) error {
	if v == "" {
		return nil
	}
	_, err := time.LoadLocation(v)
	return err
}

func oneOf(v string, allowed ...string) error {
	for _, a := range allowed {
		if v == a {
			return nil
		}
	}
	return fmt.Errorf("must be one of %s", strings.Join(allowed, ", "))
}

func positiveDuration(v string) (time.Duration, error) {
	d, err := time.ParseDuration(v)
	if err == nil && d <= 0 {
		err = fmt.Errorf("must be positive")
	}
	return d, err
}

func nonNegativeDuration(v string) (time.Duration, error) {
	d, err := time.ParseDuration(v)
	if err == nil && d < 0 {
		err = fmt.Errorf("must not be negative")
	}
	return d, err
}

func positiveInt(v string) (int, error) {
	n, err := strconv.Atoi(v)
	if err == nil && n <= 0 {
		err = fmt.Errorf("must be positive")
	}
	return n, err
}

func intIn(v string, lo, hi int) (int, error) {
	n, err := strconv.Atoi(v)
	if err == nil && (n < lo || n > hi) {
		err = fmt.Errorf("must be %d to %d", lo, hi)
	}
	return n, err
}

func nonNegativeInt(v string) (int, error) {
	n, err := strconv.Atoi(v)
	if err == nil && n < 0 {
		err = fmt.Errorf("must be 0 or positive")
	}
	return n, err
}

// auditRetention accepts 0 (keep for ever) or at least
// retention.MinAuditDays days.
func auditRetention(v string) (int, error) {
	n, err := nonNegativeInt(v)
	if err == nil && n > 0 && n < retention.MinAuditDays {
		err = fmt.Errorf("the audit log must be kept at least %d days (Cybersecurity Law art. 21); 0 keeps it for ever", retention.MinAuditDays)
	}
	return n, err
}

func positiveFloat(v string) (float64, error) {
	f, err := strconv.ParseFloat(v, 64)
	if err == nil && (f <= 0 || f != f) {
		err = fmt.Errorf("must be positive")
	}
	return f, err
}

func splitList(v string) []string {
	var out []string
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
