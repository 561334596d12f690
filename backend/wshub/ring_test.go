package wshub

import (
	"strconv"
	"testing"
)

func TestRing(t *testing.T) {
	r := newRing(4)
	r.restart(11)
	all := &filter{}
	if r.first() != 11 || len(r.after(nil, 10, all, false)) != 0 {
		t.Fatal("empty ring not empty")
	}
	for seq := uint64(11); seq <= 16; seq++ {
		b := []byte(strconv.FormatUint(seq, 10))
		r.push(ringEntry{seq: seq, at: attrs{rank: int(seq % 2)}, msg: views{full: b, masked: append([]byte("m"), b...)}})
	}
	if r.first() != 13 {
		t.Fatalf("first = %d, want 13", r.first())
	}
	tests := []struct {
		name   string
		since  uint64
		f      *filter
		masked bool
		want   string
	}{
		{"FromFirst", 12, all, false, "13,14,15,16"},
		{"Middle", 14, all, false, "15,16"},
		{"UpToDate", 16, all, false, ""},
		{"Filtered", 12, &filter{minRank: 1}, false, "13,15"},
		{"Masked", 15, all, true, "m16"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ""
			for i, b := range r.after(nil, tt.since, tt.f, tt.masked) {
				if i > 0 {
					got += ","
				}
				got += string(b)
			}
			if got != tt.want {
				t.Errorf("after(%d) = %q, want %q", tt.since, got, tt.want)
			}
		})
	}
}
