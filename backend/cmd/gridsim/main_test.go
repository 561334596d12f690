package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func noEnv(string) string { return "" }

func TestRun(t *testing.T) {
	for _, tc := range []struct {
		name    string
		args    []string
		stdin   string
		wantErr string
		wantOut string
	}{
		{"OK_help", []string{"help"}, "", "", "gridsim demo"},
		{"OK_report", []string{"report"}, "gridsim load: summary\n" +
			`{"clients":100,"rate":1000,"published":20000,"delivered_per_s":100000,"lost":0,"duplicates":0,"p50_ms":3.2,"p95_ms":7,"p99_ms":12.5,"max_ms":40,"server_cpu_pct":80.5,"server_rss_mb":120}` + "\n",
			"", "| 100 | 1000 | 20000 | 100000 | 0 | 0 | 3.2 | 7.0 | 12.5 | 40.0 | 80 | 120 |"},
		{"ErrReportBadJSON", []string{"report"}, "{nope\n", "line 1", ""},
		{"ErrNoCommand", nil, "", "missing command", ""},
		{"ErrUnknownCommand", []string{"serve"}, "", "unknown command", ""},
		{"ErrLoadRemote", []string{"load", "--url", "http://192.0.2.1:8080", "--token", "a", "--ws-token", "b", "--geodata", "../../../geodata"}, "", "loopback", ""},
		{"ErrDemoNoToken", []string{"demo", "--geodata", "../../../geodata"}, "", "no ingest token", ""},
		{"ErrDemoArgument", []string{"demo", "extra"}, "", "unexpected argument", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := run(context.Background(), tc.args, noEnv, strings.NewReader(tc.stdin), &stdout, &stderr)
			if tc.wantErr == "" && err != nil || tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
				t.Fatalf("run(%v) = %v, want error containing %q", tc.args, err, tc.wantErr)
			}
			if !strings.Contains(stdout.String(), tc.wantOut) {
				t.Errorf("stdout %q does not contain %q", stdout.String(), tc.wantOut)
			}
		})
	}
}

func TestEnvFallback(t *testing.T) {
	env := map[string]string{"GRIDSIM_URL": "http://192.0.2.7:8080", "GRIDSIM_TOKEN": "a", "GRIDSIM_WS_TOKEN": "b", "GRIDSIM_GEODATA": "../../../geodata"}
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"load"}, func(k string) string { return env[k] }, nil, &stdout, &stderr)
	if err == nil || !strings.Contains(err.Error(), "192.0.2.7") {
		t.Errorf("load with GRIDSIM_URL of a remote host = %v, want the loopback refusal naming it", err)
	}
}
