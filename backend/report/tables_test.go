package report_test

import (
	"slices"
	"testing"
	"time"

	"github.com/gridcc/gridcc/backend/event"
	"github.com/gridcc/gridcc/backend/history"
	"github.com/gridcc/gridcc/backend/report"
)

// names is a Names with a few known ids.
type names struct{}

func (names) District() string { return "川汇区" }

func (names) Street(code string) string {
	if code == "411602001" {
		return "陈州回族街道"
	}
	return code
}
func (names) Grid(id string) string { return "网格" + id }
func (names) Department(id string) string {
	if id == "sfj" {
		return "川汇区司法局"
	}
	return id
}

var zone, _ = time.LoadLocation("Asia/Shanghai")

func texts(row []report.Cell) []string {
	out := make([]string, len(row))
	for i, c := range row {
		out[i] = c.String()
	}
	return out
}

func TestSummaryTable(t *testing.T) {
	r := func(v float64) *float64 { return &v }
	s := history.Summary{
		Current:    history.PeriodFigures{Figures: history.Figures{Reported: 120, ByKind: map[event.Kind]int64{event.Hotline: 80}, ClosureRate: r(0.9), HandlingP50: r(7200)}},
		Previous:   history.PeriodFigures{Figures: history.Figures{Reported: 100, ClosureRate: r(0.85)}},
		VsPrevious: history.Change{ReportedPct: r(20), ClosureRatePP: r(5), ByKindPct: map[event.Kind]*float64{}},
		VsYearAgo:  history.Change{ByKindPct: map[event.Kind]*float64{}},
	}
	tbl := report.Summary(s)
	if got := texts(tbl.Rows[0]); !slices.Equal(got, []string{"上报事件（件）", "120", "100", "0", "20.00", "", "%"}) {
		t.Errorf("reported row %q", got)
	}
	var closure, handling []string
	for _, row := range tbl.Rows {
		switch row[0].String() {
		case "办结率（%）":
			closure = texts(row)
		case "处置时长中位数（小时）":
			handling = texts(row)
		}
	}
	if !slices.Equal(closure, []string{"办结率（%）", "90.0", "85.0", "", "5.00", "", "百分点"}) {
		t.Errorf("closure row %q", closure)
	}
	if handling[1] != "2.0" {
		t.Errorf("handling row %q", handling)
	}
}

func TestLateCasesTable(t *testing.T) {
	at := time.Date(2025, 6, 2, 1, 0, 0, 0, time.UTC)
	closed := at.Add(80 * time.Hour)
	l := history.LateCases{List: history.ClosedLate, Items: []history.LateCase{{
		CaseRow: history.CaseRow{EventID: "e1", Kind: event.Hotline, Category: "dispute", Severity: event.High, Title: "-噪音",
			Address: "幸福小区…", StreetCode: "411602001", GridID: "g1", Status: event.Closed, Assignee: "sfj", ReportedAt: at},
		DueAt: at.Add(72 * time.Hour), ClosedAt: &closed, LateS: 8 * 3600}}}
	tbl := report.LateCases(l, names{}, zone)
	if tbl.Name != "closed-late" || tbl.Columns[len(tbl.Columns)-2] != "办结时间" || len(tbl.Rows[0]) != len(tbl.Columns) {
		t.Fatalf("table %s, columns %v, row %d cells", tbl.Name, tbl.Columns, len(tbl.Rows[0]))
	}
	want := []string{"e1", "12345热线", "矛盾纠纷", "高", "'-噪音", "幸福小区…", "陈州回族街道", "网格g1", "已办结", "川汇区司法局",
		"2025-06-02 09:00", "2025-06-05 09:00", "2025-06-05 17:00", "8.0"}
	if got := texts(tbl.Rows[0]); !slices.Equal(got, want) {
		t.Errorf("row\n%q\nwant\n%q", got, want)
	}
	l.List = history.OpenOverdue
	if tbl := report.LateCases(l, names{}, zone); tbl.Name != "overdue" || len(tbl.Rows[0]) != len(tbl.Columns) {
		t.Errorf("open list: %s, %d columns, %d cells", tbl.Name, len(tbl.Columns), len(tbl.Rows[0]))
	}
}

func TestCheckinsTable(t *testing.T) {
	r := func(v float64) *float64 { return &v }
	c := history.Checkins{
		Departments: []history.DepartmentCheckins{{Department: "sfj", Summoned: 4, OnTime: 3, Missed: 1, OnTimeRate: r(0.75), MedianS: r(1200)}},
		Total:       history.DepartmentCheckins{Summoned: 4, OnTime: 3, Missed: 1, OnTimeRate: r(0.75), MedianS: r(1200)},
	}
	tbl := report.Checkins(c, names{})
	if len(tbl.Rows) != 2 || tbl.Rows[0][0].String() != "川汇区司法局" || tbl.Rows[1][0].String() != "合计" ||
		tbl.Rows[0][7].String() != "75.0" || tbl.Rows[0][8].String() != "20.0" || tbl.Rows[0][9].String() != "" {
		t.Errorf("rows %q, %q", texts(tbl.Rows[0]), texts(tbl.Rows[1]))
	}
}

func TestTrendTable(t *testing.T) {
	d := history.NewDate(2025, 6, 2)
	tr := history.Trend{Granularity: history.Daily, Split: history.ByStreet, Buckets: []history.Date{d, d.AddDays(1)},
		Series: []history.Series{{Key: "411602001", Counts: []int64{3, 4}}, {Key: "x", Counts: []int64{1, 0}}}}
	tbl := report.Trend(tr, names{})
	if !slices.Equal(tbl.Columns, []string{"日期", "陈州回族街道", "x", "合计"}) || !slices.Equal(texts(tbl.Rows[1]), []string{"2025-06-03", "4", "0", "4"}) {
		t.Errorf("columns %v, row %q", tbl.Columns, texts(tbl.Rows[1]))
	}
}
