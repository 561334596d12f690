package auth

import (
	"context"
	"errors"
	"io/fs"
	"log/slog"
	"os"
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
)

// Store is the view of the auth file a replica authenticates against. It is
// safe for concurrent use; Run keeps it current.
type Store struct {
	path string
	poll time.Duration

	// view is swapped whole on reload: every request reads it and a reload
	// happens once in a blue moon, so readers take no lock.
	view atomic.Pointer[view]

	mu    sync.Mutex // serializes reloads; guards stamp and found
	stamp fileStamp
	found bool
}

// view is one version of the file's non-revoked tokens.
type view struct {
	byHash map[string]Principal // SHA-256 hex of the token → principal
	byCred map[string]Principal // credentialOf(hash) → principal, for sessions
	active int
	total  int
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

// reload reads the file if it changed since the last look. The stamp comes
// from the open file, so it always describes the bytes that were read.
func (s *Store) reload() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, err := os.Open(s.path)
	if errors.Is(err, fs.ErrNotExist) {
		if s.found {
			slog.Warn("auth file removed: every token is refused", "path", s.path)
			s.view.Store(newView(emptyFile()))
		}
		s.found, s.stamp = false, fileStamp{}
		return nil
	}
	if err != nil {
		return corrupt(s.path, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return corrupt(s.path, err)
	}
	stamp := stampOf(fi)
	if s.found && stamp == s.stamp {
		return nil
	}
	// Remember the stamp even when the file is invalid, so one bad version
	// is reported once, not every poll.
	s.found, s.stamp = true, stamp
	d, err := decodeFile(f)
	if err != nil {
		return corrupt(s.path, err)
	}
	v := newView(d)
	s.view.Store(v)
	slog.Info("auth file loaded", "path", s.path, "active_tokens", v.active, "revoked_tokens", v.total-v.active)
	return nil
}

func newView(d fileData) *view {
	v := &view{byHash: map[string]Principal{}, byCred: map[string]Principal{}, total: len(d.Tokens)}
	for _, t := range d.Tokens {
		if !t.Active() {
			continue
		}
		p := Principal{Name: t.Name, Role: t.Role, RatePerS: t.RatePerS, Burst: t.Burst, cred: credentialOf(t.Hash)}
		v.byHash[t.Hash] = p
		v.byCred[p.cred] = p
		v.active++
	}
	return v
}
