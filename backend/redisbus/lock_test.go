package redisbus_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gridcc/gridcc/backend/redisbus"
	"github.com/gridcc/gridcc/backend/testsvc"
)

// The contract of chstore.Locker, checked against the Redis lock.
func TestLock(t *testing.T) {
	t.Run("OK_oneHolderAtATime", func(t *testing.T) {
		ctx := testsvc.Context(t)
		rdb, prefix := testsvc.Redis(t)
		var inside, maxInside atomic.Int32
		var wg sync.WaitGroup
		for range 5 {
			l := redisbus.NewLock(rdb, prefix+"lock", 5*time.Second) // one per replica
			wg.Go(func() {
				unlock, err := l.Lock(ctx)
				if err != nil {
					t.Error(err)
					return
				}
				n := inside.Add(1)
				for m := maxInside.Load(); n > m && !maxInside.CompareAndSwap(m, n); m = maxInside.Load() {
				}
				time.Sleep(20 * time.Millisecond)
				inside.Add(-1)
				unlock()
			})
		}
		wg.Wait()
		if maxInside.Load() != 1 {
			t.Errorf("%d holders at once, want 1", maxInside.Load())
		}
	})

	t.Run("ErrContextEndsWhileWaiting", func(t *testing.T) {
		rdb, prefix := testsvc.Redis(t)
		l := redisbus.NewLock(rdb, prefix+"lock", 5*time.Second)
		unlock, err := l.Lock(testsvc.Context(t))
		if err != nil {
			t.Fatal(err)
		}
		defer unlock()
		ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
		defer cancel()
		if _, err := l.Lock(ctx); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("second Lock = %v, want the context's deadline", err)
		}
	})

	t.Run("OK_lapsesWhenTheHolderDies", func(t *testing.T) {
		ctx := testsvc.Context(t)
		rdb, prefix := testsvc.Redis(t)
		// A holder that died without unlocking: its key, with no renewal.
		if err := rdb.Set(ctx, prefix+"lock", "dead-holder", 300*time.Millisecond).Err(); err != nil {
			t.Fatal(err)
		}
		unlock, err := redisbus.NewLock(rdb, prefix+"lock", 5*time.Second).Lock(ctx)
		if err != nil {
			t.Fatal(err)
		}
		unlock()
		unlock() // twice is harmless
	})

	t.Run("OK_unlockLeavesAnotherHoldersLock", func(t *testing.T) {
		ctx := testsvc.Context(t)
		rdb, prefix := testsvc.Redis(t)
		unlock, err := redisbus.NewLock(rdb, prefix+"lock", 300*time.Millisecond).Lock(ctx)
		if err != nil {
			t.Fatal(err)
		}
		// Our lease lapses (as if we were paused longer than ttl) and
		// another replica takes the lock; our late unlock must not free it.
		if err := rdb.Set(ctx, prefix+"lock", "other", time.Minute).Err(); err != nil {
			t.Fatal(err)
		}
		unlock()
		if v, _ := rdb.Get(ctx, prefix+"lock").Result(); v != "other" {
			t.Errorf("lock now holds %q, want the other replica's", v)
		}
	})
}
