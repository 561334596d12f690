package geogen

import (
	"fmt"
	"math"

	"github.com/paulmach/orb"
)

// triangulation is a Delaunay triangulation; every triangle is stored
// counter-clockwise as three point indices.
type triangulation struct {
	pts  []orb.Point
	tris [][3]int32
}

// delaunay triangulates pts plus four far-away dummy corners, which become
// the convex hull so every real point is interior and every real Voronoi cell
// is bounded (GRIDS.md §4 step 4). The dummies get indices len(pts)..+3.
//
// It is Bowyer–Watson with a linear scan for the triangles whose circumcircle
// holds the new point: O(n²), a few milliseconds at n = 1563, and simpler to
// trust than a point-location walk. The corners are slightly irregular so no
// four of them are cocircular.
func delaunay(pts []orb.Point) (*triangulation, error) {
	b := orb.Bound{Min: pts[0], Max: pts[0]}
	for _, p := range pts {
		b = b.Extend(p)
	}
	c := b.Center()
	r := 10 * math.Max(b.Max[0]-b.Min[0], b.Max[1]-b.Min[1])
	all := append(append([]orb.Point(nil), pts...),
		orb.Point{c[0] - r, c[1] - 0.93*r}, orb.Point{c[0] + 1.07*r, c[1] - r},
		orb.Point{c[0] + r, c[1] + 1.04*r}, orb.Point{c[0] - 0.96*r, c[1] + r})
	n := int32(len(pts))
	t := &triangulation{pts: all, tris: [][3]int32{{n, n + 1, n + 2}, {n, n + 2, n + 3}}}

	var bad []int
	var edges [][2]int32
	for i := range pts {
		p := all[i]
		bad = bad[:0]
		for ti, tr := range t.tris {
			if inCircle(all[tr[0]], all[tr[1]], all[tr[2]], p) {
				bad = append(bad, ti)
			}
		}
		if len(bad) == 0 {
			return nil, fmt.Errorf("delaunay: point %d lies in no circumcircle", i)
		}
		// The cavity's boundary: edges of bad triangles whose twin is not bad.
		edges = edges[:0]
		for _, ti := range bad {
			tr := t.tris[ti]
			for k := 0; k < 3; k++ {
				edges = append(edges, [2]int32{tr[k], tr[(k+1)%3]})
			}
		}
		next := t.tris[:0:0]
		isBad := make(map[int]bool, len(bad))
		for _, ti := range bad {
			isBad[ti] = true
		}
		for ti, tr := range t.tris {
			if !isBad[ti] {
				next = append(next, tr)
			}
		}
		for _, e := range edges {
			if hasEdge(edges, e[1], e[0]) {
				continue
			}
			if cross(all[e[0]], all[e[1]], p) <= 0 {
				return nil, fmt.Errorf("delaunay: cavity of point %d is not star-shaped", i)
			}
			next = append(next, [3]int32{e[0], e[1], int32(i)})
		}
		t.tris = next
	}
	if want := 2*len(all) - 4 - 2; len(t.tris) != want {
		return nil, fmt.Errorf("delaunay: %d triangles, want %d", len(t.tris), want)
	}
	return t, nil
}

func hasEdge(edges [][2]int32, a, b int32) bool {
	for _, e := range edges {
		if e[0] == a && e[1] == b {
			return true
		}
	}
	return false
}

// inCircle reports whether d lies strictly inside the circumcircle of the
// counter-clockwise triangle a, b, c.
func inCircle(a, b, c, d orb.Point) bool {
	adx, ady := a[0]-d[0], a[1]-d[1]
	bdx, bdy := b[0]-d[0], b[1]-d[1]
	cdx, cdy := c[0]-d[0], c[1]-d[1]
	det := (adx*adx+ady*ady)*(bdx*cdy-cdx*bdy) +
		(bdx*bdx+bdy*bdy)*(cdx*ady-adx*cdy) +
		(cdx*cdx+cdy*cdy)*(adx*bdy-bdx*ady)
	return det > 0
}

// circumcentre returns the centre of the circle through a, b and c.
func circumcentre(a, b, c orb.Point) orb.Point {
	bx, by := b[0]-a[0], b[1]-a[1]
	cx, cy := c[0]-a[0], c[1]-a[1]
	d := 2 * (bx*cy - by*cx)
	ux := (cy*(bx*bx+by*by) - by*(cx*cx+cy*cy)) / d
	uy := (bx*(cx*cx+cy*cy) - cx*(bx*bx+by*by)) / d
	return orb.Point{a[0] + ux, a[1] + uy}
}
