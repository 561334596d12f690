package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"

	"github.com/gridcc/gridcc/backend/apperr"
)

// tokenPrefix marks gridcc tokens so secret scanners and people recognise
// them; the rest is 32 random bytes in unpadded base64url (43 characters).
const tokenPrefix = "gcc_"

// secretBytes is the entropy of tokens and session ids: 256 bits.
const secretBytes = 32

// newSecret returns 32 random bytes in unpadded base64url.
func newSecret() (string, error) {
	b := make([]byte, secretBytes)
	if _, err := rand.Read(b); err != nil {
		return "", apperr.Wrap(err, apperr.Internal, "read random bytes")
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// wellFormedSecret reports whether s is 32 bytes in unpadded base64url, so
// junk is refused before any hashing or Redis round trip.
func wellFormedSecret(s string) bool {
	if len(s) != base64.RawURLEncoding.EncodedLen(secretBytes) {
		return false
	}
	_, err := base64.RawURLEncoding.Strict().DecodeString(s)
	return err == nil
}

// newToken returns a fresh token ("gcc_" + 43 characters).
func newToken() (string, error) {
	s, err := newSecret()
	if err != nil {
		return "", err
	}
	return tokenPrefix + s, nil
}

// wellFormedToken reports whether token has the shape newToken produces.
func wellFormedToken(token string) bool {
	s, ok := strings.CutPrefix(token, tokenPrefix)
	return ok && wellFormedSecret(s)
}

// hashSecret returns the lowercase hex SHA-256 of s; the auth file and the
// session keys hold only this. A slow password hash (bcrypt, argon2) is not
// needed: it exists to make guessing low-entropy passwords expensive, and a
// 256-bit random secret cannot be guessed however fast the hash is.
func hashSecret(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// credentialOf names the token with the given hash in sessions: a prefix of
// the hash, not secret (it authenticates nothing) and stable across
// reloads. Sessions check it, not the token's name, because a name can be
// reused after a revocation and must not revive the old token's sessions.
func credentialOf(hash string) string { return "token:" + hash[:16] }

// userCredPrefix starts the credential name of every user.
const userCredPrefix = "user:"

// userCredential names a user's credential in sessions. It changes when the
// user's role or password changes, so either change ends the sessions opened
// before it, like a revoked token's.
func userCredential(u UserRecord) string {
	return userCredPrefix + hashSecret(u.Name + "\x00" + string(u.Role) + "\x00" + u.PasswordHash)[:16]
}
