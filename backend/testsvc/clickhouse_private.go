package testsvc

import (
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// ClickHouseServer is a private clickhouse-server for tests that stop, kill
// or restart it (the "ClickHouse down for 60 s" test), so they never
// disturb the shared one. Its configuration is rendered from
// scripts/clickhouse/*.xml.tmpl, like scripts/services.sh renders the
// shared one, and its data lives in a temporary folder that survives
// restarts within the test.
type ClickHouseServer struct {
	// URL points at database gridcc of this server (chstore.Open creates it).
	URL      string
	TCPPort  int
	HTTPPort int

	dir    string
	bin    string
	tb     testing.TB
	cmd    *exec.Cmd
	exited chan error // receives the server's exit; nil while stopped
}

// StartClickHouse starts a private ClickHouse on free ports and waits until
// it answers; it is killed when the test ends. The test is skipped (failed
// in CI) when clickhouse-server is not installed.
func StartClickHouse(tb testing.TB) *ClickHouseServer {
	tb.Helper()
	s := &ClickHouseServer{bin: requireBinary(tb, "clickhouse-server"), dir: tb.TempDir(), tb: tb,
		TCPPort: FreePort(tb), HTTPPort: FreePort(tb)}
	if s.HTTPPort == s.TCPPort {
		s.HTTPPort = FreePort(tb)
	}
	s.URL = fmt.Sprintf("clickhouse://127.0.0.1:%d/gridcc", s.TCPPort)
	s.render()
	s.Start()
	tb.Cleanup(s.Kill)
	return s
}

// render writes etc/config.xml and etc/users.xml from the templates.
func (s *ClickHouseServer) render() {
	s.tb.Helper()
	repl := strings.NewReplacer("@@DIR@@", s.dir, "@@TCP_PORT@@", strconv.Itoa(s.TCPPort), "@@HTTP_PORT@@", strconv.Itoa(s.HTTPPort))
	for _, sub := range []string{"etc", "log", "data", "tmp"} {
		if err := os.MkdirAll(filepath.Join(s.dir, sub), 0o755); err != nil {
			s.tb.Fatal(err)
		}
	}
	for _, name := range []string{"config", "users"} {
		tmpl, err := os.ReadFile(filepath.Join(RepoRoot(s.tb), "scripts", "clickhouse", name+".xml.tmpl"))
		if err != nil {
			s.tb.Fatalf("testsvc: ClickHouse template: %v", err)
		}
		if err := os.WriteFile(filepath.Join(s.dir, "etc", name+".xml"), []byte(repl.Replace(string(tmpl))), 0o644); err != nil {
			s.tb.Fatal(err)
		}
	}
}

// Start (re)starts the server on the same ports and data, and waits until
// it answers /ping.
func (s *ClickHouseServer) Start() {
	s.tb.Helper()
	stdout, err := os.OpenFile(filepath.Join(s.dir, "log", "stdout.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		s.tb.Fatal(err)
	}
	defer stdout.Close()
	// 18.16 spells the option --pidfile; --pid-file is silently ignored.
	s.cmd = exec.Command(s.bin, "--config-file="+filepath.Join(s.dir, "etc", "config.xml"),
		"--pidfile="+filepath.Join(s.dir, "clickhouse.pid"))
	s.cmd.Dir = s.dir
	s.cmd.Stdout, s.cmd.Stderr = stdout, stdout
	if err := s.cmd.Start(); err != nil {
		s.tb.Fatalf("testsvc: start clickhouse-server: %v", err)
	}
	exited := make(chan error, 1)
	s.exited = exited
	cmd := s.cmd
	go func() { exited <- cmd.Wait() }()
	client := &http.Client{Timeout: time.Second}
	ping := fmt.Sprintf("http://127.0.0.1:%d/ping", s.HTTPPort)
	deadline := time.Now().Add(60 * time.Second)
	for {
		select {
		case err := <-exited:
			s.cmd, s.exited = nil, nil
			s.tb.Fatalf("testsvc: private clickhouse-server exited at start: %v\n%s", err, s.logTail())
		default:
		}
		if resp, err := client.Get(ping); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			s.tb.Fatalf("testsvc: private ClickHouse on port %d does not answer\n%s", s.TCPPort, s.logTail())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Stop stops the server gracefully (SIGTERM), killing it if it has not
// exited after 30 s.
func (s *ClickHouseServer) Stop() { s.stop(syscall.SIGTERM) }

// Kill stops the server with SIGKILL: no chance to finish anything.
func (s *ClickHouseServer) Kill() { s.stop(syscall.SIGKILL) }

func (s *ClickHouseServer) stop(sig syscall.Signal) {
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Signal(sig)
	select {
	case <-s.exited:
	case <-time.After(30 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.exited
	}
	s.cmd, s.exited = nil, nil
}

// logTail returns the end of the server's error log, to explain a failed start.
func (s *ClickHouseServer) logTail() string {
	var out []string
	for _, name := range []string{"clickhouse-server.err.log", "stdout.log"} {
		b, _ := os.ReadFile(filepath.Join(s.dir, "log", name))
		lines := strings.Split(strings.TrimSpace(string(b)), "\n")
		out = append(out, lines[max(0, len(lines)-15):]...)
	}
	return strings.Join(out, "\n")
}
