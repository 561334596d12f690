package sim

import (
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/gridcc/gridcc/backend/auth"
	"github.com/gridcc/gridcc/backend/testsvc"
)

// testServer is a real gridcc process on a free loopback port, against the
// shared test Redis (a key prefix of its own) and ClickHouse (a database of
// its own). Running the binary, rather than the server in this process,
// keeps gridsim's tests out of cmd/gridcc's internals and gives the load
// run a server pid to measure.
type testServer struct {
	URL         string
	PID         int
	IngestToken string
	WallToken   string
}

func TestMain(m *testing.M) { testsvc.Main(m) }

// startServer starts gridcc with a high-limit ingest token and a wall
// token, and stops it (SIGTERM) when the test ends.
func startServer(t *testing.T) *testServer {
	t.Helper()
	root := testsvc.RepoRoot(t)
	_, prefix := testsvc.Redis(t)
	chURL := testsvc.ClickHouseDatabase(t)
	bin := testsvc.Binary(t, "gridcc")
	dir := t.TempDir()
	authFile := filepath.Join(dir, "auth.json")
	f := auth.NewFile(authFile)
	ingestRole, _ := auth.ParseRole("ingest:bench")
	wallRole, _ := auth.ParseRole("wall")
	ingestTok, err := f.AddToken("bench", ingestRole, 100000, 100000)
	if err != nil {
		t.Fatal(err)
	}
	wallTok, err := f.AddToken("wall-bench", wallRole, 100000, 100000)
	if err != nil {
		t.Fatal(err)
	}
	addr := "127.0.0.1:" + strconv.Itoa(testsvc.FreePort(t))
	logFile, err := os.Create(filepath.Join(dir, "gridcc.log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin)
	cmd.Env = []string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"),
		"GRIDCC_ADDR=" + addr,
		"GRIDCC_REDIS_URL=" + testsvc.RedisURL(t),
		"GRIDCC_REDIS_PREFIX=" + prefix,
		"GRIDCC_CLICKHOUSE_URL=" + chURL,
		"GRIDCC_GEODATA=" + filepath.Join(root, "geodata"),
		"GRIDCC_AUTH_FILE=" + authFile,
		"GRIDCC_FRONTEND_DIR=" + filepath.Join(dir, "no-frontend"),
		"GRIDCC_LOG_LEVEL=warn",
	}
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(30 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
		logFile.Close()
		if t.Failed() {
			log, _ := os.ReadFile(logFile.Name())
			t.Logf("gridcc log:\n%s", log)
		}
	})
	s := &testServer{URL: "http://" + addr, PID: cmd.Process.Pid, IngestToken: ingestTok, WallToken: wallTok}
	deadline := time.Now().Add(60 * time.Second)
	for {
		select {
		case err := <-exited:
			log, _ := os.ReadFile(logFile.Name())
			t.Fatalf("gridcc exited: %v\n%s", err, log)
		default:
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.URL+"/readyz", nil)
		resp, err := http.DefaultClient.Do(req)
		cancel()
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("gridcc at %s never became ready (last: %v)", s.URL, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
