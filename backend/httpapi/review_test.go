package httpapi

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gridcc/gridcc/backend/audit"
	"github.com/gridcc/gridcc/backend/auth"
	"github.com/gridcc/gridcc/backend/chstore"
	"github.com/gridcc/gridcc/backend/directory"
	"github.com/gridcc/gridcc/backend/duty"
	"github.com/gridcc/gridcc/backend/event"
	"github.com/gridcc/gridcc/backend/grid"
	"github.com/gridcc/gridcc/backend/history"
	"github.com/gridcc/gridcc/backend/history/historytest"
	"github.com/gridcc/gridcc/backend/redisbus"
	"github.com/gridcc/gridcc/backend/testsvc"
)

// reviewFixture is the login fixture with the stats and export routes over
// a real ClickHouse database holding reviewCases.
type reviewFixture struct {
	*loginFixture
	period string // from=…&to=… around the cases
}

// The street of the fixture user li (street:411602001) and another.
const (
	ownStreet   = "411602001"
	otherStreet = "411602002"
	fullAddress = "七一路街道建设社区人民路12号3单元"
)

// reviewCases: in each street one hotline request closed 30 h after its
// report (consultation: 24 h, so 6 h late), one dispute still open and
// past its 72 h, and a whistle to the judicial office that checked in.
func reviewCases(reported time.Time) []historytest.Case {
	var out []historytest.Case
	for i, street := range []string{ownStreet, otherStreet} {
		c := func(id string, cat string, steps ...historytest.Step) historytest.Case {
			return historytest.Case{ID: fmt.Sprintf("%s-%d", id, i), Kind: event.Hotline, Category: cat, Severity: event.Medium,
				GridID: street + "-001", Street: street, Address: fullAddress, Reported: reported, Steps: steps}
		}
		out = append(out,
			c("late", "consultation", historytest.Lifecycle(30*time.Hour, 0)...),
			c("open", "dispute",
				historytest.Step{After: time.Hour, To: event.Dispatched, Action: "dispatch", Target: "sfj"},
				historytest.Step{After: 2 * time.Hour, To: event.Escalated, Action: "whistle", Target: "sfj,gafj"},
				historytest.Step{After: 2*time.Hour + 20*time.Minute, To: event.Escalated, Action: "checkin", Target: "sfj"}),
		)
	}
	return out
}

func newReviewFixture(t *testing.T) *reviewFixture {
	t.Helper()
	fx := newLoginFixture(t)
	zone, _ := time.LoadLocation("Asia/Shanghai")
	root := testsvc.RepoRoot(t)
	district, err := grid.Load(filepath.Join(root, "geodata"))
	if err != nil {
		t.Fatal(err)
	}
	roster, err := duty.Load(filepath.Join(root, "geodata"), func(id string) bool { _, ok := district.Grid(id); return ok })
	if err != nil {
		t.Fatal(err)
	}
	dir, err := directory.Load(filepath.Join(root, "geodata"), roster.Grids(), streetCodes(district))
	if err != nil {
		t.Fatal(err)
	}
	store := chstore.New(testsvc.ClickHouseDatabase(t), zone, redisbus.NewLock(fx.rdb, fx.prefix+"migrate", 10*time.Second))
	t.Cleanup(func() { store.Close() })
	reported := time.Now().Add(-10 * 24 * time.Hour).Truncate(time.Minute)
	var recs []event.Record
	for _, c := range reviewCases(reported) {
		recs = append(recs, c.Records()...)
	}
	for i := range recs {
		recs[i].SetSeq(uint64(i + 1))
	}
	if _, err := store.Write(testsvc.Context(t), history.Rows{Zone: zone, SLAs: history.DefaultSLAs}.Batch(recs)); err != nil {
		t.Fatal(err)
	}
	stats := history.NewStats(store, zone)
	v1 := fx.engine.Group("/api/v1")
	registerStats(v1.Group("", fx.auth.authz(auth.PermStatsRead)), stats, zone)
	registerExport(v1.Group("", fx.auth.authz(auth.PermExport)), stats, zone, districtNames{district, dir})
	day := history.DateOf(reported, zone)
	return &reviewFixture{loginFixture: fx, period: "from=" + day.AddDays(-1).String() + "&to=" + day.AddDays(3).String()}
}

// get sends a GET as the logged-in user name.
func (fx *reviewFixture) get(t *testing.T, name, target string) (int, []byte, http.Header) {
	t.Helper()
	cookie, _ := fx.login(t, name)
	w := fx.do(request{method: http.MethodGet, target: target, cookie: cookie})
	return w.Code, w.Body.Bytes(), w.Header()
}

func TestReviewEndpoints(t *testing.T) {
	fx := newReviewFixture(t)

	t.Run("OK_overdueMaskedForTheReviewer", func(t *testing.T) {
		code, body, _ := fx.get(t, "qian", "/api/v1/stats/overdue?list=open&"+fx.period)
		var l history.LateCases
		if code != http.StatusOK || json.Unmarshal(body, &l) != nil {
			t.Fatalf("%d %s", code, body)
		}
		if l.OpenOverdue != 2 || l.ClosedLate != 2 || len(l.Items) != 2 {
			t.Fatalf("totals %d open, %d late, %d items; want 2, 2, 2", l.OpenOverdue, l.ClosedLate, len(l.Items))
		}
		for _, it := range l.Items {
			if it.Address == fullAddress || !strings.HasSuffix(it.Address, "…") || it.Assignee != "sfj" || it.Status != event.Escalated {
				t.Errorf("reviewer sees %+v", it)
			}
		}
		if recs := fx.audit.find("reveal", audit.Success); len(recs) != 0 {
			t.Errorf("a masked list was audited as a reveal: %+v", recs)
		}
	})

	t.Run("OK_overdueInFullWithinScopeAudited", func(t *testing.T) {
		_, body, _ := fx.get(t, "li", "/api/v1/stats/overdue?list=closed_late&"+fx.period)
		var l history.LateCases
		if err := json.Unmarshal(body, &l); err != nil || len(l.Items) != 2 {
			t.Fatalf("%s", body)
		}
		for _, it := range l.Items {
			if own := it.StreetCode == ownStreet; own != (it.Address == fullAddress) || it.LateS != 6*3600 {
				t.Errorf("street %s user sees %+v", ownStreet, it)
			}
		}
		recs := fx.audit.find("reveal", audit.Success)
		if len(recs) != 1 || recs[0].User != "li" || !strings.Contains(recs[0].Detail, "rows=1") {
			t.Errorf("reveal records %+v, want one for li's one row", recs)
		}
	})

	t.Run("OK_checkins", func(t *testing.T) {
		_, body, _ := fx.get(t, "qian", "/api/v1/stats/checkins?"+fx.period)
		var c history.Checkins
		if err := json.Unmarshal(body, &c); err != nil || len(c.Departments) != 2 {
			t.Fatalf("%s", body)
		}
		sfj := c.Departments[1]
		if c.Departments[0].Department != "gafj" || sfj.Department != "sfj" || sfj.OnTime != 2 || sfj.MedianS == nil || *sfj.MedianS != 1200 ||
			c.Total.Summoned != 4 || c.Total.Pending != 2 {
			t.Errorf("checkins %+v", c)
		}
	})

	t.Run("OK_replayMaskedAndComplete", func(t *testing.T) {
		_, body, _ := fx.get(t, "qian", "/api/v1/stats/replay?limit=3&"+fx.period)
		var r history.Replay
		if err := json.Unmarshal(body, &r); err != nil || len(r.Items) != 3 || r.Next == "" {
			t.Fatalf("%s", body)
		}
		n := len(r.Items)
		for r.Next != "" {
			_, body, _ = fx.get(t, "qian", "/api/v1/stats/replay?limit=3&after="+r.Next+"&"+fx.period)
			r = history.Replay{} // a last page has no "next" to overwrite the previous one
			if err := json.Unmarshal(body, &r); err != nil {
				t.Fatal(err)
			}
			n += len(r.Items)
			for _, it := range r.Items {
				if it.Actor != "" || it.Address == fullAddress || it.Lon == 0 {
					t.Errorf("reviewer's replay item %+v", it)
				}
			}
		}
		if int64(n) != r.Total || n != 2*(1+5+3) {
			t.Errorf("pages held %d records, total %d; want 18", n, r.Total)
		}
	})

	t.Run("OK_exportCSV", func(t *testing.T) {
		before := len(fx.audit.find("GET /api/v1/export/:table", audit.Success))
		code, body, h := fx.get(t, "qian", "/api/v1/export/overdue?list=closed_late&"+fx.period)
		if code != http.StatusOK || h.Get("Content-Type") != "text/csv; charset=utf-8" {
			t.Fatalf("%d %s %s", code, h, body)
		}
		cd := h.Get("Content-Disposition")
		if !strings.Contains(cd, `filename="gridcc-closed-late-`) || !strings.Contains(cd, "filename*=UTF-8''%E5%B7%9D%E6%B1%87%E5%8C%BA-") {
			t.Errorf("Content-Disposition %q", cd)
		}
		if !strings.HasPrefix(string(body), "\ufeff事件编号,") {
			t.Fatalf("no BOM or heading: %q", body[:min(len(body), 60)])
		}
		recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(body), "\ufeff"))).ReadAll()
		if err != nil || len(recs) != 3 || recs[1][6] != "陈州回族街道" && recs[1][6] != "七一路街道" || recs[1][len(recs[1])-1] != "6.0" {
			t.Fatalf("rows %q, %v", recs, err)
		}
		for _, r := range recs[1:] {
			if r[5] == fullAddress {
				t.Errorf("reviewer's export holds the full address: %q", r)
			}
		}
		got := fx.audit.find("GET /api/v1/export/:table", audit.Success)
		if len(got) != before+1 || !strings.HasPrefix(got[len(got)-1].Object, "overdue ") || !strings.Contains(got[len(got)-1].Detail, "rows=2") {
			t.Errorf("export audit records %+v", got)
		}
	})

	t.Run("OK_exportEveryTable", func(t *testing.T) {
		for _, target := range []string{"summary?", "trend?split=kind&", "hotspots?level=street&", "recurring?at=grid&times=2&", "checkins?", "overdue?"} {
			code, body, _ := fx.get(t, "zhang", "/api/v1/export/"+target+fx.period)
			if code != http.StatusOK || !strings.HasPrefix(string(body), "\ufeff") {
				t.Errorf("%s: %d %.200s", target, code, body)
			}
		}
	})

	for _, tc := range []struct {
		name, user, target string
		status             int
	}{
		{"ErrExportUnknownTable", "qian", "/api/v1/export/heatmap", http.StatusNotFound},
		{"ErrExportPagingParameter", "qian", "/api/v1/export/overdue?limit=5", http.StatusBadRequest},
		{"ErrExportForbiddenToTheStreet", "li", "/api/v1/export/summary", http.StatusForbidden},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if code, body, _ := fx.get(t, tc.user, tc.target); code != tc.status {
				t.Errorf("%d %s, want %d", code, body, tc.status)
			}
		})
	}
}
