package httpapi

import (
	"github.com/gin-gonic/gin"

	"github.com/gridcc/gridcc/backend/apperr"
	"github.com/gridcc/gridcc/backend/auth"
	"github.com/gridcc/gridcc/backend/history"
)

// search is GET /api/v1/stats/search?q&from&to|week&kind&category&street&limit&offset:
// the duty console's search of the whole history (closed cases too);
// docs/history.md describes it. Without a period it looks at the last 365
// days.
//
// Unlike the other stats, it is a search of the caller's own area: a street
// or community role finds only the cases of its street or community (the
// text matches titles and addresses, so rows from elsewhere, even masked,
// would answer "is there a case at this address?"). Rows are masked as the
// late-case lists mask them, and only a caller who may see addresses in
// full may search them.
func (h statsHandlers) search(c *gin.Context) {
	p := h.params(c, "q", "kind", "category", "street", "limit", "offset")
	text, err := history.ParseSearchText(c.Query("q"))
	p.fail(err)
	q := history.SearchQuery{Text: text, Period: p.period(h.today(), history.DefaultSearchDays), Filter: p.filter(),
		Page: history.Page{Limit: p.integer("limit", history.DefaultPageSize, 1, history.MaxPageSize),
			Offset: p.integer("offset", 0, 0, history.MaxOffset)}}
	if p.err != nil {
		writeError(c, p.err)
		return
	}
	who := principal(c)
	streets, communities, responder := auth.Scope(who)
	if responder != "" {
		// A responder's scope is the cases dispatched to it, not a place;
		// the roles table gives it no stats.read, and this keeps it so.
		writeError(c, apperr.New(apperr.Forbidden, "a responder cannot search the history"))
		return
	}
	q.Scope = history.Scope{Streets: streets, Communities: communities}
	q.Addresses = who.Role.Can(auth.PermPersonalReveal)
	v, err := h.q.Search(c.Request.Context(), q)
	if err != nil {
		writeError(c, err)
		return
	}
	rv := newListReveal(c)
	for i := range v.Items {
		it := &v.Items[i]
		rv.mask(it.StreetCode, it.CommunityID, &it.Title, &it.Address)
	}
	rv.audit(c, "search "+q.Period.Label())
	answer(c, v, nil)
}
