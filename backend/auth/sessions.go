package auth

import (
	"context"
	"time"

	"github.com/gridcc/gridcc/backend/apperr"
)

// Sessions keeps browser sessions: a person logs in with a password (POST
// /api/v1/login), or a screen trades its token link for a session; the
// browser then carries the session id in a cookie.
//
// Contract, for every implementation:
//   - Create stores a session for p under policy pol and returns it with
//     its id (32 random bytes in unpadded base64url) and its CSRF token
//     (likewise, independent of the id). p must come from Store.Authenticate
//     or Store.Login (apperr.Invalid otherwise); pol must pass Check.
//   - Get returns a live session with its principal as the Store sees it
//     now (current role and limits) and leaves ID empty. Unknown, expired and
//     malformed ids, and sessions whose credential has since been revoked
//     (token revoked; user disabled, or its password or role changed), get
//     apperr.Unauthorized. Each Get slides the idle expiry forward, never
//     past the absolute end; the idle expiry is kept to within
//     min(Idle/10, 1 min), so not every Get writes.
//   - Delete ends a session at once; an unknown id is not an error.
//   - DeleteAll ends every session opened for the principal name and says
//     how many it found. Get refuses a revoked credential's sessions anyway;
//     DeleteAll removes them at once, so nothing lingers in the store.
//   - A failing backing store gives apperr.Unavailable.
//
// Every replica sees every session, so a browser may reach any of them.
type Sessions interface {
	Create(ctx context.Context, p Principal, pol SessionPolicy) (Session, error)
	Get(ctx context.Context, id string) (Session, error)
	Delete(ctx context.Context, id string) error
	DeleteAll(ctx context.Context, name string) (int, error)
}

// Session is one browser session.
type Session struct {
	ID        string    // the cookie value; set by Create only
	Principal Principal // who it is
	CSRF      string    // the X-CSRF-Token a cookie-authenticated write must carry
	ExpiresAt time.Time // the absolute end, whatever the activity
}

// SessionPolicy bounds a session's life.
type SessionPolicy struct {
	Idle     time.Duration // the session ends after this long without a request (sliding)
	Absolute time.Duration // and this long after it was opened, however active
}

// The lifetimes of sessions.
const (
	// WallSessionTTL is a wall screen's: screens run unattended for weeks,
	// so idle and absolute lifetime are both 30 days.
	WallSessionTTL = 30 * 24 * time.Hour
	// DefaultSessionTTL is the lifetime of any other token's session: a shift.
	DefaultSessionTTL = 12 * time.Hour
	// DefaultIdle and DefaultAbsolute are a user's, unless configured
	// (GRIDCC_SESSION_IDLE, GRIDCC_SESSION_ABSOLUTE).
	DefaultIdle     = 30 * time.Minute
	DefaultAbsolute = 12 * time.Hour
)

// DefaultUserPolicy is a user's session policy unless configured.
var DefaultUserPolicy = SessionPolicy{Idle: DefaultIdle, Absolute: DefaultAbsolute}

// TokenSessionPolicy is the policy of a session opened with a token link:
// WallSessionTTL for wall screens (idle and absolute alike, so a screen left
// on overnight keeps its session), DefaultSessionTTL for anything else.
func TokenSessionPolicy(r Role) SessionPolicy {
	if r.Kind() == KindWall {
		return SessionPolicy{Idle: WallSessionTTL, Absolute: WallSessionTTL}
	}
	return SessionPolicy{Idle: DefaultSessionTTL, Absolute: DefaultSessionTTL}
}

// Check validates a policy: both lifetimes at least 1 s, idle no longer
// than absolute.
func (pol SessionPolicy) Check() error {
	if pol.Idle < time.Second || pol.Absolute < time.Second || pol.Idle > pol.Absolute {
		return apperr.New(apperr.Invalid, "session policy idle %s / absolute %s: both must be ≥ 1s and idle ≤ absolute", pol.Idle, pol.Absolute)
	}
	return nil
}

var (
	errNoSession      = apperr.New(apperr.Unauthorized, "session expired or unknown; log in again (screens: open the token link again)")
	errRevokedSession = apperr.New(apperr.Unauthorized, "the credential this session was opened with is no longer valid; log in again")
)

// checkCreate validates Create's arguments for every implementation.
func checkCreate(p Principal, pol SessionPolicy) error {
	if p.cred == "" {
		return apperr.New(apperr.Invalid, "a session needs a principal from Store.Authenticate or Store.Login")
	}
	return pol.Check()
}

// renewSlack is how far the idle expiry may lag behind "now + Idle" before
// Get writes it: at most a tenth of Idle, at most a minute.
func renewSlack(idle time.Duration) time.Duration { return min(idle/10, time.Minute) }
