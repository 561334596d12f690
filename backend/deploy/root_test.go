package deploy

import (
	"os"
	"path/filepath"
	"testing"
)

// repoRoot returns the repository root: GRIDCC_TEST_REPO_ROOT when
// scripts/test.sh sets it, else the nearest parent directory with a go.mod
// (go test runs in backend/deploy).
func repoRoot(tb testing.TB) string {
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
			tb.Fatal("no go.mod above the test's directory; set GRIDCC_TEST_REPO_ROOT")
		}
		dir = parent
	}
}

// mustReadRootFile reads a file at the repository root.
func mustReadRootFile(tb testing.TB, name string) []byte {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot(tb), name))
	if err != nil {
		tb.Fatalf("read %s at the repository root: %v", name, err)
	}
	return data
}
