#!/usr/bin/env bash
# scripts/bench-live.sh: the live-pipeline benchmark of issue 3 (ingest → Redis log → fan-out → WebSockets).
#
#   scripts/bench-live.sh [--cells "100x100 1000x100"] [--duration 20s] [--warmup 2s] [--size 500] [--no-build]
#
#   --cells      clients x events/s, space-separated (default: 100x100 100x1000 1000x30 1000x100 5000x1 5000x10)
#   --duration   how long each cell sends events (default 20s)
#   --warmup     the first part of each cell left out of the latency figures (default 2s)
#   --size       bytes of JSON per event (default 500)
#   --no-build   use var/bin/gridcc and var/bin/gridsim as they are (benchmark a given build)
#   --profile    also take a 10 s CPU profile of gridcc in the middle of each cell (pprof on a loopback
#                debug port) into var/bench/cpu-<cell>.pprof and one of the load tool's whole run into
#                var/bench/cpu-gridsim-<cell>.pprof; read them with `go tool pprof -top var/bin/gridcc FILE`
#
# Steps:
#   1 services   scripts/services.sh start (Redis and ClickHouse; the ones started here are stopped at the end)
#   2 build      gridcc and gridsim into var/bin/
#   3 tokens     a private auth file var/bench/auth.json: the documented benchmark ingest token
#                (--rate 100000 --burst 100000) and a wall token with the same limits (every screen's
#                handshake takes one request from its token's bucket)
#   4 cells      per cell a fresh gridcc on a free loopback port with GRIDCC_REDIS_PREFIX=bench:<random>:
#                (a running demo is not disturbed), ClickHouse database gridcc_bench and GRIDCC_LOG_LEVEL=warn;
#                `gridsim load --server-pid` against it; gridcc stopped and the cell's Redis keys deleted
#   5 report     the Markdown table and the JSON lines on stdout and in artifacts/bench-live.md
#
# Logs: var/bench/gridcc-<cell>.log and var/bench/gridsim-<cell>.out; gridcc's /metrics at the end of each cell in
# var/bench/metrics-<cell>.txt (the append round trip, WebSocket frames, follower gaps); Redis's fsync stalls
# during each cell in var/bench/redis-fsync-<cell>.txt (LATENCY HISTORY aof-fsync-always: per second with a
# stall of 1 ms or more, the longest; Redis keeps the last 160 seconds, so a longer --duration shows its end; the
# latency monitor of the services' Redis is switched on for the cells and its setting put back at the end).
set -euo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$GRIDCC_ROOT"

CELLS="100x100 100x1000 1000x30 1000x100 5000x1 5000x10"
DURATION=20s
WARMUP=2s
SIZE=500
BUILD=1
PROFILE=''
while (($#)); do
  case "$1" in
    --cells) CELLS="${2:?--cells needs a value}"; shift 2 ;;
    --duration) DURATION="${2:?--duration needs a value}"; shift 2 ;;
    --warmup) WARMUP="${2:?--warmup needs a value}"; shift 2 ;;
    --size) SIZE="${2:?--size needs a value}"; shift 2 ;;
    --no-build) BUILD=''; shift ;;
    --profile) PROFILE=1; shift ;;
    -h | --help)
      sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
      exit 0
      ;;
    *) die "unknown argument '$1' (try --help)" ;;
  esac
done
for cell in $CELLS; do
  [[ "$cell" =~ ^[0-9]+x[0-9]+$ ]] || die "cell '$cell' is not CLIENTSxRATE, e.g. 1000x100"
done

BENCH_DIR=var/bench
AUTH_FILE="$BENCH_DIR/auth.json"
RESULTS="$BENCH_DIR/results.jsonl"
ARTIFACT=artifacts/bench-live.md
STOP_TIMEOUT=30  # seconds between SIGTERM and SIGKILL

GRIDCC_PID=''
PREFIX=''
STOP_AT_END=()
LATENCY_THRESHOLD=''  # Redis's own setting, put back at the end
FSYNC_SUMMARY=()      # a line per cell for the report

redis_cli() { redis-cli -u "$GRIDCC_REDIS_URL" --no-auth-warning "$@"; }

# fsync_stalls FILE: saves Redis's fsync stalls since the last LATENCY RESET into FILE (unix second, longest
# stall in ms) and prints a one-line summary. Every acknowledgement waits for an fsync (appendfsync always),
# so a stall here holds back every acknowledgement behind it (README, "Live pipeline").
fsync_stalls() {
  local history
  if ! history="$(redis_cli LATENCY HISTORY aof-fsync-always)"; then
    : >"$1"
    echo "Redis fsync: unknown (LATENCY HISTORY failed)"
    return
  fi
  # An empty history is one blank line from redis-cli.
  grep . <<<"$history" | paste -d' ' - - >"$1" || true
  cut -d' ' -f2 "$1" | sort -n | awk '{ ms[NR] = $1 }
    END { if (NR == 0) { print "Redis fsync: no stall of 1 ms or more"; exit }
          printf "Redis fsync: %d seconds with a stall of 1 ms or more; the longest per second: median %d ms, max %d ms\n",
            NR, ms[int((NR + 1) / 2)], ms[NR] }'
}

# stop_gridcc: SIGTERM, wait, SIGKILL; then delete the cell's Redis keys.
stop_gridcc() {
  if [[ -n "$GRIDCC_PID" ]] && pid_alive "$GRIDCC_PID"; then
    kill -TERM "$GRIDCC_PID" 2>/dev/null || true
    local t0=$SECONDS
    while pid_alive "$GRIDCC_PID"; do
      if ((SECONDS - t0 >= STOP_TIMEOUT)); then
        warn "gridcc (pid $GRIDCC_PID) did not stop within ${STOP_TIMEOUT}s: SIGKILL"
        kill -KILL "$GRIDCC_PID" 2>/dev/null || true
        break
      fi
      sleep 0.1
    done
    wait "$GRIDCC_PID" 2>/dev/null || true
  fi
  GRIDCC_PID=''
  if [[ -n "$PREFIX" ]]; then
    delete_redis_prefix "$PREFIX" || warn "could not delete the keys under $PREFIX"
    PREFIX=''
  fi
}

# shellcheck disable=SC2317 # called by the traps
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  set +e
  stop_gridcc
  rm -f "$AUTH_FILE" "$AUTH_FILE.lock"
  [[ -n "$LATENCY_THRESHOLD" ]] && redis_cli CONFIG SET latency-monitor-threshold "$LATENCY_THRESHOLD" >/dev/null
  if ((${#STOP_AT_END[@]})); then
    bash scripts/services.sh stop "${STOP_AT_END[@]}"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- 1 services -------------------------------------------------------------
step "Services"
# Only a service that is plainly stopped now is ours to stop at the end.
mapfile -t STOP_AT_END < <(stopped_services)
bash scripts/services.sh start
load_services_env
CH_URL="clickhouse://127.0.0.1:${GRIDCC_CH_TCP_PORT}/gridcc_bench"
LATENCY_THRESHOLD="$(redis_cli CONFIG GET latency-monitor-threshold | sed -n 2p)"
redis_cli CONFIG SET latency-monitor-threshold 1 >/dev/null

# ---- 2 build ----------------------------------------------------------------
mkdir -p var/bin "$BENCH_DIR" artifacts
chmod 700 "$BENCH_DIR"
if [[ -n "$BUILD" ]]; then
  require_go
  step "Building gridcc and gridsim into var/bin/"
  go build -o var/bin/gridcc ./backend/cmd/gridcc
  go build -o var/bin/gridsim ./backend/cmd/gridsim
else
  [[ -x var/bin/gridcc && -x var/bin/gridsim ]] || die "--no-build: var/bin/gridcc or var/bin/gridsim is missing"
  info "using the binaries in var/bin/ as they are (--no-build)"
fi

# ---- 3 tokens ---------------------------------------------------------------
step "Tokens in $AUTH_FILE"
rm -f "$AUTH_FILE"
INGEST_TOKEN="$(add_token "$AUTH_FILE" ingest:bench bench)"
WALL_TOKEN="$(add_token "$AUTH_FILE" wall bench-wall)"
[[ -n "$INGEST_TOKEN" && -n "$WALL_TOKEN" ]] || die "could not create the bench tokens"

# ---- 4 cells ----------------------------------------------------------------
: >"$RESULTS"
START_LOAD="$(cut -d' ' -f1-3 /proc/loadavg)"
for cell in $CELLS; do
  clients="${cell%x*}" rate="${cell#*x}"
  step "Cell $clients clients x $rate events/s ($DURATION, $SIZE-byte events, warm-up $WARMUP)"
  PREFIX="bench:$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n'):"
  log="$BENCH_DIR/gridcc-$cell.log"
  debug_addr=''
  [[ -n "$PROFILE" ]] && debug_addr="127.0.0.1:$(free_port)"
  start_gridcc "$log" GRIDCC_DEBUG_ADDR="$debug_addr" GRIDCC_REDIS_URL="$GRIDCC_REDIS_URL" GRIDCC_REDIS_PREFIX="$PREFIX" \
    GRIDCC_CLICKHOUSE_URL="$CH_URL" GRIDCC_AUTH_FILE="$AUTH_FILE" GRIDCC_GEODATA=geodata \
    GRIDCC_FRONTEND_DIR="$BENCH_DIR/no-frontend" GRIDCC_LOG_LEVEL=warn
  base=$GRIDCC_BASE
  info "gridcc pid $GRIDCC_PID at $base, Redis prefix $PREFIX"
  out="$BENCH_DIR/gridsim-$cell.out"
  if [[ -n "$debug_addr" ]]; then
    # Mid-cell: after the warm-up and the clients' connects, well before the end.
    (sleep 6; curl -fsS --max-time 20 -o "$BENCH_DIR/cpu-$cell.pprof" "http://$debug_addr/debug/pprof/profile?seconds=10" ||
      warn "no CPU profile for cell $cell") &
  fi
  redis_cli LATENCY RESET aof-fsync-always >/dev/null
  sim_profile=()
  [[ -n "$PROFILE" ]] && sim_profile=(--cpuprofile "$BENCH_DIR/cpu-gridsim-$cell.pprof")
  if GRIDSIM_TOKEN="$INGEST_TOKEN" GRIDSIM_WS_TOKEN="$WALL_TOKEN" var/bin/gridsim load --url "$base" "${sim_profile[@]}" \
    --clients "$clients" --rate "$rate" --duration "$DURATION" --warmup "$WARMUP" --size "$SIZE" \
    --server-pid "$GRIDCC_PID" | tee "$out"; then
    tail -n 1 "$out" >>"$RESULTS"
  else
    warn "cell $cell failed (see $out); continuing with the next"
  fi
  FSYNC_SUMMARY+=("$cell: $(fsync_stalls "$BENCH_DIR/redis-fsync-$cell.txt")")
  info "${FSYNC_SUMMARY[-1]}"
  curl -fsS --max-time 5 "$base/metrics" >"$BENCH_DIR/metrics-$cell.txt" 2>/dev/null || true
  stop_gridcc
done

# ---- 5 report ---------------------------------------------------------------
step "Results"
{
  echo "# Live pipeline benchmark (scripts/bench-live.sh)"
  echo
  echo "- date: $(date -u +%Y-%m-%dT%H:%M:%SZ); commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo ' (with uncommitted changes)')"
  echo "- machine: $(nproc) CPUs ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1)), $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo) RAM; load average before the run: $START_LOAD"
  echo "- each cell: a fresh gridcc (own Redis prefix; Redis with AOF appendfsync always), $DURATION of one POST per event, $SIZE-byte events, the first $WARMUP left out of latency; gridsim load on the same machine"
  echo "- latency: a client's receive time minus the send time of that event's POST; lost: acknowledged (client, event) pairs never received; CPU: % of one core over the send period (machine CPU: every process, out of $(nproc)00)"
  echo
  var/bin/gridsim report "$RESULTS"
  echo
  echo "Reference (issue 3): Centrifugo v6 + Redis broker on this machine: 100 × 1,000/s p50 4 ms, p99 18 ms;"
  echo "1,000 × 100/s p50 56 ms, p99 387 ms (saturated); 5,000 × 10/s p99 1.5 s."
  echo
  echo "Redis's fsync stalls during each cell (every acknowledgement waits for one fsync):"
  printf -- '- %s\n' "${FSYNC_SUMMARY[@]}"
  echo
  echo '```json'
  cat "$RESULTS"
  echo '```'
} | tee "$ARTIFACT"
ok "written to $ARTIFACT"
