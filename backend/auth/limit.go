package auth

import (
	"math"
	"sync"
	"time"
)

// Limiter holds one token bucket per principal name: a bucket holds up to
// burst requests and refills at ratePerS. Limits are per replica: behind a
// load balancer spreading a principal over n replicas it may send up to n
// times its rate in total.
//
// Memory is bounded: a bucket that has refilled completely behaves exactly
// like a missing one, so it is dropped in a sweep once a minute; and when
// maxBuckets are in use the least recently used bucket is dropped to make
// room (that principal briefly gets a full bucket again). Principals come
// from the auth file, so reaching the bound means a misconfiguration, not an
// attack.
//
// Safe for concurrent use. One mutex suffices: Allow is a few arithmetic
// operations, far below the cost of the request it guards.
type Limiter struct {
	mu         sync.Mutex
	buckets    map[string]*bucket
	maxBuckets int
	lastSweep  time.Time
}

// sweepEvery is how often Allow drops full buckets.
const sweepEvery = time.Minute

type bucket struct {
	tokens   float64
	last     time.Time
	ratePerS float64
	burst    int
}

// NewLimiter returns a limiter keeping at most maxBuckets buckets (at least 1).
func NewLimiter(maxBuckets int) *Limiter {
	return &Limiter{buckets: map[string]*bucket{}, maxBuckets: max(maxBuckets, 1)}
}

// Allow takes one request from name's bucket at time now. When the bucket is
// empty it returns false and how long until a request would be allowed.
// A changed rate or burst applies from the next call. A non-positive rate or
// burst refuses every request: a misconfiguration fails closed.
func (l *Limiter) Allow(name string, ratePerS float64, burst int, now time.Time) (ok bool, retryAfter time.Duration) {
	if ratePerS <= 0 || burst < 1 || math.IsNaN(ratePerS) {
		return false, time.Minute
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.lastSweep) >= sweepEvery {
		l.sweep(now)
	}
	b := l.buckets[name]
	if b == nil {
		l.makeRoom(now)
		b = &bucket{tokens: float64(burst), last: now}
		l.buckets[name] = b
	}
	b.ratePerS, b.burst = ratePerS, burst
	b.refill(now)
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	wait := time.Duration((1 - b.tokens) / ratePerS * float64(time.Second))
	return false, max(wait, time.Nanosecond)
}

// refill adds what accrued since last, up to burst. A clock that went
// backwards adds nothing.
func (b *bucket) refill(now time.Time) {
	if elapsed := now.Sub(b.last); elapsed > 0 {
		b.tokens = math.Min(float64(b.burst), b.tokens+elapsed.Seconds()*b.ratePerS)
		b.last = now
	}
	b.tokens = math.Min(b.tokens, float64(b.burst))
}

// full reports whether the bucket would be full at now.
func (b *bucket) full(now time.Time) bool {
	return b.tokens+now.Sub(b.last).Seconds()*b.ratePerS >= float64(b.burst)
}

// makeRoom frees a slot for a new bucket: first the full ones, then, if
// none is full, the least recently used.
func (l *Limiter) makeRoom(now time.Time) {
	if len(l.buckets) < l.maxBuckets {
		return
	}
	l.sweep(now)
	if len(l.buckets) < l.maxBuckets {
		return
	}
	var oldest string
	var oldestAt time.Time
	for name, b := range l.buckets {
		if oldestAt.IsZero() || b.last.Before(oldestAt) {
			oldest, oldestAt = name, b.last
		}
	}
	delete(l.buckets, oldest)
}

// sweep drops every bucket that has refilled completely.
func (l *Limiter) sweep(now time.Time) {
	for name, b := range l.buckets {
		if b.full(now) {
			delete(l.buckets, name)
		}
	}
	l.lastSweep = now
}

// Len returns how many buckets are held (for metrics and tests).
func (l *Limiter) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.buckets)
}
