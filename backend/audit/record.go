// Package audit keeps gridcc's audit log (等保 8.1.4.3): who logged in or
// failed to, who was refused, who acted on which case, revealed personal
// data or exported, from which client IP, and with what outcome.
//
// Records go through a bounded in-memory buffer to ClickHouse in batches
// (Writer), so recording never blocks a request. While ClickHouse is down
// they are parked in a Redis list and drained when it is back; a record is
// lost only when both the buffer and the Redis list are full, and every
// such loss is counted (gridcc_audit_dropped_total) and logged. The log is
// append-only: this package has no update or delete.
package audit

import (
	"context"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
)

// Outcome is how the audited attempt ended.
type Outcome string

// The outcomes.
const (
	Success Outcome = "success" // it was done
	Failure Outcome = "failure" // it was tried and failed (wrong password, handler error)
	Denied  Outcome = "denied"  // refused: no or bad credentials (401), or not allowed (403)
	Locked  Outcome = "locked"  // refused by the login lockout without checking the password
)

// Record is one audit entry. Detail and Object are short free text; they
// never hold passwords, tokens, session ids or the personal data revealed.
type Record struct {
	ID      string    `json:"id"`      // UUIDv7, set by Normalize: de-duplicates retried inserts
	At      time.Time `json:"at"`      // when it happened (stored to the second, UTC)
	User    string    `json:"user"`    // the principal's name, or the name tried at a failed login; "" when unknown
	Role    string    `json:"role"`    // the principal's role; "" when unauthenticated
	Action  string    `json:"action"`  // "login", "logout", "deny", "reveal", "export", or "<METHOD> <route>"
	Object  string    `json:"object"`  // what it was done to: an event id, a route, a user name
	Outcome Outcome   `json:"outcome"` // success, failure, denied, locked
	IP      string    `json:"ip"`      // the client IP as the trusted proxies report it (Gin ClientIP)
	Detail  string    `json:"detail"`  // e.g. "status=403 role reviewer lacks events.act"
}

// Bounds of the free-text fields, in characters: a record must stay small
// whatever a client sends.
const (
	maxUser   = 64
	maxShort  = 128 // role, action, ip
	maxObject = 256
	maxDetail = 1000
)

// Normalize fills ID and At when empty and cuts every field to its bound.
func (r Record) Normalize() Record {
	if r.ID == "" {
		id, err := uuid.NewV7()
		if err != nil {
			id = uuid.New()
		}
		r.ID = id.String()
	}
	if r.At.IsZero() {
		r.At = time.Now()
	}
	r.At = r.At.UTC()
	r.User = cut(r.User, maxUser)
	r.Role, r.Action, r.IP = cut(r.Role, maxShort), cut(r.Action, maxShort), cut(r.IP, maxShort)
	r.Outcome = Outcome(cut(string(r.Outcome), maxShort))
	r.Object, r.Detail = cut(r.Object, maxObject), cut(r.Detail, maxDetail)
	return r
}

// cut keeps the first n characters of s, as valid UTF-8.
func cut(s string, n int) string {
	if !utf8.ValidString(s) {
		s = string([]rune(s)) // replaces invalid bytes with U+FFFD
	}
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// Recorder takes audit records.
//
// Contract: Record returns at once, never blocks on I/O and never fails; it
// may be called from any goroutine. The record is stored at least once
// (readers de-duplicate by ID) unless the recorder's bounds are exceeded,
// which it counts and logs: never silently.
type Recorder interface {
	Record(r Record)
}

// Query selects audit records: At in [From, To), and User and Action equal
// to the given ones when not empty. Newest first, at most Limit.
type Query struct {
	From, To time.Time
	User     string
	Action   string
	Limit    int
}

// Query bounds.
const (
	DefaultLimit = 1000
	MaxLimit     = 10000
)

// Reader reads the audit log. Errors are apperr.Unavailable while the store
// is down.
type Reader interface {
	Query(ctx context.Context, q Query) ([]Record, error)
}
