package auth

import (
	"context"
	"time"

	"github.com/gridcc/gridcc/backend/apperr"
)

// Sessions keeps the browser sessions of screens: a screen opens its page
// once with ?token=, the server trades the token for a session, and the
// browser carries the session id in a cookie from then on.
//
// Contract, for every implementation:
//   - Create stores a session for p that expires after ttl (≥ 1 s) and
//     returns its id: 32 random bytes in unpadded base64url. p must come
//     from Store.Authenticate (apperr.Invalid otherwise).
//   - Get returns the principal of a live session as the Store sees it now
//     (current role and limits). Unknown, expired and malformed ids, and
//     sessions whose token has since been revoked, get apperr.Unauthorized.
//     Expiry slides: a Get with less than half the ttl left renews it.
//   - Delete ends a session at once; an unknown id is not an error.
//   - A failing backing store gives apperr.Unavailable.
//
// Every replica sees every session, so a screen may reconnect to any of them.
type Sessions interface {
	Create(ctx context.Context, p Principal, ttl time.Duration) (id string, err error)
	Get(ctx context.Context, id string) (Principal, error)
	Delete(ctx context.Context, id string) error
}

// Session lifetimes by role; see SessionTTL.
const (
	WallSessionTTL    = 30 * 24 * time.Hour
	DefaultSessionTTL = 12 * time.Hour
)

// SessionTTL is how long a session opened for role r lasts: the cookie's
// Max-Age and the initial expiry in the store. Wall screens run unattended
// for weeks, so theirs is 30 days; anything else gets 12 hours (a shift).
func SessionTTL(r Role) time.Duration {
	if r.Kind() == KindWall {
		return WallSessionTTL
	}
	return DefaultSessionTTL
}

var (
	errNoSession      = apperr.New(apperr.Unauthorized, "session expired or unknown; open the screen's token link again")
	errRevokedSession = apperr.New(apperr.Unauthorized, "the token this session was opened with has been revoked")
)

// checkCreate validates Create's arguments for every implementation.
func checkCreate(p Principal, ttl time.Duration) error {
	if p.cred == "" {
		return apperr.New(apperr.Invalid, "a session needs a principal from Store.Authenticate")
	}
	if ttl < time.Second {
		return apperr.New(apperr.Invalid, "session ttl %s is under 1s", ttl)
	}
	return nil
}
