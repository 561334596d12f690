package auth

// Principal is an authenticated caller: today a token, later also a user.
type Principal struct {
	Name     string  // the token's name: the rate-limit key and the name in audit records
	Role     Role    // what it may do
	RatePerS float64 // its own request rate; 0: the replica default
	Burst    int     // its own bucket size; 0: the replica default

	// cred names the credential that authenticated it (see credentialOf).
	// Sessions store it and recheck it on every use.
	cred string
}

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
