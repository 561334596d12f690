package httpapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/redis/go-redis/v9"

	"github.com/gridcc/gridcc/backend/audit"
	"github.com/gridcc/gridcc/backend/auth"
	"github.com/gridcc/gridcc/backend/event"
	"github.com/gridcc/gridcc/backend/testsvc"
)

// testPassword passes the password rules; every test user has it.
const testPassword = "Correct-Horse-9"

// testUsers are the people of the login fixture, one per human role.
var testUsers = map[string]auth.Role{
	"zhang": "officer",
	"li":    "street:411602001",
	"wang":  "community:C-001",
	"zhao":  "responder:R-17",
	"qian":  "reviewer",
	"sun":   "admin",
}

// trustedProxy is the only proxy the fixture's engine believes: requests
// from 10.1.0.0/16 may name the client in X-Forwarded-For.
const trustedProxy = "10.1.0.0/16"

// fakeAudit records audit records in memory.
type fakeAudit struct {
	mu   sync.Mutex
	recs []audit.Record
}

func (f *fakeAudit) Record(r audit.Record) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.recs = append(f.recs, r.Normalize())
}

// find returns the records with action and outcome.
func (f *fakeAudit) find(action string, outcome audit.Outcome) []audit.Record {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []audit.Record
	for _, r := range f.recs {
		if r.Action == action && r.Outcome == outcome {
			out = append(out, r)
		}
	}
	return out
}

// fakeDisconnect records the names whose sockets were to be closed.
type fakeDisconnect struct {
	mu    sync.Mutex
	names []string
}

func (f *fakeDisconnect) disconnect(name string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.names = append(f.names, name)
}

// Publish implements Logouts: in the fixture every "replica" is this one.
func (f *fakeDisconnect) Publish(_ context.Context, name string) error {
	f.disconnect(name)
	return nil
}

func (f *fakeDisconnect) calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.names...)
}

// loginFixture is an engine with the auth routes, real Redis sessions and
// lockout, a fake audit recorder and a fake disconnect, plus test routes:
//
//	POST /api/v1/test/events/:id/act  authz(events.act), notes "dispatch to R-17"
//	POST /api/v1/test/any             authz(any principal)
//	POST /api/v1/test/wf/:id/:action  authz(events.read), then authorizeEvent(testEvent(id), action)
//	GET  /api/v1/test/events/:id      authz(events.read), answers reveal(testEvent(id))
//	GET  /api/v1/test/live            authz(watch), keeps liveClient in fx.live
type loginFixture struct {
	engine   *gin.Engine
	auth     *authenticator
	file     *auth.File
	store    *auth.Store
	sessions auth.Sessions
	rdb      *redis.Client
	prefix   string
	audit    *fakeAudit
	disc     *fakeDisconnect
	wall     string // a wall token
	ingest   string // an ingest token
	live     LiveClient
}

// fastLockout locks after 3 failures of a name or 6 from an IP, for 2 s.
var fastLockout = auth.LockoutPolicy{UserFailures: 3, IPFailures: 6, Window: time.Minute, Lock: 2 * time.Second}

func newLoginFixture(t *testing.T, change ...func(*LoginDeps)) *loginFixture {
	t.Helper()
	gin.SetMode(gin.TestMode)
	tmpl, err := fixtureAuthFile()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "auth.json")
	if err := os.WriteFile(path, tmpl.body, 0o600); err != nil {
		t.Fatal(err)
	}
	fx := &loginFixture{file: auth.NewFile(path), audit: &fakeAudit{}, disc: &fakeDisconnect{}, wall: tmpl.wall, ingest: tmpl.ingest}
	fx.rdb, fx.prefix = testsvc.Redis(t)
	if fx.store, err = auth.OpenStore(fx.file.Path()); err != nil {
		t.Fatal(err)
	}
	fx.sessions = auth.NewRedisSessions(fx.rdb, fx.prefix, fx.store)
	lockout, err := auth.NewLockout(fx.rdb, fx.prefix, fastLockout)
	if err != nil {
		t.Fatal(err)
	}
	deps := LoginDeps{Lockout: lockout, Audit: fx.audit, Logouts: fx.disc}
	for _, ch := range change {
		ch(&deps)
	}
	fx.auth = &authenticator{store: fx.store, sessions: fx.sessions, limiter: auth.NewLimiter(100), defaultRate: 1000, defaultBurst: 1000}
	e := gin.New()
	if err := e.SetTrustedProxies([]string{trustedProxy}); err != nil {
		t.Fatal(err)
	}
	e.Use(logRequests())
	v1 := e.Group("/api/v1")
	registerAuthRoutes(v1, fx.auth, deps)
	v1.POST("/test/events/:id/act", fx.auth.authz(auth.PermEventsAct), func(c *gin.Context) {
		auditNote(c, "dispatch to %s", "R-17")
		c.Status(http.StatusOK)
	})
	v1.POST("/test/any", fx.auth.authz(anyPrincipal), func(c *gin.Context) { c.Status(http.StatusNoContent) })
	// As the workflow routes do: read permission on the route, the action
	// decided by authorizeEvent once the event is loaded.
	v1.POST("/test/wf/:id/:action", fx.auth.authz(auth.PermEventsRead), func(c *gin.Context) {
		e := testEvent(c.Param("id"))
		if err := authorizeEvent(c, &e, c.Param("action")); err != nil {
			writeError(c, err)
			return
		}
		c.Status(http.StatusOK)
	})
	v1.GET("/test/events/:id", fx.auth.authz(auth.PermEventsRead), func(c *gin.Context) {
		c.JSON(http.StatusOK, reveal(c, testEvent(c.Param("id"))))
	})
	v1.GET("/test/live", fx.auth.authz(auth.PermWatch), func(c *gin.Context) {
		fx.live = liveClient(c)
		c.Status(http.StatusNoContent)
	})
	fx.engine = e
	return fx
}

// authFileTemplate is the fixture's auth file, made once: hashing six
// passwords per test would cost seconds under -race.
type authFileTemplate struct {
	body         []byte
	wall, ingest string
}

var fixtureAuthFile = sync.OnceValues(func() (authFileTemplate, error) {
	dir, err := os.MkdirTemp("", "gridcc-authfile-")
	if err != nil {
		return authFileTemplate{}, err
	}
	defer os.RemoveAll(dir)
	f := auth.NewFile(filepath.Join(dir, "auth.json"))
	var tmpl authFileTemplate
	if tmpl.wall, err = f.AddToken("hall", "wall", 0, 0); err != nil {
		return tmpl, err
	}
	if tmpl.ingest, err = f.AddToken("hotline", "ingest:hotline12345", 0, 0); err != nil {
		return tmpl, err
	}
	for name, role := range testUsers {
		if err := f.AddUser(name, "用户"+name, role, testPassword); err != nil {
			return tmpl, err
		}
	}
	tmpl.body, err = os.ReadFile(f.Path())
	return tmpl, err
})

// testEvent is a hotline case in street 411602001, community C-001,
// dispatched to responder R-17, with every personal field set.
func testEvent(id string) event.Event {
	return event.Event{ID: id, Kind: event.Hotline, Category: "dispute", Severity: event.High, Status: "open",
		Title: "邻里纠纷 13812345678", StreetCode: "411602001", CommunityID: "C-001", Assignee: "R-17",
		CallerName: "叶建国", CallerPhone: "13812345678", Address: "七一路街道建设社区人民路12号3单元"}
}

// request is one test request.
type request struct {
	method, target, body string
	cookie               string // session id
	csrf                 string // X-CSRF-Token
	bearer               string // token
	remote               string // peer address; default 192.0.2.1:40000
	xff                  string // X-Forwarded-For
	contentType          string // default application/json when body is set
}

func (fx *loginFixture) do(r request) *httptest.ResponseRecorder {
	req := httptest.NewRequest(r.method, r.target, strings.NewReader(r.body))
	req.RemoteAddr = "192.0.2.1:40000"
	if r.remote != "" {
		req.RemoteAddr = r.remote
	}
	if r.body != "" {
		ct := r.contentType
		if ct == "" {
			ct = "application/json"
		}
		req.Header.Set("Content-Type", ct)
	}
	if r.cookie != "" {
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: r.cookie})
	}
	if r.csrf != "" {
		req.Header.Set(csrfHeader, r.csrf)
	}
	if r.bearer != "" {
		req.Header.Set("Authorization", "Bearer "+r.bearer)
	}
	if r.xff != "" {
		req.Header.Set("X-Forwarded-For", r.xff)
	}
	w := httptest.NewRecorder()
	fx.engine.ServeHTTP(w, req)
	return w
}

func loginBody(name, password string) string {
	return fmt.Sprintf(`{"name":%q,"password":%q}`, name, password)
}

// login logs name in and returns its session id and CSRF token.
func (fx *loginFixture) login(t *testing.T, name string) (cookie, csrf string) {
	t.Helper()
	w := fx.do(request{method: "POST", target: "/api/v1/login", body: loginBody(name, testPassword)})
	if w.Code != http.StatusOK {
		t.Fatalf("login %s: %d %s", name, w.Code, w.Body)
	}
	var me MeResponse
	if err := json.Unmarshal(w.Body.Bytes(), &me); err != nil {
		t.Fatal(err)
	}
	for _, ck := range w.Result().Cookies() {
		if ck.Name == sessionCookie {
			return ck.Value, me.CSRFToken
		}
	}
	t.Fatalf("login %s: no session cookie", name)
	return "", ""
}
