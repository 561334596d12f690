package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"

	"github.com/gridcc/gridcc/backend/event"
	"github.com/gridcc/gridcc/backend/sim"
)

// tokenFlag is the flag of each kind's own token: one per sending system.
var tokenFlag = map[event.Kind]string{event.GridEvent: "token-grid", event.Hotline: "token-hotline",
	event.CameraAlert: "token-camera", event.Warning: "token-warning"}

// runDemo implements `gridsim demo`.
func runDemo(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer, log *slog.Logger) error {
	fs := flag.NewFlagSet("gridsim demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	url := fs.String("url", envOr(getenv, "GRIDSIM_URL", "http://127.0.0.1:8080"), "gridcc base URL (GRIDSIM_URL)")
	token := fs.String("token", getenv("GRIDSIM_TOKEN"), "ingest token for every kind without its own (GRIDSIM_TOKEN)")
	perKind := map[event.Kind]*string{
		event.GridEvent:   fs.String(tokenFlag[event.GridEvent], getenv("GRIDSIM_TOKEN_GRID"), "ingest token of the 网格 app (GRIDSIM_TOKEN_GRID)"),
		event.Hotline:     fs.String(tokenFlag[event.Hotline], getenv("GRIDSIM_TOKEN_HOTLINE"), "ingest token of the 12345 platform (GRIDSIM_TOKEN_HOTLINE)"),
		event.CameraAlert: fs.String(tokenFlag[event.CameraAlert], getenv("GRIDSIM_TOKEN_CAMERA"), "ingest token of the 雪亮 platform (GRIDSIM_TOKEN_CAMERA)"),
		event.Warning:     fs.String(tokenFlag[event.Warning], getenv("GRIDSIM_TOKEN_WARNING"), "ingest token of the sensor platforms (GRIDSIM_TOKEN_WARNING)"),
	}
	speed := fs.Float64("speed", 60, "simulated time per real time: 60 plays one hour a minute")
	geodata := fs.String("geodata", envOr(getenv, "GRIDSIM_GEODATA", "geodata"), "geodata folder (GRIDSIM_GEODATA)")
	seed := fs.Uint64("seed", 0, "random seed (0: from the clock)")
	count := fs.Int("count", 0, "stop after this many events (0: run until SIGINT/SIGTERM)")
	workers := fs.Int("workers", 8, "concurrent POSTs")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("demo: unexpected argument %q", fs.Arg(0))
	}
	tokens := map[event.Kind]string{}
	for k, t := range perKind {
		tokens[k] = *t
		if tokens[k] == "" {
			tokens[k] = *token
		}
		if tokens[k] == "" && k != event.CameraAlert { // a district without cameras needs no camera token
			return fmt.Errorf("demo: no ingest token for %s events: set --token (GRIDSIM_TOKEN) or --%s", k, tokenFlag[k])
		}
	}
	d, w, zone, err := loadDistrict(*geodata)
	if err != nil {
		return err
	}
	demo, err := sim.NewDemo(sim.DemoConfig{URL: *url, Tokens: tokens, Speed: *speed, Seed: *seed, Count: *count, Workers: *workers},
		d, w, zone, log)
	if err != nil {
		return err
	}
	log.Info("gridsim demo starting", "url", *url, "speed", *speed, "district", d.Name, "grids", len(d.Grids), "cameras", len(d.Cameras))
	_, err = demo.Run(ctx)
	return err
}
