#!/usr/bin/env bash
# The README's examples must work as printed.  Every ```console block of
# README.md is run: a line "$ ./build/exportctl ARGS" runs the binary under test, and the
# lines after it, up to the next "$ " line or the end of the block, are the
# output it must print (stdout then stderr).  data_version values are
# masked as in golden.sh.  A block that starts with "$ make" is skipped:
# those are the setup commands, which the test suite itself runs.
# usage: readme.sh EXPORTCTL README.md
set -uo pipefail
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1") readme=$2
cd "$(dirname "$readme")"
n=0 fail=0
mask() { sed -E 's/(data )[0-9-]+\+[0-9a-f]{16}/\1VERSION/g; s/("data_version": ")[0-9-]+\+[0-9a-f]{16}/\1VERSION/g'; }
check() {
  [ -n "$cmd" ] || return 0
  n=$((n + 1))
  local actual
  # "VAR=value ./build/exportctl ARGS": the assignments apply to that run
  local envs=${cmd%%./build/exportctl*} args=${cmd#*./build/exportctl }
  actual=$(eval "env $envs \"$bin\" $args" 2>&1 </dev/null | mask)
  if [ "$actual" != "$(printf '%s' "$expected" | mask)" ]; then
    echo "FAIL: \$ $cmd"
    diff <(printf '%s\n' "$expected" | mask) <(printf '%s\n' "$actual") | head -20
    fail=$((fail + 1))
  else
    echo "ok   \$ $cmd"
  fi
}
inblock=0 cmd="" expected=""
while IFS= read -r line || [ -n "$line" ]; do
  if [ $inblock -eq 0 ]; then
    [ "$line" = '```console' ] && inblock=1 cmd="" expected=""
    continue
  fi
  if [ "$line" = '```' ]; then check; inblock=0 cmd=""; continue; fi
  if [[ $line == '$ '* ]]; then
    check
    cmd=${line#\$ } expected=""
    [[ $cmd =~ ^([A-Z_]+=[^\ ]+\ )*\./build/exportctl ]] || cmd=""
    continue
  fi
  [ -n "$cmd" ] && expected+="${expected:+$'\n'}$line"
done <"$readme"
echo "$((n - fail)) passed, $fail failed"
[ $fail -eq 0 ] && [ $n -gt 0 ]
