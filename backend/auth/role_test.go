package auth

import (
	"strings"
	"testing"

	"github.com/gridcc/gridcc/backend/apperr"
)

func TestParseRole(t *testing.T) {
	tests := []struct {
		in       string
		kind     Kind
		source   string // "" when not an ingest role
		personal bool
	}{
		{"wall", KindWall, "", false},
		{"ingest:hotline12345", KindIngest, "hotline12345", false},
		{"ingest:grid_worker-1", KindIngest, "grid_worker-1", false},
		{"ingest:" + strings.Repeat("a", 32), KindIngest, strings.Repeat("a", 32), false},
		{"officer", KindOfficer, "", true},
		{"street:411602001", KindStreet, "", true},
		{"community:C-001", KindCommunity, "", true},
		{"responder:R.17", KindResponder, "", true},
		{"reviewer", KindReviewer, "", false},
		{"admin", KindAdmin, "", false},
	}
	for _, tt := range tests {
		t.Run("OK/"+tt.in, func(t *testing.T) {
			r, err := ParseRole(tt.in)
			if err != nil {
				t.Fatalf("ParseRole(%q): %v", tt.in, err)
			}
			if r.Kind() != tt.kind {
				t.Errorf("Kind = %q, want %q", r.Kind(), tt.kind)
			}
			src, ok := r.Source()
			if src != tt.source || ok != (tt.source != "") || r.IsIngest() != ok {
				t.Errorf("Source = %q, %v; IsIngest = %v; want %q", src, ok, r.IsIngest(), tt.source)
			}
			if r.SeesPersonalData() != tt.personal {
				t.Errorf("SeesPersonalData = %v, want %v", r.SeesPersonalData(), tt.personal)
			}
		})
	}
}

func TestParseRoleInvalid(t *testing.T) {
	for _, in := range []string{
		"", "Wall", "wall:x", "ingest", "ingest:", "ingest:Hotline", "ingest:a b",
		"ingest:" + strings.Repeat("a", 32) + "a", "ingest:x:y", "officer:1", "street:", "community:c/1",
		"root", " wall",
	} {
		t.Run("ErrInvalid/"+in, func(t *testing.T) {
			_, err := ParseRole(in)
			if !apperr.Is(err, apperr.Invalid) {
				t.Fatalf("ParseRole(%q) = %v, want an invalid error", in, err)
			}
			// A role that never went through ParseRole fails closed.
			r := Role(in)
			if _, ok := r.Source(); ok || r.IsIngest() || r.SeesPersonalData() || r.Kind() != "" {
				t.Errorf("unparsed Role(%q) answers as a valid role", in)
			}
		})
	}
}

func TestTokenSessionPolicy(t *testing.T) {
	if got := TokenSessionPolicy("wall"); got != (SessionPolicy{WallSessionTTL, WallSessionTTL}) {
		t.Errorf("wall: %+v", got)
	}
	if got := TokenSessionPolicy("officer"); got != (SessionPolicy{DefaultSessionTTL, DefaultSessionTTL}) {
		t.Errorf("officer: %+v", got)
	}
}
