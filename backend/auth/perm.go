package auth

import "slices"

// Perm is one permission: what a group of endpoints needs. Routes name the
// permission they need (httpapi authz); roles are granted permissions in the
// one table below. No role inherits from another and there is no order of
// roles: a role may do exactly what its row lists.
type Perm string

// The permissions, one per endpoint group.
const (
	PermIngest         Perm = "ingest"          // POST events from a source system
	PermWatch          Perm = "watch"           // the live WebSocket stream (masked for everyone; see docs/auth.md)
	PermEventsRead     Perm = "events.read"     // list and read events, within scope
	PermEventsAct      Perm = "events.act"      // workflow actions on events, within scope
	PermStatsRead      Perm = "stats.read"      // statistics and trends
	PermExport         Perm = "export"          // bulk downloads (audited)
	PermAuditRead      Perm = "audit.read"      // read the audit log (audited)
	PermUsersManage    Perm = "users.manage"    // manage users and tokens through the API
	PermPersonalReveal Perm = "personal.reveal" // see one event's personal data in full, within scope (audited)
	PermDutyRead       Perm = "duty.read"       // the grid worker on duty in a grid: masked, in full with personal.reveal within scope (audited)
)

// Perms lists every permission in documentation order.
var Perms = []Perm{PermIngest, PermWatch, PermEventsRead, PermEventsAct, PermStatsRead, PermExport,
	PermAuditRead, PermUsersManage, PermPersonalReveal, PermDutyRead}

// grants is the roles table (docs/auth.md carries the same table). The
// scoped kinds act only on objects within their scope (InScope).
//
//	           ingest watch ev.read ev.act stats export audit users reveal duty
//	wall         -      ✓      -      -      ✓     -      -     -     -      ✓
//	ingest       ✓      -      -      -      -     -      -     -     -      -
//	officer      -      ✓      ✓      ✓      ✓     ✓      -     -     ✓      ✓
//	street       -      ✓      ✓      ✓      ✓     -      -     -     ✓      ✓
//	community    -      ✓      ✓      ✓      ✓     -      -     -     ✓      ✓
//	responder    -      ✓      ✓      ✓      -     -      -     -     ✓      ✓
//	reviewer     -      ✓      ✓      -      ✓     ✓      -     -     -      -
//	admin        -      ✓      -      -      ✓     -      ✓     ✓     -      -
//
// Why: the wall only displays (live data and the counts of the stats
// charts); a system only sends. People who handle cases
// (officer, street, community, responder) read, act and may reveal the
// personal data of their cases, each reveal audited. The reviewer judges
// quality on masked data and may export it. The admin manages accounts and
// reads the audit log but does not handle cases or see personal data
// (separation of duties, least privilege: 等保 8.1.4.2). Whoever watches
// or handles alerts may ask who the grid worker on duty is (the wall's
// camera card, the console, a responder on its way): masked, unless the
// role may reveal and the grid is in its scope. Reviewers and admins have
// no one to call.
var grants = map[Kind][]Perm{
	KindWall:      {PermWatch, PermStatsRead, PermDutyRead},
	KindIngest:    {PermIngest},
	KindOfficer:   {PermWatch, PermEventsRead, PermEventsAct, PermStatsRead, PermExport, PermPersonalReveal, PermDutyRead},
	KindStreet:    {PermWatch, PermEventsRead, PermEventsAct, PermStatsRead, PermPersonalReveal, PermDutyRead},
	KindCommunity: {PermWatch, PermEventsRead, PermEventsAct, PermStatsRead, PermPersonalReveal, PermDutyRead},
	KindResponder: {PermWatch, PermEventsRead, PermEventsAct, PermPersonalReveal, PermDutyRead},
	KindReviewer:  {PermWatch, PermEventsRead, PermStatsRead, PermExport},
	KindAdmin:     {PermWatch, PermStatsRead, PermAuditRead, PermUsersManage},
}

// Can reports whether r is granted perm. A malformed role can do nothing.
func (r Role) Can(perm Perm) bool { return slices.Contains(grants[r.Kind()], perm) }

// Perms returns the permissions r is granted, in documentation order.
func (r Role) Perms() []Perm {
	out := []Perm{}
	for _, p := range Perms {
		if r.Can(p) {
			out = append(out, p)
		}
	}
	return out
}

// Scope says which objects p acts on. Each result restricts one dimension,
// and the restrictions combine with AND:
//
//   - streets: nil means any street; otherwise only objects in these streets;
//   - communities: nil means any community; otherwise only these;
//   - responderID: "" means any; otherwise only objects dispatched to it.
//
// So the district-wide roles (wall, officer, reviewer, admin) get nil, nil,
// "". An ingest or malformed role gets empty non-nil lists: nothing.
func Scope(p Principal) (streets []string, communities []string, responderID string) {
	switch p.Role.Kind() {
	case KindWall, KindOfficer, KindReviewer, KindAdmin:
		return nil, nil, ""
	case KindStreet:
		return []string{p.Role.scope()}, nil, ""
	case KindCommunity:
		return nil, []string{p.Role.scope()}, ""
	case KindResponder:
		return nil, nil, p.Role.scope()
	}
	return []string{}, []string{}, ""
}

// Object is what scope is judged on: where an event is and who it is
// dispatched to.
type Object struct {
	Street    string   // street_code
	Community string   // community_id
	Assignees []string // responder ids it is dispatched to: the assignee and every whistled department
}

// InScope reports whether p acts on o (see Scope). Handlers check it for
// every object they read or change, after the route's permission.
func InScope(p Principal, o Object) bool {
	streets, communities, responder := Scope(p)
	return (streets == nil || slices.Contains(streets, o.Street)) &&
		(communities == nil || slices.Contains(communities, o.Community)) &&
		(responder == "" || slices.Contains(o.Assignees, responder))
}

// LiveScope is the scope of p's WebSocket: Scope for a principal allowed to
// watch, nothing (empty lists) for anyone else.
func LiveScope(p Principal) (streets, communities []string, responderID string) {
	if !p.Role.Can(PermWatch) {
		return []string{}, []string{}, ""
	}
	return Scope(p)
}
