package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/gridcc/gridcc/backend/audit"
	"github.com/gridcc/gridcc/backend/auth"
	"github.com/gridcc/gridcc/backend/chstore"
	"github.com/gridcc/gridcc/backend/directory"
	"github.com/gridcc/gridcc/backend/duty"
	"github.com/gridcc/gridcc/backend/grid"
	"github.com/gridcc/gridcc/backend/history"
	"github.com/gridcc/gridcc/backend/ingest"
	"github.com/gridcc/gridcc/backend/redisbus"
	"github.com/gridcc/gridcc/backend/testsvc"
	"github.com/gridcc/gridcc/backend/workflow"
)

// matrixEntry is what one route expects of every role. A role granted perm
// (auth.Role.Can; anyPrincipal: every role) must get a 2xx (want, when
// set); any other role 403; no credentials 401. A public route gives every
// caller, anonymous included, a 2xx.
type matrixEntry struct {
	public bool
	perm   auth.Perm
	target string             // request URL; default the route's path
	body   func(n int) string // JSON body of the n-th request; nil: none
	want   int                // exact status for allowed callers; 0: any 2xx
}

// routeMatrix has one entry per route of the real engine (New plus
// registerAuthRoutes), keyed "METHOD /path" as gin lists it. A route added
// without an entry fails TestRoleMatrix: decide who may call it here, and
// in the roles table (backend/auth/perm.go, docs/auth.md) if it needs a new
// permission.
var routeMatrix = map[string]matrixEntry{
	"GET /healthz":              {public: true},
	"GET /readyz":               {public: true},
	"GET /metrics":              {public: true},
	"GET /api/v1/geo/:layer":    {public: true, target: "/api/v1/geo/streets"},
	"GET /api/v1/geo/locate":    {public: true, target: "/api/v1/geo/locate?lon=114.6468&lat=33.6165"},
	"POST /api/v1/events":       {perm: auth.PermIngest, body: hotlineJSON, want: http.StatusAccepted},
	"POST /api/v1/events/batch": {perm: auth.PermIngest, body: func(n int) string { return `{"events":[` + hotlineJSON(n) + `]}` }},
	"GET /ws":                   {perm: auth.PermWatch},
	"POST /api/v1/login":        {public: true, body: func(int) string { return loginBody("matrix", testPassword) }, want: http.StatusOK},
	"POST /api/v1/logout":       {perm: anyPrincipal, want: http.StatusNoContent},
	"GET /api/v1/me":            {perm: anyPrincipal, want: http.StatusOK},
	"GET /api/v1/audit":         {perm: auth.PermAuditRead, want: http.StatusOK},

	// The workflow: an unknown event is a 404 for whoever may read events.
	"POST /api/v1/events/:id/actions": {perm: auth.PermEventsRead, target: "/api/v1/events/0190c1e0-0000-7000-8000-000000000000/actions",
		body: func(int) string { return `{"action":"comment","reason":"matrix"}` }, want: http.StatusNotFound},
	"GET /api/v1/events":     {perm: auth.PermEventsRead, want: http.StatusOK},
	"GET /api/v1/events/:id": {perm: auth.PermEventsRead, target: "/api/v1/events/0190c1e0-0000-7000-8000-000000000000", want: http.StatusNotFound},
	"GET /api/v1/directory":  {perm: auth.PermEventsRead, want: http.StatusOK},
	"GET /api/v1/followups":  {perm: auth.PermEventsRead, want: http.StatusOK},

	// Who is on duty in a grid (masked or revealed: see duty_test.go).
	"GET /api/v1/grids/:id/duty": {perm: auth.PermDutyRead, target: "/api/v1/grids/411602001-001/duty", want: http.StatusOK},

	// The history.
	"GET /api/v1/stats/summary":   {perm: auth.PermStatsRead, target: "/api/v1/stats/summary?week=2026-W20", want: http.StatusOK},
	"GET /api/v1/stats/trend":     {perm: auth.PermStatsRead, target: "/api/v1/stats/trend?from=2026-05-01&to=2026-05-31", want: http.StatusOK},
	"GET /api/v1/stats/hotspots":  {perm: auth.PermStatsRead, target: "/api/v1/stats/hotspots?from=2026-05-01&to=2026-05-31", want: http.StatusOK},
	"GET /api/v1/stats/recurring": {perm: auth.PermStatsRead, target: "/api/v1/stats/recurring?from=2026-05-01&to=2026-05-31", want: http.StatusOK},
	"GET /api/v1/stats/heatmap":   {perm: auth.PermStatsRead, target: "/api/v1/stats/heatmap?from=2026-05-01&to=2026-05-31", want: http.StatusOK},
	"GET /api/v1/stats/overdue":   {perm: auth.PermStatsRead, target: "/api/v1/stats/overdue?week=2026-W20&list=closed_late", want: http.StatusOK},
	"GET /api/v1/stats/checkins":  {perm: auth.PermStatsRead, target: "/api/v1/stats/checkins?week=2026-W20", want: http.StatusOK},
	"GET /api/v1/stats/replay":    {perm: auth.PermStatsRead, target: "/api/v1/stats/replay?from=2026-05-18&to=2026-05-18", want: http.StatusOK},
	"GET /api/v1/stats/search":    {perm: auth.PermStatsRead, target: "/api/v1/stats/search?q=%E5%99%AA%E9%9F%B3&week=2026-W20", want: http.StatusOK},

	// Downloads: audited, for the roles that may take data away.
	"GET /api/v1/export/:table": {perm: auth.PermExport, target: "/api/v1/export/overdue?week=2026-W20", want: http.StatusOK},
}

// hotlineJSON is a valid hotline request inside 川汇区 with its own source_id.
func hotlineJSON(n int) string {
	return fmt.Sprintf(`{"kind":"hotline","source_id":"matrix-%d-%d","category":"dispute","severity":"medium",
		"title":"噪音纠纷","lon":114.6468,"lat":33.6165,"occurred_at":%q}`, time.Now().UnixNano(), n,
		time.Now().Add(-time.Minute).Format(time.RFC3339))
}

// matrixRole is one caller of the matrix: a role and how it authenticates
// (a fresh cookie session per request, or a bearer token).
type matrixRole struct {
	name   string
	role   auth.Role // "" for anonymous
	p      auth.Principal
	bearer string
}

// matrixHub stands in for the WebSocket hub: it answers 200.
type matrixHub struct{}

func (matrixHub) ServeWS(w http.ResponseWriter, _ *http.Request, _ LiveClient) {
	w.WriteHeader(http.StatusOK)
}

// matrixAuditLog is an empty audit log.
type matrixAuditLog struct{}

func (matrixAuditLog) Query(context.Context, audit.Query) ([]audit.Record, error) {
	return []audit.Record{}, nil
}

// matrixFixture is the real engine and one caller per role.
type matrixFixture struct {
	engine   *gin.Engine
	roles    []matrixRole
	sessions auth.Sessions
}

// newMatrixServer builds the real engine with New, on real Redis and the
// real geodata, with one caller per role.
func newMatrixServer(t *testing.T) *matrixFixture {
	t.Helper()
	gin.SetMode(gin.TestMode)
	district, err := grid.Load(filepath.Join(testsvc.RepoRoot(t), "geodata"))
	if err != nil {
		t.Fatal(err)
	}
	zone, _ := time.LoadLocation("Asia/Shanghai")
	rdb, prefix := testsvc.Redis(t)
	file := auth.NewFile(filepath.Join(t.TempDir(), "auth.json"))
	wallToken, _ := file.AddToken("hall", "wall", 0, 0)
	ingestToken, _ := file.AddToken("hotline", "ingest:hotline12345", 0, 0)
	for name, role := range testUsers {
		if err := file.AddUser(name, name, role, testPassword); err != nil {
			t.Fatal(err)
		}
	}
	if err := file.AddUser("matrix", "matrix", "reviewer", testPassword); err != nil {
		t.Fatal(err)
	}
	store, err := auth.OpenStore(file.Path())
	if err != nil {
		t.Fatal(err)
	}
	sessions := auth.NewRedisSessions(rdb, prefix, store)
	lockout, err := auth.NewLockout(rdb, prefix, auth.DefaultLockout)
	if err != nil {
		t.Fatal(err)
	}
	authDeps := AuthDeps{Store: store, Sessions: sessions, Limiter: auth.NewLimiter(100), DefaultRate: 1e6, DefaultBurst: 1e6}
	login := LoginDeps{Lockout: lockout, Audit: &fakeAudit{}, AuditLog: matrixAuditLog{}}
	log := redisbus.NewLog(rdb, redisbus.NewKeys(prefix), time.Hour)
	roster, err := duty.Load(filepath.Join(testsvc.RepoRoot(t), "geodata"), func(id string) bool { _, ok := district.Grid(id); return ok })
	if err != nil {
		t.Fatal(err)
	}
	dir, err := directory.Load(filepath.Join(testsvc.RepoRoot(t), "geodata"), roster.Grids(), streetCodes(district))
	if err != nil {
		t.Fatal(err)
	}
	cases := redisbus.NewCaseStore(log, redisbus.CaseOptions{})
	rules := &workflow.Rules{Directory: dir, SLA: workflow.DefaultPolicy, Care: workflow.DefaultCare}
	store2 := chstore.New(testsvc.ClickHouseDatabase(t), zone, redisbus.NewLock(rdb, prefix+"migrate", 30*time.Second))
	s, err := New(Deps{
		District:    district,
		Registry:    prometheus.NewRegistry(),
		FrontendDir: t.TempDir(),
		Ingest:      ingest.New(district, log, zone),
		Auth:        authDeps,
		Login:       login,
		Live:        matrixHub{},
		Workflow:    workflow.NewService(rules, cases, cases),
		Duty:        roster,
		Stats:       history.NewStats(store2, zone),
		Directory:   dir,
		Zone:        zone,
	})
	if err != nil {
		t.Fatal(err)
	}

	roles := []matrixRole{{name: "anonymous"}, {name: "wall", role: "wall"}, {name: "ingest", role: "ingest:hotline12345", bearer: ingestToken}}
	wall, err := store.Authenticate(wallToken)
	if err != nil {
		t.Fatal(err)
	}
	roles[1].p = wall
	users := make([]string, 0, len(testUsers))
	for name := range testUsers {
		users = append(users, name)
	}
	slices.Sort(users)
	for _, name := range users {
		p, err := store.Login(name, testPassword)
		if err != nil {
			t.Fatal(err)
		}
		roles = append(roles, matrixRole{name: string(p.Role), role: p.Role, p: p})
	}
	return &matrixFixture{engine: s.engine, roles: roles, sessions: sessions}
}

func streetCodes(d *grid.District) []string {
	var codes []string
	for _, st := range d.Streets {
		codes = append(codes, st.Code)
	}
	return codes
}

// TestRoleMatrix sends every route of the engine a request from every role
// and from nobody, and checks 2xx / 401 / 403 against routeMatrix and the
// roles table. Cookie callers send their session's CSRF token, so a 403
// can only come from the role.
func TestRoleMatrix(t *testing.T) {
	fx := newMatrixServer(t)
	routes := fx.engine.Routes()
	seen := map[string]bool{}
	var n atomic.Int64
	for _, r := range routes {
		key := r.Method + " " + r.Path
		seen[key] = true
		entry, ok := routeMatrix[key]
		if !ok {
			t.Errorf("route %s has no entry in routeMatrix (matrix_test.go): decide which roles may call it", key)
			continue
		}
		for _, role := range fx.roles {
			t.Run(strings.ReplaceAll(key, "/", "_")+"/"+role.name, func(t *testing.T) {
				want := expected(entry, role)
				got := fx.request(t, r, entry, role, int(n.Add(1)))
				switch {
				case want == 0 && (got.Code < 200 || got.Code > 299):
					t.Fatalf("%s as %s: %d %s; want 2xx", key, role.name, got.Code, got.Body)
				case want != 0 && got.Code != want:
					t.Fatalf("%s as %s: %d %s; want %d", key, role.name, got.Code, got.Body, want)
				}
			})
		}
	}
	for key := range routeMatrix {
		if !seen[key] {
			t.Errorf("routeMatrix has %s, which the engine does not serve: remove it", key)
		}
	}
}

// expected is the status role must get from entry (0: any 2xx).
func expected(entry matrixEntry, role matrixRole) int {
	switch {
	case entry.public:
		return entry.want
	case role.role == "":
		return http.StatusUnauthorized
	case entry.perm != anyPrincipal && !role.role.Can(entry.perm):
		return http.StatusForbidden
	}
	return entry.want
}

// request sends route r the sample request of entry as role; a cookie
// caller gets a fresh session (a logout must not end the next request's).
func (fx *matrixFixture) request(t *testing.T, r gin.RouteInfo, entry matrixEntry, role matrixRole, n int) *httptest.ResponseRecorder {
	t.Helper()
	target := entry.target
	if target == "" {
		target = r.Path
	}
	var body string
	if entry.body != nil {
		body = entry.body(n)
	}
	req := httptest.NewRequest(r.Method, target, strings.NewReader(body))
	req.RemoteAddr = fmt.Sprintf("192.0.2.%d:4000", n%250+1)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	switch {
	case role.bearer != "":
		req.Header.Set("Authorization", "Bearer "+role.bearer)
	case role.role != "":
		s, err := fx.sessions.Create(testsvc.Context(t), role.p, auth.SessionPolicy{Idle: time.Hour, Absolute: time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: s.ID})
		req.Header.Set(csrfHeader, s.CSRF)
		req.Header.Set("Origin", "http://example.com")
	}
	w := httptest.NewRecorder()
	fx.engine.ServeHTTP(w, req)
	return w
}
