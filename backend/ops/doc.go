// Package ops has no code of its own: it exists for its tests, which drive
// real gridcc processes, Redis and ClickHouse as an operator or an attacker
// would. TestBackupAndRestore runs scripts/backup.sh and scripts/restore.sh
// and checks that a restored deployment answers what the original did;
// TestSecurityScans sends malformed requests and scans gridcc's log and
// everything the wall role is sent (docs/operations.md).
package ops
