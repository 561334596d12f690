package geogen

import (
	"cmp"
	"slices"

	"github.com/paulmach/orb"
)

// kdTree answers nearest-centre queries for the CVT. It is rebuilt every
// Lloyd iteration (1563 points: well under a millisecond) and queried 200k
// times, each query warm-started from the sample's previous centre, which
// prunes most of the tree at once. The tree is implicit: the subtree over
// positions lo..hi-1 has its splitting point at (lo+hi)/2, and the points
// are stored in that order so a query walks flat arrays.
type kdTree struct {
	x, y []float64 // coordinates in tree order
	id   []int32   // original index in tree order
	pos  []int32   // tree position of each original index
}

func newKDTree(pts []orb.Point) *kdTree {
	n := len(pts)
	idx := make([]int32, n)
	for i := range idx {
		idx[i] = int32(i)
	}
	var build func(lo, hi, axis int)
	build = func(lo, hi, axis int) {
		if hi-lo <= 1 {
			return
		}
		slices.SortFunc(idx[lo:hi], func(a, b int32) int {
			if c := cmp.Compare(pts[a][axis], pts[b][axis]); c != 0 {
				return c
			}
			return cmp.Compare(a, b)
		})
		mid := (lo + hi) / 2
		build(lo, mid, 1-axis)
		build(mid+1, hi, 1-axis)
	}
	build(0, n, 0)
	t := &kdTree{x: make([]float64, n), y: make([]float64, n), id: idx, pos: make([]int32, n)}
	for k, i := range idx {
		t.x[k], t.y[k] = pts[i][0], pts[i][1]
		t.pos[i] = int32(k)
	}
	return t
}

// kdFrame is a subtree still to visit and the squared distance from the
// query to its splitting plane, a lower bound for everything in it.
type kdFrame struct {
	lo, hi, axis int32
	bound        float64
}

// nearest returns the index of the point closest to (px, py), ties to the
// lower index, so the answer does not depend on the hint: any point index
// to start the search from.
func (t *kdTree) nearest(p orb.Point, hint int32) int32 {
	px, py := p[0], p[1]
	k := t.pos[hint]
	best, bestD := hint, sq(t.x[k]-px)+sq(t.y[k]-py)
	var stack [64]kdFrame
	sp := 0
	stack[sp] = kdFrame{0, int32(len(t.x)), 0, 0}
	sp++
	for sp > 0 {
		sp--
		f := stack[sp]
		// Only a strictly larger gap can be skipped: an equally distant
		// point with a lower index must still win the tie.
		if f.bound > bestD {
			continue
		}
		lo, hi, axis := f.lo, f.hi, f.axis
		for hi > lo {
			mid := (lo + hi) / 2
			if d := sq(t.x[mid]-px) + sq(t.y[mid]-py); d < bestD || (d == bestD && t.id[mid] < best) {
				best, bestD = t.id[mid], d
			}
			diff := px - t.x[mid]
			if axis == 1 {
				diff = py - t.y[mid]
			}
			// Descend into the near side now; push the far side for later.
			if diff > 0 {
				stack[sp] = kdFrame{lo, mid, 1 - axis, diff * diff}
				lo = mid + 1
			} else {
				stack[sp] = kdFrame{mid + 1, hi, 1 - axis, diff * diff}
				hi = mid
			}
			sp++
			axis = 1 - axis
		}
	}
	return best
}

func sq(x float64) float64 { return x * x }
