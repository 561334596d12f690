#!/usr/bin/env bash
# scripts/backup.sh: back up a gridcc deployment — the ClickHouse history, the Redis live state and
# log, and the auth file — into one folder, while gridcc keeps running (docs/operations.md).
#
#   scripts/backup.sh [--out DIR]
#
#   --out DIR   where to write (default var/backups/<UTC time>); it must not exist or be empty
#
# Settings, as gridcc reads them (else from var/services.env, else gridcc's defaults):
#   GRIDCC_REDIS_URL, GRIDCC_REDIS_PREFIX, GRIDCC_CLICKHOUSE_URL, GRIDCC_AUTH_FILE
# Needs redis-cli and clickhouse-client (Debian: redis-tools, clickhouse-client), reaching the
# servers over the network like gridcc does: no access to their data folders.
#
# Steps, in this order (the order is what makes the copy consistent):
#   1 cut        read the log's last sequence number S from Redis
#   2 redis      a point-in-time RDB snapshot of Redis (redis-cli --rdb: the server forks, like BGSAVE)
#   3 clickhouse every table's schema; the rows of every table except the aggregates that
#                materialized views build (the restore rebuilds them), partition by partition, as
#                Native files; rows of the log (tables with a seq column) only up to S
#   4 auth       the auth file (hashed tokens and passwords)
#   5 manifest   MANIFEST (settings, S, rows per file) and SHA256SUMS
# Everything in the snapshot after S that ClickHouse lacks is written again by the history writer
# after a restore (scripts/restore.sh rewinds its consumer group to S).
set -euo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=scripts/ops-lib.sh
. "$GRIDCC_ROOT/scripts/ops-lib.sh"

OUT=''
while (($#)); do
  case "$1" in
    --out) OUT="${2:?--out needs a folder}"; shift 2 ;;
    -h | --help)
      sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
      exit 0
      ;;
    *) die "unknown argument '$1' (try --help)" ;;
  esac
done

ops_tools redis-cli clickhouse-client sha256sum gzip
ops_settings
OUT="${OUT:-$GRIDCC_ROOT/var/backups/$(date -u +%Y%m%dT%H%M%SZ)}"
if [[ -d "$OUT" && -n "$(ls -A "$OUT")" ]]; then
  die "$OUT is not empty: give a new folder with --out"
fi
# The backup holds personal data (event titles, addresses) and password hashes: owner only.
umask 077
mkdir -p "$OUT"/{redis,clickhouse/schema,clickhouse/data,auth}

cleanup() {
  [[ -n "$CH_CONFIG" ]] && rm -f "$CH_CONFIG"
  return 0
}
trap cleanup EXIT
ch_client_config

T0="$(now_ms)"
MANIFEST="$OUT/MANIFEST"
manifest() { printf '%s\n' "$(IFS=$'\t'; echo "$*")" >>"$MANIFEST"; }
manifest format "gridcc-backup 1"
manifest created_at "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
manifest redis_prefix "$GRIDCC_REDIS_PREFIX"
manifest redis_db "$REDIS_DB"
manifest clickhouse_database "$CH_DB"

# ---- 1 cut ------------------------------------------------------------------
step "1 cut: the log's last sequence number ($REDIS_HOST:$REDIS_PORT/$REDIS_DB, prefix $GRIDCC_REDIS_PREFIX)"
rcli PING >/dev/null || die "Redis at $REDIS_HOST:$REDIS_PORT does not answer"
SEQ_CUT="$(rcli GET "$(live_key seq)")"
SEQ_CUT="${SEQ_CUT:-0}"
[[ "$SEQ_CUT" =~ ^[0-9]+$ ]] || die "$(live_key seq) holds '$SEQ_CUT', not a number: is GRIDCC_REDIS_PREFIX right?"
manifest seq_cut "$SEQ_CUT"
ok "S = $SEQ_CUT"

# ---- 2 redis ----------------------------------------------------------------
step "2 redis: point-in-time snapshot (redis-cli --rdb)"
t="$(now_ms)"
manifest redis_version "$(rcli INFO server | sed -n 's/^redis_version:\([^\r]*\).*/\1/p')"
if ! out="$(rcli --rdb "$OUT/redis/dump.rdb" 2>&1)"; then
  die "redis-cli --rdb failed: $out"
fi
size="$(stat -c %s "$OUT/redis/dump.rdb")"
manifest data redis/dump.rdb redis - -
ok "redis/dump.rdb $(human_bytes "$size") in $(fmt_ms $(($(now_ms) - t)))"

# ---- 3 clickhouse -----------------------------------------------------------
step "3 clickhouse: $CH_HOST:$CH_PORT, database $CH_DB"
t="$(now_ms)"
ch --query "SELECT 1" >/dev/null || die "ClickHouse at $CH_HOST:$CH_PORT does not answer"
manifest clickhouse_version "$(ch --query "SELECT version()")"
db_q="$(ch_quote "$CH_DB")"
# name, engine, partition key ("-" for none: read collapses empty tab-separated fields), has a seq
# column; tables before views, so that the restore can
# create them in this order. Every clickhouse-client call costs ~0.1 s, so each step is one call.
tables_tsv="$(ch --format TSV --query "SELECT name, engine, if(partition_key = '', '-', partition_key),
    name IN (SELECT table FROM system.columns WHERE database = $db_q AND name = 'seq')
  FROM system.tables WHERE database = $db_q ORDER BY engine = 'MaterializedView', name")"
mapfile -t tables <<<"$tables_tsv"
[[ -z "$tables_tsv" ]] && tables=() && warn "database $CH_DB has no tables: gridcc never wrote history there"

schema_queries=''
for row in "${tables[@]}"; do
  IFS=$'\t' read -r name engine _ _ <<<"$row"
  schema_queries+="SELECT create_table_query FROM system.tables WHERE database = $db_q AND name = $(ch_quote "$name")
    INTO OUTFILE $(ch_quote "$OUT/clickhouse/schema/$name.sql") FORMAT TSVRaw;"
  manifest schema "$name" "$engine" "clickhouse/schema/$name.sql"
done
[[ -n "$schema_queries" ]] && ch --multiquery --query "$schema_queries"

# Tables a materialized view writes into are derived: not copied, rebuilt by the restore.
declare -A derived=()
for row in "${tables[@]}"; do
  IFS=$'\t' read -r name engine _ _ <<<"$row"
  [[ "$engine" == MaterializedView ]] || continue
  target="$(grep -oE "[[:space:]]TO[[:space:]]+[^[:space:](]+" "$OUT/clickhouse/schema/$name.sql" | head -n 1 | awk '{print $2}' || true)"
  target="${target##*.}"
  target="${target//\`/}"
  [[ -n "$target" ]] && derived[$target]="$name"
done

rows_total=0 files=0
for row in "${tables[@]}"; do
  IFS=$'\t' read -r name engine partition_key has_seq <<<"$row"
  [[ "$engine" == MaterializedView || "$engine" == View ]] && continue
  if [[ -n "${derived[$name]:-}" || "$name" == .inner* ]]; then
    manifest rebuilt "$name" "${derived[$name]:-}"
    info "$name: rebuilt on restore by ${derived[$name]:-its view}"
    continue
  fi
  table="\`$CH_DB\`.\`$name\`"
  where=''
  [[ "$has_seq" == 1 ]] && where="AND seq <= $SEQ_CUT"
  # 18.16 has no _partition_id in a table without a partition key: that one is copied whole.
  by_partition=1
  [[ "$partition_key" == - ]] && by_partition=''
  counts() {
    if [[ -n "$by_partition" ]]; then
      ch --format TSV --query "SELECT _partition_id, count() FROM $table WHERE 1 $where GROUP BY _partition_id ORDER BY _partition_id"
    else
      ch --format TSV --query "SELECT 'all', count() FROM $table WHERE 1 $where HAVING count() > 0"
    fi
  }
  dump_file() { printf '%s/clickhouse/data/%s/%s.native' "$OUT" "$name" "$1"; }
  mkdir -p "$OUT/clickhouse/data/$name"
  # 18.16 does not prune partitions by _partition_id (every such query reads the whole table):
  # each partition is selected by its key's value too, e.g. toYYYYMM(day) = 202401.
  declare -A key_value=()
  if [[ -n "$by_partition" ]]; then
    while IFS=$'\t' read -r p v; do [[ -n "$p" ]] && key_value[$p]="$v"; done < <(
      ch --format TSV --query "SELECT DISTINCT partition_id, partition FROM system.parts
        WHERE database = $db_q AND table = $(ch_quote "$name") AND active"
    )
  fi
  declare -A before=() after=()
  pending=()
  listed="$(counts)"
  while IFS=$'\t' read -r p n; do [[ -n "$p" ]] && before[$p]=$n && pending+=("$p"); done <<<"$listed"
  # A table may take rows while it is copied (the audit log): a partition whose count changed
  # during the copy is copied again, up to five times.
  for attempt in 1 2 3 4 5; do
    ((${#pending[@]})) || break
    dumps=''
    for p in "${pending[@]}"; do
      rm -f "$(dump_file "$p")" "$(dump_file "$p").gz"
      cond=''
      if [[ -n "$by_partition" ]]; then
        cond="AND _partition_id = $(ch_quote "$p")"
        [[ -n "${key_value[$p]:-}" ]] && cond+=" AND ($partition_key) = (${key_value[$p]})"
      fi
      dumps+="SELECT * FROM $table WHERE 1 $cond $where INTO OUTFILE $(ch_quote "$(dump_file "$p")") FORMAT Native;"
    done
    # Plain types in the files (no LowCardinality dictionaries): any ClickHouse version reads them.
    ch --low_cardinality_allow_in_native_format=0 --multiquery --query "$dumps"
    listed="$(counts)"
    after=()
    while IFS=$'\t' read -r p n; do [[ -n "$p" ]] && after[$p]=$n; done <<<"$listed"
    changed=()
    for p in "${pending[@]}"; do
      [[ "${after[$p]:-0}" == "${before[$p]}" ]] || changed+=("$p")
      before[$p]="${after[$p]:-0}"
    done
    ((${#changed[@]} == 0)) && break
    ((attempt == 5)) && die "$name: partitions ${changed[*]} kept changing while they were copied"
    info "$name: partitions ${changed[*]} changed during the copy; copying them again"
    pending=("${changed[@]}")
  done
  n_table=0
  mapfile -t ids < <(printf '%s\n' "${!before[@]}" | LC_ALL=C sort)
  for p in "${ids[@]}"; do
    [[ -n "$p" ]] || continue
    gzip -1 "$(dump_file "$p")"
    manifest data "clickhouse/data/$name/$p.native.gz" "$name" "$p" "${before[$p]}"
    n_table=$((n_table + before[$p]))
    files=$((files + 1))
  done
  rows_total=$((rows_total + n_table))
  info "$name: ${#before[@]} partitions, $n_table rows${where:+ (seq ≤ $SEQ_CUT)}"
  unset before after key_value
done
ok "$rows_total rows in $files files in $(fmt_ms $(($(now_ms) - t)))"

# ---- 4 auth -----------------------------------------------------------------
step "4 auth: $GRIDCC_AUTH_FILE"
if [[ -f "$GRIDCC_AUTH_FILE" ]]; then
  cp "$GRIDCC_AUTH_FILE" "$OUT/auth/auth.json"
  manifest data auth/auth.json auth - -
  ok "auth/auth.json"
else
  warn "$GRIDCC_AUTH_FILE does not exist: no tokens or users are backed up"
fi

# ---- 5 manifest -------------------------------------------------------------
step "5 manifest: MANIFEST and SHA256SUMS"
(cd "$OUT" && find . -type f -printf '%P\n' | LC_ALL=C sort | xargs -d '\n' sha256sum >"$OUT.sums" && mv "$OUT.sums" SHA256SUMS)
total="$(du -sb "$OUT" | cut -f1)"
ok "$OUT: $(human_bytes "$total") in $(fmt_ms $(($(now_ms) - T0))); restore with scripts/restore.sh $OUT"
