// Package geogen generates the district's synthetic administrative layers —
// streets (街道), communities and villages (社区/村), grids (网格), 雪亮
// cameras and the grid-worker directory — from the real district outline and
// the list of real street names and codes. The output is deterministic: the
// same inputs and seed give byte-identical files.
//
// The method follows GRIDS.md §4: project the outline to local metres, sample
// a density surface that stands in for population, run a weighted centroidal
// Voronoi (Lloyd) iteration for the grid generators, build their Voronoi
// cells from a Delaunay triangulation and clip them to the outline, then
// group the cells bottom-up into contiguous streets and, inside each street,
// communities. Unions are dissolves over one shared vertex mesh, so the
// nesting is exact. The package does no I/O; callers pass bytes in and get
// bytes out, and hear about progress through a callback.
package geogen

import (
	"fmt"

	"github.com/paulmach/orb"
)

// Progress receives progress reports: a step name and how far it has got,
// e.g. ("CVT iteration", 7, 25). It may be nil.
type Progress func(step string, done, total int)

// Input is what the generator reads.
type Input struct {
	// Outline is the district boundary in WGS84 lon/lat: one closed ring,
	// without holes.
	Outline orb.Ring
	// Streets are the district's streets (街道); the files list them by code.
	Streets []StreetSpec
}

// StreetSpec is a real street's code and name.
type StreetSpec struct {
	Code string // statistical division code, e.g. "411602002"
	Name string // e.g. "七一路街道"
}

// Generate builds the whole dataset. It fails when an invariant of the
// tiling cannot be met (for example a degenerate seed), never silently.
func Generate(in Input, cfg Config, progress Progress) (*Dataset, error) {
	if progress == nil {
		progress = func(string, int, int) {}
	}
	if err := cfg.validate(in); err != nil {
		return nil, err
	}
	outline := openRing(in.Outline)
	pr := newProjection(in.Outline.Bound())
	proj := make([]orb.Point, len(outline))
	pb := orb.Bound{Min: pr.forward(outline[0]), Max: pr.forward(outline[0])}
	for i, ll := range outline {
		proj[i] = pr.forward(ll)
		pb = pb.Extend(proj[i])
	}

	// 1–3: density samples and the centroidal Voronoi generators.
	den := newDensity(cfg, pr)
	inside := newBandIndex(proj, 256)
	samples := den.sample(inside, pb, cfg.Samples, den.power, newRNG(cfg.Seed, streamSamples))
	progress("density samples", len(samples), cfg.Samples)
	start := stratify(den.sample(inside, pb, 20*cfg.Grids, den.power/2, newRNG(cfg.Seed, streamCVT)), cfg.Grids, pb)
	gens := lloyd(samples, start, cfg.Iterations, progress)

	// 4: cells clipped to the outline.
	t, err := buildTiling(outline, pr, gens, progress)
	if err != nil {
		return nil, err
	}
	cells, err := t.cells(len(gens))
	if err != nil {
		return nil, err
	}
	adj := t.adjacency(len(gens))

	// 5: streets, then communities inside each street, bottom-up.
	anchors := make([]orb.Point, len(in.Streets))
	seat := pr.forward(cfg.Seat)
	for i, s := range in.Streets {
		a := cfg.Anchors[s.Code]
		anchors[i] = orb.Point{seat[0] + 1000*a[0], seat[1] + 1000*a[1]}
	}
	street, err := clusterStreets(cells, adj, anchors, den, cfg.StreetWeightPower)
	if err != nil {
		return nil, err
	}
	progress("streets", len(in.Streets), len(in.Streets))
	// 6 and the rest: ids, names, unions, cameras, workers.
	b := &builder{cfg: cfg, in: in, pr: pr, t: t, cells: cells, adj: adj, street: street}
	return b.build(progress)
}

// openRing drops the closing vertex of a closed ring and makes it
// counter-clockwise.
func openRing(r orb.Ring) []orb.Point {
	pts := append([]orb.Point(nil), r...)
	if len(pts) > 1 && pts[0] == pts[len(pts)-1] {
		pts = pts[:len(pts)-1]
	}
	if signedArea(pts) < 0 {
		for i, j := 0, len(pts)-1; i < j; i, j = i+1, j-1 {
			pts[i], pts[j] = pts[j], pts[i]
		}
	}
	return pts
}

func (cfg Config) validate(in Input) error {
	if len(in.Outline) < 4 {
		return fmt.Errorf("geogen: the outline has %d vertices", len(in.Outline))
	}
	if len(in.Streets) == 0 {
		return fmt.Errorf("geogen: no streets")
	}
	for _, s := range in.Streets {
		if _, ok := cfg.Anchors[s.Code]; !ok {
			return fmt.Errorf("geogen: street %s (%s) has no placement anchor", s.Code, s.Name)
		}
	}
	if cfg.Grids < 4*len(in.Streets) || cfg.Samples < 20*cfg.Grids {
		return fmt.Errorf("geogen: %d grids and %d samples are too few", cfg.Grids, cfg.Samples)
	}
	return nil
}
