#!/usr/bin/env bash
# Runs the PostgreSQL store tests (and the users/audit commands) against a
# throw-away server: initdb in a temporary folder, a Unix socket there, no
# TCP port.  Skips (exit 77) where the server binaries are not installed
# (Debian package postgresql).  The server refuses to run as root, so as
# root it runs as the 'postgres' user.
#
# usage: pg.sh TEST_PG_BINARY EXPORTCTL
set -uo pipefail
test_bin=$1 exportctl=$2
bindir=$(pg_config --bindir 2>/dev/null)
for d in "$bindir" /usr/lib/postgresql/*/bin; do
  [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { bindir=$d; break; }
done
if [ ! -x "$bindir/initdb" ]; then
  echo "skip: no PostgreSQL server binaries (initdb)"; exit 77
fi
as=()
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || { echo "skip: running as root and no 'postgres' user"; exit 77; }
  as=(runuser -u postgres --)
fi
work=$(mktemp -d /tmp/ectl-pg-XXXXXX)
chmod 755 "$work"
[ ${#as[@]} -gt 0 ] && chown postgres "$work"
stop() {
  "${as[@]}" "$bindir/pg_ctl" -D "$work/data" -m immediate stop >/dev/null 2>&1
  rm -rf "$work"
}
trap stop EXIT
port=$((20000 + RANDOM % 20000))
"${as[@]}" "$bindir/initdb" -D "$work/data" -A trust -U ectl --no-sync >"$work/initdb.log" 2>&1 ||
  { cat "$work/initdb.log"; exit 1; }
"${as[@]}" "$bindir/pg_ctl" -D "$work/data" -l "$work/server.log" -w -t 60 \
  -o "-k $work -p $port -c listen_addresses='' -c fsync=off" start >/dev/null ||
  { cat "$work/server.log"; exit 1; }
url="postgresql:///postgres?host=$work&port=$port&user=ectl"

ECTL_TEST_PG_URL=$url "$test_bin" || exit 1

# The commands take the URL as --db like a path.  Start from an empty schema.
"$bindir/psql" -q "$url" -c "SET client_min_messages = warning; DROP SCHEMA public CASCADE; CREATE SCHEMA public" ||
  exit 1
fail=0
check() { # name pattern cmd...
  local name=$1 pattern=$2 out; shift 2
  if out=$("$@" 2>&1) && grep -Eq -- "$pattern" <<<"$out"; then echo "ok   $name"
  else echo "FAIL $name"; echo "$out"; fail=1; fi
}
check "users add" "added user alice" sh -c \
  "echo 'correct horse battery' | '$exportctl' users add alice --role admin --email a@example.com --password-stdin --db '$url'"
check "users disable" "disabled user alice" "$exportctl" users disable alice --db "$url"
check "users list" "alice +admin +disabled" "$exportctl" users list --db "$url"
check "audit verify" "^audit log intact: 2 entries" "$exportctl" audit verify --db "$url"
check "audit list" "user.disable" "$exportctl" audit list --db "$url"
exit $fail
