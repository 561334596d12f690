package auth

import (
	"slices"
	"strings"
	"testing"
)

// TestGrants spells the roles table out once more, row by row, so a change
// to grants must be made twice (here and in docs/auth.md) on purpose.
func TestGrants(t *testing.T) {
	want := map[Role]string{
		"wall":             "watch stats.read duty.read",
		"ingest:hotline":   "ingest",
		"officer":          "watch events.read events.act stats.read export personal.reveal duty.read",
		"street:411602001": "watch events.read events.act stats.read personal.reveal duty.read",
		"community:C-001":  "watch events.read events.act stats.read personal.reveal duty.read",
		"responder:R-17":   "watch events.read events.act personal.reveal duty.read",
		"reviewer":         "watch events.read stats.read export",
		"admin":            "watch stats.read audit.read users.manage",
		"root":             "",
		"street:":          "",
	}
	for role, perms := range want {
		var got []string
		for _, p := range role.Perms() {
			got = append(got, string(p))
		}
		if strings.Join(got, " ") != perms {
			t.Errorf("%s: %v, want %s", role, got, perms)
		}
	}
	for kind := range kindRules {
		if _, ok := grants[kind]; !ok {
			t.Errorf("kind %s has no row in grants", kind)
		}
	}
}

func TestScope(t *testing.T) {
	p := func(r Role) Principal { return Principal{Name: "x", Role: r} }
	in := Object{Street: "411602001", Community: "C-001", Assignees: []string{"R-17", "R-3"}}
	out := Object{Street: "411602002", Community: "C-009", Assignees: []string{"R-4"}}
	tests := []struct {
		role    Role
		in, out bool
		watches bool // LiveScope is Scope; otherwise nothing
	}{
		{"officer", true, true, true},
		{"wall", true, true, true},
		{"reviewer", true, true, true},
		{"admin", true, true, true},
		{"street:411602001", true, false, true},
		{"community:C-001", true, false, true},
		{"responder:R-17", true, false, true},
		{"ingest:x", false, false, false},
		{"root", false, false, false},
	}
	for _, tt := range tests {
		t.Run(string(tt.role), func(t *testing.T) {
			if got := InScope(p(tt.role), in); got != tt.in {
				t.Errorf("in scope = %v, want %v", got, tt.in)
			}
			if got := InScope(p(tt.role), out); got != tt.out {
				t.Errorf("out of scope = %v, want %v", got, tt.out)
			}
			ls, lc, lr := LiveScope(p(tt.role))
			ws, wc, wr := Scope(p(tt.role))
			if !tt.watches {
				ws, wc, wr = []string{}, []string{}, ""
			}
			if (ls == nil) != (ws == nil) || !slices.Equal(ls, ws) || (lc == nil) != (wc == nil) || !slices.Equal(lc, wc) || lr != wr {
				t.Errorf("LiveScope = %#v %#v %q, want %#v %#v %q", ls, lc, lr, ws, wc, wr)
			}
		})
	}
	streets, communities, responder := Scope(p("community:C-001"))
	if streets != nil || !slices.Equal(communities, []string{"C-001"}) || responder != "" {
		t.Errorf("community scope: %v %v %q", streets, communities, responder)
	}
}
