package auth

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

var t0 = time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC)

func TestLimiterBurstRefillRetryAfter(t *testing.T) {
	l := NewLimiter(100)
	// rate 2/s, burst 3: three at once, then one every 500 ms.
	steps := []struct {
		name  string
		at    time.Duration
		ok    bool
		retry time.Duration
	}{
		{"OK/burst1", 0, true, 0},
		{"OK/burst2", 0, true, 0},
		{"OK/burst3", 0, true, 0},
		{"ErrEmpty", 0, false, 500 * time.Millisecond},
		{"ErrHalfRefilled", 250 * time.Millisecond, false, 250 * time.Millisecond},
		{"OK/refilled", 500 * time.Millisecond, true, 0},
		{"ErrEmptyAgain", 500 * time.Millisecond, false, 500 * time.Millisecond},
		{"ErrClockBackwards", 100 * time.Millisecond, false, 500 * time.Millisecond},
		{"OK/longIdle", time.Hour, true, 0},
		{"OK/cappedAtBurst1", time.Hour, true, 0},
		{"OK/cappedAtBurst2", time.Hour, true, 0},
		{"ErrCapped", time.Hour, false, 500 * time.Millisecond},
	}
	for _, s := range steps {
		ok, retry := l.Allow("hotline", 2, 3, t0.Add(s.at))
		if ok != s.ok || (retry-s.retry).Abs() > time.Millisecond {
			t.Errorf("%s: Allow = %v, %s; want %v, %s", s.name, ok, retry, s.ok, s.retry)
		}
	}
}

func TestLimiterPerNameAndChangedLimits(t *testing.T) {
	l := NewLimiter(100)
	if ok, _ := l.Allow("a", 1, 1, t0); !ok {
		t.Fatal("a refused")
	}
	if ok, _ := l.Allow("a", 1, 1, t0); ok {
		t.Fatal("a's second request allowed")
	}
	if ok, _ := l.Allow("b", 1, 1, t0); !ok {
		t.Fatal("b shares a's bucket")
	}
	// A raised rate (token reloaded with --rate) applies at once.
	if ok, _ := l.Allow("a", 1000, 1, t0.Add(time.Millisecond)); !ok {
		t.Fatal("raised rate not applied")
	}
}

func TestLimiterMisconfiguredFailsClosed(t *testing.T) {
	l := NewLimiter(1)
	for _, c := range []struct {
		rate  float64
		burst int
	}{{0, 10}, {-1, 10}, {10, 0}} {
		if ok, retry := l.Allow("x", c.rate, c.burst, t0); ok || retry <= 0 {
			t.Errorf("rate %v burst %d: allowed", c.rate, c.burst)
		}
	}
}

func TestLimiterEviction(t *testing.T) {
	t.Run("OK/sweepDropsFullBuckets", func(t *testing.T) {
		l := NewLimiter(1000)
		for i := range 10 {
			l.Allow(fmt.Sprint("idle", i), 10, 10, t0)
		}
		l.Allow("busy", 1, 100, t0)
		for range 99 {
			l.Allow("busy", 1, 100, t0.Add(time.Minute))
		}
		if n := l.Len(); n != 1 {
			t.Fatalf("%d buckets after a sweep, want only busy's", n)
		}
	})
	t.Run("OK/boundedByLRU", func(t *testing.T) {
		l := NewLimiter(3)
		for i := range 5 {
			// Rate so low nothing refills: no bucket is ever full again.
			l.Allow(fmt.Sprint("p", i), 1e-9, 1, t0.Add(time.Duration(i)*time.Second))
		}
		if n := l.Len(); n != 3 {
			t.Fatalf("%d buckets, want the bound 3", n)
		}
		// p4 is recent and kept: its next request is refused.
		if ok, _ := l.Allow("p4", 1e-9, 1, t0.Add(5*time.Second)); ok {
			t.Fatal("the most recent bucket was evicted")
		}
	})
}

func TestLimiterConcurrent(t *testing.T) {
	l := NewLimiter(16)
	var allowed atomic.Int64
	var wg sync.WaitGroup
	for g := range 32 {
		wg.Go(func() {
			for range 1000 {
				if ok, _ := l.Allow(fmt.Sprint("p", g%4), 1e-9, 100, t0); ok {
					allowed.Add(1)
				}
			}
		})
	}
	wg.Wait()
	if got := allowed.Load(); got != 4*100 {
		t.Fatalf("%d allowed, want 4 principals × burst 100", got)
	}
}
