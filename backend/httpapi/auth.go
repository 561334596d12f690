package httpapi

import (
	"crypto/subtle"
	"html"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/gridcc/gridcc/backend/apperr"
	"github.com/gridcc/gridcc/backend/audit"
	"github.com/gridcc/gridcc/backend/auth"
)

// sessionCookie carries a browser's session id: a person's login (POST
// /api/v1/login) or a screen's token link (see exchangeToken).
const sessionCookie = "gridcc_session"

// How a request proved who it is; the WebSocket handshake needs to know,
// because a cookie is sent by the browser on a foreign page's behalf too.
const (
	viaBearer = "bearer"
	viaCookie = "cookie"
)

// csrfHeader carries the session's CSRF token on cookie-authenticated
// writes (double submit: the page got the token from the login answer or
// GET /api/v1/me; a foreign page can read neither).
const csrfHeader = "X-CSRF-Token"

// Gin context keys set by require and authz.
const (
	principalKey = "gridcc.auth.principal"
	viaKey       = "gridcc.auth.via"
	sessionKey   = "gridcc.auth.session"
	authnKey     = "gridcc.auth.authenticator" // for reveal
)

var errNoCredentials = apperr.New(apperr.Unauthorized, "credentials required: log in, send `Authorization: Bearer <token>`, or open the screen with its token link")

// authenticator is the Gin side of package auth: it finds the principal of
// a request, enforces permissions, CSRF and rate limits, trades a screen's
// token for a session cookie, logs people in and out, and audits all of it.
// server.go builds it with the first six fields; registerAuthRoutes adds
// the rest (see useLogin), before the server takes any request.
type authenticator struct {
	store         *auth.Store
	sessions      auth.Sessions
	limiter       *auth.Limiter
	defaultRate   float64 // GRIDCC_RATE_PER_S, for tokens without their own
	defaultBurst  int     // GRIDCC_RATE_BURST, likewise
	secureCookies bool    // mark the session cookie Secure (served over HTTPS)

	lockout    *auth.Lockout      // nil: logins are refused (503), never unlimited
	userPolicy auth.SessionPolicy // idle and absolute lifetime of a user's session
	audit      audit.Recorder     // nil: nothing is audited (tests of other routes)
	auditLog   audit.Reader       // GET /api/v1/audit; nil: 503
	logouts    Logouts            // closes a user's sockets on every replica at logout; nil: none
	noise      *noiseGate         // bounds the audit records anonymous clients cause
}

// principalFromRequest authenticates a request by `Authorization: Bearer
// <token>` or else by the session cookie, and says which ("bearer" or
// "cookie") and, for a cookie, the session. A request carrying an
// Authorization header is judged by it alone: a bad header is a 401 even
// when a valid cookie comes along. Errors are apperr.Unauthorized, or
// apperr.Unavailable when the session store is down.
func (a *authenticator) principalFromRequest(c *gin.Context) (auth.Principal, string, auth.Session, error) {
	if h := c.GetHeader("Authorization"); h != "" {
		scheme, token, _ := strings.Cut(h, " ")
		if !strings.EqualFold(scheme, "Bearer") {
			return auth.Principal{}, viaBearer, auth.Session{}, apperr.New(apperr.Unauthorized, "the Authorization header must be `Bearer <token>`")
		}
		p, err := a.store.Authenticate(strings.TrimSpace(token))
		return p, viaBearer, auth.Session{}, err
	}
	if id, err := c.Cookie(sessionCookie); err == nil && id != "" {
		sess, err := a.sessions.Get(c.Request.Context(), id)
		sess.ID = id
		return sess.Principal, viaCookie, sess, err
	}
	return auth.Principal{}, "", auth.Session{}, errNoCredentials
}

// require admits requests whose principal's role allowed accepts; see
// admit. New routes use authz(perm), which names a row of the roles table.
func (a *authenticator) require(allowed func(auth.Role) bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		if a.admit(c, allowed, "this route") {
			c.Next()
		}
	}
}

// admit authenticates the request and applies, in order: the CSRF check
// (cookie-authenticated writes only), the role check, the rate limit. It
// answers 401 without or with bad credentials, 403 for a missing or wrong
// X-CSRF-Token or another role, 429 with Retry-After (whole seconds, rounded
// up) when the principal's bucket is empty, 503 when the session store is
// down. Every 401 and 403 is audited. Admitted, the handlers read the
// caller with principal(c).
func (a *authenticator) admit(c *gin.Context, allowed func(auth.Role) bool, what string) bool {
	p, via, sess, err := a.principalFromRequest(c)
	if err != nil {
		if apperr.Is(err, apperr.Unauthorized) {
			c.Header("WWW-Authenticate", `Bearer realm="gridcc"`)
			a.deny(c, auth.Principal{}, err)
		}
		writeError(c, err)
		return false
	}
	if via == viaCookie && !safeMethod(c.Request.Method) &&
		subtle.ConstantTimeCompare([]byte(c.GetHeader(csrfHeader)), []byte(sess.CSRF)) != 1 {
		err := apperr.New(apperr.Forbidden, "missing or wrong %s header: cookie-authenticated writes must send the csrf_token from the login answer or GET /api/v1/me", csrfHeader)
		a.deny(c, p, err)
		writeError(c, err)
		return false
	}
	if !allowed(p.Role) {
		err := apperr.New(apperr.Forbidden, "role %s may not use %s", p.Role, what)
		a.deny(c, p, err)
		writeError(c, err)
		return false
	}
	rate, burst := p.Limits(a.defaultRate, a.defaultBurst)
	if ok, wait := a.limiter.Allow(p.Name, rate, burst, time.Now()); !ok {
		c.Header("Retry-After", retryAfter(wait))
		writeError(c, apperr.New(apperr.RateLimited, "%q is over its limit of %g requests/s (burst %d) on this server", p.Name, rate, burst))
		return false
	}
	c.Set(principalKey, p)
	c.Set(viaKey, via)
	c.Set(authnKey, a)
	if via == viaCookie {
		c.Set(sessionKey, sess)
	}
	return true
}

// safeMethod reports whether m cannot change anything (RFC 9110 §9.2.1), so
// it needs no CSRF token.
func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// retryAfter renders a wait as whole seconds, rounded up, at least 1.
func retryAfter(wait time.Duration) string {
	return strconv.Itoa(max(1, int(math.Ceil(wait.Seconds()))))
}

// principal returns the caller admitted by require or authz. Without them
// it is the zero Principal, whose empty role every check refuses.
func principal(c *gin.Context) auth.Principal {
	v, _ := c.Get(principalKey)
	p, _ := v.(auth.Principal)
	return p
}

// credentialVia returns how the caller admitted by require or authz
// authenticated: "bearer" or "cookie" ("" without them).
func credentialVia(c *gin.Context) string { return c.GetString(viaKey) }

// session returns the cookie session of the caller, if it came with one.
func session(c *gin.Context) (auth.Session, bool) {
	v, ok := c.Get(sessionKey)
	sess, _ := v.(auth.Session)
	return sess, ok
}

// exchangeToken is the middleware of page routes. A GET with ?token= is a
// screen opening its token link: a valid token becomes a session, the
// session id a cookie, and the browser is sent (303) to the same URL without
// the token, so the token leaves the address bar, the history and any
// Referer. Other requests pass through. The token is never logged: the
// request log has the path only.
func (a *authenticator) exchangeToken() gin.HandlerFunc {
	return func(c *gin.Context) {
		query := c.Request.URL.Query()
		if c.Request.Method != http.MethodGet || !query.Has("token") {
			c.Next()
			return
		}
		p, err := a.store.Authenticate(query.Get("token"))
		if err != nil {
			a.recordAnonymous(c, audit.Record{Action: "login", Object: c.Request.URL.Path, Outcome: audit.Failure,
				Detail: "screen token link: unknown, revoked or malformed token"})
			authPage(c, http.StatusUnauthorized, "令牌无效或已吊销 — this token is unknown, revoked or mistyped.")
			return
		}
		if p.Role.IsIngest() {
			a.record(c, p, audit.Record{Action: "login", Object: c.Request.URL.Path, Outcome: audit.Denied,
				Detail: "screen token link: an ingest token cannot open a screen"})
			authPage(c, http.StatusForbidden, "接入令牌不能打开页面 — an ingest token cannot open a screen; send it as `Authorization: Bearer`.")
			return
		}
		pol := auth.TokenSessionPolicy(p.Role)
		sess, err := a.sessions.Create(c.Request.Context(), p, pol)
		if err != nil {
			slog.Error("token exchange: cannot create a session", "principal", p.Name, "err", err)
			authPage(c, http.StatusServiceUnavailable, "暂时无法登录，请稍后重试 — sessions are unavailable; retry in a moment.")
			return
		}
		a.setSessionCookie(c, sess.ID, int(pol.Absolute.Seconds()))
		slog.Info("screen session opened", "principal", p.Name, "role", p.Role, "ip", c.ClientIP())
		a.record(c, p, audit.Record{Action: "login", Object: c.Request.URL.Path, Outcome: audit.Success, Detail: "screen token link"})
		query.Del("token")
		c.Header("Cache-Control", "no-store")
		c.Redirect(http.StatusSeeOther, localURL(c.Request.URL.EscapedPath(), query.Encode()))
		c.Abort()
	}
}

// setSessionCookie sets the session cookie: HttpOnly (page scripts cannot
// read it), SameSite=Strict (other sites' pages cannot send it), Secure
// behind TLS. maxAge 0 makes it a browser-session cookie; -1 deletes it.
func (a *authenticator) setSessionCookie(c *gin.Context, id string, maxAge int) {
	http.SetCookie(c.Writer, &http.Cookie{
		Name: sessionCookie, Value: id, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: a.secureCookies, SameSite: http.SameSiteStrictMode,
	})
}

// localURL builds a same-site redirect target. Leading slashes and
// backslashes collapse to one slash: "//evil.example/" would otherwise be
// read by the browser as another host.
func localURL(escapedPath, rawQuery string) string {
	u := "/" + strings.TrimLeft(escapedPath, `/\`)
	if rawQuery != "" {
		u += "?" + rawQuery
	}
	return u
}

// authPage answers a page request with a short HTML explanation; the URL
// still holds the token, so nothing on the page may load anything else.
func authPage(c *gin.Context, status int, msg string) {
	c.Header("Cache-Control", "no-store")
	c.Header("Referrer-Policy", "no-referrer")
	c.Data(status, "text/html; charset=utf-8", []byte(`<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>gridcc</title>`+
		`<body style="font-family:sans-serif;background:#0b1a2b;color:#dfe8f3;padding:3em"><h1>gridcc</h1><p>`+
		html.EscapeString(msg)+`</p><p>请向管理员索取新的链接 — ask the administrator for a new link (gridcc tokens add).</p></body></html>`))
	c.Abort()
}
