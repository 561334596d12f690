// Package history is gridcc's long memory: how the log's records become
// history rows, the KPIs the Friday review meeting reads (each defined once,
// here), the district-local periods they are read for, and the writer loop
// that moves records from the log into the history store.
//
// It does no I/O of its own. The log is read through a Source (a Redis
// consumer group in production), rows are written to a Store and read back
// through a Reader (ClickHouse); each is a small interface with its contract
// written on it. docs/history.md explains the design for operators.
package history
