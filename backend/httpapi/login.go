package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/gridcc/gridcc/backend/apperr"
	"github.com/gridcc/gridcc/backend/audit"
	"github.com/gridcc/gridcc/backend/auth"
)

// LoginDeps is what logins, sessions and the audit log need beyond
// AuthDeps. main builds it; registerAuthRoutes hands it to the
// authenticator.
type LoginDeps struct {
	Lockout  *auth.Lockout      // failed-login counting in Redis; nil refuses every login (503)
	Policy   auth.SessionPolicy // a user's session idle/absolute lifetime; zero: auth.DefaultUserPolicy
	Audit    audit.Recorder     // where audit records go (*audit.Writer); nil: nowhere (tests only)
	AuditLog audit.Reader       // GET /api/v1/audit reads it (*audit.Writer); nil: 503
	Logouts  Logouts            // closes a user's sockets on every replica at logout (*auth.LogoutBus); nil: none
}

// Logouts announces a logout to every replica, each of which closes the
// principal's sockets (auth.LogoutBus implements it over Redis pub/sub).
type Logouts interface {
	Publish(ctx context.Context, name string) error
}

// registerAuthRoutes mounts on v1 (/api/v1):
//
//	POST /login   public; {name, password} → session cookie + {name, display, role, csrf_token, …}
//	POST /logout  any authenticated principal; ends the cookie session
//	GET  /me      any authenticated principal; who am I, what may I do, csrf_token
//	GET  /audit   audit.read; ?from&to&user&action&limit
//
// It also completes a with l. Call it before the server takes requests.
func registerAuthRoutes(v1 *gin.RouterGroup, a *authenticator, l LoginDeps) {
	a.useLogin(l)
	h := loginHandlers{a: a}
	v1.POST("/login", h.login)
	v1.POST("/logout", a.authz(anyPrincipal), h.logout)
	v1.GET("/me", a.authz(anyPrincipal), h.me)
	v1.GET("/audit", a.authz(auth.PermAuditRead), h.auditLog)
}

// useLogin completes the authenticator server.go built.
func (a *authenticator) useLogin(l LoginDeps) {
	a.lockout, a.audit, a.auditLog, a.logouts = l.Lockout, l.Audit, l.AuditLog, l.Logouts
	a.userPolicy = l.Policy
	if a.userPolicy == (auth.SessionPolicy{}) {
		a.userPolicy = auth.DefaultUserPolicy
	}
	a.noise = newNoiseGate()
	if l.Lockout == nil {
		slog.Warn("login lockout not configured: POST /api/v1/login refuses every login")
	}
	if l.Audit == nil {
		slog.Warn("audit recorder not configured: nothing is audited")
	}
}

type loginHandlers struct{ a *authenticator }

// maxLoginBody bounds POST /login: a name and a password fit many times.
const maxLoginBody = 4 << 10

// loginRequest is the body of POST /api/v1/login.
type loginRequest struct {
	Name     string `json:"name"`
	Password string `json:"password"`
}

// MeResponse answers POST /login and GET /me.
type MeResponse struct {
	Name        string      `json:"name"`
	Display     string      `json:"display"`
	Role        auth.Role   `json:"role"`
	Permissions []auth.Perm `json:"permissions"`
	Scope       ScopeBody   `json:"scope"`
	Via         string      `json:"via"`                  // "cookie" or "bearer"
	CSRFToken   string      `json:"csrf_token,omitempty"` // cookie sessions: send it as X-CSRF-Token on writes
	ExpiresAt   *time.Time  `json:"expires_at,omitempty"` // cookie sessions: the absolute end
}

// ScopeBody is auth.Scope: null means no restriction on that dimension.
type ScopeBody struct {
	Streets     []string `json:"streets"`
	Communities []string `json:"communities"`
	Responder   string   `json:"responder,omitempty"`
}

func meOf(p auth.Principal, via string, sess auth.Session) MeResponse {
	streets, communities, responder := auth.Scope(p)
	me := MeResponse{Name: p.Name, Display: p.Display, Role: p.Role, Permissions: p.Role.Perms(), Via: via,
		Scope: ScopeBody{Streets: streets, Communities: communities, Responder: responder}}
	if via == viaCookie {
		me.CSRFToken = sess.CSRF
		at := sess.ExpiresAt.UTC()
		me.ExpiresAt = &at
	}
	return me
}

// login is POST /api/v1/login. The steps, in this order:
//
//  1. Decode: application/json, at most 4 KiB, exactly {name, password}.
//  2. Lockout: a locked name or client IP gets 429 with Retry-After, and its
//     password is not even checked, so guessing stops for the lock's length.
//  3. Verify the password (Store.Login: the same work and the same answer
//     whether the name is unknown, disabled or the password wrong).
//  4. On failure: count it (which may start a lock), audit, 401.
//  5. On success: clear the name's failures, end the session the browser
//     still carried (no session fixation), open a new one, set the cookie
//     (a browser-session cookie: closing the browser ends it), audit, answer
//     with the CSRF token.
//
// Redis down (lockout or sessions) is 503: without counting failures a
// login is not offered at all.
func (h loginHandlers) login(c *gin.Context) {
	a, ctx, ip := h.a, c.Request.Context(), c.ClientIP()
	req, err := readLogin(c)
	if err != nil {
		writeError(c, err)
		return
	}
	if a.lockout == nil {
		writeError(c, apperr.New(apperr.Unavailable, "logins are not configured on this server"))
		return
	}
	who := h.auditName(req.Name)
	if wait, err := a.lockout.Locked(ctx, req.Name, ip); err != nil {
		writeError(c, err)
		return
	} else if wait > 0 {
		a.recordAnonymous(c, audit.Record{User: who, Action: "login", Outcome: audit.Locked, Detail: "too many failed logins; password not checked"})
		c.Header("Retry-After", retryAfter(wait))
		writeError(c, apperr.New(apperr.RateLimited, "too many failed logins for this name or from this address; try again in %s", wait.Round(time.Second)))
		return
	}
	p, err := a.store.Login(req.Name, req.Password)
	if err != nil {
		if apperr.Is(err, apperr.Unauthorized) {
			if _, ferr := a.lockout.Fail(ctx, req.Name, ip); ferr != nil {
				slog.Warn("login: failure not counted", "err", ferr)
			}
			a.recordAnonymous(c, audit.Record{User: who, Action: "login", Outcome: audit.Failure, Detail: "wrong name or password"})
		}
		writeError(c, err)
		return
	}
	if err := a.lockout.Succeed(ctx, p.Name); err != nil {
		slog.Warn("login: failures not cleared", "principal", p.Name, "err", err)
	}
	if old, err := c.Cookie(sessionCookie); err == nil && old != "" {
		_ = a.sessions.Delete(ctx, old) // best effort: a fixated id must not survive
	}
	sess, err := a.sessions.Create(ctx, p, a.userPolicy)
	if err != nil {
		writeError(c, err)
		return
	}
	a.setSessionCookie(c, sess.ID, 0)
	a.record(c, p, audit.Record{Action: "login", Outcome: audit.Success,
		Detail: "session idle " + a.userPolicy.Idle.String() + ", absolute " + a.userPolicy.Absolute.String()})
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, meOf(p, viaCookie, sess))
}

// auditName is the name a failed login is audited under: the name when it
// belongs to a user, else "(unknown)". People type passwords into the name
// field; an unknown "name" must not land in the audit log.
func (h loginHandlers) auditName(name string) string {
	if h.a.store.KnownUser(name) {
		return name
	}
	return "(unknown)"
}

// readLogin reads and decodes the body of POST /login.
func readLogin(c *gin.Context) (loginRequest, error) {
	mt, _, err := mime.ParseMediaType(c.GetHeader("Content-Type"))
	if err != nil || mt != "application/json" {
		// Also the CSRF defence of the login form: a cross-site form cannot
		// send application/json without a CORS preflight, which gridcc
		// never answers.
		return loginRequest{}, apperr.Field(apperr.Invalid, "Content-Type", "send Content-Type: application/json")
	}
	body, err := io.ReadAll(io.LimitReader(c.Request.Body, maxLoginBody+1))
	if err != nil {
		return loginRequest{}, apperr.Wrap(err, apperr.Invalid, "cannot read the request body")
	}
	if len(body) > maxLoginBody {
		return loginRequest{}, apperr.New(apperr.TooLarge, "the login body is over %d bytes", maxLoginBody)
	}
	return decodeLogin(body)
}

// decodeLogin decodes {"name": "...", "password": "..."} strictly: one JSON
// object, no other fields, nothing after it, both strings non-empty and
// bounded. No error message repeats any part of the body.
func decodeLogin(body []byte) (loginRequest, error) {
	// encoding/json would turn invalid UTF-8 into U+FFFD and carry on; a
	// body that is not text is refused, as by every other decoder.
	if !utf8.Valid(body) {
		return loginRequest{}, apperr.New(apperr.Invalid, "the body is not valid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	var req loginRequest
	if err := dec.Decode(&req); err != nil {
		return loginRequest{}, apperr.New(apperr.Invalid, `the body must be one JSON object {"name":"…","password":"…"} with string values and no other fields`)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return loginRequest{}, apperr.New(apperr.Invalid, "data after the JSON object")
	}
	switch {
	case req.Name == "":
		return loginRequest{}, apperr.Field(apperr.Invalid, "name", "name is required")
	case len(req.Name) > 64:
		return loginRequest{}, apperr.Field(apperr.Invalid, "name", "name is longer than 64 bytes")
	case req.Password == "":
		return loginRequest{}, apperr.Field(apperr.Invalid, "password", "password is required")
	case len(req.Password) > auth.MaxPasswordBytes:
		return loginRequest{}, apperr.Field(apperr.Invalid, "password", "password is longer than %d bytes", auth.MaxPasswordBytes)
	}
	return req, nil
}

// logout is POST /api/v1/logout: it ends the cookie session (a bearer token
// has none: 204 and nothing changes), clears the cookie and closes the
// user's sockets on every replica; sockets of the user's other, still
// valid, sessions reconnect by themselves. Screens sharing a token are left
// alone: closing one would close every screen of the token.
func (h loginHandlers) logout(c *gin.Context) {
	a, p := h.a, principal(c)
	sess, ok := session(c)
	if !ok {
		c.Status(http.StatusNoContent)
		return
	}
	if err := a.sessions.Delete(c.Request.Context(), sess.ID); err != nil {
		writeError(c, err)
		return
	}
	a.setSessionCookie(c, "", -1)
	if p.IsUser() && a.logouts != nil {
		if err := a.logouts.Publish(c.Request.Context(), p.Name); err != nil {
			// The session is gone: the sockets cannot reconnect, only linger.
			slog.Warn("logout: sockets not closed on the other replicas", "principal", p.Name, "err", err)
		}
	}
	a.record(c, p, audit.Record{Action: "logout", Outcome: audit.Success})
	c.Status(http.StatusNoContent)
}

// me is GET /api/v1/me: the caller, its permissions and scope, and for a
// cookie session the CSRF token (a reloaded page fetches it here).
func (h loginHandlers) me(c *gin.Context) {
	sess, _ := session(c)
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, meOf(principal(c), credentialVia(c), sess))
}
