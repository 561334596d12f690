package redisbus

import (
	"context"
	"sync"

	"github.com/redis/go-redis/v9"

	"github.com/gridcc/gridcc/backend/event"
)

// maxGroupItems bounds the reports one grouped round trip carries; a single
// call with more still goes in one round trip, alone.
const maxGroupItems = 1000

// appendRounds is how many round trips a log keeps in flight at once: as
// many as the Redis client's pipeline pool has connections (10 by default;
// half the main pool where the pipeline pool is switched off). Calls beyond
// that share round trips. One round was too few: while it waited for a busy
// Redis every call behind it waited too, and each hand-over to the next
// leader added a scheduling delay (append p99 60 ms at 1,000/s against a
// round trip p99 of 12 ms). Four still queued calls behind short Redis
// stalls: at 1,000 single-event POSTs a second, 16 in flight gave an
// acknowledgement p99 of 7.6 against 8.2 ms (medians of six interleaved
// runs each); 1,000, i.e. no sharing at that rate, measured the same as 16.
func appendRounds(o *redis.Options) int {
	switch {
	case o.PipelinePoolSize > 0:
		return o.PipelinePoolSize
	case o.PipelinePoolSize == 0:
		return redis.DefaultPipelinePoolSize
	default:
		return max(1, o.PoolSize/2)
	}
}

// appendGroup lets concurrent Appends share round trips to Redis (group
// commit). A call runs its own round trip at once while fewer than
// rounds are in flight; otherwise it queues. A call whose round trip
// ends takes the queued calls, up to maxGroupItems reports, and hands them
// to the first of them, which runs them all in one round trip and hands
// each its results. A lone request pays no hand-over.
//
// Why: at 1,000 single-event POSTs a second every round trip costs a write
// and a wake-up on both sides, and Redis writes the AOF, fsyncs and sends
// the pub/sub messages once per batch of commands it reads together.
type appendGroup struct {
	run    func(ctx context.Context, cmds []appendCmd) ([]event.AppendResult, []error)
	rounds int // round trips in flight at most

	mu       sync.Mutex
	inflight int // round trips running or handed over
	queue    []*appendCall
}

// appendCall is one Append in the group.
type appendCall struct {
	cmds []appendCmd
	res  []event.AppendResult
	errs []error
	// lead receives nil when the call's results are in, or the batch of
	// queued calls, this one first, that it must run.
	lead chan []*appendCall
}

// appendCmd is one report ready for the append script.
type appendCmd struct {
	keys []string
	args []any
}

// do runs cmds and returns their results and per-command errors. It does
// not give up when ctx ends while another call runs its commands: they may
// be running, and the caller must learn their outcome.
func (g *appendGroup) do(ctx context.Context, cmds []appendCmd) ([]event.AppendResult, []error) {
	c := &appendCall{cmds: cmds, lead: make(chan []*appendCall, 1)}
	var batch []*appendCall
	g.mu.Lock()
	if g.inflight < g.rounds {
		g.inflight++
		batch = []*appendCall{c}
	} else {
		g.queue = append(g.queue, c)
	}
	g.mu.Unlock()
	if batch == nil {
		if batch = <-c.lead; batch == nil {
			return c.res, c.errs
		}
	}
	g.runBatch(ctx, batch)
	return c.res, c.errs
}

// runBatch runs the calls of batch in one round trip, then hands the next
// queued calls on, or frees its place in flight.
func (g *appendGroup) runBatch(ctx context.Context, batch []*appendCall) {
	cmds := batch[0].cmds
	if len(batch) > 1 {
		cmds = nil
		for _, c := range batch {
			cmds = append(cmds, c.cmds...)
		}
	}
	// The round trip serves other requests too: one caller going away must
	// not fail theirs. Redis's own timeouts bound it.
	res, errs := g.run(context.WithoutCancel(ctx), cmds)
	off := 0
	for _, c := range batch {
		c.res, c.errs = res[off:off+len(c.cmds)], errs[off:off+len(c.cmds)]
		off += len(c.cmds)
	}

	g.mu.Lock()
	next := g.takeQueued()
	if next == nil {
		g.inflight--
	}
	g.mu.Unlock()
	for _, c := range batch[1:] {
		c.lead <- nil
	}
	if next != nil {
		next[0].lead <- next
	}
}

// takeQueued removes the next batch from the queue: the first call and the
// ones behind it while the reports fit in maxGroupItems. g.mu is held.
func (g *appendGroup) takeQueued() []*appendCall {
	if len(g.queue) == 0 {
		return nil
	}
	n, size := 1, len(g.queue[0].cmds)
	for n < len(g.queue) && size+len(g.queue[n].cmds) <= maxGroupItems {
		size += len(g.queue[n].cmds)
		n++
	}
	batch := append([]*appendCall(nil), g.queue[:n]...)
	rest := copy(g.queue, g.queue[n:])
	clear(g.queue[rest:])
	g.queue = g.queue[:rest]
	return batch
}
