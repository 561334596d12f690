// Package testsvc gives integration tests the real Redis and ClickHouse that
// scripts/test.sh starts, each test isolated in its own key prefix or
// database. Outside CI a test is skipped with a clear message when a server
// is not configured; in CI (CI set) that is a failure, never a skip.
package testsvc

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const hint = "start the services with `scripts/services.sh start` and run via `scripts/test.sh` (it exports GRIDCC_TEST_REDIS_URL and GRIDCC_TEST_CLICKHOUSE_URL)"

// requireEnv returns the value of name, or skips (outside CI) / fails (in CI).
func requireEnv(tb testing.TB, name string) string {
	tb.Helper()
	v := os.Getenv(name)
	if v != "" {
		return v
	}
	if os.Getenv("CI") != "" {
		tb.Fatalf("%s is not set in CI: %s", name, hint)
	}
	tb.Skipf("integration test skipped: %s is not set; %s", name, hint)
	return ""
}

// RandomName returns prefix followed by 12 random hex digits: a name no other
// test run uses, for key prefixes and databases.
func RandomName(prefix string) string {
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return prefix + hex.EncodeToString(b)
}

// Context returns a context cancelled when the test ends, with a generous
// deadline so a hung dependency fails the test instead of the whole run:
// 5 minutes, or 30 under scripts/soak.sh (GRIDCC_SOAK set), whose fault
// tests last 5 and 10 minutes.
func Context(tb testing.TB) context.Context {
	tb.Helper()
	limit := 5 * time.Minute
	if os.Getenv("GRIDCC_SOAK") != "" {
		limit = 30 * time.Minute
	}
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	tb.Cleanup(cancel)
	return ctx
}

// RepoRoot returns the repository root (the folder holding go.mod), from
// GRIDCC_TEST_REPO_ROOT or by walking up from the working directory.
func RepoRoot(tb testing.TB) string {
	tb.Helper()
	if root := os.Getenv("GRIDCC_TEST_REPO_ROOT"); root != "" {
		return root
	}
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Fatal("testsvc: no go.mod above the working directory")
		}
		dir = parent
	}
}

// InCI reports whether the tests run in CI, where nothing may be skipped.
func InCI() bool { return strings.TrimSpace(os.Getenv("CI")) != "" }
