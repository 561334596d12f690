package workflow

import (
	"time"

	"github.com/gridcc/gridcc/backend/event"
	"github.com/gridcc/gridcc/backend/history"
)

// Policy is the SLA clock of a case: by when someone must respond (dispatch,
// acknowledge, check in on scene) and by when it must be closed.
type Policy struct {
	// Close is the close limit per kind, category and severity, counted
	// from the report: the history's table, so that "closed late" on the
	// wall and "on time" in the Friday review are the same judgement.
	Close history.SLAs
	// Respond is the respond limit, in the same shape (per kind, per
	// category, scaled by severity). The history has no respond limit.
	Respond history.SLAs
	// Critical overrides Respond for critical cases of a kind and category,
	// where minutes matter (DOMAIN.md: a knife in a neighbour dispute, the
	// grid worker on scene within 2 minutes).
	Critical map[event.Kind]map[string]time.Duration
}

// DefaultPolicy is the shipped SLA policy.
var DefaultPolicy = Policy{Close: history.DefaultSLAs, Respond: DefaultRespond, Critical: DefaultCritical}

// DefaultRespond is the shipped respond table for medium severity; the
// severity scale is the history's (low ×1.5 … critical ×0.25). A hotline
// request is taken within hours; a grid dispute, a fight on camera or a gas
// or fire sensor within minutes.
var DefaultRespond = history.SLAs{
	Kind: map[event.Kind]time.Duration{
		event.GridEvent:   2 * time.Hour,
		event.Hotline:     4 * time.Hour,
		event.CameraAlert: 20 * time.Minute,
		event.Warning:     20 * time.Minute,
	},
	Category: map[event.Kind]map[string]time.Duration{
		event.GridEvent: {"dispute": 30 * time.Minute, "public_safety": 30 * time.Minute, "safety_hazard": time.Hour},
		event.Hotline:   {"dispute": time.Hour},
		event.CameraAlert: {"fight": 8 * time.Minute, "fire_smoke": 8 * time.Minute, "crowd": 10 * time.Minute,
			"intrusion": 10 * time.Minute},
		event.Warning: {"fire": 8 * time.Minute, "gas": 8 * time.Minute, "water_level": 10 * time.Minute},
	},
	Severity: history.DefaultSLAs.Severity,
}

// DefaultCritical are the shipped respond limits of critical cases.
var DefaultCritical = map[event.Kind]map[string]time.Duration{
	event.GridEvent:   {"dispute": 2 * time.Minute, "public_safety": 5 * time.Minute},
	event.Hotline:     {"dispute": 5 * time.Minute},
	event.CameraAlert: {"fight": 2 * time.Minute, "fire_smoke": 2 * time.Minute},
	event.Warning:     {"fire": 2 * time.Minute, "gas": 2 * time.Minute},
}

// CloseLimit is how long after its report e must be closed.
func (p Policy) CloseLimit(e *event.Event) time.Duration {
	return p.Close.For(e.Kind, e.Category, e.Severity)
}

// RespondLimit is how long after its report (or reopening) someone must
// respond to e; never longer than its close limit.
func (p Policy) RespondLimit(e *event.Event) time.Duration {
	d, ok := p.Critical[e.Kind][e.Category]
	if !ok || e.Severity != event.Critical {
		d = p.Respond.For(e.Kind, e.Category, e.Severity)
	}
	return min(d, p.CloseLimit(e))
}

// StartClocks sets the deadlines of an event whose clocks have not started:
// both counted from the report. It reports whether it did. Clocks have
// started exactly when CloseBy is set; a responded case has RespondBy zero.
// Ingest calls it on every new event, so every screen reads the deadlines
// from the event itself from its first message on (none keeps a copy of
// this policy); the workflow calls it again for events stored without them
// (by an older version), where it is a no-op otherwise.
func (p Policy) StartClocks(e *event.Event) bool {
	if !e.CloseBy.IsZero() || !e.Open() {
		return false
	}
	e.RespondBy = e.ReportedAt.Add(p.RespondLimit(e)).UTC()
	e.CloseBy = e.ReportedAt.Add(p.CloseLimit(e)).UTC()
	return true
}
