package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/gridcc/gridcc/backend/sim"
)

// runReport implements `gridsim report`: every line that is a JSON object
// is a load result; other lines (summaries, logs) are skipped.
func runReport(args []string, stdin io.Reader, stdout io.Writer) error {
	in := stdin
	switch len(args) {
	case 0:
	case 1:
		f, err := os.Open(args[0])
		if err != nil {
			return fmt.Errorf("report: %w", err)
		}
		defer f.Close()
		in = f
	default:
		return fmt.Errorf("report takes at most one file")
	}
	var results []sim.LoadResult
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 || line[0] != '{' {
			continue
		}
		var r sim.LoadResult
		if err := json.Unmarshal(line, &r); err != nil {
			return fmt.Errorf("report: line %d: %w", n, err)
		}
		results = append(results, r)
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	sim.WriteTable(stdout, results)
	return nil
}
