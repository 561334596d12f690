package main

import (
	"container/heap"

	"github.com/gridcc/gridcc/backend/event"
)

// caseState is a case waiting for its next change.
type caseState struct {
	ev    event.Event // state after the last emitted change
	steps []step
	next  int
}

func (c *caseState) at() int64 { return c.steps[c.next].at.UnixNano() }

// caseHeap orders waiting cases by the time of their next change, so the
// records come out in time order, the order a live log has.
type caseHeap []*caseState

func (h caseHeap) Len() int { return len(h) }
func (h caseHeap) Less(i, j int) bool {
	if a, b := h[i].at(), h[j].at(); a != b {
		return a < b
	}
	return h[i].ev.ID < h[j].ev.ID
}
func (h caseHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *caseHeap) Push(x any)   { *h = append(*h, x.(*caseState)) }
func (h *caseHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	return x
}

// next appends up to max records to buf in time order and returns it;
// fewer than max means the history is complete.
func (g *generator) next(buf []event.Record, max int) []event.Record {
	for len(buf) < max {
		if g.pending.Len() > 0 && g.pending[0].steps[g.pending[0].next].at.Before(g.boundary) {
			buf = append(buf, g.emit())
			continue
		}
		if g.day.After(g.to) {
			return buf // what is left happens after now
		}
		g.generateDay(g.day)
		g.day = g.day.AddDays(1)
		g.boundary = g.day.Start(g.zone)
		if g.day.After(g.to) || g.boundary.After(g.now) {
			g.boundary = g.now
			g.to = g.day.AddDays(-1)
		}
	}
	return buf
}

// emit pops the earliest change and returns its record.
func (g *generator) emit() event.Record {
	c := g.pending[0]
	s := c.steps[c.next]
	from := c.ev.Status
	rec := event.Record{Type: event.RecordUpdate}
	if c.next == 0 {
		rec.Type, from = event.RecordEvent, ""
		g.reports++
	}
	c.ev.Status, c.ev.UpdatedAt = s.to, s.at.UTC()
	rec.Event = c.ev
	rec.Change = event.Change{EventID: c.ev.ID, At: s.at.UTC(), From: from, To: s.to, Actor: s.actor,
		Action: s.action, Target: s.target, Rating: s.rating}
	c.next++
	if c.next < len(c.steps) && !c.steps[c.next].at.After(g.now) {
		heap.Fix(&g.pending, 0)
	} else {
		heap.Pop(&g.pending) // done, or its next change lies in the future
	}
	return rec
}
