#!/usr/bin/env bash
# scripts/fuzz.sh: run every Go fuzz target of the repository (each `func FuzzX` in a _test.go file
# under backend/) for a while, one after the other, and print a summary. scripts/test.sh runs it
# short, scripts/soak.sh long.
#
#   scripts/fuzz.sh [--time 3s] [--minimize 1s] [--match REGEXP] [--list]
#
#   --time       how long each target is fuzzed (go test -fuzztime; default 3s)
#   --minimize   how long a new interesting input is minimized (-fuzzminimizetime; default 1s). Go's
#                default of 60s can stall a target with big inputs (FuzzParse) for a whole minute
#   --match      only the targets whose package/name matches REGEXP (e.g. 'httpapi|FuzzParse')
#   --list       list the targets and exit
#
# A target that fails (a panic, a broken property, or a hang that trips go test's timeout) stops
# the run: go test writes the input to testdata/fuzz/<FuzzX>/ in the package; commit it as a
# regression case once the bug is fixed. The seed corpora run with every plain `go test` anyway.
set -euo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$GRIDCC_ROOT"

FUZZTIME=3s
MINIMIZE=1s
MATCH=''
LIST=''
while (($#)); do
  case "$1" in
    --time) FUZZTIME="${2:?--time needs a duration}"; shift 2 ;;
    --minimize) MINIMIZE="${2:?--minimize needs a duration}"; shift 2 ;;
    --match) MATCH="${2:?--match needs a regexp}"; shift 2 ;;
    --list) LIST=1; shift ;;
    -h | --help)
      sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
      exit 0
      ;;
    *) die "unknown argument '$1' (try --help)" ;;
  esac
done
[[ "$FUZZTIME" =~ ^[0-9]+(s|m|h)$ ]] || die "--time must look like 3s, 5m or 1h"

# targets: "package-dir FuzzName", sorted.
mapfile -t targets < <(
  grep -rHo --include='*_test.go' '^func Fuzz[A-Za-z0-9_]*(' backend |
    sed -E 's#^(.*)/[^/]*_test\.go:func (Fuzz[A-Za-z0-9_]*)\($#\1 \2#' | LC_ALL=C sort -u |
    { if [[ -n "$MATCH" ]]; then grep -E -- "$MATCH" || true; else cat; fi; }
)
((${#targets[@]})) || die "no fuzz target matches '${MATCH}'"
if [[ -n "$LIST" ]]; then
  printf '%s\n' "${targets[@]}"
  exit 0
fi

require_go
# A target that runs longer than its time plus this is hung: go test panics with every stack.
secs="${FUZZTIME%[smh]}"
case "$FUZZTIME" in *m) secs=$((secs * 60)) ;; *h) secs=$((secs * 3600)) ;; esac
timeout="$((secs + 300))s"

step "Fuzzing ${#targets[@]} targets for $FUZZTIME each (minimize $MINIMIZE)"
T0="$(now_ms)"
for t in "${targets[@]}"; do
  pkg="${t% *}" name="${t#* }"
  t1="$(now_ms)"
  log="$(mktemp)"
  if ! go test -run '^$' -fuzz "^${name}\$" -fuzztime "$FUZZTIME" -fuzzminimizetime "$MINIMIZE" \
    -timeout "$timeout" "./$pkg" >"$log" 2>&1; then
    # Go's fuzzer can end a run whose -fuzztime ran out while it was still busy with an input
    # (minimizing a new one, or a slow one such as a whole district's GeoJSON) with a bare
    # "context deadline exceeded" and no input written. A real failure always writes its input.
    if grep -q 'context deadline exceeded' "$log" && ! grep -q 'Failing input written to' "$log"; then
      warn "$pkg $name: the fuzzer's time ran out mid-input (context deadline exceeded, no failing input); not a failure"
      rm -f "$log"
      continue
    fi
    cat "$log" >&2
    rm -f "$log"
    die "$pkg $name failed: the input is in $pkg/testdata/fuzz/$name/ (re-run: go test -run '$name/<file>' ./$pkg)"
  fi
  # The last progress line: "fuzz: elapsed: 3s, execs: 12345 (4115/sec), new interesting: 3 (total: 40)".
  # Without one, the time went to the baseline run over the corpus (seeds and the inputs this
  # machine's earlier runs found, kept in $(go env GOCACHE)/fuzz): the corpus ran, nothing new.
  last="$(grep -E '^fuzz: elapsed: .*execs: [0-9]+' "$log" | tail -n 1 || true)"
  rm -f "$log"
  if [[ -n "$last" ]]; then
    what="$(sed -E 's/.*execs: ([0-9]+).*/\1/' <<<"$last") execs, corpus $(sed -nE 's/.*total: ([0-9]+)\).*/\1/p' <<<"$last")"
  else
    what="corpus only (baseline run)"
  fi
  line="$(printf '%-16s %-18s %-32s %s' "$pkg" "$name" "$what" "$(fmt_ms $(($(now_ms) - t1)))")"
  info "$line"
done
ok "${#targets[@]} targets, 0 failures, in $(fmt_ms $(($(now_ms) - T0)))"
