package grid

import (
	"fmt"

	"github.com/paulmach/orb"
)

// validPoint reports whether p is a finite WGS84 [longitude, latitude].
func validPoint(p orb.Point) bool {
	// NaN fails every comparison, ±Inf fails the range.
	return p[0] >= -180 && p[0] <= 180 && p[1] >= -90 && p[1] <= 90
}

// defect is a geometry problem with its location inside the geometry.
type defect struct {
	problem Problem
	detail  string
}

func newDefect(p Problem, format string, args ...any) *defect {
	return &defect{problem: p, detail: fmt.Sprintf(format, args...)}
}

// checkPolygonal validates a Polygon or MultiPolygon and returns it as a
// MultiPolygon. It reports the first defect found, checking in this order:
//
//   - the geometry is a non-empty Polygon or MultiPolygon;
//   - per ring: every coordinate is finite and within WGS84 range, the ring
//     has at least 4 points, it is closed (first == last), and no point
//     repeats the one before it;
//   - per polygon: no two edges of its rings meet except consecutive edges
//     of one ring at their shared point, and those do not fold back onto
//     each other (spikes) — a sweep over the edges sorted by x, with
//     floating-point orientation tests; rings that touch at a single point
//     are rejected too (stricter than OGC);
//   - per polygon: each hole lies inside the shell and not inside another
//     hole (tested at the hole's first point);
//   - per multipolygon: no part's first point lies inside another part
//     (crossing edges of different parts are not looked for).
//
// Ring orientation (RFC 7946 counterclockwise shells) is not enforced: the
// crossing-number test does not depend on it.
func checkPolygonal(g orb.Geometry) (orb.MultiPolygon, *defect) {
	var mp orb.MultiPolygon
	switch g := g.(type) {
	case nil:
		return nil, newDefect(ProblemGeometryType, "no geometry, want Polygon or MultiPolygon")
	case orb.Polygon:
		mp = orb.MultiPolygon{g}
	case orb.MultiPolygon:
		mp = g
	default:
		return nil, newDefect(ProblemGeometryType, "%s, want Polygon or MultiPolygon", g.GeoJSONType())
	}
	if len(mp) == 0 {
		return nil, newDefect(ProblemGeometryType, "empty MultiPolygon")
	}
	for pi, poly := range mp {
		if len(poly) == 0 {
			return nil, newDefect(ProblemGeometryType, "polygon %d has no rings", pi)
		}
		for ri, ring := range poly {
			if d := checkRing(ring); d != nil {
				d.detail = fmt.Sprintf("polygon %d ring %d: %s", pi, ri, d.detail)
				return nil, d
			}
		}
		if d := checkCrossings(poly); d != nil {
			d.detail = fmt.Sprintf("polygon %d: %s", pi, d.detail)
			return nil, d
		}
		if d := checkHoles(poly); d != nil {
			d.detail = fmt.Sprintf("polygon %d: %s", pi, d.detail)
			return nil, d
		}
	}
	return mp, checkParts(mp)
}

func checkRing(r orb.Ring) *defect {
	for i, p := range r {
		if !validPoint(p) {
			return newDefect(ProblemBadCoordinate, "point %d is %v", i, p)
		}
	}
	if len(r) < 4 {
		return newDefect(ProblemShortRing, "%d points", len(r))
	}
	if r[0] != r[len(r)-1] {
		return newDefect(ProblemUnclosedRing, "first point %v != last point %v", r[0], r[len(r)-1])
	}
	for i := 1; i < len(r); i++ {
		if r[i] == r[i-1] {
			return newDefect(ProblemRepeatedPoint, "points %d and %d are both %v", i-1, i, r[i])
		}
	}
	return nil
}

// checkHoles tests each hole's first point; after checkCrossings no ring
// touches another, so that point is strictly inside or outside.
func checkHoles(poly orb.Polygon) *defect {
	shell := newArea(orb.MultiPolygon{{poly[0]}})
	for hi, hole := range poly[1:] {
		p := hole[0]
		if !shell.contains(p) {
			return newDefect(ProblemHoleOutside, "ring %d (a hole) at %v is outside the shell", hi+1, p)
		}
		for oi, other := range poly[1:] {
			if a := newArea(orb.MultiPolygon{{other}}); oi != hi && a.contains(p) {
				return newDefect(ProblemHoleOutside, "ring %d (a hole) at %v is inside ring %d", hi+1, p, oi+1)
			}
		}
	}
	return nil
}

func checkParts(mp orb.MultiPolygon) *defect {
	for i, a := range mp {
		for j, b := range mp {
			if other := newArea(orb.MultiPolygon{b}); i != j && other.contains(a[0][0]) {
				return newDefect(ProblemPartsOverlap, "polygon %d at %v is inside polygon %d", i, a[0][0], j)
			}
		}
	}
	return nil
}

// orient is the cross product (b-a)×(c-a): > 0 if a, b, c turn left.
func orient(a, b, c orb.Point) float64 {
	return (b[0]-a[0])*(c[1]-a[1]) - (b[1]-a[1])*(c[0]-a[0])
}

// onSegment reports whether p, collinear with a and b, lies between them.
func onSegment(a, b, p orb.Point) bool {
	return min(a[0], b[0]) <= p[0] && p[0] <= max(a[0], b[0]) &&
		min(a[1], b[1]) <= p[1] && p[1] <= max(a[1], b[1])
}

// segmentsMeet reports whether the closed segments ab and cd share a point.
func segmentsMeet(a, b, c, d orb.Point) bool {
	d1, d2 := orient(c, d, a), orient(c, d, b)
	d3, d4 := orient(a, b, c), orient(a, b, d)
	if ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0)) {
		return true
	}
	return (d1 == 0 && onSegment(c, d, a)) || (d2 == 0 && onSegment(c, d, b)) ||
		(d3 == 0 && onSegment(a, b, c)) || (d4 == 0 && onSegment(a, b, d))
}

// foldsBack reports whether consecutive edges a→v and v→b overlap beyond v.
func foldsBack(a, v, b orb.Point) bool {
	return orient(a, v, b) == 0 && (a[0]-v[0])*(b[0]-v[0])+(a[1]-v[1])*(b[1]-v[1]) > 0
}
