package deploy

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/gridcc/gridcc/backend/testsvc"
)

// mustReadRootFile reads a file at the repository root.
func mustReadRootFile(tb testing.TB, name string) []byte {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join(testsvc.RepoRoot(tb), name))
	if err != nil {
		tb.Fatalf("read %s at the repository root: %v", name, err)
	}
	return data
}
