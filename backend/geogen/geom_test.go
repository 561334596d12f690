package geogen

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
)

func TestHilbertIndexVisitsBlockOnce(t *testing.T) {
	// Within any aligned 8×8 block the curve visits all 64 cells, stepping
	// to a 4-neighbour each time.
	at := map[uint64][2]uint32{}
	for x := uint32(0); x < 8; x++ {
		for y := uint32(0); y < 8; y++ {
			at[hilbertIndex(x, y)] = [2]uint32{x, y}
		}
	}
	for d := uint64(0); d < 64; d++ {
		p, ok := at[d]
		if !ok {
			t.Fatalf("index %d not visited", d)
		}
		if q := at[d+1]; d < 63 && absDiff(p[0], q[0])+absDiff(p[1], q[1]) != 1 {
			t.Errorf("step %d: %v → %v is not to a neighbour", d, p, q)
		}
	}
}

func absDiff(a, b uint32) uint32 {
	if a > b {
		return a - b
	}
	return b - a
}

func TestKDTreeNearestMatchesBruteForce(t *testing.T) {
	pts := randomPoints(4, 500, 1000)
	// Duplicates check the tie rule: the lower index wins.
	pts = append(pts, pts[10], pts[20])
	tree := newKDTree(pts)
	for i, q := range randomPoints(5, 2000, 1000) {
		best, bestD := 0, math.Inf(1)
		for j, p := range pts {
			if d := sq(p[0]-q[0]) + sq(p[1]-q[1]); d < bestD {
				best, bestD = j, d
			}
		}
		if got := tree.nearest(q, int32(i%len(pts))); int(got) != best {
			t.Fatalf("query %d: nearest %d, want %d", i, got, best)
		}
	}
}

func TestAreaKm2(t *testing.T) {
	// A 0.01° × 0.01° cell at 33.6°N: ≈ 927.8 m × 1109.3 m ≈ 1.0292 km².
	b := orb.Bound{Min: orb.Point{114.6, 33.6}, Max: orb.Point{114.61, 33.61}}
	sqr := orb.Polygon{b.ToRing()}
	if a := AreaKm2(sqr); math.Abs(a-1.0292) > 0.001 {
		t.Errorf("AreaKm2(square) = %.4f, want 1.0292", a)
	}
	hole := orb.Bound{Min: orb.Point{114.602, 33.602}, Max: orb.Point{114.607, 33.607}}.ToRing()
	withHole := orb.Polygon{sqr[0], hole}
	if a, want := AreaKm2(withHole), AreaKm2(sqr)*0.75; math.Abs(a-want) > 1e-3 {
		t.Errorf("AreaKm2(square with hole) = %.4f, want %.4f", a, want)
	}
	if c := Compactness(sqr); math.Abs(c-math.Pi/4) > 0.02 {
		t.Errorf("Compactness(square) = %.3f, want about π/4", c)
	}
}

func TestBandIndexMatchesInRing(t *testing.T) {
	ring := combMetres
	ix := newBandIndex(ring, 16)
	for _, p := range randomPoints(6, 5000, 3000) {
		if ix.contains(p) != inRing(ring, p) {
			t.Fatalf("bandIndex and inRing disagree at %v", p)
		}
	}
}

func TestCheckRing(t *testing.T) {
	sqr := orb.Ring{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}
	tests := []struct {
		name     string
		ring     orb.Ring
		exterior bool
		ok       bool
	}{
		{"OK", sqr, true, true},
		{"HoleOrientation", orb.Ring{{0, 0}, {0, 1}, {1, 1}, {1, 0}, {0, 0}}, false, true},
		{"ErrOrientation", sqr, false, false},
		{"ErrNotClosed", sqr[:4], true, false},
		{"ErrRepeat", orb.Ring{{0, 0}, {1, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}, true, false},
		{"ErrBowtie", orb.Ring{{0, 0}, {1, 1}, {1, 0}, {0, 1}, {0, 0}}, true, false},
		{"ErrTouch", orb.Ring{{0, 0}, {2, 0}, {2, 2}, {1, 0}, {0, 2}, {0, 0}}, true, false},
		{"ErrFold", orb.Ring{{0, 0}, {2, 0}, {1, 0}, {1, 1}, {0, 0}}, true, false},
		{"ErrShort", orb.Ring{{0, 0}, {1, 0}, {0, 0}}, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := CheckRing(tt.ring, tt.exterior); (err == nil) != tt.ok {
				t.Errorf("CheckRing = %v, want ok %v", err, tt.ok)
			}
		})
	}
}
