// Package profiling holds what the command-line tools share to profile
// themselves (gridseed, gridsim): a CPU profile of a whole run, read with
// `go tool pprof`.
package profiling

import (
	"fmt"
	"log/slog"
	"os"
	"runtime/pprof"
)

// StartCPU profiles the process into path until the returned stop is called.
func StartCPU(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	return func() {
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			slog.Error("cpu profile", "path", path, "err", err)
		}
	}, nil
}
