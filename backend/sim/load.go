package sim

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/maphash"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gridcc/gridcc/backend/grid"
)

// LoadConfig configures a load run. Zero fields take the defaults named.
type LoadConfig struct {
	URL         string        // gridcc's base URL; loopback only unless AllowRemote
	Token       string        // ingest token (a high-limit one: gridcc tokens add --rate 100000 --burst 100000)
	WSToken     string        // wall (screen) token for the WebSocket clients
	Clients     int           // WebSocket clients
	Rate        float64       // events per second
	Duration    time.Duration // how long events are sent
	Warmup      time.Duration // events sent in this first part are left out of the latency figures
	Drain       time.Duration // how long to wait after the last ack for deliveries; default 5 s
	Size        int           // bytes of JSON per event (the description is padded); default 500
	Workers     int           // concurrent POSTs; default rate/2 within [32, 512]
	ServerPID   int           // gridcc's pid for its CPU and RSS; 0: the process listening on URL's port
	AllowRemote bool          // allow a URL that is not a loopback address
	Seed        uint64        // the event generator's seed; 0: from the clock
}

// The bounds of a load run: it must not become a tool for flooding a
// machine, and it must fit in memory (every client keeps every receipt).
const (
	MaxClients       = 10000
	MaxRate          = 20000
	MaxDuration      = 10 * time.Minute
	MaxEvents        = 1_000_000
	MaxReceipts      = 50_000_000 // clients × events: 16 bytes each
	MaxSize          = 12000      // a description holds at most 4,000 characters
	maxWorkers       = 512
	defaultDrain     = 5 * time.Second
	defaultEventSize = 500
)

// Check applies the defaults and refuses what is out of bounds. RunLoad
// calls it; callers may call it first to fail before loading anything.
func (c *LoadConfig) Check() error {
	u, err := url.Parse(c.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("sim: --url %q is not an http(s) URL", c.URL)
	}
	if !c.AllowRemote && !isLoopback(u.Hostname()) {
		return fmt.Errorf("sim: %s is not a loopback address; a load run against another machine needs --allow-remote", u.Hostname())
	}
	if c.Token == "" || c.WSToken == "" {
		return errors.New("sim: load needs an ingest token (--token) and a screen token (--ws-token)")
	}
	c.Drain = cmp.Or(c.Drain, defaultDrain)
	if c.Size == 0 {
		c.Size = defaultEventSize
	}
	if c.Workers == 0 {
		// Open loop: enough workers that the schedule holds while POSTs
		// take up to half a second; idle ones cost nothing, as the HTTP
		// pool dials a connection only for a POST that needs one.
		c.Workers = min(max(int(c.Rate/2), 32), maxWorkers)
	}
	events := c.events()
	switch {
	case c.Clients < 1 || c.Clients > MaxClients:
		return fmt.Errorf("sim: --clients %d out of range [1, %d]", c.Clients, MaxClients)
	case c.Rate <= 0 || c.Rate > MaxRate:
		return fmt.Errorf("sim: --rate %v out of range (0, %d]", c.Rate, MaxRate)
	case c.Duration <= 0 || c.Duration > MaxDuration:
		return fmt.Errorf("sim: --duration %v out of range (0, %v]", c.Duration, MaxDuration)
	case c.Warmup < 0 || c.Warmup >= c.Duration:
		return fmt.Errorf("sim: --warmup %v must be shorter than --duration %v", c.Warmup, c.Duration)
	case c.Drain < 0 || c.Drain > time.Minute:
		return fmt.Errorf("sim: --drain %v out of range (0, 1m]", c.Drain)
	case c.Size < 0 || c.Size > MaxSize:
		return fmt.Errorf("sim: --size %d out of range [0, %d]", c.Size, MaxSize)
	case c.Workers < 1 || c.Workers > maxWorkers:
		return fmt.Errorf("sim: --workers %d out of range [1, %d]", c.Workers, maxWorkers)
	case events < 1 || events > MaxEvents:
		return fmt.Errorf("sim: %d events (rate × duration) out of range [1, %d]", events, MaxEvents)
	case events*c.Clients > MaxReceipts:
		return fmt.Errorf("sim: %d clients × %d events is over %d receipts", c.Clients, events, MaxReceipts)
	}
	return nil
}

func (c *LoadConfig) events() int { return int(c.Rate * c.Duration.Seconds()) }

// isLoopback reports whether host names this machine: localhost or a
// loopback IP.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// RunLoad runs one load cell against gridcc: it connects the clients, waits
// until each is live, sends the events (generated over district d, times in
// zone), waits for deliveries and accounts for them. Progress goes to log.
func RunLoad(ctx context.Context, cfg LoadConfig, d *grid.District, workers Workers, zone *time.Location, log *slog.Logger) (*LoadResult, error) {
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	if err := raiseFDLimit(uint64(cfg.Clients + cfg.Workers + 256)); err != nil {
		return nil, err
	}
	pid := cfg.ServerPID
	if pid == 0 {
		u, _ := url.Parse(cfg.URL)
		port, _ := strconv.Atoi(u.Port())
		if port == 0 {
			port = map[string]int{"http": 80, "https": 443}[u.Scheme]
		}
		var err error
		if pid, err = listenerPID(port); err != nil {
			log.Warn("gridsim load: server CPU and RSS not measured", "err", err)
		}
	}
	if cfg.Seed == 0 {
		cfg.Seed = uint64(time.Now().UnixNano())
	}
	bodies, err := loadBodies(d, workers, zone, cfg)
	if err != nil {
		return nil, err
	}

	seed := maphash.MakeSeed()
	base := time.Now()
	wsURL := "ws" + strings.TrimPrefix(strings.TrimRight(cfg.URL, "/"), "http") + "/ws"
	log.Info("gridsim load: connecting", "clients", cfg.Clients, "url", wsURL)
	cctx, cancel := context.WithTimeout(ctx, 30*time.Second+time.Duration(cfg.Clients)*10*time.Millisecond)
	clients, err := connectAll(cctx, cfg.Clients, wsURL, cfg.WSToken, seed, base, len(bodies)+64)
	cancel()
	if err != nil {
		return nil, err
	}
	log.Info("gridsim load: all clients live; sending", "rate", cfg.Rate, "duration", cfg.Duration, "events", len(bodies), "workers", cfg.Workers)

	snd := &sender{poster: &Poster{URL: cfg.URL, Client: newLoadHTTPClient(cfg.Workers)}, token: cfg.Token,
		bodies: bodies, rate: cfg.Rate, workers: cfg.Workers, seed: seed, base: base}
	sends := make([]sendRec, len(bodies))
	before := measure(pid)
	start := time.Since(base).Nanoseconds()
	snd.run(ctx, sends)
	after := measure(pid)

	published := int64(0)
	for _, s := range sends {
		if s.ok {
			published++
		}
	}
	log.Info("gridsim load: sent; draining", "published", published, "drain", cfg.Drain)
	drain(ctx, clients, published, cfg.Drain)
	recs := make([][]recv, len(clients))
	closed := make([]bool, len(clients))
	for i, c := range clients {
		c.stop()
		recs[i], closed[i] = c.recs, c.closeErr != ""
	}
	t := account(sends, recs, closed, start+cfg.Warmup.Nanoseconds())
	return newResult(cfg, t, sends, snd.statuses, clients, pid, before, after), nil
}

// drain waits until every client has received as many event messages as
// were published, or the drain period ends.
func drain(ctx context.Context, clients []*wsClient, published int64, period time.Duration) {
	deadline := time.Now().Add(period)
	for time.Now().Before(deadline) {
		complete := true
		for _, c := range clients {
			if c.events.Load() < published {
				select {
				case <-c.done: // gone: it will never catch up
				default:
					complete = false
				}
			}
		}
		if complete || !sleepUntil(ctx, time.Now().Add(20*time.Millisecond)) {
			return
		}
	}
}

// loadBodies prepares every event of the run before it starts, so the send
// loop does no generating or encoding: realistic events of all kinds in
// their model shares, each padded to size bytes.
func loadBodies(d *grid.District, workers Workers, zone *time.Location, cfg LoadConfig) ([][]byte, error) {
	runID := "L" + strconv.FormatInt(time.Now().UnixMilli(), 36)
	gen := NewGenerator(d, workers, zone, cfg.Seed, runID)
	m := DefaultModel(zone).only(gen.Kinds())
	ws := make([]float64, len(m.Kinds))
	for i, k := range m.Kinds {
		ws[i] = k.PerYear
	}
	pick := newWeighted(ws)
	now := time.Now()
	bodies := make([][]byte, cfg.events())
	for i := range bodies {
		in := gen.Next(m.Kinds[pick.pick(gen.rng)].Kind, now).Input
		b, err := json.Marshal(in)
		if err != nil {
			return nil, fmt.Errorf("sim: encode event: %w", err)
		}
		if pad := cfg.Size - len(b); pad > 0 {
			in.Description += padding(pad)
			if b, err = json.Marshal(in); err != nil {
				return nil, fmt.Errorf("sim: encode event: %w", err)
			}
		}
		bodies[i] = b
	}
	return bodies, nil
}

// padding returns n bytes of filler text for a description: Chinese (three
// bytes a character, like the rest) topped up with dots.
func padding(n int) string {
	const phrase = "网格员持续跟进现场情况。"
	var b strings.Builder
	b.Grow(n)
	for b.Len()+len(phrase) <= n {
		b.WriteString(phrase)
	}
	for b.Len() < n {
		b.WriteByte('.')
	}
	return b.String()
}
