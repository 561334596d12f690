package auth

import (
	"regexp"
	"strings"

	"github.com/gridcc/gridcc/backend/apperr"
)

// Role is what a principal may do, as written in the auth file: a bare kind
// ("wall", "officer", "reviewer", "admin") or a kind with a scope
// ("ingest:hotline12345", "street:411602001", "community:C-001",
// "responder:R-17"). Check one from outside with ParseRole; a malformed Role
// answers every question below with false, so it fails closed.
type Role string

// Kind is the part of a role before the colon.
type Kind string

// The kinds. What each may do is the grants table in perm.go.
const (
	KindWall      Kind = "wall"      // a public screen: the live map and counts, no personal data
	KindIngest    Kind = "ingest"    // a source system posting events; scope = source name
	KindOfficer   Kind = "officer"   // duty officer in the command center, whole district
	KindStreet    Kind = "street"    // staff of one street; scope = street_code
	KindCommunity Kind = "community" // staff of one community; scope = community_id
	KindResponder Kind = "responder" // a department, volunteer team or grid worker; scope = its id
	KindReviewer  Kind = "reviewer"  // analytics and quality review, read-only, masked
	KindAdmin     Kind = "admin"     // manages users and reads the audit log
)

// kindRule says how a kind's scope is written; nil takes no scope.
type kindRule struct {
	scope *regexp.Regexp
}

var (
	// sourceRE is deliberately lowercase and short: the source name is
	// stored on every event and used in metric labels.
	sourceRE = regexp.MustCompile(`^[a-z0-9_-]{1,32}$`)
	// idRE matches street codes, community ids and responder ids as the
	// geodata and the case workflow write them.
	idRE = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,64}$`)
)

// kindRules lists every kind and its scope syntax. What a kind may do is in
// grants (perm.go); docs/auth.md carries both as one table.
var kindRules = map[Kind]kindRule{
	KindWall:      {},
	KindIngest:    {scope: sourceRE},
	KindOfficer:   {},
	KindStreet:    {scope: idRE},
	KindCommunity: {scope: idRE},
	KindResponder: {scope: idRE},
	KindReviewer:  {},
	KindAdmin:     {},
}

// ParseRole checks s against the roles table. The error is apperr.Invalid
// with field "role" and says what was expected.
func ParseRole(s string) (Role, error) {
	kind, scope, scoped := strings.Cut(s, ":")
	rule, ok := kindRules[Kind(kind)]
	switch {
	case !ok:
		return "", apperr.Field(apperr.Invalid, "role", "unknown role %q: want wall, ingest:<source>, officer, street:<code>, community:<id>, responder:<id>, reviewer or admin", s)
	case rule.scope == nil && scoped:
		return "", apperr.Field(apperr.Invalid, "role", "role %q takes no scope: write %q", s, kind)
	case rule.scope != nil && !rule.scope.MatchString(scope):
		return "", apperr.Field(apperr.Invalid, "role", "role %q needs a scope after the colon matching %s", s, rule.scope)
	}
	return Role(s), nil
}

// Kind returns the role's kind, or "" for a malformed role.
func (r Role) Kind() Kind {
	if _, err := ParseRole(string(r)); err != nil {
		return ""
	}
	kind, _, _ := strings.Cut(string(r), ":")
	return Kind(kind)
}

// Source returns the source name of an ingest role ("hotline12345" for
// "ingest:hotline12345") and false for every other role.
func (r Role) Source() (string, bool) {
	if r.Kind() != KindIngest {
		return "", false
	}
	return strings.TrimPrefix(string(r), string(KindIngest)+":"), true
}

// IsIngest reports whether r is an ingest:<source> role.
func (r Role) IsIngest() bool { return r.Kind() == KindIngest }

// SeesPersonalData reports whether r may reveal personal data at all
// (PermPersonalReveal; whether it may for a given event is InScope's
// answer). It is false for wall, ingest, reviewer, admin and any malformed
// role, so an unknown role fails closed.
func (r Role) SeesPersonalData() bool { return r.Can(PermPersonalReveal) }

// scope returns the part after the colon ("" for unscoped or malformed roles).
func (r Role) scope() string {
	if r.Kind() == "" {
		return ""
	}
	_, scope, _ := strings.Cut(string(r), ":")
	return scope
}

// tokenKinds are the kinds a token may hold: screens and systems. People
// get users with passwords (userKinds), so every person's action is tied to
// a login that can be locked out, timed out and audited.
var tokenKinds = map[Kind]bool{KindWall: true, KindIngest: true}
