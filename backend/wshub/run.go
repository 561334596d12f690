package wshub

import (
	"context"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"
)

// Run sends the stats messages (at most every StatsInterval, and only when
// the counters changed or the day rolled over) until ctx is done. Then it
// closes every client with 1001 "server shutting down, reconnect", waits for
// their goroutines to end (each bounded by WriteTimeout plus a second), and
// returns nil. New connections are refused with 503 from then on.
func (h *Hub) Run(ctx context.Context) error {
	t := time.NewTicker(h.opts.StatsInterval)
	defer t.Stop()
	var revalidating sync.WaitGroup
	revalidating.Go(func() { h.revalidateLoop(ctx) })
	for {
		select {
		case <-ctx.Done():
			revalidating.Wait()
			h.shutdown()
			return nil
		case <-t.C:
			h.tick(h.now())
		}
	}
}

// tick runs one stats round; a panic is logged and the next tick tries again.
func (h *Hub) tick(now time.Time) {
	defer func() {
		if r := recover(); r != nil {
			slog.Error("wshub: panic in stats tick", "panic", r, "stack", string(debug.Stack()))
		}
	}()
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.mirror.roll(now) {
		h.statsDirty = true
	}
	if !h.statsDirty || !h.ready {
		return
	}
	h.statsDirty = false
	// One encoding for every client: stats hold counts only, identical for
	// masked and unmasked clients.
	b := statsMessage(h.seq, h.mirror.stats())
	for _, c := range h.subs {
		c.enqueue(item{kind: itemStats, seq: h.seq, b: b})
	}
}

func (h *Hub) shutdown() {
	h.mu.Lock()
	h.stopping = true
	for c := range h.conns {
		c.close(closeInfo{code: CloseGoingAway, reason: shutdownReason, label: "shutdown"})
	}
	n := len(h.conns)
	h.mu.Unlock()
	slog.Info("wshub: closing clients", "clients", n)
	h.wg.Wait()
}

// Disconnect closes every socket of the principal name with code and reason:
// CloseRevoked (4001) when its access is revoked, ClosePolicy (1008) when its
// session no longer validates. It returns at once; the writers send the close
// frames.
func (h *Hub) Disconnect(name string, code int, reason string) {
	label := "revoked"
	if code != CloseRevoked {
		label = "policy"
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for c := range h.conns {
		if c.info.Name == name {
			c.close(closeInfo{code: code, reason: reason, label: label})
		}
	}
}
