package httpapi

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/gridcc/gridcc/backend/apperr"
	"github.com/gridcc/gridcc/backend/audit"
)

// Bounds of GET /api/v1/audit.
const (
	auditDefaultSpan = 24 * time.Hour
	auditMaxSpan     = 366 * 24 * time.Hour
)

// AuditResponse answers GET /api/v1/audit.
type AuditResponse struct {
	Records   []audit.Record `json:"records"`   // newest first
	Truncated bool           `json:"truncated"` // more records match: narrow the period or raise limit
}

// auditLog is GET /api/v1/audit?from&to&user&action&limit: records with
// from ≤ at < to (RFC 3339; default the last 24 hours, at most 366 days),
// of one user and one action when given, newest first, at most limit
// (default 1000, at most 10000). Reading the log is itself audited (authz).
// There is no route that changes or deletes records.
func (h loginHandlers) auditLog(c *gin.Context) {
	q, err := auditQuery(c)
	if err != nil {
		writeError(c, err)
		return
	}
	if h.a.auditLog == nil {
		writeError(c, apperr.New(apperr.Unavailable, "the audit log is not configured on this server"))
		return
	}
	auditObject(c, q.From.Format(time.RFC3339)+"/"+q.To.Format(time.RFC3339))
	auditNote(c, "user=%q action=%q limit=%d", q.User, q.Action, q.Limit)
	want := q.Limit
	q.Limit++ // one more tells whether the answer is truncated
	recs, err := h.a.auditLog.Query(c.Request.Context(), q)
	if err != nil {
		writeError(c, err)
		return
	}
	resp := AuditResponse{Records: recs, Truncated: len(recs) > want}
	if resp.Truncated {
		resp.Records = recs[:want]
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, resp)
}

// auditQuery reads and checks the query parameters; an unknown or repeated
// one is a 400, so a typo never silently means "everything".
func auditQuery(c *gin.Context) (audit.Query, error) {
	params, err := queryParams(c)
	if err != nil {
		return audit.Query{}, err
	}
	for name, vals := range params {
		switch name {
		case "from", "to", "user", "action", "limit":
		default:
			return audit.Query{}, unknownParam(name, "from, to, user, action, limit")
		}
		if len(vals) > 1 {
			return audit.Query{}, repeatedParam(name)
		}
	}
	q := audit.Query{To: time.Now(), User: params.Get("user"), Action: params.Get("action"), Limit: audit.DefaultLimit}
	for name, dst := range map[string]*time.Time{"to": &q.To, "from": &q.From} {
		if v := params.Get(name); v != "" {
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				return audit.Query{}, apperr.Field(apperr.Invalid, name, "%s must be RFC 3339, e.g. 2025-06-01T00:00:00+08:00", name)
			}
			*dst = t
		}
	}
	if q.From.IsZero() {
		q.From = q.To.Add(-auditDefaultSpan)
	}
	if !q.From.Before(q.To) || q.To.Sub(q.From) > auditMaxSpan {
		return audit.Query{}, apperr.Field(apperr.Invalid, "from", "from must be before to, at most 366 days apart")
	}
	if v := params.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > audit.MaxLimit {
			return audit.Query{}, apperr.Field(apperr.Invalid, "limit", "limit must be 1..%d", audit.MaxLimit)
		}
		q.Limit = n
	}
	if len(q.User) > 64 || len(q.Action) > 128 {
		return audit.Query{}, apperr.New(apperr.Invalid, "user or action filter too long")
	}
	return q, nil
}
