#!/usr/bin/env bash
# Builds and runs the benchmarks against build directory $1 (default build)
# and prints one table.  Numbers depend on the machine and on what else it
# is doing; nothing here fails on a slow result.
#   bench/run.sh [BUILDDIR] [extra bench_rules options, e.g. --seconds 1]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
shift || true

if [ ! -f "$BUILD/build.ninja" ]; then
  echo "bench: $BUILD is not a configured build directory (run: meson setup $BUILD)" >&2
  exit 1
fi
ninja -C "$BUILD" exportctl bench/bench_rules >/dev/null

# Timings from a sanitizer or unoptimised build would mislead: say so, but run.
if grep -Eq -- '-fsanitize|(^| )-O0( |$)' "$BUILD/compile_commands.json" 2>/dev/null; then
  echo "bench: warning: $BUILD is a sanitizer or -O0 build; numbers are not representative" >&2
fi

exec "$BUILD/bench/bench_rules" --exportctl "$BUILD/exportctl" --data "$PWD/data" "$@"
