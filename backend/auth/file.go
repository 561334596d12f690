package auth

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"time"

	"github.com/gridcc/gridcc/backend/apperr"
)

// FileVersion is the auth file format this package reads and writes.
const FileVersion = 1

// TokenRecord is one token in the auth file. The token itself is never
// stored: only its SHA-256 (see hashSecret).
type TokenRecord struct {
	Name      string     `json:"name"`       // unique among non-revoked tokens; the rate-limit key and audit name
	Role      Role       `json:"role"`       // see ParseRole
	Hash      string     `json:"hash"`       // lowercase hex SHA-256 of the token
	RatePerS  float64    `json:"rate_per_s"` // requests per second; 0: the replica default (GRIDCC_RATE_PER_S)
	Burst     int        `json:"burst"`      // bucket size; 0: the replica default (GRIDCC_RATE_BURST)
	CreatedAt time.Time  `json:"created_at"`
	RevokedAt *time.Time `json:"revoked_at"` // nil while the token works; kept after revocation for audit
}

// Active reports whether the token has not been revoked.
func (t TokenRecord) Active() bool { return t.RevokedAt == nil }

// fileData is the whole auth file:
//
//	{"version":1,"tokens":[…],"users":[…]}
//
// Version 1 reserved "users" from the start, so files written before users
// existed ("users":[]) read unchanged.
type fileData struct {
	Version int           `json:"version"`
	Tokens  []TokenRecord `json:"tokens"`
	Users   []UserRecord  `json:"users"`
}

var (
	// nameRE keeps names safe to print in logs and tables.
	nameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$`)
	hashRE = regexp.MustCompile(`^[0-9a-f]{64}$`)
)

// checkName validates a token or user name.
func checkName(name string) error {
	if !nameRE.MatchString(name) {
		return apperr.Field(apperr.Invalid, "name", "name %q must be 1-64 letters, digits, '_', '.' or '-', starting with a letter or digit", name)
	}
	return nil
}

// checkLimits validates a token's own rate and burst (0 means the default).
func checkLimits(ratePerS float64, burst int) error {
	if ratePerS < 0 || math.IsNaN(ratePerS) || math.IsInf(ratePerS, 0) {
		return apperr.Field(apperr.Invalid, "rate_per_s", "rate must be a finite number ≥ 0 (0: the default)")
	}
	if burst < 0 {
		return apperr.Field(apperr.Invalid, "burst", "burst must be ≥ 0 (0: the default)")
	}
	return nil
}

// readFile reads and validates the auth file at path; a missing file reads
// as an empty one. Any other defect is apperr.Internal naming the file: it
// is the operator's to fix and must never be shown to an HTTP client.
func readFile(path string) (fileData, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return emptyFile(), nil
	}
	if err != nil {
		return fileData{}, corrupt(path, err)
	}
	defer f.Close()
	d, err := decodeFile(f)
	if err != nil {
		return fileData{}, corrupt(path, err)
	}
	return d, nil
}

func emptyFile() fileData {
	return fileData{Version: FileVersion, Tokens: []TokenRecord{}, Users: []UserRecord{}}
}

func corrupt(path string, err error) error {
	return apperr.Wrap(err, apperr.Internal, "auth file %s is not usable", path)
}

// decodeFile decodes strictly: an unknown field is an error, because a
// misspelt "revoked_at" would otherwise leave a token working.
func decodeFile(r io.Reader) (fileData, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var d fileData
	if err := dec.Decode(&d); err != nil {
		return fileData{}, fmt.Errorf("invalid JSON: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return fileData{}, errors.New("invalid JSON: data after the top-level object")
	}
	if err := d.validate(); err != nil {
		return fileData{}, err
	}
	if d.Tokens == nil {
		d.Tokens = []TokenRecord{}
	}
	if d.Users == nil {
		d.Users = []UserRecord{}
	}
	return d, nil
}

// validate checks every record, so a replica never runs on a half-valid
// file.
func (d *fileData) validate() error {
	if d.Version != FileVersion {
		return fmt.Errorf("version is %d; this gridcc reads version %d", d.Version, FileVersion)
	}
	active := map[string]bool{}
	hashes := map[string]bool{}
	for i, t := range d.Tokens {
		err := t.check()
		switch {
		case err != nil:
		case hashes[t.Hash]:
			err = errors.New("hash repeats an earlier token's")
		case t.Active() && active[t.Name]:
			err = fmt.Errorf("name %q is used by an earlier non-revoked token", t.Name)
		}
		if err != nil {
			return fmt.Errorf("tokens[%d] (%q): %w", i, t.Name, err)
		}
		hashes[t.Hash] = true
		if t.Active() {
			active[t.Name] = true
		}
	}
	return d.validateUsers(active)
}

// check validates one record on its own.
func (t TokenRecord) check() error {
	if err := checkName(t.Name); err != nil {
		return err
	}
	if _, err := ParseRole(string(t.Role)); err != nil {
		return err
	}
	if !hashRE.MatchString(t.Hash) {
		return errors.New("hash must be 64 lowercase hex digits (SHA-256)")
	}
	if err := checkLimits(t.RatePerS, t.Burst); err != nil {
		return err
	}
	if t.CreatedAt.IsZero() {
		return errors.New("created_at is missing")
	}
	return nil
}

// writeFile replaces the auth file atomically: a reader (a replica polling
// it) sees the old file or the new one, never a torn write, and a crash
// leaves one of the two. The caller holds the lock (see lockFile).
func writeFile(path string, d fileData) error {
	body, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		return apperr.Wrap(err, apperr.Internal, "encode auth file")
	}
	body = append(body, '\n')
	if _, err := decodeFile(bytes.NewReader(body)); err != nil {
		return apperr.Wrap(err, apperr.Internal, "refusing to write an invalid auth file")
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*") // mode 0600
	if err != nil {
		return apperr.Wrap(err, apperr.Internal, "write auth file %s", path)
	}
	defer os.Remove(tmp.Name()) // after a successful rename this is a no-op
	if _, err := tmp.Write(body); err != nil {
		tmp.Close()
		return apperr.Wrap(err, apperr.Internal, "write auth file %s", path)
	}
	// fsync before rename: otherwise a crash can leave the new name
	// pointing at an empty file.
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return apperr.Wrap(err, apperr.Internal, "sync auth file %s", path)
	}
	if err := tmp.Close(); err != nil {
		return apperr.Wrap(err, apperr.Internal, "write auth file %s", path)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return apperr.Wrap(err, apperr.Internal, "replace auth file %s", path)
	}
	return syncDir(dir)
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return apperr.Wrap(err, apperr.Internal, "sync folder %s", dir)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return apperr.Wrap(err, apperr.Internal, "sync folder %s", dir)
	}
	return nil
}
