// Package wshub is the per-replica WebSocket hub behind GET /ws. The
// replica's log follower feeds it every record of the durable log in seq
// order; the hub keeps a mirror of the operational state, a ring of recent
// records, and fans each record out to the connected screens, each through
// its own bounded queue and writer goroutine. docs/websocket.md is the
// protocol.
package wshub

import (
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/gridcc/gridcc/backend/event"
)

// Hub serves live state to WebSocket clients. Reset and Apply are called by
// one goroutine (the follower); every other method is safe for concurrent
// use.
type Hub struct {
	opts    Options
	log     Log
	metrics *metrics
	bufs    sync.Pool // write buffers, held only while a frame is written
	wg      sync.WaitGroup

	// mu guards the state below and orders Apply against subscribe: see
	// subscribe for why both must happen under it.
	mu         sync.Mutex
	ready      bool // Reset has been called
	stopping   bool // Run is shutting down; no new connections
	epoch      string
	seq        uint64
	seqNow     atomic.Uint64 // seq, for Seq without the lock (pollers must not slow Apply)
	mirror     *mirror
	docs       map[string]docEntry // open events, encoded for snapshots
	ring       *ring
	conns      map[*client]struct{} // every open connection
	subs       []*client            // the subscribed ones (filter set): the broadcast loops
	statsDirty bool                 // the counters changed since the last stats message

	now func() time.Time // the clock of the day roll-over; tests replace it
}

// docEntry is an open event encoded once for both views, with what a
// snapshot needs to filter and order it.
type docEntry struct {
	at       attrs
	reported time.Time
	doc      views
}

func newDocEntry(e *event.Event, doc views) docEntry {
	return docEntry{at: attrsOf(e), reported: e.ReportedAt, doc: doc}
}

// New returns a hub that serves nothing until the first Reset. log may be nil
// when no history is available: resumes older than the ring then get a reset.
// Metrics are registered on reg when it is not nil.
func New(opts Options, log Log, reg prometheus.Registerer) *Hub {
	opts = opts.withDefaults()
	h := &Hub{
		opts:    opts,
		log:     log,
		metrics: newMetrics(reg),
		mirror:  newMirror(opts.Location),
		docs:    map[string]docEntry{},
		ring:    newRing(opts.RingSize),
		conns:   map[*client]struct{}{},
		now:     time.Now,
	}
	h.ring.restart(1)
	return h
}

// Reset replaces the whole state with s: at start, and whenever the log's
// epoch changes. Every subscribed client is sent a reset and a snapshot of
// the new state; what was queued for it under the old state is dropped.
func (h *Hub) Reset(s Snapshot) {
	// Encoding is the costly part and needs no shared state, so it happens
	// before taking the lock that Apply and subscribes wait on.
	docs := make(map[string]docEntry, len(s.Open))
	for i := range s.Open {
		e := &s.Open[i]
		if e.Open() {
			docs[e.ID] = newDocEntry(e, views{full: encodeEvent(*e), masked: encodeEvent(event.Masked(*e))})
		}
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.ready = true
	h.epoch, h.seq = s.Epoch, s.Seq
	h.seqNow.Store(s.Seq)
	h.mirror.reset(s)
	h.docs = docs
	h.ring.restart(s.Seq + 1)
	h.statsDirty = true
	h.metrics.seq.Set(float64(s.Seq))
	for _, c := range h.subs {
		c.replaceQueue(h.resetPlan(c, "log epoch changed; state reloaded"))
		h.metrics.replays.WithLabelValues(string(modeReset)).Inc()
	}
	slog.Info("wshub: state reset", "epoch", s.Epoch, "seq", s.Seq, "open", len(docs))
}

// Apply applies the next record of the log and fans it out. Records must come
// in strictly contiguous seq order; a repeated record is ignored.
func (h *Hub) Apply(r event.Record) {
	// Encode once per replica, outside the lock: every matching client gets
	// the same byte slices, and masked clients only ever the masked ones.
	msg, doc := encodeRecord(&r)
	at := attrsOf(&r.Event)

	h.mu.Lock()
	defer h.mu.Unlock()
	switch {
	case r.Seq <= h.seq:
		slog.Warn("wshub: record applied twice; ignored", "seq", r.Seq, "hub_seq", h.seq)
		return
	case r.Seq != h.seq+1:
		// The follower promises contiguity; if it breaks it, resumes across
		// the hole must not be served from the ring, so the ring restarts
		// here and older resumes go to the log.
		slog.Error("wshub: gap in applied records", "seq", r.Seq, "hub_seq", h.seq)
		h.ring.restart(r.Seq)
	}
	h.seq = r.Seq
	h.seqNow.Store(r.Seq)
	if before, ok := h.docs[r.Event.ID]; ok {
		at = at.withEarlier(before.at)
	}
	if h.mirror.apply(&r) {
		h.docs[r.Event.ID] = newDocEntry(&r.Event, doc)
	} else {
		delete(h.docs, r.Event.ID)
	}
	h.ring.push(ringEntry{seq: r.Seq, at: at, msg: msg})
	h.statsDirty = true
	h.metrics.seq.Set(float64(r.Seq))
	for _, c := range h.subs {
		if c.filter.match(at) {
			c.enqueue(item{kind: itemRecord, seq: r.Seq, b: msg.of(c.info.Masked)})
		}
	}
}

// Seq returns the seq of the last record applied.
func (h *Hub) Seq() uint64 { return h.seqNow.Load() }

// Epoch returns the epoch of the last Reset.
func (h *Hub) Epoch() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.epoch
}

// Clients returns the number of open WebSocket connections.
func (h *Hub) Clients() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.conns)
}

// metrics are the hub's Prometheus series. Label values come from fixed sets
// in this package, never from clients, so the number of series is bounded.
type metrics struct {
	clients     prometheus.Gauge
	messages    prometheus.Counter
	frames      prometheus.Counter
	disconnects *prometheus.CounterVec // reason
	seq         prometheus.Gauge
	replays     *prometheus.CounterVec // mode
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		clients: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "gridcc_ws_clients", Help: "Open WebSocket connections.",
		}),
		messages: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "gridcc_ws_messages_total", Help: "Messages written to WebSocket clients.",
		}),
		frames: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "gridcc_ws_frames_total", Help: "Frames (JSON arrays of messages) written to WebSocket clients.",
		}),
		disconnects: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gridcc_ws_disconnects_total",
			Help: "WebSocket connections closed, by reason; reason=origin counts refused handshakes.",
		}, []string{"reason"}),
		seq: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "gridcc_hub_seq", Help: "Seq of the last log record applied to the hub.",
		}),
		replays: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gridcc_ws_replays_total", Help: "Subscribe answers, by how they were served.",
		}, []string{"mode"}),
	}
	if reg != nil {
		reg.MustRegister(m.clients, m.messages, m.frames, m.disconnects, m.seq, m.replays)
	}
	return m
}
