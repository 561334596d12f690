#!/usr/bin/env bash
# scripts/seed-history.sh: fill gridcc's history with one to two years of realistic cases, so every
# review screen has something true to show (backend/cmd/gridseed; docs/history.md explains the model).
#
#   scripts/seed-history.sh [--years 2] [--events N] [--via direct|stream] [--seed 1] [--force]
#
#   --years    1 or 2 years up to yesterday (default 2)
#   --events   about how many cases in all (default: the district's real volumes, about 38,600 a year)
#   --via      direct (default): rows straight into ClickHouse with the history writer's insert code and
#              fresh seqs, so a running wall is not flooded with old cases; stream: through the Redis log
#              and the history writer, as live records go (only before going live: followers replay them)
#   --seed     random seed; the same seed gives the same history
#   --force    seed even though the history already holds seeded cases (they would be there twice)
#
# Steps:
#   1 services   scripts/services.sh start (Redis and ClickHouse)
#   2 build      go build ./backend/cmd/gridseed into var/bin/gridseed
#   3 seed       gridseed with var/services.env, GRIDCC_REDIS_PREFIX (default gridcc:) and
#                GRIDCC_GEODATA (default geodata); a progress bar on the terminal
set -euo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$GRIDCC_ROOT"

args=()
while (($#)); do
  case "$1" in
    --years | --events | --via | --seed) args+=("$1" "${2:?$1 needs a value}"); shift 2 ;;
    --force) args+=("$1"); shift ;;
    -h | --help)
      sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
      exit 0
      ;;
    *) die "unknown argument '$1' (try --help)" ;;
  esac
done

step "1 services"
scripts/services.sh start
load_services_env

step "2 build"
require_go
mkdir -p var/bin
go build -o var/bin/gridseed ./backend/cmd/gridseed
ok "var/bin/gridseed"

step "3 seed"
export GRIDCC_REDIS_PREFIX="${GRIDCC_REDIS_PREFIX:-gridcc:}" GRIDCC_GEODATA="${GRIDCC_GEODATA:-geodata}"
var/bin/gridseed "${args[@]}"
ok "history seeded into ${GRIDCC_CLICKHOUSE_URL##*/}"
