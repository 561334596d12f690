package auth

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/gridcc/gridcc/backend/apperr"
)

// UserRecord is one person in the auth file. The password itself is never
// stored: only its argon2id hash.
type UserRecord struct {
	Name              string     `json:"name"`                // login name; unique among all users, disabled ones included
	Display           string     `json:"display"`             // the name screens show (中文名)
	Role              Role       `json:"role"`                // a person's role (see userKinds)
	PasswordHash      string     `json:"password_hash"`       // argon2id in PHC format (see hashPassword)
	CreatedAt         time.Time  `json:"created_at"`          // RFC 3339, UTC
	PasswordChangedAt time.Time  `json:"password_changed_at"` // set by add and passwd
	DisabledAt        *time.Time `json:"disabled_at"`         // nil while the user may log in; kept after for audit
}

// Active reports whether the user has not been disabled.
func (u UserRecord) Active() bool { return u.DisabledAt == nil }

// userKinds are the kinds a user may hold: people. Screens (wall) and
// systems (ingest) hold tokens instead, so no password ever opens them.
var userKinds = map[Kind]bool{
	KindOfficer: true, KindStreet: true, KindCommunity: true,
	KindResponder: true, KindReviewer: true, KindAdmin: true,
}

// maxDisplayChars bounds the display name; it is shown on screens and in
// audit lists.
const maxDisplayChars = 32

func checkDisplay(display string) error {
	n := utf8.RuneCountInString(display)
	if !utf8.ValidString(display) || n == 0 || n > maxDisplayChars || strings.TrimSpace(display) != display ||
		strings.IndexFunc(display, unicode.IsControl) >= 0 {
		return apperr.Field(apperr.Invalid, "display", "display name must be 1-%d characters, no control characters or surrounding spaces", maxDisplayChars)
	}
	return nil
}

func checkUserRole(role Role) error {
	if _, err := ParseRole(string(role)); err != nil {
		return err
	}
	if !userKinds[role.Kind()] {
		return apperr.Field(apperr.Invalid, "role", "role %q is for tokens; users hold officer, street:<code>, community:<id>, responder:<id>, reviewer or admin", role)
	}
	return nil
}

// check validates one record on its own.
func (u UserRecord) check() error {
	if err := checkName(u.Name); err != nil {
		return err
	}
	if err := checkDisplay(u.Display); err != nil {
		return err
	}
	if err := checkUserRole(u.Role); err != nil {
		return err
	}
	if _, err := parsePHC(u.PasswordHash); err != nil {
		return fmt.Errorf("password_hash: %w", err)
	}
	if u.CreatedAt.IsZero() || u.PasswordChangedAt.IsZero() {
		return errors.New("created_at or password_changed_at is missing")
	}
	return nil
}

// validateUsers checks every user record. A user name never repeats, and
// never equals the name of a non-revoked token: the name keys sessions,
// rate limits, audit records and Hub.Disconnect, so it must mean one
// principal.
func (d *fileData) validateUsers(activeTokens map[string]bool) error {
	seen := map[string]bool{}
	for i, u := range d.Users {
		err := u.check()
		switch {
		case err != nil:
		case seen[u.Name]:
			err = fmt.Errorf("name %q is used by an earlier user", u.Name)
		case activeTokens[u.Name]:
			err = fmt.Errorf("name %q is used by a non-revoked token", u.Name)
		}
		if err != nil {
			return fmt.Errorf("users[%d] (%q): %w", i, u.Name, err)
		}
		seen[u.Name] = true
	}
	return nil
}

// AddUser adds a user who logs in with name and password. Errors:
// apperr.Invalid (field name, display, role or password; see
// CheckPassword), apperr.Conflict when a user (even a disabled one) or a
// non-revoked token has the name: names in audit records must keep
// meaning one person.
func (f *File) AddUser(name, display string, role Role, password string) error {
	if err := checkName(name); err != nil {
		return err
	}
	if err := checkDisplay(display); err != nil {
		return err
	}
	if err := checkUserRole(role); err != nil {
		return err
	}
	if err := CheckPassword(name, password); err != nil {
		return err
	}
	hash, err := hashPassword(password)
	if err != nil {
		return err
	}
	return f.update(func(d *fileData) error {
		for _, u := range d.Users {
			if u.Name == name {
				return apperr.Field(apperr.Conflict, "name", "a user named %q exists (disabled users keep their name); choose another name", name)
			}
		}
		for _, t := range d.Tokens {
			if t.Active() && t.Name == name {
				return apperr.Field(apperr.Conflict, "name", "a token is named %q; choose another name", name)
			}
		}
		at := now()
		d.Users = append(d.Users, UserRecord{Name: name, Display: display, Role: role, PasswordHash: hash,
			CreatedAt: at, PasswordChangedAt: at})
		return nil
	})
}

// SetPassword replaces the password of the active user name. Replicas end
// the user's sessions and close its sockets within one poll of the file.
// Errors: apperr.Invalid (field password), apperr.NotFound.
func (f *File) SetPassword(name, password string) error {
	if err := CheckPassword(name, password); err != nil {
		return err
	}
	hash, err := hashPassword(password)
	if err != nil {
		return err
	}
	return f.update(func(d *fileData) error {
		i := activeUser(d, name)
		if i < 0 {
			return apperr.Field(apperr.NotFound, "name", "no active user named %q", name)
		}
		d.Users[i].PasswordHash, d.Users[i].PasswordChangedAt = hash, now()
		return nil
	})
}

// DisableUser marks the active user name as disabled; the record stays for
// audit. Replicas refuse its logins, end its sessions and close its
// sockets within one poll of the file. Errors: apperr.NotFound.
func (f *File) DisableUser(name string) error {
	return f.update(func(d *fileData) error {
		i := activeUser(d, name)
		if i < 0 {
			return apperr.Field(apperr.NotFound, "name", "no active user named %q", name)
		}
		at := now()
		d.Users[i].DisabledAt = &at
		return nil
	})
}

func activeUser(d *fileData, name string) int {
	return slices.IndexFunc(d.Users, func(u UserRecord) bool { return u.Active() && u.Name == name })
}

// Users returns every user record, disabled ones included, in the order
// they were added. It takes no lock: writes replace the file atomically.
func (f *File) Users() ([]UserRecord, error) {
	d, err := readFile(f.path)
	if err != nil {
		return nil, err
	}
	return slices.Clone(d.Users), nil
}
