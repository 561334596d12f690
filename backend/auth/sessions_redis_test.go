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
// one wall token.
type sessionsFixture struct {
	file     *File
	store    *Store
	sessions Sessions
	wall     Principal
}

func newRedisFixture(t *testing.T) (*sessionsFixture, *redis.Client, string) {
	t.Helper()
	rdb, prefix := testsvc.Redis(t)
	fx := &sessionsFixture{file: MustFile(t)}
	token := MustAddToken(t, fx.file, "wall-1", "wall")
	fx.store = MustOpenStore(t, fx.file)
	var err error
	if fx.wall, err = fx.store.Authenticate(token); err != nil {
		t.Fatal(err)
	}
	fx.sessions = NewRedisSessions(rdb, prefix, fx.store)
	return fx, rdb, prefix
}

// TestSessionsContract runs the Sessions contract against Redis.
func TestSessionsContract(t *testing.T) {
	ctx := testsvc.Context(t)
	t.Run("OK", func(t *testing.T) {
		fx, _, _ := newRedisFixture(t)
		id, err := fx.sessions.Create(ctx, fx.wall, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if !wellFormedSecret(id) {
			t.Fatalf("session id %q is not 43 base64url characters", id)
		}
		p, err := fx.sessions.Get(ctx, id)
		if err != nil || p != fx.wall {
			t.Fatalf("Get = %+v, %v; want %+v", p, err, fx.wall)
		}
	})
	t.Run("ErrInvalidCreate", func(t *testing.T) {
		fx, _, _ := newRedisFixture(t)
		if _, err := fx.sessions.Create(ctx, Principal{Name: "forged", Role: "wall"}, time.Hour); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("forged principal: %v", err)
		}
		if _, err := fx.sessions.Create(ctx, fx.wall, 0); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("zero ttl: %v", err)
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
		id, _ := fx.sessions.Create(ctx, fx.wall, time.Hour)
		if err := fx.sessions.Delete(ctx, id); err != nil {
			t.Fatal(err)
		}
		if _, err := fx.sessions.Get(ctx, id); !apperr.Is(err, apperr.Unauthorized) {
			t.Fatalf("deleted session: %v", err)
		}
	})
	t.Run("ErrTokenRevoked", func(t *testing.T) {
		fx, _, _ := newRedisFixture(t)
		id, _ := fx.sessions.Create(ctx, fx.wall, time.Hour)
		if err := fx.file.RevokeToken("wall-1"); err != nil {
			t.Fatal(err)
		}
		// A new token under the old name must not revive the session.
		MustAddToken(t, fx.file, "wall-1", "wall")
		if err := fx.store.reload(); err != nil {
			t.Fatal(err)
		}
		_, err := fx.sessions.Get(ctx, id)
		if !apperr.Is(err, apperr.Unauthorized) || !strings.Contains(err.Error(), "revoked") {
			t.Fatalf("session of a revoked token: %v", err)
		}
	})
}

func TestRedisSessionsKeys(t *testing.T) {
	ctx := testsvc.Context(t)
	fx, rdb, prefix := newRedisFixture(t)
	id, err := fx.sessions.Create(ctx, fx.wall, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	key := prefix + "{auth}:sess:" + hashSecret(id)
	keys, err := rdb.Keys(ctx, prefix+"*").Result()
	if err != nil || len(keys) != 1 || keys[0] != key {
		t.Fatalf("keys = %v (%v), want [%s]", keys, err, key)
	}
	val, _ := rdb.Get(ctx, key).Result()
	if strings.Contains(val, id) || !strings.Contains(val, fx.wall.cred) {
		t.Fatalf("record %s holds the id or lacks the credential", val)
	}
	if ttl := rdb.TTL(ctx, key).Val(); ttl < 59*time.Minute || ttl > time.Hour {
		t.Fatalf("TTL = %s, want 1h", ttl)
	}

	t.Run("OK/slidingRenewal", func(t *testing.T) {
		// More than half left: untouched.
		rdb.Expire(ctx, key, 40*time.Minute)
		if _, err := fx.sessions.Get(ctx, id); err != nil {
			t.Fatal(err)
		}
		if ttl := rdb.TTL(ctx, key).Val(); ttl > 40*time.Minute {
			t.Fatalf("renewed with more than half left: %s", ttl)
		}
		// Less than half left: back to the full hour.
		rdb.Expire(ctx, key, 20*time.Minute)
		if _, err := fx.sessions.Get(ctx, id); err != nil {
			t.Fatal(err)
		}
		if ttl := rdb.TTL(ctx, key).Val(); ttl < 59*time.Minute {
			t.Fatalf("not renewed: %s", ttl)
		}
	})
	t.Run("ErrExpired", func(t *testing.T) {
		rdb.PExpire(ctx, key, time.Millisecond)
		time.Sleep(20 * time.Millisecond)
		if _, err := fx.sessions.Get(ctx, id); !apperr.Is(err, apperr.Unauthorized) {
			t.Fatalf("expired session: %v", err)
		}
	})
	t.Run("OK/revokedSessionKeyDeleted", func(t *testing.T) {
		id, _ := fx.sessions.Create(ctx, fx.wall, time.Hour)
		if err := fx.file.RevokeToken("wall-1"); err != nil {
			t.Fatal(err)
		}
		if err := fx.store.reload(); err != nil {
			t.Fatal(err)
		}
		if _, err := fx.sessions.Get(ctx, id); err == nil {
			t.Fatal("session of a revoked token accepted")
		}
		if n := rdb.Exists(ctx, prefix+"{auth}:sess:"+hashSecret(id)).Val(); n != 0 {
			t.Fatal("the revoked session's key is still there")
		}
	})
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
	if _, err := s.Create(ctx, p, time.Hour); !apperr.Is(err, apperr.Unavailable) {
		t.Errorf("Create: %v", err)
	}
	id, _ := newSecret()
	if _, err := s.Get(ctx, id); !apperr.Is(err, apperr.Unavailable) {
		t.Errorf("Get: %v", err)
	}
	if err := s.Delete(ctx, id); !apperr.Is(err, apperr.Unavailable) {
		t.Errorf("Delete: %v", err)
	}
}
