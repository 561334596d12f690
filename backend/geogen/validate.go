package geogen

import (
	"errors"
	"fmt"

	"github.com/paulmach/orb"
)

// CheckGeometry reports the first way a lon/lat Polygon or MultiPolygon
// breaks RFC 7946 as the files use it: every ring closed with at least four
// positions, no repeated consecutive positions, no self-intersection,
// exteriors counter-clockwise and holes clockwise, holes inside their
// exterior. Other geometry types are an error. It checks rings one by one:
// it does not look for two rings crossing each other.
func CheckGeometry(g orb.Geometry) error {
	switch g := g.(type) {
	case orb.Polygon:
		return checkPolygon(g)
	case orb.MultiPolygon:
		if len(g) == 0 {
			return errors.New("empty MultiPolygon")
		}
		for i, p := range g {
			if err := checkPolygon(p); err != nil {
				return fmt.Errorf("part %d: %w", i, err)
			}
		}
		return nil
	}
	return fmt.Errorf("geometry is %T, want a polygon", g)
}

func checkPolygon(p orb.Polygon) error {
	if len(p) == 0 {
		return errors.New("polygon without rings")
	}
	for i, r := range p {
		if err := CheckRing(r, i == 0); err != nil {
			return fmt.Errorf("ring %d: %w", i, err)
		}
		if i > 0 && !holeInside(p[0], r) {
			return fmt.Errorf("ring %d: hole outside its exterior", i)
		}
	}
	return nil
}

// holeInside reports whether some vertex of the hole lies inside the
// exterior; a hole may touch its exterior, so one vertex alone could be on it.
func holeInside(ext, hole orb.Ring) bool {
	for _, v := range hole {
		if inRing(ext[:len(ext)-1], v) {
			return true
		}
	}
	return false
}

// CheckRing checks one closed lon/lat ring; exterior selects the expected
// orientation (counter-clockwise) over a hole's (clockwise).
func CheckRing(r orb.Ring, exterior bool) error {
	n := len(r) - 1 // distinct positions
	switch {
	case len(r) < 4:
		return fmt.Errorf("%d positions, want at least 4", len(r))
	case r[0] != r[n]:
		return errors.New("not closed")
	}
	for i := 0; i < n; i++ {
		if r[i] == r[i+1] {
			return fmt.Errorf("position %d repeats", i+1)
		}
	}
	if ccw := signedArea(r[:n]) > 0; ccw != exterior {
		return fmt.Errorf("wrong orientation (exterior %v)", exterior)
	}
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			adjacent := j == i+1 || (i == 0 && j == n-1)
			if segmentsMeet(r[i], r[i+1], r[j], r[j+1], adjacent) {
				return fmt.Errorf("edges %d and %d intersect", i, j)
			}
		}
	}
	return nil
}

// segmentsMeet reports whether segments a–b and c–d share a point. For
// adjacent segments, which share an endpoint by construction, it reports
// whether they overlap beyond it (a fold back along the same line).
func segmentsMeet(a, b, c, d orb.Point, adjacent bool) bool {
	d1, d2 := cross(a, b, c), cross(a, b, d)
	d3, d4 := cross(c, d, a), cross(c, d, b)
	if adjacent {
		// The shared point is b == c or a == d; a fold means the other
		// endpoints are collinear and on the same side of it.
		if b == c {
			return d2 == 0 && dot(a, b, d) > 0
		}
		return d1 == 0 && dot(b, a, c) > 0
	}
	if ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0)) {
		return true
	}
	return (d1 == 0 && onSegment(a, b, c)) || (d2 == 0 && onSegment(a, b, d)) ||
		(d3 == 0 && onSegment(c, d, a)) || (d4 == 0 && onSegment(c, d, b))
}

// dot returns (a−o)·(b−o).
func dot(a, o, b orb.Point) float64 {
	return (a[0]-o[0])*(b[0]-o[0]) + (a[1]-o[1])*(b[1]-o[1])
}

// onSegment reports whether p, collinear with a–b, lies within its box.
func onSegment(a, b, p orb.Point) bool {
	return min(a[0], b[0]) <= p[0] && p[0] <= max(a[0], b[0]) &&
		min(a[1], b[1]) <= p[1] && p[1] <= max(a[1], b[1])
}
