package httpapi

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/gridcc/gridcc/backend/apperr"
	"github.com/gridcc/gridcc/backend/auth"
)

// FuzzLogin feeds the login decoder arbitrary bodies: it must never panic,
// must accept only {name, password} with both non-empty and bounded, must
// refuse everything else as invalid, and its errors must never repeat the
// password the body carried.
func FuzzLogin(f *testing.F) {
	for _, seed := range []string{
		`{"name":"zhang","password":"Correct-Horse-9"}`,
		`{"password":"Correct-Horse-9","name":"zhang"}`,
		`{"name":"zhang","password":"Correct-Horse-9"}` + "\n",
		`{}`, `null`, `[]`, `""`, `{"name":null,"password":null}`,
		`{"name":"zhang","password":"secret-pass-1","remember":true}`,
		`{"name":"zhang","password":"secret-pass-1"}{}`,
		`{"name":"zhang","password":"secret-pass-1"} x`,
		`{"name":1,"password":"secret-pass-1"}`,
		`{"name":"zhang","password":["secret-pass-1"]}`,
		`{"name":"zhang","name":"li","password":"secret-pass-1"}`,
		`{"NAME":"zhang","Password":"secret-pass-1"}`,
		`{"name":"\u0000","password":"\ud800\udfff"}`,
		"{\"name\":\"zh\xffang\",\"password\":\"p\xfe\"}",
		`{"name":"` + strings.Repeat("a", 65) + `","password":"x"}`,
		`{"name":"zhang","password":"` + strings.Repeat("x", 129) + `"}`,
		strings.Repeat("[", 5000),
		`{"name":"zhang","password":"secret-pass-1"`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := decodeLogin(body)
		if err == nil {
			if req.Name == "" || len(req.Name) > 64 || req.Password == "" || len(req.Password) > auth.MaxPasswordBytes {
				t.Fatalf("accepted %q as %+v", body, req)
			}
			if !utf8.Valid(body) || !utf8.ValidString(req.Name) || !utf8.ValidString(req.Password) {
				t.Fatalf("accepted invalid UTF-8 in %q", body)
			}
			return
		}
		if !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("error %v is not invalid", err)
		}
		var loose map[string]any
		if json.Unmarshal(body, &loose) == nil {
			if pw, ok := loose["password"].(string); ok && len(pw) >= 4 && strings.Contains(err.Error(), pw) {
				t.Fatalf("the error repeats the password: %v", err)
			}
		}
	})
}
