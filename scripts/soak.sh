#!/usr/bin/env bash
# scripts/soak.sh: the long version of the reliability checks (issue 8): every fuzz target for
# minutes, the fault tests at their soak lengths, then hours of live load on one gridcc, checking
# after each round that nothing was lost or duplicated and that goroutines and memory stay flat.
# scripts/test.sh runs the short versions of the first two.
#
#   scripts/soak.sh [--fuzztime 5m] [--duration 30m] [--round 5m] [--clients 100] [--rate 10]
#                   [--size 500] [--no-fuzz] [--no-faults] [--no-load]
#
#   --fuzztime   how long each fuzz target runs (default 5m; 10 targets)
#   --duration   how long the live load runs in all (default 30m)
#   --round      one `gridsim load` run, at most 10m (default 5m); figures are taken after each
#   --clients    WebSocket clients (default 100)        --rate   events/s, one POST each (default 10)
#   --size       bytes of JSON per event (default 500)
#   --no-fuzz, --no-faults, --no-load   skip a part
#
# Steps:
#   1 services   scripts/services.sh start (the ones started here are stopped at the end)
#   2 fuzz       scripts/fuzz.sh --time FUZZTIME --minimize 10s
#   3 faults     with GRIDCC_SOAK=1, the tests of every package whose tests read it (ClickHouse down
#                10 minutes instead of 1, a client offline 5 minutes instead of 30 s, …)
#   4 build      gridcc and gridsim into var/bin/
#   5 load       one gridcc (Redis prefix soak:<random>:, ClickHouse database gridcc_soak, log in
#                var/soak/gridcc.log) and rounds of `gridsim load` until DURATION; after each round
#                a progress line with the round's figures and gridcc's goroutines, RSS, open files
#                and history lag (from /metrics)
#   6 summary    the rounds as a table, on stdout and in artifacts/soak.md, and the verdict:
#                every round 0 lost, 0 duplicates, 0 failed POSTs; the history lag back to 0;
#                goroutines within +10% (+20) and open files within +10 of the first round; no
#                panic in gridcc's log; gridcc still ready. Exit 1 when a check fails. RSS is shown,
#                not checked: gridsim load closes no event, so the open events every replica holds
#                grow with each round (and so does each new client's snapshot: keep
#                clients x rate x duration modest: 500 clients x 100/s failed to connect in round 2)
set -euo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$GRIDCC_ROOT"

FUZZTIME=5m DURATION=30m ROUND=5m CLIENTS=100 RATE=10 SIZE=500 FUZZ=1 FAULTS=1 LOAD=1
while (($#)); do
  case "$1" in
    --fuzztime) FUZZTIME="${2:?--fuzztime needs a duration}"; shift 2 ;;
    --duration) DURATION="${2:?--duration needs a duration}"; shift 2 ;;
    --round) ROUND="${2:?--round needs a duration}"; shift 2 ;;
    --clients) CLIENTS="${2:?--clients needs a number}"; shift 2 ;;
    --rate) RATE="${2:?--rate needs a number}"; shift 2 ;;
    --size) SIZE="${2:?--size needs a number}"; shift 2 ;;
    --no-fuzz) FUZZ=''; shift ;;
    --no-faults) FAULTS=''; shift ;;
    --no-load) LOAD=''; shift ;;
    -h | --help)
      sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
      exit 0
      ;;
    *) die "unknown argument '$1' (try --help)" ;;
  esac
done

# seconds_of 90s|5m|2h: the duration in seconds.
seconds_of() {
  [[ "$1" =~ ^([0-9]+)(s|m|h)$ ]] || die "'$1' is not a duration like 90s, 5m or 2h"
  case "${BASH_REMATCH[2]}" in
    s) echo "${BASH_REMATCH[1]}" ;;
    m) echo $((BASH_REMATCH[1] * 60)) ;;
    h) echo $((BASH_REMATCH[1] * 3600)) ;;
  esac
}
DURATION_S="$(seconds_of "$DURATION")"
ROUND_S="$(seconds_of "$ROUND")"
seconds_of "$FUZZTIME" >/dev/null
((ROUND_S >= 10 && ROUND_S <= 600)) || die "--round must be 10s to 10m (gridsim load runs at most 10m)"
[[ "$CLIENTS" =~ ^[0-9]+$ && "$RATE" =~ ^[0-9]+$ && "$SIZE" =~ ^[0-9]+$ ]] || die "--clients, --rate and --size take whole numbers"

SOAK_DIR=var/soak
AUTH_FILE="$SOAK_DIR/auth.json"
RESULTS="$SOAK_DIR/rounds.jsonl"
ARTIFACT=artifacts/soak.md
GRIDCC_PID='' PREFIX='' STOP_AT_END=()
T0="$(now_ms)"

# shellcheck disable=SC2317 # called by the traps
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  set +e
  if [[ -n "$GRIDCC_PID" ]] && pid_alive "$GRIDCC_PID"; then
    kill -TERM "$GRIDCC_PID"
    wait "$GRIDCC_PID" 2>/dev/null
  fi
  if [[ -n "$PREFIX" ]]; then
    delete_redis_prefix "$PREFIX"
  fi
  rm -f "$AUTH_FILE" "$AUTH_FILE.lock"
  ((${#STOP_AT_END[@]})) && bash scripts/services.sh stop "${STOP_AT_END[@]}"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- 1 services -------------------------------------------------------------
step "1 services"
# Only a service that is plainly stopped now is ours to stop at the end.
mapfile -t STOP_AT_END < <(stopped_services)
bash scripts/services.sh start
load_services_env

# ---- 2 fuzz -----------------------------------------------------------------
step "2 fuzz"
if [[ -n "$FUZZ" ]]; then
  bash scripts/fuzz.sh --time "$FUZZTIME" --minimize 10s
else
  info "skipped (--no-fuzz)"
fi

# ---- 3 faults ---------------------------------------------------------------
step "3 faults: the fault tests at their soak lengths (GRIDCC_SOAK=1)"
if [[ -n "$FAULTS" ]]; then
  require_go
  mapfile -t fault_pkgs < <(grep -rl --include='*_test.go' 'GRIDCC_SOAK' backend | xargs -n 1 dirname | LC_ALL=C sort -u | sed 's#^#./#')
  info "packages: ${fault_pkgs[*]}"
  t="$(now_ms)"
  GRIDCC_SOAK=1 GRIDCC_TEST_REDIS_URL="$GRIDCC_REDIS_URL" GRIDCC_TEST_CLICKHOUSE_URL="clickhouse://127.0.0.1:${GRIDCC_CH_TCP_PORT}/default" \
    GRIDCC_TEST_REPO_ROOT="$GRIDCC_ROOT" go test -count=1 -timeout 60m "${fault_pkgs[@]}"
  ok "fault tests passed in $(fmt_ms $(($(now_ms) - t)))"
else
  info "skipped (--no-faults)"
fi
[[ -n "$LOAD" ]] || { ok "soak done in $(fmt_ms $(($(now_ms) - T0))) (--no-load)"; exit 0; }

# ---- 4 build ----------------------------------------------------------------
step "4 build: gridcc and gridsim into var/bin/"
require_go
mkdir -p var/bin "$SOAK_DIR" artifacts
chmod 700 "$SOAK_DIR"
go build -o var/bin/gridcc ./backend/cmd/gridcc
go build -o var/bin/gridsim ./backend/cmd/gridsim

# ---- 5 load -----------------------------------------------------------------
rounds=$(((DURATION_S + ROUND_S - 1) / ROUND_S))
step "5 load: $rounds rounds of $ROUND, $CLIENTS clients x $RATE events/s, $SIZE-byte events"
rm -f "$AUTH_FILE"
INGEST_TOKEN="$(add_token "$AUTH_FILE" ingest:soak soak)"
WALL_TOKEN="$(add_token "$AUTH_FILE" wall soak-wall)"
[[ -n "$INGEST_TOKEN" && -n "$WALL_TOKEN" ]] || die "could not create the soak tokens"
clickhouse-client --port "$GRIDCC_CH_TCP_PORT" --query "DROP DATABASE IF EXISTS gridcc_soak"
PREFIX="soak:$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n'):"
LOG="$SOAK_DIR/gridcc.log"
start_gridcc "$LOG" GRIDCC_REDIS_URL="$GRIDCC_REDIS_URL" GRIDCC_REDIS_PREFIX="$PREFIX" \
  GRIDCC_CLICKHOUSE_URL="clickhouse://127.0.0.1:${GRIDCC_CH_TCP_PORT}/gridcc_soak" GRIDCC_AUTH_FILE="$AUTH_FILE" \
  GRIDCC_GEODATA=geodata GRIDCC_FRONTEND_DIR="$SOAK_DIR/no-frontend" GRIDCC_LOG_LEVEL=warn
BASE=$GRIDCC_BASE
info "gridcc pid $GRIDCC_PID at $BASE, Redis prefix $PREFIX"

# metric NAME: the value of an unlabelled series on /metrics (integer part), or "?".
metric() {
  local body
  body="$(curl -fsS --max-time 5 "$BASE/metrics" 2>/dev/null || true)"
  awk -v n="$1" '$1 == n && !found { printf "%d\n", $2; found = 1 } END { if (!found) print "?" }' <<<"$body"
}
# field NAME LINE: a number from a gridsim JSON line.
field() { grep -oE "\"$1\":[-0-9.e+]+" <<<"$2" | head -n 1 | cut -d: -f2; }

: >"$RESULTS"
table=() goroutines=() rss=() fds_all=() rounds_ok=1
for ((r = 1; r <= rounds; r++)); do
  left=$((DURATION_S - (r - 1) * ROUND_S))
  this=$((left < ROUND_S ? left : ROUND_S))
  out="$SOAK_DIR/round-$r.out"
  if ! GRIDSIM_TOKEN="$INGEST_TOKEN" GRIDSIM_WS_TOKEN="$WALL_TOKEN" var/bin/gridsim load --url "$BASE" \
    --clients "$CLIENTS" --rate "$RATE" --duration "${this}s" --size "$SIZE" --server-pid "$GRIDCC_PID" >"$out" 2>&1; then
    tail -n 20 "$out" >&2
    die "round $r: gridsim load failed (see $out)"
  fi
  json="$(tail -n 1 "$out")"
  echo "$json" >>"$RESULTS"
  g="$(metric go_goroutines)" m="$(metric process_resident_memory_bytes)" fds="$(metric process_open_fds)"
  lag="$(metric gridcc_history_lag_records)"
  goroutines+=("$g") rss+=("$m") fds_all+=("$fds")
  published="$(field published "$json")" lost="$(field lost "$json")" dup="$(field duplicates "$json")"
  post_errors="$(field post_errors "$json")"
  line="$(printf '| %d | %s | %s | %s | %s | %s | %s | %s | %s | %d | %s | %s |' "$r" "${this}s" "$published" "$lost" "$dup" \
    "$post_errors" "$(field p50_ms "$json")" "$(field p99_ms "$json")" "$(field server_cpu_pct "$json")" \
    "$((m / 1048576))" "$g" "$fds")"
  table+=("$line")
  info "round $r/$rounds: $published published, lost $lost, duplicates $dup, failed POSTs $post_errors, p99 $(field p99_ms "$json") ms; gridcc: $g goroutines, $((m / 1048576)) MB RSS, $fds open files, history lag $lag"
  if [[ "$lost" != 0 || "$dup" != 0 || "$post_errors" != 0 ]]; then
    fail "round $r lost or duplicated events, or POSTs failed (see $out)"
    rounds_ok=
  fi
done

# ---- 6 summary --------------------------------------------------------------
step "6 summary"
checks=() failed=0
check() { # OK? TEXT
  if [[ "$1" == 1 ]]; then checks+=("- ok: $2"); else checks+=("- **FAILED**: $2"); failed=1; fi
}
deadline=$((SECONDS + 120))
lag="$(metric gridcc_history_lag_records)"
while [[ "$lag" != 0 ]] && ((SECONDS < deadline)); do
  sleep 1
  lag="$(metric gridcc_history_lag_records)"
done
check "$([[ "$lag" == 0 ]] && echo 1)" "history lag back to 0 records after the load (now $lag)"
check "$rounds_ok" "every round: 0 lost, 0 duplicates, 0 failed POSTs"
g0="${goroutines[0]}" gn="${goroutines[-1]}" m0="${rss[0]}" mn="${rss[-1]}"
check "$( ((gn <= g0 + g0 / 10 + 20)) && echo 1)" "goroutines flat: $g0 after round 1, $gn after round $rounds (limit +10% +20)"
f0="${fds_all[0]}" fn="${fds_all[-1]}"
check "$( ((fn <= f0 + 10)) && echo 1)" "open files flat: $f0 after round 1, $fn after round $rounds (limit +10)"
# Not a check: gridsim load closes no event, so the open events (each replica holds them in memory)
# grow by rate x round with every round, and RSS with them.
checks+=("- RSS: $((m0 / 1048576)) MB after round 1, $((mn / 1048576)) MB after round $rounds, with $(((rounds - 1) * RATE * ROUND_S)) more open events (the load closes none)")
panics="$(grep -c -E 'panic|fatal error' "$LOG" || true)"
check "$( ((panics == 0)) && echo 1)" "no panic in gridcc's log ($panics lines)"
check "$(curl -fsS --max-time 5 "$BASE/readyz" >/dev/null 2>&1 && echo 1)" "gridcc still ready"
fuzz_note=skipped faults_note=skipped
[[ -n "$FUZZ" ]] && fuzz_note="$FUZZTIME per target, 0 failures"
[[ -n "$FAULTS" ]] && faults_note="passed at their soak lengths"
{
  echo "# Soak (scripts/soak.sh)"
  echo
  echo "- date: $(date -u +%Y-%m-%dT%H:%M:%SZ); commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown); $(nproc) CPUs"
  echo "- $rounds rounds of \`gridsim load\`, $CLIENTS clients x $RATE events/s, $SIZE-byte events, one gridcc (Redis AOF appendfsync always); fuzz: $fuzz_note; fault tests: $faults_note"
  echo
  echo "| round | length | published | lost | dup | failed POSTs | p50 ms | p99 ms | gridcc CPU % | RSS MB | goroutines | open files |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${table[@]}"
  echo
  printf '%s\n' "${checks[@]}"
} | tee "$ARTIFACT"
((failed == 0)) || die "the soak failed (artifacts in $SOAK_DIR/, table in $ARTIFACT)"
ok "soak passed in $(fmt_ms $(($(now_ms) - T0))); table in $ARTIFACT"
