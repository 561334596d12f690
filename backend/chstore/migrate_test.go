package chstore_test

import (
	"sync"
	"testing"
	"time"

	"github.com/gridcc/gridcc/backend/chstore"
	"github.com/gridcc/gridcc/backend/testsvc"
)

func TestMigrate(t *testing.T) {
	t.Run("OK_idempotent", func(t *testing.T) {
		ctx := testsvc.Context(t)
		conn := mustConn(t, testsvc.ClickHouseDatabase(t))
		first, err := chstore.Migrate(ctx, conn, &localLock{})
		if err != nil {
			t.Fatal(err)
		}
		if len(first) == 0 {
			t.Fatal("first run applied nothing")
		}
		again, err := chstore.Migrate(ctx, conn, &localLock{})
		if err != nil || len(again) != 0 {
			t.Fatalf("second run: applied %v, err %v; want nothing", again, err)
		}
		if n := count(t, conn, "SELECT count() FROM schema_migrations"); n != uint64(len(first)) {
			t.Errorf("schema_migrations has %d rows, want %d", n, len(first))
		}
	})

	t.Run("OK_concurrentReplicasApplyOnce", func(t *testing.T) {
		ctx := testsvc.Context(t)
		url := testsvc.ClickHouseDatabase(t)
		lock := redisLock(t)
		const replicas = 5
		applied := make([][]string, replicas)
		errs := make([]error, replicas)
		var wg sync.WaitGroup
		for i := range replicas {
			conn := mustConn(t, url)
			wg.Go(func() { applied[i], errs[i] = chstore.Migrate(ctx, conn, lock) })
		}
		wg.Wait()
		total := 0
		for i := range replicas {
			if errs[i] != nil {
				t.Errorf("replica %d: %v", i, errs[i])
			}
			if len(applied[i]) > 0 {
				total++
			}
		}
		if total != 1 {
			t.Errorf("%d replicas applied migrations, want exactly 1 (the others wait and find them done)", total)
		}
		conn := mustConn(t, url)
		if n, v := count(t, conn, "SELECT count() FROM schema_migrations"), count(t, conn, "SELECT uniqExact(version) FROM schema_migrations"); n != v {
			t.Errorf("schema_migrations has %d rows for %d versions: a migration was recorded twice", n, v)
		}
	})

	t.Run("ErrChangedAfterApplied", func(t *testing.T) {
		ctx := testsvc.Context(t)
		conn := mustConn(t, testsvc.ClickHouseDatabase(t))
		if _, err := chstore.Migrate(ctx, conn, &localLock{}); err != nil {
			t.Fatal(err)
		}
		b, err := conn.PrepareBatch(ctx, "INSERT INTO schema_migrations (version, name, checksum, applied_at)")
		if err != nil {
			t.Fatal(err)
		}
		if err := b.Append(uint32(1), "history_meta", "edited", time.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := b.Send(); err != nil {
			t.Fatal(err)
		}
		if _, err := chstore.Migrate(ctx, conn, &localLock{}); err == nil {
			t.Fatal("Migrate accepted a migration whose file changed after it was applied")
		}
	})
}
