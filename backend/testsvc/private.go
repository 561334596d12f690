package testsvc

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// FreePort returns a loopback TCP port nobody listens on right now.
func FreePort(tb testing.TB) int {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// requireBinary returns the path of a server binary, or skips (outside CI) /
// fails (in CI) when it is not installed.
func requireBinary(tb testing.TB, name string) string {
	tb.Helper()
	path, err := exec.LookPath(name)
	if err == nil {
		return path
	}
	for _, dir := range []string{"/usr/sbin", "/usr/bin", "/usr/local/bin"} {
		if p := filepath.Join(dir, name); fileExists(p) {
			return p
		}
	}
	if InCI() {
		tb.Fatalf("%s is not installed in CI: %s", name, hint)
	}
	tb.Skipf("test skipped: %s is not installed; %s", name, hint)
	return ""
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }

// RedisServer is a private redis-server for tests that stop, kill or restart
// it, so they never disturb the shared one. It runs with AOF and appendfsync
// always, like production, with its data in a temporary folder that survives
// restarts within the test.
type RedisServer struct {
	URL  string
	Port int
	dir  string
	bin  string
	tb   testing.TB
	cmd  *exec.Cmd
}

// StartRedis starts a private Redis on a free port; it is killed when the
// test ends.
func StartRedis(tb testing.TB) *RedisServer {
	tb.Helper()
	s := &RedisServer{bin: requireBinary(tb, "redis-server"), dir: tb.TempDir(), Port: FreePort(tb), tb: tb}
	s.URL = fmt.Sprintf("redis://127.0.0.1:%d/0", s.Port)
	s.Start()
	tb.Cleanup(func() { s.signal(syscall.SIGKILL) })
	return s
}

// Start (re)starts the server on the same port and data folder, and waits
// until it answers.
func (s *RedisServer) Start() {
	s.tb.Helper()
	s.cmd = exec.Command(s.bin, "--port", strconv.Itoa(s.Port), "--bind", "127.0.0.1",
		"--dir", s.dir, "--appendonly", "yes", "--appendfsync", "always", "--save", "",
		"--logfile", filepath.Join(s.dir, "redis.log"))
	if err := s.cmd.Start(); err != nil {
		s.tb.Fatalf("testsvc: start redis-server: %v", err)
	}
	c := redis.NewClient(&redis.Options{Addr: "127.0.0.1:" + strconv.Itoa(s.Port), DisableIdentity: true})
	defer c.Close()
	deadline := time.Now().Add(20 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		err := c.Ping(ctx).Err()
		cancel()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(s.dir, "redis.log"))
			s.tb.Fatalf("testsvc: private redis on port %d does not answer: %v\n%s", s.Port, err, log)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Kill stops the server with SIGKILL (no chance to flush anything more).
func (s *RedisServer) Kill() { s.signal(syscall.SIGKILL) }

// Pause freezes the server (SIGSTOP): its connections stay open but nothing
// answers, as when the network to it is cut. Resume thaws it.
func (s *RedisServer) Pause() { _ = s.cmd.Process.Signal(syscall.SIGSTOP) }

// Resume continues a paused server (SIGCONT).
func (s *RedisServer) Resume() { _ = s.cmd.Process.Signal(syscall.SIGCONT) }

// Stop stops the server gracefully with SIGTERM.
func (s *RedisServer) Stop() { s.signal(syscall.SIGTERM) }

func (s *RedisServer) signal(sig syscall.Signal) {
	if s.cmd == nil || s.cmd.Process == nil {
		return
	}
	_ = s.cmd.Process.Signal(sig)
	_ = s.cmd.Wait()
	s.cmd = nil
}
