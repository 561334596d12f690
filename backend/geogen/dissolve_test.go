package geogen

import (
	"slices"
	"testing"

	"github.com/paulmach/orb"
)

// squareMesh is a mesh over the integer lattice 0..n-1 × 0..n-1; sq returns
// the counter-clockwise ring of the unit square with lower-left corner (x, y).
func squareMesh(n int) (*mesh, func(x, y int) []int32) {
	m := &mesh{}
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			m.add(orb.Point{float64(x), float64(y)}, kindVoronoi)
		}
	}
	id := func(x, y int) int32 { return int32(y*n + x) }
	return m, func(x, y int) []int32 { return []int32{id(x, y), id(x+1, y), id(x+1, y+1), id(x, y+1)} }
}

func TestDissolve(t *testing.T) {
	m, sq := squareMesh(5)
	tests := []struct {
		name  string
		rings [][]int32
		// want: per polygon, its number of rings and its area
		want [][2]float64
	}{
		{"OneSquare", [][]int32{sq(0, 0)}, [][2]float64{{1, 1}}},
		{"TwoAdjacent", [][]int32{sq(0, 0), sq(1, 0)}, [][2]float64{{1, 2}}},
		{"CornerTouch", [][]int32{sq(0, 0), sq(1, 1)}, [][2]float64{{1, 1}, {1, 1}}},
		{"Apart", [][]int32{sq(0, 0), sq(3, 3), sq(3, 2)}, [][2]float64{{1, 2}, {1, 1}}},
		{"RingWithHole", [][]int32{sq(0, 0), sq(1, 0), sq(2, 0), sq(0, 1), sq(2, 1), sq(0, 2), sq(1, 2), sq(2, 2)},
			[][2]float64{{2, 8}}},
		// The hole touches the exterior at one corner: still one polygon.
		{"HoleTouchingCorner", [][]int32{sq(1, 0), sq(2, 0), sq(0, 1), sq(2, 1), sq(0, 2), sq(1, 2), sq(2, 2)},
			[][2]float64{{2, 7}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			polys, err := dissolve(m, tt.rings)
			if err != nil {
				t.Fatal(err)
			}
			if len(polys) != len(tt.want) {
				t.Fatalf("%d polygons, want %d", len(polys), len(tt.want))
			}
			for i, p := range polys {
				area := 0.0
				for j, r := range p {
					a := m.area(r)
					if (j == 0) != (a > 0) {
						t.Errorf("polygon %d ring %d has area %v: wrong orientation", i, j, a)
					}
					area += a
				}
				if got := [2]float64{float64(len(p)), area}; got != tt.want[i] {
					t.Errorf("polygon %d: %v rings/area, want %v", i, got, tt.want[i])
				}
			}
		})
	}
}

func TestDissolveRejectsOverlap(t *testing.T) {
	m, sq := squareMesh(3)
	if _, err := dissolve(m, [][]int32{sq(0, 0), sq(0, 0)}); err == nil {
		t.Fatal("dissolve of a square with itself succeeded")
	}
}

func TestCleanRing(t *testing.T) {
	tests := []struct {
		name     string
		in, want []int32
	}{
		{"Clean", []int32{1, 2, 3, 4}, []int32{1, 2, 3, 4}},
		{"Repeat", []int32{1, 2, 2, 3}, []int32{1, 2, 3}},
		{"RepeatAcrossEnd", []int32{1, 2, 3, 1}, []int32{2, 3, 1}},
		{"Spike", []int32{1, 2, 5, 2, 3}, []int32{1, 2, 3}},
		{"Collapsed", []int32{1, 2, 1}, []int32{1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := cleanRing(slices.Clone(tt.in))
			if len(got) >= 3 && !slices.Equal(got, tt.want) {
				t.Errorf("cleanRing(%v) = %v, want %v", tt.in, got, tt.want)
			}
			if len(tt.want) < 3 && len(got) >= 3 {
				t.Errorf("cleanRing(%v) = %v, want it collapsed", tt.in, got)
			}
		})
	}
}
