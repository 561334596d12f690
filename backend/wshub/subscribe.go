package wshub

import (
	"cmp"
	"slices"
	"time"
)

// replayMode is how a subscribe is answered; it doubles as the label of
// gridcc_ws_replays_total.
type replayMode string

// The modes.
const (
	modeSnapshot replayMode = "snapshot" // since 0: snapshot, then live
	modeReset    replayMode = "reset"    // resume impossible: reset, snapshot, then live
	modeRing     replayMode = "ring"     // resume from the in-memory ring
	modeLog      replayMode = "log"      // resume from the log, then the ring
)

// plan is the answer to a subscribe (or a Reset), captured under the hub's
// lock and queued ahead of every live record that follows it. The writer
// executes it, then sends the queued records with seq > plan.seq.
type plan struct {
	mode   replayMode
	reason string // why a reset (modeReset)
	seq    uint64 // the hub seq the plan is consistent with
	epoch  string
	filter *filter
	masked bool

	open []openDoc // modeSnapshot, modeReset: the matching open events
	// stats are the counters as of seq, for every mode: a resumed client
	// must not keep showing the counters it had before it went away.
	stats Stats

	ring        [][]byte // modeRing, modeLog: matching ring records after since
	since, till uint64   // modeLog: Log.Range(since, till) precedes ring
}

// openDoc is one open event of a snapshot in the client's view.
type openDoc struct {
	reported time.Time
	id       string
	doc      []byte
}

// subscribe answers a client's subscribe message.
func (h *Hub) subscribe(c *client, since uint64, epoch string, f *filter) {
	h.mu.Lock()
	defer h.mu.Unlock()
	// Correctness rule (no gap, no duplicate): Apply runs under h.mu too, so
	// while we hold it no record can be applied. Setting c.filter registers
	// the client for live records; the plan captures the state (snapshot or
	// ring slice) as of h.seq; and the plan goes into the client's queue
	// before we unlock. Every record applied afterwards has seq > h.seq and
	// is queued behind the plan. The writer sends the plan's messages, then
	// the queued ones, skipping any seq <= the last it sent, so a record the
	// plan already covered is never sent twice and none after it is missed.
	// replaceQueue drops what an earlier subscribe left queued: the new
	// answer starts over from the client's since.
	if c.filter == nil {
		h.subs = append(h.subs, c)
	}
	c.filter = f
	var p *plan
	switch {
	case since == 0:
		p = h.newPlan(c, modeSnapshot)
	case epoch != h.epoch:
		p = h.resetPlan(c, "epoch changed; the log lost data")
	case since > h.seq:
		p = h.resetPlan(c, "since is ahead of the log")
	case h.seq-since > uint64(h.opts.MaxReplay):
		p = h.resetPlan(c, "too far behind to replay")
	case since+1 >= h.ring.first():
		p = h.newPlan(c, modeRing)
		p.ring = h.ring.after(nil, since, f, c.info.Masked)
	case f.responder != "":
		// A log record knows whom its event is dispatched to after the
		// change, not before: replaying it could miss the update that took
		// a case away from this responder. Its few cases are a small
		// snapshot.
		p = h.resetPlan(c, "too far behind to replay for a responder")
	default:
		p = h.newPlan(c, modeLog)
		p.since, p.till = since, h.ring.first()-1
		p.ring = h.ring.after(nil, since, f, c.info.Masked)
	}
	if p.mode == modeSnapshot {
		h.captureSnapshotLocked(p)
	}
	if p.mode != modeLog { // a log replay is counted when it succeeds
		h.metrics.replays.WithLabelValues(string(p.mode)).Inc()
	}
	c.replaceQueue(p)
}

// resnapshot is the fallback of a log replay that failed: a reset and a
// snapshot of the current state. It relies on the same rule as subscribe:
// the client has stayed registered since its plan was queued, so every
// record after the new snapshot's seq is in its queue, and the writer skips
// the queued ones the snapshot already covers. It returns nil when the
// client is no longer registered.
func (h *Hub) resnapshot(c *client, reason string) *plan {
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.conns[c]; !ok || c.filter == nil {
		return nil
	}
	h.metrics.replays.WithLabelValues(string(modeReset)).Inc()
	return h.resetPlan(c, reason)
}

// newPlan starts a plan for c at the current state. h.mu must be held.
func (h *Hub) newPlan(c *client, mode replayMode) *plan {
	return &plan{mode: mode, seq: h.seq, epoch: h.epoch, filter: c.filter, masked: c.info.Masked, stats: h.mirror.stats()}
}

// resetPlan returns a reset plan with its snapshot. h.mu must be held.
func (h *Hub) resetPlan(c *client, reason string) *plan {
	p := h.newPlan(c, modeReset)
	p.reason = reason
	h.captureSnapshotLocked(p)
	return p
}

// captureSnapshotLocked fills p with the open events its filter passes. Only
// references to already encoded documents are copied under the lock; the
// snapshot message is assembled by the client's writer.
func (h *Hub) captureSnapshotLocked(p *plan) {
	p.open = make([]openDoc, 0, len(h.docs))
	for id, d := range h.docs {
		if p.filter.match(d.at) {
			p.open = append(p.open, openDoc{reported: d.reported, id: id, doc: d.doc.of(p.masked)})
		}
	}
}

// sortOpen orders a snapshot's events oldest report first, for stable output.
func sortOpen(open []openDoc) {
	slices.SortFunc(open, func(a, b openDoc) int {
		return cmp.Or(a.reported.Compare(b.reported), cmp.Compare(a.id, b.id))
	})
}
