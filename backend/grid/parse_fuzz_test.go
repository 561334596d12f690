package grid_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/paulmach/orb"

	"github.com/gridcc/gridcc/backend/grid"
)

// FuzzParse feeds Parse five geodata files: the valid fixture
// (testdata/ok) and every one-defect variant of it (testdata/invalid) are
// seeds, plus the hostile files in testdata/fuzz/FuzzParse. Run it for real
// with
//
//	go test -run '^$' -fuzz '^FuzzParse$' -fuzztime 60s ./backend/grid/
//
// Parse must never panic. It either refuses with a *ValidationErrors of 1
// to MaxProblems problems, each naming one of the five files, or returns a
// district in which every grid's label locates to that grid, every camera
// to its own grid, and Locate answers as LocateBruteForce does.
func FuzzParse(f *testing.F) {
	names := []string{grid.FileDistrict, grid.FileStreets, grid.FileCommunities, grid.FileGrids, grid.FileCameras}
	ok := make([][]byte, len(names))
	for i, name := range names {
		b, err := os.ReadFile(filepath.Join("testdata", "ok", name))
		if err != nil {
			f.Fatal(err)
		}
		ok[i] = b
	}
	f.Add(ok[0], ok[1], ok[2], ok[3], ok[4])
	variants, err := filepath.Glob(filepath.Join("testdata", "invalid", "*", "*.geojson"))
	if err != nil {
		f.Fatal(err)
	}
	for _, v := range variants {
		files := slices.Clone(ok)
		b, err := os.ReadFile(v)
		if err != nil {
			f.Fatal(err)
		}
		files[slices.Index(names, filepath.Base(v))] = b
		f.Add(files[0], files[1], files[2], files[3], files[4])
	}
	f.Fuzz(func(t *testing.T, district, streets, communities, grids, cameras []byte) {
		files := grid.Files{District: bytes.NewReader(district), Streets: bytes.NewReader(streets),
			Communities: bytes.NewReader(communities), Grids: bytes.NewReader(grids)}
		if len(cameras) > 0 { // an empty cameras file stands for none
			files.Cameras = bytes.NewReader(cameras)
		}
		d, err := grid.Parse(files)
		if err != nil {
			var ve *grid.ValidationErrors
			if !errors.As(err, &ve) || len(ve.Problems) == 0 || len(ve.Problems) > grid.MaxProblems {
				t.Fatalf("error %v is not 1 to %d problems", err, grid.MaxProblems)
			}
			for _, p := range ve.Problems {
				if !slices.Contains(names, p.File) || p.Problem == "" {
					t.Fatalf("problem %+v names no geodata file", p)
				}
			}
			return
		}
		for _, g := range d.Grids {
			loc, err := d.Locate(g.Label)
			if err != nil || loc.Grid != g {
				t.Fatalf("the label %v of grid %s locates to %+v (%v)", g.Label, g.ID, loc.Grid, err)
			}
			for _, p := range []orb.Point{g.Label, g.Bound.Min, g.Bound.Max, g.Bound.Center(), {g.Bound.Min[0], g.Bound.Max[1]}} {
				requireSameLocation(t, d, p)
			}
		}
		for _, c := range d.Cameras {
			if loc, err := d.Locate(c.Point); err != nil || loc.Grid.ID != c.GridID {
				t.Fatalf("camera %s at %v locates to %+v (%v), not its grid %s", c.ID, c.Point, loc.Grid, err, c.GridID)
			}
		}
	})
}

// requireSameLocation: Locate and LocateBruteForce agree on p.
func requireSameLocation(t *testing.T, d *grid.District, p orb.Point) {
	t.Helper()
	a, errA := d.Locate(p)
	b, errB := d.LocateBruteForce(p)
	if a.Grid != b.Grid || (errA == nil) != (errB == nil) {
		t.Fatalf("at %v Locate gives %+v (%v), LocateBruteForce %+v (%v)", p, a.Grid, errA, b.Grid, errB)
	}
}
