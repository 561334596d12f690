package redisbus_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/gridcc/gridcc/backend/event"
	"github.com/gridcc/gridcc/backend/redisbus"
	"github.com/gridcc/gridcc/backend/testsvc"
)

// BenchmarkAppend appends one report per call, as an ingest of one event
// does, with a 500-byte event and its two first SLA deadlines. Besides the
// round trip it reports redis-µs/op: the time Redis's single thread spends
// in the append script (INFO commandstats), which every other client of
// that thread waits behind, so it sets the acknowledgement's tail under
// load more than the round trip of an idle machine does. The figure counts
// every EVALSHA on that Redis: run the benchmark alone on it.
func BenchmarkAppend(b *testing.B) {
	for _, dispute := range []bool{false, true} {
		b.Run(fmt.Sprintf("dispute=%v", dispute), func(b *testing.B) {
			rdb, prefix := testsvc.Redis(b)
			log := redisbus.NewLog(rdb, redisbus.NewKeys(prefix), time.Hour)
			ctx := testsvc.Context(b)
			reports := make([]event.Report, b.N)
			for i := range reports {
				reports[i] = benchReport(i, dispute)
			}
			before := scriptStats(b, rdb)
			b.ResetTimer()
			for i := range reports {
				if _, err := log.Append(ctx, reports[i:i+1]); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			after := scriptStats(b, rdb)
			if calls := after.calls - before.calls; calls > 0 {
				b.ReportMetric(float64(after.usec-before.usec)/float64(calls), "redis-µs/op")
			}
		})
	}
}

// benchReport is report i of BenchmarkAppend: a hotline request of about
// the size gridsim load sends, with the deadlines ingest would queue.
func benchReport(i int, dispute bool) event.Report {
	id := fmt.Sprintf("bench-%d", i)
	rep := newReport(id, "src-"+strconv.Itoa(i), "fp-"+strconv.Itoa(i))
	e := &rep.Record.Event
	e.Description = strings.Repeat("居民反映楼道堆放杂物", 16)
	e.Address = "川汇区七一路街道某小区3号楼"
	e.Lon, e.Lat = 114.65, 33.62
	rep.Intake = event.Intake{Dispute: dispute, Deadlines: []event.Timed{
		{Member: id + "|respond", Due: e.ReportedAt.Add(30 * time.Minute)},
		{Member: id + "|resolve", Due: e.ReportedAt.Add(72 * time.Hour)},
	}}
	return rep
}

type commandStat struct{ calls, usec int64 }

// scriptStats reads EVALSHA's calls and total time from INFO commandstats
// (a line "calls=…,usec=…,…").
func scriptStats(b *testing.B, rdb *redis.Client) commandStat {
	b.Helper()
	info := rdb.InfoMap(testsvc.Context(b), "commandstats")
	if err := info.Err(); err != nil {
		b.Fatal(err)
	}
	var s commandStat
	for field := range strings.SplitSeq(info.Item("Commandstats", "cmdstat_evalsha"), ",") {
		k, v, _ := strings.Cut(field, "=")
		switch k {
		case "calls":
			s.calls, _ = strconv.ParseInt(v, 10, 64)
		case "usec":
			s.usec, _ = strconv.ParseInt(v, 10, 64)
		}
	}
	return s
}
