package auth

import "strings"

// Principal is an authenticated caller: a token (a screen or a system) or a
// user (a person who logged in).
type Principal struct {
	Name     string  // the token's or user's name: the rate-limit key, the socket owner, the name in audit records
	Display  string  // what screens show: a user's 中文名, a token's name
	Role     Role    // what it may do
	RatePerS float64 // its own request rate; 0: the replica default
	Burst    int     // its own bucket size; 0: the replica default

	// cred names the credential that authenticated it (see credentialOf
	// and userCredential). Sessions store it and recheck it on every use.
	cred string
}

// IsUser reports whether p logged in with a password (rather than holding
// a token).
func (p Principal) IsUser() bool { return strings.HasPrefix(p.cred, userCredPrefix) }

// Limits returns p's rate and burst, each falling back to the replica's
// default when the auth file leaves it at 0.
func (p Principal) Limits(defaultRate float64, defaultBurst int) (ratePerS float64, burst int) {
	ratePerS, burst = p.RatePerS, p.Burst
	if ratePerS == 0 {
		ratePerS = defaultRate
	}
	if burst == 0 {
		burst = defaultBurst
	}
	return ratePerS, burst
}
