package sim

import (
	"context"
	"hash/maphash"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/gridcc/gridcc/backend/event"
)

// TestDemoAgainstRealServer plays a burst of the demo at high speed into a
// real gridcc: every event is answered 2xx and reaches a wall.
func TestDemoAgainstRealServer(t *testing.T) {
	srv := startServer(t)
	d, w := mustDistrict(t)
	zone := shanghai(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	wsURL := "ws" + strings.TrimPrefix(srv.URL, "http") + "/ws"
	wall, err := dialClient(ctx, websocket.DefaultDialer, wsURL, srv.WallToken, maphash.MakeSeed(), time.Now(), 64)
	if err != nil {
		t.Fatal(err)
	}
	defer wall.stop()
	<-wall.live

	const count = 30
	tokens := map[event.Kind]string{}
	for _, k := range event.Kinds {
		tokens[k] = srv.IngestToken
	}
	demo, err := NewDemo(DemoConfig{URL: srv.URL, Tokens: tokens, Speed: 36000, Seed: 5, Count: count, Backoff: 10 * time.Millisecond,
		Start: time.Date(2025, 6, 2, 9, 0, 0, 0, zone)}, d, w, zone, slog.New(slog.NewTextHandler(t.Output(), nil)))
	if err != nil {
		t.Fatal(err)
	}
	st, err := demo.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Sent != count || st.Acked != count || st.Failed != 0 || st.Duplicates != 0 {
		t.Errorf("demo stats %+v; want %d sent and acked, none failed", st, count)
	}
	for wall.events.Load() < count {
		select {
		case <-wall.done:
			t.Fatalf("wall closed (%s) after %d events", wall.closeErr, wall.events.Load())
		case <-ctx.Done():
			t.Fatalf("the wall got %d of %d events", wall.events.Load(), count)
		case <-time.After(10 * time.Millisecond):
		}
	}
}

func TestNewDemoNeedsEveryToken(t *testing.T) {
	d, w := mustDistrict(t)
	zone := shanghai(t)
	_, err := NewDemo(DemoConfig{URL: "http://127.0.0.1:1", Tokens: map[event.Kind]string{event.Hotline: "x"}}, d, w, zone, slog.Default())
	if err == nil || !strings.Contains(err.Error(), "grid_event") {
		t.Errorf("NewDemo without a grid_event token = %v", err)
	}
}
