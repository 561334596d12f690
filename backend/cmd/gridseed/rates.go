package main

import (
	"math"
	"slices"
	"time"

	"github.com/gridcc/gridcc/backend/event"
)

// The district's yearly volumes, from the article (DOMAIN.md): 9,084 grid
// events and 22,000+ valid 12345 requests in 2025. Camera alerts and
// sensor warnings are not reported there; these are plausible volumes for
// 2,000 cameras with AI detection and a few hundred sensors.
var yearly = map[event.Kind]float64{
	event.GridEvent:   9100,
	event.Hotline:     22000,
	event.CameraAlert: 6000,
	event.Warning:     1500,
}

// categoryMix is each kind's share per category (sums to 1).
var categoryMix = map[event.Kind]map[string]float64{
	event.GridEvent: {"dispute": 0.22, "public_safety": 0.12, "environment": 0.24, "city_management": 0.2,
		"safety_hazard": 0.1, "livelihood": 0.09, "other": 0.03},
	event.Hotline: {"dispute": 0.1, "city_management": 0.18, "environment": 0.12, "public_service": 0.2,
		"housing": 0.15, "labor": 0.07, "traffic": 0.08, "consultation": 0.07, "other": 0.03},
	event.CameraAlert: {"crowd": 0.15, "intrusion": 0.15, "fire_smoke": 0.05, "illegal_parking": 0.35,
		"street_vending": 0.25, "fight": 0.04, "other": 0.01},
	event.Warning: {"fire": 0.15, "gas": 0.15, "water_level": 0.2, "air_quality": 0.25, "structure": 0.05,
		"power": 0.15, "other": 0.05},
}

// categoryOrder lists each kind's categories in a fixed order: ranging
// over a map would draw the random numbers in a different order on every
// run, and the same seed must give the same history.
var categoryOrder = func() map[event.Kind][]string {
	out := map[event.Kind][]string{}
	for k, mix := range categoryMix {
		for cat := range mix {
			out[k] = append(out[k], cat)
		}
		slices.Sort(out[k])
	}
	return out
}()

// yearlyTrend is a category's change per year. Public-order cases fell
// 14.15 % year on year (the article); fights seen by cameras with them.
// Everything else grows slowly with the city.
func yearlyTrend(k event.Kind, category string) float64 {
	switch {
	case category == "public_safety", k == event.CameraAlert && category == "fight":
		return 1 - 0.1415
	case k == event.Hotline:
		return 1.04
	}
	return 1.02
}

// weekdayFactor: hotline calls peak on Monday and fall at the weekend; grid
// workers patrol on working days; cameras see more at the weekend.
func weekdayFactor(k event.Kind, wd time.Weekday) float64 {
	switch k {
	case event.Hotline:
		return [7]float64{0.7, 1.25, 1.15, 1.1, 1.05, 1.0, 0.75}[wd]
	case event.GridEvent:
		return [7]float64{0.6, 1.15, 1.15, 1.15, 1.15, 1.15, 0.65}[wd]
	case event.CameraAlert:
		return [7]float64{1.15, 0.95, 0.95, 0.95, 0.95, 1.0, 1.15}[wd]
	}
	return 1
}

// seasonFactor: summer brings heat, water, power and noise complaints (peak
// in late July); the Spring Festival empties offices for about two weeks.
func seasonFactor(k event.Kind, d time.Time) float64 {
	amp := map[event.Kind]float64{event.Hotline: 0.2, event.GridEvent: 0.15, event.Warning: 0.3, event.CameraAlert: 0.1}[k]
	f := 1 + amp*math.Cos(2*math.Pi*float64(d.YearDay()-205)/365)
	if springFestival(d) && k != event.Warning {
		f *= 0.6
	}
	return f
}

// springFestival approximates the holiday by the lunar new year dates of
// the years gridcc's history covers.
func springFestival(d time.Time) bool {
	newYear := map[int]time.Time{
		2023: time.Date(2023, 1, 22, 0, 0, 0, 0, time.UTC), 2024: time.Date(2024, 2, 10, 0, 0, 0, 0, time.UTC),
		2025: time.Date(2025, 1, 29, 0, 0, 0, 0, time.UTC), 2026: time.Date(2026, 2, 17, 0, 0, 0, 0, time.UTC),
		2027: time.Date(2027, 2, 6, 0, 0, 0, 0, time.UTC),
	}[d.Year()]
	if newYear.IsZero() {
		return false
	}
	day := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
	return !day.Before(newYear.AddDate(0, 0, -3)) && day.Before(newYear.AddDate(0, 0, 12))
}

// hourWeights is when in the day each kind comes in (district time).
var hourWeights = map[event.Kind][24]float64{
	event.Hotline:     {1, 0.5, 0.3, 0.3, 0.3, 0.5, 1, 3, 8, 10, 10, 9, 6, 7, 9, 9, 9, 8, 6, 5, 4, 3, 2, 1.5},
	event.GridEvent:   {0.2, 0.1, 0.1, 0.1, 0.1, 0.2, 0.5, 3, 9, 10, 10, 8, 4, 5, 9, 10, 9, 7, 3, 2, 1, 0.6, 0.4, 0.3},
	event.CameraAlert: {3, 2, 1.5, 1, 1, 1.5, 3, 5, 6, 6, 6, 6, 6, 6, 6, 6, 7, 8, 9, 9, 8, 7, 5, 4},
	event.Warning:     {4, 4, 4, 4, 4, 4, 5, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 5, 5, 4},
}

// severityMix is each kind's share per severity, lowest first.
var severityMix = map[event.Kind][4]float64{
	event.GridEvent:   {0.3, 0.5, 0.17, 0.03},
	event.Hotline:     {0.35, 0.5, 0.13, 0.02},
	event.CameraAlert: {0, 0.6, 0.35, 0.05},
	event.Warning:     {0.2, 0.5, 0.25, 0.05},
}

// titles are what people write for each category.
var titles = map[string][]string{
	"dispute":         {"邻里噪音纠纷", "楼道堆物引发争执", "宠物扰民纠纷", "物业费纠纷", "宅基地边界纠纷", "家庭矛盾调解"},
	"public_safety":   {"夜间可疑人员徘徊", "出租屋人员流动频繁", "路口斗殴隐患", "电动车被盗"},
	"environment":     {"垃圾清运不及时", "污水外溢", "公共区域卫生脏乱", "焚烧秸秆"},
	"city_management": {"占道经营", "违章搭建", "井盖破损", "路灯不亮", "乱停乱放"},
	"safety_hazard":   {"楼道内电动车充电", "消防通道堵塞", "燃气瓶违规存放", "老旧电线私拉乱接"},
	"livelihood":      {"独居老人需要帮扶", "残疾人证办理咨询", "困难家庭救助申请"},
	"public_service":  {"小区停水", "供暖不热", "入学咨询", "医保报销问题"},
	"housing":         {"物业服务差", "房屋漏水维修", "租房押金纠纷"},
	"labor":           {"拖欠农民工工资", "社保缴纳问题"},
	"traffic":         {"公交线路调整建议", "道路坑洼", "停车难"},
	"consultation":    {"政策咨询", "办事流程咨询"},
	"crowd":           {"广场人员聚集"},
	"intrusion":       {"河道警戒区闯入"},
	"fire_smoke":      {"疑似烟火"},
	"illegal_parking": {"违章停车"},
	"street_vending":  {"占道摆摊"},
	"fight":           {"疑似打架斗殴"},
	"fire":            {"烟感报警"},
	"gas":             {"燃气浓度超标"},
	"water_level":     {"下穿通道积水"},
	"air_quality":     {"空气质量超标"},
	"structure":       {"建筑倾斜告警"},
	"power":           {"线路过载告警"},
	"other":           {"其他事项"},
}
