package auth

import (
	"bytes"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
)

// MustFile returns an auth file in a fresh temporary folder.
func MustFile(tb testing.TB) *File {
	tb.Helper()
	return NewFile(filepath.Join(tb.TempDir(), "var", "auth.json"))
}

// MustAddToken adds a token and returns it.
func MustAddToken(tb testing.TB, f *File, name string, role Role) string {
	tb.Helper()
	token, err := f.AddToken(name, role, 0, 0)
	if err != nil {
		tb.Fatalf("AddToken(%q, %q): %v", name, role, err)
	}
	return token
}

// MustOpenStore opens a Store over f.
func MustOpenStore(tb testing.TB, f *File) *Store {
	tb.Helper()
	s, err := OpenStore(f.path)
	if err != nil {
		tb.Fatalf("OpenStore: %v", err)
	}
	return s
}

// logBuffer is a log sink safe to read while the code under test writes.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// CaptureLogs sends the default slog logger to a buffer for the test.
func CaptureLogs(tb testing.TB) *logBuffer {
	tb.Helper()
	logs := &logBuffer{}
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(logs, nil)))
	tb.Cleanup(func() { slog.SetDefault(old) })
	return logs
}

// TestPassword passes the password rules; tests use it for every user.
const TestPassword = "Correct-Horse-9"

// MustAddUser adds a user with TestPassword.
func MustAddUser(tb testing.TB, f *File, name string, role Role) {
	tb.Helper()
	if err := f.AddUser(name, "测试"+name, role, TestPassword); err != nil {
		tb.Fatalf("AddUser(%q, %q): %v", name, role, err)
	}
}
