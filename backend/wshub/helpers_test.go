package wshub

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/gridcc/gridcc/backend/event"
)

// testZone is the district's zone in tests (Asia/Shanghai without tzdata).
var testZone = time.FixedZone("CST", 8*3600)

// testDay0 is when generated events start: 2025-06-01 08:00 local.
var testDay0 = time.Date(2025, 6, 1, 8, 0, 0, 0, testZone)

// testStreets are the street codes generated events use.
var testStreets = []string{"411602001", "411602002", "411602003", "411602004"}

// memLog is an in-memory Log: every record appended, minus a trimmed prefix.
type memLog struct {
	mu      sync.Mutex
	recs    []event.Record // recs[i].Seq == i+1
	trimmed uint64         // records with Seq <= trimmed are gone
	err     error          // returned by Range when set
	calls   int
}

var _ Log = (*memLog)(nil)

func (l *memLog) append(r event.Record) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.recs = append(l.recs, r)
}

func (l *memLog) Range(_ context.Context, since, until uint64) ([]event.Record, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.calls++
	if l.err != nil {
		return nil, l.err
	}
	if since < l.trimmed {
		return nil, fmt.Errorf("memlog: range from %d, kept from %d: %w", since+1, l.trimmed+1, ErrTrimmed)
	}
	until = min(until, uint64(len(l.recs)))
	if since >= until {
		return nil, nil
	}
	return append([]event.Record(nil), l.recs[since:until]...), nil
}

// gen makes a plausible stream of records: mostly new events, some updates
// that dispatch or close an open one. Every third event carries a caller's
// phone number, in the personal fields and in free text.
type gen struct {
	rng  *rand.Rand
	seq  uint64
	open []event.Event
}

func newGen(seed uint64, from uint64) *gen {
	return &gen{rng: rand.New(rand.NewPCG(seed, seed^0x5eed)), seq: from}
}

func (g *gen) next() event.Record {
	g.seq++
	at := testDay0.Add(time.Duration(g.seq) * time.Second)
	if len(g.open) > 0 && g.rng.IntN(3) == 0 {
		i := g.rng.IntN(len(g.open))
		e := g.open[i]
		from := e.Status
		e.Status = event.Dispatched
		if g.rng.IntN(2) == 0 {
			e.Status = event.Closed
			g.open = append(g.open[:i], g.open[i+1:]...)
		} else {
			g.open[i] = e
		}
		e.UpdatedAt = at
		r := event.Record{Type: event.RecordUpdate, Event: e, Change: event.Change{
			EventID: e.ID, At: at, From: from, To: e.Status, Actor: "officer-7",
			Reason: "回访来电人 13912345678",
		}}
		r.SetSeq(g.seq)
		return r
	}
	e := event.Event{
		ID: fmt.Sprintf("ev-%06d", g.seq), Kind: event.Kinds[g.rng.IntN(len(event.Kinds))],
		SourceID: fmt.Sprintf("src-%d", g.seq), Source: "test", Category: "misc",
		Severity: event.Severities[g.rng.IntN(len(event.Severities))], Status: event.Reported,
		Title: "测试事件", Lon: 114.65, Lat: 33.62, GridID: "g-1",
		StreetCode: testStreets[g.rng.IntN(len(testStreets))], CommunityID: "c-1",
		OccurredAt: at, ReportedAt: at, UpdatedAt: at,
	}
	if g.seq%3 == 0 {
		e.CallerName, e.CallerPhone = "王秀英", "13812345678"
		e.Description = "来电人电话 138-1234-5678，住建设路社区3号楼"
		e.Address = "川汇区城南街道建设路社区3号楼"
	}
	g.open = append(g.open, e)
	r := event.Record{Type: event.RecordEvent, Event: e, Change: event.Change{
		EventID: e.ID, At: at, To: event.Reported, Actor: "ingest",
	}}
	r.SetSeq(g.seq)
	return r
}

// testEnv is a hub behind a real HTTP server, fed from a generator.
type testEnv struct {
	hub *Hub
	srv *httptest.Server
	log *memLog
	gen *gen
	reg *prometheus.Registry
}

// mustStartHub starts a hub (reset to epoch "e1" at seq 0) behind an
// httptest.Server. The handler takes the ClientInfo from the query:
// name, masked=1, via, streets=a,b (absent: whole district).
func mustStartHub(tb testing.TB, opts Options) *testEnv {
	tb.Helper()
	if opts.Location == nil {
		opts.Location = testZone
	}
	env := &testEnv{log: &memLog{}, gen: newGen(1, 0), reg: prometheus.NewRegistry()}
	env.hub = New(opts, env.log, env.reg)
	env.hub.now = func() time.Time { return testDay0 }
	env.hub.Reset(Snapshot{Epoch: "e1", Day: "2025-06-01"})
	env.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		ci := ClientInfo{Name: q.Get("name"), Masked: q.Get("masked") == "1", Via: q.Get("via")}
		if q.Has("streets") {
			ci.Scope.Streets = strings.FieldsFunc(q.Get("streets"), func(r rune) bool { return r == ',' })
		}
		ci.Scope.Responder = q.Get("responder")
		switch q.Get("session") { // how the socket's credential revalidates
		case "ended":
			ci.Revalidate = func(context.Context) error { return fmt.Errorf("session gone: %w", ErrCredentialEnded) }
		case "store-down":
			ci.Revalidate = func(context.Context) error { return errors.New("redis: connection refused") }
		case "live":
			ci.Revalidate = func(context.Context) error { return nil }
		}
		env.hub.ServeWS(w, r, ci)
	}))
	tb.Cleanup(env.srv.Close)
	return env
}

// apply generates n records, appends them to the log and applies them.
func (env *testEnv) apply(n int) {
	for range n {
		r := env.gen.next()
		env.log.append(r)
		env.hub.Apply(r)
	}
}

// msg is one server message as a client sees it.
type msg struct {
	Type    string          `json:"type"`
	Seq     uint64          `json:"seq"`
	Epoch   string          `json:"epoch"`
	Reason  string          `json:"reason"`
	Code    string          `json:"code"`
	Message string          `json:"message"`
	Data    json.RawMessage `json:"data"`
}

// snapshotData is the data of a snapshot message.
type snapshotData struct {
	Open  []event.Event `json:"open"`
	Stats Stats         `json:"stats"`
}

// wsClient is a test client: it reads frames and hands out messages.
type wsClient struct {
	tb       testing.TB
	conn     *websocket.Conn
	pending  []msg
	frames   [][]byte // every frame received, for scans
	closeErr *websocket.CloseError
}

// dial connects with the given query and Origin (none when empty).
func (env *testEnv) dial(tb testing.TB, query, origin string) (*wsClient, *http.Response, error) {
	tb.Helper()
	u := "ws" + strings.TrimPrefix(env.srv.URL, "http") + "/ws?" + query
	h := http.Header{}
	if origin != "" {
		h.Set("Origin", origin)
	}
	conn, resp, err := websocket.DefaultDialer.Dial(u, h)
	if err != nil {
		return nil, resp, err
	}
	c := &wsClient{tb: tb, conn: conn}
	tb.Cleanup(func() { _ = conn.Close() })
	return c, resp, nil
}

// mustDial connects as a same-origin browser with the given query.
func (env *testEnv) mustDial(tb testing.TB, query string) *wsClient {
	tb.Helper()
	c, _, err := env.dial(tb, query, env.srv.URL)
	if err != nil {
		tb.Fatalf("dial %q: %v", query, err)
	}
	return c
}

func (c *wsClient) subscribe(since uint64, epoch string, f Filter) {
	c.tb.Helper()
	m := map[string]any{"type": "subscribe", "since": since, "filter": f}
	if epoch != "" {
		m["epoch"] = epoch
	}
	c.send(m)
}

func (c *wsClient) send(v any) {
	c.tb.Helper()
	if err := c.conn.WriteJSON(v); err != nil {
		c.tb.Fatalf("send: %v", err)
	}
}

// next returns the next message; it fails the test when the connection
// closes or nothing arrives for 20 s (a hang, not a timing assertion).
func (c *wsClient) next() msg {
	c.tb.Helper()
	m, err := c.tryNext()
	if err != nil {
		c.tb.Fatalf("read: %v", err)
	}
	return m
}

func (c *wsClient) tryNext() (msg, error) {
	for len(c.pending) == 0 {
		_ = c.conn.SetReadDeadline(time.Now().Add(20 * time.Second))
		typ, data, err := c.conn.ReadMessage()
		if err != nil {
			var ce *websocket.CloseError
			if errors.As(err, &ce) {
				c.closeErr = ce
			}
			return msg{}, err
		}
		if typ != websocket.TextMessage {
			return msg{}, fmt.Errorf("frame type %d", typ)
		}
		c.frames = append(c.frames, data)
		var ms []msg
		if err := json.Unmarshal(data, &ms); err != nil || len(ms) == 0 {
			return msg{}, fmt.Errorf("frame is not a non-empty JSON array of messages: %v: %.200s", err, data)
		}
		c.pending = ms
	}
	m := c.pending[0]
	c.pending = c.pending[1:]
	return m, nil
}

// nextOf returns the next message that is not a stats message.
func (c *wsClient) nextOf() msg {
	c.tb.Helper()
	for {
		if m := c.next(); m.Type != "stats" {
			return m
		}
	}
}

// expect returns the next non-stats message and checks its type.
func (c *wsClient) expect(typ string) msg {
	c.tb.Helper()
	m := c.nextOf()
	if m.Type != typ {
		c.tb.Fatalf("got %s message (seq %d, %s %s), want %s", m.Type, m.Seq, m.Code, m.Message, typ)
	}
	return m
}

// until returns the next message of type typ and the messages before it.
func (c *wsClient) until(typ string) (msg, []msg) {
	c.tb.Helper()
	var before []msg
	for {
		m := c.next()
		if m.Type == typ {
			return m, before
		}
		before = append(before, m)
	}
}

// expectClose reads until the connection closes and returns the close code
// (-1 when it ended without a close frame).
func (c *wsClient) expectClose() (int, []msg) {
	c.tb.Helper()
	var got []msg
	for {
		m, err := c.tryNext()
		if err != nil {
			if c.closeErr != nil {
				return c.closeErr.Code, got
			}
			return -1, got
		}
		got = append(got, m)
	}
}

func (m msg) snapshot(tb testing.TB) snapshotData {
	tb.Helper()
	d, err := m.decodeSnapshot()
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

func (m msg) decodeSnapshot() (snapshotData, error) {
	var d snapshotData
	if err := json.Unmarshal(m.Data, &d); err != nil {
		return d, fmt.Errorf("snapshot data: %w", err)
	}
	return d, nil
}

// recordEvent returns the event an event or update message carries.
func (m msg) recordEvent(tb testing.TB) event.Event {
	tb.Helper()
	e, err := m.decodeRecordEvent()
	if err != nil {
		tb.Fatal(err)
	}
	return e
}

func (m msg) decodeRecordEvent() (event.Event, error) {
	if m.Type == "event" {
		var e event.Event
		if err := json.Unmarshal(m.Data, &e); err != nil {
			return e, fmt.Errorf("event data: %w", err)
		}
		return e, nil
	}
	var d struct {
		Change event.Change `json:"change"`
		Event  event.Event  `json:"event"`
	}
	if err := json.Unmarshal(m.Data, &d); err != nil {
		return d.Event, fmt.Errorf("update data: %w", err)
	}
	return d.Event, nil
}

// counterValue reads one series of a counter vector.
func counterValue(tb testing.TB, cv *prometheus.CounterVec, label string) float64 {
	tb.Helper()
	var m dto.Metric
	if err := cv.WithLabelValues(label).Write(&m); err != nil {
		tb.Fatal(err)
	}
	return m.GetCounter().GetValue()
}

// eventually polls cond until it holds, failing after 20 s. It waits for an
// outcome; it asserts nothing about how long the outcome takes.
func eventually(tb testing.TB, what string, cond func() bool) {
	tb.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			tb.Fatalf("gave up waiting: %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func streetsQuery(streets ...string) string {
	return "streets=" + url.QueryEscape(strings.Join(streets, ","))
}
