package redisbus

import (
	"context"
	"sync"

	"github.com/gridcc/gridcc/backend/event"
)

// maxGroupItems bounds the reports one grouped round trip carries; a single
// call with more still goes in one round trip, alone.
const maxGroupItems = 1000

// appendGroup lets concurrent Appends share round trips to Redis (group
// commit). Calls queue in arrival order; the call at the head of the queue
// leads: it runs its reports together with those of every call queued
// behind it, hands each its results and passes the lead on to the next call
// still waiting. A call that finds the queue empty leads at once, so a lone
// request pays no hand-over.
//
// Why: at 1,000 single-event POSTs a second every round trip costs a write
// and a wake-up on both sides, and Redis writes the AOF, fsyncs and sends
// the pub/sub messages once per batch of commands it reads together.
type appendGroup struct {
	run func(ctx context.Context, cmds []appendCmd) ([]event.AppendResult, []error)

	mu    sync.Mutex
	queue []*appendCall
}

// appendCall is one Append waiting in the group.
type appendCall struct {
	cmds []appendCmd
	res  []event.AppendResult
	errs []error
	// turn receives true when the call's results are in, false when it has
	// become the head of the queue and must lead.
	turn chan bool
}

// appendCmd is one report ready for the append script.
type appendCmd struct {
	keys []string
	args []any
}

// do runs cmds and returns their results and per-command errors. It does
// not give up when ctx ends while other calls lead: its reports may be
// running in their round trip, and the caller must learn their outcome.
func (g *appendGroup) do(ctx context.Context, cmds []appendCmd) ([]event.AppendResult, []error) {
	c := &appendCall{cmds: cmds, turn: make(chan bool, 1)}
	g.mu.Lock()
	g.queue = append(g.queue, c)
	lead := len(g.queue) == 1
	g.mu.Unlock()
	if !lead && <-c.turn {
		return c.res, c.errs
	}
	g.lead(ctx)
	return c.res, c.errs
}

// lead runs the head of the queue and the calls behind it, up to
// maxGroupItems, in one round trip.
func (g *appendGroup) lead(ctx context.Context) {
	g.mu.Lock()
	n, size := 1, len(g.queue[0].cmds)
	for n < len(g.queue) && size+len(g.queue[n].cmds) <= maxGroupItems {
		size += len(g.queue[n].cmds)
		n++
	}
	calls := append([]*appendCall(nil), g.queue[:n]...)
	g.mu.Unlock()

	cmds := calls[0].cmds
	if n > 1 {
		cmds = make([]appendCmd, 0, size)
		for _, c := range calls {
			cmds = append(cmds, c.cmds...)
		}
	}
	// The round trip serves other requests too: one caller going away must
	// not fail theirs. Redis's own timeouts bound it.
	res, errs := g.run(context.WithoutCancel(ctx), cmds)
	off := 0
	for _, c := range calls {
		c.res, c.errs = res[off:off+len(c.cmds)], errs[off:off+len(c.cmds)]
		off += len(c.cmds)
	}

	g.mu.Lock()
	rest := copy(g.queue, g.queue[n:])
	clear(g.queue[rest:])
	g.queue = g.queue[:rest]
	var next *appendCall
	if rest > 0 {
		next = g.queue[0]
	}
	g.mu.Unlock()
	for _, c := range calls[1:] {
		c.turn <- true
	}
	if next != nil {
		next.turn <- false
	}
}
