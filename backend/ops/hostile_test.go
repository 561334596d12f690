package ops

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
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

// hostileFixture is one gridcc process with its callers.
type hostileFixture struct {
	srv                   *server
	d                     deployment
	ingest, wall, limited string // tokens: ingest (no practical limit), wall, ingest limited to 1/s, burst 5
	officer               caller
	password              string
	ids                   []string // events reported before the barrage
}

// caller is how a request authenticates: a bearer token, or a session
// cookie with its CSRF token.
type caller struct {
	token, cookie, csrf string
}

func newHostileFixture(t *testing.T) *hostileFixture {
	t.Helper()
	_, prefix := testsvc.Redis(t)
	fx := &hostileFixture{d: deployment{redisURL: testsvc.RedisURL(t), prefix: prefix,
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
	if err := f.AddUser("zhang", "张警官", "officer", fx.password); err != nil {
		t.Fatal(err)
	}
	// Users get the default limits: high here, so that the barrage tests
	// what each request is answered, not the officer's rate limit.
	fx.srv = fx.d.start(t, "GRIDCC_RATE_PER_S=100000", "GRIDCC_RATE_BURST=100000")
	fx.officer = fx.login(t)
	return fx
}

// login opens the officer's session.
func (fx *hostileFixture) login(t *testing.T) caller {
	t.Helper()
	st, h, body := fx.send(http.MethodPost, "/api/v1/login", caller{}, []byte(`{"name":"zhang","password":"`+fx.password+`"}`))
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
func (fx *hostileFixture) send(method, path string, as caller, body []byte, header ...string) (int, http.Header, []byte) {
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

// TestHostileInput is the barrage of issue 8 against a real gridcc: over
// 1,000 malformed requests and WebSocket frames each get a 4xx or a close
// code, never a 5xx; the server stays healthy and a subscribed screen
// unaffected; what was stored before is unchanged; a flooding token gets
// 429 while others are served; and neither gridcc's log nor anything sent
// to the wall role holds a token, a password or unmasked personal data.
func TestHostileInput(t *testing.T) {
	fx := newHostileFixture(t)
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

	t.Run("HTTPBarrage", func(t *testing.T) {
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
		if len(requests) < 1000 {
			t.Errorf("only %d requests in the barrage", len(requests))
		}
	})
	t.Run("WebSocketBarrage", func(t *testing.T) {
		frames := hostileFrames()
		codes := map[int]int{}
		for _, fr := range frames {
			code := sendFrame(t, fx.srv.URL, fx.wall, fr)
			codes[code]++
			if code < 1002 || code == websocket.CloseAbnormalClosure {
				t.Errorf("frame %s: close code %d, want one naming the fault", fr.what, code)
			}
		}
		for _, h := range []http.Header{{"Origin": {"https://evil.example"}}, {}} {
			conn, resp, err := websocket.DefaultDialer.Dial(wsURL(fx.srv.URL), h)
			if err == nil {
				conn.Close()
				t.Errorf("a handshake with %v and no credential was accepted", h)
			} else if resp == nil || resp.StatusCode/100 != 4 {
				t.Errorf("a handshake with %v: %v, want a 4xx", h, err)
			}
		}
		t.Logf("%d malformed frames: close codes %v", len(frames), codes)

		// A street filter is any short string to the hub (it matches
		// nothing when no street has that code): SQL in it is inert.
		c, _, err := websocket.DefaultDialer.Dial(wsURL(fx.srv.URL), http.Header{"Authorization": {"Bearer " + fx.wall}})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if err := c.WriteMessage(websocket.TextMessage, []byte(`{"type":"subscribe","since":0,"filter":{"streets":["1' OR '1'='1"]}}`)); err != nil {
			t.Fatal(err)
		}
		for _, f := range readFramesUntil(t, c, "live") {
			if bytes.Contains(f, []byte(`"type":"event"`)) {
				t.Errorf("a filter naming no street was sent events: %.300s", f)
			}
		}
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

	// After the barrage: healthy, nothing changed, the screen still live.
	if st, _ := get(fx.srv.URL+"/readyz", ""); st != http.StatusOK {
		t.Fatalf("/readyz = %d after the barrage", st)
	}
	if after := fx.stored(t); !equalAnswers(t, "gridcc after the barrage", before, after) {
		t.Error("the barrage changed what was stored")
	}
	st, _, body := fx.send(http.MethodPost, "/api/v1/events", ingest, validEvent("after"))
	if st != http.StatusAccepted {
		t.Fatalf("a valid event after the barrage: %d %s", st, body)
	}
	frames := readUntilEvent(t, control, "after")

	t.Run("WallSeesNoPersonalData", func(t *testing.T) {
		today := history.DateOf(time.Now(), time.Local).String()
		for _, path := range []string{"/api/v1/me", "/api/v1/stats/summary", "/api/v1/stats/trend?split=grid",
			"/api/v1/stats/hotspots", "/api/v1/stats/recurring?times=2&from=" + today,
			"/api/v1/stats/recurring?times=2&at=grid", "/api/v1/stats/heatmap?risk=true"} {
			st, _, body := fx.send(http.MethodGet, path, wall, nil)
			if st != http.StatusOK {
				t.Errorf("GET %s as the wall: %d %s", path, st, body)
			}
			if m := personal.Find(body); m != nil {
				t.Errorf("GET %s shows the wall %q: %.300s", path, m, body)
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
			"session": fx.officer.cookie, "CSRF token": fx.officer.csrf} {
			if strings.Contains(log, secret) {
				t.Errorf("gridcc's log holds the %s", what)
			}
		}
		if m := personal.FindString(log); m != "" {
			t.Errorf("gridcc's log holds personal data %q", m)
		}
	})
}

// stored is what the barrage must not change: the log's head (nothing was
// appended), the open events as an officer lists them (personal data
// included) and the stats.
func (fx *hostileFixture) stored(t *testing.T) map[string]string {
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

// hostileRequests builds the barrage: hand-made malformations of every
// JSON body gridcc reads (an event, a batch, an action, a login), random
// truncations and invalid bytes inserted into valid bodies, bad query
// strings for every GET that reads one, and requests without or with
// foreign credentials.
func (fx *hostileFixture) hostileRequests(t *testing.T) []hostileRequest {
	t.Helper()
	ingest, officer := caller{token: fx.ingest}, fx.officer
	valid := map[string][]byte{
		"/api/v1/events":                           validEvent("valid"),
		"/api/v1/events/batch":                     []byte(`{"events":[` + string(validEvent("b1")) + `]}`),
		"/api/v1/events/" + fx.ids[0] + "/actions": []byte(`{"action":"comment","reason":"已联系"}`),
		"/api/v1/login":                            []byte(`{"name":"zhang","password":"Correct-Horse-9"}`),
	}
	as := func(path string) caller {
		switch {
		case strings.HasSuffix(path, "/actions"):
			return officer
		case path == "/api/v1/login":
			return caller{}
		}
		return ingest
	}
	deep := strings.Repeat("[", 100000) + strings.Repeat("]", 100000)
	var out []hostileRequest
	for path, ok := range valid {
		bodies := map[string][]byte{
			"empty":           nil,
			"not JSON":        []byte("<?xml version=\"1.0\"?><event/>"),
			"array":           []byte(`[` + string(ok) + `]`),
			"null":            []byte("null"),
			"number":          []byte("1e999999"),
			"wrong types":     []byte(`{"kind":1,"source_id":[],"category":{},"lon":"east","action":7,"name":true,"password":null,"events":"x"}`),
			"deep nesting":    []byte(`{"kind":` + deep + `}`),
			"huge numbers":    bytes.Replace(ok, []byte(`{`), []byte(`{"lon":1e400,"lat":-1e400,"rating":99999999999999999999999,`), 1),
			"invalid UTF-8":   bytes.Replace(ok, []byte(`"`), []byte("\"\xff\xfe"), 2),
			"raw NUL":         bytes.Replace(ok, []byte(`:`), []byte(":\x00"), 1),
			"escaped NUL":     bytes.Replace(ok, []byte(`{`), []byte(`{"title":"a\u0000b","reason":"a\u0000b","name":"a\u0000b",`), 1),
			"unknown fields":  bytes.Replace(ok, []byte(`{`), []byte(`{"zzz_unknown":1,"__proto__":{"admin":true},`), 1),
			"duplicate keys":  bytes.Replace(ok, []byte(`{`), []byte(`{"kind":"warning","action":"close","name":"x",`), 1),
			"two objects":     append(append([]byte{}, ok...), ok...),
			"trailing MBs":    append(append([]byte{}, ok...), bytes.Repeat([]byte(" x"), 5<<20)...),
			"oversized":       bytes.Replace(ok, []byte(`{`), []byte(`{"pad":"`+strings.Repeat("填", 3<<20)+`",`), 1),
			"SQL in category": bytes.Replace(ok, []byte(`"dispute"`), []byte(`"dispute'); DROP TABLE events; --"`), 1),
			"SQL in action":   []byte(`{"action":"comment' OR '1'='1","reason":"1; DELETE FROM audit"}`),
			"truncated":       ok[:len(ok)/2],
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
	// Query strings: each invalid for every route it is sent to.
	statsQueries := []string{"from=2025-13-01", "to=yesterday", "week=2025-W99", "top=-1", "top=1e9", "kind=fax", "street=%00",
		"category=%27%20OR%201%3D1--", "split=community", "granularity=hour", "risk=maybe", "level=kind", "at=street",
		"times=1", "within=0", "from=1999-01-01", "limit=0", "cursor=%ff", "status=deleted", "severity=9",
		strings.Repeat("x", 4000) + "=1", "top=1&top=2", "%zz=1", "street=411602001%", "a=1;b=2"}
	for _, p := range []string{"summary", "trend", "hotspots", "recurring", "heatmap"} {
		for _, q := range statsQueries {
			out = append(out, hostileRequest{what: "query " + q, method: http.MethodGet, path: "/api/v1/stats/" + p + "?" + q, as: caller{token: fx.wall}})
		}
	}
	for _, q := range []string{"limit=0", "limit=-5", "limit=501", "limit=abc", "cursor=%ff", "cursor=bm9zcGFjZQ", "overdue=maybe",
		"status=deleted", "severity=9", "kind=fax", "from=2025-01-01", "status=open&status=done", "%zz=1", "street=411602001%",
		"a=1;b=2", strings.Repeat("x", 4000) + "=1"} {
		out = append(out, hostileRequest{what: "query " + q, method: http.MethodGet, path: "/api/v1/events?" + q, as: officer})
	}
	for _, q := range []string{"lon=abc&lat=33.6", "lon=NaN&lat=33.6", "lon=1e999&lat=0", "lon=114.6", "lon=116.4&lat=39.9", "lon=%00&lat=%00"} {
		out = append(out, hostileRequest{what: "locate " + q, method: http.MethodGet, path: "/api/v1/geo/locate?" + q})
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

// hostileFrame is one malformed WebSocket message.
type hostileFrame struct {
	what string
	typ  int
	data []byte
}

func hostileFrames() []hostileFrame {
	valid := `{"type":"subscribe","since":0,"epoch":"","filter":{"streets":["411602001"],"kinds":["hotline"]}}`
	frames := []hostileFrame{
		{"binary", websocket.BinaryMessage, []byte(valid)},
		{"not JSON", websocket.TextMessage, []byte("hello")},
		{"truncated", websocket.TextMessage, []byte(valid[:20])},
		{"array", websocket.TextMessage, []byte(`[` + valid + `]`)},
		{"unknown type", websocket.TextMessage, []byte(`{"type":"publish","data":"x"}`)},
		{"unknown field", websocket.TextMessage, []byte(`{"type":"subscribe","channel":"admin"}`)},
		{"wrong types", websocket.TextMessage, []byte(`{"type":"subscribe","since":"0","filter":[]}`)},
		{"huge since", websocket.TextMessage, []byte(`{"type":"subscribe","since":1e400}`)},
		{"negative since", websocket.TextMessage, []byte(`{"type":"subscribe","since":-1}`)},
		{"deep nesting", websocket.TextMessage, []byte(`{"type":"subscribe","filter":` + strings.Repeat("[", 2000) + `}`)},
		{"NUL", websocket.TextMessage, []byte("{\"type\":\"sub\x00scribe\"}")},
		{"over the read limit", websocket.TextMessage, []byte(`{"type":"subscribe","epoch":"` + strings.Repeat("x", 64<<10) + `"}`)},
		{"two objects", websocket.TextMessage, []byte(valid + valid)},
	}
	// Random corruptions of the valid message, each certainly invalid.
	rng := rand.New(rand.NewPCG(8, 8))
	for i := range 200 {
		b := []byte(valid)
		at := rng.IntN(len(b) - 1)
		if i%2 == 0 {
			frames = append(frames, hostileFrame{"cut short", websocket.TextMessage, b[:at]})
		} else {
			frames = append(frames, hostileFrame{"control byte inserted", websocket.TextMessage,
				append(b[:at:at], append([]byte{controlByte(rng)}, b[at:]...)...)})
		}
	}
	return frames
}

func wsURL(base string) string { return strings.Replace(base, "http", "ws", 1) + "/ws" }

// sendFrame opens a wall connection, sends fr and returns the close code
// the server answers with (CloseAbnormalClosure when the connection just
// dropped).
func sendFrame(t *testing.T, base, token string, fr hostileFrame) int {
	t.Helper()
	conn, _, err := websocket.DefaultDialer.Dial(wsURL(base), http.Header{"Authorization": {"Bearer " + token}})
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	defer conn.Close()
	if err := conn.WriteMessage(fr.typ, fr.data); err != nil {
		return websocket.CloseAbnormalClosure
	}
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		if _, _, err := conn.ReadMessage(); err != nil {
			var ce *websocket.CloseError
			if errors.As(err, &ce) {
				return ce.Code
			}
			return websocket.CloseAbnormalClosure
		}
	}
}

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
