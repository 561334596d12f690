package geogen

import "github.com/paulmach/orb"

// Dataset is everything the generator makes, in WGS84 lon/lat rounded to
// 1e-6°. Lists are in file order: streets by code, communities and grids by
// id, cameras by id, workers by grid id.
type Dataset struct {
	District    District
	Streets     []Street
	Communities []Community
	Grids       []Grid
	Cameras     []Camera
	Workers     []Worker
}

// District is the real district: its attributes and outline.
type District struct {
	DistrictInfo
	Outline orb.Polygon
}

// Street is a real street (街道) with a synthetic boundary: the union of its
// grids.
type Street struct {
	Code      string
	Name      string
	GridCount int
	Geometry  orb.Geometry // orb.Polygon or orb.MultiPolygon
}

// CommunityKind tells an urban community (社区) from a rural village (村).
type CommunityKind string

// The community kinds.
const (
	KindCommunity CommunityKind = "community"
	KindVillage   CommunityKind = "village"
)

// Community is a synthetic community or village: the union of its grids.
type Community struct {
	ID         string // "<street_code>-C<2-digit seq>"
	Name       string
	Kind       CommunityKind
	StreetCode string
	StreetName string
	Geometry   orb.Geometry
}

// GridType classifies a grid.
type GridType string

// The grid types: urban grids lie in communities, rural ones in villages,
// and special ones cover one institution (a campus, market, park…).
const (
	GridUrban   GridType = "urban"
	GridRural   GridType = "rural"
	GridSpecial GridType = "special"
)

// Grid is one synthetic grid (网格), the unit a grid worker covers.
type Grid struct {
	ID            string // "<street_code>-<3-digit seq>"
	Name          string
	Type          GridType
	CommunityID   string
	CommunityName string
	StreetCode    string
	StreetName    string
	AreaKm2       float64      // rounded to 3 decimals
	Geometry      orb.Geometry // orb.Polygon, or orb.MultiPolygon where the outline cuts it
}

// Camera is a synthetic 雪亮 camera, strictly inside its grid.
type Camera struct {
	ID         string // "CAM-" and 6 digits
	Name       string
	GridID     string
	StreetCode string
	Location   orb.Point
}

// Worker is a grid worker's synthetic directory entry.
type Worker struct {
	GridID string
	Name   string
	Phone  string
}
