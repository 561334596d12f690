package httpapi

import (
	"html"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/gridcc/gridcc/backend/apperr"
	"github.com/gridcc/gridcc/backend/auth"
)

// sessionCookie carries a screen's session id (see exchangeToken).
const sessionCookie = "gridcc_session"

// How a request proved who it is; the WebSocket handshake needs to know,
// because a cookie is sent by the browser on a foreign page's behalf too.
const (
	viaBearer = "bearer"
	viaCookie = "cookie"
)

// Gin context keys set by require.
const (
	principalKey = "gridcc.auth.principal"
	viaKey       = "gridcc.auth.via"
)

var errNoCredentials = apperr.New(apperr.Unauthorized, "credentials required: send `Authorization: Bearer <token>`, or open the screen with its token link")

// authenticator is the Gin side of package auth: it finds the principal of
// a request, enforces roles and rate limits, and trades a screen's token for
// a session cookie.
type authenticator struct {
	store         *auth.Store
	sessions      auth.Sessions
	limiter       *auth.Limiter
	defaultRate   float64 // GRIDCC_RATE_PER_S, for tokens without their own
	defaultBurst  int     // GRIDCC_RATE_BURST, likewise
	secureCookies bool    // mark the session cookie Secure (served over HTTPS)
}

// principalFromRequest authenticates a request by `Authorization: Bearer
// <token>` or else by the session cookie, and says which ("bearer" or
// "cookie"). A request carrying an Authorization header is judged by it
// alone: a bad header is a 401 even when a valid cookie comes along. Errors
// are apperr.Unauthorized, or apperr.Unavailable when the session store is
// down.
func (a *authenticator) principalFromRequest(c *gin.Context) (auth.Principal, string, error) {
	if h := c.GetHeader("Authorization"); h != "" {
		scheme, token, _ := strings.Cut(h, " ")
		if !strings.EqualFold(scheme, "Bearer") {
			return auth.Principal{}, viaBearer, apperr.New(apperr.Unauthorized, "the Authorization header must be `Bearer <token>`")
		}
		p, err := a.store.Authenticate(strings.TrimSpace(token))
		return p, viaBearer, err
	}
	if id, err := c.Cookie(sessionCookie); err == nil && id != "" {
		p, err := a.sessions.Get(c.Request.Context(), id)
		return p, viaCookie, err
	}
	return auth.Principal{}, "", errNoCredentials
}

// require admits requests whose principal has a role allowed accepts, within
// its rate limit: 401 without or with bad credentials, 403 for another role,
// 429 with Retry-After (whole seconds, rounded up) when its bucket is empty.
// Handlers behind it read the caller with principal(c).
func (a *authenticator) require(allowed func(auth.Role) bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		p, via, err := a.principalFromRequest(c)
		if err != nil {
			if apperr.Is(err, apperr.Unauthorized) {
				c.Header("WWW-Authenticate", `Bearer realm="gridcc"`)
			}
			writeError(c, err)
			return
		}
		if !allowed(p.Role) {
			writeError(c, apperr.New(apperr.Forbidden, "role %s may not use this route", p.Role))
			return
		}
		rate, burst := p.Limits(a.defaultRate, a.defaultBurst)
		if ok, wait := a.limiter.Allow(p.Name, rate, burst, time.Now()); !ok {
			c.Header("Retry-After", strconv.Itoa(max(1, int(math.Ceil(wait.Seconds())))))
			writeError(c, apperr.New(apperr.RateLimited, "%q is over its limit of %g requests/s (burst %d) on this server", p.Name, rate, burst))
			return
		}
		c.Set(principalKey, p)
		c.Set(viaKey, via)
		c.Next()
	}
}

// principal returns the caller admitted by require. Without require it is
// the zero Principal, whose empty role every role check refuses.
func principal(c *gin.Context) auth.Principal {
	v, _ := c.Get(principalKey)
	p, _ := v.(auth.Principal)
	return p
}

// credentialVia returns how the caller admitted by require authenticated:
// "bearer" or "cookie" ("" without require).
func credentialVia(c *gin.Context) string { return c.GetString(viaKey) }

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
			authPage(c, http.StatusUnauthorized, "令牌无效或已吊销 — this token is unknown, revoked or mistyped.")
			return
		}
		if p.Role.IsIngest() {
			authPage(c, http.StatusForbidden, "接入令牌不能打开页面 — an ingest token cannot open a screen; send it as `Authorization: Bearer`.")
			return
		}
		ttl := auth.SessionTTL(p.Role)
		id, err := a.sessions.Create(c.Request.Context(), p, ttl)
		if err != nil {
			slog.Error("token exchange: cannot create a session", "principal", p.Name, "err", err)
			authPage(c, http.StatusServiceUnavailable, "暂时无法登录，请稍后重试 — sessions are unavailable; retry in a moment.")
			return
		}
		http.SetCookie(c.Writer, &http.Cookie{
			Name: sessionCookie, Value: id, Path: "/", MaxAge: int(ttl.Seconds()),
			HttpOnly: true, Secure: a.secureCookies, SameSite: http.SameSiteStrictMode,
		})
		slog.Info("screen session opened", "principal", p.Name, "role", p.Role, "ip", c.ClientIP())
		query.Del("token")
		c.Header("Cache-Control", "no-store")
		c.Redirect(http.StatusSeeOther, localURL(c.Request.URL.EscapedPath(), query.Encode()))
		c.Abort()
	}
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
