package workflow_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/gridcc/gridcc/backend/apperr"
	"github.com/gridcc/gridcc/backend/workflow"
)

func TestDecodeRequest(t *testing.T) {
	tests := []struct {
		name      string
		body      string
		want      workflow.Request
		wantField string // "" with wantCode "" is OK
		wantCode  apperr.Code
	}{
		{"OK_dispatch", `{"action":"dispatch","target":"411602001-pcs","reason":"辖区派出所"}`,
			workflow.Request{Action: "dispatch", Target: "411602001-pcs", Reason: "辖区派出所"}, "", ""},
		{"OK_accept", ` {"action":"accept"} `, workflow.Request{Action: "accept"}, "", ""},
		{"OK_rate", `{"action":"rate","rating":5,"reason":"很满意"}`, workflow.Request{Action: "rate", Rating: 5, Reason: "很满意"}, "", ""},
		{"OK_whistle", `{"action":"whistle","departments":["a","b"],"due_minutes":15,"reason":"联合"}`,
			workflow.Request{Action: "whistle", Departments: []string{"a", "b"}, DueMinutes: 15, Reason: "联合"}, "", ""},
		{"OK_merge", `{"action":"merge","into":"x-1"}`, workflow.Request{Action: "merge", Into: "x-1"}, "", ""},
		{"OK_multilineReason", `{"action":"comment","reason":"一\n二\t三"}`, workflow.Request{Action: "comment", Reason: "一\n二\t三"}, "", ""},
		{"ErrEmpty", ``, workflow.Request{}, "", apperr.Invalid},
		{"ErrNotObject", `[]`, workflow.Request{}, "", apperr.Invalid},
		{"ErrNull", `null`, workflow.Request{}, "", apperr.Invalid},
		{"ErrTruncated", `{"action":"accept"`, workflow.Request{}, "", apperr.Invalid},
		{"ErrTrailing", `{"action":"accept"}{}`, workflow.Request{}, "", apperr.Invalid},
		{"ErrInvalidUTF8", "{\"action\":\"comment\",\"reason\":\"\xff\"}", workflow.Request{}, "", apperr.Invalid},
		{"ErrNoAction", `{}`, workflow.Request{}, "action", apperr.Invalid},
		{"ErrUnknownAction", `{"action":"delete"}`, workflow.Request{}, "action", apperr.Invalid},
		{"ErrSystemAction", `{"action":"overdue"}`, workflow.Request{}, "action", apperr.Invalid},
		{"ErrUnknownField", `{"action":"accept","who":"x"}`, workflow.Request{}, "who", apperr.Invalid},
		{"ErrCaseFolded", `{"Action":"accept"}`, workflow.Request{}, "Action", apperr.Invalid},
		{"ErrDuplicate", `{"action":"accept","action":"start"}`, workflow.Request{}, "action", apperr.Invalid},
		{"ErrTargetMissing", `{"action":"dispatch"}`, workflow.Request{}, "target", apperr.Invalid},
		{"ErrTargetEmpty", `{"action":"dispatch","target":""}`, workflow.Request{}, "target", apperr.Invalid},
		{"ErrTargetChars", `{"action":"dispatch","target":"a b"}`, workflow.Request{}, "target", apperr.Invalid},
		{"ErrTargetLong", `{"action":"dispatch","target":"` + strings.Repeat("a", 65) + `"}`, workflow.Request{}, "target", apperr.Invalid},
		{"ErrTargetType", `{"action":"dispatch","target":7}`, workflow.Request{}, "target", apperr.Invalid},
		{"ErrUnusedField", `{"action":"accept","rating":3}`, workflow.Request{}, "rating", apperr.Invalid},
		{"ErrUnusedInto", `{"action":"close","into":"x"}`, workflow.Request{}, "into", apperr.Invalid},
		{"ErrReasonRequired", `{"action":"resolve"}`, workflow.Request{}, "reason", apperr.Invalid},
		{"ErrReasonBlank", `{"action":"comment","reason":"  "}`, workflow.Request{}, "reason", apperr.Invalid},
		{"ErrReasonControl", `{"action":"comment","reason":"a\u0000b"}`, workflow.Request{}, "reason", apperr.Invalid},
		{"ErrReasonLong", `{"action":"comment","reason":"` + strings.Repeat("长", 1001) + `"}`, workflow.Request{}, "reason", apperr.Invalid},
		{"ErrRatingMissing", `{"action":"rate"}`, workflow.Request{}, "rating", apperr.Invalid},
		{"ErrRatingZero", `{"action":"rate","rating":0}`, workflow.Request{}, "rating", apperr.Invalid},
		{"ErrRatingSix", `{"action":"rate","rating":6}`, workflow.Request{}, "rating", apperr.Invalid},
		{"ErrRatingFraction", `{"action":"rate","rating":4.5}`, workflow.Request{}, "rating", apperr.Invalid},
		{"ErrRatingHuge", `{"action":"rate","rating":1e400}`, workflow.Request{}, "rating", apperr.Invalid},
		{"ErrRatingString", `{"action":"rate","rating":"5"}`, workflow.Request{}, "rating", apperr.Invalid},
		{"ErrDepartmentsMissing", `{"action":"whistle","reason":"x"}`, workflow.Request{}, "departments", apperr.Invalid},
		{"ErrDepartmentsEmpty", `{"action":"whistle","departments":[],"reason":"x"}`, workflow.Request{}, "departments", apperr.Invalid},
		{"ErrDepartmentsTwice", `{"action":"whistle","departments":["a","a"],"reason":"x"}`, workflow.Request{}, "departments", apperr.Invalid},
		{"ErrDepartmentsEmptyItem", `{"action":"whistle","departments":[""],"reason":"x"}`, workflow.Request{}, "departments", apperr.Invalid},
		{"ErrDepartmentsTooMany", `{"action":"whistle","departments":["a","b","c","d","e","f","g","h","i","j","k"],"reason":"x"}`, workflow.Request{}, "departments", apperr.Invalid},
		{"ErrDepartmentsType", `{"action":"whistle","departments":"a","reason":"x"}`, workflow.Request{}, "departments", apperr.Invalid},
		{"ErrDueMinutesRange", `{"action":"whistle","departments":["a"],"reason":"x","due_minutes":0}`, workflow.Request{}, "due_minutes", apperr.Invalid},
		{"ErrDueMinutesLong", `{"action":"whistle","departments":["a"],"reason":"x","due_minutes":1441}`, workflow.Request{}, "due_minutes", apperr.Invalid},
		{"ErrIntoMissing", `{"action":"merge"}`, workflow.Request{}, "into", apperr.Invalid},
		{"ErrTooLarge", `{"action":"comment","reason":"` + strings.Repeat("a", workflow.MaxRequestBytes) + `"}`, workflow.Request{}, "", apperr.TooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := workflow.DecodeRequest([]byte(tt.body))
			if tt.wantCode == "" {
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got, tt.want) {
					t.Fatalf("got %+v, want %+v", got, tt.want)
				}
				return
			}
			ae := wantCode(t, err, tt.wantCode)
			if ae.Field != tt.wantField {
				t.Fatalf("field = %q, want %q (%v)", ae.Field, tt.wantField, err)
			}
		})
	}
}

// FuzzActionRequest checks that the decoder never panics, that every
// refusal is an *apperr.Error with a client code, and that what it accepts
// survives a round trip through JSON unchanged.
func FuzzActionRequest(f *testing.F) {
	for _, s := range []string{`{"action":"accept"}`, `{"action":"rate","rating":5,"reason":"好"}`,
		`{"action":"whistle","departments":["a","b"],"due_minutes":15,"reason":"x"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := workflow.DecodeRequest(body)
		if err != nil {
			if c := apperr.CodeOf(err); c != apperr.Invalid && c != apperr.TooLarge {
				t.Fatalf("code %s for %q: %v", c, body, err)
			}
			return
		}
		again, err := json.Marshal(req)
		if err != nil {
			t.Fatal(err)
		}
		back, err := workflow.DecodeRequest(again)
		if err != nil || !reflect.DeepEqual(back, req) {
			t.Fatalf("round trip of %q: %+v, %v; want %+v", again, back, err, req)
		}
	})
}
