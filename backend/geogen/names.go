package geogen

import (
	"fmt"
	"strings"
)

// Word lists for the synthetic names. They read like names one meets in a
// Henan prefecture town, but every pairing of a name with a place is
// invented: nothing here locates a real community, village or person.

var urbanStems = strings.Fields(`
建设 文化 和平 新华 人民 解放 五一 光明 幸福 东风 胜利 花园 育新 滨河 沙河
颍河 交通 工农 八一 团结 民主 中州 富民 安居 龙湖 金海 文昌 太昊 淮河 汉阳
大庆 六一 莲花 荷花 新民 兴华 振兴 朝阳 向阳 红旗 友谊 健康 康乐 丰收 育才
书香 锦华 阳光 翠竹 长青 七一 北关 南关 西关 东关 关帝 三川 周商 陈州 迎宾
开元 盛世 永安 华夏 新城 明珠 世纪 天成 万和 学苑 文苑 柳园 桃园 梨园 枣园
杏园 竹园 梅园 兰苑 怡景 锦绣 丽景 凤凰 青年 工业 商贸 铁路 棉纺 纺织 机械
电力 邮电 医药 广场 老街 新街 河滨 沿河 古城 东城 西城 南城 北城 东苑 西苑
南苑 北苑 春晖 秋实 晨光 嘉禾 和顺 福寿 仁和 德馨 清河 泰和 安康 瑞丰 宏达`)

var surnames = strings.Fields(`
王 李 张 刘 陈 杨 赵 黄 周 吴 徐 孙 胡 朱 高 林 何 郭 马 罗 梁 宋 郑 谢 韩
唐 冯 于 董 程 曹 袁 邓 许 傅 沈 曾 彭 吕 苏 卢 蒋 蔡 贾 丁 魏 薛 叶 阎 余
潘 杜 戴 夏 钟 汪 田 任 姜 范 方 石 姚 谭 廖 邹 熊 金 陆 郝 孔 白 崔 康 毛
邱 秦 江 史 顾 侯 邵 孟 龙 万 段 雷 钱 汤 尹 黎 易 常 武 乔 贺 赖 龚 文`)

var villageSuffixes = strings.Fields(`庄 营 寨 楼 桥 集 湾 岗 店 屯 园 口 洼 坡 庙 台 堂 庄 营 寨 楼`)

var villagePrefixes = strings.Fields(`大 小 前 后 东 西 南 北`)

var givenChars = strings.Fields(`
伟 芳 娜 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 秀 霞 平 刚 桂 英 华 玉
兰 红 建 国 志 海 文 俊 飞 鹏 辉 斌 宇 浩 凯 晨 燕 萍 梅 琳 玲 雪 亮 新 利
峰 波 林 婷 慧 颖 倩 佳 鑫 振 福 荣 德 云 春 秋 冬 松 东 晓 丹 莉 金 银`)

var roads = strings.Fields(`
七一路 交通路 八一路 人民路 中州大道 工农路 大庆路 六一路 五一路 莲花路 滨河路
新华路 解放路 光明路 团结路 育新路 富民路 周商路 文昌大道 太清路 腾飞路 华耀路
金海路 汉阳路 建设大道 黄河路 淮河路 太昊路 川汇路 庆丰街 东大街 西大街`)

var mobilePrefixes = strings.Fields(`130 131 132 133 135 136 137 138 139 150 151 152 153 155 156 157 158 159 180 181 182 183 186 187 188 189`)

// specialPlaces name the special-purpose grids (campuses, hospitals, parks,
// markets, stations). The grid a name lands on is chosen at random.
var specialPlaces = strings.Fields(`
周口师范学院 周口职业技术学院 周口科技职业学院 周口市第一高级中学 周口市第二高级中学
川汇区实验学校 周口市中心医院 周口市人民医院 周口市中医院 川汇区人民医院
周口市妇幼保健院 周口人民公园 沙颍河湿地公园 周口植物园 沙颍河滨河公园
东新区中央公园 周口农产品批发市场 川汇区农贸市场 周口商贸城 周口五金建材市场
周口火车站 周口东站 周口汽车客运总站 周口中心港 周口关帝庙景区 周口市博物馆
周口体育中心 周口市政务服务中心 周口经济开发区工业园 川汇区物流园 周口会展中心 川汇区文化馆`)

// namer hands out names that are unique within one run.
type namer struct {
	r    *rng
	used map[string]bool
}

func newNamer(r *rng) *namer { return &namer{r: r, used: map[string]bool{}} }

// unique draws from gen until it gets an unused name; after many misses it
// adds a distinguishing numeral, so it always terminates.
func (n *namer) unique(gen func() string) string {
	for try := 0; ; try++ {
		s := gen()
		if try > 200 {
			s = fmt.Sprintf("%s%d", s, try)
		}
		if !n.used[s] {
			n.used[s] = true
			return s
		}
	}
}

// community returns an urban community name, e.g. "建设社区".
func (n *namer) community() string {
	return n.unique(func() string { return pick(n.r, urbanStems) + "社区" })
}

// village returns a village name, e.g. "王庄村" or "前李营村".
func (n *namer) village() string {
	return n.unique(func() string {
		s := pick(n.r, surnames) + pick(n.r, villageSuffixes) + "村"
		if n.r.intn(4) == 0 {
			s = pick(n.r, villagePrefixes) + s
		}
		return s
	})
}

// personName returns a synthetic Chinese personal name of two or three characters.
func personName(r *rng) string {
	s := pick(r, surnames) + pick(r, givenChars)
	if r.intn(3) > 0 {
		s += pick(r, givenChars)
	}
	return s
}

// phone returns an 11-digit mobile-looking number.
func phone(r *rng) string {
	return fmt.Sprintf("%s%08d", pick(r, mobilePrefixes), r.intn(100000000))
}
