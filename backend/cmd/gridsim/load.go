package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/gridcc/gridcc/backend/profiling"
	"github.com/gridcc/gridcc/backend/sim"
)

// runLoad implements `gridsim load`: the summary, then the result as one
// JSON object on the last line of stdout.
func runLoad(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer, log *slog.Logger) error {
	fs := flag.NewFlagSet("gridsim load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg sim.LoadConfig
	fs.StringVar(&cfg.URL, "url", envOr(getenv, "GRIDSIM_URL", "http://127.0.0.1:8080"), "gridcc base URL, loopback only (GRIDSIM_URL)")
	fs.StringVar(&cfg.Token, "token", getenv("GRIDSIM_TOKEN"), "high-limit ingest token (GRIDSIM_TOKEN)")
	fs.StringVar(&cfg.WSToken, "ws-token", getenv("GRIDSIM_WS_TOKEN"), "wall token for the WebSocket clients (GRIDSIM_WS_TOKEN)")
	fs.IntVar(&cfg.Clients, "clients", 100, fmt.Sprintf("WebSocket clients (at most %d)", sim.MaxClients))
	fs.Float64Var(&cfg.Rate, "rate", 100, fmt.Sprintf("events per second, one POST each (at most %d)", sim.MaxRate))
	fs.DurationVar(&cfg.Duration, "duration", 20*time.Second, fmt.Sprintf("how long events are sent (at most %v)", sim.MaxDuration))
	fs.DurationVar(&cfg.Warmup, "warmup", 2*time.Second, "events sent in this first part are left out of the latency figures")
	fs.DurationVar(&cfg.Drain, "drain", 5*time.Second, "how long to wait for deliveries after the last ack")
	fs.IntVar(&cfg.Size, "size", 500, "bytes of JSON per event (the description is padded)")
	fs.IntVar(&cfg.Workers, "workers", 0, "concurrent POSTs (0: rate/2 within [32, 512])")
	fs.IntVar(&cfg.ServerPID, "server-pid", 0, "gridcc's pid for its CPU and RSS (0: whoever listens on the URL's port)")
	fs.BoolVar(&cfg.AllowRemote, "allow-remote", false, "allow a URL that is not a loopback address")
	fs.Uint64Var(&cfg.Seed, "seed", 0, "random seed of the events (0: from the clock)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the load tool's run to this file (go tool pprof)")
	geodata := fs.String("geodata", envOr(getenv, "GRIDSIM_GEODATA", "geodata"), "geodata folder (GRIDSIM_GEODATA)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("load: unexpected argument %q", fs.Arg(0))
	}
	if err := cfg.Check(); err != nil { // before the geodata, which takes a while to load
		return err
	}
	d, w, zone, err := loadDistrict(*geodata)
	if err != nil {
		return err
	}
	if *cpuProfile != "" {
		stopProfile, err := profiling.StartCPU(*cpuProfile)
		if err != nil {
			return err
		}
		defer stopProfile()
	}
	res, err := sim.RunLoad(ctx, cfg, d, w, zone, log)
	if err != nil {
		return err
	}
	res.WriteSummary(stdout)
	line, err := json.Marshal(res)
	if err != nil {
		return fmt.Errorf("encode result: %w", err)
	}
	_, err = fmt.Fprintf(stdout, "%s\n", line)
	return err
}
