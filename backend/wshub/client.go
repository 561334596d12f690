package wshub

import (
	"context"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/gorilla/websocket"
)

// The close codes the hub sends; docs/websocket.md explains each.
const (
	CloseGoingAway  = websocket.CloseGoingAway       // 1001: shutdown (reconnect), or the peer went silent
	ClosePolicy     = websocket.ClosePolicyViolation // 1008: for callers closing on auth policy (session expired)
	CloseTooBig     = websocket.CloseMessageTooBig   // 1009: a client message over ReadLimit
	CloseSlow       = 4000                           // the client's queue overflowed; reconnect with since
	CloseRevoked    = 4001                           // the principal's access was revoked (Disconnect)
	CloseBadMessage = 4400                           // a malformed or unknown client message
	CloseForbidden  = 4403                           // a filter outside the client's scope
	CloseTooMany    = 4429                           // more client messages than ClientMsgPerS
)

// itemKind says what a queued item is.
type itemKind uint8

const (
	itemRecord itemKind = iota // an event or update message; skipped when seq <= last sent
	itemStats                  // a stats message; skipped when older than the last sent seq
	itemPlan                   // a subscribe answer to execute
)

// item is one entry of a client's queue. Record and stats bytes are shared by
// every client they go to and must not be modified.
type item struct {
	kind itemKind
	seq  uint64
	b    []byte
	plan *plan
}

// client is one WebSocket connection. The hub's broadcast path only ever
// appends to its queue; the writer goroutine alone writes to the socket.
type client struct {
	hub  *Hub
	conn *websocket.Conn
	info ClientInfo
	id   uint64 // for logs

	ctx    context.Context // cancelled when the client starts closing
	cancel context.CancelFunc

	filter *filter // guarded by hub.mu; nil until the first subscribe

	mu      sync.Mutex
	queue   []item
	spare   []item // the writer's last batch, emptied, for the next queue
	queued  int    // bytes queued and not yet written (includes the writer's batch)
	closing bool
	closeAt closeInfo

	wake       chan struct{} // 1-buffered: the queue is not empty
	done       chan struct{} // closed when the client starts closing
	readerDone chan struct{}
	last       uint64 // writer only: the last record seq sent
}

// closeInfo is how a connection ends: the close frame, the metric label and
// an optional error message sent just before the close frame.
type closeInfo struct {
	code    int
	reason  string
	label   string
	errCode string
	errMsg  string
}

var clientIDs atomic.Uint64

func newClient(h *Hub, conn *websocket.Conn, ci ClientInfo) *client {
	ctx, cancel := context.WithCancel(context.Background())
	return &client{
		hub: h, conn: conn, info: ci, id: clientIDs.Add(1), ctx: ctx, cancel: cancel,
		wake: make(chan struct{}, 1), done: make(chan struct{}), readerDone: make(chan struct{}),
	}
}

// enqueue queues a shared message. It never blocks and never touches the
// socket: when the message would push the queue past QueueBytes the client
// is told to close (4000) and its writer, not the broadcaster, does the
// rest. Dropping the whole client rather than one message keeps the rule
// "never a silent gap": it resumes with since and gets what it missed.
func (c *client) enqueue(it item) {
	c.mu.Lock()
	if c.closing {
		c.mu.Unlock()
		return
	}
	if c.queued+len(it.b) > c.hub.opts.QueueBytes {
		c.closeLocked(closeInfo{code: CloseSlow, reason: "slow consumer, reconnect with since", label: "slow"})
		c.mu.Unlock()
		return
	}
	c.queue = append(c.queue, it)
	c.queued += len(it.b)
	first := len(c.queue) == 1
	c.mu.Unlock()
	// A non-empty queue has been signalled already and the writer takes it
	// whole, so only the first item needs a wake-up.
	if first {
		c.signal()
	}
}

// replaceQueue drops every queued item not yet taken by the writer and
// queues p in their place.
func (c *client) replaceQueue(p *plan) {
	c.mu.Lock()
	if c.closing {
		c.mu.Unlock()
		return
	}
	for _, it := range c.queue {
		c.queued -= len(it.b)
	}
	clear(c.queue)
	c.queue = append(c.queue[:0], item{kind: itemPlan, seq: p.seq, plan: p})
	c.mu.Unlock()
	c.signal()
}

func (c *client) signal() {
	select {
	case c.wake <- struct{}{}:
	default: // already signalled; the writer takes everything queued
	}
}

// maxSpareItems bounds the batch array kept for reuse, so one burst does not
// pin a large array to an idle client for good.
const maxSpareItems = 4096

// take hands the writer everything queued. The bytes stay counted until
// release, so QueueBytes bounds what is held for the client in total.
func (c *client) take() []item {
	c.mu.Lock()
	defer c.mu.Unlock()
	q := c.queue
	c.queue, c.spare = c.spare, nil
	return q
}

// release uncounts the n bytes of a written batch and keeps the batch's
// array for the queue to reuse: swapping two arrays instead of growing a new
// one per batch takes allocation and GC work off the broadcast path.
func (c *client) release(n int, batch []item) {
	clear(batch) // drop the references to shared bytes and plans
	c.mu.Lock()
	c.queued -= n
	if cap(batch) <= maxSpareItems && !c.closing {
		c.spare = batch[:0]
	}
	c.mu.Unlock()
}

// close starts closing the connection; later calls are ignored, so the
// first reason wins (and is the one counted).
func (c *client) close(ci closeInfo) {
	c.mu.Lock()
	c.closeLocked(ci)
	c.mu.Unlock()
}

func (c *client) closeLocked(ci closeInfo) {
	if c.closing {
		return
	}
	c.closing = true
	ci.reason = truncateReason(ci.reason)
	c.closeAt = ci
	c.queue = nil
	c.hub.metrics.disconnects.WithLabelValues(ci.label).Inc()
	c.cancel()
	close(c.done)
}

func (c *client) closeInfo() closeInfo {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.closeAt
}

// truncateReason keeps a close reason within the 123 bytes a close frame
// allows, on a rune boundary.
func truncateReason(s string) string {
	const maxReason = 123
	if len(s) <= maxReason {
		return s
	}
	s = s[:maxReason]
	for !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s
}
