package geogen

import (
	"testing"

	"github.com/paulmach/orb"
)

// randomPoints returns n points in a w×w square.
func randomPoints(seed int64, n int, w float64) []orb.Point {
	r := newRNG(seed, 99)
	pts := make([]orb.Point, n)
	for i := range pts {
		pts[i] = orb.Point{r.float64() * w, r.float64() * w}
	}
	return pts
}

func TestDelaunayEmptyCircles(t *testing.T) {
	for _, tt := range []struct {
		name string
		pts  []orb.Point
	}{
		{"Random", randomPoints(1, 300, 1000)},
		// A lattice is the degenerate case: every square's corners are cocircular.
		{"Lattice", func() []orb.Point {
			var pts []orb.Point
			for x := 0; x < 12; x++ {
				for y := 0; y < 12; y++ {
					pts = append(pts, orb.Point{float64(100 * x), float64(100 * y)})
				}
			}
			return pts
		}()},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tri, err := delaunay(tt.pts)
			if err != nil {
				t.Fatal(err)
			}
			for _, tr := range tri.tris {
				a, b, c := tri.pts[tr[0]], tri.pts[tr[1]], tri.pts[tr[2]]
				if cross(a, b, c) <= 0 {
					t.Fatalf("triangle %v is not counter-clockwise", tr)
				}
				for i, p := range tt.pts {
					if int32(i) != tr[0] && int32(i) != tr[1] && int32(i) != tr[2] && inCircle(a, b, c, p) {
						t.Fatalf("point %d lies inside the circumcircle of %v", i, tr)
					}
				}
			}
		})
	}
}

func TestVoronoiCellsShareEdges(t *testing.T) {
	pts := randomPoints(2, 200, 1000)
	tri, err := delaunay(pts)
	if err != nil {
		t.Fatal(err)
	}
	cells, centres, err := voronoi(tri, len(pts))
	if err != nil {
		t.Fatal(err)
	}
	for a, c := range cells {
		ring := make([]orb.Point, len(c.tris))
		for k, ti := range c.tris {
			ring[k] = centres[ti]
		}
		if !inRing(ring, pts[a]) {
			t.Errorf("generator %d is outside its cell", a)
		}
		// Edge k of a, from tris[k] to tris[k+1], is edge k2 of its neighbour
		// walked the other way.
		for k, nb := range c.nbrs {
			if int(nb) >= len(pts) {
				continue
			}
			o := cells[nb]
			k2 := o.edgeTo(int32(a))
			if k2 < 0 || o.tris[k2] != c.tris[(k+1)%len(c.tris)] || o.tris[(k2+1)%len(o.tris)] != c.tris[k] {
				t.Fatalf("cells %d and %d disagree on their shared edge", a, nb)
			}
		}
	}
}
