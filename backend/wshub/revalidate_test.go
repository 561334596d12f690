package wshub

import (
	"testing"
	"time"
)

// TestRevalidate: a socket whose session ended is closed with 1008 within a
// round; one whose session store cannot answer, one whose session lives and
// one without a session (bearer) stay open.
func TestRevalidate(t *testing.T) {
	env := mustStartHub(t, Options{RevalidateEvery: 20 * time.Millisecond})
	runHub(t, env)
	ended := env.mustDial(t, "name=a&session=ended")
	kept := []*wsClient{
		env.mustDial(t, "name=b&session=store-down"),
		env.mustDial(t, "name=c&session=live"),
		env.mustDial(t, "name=d"),
	}
	for _, c := range append(kept, ended) {
		c.subscribe(0, "", Filter{})
		c.expect("snapshot")
		c.expect("live")
	}
	if code, _ := ended.expectClose(); code != ClosePolicy {
		t.Fatalf("ended session closed with %d, want %d", code, ClosePolicy)
	}
	// Several rounds later the others are still served.
	time.Sleep(100 * time.Millisecond)
	env.apply(1)
	for _, c := range kept {
		if m := c.nextOf(); m.Seq != 1 {
			t.Fatalf("kept socket got %s seq %d, want seq 1", m.Type, m.Seq)
		}
	}
	if got := counterValue(t, env.hub.metrics.disconnects, "policy"); got != 1 {
		t.Errorf("disconnects{reason=policy} = %v, want 1", got)
	}
}
