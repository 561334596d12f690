package sim

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/gridcc/gridcc/backend/event"
	"github.com/gridcc/gridcc/backend/grid"
)

// DemoConfig configures the demo traffic. Zero fields take the defaults named.
type DemoConfig struct {
	URL      string                // gridcc's base URL
	Tokens   map[event.Kind]string // ingest token per kind: one per sending system
	Speed    float64               // simulated time per real time; 60 plays an hour a minute; default 1
	Seed     uint64                // the generator's seed; 0: from the clock
	Start    time.Time             // simulated start time; zero: now
	Count    int                   // stop after this many events; 0: run until ctx ends
	Workers  int                   // concurrent POSTs, each retrying on its own; default 8
	LogEvery time.Duration         // progress line interval; default 1 min
	Backoff  time.Duration         // first retry delay; default 1 s
}

// Bounds of DemoConfig.
const (
	MaxSpeed       = 100000
	maxDemoWorkers = 64
	// maxLag is how far behind the schedule the demo may fall (gridcc down,
	// retries holding every worker) before it skips ahead rather than
	// bursting the backlog out at once.
	maxLag = 30 * time.Second
)

// DemoStats counts what the demo sent.
type DemoStats struct {
	Sent       int                // events handed to a worker
	Acked      int                // answered 2xx (stored durably)
	Duplicates int                // of Acked, answered as duplicates
	Retried    int                // extra attempts after 429, 5xx or network errors
	Failed     int                // refused (4xx) or abandoned before the demo stopped
	ByKind     map[event.Kind]int // Acked by kind
	SimTime    time.Time          // the simulated time reached
}

// Demo plays simulated traffic into gridcc.
type Demo struct {
	cfg    DemoConfig
	model  *Model
	gen    *Generator
	poster *Poster
	log    *slog.Logger

	mu    sync.Mutex
	stats DemoStats
}

// NewDemo checks cfg and prepares the generator over district d.
func NewDemo(cfg DemoConfig, d *grid.District, workers Workers, zone *time.Location, log *slog.Logger) (*Demo, error) {
	if cfg.Speed == 0 {
		cfg.Speed = 1
	}
	if cfg.Speed < 0 || cfg.Speed > MaxSpeed {
		return nil, fmt.Errorf("sim: speed %v out of range (0, %d]", cfg.Speed, MaxSpeed)
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 8
	}
	cfg.Workers = min(cfg.Workers, maxDemoWorkers)
	if cfg.LogEvery <= 0 {
		cfg.LogEvery = time.Minute
	}
	if cfg.Seed == 0 {
		cfg.Seed = uint64(time.Now().UnixNano())
	}
	runID := time.Now().In(zone).Format("060102150405")
	gen := NewGenerator(d, workers, zone, cfg.Seed, runID)
	kinds := gen.Kinds()
	for _, k := range kinds {
		if cfg.Tokens[k] == "" {
			return nil, fmt.Errorf("sim: no ingest token for %s events", k)
		}
	}
	return &Demo{cfg: cfg, model: DefaultModel(zone).only(kinds), gen: gen, log: log,
		poster: &Poster{URL: cfg.URL, Backoff: cfg.Backoff},
		stats:  DemoStats{ByKind: map[event.Kind]int{}}}, nil
}

// Run sends events on the model's schedule until ctx ends or Count events
// were sent, waits for the POSTs in flight, and returns the counts.
func (d *Demo) Run(ctx context.Context) (DemoStats, error) {
	realStart := time.Now()
	simStart := d.cfg.Start
	if simStart.IsZero() {
		simStart = realStart
	}
	sched := NewSchedule(d.model, rand.New(rand.NewPCG(d.cfg.Seed, 1)), simStart)
	sem := make(chan struct{}, d.cfg.Workers)
	var wg sync.WaitGroup
	stopLog := d.logEvery(ctx)
	defer stopLog()

	for n := 0; d.cfg.Count == 0 || n < d.cfg.Count; n++ {
		a := sched.Next()
		due := realStart.Add(time.Duration(float64(a.At.Sub(simStart)) / d.cfg.Speed))
		if late := time.Since(due); late > maxLag {
			d.log.Warn("gridsim demo: behind schedule; skipping ahead", "late", late.Round(time.Second))
			realStart = realStart.Add(late)
			due = due.Add(late)
		}
		if !sleepUntil(ctx, due) {
			break
		}
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		gen := d.gen.Next(a.Kind, time.Now())
		body, err := json.Marshal(gen.Input)
		if err != nil {
			return d.snapshot(), fmt.Errorf("sim: encode event: %w", err)
		}
		d.mu.Lock()
		d.stats.Sent++
		d.stats.SimTime = a.At
		d.mu.Unlock()
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			ack, attempts, err := d.poster.PostRetry(ctx, d.cfg.Tokens[a.Kind], body)
			d.record(a.Kind, gen.Input.SourceID, ack, attempts, err)
		}()
	}
	wg.Wait()
	st := d.snapshot()
	d.log.Info("gridsim demo stopped", d.attrs(st)...)
	return st, nil
}

// record counts one finished POST.
func (d *Demo) record(k event.Kind, sourceID string, ack Ack, attempts int, err error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.stats.Retried += attempts - 1
	if err != nil {
		d.stats.Failed++
		if !errors.Is(err, context.Canceled) {
			d.log.Error("gridsim demo: event not accepted", "source_id", sourceID, "err", err)
		}
		return
	}
	d.stats.Acked++
	d.stats.ByKind[k]++
	if ack.Duplicate {
		d.stats.Duplicates++
	}
}

func (d *Demo) snapshot() DemoStats {
	d.mu.Lock()
	defer d.mu.Unlock()
	st := d.stats
	st.ByKind = make(map[event.Kind]int, len(d.stats.ByKind))
	for k, v := range d.stats.ByKind {
		st.ByKind[k] = v
	}
	return st
}

func (d *Demo) attrs(st DemoStats) []any {
	a := []any{"sim_time", st.SimTime.Format("2006-01-02 15:04"), "sent", st.Sent, "acked", st.Acked,
		"duplicates", st.Duplicates, "retried", st.Retried, "failed", st.Failed}
	for _, k := range event.Kinds {
		a = append(a, string(k), st.ByKind[k])
	}
	return a
}

// logEvery logs the counts every LogEvery until ctx ends or stop is called.
func (d *Demo) logEvery(ctx context.Context) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(d.cfg.LogEvery)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				d.log.Info("gridsim demo", d.attrs(d.snapshot())...)
			}
		}
	}()
	return func() { cancel(); <-done }
}

// sleepUntil waits until t; false when ctx ended first.
func sleepUntil(ctx context.Context, t time.Time) bool {
	wait := time.Until(t)
	if wait <= 0 {
		return ctx.Err() == nil
	}
	timer := time.NewTimer(wait)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-timer.C:
		return true
	}
}
