package grid

import (
	"math"
	"slices"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// The point-in-polygon test of this package is a crossing-number (even-odd)
// test with a ray towards +x (east) and half-open rules:
//
//   - an edge is crossed if y0 <= y < y1 (its lower end counts, its upper end
//     does not; horizontal edges are never crossed), and
//   - the ray starts just east of the point: x < xi, where xi is the edge's x
//     at the point's y.
//
// The result equals the exact containment of the point nudged an
// infinitesimal step east and then an even smaller step north. That point is
// never on a boundary, so of polygons that tile the plane with shared
// vertices exactly one contains it. xi is computed from the edge stored with
// its lower end first, so an edge shared by two grids yields bit-identical
// answers in both, and it is clamped to the edge's x range, so a point
// outside a polygon's bounding box is never inside it.

// edge is one non-horizontal polygon edge, lower end first: from (x0, y0)
// to (x1, y1), y0 < y1. Four floats, so two edges fill a cache line.
type edge struct {
	y0, y1, x0, x1 float64
}

// newEdge returns the edge from a to b, or false for a horizontal edge.
func newEdge(a, b orb.Point) (edge, bool) {
	if a[1] == b[1] {
		return edge{}, false
	}
	if a[1] > b[1] {
		a, b = b, a
	}
	return edge{y0: a[1], y1: b[1], x0: a[0], x1: b[0]}, true
}

// at returns the edge's x at y, clamped to its x range; y0 <= y < y1.
func (e *edge) at(y float64) float64 {
	// Not a stored slope: for a nearly horizontal edge it could overflow,
	// and 0 × Inf is NaN. Here the worst is ±Inf, which the clamp absorbs
	// along with rounding.
	return min(max(e.x0+(y-e.y0)*(e.x1-e.x0)/(e.y1-e.y0), min(e.x0, e.x1)), max(e.x0, e.x1))
}

// inside reports whether the ray from (x, y) crosses edges an odd number of
// times (see the rules above).
func inside(edges []edge, x, y float64) bool {
	in := false
	for i := range edges {
		e := &edges[i]
		if e.y0 <= y && y < e.y1 && x < e.at(y) {
			in = !in
		}
	}
	return in
}

// appendEdges appends the non-horizontal edges of every ring of mp.
func appendEdges(dst []edge, mp orb.MultiPolygon) []edge {
	for _, poly := range mp {
		for _, ring := range poly {
			for i := 0; i+1 < len(ring); i++ {
				if e, ok := newEdge(ring[i], ring[i+1]); ok {
					dst = append(dst, e)
				}
			}
		}
	}
	return dst
}

// area is a validated polygonal feature prepared for point-in-polygon tests.
type area struct {
	bound orb.Bound
	edges []edge
}

func newArea(mp orb.MultiPolygon) area {
	return area{bound: mp.Bound(), edges: appendEdges(nil, mp)}
}

// contains applies the package's point-in-polygon rule.
func (a *area) contains(p orb.Point) bool {
	return a.bound.Contains(p) && inside(a.edges, p[0], p[1])
}

// labelPoint returns a point inside mp for labels and containment checks:
// the centroid of its largest polygon if that is inside, else the middle of
// the widest inside stretch of a horizontal line through the centroid (or,
// failing that, through the middle of the bounding box). It returns false
// only for a polygon without interior.
func labelPoint(mp orb.MultiPolygon) (orb.Point, bool) {
	largest, best := mp[0], -1.0
	for _, poly := range mp {
		if a := math.Abs(planar.Area(poly)); a > best {
			largest, best = poly, a
		}
	}
	a := newArea(orb.MultiPolygon{largest})
	c, _ := planar.CentroidArea(largest)
	if a.contains(c) {
		return c, true
	}
	for _, y := range []float64{c[1], a.bound.Center()[1]} {
		if p, ok := widestStretch(&a, y); ok {
			return p, true
		}
	}
	return orb.Point{}, false
}

// widestStretch returns the middle of the widest inside stretch of the line
// at y, checked with contains.
func widestStretch(a *area, y float64) (orb.Point, bool) {
	var xs []float64
	for i := range a.edges {
		if e := &a.edges[i]; e.y0 <= y && y < e.y1 {
			xs = append(xs, e.at(y))
		}
	}
	slices.Sort(xs)
	var mid orb.Point
	found, width := false, -1.0
	for i := 0; i+1 < len(xs); i += 2 {
		p := orb.Point{(xs[i] + xs[i+1]) / 2, y}
		if w := xs[i+1] - xs[i]; w > width && a.contains(p) {
			mid, width, found = p, w, true
		}
	}
	return mid, found
}
