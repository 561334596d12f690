package httpapi

import (
	"context"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/gridcc/gridcc/backend/apperr"
	"github.com/gridcc/gridcc/backend/directory"
	"github.com/gridcc/gridcc/backend/event"
	"github.com/gridcc/gridcc/backend/workflow"
)

// WorkflowService is the case workflow behind the action, event, directory
// and follow-up routes; *workflow.Service implements it. Errors are
// *apperr.Error: NotFound (unknown event), Forbidden (from the
// authorization hook), Conflict (illegal transition, lost race), Invalid
// (naming the field), Unavailable (Redis down).
type WorkflowService interface {
	Act(ctx context.Context, id string, req workflow.Request, actor string, authorize workflow.Authorize) (workflow.Result, error)
	Detail(ctx context.Context, id string, authorize workflow.Authorize) (workflow.Detail, error)
	List(ctx context.Context, q workflow.Query, authorize workflow.Authorize) (workflow.Page, error)
	FollowUps(ctx context.Context, street, grid string, authorize workflow.Authorize) ([]workflow.Care, error)
	Directory() []directory.Entry
}

var _ WorkflowService = (*workflow.Service)(nil)

// Authorizer is the authorization hook of the workflow routes: may the
// caller of c take action on e? It returns nil or an *apperr.Error with
// code Forbidden (any other error is a 500). The action is a request action
// (dispatch, accept, …; for a merge it is asked for both events) or "view"
// for reads, which leave out what it refuses. It is called after the event
// is loaded, so it can check the event's street, grid and assignee, and
// again on the fresh state when an action is retried after a lost race.
type Authorizer func(c *gin.Context, e *event.Event, action string) error

// registerWorkflow mounts on g, each route behind mw (authentication):
//
//	POST /events/:id/actions   take an action (docs/workflow.md)
//	GET  /events               open and recently done events: filters, paging, counts
//	GET  /events/:id           state, timeline, merged events, care, duplicate suggestions
//	GET  /directory            departments and volunteer teams
//	GET  /followups            long-term care with follow-ups pending
//
// The actor of an action is principal(c).Name. Personal data is masked in
// every answer but one event's detail, which reveals it (audited) to roles
// that may see it (reveal).
func registerWorkflow(g *gin.RouterGroup, wf WorkflowService, authorize Authorizer, mw ...gin.HandlerFunc) {
	h := workflowHandlers{wf: wf, authorize: authorize}
	route := func(method, path string, handler gin.HandlerFunc) {
		g.Handle(method, path, append(append([]gin.HandlerFunc{}, mw...), handler)...)
	}
	route(http.MethodPost, "/events/:id/actions", h.act)
	route(http.MethodGet, "/events", h.list)
	route(http.MethodGet, "/events/:id", h.detail)
	route(http.MethodGet, "/directory", h.directory)
	route(http.MethodGet, "/followups", h.followUps)
}

type workflowHandlers struct {
	wf        WorkflowService
	authorize Authorizer
}

// hook binds the Authorizer to this request.
func (h workflowHandlers) hook(c *gin.Context) workflow.Authorize {
	return func(e *event.Event, action string) error { return h.authorize(c, e, action) }
}

// eventID reads the :id parameter; an id no event can have is a 404 before
// any lookup.
func eventID(c *gin.Context) (string, error) {
	id := c.Param("id")
	if id == "" || len(id) > 64 || !isID(id) {
		return "", apperr.New(apperr.NotFound, "event %.64q not found", id)
	}
	return id, nil
}

func isID(s string) bool {
	for i := 0; i < len(s); i++ {
		b := s[i]
		if !('a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' || b == '.' || b == '_' || b == ':' || b == '-') {
			return false
		}
	}
	return true
}

// act is POST /api/v1/events/:id/actions: 200 with the new state and the
// change; 400 naming the field, 404, 409 with the state and the allowed
// actions, 413 over workflow.MaxRequestBytes.
func (h workflowHandlers) act(c *gin.Context) {
	id, err := eventID(c)
	if err != nil {
		writeError(c, err)
		return
	}
	body, err := readBody(c, workflow.MaxRequestBytes)
	if err != nil {
		writeError(c, err)
		return
	}
	req, err := workflow.DecodeRequest(body)
	if err != nil {
		writeError(c, err)
		return
	}
	res, err := h.wf.Act(c.Request.Context(), id, req, principal(c).Name, h.hook(c))
	if err != nil {
		writeError(c, err)
		return
	}
	// The answer is not a detail view: masked for every role, like a list
	// (a screen that needs the case in full reads its detail, a reveal).
	res.Event = event.Masked(res.Event)
	res.Change.Reason = maskText(res.Change.Reason)
	if res.Into != nil {
		into := event.Masked(*res.Into)
		res.Into = &into
	}
	if res.Care != nil {
		res.Care = maskCare(*res.Care)
	}
	c.JSON(http.StatusOK, res)
}

// detail is GET /api/v1/events/:id.
func (h workflowHandlers) detail(c *gin.Context) {
	id, err := eventID(c)
	if err != nil {
		writeError(c, err)
		return
	}
	if err := onlyParams(c); err != nil {
		writeError(c, err)
		return
	}
	d, err := h.wf.Detail(c.Request.Context(), id, h.hook(c))
	if err != nil {
		writeError(c, err)
		return
	}
	// The detail view is where a role that may reveal personal data sees it
	// in full (docs/auth.md "Personal data and reveals"): the event and each
	// event merged into it, each within scope and each audited by reveal;
	// their timelines and care with them. Suggestions are other events,
	// listed: masked.
	full := revealable(c, d.Event)
	d.Event = reveal(c, d.Event)
	if !full {
		maskTimeline(d.Timeline)
		if d.Care != nil {
			d.Care = maskCare(*d.Care)
		}
	}
	for i := range d.Merged {
		if !revealable(c, d.Merged[i].Event) {
			maskTimeline(d.Merged[i].Timeline)
		}
		d.Merged[i].Event = reveal(c, d.Merged[i].Event)
	}
	for i := range d.Suggestions {
		d.Suggestions[i].Title = maskText(d.Suggestions[i].Title)
	}
	c.JSON(http.StatusOK, d)
}

// list is GET /api/v1/events?status&kind&street&grid&severity&overdue&assignee&q&limit&cursor.
func (h workflowHandlers) list(c *gin.Context) {
	if err := onlyParams(c, "status", "kind", "street", "grid", "severity", "overdue", "assignee", "q", "limit", "cursor"); err != nil {
		writeError(c, err)
		return
	}
	q := workflow.Query{Status: c.Query("status"), Kind: event.Kind(c.Query("kind")), Street: c.Query("street"),
		Grid: c.Query("grid"), Severity: event.Severity(c.Query("severity")), Assignee: c.Query("assignee"),
		Text: c.Query("q"), Cursor: c.Query("cursor")}
	if s := c.Query("overdue"); s != "" {
		b, err := strconv.ParseBool(s)
		if err != nil {
			writeError(c, apperr.Field(apperr.Invalid, "overdue", "overdue must be true or false"))
			return
		}
		q.Overdue = &b
	}
	if s := c.Query("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			writeError(c, apperr.Field(apperr.Invalid, "limit", "limit must be an integer from 1 to %d", workflow.MaxLimit))
			return
		}
		q.Limit = n
	}
	page, err := h.wf.List(c.Request.Context(), q, h.hook(c))
	if err != nil {
		writeError(c, err)
		return
	}
	// A list is masked for every role: a reveal is one event's detail, audited.
	for i := range page.Items {
		page.Items[i] = event.Masked(page.Items[i])
	}
	c.JSON(http.StatusOK, page)
}

// directory is GET /api/v1/directory?kind=department|volunteer_team&street=.
// It holds no personal data: grid workers are not listed.
func (h workflowHandlers) directory(c *gin.Context) {
	if err := onlyParams(c, "kind", "street"); err != nil {
		writeError(c, err)
		return
	}
	kind, street := directory.Kind(c.Query("kind")), c.Query("street")
	if kind != "" && kind != directory.Department && kind != directory.VolunteerTeam {
		writeError(c, apperr.Field(apperr.Invalid, "kind", "kind must be department or volunteer_team"))
		return
	}
	out := []directory.Entry{}
	for _, e := range h.wf.Directory() {
		if (kind == "" || e.Kind == kind) && (street == "" || e.Serves(street)) {
			out = append(out, e)
		}
	}
	c.JSON(http.StatusOK, gin.H{"entries": out})
}

// followUps is GET /api/v1/followups?street=&grid=.
func (h workflowHandlers) followUps(c *gin.Context) {
	if err := onlyParams(c, "street", "grid"); err != nil {
		writeError(c, err)
		return
	}
	cares, err := h.wf.FollowUps(c.Request.Context(), c.Query("street"), c.Query("grid"), h.hook(c))
	if err != nil {
		writeError(c, err)
		return
	}
	for i := range cares {
		cares[i] = *maskCare(cares[i])
	}
	c.JSON(http.StatusOK, gin.H{"cares": cares})
}

// onlyParams refuses a malformed query string and unknown and repeated
// parameters: a typo must not silently mean "no filter".
func onlyParams(c *gin.Context, allowed ...string) error {
	params, err := queryParams(c)
	if err != nil {
		return err
	}
	for name, vals := range params {
		known := false
		for _, a := range allowed {
			known = known || a == name
		}
		switch {
		case !known:
			return unknownParam(name, "")
		case len(vals) > 1:
			return repeatedParam(name)
		}
	}
	return nil
}

// maskText masks the numbers in free text (reasons, notes, titles) as
// event.Masked does an event's title.
func maskText(s string) string {
	return event.Masked(event.Event{Title: s}).Title
}

func maskTimeline(tl []event.Change) {
	for i := range tl {
		tl[i].Reason = maskText(tl[i].Reason)
	}
}

func maskCare(care workflow.Care) *workflow.Care {
	care.Title = maskText(care.Title)
	care.FollowUps = append([]workflow.FollowUp(nil), care.FollowUps...)
	for i := range care.FollowUps {
		care.FollowUps[i].Note = maskText(care.FollowUps[i].Note)
	}
	return &care
}
