package chstore_test

import (
	"testing"
	"time"

	"github.com/gridcc/gridcc/backend/chstore"
	"github.com/gridcc/gridcc/backend/event"
	"github.com/gridcc/gridcc/backend/history"
	"github.com/gridcc/gridcc/backend/history/historytest"
	"github.com/gridcc/gridcc/backend/redisbus"
	"github.com/gridcc/gridcc/backend/testsvc"
)

var shanghai = mustZone("Asia/Shanghai")

func mustZone(name string) *time.Location {
	z, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return z
}

// localLock is a Locker for one process, for tests that do not exercise
// the Redis lock; mustConn opens a raw connection to a URL; count runs a
// count query. The package's own tests define them.
type localLock = chstore.OnceLock

var (
	mustConn = chstore.OpenConn
	count    = chstore.CountOf
)

// mustStore returns a store on a database of this test's own.
func mustStore(t *testing.T) (*chstore.Store, string) {
	t.Helper()
	url := testsvc.ClickHouseDatabase(t)
	s := chstore.New(url, shanghai, &localLock{})
	t.Cleanup(func() { s.Close() })
	return s, url
}

// redisLock returns a Redis lock under a key prefix of this test's own.
func redisLock(t *testing.T) *redisbus.Lock {
	t.Helper()
	rdb, prefix := testsvc.Redis(t)
	return redisbus.NewLock(rdb, prefix+"migrate-lock", 5*time.Second)
}

// batchOf numbers the records of cases from seq first on and converts them.
func batchOf(cases []historytest.Case, first uint64) history.Batch {
	var recs []event.Record
	for _, c := range cases {
		recs = append(recs, c.Records()...)
	}
	for i := range recs {
		recs[i].SetSeq(first + uint64(i))
	}
	return history.Rows{Zone: shanghai, SLAs: history.DefaultSLAs}.Batch(recs)
}
