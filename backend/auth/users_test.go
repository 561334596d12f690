package auth

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/gridcc/gridcc/backend/apperr"
)

func TestCheckPassword(t *testing.T) {
	for _, pw := range []string{TestPassword, "aaaaaaaaaaA1", "正确的马电池订书钉Ab1", strings.Repeat("aB3", 40)} {
		t.Run("OK/"+pw, func(t *testing.T) {
			if err := CheckPassword("zhang", pw); err != nil {
				t.Fatal(err)
			}
		})
	}
	for name, pw := range map[string]string{
		"ErrShort":       "Short-1a",
		"ErrLong":        strings.Repeat("aB3", 43),
		"ErrTwoKinds":    "onlylowercase123",
		"ErrContainName": "My-Zhang-pass-1",
		"ErrControl":     "Tab\there-Pass1",
		"ErrUTF8":        "Bad-Pass-1234\xff",
	} {
		t.Run(name, func(t *testing.T) {
			err := CheckPassword("zhang", pw)
			if !apperr.Is(err, apperr.Invalid) {
				t.Fatalf("CheckPassword(%q) = %v, want invalid", pw, err)
			}
			if strings.Contains(err.Error(), pw) {
				t.Fatal("the error repeats the password")
			}
		})
	}
}

func TestPasswordHash(t *testing.T) {
	s, err := hashPassword(TestPassword)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(s, "$argon2id$v=19$m=19456,t=2,p=1$") || strings.Contains(s, TestPassword) {
		t.Fatalf("hash %q", s)
	}
	h, err := parsePHC(s)
	if err != nil {
		t.Fatal(err)
	}
	for pw, want := range map[string]bool{TestPassword: true, TestPassword + " ": false, "": false} {
		if ok, err := verifyPassword(h, pw); err != nil || ok != want {
			t.Errorf("verify(%q) = %v, %v; want %v", pw, ok, err, want)
		}
	}
	again, _ := hashPassword(TestPassword)
	if again == s {
		t.Error("two hashes of one password are equal: no salt")
	}
	for _, bad := range []string{"", "$argon2i$v=19$m=19456,t=2,p=1$" + strings.SplitN(s, "$", 5)[4],
		strings.Replace(s, "m=19456", "m=99999999", 1), strings.Replace(s, "t=2", "t=0", 1), s[:len(s)-40]} {
		if _, err := parsePHC(bad); err == nil {
			t.Errorf("parsePHC(%q) accepted", bad)
		}
	}
}

func TestFileUsers(t *testing.T) {
	f := MustFile(t)
	MustAddToken(t, f, "hall", "wall")
	MustAddUser(t, f, "zhang", "officer")
	MustAddUser(t, f, "li", "street:411602001")

	raw, _ := os.ReadFile(f.path)
	if strings.Contains(string(raw), TestPassword) || !strings.Contains(string(raw), "$argon2id$") {
		t.Fatalf("auth file holds the password or no argon2id hash:\n%s", raw)
	}
	if err := f.DisableUser("li"); err != nil {
		t.Fatal(err)
	}
	users, err := f.Users()
	if err != nil || len(users) != 2 || !users[0].Active() || users[1].Active() || users[0].Display != "测试zhang" {
		t.Fatalf("Users = %+v, %v", users, err)
	}
	changed := users[0].PasswordChangedAt
	if err := f.SetPassword("zhang", "Another-Pass-42"); err != nil {
		t.Fatal(err)
	}
	users, _ = f.Users()
	if users[0].PasswordHash == "" || users[0].PasswordChangedAt.Before(changed) {
		t.Fatalf("after passwd: %+v", users[0])
	}

	tests := []struct {
		name string
		err  error
		code apperr.Code
	}{
		{"ErrDuplicate", f.AddUser("zhang", "张", "officer", TestPassword), apperr.Conflict},
		{"ErrDisabledNameKept", f.AddUser("li", "李", "officer", TestPassword), apperr.Conflict},
		{"ErrTokenName", f.AddUser("hall", "大厅", "officer", TestPassword), apperr.Conflict},
		{"ErrUserNameForToken", func() error { _, err := f.AddToken("zhang", "wall", 0, 0); return err }(), apperr.Conflict},
		{"ErrTokenRole", f.AddUser("wang", "王", "wall", TestPassword), apperr.Invalid},
		{"ErrIngestRole", f.AddUser("wang", "王", "ingest:x", TestPassword), apperr.Invalid},
		{"ErrBadRole", f.AddUser("wang", "王", "street:", TestPassword), apperr.Invalid},
		{"ErrDisplay", f.AddUser("wang", " 王", "officer", TestPassword), apperr.Invalid},
		{"ErrName", f.AddUser("wang wu", "王", "officer", TestPassword), apperr.Invalid},
		{"ErrWeakPassword", f.AddUser("wang", "王", "officer", "password"), apperr.Invalid},
		{"ErrPasswdUnknown", f.SetPassword("nobody", TestPassword), apperr.NotFound},
		{"ErrPasswdDisabled", f.SetPassword("li", TestPassword), apperr.NotFound},
		{"ErrPasswdWeak", f.SetPassword("zhang", "short"), apperr.Invalid},
		{"ErrDisableTwice", f.DisableUser("li"), apperr.NotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !apperr.Is(tt.err, tt.code) {
				t.Fatalf("err = %v, want %s", tt.err, tt.code)
			}
		})
	}
	if users, _ := f.Users(); len(users) != 2 {
		t.Fatalf("failed commands changed the users: %+v", users)
	}
}

// TestFileReadsReservedUsers: a file written before users existed reads,
// and a token write keeps the users.
func TestFileReadsReservedUsers(t *testing.T) {
	f := MustFile(t)
	if err := os.MkdirAll(filepath.Dir(f.path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(f.path, []byte(`{"version":1,"tokens":[],"users":[]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	MustAddUser(t, f, "zhang", "officer")
	MustAddToken(t, f, "w", "wall")
	if users, err := f.Users(); err != nil || len(users) != 1 {
		t.Fatalf("users not kept: %+v, %v", users, err)
	}
}

func TestFileCorruptUsers(t *testing.T) {
	hash, _ := hashPassword(TestPassword)
	user := `{"name":"zhang","display":"张","role":"officer","password_hash":"` + hash + `","created_at":"2025-01-01T00:00:00Z","password_changed_at":"2025-01-01T00:00:00Z","disabled_at":null}`
	for name, tt := range map[string]struct{ body, want string }{
		"ErrUnknownField": {strings.Replace(user, `"disabled_at"`, `"disable_at"`, 1), "unknown field"},
		"ErrHash":         {strings.Replace(user, hash, "x", 1), "password_hash"},
		"ErrTokenRole":    {strings.Replace(user, `"officer"`, `"wall"`, 1), "users hold"},
		"ErrDuplicate":    {user + "," + user, "used by an earlier user"},
		"ErrNoChangedAt":  {strings.Replace(user, `"password_changed_at":"2025-01-01T00:00:00Z"`, `"password_changed_at":"0001-01-01T00:00:00Z"`, 1), "password_changed_at"},
	} {
		t.Run(name, func(t *testing.T) {
			f := MustFile(t)
			if err := os.MkdirAll(filepath.Dir(f.path), 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(f.path, []byte(`{"version":1,"tokens":[],"users":[`+tt.body+`]}`), 0o600); err != nil {
				t.Fatal(err)
			}
			if _, err := OpenStore(f.path); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("OpenStore: %v; want it to say %q", err, tt.want)
			}
		})
	}
}

func TestStoreLogin(t *testing.T) {
	f := MustFile(t)
	MustAddUser(t, f, "zhang", "officer")
	MustAddUser(t, f, "li", "community:C-001")
	if err := f.DisableUser("li"); err != nil {
		t.Fatal(err)
	}
	s := MustOpenStore(t, f)

	p, err := s.Login("zhang", TestPassword)
	if err != nil || p.Name != "zhang" || p.Display != "测试zhang" || p.Role != "officer" || !p.IsUser() {
		t.Fatalf("Login = %+v, %v", p, err)
	}
	if _, ok := s.lookupCredential(p.cred); !ok {
		t.Fatal("a user's credential is unknown to sessions")
	}
	for name, try := range map[string][2]string{
		"ErrWrongPassword": {"zhang", TestPassword + "x"},
		"ErrUnknownName":   {"nobody", TestPassword},
		"ErrDisabled":      {"li", TestPassword},
		"ErrEmpty":         {"", ""},
		"ErrHugePassword":  {"zhang", strings.Repeat(TestPassword, 20)},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := s.Login(try[0], try[1])
			if !apperr.Is(err, apperr.Unauthorized) || err.Error() != errBadLogin.Error() {
				t.Fatalf("err = %v, want the one bad-login answer", err)
			}
		})
	}
}

// TestStoreOnRevoke: a reload reports every name whose credential ended,
// once, and nothing for unchanged or new principals.
func TestStoreOnRevoke(t *testing.T) {
	f := MustFile(t)
	MustAddToken(t, f, "hall", "wall")
	MustAddToken(t, f, "hotline", "ingest:hotline")
	MustAddUser(t, f, "zhang", "officer")
	MustAddUser(t, f, "li", "reviewer")
	MustAddUser(t, f, "wang", "admin")
	s := MustOpenStore(t, f)
	var mu sync.Mutex
	var got []string
	s.OnRevoke(func(name string) { mu.Lock(); got = append(got, name); mu.Unlock() })

	if err := f.DisableUser("zhang"); err != nil {
		t.Fatal(err)
	}
	if err := f.SetPassword("li", "Another-Pass-42"); err != nil {
		t.Fatal(err)
	}
	if err := f.RevokeToken("hall"); err != nil {
		t.Fatal(err)
	}
	MustAddUser(t, f, "zhao", "officer")
	if err := s.reload(); err != nil {
		t.Fatal(err)
	}
	if err := s.reload(); err != nil { // unchanged: nothing more
		t.Fatal(err)
	}
	if want := []string{"hall", "li", "zhang"}; !slices.Equal(got, want) {
		t.Fatalf("revoked = %v, want %v", got, want)
	}
}
