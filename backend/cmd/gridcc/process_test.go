package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/gridcc/gridcc/backend/auth"
	"github.com/gridcc/gridcc/backend/testsvc"
)

// These tests run gridcc as separate processes, so that a replica can be
// killed with SIGKILL and two replicas share nothing but Redis.

func TestMain(m *testing.M) { testsvc.Main(m) }

// cluster is the shared setup of several replica processes: one Redis (key
// prefix), one ClickHouse database and one auth file.
type cluster struct {
	t           *testing.T
	env         []string
	IngestToken string
	WallToken   string
}

func newCluster(t *testing.T, redisURL string) *cluster {
	t.Helper()
	dir := t.TempDir()
	authFile := filepath.Join(dir, "auth.json")
	f := auth.NewFile(authFile)
	ingestRole, _ := auth.ParseRole("ingest:hotline12345")
	ingestTok, err := f.AddToken("bench", ingestRole, 100000, 100000)
	if err != nil {
		t.Fatal(err)
	}
	wallRole, _ := auth.ParseRole("wall")
	wallTok, err := f.AddToken("wall", wallRole, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	prefix := testsvc.RandomName("proc-") + ":"
	testsvc.CleanPrefix(t, redisURL, prefix)
	return &cluster{t: t, IngestToken: ingestTok, WallToken: wallTok, env: []string{
		"GRIDCC_REDIS_URL=" + redisURL,
		"GRIDCC_REDIS_PREFIX=" + prefix,
		"GRIDCC_CLICKHOUSE_URL=" + testsvc.ClickHouseDatabase(t),
		"GRIDCC_GEODATA=" + filepath.Join(testsvc.RepoRoot(t), "geodata"),
		"GRIDCC_AUTH_FILE=" + authFile,
		"GRIDCC_FRONTEND_DIR=" + filepath.Join(dir, "none"),
		"GRIDCC_SHUTDOWN_TIMEOUT=5s",
	}}
}

// replicaProc is one gridcc process.
type replicaProc struct {
	URL  string
	cmd  *exec.Cmd
	logs *bytes.Buffer
}

// start starts a replica with the cluster's environment plus extra
// NAME=value settings.
func (c *cluster) start(extra ...string) *replicaProc {
	c.t.Helper()
	port := testsvc.FreePort(c.t)
	p := &replicaProc{URL: fmt.Sprintf("http://127.0.0.1:%d", port), logs: &bytes.Buffer{}}
	p.cmd = exec.Command(testsvc.Binary(c.t, "gridcc"))
	p.cmd.Env = append(append(append([]string{"PATH=" + os.Getenv("PATH")}, c.env...), extra...), fmt.Sprintf("GRIDCC_ADDR=127.0.0.1:%d", port))
	p.cmd.Stdout, p.cmd.Stderr = p.logs, p.logs
	if err := p.cmd.Start(); err != nil {
		c.t.Fatal(err)
	}
	c.t.Cleanup(func() {
		p.kill()
		if c.t.Failed() {
			c.t.Logf("replica %s log:\n%s", p.URL, p.logs.String())
		}
	})
	waitReady(c.t, p.URL)
	return p
}

func (p *replicaProc) kill() {
	if p.cmd.Process != nil && p.cmd.ProcessState == nil {
		_ = p.cmd.Process.Signal(syscall.SIGKILL)
		_ = p.cmd.Wait()
	}
}

// terminate stops the replica with SIGTERM (a graceful shutdown) and returns
// how the process ended.
func (p *replicaProc) terminate() error {
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return err
	}
	return p.cmd.Wait()
}

// ackSet records every event id a replica acknowledged with a 2xx, with
// the time its POST was sent (the start of its delivery latency).
type ackSet struct {
	mu     sync.Mutex
	ids    map[string]time.Time
	bad    int // non-2xx answers (allowed during faults; never counted as acked)
	failed int // requests without an answer (connection refused, timeout)
}

// postLoop posts one event (body makes it from its source id) every
// interval, round-robin over the URLs the urls function returns, until ctx
// ends.
func (a *ackSet) postLoop(ctx context.Context, t *testing.T, urls func() []string, token string, body func(string) []byte, interval time.Duration) {
	client := &http.Client{Timeout: 5 * time.Second}
	for i := 0; ctx.Err() == nil; i++ {
		us := urls()
		url := us[i%len(us)] + "/api/v1/events"
		req, _ := http.NewRequestWithContext(ctx, "POST", url, bytes.NewReader(body(fmt.Sprintf("p-%d", i))))
		req.Header.Set("Authorization", "Bearer "+token)
		sent := time.Now()
		resp, err := client.Do(req)
		if err != nil && ctx.Err() == nil {
			a.mu.Lock()
			a.failed++
			a.mu.Unlock()
		}
		if err == nil {
			var res struct{ ID string }
			_ = json.NewDecoder(resp.Body).Decode(&res)
			resp.Body.Close()
			a.mu.Lock()
			if resp.StatusCode/100 == 2 && res.ID != "" {
				a.ids[res.ID] = sent
			} else {
				a.bad++
			}
			a.mu.Unlock()
		}
		select {
		case <-ctx.Done():
		case <-time.After(interval):
		}
	}
}

func (a *ackSet) snapshot() map[string]time.Time {
	a.mu.Lock()
	defer a.mu.Unlock()
	return maps.Clone(a.ids)
}

// resumingClient is a WebSocket client that keeps its last seq and epoch,
// resumes after every disconnect, and de-duplicates by seq.
type resumingClient struct {
	mu       sync.Mutex
	lastSeq  uint64
	epoch    string
	bySeq    map[uint64]string // seq → event id (de-duplicated view)
	snapshot map[string]bool   // event ids of the snapshots received (the state after a reset)
	resets   int
	received int                  // event messages before de-duplication
	firstAt  map[string]time.Time // when each event id first arrived as an event message
	live     bool                 // the server said "live" at least once
	liveAt   time.Time            // when the last "live" arrived
	closes   []int                // close codes of the sessions that ended with one
}

// waitLive waits until the client's first session caught up.
func waitLive(t *testing.T, c *resumingClient) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		c.mu.Lock()
		live := c.live
		c.mu.Unlock()
		if live {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the client never got a live message")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func newResumingClient() *resumingClient {
	return &resumingClient{bySeq: map[uint64]string{}, snapshot: map[string]bool{}, firstAt: map[string]time.Time{}}
}

// session connects to base, subscribes since the last seq, and reads until
// the connection ends or ctx is done.
func (c *resumingClient) session(ctx context.Context, base, token string) error {
	h := http.Header{"Authorization": {"Bearer " + token}}
	conn, _, err := websocket.DefaultDialer.DialContext(ctx, strings.Replace(base, "http", "ws", 1)+"/ws", h)
	if err != nil {
		return err
	}
	defer conn.Close()
	go func() { <-ctx.Done(); conn.Close() }()
	c.mu.Lock()
	sub := fmt.Sprintf(`{"type":"subscribe","since":%d,"epoch":%q}`, c.lastSeq, c.epoch)
	c.mu.Unlock()
	if err := conn.WriteMessage(websocket.TextMessage, []byte(sub)); err != nil {
		return err
	}
	for {
		_, data, err := conn.ReadMessage()
		if err != nil {
			var ce *websocket.CloseError
			if errors.As(err, &ce) {
				c.mu.Lock()
				c.closes = append(c.closes, ce.Code)
				c.mu.Unlock()
			}
			return err
		}
		var frame []struct {
			Type  string          `json:"type"`
			Seq   uint64          `json:"seq"`
			Epoch string          `json:"epoch"`
			Data  json.RawMessage `json:"data"`
		}
		if err := json.Unmarshal(data, &frame); err != nil {
			return err
		}
		// The data of the messages this client counts: an event's id, a
		// snapshot's open events.
		var d struct {
			ID   string `json:"id"`
			Open []struct {
				ID string `json:"id"`
			} `json:"open"`
		}
		c.mu.Lock()
		for _, m := range frame {
			d.ID, d.Open = "", nil
			if m.Type == "event" || m.Type == "snapshot" {
				if err := json.Unmarshal(m.Data, &d); err != nil {
					c.mu.Unlock()
					return err
				}
			}
			switch m.Type {
			case "snapshot":
				c.epoch = m.Epoch
				for _, e := range d.Open {
					c.snapshot[e.ID] = true
				}
			case "reset":
				c.resets++
			case "live":
				c.live, c.liveAt = true, time.Now()
			case "event":
				c.received++
				c.bySeq[m.Seq] = d.ID
				if _, seen := c.firstAt[d.ID]; !seen {
					c.firstAt[d.ID] = time.Now()
				}
			}
			if m.Seq > c.lastSeq {
				c.lastSeq = m.Seq
			}
		}
		c.mu.Unlock()
	}
}

// run keeps a session open against whichever URL urls returns first,
// reconnecting after drops, until ctx ends.
func (c *resumingClient) run(ctx context.Context, urls func() []string, token string) {
	for ctx.Err() == nil {
		_ = c.session(ctx, urls()[0], token)
		select {
		case <-ctx.Done():
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// ids is the set of event ids the client's state holds: received as events
// (de-duplicated by seq) or in a snapshot.
func (c *resumingClient) ids() map[string]bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]bool, len(c.bySeq)+len(c.snapshot))
	for _, id := range c.bySeq {
		out[id] = true
	}
	for id := range c.snapshot {
		out[id] = true
	}
	return out
}

// duplicates counts event ids that arrived under more than one seq: the
// same event appended twice, which de-duplication by seq cannot hide.
func (c *resumingClient) duplicates() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	seen := make(map[string]bool, len(c.bySeq))
	dup := 0
	for _, id := range c.bySeq {
		if seen[id] {
			dup++
		}
		seen[id] = true
	}
	return dup
}

// lastLive is when the client last got a "live" message (zero: never).
func (c *resumingClient) lastLive() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.liveAt
}

// checkDelivered waits until the client holds every acknowledged id, then
// reports what it received; it fails on a lost or duplicated event.
func checkDelivered(t *testing.T, name string, c *resumingClient, acked map[string]time.Time) {
	t.Helper()
	awaitDelivered(t, name, c, acked)
	got := len(c.ids())
	c.mu.Lock()
	defer c.mu.Unlock()
	t.Logf("%s: %d acknowledged, %d received (%d before de-duplication), %d resets; %s", name, len(acked), got, c.received, c.resets,
		latencies(acked, c.firstAt))
}

// latencies describes the delivery latency (POST sent → event received) of
// the acknowledged events the client received as events: the figure of
// "other clients' latency during a fault" that the fault tests report. A
// report, never an assertion: timings on a shared machine are not a test.
func latencies(acked, received map[string]time.Time) string {
	var ms []float64
	for id, sent := range acked {
		if at, ok := received[id]; ok {
			ms = append(ms, float64(at.Sub(sent).Microseconds())/1000)
		}
	}
	if len(ms) == 0 {
		return "no event received live"
	}
	slices.Sort(ms)
	q := func(p float64) float64 { return ms[min(len(ms)-1, int(p*float64(len(ms))))] }
	return fmt.Sprintf("latency POST→client over %d live events: p50 %.1f ms, p99 %.1f ms, max %.1f ms", len(ms), q(0.5), q(0.99), ms[len(ms)-1])
}

// awaitDelivered is checkDelivered without the report, for tests with many
// clients: it only speaks when an event is lost or duplicated.
func awaitDelivered(t *testing.T, name string, c *resumingClient, acked map[string]time.Time) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		got, lost := c.ids(), 0
		for id := range acked {
			if !got[id] {
				lost++
			}
		}
		if lost == 0 {
			if dup := c.duplicates(); dup > 0 {
				t.Fatalf("%s: %d events delivered twice under different seqs", name, dup)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: %d of %d acknowledged events never delivered", name, lost, len(acked))
		}
		time.Sleep(50 * time.Millisecond)
	}
}
