package chstore_test

import (
	"testing"

	"github.com/gridcc/gridcc/backend/chstore"
)

func TestInsertRange(t *testing.T) {
	id := chstore.InsertQueryID("change_log", 17, 50016)
	if a, b := chstore.InsertQueryID("events", 1, 2), chstore.InsertQueryID("events", 1, 2); a == b {
		t.Errorf("two attempts got the same query id %q", a)
	}
	tests := []struct {
		id     string
		lo, hi uint64
		ok     bool
	}{
		{id, 17, 50016, true},
		{"gridcc-insert/0-18446744073709551615/events/ab", 0, 1<<64 - 1, true},
		{"", 0, 0, false},
		{"4b1c9e52-7c1e-4c1a-9d2e-000000000000", 0, 0, false}, // a query of someone else
		{"gridcc-insert/17/change_log/ab", 0, 0, false},
		{"gridcc-insert/x-5/change_log/ab", 0, 0, false},
		{"gridcc-insert/5-/change_log/ab", 0, 0, false},
	}
	for _, tt := range tests {
		lo, hi, ok := chstore.InsertRange(tt.id)
		if ok != tt.ok || (ok && (lo != tt.lo || hi != tt.hi)) {
			t.Errorf("InsertRange(%q) = %d, %d, %v; want %d, %d, %v", tt.id, lo, hi, ok, tt.lo, tt.hi, tt.ok)
		}
	}
}
