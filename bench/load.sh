#!/usr/bin/env bash
# Load benchmark of the HTTP service with wrk, on loopback only: starts its
# own `exportctl serve` on 127.0.0.1 (a free port) with a temporary SQLite
# database and screening index, makes an officer and an API token, drives
# POST /api/v1/determine, /screen and /checks for a bounded time each, and
# prints one table: requests per second, p50 and p99 latency, errors, and
# how much the audit log grew.  The server and its files are removed at the
# end, also on error or Ctrl-C.  Nothing here fails on a slow result.
#
#   bench/load.sh [BUILDDIR]                      (default build)
# Environment:
#   LOAD_SECONDS=10            duration of each wrk run
#   LOAD_THREADS=2             wrk threads (-t)
#   LOAD_CONNECTIONS="32 8"    one run per connection count (-c)
#   LOAD_ENDPOINTS="determine screen checks"
#   LOAD_SERVER_THREADS=N      exportctl serve --threads (default: the server's, 4)
#   TMPDIR                     where the temporary database goes; keep it on the
#                              disk a real database would use (fsync matters)
#
# The index holds examples/demo-list.csv and, when ../shared/data/lists is
# there, the UN consolidated list and the 2022 US Consolidated Screening List.
# wrk runs on the same machine as the server and takes CPU from it: on 2
# cores the numbers are those of a server sharing its cores with its client.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
SECONDS_EACH=${LOAD_SECONDS:-10}
WRK_THREADS=${LOAD_THREADS:-2}
CONNECTIONS=${LOAD_CONNECTIONS:-32 8}
ENDPOINTS=${LOAD_ENDPOINTS:-determine screen checks}
EXPORTCTL="$PWD/$BUILD/exportctl"
[[ $BUILD == /* ]] && EXPORTCTL="$BUILD/exportctl"
LISTS=../shared/data/lists
GOAL_RPS=20000
GOAL_P99_MS=5

say() { echo "load: $*" >&2; }
[ -x "$EXPORTCTL" ] || { say "$EXPORTCTL is missing (run: ninja -C $BUILD)"; exit 1; }
command -v wrk >/dev/null || { say "wrk is not installed (apt-get install wrk)"; exit 1; }
if ! [[ $SECONDS_EACH =~ ^[0-9]+$ ]] || [ "$SECONDS_EACH" -lt 1 ] || [ "$SECONDS_EACH" -gt 120 ]; then
  say "LOAD_SECONDS must be 1 to 120"
  exit 1
fi

for ep in $ENDPOINTS; do
  [ -f "bench/wrk/$ep.lua" ] || { say "no bench/wrk/$ep.lua for endpoint '$ep'"; exit 1; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/ectl-load.XXXXXX")
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

fail() {
  say "$*"
  # The server's own messages, without the request lines that went well.
  local log
  log=$(grep -Ev ' (GET|POST|PATCH|DELETE) [^ ]+ 2[0-9][0-9] ' "$work/serve.log" 2>/dev/null | tail -n 20 || true)
  if [ -n "$log" ]; then
    say "the server's log ends:"
    echo "$log" >&2
  fi
  exit 1
}

# ---- index, database, officer ------------------------------------------------
sources=(examples/demo-list.csv)
for f in "$LISTS/un/un_consolidated_2026-02-27.xml" "$LISTS/us_csl/consolidated_2022.csv"; do
  [ -f "$f" ] && sources+=("$f")
done
"$EXPORTCTL" lists build -o "$work/index.ectl" "${sources[@]}" >"$work/lists.log" 2>&1 ||
  { cat "$work/lists.log" >&2; fail "could not build the screening index"; }
index_line=$(tail -n 1 "$work/lists.log")

password=$(head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 24)
printf '%s\n' "$password" |
  "$EXPORTCTL" users add bench --role officer --email bench@example.com --password-stdin \
    --db "$work/exportctl.db" >/dev/null

# ---- the server --------------------------------------------------------------
server_args=(serve --listen 127.0.0.1:0 --db "$work/exportctl.db" --index "$work/index.ectl")
[ -n "${LOAD_SERVER_THREADS:-}" ] && server_args+=(--threads "$LOAD_SERVER_THREADS")
"$EXPORTCTL" "${server_args[@]}" >"$work/serve.out" 2>"$work/serve.log" &
server_pid=$!
base=""
for _ in $(seq 300); do
  line=$(head -n 1 "$work/serve.out" 2>/dev/null || true)
  if [[ $line == "listening on http://"* ]]; then
    base=${line#listening on }
    break
  fi
  kill -0 "$server_pid" 2>/dev/null || fail "the server exited before listening"
  sleep 0.1
done
[ -n "$base" ] || fail "the server did not say 'listening on' within 30 s"
case $base in http://127.*) ;; *) fail "the server listens on $base, not loopback" ;; esac

# Sign in, then make an API token with the session (cookie + CSRF token).
signin=$(curl -sS -c "$work/cookies" -H 'Content-Type: application/json' \
  -d "{\"username\":\"bench\",\"password\":\"$password\"}" "$base/api/v1/session")
csrf=$(sed -nE 's/.*"csrf_token":"([0-9a-f]{64})".*/\1/p' <<<"$signin")
[ -n "$csrf" ] || fail "sign-in failed: $signin"
made=$(curl -sS -b "$work/cookies" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
  -d '{"label":"bench/load.sh"}' "$base/api/v1/tokens")
TOKEN=$(sed -nE 's/.*"token":"([A-Za-z0-9_-]{43})".*/\1/p' <<<"$made")
[ -n "$TOKEN" ] || fail "could not make an API token: $made"
export TOKEN WRK_LUA_DIR="$PWD/bench/wrk"

# Each script's body, sent once with curl: the run measures answers, not
# refusals, so a 4xx here stops the benchmark.
probe() { # endpoint expected-status
  local body status
  # The first body of the script: a line holding one single-quoted JSON object.
  body=$(sed -nE "s/^[[:space:]]*'(\{.*\})',?\$/\1/p" "bench/wrk/$1.lua" | head -n 1)
  [ -n "$body" ] || fail "no request body found in bench/wrk/$1.lua"
  status=$(curl -sS -o "$work/probe.json" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: application/json' -d "$body" "$base/api/v1/$1")
  [ "$status" = "$2" ] || fail "POST /api/v1/$1 answered $status, not $2: $(head -c 400 "$work/probe.json")"
}

audit_seq() {
  "$EXPORTCTL" audit list --limit 1 --json --db "$work/exportctl.db" |
    sed -nE 's/^[[:space:]]*"seq": ([0-9]+),?$/\1/p' | head -n 1
}
# Bytes of the audit log in the database (its table and index pages), read
# with sqlite3's dbstat; empty without the sqlite3 shell.
audit_bytes() {
  command -v sqlite3 >/dev/null || return 0
  sqlite3 -readonly "$work/exportctl.db" \
    "SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name IN ('audit_log', 'audit_log_actor')" 2>/dev/null || true
}
mib() { [ -n "$1" ] && [ -n "$2" ] && awk -v b=$(($2 - $1)) 'BEGIN { printf "%.1f", b / 1048576 }' || echo -; }
field() { sed -nE "s/.* $1=([0-9]+).*/\1/p" <<<"$2"; }
ms() { awk -v us="$1" 'BEGIN { printf "%.2f", us / 1000 }'; }

# ---- the runs ----------------------------------------------------------------
{
  echo "load: exportctl serve at $base, $(nproc) cores, server threads ${LOAD_SERVER_THREADS:-4} (default 4)," \
    "wrk -t$WRK_THREADS, ${SECONDS_EACH}s per run, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "load: $index_line"
  echo "load: database $work/exportctl.db on $(df -PT "$work" | awk 'NR==2 { print $2 }'), SQLite WAL, synchronous=FULL"
} >&2

rows=()
audit_total=0
bytes_start=$(audit_bytes)
seq_start=$(audit_seq)
for ep in $ENDPOINTS; do
  expect=200
  [ "$ep" = checks ] && expect=201
  probe "$ep" "$expect"
  max_conns=0
  for c in $CONNECTIONS; do [ "$c" -gt "$max_conns" ] && max_conns=$c; done
  for c in $CONNECTIONS; do
    seq0=$(audit_seq)
    bytes0=$(audit_bytes)
    say "POST /api/v1/$ep, $c connections, ${SECONDS_EACH}s ..."
    wrk -t"$WRK_THREADS" -c"$c" -d"${SECONDS_EACH}s" --timeout 5s --latency \
      -s "bench/wrk/$ep.lua" "$base" >"$work/wrk.out" 2>&1 || {
      cat "$work/wrk.out" >&2
      fail "wrk failed"
    }
    kill -0 "$server_pid" 2>/dev/null || fail "the server died during the run"
    res=$(grep '^WRK_RESULT' "$work/wrk.out") || { cat "$work/wrk.out" >&2; fail "no result from wrk"; }
    n=$(field requests "$res")
    dur=$(field duration_us "$res")
    rps=$(awk -v n="$n" -v d="$dur" 'BEGIN { printf "%.0f", n / (d / 1e6) }')
    p50=$(field p50_us "$res")
    p99=$(field p99_us "$res")
    status_err=$(field status_errors "$res")
    sock=$(($(field connect "$res") + $(field read "$res") + $(field write "$res") + $(field timeout "$res")))
    errors=$status_err
    [ "$sock" -gt 0 ] && errors="$status_err (+$sock socket)"
    seq1=$(audit_seq)
    bytes1=$(audit_bytes)
    added=$((seq1 - seq0))
    audit_total=$((audit_total + added))
    goal="-"
    # The goal is the server's capacity: judged on the run with the most
    # connections; fewer connections measure latency, not capacity.
    if [ "$ep" = determine ] && [ "$c" -eq "$max_conns" ]; then
      if [ "$rps" -ge "$GOAL_RPS" ] && [ "$p99" -lt $((GOAL_P99_MS * 1000)) ]; then
        goal="met (>=$GOAL_RPS/s, p99<${GOAL_P99_MS}ms)"
      else
        goal="MISSED (>=$GOAL_RPS/s, p99<${GOAL_P99_MS}ms)"
      fi
    fi
    rows+=("$(printf '%-10s %5s %9s %9s %9s %14s %9s %10s  %s' "$ep" "$c" "$rps" "$(ms "$p50")" \
      "$(ms "$p99")" "$errors" "$added" "$(mib "$bytes0" "$bytes1")" "$goal")")
  done
done

# ---- report ------------------------------------------------------------------
echo
printf '%-10s %5s %9s %9s %9s %14s %9s %10s  %s\n' endpoint conns 'req/s' 'p50 ms' 'p99 ms' \
  errors '+audit' 'audit MiB' goal
for r in "${rows[@]}"; do echo "$r"; done
seq_end=$(audit_seq)
bytes_end=$(audit_bytes)
echo
echo "errors: non-2xx/3xx answers (and socket errors) counted by wrk"
echo "+audit: audit-log entries the run added (every determine, screen and check is one);" \
  "audit MiB: what they take in the database (table and index pages)"
if [ "$audit_total" -gt 0 ] && [ -n "$bytes_end" ]; then
  db_total=$(stat -c %s "$work/exportctl.db")
  echo "audit log: $((seq_end - seq_start)) entries added, $(mib "$bytes_start" "$bytes_end") MiB," \
    "$(((bytes_end - bytes_start) / (seq_end - seq_start))) bytes per entry; database file" \
    "$(mib 0 "$db_total") MiB with the stored checks"
fi
t0=$(date +%s%N)
verify=$("$EXPORTCTL" audit verify --db "$work/exportctl.db" | head -n 1) || true
t1=$(date +%s%N)
echo "audit verify: $verify ($(((t1 - t0) / 1000000)) ms)"
