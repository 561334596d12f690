package wshub

import (
	"context"
	"errors"
	"log/slog"
	"time"
)

// ErrCredentialEnded is what a ClientInfo.Revalidate returns (wrapped) when
// the credential the socket was opened with is no longer valid: the socket
// is then closed with ClosePolicy. Any other error (the session store is
// unreachable) keeps it open until the next round.
var ErrCredentialEnded = errors.New("wshub: credential ended")

// revalidateLoop checks every socket's credential each RevalidateEvery
// until ctx ends. Why: a session can end while its socket stays open — it
// expired, or the logout message (pub/sub, at most once) missed this
// replica — and a socket must not outlive its session by more than a round.
func (h *Hub) revalidateLoop(ctx context.Context) {
	t := time.NewTicker(h.opts.RevalidateEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			h.revalidate(ctx)
		}
	}
}

// revalidate runs one round: the checks run outside the hub's lock, one
// after another, so a round costs the session store one read per socket
// spread over its duration rather than a burst.
func (h *Hub) revalidate(ctx context.Context) {
	h.mu.Lock()
	clients := make([]*client, 0, len(h.conns))
	for c := range h.conns {
		if c.info.Revalidate != nil {
			clients = append(clients, c)
		}
	}
	h.mu.Unlock()
	ended := 0
	for _, c := range clients {
		if ctx.Err() != nil {
			return
		}
		cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		err := c.info.Revalidate(cctx)
		cancel()
		switch {
		case err == nil:
		case errors.Is(err, ErrCredentialEnded):
			ended++
			c.close(closeInfo{code: ClosePolicy, reason: "session ended, log in again", label: "policy"})
		default:
			slog.Warn("wshub: cannot revalidate a socket's session; keeping it for now", "client", c.id, "name", c.info.Name, "err", err)
		}
	}
	if ended > 0 {
		slog.Info("wshub: closed sockets whose session ended", "sockets", ended)
	}
}
