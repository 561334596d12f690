package wshub

import (
	"testing"
	"time"

	"github.com/gridcc/gridcc/backend/event"
)

// TestResponderScope: a responder's socket gets the events dispatched or
// whistled to it, the update that takes one away from it (and then nothing
// more of that case), and nothing of anyone else's — live, on a resume from
// the ring, and as a reset when the resume would need the log.
func TestResponderScope(t *testing.T) {
	env := mustStartHub(t, Options{RingSize: 4}) // records 6–9 stay in the ring
	at := testDay0
	var seq uint64
	apply := func(e event.Event, from, to event.Status, target string) {
		seq++
		at = at.Add(time.Second)
		e.Status, e.UpdatedAt = to, at
		typ := event.RecordUpdate
		if from == "" {
			typ = event.RecordEvent
		}
		r := event.Record{Type: typ, Event: e, Change: event.Change{EventID: e.ID, At: at, From: from, To: to, Actor: "officer-7", Target: target}}
		r.SetSeq(seq)
		env.log.append(r)
		env.hub.Apply(r)
	}
	base := func(id string) event.Event {
		return event.Event{ID: id, Kind: event.Hotline, Severity: event.High, Title: "测试", StreetCode: testStreets[0],
			CommunityID: "c-1", OccurredAt: at, ReportedAt: at}
	}
	mine, other, whistled := base("ev-mine"), base("ev-other"), base("ev-whistled")

	c := env.mustDial(t, "name=gafj&responder=gafj")
	c.subscribe(0, "", Filter{})
	if snap := c.expect("snapshot"); len(snap.snapshot(t).Open) != 0 {
		t.Fatalf("snapshot has %d events, want none", len(snap.snapshot(t).Open))
	}
	c.expect("live")

	apply(mine, "", event.Reported, "")  // 1: nobody's yet
	apply(other, "", event.Reported, "") // 2
	apply(whistled, "", event.Reported, "")
	mine.Assignee = "gafj"
	apply(mine, event.Reported, event.Dispatched, "gafj") // 4: mine
	other.Assignee = "sfj"
	apply(other, event.Reported, event.Dispatched, "sfj") // 5: not mine
	whistled.Whistle = []event.CheckIn{{Department: "gafj", Due: at.Add(time.Hour)}}
	apply(whistled, event.Reported, event.Escalated, "") // 6: whistled to me
	mine.Assignee = "sfj"
	apply(mine, event.Dispatched, event.Dispatched, "sfj") // 7: taken away from me
	apply(mine, event.Dispatched, event.Accepted, "")      // 8: no longer mine

	for _, want := range []uint64{4, 6, 7} {
		if m := c.nextOf(); m.Seq != want {
			t.Fatalf("got %s seq %d, want seq %d", m.Type, m.Seq, want)
		}
	}
	// Nothing else is queued: a record applied now is the next message.
	whistled.Whistle[0].At = at
	apply(whistled, event.Escalated, event.InProgress, "") // 9
	if m := c.nextOf(); m.Seq != 9 {
		t.Fatalf("got %s seq %d, want 9", m.Type, m.Seq)
	}

	// A resume within the ring filters the same way.
	r := env.mustDial(t, "name=gafj&responder=gafj")
	r.subscribe(5, "e1", Filter{})
	var got []uint64
	for m := r.nextOf(); m.Type != "live"; m = r.nextOf() {
		got = append(got, m.Seq)
	}
	if want := []uint64{6, 7, 9}; !equalSeqs(got, want) {
		t.Errorf("ring resume sent %v, want %v", got, want)
	}

	// Older than the ring: a reset and a snapshot of its open cases.
	l := env.mustDial(t, "name=gafj&responder=gafj")
	l.subscribe(1, "e1", Filter{})
	l.expect("reset")
	snap := l.expect("snapshot").snapshot(t)
	if len(snap.Open) != 1 || snap.Open[0].ID != "ev-whistled" {
		t.Errorf("snapshot after reset = %+v, want only ev-whistled", snap.Open)
	}
}
