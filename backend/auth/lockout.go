package auth

import (
	"context"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/gridcc/gridcc/backend/apperr"
)

// LockoutPolicy says when repeated login failures lock a name or a client
// IP out. A lock refuses every login of that name (from anywhere) or from
// that IP (for any name) until it ends, without checking the password, so
// guessing stops; a success clears the name's count, not the IP's.
type LockoutPolicy struct {
	UserFailures int           // failures of one name within Window that lock it (GRIDCC_LOGIN_USER_FAILURES, 5)
	IPFailures   int           // failures from one IP within Window that lock it (GRIDCC_LOGIN_IP_FAILURES, 30)
	Window       time.Duration // failures older than this are forgotten (GRIDCC_LOGIN_WINDOW, 15m)
	Lock         time.Duration // how long a lock lasts (GRIDCC_LOGIN_LOCK, 15m)
}

// DefaultLockout is the policy unless configured. The IP threshold is
// higher than the name's because a whole command center may share one
// address when the reverse proxy is not trusted (GRIDCC_TRUSTED_PROXIES).
var DefaultLockout = LockoutPolicy{UserFailures: 5, IPFailures: 30, Window: 15 * time.Minute, Lock: 15 * time.Minute}

// Check validates a policy.
func (pol LockoutPolicy) Check() error {
	if pol.UserFailures < 1 || pol.IPFailures < 1 || pol.Window < time.Second || pol.Lock < time.Second {
		return apperr.New(apperr.Invalid, "lockout policy %+v: thresholds must be ≥ 1 and durations ≥ 1s", pol)
	}
	return nil
}

// Lockout counts login failures in Redis, so the count and the lock hold
// across replicas. Keys (with the {auth} tag, like the sessions):
//
//	<prefix>{auth}:fail:user:<name>  failures of a name; expires after Window, or Lock once locked
//	<prefix>{auth}:fail:ip:<ip>      failures from a client IP; likewise
type Lockout struct {
	rdb    redis.Cmdable
	prefix string
	pol    LockoutPolicy
}

// NewLockout returns the lockout kept in rdb under prefix. The policy must
// pass Check.
func NewLockout(rdb redis.Cmdable, prefix string, pol LockoutPolicy) (*Lockout, error) {
	if err := pol.Check(); err != nil {
		return nil, err
	}
	return &Lockout{rdb: rdb, prefix: prefix, pol: pol}, nil
}

// checkLua returns the longest remaining lock (ms) among KEYS whose count
// reached its limit (ARGV, in the same order), or 0.
var checkLua = redis.NewScript(`
local wait = 0
for i, k in ipairs(KEYS) do
  local n = tonumber(redis.call('GET', k) or '0')
  if n >= tonumber(ARGV[i]) then
    local t = redis.call('PTTL', k)
    if t > wait then wait = t end
  end
end
return wait`)

// failLua counts one failure on KEYS[1] (limit ARGV[1], window ms ARGV[2],
// lock ms ARGV[3]) and returns the remaining lock (ms), or 0 while under
// the limit. Reaching the limit turns the window's expiry into the lock's.
var failLua = redis.NewScript(`
local n = redis.call('INCR', KEYS[1])
local limit = tonumber(ARGV[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
if n == limit then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
if n >= limit then return redis.call('PTTL', KEYS[1]) end
return 0`)

func (l *Lockout) userKey(name string) string { return l.prefix + "{auth}:fail:user:" + name }
func (l *Lockout) ipKey(ip string) string     { return l.prefix + "{auth}:fail:ip:" + ip }

// keys lists the counters a login of name from ip touches. A name that
// cannot exist (checkName fails) has no counter of its own: only the IP's
// counts, and junk cannot create keys of arbitrary shape.
func (l *Lockout) keys(name, ip string) (keys []string, limits []any) {
	keys, limits = []string{l.ipKey(ip)}, []any{l.pol.IPFailures}
	if checkName(name) == nil {
		keys, limits = append(keys, l.userKey(name)), append(limits, l.pol.UserFailures)
	}
	return keys, limits
}

// Locked reports how long a login of name from ip must still wait: 0 when
// neither is locked. apperr.Unavailable when Redis fails: a replica that
// cannot count failures refuses logins rather than allow unlimited guesses.
func (l *Lockout) Locked(ctx context.Context, name, ip string) (time.Duration, error) {
	keys, limits := l.keys(name, ip)
	ms, err := checkLua.Run(ctx, l.rdb, keys, limits...).Int64()
	if err != nil {
		return 0, apperr.Wrap(err, apperr.Unavailable, "login lockout store unavailable")
	}
	return time.Duration(ms) * time.Millisecond, nil
}

// Fail counts a failed login of name from ip and reports how long the
// resulting lock lasts (0 while under both limits).
func (l *Lockout) Fail(ctx context.Context, name, ip string) (time.Duration, error) {
	keys, limits := l.keys(name, ip)
	var wait int64
	for i, k := range keys {
		ms, err := failLua.Run(ctx, l.rdb, []string{k}, limits[i], l.pol.Window.Milliseconds(), l.pol.Lock.Milliseconds()).Int64()
		if err != nil {
			return 0, apperr.Wrap(err, apperr.Unavailable, "login lockout store unavailable")
		}
		wait = max(wait, ms)
	}
	return time.Duration(wait) * time.Millisecond, nil
}

// Succeed clears name's failures after a successful login. The IP's stay:
// one known password must not reset the count of guesses at other names.
func (l *Lockout) Succeed(ctx context.Context, name string) error {
	if err := l.rdb.Del(ctx, l.userKey(name)).Err(); err != nil {
		return apperr.Wrap(err, apperr.Unavailable, "login lockout store unavailable")
	}
	return nil
}
