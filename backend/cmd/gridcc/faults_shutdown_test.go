package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gridcc/gridcc/backend/testsvc"
)

// TestGracefulShutdownMovesClients: SIGTERM of a replica under load closes
// its sockets with 1001 (reconnect), the process exits cleanly, and its
// client resumes on the other replica with nothing lost.
func TestGracefulShutdownMovesClients(t *testing.T) {
	cl := newCluster(t, testsvc.RedisURL(t))
	a, b := cl.start(), cl.start()
	var aDown atomic.Bool
	live := func() []string {
		if aDown.Load() {
			return []string{b.URL}
		}
		return []string{a.URL, b.URL}
	}
	onA := startClient(t, live, cl.WallToken)
	waitLive(t, onA)
	var stopped time.Time
	acked := runLoad(t, live, cl.IngestToken, func() {
		time.Sleep(time.Second)
		aDown.Store(true) // new requests go to B from now on
		stopped = time.Now()
		if err := a.terminate(); err != nil {
			t.Errorf("replica A did not exit cleanly after SIGTERM: %v", err)
		}
		t.Logf("replica A shut down in %v", time.Since(stopped).Round(time.Millisecond))
		time.Sleep(time.Second)
	})
	checkDelivered(t, "client of the stopped replica", onA, acked)
	onA.mu.Lock()
	closes := slices.Clone(onA.closes)
	onA.mu.Unlock()
	if !slices.Contains(closes, 1001) {
		t.Errorf("close codes seen %v, want 1001 (going away: reconnect)", closes)
	}
	t.Logf("recovery: the client was live on B %v after SIGTERM", onA.lastLive().Sub(stopped).Round(time.Millisecond))
}

// TestManyClientsReconnectAtOnce: 500 clients of a replica that is killed
// reconnect to the other with random jitter (up to 2 s, as the wall does)
// and each gets every acknowledged event exactly once.
func TestManyClientsReconnectAtOnce(t *testing.T) {
	n := 500
	if testing.Short() {
		n = 100
	}
	cl := newCluster(t, testsvc.RedisURL(t))
	a, b := cl.start(), cl.start()
	var aDead atomic.Bool
	target := func() string {
		if aDead.Load() {
			return b.URL
		}
		return a.URL
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	t.Cleanup(func() { cancel(); wg.Wait() })
	clients := make([]*resumingClient, n)
	for i := range clients {
		c := newResumingClient()
		clients[i] = c
		wg.Go(func() {
			for ctx.Err() == nil {
				_ = c.session(ctx, target(), cl.WallToken)
				select { // jitter spreads the reconnects of a dropped replica
				case <-ctx.Done():
				case <-time.After(time.Duration(rand.Int64N(int64(2 * time.Second)))):
				}
			}
		})
	}
	for _, c := range clients {
		waitLive(t, c)
	}
	var killed time.Time
	acked := runLoad(t, func() []string { return []string{b.URL} }, cl.IngestToken, func() {
		time.Sleep(2 * time.Second)
		killed = time.Now()
		aDead.Store(true)
		a.kill()
		time.Sleep(4 * time.Second)
	})
	var last time.Time
	for i, c := range clients {
		awaitDelivered(t, fmt.Sprintf("client %d", i), c, acked)
		if at := c.lastLive(); at.After(last) {
			last = at
		}
	}
	t.Logf("%d clients: all %d acknowledged events delivered to each, 0 duplicates; the last was live again %v after the kill",
		n, len(acked), last.Sub(killed).Round(time.Millisecond))
}
