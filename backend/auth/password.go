package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"github.com/gridcc/gridcc/backend/apperr"
)

// Password rules (docs/auth.md "Passwords"). Length counts characters, so
// a Chinese pass phrase is fine. Three of four character classes is what
// 等保 auditors ask for (口令复杂度); the length does most of the work.
const (
	MinPasswordChars = 12
	MaxPasswordBytes = 128 // argon2 reads all of it; a bound keeps hashing cheap and bodies small
	minPasswordKinds = 3
)

// argon2id parameters: the OWASP Password Storage Cheat Sheet's second
// equivalent option (19 MiB, 2 passes, 1 lane). The memory per hash, times
// hashSlots, is what a burst of logins can cost a replica; the parameters
// are stored in every hash, so raising them later leaves old hashes valid.
const (
	argonMemoryKiB = 19 * 1024
	argonTime      = 2
	argonThreads   = 1
	argonKeyLen    = 32
	argonSaltLen   = 16
)

// hashSlots bounds concurrent password hashes on a replica, so a flood of
// logins queues instead of taking hashSlots × 19 MiB without limit; a login
// that cannot get a slot within hashWait is refused as unavailable.
var hashSlots = make(chan struct{}, 4)

const hashWait = 5 * time.Second

// CheckPassword applies the rules to a new password for user name. The
// error is apperr.Invalid with field "password" and never repeats the
// password.
func CheckPassword(name, password string) error {
	switch {
	case !utf8.ValidString(password):
		return apperr.Field(apperr.Invalid, "password", "the password must be valid UTF-8")
	case len(password) > MaxPasswordBytes:
		return apperr.Field(apperr.Invalid, "password", "the password is longer than %d bytes", MaxPasswordBytes)
	case utf8.RuneCountInString(password) < MinPasswordChars:
		return apperr.Field(apperr.Invalid, "password", "the password needs at least %d characters", MinPasswordChars)
	case strings.IndexFunc(password, unicode.IsControl) >= 0:
		return apperr.Field(apperr.Invalid, "password", "the password must not contain control characters")
	case name != "" && strings.Contains(strings.ToLower(password), strings.ToLower(name)):
		return apperr.Field(apperr.Invalid, "password", "the password must not contain the login name")
	case passwordKinds(password) < minPasswordKinds:
		return apperr.Field(apperr.Invalid, "password", "the password needs at least %d of: lower-case letters, upper-case letters, digits, other characters", minPasswordKinds)
	}
	return nil
}

// passwordKinds counts the character classes in s. Letters without case
// (Chinese) count as "other".
func passwordKinds(s string) int {
	var lower, upper, digit, other int
	for _, r := range s {
		switch {
		case unicode.IsLower(r):
			lower = 1
		case unicode.IsUpper(r):
			upper = 1
		case unicode.IsDigit(r):
			digit = 1
		default:
			other = 1
		}
	}
	return lower + upper + digit + other
}

// hashPassword returns the argon2id hash of password in the PHC string
// format: $argon2id$v=19$m=19456,t=2,p=1$<salt>$<key> (unpadded base64).
func hashPassword(password string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", apperr.Wrap(err, apperr.Internal, "read random bytes")
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemoryKiB, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemoryKiB, argonTime, argonThreads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// phc is a parsed argon2id hash.
type phc struct {
	memory  uint32
	time    uint32
	threads uint8
	salt    []byte
	key     []byte
}

// parsePHC parses what hashPassword writes. The bounds refuse hand-edited
// parameters that would make one login take minutes or gigabytes.
func parsePHC(s string) (phc, error) {
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" || parts[2] != fmt.Sprintf("v=%d", argon2.Version) {
		return phc{}, fmt.Errorf("not an argon2id v=%d hash", argon2.Version)
	}
	var h phc
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &h.memory, &h.time, &h.threads); err != nil {
		return phc{}, fmt.Errorf("bad argon2id parameters: %w", err)
	}
	if h.memory < 8*1024 || h.memory > 1<<20 || h.time < 1 || h.time > 10 || h.threads < 1 || h.threads > 16 {
		return phc{}, fmt.Errorf("argon2id parameters out of range (m 8192..1048576 KiB, t 1..10, p 1..16)")
	}
	var err error
	if h.salt, err = base64.RawStdEncoding.Strict().DecodeString(parts[4]); err != nil || len(h.salt) < 16 {
		return phc{}, fmt.Errorf("bad argon2id salt")
	}
	if h.key, err = base64.RawStdEncoding.Strict().DecodeString(parts[5]); err != nil || len(h.key) < 16 || len(h.key) > 64 {
		return phc{}, fmt.Errorf("bad argon2id key")
	}
	return h, nil
}

// verifyPassword reports whether password matches the hash h, in time that
// does not depend on where they differ. It waits for a hash slot.
func verifyPassword(h phc, password string) (bool, error) {
	t := time.NewTimer(hashWait)
	defer t.Stop()
	select {
	case hashSlots <- struct{}{}:
	case <-t.C:
		return false, apperr.New(apperr.Unavailable, "too many logins at once on this server; retry in a moment")
	}
	defer func() { <-hashSlots }()
	key := argon2.IDKey([]byte(password), h.salt, h.time, h.memory, h.threads, uint32(len(h.key)))
	return subtle.ConstantTimeCompare(key, h.key) == 1, nil
}

// dummyHash is verified against when the login name is unknown or
// disabled, so such a login costs as much time as a wrong password and
// the answer time does not tell which names exist.
var dummyHash = sync.OnceValue(func() phc {
	s, err := hashPassword("gridcc dummy password, never valid")
	if err != nil {
		panic(err)
	}
	h, err := parsePHC(s)
	if err != nil {
		panic(err)
	}
	return h
})
