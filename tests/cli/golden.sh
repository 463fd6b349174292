#!/usr/bin/env bash
# Golden-file tests of the exportctl binary.
#
# Each case is tests/cli/cases/NAME.args: the arguments, one per line
# ("@DATA@" stands for the data directory, "@CASES@" for the cases
# directory).  NAME.expected holds the exit status, standard output and
# standard error the command must produce.  data_version values are masked,
# so that a data edit does not break every golden file; the regime data
# itself is checked by its own cases.
#
# usage: golden.sh EXPORTCTL DATA_DIR CASES_DIR [NAME...]
# UPDATE_GOLDEN=1 rewrites the .expected files instead of comparing.
set -uo pipefail
bin=$1 data=$2 cases=$3; shift 3
fail=0 n=0
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  for f in "$cases"/*.args; do names+=("$(basename "$f" .args)"); done
fi
for name in "${names[@]}"; do
  args=()
  while IFS= read -r line || [ -n "$line" ]; do
    line=${line//@DATA@/$data}; line=${line//@CASES@/$cases}
    args+=("$line")
  done <"$cases/$name.args"
  out=$(mktemp) err=$(mktemp)
  "$bin" "${args[@]}" >"$out" 2>"$err" </dev/null
  status=$?
  actual=$( { echo "status: $status"; echo "--- stdout"; cat "$out"; echo "--- stderr"; cat "$err"; } |
            sed -E 's/("data_version": "|data )[0-9-]+\+[0-9a-f]{16}/\1VERSION/g' |
            sed "s#$data#@DATA@#g; s#$cases#@CASES@#g")
  rm -f "$out" "$err"
  n=$((n + 1))
  if [ -n "${UPDATE_GOLDEN:-}" ]; then
    printf '%s\n' "$actual" >"$cases/$name.expected"
    echo "updated $name"
  elif ! diff -u "$cases/$name.expected" <(printf '%s\n' "$actual") >/tmp/golden.$$ 2>&1; then
    echo "FAIL $name"; cat /tmp/golden.$$; fail=$((fail + 1))
  else
    echo "ok   $name"
  fi
done
rm -f /tmp/golden.$$
echo "$((n - fail)) passed, $fail failed"
[ "$fail" -eq 0 ]
