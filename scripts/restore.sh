#!/usr/bin/env bash
# scripts/restore.sh: restore a folder written by scripts/backup.sh into EMPTY servers
# (docs/operations.md). Stop every gridcc replica of the deployment first; start them after.
#
#   scripts/restore.sh DIR [--force]
#
#   --force   restore even though the targets hold data: the ClickHouse database's tables and the
#             Redis keys under GRIDCC_REDIS_PREFIX are DELETED first, the auth file replaced
#
# Targets, as gridcc reads them (else from var/services.env, else gridcc's defaults):
#   GRIDCC_REDIS_URL, GRIDCC_REDIS_PREFIX (must be the backup's), GRIDCC_CLICKHOUSE_URL (any
#   database name), GRIDCC_AUTH_FILE
# Needs redis-cli, clickhouse-client and redis-server (a private copy of the snapshot is started on
# a free loopback port and its keys are copied with MIGRATE, so the target Redis can be remote).
#
# Steps:
#   1 check       SHA256SUMS and MANIFEST; the targets are empty (else stop, unless --force)
#   2 redis       the snapshot's keys under the prefix, with their TTLs; then every consumer group of
#                 the log is rewound to the backup's cut S (what ClickHouse lacks is written again by
#                 the history writer) and the log gets a new epoch (screens resync explicitly)
#   3 clickhouse  tables and views from the backup's schema, then the copied rows; the views rebuild
#                 the aggregates as the rows go in; rows per partition checked against MANIFEST
#   4 auth        the auth file (mode 0600)
set -euo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=scripts/ops-lib.sh
. "$GRIDCC_ROOT/scripts/ops-lib.sh"

DIR='' FORCE=''
while (($#)); do
  case "$1" in
    --force) FORCE=1; shift ;;
    -h | --help)
      sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
      exit 0
      ;;
    -*) die "unknown option '$1' (try --help)" ;;
    *)
      [[ -z "$DIR" ]] || die "one backup folder only (try --help)"
      DIR="$1"
      shift
      ;;
  esac
done
[[ -n "$DIR" ]] || die "which backup? scripts/restore.sh DIR (try --help)"
[[ -f "$DIR/MANIFEST" ]] || die "$DIR/MANIFEST is missing: not a folder written by scripts/backup.sh"
DIR="$(cd "$DIR" && pwd)"

ops_tools redis-cli redis-server clickhouse-client sha256sum gzip
ops_settings

SCRATCH_PID='' SCRATCH_DIR=''
cleanup() {
  [[ -n "$CH_CONFIG" ]] && rm -f "$CH_CONFIG"
  if [[ -n "$SCRATCH_PID" ]] && pid_alive "$SCRATCH_PID"; then
    kill "$SCRATCH_PID" 2>/dev/null || true
    wait "$SCRATCH_PID" 2>/dev/null || true
  fi
  [[ -n "$SCRATCH_DIR" ]] && rm -rf "$SCRATCH_DIR"
  return 0
}
trap cleanup EXIT
ch_client_config
T0="$(now_ms)"

# ---- 1 check ----------------------------------------------------------------
step "1 check: $DIR"
[[ "$(manifest_get "$DIR" format)" == "gridcc-backup 1" ]] || die "$DIR/MANIFEST: unknown format '$(manifest_get "$DIR" format)'"
(cd "$DIR" && sha256sum --check --quiet --strict SHA256SUMS) || die "$DIR: files do not match SHA256SUMS (damaged or changed)"
ok "every file matches SHA256SUMS (backup of $(manifest_get "$DIR" created_at))"
SRC_PREFIX="$(manifest_get "$DIR" redis_prefix)"
SRC_DB="$(manifest_get "$DIR" clickhouse_database)"
SEQ_CUT="$(manifest_get "$DIR" seq_cut)"
[[ "$SRC_PREFIX" == "$GRIDCC_REDIS_PREFIX" ]] ||
  die "the backup's Redis prefix is '$SRC_PREFIX' but GRIDCC_REDIS_PREFIX is '$GRIDCC_REDIS_PREFIX': set it to the backup's (keys are restored under their own names)"
[[ "$SRC_DB" =~ ^[A-Za-z_][A-Za-z0-9_]*$ && "$SEQ_CUT" =~ ^[0-9]+$ ]] || die "$DIR/MANIFEST: malformed clickhouse_database or seq_cut"

rcli PING >/dev/null || die "Redis at $REDIS_HOST:$REDIS_PORT does not answer"
ch --query "SELECT 1" >/dev/null || die "ClickHouse at $CH_HOST:$CH_PORT does not answer"
pattern="$(redis_glob_escape "$GRIDCC_REDIS_PREFIX")*"
not_empty=()
some_keys="$(scan_quoted rcli "$pattern")"
[[ -n "$some_keys" ]] && not_empty+=("Redis $REDIS_HOST:$REDIS_PORT/$REDIS_DB holds keys under '$GRIDCC_REDIS_PREFIX'")
db_q="$(ch_quote "$CH_DB")"
n_tables="$(ch --query "SELECT count() FROM system.tables WHERE database = $db_q")"
((n_tables == 0)) || not_empty+=("ClickHouse database $CH_DB holds $n_tables tables")
[[ -e "$GRIDCC_AUTH_FILE" ]] && not_empty+=("the auth file $GRIDCC_AUTH_FILE exists")
if ((${#not_empty[@]})); then
  printf '    %s\n' "${not_empty[@]}" >&2
  [[ -n "$FORCE" ]] || die "the targets are not empty: restore into empty servers, or pass --force to delete what they hold first"
  warn "--force: deleting it first"
  scan_quoted rcli "$pattern" | sed 's/^/UNLINK /' | rcli >/dev/null
  ch --query "DROP DATABASE IF EXISTS \`$CH_DB\`"
  rm -f "$GRIDCC_AUTH_FILE"
fi
ok "the targets are empty"

# ---- 2 redis ----------------------------------------------------------------
step "2 redis: keys under '$GRIDCC_REDIS_PREFIX' into $REDIS_HOST:$REDIS_PORT/$REDIS_DB"
t="$(now_ms)"
[[ -z "$REDIS_TLS" ]] || die "MIGRATE cannot reach a TLS Redis (rediss://): restore into a plain-TCP Redis, then replicate"
SCRATCH_DIR="$(mktemp -d)"
cp "$DIR/redis/dump.rdb" "$SCRATCH_DIR/dump.rdb"
# start_scratch PORT: starts the private Redis on PORT and waits until it answers; returns 1 when
# the port was taken meanwhile (a free port can be grabbed between the check and the bind).
start_scratch() {
  scratch_port=$1
  redis-server --port "$scratch_port" --bind 127.0.0.1 --dir "$SCRATCH_DIR" --dbfilename dump.rdb \
    --appendonly no --save '' --logfile "$SCRATCH_DIR/redis.log" &
  SCRATCH_PID=$!
  local deadline=$((SECONDS + 120))
  until [[ "$(scratch PING 2>/dev/null)" == PONG ]]; do
    if ! pid_alive "$SCRATCH_PID"; then
      grep -q 'Address already in use' "$SCRATCH_DIR/redis.log" && return 1
      die "the private Redis did not start: $(tail -n 5 "$SCRATCH_DIR/redis.log")"
    fi
    ((SECONDS < deadline)) || die "the private Redis still loads the snapshot after 120 s"
    sleep 0.1
  done
}
scratch() { redis-cli -p "$scratch_port" "$@"; }
started=''
for ((i = 0; i < 20; i++)); do
  p=$((20000 + RANDOM % 30000))
  port_listening "$p" && continue
  : >"$SCRATCH_DIR/redis.log"
  if start_scratch "$p"; then started=1; break; fi
  info "port $p was taken before the private Redis bound it; trying another"
done
[[ -n "$started" ]] || die "no free port for the private Redis"
# MIGRATE … COPY REPLACE KEYS k1 k2 …: server to server, TTLs kept. Keys are listed with --csv
# (quoted, so any byte survives) and the commands go to redis-cli on stdin, which parses the
# quotes: the target's password never appears on a command line.
migrate_auth=''
if [[ -n "$REDIS_PASSWORD" ]]; then
  q_pass="$(printf '%s' "$REDIS_PASSWORD" | sed 's/[\\"]/\\&/g')"
  if [[ -n "$REDIS_USER" ]]; then
    migrate_auth="AUTH2 \"$(printf '%s' "$REDIS_USER" | sed 's/[\\"]/\\&/g')\" \"$q_pass\""
  else
    migrate_auth="AUTH \"$q_pass\""
  fi
fi
# shellcheck disable=SC2120 # called with arguments through scan_quoted
scratch_db() { scratch -n "$(manifest_get "$DIR" redis_db)" "$@"; }
commands="$SCRATCH_DIR/migrate.txt"
migrate="MIGRATE $REDIS_HOST $REDIS_PORT \"\" $REDIS_DB 60000 COPY REPLACE $migrate_auth KEYS "
n_keys=0
while IFS= read -r keys; do
  n_keys=$((n_keys + $(count_quoted "$keys")))
  printf '%s%s\n' "$migrate" "$keys"
done < <(scan_quoted scratch_db "$pattern") >"$commands"
if ((n_keys > 0)); then
  # shellcheck disable=SC2119 # the commands come on stdin
  replies="$(scratch_db <"$commands")"
  if grep -qv -e '^OK$' -e '^NOKEY$' <<<"$replies"; then
    die "MIGRATE failed: $(grep -v -e '^OK$' -e '^NOKEY$' <<<"$replies" | head -n 3)"
  fi
fi
got_keys=0
while IFS= read -r keys; do got_keys=$((got_keys + $(count_quoted "$keys"))); done < <(scan_quoted rcli "$pattern")
info "$n_keys keys in the snapshot under the prefix, $got_keys in the target now (keys that expired since the backup are gone)"

# The log's consumer groups (the history writer's) restart from the cut: every record after S,
# and every one still pending in the snapshot, is delivered again. Those ClickHouse already has
# are skipped by the writer's de-duplication by seq.
log_key="$(live_key log)"
if [[ "$(rcli TYPE "$log_key")" == stream ]]; then
  while read -r group last_delivered; do
    [[ -n "$group" ]] || continue
    rewind="$SEQ_CUT"
    last="${last_delivered%-*}"
    ((last < rewind)) && rewind=$last
    lowest="$(rcli XPENDING "$log_key" "$group" | sed -n 2p)"
    if [[ "$lowest" =~ ^([0-9]+)- ]] && ((BASH_REMATCH[1] - 1 < rewind)); then
      rewind=$((BASH_REMATCH[1] - 1))
    fi
    rcli XGROUP DESTROY "$log_key" "$group" >/dev/null
    rcli XGROUP CREATE "$log_key" "$group" "$rewind-0" >/dev/null
    info "consumer group $group of the log restarts after seq $rewind (was $last_delivered)"
  done < <(rcli XINFO GROUPS "$log_key" | awk '$0 == "name" { getline; n = $0 } $0 == "last-delivered-id" { getline; print n, $0 }')
fi
epoch_key="$(live_key epoch)"
if [[ "$(rcli EXISTS "$epoch_key")" == 1 ]]; then
  rcli SET "$epoch_key" "$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')" >/dev/null
  info "new log epoch: screens that resume get an explicit reset"
fi
kill "$SCRATCH_PID"
wait "$SCRATCH_PID" 2>/dev/null || true
SCRATCH_PID=''
ok "redis in $(fmt_ms $(($(now_ms) - t)))"

# ---- 3 clickhouse -----------------------------------------------------------
step "3 clickhouse: database $CH_DB on $CH_HOST:$CH_PORT (backup of $SRC_DB, ClickHouse $(manifest_get "$DIR" clickhouse_version))"
t="$(now_ms)"
ch --query "CREATE DATABASE IF NOT EXISTS \`$CH_DB\`"
# The backup's DDL names its database; the restore's may be another.
rename_db() {
  if [[ "$SRC_DB" == "$CH_DB" ]]; then
    cat "$1"
  else
    sed -E "s/(TABLE|VIEW|TO|FROM|JOIN)([[:space:]]+)\`?$SRC_DB\`?\./\1\2\`$CH_DB\`./g" "$1"
  fi
}
# Tables first, then the views (MANIFEST lists them in that order): the views must exist before
# the rows go in, so that they build the aggregates.
ddl=''
while IFS=$'\t' read -r kind _ _ file; do
  [[ "$kind" == schema ]] || continue
  ddl+="$(rename_db "$DIR/$file");"$'\n'
done <"$DIR/MANIFEST"
[[ -n "$ddl" ]] && ch --multiquery --query "$ddl"
ok "schema: $(grep -c '^schema' "$DIR/MANIFEST") tables and views"

rows_total=0
declare -A want=()
mapfile -t data_tables < <(awk -F '\t' '$1 == "data" && $3 != "redis" && $3 != "auth" { print $3 }' "$DIR/MANIFEST" | uniq)
for name in "${data_tables[@]}"; do
  ts="$(now_ms)"
  files=() n=0
  while IFS=$'\t' read -r kind file table partition rows; do
    [[ "$kind" == data && "$table" == "$name" ]] || continue
    files+=("$DIR/$file")
    want[$name/$partition]=$rows
    n=$((n + rows))
  done <"$DIR/MANIFEST"
  # Native files are streams of blocks: one INSERT takes every partition of the table.
  gzip -dc "${files[@]}" | ch --query "INSERT INTO \`$CH_DB\`.\`$name\` FORMAT Native"
  rows_total=$((rows_total + n))
  info "$name: $n rows from ${#files[@]} files in $(fmt_ms $(($(now_ms) - ts)))"
done

# Check: rows per partition as in MANIFEST.
bad=0
for name in "${data_tables[@]}"; do
  key="$(ch --query "SELECT partition_key FROM system.tables WHERE database = $db_q AND name = $(ch_quote "$name")")"
  if [[ -n "$key" ]]; then
    got="$(ch --format TSV --query "SELECT _partition_id, count() FROM \`$CH_DB\`.\`$name\` GROUP BY _partition_id")"
  else
    got="all	$(ch --query "SELECT count() FROM \`$CH_DB\`.\`$name\`")"
  fi
  declare -A have=()
  while IFS=$'\t' read -r p c; do [[ -n "$p" ]] && have[$p]=$c; done <<<"$got"
  for k in "${!want[@]}"; do
    [[ "${k%%/*}" == "$name" ]] || continue
    p="${k#*/}"
    if [[ "${have[$p]:-0}" != "${want[$k]}" ]]; then
      fail "$name partition $p: ${have[$p]:-0} rows, the backup has ${want[$k]}"
      bad=1
    fi
  done
  unset have
done
((bad == 0)) || die "the restored rows do not match MANIFEST"
while IFS=$'\t' read -r kind name view; do
  [[ "$kind" == rebuilt ]] || continue
  info "$name: $(ch --query "SELECT count() FROM \`$CH_DB\`.\`$name\`") rows rebuilt by $view"
done <"$DIR/MANIFEST"
ok "$rows_total rows, every partition as in MANIFEST, in $(fmt_ms $(($(now_ms) - t)))"

# ---- 4 auth -----------------------------------------------------------------
step "4 auth: $GRIDCC_AUTH_FILE"
if [[ -f "$DIR/auth/auth.json" ]]; then
  mkdir -p "$(dirname "$GRIDCC_AUTH_FILE")"
  install -m 600 "$DIR/auth/auth.json" "$GRIDCC_AUTH_FILE"
  ok "$GRIDCC_AUTH_FILE"
else
  warn "the backup has no auth file: add tokens and users with gridcc tokens|users"
fi
step "restored in $(fmt_ms $(($(now_ms) - T0))); start gridcc now"
