package workflow

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gridcc/gridcc/backend/apperr"
)

// Limits of an action request.
const (
	MaxRequestBytes = 16 << 10 // the HTTP layer refuses a larger body with 413
	MaxReasonRunes  = 1000
	MaxDepartments  = 10
	MaxDueMinutes   = 24 * 60
	maxIDBytes      = 64
	maxEchoedField  = 40
)

// Request is the body of POST /api/v1/events/{id}/actions. Which fields an
// action needs and accepts is in fieldsOf; anything else is refused.
type Request struct {
	Action      Action   `json:"action"`
	Target      string   `json:"target,omitempty"`      // dispatch: directory id; checkin: department; followup_done: follow-up id
	Reason      string   `json:"reason,omitempty"`      // why; the text of a comment; the citizen's words for rate
	Rating      int      `json:"rating,omitempty"`      // rate: 1–5
	Departments []string `json:"departments,omitempty"` // whistle: directory ids of departments
	DueMinutes  int      `json:"due_minutes,omitempty"` // whistle: on-scene deadline; default each department's own
	Into        string   `json:"into,omitempty"`        // merge: the open case to merge into
}

// fields lists an action's required and optional fields (JSON names).
type fields struct{ required, optional []string }

var fieldsOf = map[Action]fields{
	Dispatch:     {[]string{"target"}, []string{"reason"}},
	Accept:       {nil, []string{"reason"}},
	Start:        {nil, []string{"reason"}},
	Resolve:      {[]string{"reason"}, nil},
	Close:        {nil, []string{"reason"}},
	Rate:         {[]string{"rating"}, []string{"reason"}},
	Reopen:       {[]string{"reason"}, nil},
	Comment:      {[]string{"reason"}, nil},
	Acknowledge:  {nil, []string{"reason"}},
	Merge:        {[]string{"into"}, []string{"reason"}},
	Whistle:      {[]string{"departments", "reason"}, []string{"due_minutes"}},
	CheckIn:      {[]string{"target"}, []string{"reason"}},
	FollowUpDone: {[]string{"target"}, []string{"reason"}},
}

var requestFields = []string{"action", "target", "reason", "rating", "departments", "due_minutes", "into"}

// DecodeRequest parses and checks an action request strictly: one JSON
// object of valid UTF-8, known field names spelled exactly, each once, with
// its JSON type, nothing after it; a known request action; exactly the
// fields that action uses, the required ones present and non-empty; and
// valid values (ids of A-Z a-z 0-9 . _ : -, reason up to 1000 characters
// without control characters other than newline and tab, rating 1–5, 1–10
// distinct departments, due_minutes 1–1440). Every failure is an
// *apperr.Error with code Invalid (TooLarge over MaxRequestBytes) naming
// the field.
func DecodeRequest(body []byte) (Request, error) {
	var req Request
	if len(body) > MaxRequestBytes {
		return req, apperr.New(apperr.TooLarge, "an action request must be at most %d bytes", MaxRequestBytes)
	}
	if rest := bytes.TrimLeft(body, " \t\r\n"); len(rest) == 0 || rest[0] != '{' {
		return req, apperr.New(apperr.Invalid, "body must be a JSON object, e.g. {\"action\":\"accept\"}")
	}
	if !utf8.Valid(body) {
		return req, apperr.New(apperr.Invalid, "body must be valid UTF-8")
	}
	present, err := keysOf(body)
	if err != nil {
		return req, err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		return Request{}, decodeError(err)
	}
	if rest := bytes.TrimLeft(body[dec.InputOffset():], " \t\r\n"); len(rest) > 0 {
		return Request{}, apperr.New(apperr.Invalid, "unexpected data after the JSON object")
	}
	if err := req.check(present); err != nil {
		return Request{}, err
	}
	return req, nil
}

// keysOf walks the object's keys: each must be a field, spelled exactly
// (encoding/json would accept "Action"), and given once.
func keysOf(body []byte) (map[string]bool, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	if _, err := dec.Token(); err != nil {
		return nil, decodeError(err)
	}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, decodeError(err)
		}
		key, _ := tok.(string)
		switch {
		case !slices.Contains(requestFields, key):
			return nil, apperr.Field(apperr.Invalid, echo(key), "unknown field %q; known: %s", echo(key), strings.Join(requestFields, ", "))
		case seen[key]:
			return nil, apperr.Field(apperr.Invalid, key, "%s is given twice", key)
		}
		seen[key] = true
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return nil, decodeError(err)
		}
	}
	return seen, nil
}

// echo bounds a sender's field name before it goes into an error.
func echo(s string) string {
	if utf8.RuneCountInString(s) > maxEchoedField {
		return string([]rune(s)[:maxEchoedField]) + "…"
	}
	return s
}

func decodeError(err error) error {
	var typ *json.UnmarshalTypeError
	var syn *json.SyntaxError
	switch {
	case errors.As(err, &typ):
		want := "string"
		switch typ.Field {
		case "rating", "due_minutes":
			want = "integer"
		case "departments":
			want = "array of strings"
		}
		return apperr.Field(apperr.Invalid, typ.Field, "%s must be a JSON %s", typ.Field, want)
	case errors.As(err, &syn):
		return apperr.New(apperr.Invalid, "malformed JSON at byte offset %d: %v", max(syn.Offset-1, 0), syn)
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return apperr.New(apperr.Invalid, "malformed JSON: the body ends early")
	}
	return apperr.Wrap(err, apperr.Invalid, "malformed JSON")
}

// check applies the per-action field rules and the value rules.
func (r *Request) check(present map[string]bool) error {
	f, ok := fieldsOf[r.Action]
	if !ok {
		names := make([]string, len(Actions))
		for i, a := range Actions {
			names[i] = string(a)
		}
		return apperr.Field(apperr.Invalid, "action", "action is required: one of %s", strings.Join(names, ", "))
	}
	for _, name := range requestFields[1:] {
		if present[name] && !slices.Contains(f.required, name) && !slices.Contains(f.optional, name) {
			return apperr.Field(apperr.Invalid, name, "%s is not used by action %s", name, r.Action)
		}
	}
	for _, name := range f.required {
		if !present[name] || r.empty(name) {
			return apperr.Field(apperr.Invalid, name, "%s is required for action %s", name, r.Action)
		}
	}
	return r.checkValues(present)
}

func (r *Request) empty(name string) bool {
	switch name {
	case "target":
		return r.Target == ""
	case "reason":
		return r.Reason == ""
	case "departments":
		return len(r.Departments) == 0
	case "into":
		return r.Into == ""
	}
	return false
}

func (r *Request) checkValues(present map[string]bool) error {
	for _, err := range []error{
		checkID("target", r.Target),
		checkID("into", r.Into),
		checkReason(r.Reason, present["reason"]),
		checkRange("rating", r.Rating, present["rating"], 1, 5),
		checkRange("due_minutes", r.DueMinutes, present["due_minutes"], 1, MaxDueMinutes),
		checkDepartments(r.Departments),
	} {
		if err != nil {
			return err
		}
	}
	return nil
}

func checkID(field, v string) error {
	if len(v) > maxIDBytes {
		return apperr.Field(apperr.Invalid, field, "%s must be at most %d characters", field, maxIDBytes)
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == ':' || c == '-') {
			return apperr.Field(apperr.Invalid, field, "%s may contain only A-Z a-z 0-9 . _ : - (character %d is not allowed)", field, i+1)
		}
	}
	return nil
}

func checkReason(v string, present bool) error {
	switch {
	case present && strings.TrimSpace(v) == "":
		return apperr.Field(apperr.Invalid, "reason", "reason must not be blank")
	case utf8.RuneCountInString(v) > MaxReasonRunes:
		return apperr.Field(apperr.Invalid, "reason", "reason must be at most %d characters", MaxReasonRunes)
	}
	for i, c := range []rune(v) {
		if unicode.IsControl(c) && c != '\n' && c != '\t' {
			return apperr.Field(apperr.Invalid, "reason", "reason must not contain control characters other than newline and tab (U+%04X at character %d)", c, i+1)
		}
	}
	return nil
}

func checkRange(field string, v int, present bool, lo, hi int) error {
	if present && (v < lo || v > hi) {
		return apperr.Field(apperr.Invalid, field, "%s must be an integer from %d to %d", field, lo, hi)
	}
	return nil
}

func checkDepartments(ids []string) error {
	if len(ids) > MaxDepartments {
		return apperr.Field(apperr.Invalid, "departments", "departments must list at most %d departments", MaxDepartments)
	}
	for i, id := range ids {
		if id == "" {
			return apperr.Field(apperr.Invalid, "departments", "departments[%d] is empty", i)
		}
		if err := checkID("departments", id); err != nil {
			return err
		}
		if slices.Contains(ids[:i], id) {
			return apperr.Field(apperr.Invalid, "departments", "departments lists %s twice", id)
		}
	}
	return nil
}
