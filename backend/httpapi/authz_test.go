package httpapi

import (
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/gridcc/gridcc/backend/apperr"
	"github.com/gridcc/gridcc/backend/audit"
	"github.com/gridcc/gridcc/backend/auth"
	"github.com/gridcc/gridcc/backend/event"
)

// TestLiveClient: the hub gets every principal masked, with its scope: the
// whole district (nil lists), its street, its community, its own cases, or
// nothing for a principal that may not watch.
func TestLiveClient(t *testing.T) {
	tests := []struct {
		role                 auth.Role
		streets, communities []string
		responder            string
	}{
		{"wall", nil, nil, ""},
		{"officer", nil, nil, ""},
		{"reviewer", nil, nil, ""},
		{"admin", nil, nil, ""},
		{"street:411602001", []string{"411602001"}, nil, ""},
		{"community:C-001", nil, []string{"C-001"}, ""},
		{"responder:R-17", nil, nil, "R-17"},
		{"ingest:x", []string{}, []string{}, ""},
	}
	same := func(a, b []string) bool { return (a == nil) == (b == nil) && slices.Equal(a, b) }
	for _, tt := range tests {
		t.Run(string(tt.role), func(t *testing.T) {
			c, _ := gin.CreateTestContext(httptest.NewRecorder())
			c.Request = httptest.NewRequest("GET", "/ws", nil)
			c.Set(principalKey, auth.Principal{Name: "p", Role: tt.role})
			c.Set(viaKey, viaCookie)
			lc := liveClient(c)
			if lc.Name != "p" || !lc.Masked || lc.Via != viaCookie || !same(lc.Streets, tt.streets) ||
				!same(lc.Communities, tt.communities) || lc.Responder != tt.responder {
				t.Fatalf("liveClient = %#v, want %#v %#v %q", lc, tt.streets, tt.communities, tt.responder)
			}
		})
	}
}

// TestAuthorizeEvent walks roles × actions × in/out of scope through the
// workflow routes' authorization hook.
func TestAuthorizeEvent(t *testing.T) {
	in := testEvent("ev-in") // street 411602001, community C-001, assignee R-17
	out := event.Event{ID: "ev-out", StreetCode: "411602002", CommunityID: "C-009", Assignee: "R-4"}
	act := []string{"dispatch", "accept", "start", "resolve", "close", "rate", "reopen", "comment",
		"acknowledge", "merge", "whistle", "checkin", "followup_done"}
	responderMay := map[string]bool{"accept": true, "start": true, "resolve": true, "checkin": true, "comment": true, "followup_done": true}
	tests := []struct {
		role        auth.Role
		view, acts  bool // on the in-scope event
		scoped      bool // refused on the out-of-scope event
		onlySomeAct bool // a responder: only responderActions
	}{
		{"officer", true, true, false, false},
		{"street:411602001", true, true, true, false},
		{"community:C-001", true, true, true, false},
		{"responder:R-17", true, true, true, true},
		{"reviewer", true, false, false, false},
		{"admin", false, false, false, false},
		{"wall", false, false, false, false},
		{"ingest:x", false, false, false, false},
	}
	rec := &fakeAudit{}
	a := &authenticator{audit: rec, noise: newNoiseGate()}
	for _, tt := range tests {
		t.Run(string(tt.role), func(t *testing.T) {
			check := func(e event.Event, action string, want bool) {
				t.Helper()
				c, _ := gin.CreateTestContext(httptest.NewRecorder())
				c.Request = httptest.NewRequest("POST", "/api/v1/events/"+e.ID+"/actions", nil)
				c.Set(principalKey, auth.Principal{Name: "p", Role: tt.role})
				c.Set(authnKey, a)
				err := authorizeEvent(c, &e, action)
				if (err == nil) != want {
					t.Errorf("%s on %s: err = %v, want allowed %v", action, e.ID, err, want)
				}
				if err != nil && !apperr.Is(err, apperr.Forbidden) {
					t.Errorf("%s: %v is not forbidden", action, err)
				}
				if err == nil && action != "view" && !c.GetBool(auditActionKey) {
					t.Errorf("%s allowed but not marked for the audit log", action)
				}
			}
			check(in, "view", tt.view)
			check(out, "view", tt.view && !tt.scoped)
			for _, action := range act {
				check(in, action, tt.acts && (!tt.onlySomeAct || responderMay[action]))
				check(out, action, tt.acts && !tt.scoped && (!tt.onlySomeAct || responderMay[action]))
			}
		})
	}
	if len(rec.find("deny", audit.Denied)) == 0 {
		t.Error("refused actions were not audited")
	}
}
