package auth

import (
	"testing"
	"time"

	"github.com/gridcc/gridcc/backend/apperr"
	"github.com/gridcc/gridcc/backend/testsvc"
)

func TestLockout(t *testing.T) {
	ctx := testsvc.Context(t)
	rdb, prefix := testsvc.Redis(t)
	pol := LockoutPolicy{UserFailures: 3, IPFailures: 5, Window: time.Minute, Lock: 2 * time.Second}
	lo, err := NewLockout(rdb, prefix, pol)
	if err != nil {
		t.Fatal(err)
	}
	locked := func(name, ip string) time.Duration {
		t.Helper()
		d, err := lo.Locked(ctx, name, ip)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	fail := func(name, ip string) time.Duration {
		t.Helper()
		d, err := lo.Fail(ctx, name, ip)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}

	t.Run("OK/userLockedAfterThreshold", func(t *testing.T) {
		for i := range pol.UserFailures - 1 {
			if d := fail("zhang", "10.0.0.1"); d != 0 {
				t.Fatalf("locked after %d failures", i+1)
			}
		}
		if d := fail("zhang", "10.0.0.2"); d <= time.Second || d > pol.Lock {
			t.Fatalf("third failure: lock %s, want about %s", d, pol.Lock)
		}
		// The name is locked from anywhere; another name from the same IP is not.
		if d := locked("zhang", "10.9.9.9"); d <= 0 {
			t.Fatal("locked name accepted from another IP")
		}
		if d := locked("li", "10.0.0.1"); d != 0 {
			t.Fatalf("another name locked: %s", d)
		}
		time.Sleep(pol.Lock + 100*time.Millisecond)
		if d := locked("zhang", "10.0.0.1"); d != 0 {
			t.Fatalf("lock did not end: %s", d)
		}
	})
	t.Run("OK/ipLockedAcrossNames", func(t *testing.T) {
		for i := range pol.IPFailures {
			fail("guess"+string(rune('a'+i)), "10.0.0.66")
		}
		if d := locked("anyone", "10.0.0.66"); d <= 0 {
			t.Fatal("IP not locked after spraying names")
		}
		if d := locked("anyone", "10.0.0.67"); d != 0 {
			t.Fatal("another IP locked")
		}
		// A success clears the name, not the IP.
		if err := lo.Succeed(ctx, "guessa"); err != nil {
			t.Fatal(err)
		}
		if d := locked("guessa", "10.0.0.66"); d <= 0 {
			t.Fatal("a success unlocked the IP")
		}
	})
	t.Run("OK/successClearsName", func(t *testing.T) {
		fail("wang", "10.0.1.1")
		fail("wang", "10.0.1.1")
		if err := lo.Succeed(ctx, "wang"); err != nil {
			t.Fatal(err)
		}
		if d := fail("wang", "10.0.1.2"); d != 0 {
			t.Fatal("count not cleared by the success")
		}
	})
	t.Run("OK/junkNameCountsOnlyIP", func(t *testing.T) {
		fail("no such name!", "10.0.2.1")
		keys, _ := rdb.Keys(ctx, prefix+"{auth}:fail:user:no*").Result()
		if len(keys) != 0 {
			t.Fatalf("junk name got a key: %v", keys)
		}
	})
	t.Run("ErrInvalidPolicy", func(t *testing.T) {
		if _, err := NewLockout(rdb, prefix, LockoutPolicy{}); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("zero policy: %v", err)
		}
	})
}
