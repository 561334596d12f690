package wshub

import (
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestSlowClientDisconnected: a client that stops reading is closed with 4000
// once its queue passes QueueBytes, while a healthy client on the same hub
// keeps receiving every record; afterwards no goroutine is left behind.
func TestSlowClientDisconnected(t *testing.T) {
	// The long write timeout keeps the writer's blocked write alive until the
	// client reads again, so the 4000 close frame can follow it.
	env := mustStartHub(t, Options{QueueBytes: 256 << 10, WriteTimeout: time.Minute})
	baseline := runtime.NumGoroutine()

	slow := env.mustDial(t, "name=slow")
	slow.subscribe(0, "", Filter{})
	slow.until("live")

	healthy := env.mustDial(t, "name=healthy")
	healthy.subscribe(0, "", Filter{})
	healthy.until("live")

	slowDrops := func() float64 { return counterValue(t, env.hub.metrics.disconnects, "slow") }
	padding := strings.Repeat("x", 32<<10)
	for batch := 0; slowDrops() == 0; batch++ {
		if batch == 1000 {
			t.Fatal("the slow client was never dropped")
		}
		// ~100 KiB a batch: the healthy client's writer may not have
		// uncounted the previous batch yet, and two must fit in QueueBytes.
		for range 3 {
			r := env.gen.next()
			r.Event.Description += padding
			env.log.append(r)
			env.hub.Apply(r)
		}
		// The healthy client reads everything before the next batch.
		for seq := uint64(0); seq < env.hub.Seq(); {
			seq = healthy.nextOf().Seq
		}
	}
	env.apply(3)
	for want := env.hub.Seq() - 2; want <= env.hub.Seq(); want++ {
		if m := healthy.nextOf(); m.Seq != want {
			t.Fatalf("healthy client got seq %d, want %d", m.Seq, want)
		}
	}

	// The slow client reads again: the close frame follows what was in flight.
	code, _ := slow.expectClose()
	if code != CloseSlow {
		t.Fatalf("slow client closed with %d, want 4000", code)
	}
	if !strings.Contains(slow.closeErr.Text, "since") {
		t.Errorf("close reason %q does not say how to resume", slow.closeErr.Text)
	}
	_ = slow.conn.Close()
	_ = healthy.conn.Close()
	eventually(t, "clients unregistered", func() bool { return env.hub.Clients() == 0 })
	eventually(t, "goroutines back to the baseline", func() bool { return runtime.NumGoroutine() <= baseline })
}
