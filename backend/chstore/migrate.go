package chstore

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Locker serialises schema migrations across replicas.
//
// Contract: Lock blocks until the caller holds the lock or ctx ends (then
// it returns ctx's error). While it is held, no other Lock on the same lock
// returns, until unlock is called or the holder dies, in which case the
// lock lapses after a bounded time. unlock may be called more than once.
type Locker interface {
	Lock(ctx context.Context) (unlock func(), err error)
}

// migration is one embedded file migrations/NNN_name.sql, or a rebuild
// written in Go (rebuild_change_log.go) when the steps depend on what the
// database holds.
type migration struct {
	version    uint32
	name       string
	checksum   string
	statements []string
	rebuild    func(context.Context, driver.Conn) error
}

// rebuilds are the migrations written in Go. Their checksum is their name:
// like the files, they are never changed once released.
var rebuilds = []migration{
	{version: rebuildVersion, name: rebuildName, checksum: "rebuild:" + rebuildName, rebuild: rebuildChangeLog},
}

var (
	migrationName = regexp.MustCompile(`^(\d{3})_([a-z0-9_]+)\.sql$`)
	statementEnd  = regexp.MustCompile(`;[ \t]*(\n|$)`)
)

// loadMigrations reads the embedded migrations in version order. A file's
// statements end with a semicolon at the end of a line; `--` comments are
// sent along (ClickHouse ignores them).
func loadMigrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrationFiles, "migrations")
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, e := range entries {
		m := migrationName.FindStringSubmatch(e.Name())
		if m == nil {
			return nil, fmt.Errorf("chstore: migration file %s is not named NNN_name.sql", e.Name())
		}
		data, err := migrationFiles.ReadFile("migrations/" + e.Name())
		if err != nil {
			return nil, err
		}
		v, _ := strconv.ParseUint(m[1], 10, 32)
		sum := sha256.Sum256(data)
		mig := migration{version: uint32(v), name: m[2], checksum: hex.EncodeToString(sum[:])}
		for _, stmt := range statementEnd.Split(string(data), -1) {
			if strings.TrimSpace(stripComments(stmt)) != "" {
				mig.statements = append(mig.statements, strings.TrimSpace(stmt))
			}
		}
		out = append(out, mig)
	}
	out = append(out, rebuilds...)
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	for i := 1; i < len(out); i++ {
		if out[i].version == out[i-1].version {
			return nil, fmt.Errorf("chstore: two migrations with version %03d", out[i].version)
		}
	}
	return out, nil
}

func stripComments(s string) string {
	var b strings.Builder
	for _, line := range strings.Split(s, "\n") {
		if t := strings.TrimSpace(line); !strings.HasPrefix(t, "--") {
			b.WriteString(line)
			b.WriteByte('\n')
		}
	}
	return b.String()
}

const createMigrationsTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
    version    UInt32,
    name       String,
    checksum   String,
    applied_at DateTime
) ENGINE = ReplacingMergeTree(applied_at)
ORDER BY version`

// migrateTimeout bounds one run of the migrations. A migration that copies
// the history into a new table (006_review.sql) takes minutes over tens of
// millions of records, far beyond an ordinary query's read timeout.
const migrateTimeout = time.Hour

// MigrateURL runs Migrate over a connection of its own to the database at
// rawURL, with a read timeout and a deadline of migrateTimeout instead of
// the caller's: cut short by a request's or a batch's deadline, a copy
// would be cancelled on the server half done, and the next attempt would
// find the table not empty and skip it. Callers block until it is done.
func MigrateURL(ctx context.Context, rawURL string, locker Locker) ([]string, error) {
	opts, err := Options(rawURL)
	if err != nil {
		return nil, err
	}
	opts.ReadTimeout = migrateTimeout
	mctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), migrateTimeout)
	defer cancel()
	conn, err := open(mctx, opts)
	if err != nil {
		return nil, unavailable(err)
	}
	defer conn.Close()
	return Migrate(mctx, conn, locker)
}

// Migrate brings the schema of conn's database up to date: under lock, it
// applies every embedded migration not yet recorded in schema_migrations,
// in order, and records each. Replicas starting together queue on the
// lock; the first applies, the others find nothing left to do. It fails if
// an applied migration's file has changed since (migrations are never
// edited, only added). Every statement is CREATE … IF NOT EXISTS and every
// rebuild step checks what is there first, so a migration cut short by a
// crash is simply applied again.
func Migrate(ctx context.Context, conn driver.Conn, locker Locker) (applied []string, err error) {
	migs, err := loadMigrations()
	if err != nil {
		return nil, err
	}
	unlock, err := locker.Lock(ctx)
	if err != nil {
		return nil, fmt.Errorf("chstore: migration lock: %w", err)
	}
	defer unlock()
	if err := conn.Exec(ctx, createMigrationsTable); err != nil {
		return nil, fmt.Errorf("chstore: create schema_migrations: %w", err)
	}
	done, err := appliedMigrations(ctx, conn)
	if err != nil {
		return nil, err
	}
	for _, m := range migs {
		label := fmt.Sprintf("%03d_%s", m.version, m.name)
		if sum, ok := done[m.version]; ok {
			if sum != m.checksum {
				return applied, fmt.Errorf("chstore: migration %s was changed after it was applied; add a new migration instead", label)
			}
			continue
		}
		for i, stmt := range m.statements {
			if err := conn.Exec(ctx, stmt); err != nil {
				return applied, fmt.Errorf("chstore: migration %s, statement %d: %w", label, i+1, err)
			}
		}
		if m.rebuild != nil {
			if err := m.rebuild(ctx, conn); err != nil {
				return applied, fmt.Errorf("chstore: migration %s: %w", label, err)
			}
		}
		if err := recordMigration(ctx, conn, m); err != nil {
			return applied, err
		}
		applied = append(applied, label)
	}
	return applied, nil
}

// appliedMigrations returns version → checksum of the recorded migrations.
func appliedMigrations(ctx context.Context, conn driver.Conn) (map[uint32]string, error) {
	rows, err := conn.Query(ctx, "SELECT version, argMax(checksum, applied_at) FROM schema_migrations GROUP BY version")
	if err != nil {
		return nil, fmt.Errorf("chstore: read schema_migrations: %w", err)
	}
	defer rows.Close()
	out := map[uint32]string{}
	for rows.Next() {
		var v uint32
		var sum string
		if err := rows.Scan(&v, &sum); err != nil {
			return nil, fmt.Errorf("chstore: read schema_migrations: %w", err)
		}
		out[v] = sum
	}
	return out, rows.Err()
}

func recordMigration(ctx context.Context, conn driver.Conn, m migration) error {
	b, err := conn.PrepareBatch(ctx, "INSERT INTO schema_migrations (version, name, checksum, applied_at)")
	if err != nil {
		return fmt.Errorf("chstore: record migration %03d: %w", m.version, err)
	}
	if err := b.Append(m.version, m.name, m.checksum, time.Now().UTC()); err != nil {
		return fmt.Errorf("chstore: record migration %03d: %w", m.version, err)
	}
	if err := b.Send(); err != nil {
		return fmt.Errorf("chstore: record migration %03d: %w", m.version, err)
	}
	return nil
}
