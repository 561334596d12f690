package audit_test

import (
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/gridcc/gridcc/backend/audit"
	"github.com/gridcc/gridcc/backend/testsvc"
)

// TestWriterClickHouseKilled kills a private ClickHouse (kill -9) while
// records keep coming, then restarts it: every record must end up in the
// audit table, through the Redis list, with no request ever waiting.
func TestWriterClickHouseKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a private ClickHouse; run without -short")
	}
	ch := testsvc.StartClickHouse(t)
	rdb, prefix := testsvc.Redis(t)
	reg := prometheus.NewRegistry()
	opts := fast
	opts.InsertTimeout = 2 * time.Second
	w := audit.New(audit.ClickHouse(ch.URL, &localLock{}), rdb, prefix, opts, reg)
	run(t, w)

	n := 0
	record := func(k int) {
		for range k {
			start := time.Now()
			w.Record(rec(n))
			if d := time.Since(start); d > 50*time.Millisecond {
				t.Errorf("Record blocked for %s", d)
			}
			n++
		}
	}
	record(10)
	eventually(t, "the first records written", func() bool { return value(t, reg, "gridcc_audit_written_total") == 10 })

	ch.Kill()
	record(100)
	eventually(t, "records parked in Redis", func() bool { return value(t, reg, "gridcc_audit_spilled_total") == 100 })
	ch.Start()
	record(10)
	eventually(t, "everything in ClickHouse", func() bool {
		recs, err := w.Query(testsvc.Context(t), audit.Query{From: time.Now().Add(-time.Hour), To: time.Now().Add(time.Hour)})
		return err == nil && len(recs) == n
	})
	if v := value(t, reg, "gridcc_audit_dropped_total"); v != 0 {
		t.Errorf("dropped = %v", v)
	}
}
