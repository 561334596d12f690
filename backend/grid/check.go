package grid

import (
	"math"

	"github.com/paulmach/orb/planar"
)

// CoverageTolerance is how far, as a fraction of the district's area, the
// sum of the grids' areas may differ from it. Gaps and overlaps larger than
// this are a ProblemCoverage; smaller gaps are answered "outside the
// district" by Locate.
const CoverageTolerance = 0.005

// checkAcross runs the checks that span files, after every file on its own
// is valid and the locator is built. It fills District.locations.
func (p *parser) checkAcross() {
	d := p.d
	for _, c := range p.communities {
		s, ok := d.streets[c.StreetCode]
		switch {
		case !ok:
			p.ps.add(FileCommunities, c.feature, c.ID, ProblemUnknownRef, "street_code %q is not in %s", c.StreetCode, FileStreets)
		case c.streetName != s.Name:
			p.ps.add(FileCommunities, c.feature, c.ID, ProblemNameMismatch, "street_name %q, but street %s is %q", c.streetName, s.Code, s.Name)
		}
	}
	district := newArea(d.Boundary)
	d.locations = make([]Location, len(d.Grids))
	for i, g := range p.grids { // in the order of d.Grids
		d.locations[i] = p.checkGrid(g, &district)
	}
	p.checkCoverage()
	for _, c := range p.cameras {
		g, ok := d.grids[c.GridID]
		if !ok {
			p.ps.add(FileCameras, c.feature, c.ID, ProblemUnknownRef, "grid_id %q is not in %s", c.GridID, FileGrids)
			continue
		}
		if at := d.index.locate(c.Point[0], c.Point[1]); at < 0 || d.Grids[at] != g {
			where := "outside the district"
			if at >= 0 {
				where = "in grid " + d.Grids[at].ID
			}
			p.ps.add(FileCameras, c.feature, c.ID, ProblemOutsideGrid, "%v is %s, not in grid %s", c.Point, where, g.ID)
		}
	}
}

// checkGrid checks one grid against its community, its street, the district
// and the other grids, and returns its location.
func (p *parser) checkGrid(g gridRow, district *area) Location {
	d := p.d
	fail := func(pr Problem, format string, args ...any) {
		p.ps.add(FileGrids, g.feature, g.ID, pr, format, args...)
	}
	c, ok := d.communities[g.CommunityID]
	if !ok {
		fail(ProblemUnknownRef, "community_id %q is not in %s", g.CommunityID, FileCommunities)
	}
	s, sok := d.streets[g.StreetCode]
	if !sok {
		fail(ProblemUnknownRef, "street_code %q is not in %s", g.StreetCode, FileStreets)
	}
	if ok {
		if g.communityName != c.Name {
			fail(ProblemNameMismatch, "community_name %q, but community %s is %q", g.communityName, c.ID, c.Name)
		}
		if g.StreetCode != c.StreetCode {
			fail(ProblemStreetMismatch, "street_code %q, but community %s is in street %q", g.StreetCode, c.ID, c.StreetCode)
		}
		if !c.area.contains(g.Label) {
			fail(ProblemOutsideCommunity, "label point %v is outside community %s", g.Label, c.ID)
		}
	}
	if sok {
		if g.streetName != s.Name {
			fail(ProblemNameMismatch, "street_name %q, but street %s is %q", g.streetName, s.Code, s.Name)
		}
		if !s.area.contains(g.Label) {
			fail(ProblemOutsideStreet, "label point %v is outside street %s", g.Label, s.Code)
		}
	}
	if !district.contains(g.Label) {
		fail(ProblemOutsideDistrict, "label point %v is outside the district boundary", g.Label)
	}
	for _, other := range d.Grids {
		if other != g.Grid && other.area.contains(g.Label) {
			fail(ProblemGridsOverlap, "label point %v is also inside grid %s", g.Label, other.ID)
			break
		}
	}
	return Location{Grid: g.Grid, Community: c, Street: s}
}

// checkCoverage compares the summed grid areas with the district's, both
// planar in square degrees.
func (p *parser) checkCoverage() {
	want := planar.Area(p.d.Boundary)
	var sum float64
	for _, g := range p.d.Grids {
		sum += planar.Area(g.Geometry)
	}
	if diff := (sum - want) / want; math.Abs(diff) > CoverageTolerance {
		p.ps.add(FileGrids, -1, "", ProblemCoverage, "the grids' areas sum to %.3g deg², the district's is %.3g deg² (%+.2f%%, tolerance ±%.2f%%)",
			sum, want, 100*diff, 100*CoverageTolerance)
	}
}
