package ops

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/gridcc/gridcc/backend/testsvc"
)

func TestMain(m *testing.M) { testsvc.Main(m) }

// deployment is what one gridcc deployment is made of: its settings.
type deployment struct {
	redisURL, prefix, clickhouseURL, authFile string
}

func (d deployment) env(extra ...string) []string {
	return append([]string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + os.Getenv("HOME"),
		"GRIDCC_REDIS_URL=" + d.redisURL,
		"GRIDCC_REDIS_PREFIX=" + d.prefix,
		"GRIDCC_CLICKHOUSE_URL=" + d.clickhouseURL,
		"GRIDCC_AUTH_FILE=" + d.authFile,
	}, extra...)
}

// server is one gridcc process.
type server struct {
	URL  string
	cmd  *exec.Cmd
	logs *bytes.Buffer
}

// start runs gridcc for d on a free port and waits until it is ready.
func (d deployment) start(t *testing.T, extra ...string) *server {
	t.Helper()
	port := testsvc.FreePort(t)
	s := &server{URL: fmt.Sprintf("http://127.0.0.1:%d", port), logs: &bytes.Buffer{}}
	s.cmd = exec.Command(testsvc.Binary(t, "gridcc"))
	s.cmd.Env = d.env(append([]string{
		fmt.Sprintf("GRIDCC_ADDR=127.0.0.1:%d", port),
		"GRIDCC_GEODATA=" + filepath.Join(testsvc.RepoRoot(t), "geodata"),
		"GRIDCC_FRONTEND_DIR=" + filepath.Join(t.TempDir(), "none"),
		"GRIDCC_SHUTDOWN_TIMEOUT=5s",
		"GRIDCC_HISTORY_FLUSH_INTERVAL=100ms",
	}, extra...)...)
	s.cmd.Stdout, s.cmd.Stderr = s.logs, s.logs
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		s.stop()
		if t.Failed() {
			t.Logf("gridcc %s log:\n%s", s.URL, s.logs)
		}
	})
	waitFor(t, 30*time.Second, "gridcc at "+s.URL+" ready", func() bool {
		st, _ := get(s.URL+"/readyz", "")
		return st == http.StatusOK
	})
	return s
}

// stop ends the process gracefully (SIGTERM), as a deployment would.
func (s *server) stop() {
	if s.cmd.Process == nil || s.cmd.ProcessState != nil {
		return
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = s.cmd.Process.Kill()
		<-done
	}
}

// script runs scripts/NAME with args and the settings of d; it returns the
// combined output and whether it exited 0.
func (d deployment) script(t *testing.T, name string, args ...string) (string, bool) {
	t.Helper()
	cmd := exec.Command("bash", append([]string{filepath.Join(testsvc.RepoRoot(t), "scripts", name)}, args...)...)
	cmd.Env = d.env("NO_COLOR=1")
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("run %s: %v", name, err)
	}
	return string(out), err == nil
}

var client = &http.Client{Timeout: 30 * time.Second}

// get returns the status and body of GET url with a bearer token.
func get(url, token string) (int, []byte) {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return 0, nil
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, []byte(err.Error())
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// post sends body to url with a bearer token and returns the status.
func post(url, token string, body []byte) int {
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

// reported returns current.figures.reported of GET url (a /stats/summary).
func reported(t *testing.T, url, token string) int64 {
	t.Helper()
	st, body := get(url, token)
	if st != http.StatusOK {
		t.Fatalf("GET %s: %d %s", url, st, body)
	}
	var s struct {
		Current struct {
			Figures struct {
				Reported int64 `json:"reported"`
			} `json:"figures"`
		} `json:"current"`
	}
	if err := json.Unmarshal(body, &s); err != nil {
		t.Fatal(err)
	}
	return s.Current.Figures.Reported
}

// waitFor polls cond every 100 ms until it holds, or fails after limit.
func waitFor(t *testing.T, limit time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", limit, what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// hotline is a valid hotline request at p with its own source id.
func hotline(sourceID string, lon, lat float64) []byte {
	return fmt.Appendf(nil, `{"kind":"hotline","source_id":%q,"category":"dispute","severity":"medium",
		"title":"邻里噪音纠纷","lon":%f,"lat":%f,"address":"人民路12号","caller_phone":"13812345678","occurred_at":%q}`,
		sourceID, lon, lat, time.Now().Add(-time.Minute).Format(time.RFC3339))
}

// execIn runs bin with args and env in dir, and returns its output; it
// fails the test when bin fails.
func execIn(t *testing.T, dir, bin string, env []string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir, cmd.Env = dir, env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", filepath.Base(bin), args, err, out)
	}
	return string(out)
}
