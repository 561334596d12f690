package httpapi

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/gridcc/gridcc/backend/audit"
	"github.com/gridcc/gridcc/backend/auth"
	"github.com/gridcc/gridcc/backend/event"
	"github.com/gridcc/gridcc/backend/history"
)

// TestSearchScopeAndMasking runs the history search over the review
// fixture's cases (late-0 and open-0 in li's street, late-1 and open-1 in
// another) as each kind of caller.
func TestSearchScopeAndMasking(t *testing.T) {
	fx := newReviewFixture(t)
	all := []string{"late-0", "late-1", "open-0", "open-1"} // one report time: by event id
	for _, tc := range []struct {
		name, user, query string
		bearer            string
		want              []string
		full              bool // rows in full, and one reveal record for them
	}{
		{name: "OK_officerFindsEveryStreetInFull", user: "zhang", query: "q=测试事件", want: all, full: true},
		{name: "OK_streetFindsOnlyItsOwn", user: "li", query: "q=测试事件", want: []string{"late-0", "open-0"}, full: true},
		{name: "OK_streetAskingForAnotherStreetFindsNothing", user: "li", query: "q=测试事件&street=" + otherStreet},
		{name: "OK_communitySeesNoOtherCommunity", user: "wang", query: "q=测试事件"},
		{name: "OK_reviewerMasked", user: "qian", query: "q=测试事件", want: all},
		{name: "OK_wallMasked", bearer: fx.wall, query: "q=测试事件", want: all},
		{name: "OK_addressForWhoMaySeeIt", user: "li", query: "q=人民路12号", want: []string{"late-0", "open-0"}, full: true},
		{name: "OK_addressNotSearchedWhenMasked", user: "qian", query: "q=人民路12号"},
		{name: "OK_sourceID", user: "zhang", query: "q=src-open-1", want: []string{"open-1"}, full: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := len(fx.audit.find("reveal", audit.Success))
			r := request{method: http.MethodGet, target: "/api/v1/stats/search?" + encodeQuery(tc.query) + "&" + fx.period, bearer: tc.bearer}
			if tc.user != "" {
				r.cookie, _ = fx.login(t, tc.user)
			}
			w := fx.do(r)
			var got history.SearchResult
			if w.Code != http.StatusOK || json.Unmarshal(w.Body.Bytes(), &got) != nil {
				t.Fatalf("%d %s", w.Code, w.Body)
			}
			var ids []string
			for _, it := range got.Items {
				ids = append(ids, it.EventID)
				if full := it.Address == fullAddress; full != tc.full || !tc.full && !strings.HasSuffix(it.Address, "…") {
					t.Errorf("%s: address %q, want in full: %v", it.EventID, it.Address, tc.full)
				}
				if strings.HasPrefix(it.EventID, "open") && (it.Status != event.Escalated || it.Assignee != "sfj") {
					t.Errorf("%s now %s, assignee %q; want escalated, sfj", it.EventID, it.Status, it.Assignee)
				}
			}
			if !slices.Equal(ids, tc.want) || got.Total != int64(len(tc.want)) || got.TotalCapped {
				t.Errorf("found %v (total %d, capped %v), want %v", ids, got.Total, got.TotalCapped, tc.want)
			}
			recs := fx.audit.find("reveal", audit.Success)[before:]
			switch {
			case tc.full && (len(recs) != 1 || !strings.HasPrefix(recs[0].Object, "search ") || !strings.Contains(recs[0].Detail, "rows="+strconv.Itoa(len(tc.want)))):
				t.Errorf("reveal records %+v, want one for %d rows", recs, len(tc.want))
			case !tc.full && len(recs) != 0:
				t.Errorf("a masked answer was audited as a reveal: %+v", recs)
			}
		})
	}
}

// encodeQuery escapes the values of a name=value&… query written plainly.
func encodeQuery(q string) string {
	v, err := url.ParseQuery(q)
	if err != nil {
		panic(err)
	}
	return v.Encode()
}

// TestSearchRefusesResponders: a responder's scope is its cases, not a
// place, so a place-scoped search would show it every street. The roles
// table keeps stats.read from it; the handler refuses it all the same.
func TestSearchRefusesResponders(t *testing.T) {
	gin.SetMode(gin.TestMode)
	e := gin.New()
	e.Use(func(c *gin.Context) { c.Set(principalKey, auth.Principal{Name: "p", Role: "responder:R-17"}) })
	s := &fakeStats{}
	registerStats(e.Group("/api/v1"), s, time.UTC)
	if w := get(e, "/api/v1/stats/search?q=ab"); w.Code != http.StatusForbidden || s.search.Text != "" {
		t.Errorf("status %d %s, history asked for %q; want 403 before asking", w.Code, w.Body, s.search.Text)
	}
}
