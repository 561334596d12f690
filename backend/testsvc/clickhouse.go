package testsvc

import (
	"net/url"
	"testing"

	"github.com/ClickHouse/clickhouse-go/v2"
)

// ClickHouseURL returns the URL of the shared test ClickHouse.
func ClickHouseURL(tb testing.TB) string {
	tb.Helper()
	return requireEnv(tb, "GRIDCC_TEST_CLICKHOUSE_URL")
}

// ClickHouseDatabase creates a database of this test's own on the shared test
// ClickHouse, drops it when the test ends, and returns a URL pointing at it.
func ClickHouseDatabase(tb testing.TB) string {
	tb.Helper()
	base := ClickHouseURL(tb)
	opts, err := clickhouse.ParseDSN(base)
	if err != nil {
		tb.Fatalf("testsvc: GRIDCC_TEST_CLICKHOUSE_URL: %v", err)
	}
	conn, err := clickhouse.Open(opts)
	if err != nil {
		tb.Fatalf("testsvc: open ClickHouse: %v", err)
	}
	ctx := Context(tb)
	if err := conn.Ping(ctx); err != nil {
		tb.Fatalf("testsvc: ClickHouse at GRIDCC_TEST_CLICKHOUSE_URL does not answer: %v (%s)", err, hint)
	}
	db := RandomName("gridcc_test_")
	if err := conn.Exec(ctx, "CREATE DATABASE "+db); err != nil {
		tb.Fatalf("testsvc: create database: %v", err)
	}
	tb.Cleanup(func() {
		defer conn.Close()
		if err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+db); err != nil {
			tb.Errorf("testsvc: drop database %s: %v", db, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatal(err)
	}
	u.Path = "/" + db
	return u.String()
}
