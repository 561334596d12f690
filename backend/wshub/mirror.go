package wshub

import (
	"maps"
	"time"

	"github.com/gridcc/gridcc/backend/event"
)

// Stats are the wall's district-wide counters. They hold counts only, never
// personal data, so masked and unmasked clients get the same bytes.
type Stats struct {
	Day                string                 `json:"day"`                  // district-local date the today_* counters are for
	TodayByKind        map[event.Kind]int     `json:"today_by_kind"`        // events reported today, by kind
	TodayTotal         int                    `json:"today_total"`          // events reported today
	Open               int                    `json:"open"`                 // open events
	OpenByKind         map[event.Kind]int     `json:"open_by_kind"`         // open events by kind
	OpenBySeverity     map[event.Severity]int `json:"open_by_severity"`     // open events by severity
	HotlineToday       int                    `json:"hotline_today"`        // 12345 requests reported today
	ActiveCameraAlerts int                    `json:"active_camera_alerts"` // open camera alerts
	ActiveWarnings     int                    `json:"active_warnings"`      // open sensor warnings
	// Overdue counts open events a deadline passed on (respond, close or a
	// whistle check-in); "closed late" is the history's (on-time rate).
	Overdue int `json:"overdue"`
	// CheckInsMissedToday counts whistle check-ins (吹哨报到) missed today.
	CheckInsMissedToday int `json:"checkins_missed_today"`
}

// mirror is the hub's copy of the operational state, kept by applying the
// log's records in order. It is pure (no I/O, no clock: callers pass the
// time) and not safe for concurrent use; the hub guards it with its lock.
//
// Semantics: an `event` record adds its event when the event is open; an
// `update` record replaces the event, or removes it when it is no longer open.
// Today's counters count `event` records by the district-local date of
// ReportedAt; they roll over when a record or roll brings a later date, and
// a record reported on an earlier day is not counted. Missed check-ins are
// counted from `update` records that mark a check-in missed, by the date of
// the change; after a reset they are recounted from the open events (a
// check-in missed today on an event closed since is then not counted).
type mirror struct {
	loc         *time.Location
	day         string
	today       map[event.Kind]int
	missedToday int
	open        map[string]event.Event
	openByKind  map[event.Kind]int
	openBySev   map[event.Severity]int
	overdue     int
}

func newMirror(loc *time.Location) *mirror {
	m := &mirror{loc: loc}
	m.reset(Snapshot{})
	return m
}

// reset replaces the whole state with s.
func (m *mirror) reset(s Snapshot) {
	m.day = s.Day
	m.today = maps.Clone(s.TodayByKind)
	if m.today == nil {
		m.today = map[event.Kind]int{}
	}
	m.open = make(map[string]event.Event, len(s.Open))
	m.openByKind = map[event.Kind]int{}
	m.openBySev = map[event.Severity]int{}
	m.overdue, m.missedToday = 0, 0
	for _, e := range s.Open {
		if !e.Open() {
			continue
		}
		m.put(e)
		for _, c := range e.Whistle {
			if c.Missed && m.dayOf(c.Due) == m.day {
				m.missedToday++
			}
		}
	}
}

// apply applies one record and reports whether its event is open afterwards.
func (m *mirror) apply(r *event.Record) bool {
	if r.Type == event.RecordEvent {
		if d := m.dayOf(r.Event.ReportedAt); d >= m.day {
			m.roll(r.Event.ReportedAt)
			m.today[r.Event.Kind]++
		}
	}
	if n := m.newlyMissed(&r.Event); n > 0 && m.dayOf(r.Change.At) >= m.day {
		m.roll(r.Change.At)
		m.missedToday += n
	}
	if !r.Event.Open() {
		m.remove(r.Event.ID)
		return false
	}
	m.put(r.Event)
	return true
}

// roll starts a new day when now falls on a later district-local date than
// the counters are for, and reports whether it did.
func (m *mirror) roll(now time.Time) bool {
	d := m.dayOf(now)
	if d <= m.day {
		return false
	}
	m.day = d
	clear(m.today)
	m.missedToday = 0
	return true
}

// newlyMissed counts the check-ins e has missed that the mirror's copy had
// not (a whistle only appends check-ins, so they keep their index).
func (m *mirror) newlyMissed(e *event.Event) int {
	old := m.open[e.ID].Whistle
	n := 0
	for i, c := range e.Whistle {
		if c.Missed && (i >= len(old) || !old[i].Missed) {
			n++
		}
	}
	return n
}

func (m *mirror) dayOf(t time.Time) string { return t.In(m.loc).Format(time.DateOnly) }

func (m *mirror) put(e event.Event) {
	m.remove(e.ID)
	m.open[e.ID] = e
	m.openByKind[e.Kind]++
	m.openBySev[e.Severity]++
	if e.Overdue {
		m.overdue++
	}
}

func (m *mirror) remove(id string) {
	old, ok := m.open[id]
	if !ok {
		return
	}
	delete(m.open, id)
	decr(m.openByKind, old.Kind)
	decr(m.openBySev, old.Severity)
	if old.Overdue {
		m.overdue--
	}
}

func decr[K comparable](c map[K]int, k K) {
	if c[k] <= 1 {
		delete(c, k)
		return
	}
	c[k]--
}

// stats returns the counters; every known kind and severity is present, so
// clients see a stable shape.
func (m *mirror) stats() Stats {
	s := Stats{
		Day:                 m.day,
		TodayByKind:         make(map[event.Kind]int, len(event.Kinds)),
		Open:                len(m.open),
		Overdue:             m.overdue,
		CheckInsMissedToday: m.missedToday,
		OpenByKind:          make(map[event.Kind]int, len(event.Kinds)),
		OpenBySeverity:      make(map[event.Severity]int, len(event.Severities)),
	}
	for _, k := range event.Kinds {
		s.TodayByKind[k], s.OpenByKind[k] = 0, 0
	}
	for _, v := range event.Severities {
		s.OpenBySeverity[v] = 0
	}
	maps.Copy(s.OpenByKind, m.openByKind)
	maps.Copy(s.OpenBySeverity, m.openBySev)
	for k, n := range m.today {
		s.TodayByKind[k] = n
		s.TodayTotal += n
	}
	s.HotlineToday = s.TodayByKind[event.Hotline]
	s.ActiveCameraAlerts = s.OpenByKind[event.CameraAlert]
	s.ActiveWarnings = s.OpenByKind[event.Warning]
	return s
}
