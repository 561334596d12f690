package testsvc

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

// built holds the commands Binary built in this test process.
var built struct {
	mu   sync.Mutex
	dir  string            // created on the first build, removed by Main
	path map[string]string // command name → binary
	err  map[string]error  // command name → why it did not build
}

// Binary returns the path of backend/cmd/<name> (gridcc, gridseed, …) built
// once per test process: without -race, because the process is the system
// under test, not the test, and with CGO_ENABLED=0 like the release build.
// A package that calls it runs its tests through Main, which removes the
// binaries afterwards.
func Binary(tb testing.TB, name string) string {
	tb.Helper()
	root := RepoRoot(tb)
	built.mu.Lock()
	defer built.mu.Unlock()
	if p, ok := built.path[name]; ok {
		return p
	}
	if err, ok := built.err[name]; ok {
		tb.Fatal(err)
	}
	p, err := build(root, name)
	if err != nil {
		if built.err == nil {
			built.err = map[string]error{}
		}
		built.err[name] = err
		tb.Fatal(err)
	}
	if built.path == nil {
		built.path = map[string]string{}
	}
	built.path[name] = p
	return p
}

func build(root, name string) (string, error) {
	if built.dir == "" {
		dir, err := os.MkdirTemp("", "gridcc-test-bin-")
		if err != nil {
			return "", fmt.Errorf("testsvc: build %s: %w", name, err)
		}
		built.dir = dir
	}
	p := filepath.Join(built.dir, name)
	cmd := exec.Command("go", "build", "-o", p, "./backend/cmd/"+name)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("testsvc: go build %s: %w\n%s", name, err, out)
	}
	return p, nil
}

// Main runs a package's tests and removes what Binary built; call it from
// TestMain: func TestMain(m *testing.M) { testsvc.Main(m) }.
func Main(m *testing.M) {
	code := m.Run()
	built.mu.Lock()
	if built.dir != "" {
		os.RemoveAll(built.dir)
	}
	built.mu.Unlock()
	os.Exit(code)
}
