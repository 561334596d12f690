//go:build unix

package wshub

import (
	"syscall"
	"testing"
	"time"

	"github.com/gridcc/gridcc/backend/event"
)

// BenchmarkBroadcast measures Apply with 1,000 subscribed in-process clients
// (no sockets: the cost of the broadcast path itself): one encoding per
// view, the mirror and ring update, and one enqueue per matching client.
// A third of the clients are masked, a third filter on one street.
//
// Besides ns/op it reports cpu-ns/op, the process CPU time per record
// (including GC), which stays meaningful on a shared, loaded machine.
func BenchmarkBroadcast(b *testing.B) {
	const clients = 1000
	h := New(Options{Location: testZone, QueueBytes: 1 << 30}, nil, nil)
	h.Reset(Snapshot{Epoch: "e1", Day: "2025-06-01"})
	all := make([]*client, clients)
	for i := range all {
		ci := ClientInfo{Name: "bench", Masked: i%3 == 1}
		f := Filter{}
		if i%3 == 2 {
			f.Streets = testStreets[:1]
		}
		c := newClient(h, nil, ci)
		if c.filter, _ = compileFilter(f, Scope{}); c.filter == nil {
			b.Fatal("filter")
		}
		h.conns[c] = struct{}{}
		h.subs = append(h.subs, c)
		all[i] = c
	}
	g := newGen(9, 0)
	recs := make([]event.Record, 4096)
	for i := range recs {
		recs[i] = g.next()
	}
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime(b)
	for i := range b.N {
		r := recs[i%len(recs)]
		r.SetSeq(uint64(i + 1))
		h.Apply(r)
		if i%1024 == 1023 { // keep the queues bounded, as the writers would
			b.StopTimer()
			for _, c := range all {
				q := c.take()
				n := 0
				for _, it := range q {
					n += len(it.b)
				}
				c.release(n, q)
			}
			b.StartTimer()
		}
	}
	b.ReportMetric(float64((cpuTime(b)-cpu0).Nanoseconds())/float64(b.N), "cpu-ns/op")
}

// cpuTime returns the process's user and system CPU time so far.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
