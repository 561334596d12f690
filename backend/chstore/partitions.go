package chstore

import (
	"context"
	"fmt"
	"regexp"

	"github.com/gridcc/gridcc/backend/history"
	"github.com/gridcc/gridcc/backend/retention"
)

var _ retention.Store = (*Store)(nil)

// Partitions lists the active partitions of table in the history database,
// in id order, with their rows and bytes on disk (retention.Store).
func (s *Store) Partitions(ctx context.Context, table string) ([]retention.Partition, error) {
	conn, err := s.ready(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := conn.Query(ctx, `SELECT partition_id, sum(rows), sum(bytes_on_disk)
		FROM system.parts
		WHERE database = currentDatabase() AND table = ? AND active
		GROUP BY partition_id ORDER BY partition_id`, table)
	if err != nil {
		return nil, queryErr("list partitions of "+table, err)
	}
	defer rows.Close()
	var out []retention.Partition
	for rows.Next() {
		var p retention.Partition
		if err := rows.Scan(&p.ID, &p.Rows, &p.Bytes); err != nil {
			return nil, queryErr("list partitions of "+table, err)
		}
		out = append(out, p)
	}
	return out, queryErrOrNil("list partitions of "+table, rows.Err())
}

// partitionID is what a partition id of this schema looks like (toYYYYMM
// gives 202401; a table without a partition key has "all"). DropPartition
// refuses anything else rather than quote it into DDL.
var partitionID = regexp.MustCompile(`^[0-9A-Za-z_-]{1,64}$`)

// DropPartition drops one partition of table by its id, as
// `ALTER TABLE … DROP PARTITION ID`, which 18.16 and current releases both
// accept (retention.Store). Dropping a partition that no longer exists is
// not an error.
func (s *Store) DropPartition(ctx context.Context, table, id string) error {
	if !partitionID.MatchString(id) {
		return fmt.Errorf("chstore: drop partition: malformed partition id %q", id)
	}
	conn, err := s.ready(ctx)
	if err != nil {
		return err
	}
	if err := conn.Exec(ctx, "ALTER TABLE "+quoteIdent(table)+" DROP PARTITION ID '"+id+"'"); err != nil {
		return queryErr(fmt.Sprintf("drop partition %s of %s", id, table), err)
	}
	return nil
}

// DeleteBefore deletes the rows of table whose day is before first, as
// `ALTER TABLE … DELETE`, a mutation that ClickHouse applies in the
// background (retention.Store). It asks for nothing while none are left,
// or while a mutation of table is still running: an hourly retention run
// would otherwise queue the same deletion again and again.
func (s *Store) DeleteBefore(ctx context.Context, table string, first history.Date) (uint64, error) {
	conn, err := s.ready(ctx)
	if err != nil {
		return 0, err
	}
	var running uint64
	if err := conn.QueryRow(ctx, "SELECT count() FROM system.mutations WHERE database = currentDatabase() AND table = ? AND is_done = 0",
		table).Scan(&running); err != nil {
		return 0, queryErr("read the mutations of "+table, err)
	}
	if running > 0 {
		return 0, nil
	}
	expired := "day < toDate('" + first.String() + "')"
	var n uint64
	if err := conn.QueryRow(ctx, "SELECT count() FROM "+quoteIdent(table)+" WHERE "+expired).Scan(&n); err != nil {
		return 0, queryErr("count the expired rows of "+table, err)
	}
	if n == 0 {
		return 0, nil
	}
	if err := conn.Exec(ctx, "ALTER TABLE "+quoteIdent(table)+" DELETE WHERE "+expired); err != nil {
		return 0, queryErr("delete the expired rows of "+table, err)
	}
	return n, nil
}
