package grid

import (
	"cmp"
	"math"
	"slices"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/planar"
)

// parser reads the layers into a District, keeping per object what the
// checks across files need: the feature index and the names the feature
// repeats from the features it references.
type parser struct {
	ps          problems
	d           *District
	communities []communityRow
	grids       []gridRow
	cameras     []cameraRow
}

type communityRow struct {
	*Community
	feature    int
	streetName string
}

type gridRow struct {
	*Grid
	feature                   int
	communityName, streetName string
}

type cameraRow struct {
	*Camera
	feature int
}

// props reads the properties of one feature and reports its problems.
type props struct {
	ps      *problems
	file    string
	feature int
	id      string
	p       geojson.Properties
}

func (pr *props) fail(p Problem, format string, args ...any) {
	pr.ps.add(pr.file, pr.feature, pr.id, p, format, args...)
}

// str returns the string property key; a required one must be non-empty.
func (pr *props) str(key string, required bool) string {
	v, ok := pr.p[key]
	if !ok || v == nil {
		if required {
			pr.fail(ProblemMissingProperty, "%s", key)
		}
		return ""
	}
	s, ok := v.(string)
	switch {
	case !ok:
		pr.fail(ProblemBadProperty, "%s is %v (%T), want a string", key, v, v)
	case s == "" && required:
		pr.fail(ProblemMissingProperty, "%s is empty", key)
	}
	return s
}

// newProps starts reading feature i of file, whose id is property idKey.
func (p *parser) newProps(file string, i int, f *geojson.Feature, idKey string) *props {
	pr := &props{ps: &p.ps, file: file, feature: i, p: f.Properties}
	v, present := f.Properties[idKey]
	id, ok := v.(string)
	switch {
	case !present || v == nil:
		pr.fail(ProblemMissingID, "no %s", idKey)
	case !ok || id == "":
		pr.fail(ProblemMissingID, "%s is %v (%T), want a non-empty string", idKey, v, v)
	}
	pr.id = id
	return pr
}

// polygonal validates the feature's geometry (see checkPolygonal).
func (pr *props) polygonal(g orb.Geometry) orb.MultiPolygon {
	mp, d := checkPolygonal(g)
	if d != nil {
		pr.fail(d.problem, "%s", d.detail)
	}
	return mp
}

func (p *parser) readDistrict(fc *geojson.FeatureCollection) {
	if n := len(fc.Features); n != 1 {
		p.ps.add(FileDistrict, -1, "", ProblemFeatureCount, "%d features, want 1", n)
		return
	}
	pr := p.newProps(FileDistrict, 0, fc.Features[0], "code")
	d := p.d
	d.Code, d.Name = pr.id, pr.str("name", true)
	d.City, d.TimeZone = pr.str("city", false), pr.str("timezone", false)
	if d.TimeZone != "" {
		if _, err := time.LoadLocation(d.TimeZone); err != nil {
			pr.fail(ProblemBadProperty, "timezone: %v", err)
		}
	}
	d.Boundary = pr.polygonal(fc.Features[0].Geometry)
}

func (p *parser) readStreets(fc *geojson.FeatureCollection) {
	p.nonEmpty(FileStreets, fc)
	p.d.streets = map[string]*Street{}
	for i, f := range fc.Features {
		pr := p.newProps(FileStreets, i, f, "street_code")
		s := &Street{Code: pr.id, Name: pr.str("name", true), Boundary: pr.polygonal(f.Geometry)}
		s.area = newArea(s.Boundary)
		if p.unique(pr, p.d.streets[s.Code] != nil) {
			p.d.streets[s.Code] = s
			p.d.Streets = append(p.d.Streets, s)
		}
	}
	slices.SortFunc(p.d.Streets, func(a, b *Street) int { return cmp.Compare(a.Code, b.Code) })
}

func (p *parser) readCommunities(fc *geojson.FeatureCollection) {
	p.nonEmpty(FileCommunities, fc)
	p.d.communities = map[string]*Community{}
	for i, f := range fc.Features {
		pr := p.newProps(FileCommunities, i, f, "community_id")
		c := &Community{ID: pr.id, Name: pr.str("name", true), Kind: Kind(pr.str("kind", true)),
			StreetCode: pr.str("street_code", true), Boundary: pr.polygonal(f.Geometry)}
		c.area = newArea(c.Boundary)
		row := communityRow{Community: c, feature: i, streetName: pr.str("street_name", true)}
		if c.Kind != "" && c.Kind != KindCommunity && c.Kind != KindVillage {
			pr.fail(ProblemUnknownKind, "kind %q, want %q or %q", c.Kind, KindCommunity, KindVillage)
		}
		if p.unique(pr, p.d.communities[c.ID] != nil) {
			p.d.communities[c.ID] = c
			p.communities = append(p.communities, row)
		}
	}
	slices.SortFunc(p.communities, func(a, b communityRow) int { return cmp.Compare(a.ID, b.ID) })
	for _, row := range p.communities {
		p.d.Communities = append(p.d.Communities, row.Community)
	}
}

func (p *parser) readGrids(fc *geojson.FeatureCollection) {
	p.nonEmpty(FileGrids, fc)
	p.d.grids = map[string]*Grid{}
	for i, f := range fc.Features {
		pr := p.newProps(FileGrids, i, f, "grid_id")
		g := &Grid{ID: pr.id, Name: pr.str("name", true), Type: Type(pr.str("type", true)),
			CommunityID: pr.str("community_id", true), StreetCode: pr.str("street_code", true),
			Geometry: pr.polygonal(f.Geometry)}
		row := gridRow{Grid: g, feature: i,
			communityName: pr.str("community_name", true), streetName: pr.str("street_name", true)}
		if g.Type != "" && g.Type != TypeUrban && g.Type != TypeRural && g.Type != TypeSpecial {
			pr.fail(ProblemUnknownType, "type %q, want %q, %q or %q", g.Type, TypeUrban, TypeRural, TypeSpecial)
		}
		if v, ok := f.Properties["area_km2"]; ok {
			if a, isNum := v.(float64); isNum && a > 0 {
				g.AreaKm2 = a
			} else {
				pr.fail(ProblemBadProperty, "area_km2 is %v, want a positive number", v)
			}
		}
		if g.Geometry != nil {
			p.prepare(pr, g)
		}
		if p.unique(pr, p.d.grids[g.ID] != nil) {
			p.d.grids[g.ID] = g
			p.grids = append(p.grids, row)
		}
	}
	slices.SortFunc(p.grids, func(a, b gridRow) int { return cmp.Compare(a.ID, b.ID) })
	for _, row := range p.grids {
		p.d.Grids = append(p.d.Grids, row.Grid)
	}
}

// prepare fills a valid grid geometry's derived fields.
func (p *parser) prepare(pr *props, g *Grid) {
	g.Bound = g.Geometry.Bound()
	g.area = newArea(g.Geometry)
	label, ok := labelPoint(g.Geometry)
	if !ok {
		pr.fail(ProblemNoInterior, "no point inside the grid found")
	}
	g.Label = label
	if g.AreaKm2 == 0 {
		g.AreaKm2 = areaKm2(g.Geometry, label[1])
	}
}

func (p *parser) readCameras(fc *geojson.FeatureCollection) {
	p.d.cameras = map[string]*Camera{}
	for i, f := range fc.Features {
		pr := p.newProps(FileCameras, i, f, "camera_id")
		c := &Camera{ID: pr.id, Name: pr.str("name", true), GridID: pr.str("grid_id", true)}
		switch pt, ok := f.Geometry.(orb.Point); {
		case !ok:
			pr.fail(ProblemGeometryType, "%s, want Point", typeName(f.Geometry))
		case !validPoint(pt):
			pr.fail(ProblemBadCoordinate, "point %v", pt)
		default:
			c.Point = pt
		}
		if p.unique(pr, p.d.cameras[c.ID] != nil) {
			p.d.cameras[c.ID] = c
			p.cameras = append(p.cameras, cameraRow{Camera: c, feature: i})
		}
	}
	slices.SortFunc(p.cameras, func(a, b cameraRow) int { return cmp.Compare(a.ID, b.ID) })
	for _, row := range p.cameras {
		p.d.Cameras = append(p.d.Cameras, row.Camera)
	}
}

// nonEmpty reports a file without features.
func (p *parser) nonEmpty(file string, fc *geojson.FeatureCollection) {
	if len(fc.Features) == 0 {
		p.ps.add(file, -1, "", ProblemFeatureCount, "no features")
	}
}

// unique reports a duplicate id; it returns whether the feature is new.
func (p *parser) unique(pr *props, seen bool) bool {
	if pr.id == "" {
		return false
	}
	if seen {
		pr.fail(ProblemDuplicateID, "%s appears more than once", pr.id)
		return false
	}
	return true
}

func typeName(g orb.Geometry) string {
	if g == nil {
		return "no geometry"
	}
	return g.GeoJSONType()
}

// kmPerDegree is the length of one degree of latitude (mean Earth radius).
const kmPerDegree = 2 * math.Pi * 6371.0088 / 360

// areaKm2 converts the planar area of mp in square degrees to km², with
// longitude degrees shortened by cos(lat): exact enough (< 0.1 %) for areas
// the size of a district.
func areaKm2(mp orb.MultiPolygon, lat float64) float64 {
	return math.Abs(planar.Area(mp)) * kmPerDegree * kmPerDegree * math.Cos(lat*math.Pi/180)
}
