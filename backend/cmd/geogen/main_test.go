package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

// The full run is exercised by package geogen's TestGenerateMatchesCommitted;
// these check the wiring.
func TestRunErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"ErrBadFlag", []string{"-nope"}, "not defined"},
		{"ErrMissingBoundary", []string{"-boundary", filepath.Join(dir, "none.geojson")}, "none.geojson"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var log bytes.Buffer
			err := run(tt.args, &log)
			if err == nil || !strings.Contains(err.Error()+log.String(), tt.want) {
				t.Errorf("run(%v) = %v, want an error mentioning %q", tt.args, err, tt.want)
			}
		})
	}
}
