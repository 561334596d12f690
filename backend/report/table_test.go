package report_test

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/gridcc/gridcc/backend/report"
)

func TestCellString(t *testing.T) {
	v := func(f float64) *float64 { return &f }
	zone, _ := time.LoadLocation("Asia/Shanghai")
	for _, tc := range []struct {
		name string
		cell report.Cell
		want string
	}{
		{"OK_text", report.Text("噪音纠纷"), "噪音纠纷"},
		{"OK_formulaEscaped", report.Text("=HYPERLINK(\"http://x\")"), "'=HYPERLINK(\"http://x\")"},
		{"OK_plusEscaped", report.Text("+86 138"), "'+86 138"},
		{"OK_minusEscaped", report.Text("-1+1"), "'-1+1"},
		{"OK_atEscaped", report.Text("@SUM(A1)"), "'@SUM(A1)"},
		{"OK_tabEscaped", report.Text("\t=1"), "'\t=1"},
		{"OK_emptyText", report.Text(""), ""},
		{"OK_negativeNumberKept", report.Num(v(-14.154), 2), "-14.15"},
		{"OK_int", report.Int(-3), "-3"},
		{"OK_nilIsEmpty", report.Num(nil, 2), ""},
		{"OK_percent", report.Percent(v(0.98765)), "98.8"},
		{"OK_hours", report.Hours(v(5400)), "1.5"},
		{"OK_minutes", report.Minutes(v(90)), "1.5"},
		{"OK_timeInZone", report.Time(time.Date(2025, 6, 1, 17, 30, 0, 0, time.UTC), zone), "2025-06-02 01:30"},
		{"OK_zeroTimeEmpty", report.Time(time.Time{}, zone), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.cell.String(); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestWriteCSV(t *testing.T) {
	tbl := report.Table{Name: "t", Columns: []string{"标题", "数量"}, Rows: [][]report.Cell{
		{report.Text("含,逗号\"引号\"\n换行"), report.Int(3)},
		{report.Text("=1+1")}, // a short row is padded
	}}
	var b bytes.Buffer
	if err := report.WriteCSV(&b, tbl); err != nil {
		t.Fatal(err)
	}
	raw := b.String()
	if !strings.HasPrefix(raw, "\ufeff标题,数量\r\n") {
		t.Fatalf("no BOM or CRLF heading: %q", raw)
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(raw, "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 3 || recs[1][0] != "含,逗号\"引号\"\r\n换行" && recs[1][0] != "含,逗号\"引号\"\n换行" || recs[1][1] != "3" ||
		recs[2][0] != "'=1+1" || recs[2][1] != "" {
		t.Errorf("read back %q", recs)
	}
}
