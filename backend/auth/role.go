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

// The kinds. Only Wall and Ingest are granted anything today; the others are
// reserved for the case-workflow issue so the auth file format does not
// change when they arrive.
const (
	KindWall      Kind = "wall"      // the public wall screen: live map and counts, no personal data
	KindIngest    Kind = "ingest"    // a source system posting events; scope = source name
	KindOfficer   Kind = "officer"   // case-workflow issue: duty officer in the command center
	KindStreet    Kind = "street"    // case-workflow issue: staff of one street; scope = street_code
	KindCommunity Kind = "community" // case-workflow issue: staff of one community; scope = community_id
	KindResponder Kind = "responder" // case-workflow issue: a field responder; scope = responder id
	KindReviewer  Kind = "reviewer"  // case-workflow issue: quality review and statistics
	KindAdmin     Kind = "admin"     // case-workflow issue: manages users and tokens
)

// kindRule says how a kind is written and whether it sees personal data.
type kindRule struct {
	scope    *regexp.Regexp // nil: the role takes no scope
	personal bool
}

var (
	// sourceRE is deliberately lowercase and short: the source name is
	// stored on every event and used in metric labels.
	sourceRE = regexp.MustCompile(`^[a-z0-9_-]{1,32}$`)
	// idRE matches street codes, community ids and responder ids as the
	// geodata and the case workflow write them.
	idRE = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,64}$`)
)

// kindRules is the roles table (docs/auth.md carries the same table):
//
//	kind       scope          sees personal data  why
//	wall       —              no                  a public screen anyone in the hall can read
//	ingest     source name    no                  it posts events and reads nothing back
//	officer    —              yes                 handles cases, calls back reporters
//	street     street_code    yes                 handles the cases of its street
//	community  community_id   yes                 handles the cases of its community
//	responder  responder id   yes                 needs the address and phone to act
//	reviewer   —              no                  judges quality and statistics on masked data
//	admin      —              yes                 resolves disputes over any case
//
// Personal data means the fields event.Event masks: caller and reporter
// names, phone numbers, street addresses.
var kindRules = map[Kind]kindRule{
	KindWall:      {},
	KindIngest:    {scope: sourceRE},
	KindOfficer:   {personal: true},
	KindStreet:    {scope: idRE, personal: true},
	KindCommunity: {scope: idRE, personal: true},
	KindResponder: {scope: idRE, personal: true},
	KindReviewer:  {},
	KindAdmin:     {personal: true},
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

// SeesPersonalData reports whether r may read personal data unmasked (see
// the table at kindRules). It is false for wall, ingest, reviewer and any
// malformed role, so an unknown role fails closed.
func (r Role) SeesPersonalData() bool { return kindRules[r.Kind()].personal }

// tokenKinds are the kinds a token may hold today. The reserved kinds are
// for people, who get users with passwords in the case-workflow issue; a
// token minted now must not silently gain their powers when that lands.
var tokenKinds = map[Kind]bool{KindWall: true, KindIngest: true}
