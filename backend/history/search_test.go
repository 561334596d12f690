package history_test

import (
	"strings"
	"testing"

	"github.com/gridcc/gridcc/backend/apperr"
	"github.com/gridcc/gridcc/backend/history"
)

func TestParseSearchText(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
		err            bool
	}{
		{name: "OK_trimmed", in: "  漏水 \t", want: "漏水"},
		{name: "OK_twoLetters", in: "ab", want: "ab"},
		{name: "OK_hundredCJK", in: strings.Repeat("漏", 100), want: strings.Repeat("漏", 100)},
		{name: "ErrMissing", in: "", err: true},
		{name: "ErrOnlySpace", in: "   ", err: true},
		{name: "ErrOneCharacter", in: " 漏 ", err: true},
		{name: "ErrTooLong", in: strings.Repeat("a", 101), err: true},
		{name: "ErrNotUTF8", in: "a\xffb", err: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := history.ParseSearchText(tc.in)
			if tc.err {
				var e *apperr.Error
				if !asAppErr(err, &e) || e.Code != apperr.Invalid || e.Field != "q" {
					t.Fatalf("err = %v, want Invalid on field q", err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("got %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}
