// Command geogen regenerates the district's synthetic geodata (streets,
// communities, grids, cameras, grid workers) from the committed outline and
// street list. It only wires flags and files to package geogen; run it from
// the repository root:
//
//	go run ./backend/cmd/geogen
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/gridcc/gridcc/backend/geogen"
)

func main() {
	if err := run(os.Args[1:], os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "geogen:", err)
		os.Exit(1)
	}
}

func run(args []string, log io.Writer) error {
	fs := flag.NewFlagSet("geogen", flag.ContinueOnError)
	fs.SetOutput(log)
	seed := fs.Int64("seed", geogen.DefaultSeed, "random seed; the same seed gives byte-identical files")
	boundary := fs.String("boundary", "geodata/source/chuanhui_411602_datav_wgs84.geojson", "district outline, GeoJSON in WGS84")
	streets := fs.String("streets", "geodata/source/chuanhui_411602_subdistricts.csv", "street list, CSV with name and nbs2023_code columns")
	out := fs.String("out", "geodata", "output directory")
	if err := fs.Parse(args); err != nil {
		return err
	}
	start := time.Now()
	outline, err := readWith(*boundary, geogen.ParseOutline)
	if err != nil {
		return err
	}
	specs, err := readWith(*streets, geogen.ParseStreets)
	if err != nil {
		return err
	}
	progress := func(step string, done, total int) {
		fmt.Fprintf(log, "%s %d/%d (%.1f s)\n", step, done, total, time.Since(start).Seconds())
	}
	ds, err := geogen.Generate(geogen.Input{Outline: outline, Streets: specs}, geogen.DefaultConfig(*seed), progress)
	if err != nil {
		return fmt.Errorf("generate: %w", err)
	}
	files, err := geogen.Encode(ds)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return fmt.Errorf("create output directory: %w", err)
	}
	for _, f := range files {
		path := filepath.Join(*out, f.Name)
		if err := os.WriteFile(path, f.Data, 0o644); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
		fmt.Fprintf(log, "wrote %s (%d bytes)\n", path, len(f.Data))
	}
	for _, line := range geogen.ComputeStats(ds).Lines() {
		fmt.Fprintln(log, line)
	}
	fmt.Fprintf(log, "done in %.1f s\n", time.Since(start).Seconds())
	return nil
}

// readWith reads a file and parses it.
func readWith[T any](path string, parse func([]byte) (T, error)) (T, error) {
	var zero T
	data, err := os.ReadFile(path)
	if err != nil {
		return zero, fmt.Errorf("read input: %w", err)
	}
	v, err := parse(data)
	if err != nil {
		return zero, fmt.Errorf("%s: %w", path, err)
	}
	return v, nil
}
