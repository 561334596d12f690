package wshub

import (
	"testing"
	"time"

	"github.com/gridcc/gridcc/backend/event"
)

func testEvent(id string, k event.Kind, sev event.Severity, st event.Status, reported time.Time) event.Event {
	return event.Event{ID: id, Kind: k, Severity: sev, Status: st, StreetCode: testStreets[0], ReportedAt: reported}
}

func rec(seq uint64, typ event.RecordType, e event.Event) *event.Record {
	r := &event.Record{Type: typ, Event: e}
	r.SetSeq(seq)
	return r
}

func TestMirrorOpenEvents(t *testing.T) {
	at := testDay0
	tests := []struct {
		name     string
		recs     []*event.Record
		wantOpen []string
	}{
		{"EventOpenAdded", []*event.Record{
			rec(1, event.RecordEvent, testEvent("a", event.Hotline, event.Low, event.Reported, at)),
		}, []string{"a"}},
		{"EventTerminalNotAdded", []*event.Record{
			rec(1, event.RecordEvent, testEvent("a", event.CameraAlert, event.Low, event.Acknowledged, at)),
		}, nil},
		{"UpdateReplaces", []*event.Record{
			rec(1, event.RecordEvent, testEvent("a", event.Hotline, event.Low, event.Reported, at)),
			rec(2, event.RecordUpdate, testEvent("a", event.Hotline, event.High, event.Dispatched, at)),
		}, []string{"a"}},
		{"UpdateClosedRemoves", []*event.Record{
			rec(1, event.RecordEvent, testEvent("a", event.Hotline, event.Low, event.Reported, at)),
			rec(2, event.RecordEvent, testEvent("b", event.Hotline, event.Low, event.Reported, at)),
			rec(3, event.RecordUpdate, testEvent("a", event.Hotline, event.Low, event.Closed, at)),
		}, []string{"b"}},
		{"UpdateReopenedAdds", []*event.Record{
			rec(1, event.RecordUpdate, testEvent("a", event.Hotline, event.Low, event.Reopened, at)),
		}, []string{"a"}},
		{"UpdateOfUnknownClosedIgnored", []*event.Record{
			rec(1, event.RecordUpdate, testEvent("a", event.Hotline, event.Low, event.Closed, at)),
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newMirror(testZone)
			for _, r := range tt.recs {
				m.apply(r)
			}
			if len(m.open) != len(tt.wantOpen) {
				t.Fatalf("open = %v, want %v", m.open, tt.wantOpen)
			}
			for _, id := range tt.wantOpen {
				if _, ok := m.open[id]; !ok {
					t.Errorf("%s not open", id)
				}
			}
			if s := m.stats(); s.Open != len(tt.wantOpen) {
				t.Errorf("stats.open = %d, want %d", s.Open, len(tt.wantOpen))
			}
		})
	}
	t.Run("UpdateMovesCounters", func(t *testing.T) {
		m := newMirror(testZone)
		m.apply(rec(1, event.RecordEvent, testEvent("a", event.Hotline, event.Low, event.Reported, at)))
		m.apply(rec(2, event.RecordUpdate, testEvent("a", event.Hotline, event.Critical, event.Escalated, at)))
		s := m.stats()
		if s.OpenBySeverity[event.Low] != 0 || s.OpenBySeverity[event.Critical] != 1 {
			t.Errorf("open_by_severity = %v", s.OpenBySeverity)
		}
	})
}

func TestMirrorToday(t *testing.T) {
	// 16:30 UTC on 1 June is 00:30 on 2 June in the district.
	lateUTC := time.Date(2025, 6, 1, 16, 30, 0, 0, time.UTC)
	m := newMirror(testZone)
	m.reset(Snapshot{Day: "2025-06-01", TodayByKind: map[event.Kind]int{event.Hotline: 5}})

	m.apply(rec(1, event.RecordEvent, testEvent("a", event.Hotline, event.Low, event.Reported, testDay0)))
	if s := m.stats(); s.Day != "2025-06-01" || s.HotlineToday != 6 || s.TodayTotal != 6 {
		t.Fatalf("same day: %+v", s)
	}
	m.apply(rec(2, event.RecordUpdate, testEvent("a", event.Hotline, event.Low, event.Dispatched, testDay0)))
	if s := m.stats(); s.TodayTotal != 6 {
		t.Fatalf("an update was counted as a new event: %+v", s)
	}
	m.apply(rec(3, event.RecordEvent, testEvent("b", event.Warning, event.Low, event.Reported, lateUTC)))
	s := m.stats()
	if s.Day != "2025-06-02" || s.TodayTotal != 1 || s.TodayByKind[event.Warning] != 1 || s.HotlineToday != 0 {
		t.Fatalf("after local midnight: %+v", s)
	}
	m.apply(rec(4, event.RecordEvent, testEvent("c", event.Hotline, event.Low, event.Reported, testDay0)))
	if s := m.stats(); s.Day != "2025-06-02" || s.TodayTotal != 1 || s.Open != 3 {
		t.Fatalf("a late record of yesterday changed today: %+v", s)
	}
}

func TestMirrorRoll(t *testing.T) {
	m := newMirror(testZone)
	m.reset(Snapshot{Day: "2025-06-01", TodayByKind: map[event.Kind]int{event.GridEvent: 2}})
	beforeMidnight := time.Date(2025, 6, 1, 23, 59, 59, 0, testZone)
	if m.roll(beforeMidnight) || m.stats().TodayTotal != 2 {
		t.Fatal("rolled before local midnight")
	}
	if m.roll(beforeMidnight.Add(-48 * time.Hour)) {
		t.Fatal("rolled backwards")
	}
	if !m.roll(beforeMidnight.Add(time.Second)) {
		t.Fatal("did not roll at local midnight")
	}
	if s := m.stats(); s.Day != "2025-06-02" || s.TodayTotal != 0 {
		t.Fatalf("after roll: %+v", s)
	}
}

func TestMirrorStats(t *testing.T) {
	m := newMirror(testZone)
	m.reset(Snapshot{Day: "2025-06-01", Open: []event.Event{
		testEvent("a", event.CameraAlert, event.High, event.Reported, testDay0),
		testEvent("b", event.CameraAlert, event.Critical, event.Dispatched, testDay0),
		testEvent("c", event.Warning, event.Medium, event.Reported, testDay0),
		testEvent("d", event.Warning, event.Medium, event.Closed, testDay0), // ignored: closed
	}, TodayByKind: map[event.Kind]int{event.Hotline: 3, event.CameraAlert: 2}})
	s := m.stats()
	want := Stats{Day: "2025-06-01", TodayTotal: 5, Open: 3, HotlineToday: 3, ActiveCameraAlerts: 2, ActiveWarnings: 1}
	if s.Day != want.Day || s.TodayTotal != want.TodayTotal || s.Open != want.Open ||
		s.HotlineToday != want.HotlineToday || s.ActiveCameraAlerts != want.ActiveCameraAlerts ||
		s.ActiveWarnings != want.ActiveWarnings {
		t.Errorf("stats = %+v, want %+v", s, want)
	}
	if len(s.TodayByKind) != len(event.Kinds) || len(s.OpenByKind) != len(event.Kinds) ||
		len(s.OpenBySeverity) != len(event.Severities) {
		t.Errorf("stats maps do not list every kind and severity: %+v", s)
	}
	if s.OpenBySeverity[event.Medium] != 1 || s.OpenBySeverity[event.Low] != 0 || s.OpenByKind[event.GridEvent] != 0 {
		t.Errorf("open_by_* = %v %v", s.OpenByKind, s.OpenBySeverity)
	}
	s.TodayByKind[event.Hotline] = 99
	if m.stats().HotlineToday != 3 {
		t.Error("stats share maps with the mirror")
	}
}

func TestMirrorOverdue(t *testing.T) {
	at := testDay0
	overdue := func(e event.Event) event.Event { e.Overdue = true; return e }
	tests := []struct {
		name string
		recs []*event.Record
		want int
	}{
		{"OverdueCounted", []*event.Record{
			rec(1, event.RecordEvent, testEvent("a", event.Hotline, event.Low, event.Reported, at)),
			rec(2, event.RecordUpdate, overdue(testEvent("a", event.Hotline, event.Low, event.Reported, at))),
			rec(3, event.RecordUpdate, overdue(testEvent("a", event.Hotline, event.Low, event.Dispatched, at))),
		}, 1},
		{"ReopenedNotOverdue", []*event.Record{
			rec(1, event.RecordUpdate, overdue(testEvent("a", event.Hotline, event.Low, event.Reported, at))),
			rec(2, event.RecordUpdate, testEvent("a", event.Hotline, event.Low, event.Reopened, at)),
		}, 0},
		{"ClosedLeaves", []*event.Record{
			rec(1, event.RecordUpdate, overdue(testEvent("a", event.Hotline, event.Low, event.Reported, at))),
			rec(2, event.RecordUpdate, overdue(testEvent("b", event.Hotline, event.Low, event.Reported, at))),
			rec(3, event.RecordUpdate, overdue(testEvent("a", event.Hotline, event.Low, event.Closed, at))),
		}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newMirror(testZone)
			for _, r := range tt.recs {
				m.apply(r)
			}
			if got := m.stats().Overdue; got != tt.want {
				t.Fatalf("overdue = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestMirrorMissedCheckIns(t *testing.T) {
	at := testDay0
	whistled := func(missed ...bool) event.Event {
		e := testEvent("w", event.GridEvent, event.High, event.Escalated, at)
		for i, ms := range missed {
			e.Whistle = append(e.Whistle, event.CheckIn{Department: string(rune('a' + i)), Due: at.Add(time.Hour), Missed: ms})
		}
		return e
	}
	update := func(seq uint64, e event.Event, changed time.Time) *event.Record {
		r := rec(seq, event.RecordUpdate, e)
		r.Change.At = changed
		return r
	}
	m := newMirror(testZone)
	m.reset(Snapshot{Day: "2025-06-01"})
	m.apply(rec(1, event.RecordEvent, testEvent("w", event.GridEvent, event.High, event.Reported, at)))
	m.apply(update(2, whistled(false, false), at))
	m.apply(update(3, whistled(true, false), at.Add(time.Hour)))
	m.apply(update(4, whistled(true, false), at.Add(2*time.Hour))) // a comment: nothing new missed
	if s := m.stats(); s.CheckInsMissedToday != 1 {
		t.Fatalf("after one miss: %+v", s)
	}
	m.apply(update(5, whistled(true, true, true), at.Add(3*time.Hour)))
	if s := m.stats(); s.CheckInsMissedToday != 3 {
		t.Fatalf("after three misses: %d", s.CheckInsMissedToday)
	}
	m.roll(at.Add(24 * time.Hour))
	if s := m.stats(); s.CheckInsMissedToday != 0 {
		t.Fatalf("after midnight: %d", s.CheckInsMissedToday)
	}
	m.reset(Snapshot{Day: "2025-06-01", Open: []event.Event{whistled(true, false, true)}})
	if s := m.stats(); s.CheckInsMissedToday != 2 {
		t.Fatalf("recounted after reset: %d", s.CheckInsMissedToday)
	}
}
