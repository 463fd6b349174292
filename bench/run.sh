#!/usr/bin/env bash
# Builds and runs the benchmarks against build directory $1 (default build)
# and prints their tables: bench_rules, then bench_screen.  Numbers depend on
# the machine and on what else it is doing; nothing here fails on a slow
# result.
#   bench/run.sh [BUILDDIR] [extra bench_rules options, e.g. --seconds 1]
# Environment:
#   BENCH_ONLY=rules|screen|load   run one of the three
#   BENCH_SCREEN_OPTS="..."   options for bench_screen, e.g. "--synthetic 0 --no-pg"
#                             (see docs/screening-bench.md)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
shift || true

if [ ! -f "$BUILD/build.ninja" ]; then
  echo "bench: $BUILD is not a configured build directory (run: meson setup $BUILD)" >&2
  exit 1
fi
ONLY=${BENCH_ONLY:-all}
targets=(exportctl bench/bench_rules)
# bench_screen is built only where libpq is found (meson.build says why).
if { [ "$ONLY" = all ] || [ "$ONLY" = screen ]; } && ninja -C "$BUILD" -t targets all 2>/dev/null | grep -q '^bench/bench_screen:'; then
  targets+=(bench/bench_screen)
elif [ "$ONLY" = all ] || [ "$ONLY" = screen ]; then
  echo "bench: bench_screen is not configured in $BUILD (it needs libpq: apt-get install libpq-dev, then meson setup --reconfigure $BUILD)" >&2
fi
ninja -C "$BUILD" "${targets[@]}" >/dev/null

# Timings from a sanitizer or unoptimised build would mislead: say so, but run.
if grep -Eq -- '-fsanitize|(^| )-O0( |$)' "$BUILD/compile_commands.json" 2>/dev/null; then
  echo "bench: warning: $BUILD is a sanitizer or -O0 build; numbers are not representative" >&2
fi

if [ "$ONLY" = all ] || [ "$ONLY" = rules ]; then
  "$BUILD/bench/bench_rules" --exportctl "$BUILD/exportctl" --data "$PWD/data" "$@"
fi
if { [ "$ONLY" = all ] || [ "$ONLY" = screen ]; } && [ -x "$BUILD/bench/bench_screen" ]; then
  # shellcheck disable=SC2086 # the options are words on purpose
  "$BUILD/bench/bench_screen" ${BENCH_SCREEN_OPTS:-}
fi
# The HTTP service under wrk: determine, screen and checks on loopback.
if [ "$ONLY" = all ] || [ "$ONLY" = load ]; then
  bench/load.sh "$BUILD"
fi
