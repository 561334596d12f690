package chstore_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

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
// the Redis lock.
type localLock struct{ mu sync.Mutex }

func (l *localLock) Lock(context.Context) (func(), error) {
	l.mu.Lock()
	return l.mu.Unlock, nil
}

// mustStore returns a store on a database of this test's own.
func mustStore(t *testing.T) (*chstore.Store, string) {
	t.Helper()
	url := testsvc.ClickHouseDatabase(t)
	s := chstore.New(url, shanghai, &localLock{})
	t.Cleanup(func() { s.Close() })
	return s, url
}

// mustConn opens a raw connection to url.
func mustConn(t *testing.T, url string) driver.Conn {
	t.Helper()
	conn, err := chstore.Open(testsvc.Context(t), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
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

// count runs a count query.
func count(t *testing.T, conn driver.Conn, query string, args ...any) uint64 {
	t.Helper()
	var n uint64
	if err := conn.QueryRow(testsvc.Context(t), query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}
