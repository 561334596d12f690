package ops

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/gridcc/gridcc/backend/auth"
	"github.com/gridcc/gridcc/backend/history"
	"github.com/gridcc/gridcc/backend/testsvc"
)

// The personal data of the events the hostile test reports: none of it may
// reach gridcc's log or anything the wall role is sent.
const (
	callerName  = "叶建国"
	callerPhone = "13812345678"
	idNumber    = "41160219800101123X"
	fullAddress = "七一路街道建设社区人民路12号3单元"
	houseNumber = "人民路12号"
)

// personal finds a mobile or ID-card number (not inside a longer run of
// digits), the caller's name or the address beyond its community.
var personal = regexp.MustCompile(`(?:^|\D)(?:1[3-9]\d{9}|\d{17}[\dXx])(?:\D|$)|` + callerName + `|` + houseNumber)

// securityFixture is one gridcc process with its callers.
type securityFixture struct {
	srv                   *server
	d                     deployment
	ingest, wall, limited string   // tokens: ingest (no practical limit), wall, ingest limited to 1/s, burst 5
	officer, admin        caller   // user sessions
	password              string   // every user's
	ids                   []string // events reported first
}

// caller is how a request authenticates: a bearer token, or a session
// cookie with its CSRF token.
type caller struct {
	token, cookie, csrf string
}

func newSecurityFixture(t *testing.T) *securityFixture {
	t.Helper()
	_, prefix := testsvc.Redis(t)
	fx := &securityFixture{d: deployment{redisURL: testsvc.RedisURL(t), prefix: prefix,
		clickhouseURL: testsvc.ClickHouseDatabase(t), authFile: filepath.Join(t.TempDir(), "auth.json")},
		password: "Correct-Horse-9"}
	f := auth.NewFile(fx.d.authFile)
	var err error
	add := func(name, role string, rate float64, burst int) string {
		tok, e := f.AddToken(name, auth.Role(role), rate, burst)
		if e != nil {
			err = e
		}
		return tok
	}
	fx.ingest = add("hotline", "ingest:hotline12345", 100000, 100000)
	fx.wall = add("hall", "wall", 100000, 100000)
	fx.limited = add("sensors", "ingest:sensors", 1, 5)
	if err != nil {
		t.Fatal(err)
	}
	for name, role := range map[string]string{"zhang": "officer", "sun": "admin"} {
		if err := f.AddUser(name, name, auth.Role(role), fx.password); err != nil {
			t.Fatal(err)
		}
	}
	// Users get the default limits: high here, so that the malformed requests test
	// what each request is answered, not the officer's rate limit.
	fx.srv = fx.d.start(t, "GRIDCC_RATE_PER_S=100000", "GRIDCC_RATE_BURST=100000")
	fx.officer, fx.admin = fx.login(t, "zhang"), fx.login(t, "sun")
	return fx
}

// login opens a user's session.
func (fx *securityFixture) login(t *testing.T, name string) caller {
	t.Helper()
	st, h, body := fx.send(http.MethodPost, "/api/v1/login", caller{}, []byte(`{"name":"`+name+`","password":"`+fx.password+`"}`))
	var me struct {
		CSRF string `json:"csrf_token"`
	}
	if st != http.StatusOK || json.Unmarshal(body, &me) != nil {
		t.Fatalf("login: %d %s", st, body)
	}
	for _, c := range (&http.Response{Header: h}).Cookies() {
		if c.Name == "gridcc_session" {
			return caller{cookie: c.Value, csrf: me.CSRF}
		}
	}
	t.Fatal("login set no session cookie")
	return caller{}
}

// send makes one request and returns status, headers and body.
func (fx *securityFixture) send(method, path string, as caller, body []byte, header ...string) (int, http.Header, []byte) {
	req, err := http.NewRequest(method, fx.srv.URL+path, bytes.NewReader(body))
	if err != nil {
		return 0, nil, []byte(err.Error())
	}
	req.Header.Set("Content-Type", "application/json")
	if as.token != "" {
		req.Header.Set("Authorization", "Bearer "+as.token)
	}
	if as.cookie != "" {
		req.AddCookie(&http.Cookie{Name: "gridcc_session", Value: as.cookie})
		req.Header.Set("X-CSRF-Token", as.csrf)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, []byte(err.Error())
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b
}

// validEvent is a hotline report full of personal data.
func validEvent(sourceID string) []byte {
	return fmt.Appendf(nil, `{"kind":"hotline","source_id":%q,"category":"dispute","severity":"high",
		"title":"邻里纠纷 回电%s","description":"报警人身份证%s","caller_name":%q,"caller_phone":%q,
		"address":%q,"lon":114.6468,"lat":33.6165,"occurred_at":%q}`,
		sourceID, callerPhone, idNumber, callerName, callerPhone, fullAddress, time.Now().Add(-time.Minute).Format(time.RFC3339))
}

// TestSecurityScans runs a real gridcc through what an attacker and a
// careless client send it, and then scans what it said. It complements
// backend/cmd/gridcc TestHostileInputBarrage (ingest, batch, stats queries,
// WebSocket frames) with the decoders that one leaves out: malformed action
// and login bodies, events-list and audit query strings, and query strings
// that do not parse on every GET route; each gets a 4xx, never a 5xx, and
// changes nothing stored. Then a token flooding over its limit gets 429s
// while another is served, and neither gridcc's whole log nor anything the
// wall role is sent (every route it may call, every frame) holds a token, a
// password or unmasked personal data.
func TestSecurityScans(t *testing.T) {
	fx := newSecurityFixture(t)
	ingest, wall := caller{token: fx.ingest}, caller{token: fx.wall}
	for i := range 5 {
		st, _, body := fx.send(http.MethodPost, "/api/v1/events", ingest, validEvent(fmt.Sprintf("before-%d", i)))
		var res struct{ ID string }
		if st != http.StatusAccepted || json.Unmarshal(body, &res) != nil {
			t.Fatalf("valid event %d: %d %s", i, st, body)
		}
		fx.ids = append(fx.ids, res.ID)
	}
	waitFor(t, 30*time.Second, "the events in the history", func() bool {
		return reported(t, fx.srv.URL+"/api/v1/stats/summary", fx.wall) == 5
	})
	control := dialSubscribed(t, fx.srv.URL, fx.wall)
	defer control.Close()
	before := fx.stored(t)

	t.Run("MalformedRequests", func(t *testing.T) {
		requests := fx.hostileRequests(t)
		counts := map[int]int{}
		for _, r := range requests {
			st, _, body := fx.send(r.method, r.path, r.as, r.body, r.header...)
			counts[st]++
			if st < 400 || st > 499 {
				t.Errorf("%s %s (%s): %d %.300s", r.method, r.path, r.what, st, body)
			}
		}
		t.Logf("%d malformed requests: statuses %v", len(requests), counts)
	})
	t.Run("RateLimitPerToken", func(t *testing.T) {
		limited, served := 0, 0
		for range 40 {
			if st, _, _ := fx.send(http.MethodPost, "/api/v1/events", caller{token: fx.limited}, []byte(`{}`)); st == http.StatusTooManyRequests {
				limited++
			}
			if st, _, _ := fx.send(http.MethodGet, "/api/v1/stats/summary", wall, nil); st == http.StatusOK {
				served++
			}
		}
		if limited < 25 || served != 40 {
			t.Errorf("flooding token: %d of 40 answered 429 (want ≥ 25); another token: %d of 40 served (want all)", limited, served)
		}
	})

	// Afterwards: healthy, nothing changed, the screen still live.
	if st, _ := get(fx.srv.URL+"/readyz", ""); st != http.StatusOK {
		t.Fatalf("/readyz = %d after the malformed requests", st)
	}
	if after := fx.stored(t); !equalAnswers(t, "gridcc after the malformed requests", before, after) {
		t.Error("malformed requests changed what was stored")
	}
	st, _, body := fx.send(http.MethodPost, "/api/v1/events", ingest, validEvent("after"))
	if st != http.StatusAccepted {
		t.Fatalf("a valid event afterwards: %d %s", st, body)
	}
	frames := readUntilEvent(t, control, "after")

	t.Run("WallSeesNoPersonalData", func(t *testing.T) {
		zone, err := time.LoadLocation("Asia/Shanghai")
		if err != nil {
			t.Fatal(err)
		}
		today := history.DateOf(time.Now(), zone).String()
		worker := firstWorker(t)
		for _, path := range []string{"/api/v1/me", "/api/v1/stats/summary", "/api/v1/stats/trend?split=grid",
			"/api/v1/stats/hotspots", "/api/v1/stats/recurring?times=2&from=" + today,
			"/api/v1/stats/recurring?times=2&at=grid", "/api/v1/stats/heatmap?risk=true",
			"/api/v1/grids/" + worker.GridID + "/duty"} {
			st, _, body := fx.send(http.MethodGet, path, wall, nil)
			if st != http.StatusOK {
				t.Errorf("GET %s as the wall: %d %s", path, st, body)
			}
			if m := personal.Find(body); m != nil {
				t.Errorf("GET %s shows the wall %q: %.300s", path, m, body)
			}
			if bytes.Contains(body, []byte(worker.Name)) {
				t.Errorf("GET %s shows the wall the name of the grid worker on duty: %.300s", path, body)
			}
		}
		snapshot := dialSubscribed(t, fx.srv.URL, fx.wall)
		defer snapshot.Close()
		for _, f := range append(frames, readFramesUntil(t, snapshot, "live")...) {
			if m := personal.Find(f); m != nil {
				t.Errorf("a WebSocket frame shows the wall %q: %.300s", m, f)
			}
		}
	})
	t.Run("NoSecretsInTheLog", func(t *testing.T) {
		fx.srv.stop()
		log := fx.srv.logs.String()
		if !strings.Contains(log, "gridcc stopped") {
			t.Fatalf("the log is incomplete:\n%s", log)
		}
		for what, secret := range map[string]string{"ingest token": fx.ingest, "wall token": fx.wall, "password": fx.password,
			"session": fx.officer.cookie, "CSRF token": fx.officer.csrf, "admin session": fx.admin.cookie} {
			if strings.Contains(log, secret) {
				t.Errorf("gridcc's log holds the %s", what)
			}
		}
		if m := personal.FindString(log); m != "" {
			t.Errorf("gridcc's log holds personal data %q", m)
		}
	})
}

// stored is what malformed requests must not change: the log's head (nothing was
// appended), the open events as an officer lists them (personal data
// included) and the stats.
func (fx *securityFixture) stored(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, path := range []string{"/api/v1/events?limit=500", "/api/v1/stats/summary", "/api/v1/stats/recurring?times=2&at=grid"} {
		st, _, body := fx.send(http.MethodGet, path, fx.officer, nil)
		if st != http.StatusOK {
			t.Fatalf("GET %s: %d %s", path, st, body)
		}
		out[path] = string(body)
	}
	_, body := get(fx.srv.URL+"/readyz", "")
	var ready struct {
		Components struct {
			Live struct {
				Details struct {
					Seq uint64 `json:"seq"`
				} `json:"details"`
			} `json:"live"`
		} `json:"components"`
	}
	if err := json.Unmarshal(body, &ready); err != nil {
		t.Fatal(err)
	}
	out["log head"] = fmt.Sprint(ready.Components.Live.Details.Seq)
	return out
}

// hostileRequest is one malformed request.
type hostileRequest struct {
	what, method, path string
	as                 caller
	body               []byte
	header             []string
}

// hostileRequests builds the malformed requests: hand-made malformations of
// the action and login bodies, random truncations and invalid bytes
// inserted into valid ones, bad query strings for the events list and the
// audit log, query strings that do not parse for every GET route that
// reads parameters, and writes without or with foreign credentials.
func (fx *securityFixture) hostileRequests(t *testing.T) []hostileRequest {
	t.Helper()
	officer := fx.officer
	valid := map[string][]byte{
		"/api/v1/events/" + fx.ids[0] + "/actions": []byte(`{"action":"comment","reason":"已联系"}`),
		"/api/v1/login": []byte(`{"name":"zhang","password":"Correct-Horse-9"}`),
	}
	as := func(path string) caller {
		if path == "/api/v1/login" {
			return caller{}
		}
		return officer
	}
	deep := strings.Repeat("[", 100000) + strings.Repeat("]", 100000)
	var out []hostileRequest
	for path, ok := range valid {
		bodies := map[string][]byte{
			"empty":          nil,
			"not JSON":       []byte("<?xml version=\"1.0\"?><event/>"),
			"array":          []byte(`[` + string(ok) + `]`),
			"null":           []byte("null"),
			"number":         []byte("1e999999"),
			"wrong types":    []byte(`{"kind":1,"source_id":[],"category":{},"lon":"east","action":7,"name":true,"password":null,"events":"x"}`),
			"deep nesting":   []byte(`{"kind":` + deep + `}`),
			"huge numbers":   bytes.Replace(ok, []byte(`{`), []byte(`{"lon":1e400,"lat":-1e400,"rating":99999999999999999999999,`), 1),
			"invalid UTF-8":  bytes.Replace(ok, []byte(`"`), []byte("\"\xff\xfe"), 2),
			"raw NUL":        bytes.Replace(ok, []byte(`:`), []byte(":\x00"), 1),
			"escaped NUL":    bytes.Replace(ok, []byte(`{`), []byte(`{"title":"a\u0000b","reason":"a\u0000b","name":"a\u0000b",`), 1),
			"unknown fields": bytes.Replace(ok, []byte(`{`), []byte(`{"zzz_unknown":1,"__proto__":{"admin":true},`), 1),
			"duplicate keys": bytes.Replace(ok, []byte(`{`), []byte(`{"kind":"warning","action":"close","name":"x",`), 1),
			"two objects":    append(append([]byte{}, ok...), ok...),
			"trailing MBs":   append(append([]byte{}, ok...), bytes.Repeat([]byte(" x"), 5<<20)...),
			"oversized":      bytes.Replace(ok, []byte(`{`), []byte(`{"pad":"`+strings.Repeat("填", 3<<20)+`",`), 1),
			"SQL in action":  []byte(`{"action":"comment' OR '1'='1","reason":"1; DELETE FROM audit"}`),
			"truncated":      ok[:len(ok)/2],
		}
		for what, body := range bodies {
			if bytes.Equal(body, ok) {
				continue // the malformation does not apply to this body
			}
			out = append(out, hostileRequest{what: what, method: http.MethodPost, path: path, as: as(path), body: body})
		}
		// Random corruptions, each certainly invalid: cut short, or with a
		// byte that is never valid UTF-8, or a raw control character.
		rng := rand.New(rand.NewPCG(uint64(len(path)), 8))
		for i := range 240 {
			b := append([]byte{}, ok...)
			at := rng.IntN(len(b) - 1)
			var what string
			switch i % 3 {
			case 0:
				b, what = b[:at], "cut short"
			case 1:
				b, what = append(b[:at:at], append([]byte{0xff, byte(rng.IntN(256))}, b[at:]...)...), "0xff inserted"
			case 2:
				b, what = append(b[:at:at], append([]byte{controlByte(rng)}, b[at:]...)...), "control byte inserted"
			}
			out = append(out, hostileRequest{what: what, method: http.MethodPost, path: path, as: as(path), body: b})
		}
		// No credentials, foreign credentials, a CSRF-less cookie write (the
		// login itself needs none).
		if path == "/api/v1/login" {
			continue
		}
		out = append(out,
			hostileRequest{what: "no credentials", method: http.MethodPost, path: path, body: ok},
			hostileRequest{what: "a made-up token", method: http.MethodPost, path: path, as: caller{token: "gcc_" + strings.Repeat("A", 43)}, body: ok},
			hostileRequest{what: "cookie without CSRF", method: http.MethodPost, path: path, as: caller{cookie: officer.cookie}, body: ok},
		)
	}
	// Form and text bodies where JSON is expected.
	for _, ct := range []string{"application/x-www-form-urlencoded", "text/plain", "multipart/form-data; boundary=x"} {
		out = append(out, hostileRequest{what: "content type " + ct, method: http.MethodPost, path: "/api/v1/login",
			body: []byte("name=zhang&password=x"), header: []string{"Content-Type", ct}})
	}
	// Query strings that do not parse: Gin would drop the bad pair and
	// answer as if no parameter were given.
	for _, target := range []string{"/api/v1/stats/summary", "/api/v1/stats/trend", "/api/v1/stats/hotspots",
		"/api/v1/stats/recurring", "/api/v1/stats/heatmap", "/api/v1/events", "/api/v1/directory", "/api/v1/followups", "/api/v1/audit"} {
		for _, q := range []string{"%zz=1", "street=411602001%", "a=1;b=2", "kind=hotline;street=411602001"} {
			as := officer
			if target == "/api/v1/audit" {
				as = fx.admin
			}
			out = append(out, hostileRequest{what: "query " + q, method: http.MethodGet, path: target + "?" + q, as: as})
		}
	}
	for _, q := range []string{"limit=0", "limit=-5", "limit=501", "limit=abc", "cursor=%ff", "cursor=bm9zcGFjZQ", "overdue=maybe",
		"status=deleted", "severity=9", "kind=fax", "from=2025-01-01", "status=open&status=done", "%zz=1", "street=411602001%",
		"a=1;b=2", strings.Repeat("x", 4000) + "=1"} {
		out = append(out, hostileRequest{what: "query " + q, method: http.MethodGet, path: "/api/v1/events?" + q, as: officer})
	}
	for _, q := range []string{"since=1", "limit=0", "limit=10001", "from=yesterday", "user=a&user=b", "to=2025-01-01T00:00:00",
		"from=2025-01-02T00:00:00Z&to=2025-01-01T00:00:00Z", "from=2020-01-01T00:00:00Z&to=2025-01-01T00:00:00Z", strings.Repeat("y", 4000) + "=1"} {
		out = append(out, hostileRequest{what: "audit query " + q, method: http.MethodGet, path: "/api/v1/audit?" + q, as: fx.admin})
	}
	for _, p := range []string{"/api/v1/events/%00", "/api/v1/events/" + strings.Repeat("a", 65), "/api/v1/events/a%20b", "/api/v1/nothing", "/api/v1/geo/nothing"} {
		out = append(out, hostileRequest{what: "path " + p, method: http.MethodGet, path: p, as: officer})
	}
	return out
}

// controlByte is a control character JSON never allows, in a string or
// between tokens (tab, line feed and carriage return are whitespace there).
func controlByte(rng *rand.Rand) byte {
	for {
		if b := byte(rng.IntN(32)); b != '\t' && b != '\n' && b != '\r' {
			return b
		}
	}
}

func wsURL(base string) string { return strings.Replace(base, "http", "ws", 1) + "/ws" }

// dialSubscribed opens a wall connection subscribed from the start.
func dialSubscribed(t *testing.T, base, token string) *websocket.Conn {
	t.Helper()
	conn, _, err := websocket.DefaultDialer.Dial(wsURL(base), http.Header{"Authorization": {"Bearer " + token}})
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	if err := conn.WriteMessage(websocket.TextMessage, []byte(`{"type":"subscribe","since":0}`)); err != nil {
		t.Fatal(err)
	}
	return conn
}

// readFramesUntil returns the frames read until one holds a message of type typ.
func readFramesUntil(t *testing.T, c *websocket.Conn, typ string) [][]byte {
	t.Helper()
	return readFrames(t, c, func(f []byte) bool { return bytes.Contains(f, []byte(`"type":"`+typ+`"`)) })
}

// readUntilEvent returns the frames read until the event with sourceID arrives.
func readUntilEvent(t *testing.T, c *websocket.Conn, sourceID string) [][]byte {
	t.Helper()
	return readFrames(t, c, func(f []byte) bool { return bytes.Contains(f, []byte(`"source_id":"`+sourceID+`"`)) })
}

func readFrames(t *testing.T, c *websocket.Conn, done func([]byte) bool) [][]byte {
	t.Helper()
	_ = c.SetReadDeadline(time.Now().Add(30 * time.Second))
	var frames [][]byte
	for {
		_, data, err := c.ReadMessage()
		if err != nil {
			t.Fatalf("read /ws: %v", err)
		}
		frames = append(frames, data)
		if done(data) {
			return frames
		}
	}
}

// worker is an entry of geodata/workers.json, the grid workers on duty.
type worker struct {
	GridID string `json:"grid_id"`
	Name   string `json:"name"`
}

// firstWorker returns the first grid worker of the geodata.
func firstWorker(t *testing.T) worker {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(testsvc.RepoRoot(t), "geodata", "workers.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ws []worker
	if err := json.Unmarshal(b, &ws); err != nil || len(ws) == 0 || ws[0].Name == "" {
		t.Fatalf("geodata/workers.json: %d workers (%v)", len(ws), err)
	}
	return ws[0]
}
