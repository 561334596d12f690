# shellcheck shell=bash
# scripts/ops-lib.sh: what scripts/backup.sh and scripts/restore.sh share (sourced after lib.sh).
#
#   ops_settings       GRIDCC_REDIS_URL, GRIDCC_REDIS_PREFIX, GRIDCC_CLICKHOUSE_URL, GRIDCC_AUTH_FILE from the
#                      environment, else var/services.env, else gridcc's defaults; parsed into the variables below
#   ch ARGS…           clickhouse-client on GRIDCC_CLICKHOUSE_URL's server (native protocol, like gridcc)
#   rcli ARGS…         redis-cli on GRIDCC_REDIS_URL's server and database
#   ch_quote STRING    a ClickHouse string literal
#   human_bytes N      1.2 MB
#
# Passwords never appear on a command line: ClickHouse's goes into a private client config file,
# Redis's into REDISCLI_AUTH.

# urldecode STRING: %XX escapes decoded (user names and passwords in URLs).
urldecode() {
  local s="${1//+/ }"
  printf '%b' "${s//%/\\x}"
}

# ops_settings reads the four settings and parses the two URLs into CH_* and REDIS_*.
ops_settings() {
  local f="$GRIDCC_ROOT/var/services.env" line key
  if [[ -f "$f" ]]; then
    # Only what the environment does not set already: an explicit setting always wins.
    while IFS= read -r line; do
      [[ "$line" =~ ^(GRIDCC_[A-Z_]+)=(.*)$ ]] || continue
      key="${BASH_REMATCH[1]}"
      [[ -z "${!key:-}" ]] && printf -v "$key" '%s' "${BASH_REMATCH[2]}"
    done <"$f"
  fi
  GRIDCC_REDIS_URL="${GRIDCC_REDIS_URL:-redis://127.0.0.1:6379/0}"
  GRIDCC_REDIS_PREFIX="${GRIDCC_REDIS_PREFIX:-gridcc:}"
  GRIDCC_CLICKHOUSE_URL="${GRIDCC_CLICKHOUSE_URL:-clickhouse://127.0.0.1:9000/gridcc}"
  GRIDCC_AUTH_FILE="${GRIDCC_AUTH_FILE:-var/auth.json}"
  parse_clickhouse_url "$GRIDCC_CLICKHOUSE_URL"
  parse_redis_url "$GRIDCC_REDIS_URL"
}

# parse_clickhouse_url clickhouse://[user[:password]@]host[:port]/database[?secure=true]
parse_clickhouse_url() {
  local url="$1" rest auth hostport query
  [[ "$url" == clickhouse://* ]] || die "GRIDCC_CLICKHOUSE_URL must start with clickhouse:// (got '${url%%://*}://…')"
  rest="${url#clickhouse://}"
  query=''
  [[ "$rest" == *\?* ]] && query="${rest#*\?}" && rest="${rest%%\?*}"
  auth=''
  [[ "$rest" == *@* ]] && auth="${rest%@*}" && rest="${rest##*@}"
  hostport="${rest%%/*}"
  CH_DB="${rest#"$hostport"}"
  CH_DB="${CH_DB#/}"
  CH_DB="${CH_DB:-default}"
  CH_HOST="${hostport%:*}"
  CH_PORT=9000
  [[ "$hostport" == *:* ]] && CH_PORT="${hostport##*:}"
  CH_USER=default CH_PASSWORD=''
  if [[ -n "$auth" ]]; then
    CH_USER="$(urldecode "${auth%%:*}")"
    [[ "$auth" == *:* ]] && CH_PASSWORD="$(urldecode "${auth#*:}")"
  fi
  CH_SECURE=''
  [[ "&$query&" == *'&secure=true&'* ]] && CH_SECURE=1
  [[ -n "$CH_HOST" && "$CH_PORT" =~ ^[0-9]+$ ]] || die "GRIDCC_CLICKHOUSE_URL has no host:port"
  # The database name goes into DDL and into a sed expression: plain identifiers only.
  [[ "$CH_DB" =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || die "ClickHouse database '$CH_DB': only letters, digits and _ are supported here"
}

# parse_redis_url redis[s]://[user[:password]@]host[:port][/db]
parse_redis_url() {
  local url="$1" rest auth hostport
  case "$url" in
    redis://*) REDIS_TLS='' ;;
    rediss://*) REDIS_TLS=1 ;;
    *) die "GRIDCC_REDIS_URL must start with redis:// or rediss://" ;;
  esac
  rest="${url#*://}"
  rest="${rest%%\?*}"
  auth=''
  [[ "$rest" == *@* ]] && auth="${rest%@*}" && rest="${rest##*@}"
  hostport="${rest%%/*}"
  REDIS_DB="${rest#"$hostport"}"
  REDIS_DB="${REDIS_DB#/}"
  REDIS_DB="${REDIS_DB:-0}"
  REDIS_HOST="${hostport%:*}"
  REDIS_PORT=6379
  [[ "$hostport" == *:* ]] && REDIS_PORT="${hostport##*:}"
  REDIS_USER='' REDIS_PASSWORD=''
  if [[ -n "$auth" ]]; then
    if [[ "$auth" == *:* ]]; then
      REDIS_USER="$(urldecode "${auth%%:*}")"
      REDIS_PASSWORD="$(urldecode "${auth#*:}")"
    else
      REDIS_PASSWORD="$(urldecode "$auth")"
    fi
  fi
  [[ -n "$REDIS_HOST" && "$REDIS_PORT" =~ ^[0-9]+$ && "$REDIS_DB" =~ ^[0-9]+$ ]] ||
    die "GRIDCC_REDIS_URL must look like redis://[user:password@]host:port/db"
}

# ops_tools checks the client programs are installed.
ops_tools() {
  PATH="$PATH:/usr/sbin:/sbin"
  local cmd missing=()
  for cmd in "$@"; do
    command -v "$cmd" >/dev/null 2>&1 || missing+=("$cmd")
  done
  ((${#missing[@]} == 0)) ||
    die "missing programs: ${missing[*]} (Debian: apt-get install redis-tools redis-server clickhouse-client; scripts/services.sh installs them)"
}

# ch_client_config writes the password into a client config file of our own (removed by the
# caller's cleanup); without a password there is none.
CH_CONFIG=''
ch_client_config() {
  [[ -z "$CH_PASSWORD" ]] && return 0
  CH_CONFIG="$(mktemp)"
  chmod 600 "$CH_CONFIG"
  local pw="${CH_PASSWORD//&/&amp;}"
  pw="${pw//</&lt;}"
  printf '<config><password>%s</password></config>\n' "${pw//>/&gt;}" >"$CH_CONFIG"
}

ch() {
  local args=(--host "$CH_HOST" --port "$CH_PORT" --user "$CH_USER")
  [[ -n "$CH_CONFIG" ]] && args+=(--config-file "$CH_CONFIG")
  [[ -n "$CH_SECURE" ]] && args+=(--secure)
  clickhouse-client "${args[@]}" "$@"
}

# ch_quote STRING: 'STRING' with ' and \ escaped.
ch_quote() {
  local s="${1//\\/\\\\}"
  printf "'%s'" "${s//\'/\\\'}"
}

rcli() {
  local args=(-h "$REDIS_HOST" -p "$REDIS_PORT" -n "$REDIS_DB")
  [[ -n "$REDIS_USER" ]] && args+=(--user "$REDIS_USER")
  [[ -n "$REDIS_TLS" ]] && args+=(--tls)
  if [[ -n "$REDIS_PASSWORD" ]]; then
    REDISCLI_AUTH="$REDIS_PASSWORD" redis-cli "${args[@]}" "$@"
  else
    redis-cli "${args[@]}" "$@"
  fi
}

# redis_glob_escape STRING: STRING with Redis glob characters escaped, for MATCH patterns.
redis_glob_escape() {
  local s="$1" out='' c i
  for ((i = 0; i < ${#s}; i++)); do
    c="${s:i:1}"
    # shellcheck disable=SC1003 # '\' is a backslash, not an escaped quote
    case "$c" in
      '*' | '?' | '[' | ']' | '\') out+="\\$c" ;;
      *) out+="$c" ;;
    esac
  done
  printf '%s' "$out"
}

# scan_quoted CLI PATTERN: the keys matching PATTERN on the server CLI (a function running
# redis-cli) talks to, one SCAN batch a line, each key quoted as redis-cli --csv prints it and
# separated by spaces: a line is ready to follow a command name on redis-cli's stdin, and any
# byte in a key survives. (--csv escapes " inside a key, so "," only ever separates keys.)
scan_quoted() {
  local cli=$1 pattern=$2 cursor=0 line
  while :; do
    line="$("$cli" --csv SCAN "$cursor" MATCH "$pattern" COUNT 1000)"
    cursor="${line%%,*}"
    cursor="${cursor//\"/}"
    if [[ "$line" == *,* ]]; then
      line="${line#*,}"
      printf '%s\n' "${line//\",\"/\" \"}"
    fi
    [[ "$cursor" == 0 ]] && break
  done
  return 0
}

# count_quoted LINE: how many keys a scan_quoted line holds.
count_quoted() {
  local rest="${1//\" \"/}"
  echo $(((${#1} - ${#rest}) / 3 + 1))
}

human_bytes() {
  local n=$1
  if ((n >= 1073741824)); then
    printf '%d.%d GB' $((n / 1073741824)) $((n % 1073741824 * 10 / 1073741824))
  elif ((n >= 1048576)); then
    printf '%d.%d MB' $((n / 1048576)) $((n % 1048576 * 10 / 1048576))
  elif ((n >= 1024)); then
    printf '%d KB' $((n / 1024))
  else
    printf '%d B' "$n"
  fi
}

# manifest_get DIR KEY: the value of a `KEY<TAB>value` line of DIR/MANIFEST.
manifest_get() {
  awk -F '\t' -v k="$2" '$1 == k { print $2; exit }' "$1/MANIFEST"
}

# The consumer-group-independent names gridcc gives its live keys (backend/redisbus/keys.go).
live_key() { printf '%s{live}:%s' "$GRIDCC_REDIS_PREFIX" "$1"; }
