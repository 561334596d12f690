package auth

import (
	"context"
	"errors"
	"io/fs"
	"log/slog"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gridcc/gridcc/backend/apperr"
)

// PollInterval is how often Run looks at the auth file: a token added or
// revoked with `gridcc tokens` takes effect on every replica within it.
const PollInterval = 2 * time.Second

var (
	errMalformedToken = apperr.New(apperr.Unauthorized, "malformed token: want gcc_ followed by 43 base64url characters")
	errUnknownToken   = apperr.New(apperr.Unauthorized, "unknown or revoked token")
	// errBadLogin is the one answer to every failed login, so it does not
	// tell whether the name exists, is disabled or the password is wrong.
	errBadLogin = apperr.New(apperr.Unauthorized, "wrong name or password")
)

// Store is the view of the auth file a replica authenticates against. It is
// safe for concurrent use; Run keeps it current.
type Store struct {
	path string
	poll time.Duration

	// view is swapped whole on reload: every request reads it and a reload
	// happens once in a blue moon, so readers take no lock.
	view atomic.Pointer[view]

	mu      sync.Mutex // serializes reloads; guards stamp, found and revoked
	stamp   fileStamp
	found   bool
	revoked []func(name string)
}

// view is one version of the file's non-revoked tokens and active users.
type view struct {
	byHash map[string]Principal // SHA-256 hex of the token → principal
	byCred map[string]Principal // credential → principal, for sessions (tokens and users)
	users  map[string]userEntry // login name → active user
	known  map[string]bool      // every user name, disabled ones included
	active int
	total  int
}

// userEntry is an active user as Login needs it.
type userEntry struct {
	p    Principal
	hash phc
}

// OpenStore loads the auth file at path. A missing file gives an empty
// store (every token is refused) and a warning; an invalid file is an
// apperr.Internal error naming it, so a replica does not start on it.
func OpenStore(path string) (*Store, error) {
	s := &Store{path: path, poll: PollInterval}
	s.view.Store(newView(emptyFile()))
	if err := s.reload(); err != nil {
		return nil, err
	}
	if !s.found {
		slog.Warn("auth file not found: every request needing a token is refused until `gridcc tokens add` creates it", "path", path)
	}
	return s, nil
}

// Authenticate returns the principal of a non-revoked token. Unknown,
// revoked and malformed tokens get apperr.Unauthorized; no message echoes
// the token. The token is hashed and the hash looked up: lookup timing can
// reveal only how a hash of the guess compares with stored hashes, which
// says nothing about any token.
func (s *Store) Authenticate(token string) (Principal, error) {
	if !wellFormedToken(token) {
		return Principal{}, errMalformedToken
	}
	p, ok := s.view.Load().byHash[hashSecret(token)]
	if !ok {
		return Principal{}, errUnknownToken
	}
	return p, nil
}

// Login returns the principal of the active user name when password is
// theirs. Every failure is the same apperr.Unauthorized "wrong name or
// password", and costs one argon2id hash whether or not the name exists, so
// neither the answer nor its timing tells which names exist. It does not
// count failures: the caller applies the lockout (Lockout) before and after.
// apperr.Unavailable when the replica is hashing too many passwords at once.
func (s *Store) Login(name, password string) (Principal, error) {
	u, ok := s.view.Load().users[name]
	if !ok {
		u.hash = dummyHash()
	}
	if len(password) > MaxPasswordBytes {
		password = password[:MaxPasswordBytes] // hashed for the timing; it cannot match (passwords are checked on creation)
		ok = false
	}
	match, err := verifyPassword(u.hash, password)
	if err != nil {
		return Principal{}, err
	}
	if !ok || !match {
		return Principal{}, errBadLogin
	}
	return u.p, nil
}

// KnownUser reports whether a user called name exists, enabled or
// disabled. Audit records of failed logins name only known users: people
// type passwords into the name field.
func (s *Store) KnownUser(name string) bool { return s.view.Load().known[name] }

// OnRevoke registers fn to be called, after a reload, with the name of every
// principal whose credential stopped being valid: a revoked token, a
// disabled user, a user whose password or role changed. httpapi uses it to
// end the principal's sessions and close its sockets (on every replica: each
// polls the file). fn runs on the reload goroutine and should return soon.
func (s *Store) OnRevoke(fn func(name string)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.revoked = append(s.revoked, fn)
}

// lookupCredential returns the current principal of a credential that is
// still valid, so a session follows revocations and changed limits.
func (s *Store) lookupCredential(cred string) (Principal, bool) {
	p, ok := s.view.Load().byCred[cred]
	return p, ok
}

// Run polls the auth file every PollInterval and reloads it when its
// identity, size or modification time changed, until ctx ends (then it
// returns nil). An invalid file is logged and the previous tokens stay in
// force: a half-finished hand edit must not lock every screen out. A
// deleted file empties the store, as at start.
func (s *Store) Run(ctx context.Context) error {
	t := time.NewTicker(s.poll)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			s.reloadLogged()
		}
	}
}

// Reload reads the auth file now if it changed, as Run does every
// PollInterval (for a SIGHUP handler, and tests), and runs the OnRevoke
// hooks. An invalid file is an error and the previous version stays.
func (s *Store) Reload() error { return s.reload() }

func (s *Store) reloadLogged() {
	defer func() {
		if r := recover(); r != nil {
			slog.Error("auth file reload panicked; keeping the previous tokens", "path", s.path, "panic", r)
		}
	}()
	if err := s.reload(); err != nil {
		slog.Error("auth file not reloaded; keeping the previous tokens", "err", err)
	}
}

// reload reads the file if it changed since the last look, then tells the
// OnRevoke hooks (outside the lock) about every credential that vanished.
func (s *Store) reload() error {
	hooks, old, cur, err := s.load()
	for _, name := range revokedNames(old, cur) {
		slog.Info("auth: access ended", "principal", name)
		for _, fn := range hooks {
			fn(name)
		}
	}
	return err
}

// revokedNames lists, once each and sorted, the names whose credentials are
// in old but not in cur.
func revokedNames(old, cur *view) []string {
	set := map[string]bool{}
	for cred, p := range old.byCred {
		if _, ok := cur.byCred[cred]; !ok {
			set[p.Name] = true
		}
	}
	names := make([]string, 0, len(set))
	for n := range set {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// load reads the file under the lock and returns the hooks to run with the
// view before and after. The stamp comes from the open file, so it always
// describes the bytes read.
func (s *Store) load() (hooks []func(string), old, cur *view, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	hooks, old = slices.Clone(s.revoked), s.view.Load()
	defer func() { cur = s.view.Load() }()
	f, err := os.Open(s.path)
	if errors.Is(err, fs.ErrNotExist) {
		if s.found {
			slog.Warn("auth file removed: every token and user is refused", "path", s.path)
			s.view.Store(newView(emptyFile()))
		}
		s.found, s.stamp = false, fileStamp{}
		return hooks, old, nil, nil
	}
	if err != nil {
		return hooks, old, nil, corrupt(s.path, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return hooks, old, nil, corrupt(s.path, err)
	}
	stamp := stampOf(fi)
	if s.found && stamp == s.stamp {
		return hooks, old, nil, nil
	}
	// Remember the stamp even when the file is invalid, so one bad version
	// is reported once, not every poll.
	s.found, s.stamp = true, stamp
	d, err := decodeFile(f)
	if err != nil {
		return hooks, old, nil, corrupt(s.path, err)
	}
	v := newView(d)
	s.view.Store(v)
	slog.Info("auth file loaded", "path", s.path, "active_tokens", v.active, "revoked_tokens", v.total-v.active,
		"active_users", len(v.users), "disabled_users", len(d.Users)-len(v.users))
	return hooks, old, nil, nil
}

func newView(d fileData) *view {
	v := &view{byHash: map[string]Principal{}, byCred: map[string]Principal{}, users: map[string]userEntry{},
		known: map[string]bool{}, total: len(d.Tokens)}
	for _, t := range d.Tokens {
		if !t.Active() {
			continue
		}
		p := Principal{Name: t.Name, Display: t.Name, Role: t.Role, RatePerS: t.RatePerS, Burst: t.Burst, cred: credentialOf(t.Hash)}
		v.byHash[t.Hash] = p
		v.byCred[p.cred] = p
		v.active++
	}
	for _, u := range d.Users {
		v.known[u.Name] = true
		if !u.Active() {
			continue
		}
		h, err := parsePHC(u.PasswordHash)
		if err != nil {
			continue // unreachable: decodeFile validated every hash
		}
		p := Principal{Name: u.Name, Display: u.Display, Role: u.Role, cred: userCredential(u)}
		v.users[u.Name] = userEntry{p: p, hash: h}
		v.byCred[p.cred] = p
	}
	return v
}
