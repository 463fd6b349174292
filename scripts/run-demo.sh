#!/usr/bin/env bash
# `make run`: the HTTP service on an embedded SQLite database, with the
# bundled rule data and a small demo screening index, in the foreground
# until Ctrl-C.
#
#   scripts/run-demo.sh [BUILDDIR] [HOST:PORT]      (defaults: build 127.0.0.1:8080)
#
# Everything it makes lives in var/ (git-ignored):
#   var/demo-index.ectl     built from examples/demo-list.csv (fictitious names)
#                           and, when present, the real UN consolidated list in
#                           ../shared/data/lists/un/; rebuilt when a source changes
#   var/exportctl.db        accounts, sessions, checks and the audit log; made on
#                           the first run with the admin account "admin"
#   var/admin-password.txt  that account's random password (mode 0600), so that
#                           a later run can print it again; the service itself
#                           keeps only its Argon2id hash
# Environment:
#   SMTP=smtp://HOST:PORT   where lost-password mail goes (exportctl serve --smtp);
#                           without it no mail is sent
#   ADMIN_EMAIL=ADDR        the admin's e-mail address on first run
#                           (default admin@example.com)
# Loopback addresses only: this is a demo with a printed password.
set -euo pipefail

BUILD=${1:-build}
LISTEN=${2:-127.0.0.1:8080}
case $BUILD in /*) ;; *) BUILD="$PWD/$BUILD" ;; esac
cd "$(dirname "$0")/.."
EXPORTCTL="$BUILD/exportctl"
VAR=var
DB="$VAR/exportctl.db"
INDEX="$VAR/demo-index.ectl"
PWFILE="$VAR/admin-password.txt"
DEMO_LIST=examples/demo-list.csv
UN_LIST=../shared/data/lists/un/un_consolidated_2026-02-27.xml
ADMIN="admin"
ADMIN_EMAIL=${ADMIN_EMAIL:-admin@example.com}

die() {
  echo "make run: $*" >&2
  exit 1
}

[ -x "$EXPORTCTL" ] || die "$EXPORTCTL is missing (build first: make build)"

# ---- where to listen: loopback only -----------------------------------------
if [[ $LISTEN =~ ^\[([^]]+)\]:([0-9]+)$ ]] || [[ $LISTEN =~ ^([^:]+):([0-9]+)$ ]]; then
  host=${BASH_REMATCH[1]} port=${BASH_REMATCH[2]}
else
  die "LISTEN must be HOST:PORT or [V6]:PORT, not '$LISTEN'"
fi
case $host in
  127.* | localhost | ::1) ;;
  *) die "LISTEN=$LISTEN is not a loopback address; the demo serves 127.0.0.1, localhost or [::1] only" ;;
esac
[ "$port" -le 65535 ] || die "LISTEN=$LISTEN: no such port"
if [ "$port" != 0 ]; then
  connect_host=$host
  [ "$host" = localhost ] && connect_host=127.0.0.1
  # Something accepting connections there means the server could not bind.
  if timeout 2 bash -c "exec 3<>/dev/tcp/$connect_host/$port" 2>/dev/null; then
    die "port $port on $host is taken (another 'make run' or another program is listening there).
  Stop it, or choose another port:  make run LISTEN=127.0.0.1:8081"
  fi
fi

umask 077
mkdir -p "$VAR"
chmod 700 "$VAR"

# ---- the demo screening index -----------------------------------------------
sources=("$DEMO_LIST")
[ -f "$UN_LIST" ] && sources+=("$UN_LIST")
stamp="$VAR/demo-index.sources"
rebuild=0
# Also when this build refuses the index (an index of another format
# version, or a damaged file): the library may have changed without the
# binary being relinked.
if [ ! -s "$INDEX" ] || [ "$(cat "$stamp" 2>/dev/null)" != "${sources[*]}" ] ||
  [ "$EXPORTCTL" -nt "$INDEX" ] || ! "$EXPORTCTL" lists info --index "$INDEX" >/dev/null 2>&1; then
  rebuild=1
else
  for s in "${sources[@]}"; do [ "$s" -nt "$INDEX" ] && rebuild=1; done
fi
if [ "$rebuild" = 1 ]; then
  log="$VAR/demo-index.log"
  if ! "$EXPORTCTL" lists build -o "$INDEX" "${sources[@]}" >"$log" 2>&1; then
    cat "$log" >&2
    die "could not build the screening index $INDEX"
  fi
  printf '%s' "${sources[*]}" >"$stamp"
fi

# ---- the database and its admin --------------------------------------------
new_password() {
  local pw=""
  while [ ${#pw} -lt 20 ]; do
    pw+=$(head -c 256 /dev/urandom | LC_ALL=C tr -dc 'A-Za-z0-9')
  done
  printf '%s' "${pw:0:20}"
}

first_run=0
if [ ! -e "$DB" ]; then
  first_run=1
  password=$(new_password)
  if ! printf '%s\n' "$password" |
    "$EXPORTCTL" users add "$ADMIN" --role admin --email "$ADMIN_EMAIL" --password-stdin \
      --db "$DB" >/dev/null; then
    rm -f "$DB" "$DB-wal" "$DB-shm"
    die "could not create $DB with the admin account"
  fi
  printf '%s\n' "$password" >"$PWFILE.tmp"
  chmod 600 "$PWFILE.tmp"
  mv -f "$PWFILE.tmp" "$PWFILE"
elif [ -r "$PWFILE" ]; then
  password=$(head -n 1 "$PWFILE")
else
  password=""
fi

# ---- what to tell the user --------------------------------------------------
sources_shown=""
for s in "${sources[@]}"; do sources_shown+=" + $s"; done
if [ "$port" = 0 ]; then
  url="http://$LISTEN (the port is on the 'listening on' line below)"
  base='http://HOST:PORT'
else
  url="http://$LISTEN"
  base="http://$LISTEN"
fi
shown_pw=${password:-'(not saved here: var/admin-password.txt is missing; to start over, stop the server and rm -r var)'}
q_pw=${password:-PASSWORD}

cat <<EOF

== exportctl demo service
   URL:       $url   (web UI at /, API under /api/v1/, description at /openapi.json)
   user:      $ADMIN (role admin)
   password:  $shown_pw
EOF
if [ "$first_run" = 1 ]; then
  echo "              (new random password, shown now and saved in $PWFILE, mode 0600)"
else
  echo "              (from $PWFILE, made on the first run; if you changed it since, that file is stale)"
fi
cat <<EOF
   database:  $DB (SQLite; every sign-in, determination and screening goes to its audit log)
   screening: $INDEX from ${sources_shown# + }

Sign in (prints the CSRF token that cookie-authenticated POSTs must send):
  CSRF=\$(curl -s -c var/cookies.txt -H 'Content-Type: application/json' \\
    -d '{"username":"$ADMIN","password":"$q_pw"}' $base/api/v1/session \\
    | sed -E 's/.*"csrf_token":"([0-9a-f]+)".*/\1/'); echo "\$CSRF"

Determine (resist to South Korea on 2019-09-01):
  curl -s -b var/cookies.txt -H "X-CSRF-Token: \$CSRF" -H 'Content-Type: application/json' \\
    -d '{"regime":"jp","items":["3C002"],"destination":"KR","date":"2019-09-01"}' \\
    $base/api/v1/determine

More (API tokens, roles, screening, checks, the audit log): docs/service.md
EOF
smtp_args=()
if [ -n "${SMTP:-}" ]; then
  smtp_args=(--smtp "$SMTP")
  echo "Lost-password mail goes to $SMTP (for $ADMIN: $ADMIN_EMAIL)."
else
  cat <<EOF
Lost-password mail needs an SMTP server (exportctl serve --smtp); none is set, so no
mail is sent.  For a local one:  python3 -m aiosmtpd -n -l 127.0.0.1:2525  (prints each mail)
and then:  make run SMTP=smtp://127.0.0.1:2525
EOF
fi
echo "Ctrl-C stops the server."
echo

exec "$EXPORTCTL" serve --listen "$LISTEN" --db "$DB" --index "$INDEX" "${smtp_args[@]}"
