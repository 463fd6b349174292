#!/usr/bin/env bash
# Runs everything `make test` promises, in order, and ends with one line
# "tests: N passed, M failed":
#   1. unit, CLI and HTTP tests in the normal build (-Wall -Wextra -Werror),
#      then the browser tests (Playwright driving Debian's Chromium)
#   2. the same suite built with AddressSanitizer + UndefinedBehaviorSanitizer
#   3. the tests that run threads, built with ThreadSanitizer
#   4. each libFuzzer harness for a bounded time, from its seed corpus
set -uo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build} ASAN=${2:-build-asan} FUZZ=${3:-build-fuzz} FUZZ_SECONDS=${4:-20}
TSAN=${5:-build-tsan}
passed=0 failed=0

count() { # builddir: add the results of its last meson test run
  local log="$1/meson-logs/testlog.json" ok bad
  ok=$(grep -c '"result": "OK"' "$log" 2>/dev/null || true)
  bad=$(grep -Ec '"result": "(FAIL|TIMEOUT|ERROR|UNEXPECTEDPASS)"' "$log" 2>/dev/null || true)
  passed=$((passed + ${ok:-0})); failed=$((failed + ${bad:-0}))
}

suite() { # builddir label
  echo "== $2"
  meson test -C "$1" --print-errorlogs --num-processes 2 || true
  count "$1"
}

suite "$BUILD" "unit, CLI and HTTP tests"

echo "== browser tests (headless Chromium, Playwright)"
tests/browser/run.sh "$BUILD" >"$BUILD/browser.log" 2>&1
cat "$BUILD/browser.log"
last=$(tail -n 1 "$BUILD/browser.log")
if [[ $last =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
  passed=$((passed + BASH_REMATCH[1])); failed=$((failed + BASH_REMATCH[2]))
else
  echo "browser tests did not finish"; failed=$((failed + 1))
fi

echo "== ASan + UBSan build"
if [ ! -f "$ASAN/build.ninja" ]; then
  meson setup "$ASAN" --buildtype=debug -Db_sanitize=address,undefined -Db_lundef=false >/dev/null
fi
if ninja -C "$ASAN" >/dev/null; then
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    suite "$ASAN" "unit and CLI tests under ASan + UBSan"
else
  echo "ASan build failed"; failed=$((failed + 1))
fi

# The screening threads share an index, a pool of ended threads' states and
# a lock-free table of Han readings; the store's tests write from several
# threads.  TSan fails a test that races (its exit code 66).
echo "== ThreadSanitizer"
if [ ! -f "$TSAN/build.ninja" ]; then
  meson setup "$TSAN" --buildtype=debugoptimized -Db_sanitize=thread >/dev/null
fi
if ninja -C "$TSAN" exportctl tests/unit/screen/norm/test_norm \
     tests/unit/screen/index/test_index_screen tests/unit/store/test_store_store \
     tests/unit/store/test_store_audit tests/unit/store/test_store_pg >/dev/null; then
  TSAN_OPTIONS=halt_on_error=1 meson test -C "$TSAN" --no-rebuild --print-errorlogs \
    --num-processes 2 norm index-screen store-store store-audit store-pg || true
  count "$TSAN"
else
  echo "TSan build failed"; failed=$((failed + 1))
fi

echo "== fuzzing (${FUZZ_SECONDS}s per harness)"
if [ ! -f "$FUZZ/build.ninja" ]; then
  CC=clang meson setup "$FUZZ" --buildtype=debugoptimized -Dfuzz=true -Dtests=false \
    -Db_sanitize=address,undefined -Db_lundef=false >/dev/null
fi
if ninja -C "$FUZZ" >/dev/null; then
  for h in "$FUZZ"/fuzz/fuzz_* "$FUZZ"/fuzz/*/fuzz_*; do
    [ -f "$h" ] && [ -x "$h" ] || continue # not the fuzz_*.p object folders
    name=$(basename "$h"); seeds="fuzz/corpus/${name#fuzz_}"
    if [ ! -d "$seeds" ]; then
      echo "FAIL $name: no seed corpus at $seeds"; failed=$((failed + 1)); continue
    fi
    work=$(mktemp -d)
    if "$h" -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=2048 -print_final_stats=0 \
         -artifact_prefix="$work/" "$work" "$seeds" >"$work/log" 2>&1; then
      echo "ok   $name ($(grep -Eo '#[0-9]+' "$work/log" | tail -1 | tr -d '#') runs)"
      passed=$((passed + 1))
    else
      echo "FAIL $name"; tail -40 "$work/log"; failed=$((failed + 1))
    fi
    rm -rf "$work"
  done
else
  echo "fuzz build failed"; failed=$((failed + 1))
fi

echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
