package wshub

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/gridcc/gridcc/backend/event"
)

// TestSnapshotThenLiveUnderConcurrentApply: while one goroutine applies 5,000
// records, 20 clients subscribe at random moments. Each must see a snapshot
// at some seq S, then every record S+1 … 5000 exactly once and in order;
// and the open set it rebuilds from them must equal the hub's.
func TestSnapshotThenLiveUnderConcurrentApply(t *testing.T) {
	const records, clients = 5000, 20
	env := mustStartHub(t, Options{QueueBytes: 64 << 20, StatsInterval: 2 * time.Millisecond})
	runHub(t, env)

	recs := make([]event.Record, records)
	g := newGen(3, 0)
	for i := range recs {
		recs[i] = g.next()
		env.log.append(recs[i])
	}
	wantOpen := map[string]bool{}
	for _, e := range g.open {
		wantOpen[e.ID] = true
	}

	// Every client connects first, then subscribes once the applier has
	// passed its random start point.
	rng := rand.New(rand.NewPCG(4, 4))
	starts := make([]uint64, clients)
	conns := make([]*wsClient, clients)
	for i := range conns {
		starts[i] = uint64(rng.IntN(records))
		conns[i] = env.mustDial(t, "name=officer")
	}
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := range recs {
			env.hub.Apply(recs[i])
		}
	})
	errs := make(chan error, clients)
	for i, c := range conns {
		wg.Go(func() {
			for env.hub.Seq() < starts[i] {
				time.Sleep(20 * time.Microsecond)
			}
			if err := followToEnd(c, records, wantOpen); err != nil {
				errs <- fmt.Errorf("client %d (start %d): %w", i, starts[i], err)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// followToEnd subscribes and reads until seq last, checking order,
// completeness and the rebuilt open set. It runs off the test goroutine, so
// it returns errors instead of failing the test.
func followToEnd(c *wsClient, last uint64, wantOpen map[string]bool) error {
	if err := c.conn.WriteJSON(map[string]any{"type": "subscribe", "since": 0}); err != nil {
		return err
	}
	var snap msg
	for snap.Type == "" || snap.Type == "stats" {
		var err error
		if snap, err = c.tryNext(); err != nil {
			return err
		}
	}
	if snap.Type != "snapshot" {
		return fmt.Errorf("first message is %s", snap.Type)
	}
	d, err := snap.decodeSnapshot()
	if err != nil {
		return err
	}
	open := map[string]bool{}
	for _, e := range d.Open {
		open[e.ID] = true
	}
	seq := snap.Seq
	for seq < last {
		m, err := c.tryNext()
		if err != nil {
			return err
		}
		switch m.Type {
		case "stats":
			if m.Seq < snap.Seq {
				return fmt.Errorf("stats seq %d older than the snapshot's %d", m.Seq, snap.Seq)
			}
			continue
		case "live":
			if m.Seq != snap.Seq {
				return fmt.Errorf("live at seq %d, snapshot at %d", m.Seq, snap.Seq)
			}
			continue
		case "event", "update":
		default:
			return fmt.Errorf("unexpected %s message", m.Type)
		}
		if m.Seq != seq+1 {
			return fmt.Errorf("gap or duplicate: seq %d after %d", m.Seq, seq)
		}
		seq = m.Seq
		id, st, err := idAndStatus(m)
		if err != nil {
			return err
		}
		if !st.Terminal() {
			open[id] = true
		} else {
			delete(open, id)
		}
	}
	if len(open) != len(wantOpen) {
		return fmt.Errorf("rebuilt %d open events, want %d", len(open), len(wantOpen))
	}
	for id := range wantOpen {
		if !open[id] {
			return fmt.Errorf("rebuilt state misses %s", id)
		}
	}
	return nil
}

// idAndStatus decodes only what rebuilding the open set needs (cheaper than
// the whole event under the race detector).
func idAndStatus(m msg) (string, event.Status, error) {
	type idStatus struct {
		ID     string       `json:"id"`
		Status event.Status `json:"status"`
	}
	var d struct {
		idStatus
		Event idStatus `json:"event"`
	}
	if err := json.Unmarshal(m.Data, &d); err != nil {
		return "", "", fmt.Errorf("%s data: %w", m.Type, err)
	}
	if m.Type == "update" {
		return d.Event.ID, d.Event.Status, nil
	}
	return d.ID, d.Status, nil
}
