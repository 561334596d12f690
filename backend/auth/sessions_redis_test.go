package auth

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/gridcc/gridcc/backend/apperr"
	"github.com/gridcc/gridcc/backend/testsvc"
)

// sessionsFixture is a Sessions implementation over a fresh auth file with
// one wall token and one officer.
type sessionsFixture struct {
	file     *File
	store    *Store
	sessions Sessions
	wall     Principal
	officer  Principal
}

// hour is the policy most tests use.
var hour = SessionPolicy{Idle: time.Hour, Absolute: 2 * time.Hour}

func newRedisFixture(t *testing.T) (*sessionsFixture, *redis.Client, string) {
	t.Helper()
	rdb, prefix := testsvc.Redis(t)
	fx := &sessionsFixture{file: MustFile(t)}
	token := MustAddToken(t, fx.file, "wall-1", "wall")
	MustAddUser(t, fx.file, "zhang", "officer")
	fx.store = MustOpenStore(t, fx.file)
	var err error
	if fx.wall, err = fx.store.Authenticate(token); err != nil {
		t.Fatal(err)
	}
	if fx.officer, err = fx.store.Login("zhang", TestPassword); err != nil {
		t.Fatal(err)
	}
	fx.sessions = NewRedisSessions(rdb, prefix, fx.store)
	return fx, rdb, prefix
}

func mustCreate(t *testing.T, s Sessions, p Principal, pol SessionPolicy) Session {
	t.Helper()
	sess, err := s.Create(testsvc.Context(t), p, pol)
	if err != nil {
		t.Fatal(err)
	}
	return sess
}

// TestSessionsContract runs the Sessions contract against Redis.
func TestSessionsContract(t *testing.T) {
	ctx := testsvc.Context(t)
	t.Run("OK", func(t *testing.T) {
		fx, _, _ := newRedisFixture(t)
		for _, p := range []Principal{fx.wall, fx.officer} {
			sess := mustCreate(t, fx.sessions, p, hour)
			if !wellFormedSecret(sess.ID) || !wellFormedSecret(sess.CSRF) || sess.ID == sess.CSRF {
				t.Fatalf("session id %q / csrf %q are not independent 43-character secrets", sess.ID, sess.CSRF)
			}
			got, err := fx.sessions.Get(ctx, sess.ID)
			if err != nil || got.Principal != p || got.CSRF != sess.CSRF || got.ID != "" || !got.ExpiresAt.Equal(sess.ExpiresAt) {
				t.Fatalf("Get = %+v, %v; want %+v", got, err, sess)
			}
		}
	})
	t.Run("ErrInvalidCreate", func(t *testing.T) {
		fx, _, _ := newRedisFixture(t)
		if _, err := fx.sessions.Create(ctx, Principal{Name: "forged", Role: "wall"}, hour); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("forged principal: %v", err)
		}
		for _, pol := range []SessionPolicy{{}, {Idle: time.Hour, Absolute: time.Minute}, {Idle: time.Millisecond, Absolute: time.Hour}} {
			if _, err := fx.sessions.Create(ctx, fx.wall, pol); !apperr.Is(err, apperr.Invalid) {
				t.Errorf("policy %+v: %v", pol, err)
			}
		}
	})
	t.Run("ErrUnknownOrMalformed", func(t *testing.T) {
		fx, _, _ := newRedisFixture(t)
		id, _ := newSecret()
		for _, bad := range []string{id, "", "abc", id + "x", strings.Repeat("!", 43)} {
			if _, err := fx.sessions.Get(ctx, bad); !apperr.Is(err, apperr.Unauthorized) {
				t.Errorf("Get(%q) = %v, want unauthorized", bad, err)
			}
			if err := fx.sessions.Delete(ctx, bad); err != nil {
				t.Errorf("Delete(%q) = %v, want nil", bad, err)
			}
		}
	})
	t.Run("ErrDeleted", func(t *testing.T) {
		fx, _, _ := newRedisFixture(t)
		sess := mustCreate(t, fx.sessions, fx.wall, hour)
		if err := fx.sessions.Delete(ctx, sess.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := fx.sessions.Get(ctx, sess.ID); !apperr.Is(err, apperr.Unauthorized) {
			t.Fatalf("deleted session: %v", err)
		}
	})
	t.Run("ErrDeletedAll", func(t *testing.T) {
		fx, _, _ := newRedisFixture(t)
		a, b := mustCreate(t, fx.sessions, fx.officer, hour), mustCreate(t, fx.sessions, fx.officer, hour)
		other := mustCreate(t, fx.sessions, fx.wall, hour)
		if n, err := fx.sessions.DeleteAll(ctx, "zhang"); err != nil || n != 2 {
			t.Fatalf("DeleteAll = %d, %v; want 2", n, err)
		}
		for _, id := range []string{a.ID, b.ID} {
			if _, err := fx.sessions.Get(ctx, id); !apperr.Is(err, apperr.Unauthorized) {
				t.Errorf("session after DeleteAll: %v", err)
			}
		}
		if _, err := fx.sessions.Get(ctx, other.ID); err != nil {
			t.Errorf("another principal's session ended: %v", err)
		}
		if n, err := fx.sessions.DeleteAll(ctx, "zhang"); err != nil || n != 0 {
			t.Errorf("second DeleteAll = %d, %v", n, err)
		}
	})
	t.Run("ErrTokenRevoked", func(t *testing.T) {
		fx, _, _ := newRedisFixture(t)
		sess := mustCreate(t, fx.sessions, fx.wall, hour)
		if err := fx.file.RevokeToken("wall-1"); err != nil {
			t.Fatal(err)
		}
		// A new token under the old name must not revive the session.
		MustAddToken(t, fx.file, "wall-1", "wall")
		if err := fx.store.reload(); err != nil {
			t.Fatal(err)
		}
		_, err := fx.sessions.Get(ctx, sess.ID)
		if !apperr.Is(err, apperr.Unauthorized) || !strings.Contains(err.Error(), "no longer valid") {
			t.Fatalf("session of a revoked token: %v", err)
		}
	})
	for name, change := range map[string]func(f *File) error{
		"ErrUserDisabled":  func(f *File) error { return f.DisableUser("zhang") },
		"ErrPasswordReset": func(f *File) error { return f.SetPassword("zhang", TestPassword+"2") },
	} {
		t.Run(name, func(t *testing.T) {
			fx, _, _ := newRedisFixture(t)
			sess := mustCreate(t, fx.sessions, fx.officer, hour)
			if err := change(fx.file); err != nil {
				t.Fatal(err)
			}
			if err := fx.store.reload(); err != nil {
				t.Fatal(err)
			}
			if _, err := fx.sessions.Get(ctx, sess.ID); !apperr.Is(err, apperr.Unauthorized) {
				t.Fatalf("session after %s: %v", name, err)
			}
		})
	}
}

func TestRedisSessionsKeys(t *testing.T) {
	ctx := testsvc.Context(t)
	fx, rdb, prefix := newRedisFixture(t)
	sess := mustCreate(t, fx.sessions, fx.officer, hour)
	key := prefix + "{auth}:sess:" + hashSecret(sess.ID)
	index := prefix + "{auth}:usess:zhang"
	keys, err := rdb.Keys(ctx, prefix+"*").Result()
	if err != nil || len(keys) != 2 || !strings.Contains(strings.Join(keys, " "), key) || !strings.Contains(strings.Join(keys, " "), index) {
		t.Fatalf("keys = %v (%v), want %s and %s", keys, err, key, index)
	}
	val, _ := rdb.Get(ctx, key).Result()
	if strings.Contains(val, sess.ID) || !strings.Contains(val, fx.officer.cred) {
		t.Fatalf("record %s holds the id or lacks the credential", val)
	}
	if ttl := rdb.TTL(ctx, key).Val(); ttl < 59*time.Minute || ttl > time.Hour {
		t.Fatalf("TTL = %s, want the 1h idle timeout", ttl)
	}
	if ttl := rdb.TTL(ctx, index).Val(); ttl < 119*time.Minute || ttl > 2*time.Hour {
		t.Fatalf("index TTL = %s, want the 2h absolute lifetime", ttl)
	}

	t.Run("OK/slidingIdle", func(t *testing.T) {
		// Within the slack (a minute for a 1h idle timeout): untouched.
		rdb.Expire(ctx, key, 59*time.Minute+30*time.Second)
		if _, err := fx.sessions.Get(ctx, sess.ID); err != nil {
			t.Fatal(err)
		}
		if ttl := rdb.TTL(ctx, key).Val(); ttl > 59*time.Minute+30*time.Second {
			t.Fatalf("renewed within the slack: %s", ttl)
		}
		// Used after 20 idle minutes: back to the full hour.
		rdb.Expire(ctx, key, 40*time.Minute)
		if _, err := fx.sessions.Get(ctx, sess.ID); err != nil {
			t.Fatal(err)
		}
		if ttl := rdb.TTL(ctx, key).Val(); ttl < 59*time.Minute {
			t.Fatalf("not renewed: %s", ttl)
		}
	})
	t.Run("ErrIdleExpired", func(t *testing.T) {
		rdb.PExpire(ctx, key, time.Millisecond)
		time.Sleep(20 * time.Millisecond)
		if _, err := fx.sessions.Get(ctx, sess.ID); !apperr.Is(err, apperr.Unauthorized) {
			t.Fatalf("expired session: %v", err)
		}
	})
	t.Run("OK/revokedSessionKeyDeleted", func(t *testing.T) {
		s := mustCreate(t, fx.sessions, fx.wall, hour)
		if err := fx.file.RevokeToken("wall-1"); err != nil {
			t.Fatal(err)
		}
		if err := fx.store.reload(); err != nil {
			t.Fatal(err)
		}
		if _, err := fx.sessions.Get(ctx, s.ID); err == nil {
			t.Fatal("session of a revoked token accepted")
		}
		if n := rdb.Exists(ctx, prefix+"{auth}:sess:"+hashSecret(s.ID)).Val(); n != 0 {
			t.Fatal("the revoked session's key is still there")
		}
	})
}

// TestRedisSessionsAbsolute: activity keeps a session alive only until its
// absolute end, and renewal never pushes the expiry past it.
func TestRedisSessionsAbsolute(t *testing.T) {
	ctx := testsvc.Context(t)
	fx, rdb, prefix := newRedisFixture(t)
	pol := SessionPolicy{Idle: 2 * time.Second, Absolute: 3 * time.Second}
	sess := mustCreate(t, fx.sessions, fx.officer, pol)
	key := prefix + "{auth}:sess:" + hashSecret(sess.ID)
	deadline := time.Now().Add(pol.Absolute)
	for time.Now().Before(deadline.Add(-400 * time.Millisecond)) {
		if _, err := fx.sessions.Get(ctx, sess.ID); err != nil {
			t.Fatalf("active session ended before its absolute end: %v", err)
		}
		if left := rdb.PTTL(ctx, key).Val(); time.Now().Add(left).After(deadline.Add(100 * time.Millisecond)) {
			t.Fatalf("renewed past the absolute end: %s left", left)
		}
		time.Sleep(300 * time.Millisecond) // well within the idle timeout
	}
	time.Sleep(time.Until(deadline) + 100*time.Millisecond)
	if _, err := fx.sessions.Get(ctx, sess.ID); !apperr.Is(err, apperr.Unauthorized) {
		t.Fatalf("session alive after its absolute end: %v", err)
	}
}

func TestRedisSessionsUnavailable(t *testing.T) {
	f := MustFile(t)
	token := MustAddToken(t, f, "w", "wall")
	store := MustOpenStore(t, f)
	p, _ := store.Authenticate(token)
	// Nothing listens on port 1.
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", DialTimeout: 200 * time.Millisecond, MaxRetries: -1, DialerRetries: 1, DialerRetryTimeout: time.Millisecond, DisableIdentity: true})
	t.Cleanup(func() { rdb.Close() })
	s := NewRedisSessions(rdb, "x:", store)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := s.Create(ctx, p, hour); !apperr.Is(err, apperr.Unavailable) {
		t.Errorf("Create: %v", err)
	}
	id, _ := newSecret()
	if _, err := s.Get(ctx, id); !apperr.Is(err, apperr.Unavailable) {
		t.Errorf("Get: %v", err)
	}
	if err := s.Delete(ctx, id); !apperr.Is(err, apperr.Unavailable) {
		t.Errorf("Delete: %v", err)
	}
	if _, err := s.DeleteAll(ctx, "w"); !apperr.Is(err, apperr.Unavailable) {
		t.Errorf("DeleteAll: %v", err)
	}
	lo, _ := NewLockout(rdb, "x:", DefaultLockout)
	if _, err := lo.Locked(ctx, "w", "10.0.0.1"); !apperr.Is(err, apperr.Unavailable) {
		t.Errorf("Locked: %v", err)
	}
}
