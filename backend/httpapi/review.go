package httpapi

import (
	"fmt"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/gridcc/gridcc/backend/apperr"
	"github.com/gridcc/gridcc/backend/audit"
	"github.com/gridcc/gridcc/backend/auth"
	"github.com/gridcc/gridcc/backend/event"
	"github.com/gridcc/gridcc/backend/history"
)

// The review's lists: late cases, check-ins per department, and the replay
// of a day or a week. They sit with the other stats (same group, same
// permission, same parameter rules); docs/history.md describes them.

// overdue is GET /api/v1/stats/overdue?…&list=open|closed_late&limit&offset.
func (h statsHandlers) overdue(c *gin.Context) {
	v, err := h.overdueOf(c, true)
	answer(c, v, err)
}

// overdueOf reads the overdue parameters and the page they ask for, masked
// for the caller. Without paging (the export) it reads the whole list, up
// to maxExportRows.
func (h statsHandlers) overdueOf(c *gin.Context, paged bool) (history.LateCases, error) {
	names := []string{"kind", "category", "street", "list"}
	if paged {
		names = append(names, "limit", "offset")
	}
	p := h.params(c, names...)
	per, f := p.period(h.today(), history.DefaultPeriodDays), p.filter()
	list := history.CaseList(c.DefaultQuery("list", string(history.OpenOverdue)))
	if list != history.OpenOverdue && list != history.ClosedLate {
		p.fail(apperr.Field(apperr.Invalid, "list", "list must be open or closed_late"))
	}
	page := history.Page{Limit: maxExportRows}
	if paged {
		page = history.Page{Limit: p.integer("limit", history.DefaultPageSize, 1, history.MaxPageSize),
			Offset: p.integer("offset", 0, 0, history.MaxOffset)}
	}
	if p.err != nil {
		return history.LateCases{}, p.err
	}
	v, err := h.q.Overdue(c.Request.Context(), f, per, list, page)
	if err != nil {
		return v, err
	}
	if !paged && v.Total() > maxExportRows {
		return history.LateCases{}, apperr.Field(apperr.Invalid, "from", "the list has %d rows, more than the %d an export holds: choose a shorter period or a filter", v.Total(), maxExportRows)
	}
	rv := newListReveal(c)
	for i := range v.Items {
		it := &v.Items[i]
		rv.mask(it.StreetCode, it.CommunityID, &it.Title, &it.Address)
	}
	rv.audit(c, "overdue "+per.Label())
	return v, nil
}

// checkins is GET /api/v1/stats/checkins?…: whistle-and-report check-ins
// per department.
func (h statsHandlers) checkins(c *gin.Context) {
	v, err := h.checkinsOf(c)
	answer(c, v, err)
}

func (h statsHandlers) checkinsOf(c *gin.Context) (history.Checkins, error) {
	p := h.params(c, "kind", "category", "street")
	per, f := p.period(h.today(), history.DefaultPeriodDays), p.filter()
	if p.err != nil {
		return history.Checkins{}, p.err
	}
	return h.q.Checkins(c.Request.Context(), f, per)
}

// replay is GET /api/v1/stats/replay?from&to|week&kind&category&street&since|after&limit:
// a page of the window's records in time order. The window is at most a
// week (from=to for one day; without a period, the last 7 days).
func (h statsHandlers) replay(c *gin.Context) {
	p := h.params(c, "kind", "category", "street", "since", "after", "limit")
	q := history.ReplayQuery{Period: p.period(h.today(), history.DefaultPeriodDays), Filter: p.filter(),
		Limit: p.integer("limit", history.DefaultReplayPage, 1, history.MaxReplayPage)}
	since, after := c.Query("since"), c.Query("after")
	switch {
	case since != "" && after != "":
		p.fail(apperr.Field(apperr.Invalid, "since", "give since or after, not both"))
	case since != "":
		t, err := time.Parse(time.RFC3339, since)
		if err != nil {
			p.fail(apperr.Field(apperr.Invalid, "since", "since must be RFC 3339, e.g. 2025-06-02T14:30:00+08:00"))
		}
		q.Since = t
	case after != "":
		cur, err := history.ParseReplayCursor("after", after)
		p.fail(err)
		q.After = &cur
	}
	if p.err != nil {
		writeError(c, p.err)
		return
	}
	v, err := h.q.Replay(c.Request.Context(), q)
	if err != nil {
		writeError(c, err)
		return
	}
	rv := newListReveal(c)
	for i := range v.Items {
		it := &v.Items[i]
		if rv.mask(it.StreetCode, it.CommunityID, &it.Title, &it.Address) {
			it.Actor = ""
		}
	}
	rv.audit(c, "replay "+q.Period.Label())
	answer(c, v, nil)
}

// listReveal decides, row by row, whether the caller sees a list's
// personal fields (address, title numbers, who acted) in full: only a role
// that may reveal personal data (auth.PermPersonalReveal), only for rows in
// its scope. Everyone else gets them masked as event.Masked masks them.
// Rows shown in full are audited, one "reveal" record per answer with
// their count — a list cannot be audited per row without flooding the log.
type listReveal struct {
	a     *authenticator
	p     auth.Principal
	shown int
}

func newListReveal(c *gin.Context) *listReveal {
	return &listReveal{a: authnOf(c), p: principal(c)}
}

// full reports whether a row in street and community is shown in full,
// and counts it.
func (r *listReveal) full(street, community string) bool {
	if r.a == nil || !r.p.Role.Can(auth.PermPersonalReveal) ||
		!auth.InScope(r.p, auth.Object{Street: street, Community: community}) {
		return false
	}
	r.shown++
	return true
}

// mask leaves a row's title and address in full when the caller may see
// them (full) and masks them otherwise; it reports whether it masked.
func (r *listReveal) mask(street, community string, title, address *string) bool {
	if r.full(street, community) {
		return false
	}
	m := event.Masked(event.Event{Title: *title, Address: *address})
	*title, *address = m.Title, m.Address
	return true
}

// audit records the answer's reveal, if it showed any row in full.
func (r *listReveal) audit(c *gin.Context, object string) {
	if r.shown == 0 {
		return
	}
	r.a.record(c, r.p, audit.Record{Action: "reveal", Object: object, Outcome: audit.Success,
		Detail: fmt.Sprintf("rows=%d fields=title,address,actor", r.shown)})
}
