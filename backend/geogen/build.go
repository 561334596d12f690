package geogen

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// builder turns the tiling and the street labels into the dataset: ids,
// communities, names, special grids, unions, cameras and workers.
type builder struct {
	cfg    Config
	in     Input
	pr     projection
	t      *tiling
	cells  []cellInfo
	adj    [][]nbr
	street []int // street index (into in.Streets) per cell

	grids     []Grid
	gridCell  []int   // cell index of each grid
	commCells [][]int // cell indices of each community
}

// build makes the dataset street by street in code order, so ids and names
// follow the codes rather than the input's row order.
func (b *builder) build(progress Progress) (*Dataset, error) {
	ds := &Dataset{District: District{DistrictInfo: b.cfg.District, Outline: orb.Polygon{closeRing(openRing(b.in.Outline))}}}
	bound := orb.Bound{Min: b.cells[0].centre, Max: b.cells[0].centre}
	for _, c := range b.cells {
		bound = bound.Extend(c.centre)
	}
	order := make([]int, len(b.in.Streets))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(x, y int) int { return cmp.Compare(b.in.Streets[x].Code, b.in.Streets[y].Code) })
	names := newNamer(newRNG(b.cfg.Seed, streamNames))
	for _, s := range order {
		spec := b.in.Streets[s]
		var members []int
		for i, l := range b.street {
			if l == s {
				members = append(members, i)
			}
		}
		hilbertSort(members, func(i int) orb.Point { return b.cells[i].centre }, bound)
		m := max(1, int(math.Round(float64(len(members))/float64(b.cfg.CommunitySize))))
		comms := b.communities(spec, members, m, names)
		ds.Communities = append(ds.Communities, comms...)
		geom, err := b.union(members)
		if err != nil {
			return nil, fmt.Errorf("street %s: %w", spec.Code, err)
		}
		ds.Streets = append(ds.Streets, Street{Code: spec.Code, Name: spec.Name, GridCount: len(members), Geometry: geom})
		progress("streets and communities", len(ds.Streets), len(order))
	}
	b.markSpecials()
	b.nameGrids()
	for i := range b.grids {
		g := &b.grids[i]
		g.Geometry = b.geometry(b.cells[b.gridCell[i]].polys)
		g.AreaKm2 = math.Round(AreaKm2(g.Geometry)*1000) / 1000
	}
	for i := range ds.Communities {
		geom, err := b.union(b.commCells[i])
		if err != nil {
			return nil, fmt.Errorf("community %s: %w", ds.Communities[i].ID, err)
		}
		ds.Communities[i].Geometry = geom
	}
	ds.Grids = b.grids
	if err := checkLayers(ds); err != nil {
		return nil, err
	}
	ds.Cameras = b.cameras(progress)
	ds.Workers = workers(b.grids, newRNG(b.cfg.Seed, streamWorkers))
	return ds, nil
}

// communities splits one street's grids (in Hilbert order) into m
// communities, numbers them in the order their first grid appears, names
// them, and appends the street's grids, not yet named, to b.grids.
func (b *builder) communities(spec StreetSpec, members []int, m int, names *namer) []Community {
	label := growCommunities(members, b.cells, b.adj, m)
	renum := map[int]int{}
	for _, l := range label {
		if _, ok := renum[l]; !ok {
			renum[l] = len(renum)
		}
	}
	groups := make([][]int, len(renum)) // member positions per community
	for k, l := range label {
		groups[renum[l]] = append(groups[renum[l]], k)
	}
	comms := make([]Community, len(groups))
	commOf := make([]int, len(members))
	for c, grp := range groups {
		area := 0.0
		cellIdx := make([]int, len(grp))
		for i, k := range grp {
			cellIdx[i] = members[k]
			area += b.cells[members[k]].area
			commOf[k] = c
		}
		kind, name := KindCommunity, ""
		if area/float64(len(grp))/1e6 < b.cfg.UrbanMaxGridKm2 {
			name = names.community()
		} else {
			kind, name = KindVillage, names.village()
		}
		comms[c] = Community{ID: fmt.Sprintf("%s-C%02d", spec.Code, c+1), Name: name, Kind: kind,
			StreetCode: spec.Code, StreetName: spec.Name}
		b.commCells = append(b.commCells, cellIdx)
	}
	for k, cell := range members {
		c := comms[commOf[k]]
		typ := GridUrban
		if c.Kind == KindVillage {
			typ = GridRural
		}
		b.grids = append(b.grids, Grid{
			ID:   fmt.Sprintf("%s-%03d", spec.Code, k+1),
			Type: typ, CommunityID: c.ID, CommunityName: c.Name,
			StreetCode: spec.Code, StreetName: spec.Name,
		})
		b.gridCell = append(b.gridCell, cell)
	}
	return comms
}

// markSpecials turns some urban grids into special-purpose grids, picked at
// random but at least specialGap metres apart so they spread over the town.
func (b *builder) markSpecials() {
	const specialGap = 700.0
	r := newRNG(b.cfg.Seed, streamSpecials)
	places := append([]string(nil), specialPlaces...)
	shuffle(r, places)
	var cand []int
	for i, g := range b.grids {
		if g.Type == GridUrban {
			cand = append(cand, i)
		}
	}
	shuffle(r, cand)
	want := min(b.cfg.Specials, len(places))
	var chosen []orb.Point
	for gap := specialGap; len(chosen) < want && gap > 1; gap /= 2 {
		for _, i := range cand {
			if len(chosen) == want {
				break
			}
			g := &b.grids[i]
			p := b.cells[b.gridCell[i]].centre
			if g.Type != GridUrban || tooClose(p, chosen, gap) {
				continue
			}
			g.Type = GridSpecial
			g.Name = places[len(chosen)] + "专属网格"
			chosen = append(chosen, p)
		}
	}
}

// nameGrids names the grids that are not special after their community,
// numbered in id order: "建设社区第3网格".
func (b *builder) nameGrids() {
	seq := map[string]int{}
	for i := range b.grids {
		g := &b.grids[i]
		if g.Type != GridSpecial {
			seq[g.CommunityID]++
			g.Name = fmt.Sprintf("%s第%d网格", g.CommunityName, seq[g.CommunityID])
		}
	}
}

func tooClose(p orb.Point, pts []orb.Point, gap float64) bool {
	for _, q := range pts {
		if dist(p, q) < gap {
			return true
		}
	}
	return false
}

// union dissolves the faces of the given cells into lon/lat geometry.
func (b *builder) union(cellIdx []int) (orb.Geometry, error) {
	polys, err := dissolve(b.t.m, b.t.faceRings(b.cells, cellIdx))
	if err != nil {
		return nil, err
	}
	return b.geometry(polys), nil
}

// geometry converts polygons of vertex ids to a lon/lat Polygon, or a
// MultiPolygon when there are several parts.
func (b *builder) geometry(polys []polygon) orb.Geometry {
	mp := make(orb.MultiPolygon, len(polys))
	for i, p := range polys {
		for _, r := range p {
			mp[i] = append(mp[i], b.ring(r))
		}
	}
	if len(mp) == 1 {
		return mp[0]
	}
	return mp
}

// ring converts an open ring of vertex ids to a closed lon/lat ring.
func (b *builder) ring(r []int32) orb.Ring {
	out := make(orb.Ring, 0, len(r)+1)
	for _, v := range r {
		if math.IsNaN(b.t.m.ll[v][0]) {
			b.t.m.ll[v] = b.pr.inverse(b.t.m.pts[v])
		}
		out = append(out, b.t.m.ll[v])
	}
	return append(out, out[0])
}

// closeRing closes an open lon/lat ring.
func closeRing(pts []orb.Point) orb.Ring { return append(orb.Ring(pts), pts[0]) }

// checkLayers verifies every polygon the dataset will write; rounding to
// 1e-6° is the one step after the tiling checks that could break a ring.
func checkLayers(ds *Dataset) error {
	for _, s := range ds.Streets {
		if err := CheckGeometry(s.Geometry); err != nil {
			return fmt.Errorf("street %s: %w", s.Code, err)
		}
	}
	for _, c := range ds.Communities {
		if err := CheckGeometry(c.Geometry); err != nil {
			return fmt.Errorf("community %s: %w", c.ID, err)
		}
	}
	for _, g := range ds.Grids {
		if err := CheckGeometry(g.Geometry); err != nil {
			return fmt.Errorf("grid %s: %w", g.ID, err)
		}
	}
	return nil
}
