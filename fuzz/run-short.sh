#!/usr/bin/env bash
# The short fuzz run scripts/test-all makes: every target for FUZZ_SECONDS (default 25) seconds, one at a time.
# Prints "SKIPPED fuzzing: no nightly toolchain" when there is none. Long runs: fuzz/run.sh 600.
set -euo pipefail
exec "$(dirname "$0")/run.sh" "${FUZZ_SECONDS:-25}" "$@"
