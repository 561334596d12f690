package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gridcc/gridcc/backend/apperr"
	"github.com/gridcc/gridcc/backend/auth"
)

var tokenRE = regexp.MustCompile(`gcc_[A-Za-z0-9_-]{43}`)

// runTokensIn runs `gridcc tokens args…` against the auth file at path.
func runTokensIn(t *testing.T, path string, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	err := runTokens(args, func(k string) string {
		if k == "GRIDCC_AUTH_FILE" {
			return path
		}
		return ""
	}, &out)
	return out.String(), err
}

func TestRunTokens(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state", "auth.json") // the folder does not exist yet

	out, err := runTokensIn(t, path, "list")
	if err != nil || !strings.Contains(out, "No tokens") {
		t.Fatalf("list on a missing file: %q, %v", out, err)
	}

	out, err = runTokensIn(t, path, "add", "--role", "ingest:hotline12345", "--name", "hotline")
	if err != nil {
		t.Fatal(err)
	}
	token := tokenRE.FindString(out)
	if token == "" || !strings.Contains(out, "Store it now") {
		t.Fatalf("add printed no token or no warning:\n%s", out)
	}
	store, err := auth.OpenStore(path)
	if err != nil {
		t.Fatal(err)
	}
	if p, err := store.Authenticate(token); err != nil || p.Name != "hotline" || p.Role != "ingest:hotline12345" {
		t.Fatalf("printed token: %+v, %v", p, err)
	}

	if _, err := runTokensIn(t, path, "add", "--role=ingest:bench", "--name=bench", "--rate", "100000", "--burst", "100000"); err != nil {
		t.Fatal(err)
	}
	if _, err := runTokensIn(t, path, "revoke", "hotline"); err != nil {
		t.Fatal(err)
	}
	out, err = runTokensIn(t, path, "list")
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(token))
	if strings.Contains(out, hex.EncodeToString(sum[:])) || strings.Contains(out, token) {
		t.Fatalf("list shows a hash or token:\n%s", out)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "NAME") ||
		!strings.HasPrefix(lines[1], "hotline") || strings.HasSuffix(lines[1], " -") || !strings.Contains(lines[1], "default") ||
		!strings.HasPrefix(lines[2], "bench") || !strings.HasSuffix(lines[2], " -") || !strings.Contains(lines[2], "100000") {
		t.Fatalf("list:\n%s", out)
	}
	if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("auth file mode: %v, %v", st, err)
	}
}

func TestRunTokensDefaultPath(t *testing.T) {
	t.Chdir(t.TempDir())
	var out bytes.Buffer
	if err := runTokens([]string{"add", "--role", "wall", "--name", "hall"}, func(string) string { return "" }, &out); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(defaultAuthFile); err != nil {
		t.Fatalf("default auth file not created: %v", err)
	}
}

func TestRunTokensErrors(t *testing.T) {
	path := filepath.Join(t.TempDir(), "auth.json")
	if _, err := runTokensIn(t, path, "add", "--role", "wall", "--name", "hall"); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want string      // in the error
		code apperr.Code // "" when it is a usage error
	}{
		{"ErrNoSubcommand", nil, "missing subcommand", ""},
		{"ErrUnknownSubcommand", []string{"rotate"}, `unknown subcommand "rotate"`, ""},
		{"ErrMissingName", []string{"add", "--role", "wall"}, "needs --role and --name", ""},
		{"ErrUnknownFlag", []string{"add", "--role", "wall", "--name", "x", "--ttl", "1"}, "ttl", ""},
		{"ErrExtraArg", []string{"add", "--role", "wall", "--name", "x", "y"}, `unexpected argument "y"`, ""},
		{"ErrBadRate", []string{"add", "--role", "wall", "--name", "x", "--rate", "fast"}, "rate", ""},
		{"ErrBadRole", []string{"add", "--role", "ingest:Bad", "--name", "x"}, "role", apperr.Invalid},
		{"ErrReservedRole", []string{"add", "--role", "admin", "--name", "x"}, "reserved", apperr.Invalid},
		{"ErrDuplicateName", []string{"add", "--role", "wall", "--name", "hall"}, "hall", apperr.Conflict},
		{"ErrRevokeUnknown", []string{"revoke", "nobody"}, "nobody", apperr.NotFound},
		{"ErrRevokeNoName", []string{"revoke"}, "exactly one", ""},
		{"ErrListArgs", []string{"list", "x"}, "no arguments", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := runTokensIn(t, path, tt.args...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tt.want)
			}
			if tt.code == "" && !strings.Contains(err.Error(), "usage: gridcc tokens") {
				t.Errorf("usage error without the usage: %v", err)
			}
			if tt.code != "" && !apperr.Is(err, tt.code) {
				t.Errorf("code %s, want %s", apperr.CodeOf(err), tt.code)
			}
		})
	}
	for _, help := range [][]string{{"help"}, {"add", "-h"}} {
		if out, err := runTokensIn(t, path, help...); err != nil || !strings.Contains(out, "usage:") {
			t.Errorf("%v: %q, %v", help, out, err)
		}
	}
}
