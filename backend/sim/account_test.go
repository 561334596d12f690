package sim

import (
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	hundred := make([]int64, 100)
	for i := range hundred {
		hundred[i] = int64(i + 1)
	}
	for _, tc := range []struct {
		name   string
		values []int64
		p      float64
		want   int64
	}{
		{"OK_empty", nil, 50, 0},
		{"OK_one", []int64{7}, 99, 7},
		{"OK_p50of100", hundred, 50, 50},
		{"OK_p95of100", hundred, 95, 95},
		{"OK_p99of100", hundred, 99, 99},
		{"OK_max", hundred, 100, 100},
		{"OK_p50ofFour", []int64{1, 2, 3, 4}, 50, 2},
		{"OK_p99ofFour", []int64{1, 2, 3, 4}, 99, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := percentile(tc.values, tc.p); got != tc.want {
				t.Errorf("percentile(%v) = %d, want %d", tc.p, got, tc.want)
			}
		})
	}
}

func TestAccount(t *testing.T) {
	const msn = int64(time.Millisecond)
	// Three events acknowledged (sent at 0, 10 and 20 ms), one refused.
	sends := []sendRec{
		{idHash: 1, at: 0, ok: true},
		{idHash: 2, at: 10 * msn, ok: true},
		{idHash: 3, at: 20 * msn, ok: true},
		{idHash: 4, at: 30 * msn, ok: false},
	}
	for _, tc := range []struct {
		name    string
		clients [][]recv
		closed  []bool
		cutoff  int64
		want    tally
		latency []int64 // ms
	}{
		{"OK_allDelivered", [][]recv{
			{{1, 2 * msn}, {2, 13 * msn}, {3, 24 * msn}},
			{{1, 5 * msn}, {2, 15 * msn}, {3, 21 * msn}},
		}, nil, 0, tally{published: 3, delivered: 6}, []int64{1, 2, 3, 4, 5, 5}},
		{"OK_warmupExcluded", [][]recv{
			{{1, 2 * msn}, {2, 13 * msn}, {3, 24 * msn}},
		}, nil, 10 * msn, tally{published: 3, delivered: 3}, []int64{3, 4}},
		{"Lost", [][]recv{
			{{1, 2 * msn}, {3, 24 * msn}},
			{},
		}, nil, 0, tally{published: 3, delivered: 2, lost: 4}, []int64{2, 4}},
		{"LostOnClosedClient", [][]recv{
			{{1, 2 * msn}, {3, 24 * msn}},
			{{1, 3 * msn}},
		}, []bool{false, true}, 0, tally{published: 3, delivered: 3, lost: 3, lostClosed: 2}, []int64{2, 3, 4}},
		{"Duplicates", [][]recv{
			{{1, 2 * msn}, {1, 3 * msn}, {2, 13 * msn}, {3, 24 * msn}, {3, 30 * msn}},
		}, nil, 0, tally{published: 3, delivered: 5, duplicates: 2}, []int64{2, 3, 4}},
		{"Foreign", [][]recv{
			{{9, 1 * msn}, {1, 2 * msn}, {4, 31 * msn}, {2, 13 * msn}, {3, 24 * msn}},
		}, nil, 0, tally{published: 3, delivered: 3, foreign: 2}, []int64{2, 3, 4}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			closed := tc.closed
			if closed == nil {
				closed = make([]bool, len(tc.clients))
			}
			got := account(sends, tc.clients, closed, tc.cutoff)
			if got.published != tc.want.published || got.delivered != tc.want.delivered || got.lost != tc.want.lost || got.lostClosed != tc.want.lostClosed ||
				got.duplicates != tc.want.duplicates || got.foreign != tc.want.foreign {
				t.Errorf("account = %+v, want %+v", got, tc.want)
			}
			if len(got.latency) != len(tc.latency) {
				t.Fatalf("latency samples %v, want %v ms", got.latency, tc.latency)
			}
			for i, l := range tc.latency {
				if got.latency[i] != l*msn {
					t.Errorf("latency[%d] = %v, want %d ms", i, time.Duration(got.latency[i]), l)
				}
			}
		})
	}
}
