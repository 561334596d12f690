package report

import (
	"strconv"
	"time"

	"github.com/gridcc/gridcc/backend/event"
	"github.com/gridcc/gridcc/backend/history"
)

// Names gives the Chinese names the stats answers leave out (they carry
// codes and ids; the screens join them with /api/v1/geo and
// /api/v1/directory). An unknown id is returned as it is.
type Names interface {
	District() string // the district's name, for file names
	Street(code string) string
	Grid(id string) string
	Department(id string) string
}

// Summary is the headline KPIs of a period against the previous period and
// the same period a year earlier. Counts and times change in per cent,
// rates in percentage points (docs/history.md).
func Summary(s history.Summary) Table {
	t := Table{Name: "summary", Title: "核心指标",
		Columns: []string{"指标", "本期", "上期", "去年同期", "环比变化", "同比变化", "变化单位"}}
	cur, prev, yago := s.Current.Figures, s.Previous.Figures, s.YearAgo.Figures
	count := func(name string, c, p, y int64, vp, vy *float64) {
		t.Rows = append(t.Rows, []Cell{Text(name), Int(c), Int(p), Int(y), Num(vp, 2), Num(vy, 2), Text("%")})
	}
	rate := func(name string, c, p, y, vp, vy *float64) {
		t.Rows = append(t.Rows, []Cell{Text(name), Percent(c), Percent(p), Percent(y), Num(vp, 2), Num(vy, 2), Text("百分点")})
	}
	hours := func(name string, c, p, y, vp, vy *float64) {
		t.Rows = append(t.Rows, []Cell{Text(name), Hours(c), Hours(p), Hours(y), Num(vp, 2), Num(vy, 2), Text("%")})
	}
	count("上报事件（件）", cur.Reported, prev.Reported, yago.Reported, s.VsPrevious.ReportedPct, s.VsYearAgo.ReportedPct)
	for _, k := range event.Kinds {
		count("　其中"+event.KindLabel(k)+"（件）", cur.ByKind[k], prev.ByKind[k], yago.ByKind[k], s.VsPrevious.ByKindPct[k], s.VsYearAgo.ByKindPct[k])
	}
	t.Rows = append(t.Rows, []Cell{Text("已办结（件）"), Int(cur.Done), Int(prev.Done), Int(yago.Done), {}, {}, {}})
	rate("办结率（%）", cur.ClosureRate, prev.ClosureRate, yago.ClosureRate, s.VsPrevious.ClosureRatePP, s.VsYearAgo.ClosureRatePP)
	rate("按时办结率（%）", cur.OnTimeRate, prev.OnTimeRate, yago.OnTimeRate, s.VsPrevious.OnTimeRatePP, s.VsYearAgo.OnTimeRatePP)
	rate("满意率（%）", cur.Satisfaction, prev.Satisfaction, yago.Satisfaction, s.VsPrevious.SatisfactionPP, s.VsYearAgo.SatisfactionPP)
	hours("处置时长中位数（小时）", cur.HandlingP50, prev.HandlingP50, yago.HandlingP50, s.VsPrevious.HandlingP50Pct, s.VsYearAgo.HandlingP50Pct)
	hours("处置时长90分位（小时）", cur.HandlingP90, prev.HandlingP90, yago.HandlingP90, s.VsPrevious.HandlingP90Pct, s.VsYearAgo.HandlingP90Pct)
	return t
}

// Trend is the counts per bucket, one column per series.
func Trend(tr history.Trend, names Names) Table {
	t := Table{Name: "trend-" + string(tr.Split), Title: "事件趋势", Columns: []string{bucketHeading(tr.Granularity)}}
	for _, se := range tr.Series {
		t.Columns = append(t.Columns, seriesName(tr.Split, se, names))
	}
	t.Columns = append(t.Columns, "合计")
	for i, b := range tr.Buckets {
		row := []Cell{Text(b.String())}
		var sum int64
		for _, se := range tr.Series {
			row = append(row, Int(se.Counts[i]))
			sum += se.Counts[i]
		}
		t.Rows = append(t.Rows, append(row, Int(sum)))
	}
	return t
}

func bucketHeading(g history.Granularity) string {
	switch g {
	case history.Weekly:
		return "周（周一）"
	case history.Monthly:
		return "月"
	}
	return "日期"
}

func seriesName(split history.Dimension, se history.Series, names Names) string {
	switch split {
	case history.ByStreet:
		return names.Street(se.Key)
	case history.ByGrid:
		return names.Grid(se.Key)
	}
	return se.Label
}

// Hotspots is the ranked streets or grids of a period against the period
// before.
func Hotspots(h history.Hotspots, names Names) Table {
	if h.Level == history.ByStreet {
		t := Table{Name: "streets", Title: "街道排名", Columns: []string{"排名", "街道", "事件数", "上期", "环比变化（%）"}}
		for i, it := range h.Items {
			t.Rows = append(t.Rows, []Cell{Int(int64(i + 1)), Text(names.Street(it.Key)), Int(it.Count), Int(it.Previous), Num(it.ChangePct, 2)})
		}
		return t
	}
	t := Table{Name: "hotspots", Title: "热点网格", Columns: []string{"排名", "网格", "网格编号", "事件数", "上期", "环比变化（%）"}}
	for i, it := range h.Items {
		t.Rows = append(t.Rows, []Cell{Int(int64(i + 1)), Text(names.Grid(it.Key)), Text(it.Key), Int(it.Count), Int(it.Previous), Num(it.ChangePct, 2)})
	}
	return t
}

// Recurring is the long-term-care list: places where a dispute kept coming
// back.
func Recurring(r history.RecurringList, names Names, zone *time.Location) Table {
	place := "地址"
	if r.At == history.AtGrid {
		place = "网格编号"
	}
	t := Table{Name: "recurring", Title: "重复纠纷（长效关怀）",
		Columns: []string{place, "网格", "期内事件数", strconv.Itoa(r.WithinDays) + "天内最多", "该窗口起", "该窗口止", "最近一次"}}
	for _, it := range r.Items {
		t.Rows = append(t.Rows, []Cell{Text(it.Place), Text(names.Grid(it.GridID)), Int(it.Count), Int(it.MaxInWindow),
			Time(it.WindowFrom, zone), Time(it.WindowTo, zone), Time(it.Last, zone)})
	}
	return t
}

// LateCases is a late-case list, most late first.
func LateCases(l history.LateCases, names Names, zone *time.Location) Table {
	t := Table{Name: "overdue", Title: "超期未办结",
		Columns: []string{"事件编号", "类型", "类别", "紧急程度", "标题", "地址", "街道", "网格", "当前状态", "承办单位", "上报时间", "应办结时间"}}
	if l.List == history.ClosedLate {
		t.Name, t.Title = "closed-late", "超期办结"
		t.Columns = append(t.Columns, "办结时间")
	}
	t.Columns = append(t.Columns, "超期（小时）")
	for _, c := range l.Items {
		assignee := ""
		if c.Assignee != "" {
			assignee = names.Department(c.Assignee)
		}
		late := float64(c.LateS)
		row := []Cell{Text(c.EventID), Text(event.KindLabel(c.Kind)), Text(event.CategoryLabel(c.Category)),
			Text(event.SeverityLabel(c.Severity)), Text(c.Title), Text(c.Address), Text(names.Street(c.StreetCode)),
			Text(names.Grid(c.GridID)), Text(event.StatusLabel(c.Status)), Text(assignee),
			Time(c.ReportedAt, zone), Time(c.DueAt, zone)}
		if l.List == history.ClosedLate && c.ClosedAt != nil {
			row = append(row, Time(*c.ClosedAt, zone))
		}
		t.Rows = append(t.Rows, append(row, Hours(&late)))
	}
	return t
}

// Checkins is the whistle-and-report performance per department, with the
// total last.
func Checkins(c history.Checkins, names Names) Table {
	t := Table{Name: "checkins", Title: "吹哨报到",
		Columns: []string{"单位", "单位编号", "吹哨次数", "按时报到", "迟到报到", "未报到", "待报到", "按时报到率（%）", "报到用时中位数（分钟）", "报到用时90分位（分钟）"}}
	row := func(name string, d history.DepartmentCheckins) []Cell {
		return []Cell{Text(name), Text(d.Department), Int(d.Summoned), Int(d.OnTime), Int(d.Late), Int(d.Missed), Int(d.Pending),
			Percent(d.OnTimeRate), Minutes(d.MedianS), Minutes(d.P90S)}
	}
	for _, d := range c.Departments {
		t.Rows = append(t.Rows, row(names.Department(d.Department), d))
	}
	t.Rows = append(t.Rows, row("合计", c.Total))
	return t
}
