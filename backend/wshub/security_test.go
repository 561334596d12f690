package wshub

import (
	"context"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/gorilla/websocket"
)

// phoneRE finds a mainland mobile number.
var phoneRE = regexp.MustCompile(`1[3-9]\d{9}`)

func TestOrigin(t *testing.T) {
	env := mustStartHub(t, Options{})
	allow := mustStartHub(t, Options{AllowedOrigins: []string{"https://wall.gridcc.example", "http://localhost:5173/"}})
	tests := []struct {
		name   string
		env    *testEnv
		query  string
		origin string
		ok     bool
	}{
		{"OKSameOrigin", env, "via=cookie", env.srv.URL, true},
		{"OKBearerWithoutOrigin", env, "via=bearer", "", true},
		{"ErrCookieWithoutOrigin", env, "via=cookie", "", false},
		{"ErrForeignOrigin", env, "via=cookie", "https://evil.example", false},
		{"ErrForeignOriginWithBearer", env, "via=bearer", "https://evil.example", false},
		{"ErrNullOrigin", env, "via=cookie", "null", false},
		{"ErrFileOrigin", env, "via=cookie", "file://", false},
		{"OKAllowlisted", allow, "via=cookie", "https://wall.gridcc.example", true},
		{"OKAllowlistedTrailingSlashInConfig", allow, "via=cookie", "http://localhost:5173", true},
		{"OKAllowlistedCase", allow, "via=cookie", "https://WALL.gridcc.example", true},
		{"ErrAllowlistSuffix", allow, "via=cookie", "https://wall.gridcc.example.evil.tld", false},
		{"ErrAllowlistPrefix", allow, "via=cookie", "https://evilwall.gridcc.example", false},
		{"ErrAllowlistOtherScheme", allow, "via=cookie", "http://wall.gridcc.example", false},
		{"ErrAllowlistOtherPort", allow, "via=cookie", "https://wall.gridcc.example:8443", false},
		{"ErrAllowlistIgnoresSameOrigin", allow, "via=cookie", allow.srv.URL, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, resp, err := tt.env.dial(t, "name=x&"+tt.query, tt.origin)
			if tt.ok {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				c.subscribe(0, "", Filter{})
				c.expect("snapshot")
				return
			}
			if err == nil {
				t.Fatal("accepted")
			}
			if resp == nil || resp.StatusCode != http.StatusForbidden {
				t.Fatalf("response %v, want 403", resp)
			}
		})
	}
	if got := counterValue(t, env.hub.metrics.disconnects, "origin"); got != 5 {
		t.Errorf("origin refusals counted %v, want 5", got)
	}
}

func TestNotReadyIs503(t *testing.T) {
	h := New(Options{}, nil, nil)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeWS(w, r, ClientInfo{Via: ViaBearer})
	}))
	defer srv.Close()
	_, resp, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(srv.URL, "http"), nil)
	if err == nil || resp == nil || resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("before the first Reset: err %v, response %v; want 503", err, resp)
	}
}

func TestClientMessageCloses(t *testing.T) {
	env := mustStartHub(t, Options{ReadLimit: 4096})
	env.apply(5)
	healthy := env.mustDial(t, "name=control")
	healthy.subscribe(0, "", Filter{})
	healthy.expect("snapshot")
	healthy.expect("live")

	tests := []struct {
		name      string
		query     string
		send      func(c *wsClient)
		wantCode  int
		wantError string // the error message's code, when one precedes the close
	}{
		{"ErrTooBig", "", func(c *wsClient) {
			_ = c.conn.WriteMessage(websocket.TextMessage, []byte(`{"type":"subscribe","epoch":"`+strings.Repeat("x", 8192)+`"}`))
		}, CloseTooBig, ""},
		{"ErrBadJSON", "", func(c *wsClient) {
			_ = c.conn.WriteMessage(websocket.TextMessage, []byte(`{"type":"subscribe",`))
		}, CloseBadMessage, "invalid"},
		{"ErrUnknownField", "", func(c *wsClient) { c.send(map[string]any{"type": "subscribe", "channel": "x"}) }, CloseBadMessage, "invalid"},
		{"ErrBinaryFrame", "", func(c *wsClient) { _ = c.conn.WriteMessage(websocket.BinaryMessage, []byte{1}) }, CloseBadMessage, "invalid"},
		{"ErrStreetOutsideScope", streetsQuery(testStreets[0]), func(c *wsClient) {
			c.subscribe(0, "", Filter{Streets: []string{testStreets[1]}})
		}, CloseForbidden, "forbidden"},
		{"ErrTooManyMessages", "", func(c *wsClient) {
			for range 100 {
				if c.conn.WriteMessage(websocket.TextMessage, []byte(`{"type":"subscribe","since":5,"epoch":"e1"}`)) != nil {
					return
				}
			}
		}, CloseTooMany, "rate_limited"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := env.mustDial(t, "name=x&"+tt.query)
			tt.send(c)
			code, msgs := c.expectClose()
			if code != tt.wantCode {
				t.Fatalf("close code %d, want %d", code, tt.wantCode)
			}
			if tt.wantError == "" {
				return
			}
			if len(msgs) == 0 {
				t.Fatalf("no error message before the close")
			}
			last := msgs[len(msgs)-1]
			if last.Type != "error" || last.Code != tt.wantError || last.Message == "" {
				t.Fatalf("last message before close = %+v, want error %s", last, tt.wantError)
			}
		})
	}
	env.apply(1)
	if m := healthy.nextOf(); m.Seq != 6 {
		t.Fatalf("control connection got %s seq %d, want seq 6", m.Type, m.Seq)
	}
}

func TestShutdownCloses1001(t *testing.T) {
	env := mustStartHub(t, Options{})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- env.hub.Run(ctx) }()
	clients := []*wsClient{env.mustDial(t, "name=a"), env.mustDial(t, "name=b")}
	clients[0].subscribe(0, "", Filter{})
	clients[0].until("live")
	eventually(t, "both clients registered", func() bool { return env.hub.Clients() == 2 })
	cancel()
	for i, c := range clients {
		if code, _ := c.expectClose(); code != CloseGoingAway {
			t.Errorf("client %d closed with %d, want 1001", i, code)
		}
		if c.closeErr == nil || c.closeErr.Text != shutdownReason {
			t.Errorf("close reason %q", c.closeErr.Text)
		}
	}
	if err := <-done; err != nil {
		t.Fatalf("Run: %v", err)
	}
	if n := env.hub.Clients(); n != 0 {
		t.Fatalf("%d clients left after Run returned", n)
	}
	if _, resp, err := env.dial(t, "via=bearer", ""); err == nil || resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("after shutdown: err %v, want 503", err)
	}
}

func TestDisconnectRevokes(t *testing.T) {
	env := mustStartHub(t, Options{})
	a1, a2, b := env.mustDial(t, "name=alice"), env.mustDial(t, "name=alice"), env.mustDial(t, "name=bob")
	for _, c := range []*wsClient{a1, a2, b} {
		c.subscribe(0, "", Filter{})
		c.until("live")
	}
	env.hub.Disconnect("alice", CloseRevoked, "access revoked")
	for _, c := range []*wsClient{a1, a2} {
		if code, _ := c.expectClose(); code != CloseRevoked {
			t.Fatalf("alice closed with %d, want 4001", code)
		}
	}
	env.apply(1)
	if m := b.nextOf(); m.Seq != 1 {
		t.Fatalf("bob got %s seq %d", m.Type, m.Seq)
	}
}

// TestMaskedClientNeverSeesPhone scans every frame a masked client receives —
// snapshot, log replay, ring replay, live, reset — for a mobile number, while
// an unmasked client on the same hub does see them (so the scan can fail).
func TestMaskedClientNeverSeesPhone(t *testing.T) {
	env := mustStartHub(t, Options{RingSize: 32})
	env.apply(200)
	var wall []*wsClient
	for _, since := range []uint64{0, 100, 190} {
		c := env.mustDial(t, "name=wall&masked=1")
		c.subscribe(since, "e1", Filter{})
		wall = append(wall, c)
	}
	officer := env.mustDial(t, "name=officer")
	officer.subscribe(100, "e1", Filter{})
	for _, c := range append(wall, officer) {
		c.until("live")
	}
	env.apply(100)
	env.hub.Reset(Snapshot{Epoch: "e2", Seq: 300, Day: "2025-06-01", Open: env.gen.open})
	for _, c := range append(wall, officer) {
		c.until("reset")
		c.expect("snapshot")
		c.expect("live")
	}
	for _, c := range wall {
		for _, f := range c.frames {
			if loc := phoneRE.FindIndex(f); loc != nil {
				t.Fatalf("masked client received %q", f[max(0, loc[0]-80):loc[1]])
			}
		}
	}
	seen := false
	for _, f := range officer.frames {
		seen = seen || phoneRE.Match(f)
	}
	if !seen {
		t.Fatal("the unmasked client saw no phone number: the scan proves nothing")
	}
}
