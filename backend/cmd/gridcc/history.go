package main

import (
	"context"
	"sync"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/gridcc/gridcc/backend/chstore"
)

// historyConn opens ClickHouse on first use and again after a failure, so a
// replica starts and streams while ClickHouse is down.
type historyConn struct {
	url  string
	mu   sync.Mutex
	conn driver.Conn
}

func newHistoryConn(url string) *historyConn { return &historyConn{url: url} }

func (h *historyConn) get(ctx context.Context) (driver.Conn, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.conn != nil {
		return h.conn, nil
	}
	conn, err := chstore.Open(ctx, h.url)
	if err != nil {
		return nil, err
	}
	h.conn = conn
	return conn, nil
}

func (h *historyConn) probe(ctx context.Context) (map[string]any, error) {
	conn, err := h.get(ctx)
	if err != nil {
		return nil, err
	}
	if err := conn.Ping(ctx); err != nil {
		return nil, err
	}
	v, err := conn.ServerVersion()
	if err != nil {
		return nil, err
	}
	return map[string]any{"version": v.Version.String()}, nil
}

func (h *historyConn) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.conn != nil {
		h.conn.Close()
	}
}
