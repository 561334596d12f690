package geogen

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
)

// TestBuildTilingConcave clips Voronoi cells to a comb-shaped outline with
// deep notches, which cut cells in pieces, and checks the pieces tile the
// outline: with many small cells (slivers join a neighbour) and with a cell
// that spans a notch (it becomes a MultiPolygon).
func TestBuildTilingConcave(t *testing.T) {
	t.Run("ManySmallCells", func(t *testing.T) {
		// Random generators inside the comb: a cell wholly outside has no grid.
		var gens []orb.Point
		for _, p := range randomPoints(3, 200, 3000) {
			if inRing(combMetres, p) {
				gens = append(gens, p)
			}
		}
		tileComb(t, gens)
	})
	t.Run("CellAcrossNotch", func(t *testing.T) {
		// The first generator sits in the notch between the first two teeth,
		// so its cell takes a large piece of each.
		gens := []orb.Point{{800, 2000}, {300, 500}, {1300, 500}, {2300, 500}, {300, 2800}, {1300, 2800}, {2300, 2000}}
		if multi := tileComb(t, gens); multi != 1 {
			t.Errorf("%d grids in several parts, want 1", multi)
		}
	})
}

// combMetres is a 2.6 km × 3 km comb: three teeth 600 m wide with 400 m
// notches 2 km deep between them.
var combMetres = []orb.Point{{0, 0}, {2600, 0}, {2600, 3000}, {2000, 3000}, {2000, 1000},
	{1600, 1000}, {1600, 3000}, {1000, 3000}, {1000, 1000}, {600, 1000}, {600, 3000}, {0, 3000}}

// tileComb tiles the comb with the given generators (metres), checks the
// tiling, and returns how many grids came out in several parts.
func tileComb(t *testing.T, gens []orb.Point) int {
	t.Helper()
	pr := projection{lon0: 114.7, lat0: 33.6, kx: 92711, ky: 110574}
	outline := make([]orb.Point, len(combMetres))
	proj := make([]orb.Point, len(combMetres))
	for i, p := range combMetres {
		outline[i] = orb.Point{pr.lon0 + p[0]/pr.kx, pr.lat0 + p[1]/pr.ky}
		proj[i] = pr.forward(outline[i])
	}
	tl, err := buildTiling(outline, pr, gens, func(string, int, int) {})
	if err != nil {
		t.Fatal(err)
	}
	sum := 0.0
	for _, f := range tl.faces {
		a := tl.m.area(f.ring)
		if a <= 0 {
			t.Fatalf("face of cell %d has area %.3f", f.cell, a)
		}
		sum += a
	}
	if want := signedArea(proj); math.Abs(sum-want) > 1e-6*want {
		t.Errorf("faces cover %.1f m², outline %.1f m²", sum, want)
	}
	cells, err := tl.cells(len(gens))
	if err != nil {
		t.Fatal(err)
	}
	multi := 0
	for g, c := range cells {
		if len(c.polys) > 1 {
			multi++
		}
		for _, p := range c.polys {
			if tl.m.area(p[0]) <= 0 {
				t.Errorf("grid %d: exterior not counter-clockwise", g)
			}
		}
	}
	t.Logf("%d generators, %d faces, %d grids in several parts", len(gens), len(tl.faces), multi)
	return multi
}
