package chstore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
)

// An insert the writer gave up on (its WriteTimeout, a lost connection)
// can still be running in ClickHouse and land after the retry checked which
// seqs are stored; the retry would then store them a second time. So every
// insert carries a query id naming its range of seqs, and Write waits until
// no insert of an overlapping range that was running when it began is
// running any more before it checks. ClickHouse registers an INSERT before
// it asks for the data, so an attempt that sent any rows is visible.
//
// system.processes is the server's own list: this holds for one server, or
// for a cluster whose writers insert through the same node.

const insertQueryPrefix = "gridcc-insert/"

// insertPoll is how often the wait looks at the running queries again.
const insertPoll = 50 * time.Millisecond

// insertQueryID names an insert of seqs lo … hi into table, unique per
// attempt: gridcc-insert/<lo>-<hi>/<table>/<random>.
func insertQueryID(table string, lo, hi uint64) string {
	nonce := make([]byte, 6)
	_, _ = rand.Read(nonce) // never fails (crypto/rand)
	return fmt.Sprintf("%s%d-%d/%s/%s", insertQueryPrefix, lo, hi, table, hex.EncodeToString(nonce))
}

// withInsertID tags ctx so that the insert run with it carries id.
func withInsertID(ctx context.Context, table string, lo, hi uint64) context.Context {
	return clickhouse.Context(ctx, clickhouse.WithQueryID(insertQueryID(table, lo, hi)))
}

// insertRange reads the seqs an insert query id names.
func insertRange(id string) (lo, hi uint64, ok bool) {
	rest, ok := strings.CutPrefix(id, insertQueryPrefix)
	if !ok {
		return 0, 0, false
	}
	span, _, _ := strings.Cut(rest, "/")
	a, b, ok := strings.Cut(span, "-")
	if !ok {
		return 0, 0, false
	}
	lo, errLo := strconv.ParseUint(a, 10, 64)
	hi, errHi := strconv.ParseUint(b, 10, 64)
	return lo, hi, errLo == nil && errHi == nil
}

// awaitEarlierInserts returns once none of the inserts of seqs overlapping
// lo … hi that run now is running any more. Inserts that begin later are
// not waited for: they began after this writer's own earlier attempt ended,
// so they are another writer's (which cannot hold the same records, see
// docs/history.md).
func awaitEarlierInserts(ctx context.Context, conn driver.Conn, lo, hi uint64) error {
	waiting, err := runningInserts(ctx, conn, lo, hi)
	if err != nil || len(waiting) == 0 {
		return err
	}
	slog.Info("history store: waiting for an earlier insert of the same records to finish",
		"first_seq", lo, "last_seq", hi, "queries", len(waiting))
	for len(waiting) > 0 {
		select {
		case <-ctx.Done():
			return fmt.Errorf("chstore: an earlier insert of seqs %d-%d is still running: %w", lo, hi, ctx.Err())
		case <-time.After(insertPoll):
		}
		now, err := runningInserts(ctx, conn, lo, hi)
		if err != nil {
			return err
		}
		for id := range waiting {
			if !now[id] {
				delete(waiting, id)
			}
		}
	}
	return nil
}

// runningInserts lists the running inserts of seqs overlapping lo … hi.
func runningInserts(ctx context.Context, conn driver.Conn, lo, hi uint64) (map[string]bool, error) {
	rows, err := conn.Query(ctx, "SELECT query_id FROM system.processes WHERE query_id LIKE ?", insertQueryPrefix+"%")
	if err != nil {
		return nil, queryErr("list running inserts", err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, queryErr("list running inserts", err)
		}
		if a, b, ok := insertRange(id); ok && a <= hi && b >= lo {
			out[id] = true
		}
	}
	if err := rows.Err(); err != nil {
		return nil, queryErr("list running inserts", err)
	}
	return out, nil
}
