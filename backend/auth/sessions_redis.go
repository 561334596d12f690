package auth

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/gridcc/gridcc/backend/apperr"
)

// RedisSessions keeps sessions in Redis, so every replica honours them and
// ending one is a DEL. Keys (the {auth} hash tag keeps every auth key in one
// cluster slot):
//
//	<prefix>{auth}:sess:<sha256 hex of the id>  the record; expires at the idle or absolute end
//	<prefix>{auth}:usess:<name>                 set of the name's session hashes, for DeleteAll
//
// A dump of Redis holds no usable cookie: only hashes of session ids.
type RedisSessions struct {
	rdb    redis.Cmdable
	prefix string
	store  *Store
}

var _ Sessions = (*RedisSessions)(nil)

// NewRedisSessions returns sessions stored in rdb under prefix
// (GRIDCC_REDIS_PREFIX). store is consulted on every Get, so a revoked
// credential ends its sessions within one poll of the auth file.
func NewRedisSessions(rdb redis.Cmdable, prefix string, store *Store) *RedisSessions {
	return &RedisSessions{rdb: rdb, prefix: prefix, store: store}
}

// sessionRecord is the value stored under a session key. It names the
// credential, never the token or password. The CSRF token is not a
// credential: without the cookie it opens nothing.
type sessionRecord struct {
	Name      string    `json:"name"` // for DeleteAll and people reading Redis
	Cred      string    `json:"cred"` // see credentialOf, userCredential
	CSRF      string    `json:"csrf"`
	IdleMS    int64     `json:"idle_ms"`
	ExpiresAt time.Time `json:"expires_at"` // the absolute end
	CreatedAt time.Time `json:"created_at"`
}

func (r *RedisSessions) key(id string) string { return r.keyOfHash(hashSecret(id)) }

func (r *RedisSessions) keyOfHash(h string) string { return r.prefix + "{auth}:sess:" + h }

func (r *RedisSessions) indexKey(name string) string { return r.prefix + "{auth}:usess:" + name }

// Create implements Sessions.
func (r *RedisSessions) Create(ctx context.Context, p Principal, pol SessionPolicy) (Session, error) {
	if err := checkCreate(p, pol); err != nil {
		return Session{}, err
	}
	id, err := newSecret()
	if err != nil {
		return Session{}, err
	}
	csrf, err := newSecret()
	if err != nil {
		return Session{}, err
	}
	created := time.Now().UTC()
	rec := sessionRecord{Name: p.Name, Cred: p.cred, CSRF: csrf, IdleMS: pol.Idle.Milliseconds(),
		ExpiresAt: created.Add(pol.Absolute), CreatedAt: created}
	body, err := json.Marshal(rec)
	if err != nil {
		return Session{}, apperr.Wrap(err, apperr.Internal, "encode session")
	}
	h := hashSecret(id)
	_, err = r.rdb.TxPipelined(ctx, func(pipe redis.Pipeliner) error {
		pipe.Set(ctx, r.keyOfHash(h), body, pol.Idle)
		pipe.SAdd(ctx, r.indexKey(p.Name), h)
		// The newest session's end covers the older ones under the same
		// policy; the index is a convenience (Get rechecks the credential).
		pipe.Expire(ctx, r.indexKey(p.Name), pol.Absolute)
		return nil
	})
	if err != nil {
		return Session{}, apperr.Wrap(err, apperr.Unavailable, "session store unavailable")
	}
	return Session{ID: id, Principal: p, CSRF: csrf, ExpiresAt: rec.ExpiresAt}, nil
}

// Get implements Sessions.
func (r *RedisSessions) Get(ctx context.Context, id string) (Session, error) {
	if !wellFormedSecret(id) {
		return Session{}, errNoSession
	}
	key := r.key(id)
	var get *redis.StringCmd
	var pttl *redis.DurationCmd
	// One MULTI, so the expiry read belongs to the value read.
	_, err := r.rdb.TxPipelined(ctx, func(pipe redis.Pipeliner) error {
		get = pipe.Get(ctx, key)
		pttl = pipe.PTTL(ctx, key)
		return nil
	})
	if errors.Is(get.Err(), redis.Nil) {
		return Session{}, errNoSession
	}
	if err != nil {
		return Session{}, apperr.Wrap(err, apperr.Unavailable, "session store unavailable")
	}
	var rec sessionRecord
	if err := json.Unmarshal([]byte(get.Val()), &rec); err != nil {
		return Session{}, apperr.Wrap(err, apperr.Internal, "decode session record")
	}
	now := time.Now()
	left := rec.ExpiresAt.Sub(now)
	if left <= 0 {
		_ = r.rdb.Del(ctx, key).Err() // best effort: Redis expires it anyway
		return Session{}, errNoSession
	}
	p, ok := r.store.lookupCredential(rec.Cred)
	if !ok {
		// Best effort: the record is useless now; if the DEL fails it
		// expires on its own and is refused meanwhile.
		_ = r.rdb.Del(ctx, key).Err()
		return Session{}, errRevokedSession
	}
	idle := time.Duration(rec.IdleMS) * time.Millisecond
	if want := min(idle, left); pttl.Val() > 0 && pttl.Val() < want-renewSlack(idle) {
		// A failed renewal costs nothing now (the session is valid); the
		// next Get retries it. PEXPIRE on a key deleted meanwhile (logout)
		// does nothing, so this cannot revive a session.
		if err := r.rdb.PExpire(ctx, key, want).Err(); err != nil {
			slog.Warn("session renewal failed", "principal", p.Name, "err", err)
		}
	}
	return Session{Principal: p, CSRF: rec.CSRF, ExpiresAt: rec.ExpiresAt}, nil
}

// Delete implements Sessions.
func (r *RedisSessions) Delete(ctx context.Context, id string) error {
	if !wellFormedSecret(id) {
		return nil
	}
	if err := r.rdb.Del(ctx, r.key(id)).Err(); err != nil {
		return apperr.Wrap(err, apperr.Unavailable, "session store unavailable")
	}
	return nil
}

// DeleteAll implements Sessions.
func (r *RedisSessions) DeleteAll(ctx context.Context, name string) (int, error) {
	idx := r.indexKey(name)
	hashes, err := r.rdb.SMembers(ctx, idx).Result()
	if err != nil {
		return 0, apperr.Wrap(err, apperr.Unavailable, "session store unavailable")
	}
	keys := []string{idx}
	for _, h := range hashes {
		keys = append(keys, r.keyOfHash(h))
	}
	n, err := r.rdb.Del(ctx, keys...).Result()
	if err != nil {
		return 0, apperr.Wrap(err, apperr.Unavailable, "session store unavailable")
	}
	if n > 0 {
		n-- // the index itself
	}
	return int(n), nil
}
