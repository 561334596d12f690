package geogen

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// committedData is the committed geodata/ directory, parsed.
type committedData struct {
	district, streets, communities, grids, cameras *geojson.FeatureCollection
	workers                                        []workerRow
	raw                                            map[string][]byte
}

var loadCommitted = sync.OnceValues(func() (*committedData, error) {
	root, err := repoRoot()
	if err != nil {
		return nil, err
	}
	d := &committedData{raw: map[string][]byte{}}
	for _, name := range []string{"district.geojson", "streets.geojson", "communities.geojson",
		"grids.geojson", "cameras.geojson", "workers.json"} {
		data, err := os.ReadFile(filepath.Join(root, "geodata", name))
		if err != nil {
			return nil, err
		}
		d.raw[name] = data
	}
	for name, dst := range map[string]**geojson.FeatureCollection{
		"district.geojson": &d.district, "streets.geojson": &d.streets,
		"communities.geojson": &d.communities, "grids.geojson": &d.grids, "cameras.geojson": &d.cameras,
	} {
		fc, err := geojson.UnmarshalFeatureCollection(d.raw[name])
		if err != nil {
			return nil, err
		}
		*dst = fc
	}
	return d, json.Unmarshal(d.raw["workers.json"], &d.workers)
})

// mustCommitted returns the committed data or stops the test.
func mustCommitted(tb testing.TB) *committedData {
	tb.Helper()
	d, err := loadCommitted()
	if err != nil {
		tb.Fatalf("load committed geodata: %v", err)
	}
	return d
}

// repoRoot walks up from the package directory to the directory with go.mod.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", os.ErrNotExist
		}
		dir = parent
	}
}

// polygons lists the polygons of a Polygon or MultiPolygon.
func polygons(g orb.Geometry) []orb.Polygon {
	switch g := g.(type) {
	case orb.Polygon:
		return []orb.Polygon{g}
	case orb.MultiPolygon:
		return g
	}
	return nil
}

// interiorPoint returns a point strictly inside a polygon: the middle of the
// widest inside span of a horizontal line through the middle of its box.
// The line's latitude is off the 1e-6° lattice so it meets no vertex.
func interiorPoint(p orb.Polygon) orb.Point {
	b := p.Bound()
	y := (b.Min[1]+b.Max[1])/2 + 1.234567e-8
	var xs []float64
	for _, r := range p {
		for i := 0; i+1 < len(r); i++ {
			a, c := r[i], r[i+1]
			if (a[1] > y) != (c[1] > y) {
				xs = append(xs, a[0]+(y-a[1])*(c[0]-a[0])/(c[1]-a[1]))
			}
		}
	}
	sort.Float64s(xs)
	best := 0
	for i := 0; i+1 < len(xs); i += 2 {
		if xs[i+1]-xs[i] > xs[best+1]-xs[best] {
			best = i
		}
	}
	return orb.Point{(xs[best] + xs[best+1]) / 2, y}
}

// edgeKeyLL is an undirected or directed edge between two lon/lat positions.
type edgeKeyLL [2]orb.Point

// ringEdges calls fn for every directed edge of every ring of g.
func ringEdges(g orb.Geometry, fn func(a, b orb.Point)) {
	for _, p := range polygons(g) {
		for _, r := range p {
			for i := 0; i+1 < len(r); i++ {
				fn(r[i], r[i+1])
			}
		}
	}
}

// localM maps lon/lat to metres around the district, for distances in tests.
func localM(p orb.Point) orb.Point {
	return orb.Point{(p[0] - 114.7) * 92711, (p[1] - 33.61) * 110900}
}
