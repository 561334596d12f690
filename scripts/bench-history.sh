#!/usr/bin/env bash
# scripts/bench-history.sh: the history benchmark of issue 4: insert rate through the history writer and
# the p50 of every stats query over N cases (docs/history.md, "Performance").
#
#   scripts/bench-history.sh [--events 10000000] [--via stream|direct] [--runs 7] [--batch 50000] [--writers 1] [--keep]
#
#   --events   cases to load (default 10,000,000; each case is 2-9 log records: its whole lifecycle)
#   --via      stream (default): records appended to the log, then drained by the history writer (the
#              path live records take: XREADGROUP, de-duplication, inserts, XACK, trim); direct: the same
#              insert code without Redis (faster, for loading many cases just to time the queries)
#   --runs     timed runs per query after one warm-up (the p50 is over these)
#   --batch    records per ClickHouse insert (the writer's GRIDCC_HISTORY_BATCH_SIZE; default: its default, 50000)
#   --writers  history writer lanes draining the log side by side (GRIDCC_HISTORY_WRITERS; default 1)
#   --keep     keep the benchmark database gridbench_history afterwards (it is dropped by default)
#
# Steps:
#   1 services   scripts/services.sh start (ClickHouse; the services started here are stopped at the end)
#   2 redis      a private redis-server on a free port without persistence (var/bench-history/): gigabytes of
#                records pass through the log, which must not land in the shared Redis's AOF
#   3 build      go build ./backend/cmd/gridseed into var/bin/gridseed
#   4 load       gridseed --bench into a fresh ClickHouse database gridbench_history: it loads in chunks
#                (append 500,000 records, then time the writer draining them) and times each query
#   5 report     a readable table, then one JSON object as the last line of stdout, with events,
#                insert_events_per_s (cases/s), insert_records_per_s and <query>_p50_ms; the same
#                output is saved in artifacts/bench-history.md
set -euo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$GRIDCC_ROOT"

EVENTS=10000000
VIA=stream
RUNS=7
BATCH=''
WRITERS=1
KEEP=''
while (($#)); do
  case "$1" in
    --events) EVENTS="${2:?--events needs a value}"; shift 2 ;;
    --via) VIA="${2:?--via needs a value}"; shift 2 ;;
    --runs) RUNS="${2:?--runs needs a value}"; shift 2 ;;
    --batch) BATCH="${2:?--batch needs a value}"; shift 2 ;;
    --writers) WRITERS="${2:?--writers needs a value}"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h | --help)
      sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
      exit 0
      ;;
    *) die "unknown argument '$1' (try --help)" ;;
  esac
done
[[ "$EVENTS" =~ ^[0-9]+$ && "$EVENTS" -gt 0 ]] || die "--events must be a positive number"
[[ "$VIA" == stream || "$VIA" == direct ]] || die "--via must be stream or direct"

BENCH_DIR="$GRIDCC_ROOT/var/bench-history"
DATABASE=gridbench_history
ARTIFACT=artifacts/bench-history.md
REDIS_PID=''
STARTED_SERVICES=''

cleanup() {
  if [[ -n "$REDIS_PID" ]] && pid_alive "$REDIS_PID"; then
    kill -TERM "$REDIS_PID" 2>/dev/null || true
    wait "$REDIS_PID" 2>/dev/null || true
  fi
  if [[ -z "$KEEP" && -n "${CH_TCP_PORT:-}" ]]; then
    clickhouse-client --port "$CH_TCP_PORT" --query "DROP DATABASE IF EXISTS $DATABASE" 2>/dev/null || true
  fi
  if [[ -n "$STARTED_SERVICES" ]]; then
    scripts/services.sh stop >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT

step "1 services"
scripts/services.sh status >/dev/null 2>&1 || STARTED_SERVICES=1
scripts/services.sh start
load_services_env
CH_TCP_PORT="${GRIDCC_CH_TCP_PORT:-9000}"

step "2 redis"
mkdir -p "$BENCH_DIR"
port=16400
while port_listening "$port"; do port=$((port + 1)); done
setsid redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no --daemonize no \
  --dir "$BENCH_DIR" --logfile "$BENCH_DIR/redis.log" </dev/null >/dev/null 2>&1 &
REDIS_PID=$!
for _ in $(seq 100); do
  redis-cli -p "$port" ping >/dev/null 2>&1 && break
  pid_alive "$REDIS_PID" || die "redis-server did not start (see var/bench-history/redis.log)"
  sleep 0.1
done
ok "private Redis on port $port (pid $REDIS_PID)"

step "3 build"
require_go
mkdir -p var/bin artifacts
go build -o var/bin/gridseed ./backend/cmd/gridseed
ok "var/bin/gridseed"

step "4 load $EVENTS cases via $VIA, then time the queries ($RUNS runs each)"
clickhouse-client --port "$CH_TCP_PORT" --query "DROP DATABASE IF EXISTS $DATABASE"
GRIDCC_TIMEZONE="${GRIDCC_TIMEZONE:-}" var/bin/gridseed --bench --runs "$RUNS" --events "$EVENTS" --via "$VIA" \
  ${BATCH:+--batch "$BATCH"} --writers "$WRITERS" --geodata "${GRIDCC_GEODATA:-geodata}" --prefix bench-history: \
  --redis-url "redis://127.0.0.1:$port/0" --clickhouse-url "clickhouse://127.0.0.1:$CH_TCP_PORT/$DATABASE" \
  | tee "$BENCH_DIR/report.txt"

step "5 report"
{
  echo "# History benchmark ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
  echo
  echo '```'
  cat "$BENCH_DIR/report.txt"
  echo '```'
} >"$ARTIFACT"
ok "saved in $ARTIFACT"
