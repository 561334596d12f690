package sim

import "github.com/gridcc/gridcc/backend/event"

// category is one category of a kind with its share of that kind's events,
// the shares of the four severities (low, medium, high, critical) and the
// templates of its titles and descriptions. Placeholders: {place} {road}
// {camera} {policy} {company} {dept} {v}.
type category struct {
	code     string
	share    float64
	severity [4]float64
	titles   []string
	details  []string
}

// catalog is the mix of each kind. The shares are plausible for a district
// of 川汇区's kind, not measured: most grid events are environment and city
// management, most hotline calls are questions and city management, most
// camera alerts are parking and vending.
var catalog = map[event.Kind][]category{
	event.GridEvent: {
		{"dispute", 18, [4]float64{30, 45, 20, 5},
			[]string{"{place}邻里噪音纠纷", "{place}楼上漏水引发邻里矛盾", "{place}停车位争执", "{place}家庭矛盾需调解", "{place}宅基地边界纠纷"},
			[]string{"双方情绪较激动，网格员已到场劝解，建议司法所介入联合调解。", "矛盾已持续一段时间，网格员已登记双方诉求，拟组织调解。"}},
		{"public_safety", 10, [4]float64{30, 45, 20, 5},
			[]string{"{place}发现可疑人员徘徊", "{place}路灯损坏存在治安隐患", "{place}出租屋人员信息未登记", "{road}夜间聚集饮酒喧哗"},
			[]string{"网格员巡查发现，已告知辖区派出所。", "已拍照留存，建议民警加强夜间巡逻。"}},
		{"environment", 26, [4]float64{60, 35, 5, 0},
			[]string{"{road}垃圾堆积未清运", "{place}污水外溢", "{road}绿化带杂物堆放", "{place}楼道小广告"},
			[]string{"网格员巡查发现，已拍照上报，需环卫部门清运。", "影响居民出行，请{dept}尽快处理。"}},
		{"city_management", 22, [4]float64{50, 40, 10, 0},
			[]string{"{road}占道经营", "{place}违章搭建", "{road}井盖缺失", "{road}共享单车乱停放", "{road}广告牌松动"},
			[]string{"现场已劝导，需{dept}协助处理。", "已拍照留存，存在安全隐患，请尽快处置。"}},
		{"safety_hazard", 12, [4]float64{15, 45, 30, 10},
			[]string{"{place}电动车楼道内充电", "{place}消防通道被堵塞", "{place}液化气罐违规存放", "{road}沿街商铺灭火器过期"},
			[]string{"网格员已现场提醒整改，需消防部门复查。", "隐患较大，已通知物业，请{dept}督促整改。"}},
		{"livelihood", 10, [4]float64{50, 40, 10, 0},
			[]string{"{place}独居老人需要帮扶", "{place}困难家庭申请临时救助", "{place}残疾人出行需协助", "{place}留守儿童需关爱"},
			[]string{"网格员入户走访了解情况，已登记需求，建议志愿者接单。", "已联系社区卫生服务中心，需民政部门跟进。"}},
		{event.OtherCategory, 2, [4]float64{70, 30, 0, 0},
			[]string{"{place}其他情况上报"},
			[]string{"网格员巡查上报，待分类处理。"}},
	},
	event.Hotline: {
		{"consultation", 24, [4]float64{85, 15, 0, 0},
			[]string{"咨询{policy}办理流程", "咨询{policy}所需材料", "咨询{policy}政策"},
			[]string{"市民来电咨询，已解答部分内容，需相关部门进一步答复。"}},
		{"city_management", 18, [4]float64{45, 45, 10, 0},
			[]string{"反映{road}夜间施工噪音扰民", "反映{road}路灯不亮", "反映{road}占道经营", "反映{place}违建"},
			[]string{"来电人称问题已持续多日，希望尽快处理。", "来电人要求处理后回电。"}},
		{"environment", 12, [4]float64{45, 45, 10, 0},
			[]string{"反映{place}附近餐馆油烟扰民", "反映{road}垃圾清运不及时", "反映{place}污水井堵塞"},
			[]string{"来电人称气味较大，影响生活。", "来电人希望环卫部门尽快处理。"}},
		{"public_service", 15, [4]float64{35, 45, 15, 5},
			[]string{"反映{place}停水未提前通知", "反映{place}供暖不热", "反映{place}频繁停电", "反映{place}附近学校接送拥堵"},
			[]string{"来电人称家中有老人，情况较急。", "来电人要求相关单位给予答复。"}},
		{"housing", 12, [4]float64{40, 45, 15, 0},
			[]string{"反映{place}物业服务不到位", "反映{place}电梯故障", "反映{place}房屋漏水维修难"},
			[]string{"来电人称多次联系物业未果。", "来电人要求住建部门督促处理。"}},
		{"labor", 6, [4]float64{20, 50, 25, 5},
			[]string{"反映{company}拖欠工资", "咨询工伤认定", "反映{company}未缴纳社保"},
			[]string{"来电人称涉及工友十余人，情绪激动。", "来电人要求人社部门介入。"}},
		{"traffic", 8, [4]float64{50, 40, 10, 0},
			[]string{"反映{road}红绿灯故障", "建议{road}增设公交站点", "反映{road}路面坑洼"},
			[]string{"来电人称存在安全隐患。", "来电人希望尽快修复。"}},
		{"dispute", 3, [4]float64{20, 45, 25, 10},
			[]string{"反映{place}邻里纠纷", "反映{place}噪音纠纷"},
			[]string{"来电人称多次协商未果，请求调解。"}},
		{event.OtherCategory, 2, [4]float64{80, 20, 0, 0},
			[]string{"其他诉求"},
			[]string{"来电人反映其他问题。"}},
	},
	event.CameraAlert: {
		{"illegal_parking", 30, [4]float64{70, 30, 0, 0}, nil, nil},
		{"street_vending", 25, [4]float64{70, 30, 0, 0}, nil, nil},
		{"crowd", 14, [4]float64{20, 50, 25, 5}, nil, nil},
		{"intrusion", 12, [4]float64{10, 50, 35, 5}, nil, nil},
		{"fire_smoke", 6, [4]float64{0, 20, 50, 30}, nil, nil},
		{"fight", 4, [4]float64{0, 10, 50, 40}, nil, nil},
		{event.OtherCategory, 9, [4]float64{80, 20, 0, 0}, nil, nil},
	},
	event.Warning: {
		{"air_quality", 30, [4]float64{40, 45, 15, 0},
			[]string{"空气质量超标 {place}"},
			[]string{"监测站PM2.5浓度{v}μg/m³，超过预警阈值。"}},
		{"power", 20, [4]float64{30, 50, 20, 0},
			[]string{"{place}配电箱过载", "{place}停电告警"},
			[]string{"智慧用电监测负载率{v}%，请电力部门核查。"}},
		{"water_level", 15, [4]float64{30, 40, 25, 5},
			[]string{"{road}下穿通道积水", "沙颍河{road}段水位上涨"},
			[]string{"水位传感器读数{v}厘米，超过警戒值。"}},
		{"fire", 10, [4]float64{0, 20, 40, 40},
			[]string{"{place}烟感报警", "{place}温度异常升高"},
			[]string{"烟感探测器连续报警，请立即核实。"}},
		{"gas", 10, [4]float64{0, 25, 45, 30},
			[]string{"{place}燃气浓度超限"},
			[]string{"可燃气体浓度{v}%LEL，超过阈值25%LEL。"}},
		{"structure", 10, [4]float64{30, 45, 20, 5},
			[]string{"{place}建筑倾斜监测超限", "{road}桥梁裂缝监测告警"},
			[]string{"监测数据超过设定阈值，请住建部门现场核查。"}},
		{event.OtherCategory, 5, [4]float64{70, 30, 0, 0},
			[]string{"{place}设备离线告警"},
			[]string{"传感器连续30分钟未上报数据。"}},
	},
}

// Fillers of the hotline and grid-event templates.
var (
	policies  = []string{"医保报销", "社保缴纳", "户口迁移", "公积金提取", "新生儿落户", "老年证办理", "居住证办理", "低保申请"}
	companies = []string{"某建筑公司", "某物流公司", "某餐饮店", "某装修公司", "某制衣厂", "某商贸公司"}
	depts     = []string{"城管部门", "街道办", "住建部门", "环卫部门", "市场监管部门"}
)
