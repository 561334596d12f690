package httpapi

import (
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gridcc/gridcc/backend/audit"
	"github.com/gridcc/gridcc/backend/auth"
	"github.com/gridcc/gridcc/backend/duty"
	"github.com/gridcc/gridcc/backend/grid"
	"github.com/gridcc/gridcc/backend/testsvc"
)

// dutyWorkers is the roster of the duty tests: a worker in street 411602001
// (the street of the fixture's street user), one in 411602002, and none for
// 411602001-002.
const dutyWorkers = `[
{"grid_id":"411602001-001","name":"段洋秀","phone":"13219453358"},
{"grid_id":"411602002-001","name":"周冬丹","phone":"15998072390"}]`

// newDutyFixture is the login fixture plus GET /api/v1/grids/:id/duty on
// the real district and the roster above.
func newDutyFixture(t *testing.T) *loginFixture {
	t.Helper()
	fx := newLoginFixture(t)
	district, err := grid.Load(filepath.Join(testsvc.RepoRoot(t), "geodata"))
	if err != nil {
		t.Fatal(err)
	}
	roster, err := duty.Parse([]byte(dutyWorkers), func(id string) bool { _, ok := district.Grid(id); return ok })
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{dist: district, duty: roster}
	fx.engine.GET("/api/v1/grids/:id/duty", fx.auth.authz(auth.PermDutyRead), s.gridDuty)
	return fx
}

func TestGridDuty(t *testing.T) {
	fx := newDutyFixture(t)
	tests := []struct {
		name   string
		user   string // a fixture user; "" uses the wall token
		grid   string
		status int
		worker string // the worker's name as answered; "" for null
		phone  string
		masked bool
	}{
		{"OfficerFull", "zhang", "411602001-001", 200, "段洋秀", "13219453358", false},
		{"StreetOwnFull", "li", "411602001-001", 200, "段洋秀", "13219453358", false},
		{"StreetOtherMasked", "li", "411602002-001", 200, "周某", "159****2390", true},
		{"CommunityOtherMasked", "wang", "411602001-001", 200, "段某", "132****3358", true},
		{"ResponderMasked", "zhao", "411602001-001", 200, "段某", "132****3358", true},
		{"WallMasked", "", "411602001-001", 200, "段某", "132****3358", true},
		{"NobodyOnRecord", "zhang", "411602001-002", 200, "", "", true},
		{"ReviewerForbidden", "qian", "411602001-001", 403, "", "", false},
		{"AdminForbidden", "sun", "411602001-001", 403, "", "", false},
		{"ErrUnknownGrid", "zhang", "411602099-001", 404, "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := request{method: "GET", target: "/api/v1/grids/" + tt.grid + "/duty"}
			if tt.user == "" {
				r.bearer = fx.wall
			} else {
				r.cookie, _ = fx.login(t, tt.user)
			}
			before := len(fx.audit.find("reveal", audit.Success))
			w := fx.do(r)
			if w.Code != tt.status {
				t.Fatalf("%d %s; want %d", w.Code, w.Body, tt.status)
			}
			reveals := fx.audit.find("reveal", audit.Success)[before:]
			if tt.status != 200 {
				if len(reveals) != 0 {
					t.Fatalf("a refused request audited a reveal: %+v", reveals)
				}
				return
			}
			var got DutyResponse
			if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
				t.Fatal(err)
			}
			if got.GridID != tt.grid || got.GridName == "" || got.StreetCode != tt.grid[:9] || got.Masked != tt.masked {
				t.Fatalf("answer %+v", got)
			}
			switch {
			case tt.worker == "" && got.Worker != nil:
				t.Fatalf("worker %+v, want null", got.Worker)
			case tt.worker != "" && (got.Worker == nil || got.Worker.Name != tt.worker || got.Worker.Phone != tt.phone):
				t.Fatalf("worker %+v, want %s %s", got.Worker, tt.worker, tt.phone)
			}
			if cc := w.Header().Get("Cache-Control"); !strings.Contains(cc, "no-store") {
				t.Errorf("Cache-Control %q", cc)
			}
			// A reveal is audited exactly when the answer is in full: who,
			// which grid, which fields, never the values.
			wantAudit := tt.worker != "" && !tt.masked
			if wantAudit != (len(reveals) == 1) || len(reveals) > 1 {
				t.Fatalf("reveal records %+v; want one: %v", reveals, wantAudit)
			}
			if wantAudit {
				rec := reveals[0]
				if rec.User != tt.user || rec.Object != tt.grid || !strings.Contains(rec.Detail, "worker_phone") ||
					strings.Contains(rec.Detail, tt.phone) || strings.Contains(rec.Detail, tt.worker) {
					t.Fatalf("reveal record %+v", rec)
				}
			}
		})
	}
	t.Run("ErrAnonymous", func(t *testing.T) {
		if w := fx.do(request{method: "GET", target: "/api/v1/grids/411602001-001/duty"}); w.Code != http.StatusUnauthorized {
			t.Fatalf("%d %s", w.Code, w.Body)
		}
	})
	t.Run("ErrUnknownParameter", func(t *testing.T) {
		cookie, _ := fx.login(t, "zhang")
		w := fx.do(request{method: "GET", target: "/api/v1/grids/411602001-001/duty?shift=night", cookie: cookie})
		if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), `"field":"shift"`) {
			t.Fatalf("%d %s", w.Code, w.Body)
		}
	})
}
