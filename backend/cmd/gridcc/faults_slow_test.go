package main

import (
	"context"
	"net"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/gridcc/gridcc/backend/event"
	"github.com/gridcc/gridcc/backend/testsvc"
)

// TestAStalledClientDoesNotHoldUpOthers: a client that stops reading is
// closed with 4000 at its queue limit, while the other client of the same
// replica gets every acknowledged event; its latency while the stalled
// client's queue filled is in the report. The queue limit is small here
// (64 KiB), the stalled client's socket buffer tiny and the events large
// (a 4,000-character description, about 12 KB), so the limit is reached in
// seconds rather than after megabytes of kernel buffers.
func TestAStalledClientDoesNotHoldUpOthers(t *testing.T) {
	cl := newCluster(t, testsvc.RedisURL(t))
	r := cl.start("GRIDCC_WS_QUEUE_BYTES=65536")
	healthy := startClient(t, fixed(r.URL), cl.WallToken)
	waitLive(t, healthy)
	stalled := dialStalled(t, r.URL, cl.WallToken)
	defer stalled.Close()

	slowCloses := func() float64 { return metricValue(t, r.URL, `gridcc_ws_disconnects_total{reason="slow"}`) }
	var closedAfter time.Duration
	acked := runLoadOf(t, fixed(r.URL), cl.IngestToken, largeHotlineJSON, func() {
		start := time.Now()
		for slowCloses() == 0 {
			if time.Since(start) > time.Minute {
				t.Fatal("the stalled client was not closed within a minute")
			}
			time.Sleep(100 * time.Millisecond)
		}
		closedAfter = time.Since(start)
		time.Sleep(time.Second) // the load goes on after the close
	})
	t.Logf("stalled client closed for being slow %.1f s into the load", closedAfter.Seconds())
	checkDelivered(t, "client beside a stalled one", healthy, acked)
	if n := len(healthy.closes); n != 0 {
		t.Errorf("the healthy client's sessions ended %d times (%v)", n, healthy.closes)
	}
}

// largeHotlineJSON is hotlineJSON with the longest description allowed.
func largeHotlineJSON(sourceID string) []byte {
	small := hotlineJSON(sourceID)
	return append(small[:len(small)-1], `,"description":"`+strings.Repeat("楼", event.MaxDescriptionRunes)+`"}`...)
}

// dialStalled subscribes a client with a 4 KiB receive buffer, reads until it
// is live, and then never reads again.
func dialStalled(t *testing.T, base, token string) *websocket.Conn {
	t.Helper()
	d := websocket.Dialer{NetDialContext: (&net.Dialer{Control: func(_, _ string, c syscall.RawConn) error {
		var serr error
		if err := c.Control(func(fd uintptr) { serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096) }); err != nil {
			return err
		}
		return serr
	}}).DialContext}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, _, err := d.DialContext(ctx, strings.Replace(base, "http", "ws", 1)+"/ws", map[string][]string{"Authorization": {"Bearer " + token}})
	if err != nil {
		t.Fatal(err)
	}
	if err := conn.WriteJSON(map[string]any{"type": "subscribe", "since": 0}); err != nil {
		t.Fatal(err)
	}
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		_, msg, err := conn.ReadMessage()
		if err != nil {
			t.Fatalf("the stalled client never got live: %v", err)
		}
		if strings.Contains(string(msg), `"type":"live"`) {
			return conn
		}
	}
}
