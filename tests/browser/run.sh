#!/usr/bin/env bash
# Browser tests of the web pages: real headless Chromium (Debian's
# /usr/bin/chromium) driven by playwright-core, against a real
# `exportctl serve` with a throwaway database and a local SMTP server.
#
#   tests/browser/run.sh [BUILD_DIR]        (default: build)
#
# Environment: EXPORTCTL (the binary; default BUILD_DIR/exportctl), ONLY (a
# regular expression: run only the tests whose name matches), KEEP=1 (keep
# the temporary folder: database, mail, logs).
#
# It installs what it lacks (node_modules with `npm ci`; Debian's chromium
# with apt-get when run as root), creates the users of users.json, starts the
# SMTP sink and the server on free ports of 127.0.0.1, runs tests.js, and
# stops what it started, even on failure.  Screenshots and logs go to
# tests/artifacts/browser/.  The last line is always "N passed, M failed",
# and the exit status is 0 only when every test passed.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
build=${1:-build}
case "$build" in /*) ;; *) build="$top/$build" ;; esac
exportctl=${EXPORTCTL:-$build/exportctl}
artifacts="$top/tests/artifacts/browser"
chromium=/usr/bin/chromium

die() { echo "browser tests: $*" >&2; echo "0 passed, 1 failed"; exit 1; }

# ---- what the tests need -------------------------------------------------
command -v node >/dev/null || die "node is not installed (Node.js 20 or later)"
[ "$(node -p 'process.versions.node.split(".")[0]')" -ge 20 ] || die "Node.js 20 or later is needed, not $(node --version)"
[ -x "$exportctl" ] || die "no exportctl binary at $exportctl (run 'make' first)"

if [ ! -x "$chromium" ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "browser tests: installing Debian's chromium"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null ||
      die "apt-get install chromium failed"
    # Japanese text in the screenshots (the regime data quotes its sources); optional.
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends fonts-ipafont-gothic \
      >/dev/null 2>&1 || true
  else
    die "$chromium is missing; as root: apt-get install chromium"
  fi
fi

if [ ! -d "$here/node_modules/playwright-core" ]; then
  echo "browser tests: npm ci"
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error) || die "npm ci failed"
fi

# ---- a throwaway world, removed on exit -----------------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/exportctl-browser.XXXXXX") || die "mktemp failed"
tests_pid="" smtp_pid="" serve_pid=""
cleanup() {
  local pid
  for pid in $tests_pid $serve_pid $smtp_pid; do
    kill -TERM "$pid" 2>/dev/null
  done
  for pid in $tests_pid $serve_pid $smtp_pid; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
  done
  mkdir -p "$artifacts"
  cp "$work"/*.log "$artifacts/" 2>/dev/null
  if [ "${KEEP:-0}" = 1 ]; then echo "browser tests: kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

rm -rf "$artifacts" && mkdir -p "$artifacts"
db="$work/exportctl.db"

# Wait up to $1 tenths of a second for the command after it to succeed;
# give up at once when it answers 2 (will never succeed).
wait_for() {
  local tries=$1 rc; shift
  for _ in $(seq "$tries"); do
    "$@"; rc=$?
    [ "$rc" = 0 ] && return 0
    [ "$rc" = 2 ] && return 1
    sleep 0.1
  done
  return 1
}

# Users (users.json: name, role, email, password).
node -e 'for (const u of require(process.argv[1])) console.log([u.name, u.role, u.email, u.password].join("\t"))' \
  "$here/users.json" > "$work/users.tsv" || die "cannot read users.json"
while IFS=$'\t' read -r name role email password; do
  printf '%s\n' "$password" | "$exportctl" users add "$name" --role "$role" --email "$email" \
    --password-stdin --db "$db" >>"$work/setup.log" 2>&1 || { cat "$work/setup.log" >&2; die "exportctl users add $name failed"; }
done < "$work/users.tsv"

# A company list with one fictitious denied party, compiled into the index
# the server screens parties against.
printf 'id,type,name,aliases,countries\nE2E-1,entity,NORDWIND PRECISION TRADING LLC,Nordwind Precision,KR\n' \
  > "$work/e2e-company-list.csv"
"$exportctl" lists build -o "$work/lists.idx" "$work/e2e-company-list.csv" >>"$work/setup.log" 2>&1 ||
  { cat "$work/setup.log" >&2; die "exportctl lists build failed"; }

# The SMTP sink.
node "$here/smtp-sink.js" --dir "$work/mail" --port-file "$work/smtp.port" >"$work/smtp.log" 2>&1 &
smtp_pid=$!
wait_for 100 test -s "$work/smtp.port" || die "the SMTP sink did not start: $(cat "$work/smtp.log")"
smtp_port=$(cat "$work/smtp.port")

# The server, on a port the system picks; it prints "listening on URL" once
# it accepts connections.
"$exportctl" serve --listen 127.0.0.1:0 --db "$db" --index "$work/lists.idx" \
  --smtp "smtp://127.0.0.1:$smtp_port" --mail-from "exportctl@example.test" \
  >"$work/serve.log" 2>&1 &
serve_pid=$!
listening() {
  kill -0 "$serve_pid" 2>/dev/null || return 2
  grep -qs '^listening on http://' "$work/serve.log" || return 1
}
wait_for 300 listening || { cat "$work/serve.log" >&2; die "exportctl serve did not start"; }
base=$(sed -n 's|^listening on \(http://[^ ]*\).*|\1|p' "$work/serve.log" | head -n 1)
base=${base%/}

# ---- the tests -------------------------------------------------------------
echo "browser tests: screenshots and logs go to ${artifacts#"$top"/}/"
# In the background, so that a signal reaches the trap at once.
BASE_URL="$base" MAIL_DIR="$work/mail" ARTIFACTS="$artifacts" CHROMIUM="$chromium" EXPORTCTL="$exportctl" \
  node "$here/tests.js" &
tests_pid=$!
wait "$tests_pid"
status=$?
tests_pid=""
exit $status
