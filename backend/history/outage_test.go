package history_test

import (
	"fmt"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gridcc/gridcc/backend/event"
	"github.com/gridcc/gridcc/backend/history/historytest"
	"github.com/gridcc/gridcc/backend/testsvc"
)

// TestClickHouseDown stops a private ClickHouse for a minute (ten under
// scripts/soak.sh, GRIDCC_SOAK set) while ingest keeps appending, then
// restarts it: the backlog must drain with every record stored exactly
// once, and the writer's memory must not grow with the backlog.
func TestClickHouseDown(t *testing.T) {
	if testing.Short() {
		t.Skip("takes over a minute; run without -short")
	}
	outage := 60 * time.Second
	if os.Getenv("GRIDCC_SOAK") != "" {
		outage = 10 * time.Minute
	}
	ch := testsvc.StartClickHouse(t)
	p := mustPipeline(t, ch.URL)
	opts := fastOptions
	opts.BatchSize, opts.FlushInterval = 500, 200*time.Millisecond
	opts.WriteTimeout, opts.RetryMax, opts.ClaimIdle = 2*time.Second, time.Second, 15*time.Second
	w := p.writer(t, "replica-1", opts)
	run(t, w)
	ctx := testsvc.Context(t)

	// Ingest: one report every 10 ms, through the admission check, for the
	// whole test. Every append must succeed.
	var appended, refused, failed atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			case <-time.After(10 * time.Millisecond):
			}
			if w.Admit(ctx) != nil {
				refused.Add(1)
				continue
			}
			c := historytest.Case{ID: fmt.Sprintf("ev-%d", i), Kind: event.Hotline, Category: "dispute",
				Severity: event.Medium, GridID: "g-1", Street: "s-1", Reported: time.Now()}
			if _, err := p.log.Append(ctx, []event.Report{c.Report()}); err != nil {
				failed.Add(1)
				continue
			}
			appended.Add(1)
		}
	})
	stopIngest := sync.OnceFunc(func() { close(stop); wg.Wait() })
	t.Cleanup(stopIngest)

	conn := mustConn(t, ch.URL)
	waitFor(t, "the first rows in ClickHouse", func() bool { return countNow(t, conn, "SELECT count() FROM change_log") > 0 })

	heapBefore := heapInUse()
	ch.Stop()
	down := time.Now()
	waitFor(t, "/readyz to show the history degraded with a lag", func() bool {
		_, err := w.Check(ctx)
		return err != nil && w.Lag().Records > 0
	})
	time.Sleep(time.Until(down.Add(outage)))
	lagged := w.Lag()
	heapDown := heapInUse()
	ch.Start()
	time.Sleep(2 * time.Second) // ingest goes on after the restart too
	stopIngest()

	conn = mustConn(t, ch.URL)
	n := uint64(appended.Load())
	waitFor(t, "the backlog to drain", func() bool {
		return drained(t, w)() && countNow(t, conn, "SELECT count() FROM change_log") >= n
	})
	if failed.Load() != 0 || refused.Load() != 0 {
		t.Errorf("ingest failed %d and was refused %d times while ClickHouse was down; want it to keep accepting", failed.Load(), refused.Load())
	}
	if lagged.Records < 1000 || lagged.Seconds < 30 {
		t.Errorf("lag at the end of the outage = %+v, want thousands of records and most of a minute", lagged)
	}
	for what, q := range map[string]string{
		"rows":             "SELECT count() FROM change_log",
		"distinct seqs":    "SELECT uniqExact(seq) FROM change_log",
		"events":           "SELECT count() FROM events",
		"reported in KPIs": "SELECT sumMerge(reported) FROM kpi_daily",
		"grid_daily":       "SELECT sum(n) FROM grid_daily",
	} {
		if got := count(t, conn, q); got != n {
			t.Errorf("%s = %d, want %d (every appended event exactly once)", what, got, n)
		}
	}
	if _, err := w.Check(ctx); err != nil {
		t.Errorf("check after recovery: %v", err)
	}
	t.Logf("%d events appended; lag at the end of the outage (%v): %d records, %.0f s; heap in use %d MiB before, %d MiB at the end of the outage",
		n, outage, lagged.Records, lagged.Seconds, heapBefore>>20, heapDown>>20)
	// The writer holds at most two batches whatever the backlog; the rest
	// waits in Redis. 64 MiB is far above two batches of this test's size.
	if heapDown > heapBefore+64<<20 {
		t.Errorf("heap grew from %d to %d MiB during the outage: the writer's memory follows the backlog", heapBefore>>20, heapDown>>20)
	}
}

func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}
