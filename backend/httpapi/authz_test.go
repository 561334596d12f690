package httpapi

import (
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/gridcc/gridcc/backend/auth"
)

// TestLiveClient: the hub gets every principal masked, with its street
// scope: the whole district (nil), its street, or nothing when the scope is
// one the hub cannot filter by (community, responder).
func TestLiveClient(t *testing.T) {
	tests := []struct {
		role    auth.Role
		streets []string
	}{
		{"wall", nil},
		{"officer", nil},
		{"reviewer", nil},
		{"admin", nil},
		{"street:411602001", []string{"411602001"}},
		{"community:C-001", []string{}},
		{"responder:R-17", []string{}},
		{"ingest:x", []string{}},
	}
	for _, tt := range tests {
		t.Run(string(tt.role), func(t *testing.T) {
			c, _ := gin.CreateTestContext(httptest.NewRecorder())
			c.Set(principalKey, auth.Principal{Name: "p", Role: tt.role})
			c.Set(viaKey, viaCookie)
			lc := liveClient(c)
			if lc.Name != "p" || !lc.Masked || lc.Via != viaCookie || (lc.Streets == nil) != (tt.streets == nil) || !slices.Equal(lc.Streets, tt.streets) {
				t.Fatalf("liveClient = %#v, want streets %#v", lc, tt.streets)
			}
		})
	}
}
