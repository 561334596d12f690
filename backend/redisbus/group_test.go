package redisbus

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/gridcc/gridcc/backend/event"
)

// fakeRounds records each round's command names and lets a test hold the
// first round until it has queued calls behind it. A command named "bad-…"
// fails.
type fakeRounds struct {
	mu      sync.Mutex
	rounds  [][]string
	started chan struct{} // one value per round, when it starts
	hold    chan struct{} // the first round waits for it
}

func newFakeRounds() *fakeRounds {
	return &fakeRounds{started: make(chan struct{}, 100), hold: make(chan struct{})}
}

func (f *fakeRounds) run(_ context.Context, cmds []appendCmd) ([]event.AppendResult, []error) {
	names := make([]string, len(cmds))
	res := make([]event.AppendResult, len(cmds))
	errs := make([]error, len(cmds))
	for i, c := range cmds {
		names[i] = c.keys[0]
		res[i] = event.AppendResult{Outcome: event.Appended, ID: c.keys[0]}
		if len(c.keys[0]) > 4 && c.keys[0][:4] == "bad-" {
			errs[i] = errors.New("refused " + c.keys[0])
		}
	}
	f.mu.Lock()
	f.rounds = append(f.rounds, names)
	first := len(f.rounds) == 1
	f.mu.Unlock()
	f.started <- struct{}{}
	if first {
		<-f.hold
	}
	return res, errs
}

// waitStarted waits for the next round to start.
func (f *fakeRounds) waitStarted(t *testing.T) {
	t.Helper()
	select {
	case <-f.started:
	case <-time.After(10 * time.Second):
		t.Fatal("no round started")
	}
}

func namedCmds(names ...string) []appendCmd {
	out := make([]appendCmd, len(names))
	for i, n := range names {
		out[i] = appendCmd{keys: []string{n}}
	}
	return out
}

// call is one do in a goroutine and what it got.
type call struct {
	res  []event.AppendResult
	errs []error
	done chan struct{}
}

func start(g *appendGroup, names ...string) *call {
	c := &call{done: make(chan struct{})}
	go func() {
		defer close(c.done)
		c.res, c.errs = g.do(context.Background(), namedCmds(names...))
	}()
	return c
}

// queued waits until n calls wait in g's queue.
func queued(t *testing.T, g *appendGroup, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		g.mu.Lock()
		got := len(g.queue)
		g.mu.Unlock()
		if got == n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d calls queued, want %d", got, n)
		}
		time.Sleep(time.Millisecond)
	}
}

func ids(res []event.AppendResult) []string {
	out := make([]string, len(res))
	for i, r := range res {
		out[i] = r.ID
	}
	return out
}

func TestAppendGroup(t *testing.T) {
	t.Run("OK_aLoneCallRunsAtOnce", func(t *testing.T) {
		f := newFakeRounds()
		close(f.hold)
		g := &appendGroup{run: f.run, rounds: 1}
		res, errs := g.do(context.Background(), namedCmds("a", "b"))
		if !slices.Equal(ids(res), []string{"a", "b"}) || errs[0] != nil || errs[1] != nil {
			t.Errorf("got %v %v", ids(res), errs)
		}
		if len(f.rounds) != 1 {
			t.Errorf("%d rounds, want 1", len(f.rounds))
		}
	})

	t.Run("OK_callsQueuedBehindARoundShareTheNext", func(t *testing.T) {
		f := newFakeRounds()
		g := &appendGroup{run: f.run, rounds: 1}
		first := start(g, "a")
		f.waitStarted(t)
		behind := []*call{start(g, "b"), start(g, "c", "d"), start(g, "e")}
		queued(t, g, 3)
		close(f.hold)
		<-first.done
		for _, c := range behind {
			<-c.done
		}
		// The order within the second round is the order the three queued in.
		if len(f.rounds) != 2 || !slices.Equal(f.rounds[0], []string{"a"}) ||
			!slices.Equal(slices.Sorted(slices.Values(f.rounds[1])), []string{"b", "c", "d", "e"}) {
			t.Fatalf("rounds %v, want [a] then b, c, d and e together", f.rounds)
		}
		for i, c := range append([]*call{first}, behind...) {
			wantIDs := [][]string{{"a"}, {"b"}, {"c", "d"}, {"e"}}[i]
			if !slices.Equal(ids(c.res), wantIDs) {
				t.Errorf("call %d got results %v, want its own %v", i, ids(c.res), wantIDs)
			}
		}
	})

	t.Run("OK_callsRunAtOnceWhileRoundsAreFree", func(t *testing.T) {
		f := newFakeRounds()
		g := &appendGroup{run: f.run, rounds: 2}
		first := start(g, "a") // held until the second has started
		f.waitStarted(t)
		second := start(g, "b")
		f.waitStarted(t) // did not queue behind the first
		close(f.hold)
		<-first.done
		<-second.done
		if len(f.rounds) != 2 || g.inflight != 0 {
			t.Errorf("rounds %v, %d still in flight; want two rounds of one, none in flight", f.rounds, g.inflight)
		}
	})

	t.Run("OK_aRoundCarriesAtMostMaxGroupItems", func(t *testing.T) {
		f := newFakeRounds()
		g := &appendGroup{run: f.run, rounds: 1}
		first := start(g, "a")
		f.waitStarted(t)
		big := make([]string, maxGroupItems-1)
		for i := range big {
			big[i] = fmt.Sprintf("x%d", i)
		}
		b := start(g, big...)
		queued(t, g, 1)
		c := start(g, "y", "z") // would make maxGroupItems + 1
		queued(t, g, 2)
		close(f.hold)
		for _, k := range []*call{first, b, c} {
			<-k.done
		}
		var sizes []int
		for _, r := range f.rounds {
			sizes = append(sizes, len(r))
		}
		if !slices.Equal(sizes, []int{1, maxGroupItems - 1, 2}) {
			t.Errorf("round sizes %v, want [1 %d 2]", sizes, maxGroupItems-1)
		}
	})

	t.Run("Err_aFailedCommandFailsOnlyItsCall", func(t *testing.T) {
		f := newFakeRounds()
		g := &appendGroup{run: f.run, rounds: 1}
		first := start(g, "a")
		f.waitStarted(t)
		good, bad := start(g, "b"), start(g, "bad-c", "d")
		queued(t, g, 2)
		close(f.hold)
		<-first.done
		<-good.done
		<-bad.done
		if good.errs[0] != nil {
			t.Errorf("the good call got %v", good.errs)
		}
		if bad.errs[0] == nil || bad.errs[1] != nil {
			t.Errorf("the bad call got %v, want an error for its first command only", bad.errs)
		}
	})
}

func TestAppendRoundsFollowThePipelinePool(t *testing.T) {
	for _, tc := range []struct {
		name           string
		pipeline, pool int
		want           int
	}{
		{"default pipeline pool", 0, 20, redis.DefaultPipelinePoolSize},
		{"sized pipeline pool", 32, 20, 32},
		{"pipeline pool off", -1, 20, 10},
		{"pipeline pool off, tiny main pool", -1, 1, 1},
	} {
		if got := appendRounds(&redis.Options{PipelinePoolSize: tc.pipeline, PoolSize: tc.pool}); got != tc.want {
			t.Errorf("%s: %d rounds, want %d", tc.name, got, tc.want)
		}
	}
}
