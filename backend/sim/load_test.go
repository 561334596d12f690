package sim

import (
	"context"
	"log/slog"
	"testing"
	"time"
)

func TestLoadConfigCheck(t *testing.T) {
	ok := LoadConfig{URL: "http://127.0.0.1:8080", Token: "i", WSToken: "w", Clients: 10, Rate: 100, Duration: 20 * time.Second, Warmup: 2 * time.Second}
	for _, tc := range []struct {
		name    string
		change  func(*LoadConfig)
		wantErr bool
	}{
		{"OK", func(*LoadConfig) {}, false},
		{"OK_localhost", func(c *LoadConfig) { c.URL = "http://localhost:8080" }, false},
		{"OK_ipv6Loopback", func(c *LoadConfig) { c.URL = "http://[::1]:8080" }, false},
		{"OK_remoteAllowed", func(c *LoadConfig) { c.URL = "http://10.0.0.5:8080"; c.AllowRemote = true }, false},
		{"ErrRemote", func(c *LoadConfig) { c.URL = "http://10.0.0.5:8080" }, true},
		{"ErrRemoteName", func(c *LoadConfig) { c.URL = "http://gridcc.example" }, true},
		{"ErrNotHTTP", func(c *LoadConfig) { c.URL = "ftp://127.0.0.1" }, true},
		{"ErrNoTokens", func(c *LoadConfig) { c.WSToken = "" }, true},
		{"ErrTooManyClients", func(c *LoadConfig) { c.Clients = MaxClients + 1 }, true},
		{"ErrRate", func(c *LoadConfig) { c.Rate = 0 }, true},
		{"ErrDuration", func(c *LoadConfig) { c.Duration = time.Hour }, true},
		{"ErrWarmup", func(c *LoadConfig) { c.Warmup = c.Duration }, true},
		{"ErrSize", func(c *LoadConfig) { c.Size = MaxSize + 1 }, true},
		{"ErrReceipts", func(c *LoadConfig) { c.Clients, c.Rate, c.Duration = MaxClients, 1000, time.Minute }, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := ok
			tc.change(&c)
			if err := c.Check(); (err != nil) != tc.wantErr {
				t.Errorf("Check() = %v, want error %v", err, tc.wantErr)
			}
		})
	}
}

func TestPadding(t *testing.T) {
	for _, n := range []int{0, 1, 35, 36, 37, 500} {
		if got := len(padding(n)); got != n {
			t.Errorf("len(padding(%d)) = %d", n, got)
		}
	}
}

// TestLoadAgainstRealServer runs a short load cell against a real gridcc:
// every acknowledged event reaches every client exactly once.
func TestLoadAgainstRealServer(t *testing.T) {
	srv := startServer(t)
	d, w := mustDistrict(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cfg := LoadConfig{URL: srv.URL, Token: srv.IngestToken, WSToken: srv.WallToken, Clients: 5, Rate: 20,
		Duration: 2 * time.Second, Warmup: 500 * time.Millisecond, Drain: 10 * time.Second, Size: 500, ServerPID: srv.PID, Seed: 3}
	res, err := RunLoad(ctx, cfg, d, w, shanghai(t), slog.New(slog.NewTextHandler(t.Output(), nil)))
	if err != nil {
		t.Fatal(err)
	}
	res.WriteSummary(t.Output())
	if res.Sent != 40 || res.Published != 40 || res.PostErrors != 0 {
		t.Errorf("sent %d, published %d, errors %d %v; want 40, 40, 0", res.Sent, res.Published, res.PostErrors, res.PostStatus)
	}
	if res.Lost != 0 || res.Duplicates != 0 || res.Delivered != 5*40 {
		t.Errorf("delivered %d, lost %d, duplicates %d; want 200, 0, 0", res.Delivered, res.Lost, res.Duplicates)
	}
	if res.Disconnects != 0 || res.Resets != 0 || res.BadFrames != 0 || res.ErrorMsgs != 0 {
		t.Errorf("websocket trouble: %+v", res)
	}
	if res.Samples == 0 || res.Samples >= 200 || res.P50Ms <= 0 || res.MaxMs < res.P99Ms {
		t.Errorf("latency: %d samples, p50 %v, p99 %v, max %v", res.Samples, res.P50Ms, res.P99Ms, res.MaxMs)
	}
	if res.ServerCPUPct == nil || res.ServerRSSMB == nil || *res.ServerRSSMB <= 0 {
		t.Errorf("server not measured: %+v", res)
	}
}

func TestCounts(t *testing.T) {
	for _, tc := range []struct {
		in   map[string]int
		want string
	}{{nil, ""}, {map[string]int{"net": 1, "429": 3}, " (429: 3, net: 1)"}} {
		if got := counts(tc.in); got != tc.want {
			t.Errorf("counts(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
