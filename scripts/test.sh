#!/usr/bin/env bash
# scripts/test.sh: gridcc's whole test command (CI runs it through .ci/run).
#
#   scripts/test.sh [--quick] [--no-frontend]
#
#   --quick         go test without -race (faster; CI always runs the race detector)
#   --no-frontend   skip the frontend stage
#
# Stages, in order; the first failure stops the run and is named at the end:
#   1 services    scripts/services.sh start (Redis + ClickHouse on loopback, installed if missing)
#   2 modules     go mod download && go mod verify
#   3 gofmt       every tracked or new .go file is gofmt-clean
#   4 vet         go vet ./...
#   5 staticcheck go tool staticcheck ./...
#   6 go test     go test -race -count=1 ./... with GRIDCC_TEST_REDIS_URL, GRIDCC_TEST_CLICKHOUSE_URL
#                 (database `default`: tests create and drop their own databases and key prefixes)
#                 and GRIDCC_TEST_REPO_ROOT
#   7 fuzz        scripts/fuzz.sh --time 3s: every Go fuzz target for 3 s (hostile input: 0 panics,
#                 0 hangs; scripts/soak.sh runs them for minutes)
#   8 frontend    npm ci && npm test in frontend/ (vue-tsc, eslint, vitest)
#   9 browser     scripts/e2e.sh: the wall in headless Chromium against a real gridcc
#
# Services that were not running before the run are stopped at its end; services that
# were already running (yours) are left alone.
set -euo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$GRIDCC_ROOT"

RACE=1
FRONTEND=1
for arg in "$@"; do
  case "$arg" in
    --quick) RACE= ;;
    --no-frontend) FRONTEND= ;;
    -h | --help)
      sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
      exit 0
      ;;
    *) die "unknown option '$arg' (try --help)" ;;
  esac
done

STAGE_COUNT=9
CURRENT_STAGE='' # "N name" while a stage runs; the EXIT trap names it when the run fails
STAGE_T0=0
SUMMARY=()       # "name  12.3s" per finished stage
STOP_AT_END=()   # services this run started
RUN_T0="$(now_ms)"

stage_begin() { # N NAME DESCRIPTION
  CURRENT_STAGE="$1 $2"
  STAGE_T0="$(now_ms)"
  step "[$1/$STAGE_COUNT] $2: $3"
}

stage_end() { # [NOTE]
  local ms=$(($(now_ms) - STAGE_T0))
  SUMMARY+=("$(printf '%-12s %8s  %s' "${CURRENT_STAGE#* }" "$(fmt_ms "$ms")" "${1:-ok}")")
  ok "${CURRENT_STAGE#* } $(fmt_ms "$ms")${1:+ ($1)}"
  CURRENT_STAGE=''
}

finish() {
  local rc=$?
  set +e
  if ((${#STOP_AT_END[@]})); then
    step "Stopping the services this run started: ${STOP_AT_END[*]}"
    bash scripts/services.sh stop "${STOP_AT_END[@]}"
  fi
  if ((${#SUMMARY[@]})); then
    step "Stage timings"
    printf '    %s\n' "${SUMMARY[@]}" >&2
  fi
  local total
  total="$(fmt_ms $(($(now_ms) - RUN_T0)))"
  if ((rc != 0)); then
    if [[ -n "$CURRENT_STAGE" ]]; then
      fail "scripts/test.sh FAILED at stage ${CURRENT_STAGE%% *}/$STAGE_COUNT (${CURRENT_STAGE#* }) after $total, exit code $rc"
    else
      fail "scripts/test.sh FAILED after $total, exit code $rc"
    fi
    exit "$rc"
  fi
  step "scripts/test.sh passed in $total"
}
trap finish EXIT
# Ctrl-C: exit through finish, so services this run started are stopped.
trap 'exit 130' INT TERM

# env_value KEY: the value of KEY in var/services.env, without exporting anything else from it.
env_value() {
  sed -n "s/^$1=//p" var/services.env | tail -n 1
}

# ---- 1 services -------------------------------------------------------------
stage_begin 1 services "Redis and ClickHouse (scripts/services.sh start)"
# Only a service that is plainly stopped now is ours to stop at the end.
mapfile -t STOP_AT_END < <(stopped_services)
bash scripts/services.sh start
stage_end

# ---- 2 modules --------------------------------------------------------------
require_go
if [[ -n "$RACE" ]] && ! command -v "$(go env CC)" >/dev/null 2>&1; then
  die "go test -race needs a C compiler ($(go env CC)) and cgo: apt-get install gcc, or run scripts/test.sh --quick"
fi
stage_begin 2 modules "go mod download && go mod verify ($(go env GOVERSION))"
go mod download
go mod verify
stage_end

# ---- 3 gofmt ----------------------------------------------------------------
stage_begin 3 gofmt "gofmt -l over the repository's .go files"
go_files=()
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  # Tracked files plus new ones not yet added (in a clean clone, exactly `git ls-files`).
  while IFS= read -r f; do
    [[ -f "$f" ]] && go_files+=("$f")
  done < <(git ls-files --cached --others --exclude-standard -- '*.go' | sort -u)
else
  while IFS= read -r f; do go_files+=("$f"); done < <(
    find . \( -path ./frontend/node_modules -o -path ./var -o -path ./.git \) -prune -o -name '*.go' -type f -print
  )
fi
if ((${#go_files[@]})); then
  listed="$(gofmt -l "${go_files[@]}")" # fails on a file gofmt cannot parse
  mapfile -t unformatted <<<"$listed"
  if [[ -n "$listed" ]]; then
    printf '    not gofmt-clean (fix with gofmt -w):\n' >&2
    printf '      %s\n' "${unformatted[@]}" >&2
    false
  fi
fi
stage_end "${#go_files[@]} files"

# ---- 4 vet ------------------------------------------------------------------
stage_begin 4 vet "go vet ./..."
go vet ./...
stage_end

# ---- 5 staticcheck ----------------------------------------------------------
stage_begin 5 staticcheck "go tool staticcheck ./..."
go tool staticcheck ./...
stage_end

# ---- 6 go test --------------------------------------------------------------
GRIDCC_TEST_REDIS_URL="$(env_value GRIDCC_REDIS_URL)"
GRIDCC_TEST_CLICKHOUSE_URL="clickhouse://127.0.0.1:$(env_value GRIDCC_CH_TCP_PORT)/default"
GRIDCC_TEST_REPO_ROOT="$GRIDCC_ROOT"
export GRIDCC_TEST_REDIS_URL GRIDCC_TEST_CLICKHOUSE_URL GRIDCC_TEST_REPO_ROOT
go_test=(go test -count=1)
race_note='no race detector (--quick)'
if [[ -n "$RACE" ]]; then
  go_test+=(-race)
  race_note='race detector on'
fi
go_test+=(./...)
stage_begin 6 "go test" "${go_test[*]}"
info "GRIDCC_TEST_REDIS_URL=$GRIDCC_TEST_REDIS_URL GRIDCC_TEST_CLICKHOUSE_URL=$GRIDCC_TEST_CLICKHOUSE_URL"
# go test's own output goes straight to stdout: CI reads its ok/FAIL summary lines.
"${go_test[@]}"
stage_end "$race_note"

# ---- 7 fuzz -----------------------------------------------------------------
stage_begin 7 fuzz "every fuzz target for 3 s (scripts/fuzz.sh)"
bash scripts/fuzz.sh --time 3s
stage_end

# ---- 8 frontend -------------------------------------------------------------
stage_begin 8 frontend "npm ci && npm test in frontend/"
if [[ -z "$FRONTEND" ]]; then
  stage_end "skipped (--no-frontend)"
elif [[ ! -f frontend/package.json ]]; then
  info "no frontend/package.json yet: nothing to test"
  stage_end "skipped (no frontend/package.json)"
else
  require_node
  (
    cd frontend
    npm ci --no-audit --no-fund
    npm test
  )
  stage_end
fi

stage_begin 9 browser "headless Chromium against a real gridcc (scripts/e2e.sh)"
if [[ -z "$FRONTEND" ]]; then
  stage_end "skipped (--no-frontend)"
else
  bash scripts/e2e.sh
  stage_end "screenshots in artifacts/frontend/"
fi
