package geogen

import (
	"fmt"
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// Stats are the measured figures of a dataset, as the README quotes them.
type Stats struct {
	Grids, Streets, Communities, Villages, Specials, Cameras int
	MultiPolygons                                            int     // grids in several parts
	DistrictKm2, GridSumKm2                                  float64 // areas
	AreaKm2                                                  Quantiles
	Compactness                                              Quantiles // 4πA/P²
	CompactShare                                             float64   // share of grids with compactness ≥ 0.5
	GridsPerStreet                                           Quantiles
	GridsPerCommunity                                        Quantiles
	Vertices                                                 int // in grids.geojson
}

// Quantiles summarise a distribution.
type Quantiles struct{ Min, P10, Median, P90, Max float64 }

func quantiles(v []float64) Quantiles {
	s := slices.Clone(v)
	slices.Sort(s)
	at := func(q float64) float64 { return s[int(math.Round(q*float64(len(s)-1)))] }
	return Quantiles{s[0], at(0.1), at(0.5), at(0.9), s[len(s)-1]}
}

// String renders the quantiles with three decimals.
func (q Quantiles) String() string {
	return fmt.Sprintf("min %.3f, p10 %.3f, median %.3f, p90 %.3f, max %.3f", q.Min, q.P10, q.Median, q.P90, q.Max)
}

// ComputeStats measures a dataset from its lon/lat geometry.
func ComputeStats(ds *Dataset) Stats {
	s := Stats{Grids: len(ds.Grids), Streets: len(ds.Streets), Communities: len(ds.Communities),
		Cameras: len(ds.Cameras), DistrictKm2: AreaKm2(ds.District.Outline)}
	var areas, comp, perStreet, perComm []float64
	commCount := map[string]int{}
	for _, g := range ds.Grids {
		a := AreaKm2(g.Geometry)
		c := Compactness(g.Geometry)
		s.GridSumKm2 += a
		areas = append(areas, a)
		comp = append(comp, c)
		if c >= 0.5 {
			s.CompactShare++
		}
		if _, ok := g.Geometry.(orb.MultiPolygon); ok {
			s.MultiPolygons++
		}
		if g.Type == GridSpecial {
			s.Specials++
		}
		commCount[g.CommunityID]++
		s.Vertices += countVertices(g.Geometry)
	}
	s.CompactShare /= float64(len(ds.Grids))
	for _, st := range ds.Streets {
		perStreet = append(perStreet, float64(st.GridCount))
	}
	for _, c := range ds.Communities {
		perComm = append(perComm, float64(commCount[c.ID]))
		if c.Kind == KindVillage {
			s.Villages++
		}
	}
	s.AreaKm2, s.Compactness = quantiles(areas), quantiles(comp)
	s.GridsPerStreet, s.GridsPerCommunity = quantiles(perStreet), quantiles(perComm)
	return s
}

// Lines renders the figures for a log or the README.
func (s Stats) Lines() []string {
	return []string{
		fmt.Sprintf("grids %d (%d MultiPolygon, %d special), streets %d, communities %d (%d villages), cameras %d",
			s.Grids, s.MultiPolygons, s.Specials, s.Streets, s.Communities, s.Villages, s.Cameras),
		fmt.Sprintf("district %.3f km², grids sum %.3f km² (%+.4f%%)", s.DistrictKm2, s.GridSumKm2,
			100*(s.GridSumKm2-s.DistrictKm2)/s.DistrictKm2),
		"grid area km²: " + s.AreaKm2.String(),
		"compactness 4πA/P²: " + s.Compactness.String() + fmt.Sprintf("; ≥0.5 for %.1f%%", 100*s.CompactShare),
		"grids per street: " + s.GridsPerStreet.String(),
		"grids per community: " + s.GridsPerCommunity.String(),
		fmt.Sprintf("grid vertices %d", s.Vertices),
	}
}

// Compactness returns 4πA/P² of a lon/lat Polygon or MultiPolygon: 1 for a
// disc, about 0.9 for a regular hexagon, towards 0 for slivers.
func Compactness(g orb.Geometry) float64 {
	p := PerimeterM(g)
	if p == 0 {
		return 0
	}
	return 4 * math.Pi * AreaKm2(g) * 1e6 / (p * p)
}

// PerimeterM returns the total length in metres of all rings of a lon/lat
// Polygon or MultiPolygon, using the ellipsoid's local radii per edge.
func PerimeterM(g orb.Geometry) float64 {
	var polys []orb.Polygon
	switch g := g.(type) {
	case orb.Polygon:
		polys = []orb.Polygon{g}
	case orb.MultiPolygon:
		polys = g
	}
	total := 0.0
	for _, p := range polys {
		for _, r := range p {
			for i := 0; i+1 < len(r); i++ {
				total += lengthM(r[i], r[i+1])
			}
		}
	}
	return total
}

// lengthM is the length of a short lon/lat segment in metres.
func lengthM(a, b orb.Point) float64 {
	phi := (a[1] + b[1]) / 2 * math.Pi / 180
	s := math.Sin(phi)
	w := math.Sqrt(1 - wgsE2*s*s)
	n, m := wgsA/w, wgsA*(1-wgsE2)/(w*w*w) // prime-vertical and meridional radii
	dx := (b[0] - a[0]) * math.Pi / 180 * n * math.Cos(phi)
	dy := (b[1] - a[1]) * math.Pi / 180 * m
	return math.Hypot(dx, dy)
}

func countVertices(g orb.Geometry) int {
	n := 0
	switch g := g.(type) {
	case orb.Polygon:
		for _, r := range g {
			n += len(r) - 1
		}
	case orb.MultiPolygon:
		for _, p := range g {
			n += countVertices(p)
		}
	}
	return n
}
