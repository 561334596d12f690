// Package chstore is gridcc's ClickHouse adapter: schema migrations, the
// batched history writer and the queries behind /api/v1/stats.
//
// It speaks the native protocol only: ClickHouse 18.16 (Debian's package)
// cannot serve clickhouse-go's HTTP client. 18.16-specific workarounds are
// kept in compat.go.
package chstore

import (
	"context"
	"fmt"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
)

// Options parses a clickhouse:// URL into driver options with gridcc's
// timeouts. The URL's path names the database.
func Options(rawURL string) (*clickhouse.Options, error) {
	opts, err := clickhouse.ParseDSN(rawURL)
	if err != nil {
		return nil, fmt.Errorf("chstore: parse URL: %w", err)
	}
	opts.DialTimeout = 3 * time.Second
	// 18.16 never answers an INSERT … VALUES sent through Exec; a finite read
	// timeout turns such a mistake into an error instead of a hang.
	opts.ReadTimeout = 60 * time.Second
	opts.Compression = &clickhouse.Compression{Method: clickhouse.CompressionLZ4}
	opts.MaxOpenConns = 8
	opts.ConnMaxLifetime = 10 * time.Minute
	return opts, nil
}

// Open connects to the server's default database, creates the configured
// database if it is missing, and returns a connection to it. It fails when
// ClickHouse is down; callers retry.
func Open(ctx context.Context, rawURL string) (driver.Conn, error) {
	opts, err := Options(rawURL)
	if err != nil {
		return nil, err
	}
	return open(ctx, opts)
}

func open(ctx context.Context, opts *clickhouse.Options) (driver.Conn, error) {
	db := opts.Auth.Database
	if db == "" {
		db = "default"
	}
	bootstrap := *opts
	bootstrap.Auth.Database = "default"
	boot, err := clickhouse.Open(&bootstrap)
	if err != nil {
		return nil, fmt.Errorf("chstore: open: %w", err)
	}
	defer boot.Close()
	if err := boot.Exec(ctx, "CREATE DATABASE IF NOT EXISTS "+quoteIdent(db)); err != nil {
		return nil, fmt.Errorf("chstore: create database %s: %w", db, err)
	}
	conn, err := clickhouse.Open(opts)
	if err != nil {
		return nil, fmt.Errorf("chstore: open: %w", err)
	}
	if err := conn.Ping(ctx); err != nil {
		conn.Close()
		return nil, fmt.Errorf("chstore: ping: %w", err)
	}
	return conn, nil
}

// quoteIdent quotes a database or table name for DDL (backticks, escaped).
func quoteIdent(name string) string {
	out := []byte{'`'}
	for i := 0; i < len(name); i++ {
		if name[i] == '`' || name[i] == '\\' {
			out = append(out, '\\')
		}
		out = append(out, name[i])
	}
	return string(append(out, '`'))
}
