package sim

import (
	"math"
	"slices"
	"time"
)

// sendRec is one POST of the load run.
type sendRec struct {
	idHash uint64 // hash of the acknowledged id (see hashID)
	at     int64  // ns since the run's base, just before the POST was sent
	ackAt  int64  // ns since the base when the answer arrived
	due    int64  // ns since the base when the schedule wanted it sent
	ok     bool   // answered 2xx
}

// recv is one event message as a client received it.
type recv struct {
	idHash uint64
	at     int64 // ns since the run's base, when the frame was read
}

// tally is the delivery accounting of a run.
type tally struct {
	published  int64   // acknowledged events
	delivered  int64   // event messages of acknowledged events received, duplicates included
	lost       int64   // (client, acknowledged event) pairs never received
	lostClosed int64   // of lost, those of clients the server closed (they would resume with since)
	duplicates int64   // event messages a client had already received
	foreign    int64   // event messages of events this run did not acknowledge
	latency    []int64 // ns, one per first receipt of an event sent at or after the cutoff; sorted
}

// account matches every client's receipts with the acknowledged POSTs.
// Latency is receive time minus the POST's send time, counted once per
// (client, event), for events sent at or after cutoff (the warm-up ends).
// closed[c] says the server closed client c during the run.
func account(sends []sendRec, clients [][]recv, closed []bool, cutoff int64) tally {
	var t tally
	index := make(map[uint64]int32, len(sends))
	for i, s := range sends {
		if s.ok {
			index[s.idHash] = int32(i)
			t.published++
		}
	}
	samples := 0
	for _, recs := range clients {
		samples += len(recs)
	}
	t.latency = make([]int64, 0, samples)
	// seen[i] holds the number (1-based) of the last client that received
	// send i: one array for all clients, never cleared.
	seen := make([]int32, len(sends))
	for c, recs := range clients {
		stamp := int32(c + 1)
		distinct := int64(0)
		for _, r := range recs {
			i, ok := index[r.idHash]
			if !ok {
				t.foreign++
				continue
			}
			t.delivered++
			if seen[i] == stamp {
				t.duplicates++
				continue
			}
			seen[i] = stamp
			distinct++
			if sends[i].at >= cutoff {
				t.latency = append(t.latency, r.at-sends[i].at)
			}
		}
		t.lost += t.published - distinct
		if closed[c] {
			t.lostClosed += t.published - distinct
		}
	}
	slices.Sort(t.latency)
	return t
}

// percentile returns the nearest-rank p-th percentile (0 < p <= 100) of
// sorted values: the smallest value with at least p% of the values at or
// below it. It returns 0 for no values.
func percentile(sorted []int64, p float64) int64 {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	return sorted[min(max(rank, 1), len(sorted))-1]
}

// ms converts nanoseconds to milliseconds rounded to 0.01.
func ms(ns int64) float64 {
	return math.Round(float64(ns)/float64(time.Millisecond)*100) / 100
}
