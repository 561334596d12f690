// Package grid is the district model of gridcc: 川汇区 with its streets
// (街道), communities (社区/村), grids (网格) and cameras, loaded from the
// GeoJSON files in geodata/ and validated (Load, Parse), and the grid locator
// that maps a WGS84 point to its grid, community and street (Locate).
//
// A District is immutable after Load and safe for concurrent use; callers
// must not modify the values it hands out (slices, geometries, layers).
package grid

import (
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// Type is the kind of a grid.
type Type string

// The grid types of grids.geojson's `type` property.
const (
	TypeUrban   Type = "urban"   // 城镇网格: residential and commercial blocks
	TypeRural   Type = "rural"   // 农村网格: villages and farmland
	TypeSpecial Type = "special" // 专属网格: a campus, hospital, park, industrial zone…
)

// Kind is the kind of a community.
type Kind string

// The community kinds of communities.geojson's `kind` property.
const (
	KindCommunity Kind = "community" // 社区: urban residents' committee
	KindVillage   Kind = "village"   // 村: villagers' committee
)

// Street is a street (街道) or town (镇), a feature of streets.geojson.
type Street struct {
	Code     string           // street_code, unique
	Name     string           // name
	Boundary orb.MultiPolygon // the street's area; a Polygon in the file becomes one part

	area area // Boundary prepared for point-in-polygon tests
}

// Community is a community (社区) or village (村), a feature of
// communities.geojson.
type Community struct {
	ID         string           // community_id, unique
	Name       string           // name
	Kind       Kind             // KindCommunity or KindVillage
	StreetCode string           // street_code of the street it belongs to
	Boundary   orb.MultiPolygon // the community's area

	area area // Boundary prepared for point-in-polygon tests
}

// Grid is a grid (网格), the smallest unit of governance, a feature of
// grids.geojson.
type Grid struct {
	ID          string           // grid_id, unique
	Name        string           // name
	Type        Type             // TypeUrban, TypeRural or TypeSpecial
	CommunityID string           // community_id of the community it belongs to
	StreetCode  string           // street_code of the street it belongs to (the community's)
	Geometry    orb.MultiPolygon // the grid's area, holes included; a Polygon in the file becomes one part
	Bound       orb.Bound        // the bounding box of Geometry
	// Label is a point inside the grid for map labels and markers: the
	// centroid of its largest part if that lies inside, else the middle of
	// the widest inside stretch of a horizontal line through the centroid.
	Label orb.Point
	// AreaKm2 is the area_km2 property if present, else the area computed
	// from Geometry (planar in degrees, scaled by the local degree lengths).
	AreaKm2 float64

	area area // Geometry prepared for point-in-polygon tests
}

// Camera is a video camera, a feature of cameras.geojson.
type Camera struct {
	ID     string    // camera_id, unique
	Name   string    // name
	GridID string    // grid_id of the grid it stands in
	Point  orb.Point // [longitude, latitude]
}

// The layer names of District.Layer.
const (
	LayerBoundary    = "boundary"    // district.geojson
	LayerStreets     = "streets"     // streets.geojson
	LayerCommunities = "communities" // communities.geojson
	LayerGrids       = "grids"       // grids.geojson
	LayerCameras     = "cameras"     // cameras.geojson; empty if the file is absent
)

// District is the whole district model, built by Load or Parse.
type District struct {
	Name     string           // name of district.geojson, e.g. 川汇区
	Code     string           // code, e.g. the administrative division code 411602
	City     string           // city, e.g. 周口市; "" if absent
	TimeZone string           // IANA time zone; "" if absent, and then the caller's config decides
	Boundary orb.MultiPolygon // the district's area

	Streets     []*Street    // sorted by Code
	Communities []*Community // sorted by ID
	Grids       []*Grid      // sorted by ID; this is the order of "first by id"
	Cameras     []*Camera    // sorted by ID

	streets     map[string]*Street
	communities map[string]*Community
	grids       map[string]*Grid
	cameras     map[string]*Camera
	layers      map[string]*geojson.FeatureCollection
	index       *index
	locations   []Location // per grid, in the order of Grids: what Locate returns
}

// Street returns the street with the given street_code.
func (d *District) Street(code string) (*Street, bool) { s, ok := d.streets[code]; return s, ok }

// Community returns the community with the given community_id.
func (d *District) Community(id string) (*Community, bool) {
	c, ok := d.communities[id]
	return c, ok
}

// Grid returns the grid with the given grid_id.
func (d *District) Grid(id string) (*Grid, bool) { g, ok := d.grids[id]; return g, ok }

// Camera returns the camera with the given camera_id.
func (d *District) Camera(id string) (*Camera, bool) { c, ok := d.cameras[id]; return c, ok }

// Layer returns the validated feature collection of one layer (LayerBoundary,
// LayerStreets, LayerCommunities, LayerGrids or LayerCameras) as read,
// properties not known to this package included, so it can be served as
// GeoJSON without reading the files again; nil for an unknown name. The
// collection is shared: callers must not modify it.
func (d *District) Layer(name string) *geojson.FeatureCollection { return d.layers[name] }
