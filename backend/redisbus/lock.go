package redisbus

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// releaseLua deletes the lock only if it is still ours; renewLua extends
// it only if it is still ours. Compare-and-act must be atomic, hence Lua.
var (
	releaseLua = redis.NewScript(`if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`)
	renewLua   = redis.NewScript(`if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`)
)

// Lock is a mutual-exclusion lease in Redis (SET NX with an expiry),
// renewed while held, for work that one replica at a time must do
// (schema migrations). If the holder dies the lease lapses after ttl.
// It implements chstore.Locker.
type Lock struct {
	rdb  *redis.Client
	key  string
	ttl  time.Duration
	poll time.Duration
}

// NewLock returns the lock stored at key, with a lease of ttl.
func NewLock(rdb *redis.Client, key string, ttl time.Duration) *Lock {
	return &Lock{rdb: rdb, key: key, ttl: ttl, poll: 100 * time.Millisecond}
}

// Lock waits until the lock is ours or ctx ends. The lease is renewed every
// ttl/3 until unlock is called.
func (l *Lock) Lock(ctx context.Context) (unlock func(), err error) {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	token := hex.EncodeToString(b)
	for {
		ok, err := l.rdb.SetNX(ctx, l.key, token, l.ttl).Result()
		if err != nil {
			return nil, fmt.Errorf("redisbus: lock %s: %w", l.key, err)
		}
		if ok {
			break
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(l.poll):
		}
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() { l.renew(token, stop) })
	var once sync.Once
	return func() {
		once.Do(func() {
			close(stop)
			wg.Wait()
			// A detached context: unlock runs in defers, often after the
			// caller's context has ended.
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
			defer cancel()
			if err := releaseLua.Run(ctx, l.rdb, []string{l.key}, token).Err(); err != nil && !errors.Is(err, redis.Nil) {
				slog.Warn("redisbus: release lock failed; it lapses on its own", "key", l.key, "err", err)
			}
		})
	}, nil
}

func (l *Lock) renew(token string, stop <-chan struct{}) {
	t := time.NewTicker(l.ttl / 3)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			ctx, cancel := context.WithTimeout(context.Background(), l.ttl/3)
			err := renewLua.Run(ctx, l.rdb, []string{l.key}, token, l.ttl.Milliseconds()).Err()
			cancel()
			if err != nil {
				slog.Warn("redisbus: renew lock failed", "key", l.key, "err", err)
			}
		}
	}
}
