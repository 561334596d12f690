package geogen

import (
	"math"

	"github.com/paulmach/orb"
)

// Bump is one Gaussian lobe of the density surface that stands in for
// population: amplitude Amp at Center, falling off with SigmaM metres.
type Bump struct {
	Center orb.Point // lon/lat
	Amp    float64
	SigmaM float64
}

// density is ρ(x,y) = floor + Σ amp·exp(−d²/2σ²) in projected metres.
type density struct {
	floor float64
	bumps []bump
	power float64 // the CVT samples ρ^power, see Config.DensityPower
}

type bump struct {
	c          orb.Point
	amp, inv2s float64
}

func newDensity(cfg Config, pr projection) density {
	d := density{floor: 1, power: cfg.DensityPower}
	for _, b := range cfg.Bumps {
		d.bumps = append(d.bumps, bump{c: pr.forward(b.Center), amp: b.Amp, inv2s: 1 / (2 * b.SigmaM * b.SigmaM)})
	}
	return d
}

// at returns ρ at a projected point.
func (d density) at(p orb.Point) float64 {
	v := d.floor
	for _, b := range d.bumps {
		dx, dy := p[0]-b.c[0], p[1]-b.c[1]
		v += b.amp * math.Exp(-(dx*dx+dy*dy)*b.inv2s)
	}
	return v
}

// sample draws n points inside the outline with probability ∝ ρ^power, by
// rejection from the outline's bounding box.
//
// Lloyd's method spaces generators with a point density ∝ w^(1/2) for
// sample weight w (Gersho's law in the plane), so sampling ρ² gives cells of
// about equal ρ-mass, as GRIDS.md intends; starting the centres from ρ^1
// puts them near that final spacing, which 30 iterations could not reach
// from a start that follows ρ² itself.
func (d density) sample(outline *bandIndex, bound orb.Bound, n int, power float64, r *rng) []orb.Point {
	pts := make([]orb.Point, 0, n)
	v := d.floor
	for _, b := range d.bumps {
		v += b.amp
	}
	wmax := math.Pow(v, power)
	w, h := bound.Max[0]-bound.Min[0], bound.Max[1]-bound.Min[1]
	for len(pts) < n {
		p := orb.Point{bound.Min[0] + r.float64()*w, bound.Min[1] + r.float64()*h}
		// Draw the acceptance number before the tests so the stream does not
		// depend on which test fails first.
		u := r.float64() * wmax
		if u < math.Pow(d.at(p), power) && outline.contains(p) {
			pts = append(pts, p)
		}
	}
	return pts
}
