package grid_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/paulmach/orb"

	"github.com/gridcc/gridcc/backend/grid"
)

// These tests and benchmarks run on the committed district files in
// geodata/ at the root of the module. Their absence is a failure, not a
// reason to skip.

// findGeodata returns the module's geodata folder, found by walking up from
// the package folder to go.mod, and an error if it has no grids.geojson.
func findGeodata() (string, error) {
	dir, err := filepath.Abs(".")
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the package folder")
		}
		dir = parent
	}
	geodata := filepath.Join(dir, "geodata")
	if _, err := os.Stat(filepath.Join(geodata, grid.FileGrids)); err != nil {
		return "", fmt.Errorf("the committed geodata is missing: %w", err)
	}
	return geodata, nil
}

var loadGeodata = sync.OnceValues(func() (*grid.District, error) {
	dir, err := findGeodata()
	if err != nil {
		return nil, err
	}
	return grid.Load(dir)
})

// MustLoadGeodata loads geodata/ once per test binary, or fails the test.
func MustLoadGeodata(tb testing.TB) *grid.District {
	tb.Helper()
	d, err := loadGeodata()
	if err != nil {
		tb.Fatalf("load geodata: %v", err)
	}
	return d
}

// randomPoints returns n points uniform in the district's bounding box,
// the same for every run.
func randomPoints(d *grid.District, n int) []orb.Point {
	b := d.Boundary.Bound()
	rng := rand.New(rand.NewPCG(20240601, 411602))
	pts := make([]orb.Point, n)
	for i := range pts {
		pts[i] = orb.Point{
			b.Min[0] + rng.Float64()*(b.Max[0]-b.Min[0]),
			b.Min[1] + rng.Float64()*(b.Max[1]-b.Min[1]),
		}
	}
	return pts
}

func TestGeodata_LocateMatchesBruteForce(t *testing.T) {
	d := MustLoadGeodata(t)
	inside := 0
	for _, p := range randomPoints(d, 100_000) {
		if _, err := assertSameAnswer(t, d, p); err == nil {
			inside++
		}
	}
	t.Logf("%d grids; 100000 random points in the bounding box, %d inside the district", len(d.Grids), inside)
	if inside == 0 || inside == 100_000 {
		t.Errorf("%d of 100000 points inside: want both answers exercised", inside)
	}
}

// TestGeodata_LocateMatchesBruteForceOnEdges compares the two on the
// points where the boundary rule decides: every vertex of every grid, the
// middle of every edge and each grid's label point.
func TestGeodata_LocateMatchesBruteForceOnEdges(t *testing.T) {
	d := MustLoadGeodata(t)
	for _, g := range d.Grids {
		assertSameAnswer(t, d, g.Label)
		if loc, err := d.Locate(g.Label); err != nil || loc.Grid != g {
			t.Errorf("grid %s: its label %v locates to %v, %v", g.ID, g.Label, gridID(loc), err)
		}
		for _, poly := range g.Geometry {
			for _, ring := range poly {
				for i := 0; i+1 < len(ring); i++ {
					a, b := ring[i], ring[i+1]
					assertSameAnswer(t, d, a)
					assertSameAnswer(t, d, orb.Point{(a[0] + b[0]) / 2, (a[1] + b[1]) / 2})
				}
			}
		}
	}
}

func TestGeodata_Cameras(t *testing.T) {
	d := MustLoadGeodata(t)
	for _, c := range d.Cameras {
		if loc, err := d.Locate(c.Point); err != nil || loc.Grid.ID != c.GridID {
			t.Errorf("camera %s at %v: located in %v, %v; want %s", c.ID, c.Point, gridID(loc), err, c.GridID)
		}
	}
}

var (
	sinkLocation grid.Location
	sinkErr      error
)

func benchmarkLocate(b *testing.B, locate func(*grid.District) func(orb.Point) (grid.Location, error)) {
	d := MustLoadGeodata(b)
	pts := randomPoints(d, 1<<16)
	f := locate(d)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		sinkLocation, sinkErr = f(pts[i&(len(pts)-1)])
	}
	if sinkErr != nil && !errors.Is(sinkErr, grid.ErrOutsideDistrict) {
		b.Fatal(sinkErr)
	}
}

// BenchmarkLocate locates random points of the district's bounding box
// (about as many outside the district as the box has room outside it).
func BenchmarkLocate(b *testing.B) {
	benchmarkLocate(b, func(d *grid.District) func(orb.Point) (grid.Location, error) { return d.Locate })
}

// BenchmarkLocateBruteForce is BenchmarkLocate by scanning every grid.
func BenchmarkLocateBruteForce(b *testing.B) {
	benchmarkLocate(b, func(d *grid.District) func(orb.Point) (grid.Location, error) { return d.LocateBruteForce })
}

// BenchmarkLoad reads, validates and indexes geodata/.
func BenchmarkLoad(b *testing.B) {
	dir, err := findGeodata()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := grid.Load(dir); err != nil {
			b.Fatal(err)
		}
	}
}
