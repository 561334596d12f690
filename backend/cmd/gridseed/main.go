// Command gridseed fills gridcc's history with one to two years of
// realistic cases (DOMAIN.md's volumes, weekdays, seasons, the year-on-year
// fall of public-order cases, disputes that keep coming back, whole
// lifecycles), and with --bench times every stats query over it.
//
//	gridseed [--years 2] [--events N] [--via direct|stream] [--bench]
//
// --via direct (the default) writes the rows straight into ClickHouse with
// the writer's own insert code (chstore.Store.Write), taking fresh seqs
// from the log so they never collide with live records: a running wall is
// not flooded with two years of old cases. --via stream appends the
// records to the log (redisbus.Log.Import) and drains them with the
// history writer, the path live records take: the benchmark measures that
// path. scripts/seed-history.sh and scripts/bench-history.sh wrap both.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/gridcc/gridcc/backend/chstore"
	"github.com/gridcc/gridcc/backend/grid"
	"github.com/gridcc/gridcc/backend/history"
	"github.com/gridcc/gridcc/backend/profiling"
	"github.com/gridcc/gridcc/backend/redisbus"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "gridseed:", err)
		os.Exit(1)
	}
}

// options are gridseed's flags.
type options struct {
	geodata, redisURL, prefix, clickhouseURL, timezone string
	years                                              int
	from, to                                           string
	events                                             int64
	via                                                string
	seed                                               uint64
	chunk, batch, writers                              int
	bench                                              bool
	runs                                               int
	quiet, force, timeOnly                             bool
	cpuProfile                                         string
}

func parseFlags(args []string, getenv func(string) string, stderr io.Writer) (options, error) {
	env := func(name, def string) string {
		if v := getenv(name); v != "" {
			return v
		}
		return def
	}
	var o options
	fs := flag.NewFlagSet("gridseed", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.geodata, "geodata", env("GRIDCC_GEODATA", "geodata"), "folder with the district's GeoJSON files")
	fs.StringVar(&o.redisURL, "redis-url", env("GRIDCC_REDIS_URL", "redis://127.0.0.1:6379/0"), "Redis holding the log")
	fs.StringVar(&o.prefix, "prefix", env("GRIDCC_REDIS_PREFIX", "gridcc:"), "Redis key prefix of the deployment")
	fs.StringVar(&o.clickhouseURL, "clickhouse-url", env("GRIDCC_CLICKHOUSE_URL", "clickhouse://127.0.0.1:9000/gridcc"), "ClickHouse holding the history")
	fs.StringVar(&o.timezone, "timezone", getenv("GRIDCC_TIMEZONE"), "district time zone (default: district.geojson's, else Asia/Shanghai)")
	fs.IntVar(&o.years, "years", 2, "years of history up to yesterday (1 or 2)")
	fs.StringVar(&o.from, "from", "", "first day YYYY-MM-DD (instead of --years)")
	fs.StringVar(&o.to, "to", "", "last day YYYY-MM-DD (default yesterday)")
	fs.Int64Var(&o.events, "events", 0, "about how many cases in all (default: the district's real volumes, ≈ 38,600 a year); e.g. 10000000 for benchmarks")
	fs.StringVar(&o.via, "via", "direct", "direct: rows straight into ClickHouse; stream: records through the log and the history writer")
	fs.Uint64Var(&o.seed, "seed", 1, "random seed (the same seed gives the same history)")
	fs.IntVar(&o.chunk, "chunk", 500000, "--via stream: records appended to the log before the writer drains them (bounds Redis memory)")
	fs.IntVar(&o.batch, "batch", history.DefaultOptions.BatchSize, "records per ClickHouse insert")
	fs.IntVar(&o.writers, "writers", 1, "--via stream: history writer lanes draining the log side by side (gridcc's GRIDCC_HISTORY_WRITERS)")
	fs.BoolVar(&o.bench, "bench", false, "after loading, time every stats query and print a table and a JSON line")
	fs.IntVar(&o.runs, "runs", 7, "--bench: timed runs per query (p50 over them)")
	fs.BoolVar(&o.quiet, "quiet", false, "no progress bar")
	fs.BoolVar(&o.force, "force", false, "seed even if the history already holds seeded cases")
	fs.BoolVar(&o.timeOnly, "time-only", false, "load nothing: time the stats queries over the history as it is (implies --bench)")
	fs.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile of the whole run to this file (go tool pprof)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	switch {
	case o.via != "direct" && o.via != "stream":
		return o, fmt.Errorf("--via must be direct or stream")
	case o.years < 1 || o.years > 2:
		return o, fmt.Errorf("--years must be 1 or 2")
	case o.writers < 1 || o.writers > 16:
		return o, fmt.Errorf("--writers must be 1 to 16")
	case o.chunk < o.batch || o.batch < 1:
		return o, fmt.Errorf("--chunk must be at least --batch, and --batch positive")
	}
	return o, nil
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	o, err := parseFlags(args, getenv, stderr)
	if err != nil {
		return err
	}
	slog.SetDefault(slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	if o.cpuProfile != "" {
		stopProfile, err := profiling.StartCPU(o.cpuProfile)
		if err != nil {
			return err
		}
		defer stopProfile()
	}
	district, err := grid.Load(o.geodata)
	if err != nil {
		return err
	}
	zone, err := districtZone(o.timezone, district)
	if err != nil {
		return err
	}
	from, to, err := o.period(zone)
	if err != nil {
		return err
	}
	rdb, err := redisbus.Open(o.redisURL)
	if err != nil {
		return err
	}
	defer rdb.Close()
	keys := redisbus.NewKeys(o.prefix)
	store := chstore.New(o.clickhouseURL, zone, redisbus.NewLock(rdb, o.prefix+"history:migrate", 30*time.Second))
	defer store.Close()
	if err := store.Ping(ctx); err != nil {
		return err
	}
	if o.timeOnly {
		n, err := seeded(ctx, o.clickhouseURL)
		if err != nil {
			return err
		}
		return benchmark(ctx, history.NewStats(store, zone), loadResult{via: "none", events: int64(n)}, o.runs, stdout)
	}
	if err := alreadySeeded(ctx, o); err != nil {
		return err
	}
	gen, err := newGenerator(district, zone, from, to, o.events, o.seed, time.Now())
	if err != nil {
		return err
	}
	if gen.handlers, err = loadHandlers(o.geodata, district); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "gridseed: %s to %s (%s), about %d cases, via %s\n", from, to, zone, int64(gen.expected()+0.5), o.via)
	l := &loader{o: o, gen: gen, store: store, log: redisbus.NewLog(rdb, keys, time.Hour),
		rows: history.Rows{Zone: zone, SLAs: history.DefaultSLAs}, progress: newProgress(stderr, o.quiet, gen.expected())}
	var res loadResult
	if o.via == "stream" {
		srcs := make([]history.Source, o.writers)
		for i := range srcs {
			srcs[i] = redisbus.NewConsumer(rdb, keys, "history", fmt.Sprintf("%s-%d", consumerName(), i+1))
		}
		res, err = l.viaStream(ctx, srcs)
	} else {
		res, err = l.direct(ctx)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "gridseed: %d cases, %d records written in %s\n", res.events, res.records, res.elapsed.Round(time.Second))
	if !o.bench {
		return nil
	}
	return benchmark(ctx, history.NewStats(store, zone), res, o.runs, stdout)
}

// period is the days to seed: --from/--to, or --years up to yesterday.
func (o options) period(zone *time.Location) (history.Date, history.Date, error) {
	to := history.DateOf(time.Now(), zone).AddDays(-1)
	if o.to != "" {
		d, err := history.ParseDate(o.to)
		if err != nil {
			return to, to, fmt.Errorf("--to: %w", err)
		}
		to = d
	}
	from := history.NewDate(to.Year()-o.years, to.Month(), to.Day()).AddDays(1)
	if o.from != "" {
		d, err := history.ParseDate(o.from)
		if err != nil {
			return from, to, fmt.Errorf("--from: %w", err)
		}
		from = d
	}
	if to.Before(from) {
		return from, to, fmt.Errorf("--to is before --from")
	}
	return from, to, nil
}

// districtZone is --timezone, else district.geojson's, else Asia/Shanghai:
// the same rule as the server's GRIDCC_TIMEZONE.
func districtZone(name string, d *grid.District) (*time.Location, error) {
	if name == "" {
		name = d.TimeZone
	}
	if name == "" {
		name = "Asia/Shanghai"
	}
	return time.LoadLocation(name)
}

func consumerName() string {
	host, _ := os.Hostname()
	return fmt.Sprintf("gridseed-%s-%d", host, os.Getpid())
}

// alreadySeeded refuses to seed a history that holds seeded cases already
// (unless --force): a second run would add a second, different history.
func alreadySeeded(ctx context.Context, o options) error {
	if o.force {
		return nil
	}
	n, err := seeded(ctx, o.clickhouseURL)
	if err != nil {
		return err
	}
	if n > 0 {
		return fmt.Errorf("the history already holds %d seeded cases; seeding again would add a second history (use --force to do it anyway)", n)
	}
	return nil
}

// seeded counts the seeded cases in the history at url.
func seeded(ctx context.Context, url string) (uint64, error) {
	conn, err := chstore.Open(ctx, url)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	var n uint64
	if err := conn.QueryRow(ctx, "SELECT count() FROM events WHERE source = 'gridseed'").Scan(&n); err != nil {
		return 0, fmt.Errorf("gridseed: count seeded cases: %w", err)
	}
	return n, nil
}
