package auth

import (
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/gridcc/gridcc/backend/apperr"
)

// File is the writer side of the auth file, used by `gridcc tokens`. Every
// change takes the lock, reads and validates the file, changes it and
// replaces it atomically, so concurrent writers (several commands, or one
// beside a serving replica) never lose each other's records. Replicas read
// it through a Store.
type File struct {
	path string
}

// NewFile returns the auth file at path (GRIDCC_AUTH_FILE). The file and its
// folder are created by the first change.
func NewFile(path string) *File { return &File{path: path} }

// Path returns the file's path (GRIDCC_AUTH_FILE), for OpenStore.
func (f *File) Path() string { return f.path }

// AddToken creates a token for name with role and its own limits (0: the
// replica defaults), stores its hash and returns the token, which exists
// nowhere else: the caller must show it once and forget it. Errors:
// apperr.Invalid (field name, role, rate_per_s or burst), apperr.Conflict
// when a non-revoked token or any user already has the name.
func (f *File) AddToken(name string, role Role, ratePerS float64, burst int) (string, error) {
	if err := checkName(name); err != nil {
		return "", err
	}
	if _, err := ParseRole(string(role)); err != nil {
		return "", err
	}
	if !tokenKinds[role.Kind()] {
		return "", apperr.Field(apperr.Invalid, "role", "role %q is reserved for people: add a user with `gridcc users add`; tokens hold wall or ingest:<source>", role)
	}
	if err := checkLimits(ratePerS, burst); err != nil {
		return "", err
	}
	token, err := newToken()
	if err != nil {
		return "", err
	}
	err = f.update(func(d *fileData) error {
		for _, t := range d.Tokens {
			if t.Active() && t.Name == name {
				return apperr.Field(apperr.Conflict, "name", "a token named %q exists; revoke it first or choose another name", name)
			}
		}
		for _, u := range d.Users {
			if u.Name == name {
				return apperr.Field(apperr.Conflict, "name", "a user is named %q; choose another name", name)
			}
		}
		d.Tokens = append(d.Tokens, TokenRecord{
			Name: name, Role: role, Hash: hashSecret(token),
			RatePerS: ratePerS, Burst: burst, CreatedAt: now(),
		})
		return nil
	})
	if err != nil {
		return "", err
	}
	return token, nil
}

// RevokeToken marks the non-revoked token called name as revoked. The
// record stays, with revoked_at, for audit. Replicas refuse the token, and
// the sessions opened with it, within one poll of the file. Errors:
// apperr.NotFound when no non-revoked token has the name.
func (f *File) RevokeToken(name string) error {
	return f.update(func(d *fileData) error {
		for i, t := range d.Tokens {
			if t.Active() && t.Name == name {
				at := now()
				d.Tokens[i].RevokedAt = &at
				return nil
			}
		}
		return apperr.Field(apperr.NotFound, "name", "no active token named %q", name)
	})
}

// Tokens returns every token record, revoked ones included, in the order
// they were added. It takes no lock: writes replace the file atomically.
func (f *File) Tokens() ([]TokenRecord, error) {
	d, err := readFile(f.path)
	if err != nil {
		return nil, err
	}
	return slices.Clone(d.Tokens), nil
}

// update applies change to the file under the lock.
func (f *File) update(change func(*fileData) error) error {
	if err := os.MkdirAll(filepath.Dir(f.path), 0o700); err != nil {
		return apperr.Wrap(err, apperr.Internal, "create the folder of %s", f.path)
	}
	unlock, err := lockFile(f.path)
	if err != nil {
		return err
	}
	defer unlock()
	d, err := readFile(f.path)
	if err != nil {
		return err
	}
	if err := change(&d); err != nil {
		return err
	}
	return writeFile(f.path, d)
}

// now is the timestamp written to the file: UTC, whole seconds, readable.
func now() time.Time { return time.Now().UTC().Truncate(time.Second) }
