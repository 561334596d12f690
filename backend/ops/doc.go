// Package ops has no code of its own: it exists for its tests, which run the
// operator scripts (scripts/backup.sh, scripts/restore.sh) against real
// gridcc processes, Redis and ClickHouse, as an operator would, and check
// that a restored deployment answers what the original did
// (docs/operations.md).
package ops
