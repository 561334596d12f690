package event

import (
	"strings"
	"testing"
)

func TestValidAreaCode(t *testing.T) {
	for _, c := range []struct {
		code string
		want bool
	}{
		{"411602001", true},
		{"411602002-017", true},
		{"street:a.b_c", true},
		{strings.Repeat("9", 64), true},
		{"", false},
		{strings.Repeat("9", 65), false},
		{"4116 02001", false},
		{"411602001%", false},
		{"七一路街道", false},
		{"411602001\x00", false},
		{"' OR 1=1 --", false},
	} {
		if got := ValidAreaCode(c.code); got != c.want {
			t.Errorf("ValidAreaCode(%q) = %v, want %v", c.code, got, c.want)
		}
	}
}
