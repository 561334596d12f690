package chstore

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/gridcc/gridcc/backend/apperr"
	"github.com/gridcc/gridcc/backend/history"
)

// Store is the history in ClickHouse: it writes batches (history.Store) and
// answers the stats' questions (history.Reader). It connects on first use
// and migrates the schema then, so a replica starts, ingests and streams
// while ClickHouse is down; every call until ClickHouse answers fails with
// apperr.Unavailable.
type Store struct {
	url    string
	zone   *time.Location
	locker Locker

	mu   sync.Mutex
	conn driver.Conn
}

var (
	_ history.Store  = (*Store)(nil)
	_ history.Reader = (*Store)(nil)
)

// New returns the store at url (clickhouse://host:9000/database) for a
// district in zone. locker serialises migrations across replicas.
func New(url string, zone *time.Location, locker Locker) *Store {
	return &Store{url: url, zone: zone, locker: locker}
}

// ready returns a connection to a migrated database, connecting first if
// needed. The connection pool redials by itself after ClickHouse restarts,
// so this connects and migrates once per process.
func (s *Store) ready(ctx context.Context) (driver.Conn, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conn != nil {
		return s.conn, nil
	}
	conn, err := Open(ctx, s.url)
	if err != nil {
		return nil, unavailable(err)
	}
	if err := s.prepare(ctx, conn); err != nil {
		conn.Close()
		return nil, err
	}
	s.conn = conn
	return conn, nil
}

func (s *Store) prepare(ctx context.Context, conn driver.Conn) error {
	if err := checkServer(ctx, conn); err != nil {
		return err
	}
	applied, err := MigrateURL(ctx, s.url, s.locker)
	if err != nil {
		return err
	}
	if len(applied) > 0 {
		slog.Info("history schema migrated", "applied", applied)
	}
	return checkZone(ctx, conn, s.zone)
}

// checkZone records the district zone on first start and refuses another
// one later: every stored `day` was computed in the first.
func checkZone(ctx context.Context, conn driver.Conn, zone *time.Location) error {
	var stored string
	row := conn.QueryRow(ctx, "SELECT argMax(value, set_at) FROM history_meta WHERE key = 'timezone'")
	if err := row.Scan(&stored); err != nil {
		return fmt.Errorf("chstore: read history_meta: %w", err)
	}
	switch stored {
	case zone.String():
		return nil
	case "":
		b, err := conn.PrepareBatch(ctx, "INSERT INTO history_meta (key, value, set_at)")
		if err == nil {
			err = b.Append("timezone", zone.String(), time.Now().UTC())
		}
		if err == nil {
			err = b.Send()
		}
		if err != nil {
			return fmt.Errorf("chstore: record time zone: %w", err)
		}
		return nil
	}
	return fmt.Errorf("chstore: the history's days were computed in %s but the district zone is now %s; set GRIDCC_TIMEZONE=%s (or rebuild the history in a fresh database)",
		stored, zone, stored)
}

// Ping reports whether ClickHouse answers (connecting and migrating first
// if needed).
func (s *Store) Ping(ctx context.Context) error {
	conn, err := s.ready(ctx)
	if err != nil {
		return err
	}
	if err := conn.Ping(ctx); err != nil {
		return unavailable(err)
	}
	return nil
}

// Close closes the connection, if any.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conn == nil {
		return nil
	}
	err := s.conn.Close()
	s.conn = nil
	return err
}

// unavailable wraps a failure to reach ClickHouse as apperr.Unavailable.
func unavailable(err error) error {
	return apperr.Wrap(err, apperr.Unavailable, "the history store (ClickHouse) is unavailable; live data is unaffected")
}

// queryErr classifies a query's error: the server's own exceptions are
// bugs (Internal); anything else is the connection (Unavailable).
func queryErr(what string, err error) error {
	var ex *clickhouse.Exception
	if errors.As(err, &ex) {
		return fmt.Errorf("chstore: %s: %w", what, err)
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("chstore: %s: %w", what, err)
	}
	return unavailable(fmt.Errorf("chstore: %s: %w", what, err))
}
