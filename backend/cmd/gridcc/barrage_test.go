package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// TestHostileInputBarrage sends well over a thousand malformed requests and
// WebSocket frames to a real replica: every one gets a 4xx (or, on a
// socket, a close code), none a 5xx or a 2xx; the replica stays healthy and
// what was stored before is unchanged.
func TestHostileInputBarrage(t *testing.T) {
	r := startReplica(t, map[string]string{"GRIDCC_RATE_PER_S": "100000", "GRIDCC_RATE_BURST": "100000"})
	// The bodies the malformed ones derive from are valid (and stored now,
	// so a derived body that is valid after all shows up as a 200 duplicate).
	var stored []string
	for _, valid := range validBodies() {
		st, _, body := do(t, "POST", r.URL+"/api/v1/events", r.IngestToken, valid)
		var res struct{ ID string }
		if st != 202 || json.Unmarshal(body, &res) != nil {
			t.Fatalf("valid event %s: %d %s", valid, st, body)
		}
		stored = append(stored, res.ID)
	}
	before := liveState(t, r, stored)

	sent, wrong := 0, map[string]int{}
	expect4xx := func(what string, status int) {
		sent++
		if status < 400 || status > 499 {
			wrong[fmt.Sprintf("%s → %d", what, status)]++
		}
	}
	var events [][]byte
	for _, valid := range validBodies() {
		events = append(events, malformedEvents(valid)...)
	}
	for i, body := range events {
		st, _, resp := do(t, "POST", r.URL+"/api/v1/events", r.IngestToken, body, "Content-Type", "application/json")
		expect4xx(fmt.Sprintf("event #%d %.60q", i, body), st)
		if st/100 == 4 && !json.Valid(resp) {
			t.Errorf("event #%d: a %d without a JSON error body: %.200s", i, st, resp)
		}
	}
	for i, body := range malformedBatches() {
		// A batch of bad items is answered with their common 4xx and a
		// result per item; each item counts as one hostile input.
		st, _, resp := do(t, "POST", r.URL+"/api/v1/events/batch", r.IngestToken, body, "Content-Type", "application/json")
		var res struct{ Results []struct{ Status int } }
		if json.Unmarshal(resp, &res) != nil || len(res.Results) == 0 {
			expect4xx(fmt.Sprintf("batch #%d %.60q", i, body), st)
			continue
		}
		expect4xx(fmt.Sprintf("batch #%d", i), st)
		for j, item := range res.Results {
			expect4xx(fmt.Sprintf("batch #%d item %d", i, j), item.Status)
		}
	}
	for _, target := range hostileQueries() {
		st, _, _ := do(t, "GET", r.URL+target, r.WallToken, nil)
		expect4xx("GET "+target, st)
	}
	for _, h := range [][]string{
		{"Authorization", "Bearer gcc_not-a-token"}, {"Authorization", "Basic YWRtaW46YWRtaW4="},
		{"Authorization", "Bearer " + strings.Repeat("x", 10000)}, {"Authorization", "Bearer gcc_' OR 1=1 --"},
	} {
		st, _, _ := do(t, "POST", r.URL+"/api/v1/events", "", hotlineJSON("no-auth"), h...)
		expect4xx("credentials "+h[1][:min(len(h[1]), 20)], st)
	}
	for i, frame := range hostileFrames() {
		sent++
		if code := wsCloseCodeAfter(t, r, frame); code != 4400 && code != 1009 {
			wrong[fmt.Sprintf("ws frame #%d %.60q → close %d", i, frame, code)]++
		}
	}

	t.Logf("%d hostile requests and frames sent, %d answered otherwise than 4xx / a close code", sent, len(wrong))
	if sent < 1000 {
		t.Errorf("only %d hostile inputs; the barrage needs at least 1,000", sent)
	}
	for _, k := range slices.Sorted(maps.Keys(wrong)) {
		t.Errorf("%s (×%d)", k, wrong[k])
	}
	for _, path := range []string{"/healthz", "/readyz"} {
		if st, _, body := do(t, "GET", r.URL+path, "", nil); st != 200 {
			t.Errorf("%s after the barrage: %d %s", path, st, body)
		}
	}
	after := liveState(t, r, stored)
	if after.seq != before.seq || !slices.Equal(after.open, before.open) {
		t.Errorf("the stored state changed: seq %d → %d, open %v → %v", before.seq, after.seq, before.open, after.open)
	}
	if st, _, body := do(t, "POST", r.URL+"/api/v1/events", r.IngestToken, hotlineJSON("after")); st != 202 {
		t.Errorf("a valid event after the barrage: %d %s", st, body)
	}
}

// validBodies are one valid event of each shape: a hotline request located
// by its point, a camera alert located by its camera, a grid report by grid.
func validBodies() [][]byte {
	at := time.Now().Add(-time.Minute).Format(time.RFC3339)
	return [][]byte{
		hotlineJSON("barrage"),
		[]byte(`{"kind":"camera_alert","source_id":"barrage-cam","category":"crowd","severity":"high","title":"人员聚集","camera_id":"CAM-000001","occurred_at":"` + at + `"}`),
		[]byte(`{"kind":"grid_event","source_id":"barrage-grid","category":"environment","severity":"low","title":"垃圾堆放","grid_id":"411602001-001","occurred_at":"` + at + `"}`),
	}
}

// malformedEvents derives broken bodies from a valid event: cut short, each
// field with a wrong type or value, each required field missing, extras.
func malformedEvents(valid []byte) [][]byte {
	var out [][]byte
	for i := 1; i < len(valid)-1; i++ { // truncated anywhere
		out = append(out, valid[:i])
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(valid, &fields); err != nil {
		panic(err)
	}
	with := func(change func(m map[string]json.RawMessage)) []byte {
		m := maps.Clone(fields)
		change(m)
		b, err := json.Marshal(m)
		if err != nil {
			panic(err)
		}
		return b
	}
	wrongValues := []string{`123`, `-1`, `1e400`, `123456789012345678901234567890`, `[]`, `{}`, `null`, `true`,
		`"'; DROP TABLE events; --"`, `"1 OR 1=1"`, `"` + strings.Repeat("长", 5000) + `"`, `"NaN"`, `""`}
	for _, k := range slices.Sorted(maps.Keys(fields)) {
		for _, v := range wrongValues {
			if isAcceptableValue(k, v) {
				continue
			}
			out = append(out, with(func(m map[string]json.RawMessage) { m[k] = json.RawMessage(v) }))
		}
		if !optional[k] {
			out = append(out, with(func(m map[string]json.RawMessage) { delete(m, k) }))
		}
	}
	extra := func(k, v string) []byte {
		return with(func(m map[string]json.RawMessage) { m[k] = json.RawMessage(v) })
	}
	out = append(out,
		extra("unknown", `1`), extra("Kind", `"hotline"`), extra("camera_id", `"cam-1"`),
		extra("occurred_at", `"2026-13-45T99:00:00Z"`), extra("occurred_at", `"yesterday"`),
		extra("lon", `0`), extra("lat", `91`), extra("severity", `"high'); DROP TABLE changes; --"`),
		extra("description", `"`+strings.Repeat("x", 70000)+`"`),
		[]byte(strings.Repeat("[", 100000)), []byte(`{"kind":`+strings.Repeat(`{"a":`, 20000)+`1`+strings.Repeat(`}`, 20000)+`}`),
		bytes.Replace(valid, []byte(`"title":"`), []byte("\"title\":\"\xff\xfe"), 1),
		bytes.Replace(valid, []byte(`"title":"`), []byte("\"title\":\"\x00"), 1),
		append(slices.Clone(valid), valid...),
		append(slices.Clone(valid), bytes.Repeat([]byte(" x"), 3<<20)...),
		append(slices.Clone(valid), bytes.Repeat([]byte(" "), 3<<20)...),
		bytes.Repeat([]byte("A"), 10<<20),
		[]byte(`{"kind":"hotline","kind":"warning"}`),
		nil, []byte(`null`), []byte(`[]`), []byte(`"event"`), []byte{0, 0, 0},
	)
	return out
}

// optional are the fields of hotlineJSON an event may leave out (empty or
// null is the same as absent).
var optional = map[string]bool{"address": true, "caller_name": true, "caller_phone": true}

// isAcceptableValue reports the replacements that are valid input for a
// field (a string is a fine title; an optional field may be empty or null),
// so the barrage only counts broken ones.
func isAcceptableValue(field, v string) bool {
	text := map[string]bool{"title": true, "address": true, "caller_name": true, "source_id": true}
	switch {
	case optional[field] && (v == `""` || v == `null`):
		return true
	case text[field] && strings.HasPrefix(v, `"`) && v != `""` && len(v) < 200:
		return true
	}
	return false
}

func malformedBatches() [][]byte {
	bad := malformedEvents(validBodies()[0])
	var out [][]byte
	for i := 0; i+10 <= len(bad) && len(out) < 20; i += 10 {
		items := bad[i : i+10]
		var b bytes.Buffer
		b.WriteString(`{"events":[`)
		n := 0
		for _, it := range items {
			if !json.Valid(it) || len(it) > 60<<10 {
				continue // an envelope must stay valid JSON for the items to be judged one by one
			}
			if n > 0 {
				b.WriteByte(',')
			}
			b.Write(it)
			n++
		}
		b.WriteString(`]}`)
		if n > 0 {
			out = append(out, b.Bytes())
		}
	}
	return append(out, []byte(`{"events":[]}`), []byte(`{"events":{}}`), []byte(`{"items":[]}`),
		[]byte(`{"events":[`), []byte(`[{"kind":"hotline"}]`), []byte(`{"events":[1,2,3]}`))
}

func hostileQueries() []string {
	return []string{
		"/api/v1/stats/summary?week=2025-W99", "/api/v1/stats/summary?from=2025-02-30",
		"/api/v1/stats/summary?from=2025-06-01&to=2024-06-01", "/api/v1/stats/trend?split=password",
		"/api/v1/stats/trend?top=-1", "/api/v1/stats/trend?top=1e99", "/api/v1/stats/hotspots?level=%00",
		"/api/v1/stats/recurring?times=0", "/api/v1/stats/recurring?category=%27%3B%20DROP%20TABLE%20events",
		"/api/v1/stats/heatmap?risk=maybe", "/api/v1/stats/summary?kind=" + strings.Repeat("k", 5000),
		"/api/v1/stats/summary?street=%ff%fe", "/api/v1/geo/locate?lon=NaN&lat=33.6",
		"/api/v1/geo/locate?lon=114.6", "/api/v1/geo/locate?lon=1e400&lat=1", "/api/v1/geo/layer?name=../../etc/passwd",
		"/api/v1/events?limit=-5", "/api/v1/audit",
	}
}

func hostileFrames() [][]byte {
	frames := [][]byte{
		[]byte(`{"type":"subscribe","since":-1}`), []byte(`{"type":"subscribe","since":1e400}`),
		[]byte(`{"type":"subscribe","since":"0"}`), []byte(`{"type":"unsubscribe"}`), []byte(`{"Type":"subscribe"}`),
		[]byte(`{"type":"subscribe","filter":{"kinds":["bomb"]}}`), []byte(`{"type":"subscribe","filter":{"min_severity":"extreme"}}`),
		[]byte(`{"type":"subscribe","filter":{"streets":"411602001"}}`), []byte(`{"type":"subscribe"}{"type":"subscribe"}`),
		[]byte(`{"type":"subscribe","evil":true}`), []byte("\xff\xfe"), []byte("{\"type\":\"sub\x00scribe\"}"),
		[]byte(strings.Repeat("[", 3000)), []byte(strings.Repeat("x", 64<<10)), []byte(`null`), []byte(`[]`), {},
	}
	valid := []byte(`{"type":"subscribe","since":0,"filter":{"kinds":["hotline"]}}`)
	for i := 1; i < len(valid); i++ {
		frames = append(frames, valid[:i])
	}
	return frames
}

// wsCloseCodeAfter opens a socket as the wall, sends frame, and returns the
// close code the server ends the connection with (-1: none).
func wsCloseCodeAfter(t *testing.T, r *testReplica, frame []byte) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, _, err := websocket.DefaultDialer.DialContext(ctx, "ws"+strings.TrimPrefix(r.URL, "http")+"/ws",
		http.Header{"Authorization": {"Bearer " + r.WallToken}})
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	defer conn.Close()
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	if err := conn.WriteMessage(websocket.TextMessage, frame); err != nil {
		return -1
	}
	for {
		if _, _, err := conn.ReadMessage(); err != nil {
			var ce *websocket.CloseError
			if errors.As(err, &ce) {
				return ce.Code
			}
			return -1
		}
	}
}

// state is what a wall sees: the log position and the open events.
type state struct {
	seq  uint64
	open []string
}

// liveState reads the state as a new wall client sees it once it holds the
// events known to be stored.
func liveState(t *testing.T, r *testReplica, stored []string) state {
	t.Helper()
	c := newResumingClient()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { _ = c.session(ctx, r.URL, r.WallToken) }()
	want := make(map[string]time.Time, len(stored))
	for _, id := range stored {
		want[id] = time.Time{} // sent before this client existed: no latency to report
	}
	awaitDelivered(t, "state", c, want)
	c.mu.Lock()
	seq := c.lastSeq
	c.mu.Unlock()
	return state{seq: seq, open: slices.Sorted(maps.Keys(c.ids()))}
}
