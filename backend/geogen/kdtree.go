package geogen

import (
	"cmp"
	"slices"

	"github.com/paulmach/orb"
)

// kdTree answers nearest-centre queries for the CVT. It is rebuilt every
// Lloyd iteration (1563 points: well under a millisecond) and queried
// 200k times, each query warm-started from the sample's previous centre,
// which prunes most of the tree at once.
type kdTree struct {
	pts []orb.Point
	idx []int32 // point indices; each subtree range is split at its middle
}

func newKDTree(pts []orb.Point) *kdTree {
	t := &kdTree{pts: pts, idx: make([]int32, len(pts))}
	for i := range t.idx {
		t.idx[i] = int32(i)
	}
	t.build(0, len(pts), 0)
	return t
}

func (t *kdTree) build(lo, hi, axis int) {
	if hi-lo <= 1 {
		return
	}
	s := t.idx[lo:hi]
	slices.SortFunc(s, func(a, b int32) int {
		if c := cmp.Compare(t.pts[a][axis], t.pts[b][axis]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	mid := (lo + hi) / 2
	t.build(lo, mid, 1-axis)
	t.build(mid+1, hi, 1-axis)
}

// nearest returns the index of the point closest to p, ties to the lower
// index, so the answer does not depend on the hint: any point index to
// start the search from.
func (t *kdTree) nearest(p orb.Point, hint int32) int32 {
	q := t.pts[hint]
	best, bestD := hint, sq(q[0]-p[0])+sq(q[1]-p[1])
	t.search(p, 0, len(t.idx), 0, &best, &bestD)
	return best
}

func (t *kdTree) search(p orb.Point, lo, hi, axis int, best *int32, bestD *float64) {
	if hi <= lo {
		return
	}
	mid := (lo + hi) / 2
	i := t.idx[mid]
	q := t.pts[i]
	if d := sq(q[0]-p[0]) + sq(q[1]-p[1]); d < *bestD || (d == *bestD && i < *best) {
		*best, *bestD = i, d
	}
	diff := p[axis] - q[axis]
	near, far := [2]int{lo, mid}, [2]int{mid + 1, hi}
	if diff > 0 {
		near, far = far, near
	}
	t.search(p, near[0], near[1], 1-axis, best, bestD)
	// Only a strictly larger gap can be skipped: an equally distant point
	// with a lower index must still win the tie.
	if diff*diff <= *bestD {
		t.search(p, far[0], far[1], 1-axis, best, bestD)
	}
}

func sq(x float64) float64 { return x * x }
