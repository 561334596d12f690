package geogen

import (
	"math"

	"github.com/paulmach/orb"
)

// Plane helpers. Rings here are open: the closing vertex is not repeated,
// unlike the closed orb.Ring of the files.

// cross returns (a−o)×(b−o): positive when o→a→b turns left.
func cross(o, a, b orb.Point) float64 {
	return (a[0]-o[0])*(b[1]-o[1]) - (a[1]-o[1])*(b[0]-o[0])
}

// dist returns the Euclidean distance between two points.
func dist(a, b orb.Point) float64 { return math.Hypot(a[0]-b[0], a[1]-b[1]) }

// signedArea returns the shoelace area of an open ring, positive when the
// ring is counter-clockwise. Coordinates are taken relative to the first
// vertex so large offsets do not cost precision.
func signedArea(ring []orb.Point) float64 {
	if len(ring) < 3 {
		return 0
	}
	o := ring[0]
	s := 0.0
	for i := 1; i+1 < len(ring); i++ {
		s += cross(o, ring[i], ring[i+1])
	}
	return s / 2
}

// perimeter returns the length of an open ring, closing edge included.
func perimeter(ring []orb.Point) float64 {
	p := 0.0
	for i := range ring {
		p += dist(ring[i], ring[(i+1)%len(ring)])
	}
	return p
}

// centroid returns the area centroid of an open ring.
func centroid(ring []orb.Point) orb.Point {
	o := ring[0]
	var cx, cy, a float64
	for i := 1; i+1 < len(ring); i++ {
		w := cross(o, ring[i], ring[i+1])
		cx += w * (ring[i][0] + ring[i+1][0] - 2*o[0])
		cy += w * (ring[i][1] + ring[i+1][1] - 2*o[1])
		a += w
	}
	if a == 0 {
		return o
	}
	return orb.Point{o[0] + cx/(3*a), o[1] + cy/(3*a)}
}

// inRing reports whether p lies inside an open ring (even–odd rule). Points
// exactly on an edge may go either way; callers avoid relying on them.
func inRing(ring []orb.Point, p orb.Point) bool {
	in := false
	j := len(ring) - 1
	for i := range ring {
		a, b := ring[i], ring[j]
		if (a[1] > p[1]) != (b[1] > p[1]) &&
			p[0] < a[0]+(p[1]-a[1])*(b[0]-a[0])/(b[1]-a[1]) {
			in = !in
		}
		j = i
	}
	return in
}

// segDist returns the distance from p to the segment a–b.
func segDist(p, a, b orb.Point) float64 {
	dx, dy := b[0]-a[0], b[1]-a[1]
	l2 := dx*dx + dy*dy
	t := 0.0
	if l2 > 0 {
		t = math.Max(0, math.Min(1, ((p[0]-a[0])*dx+(p[1]-a[1])*dy)/l2))
	}
	return math.Hypot(p[0]-a[0]-t*dx, p[1]-a[1]-t*dy)
}

// bandIndex answers point-in-polygon queries against one large ring quickly:
// the ring's edges are bucketed by horizontal band so a query scans only
// the edges whose y-range meets its band.
type bandIndex struct {
	ring       []orb.Point
	minY, step float64
	bands      [][]int32 // edge indices per band
}

// newBandIndex builds the index with the given number of bands.
func newBandIndex(ring []orb.Point, nbands int) *bandIndex {
	b := orb.Bound{Min: ring[0], Max: ring[0]}
	for _, p := range ring {
		b = b.Extend(p)
	}
	ix := &bandIndex{ring: ring, minY: b.Min[1], step: (b.Max[1] - b.Min[1]) / float64(nbands),
		bands: make([][]int32, nbands)}
	for i := range ring {
		a, c := ring[i], ring[(i+1)%len(ring)]
		lo, hi := ix.band(math.Min(a[1], c[1])), ix.band(math.Max(a[1], c[1]))
		for k := lo; k <= hi; k++ {
			ix.bands[k] = append(ix.bands[k], int32(i))
		}
	}
	return ix
}

func (ix *bandIndex) band(y float64) int {
	k := int((y - ix.minY) / ix.step)
	return max(0, min(len(ix.bands)-1, k))
}

// contains reports whether p lies inside the ring (even–odd rule).
func (ix *bandIndex) contains(p orb.Point) bool {
	if p[1] < ix.minY || p[1] > ix.minY+ix.step*float64(len(ix.bands)) {
		return false
	}
	in := false
	for _, e := range ix.bands[ix.band(p[1])] {
		a, b := ix.ring[e], ix.ring[(int(e)+1)%len(ix.ring)]
		if (a[1] > p[1]) != (b[1] > p[1]) &&
			p[0] < a[0]+(p[1]-a[1])*(b[0]-a[0])/(b[1]-a[1]) {
			in = !in
		}
	}
	return in
}
