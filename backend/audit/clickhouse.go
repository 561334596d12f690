package audit

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/gridcc/gridcc/backend/apperr"
	"github.com/gridcc/gridcc/backend/chstore"
)

// Connector returns a connection to a ClickHouse database whose schema is
// migrated (the audit table is chstore's migration 004), or an error while
// ClickHouse is down; it is called for every insert and query.
type Connector func(ctx context.Context) (driver.Conn, error)

// ClickHouse returns a Connector for the database at url
// (GRIDCC_CLICKHOUSE_URL): it connects and migrates on first use (under
// locker, like chstore.Store) and again after a failure, so a replica
// starts while ClickHouse is down.
func ClickHouse(url string, locker chstore.Locker) Connector {
	var mu sync.Mutex
	var conn driver.Conn
	return func(ctx context.Context) (driver.Conn, error) {
		mu.Lock()
		defer mu.Unlock()
		if conn != nil {
			return conn, nil
		}
		c, err := chstore.Open(ctx, url)
		if err != nil {
			return nil, err
		}
		if _, err := chstore.MigrateURL(ctx, url, locker); err != nil {
			c.Close()
			return nil, err
		}
		conn = c
		return conn, nil
	}
}

// clickhouseStore is the audit table.
type clickhouseStore struct {
	conn Connector
}

// columns is the explicit column list of every insert and select: 18.16
// inserts nothing, silently, without one.
const columns = "at, id, user, role, action, object, outcome, ip, detail"

func (s *clickhouseStore) insert(ctx context.Context, recs []Record) error {
	conn, err := s.conn(ctx)
	if err != nil {
		return unavailable(err)
	}
	batch, err := conn.PrepareBatch(ctx, "INSERT INTO audit ("+columns+")")
	if err != nil {
		return unavailable(err)
	}
	defer batch.Abort() // a no-op after Send; frees the connection on every error path
	for _, r := range recs {
		if err := batch.Append(clampTime(r.At), r.ID, r.User, r.Role, r.Action, r.Object, string(r.Outcome), r.IP, r.Detail); err != nil {
			return fmt.Errorf("audit: append record: %w", err)
		}
	}
	if err := batch.Send(); err != nil {
		return unavailable(err)
	}
	return nil
}

// clampTime keeps a time inside ClickHouse's DateTime range, so one odd
// clock cannot make a batch fail forever.
func clampTime(t time.Time) time.Time {
	lo, hi := time.Unix(0, 0), time.Date(2105, 12, 31, 0, 0, 0, 0, time.UTC)
	switch {
	case t.Before(lo):
		return lo
	case t.After(hi):
		return hi
	}
	return t.UTC()
}

func (s *clickhouseStore) query(ctx context.Context, q Query) ([]Record, error) {
	if q.Limit <= 0 {
		q.Limit = DefaultLimit
	}
	q.Limit = min(q.Limit, MaxLimit+1) // one more than MaxLimit lets a caller detect truncation
	conds := []string{"at >= ?", "at < ?"}
	args := []any{clampTime(q.From), clampTime(q.To)}
	if q.User != "" {
		conds, args = append(conds, "user = ?"), append(args, q.User)
	}
	if q.Action != "" {
		conds, args = append(conds, "action = ?"), append(args, q.Action)
	}
	args = append(args, q.Limit)
	conn, err := s.conn(ctx)
	if err != nil {
		return nil, unavailable(err)
	}
	// LIMIT 1 BY id: a retried insert repeats its ids (see migration 004).
	rows, err := conn.Query(ctx, "SELECT "+columns+" FROM audit WHERE "+strings.Join(conds, " AND ")+
		" ORDER BY at DESC, id DESC LIMIT 1 BY id LIMIT ?", args...)
	if err != nil {
		return nil, queryErr(err)
	}
	defer rows.Close()
	out := []Record{}
	for rows.Next() {
		var r Record
		var outcome string
		if err := rows.Scan(&r.At, &r.ID, &r.User, &r.Role, &r.Action, &r.Object, &outcome, &r.IP, &r.Detail); err != nil {
			return nil, queryErr(err)
		}
		r.Outcome, r.At = Outcome(outcome), r.At.UTC()
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, queryErr(err)
	}
	return out, nil
}

func unavailable(err error) error {
	return apperr.Wrap(err, apperr.Unavailable, "the audit store (ClickHouse) is unavailable")
}

// queryErr: the server's own exceptions are bugs, the rest is the connection.
func queryErr(err error) error {
	var ex *clickhouse.Exception
	if errors.As(err, &ex) {
		return fmt.Errorf("audit: query: %w", err)
	}
	return unavailable(err)
}
