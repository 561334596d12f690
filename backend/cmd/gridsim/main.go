// Command gridsim feeds gridcc: `gridsim demo` plays realistic 川汇区 traffic
// through the ingest API, `gridsim load` measures fan-out latency and loss
// with many WebSocket clients, `gridsim report` turns load results into the
// benchmark table. main only wires flags and environment to backend/sim.
package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/gridcc/gridcc/backend/grid"
	"github.com/gridcc/gridcc/backend/sim"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "gridsim:", err)
		os.Exit(1)
	}
}

const usage = `usage: gridsim demo   [--url URL] [--token T | --token-grid T --token-hotline T --token-camera T --token-warning T] [--speed 60] [--geodata DIR]
       gridsim load   [--url URL] --token T --ws-token T --clients N --rate M --duration 20s [--warmup 2s] [--size 500] [--server-pid PID]
       gridsim report [FILE]   Markdown table of the JSON lines of load runs (stdin without FILE)
Run a command with -h for its flags. Flags fall back to GRIDSIM_URL, GRIDSIM_TOKEN,
GRIDSIM_TOKEN_GRID, GRIDSIM_TOKEN_HOTLINE, GRIDSIM_TOKEN_CAMERA, GRIDSIM_TOKEN_WARNING,
GRIDSIM_WS_TOKEN and GRIDSIM_GEODATA.`

// run dispatches the subcommands; it returns instead of exiting so tests can
// call it.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("missing command\n%s", usage)
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	switch cmd, rest := args[0], args[1:]; cmd {
	case "demo":
		return runDemo(ctx, rest, getenv, stderr, log)
	case "load":
		return runLoad(ctx, rest, getenv, stdout, stderr, log)
	case "report":
		return runReport(rest, stdin, stdout)
	case "help", "-h", "--help":
		fmt.Fprintln(stdout, usage)
		return nil
	default:
		return fmt.Errorf("unknown command %q\n%s", cmd, usage)
	}
}

// envOr returns the environment variable name, or def when it is empty.
func envOr(getenv func(string) string, name, def string) string {
	if v := getenv(name); v != "" {
		return v
	}
	return def
}

// loadDistrict reads the geodata and the grid-worker directory, and picks
// the district's time zone (Asia/Shanghai when the data names none).
func loadDistrict(dir string) (*grid.District, sim.Workers, *time.Location, error) {
	d, err := grid.Load(dir)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("load geodata from %s: %w", dir, err)
	}
	w, err := sim.LoadWorkers(dir)
	if err != nil {
		return nil, nil, nil, err
	}
	name := d.TimeZone
	if name == "" {
		name = "Asia/Shanghai"
	}
	zone, err := time.LoadLocation(name)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("time zone %q: %w", name, err)
	}
	return d, w, zone, nil
}
