package geogen

import "github.com/paulmach/orb"

// Config holds every knob of the generator. DefaultConfig is the setting the
// committed 川汇区 files were made with.
type Config struct {
	Seed       int64 // drives every random choice
	Grids      int   // number of grids to make, exactly
	Samples    int   // density samples for the CVT (GRIDS.md: 200–250k)
	Iterations int   // Lloyd iterations (GRIDS.md: 20–30)

	// Seat is the district seat (lon/lat): the centre of the urban core and
	// the origin of the street anchors.
	Seat orb.Point
	// Bumps are the Gaussian lobes of the density surface over a floor of 1.
	Bumps []Bump
	// DensityPower is the exponent p of the CVT's sampling density ρ^p.
	// p = 2 gives cells of about equal ρ-mass: ~200 m across in the core and
	// village-sized at the rural edge.
	DensityPower float64

	// Anchors place street names: street code → [km east, km north] of Seat.
	// Street clustering starts from them, so each street's name stays near
	// its anchor (GRIDS.md placement hints; unverified, hence synthetic).
	Anchors map[string]orb.Point
	// StreetWeightPower is the exponent q of the street clustering's weights
	// area·ρ^q. q = 1 weighs grids by population; a larger q pulls more
	// streets into the core.
	StreetWeightPower float64
	// CommunitySize is the number of grids a community aims for.
	CommunitySize int
	// UrbanMaxGridKm2: a community whose mean grid is smaller than this is an
	// urban 社区; otherwise it is a rural 村.
	UrbanMaxGridKm2 float64
	// Specials is how many urban grids become special-purpose grids
	// (campuses, markets, parks, hospitals, stations).
	Specials int
	// Cameras is the number of 雪亮 cameras to place.
	Cameras int

	// District describes the district feature.
	District DistrictInfo
}

// DistrictInfo is the attribute set of the district feature.
type DistrictInfo struct {
	Name     string
	Code     string
	City     string
	Timezone string
	Source   string // short attribution of the outline
}

// DefaultSeed is the seed of the committed files: the district's code.
const DefaultSeed = 411602

// DefaultConfig returns the configuration for 川汇区 with the given seed.
func DefaultConfig(seed int64) Config {
	seat := orb.Point{114.646768, 33.616489} // DataV center, converted to WGS84
	return Config{
		Seed:       seed,
		Grids:      1563,
		Samples:    200000,
		Iterations: 30,
		Seat:       seat,
		Bumps: []Bump{
			{Center: seat, Amp: 30, SigmaM: 3000},
			// The eastern new district (文昌/华耀城), about 7 km east.
			{Center: orb.Point{seat[0] + 7000/92711.0, seat[1]}, Amp: 8, SigmaM: 2500},
		},
		DensityPower: 2,
		Anchors: map[string]orb.Point{
			"411602001": {1.5, 0.0},   // 陈州回族: old town by the confluence
			"411602002": {0.0, 1.5},   // 七一路: old core
			"411602003": {-1.5, 1.0},  // 荷花路: old core
			"411602004": {-1.0, -1.0}, // 人和: old core
			"411602005": {1.0, -1.2},  // 小桥: old core
			"411602006": {0.5, -4.5},  // 城南: south
			"411602007": {0.5, 6.0},   // 城北: north
			"411602008": {5.5, 3.5},   // 文昌: eastern new district
			"411602009": {-4.5, 1.0},  // 搬口: west, up the 沙河
			"411602010": {7.0, -0.5},  // 金海路: eastern new district
			"411602014": {15.0, 0.0},  // 许湾: east, downstream
			"411602015": {10.0, 5.0},  // 华耀城: eastern new district
			"411671011": {-3.5, -2.5}, // 太昊路: south-west
			"411671012": {4.5, -4.5},  // 淮河路: south of the river
			"411671013": {11.5, -8.0}, // 李埠口: south, downstream
		},
		StreetWeightPower: 1.5,
		CommunitySize:     14,
		UrbanMaxGridKm2:   0.15,
		Specials:          30,
		Cameras:           2000,
		District: DistrictInfo{
			Name:     "川汇区",
			Code:     "411602",
			City:     "周口市",
			Timezone: "Asia/Shanghai",
			Source:   "DataV.GeoAtlas (阿里云), GCJ-02 converted to WGS84; not an approved map (no 审图号)",
		},
	}
}
