package auth

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/gridcc/gridcc/backend/apperr"
)

func TestFileAddListRevoke(t *testing.T) {
	f := MustFile(t)
	token, err := f.AddToken("hotline", "ingest:hotline12345", 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !wellFormedToken(token) || len(token) != 47 {
		t.Fatalf("token %q is not gcc_ + 43 base64url characters", token)
	}
	if _, err := f.AddToken("bench", "ingest:bench", 100000, 100000); err != nil {
		t.Fatal(err)
	}

	raw, err := os.ReadFile(f.path)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(raw), token) || strings.Contains(string(raw), token[4:]) {
		t.Fatal("the auth file contains the token itself")
	}
	if !strings.Contains(string(raw), hashSecret(token)) {
		t.Fatal("the auth file lacks the token's SHA-256")
	}
	for _, p := range []string{f.path, f.path + ".lock"} {
		if st, err := os.Stat(p); err != nil || st.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v, err %v; want 0600", p, st.Mode().Perm(), err)
		}
	}

	if err := f.RevokeToken("hotline"); err != nil {
		t.Fatal(err)
	}
	list, err := f.Tokens()
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].Name != "hotline" || list[0].Active() || !list[1].Active() ||
		list[1].RatePerS != 100000 || list[1].Burst != 100000 || list[0].CreatedAt.IsZero() {
		t.Fatalf("after revoke: %+v", list)
	}
	// The name is free again; the revoked record stays for audit.
	MustAddToken(t, f, "hotline", "ingest:hotline12345")
	if list, _ := f.Tokens(); len(list) != 3 {
		t.Fatalf("want 3 records, got %d", len(list))
	}
}

func TestFileErrors(t *testing.T) {
	f := MustFile(t)
	MustAddToken(t, f, "wall-1", "wall")
	tests := []struct {
		name string
		run  func() error
		code apperr.Code
	}{
		{"ErrDuplicateName", func() error { _, err := f.AddToken("wall-1", "wall", 0, 0); return err }, apperr.Conflict},
		{"ErrBadName", func() error { _, err := f.AddToken("-x", "wall", 0, 0); return err }, apperr.Invalid},
		{"ErrBadRole", func() error { _, err := f.AddToken("x", "ingest:", 0, 0); return err }, apperr.Invalid},
		{"ErrReservedRole", func() error { _, err := f.AddToken("x", "admin", 0, 0); return err }, apperr.Invalid},
		{"ErrNegativeRate", func() error { _, err := f.AddToken("x", "wall", -1, 0); return err }, apperr.Invalid},
		{"ErrNegativeBurst", func() error { _, err := f.AddToken("x", "wall", 0, -1); return err }, apperr.Invalid},
		{"ErrRevokeUnknown", func() error { return f.RevokeToken("nobody") }, apperr.NotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.run(); !apperr.Is(err, tt.code) {
				t.Fatalf("err = %v, want code %s", err, tt.code)
			}
		})
	}
	if list, _ := f.Tokens(); len(list) != 1 {
		t.Fatalf("failed commands changed the file: %+v", list)
	}
}

func TestFileCorrupt(t *testing.T) {
	const hash = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	rec := func(fields string) string {
		return `{"version":1,"users":[],"tokens":[{"name":"w","role":"wall","hash":"` + hash + `","rate_per_s":0,"burst":0,"created_at":"2025-01-01T00:00:00Z","revoked_at":null` + fields + `}]}`
	}
	tests := []struct{ name, body, want string }{
		{"ErrSyntax", `{"version":1,"tokens":[`, "invalid JSON"},
		{"ErrTrailing", `{"version":1,"tokens":[]} {}`, "data after"},
		{"ErrVersion", `{"version":2,"tokens":[]}`, "version is 2"},
		{"ErrUnknownField", rec(`,"revoke_at":"2025-01-02T00:00:00Z"`), "unknown field"},
		{"ErrRole", strings.Replace(rec(""), `"wall"`, `"root"`, 1), "unknown role"},
		{"ErrHash", strings.Replace(rec(""), hash, "abc", 1), "hash must be"},
		{"ErrCreatedAt", strings.Replace(rec(""), "2025-01-01T00:00:00Z", "0001-01-01T00:00:00Z", 1), "created_at"},
		{"ErrDuplicateName", strings.Replace(rec(""), `}]}`, `},{"name":"w","role":"wall","hash":"`+strings.Repeat("f", 64)+`","created_at":"2025-01-01T00:00:00Z","revoked_at":null}]}`, 1), "used by an earlier"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := MustFile(t)
			if err := os.MkdirAll(filepath.Dir(f.path), 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(f.path, []byte(tt.body), 0o600); err != nil {
				t.Fatal(err)
			}
			for op, err := range map[string]error{
				"Tokens": func() error { _, err := f.Tokens(); return err }(),
				"Add":    func() error { _, err := f.AddToken("x", "wall", 0, 0); return err }(),
				"Open":   func() error { _, err := OpenStore(f.path); return err }(),
			} {
				if err == nil || !strings.Contains(err.Error(), f.path) || !strings.Contains(err.Error(), tt.want) {
					t.Errorf("%s: err = %v; want it to name %s and say %q", op, err, f.path, tt.want)
				}
			}
			if raw, _ := os.ReadFile(f.path); string(raw) != tt.body {
				t.Error("a failed add rewrote the corrupt file")
			}
		})
	}
}

// TestFileConcurrentAdds has goroutines and processes add tokens at once;
// the lock must keep every record.
func TestFileConcurrentAdds(t *testing.T) {
	const goroutines, processes, each = 4, 3, 5
	f := MustFile(t)
	var wg sync.WaitGroup
	errs := make(chan error, goroutines+processes)
	for g := range goroutines {
		wg.Go(func() {
			for i := range each {
				if _, err := f.AddToken(fmt.Sprintf("g%d-%d", g, i), "wall", 0, 0); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	for p := range processes {
		wg.Go(func() {
			cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcessAddTokens$")
			cmd.Env = append(os.Environ(), "GRIDCC_AUTH_TEST_FILE="+f.path, "GRIDCC_AUTH_TEST_PREFIX=p"+strconv.Itoa(p), "GRIDCC_AUTH_TEST_COUNT="+strconv.Itoa(each))
			if out, err := cmd.CombinedOutput(); err != nil {
				errs <- fmt.Errorf("process %d: %v\n%s", p, err, out)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	list, err := f.Tokens()
	if err != nil {
		t.Fatal(err)
	}
	if want := (goroutines + processes) * each; len(list) != want {
		t.Fatalf("%d records, want %d", len(list), want)
	}
}

// TestHelperProcessAddTokens is the child of TestFileConcurrentAdds.
func TestHelperProcessAddTokens(t *testing.T) {
	path := os.Getenv("GRIDCC_AUTH_TEST_FILE")
	if path == "" {
		t.Skip("child process of TestFileConcurrentAdds")
	}
	n, _ := strconv.Atoi(os.Getenv("GRIDCC_AUTH_TEST_COUNT"))
	f := NewFile(path)
	for i := range n {
		if _, err := f.AddToken(fmt.Sprintf("%s-%d", os.Getenv("GRIDCC_AUTH_TEST_PREFIX"), i), "wall", 0, 0); err != nil {
			t.Fatal(err)
		}
	}
}
