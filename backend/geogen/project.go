package geogen

import (
	"math"

	"github.com/paulmach/orb"
)

// projection maps WGS84 lon/lat to local metres with the equirectangular
// formula of GRIDS.md §4: x = (lon−lon0)·111320·cos(lat0), y = (lat−lat0)·110574.
// Over a 30 km district the scale error stays below 0.5%, which is harmless
// for shaping cells; reported areas use AreaKm2 on the ellipsoid instead.
type projection struct {
	lon0, lat0 float64
	kx, ky     float64 // metres per degree
}

// newProjection centres the projection on the middle of a bounding box.
func newProjection(b orb.Bound) projection {
	c := b.Center()
	return projection{
		lon0: c[0], lat0: c[1],
		kx: 111320 * math.Cos(c[1]*math.Pi/180),
		ky: 110574,
	}
}

// forward maps lon/lat to metres.
func (p projection) forward(ll orb.Point) orb.Point {
	return orb.Point{(ll[0] - p.lon0) * p.kx, (ll[1] - p.lat0) * p.ky}
}

// inverse maps metres to lon/lat, rounded to the 6 decimals the files carry
// (about 0.1 m). Rounding happens here, once per vertex, so every polygon that
// uses a vertex gets bit-identical coordinates.
func (p projection) inverse(xy orb.Point) orb.Point {
	return orb.Point{round6(xy[0]/p.kx + p.lon0), round6(xy[1]/p.ky + p.lat0)}
}

// round6 rounds a coordinate to 1e-6 degree.
func round6(v float64) float64 { return math.Round(v*1e6) / 1e6 }

// WGS84 ellipsoid.
const (
	wgsA  = 6378137.0
	wgsF  = 1 / 298.257223563
	wgsE2 = wgsF * (2 - wgsF)
)

// AreaKm2 returns the area of a lon/lat Polygon or MultiPolygon in km², holes
// subtracted. It projects each vertex with the ellipsoidal Lambert cylindrical
// equal-area projection (x = a·λ, y = a·q(φ)/2), which preserves area exactly,
// and sums shoelace areas; edges are straight in lon/lat as RFC 7946 reads them.
// Any other geometry type has area 0.
func AreaKm2(g orb.Geometry) float64 {
	switch g := g.(type) {
	case orb.Polygon:
		return polygonAreaM2(g) / 1e6
	case orb.MultiPolygon:
		s := 0.0
		for _, p := range g {
			s += polygonAreaM2(p)
		}
		return s / 1e6
	}
	return 0
}

func polygonAreaM2(p orb.Polygon) float64 {
	s := 0.0
	for i, r := range p {
		a := math.Abs(ringAreaM2(r))
		if i > 0 {
			a = -a
		}
		s += a
	}
	return s
}

// ringAreaM2 returns the signed area in m² of a closed lon/lat ring, positive
// when counter-clockwise.
func ringAreaM2(r orb.Ring) float64 {
	pts := make([]orb.Point, len(r))
	for i, ll := range r {
		pts[i] = equalArea(ll)
	}
	return signedArea(pts)
}

// equalArea projects lon/lat to the ellipsoidal cylindrical equal-area plane.
func equalArea(ll orb.Point) orb.Point {
	return orb.Point{wgsA * ll[0] * math.Pi / 180, wgsA * authalicQ(ll[1]*math.Pi/180) / 2}
}

// authalicQ is q(φ) of Snyder, Map Projections (1987), eq. 3-12.
func authalicQ(phi float64) float64 {
	e := math.Sqrt(wgsE2)
	s := math.Sin(phi)
	return (1 - wgsE2) * (s/(1-wgsE2*s*s) - math.Log((1-e*s)/(1+e*s))/(2*e))
}
