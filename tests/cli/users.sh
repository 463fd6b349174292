#!/usr/bin/env bash
# Shell test of `exportctl users` and `exportctl audit` on a throw-away
# database: accounts, password input (stdin and a pseudo-terminal), the
# audit entries they leave, and tampering with the file behind our back
# (the sqlite3 command-line tool plays the forger).  docs/audit-log.md's
# Python verifier is run on the same files, so the documented hash cannot
# drift from the code.
#
# usage: users.sh EXPORTCTL SOURCE_ROOT
set -uo pipefail
bin=$1 root=$2
work=$(mktemp -d /tmp/ectl-users-XXXXXX)
trap 'rm -rf "$work"' EXIT
db=$work/var/state/exportctl.db
pass=0 fail=0

ok() { echo "ok   $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1"; shift; printf '     %s\n' "$@"; fail=$((fail + 1)); }

# expect NAME STATUS PATTERN CMD...: exit status STATUS and PATTERN (an
# extended regexp) somewhere in stdout+stderr.
expect() {
  local name=$1 want=$2 pattern=$3; shift 3
  local out status
  out=$("$@" 2>&1); status=$?
  if [ "$status" -ne "$want" ]; then
    bad "$name" "exit $status, expected $want" "$out"
  elif ! grep -Eq -- "$pattern" <<<"$out"; then
    bad "$name" "output lacks /$pattern/" "$out"
  else
    ok "$name"
  fi
}

add() { # name role email password
  printf '%s\n' "$4" | "$bin" users add "$1" --role "$2" --email "$3" --password-stdin --db "$db"
}

pw='correct horse battery staple'

# ---- accounts -----------------------------------------------------------------
expect "list before any database" 66 "no database at" "$bin" users list --db "$db"
expect "add alice" 0 "added user alice \(id 1, admin\)" add alice admin alice@example.com "$pw"
expect "folder is 0700" 0 "^700$" stat -c %a "$work/var/state"
expect "database is 0600" 0 "^600$" stat -c %a "$db"
expect "add bob" 0 "added user bob \(id 2, officer\)" add bob officer bob@example.com "$pw"
expect "weak password refused" 65 "password too short" add carol viewer carol@example.com short
expect "duplicate name refused" 65 "user 'alice' already has that name" add ALICE viewer other@example.com "$pw"
expect "duplicate email refused" 65 "already has that email" add carol viewer Bob@Example.com "$pw"
expect "bad role" 64 "--role must be" add carol root carol@example.com "$pw"
expect "bad name" 65 "user name" add "carol smith" viewer carol@example.com "$pw"
expect "no password source" 64 "--password-stdin" \
  "$bin" users add carol --role viewer --email carol@example.com --db "$db"
expect "empty stdin" 65 "no password" \
  "$bin" users add carol --role viewer --email carol@example.com --password-stdin --db "$db"
expect "unknown subcommand" 64 "not one of" "$bin" users frobnicate
expect "users --help" 0 "users add NAME" "$bin" users --help

# Typed at a terminal: two prompts, no echo, both must agree.
if command -v python3 >/dev/null; then
  tty_add() { # name password1 password2
    python3 - "$bin" "$db" "$@" <<'PY'
import os, pty, signal, sys
binary, db, name, first, second = sys.argv[1:]
pid, fd = pty.fork()
if pid:
    signal.alarm(30)  # never hang the suite on a prompt nobody answers
if pid == 0:
    os.execv(binary, [binary, "users", "add", name, "--role", "viewer",
                      "--email", name + "@example.com", "--db", db])
out, sent = b"", 0
while True:
    try:
        chunk = os.read(fd, 1024)
    except OSError:
        break
    if not chunk:
        break
    out += chunk
    prompts = out.count(b"password for") + out.count(b"Again:")
    while sent < prompts:
        os.write(fd, ((first, second)[sent] + "\n").encode())
        sent += 1
status = os.waitpid(pid, 0)[1]
text = out.decode(errors="replace")
print(text)
if first in text:
    print("PASSWORD ECHOED")
sys.exit(os.waitstatus_to_exitcode(status))
PY
  }
  expect "tty: passwords differ" 65 "differ" tty_add dave "$pw" "$pw-typo"
  out=$(tty_add dave "$pw" "$pw" 2>&1); status=$?
  if [ "$status" -eq 0 ] && grep -q "added user dave" <<<"$out" && ! grep -q "ECHOED" <<<"$out"; then
    ok "tty: prompt twice without echo"
  else
    bad "tty: prompt twice without echo" "exit $status" "$out"
  fi
else
  echo "skip tty tests (no python3)"
fi

expect "disable bob" 0 "disabled user bob" "$bin" users disable bob --db "$db"
expect "disable bob again" 0 "already disabled" "$bin" users disable bob --db "$db"
expect "disable nobody" 65 "no user named 'nobody'" "$bin" users disable nobody --db "$db"
expect "enable bob" 0 "enabled user bob" "$bin" users enable bob --db "$db"
expect "disable bob once more" 0 "disabled user bob" "$bin" users disable bob --db "$db"
expect "set-role bob" 0 "^user bob is now viewer$" "$bin" users set-role bob --role viewer --db "$db"
expect "set-role bob again" 0 "already viewer" "$bin" users set-role bob --role viewer --db "$db"
expect "set-role without --role" 64 "must be admin, officer or viewer" "$bin" users set-role bob --db "$db"
expect "set-role unknown role" 64 "must be admin" "$bin" users set-role bob --role owner --db "$db"
expect "set-role nobody" 65 "no user named 'nobody'" "$bin" users set-role nobody --role admin --db "$db"
expect "list" 0 "bob +viewer +disabled +bob@example.com" "$bin" users list --db "$db"
expect "list shows alice active" 0 "alice +admin +active" "$bin" users list --db "$db"
expect "list --json" 0 '"disabled": true' "$bin" users list --json --db "$db"

# ---- the audit log ---------------------------------------------------------------
# alice, bob, dave created; bob disabled, enabled, disabled, made a viewer: 7 entries.
expect "verify intact" 0 "^audit log intact: 7 entries$" "$bin" audit verify --db "$db"
expect "verify prints the head" 0 "^last entry 7, hash [0-9a-f]{64}$" "$bin" audit verify --db "$db"
expect "verify --json" 0 '"intact": true' "$bin" audit verify --json --db "$db"
expect "list user changes" 0 "user\.disable +user:2" \
  "$bin" audit list --actor cli --action user. --db "$db"
expect "role change audited" 0 '"previous_role": "officer"' \
  "$bin" audit list --action user.role --json --db "$db"
expect "list --limit" 0 '"seq": 7' "$bin" audit list --limit 1 --json --db "$db"
n=$("$bin" audit list --limit 2 --db "$db" | wc -l)
[ "$n" -eq 3 ] && ok "list --limit 2 prints 2 entries" || bad "list --limit 2" "$n lines"
n=$("$bin" audit list --action user.create --json --db "$db" | grep -c '"action": "user.create"')
[ "$n" -eq 3 ] && ok "list --action filters" || bad "list --action filters" "$n entries"
expect "list detail names the os user" 0 '"os_user": ' "$bin" audit list --json --db "$db"
expect "bad --limit" 64 "wants a number" "$bin" audit list --limit many --db "$db"
expect "audit --help" 0 "audit verify" "$bin" audit --help

# The documented verifier agrees.
script=$work/audit-verify.py
sed -n '/<!-- audit-verify.py -->/,/^```$/p' "$root/docs/audit-log.md" | sed '1,2d;$d' >"$script"
if command -v python3 >/dev/null; then
  expect "documented script: intact" 0 "^intact: 7 entries" python3 "$script" "$db"
fi

# ---- tampering ---------------------------------------------------------------------
if command -v sqlite3 >/dev/null; then
  copy=$work/tampered.db
  cp "$db" "$copy"
  out=$(sqlite3 "$copy" "UPDATE audit_log SET actor = 'mallory' WHERE seq = 2" 2>&1)
  [ $? -ne 0 ] && grep -q "append-only" <<<"$out" && ok "triggers refuse an update" ||
    bad "triggers refuse an update" "$out"
  sqlite3 "$copy" "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;"
  sqlite3 "$copy" "UPDATE audit_log SET detail_json = '{\"name\":\"eve\"}' WHERE seq = 2"
  expect "altered entry found" 65 "^audit log broken at entry 2: contents do not match" \
    "$bin" audit verify --db "$copy"
  expect "altered entry (json)" 65 '"first_bad": 2' "$bin" audit verify --json --db "$copy"
  command -v python3 >/dev/null &&
    expect "documented script: altered" 1 "broken at entry 2" python3 "$script" "$copy"

  cp "$db" "$copy"
  sqlite3 "$copy" "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq = 4;"
  expect "deleted entry found" 65 "^audit log broken at entry 4: entry 4 is missing" \
    "$bin" audit verify --db "$copy"
  command -v python3 >/dev/null &&
    expect "documented script: deleted" 1 "broken at entry 4" python3 "$script" "$copy"

  cp "$db" "$copy"
  sqlite3 "$copy" "INSERT INTO schema_migrations VALUES (999, 'future', 0)"
  expect "newer schema refused" 74 "newer than this exportctl" "$bin" audit verify --db "$copy"
else
  bad "tampering" "the sqlite3 command-line tool is missing (Debian package sqlite3)"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
