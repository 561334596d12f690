package auth

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/gridcc/gridcc/backend/apperr"
)

func TestStoreAuthenticate(t *testing.T) {
	f := MustFile(t)
	wall := MustAddToken(t, f, "wall-1", "wall")
	revoked := MustAddToken(t, f, "old", "ingest:old")
	if err := f.RevokeToken("old"); err != nil {
		t.Fatal(err)
	}
	bench, err := f.AddToken("bench", "ingest:bench", 100000, 100000)
	if err != nil {
		t.Fatal(err)
	}
	s := MustOpenStore(t, f)

	t.Run("OK", func(t *testing.T) {
		p, err := s.Authenticate(wall)
		if err != nil || p.Name != "wall-1" || p.Role != "wall" {
			t.Fatalf("Authenticate(wall) = %+v, %v", p, err)
		}
		p, err = s.Authenticate(bench)
		if err != nil || p.RatePerS != 100000 || p.Burst != 100000 {
			t.Fatalf("Authenticate(bench) = %+v, %v", p, err)
		}
		if r, b := p.Limits(50, 200); r != 100000 || b != 100000 {
			t.Errorf("own limits: %v %v", r, b)
		}
		if r, b := (Principal{}).Limits(50, 200); r != 50 || b != 200 {
			t.Errorf("default limits: %v %v", r, b)
		}
	})
	unknown, _ := newToken()
	for name, token := range map[string]string{
		"ErrRevoked":   revoked,
		"ErrUnknown":   unknown,
		"ErrEmpty":     "",
		"ErrNoPrefix":  wall[4:],
		"ErrTruncated": wall[:46],
		"ErrPadded":    wall + "=",
		"ErrBadChar":   wall[:46] + "+",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := s.Authenticate(token)
			if !apperr.Is(err, apperr.Unauthorized) {
				t.Fatalf("err = %v, want unauthorized", err)
			}
			if token != "" && strings.Contains(err.Error(), token) {
				t.Fatal("the error echoes the token")
			}
		})
	}
}

func TestStoreReload(t *testing.T) {
	logs := CaptureLogs(t)

	f := MustFile(t)
	s := MustOpenStore(t, f) // no file yet: empty
	s.poll = 5 * time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})

	token := MustAddToken(t, f, "hotline", "ingest:hotline12345")
	eventually(t, "new token accepted", func() bool { _, err := s.Authenticate(token); return err == nil })

	// An invalid file keeps the previous tokens in force.
	good, _ := os.ReadFile(f.path)
	if err := os.WriteFile(f.path, []byte("{broken"), 0o600); err != nil {
		t.Fatal(err)
	}
	eventually(t, "invalid file logged", func() bool { return strings.Contains(logs.String(), "not reloaded") })
	if _, err := s.Authenticate(token); err != nil {
		t.Fatalf("token refused after an invalid edit: %v", err)
	}
	if err := os.WriteFile(f.path, good, 0o600); err != nil {
		t.Fatal(err)
	}

	if err := f.RevokeToken("hotline"); err != nil {
		t.Fatal(err)
	}
	eventually(t, "revoked token refused", func() bool { _, err := s.Authenticate(token); return err != nil })

	again := MustAddToken(t, f, "again", "wall")
	eventually(t, "token accepted", func() bool { _, err := s.Authenticate(again); return err == nil })
	if err := os.Remove(f.path); err != nil {
		t.Fatal(err)
	}
	eventually(t, "deleted file refuses all", func() bool { _, err := s.Authenticate(again); return err != nil })

	for _, secret := range []string{token, token[4:], again, hashSecret(token), hashSecret(again)} {
		if strings.Contains(logs.String(), secret) {
			t.Fatalf("the log holds a token or hash:\n%s", logs.String())
		}
	}
	if !strings.Contains(logs.String(), "auth file loaded") {
		t.Errorf("reloads not logged:\n%s", logs.String())
	}
}

// eventually fails the test unless cond becomes true within 5 s.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within 5s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}
