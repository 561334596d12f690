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
// ending one is a DEL. Keys are <prefix>{auth}:sess:<sha256 hex of the id>:
// a dump of Redis holds no usable cookie, and the {auth} hash tag keeps all
// auth keys in one cluster slot for multi-key scripts.
type RedisSessions struct {
	rdb    redis.Cmdable
	prefix string
	store  *Store
}

var _ Sessions = (*RedisSessions)(nil)

// NewRedisSessions returns sessions stored in rdb under prefix
// (GRIDCC_REDIS_PREFIX). store is consulted on every Get, so a revoked token
// ends its sessions within one poll of the auth file.
func NewRedisSessions(rdb redis.Cmdable, prefix string, store *Store) *RedisSessions {
	return &RedisSessions{rdb: rdb, prefix: prefix, store: store}
}

// sessionRecord is the value stored under a session key. It names the
// credential, never the token.
type sessionRecord struct {
	Name      string    `json:"name"` // for people reading Redis
	Cred      string    `json:"cred"` // see credentialOf
	TTLms     int64     `json:"ttl_ms"`
	CreatedAt time.Time `json:"created_at"`
}

func (r *RedisSessions) key(id string) string { return r.prefix + "{auth}:sess:" + hashSecret(id) }

// Create implements Sessions.
func (r *RedisSessions) Create(ctx context.Context, p Principal, ttl time.Duration) (string, error) {
	if err := checkCreate(p, ttl); err != nil {
		return "", err
	}
	id, err := newSecret()
	if err != nil {
		return "", err
	}
	rec, err := json.Marshal(sessionRecord{Name: p.Name, Cred: p.cred, TTLms: ttl.Milliseconds(), CreatedAt: time.Now().UTC()})
	if err != nil {
		return "", apperr.Wrap(err, apperr.Internal, "encode session")
	}
	if err := r.rdb.Set(ctx, r.key(id), rec, ttl).Err(); err != nil {
		return "", apperr.Wrap(err, apperr.Unavailable, "session store unavailable")
	}
	return id, nil
}

// Get implements Sessions.
func (r *RedisSessions) Get(ctx context.Context, id string) (Principal, error) {
	if !wellFormedSecret(id) {
		return Principal{}, errNoSession
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
		return Principal{}, errNoSession
	}
	if err != nil {
		return Principal{}, apperr.Wrap(err, apperr.Unavailable, "session store unavailable")
	}
	var rec sessionRecord
	if err := json.Unmarshal([]byte(get.Val()), &rec); err != nil {
		return Principal{}, apperr.Wrap(err, apperr.Internal, "decode session record")
	}
	p, ok := r.store.lookupCredential(rec.Cred)
	if !ok {
		// Best effort: the record is useless now; if the DEL fails it
		// expires on its own and is refused meanwhile.
		_ = r.rdb.Del(ctx, key).Err()
		return Principal{}, errRevokedSession
	}
	if ttl := time.Duration(rec.TTLms) * time.Millisecond; pttl.Val() > 0 && pttl.Val() < ttl/2 {
		// A failed renewal costs nothing now (the session is valid); the
		// next Get retries it.
		if err := r.rdb.Expire(ctx, key, ttl).Err(); err != nil {
			slog.Warn("session renewal failed", "principal", p.Name, "err", err)
		}
	}
	return p, nil
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
