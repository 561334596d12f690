package httpapi

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/redis/go-redis/v9"

	"github.com/gridcc/gridcc/backend/auth"
	"github.com/gridcc/gridcc/backend/testsvc"
)

// authFixture is an authenticator over a fresh auth file holding a wall
// token, an ingest token and a revoked one, mounted on a bare Gin engine:
//
//	GET /wall           exchangeToken, then 200 "page"
//	GET /api/ingest     require(IsIngest), then 200 "<name> <via>"
//	GET /api/wall       require(wall), likewise
type authFixture struct {
	engine                *gin.Engine
	auth                  *authenticator
	file                  *auth.File
	wall, ingest, revoked string
}

// sessions is nil for tests that send no cookie and exchange nothing.
func newAuthFixture(t *testing.T, sessions func(*auth.Store) auth.Sessions) *authFixture {
	t.Helper()
	gin.SetMode(gin.TestMode)
	path := filepath.Join(t.TempDir(), "auth.json")
	fx := &authFixture{file: auth.NewFile(path)}
	add := func(name, role string, rate float64, burst int) string {
		r, err := auth.ParseRole(role)
		if err != nil {
			t.Fatal(err)
		}
		tok, err := fx.file.AddToken(name, r, rate, burst)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	fx.wall = add("hall-wall", "wall", 0, 0)
	fx.ingest = add("hotline", "ingest:hotline12345", 1, 2)
	fx.revoked = add("old", "ingest:old", 0, 0)
	if err := fx.file.RevokeToken("old"); err != nil {
		t.Fatal(err)
	}
	store, err := auth.OpenStore(path)
	if err != nil {
		t.Fatal(err)
	}
	fx.auth = &authenticator{store: store, limiter: auth.NewLimiter(100), defaultRate: 1000, defaultBurst: 1000}
	if sessions != nil {
		fx.auth.sessions = sessions(store)
	}
	e := gin.New()
	echo := func(c *gin.Context) { c.String(http.StatusOK, principal(c).Name+" "+credentialVia(c)) }
	e.GET("/wall", fx.auth.exchangeToken(), func(c *gin.Context) { c.String(http.StatusOK, "page") })
	e.GET("/api/ingest", fx.auth.require(auth.Role.IsIngest), echo)
	e.GET("/api/wall", fx.auth.require(func(r auth.Role) bool { return r.Kind() == auth.KindWall }), echo)
	fx.engine = e
	return fx
}

func redisSessions(t *testing.T) func(*auth.Store) auth.Sessions {
	rdb, prefix := testsvc.Redis(t)
	return func(s *auth.Store) auth.Sessions { return auth.NewRedisSessions(rdb, prefix, s) }
}

func (fx *authFixture) do(method, target string, header ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Add(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	fx.engine.ServeHTTP(w, req)
	return w
}

func TestRequire(t *testing.T) {
	fx := newAuthFixture(t, nil)
	tests := []struct {
		name   string
		path   string
		auth   string // Authorization header
		status int
		body   string // substring
	}{
		{"OK/ingest", "/api/ingest", "Bearer " + fx.ingest, 200, "hotline bearer"},
		{"OK/lowercaseScheme", "/api/wall", "bearer " + fx.wall, 200, "hall-wall bearer"},
		{"ErrNoCredentials", "/api/ingest", "", 401, `"code":"unauthorized"`},
		{"ErrBasicScheme", "/api/ingest", "Basic " + fx.ingest, 401, "must be `Bearer"},
		{"ErrMalformed", "/api/ingest", "Bearer gcc_short", 401, "malformed"},
		{"ErrRevoked", "/api/ingest", "Bearer " + fx.revoked, 401, "unknown or revoked"},
		{"ErrWrongRole", "/api/ingest", "Bearer " + fx.wall, 403, "role wall may not"},
		{"ErrIngestOnWall", "/api/wall", "Bearer " + fx.ingest, 403, "forbidden"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var h []string
			if tt.auth != "" {
				h = []string{"Authorization", tt.auth}
			}
			w := fx.do("GET", tt.path, h...)
			if w.Code != tt.status || !strings.Contains(w.Body.String(), tt.body) {
				t.Fatalf("%d %s; want %d with %q", w.Code, w.Body, tt.status, tt.body)
			}
			if tt.status == 401 && w.Header().Get("WWW-Authenticate") == "" {
				t.Error("401 without WWW-Authenticate")
			}
			for _, tok := range []string{fx.ingest, fx.wall, fx.revoked} {
				if tt.status != 200 && strings.Contains(w.Body.String(), tok) {
					t.Error("the error echoes a token")
				}
			}
		})
	}
}

func TestRequireRateLimit(t *testing.T) {
	fx := newAuthFixture(t, nil)
	// hotline has rate 1/s, burst 2 of its own.
	for i := range 2 {
		if w := fx.do("GET", "/api/ingest", "Authorization", "Bearer "+fx.ingest); w.Code != 200 {
			t.Fatalf("request %d: %d", i, w.Code)
		}
	}
	w := fx.do("GET", "/api/ingest", "Authorization", "Bearer "+fx.ingest)
	var body ErrorBody
	_ = json.Unmarshal(w.Body.Bytes(), &body)
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") != "1" || body.Error.Code != "rate_limited" {
		t.Fatalf("third request: %d Retry-After=%q %s", w.Code, w.Header().Get("Retry-After"), w.Body)
	}
	// The wall token has no limits of its own: the defaults apply.
	fx.auth.defaultRate, fx.auth.defaultBurst = 0.1, 1
	fx.do("GET", "/api/wall", "Authorization", "Bearer "+fx.wall)
	w = fx.do("GET", "/api/wall", "Authorization", "Bearer "+fx.wall)
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") != "10" {
		t.Fatalf("default limits: %d Retry-After=%q", w.Code, w.Header().Get("Retry-After"))
	}
}

func TestExchangeToken(t *testing.T) {
	logs := captureLogs(t)
	for _, secure := range []bool{false, true} {
		fx := newAuthFixture(t, redisSessions(t))
		fx.auth.secureCookies = secure
		w := fx.do("GET", "/wall?mode=night&token="+fx.wall+"&street=411602001")
		if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/wall?mode=night&street=411602001" {
			t.Fatalf("exchange: %d Location=%q", w.Code, w.Header().Get("Location"))
		}
		cookies := w.Result().Cookies()
		if len(cookies) != 1 {
			t.Fatalf("cookies: %v", cookies)
		}
		ck := cookies[0]
		if ck.Name != "gridcc_session" || !ck.HttpOnly || ck.SameSite != http.SameSiteStrictMode || ck.Path != "/" ||
			ck.MaxAge != int(auth.WallSessionTTL.Seconds()) || ck.Secure != secure || len(ck.Value) != 43 {
			t.Fatalf("cookie: %s", w.Header().Get("Set-Cookie"))
		}
		if w.Header().Get("Cache-Control") != "no-store" {
			t.Error("the redirect may be cached")
		}

		cookie := "gridcc_session=" + ck.Value
		if w := fx.do("GET", "/api/wall", "Cookie", cookie); w.Code != 200 || w.Body.String() != "hall-wall cookie" {
			t.Fatalf("cookie on an API route: %d %s", w.Code, w.Body)
		}
		// The Authorization header, when present, decides alone.
		if w := fx.do("GET", "/api/wall", "Cookie", cookie, "Authorization", "Bearer gcc_bad"); w.Code != 401 {
			t.Fatalf("bad bearer beside a good cookie: %d", w.Code)
		}
		if w := fx.do("GET", "/api/ingest", "Cookie", cookie); w.Code != 403 {
			t.Fatalf("wall cookie on an ingest route: %d", w.Code)
		}
		if w := fx.do("GET", "/api/wall", "Cookie", "gridcc_session=forged"); w.Code != 401 {
			t.Fatalf("forged cookie: %d", w.Code)
		}
		for _, secret := range []string{fx.wall, ck.Value} {
			if strings.Contains(logs.String(), secret) {
				t.Fatalf("the log holds a token or session id:\n%s", logs)
			}
		}
	}
}

func TestExchangeTokenRefused(t *testing.T) {
	fx := newAuthFixture(t, redisSessions(t))
	tests := []struct {
		name, method, target string
		status               int
		body                 string
	}{
		{"OK/noToken", "GET", "/wall?mode=night", 200, "page"},
		{"OK/notGET", "HEAD", "/wall?token=" + fx.wall, 200, ""},
		{"ErrUnknown", "GET", "/wall?token=gcc_" + strings.Repeat("A", 43), 401, "令牌无效"},
		{"ErrRevoked", "GET", "/wall?token=" + fx.revoked, 401, "revoked"},
		{"ErrEmpty", "GET", "/wall?token=", 401, "unknown"},
		{"ErrIngestToken", "GET", "/wall?token=" + fx.ingest, 403, "Bearer"},
	}
	fx.engine.HEAD("/wall", fx.auth.exchangeToken(), func(c *gin.Context) { c.Status(200) })
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := fx.do(tt.method, tt.target)
			if w.Code != tt.status || !strings.Contains(w.Body.String(), tt.body) {
				t.Fatalf("%d %s; want %d with %q", w.Code, w.Body, tt.status, tt.body)
			}
			if w.Code != 200 && (w.Header().Get("Set-Cookie") != "" || w.Header().Get("Referrer-Policy") != "no-referrer") {
				t.Errorf("refusal headers: %v", w.Header())
			}
			for _, tok := range []string{fx.ingest, fx.wall, fx.revoked} {
				if strings.Contains(w.Body.String(), tok) {
					t.Error("the page echoes a token")
				}
			}
		})
	}
}

func TestSessionsUnavailable(t *testing.T) {
	dead := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", DialTimeout: 100 * time.Millisecond, MaxRetries: -1, DialerRetries: 1, DialerRetryTimeout: time.Millisecond, DisableIdentity: true})
	t.Cleanup(func() { dead.Close() })
	fx := newAuthFixture(t, func(s *auth.Store) auth.Sessions { return auth.NewRedisSessions(dead, "x:", s) })
	if w := fx.do("GET", "/wall?token="+fx.wall); w.Code != 503 || w.Header().Get("Set-Cookie") != "" {
		t.Fatalf("exchange with Redis down: %d", w.Code)
	}
	if w := fx.do("GET", "/api/wall", "Cookie", "gridcc_session="+strings.Repeat("A", 43)); w.Code != 503 {
		t.Fatalf("cookie with Redis down: %d", w.Code)
	}
}

func TestLocalURL(t *testing.T) {
	tests := []struct{ path, query, want string }{
		{"/wall", "", "/wall"},
		{"/wall", "a=1&b=2", "/wall?a=1&b=2"},
		{"//evil.example/x", "", "/evil.example/x"},
		{`/\evil.example`, "", "/evil.example"},
		{"", "", "/"},
		{"/%E5%A4%A7%E5%B1%8F", "", "/%E5%A4%A7%E5%B1%8F"},
	}
	for _, tt := range tests {
		if got := localURL(tt.path, tt.query); got != tt.want {
			t.Errorf("localURL(%q, %q) = %q, want %q", tt.path, tt.query, got, tt.want)
		}
	}
}

// syncBuffer is a log sink safe to read while handlers write to it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// captureLogs sends the default slog logger, at debug level, to a buffer.
func captureLogs(t *testing.T) *syncBuffer {
	t.Helper()
	logs := &syncBuffer{}
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	t.Cleanup(func() { slog.SetDefault(old) })
	return logs
}
