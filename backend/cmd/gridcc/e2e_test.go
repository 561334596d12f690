package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/gridcc/gridcc/backend/auth"
	"github.com/gridcc/gridcc/backend/config"
	"github.com/gridcc/gridcc/backend/testsvc"
)

// testReplica is a real replica on :0 against the real test Redis and
// ClickHouse, with an ingest token and a wall token of its own.
type testReplica struct {
	URL         string
	IngestToken string
	WallToken   string
	stop        func()
}

func startReplica(t *testing.T, env map[string]string) *testReplica {
	t.Helper()
	root := testsvc.RepoRoot(t)
	dir := t.TempDir()
	authFile := filepath.Join(dir, "auth.json")
	f := auth.NewFile(authFile)
	ingestRole, _ := auth.ParseRole("ingest:hotline12345")
	ingestTok, err := f.AddToken("hotline", ingestRole, 100000, 100000)
	if err != nil {
		t.Fatal(err)
	}
	wallRole, _ := auth.ParseRole("wall")
	wallTok, err := f.AddToken("wall-1", wallRole, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, prefix := testsvc.Redis(t)
	vars := map[string]string{
		"GRIDCC_ADDR":           "127.0.0.1:0",
		"GRIDCC_REDIS_URL":      testsvc.RedisURL(t),
		"GRIDCC_REDIS_PREFIX":   prefix,
		"GRIDCC_CLICKHOUSE_URL": testsvc.ClickHouseDatabase(t),
		"GRIDCC_GEODATA":        filepath.Join(root, "geodata"),
		"GRIDCC_AUTH_FILE":      authFile,
		"GRIDCC_FRONTEND_DIR":   filepath.Join(dir, "no-frontend"),
	}
	for k, v := range env {
		vars[k] = v
	}
	cfg, err := config.FromEnv(func(k string) string { return vars[k] })
	if err != nil {
		t.Fatal(err)
	}
	r, err := newReplica(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.run(ctx) }()
	tr := &testReplica{URL: "http://" + r.Addr(), IngestToken: ingestTok, WallToken: wallTok}
	tr.stop = func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("replica stopped with %v", err)
		}
	}
	t.Cleanup(tr.stop)
	waitReady(t, tr.URL)
	return tr
}

func waitReady(t *testing.T, base string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("replica at %s never became ready (last: %v)", base, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// do sends a request with an optional bearer token and returns status and body.
func do(t *testing.T, method, url, token string, body []byte, header ...string) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b
}

// hotlineJSON is a valid hotline request at a point inside 川汇区.
func hotlineJSON(sourceID string) []byte {
	return []byte(fmt.Sprintf(`{"kind":"hotline","source_id":%q,"category":"dispute","severity":"critical",
		"title":"邻里噪音纠纷 联系人13812345678","lon":114.6468,"lat":33.6165,"caller_name":"叶建国","caller_phone":"13812345678",
		"address":"七一路街道建设社区人民路12号3单元","occurred_at":%q}`, sourceID, time.Now().Add(-time.Minute).Format(time.RFC3339)))
}

func TestServerEndToEnd(t *testing.T) {
	r := startReplica(t, nil)

	t.Run("OK_health", func(t *testing.T) {
		if st, _, _ := do(t, "GET", r.URL+"/healthz", "", nil); st != 200 {
			t.Errorf("/healthz = %d", st)
		}
		st, _, body := do(t, "GET", r.URL+"/readyz", "", nil)
		var ready struct {
			Status     string
			Components map[string]struct{ Status string }
		}
		if err := json.Unmarshal(body, &ready); err != nil || st != 200 || ready.Status != "ok" {
			t.Fatalf("/readyz = %d %s", st, body)
		}
		for _, c := range []string{"geodata", "redis", "clickhouse"} {
			if ready.Components[c].Status != "ok" {
				t.Errorf("component %s = %q", c, ready.Components[c].Status)
			}
		}
	})
	t.Run("OK_geoLayersGzipAndETag", func(t *testing.T) {
		st, h, body := do(t, "GET", r.URL+"/api/v1/geo/grids", "", nil, "Accept-Encoding", "gzip")
		if st != 200 || h.Get("Content-Encoding") != "gzip" || h.Get("ETag") == "" {
			t.Fatalf("grids: %d %v", st, h)
		}
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		var fc struct{ Features []json.RawMessage }
		if err := json.NewDecoder(zr).Decode(&fc); err != nil || len(fc.Features) != 1563 {
			t.Errorf("grids layer: %d features, %v", len(fc.Features), err)
		}
		if st, _, _ := do(t, "GET", r.URL+"/api/v1/geo/grids", "", nil, "If-None-Match", h.Get("ETag")); st != http.StatusNotModified {
			t.Errorf("revalidation = %d, want 304", st)
		}
	})
	t.Run("Locate", func(t *testing.T) {
		for _, tc := range []struct {
			query string
			want  int
		}{{"lon=114.6468&lat=33.6165", 200}, {"lon=abc&lat=33.6", 400}, {"lon=NaN&lat=33.6", 400}, {"lon=116.4&lat=39.9", 404}} {
			if st, _, body := do(t, "GET", r.URL+"/api/v1/geo/locate?"+tc.query, "", nil); st != tc.want {
				t.Errorf("%s: %d %s, want %d", tc.query, st, body, tc.want)
			}
		}
	})
	t.Run("Auth", func(t *testing.T) {
		if st, _, _ := do(t, "POST", r.URL+"/api/v1/events", "", hotlineJSON("a-0")); st != 401 {
			t.Errorf("no token: %d, want 401", st)
		}
		if st, _, _ := do(t, "POST", r.URL+"/api/v1/events", r.WallToken, hotlineJSON("a-0")); st != 403 {
			t.Errorf("wall token posting: %d, want 403", st)
		}
	})

	// A wall subscribes before the event arrives, and must see it live,
	// masked.
	ws := dialWS(t, r.URL, r.WallToken)
	defer ws.Close()
	send(t, ws, `{"type":"subscribe","since":0}`)
	until(t, ws, func(m wsMessage) bool { return m.Type == "live" })

	st, _, body := do(t, "POST", r.URL+"/api/v1/events", r.IngestToken, hotlineJSON("call-1"))
	var res struct {
		ID        string
		Seq       uint64
		GridID    string `json:"grid_id"`
		Duplicate bool
	}
	if err := json.Unmarshal(body, &res); err != nil || st != http.StatusAccepted || res.GridID == "" || res.Duplicate {
		t.Fatalf("POST /events = %d %s", st, body)
	}
	if st, _, body := do(t, "POST", r.URL+"/api/v1/events", r.IngestToken, hotlineJSON("call-1")); st != 200 || !strings.Contains(string(body), `"duplicate":true`) {
		t.Errorf("re-send = %d %s, want 200 duplicate", st, body)
	}
	got := until(t, ws, func(m wsMessage) bool { return m.Type == "event" && m.Seq == res.Seq })
	if strings.Contains(string(got.Raw), "13812345678") || strings.Contains(string(got.Raw), "叶建国") {
		t.Errorf("the wall received personal data: %s", got.Raw)
	}
	if !regexp.MustCompile(`138\*+5678`).Match(got.Raw) {
		t.Errorf("masked phone missing from %s", got.Raw)
	}
}

type wsMessage struct {
	Type string          `json:"type"`
	Seq  uint64          `json:"seq"`
	Raw  json.RawMessage `json:"-"`
}

func dialWS(t *testing.T, base, token string) *websocket.Conn {
	t.Helper()
	h := http.Header{"Authorization": {"Bearer " + token}}
	conn, resp, err := websocket.DefaultDialer.Dial(strings.Replace(base, "http", "ws", 1)+"/ws", h)
	if err != nil {
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		t.Fatalf("dial /ws: %v (status %d)", err, status)
	}
	return conn
}

func send(t *testing.T, c *websocket.Conn, msg string) {
	t.Helper()
	if err := c.WriteMessage(websocket.TextMessage, []byte(msg)); err != nil {
		t.Fatal(err)
	}
}

// until reads frames (JSON arrays) until a message satisfies ok, with a
// generous deadline.
func until(t *testing.T, c *websocket.Conn, ok func(wsMessage) bool) wsMessage {
	t.Helper()
	_ = c.SetReadDeadline(time.Now().Add(30 * time.Second))
	for {
		_, data, err := c.ReadMessage()
		if err != nil {
			t.Fatalf("read /ws: %v", err)
		}
		var frame []json.RawMessage
		if err := json.Unmarshal(data, &frame); err != nil {
			t.Fatalf("frame is not a JSON array: %s", data)
		}
		for _, raw := range frame {
			var m wsMessage
			if err := json.Unmarshal(raw, &m); err != nil {
				t.Fatal(err)
			}
			m.Raw = raw
			if ok(m) {
				return m
			}
		}
	}
}
