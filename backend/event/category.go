package event

import "slices"

// Category is what an event is about: a stable code that senders post and
// the history groups by, and the Chinese label the screens, the Friday review
// and docs/ingest.md show for it.
type Category struct {
	Code  string `json:"code"`
	Label string `json:"label"`
}

// OtherCategory is the code every kind accepts for what fits nowhere else.
// A review that finds many "other" events should add a category.
const OtherCategory = "other"

// categories is the category list of each kind, in display order. A code
// shared by several kinds (dispute, environment, city_management, other) has
// the same label everywhere: the review compares them across channels.
var categories = map[Kind][]Category{
	GridEvent: {
		{"dispute", "矛盾纠纷"},              // neighbour, family, property disputes
		{"public_safety", "治安隐患"},        // public-order risks seen on patrol
		{"environment", "环境卫生"},          // rubbish, sewage, dirty public space
		{"city_management", "城市管理"},      // street vending, illegal building, broken facilities
		{"safety_hazard", "安全隐患(消防/燃气)"}, // fire exits, gas bottles, electric bikes charging indoors
		{"livelihood", "民生服务"},           // help for the elderly, disabled, families in need
		{OtherCategory, "其他"},
	},
	Hotline: {
		{"dispute", "矛盾纠纷"},
		{"city_management", "城市管理"},
		{"environment", "环境卫生"},
		{"public_service", "公共服务"}, // water, power, heating, schools, hospitals
		{"housing", "住房物业"},        // property management, repairs, rentals
		{"labor", "劳动保障"},          // unpaid wages, social insurance
		{"traffic", "交通出行"},        // roads, buses, parking
		{"consultation", "政策咨询"},   // questions about policies and procedures
		{OtherCategory, "其他"},
	},
	CameraAlert: {
		{"crowd", "人员聚集"},           // unusual gathering of people
		{"intrusion", "区域入侵"},       // someone in a restricted area (river bank, site)
		{"fire_smoke", "烟火识别"},      // fire or smoke detected
		{"illegal_parking", "违章停车"}, // vehicle parked where it must not be
		{"street_vending", "占道经营"},  // stalls on the road or pavement
		{"fight", "打架斗殴"},           // people fighting
		{OtherCategory, "其他"},
	},
	Warning: {
		{"fire", "火灾预警"},        // smoke or heat sensor
		{"gas", "燃气泄漏"},         // gas leak sensor
		{"water_level", "水位预警"}, // river or underpass water level
		{"air_quality", "空气质量"}, // air-quality station over its threshold
		{"structure", "建筑安全"},   // tilt or crack sensor on a building or bridge
		{"power", "电力故障"},       // power outage or overload
		{OtherCategory, "其他"},
	},
}

// categoryLabels maps every code to its label, built from categories.
var categoryLabels = func() map[string]string {
	m := map[string]string{}
	for _, list := range categories {
		for _, c := range list {
			m[c.Code] = c.Label
		}
	}
	return m
}()

// Categories returns the categories of kind k in display order, nil for an
// unknown kind. The slice is a copy: callers may keep or change it.
func Categories(k Kind) []Category {
	return slices.Clone(categories[k])
}

// ValidCategory reports whether code is one of kind k's categories.
func ValidCategory(k Kind, code string) bool {
	return slices.ContainsFunc(categories[k], func(c Category) bool { return c.Code == code })
}

// CategoryLabel returns the Chinese label of a category code, or the code
// itself when it is unknown, so that a screen never shows an empty cell.
func CategoryLabel(code string) string {
	if label, ok := categoryLabels[code]; ok {
		return label
	}
	return code
}
