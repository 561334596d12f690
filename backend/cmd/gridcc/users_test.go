package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gridcc/gridcc/backend/apperr"
	"github.com/gridcc/gridcc/backend/auth"
)

const userPassword = "Correct-Horse-9"

// runUsersIn runs `gridcc users args…` against the auth file at path with
// stdin as standard input.
func runUsersIn(t *testing.T, path, stdin string, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	err := runUsers(args, func(k string) string {
		if k == "GRIDCC_AUTH_FILE" {
			return path
		}
		return ""
	}, strings.NewReader(stdin), &out)
	return out.String(), err
}

var generatedRE = regexp.MustCompile(`(?m)^    (\S{18})$`)

func TestRunUsers(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state", "auth.json")
	out, err := runUsersIn(t, path, "", "list")
	if err != nil || !strings.Contains(out, "No users") {
		t.Fatalf("list on a missing file: %q, %v", out, err)
	}

	// From stdin (with a CRLF line end, as Windows clipboards paste it).
	if _, err := runUsersIn(t, path, userPassword+"\r\n", "add", "--name", "zhang", "--display", "张伟", "--role", "officer", "--password-stdin"); err != nil {
		t.Fatal(err)
	}
	// Made up and shown once.
	out, err = runUsersIn(t, path, "", "add", "--name=li", "--display=李娜", "--role=street:411602001")
	if err != nil {
		t.Fatal(err)
	}
	m := generatedRE.FindStringSubmatch(out)
	if m == nil || !strings.Contains(out, "shown only this once") {
		t.Fatalf("no generated password:\n%s", out)
	}
	store, err := auth.OpenStore(path)
	if err != nil {
		t.Fatal(err)
	}
	if p, err := store.Login("zhang", userPassword); err != nil || p.Display != "张伟" || p.Role != "officer" {
		t.Fatalf("login with the stdin password: %+v, %v", p, err)
	}
	if p, err := store.Login("li", m[1]); err != nil || p.Role != "street:411602001" {
		t.Fatalf("login with the printed password: %+v, %v", p, err)
	}

	if _, err := runUsersIn(t, path, "Another-Pass-42\n", "passwd", "--password-stdin", "zhang"); err != nil {
		t.Fatal(err)
	}
	if _, err := runUsersIn(t, path, "Third-Pass-4242\n", "passwd", "zhang", "--password-stdin"); err != nil {
		t.Fatal(err)
	}
	if err := store.Reload(); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Login("zhang", "Third-Pass-4242"); err != nil {
		t.Fatalf("login after passwd: %v", err)
	}
	out, err = runUsersIn(t, path, "", "remove", "li")
	if err != nil || !strings.Contains(out, "Disabled") {
		t.Fatalf("remove: %q, %v", out, err)
	}

	out, err = runUsersIn(t, path, "", "list")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "NAME") || !strings.HasPrefix(lines[1], "zhang") ||
		!strings.HasSuffix(lines[1], " -") || !strings.Contains(lines[2], "李娜") || strings.HasSuffix(lines[2], " -") {
		t.Fatalf("list:\n%s", out)
	}
	raw, _ := os.ReadFile(path)
	for _, secret := range []string{userPassword, "Third-Pass-4242", m[1]} {
		if strings.Contains(out, secret) || strings.Contains(string(raw), secret) {
			t.Fatalf("list or file shows a password")
		}
	}
	if strings.Contains(out, "argon2") {
		t.Fatal("list shows hashes")
	}
}

func TestRunUsersErrors(t *testing.T) {
	path := filepath.Join(t.TempDir(), "auth.json")
	if _, err := runUsersIn(t, path, userPassword, "add", "--name", "zhang", "--display", "张伟", "--role", "officer", "--password-stdin"); err != nil {
		t.Fatal(err)
	}
	add := func(name, role string) []string {
		return []string{"add", "--name", name, "--display", "王", "--role", role, "--password-stdin"}
	}
	tests := []struct {
		name  string
		stdin string
		args  []string
		want  string      // in the error
		code  apperr.Code // "" when it is a usage error or an input error
	}{
		{"ErrNoSubcommand", "", nil, "missing subcommand", ""},
		{"ErrUnknownSubcommand", "", []string{"rename"}, `unknown subcommand "rename"`, ""},
		{"ErrMissingFlags", "", []string{"add", "--name", "x"}, "needs --name, --display and --role", ""},
		{"ErrExtraArg", userPassword, append(add("wang", "officer"), "x"), `unexpected argument "x"`, ""},
		{"ErrBadRole", userPassword, add("wang", "street:"), "role", apperr.Invalid},
		{"ErrTokenRole", userPassword, add("wang", "wall"), "users hold", apperr.Invalid},
		{"ErrWeakPassword", "password\n", add("wang", "officer"), "at least 12", apperr.Invalid},
		{"ErrTwoLines", userPassword + "\nmore\n", add("wang", "officer"), "more than one line", ""},
		{"ErrEmptyStdin", "", add("wang", "officer"), "empty", ""},
		{"ErrDuplicate", userPassword, add("zhang", "officer"), "zhang", apperr.Conflict},
		{"ErrPasswdUnknown", userPassword, []string{"passwd", "nobody", "--password-stdin"}, "nobody", apperr.NotFound},
		{"ErrPasswdNoName", "", []string{"passwd"}, "exactly one", ""},
		{"ErrPasswdTwoNames", "", []string{"passwd", "a", "b"}, "exactly one", ""},
		{"ErrRemoveUnknown", "", []string{"remove", "nobody"}, "nobody", apperr.NotFound},
		{"ErrRemoveNoName", "", []string{"remove"}, "exactly one", ""},
		{"ErrListArgs", "", []string{"list", "x"}, "no arguments", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := runUsersIn(t, path, tt.stdin, tt.args...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tt.want)
			}
			if tt.code != "" && !apperr.Is(err, tt.code) {
				t.Errorf("code %s, want %s", apperr.CodeOf(err), tt.code)
			}
			if strings.Contains(err.Error(), userPassword) {
				t.Error("the error repeats the password")
			}
		})
	}
	for _, help := range [][]string{{"help"}, {"add", "-h"}, {"passwd", "-h"}} {
		if out, err := runUsersIn(t, path, "", help...); err != nil || !strings.Contains(out, "usage:") {
			t.Errorf("%v: %q, %v", help, out, err)
		}
	}
}

func TestGeneratePassword(t *testing.T) {
	seen := map[string]bool{}
	for range 50 {
		pw, err := generatePassword("zhang")
		if err != nil || auth.CheckPassword("zhang", pw) != nil || len(pw) != 18 || seen[pw] {
			t.Fatalf("generatePassword = %q, %v", pw, err)
		}
		seen[pw] = true
	}
}
