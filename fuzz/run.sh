#!/usr/bin/env bash
# fuzz/run.sh SECONDS [TARGET...]: runs each fuzz target (default: every file in fuzz/src/bin/) for SECONDS, one
# after the other on one core (-jobs=1), starting from its committed seeds (fuzz/corpus-seeds/<target>/) and the
# corpus earlier runs grew (fuzz/corpus/<target>/, not committed). Prints libFuzzer's final numbers per target;
# exits 1 if any target found a crash (the input is then in fuzz/artifacts/<target>/).
#
# Needs the nightly toolchain (libFuzzer instrumentation); without it, says so plainly and exits 0.
set -euo pipefail
cd "$(dirname "$0")"
fuzz_dir=$PWD

CARGO_FUZZ_VERSION=0.13.2
secs=${1:?usage: fuzz/run.sh SECONDS [TARGET...]}
shift

if ! rustup run nightly rustc --version >/dev/null 2>&1; then
    echo "SKIPPED fuzzing: no nightly toolchain"
    exit 0
fi
if [ "$(cargo fuzz --version 2>/dev/null)" != "cargo-fuzz $CARGO_FUZZ_VERSION" ]; then
    cargo install cargo-fuzz --version "=$CARGO_FUZZ_VERSION" --locked
fi

if [ $# -gt 0 ]; then
    targets=("$@")
else
    targets=()
    for f in src/bin/*.rs; do
        targets+=("$(basename "$f" .rs)")
    done
fi

cargo +nightly fuzz build
failed=()
# libFuzzer's -jobs writes its job log (fuzz-0.log) into the current directory: run from a scratch one.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
for t in "${targets[@]}"; do
    mkdir -p "corpus/$t"
    seeds=()
    [ -d "corpus-seeds/$t" ] && seeds=("$fuzz_dir/corpus-seeds/$t")
    log="$scratch/$t.log"
    status=ok
    # -timeout: an input that takes over 10 s is a finding too (libFuzzer reports it as a timeout crash).
    if ! (cd "$scratch" && cargo +nightly fuzz run --fuzz-dir "$fuzz_dir" "$t" "$fuzz_dir/corpus/$t" \
        "${seeds[@]}" -- -max_total_time="$secs" -jobs=1 -print_final_stats=1 -timeout=10) >"$log" 2>&1; then
        status=CRASH
        failed+=("$t")
    fi
    stat() { grep -o "stat::$1: *[0-9]*" "$log" | tail -1 | grep -o '[0-9]*$' || echo '?'; }
    printf '%-14s %-5s %12s runs  %8s/s  %5s new units  corpus %5s inputs  peak %4s MB  (%s s)\n' \
        "$t" "$status" "$(stat number_of_executed_units)" "$(stat average_exec_per_sec)" \
        "$(stat new_units_added)" "$(find "corpus/$t" -type f | wc -l)" "$(stat peak_rss_mb)" "$secs"
    if [ "$status" = CRASH ]; then
        grep -E "panicked at|assertion|SUMMARY|Test unit written|error" "$log" | head -20 || true
        cp "$log" "artifacts/$t.log" 2>/dev/null && echo "full log: fuzz/artifacts/$t.log"
    fi
done

if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzzing found crashes in: ${failed[*]}"
    exit 1
fi
