package geogen

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// Camera weights per grid type: every grid gets a share of the cameras in
// proportion, so the small core grids make the core denser per km².
var cameraWeight = map[GridType]float64{GridUrban: 1.35, GridSpecial: 2.5, GridRural: 0.6}

// cameraMargin is how far, in metres, a camera keeps from its grid's edge,
// so it stays strictly inside after rounding to 1e-6°.
const cameraMargin = 8.0

// cameras places cfg.Cameras cameras, allotted to grids by weight with the
// largest-remainder method so the total is exact.
func (b *builder) cameras(progress Progress) []Camera {
	r := newRNG(b.cfg.Seed, streamCameras)
	w := make([]float64, len(b.grids))
	total := 0.0
	for i, g := range b.grids {
		w[i] = cameraWeight[g.Type]
		total += w[i]
	}
	count := make([]int, len(b.grids))
	rem := make([]float64, len(b.grids))
	left := b.cfg.Cameras
	for i := range w {
		exact := float64(b.cfg.Cameras) * w[i] / total
		count[i] = int(exact)
		rem[i] = exact - float64(count[i])
		left -= count[i]
	}
	order := make([]int, len(w))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(x, y int) int {
		switch {
		case rem[x] > rem[y]:
			return -1
		case rem[x] < rem[y]:
			return 1
		}
		return 0
	})
	for _, i := range order[:left] {
		count[i]++
	}
	var out []Camera
	for i, g := range b.grids {
		polys := b.cells[b.gridCell[i]].polys
		for k := 0; k < count[i]; k++ {
			out = append(out, Camera{
				ID:         fmt.Sprintf("CAM-%06d", len(out)+1),
				Name:       cameraName(r, g),
				GridID:     g.ID,
				StreetCode: g.StreetCode,
				Location:   b.interiorPoint(r, polys, g.Geometry),
			})
		}
		if (i+1)%500 == 0 || i+1 == len(b.grids) {
			progress("placing cameras", i+1, len(b.grids))
		}
	}
	return out
}

// interiorPoint draws random points in the grid until one lies inside it,
// at least cameraMargin from every edge, and still inside once rounded.
func (b *builder) interiorPoint(r *rng, polys []polygon, geom orb.Geometry) orb.Point {
	m := b.t.m
	bound := orb.Bound{Min: m.pts[polys[0][0][0]], Max: m.pts[polys[0][0][0]]}
	for _, v := range polys[0][0] {
		bound = bound.Extend(m.pts[v])
	}
	margin := cameraMargin
	for try := 1; ; try++ {
		if try%500 == 0 {
			margin /= 2 // a very thin grid; cannot happen above 0.02 km²
		}
		p := orb.Point{bound.Min[0] + r.float64()*(bound.Max[0]-bound.Min[0]),
			bound.Min[1] + r.float64()*(bound.Max[1]-bound.Min[1])}
		if !inPolygon(m, polys[0], p) || edgeDistance(m, polys[0], p) < margin {
			continue
		}
		ll := b.pr.inverse(p)
		if containsStrictly(geom, ll) {
			return ll
		}
	}
}

func inPolygon(m *mesh, p polygon, pt orb.Point) bool {
	if !inRing(m.coords(p[0]), pt) {
		return false
	}
	for _, h := range p[1:] {
		if inRing(m.coords(h), pt) {
			return false
		}
	}
	return true
}

func edgeDistance(m *mesh, p polygon, pt orb.Point) float64 {
	d := math.Inf(1)
	for _, r := range p {
		for i, v := range r {
			d = math.Min(d, segDist(pt, m.pts[v], m.pts[r[(i+1)%len(r)]]))
		}
	}
	return d
}

// containsStrictly reports whether a lon/lat point is inside the geometry and
// on none of its edges.
func containsStrictly(g orb.Geometry, p orb.Point) bool {
	switch g := g.(type) {
	case orb.Polygon:
		return planar.PolygonContains(g, p) && !onBoundary(g, p)
	case orb.MultiPolygon:
		return planar.MultiPolygonContains(g, p) && !onBoundary(g[0], p)
	}
	return false
}

func onBoundary(p orb.Polygon, pt orb.Point) bool {
	for _, r := range p {
		for i := 0; i+1 < len(r); i++ {
			if segDist(pt, r[i], r[i+1]) == 0 {
				return true
			}
		}
	}
	return false
}

// cameraName names a camera after a crossroads in town ("七一路与交通路口 3号")
// or a village landmark in the countryside ("王庄村口 2号").
func cameraName(r *rng, g Grid) string {
	n := 1 + r.intn(6)
	if g.Type == GridRural {
		v := strings.TrimSuffix(g.CommunityName, "村")
		if r.intn(2) == 0 {
			return fmt.Sprintf("%s村口 %d号", v, n)
		}
		return fmt.Sprintf("%s村委会 %d号", v, n)
	}
	a := pick(r, roads)
	c := pick(r, roads)
	for c == a {
		c = pick(r, roads)
	}
	return fmt.Sprintf("%s与%s口 %d号", a, c, n)
}

// workers makes the grid-worker directory: one synthetic worker per grid,
// with distinct phone numbers.
func workers(grids []Grid, r *rng) []Worker {
	used := map[string]bool{}
	out := make([]Worker, len(grids))
	for i, g := range grids {
		p := phone(r)
		for used[p] {
			p = phone(r)
		}
		used[p] = true
		out[i] = Worker{GridID: g.ID, Name: personName(r), Phone: p}
	}
	return out
}
