package httpapi

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gridcc/gridcc/backend/apperr"
	"github.com/gridcc/gridcc/backend/audit"
	"github.com/gridcc/gridcc/backend/auth"
	"github.com/gridcc/gridcc/backend/testsvc"
)

func TestLogin(t *testing.T) {
	for _, secure := range []bool{false, true} {
		fx := newLoginFixture(t)
		fx.auth.secureCookies = secure
		w := fx.do(request{method: "POST", target: "/api/v1/login", body: loginBody("li", testPassword)})
		if w.Code != http.StatusOK || w.Header().Get("Cache-Control") != "no-store" {
			t.Fatalf("login: %d %s", w.Code, w.Body)
		}
		var me MeResponse
		if err := json.Unmarshal(w.Body.Bytes(), &me); err != nil {
			t.Fatal(err)
		}
		if me.Name != "li" || me.Display != "用户li" || me.Role != "street:411602001" || len(me.CSRFToken) != 43 ||
			me.Via != "cookie" || !slices.Equal(me.Scope.Streets, []string{"411602001"}) || me.Scope.Communities != nil ||
			!slices.Contains(me.Permissions, auth.PermEventsAct) || me.ExpiresAt == nil ||
			time.Until(*me.ExpiresAt) < auth.DefaultAbsolute-time.Minute {
			t.Fatalf("login answer: %+v", me)
		}
		cookies := w.Result().Cookies()
		if len(cookies) != 1 {
			t.Fatalf("cookies: %v", cookies)
		}
		ck := cookies[0]
		if ck.Name != sessionCookie || !ck.HttpOnly || ck.SameSite != http.SameSiteStrictMode || ck.Path != "/" ||
			ck.MaxAge != 0 || !ck.Expires.IsZero() || ck.Secure != secure || len(ck.Value) != 43 || ck.Value == me.CSRFToken {
			t.Fatalf("cookie: %s", w.Header().Get("Set-Cookie"))
		}

		w = fx.do(request{method: "GET", target: "/api/v1/me", cookie: ck.Value})
		var again MeResponse
		_ = json.Unmarshal(w.Body.Bytes(), &again)
		if w.Code != http.StatusOK || again.CSRFToken != me.CSRFToken || again.Name != "li" {
			t.Fatalf("me: %d %s", w.Code, w.Body)
		}
		recs := fx.audit.find("login", audit.Success)
		if len(recs) != 1 || recs[0].User != "li" || recs[0].Role != "street:411602001" || recs[0].IP != "192.0.2.1" {
			t.Fatalf("audit: %+v", recs)
		}
	}
}

func TestLoginRejects(t *testing.T) {
	fx := newLoginFixture(t)
	generic := fx.do(request{method: "POST", target: "/api/v1/login", body: loginBody("zhang", "Wrong-Horse-99")})
	tests := []struct {
		name   string
		req    request
		status int
		body   string
	}{
		{"ErrWrongPassword", request{body: loginBody("zhang", "Wrong-Horse-99")}, 401, "wrong name or password"},
		{"ErrUnknownName", request{body: loginBody("nobody", testPassword)}, 401, "wrong name or password"},
		{"ErrTokenName", request{body: loginBody("hall", testPassword)}, 401, "wrong name or password"},
		{"ErrFormPost", request{body: "name=zhang&password=x", contentType: "application/x-www-form-urlencoded"}, 400, "Content-Type"},
		{"ErrTextPlain", request{body: loginBody("zhang", testPassword), contentType: "text/plain"}, 400, "Content-Type"},
		{"ErrTooLarge", request{body: `{"name":"zhang","password":"` + strings.Repeat("x", 5000) + `"}`}, 413, "too_large"},
		{"ErrUnknownField", request{body: `{"name":"zhang","password":"x","remember":true}`}, 400, "no other fields"},
		{"ErrTrailing", request{body: loginBody("zhang", testPassword) + `{}`}, 400, "data after"},
		{"ErrNumber", request{body: `{"name":"zhang","password":12345}`}, 400, "string values"},
		{"ErrNoPassword", request{body: `{"name":"zhang"}`}, 400, `"field":"password"`},
		{"ErrNoBody", request{contentType: "application/json"}, 400, "invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.req.method, tt.req.target = "POST", "/api/v1/login"
			w := fx.do(tt.req)
			if w.Code != tt.status || !strings.Contains(w.Body.String(), tt.body) {
				t.Fatalf("%d %s; want %d with %q", w.Code, w.Body, tt.status, tt.body)
			}
			if w.Header().Get("Set-Cookie") != "" {
				t.Error("a refused login set a cookie")
			}
			if tt.status == 401 && w.Body.String() != generic.Body.String() {
				t.Errorf("answers differ: %s vs %s (they must not tell which names exist)", w.Body, generic.Body)
			}
		})
	}
	// Failures are audited under the name only when it is a user's.
	fails := fx.audit.find("login", audit.Failure)
	var users []string
	for _, r := range fails {
		users = append(users, r.User)
	}
	slices.Sort(users)
	if !slices.Equal(users, []string{"(unknown)", "(unknown)", "zhang", "zhang"}) {
		t.Fatalf("audited failures: %v", users)
	}
}

func TestLoginLockout(t *testing.T) {
	fx := newLoginFixture(t)
	login := func(name, password, xff string) (int, string) {
		w := fx.do(request{method: "POST", target: "/api/v1/login", body: loginBody(name, password), remote: "10.1.0.9:5000", xff: xff})
		return w.Code, w.Header().Get("Retry-After")
	}
	t.Run("OK/nameLocked", func(t *testing.T) {
		for i := range fastLockout.UserFailures {
			if code, _ := login("zhang", "Wrong-Horse-99", "203.0.113."+strconv.Itoa(i+1)); code != 401 {
				t.Fatalf("failure %d: %d", i+1, code)
			}
		}
		// Locked from any address, even with the right password.
		code, wait := login("zhang", testPassword, "203.0.113.50")
		if code != http.StatusTooManyRequests || (wait != "1" && wait != "2") {
			t.Fatalf("locked name: %d Retry-After=%q", code, wait)
		}
		if recs := fx.audit.find("login", audit.Locked); len(recs) != 1 || recs[0].User != "zhang" || recs[0].IP != "203.0.113.50" {
			t.Fatalf("audit of the locked attempt: %+v", recs)
		}
		if code, _ := login("li", testPassword, "203.0.113.50"); code != 200 {
			t.Fatalf("another name from the same address: %d", code)
		}
		time.Sleep(fastLockout.Lock + 200*time.Millisecond)
		if code, _ := login("zhang", testPassword, "203.0.113.50"); code != 200 {
			t.Fatalf("after the lock: %d", code)
		}
	})
	t.Run("OK/addressLocked", func(t *testing.T) {
		for i := range fastLockout.IPFailures {
			login("guess"+strconv.Itoa(i), "Wrong-Horse-99", "198.51.100.7")
		}
		if code, wait := login("qian", testPassword, "198.51.100.7"); code != http.StatusTooManyRequests || wait == "" {
			t.Fatalf("locked address: %d Retry-After=%q", code, wait)
		}
		if code, _ := login("qian", testPassword, "198.51.100.8"); code != 200 {
			t.Fatalf("another address: %d", code)
		}
	})
}

func TestSessionIdleAndAbsolute(t *testing.T) {
	t.Run("ErrIdle", func(t *testing.T) {
		fx := newLoginFixture(t, func(d *LoginDeps) { d.Policy = auth.SessionPolicy{Idle: time.Second, Absolute: time.Hour} })
		cookie, _ := fx.login(t, "zhang")
		// Activity slides the idle timeout.
		for range 5 {
			time.Sleep(400 * time.Millisecond)
			if w := fx.do(request{method: "GET", target: "/api/v1/me", cookie: cookie}); w.Code != 200 {
				t.Fatalf("active session ended: %d", w.Code)
			}
		}
		time.Sleep(1300 * time.Millisecond)
		if w := fx.do(request{method: "GET", target: "/api/v1/me", cookie: cookie}); w.Code != 401 {
			t.Fatalf("idle session: %d", w.Code)
		}
	})
	t.Run("ErrAbsolute", func(t *testing.T) {
		fx := newLoginFixture(t, func(d *LoginDeps) { d.Policy = auth.SessionPolicy{Idle: time.Second, Absolute: 2 * time.Second} })
		cookie, _ := fx.login(t, "zhang")
		end := time.Now().Add(2 * time.Second)
		for time.Until(end) > 300*time.Millisecond {
			if w := fx.do(request{method: "GET", target: "/api/v1/me", cookie: cookie}); w.Code != 200 {
				t.Fatalf("session ended early: %d", w.Code)
			}
			time.Sleep(200 * time.Millisecond)
		}
		time.Sleep(time.Until(end) + 200*time.Millisecond)
		if w := fx.do(request{method: "GET", target: "/api/v1/me", cookie: cookie}); w.Code != 401 {
			t.Fatalf("session past its absolute end: %d", w.Code)
		}
	})
}

func TestCSRF(t *testing.T) {
	fx := newLoginFixture(t)
	cookie, csrf := fx.login(t, "zhang")
	_, otherCSRF := fx.login(t, "zhang") // zhang's other session: its token is not this one's
	wrong := "x" + csrf[1:]
	if csrf[0] == 'x' { // one token in 64 starts with x
		wrong = "y" + csrf[1:]
	}
	tests := []struct {
		name   string
		req    request
		status int
	}{
		{"OK/cookieWithToken", request{method: "POST", target: "/api/v1/test/any", cookie: cookie, csrf: csrf}, 204},
		{"OK/cookieRead", request{method: "GET", target: "/api/v1/me", cookie: cookie}, 200},
		{"OK/bearerExempt", request{method: "POST", target: "/api/v1/test/any", bearer: fx.wall}, 204},
		{"ErrNoToken", request{method: "POST", target: "/api/v1/test/any", cookie: cookie}, 403},
		{"ErrWrongToken", request{method: "POST", target: "/api/v1/test/any", cookie: cookie, csrf: wrong}, 403},
		{"ErrOtherSessionsToken", request{method: "POST", target: "/api/v1/test/any", cookie: cookie, csrf: otherCSRF}, 403},
		{"ErrLogoutWithoutToken", request{method: "POST", target: "/api/v1/logout", cookie: cookie}, 403},
		{"ErrActionWithoutToken", request{method: "POST", target: "/api/v1/test/events/ev-1/act", cookie: cookie}, 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := fx.do(tt.req)
			if w.Code != tt.status {
				t.Fatalf("%d %s; want %d", w.Code, w.Body, tt.status)
			}
			if tt.status == 403 && !strings.Contains(w.Body.String(), csrfHeader) {
				t.Errorf("403 does not name the header: %s", w.Body)
			}
		})
	}
	denied := fx.audit.find("deny", audit.Denied)
	if len(denied) != 5 || denied[0].User != "zhang" || !strings.Contains(denied[0].Detail, "status=403") {
		t.Fatalf("CSRF refusals audited: %+v", denied)
	}
}

func TestLogout(t *testing.T) {
	fx := newLoginFixture(t)
	cookie, csrf := fx.login(t, "zhang")
	second, _ := fx.login(t, "zhang")
	w := fx.do(request{method: "POST", target: "/api/v1/logout", cookie: cookie, csrf: csrf})
	if w.Code != http.StatusNoContent {
		t.Fatalf("logout: %d %s", w.Code, w.Body)
	}
	if ck := w.Result().Cookies(); len(ck) != 1 || ck[0].MaxAge >= 0 || ck[0].Value != "" {
		t.Fatalf("cookie not cleared: %v", w.Header().Values("Set-Cookie"))
	}
	if w := fx.do(request{method: "GET", target: "/api/v1/me", cookie: cookie}); w.Code != 401 {
		t.Fatalf("session after logout: %d", w.Code)
	}
	if w := fx.do(request{method: "GET", target: "/api/v1/me", cookie: second}); w.Code != 200 {
		t.Fatalf("the user's other session ended too: %d", w.Code)
	}
	if got := fx.disc.calls(); !slices.Equal(got, []string{"zhang"}) {
		t.Fatalf("disconnect calls: %v", got)
	}
	if recs := fx.audit.find("logout", audit.Success); len(recs) != 1 || recs[0].User != "zhang" {
		t.Fatalf("audit: %+v", recs)
	}
	// A screen's logout ends its session but leaves the other screens of
	// its token connected.
	sess, err := fx.sessions.Create(testsvc.Context(t), mustAuthenticate(t, fx.store, fx.wall), auth.TokenSessionPolicy("wall"))
	if err != nil {
		t.Fatal(err)
	}
	if w := fx.do(request{method: "POST", target: "/api/v1/logout", cookie: sess.ID, csrf: sess.CSRF}); w.Code != 204 {
		t.Fatalf("screen logout: %d", w.Code)
	}
	if got := fx.disc.calls(); len(got) != 1 {
		t.Fatalf("a screen logout disconnected %v", got)
	}
	// A bearer token has nothing to log out.
	if w := fx.do(request{method: "POST", target: "/api/v1/logout", bearer: fx.wall}); w.Code != 204 {
		t.Fatalf("bearer logout: %d", w.Code)
	}
}

// TestLiveClientRevalidates: a socket opened with a session cookie carries a
// check that holds while the session does and fails Unauthorized once it
// ended (here: logout); a bearer token's socket has none.
func TestLiveClientRevalidates(t *testing.T) {
	fx := newLoginFixture(t)
	ctx := testsvc.Context(t)
	cookie, csrf := fx.login(t, "zhang")
	if w := fx.do(request{method: "GET", target: "/api/v1/test/live", cookie: cookie}); w.Code != 204 || fx.live.Revalidate == nil {
		t.Fatalf("cookie socket: %d, revalidate set %v", w.Code, fx.live.Revalidate != nil)
	}
	revalidate := fx.live.Revalidate
	if err := revalidate(ctx); err != nil {
		t.Fatalf("live session: %v", err)
	}
	if w := fx.do(request{method: "POST", target: "/api/v1/logout", cookie: cookie, csrf: csrf}); w.Code != 204 {
		t.Fatalf("logout: %d", w.Code)
	}
	if err := revalidate(ctx); !apperr.Is(err, apperr.Unauthorized) {
		t.Fatalf("after logout: %v, want unauthorized", err)
	}
	if w := fx.do(request{method: "GET", target: "/api/v1/test/live", bearer: fx.wall}); w.Code != 204 || fx.live.Revalidate != nil {
		t.Fatalf("bearer socket: %d, revalidate set %v", w.Code, fx.live.Revalidate != nil)
	}
}

func mustAuthenticate(t *testing.T, s *auth.Store, token string) auth.Principal {
	t.Helper()
	p, err := s.Authenticate(token)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestDisabledUser: disabling a user (a change of the auth file, seen on
// reload) deletes its sessions in Redis and closes its sockets through the
// disconnect callback main passes in.
func TestDisabledUser(t *testing.T) {
	fx := newLoginFixture(t)
	fx.store.OnRevoke(auth.EndAccess(fx.sessions, fx.disc.disconnect))
	a, _ := fx.login(t, "zhang")
	b, _ := fx.login(t, "zhang")
	other, _ := fx.login(t, "li")
	ctx := testsvc.Context(t)
	if n := len(fx.rdb.Keys(ctx, fx.prefix+"{auth}:sess:*").Val()); n != 3 {
		t.Fatalf("%d session keys, want 3", n)
	}

	if err := fx.file.DisableUser("zhang"); err != nil {
		t.Fatal(err)
	}
	if err := fx.store.Reload(); err != nil {
		t.Fatal(err)
	}
	if got := fx.disc.calls(); !slices.Equal(got, []string{"zhang"}) {
		t.Fatalf("disconnect calls: %v", got)
	}
	if n := len(fx.rdb.Keys(ctx, fx.prefix+"{auth}:sess:*").Val()); n != 1 {
		t.Fatalf("%d session keys left, want li's only", n)
	}
	for _, id := range []string{a, b} {
		if w := fx.do(request{method: "GET", target: "/api/v1/me", cookie: id}); w.Code != 401 {
			t.Fatalf("disabled user's session: %d", w.Code)
		}
	}
	if w := fx.do(request{method: "GET", target: "/api/v1/me", cookie: other}); w.Code != 200 {
		t.Fatalf("another user's session: %d", w.Code)
	}
	if w := fx.do(request{method: "POST", target: "/api/v1/login", body: loginBody("zhang", testPassword)}); w.Code != 401 {
		t.Fatalf("disabled user logged in: %d", w.Code)
	}
}

func TestReveal(t *testing.T) {
	fx := newLoginFixture(t)
	tests := []struct {
		user     string
		revealed bool
	}{
		{"zhang", true}, // officer: whole district
		{"li", true},    // street 411602001: the event's street
		{"wang", true},  // community C-001: the event's community
		{"zhao", true},  // responder R-17: dispatched to it
		{"qian", false}, // reviewer: masked
		{"sun", false},  // admin: may not read events at all (403)
	}
	for _, tt := range tests {
		t.Run(tt.user, func(t *testing.T) {
			cookie, _ := fx.login(t, tt.user)
			w := fx.do(request{method: "GET", target: "/api/v1/test/events/ev-" + tt.user, cookie: cookie})
			if tt.user == "sun" {
				if w.Code != 403 {
					t.Fatalf("admin reading an event: %d", w.Code)
				}
				return
			}
			if w.Code != 200 {
				t.Fatalf("%d %s", w.Code, w.Body)
			}
			full := strings.Contains(w.Body.String(), "13812345678")
			if full != tt.revealed {
				t.Fatalf("revealed = %v, want %v: %s", full, tt.revealed, w.Body)
			}
			var audited bool
			for _, r := range fx.audit.find("reveal", audit.Success) {
				if r.Object == "ev-"+tt.user && r.User == tt.user && strings.Contains(r.Detail, "caller_phone") {
					audited = true
				}
			}
			if audited != tt.revealed {
				t.Fatalf("reveal audited = %v, want %v", audited, tt.revealed)
			}
		})
	}
	t.Run("OutOfScopeMasked", func(t *testing.T) {
		fx.file.AddUser("zhou", "周", "street:411602009", testPassword)
		if err := fx.store.Reload(); err != nil {
			t.Fatal(err)
		}
		cookie, _ := fx.login(t, "zhou")
		w := fx.do(request{method: "GET", target: "/api/v1/test/events/ev-x", cookie: cookie})
		if w.Code != 200 || strings.Contains(w.Body.String(), "13812345678") || strings.Contains(w.Body.String(), "叶建国") {
			t.Fatalf("another street's event: %d %s", w.Code, w.Body)
		}
	})
}

func TestAuditedAction(t *testing.T) {
	fx := newLoginFixture(t)
	cookie, csrf := fx.login(t, "zhao")
	if w := fx.do(request{method: "POST", target: "/api/v1/test/events/ev-9/act", cookie: cookie, csrf: csrf}); w.Code != 200 {
		t.Fatalf("act: %d", w.Code)
	}
	recs := fx.audit.find("POST /api/v1/test/events/:id/act", audit.Success)
	if len(recs) != 1 || recs[0].Object != "ev-9" || recs[0].User != "zhao" || recs[0].Detail != "status=200 dispatch to R-17" {
		t.Fatalf("action audit: %+v", recs)
	}
	// A workflow action decided by the hook is audited like one on an
	// events.act route, and a refused one is a denial.
	if w := fx.do(request{method: "POST", target: "/api/v1/test/wf/ev-7/accept", cookie: cookie, csrf: csrf}); w.Code != 200 {
		t.Fatalf("responder accepting: %d", w.Code)
	}
	recs = fx.audit.find("POST /api/v1/test/wf/:id/:action", audit.Success)
	if len(recs) != 1 || recs[0].Object != "ev-7" || recs[0].Detail != "status=200 action=accept" {
		t.Fatalf("workflow action audit: %+v", recs)
	}
	if w := fx.do(request{method: "POST", target: "/api/v1/test/wf/ev-7/close", cookie: cookie, csrf: csrf}); w.Code != 403 {
		t.Fatalf("responder closing: %d", w.Code)
	}
	if recs := fx.audit.find("deny", audit.Denied); len(recs) != 1 || !strings.Contains(recs[0].Detail, "not close") {
		t.Fatalf("refused workflow action audit: %+v", recs)
	}
	cookie, csrf = fx.login(t, "qian")
	if w := fx.do(request{method: "POST", target: "/api/v1/test/events/ev-9/act", cookie: cookie, csrf: csrf}); w.Code != 403 {
		t.Fatalf("reviewer acting: %d", w.Code)
	}
	if recs := fx.audit.find("deny", audit.Denied); len(recs) != 2 || recs[1].User != "qian" ||
		recs[1].Object != "POST /api/v1/test/events/:id/act" || !strings.Contains(recs[1].Detail, "events.act") {
		t.Fatalf("denial audit: %+v", recs)
	}
}

// TestAnonymousDenialsBounded: a flood of anonymous refusals from one
// address writes a bounded number of records, and the next record says how
// many were held back.
func TestAnonymousDenialsBounded(t *testing.T) {
	fx := newLoginFixture(t)
	for range 100 {
		fx.do(request{method: "GET", target: "/api/v1/me", remote: "198.51.100.1:1"})
	}
	denied := fx.audit.find("deny", audit.Denied)
	if len(denied) < noiseBurst || len(denied) > noiseBurst+2 {
		t.Fatalf("%d records for 100 refusals, want about %d", len(denied), noiseBurst)
	}
	time.Sleep(1100 * time.Millisecond)
	fx.do(request{method: "GET", target: "/api/v1/me", remote: "198.51.100.1:1"})
	denied = fx.audit.find("deny", audit.Denied)
	if last := denied[len(denied)-1]; !strings.Contains(last.Detail, "similar records from this IP not written") {
		t.Fatalf("held-back count not reported: %+v", last)
	}
	// Another address is not held back by the first one's flood.
	n := len(denied)
	fx.do(request{method: "GET", target: "/api/v1/me", remote: "198.51.100.2:1"})
	if len(fx.audit.find("deny", audit.Denied)) != n+1 {
		t.Fatal("another address's refusal not audited")
	}
}

func TestNoSecretsInLogs(t *testing.T) {
	logs := captureLogs(t)
	fx := newLoginFixture(t)
	fx.store.OnRevoke(auth.EndAccess(fx.sessions, fx.disc.disconnect))
	cookie, csrf := fx.login(t, "zhang")
	fx.do(request{method: "POST", target: "/api/v1/login", body: loginBody("zhang", "Wrong-Horse-99")})
	fx.do(request{method: "POST", target: "/api/v1/login", body: loginBody("Typed-Password-1!", testPassword)})
	fx.do(request{method: "GET", target: "/api/v1/me?token=" + fx.wall, bearer: fx.ingest})
	fx.do(request{method: "POST", target: "/api/v1/test/any", cookie: cookie})
	fx.do(request{method: "POST", target: "/api/v1/logout", cookie: cookie, csrf: csrf})
	if err := fx.file.DisableUser("zhang"); err != nil {
		t.Fatal(err)
	}
	if err := fx.store.Reload(); err != nil {
		t.Fatal(err)
	}
	text := logs.String()
	if !strings.Contains(text, "/api/v1/login") {
		t.Fatalf("requests not logged at all:\n%s", text)
	}
	for what, secret := range map[string]string{"password": testPassword, "wrong password": "Wrong-Horse-99",
		"password typed as name": "Typed-Password-1!", "session id": cookie, "csrf token": csrf,
		"wall token": fx.wall, "ingest token": fx.ingest, "token body": fx.wall[4:]} {
		if strings.Contains(text, secret) {
			t.Errorf("the log holds a %s:\n%s", what, text)
		}
	}
	for _, r := range fx.audit.recs {
		for _, secret := range []string{testPassword, "Wrong-Horse-99", "Typed-Password-1!", cookie, csrf, fx.wall} {
			if strings.Contains(r.User+r.Object+r.Detail, secret) {
				t.Errorf("an audit record holds a secret: %+v", r)
			}
		}
	}
}
