package grid

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
)

func square(x0, y0, x1, y1 float64) orb.Ring {
	return orb.Ring{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}
}

// TestCheckPolygonal covers what JSON fixtures cannot say (NaN, ±Inf) and
// the corner cases of the crossing sweep.
func TestCheckPolygonal(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	for _, tc := range []struct {
		name string
		geom orb.Geometry
		want Problem // "" for OK
	}{
		{"OK", orb.Polygon{square(0, 0, 2, 2), square(0.5, 0.5, 1, 1)}, ""},
		{"OKMultiPolygonTouchingAtCorner", orb.MultiPolygon{{square(0, 0, 1, 1)}, {square(1, 1, 2, 2)}}, ""},
		{"OKCollinearConsecutiveEdges", orb.Polygon{{{0, 0}, {1, 0}, {2, 0}, {2, 2}, {0, 0}}}, ""},
		{"ProblemBadCoordinateNaN", orb.Polygon{{{0, 0}, {nan, 0}, {1, 1}, {0, 0}}}, ProblemBadCoordinate},
		{"ProblemBadCoordinateInf", orb.Polygon{{{0, 0}, {1, 0}, {1, inf}, {0, 0}}}, ProblemBadCoordinate},
		{"ProblemBadCoordinateLatitude", orb.Polygon{{{0, 0}, {1, 0}, {1, 91}, {0, 0}}}, ProblemBadCoordinate},
		{"ProblemGeometryTypePoint", orb.Point{1, 1}, ProblemGeometryType},
		{"ProblemGeometryTypeNil", nil, ProblemGeometryType},
		{"ProblemGeometryTypeEmpty", orb.MultiPolygon{}, ProblemGeometryType},
		{"ProblemShortRing", orb.Polygon{{{0, 0}, {1, 0}, {0, 0}}}, ProblemShortRing},
		{"ProblemUnclosedRing", orb.Polygon{{{0, 0}, {1, 0}, {1, 1}, {0, 1}}}, ProblemUnclosedRing},
		{"ProblemRepeatedPoint", orb.Polygon{{{0, 0}, {1, 0}, {1, 0}, {1, 1}, {0, 0}}}, ProblemRepeatedPoint},
		{"ProblemSelfIntersectionBowTie", orb.Polygon{{{0, 0}, {1, 1}, {1, 0}, {0, 1}, {0, 0}}}, ProblemSelfIntersection},
		{"ProblemSelfIntersectionFlatTriangle", orb.Polygon{{{0, 0}, {1, 0}, {2, 0}, {0, 0}}}, ProblemSelfIntersection},
		{"ProblemSelfIntersectionTouchingVertex", orb.Polygon{{{0, 0}, {2, 0}, {2, 2}, {1, 0}, {0, 2}, {0, 0}}}, ProblemSelfIntersection},
		{"ProblemRingsCrossTouchingHole", orb.Polygon{square(0, 0, 2, 2), square(0, 0.5, 1, 1)}, ProblemRingsCross},
		{"ProblemHoleOutside", orb.Polygon{square(0, 0, 2, 2), square(3, 3, 4, 4)}, ProblemHoleOutside},
		{"ProblemHoleOutsideNested", orb.Polygon{square(0, 0, 4, 4), square(1, 1, 3, 3), square(1.5, 1.5, 2, 2)}, ProblemHoleOutside},
		{"ProblemPartsOverlap", orb.MultiPolygon{{square(0, 0, 2, 2)}, {square(0.5, 0.5, 1, 1)}}, ProblemPartsOverlap},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, d := checkPolygonal(tc.geom)
			var got Problem
			if d != nil {
				got = d.problem
			}
			if got != tc.want {
				t.Errorf("problem %q (%v), want %q", got, d, tc.want)
			}
		})
	}
}

func TestLabelPoint(t *testing.T) {
	for _, tc := range []struct {
		name string
		mp   orb.MultiPolygon
	}{
		{"Centroid", orb.MultiPolygon{{square(0, 0, 2, 2)}}},
		{"CentroidInHole", orb.MultiPolygon{{square(0, 0, 3, 3), square(1, 1, 2, 2)}}},
		{"UShape", orb.MultiPolygon{{{{0, 0}, {3, 0}, {3, 3}, {2, 3}, {2, 1}, {1, 1}, {1, 3}, {0, 3}, {0, 0}}}}},
		{"LargestPart", orb.MultiPolygon{{square(0, 0, 1, 1)}, {square(5, 5, 9, 9)}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, ok := labelPoint(tc.mp)
			a := newArea(tc.mp)
			if !ok || !a.contains(p) {
				t.Errorf("label %v, %v: not inside", p, ok)
			}
		})
	}
}
