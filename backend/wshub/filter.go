package wshub

import (
	"slices"

	"github.com/gridcc/gridcc/backend/apperr"
	"github.com/gridcc/gridcc/backend/event"
)

// Filter is the `filter` of a subscribe message. Every empty field means "no
// restriction"; the fields combine with AND.
type Filter struct {
	Streets     []string       `json:"streets,omitempty"`      // street codes
	Kinds       []event.Kind   `json:"kinds,omitempty"`        // event kinds
	MinSeverity event.Severity `json:"min_severity,omitempty"` // lowest severity delivered
}

// attrs are the fields of an event a filter looks at. The ring keeps them
// beside the encoded bytes, so replays filter without decoding.
type attrs struct {
	street    string
	community string
	kind      event.Kind
	rank      int
	// responders are the ids the event is dispatched to (assignee and
	// whistled departments). For a record applied live they include those
	// before the change too, so a responder also gets the update that
	// takes a case away from it.
	responders []string
}

func attrsOf(e *event.Event) attrs {
	a := attrs{street: e.StreetCode, community: e.CommunityID, kind: e.Kind, rank: e.Severity.Rank()}
	if e.Assignee != "" {
		a.responders = append(a.responders, e.Assignee)
	}
	for _, w := range e.Whistle {
		a.responders = append(a.responders, w.Department)
	}
	return a
}

// withEarlier adds the responders of the event's state before a change.
func (a attrs) withEarlier(before attrs) attrs {
	for _, r := range before.responders {
		if !slices.Contains(a.responders, r) {
			a.responders = append(a.responders, r)
		}
	}
	return a
}

// filter is a Filter resolved against the client's scope.
type filter struct {
	streets     map[string]struct{}     // nil: every street
	communities map[string]struct{}     // nil: every community
	responder   string                  // "": anyone's events
	kinds       map[event.Kind]struct{} // nil: every kind
	minRank     int
}

// compileFilter resolves f against the client's scope. An empty f.Streets
// means the whole scope; a street outside the scope is Forbidden, so a
// client learns it asked for too much instead of silently getting less.
// f must have passed validation (decodeClientMessage).
func compileFilter(f Filter, sc Scope) (*filter, error) {
	c := &filter{minRank: f.MinSeverity.Rank(), communities: set(sc.Communities), responder: sc.Responder}
	scope := sc.Streets
	if len(f.Kinds) > 0 {
		c.kinds = make(map[event.Kind]struct{}, len(f.Kinds))
		for _, k := range f.Kinds {
			c.kinds[k] = struct{}{}
		}
	}
	allowed := set(scope)
	switch {
	case len(f.Streets) > 0:
		c.streets = make(map[string]struct{}, len(f.Streets))
		for _, s := range f.Streets {
			if _, ok := allowed[s]; allowed != nil && !ok {
				return nil, apperr.Field(apperr.Forbidden, "filter.streets", "street %q is outside your scope", s)
			}
			c.streets[s] = struct{}{}
		}
	case allowed != nil:
		c.streets = allowed
	}
	return c, nil
}

// set is the members of list; nil for a nil list (no restriction), empty
// for an empty one (nothing passes).
func set(list []string) map[string]struct{} {
	if list == nil {
		return nil
	}
	m := make(map[string]struct{}, len(list))
	for _, s := range list {
		m[s] = struct{}{}
	}
	return m
}

// match reports whether an event with attributes a passes the filter.
func (f *filter) match(a attrs) bool {
	if f.streets != nil {
		if _, ok := f.streets[a.street]; !ok {
			return false
		}
	}
	if f.communities != nil {
		if _, ok := f.communities[a.community]; !ok {
			return false
		}
	}
	if f.responder != "" && !slices.Contains(a.responders, f.responder) {
		return false
	}
	if f.kinds != nil {
		if _, ok := f.kinds[a.kind]; !ok {
			return false
		}
	}
	return a.rank >= f.minRank
}
