package grid

import (
	"cmp"
	"slices"

	"github.com/paulmach/orb"
)

// segment is one edge of a ring, for the crossing sweep.
type segment struct {
	a, b       orb.Point
	ring, i, n int // ring index in the polygon, edge index in the ring, edges in the ring
	xlo, xhi   float64
	ylo, yhi   float64
}

// consecutive reports whether s and t are neighbouring edges of one ring,
// and if so returns their shared point v and their other ends a (of s) and
// b (of t).
func (s *segment) consecutive(t *segment) (a, v, b orb.Point, ok bool) {
	if s.ring != t.ring {
		return a, v, b, false
	}
	switch {
	case t.i == s.i+1 || (s.i == s.n-1 && t.i == 0):
		return s.a, s.b, t.b, true
	case s.i == t.i+1 || (t.i == t.n-1 && s.i == 0):
		return s.b, s.a, t.a, true
	}
	return a, v, b, false
}

// checkCrossings reports the first pair of edges of poly's rings that meet
// where they should not: any two edges of different rings, two
// non-consecutive edges of one ring, or two consecutive edges folding back
// onto each other. Edges are swept in order of their smallest x, each
// compared with the earlier edges whose x ranges still overlap it: O(n log n)
// plus the pairs with overlapping bounding boxes.
func checkCrossings(poly orb.Polygon) *defect {
	var segs []segment
	for ri, ring := range poly {
		n := len(ring) - 1
		for i := 0; i < n; i++ {
			a, b := ring[i], ring[i+1]
			segs = append(segs, segment{a: a, b: b, ring: ri, i: i, n: n,
				xlo: min(a[0], b[0]), xhi: max(a[0], b[0]), ylo: min(a[1], b[1]), yhi: max(a[1], b[1])})
		}
	}
	slices.SortFunc(segs, func(s, t segment) int { return cmp.Compare(s.xlo, t.xlo) })

	var active []*segment
	for k := range segs {
		s := &segs[k]
		kept := active[:0]
		for _, t := range active {
			if t.xhi >= s.xlo {
				kept = append(kept, t)
			}
		}
		active = kept
		for _, t := range active {
			if t.yhi < s.ylo || s.yhi < t.ylo {
				continue
			}
			if d := crossing(s, t); d != nil {
				return d
			}
		}
		active = append(active, s)
	}
	return nil
}

// crossing returns the defect if edges s and t of one polygon meet wrongly.
func crossing(s, t *segment) *defect {
	if a, v, b, ok := s.consecutive(t); ok {
		if foldsBack(a, v, b) {
			return newDefect(ProblemSelfIntersection, "ring %d folds back on itself at %v", s.ring, v)
		}
		return nil
	}
	if !segmentsMeet(s.a, s.b, t.a, t.b) {
		return nil
	}
	if s.ring != t.ring {
		return newDefect(ProblemRingsCross, "edge %v-%v of ring %d meets edge %v-%v of ring %d",
			s.a, s.b, s.ring, t.a, t.b, t.ring)
	}
	return newDefect(ProblemSelfIntersection, "edges %d (%v-%v) and %d (%v-%v) of ring %d meet",
		s.i, s.a, s.b, t.i, t.a, t.b, s.ring)
}
