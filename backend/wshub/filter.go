package wshub

import (
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
	street string
	kind   event.Kind
	rank   int
}

func attrsOf(e *event.Event) attrs {
	return attrs{street: e.StreetCode, kind: e.Kind, rank: e.Severity.Rank()}
}

// filter is a Filter resolved against the client's scope.
type filter struct {
	streets map[string]struct{}     // nil: every street
	kinds   map[event.Kind]struct{} // nil: every kind
	minRank int
}

// compileFilter resolves f against scope (nil: the whole district). An empty
// f.Streets means the whole scope; a street outside the scope is Forbidden,
// so a client learns it asked for too much instead of silently getting less.
// f must have passed validation (decodeClientMessage).
func compileFilter(f Filter, scope []string) (*filter, error) {
	c := &filter{minRank: f.MinSeverity.Rank()}
	if len(f.Kinds) > 0 {
		c.kinds = make(map[event.Kind]struct{}, len(f.Kinds))
		for _, k := range f.Kinds {
			c.kinds[k] = struct{}{}
		}
	}
	var allowed map[string]struct{}
	if scope != nil {
		allowed = make(map[string]struct{}, len(scope))
		for _, s := range scope {
			allowed[s] = struct{}{}
		}
	}
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

// match reports whether an event with attributes a passes the filter.
func (f *filter) match(a attrs) bool {
	if f.streets != nil {
		if _, ok := f.streets[a.street]; !ok {
			return false
		}
	}
	if f.kinds != nil {
		if _, ok := f.kinds[a.kind]; !ok {
			return false
		}
	}
	return a.rank >= f.minRank
}
