package httpapi

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/gridcc/gridcc/backend/apperr"
	"github.com/gridcc/gridcc/backend/audit"
	"github.com/gridcc/gridcc/backend/auth"
	"github.com/gridcc/gridcc/backend/event"
	"github.com/gridcc/gridcc/backend/workflow"
)

// anyPrincipal is the "permission" of routes every authenticated principal
// may use (GET /me, POST /logout).
const anyPrincipal auth.Perm = ""

// auditedPerms are the permissions whose every request is audited after the
// handler ran, with its outcome: actions on cases, exports, reading the
// audit log, managing users, revealing personal data (等保 8.1.4.3).
var auditedPerms = []auth.Perm{auth.PermEventsAct, auth.PermExport, auth.PermAuditRead,
	auth.PermUsersManage, auth.PermPersonalReveal}

// authz admits requests whose principal's role is granted perm in the roles
// table (auth.Role.Can); anyPrincipal admits every authenticated one. See
// admit for the checks and statuses. Requests to audited permissions are
// recorded once the handler has answered: action "<METHOD> <route>", the
// :id parameter (or what auditObject set) as object, success below 400,
// and the handler's auditNote as detail.
//
// Scope is the handler's to check, per object (auth.InScope), because only
// the handler knows the object.
func (a *authenticator) authz(perm auth.Perm) gin.HandlerFunc {
	allowed := func(r auth.Role) bool { return perm == anyPrincipal || r.Can(perm) }
	what := fmt.Sprintf("this route (needs %s)", perm)
	audited := slices.Contains(auditedPerms, perm)
	return func(c *gin.Context) {
		if !a.admit(c, allowed, what) {
			return
		}
		c.Next()
		if audited || c.GetBool(auditActionKey) {
			a.recordAction(c)
		}
	}
}

// Gin context keys for what a handler adds to its audit record.
const (
	auditObjectKey = "gridcc.audit.object"
	auditNoteKey   = "gridcc.audit.note"
	auditActionKey = "gridcc.audit.action" // audit this request although its permission is not audited
)

// auditObject names what the request acted on, when the route has no :id
// parameter (an export's period, a user name).
func auditObject(c *gin.Context, object string) { c.Set(auditObjectKey, object) }

// auditNote adds a short detail to the request's audit record ("dispatch to
// R-17"). Never personal data, passwords or tokens.
func auditNote(c *gin.Context, format string, args ...any) {
	c.Set(auditNoteKey, fmt.Sprintf(format, args...))
}

// responderActions are what a responder (a department, volunteer team or
// grid worker) may do to an event dispatched to it: take it on, work it,
// report on scene, solve it, note, and do its long-term-care check-ins.
// Dispatching, whistling, closing, reopening, merging, acknowledging alerts
// and recording ratings stay with the command center and the street.
var responderActions = []workflow.Action{workflow.Accept, workflow.Start, workflow.Resolve,
	workflow.CheckIn, workflow.Comment, workflow.FollowUpDone}

// authorizeEvent is the authorization hook of the workflow routes (their
// Authorizer): may the caller admitted by authz take action on e? "view"
// needs events.read, any other action events.act, and e must be within the
// caller's scope (auth.InScope); a responder may take only
// responderActions. Refusals are apperr.Forbidden and audited; an allowed
// action marks the request for the audit log, with its outcome once the
// handler answered (a merge asks for both events: both are noted).
func authorizeEvent(c *gin.Context, e *event.Event, action string) error {
	p := principal(c)
	perm := auth.PermEventsAct
	if action == "view" {
		perm = auth.PermEventsRead
	}
	var err error
	switch {
	case !p.Role.Can(perm):
		err = apperr.New(apperr.Forbidden, "role %s may not %s events", p.Role, action)
	case !auth.InScope(p, objectOf(*e)):
		err = apperr.New(apperr.Forbidden, "event %s is outside your scope", e.ID)
	case p.Role.Kind() == auth.KindResponder && action != "view" && !slices.Contains(responderActions, workflow.Action(action)):
		err = apperr.New(apperr.Forbidden, "a responder may %s events dispatched to it, not %s", joinActions(responderActions), action)
	}
	if err != nil {
		// A list leaves refused events out: that is no denial. Asking for
		// one event, or acting on it, is.
		if a := authnOf(c); a != nil && (action != "view" || c.Param("id") == e.ID) {
			a.deny(c, p, err)
		}
		return err
	}
	if action != "view" {
		c.Set(auditActionKey, true)
		note := "action=" + action
		if prev := c.GetString(auditNoteKey); prev != "" {
			note = prev + " " + e.ID // the second event of a merge
		}
		auditNote(c, "%s", note)
	}
	return nil
}

func joinActions(as []workflow.Action) string {
	s := make([]string, len(as))
	for i, a := range as {
		s[i] = string(a)
	}
	return strings.Join(s, ", ")
}

// recordAction audits the request an audited route just answered.
func (a *authenticator) recordAction(c *gin.Context) {
	status := c.Writer.Status()
	outcome := audit.Success
	if status >= 400 {
		outcome = audit.Failure
	}
	object := c.GetString(auditObjectKey)
	if object == "" {
		object = c.Param("id")
	}
	detail := fmt.Sprintf("status=%d", status)
	if note := c.GetString(auditNoteKey); note != "" {
		detail += " " + note
	}
	a.record(c, principal(c), audit.Record{Action: c.Request.Method + " " + c.FullPath(), Object: object,
		Outcome: outcome, Detail: detail})
}

// deny audits a refused request (401 or 403). Refusals of anonymous
// clients pass the noise gate first, so a flood of them cannot push other
// records out of the audit buffer.
func (a *authenticator) deny(c *gin.Context, p auth.Principal, err error) {
	route := c.FullPath()
	if route == "" {
		route = c.Request.URL.Path
	}
	status := statusOf[detailOf(err).Code]
	r := audit.Record{Action: "deny", Object: c.Request.Method + " " + route, Outcome: audit.Denied,
		Detail: fmt.Sprintf("status=%d %s", status, detailOf(err).Message)}
	if p.Name == "" {
		a.recordAnonymous(c, r)
		return
	}
	a.record(c, p, r)
}

// authnOf returns the authenticator that admitted the request (see admit).
func authnOf(c *gin.Context) *authenticator {
	v, _ := c.Get(authnKey)
	a, _ := v.(*authenticator)
	return a
}

// record audits r as done by p from the request's client IP (Gin's
// ClientIP: X-Forwarded-For only from GRIDCC_TRUSTED_PROXIES).
func (a *authenticator) record(c *gin.Context, p auth.Principal, r audit.Record) {
	if a.audit == nil {
		return
	}
	if p.Name != "" {
		r.User, r.Role = p.Name, string(p.Role)
	}
	r.IP = c.ClientIP()
	a.audit.Record(r)
}

// recordAnonymous audits r through the noise gate: per client IP a burst of
// noiseBurst records, then one per second; the count held back is added to
// the next record let through for that IP.
func (a *authenticator) recordAnonymous(c *gin.Context, r audit.Record) {
	if a.audit == nil {
		return
	}
	ok, held := a.noise.pass(c.ClientIP(), time.Now())
	if !ok {
		return
	}
	if held > 0 {
		r.Detail += fmt.Sprintf(" (+%d similar records from this IP not written)", held)
	}
	a.record(c, auth.Principal{}, r)
}

// LiveClient is what the WebSocket hub needs to know about a principal
// (wshub.ClientInfo carries the same fields).
type LiveClient struct {
	Name   string // the principal; Disconnect closes its sockets by it
	Masked bool   // always true: the stream is masked for every role (see liveClient)
	Via    string // "bearer" or "cookie": the hub's Origin check needs it
	// The scope (auth.LiveScope): nil lists are unrestricted, empty ones
	// pass nothing; a non-empty Responder passes only its own cases.
	Streets     []string
	Communities []string
	Responder   string
	// Revalidate checks, while the socket is open, that the cookie session
	// it was opened with still holds (apperr.Unauthorized when it ended);
	// each check also counts as the session's activity. Nil for a bearer
	// token, whose revocation the hub learns from the auth file.
	Revalidate func(context.Context) error
}

// liveClient describes the caller admitted by authz(auth.PermWatch) to the
// hub. The stream is masked for every role: personal data reaches a screen
// only through reveal, one event at a time, each time audited, and a stream
// cannot be audited per event.
func liveClient(c *gin.Context) LiveClient {
	p := principal(c)
	streets, communities, responder := auth.LiveScope(p)
	lc := LiveClient{Name: p.Name, Masked: true, Via: credentialVia(c),
		Streets: streets, Communities: communities, Responder: responder}
	if id, err := c.Cookie(sessionCookie); lc.Via == viaCookie && err == nil {
		sessions := authnOf(c).sessions
		lc.Revalidate = func(ctx context.Context) error {
			_, err := sessions.Get(ctx, id)
			return err
		}
	}
	return lc
}

// objectOf is the scope object of an event: where it is and whom it is
// dispatched to (the assignee and every whistled department).
func objectOf(e event.Event) auth.Object {
	o := auth.Object{Street: e.StreetCode, Community: e.CommunityID}
	if e.Assignee != "" {
		o.Assignees = append(o.Assignees, e.Assignee)
	}
	for _, w := range e.Whistle {
		o.Assignees = append(o.Assignees, w.Department)
	}
	return o
}

// reveal returns e as the caller admitted by authz may see it: in full when
// its role may reveal personal data (auth.PermPersonalReveal) and e is
// within its scope, and then the reveal is audited (action "reveal", object
// the event id); masked (event.Masked) otherwise, and without authz. The
// handler of one event's detail calls it; lists and streams are always
// masked.
func reveal(c *gin.Context, e event.Event) event.Event {
	if !revealable(c, e) {
		return event.Masked(e)
	}
	a, p := authnOf(c), principal(c)
	var fields []string
	for name, v := range map[string]string{"caller_name": e.CallerName, "caller_phone": e.CallerPhone,
		"reporter_name": e.ReporterName, "address": e.Address} {
		if v != "" {
			fields = append(fields, name)
		}
	}
	slices.Sort(fields)
	a.record(c, p, audit.Record{Action: "reveal", Object: e.ID, Outcome: audit.Success,
		Detail: "fields=" + strings.Join(fields, ",")})
	return e
}

// revealable reports whether reveal would answer e in full (and audit it).
func revealable(c *gin.Context, e event.Event) bool {
	p := principal(c)
	return authnOf(c) != nil && p.Role.Can(auth.PermPersonalReveal) && auth.InScope(p, objectOf(e))
}

// noiseBurst and noiseRate bound the audit records one anonymous client IP
// causes (failed logins, refused requests).
const (
	noiseBurst = 20
	noiseRate  = 1.0
	noiseIPs   = 10000 // IPs whose held-back counts are kept; beyond, they are pooled
)

// noiseGate is a per-IP token bucket for anonymous audit records that
// remembers how many it held back.
type noiseGate struct {
	limiter *auth.Limiter
	held    *heldCounts
}

func newNoiseGate() *noiseGate {
	return &noiseGate{limiter: auth.NewLimiter(noiseIPs), held: &heldCounts{n: map[string]int{}}}
}

// pass reports whether a record from ip may be written now and, if so, how
// many were held back since the last one.
func (g *noiseGate) pass(ip string, now time.Time) (ok bool, held int) {
	if ok, _ := g.limiter.Allow("ip:"+ip, noiseRate, noiseBurst, now); !ok {
		g.held.add(ip)
		return false, 0
	}
	return true, g.held.take(ip)
}

// heldCounts counts held-back records per IP, for at most noiseIPs IPs; the
// rest are pooled and reported with the next record of any IP.
type heldCounts struct {
	mu     sync.Mutex
	n      map[string]int
	pooled int
}

func (h *heldCounts) add(ip string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.n[ip]; ok || len(h.n) < noiseIPs {
		h.n[ip]++
		return
	}
	h.pooled++
}

func (h *heldCounts) take(ip string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := h.n[ip] + h.pooled
	delete(h.n, ip)
	h.pooled = 0
	return n
}
