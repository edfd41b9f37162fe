#!/usr/bin/env bash
# The C tests of bindings/c, run by scripts/test-all. Needs gcc, g++, valgrind, pkg-config, cmake, python3 and
# the pinned cbindgen (scripts/test-all installs them); a missing tool stops the run, nothing is skipped.
#
#  1. the committed header equals what the pinned cbindgen generates now
#  2. tests/c/test_aic.c (C99, -Wall -Wextra -pedantic -Werror) against the static and the shared library
#  3. the header as C++17 (-Wall -Wextra -Werror), linked and run
#  4. test_aic under AddressSanitizer + UndefinedBehaviorSanitizer (static and shared)
#  5. test_aic under valgrind: no errors, no leaks of any kind (static and shared)
#  6. every function under valgrind's heap counter: no allocation at all, except aic_decode_payload_json, which
#     must free every allocation it makes (as many frees as allocations, nothing in use at exit)
#  7. differential: every HTTP status 100-599, every code, name and alias and a sample of Device Update codes
#     through the C API equal the Rust CLI's answer; aic_decode_json equals `iotcode decode --json` byte for
#     byte under three narrowings; aic_decode_payload_json equals it byte for byte under four narrowings
#     (Retry-After included) for every fixture of the repository (whole and cut), edge cases and every code
#  8. install.sh into a temporary prefix; the example builds with pkg-config (shared, static) and with CMake
#     (shared, static) and runs
#  9. the C example in README.md compiles and prints what it says
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
# shellcheck source=cbindgen-version.sh
. "$here/cbindgen-version.sh"

step() { printf '\n==> C API: %s\n' "$*"; }
fail() {
    printf 'bindings/c/test.sh: %s\n' "$*" >&2
    exit 1
}
for tool in gcc g++ valgrind pkg-config cmake python3; do
    command -v "$tool" >/dev/null || fail "$tool is not installed (scripts/test-all installs it)"
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

step "header is up to date (cbindgen $CBINDGEN_VERSION)"
require_cbindgen
cbindgen --quiet --config "$here/cbindgen.toml" --crate azure-iot-codes-c --output "$work/azure_iot_codes.h" "$here"
if ! diff -u "$here/include/azure_iot_codes.h" "$work/azure_iot_codes.h"; then
    fail "include/azure_iot_codes.h differs from what cbindgen generates: run bindings/c/update-header.sh and commit"
fi

step "build libazure_iot_codes.a / .so (release) and iotcode"
# Two builds, not one `-p A -p B`: unifying iotcode's features into the library's build would give another
# archive than the one install.sh (which builds the library alone) installs.
cargo build --release -p azure-iot-codes-c
cargo build --release -p iotcode
target_dir="$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')"
lib="$target_dir/release"
static_lib="$lib/libazure_iot_codes.a"
# What the Rust standard library in the archive needs (`rustc --print native-static-libs`).
static_deps=(-lgcc_s -lutil -lrt -lpthread -lm -ldl)
cflags=(-std=c99 -Wall -Wextra -pedantic -Werror -g -I "$here/include")
test_src="$here/tests/c/test_aic.c"

build_pair() { # build_pair NAME EXTRA_FLAGS...: NAME-static and NAME-shared
    local name="$1"
    shift
    gcc "${cflags[@]}" "$@" "$test_src" "$static_lib" "${static_deps[@]}" -o "$work/$name-static"
    gcc "${cflags[@]}" "$@" "$test_src" -L "$lib" -Wl,-rpath,"$lib" -lazure_iot_codes -lpthread -o "$work/$name-shared"
}

step "C99 test program, static and shared"
build_pair test_aic
# (ldd output is captured first: `ldd | grep -q` can fail under pipefail when grep stops reading early.)
if grep -q libazure_iot_codes <<<"$(ldd "$work/test_aic-static")"; then
    fail "test_aic-static is linked against the shared library"
fi
grep -q "libazure_iot_codes.so => $lib/libazure_iot_codes.so" <<<"$(ldd "$work/test_aic-shared")" ||
    fail "test_aic-shared does not load $lib/libazure_iot_codes.so"
"$work/test_aic-static"
"$work/test_aic-shared"

step "header as C++17"
g++ -std=c++17 -Wall -Wextra -pedantic -Werror -I "$here/include" "$here/tests/c/test_header.cpp" \
    "$static_lib" "${static_deps[@]}" -o "$work/test_header"
"$work/test_header"

step "AddressSanitizer + UndefinedBehaviorSanitizer"
# The Rust library is built normally (not instrumented); the C side is. ASan's runtime must come first in the
# link, which gcc does with -fsanitize at link time; nothing else is needed for the Rust archive.
build_pair test_aic-asan -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
"$work/test_aic-asan-static"
"$work/test_aic-asan-shared"
unset ASAN_OPTIONS UBSAN_OPTIONS

step "valgrind (no errors, no leaks of any kind)"
for variant in static shared; do
    valgrind --quiet --error-exitcode=1 --leak-check=full --show-leak-kinds=all --errors-for-leak-kinds=all \
        "$work/test_aic-$variant"
done

step "no heap allocation in any function (valgrind heap summary)"
gcc "${cflags[@]}" "$here/tests/c/no_alloc.c" "$static_lib" "${static_deps[@]}" -o "$work/no_alloc"
valgrind --error-exitcode=1 "$work/no_alloc" 2>"$work/no_alloc.log" || fail "no_alloc: $(cat "$work/no_alloc.log")"
grep -q "total heap usage: 0 allocs, 0 frees, 0 bytes allocated" "$work/no_alloc.log" ||
    fail "the library allocated: $(grep 'total heap usage' "$work/no_alloc.log")"
echo "no_alloc: 1 passed, 0 failed (total heap usage: 0 allocs)"
# aic_decode_payload_json allocates while it decodes: every fixture through it, and every block freed.
: >"$work/no-codes.txt"
python3 "$here/tests/differential.py" payload-inputs "$root" "$work/no-codes.txt" "$work/fixtures.bin"
valgrind --error-exitcode=1 --leak-check=full --show-leak-kinds=all --errors-for-leak-kinds=all \
    "$work/test_aic-static" --dump-payload-json "$work/fixtures.bin" any any any 0 7 0 >/dev/null 2>"$work/payload_alloc.log" ||
    fail "aic_decode_payload_json under valgrind: $(cat "$work/payload_alloc.log")"
heap="$(grep 'total heap usage' "$work/payload_alloc.log" | sed 's/^==[0-9]*== *//')"
allocs="$(sed -n 's/.*total heap usage: \([0-9,]*\) allocs, \([0-9,]*\) frees.*/\1 \2/p' <<<"$heap" | tr -d ,)"
read -r n_allocs n_frees <<<"$allocs"
[ -n "$n_allocs" ] && [ "$n_allocs" = "$n_frees" ] && grep -q "in use at exit: 0 bytes in 0 blocks" "$work/payload_alloc.log" ||
    fail "aic_decode_payload_json did not free what it allocated: $heap"
echo "payload_alloc: 1 passed, 0 failed (aic_decode_payload_json over $(tr -cd '\0' <"$work/fixtures.bin" | wc -c) inputs, $heap)"

step "differential: C API answers equal the Rust CLI's for every status 100-599, every catalogue code and a sample of Device Update codes"
python3 "$here/tests/differential.py" inputs "$lib/iotcode" >"$work/inputs.txt"
python3 "$here/tests/differential.py" expected "$lib/iotcode" "$work/inputs.txt" >"$work/rust.tsv"
"$work/test_aic-static" --dump "$work/inputs.txt" >"$work/c.tsv"
diff -u "$work/rust.tsv" "$work/c.tsv" || fail "the C API and the Rust CLI disagree (- Rust, + C)"
printf 'differential: %s passed, 0 failed\n' "$(wc -l <"$work/inputs.txt" | tr -d ' ')"
# aic_decode_json against `iotcode decode --json`, byte for byte, under three narrowings (each with the retry
# object of every match, seeded).
same_json() { # same_json CATALOGUE SERVICE AGENT_VERSION SEED CLI_OPTION...
    local c="$1" s="$2" v="$3" seed="$4"
    shift 4
    "$work/test_aic-static" --dump-json "$work/inputs.txt" "$c" "$s" "$v" "$seed" >"$work/c.json"
    python3 "$here/tests/differential.py" same-json "$lib/iotcode" "$work/inputs.txt" "$work/c.json" "$@" ||
        fail "aic_decode_json and iotcode decode --json $* disagree"
}
same_json any any any 0
same_json any dps 1.0.2 42 --service dps --agent-version 1.0.2 --seed 42
same_json du-extended-result-code device-update 0.7.0 9 --catalogue du-extended-result-code \
    --service device-update --agent-version 0.7.0 --seed 9
# aic_decode_payload_json against `iotcode decode --json`, byte for byte: every fixture (whole and cut), the edge
# cases of differential.py and every code above, under four narrowings (a Retry-After header in two of them:
# seconds, and an HTTP-date in the past, which reads the same whatever the clock).
python3 "$here/tests/differential.py" payload-inputs "$root" "$work/inputs.txt" "$work/payload-inputs.bin"
same_payload_json() { # same_payload_json CATALOGUE SERVICE AGENT_VERSION SEED RETRY_AFTER CLI_OPTION...
    local c="$1" s="$2" v="$3" seed="$4" retry_after="$5"
    shift 5
    "$work/test_aic-static" --dump-payload-json "$work/payload-inputs.bin" "$c" "$s" "$v" "$seed" "$retry_after" \
        "$(date +%s)" >"$work/c-payload.json"
    python3 "$here/tests/differential.py" same-payload-json "$lib/iotcode" "$work/payload-inputs.bin" \
        "$work/c-payload.json" "$@" || fail "aic_decode_payload_json and iotcode decode --json $* disagree"
}
same_payload_json any any any 0 none
same_payload_json any dps 1.0.2 42 7 --service dps --agent-version 1.0.2 --seed 42 --retry-after 7
same_payload_json du-extended-result-code device-update 0.7.0 9 none --catalogue du-extended-result-code \
    --service device-update --agent-version 0.7.0 --seed 9
past="Wed, 21 Oct 2015 07:28:00 GMT"
same_payload_json any iot-central any 5 "$past" --service iot-central --seed 5 --retry-after "$past"

step "install, pkg-config and CMake builds of the example"
"$here/install.sh" "$work/prefix" >/dev/null
export PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig"
pkg-config --exists --print-errors "azure_iot_codes = $(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)"
example="$here/examples/aic_decode.c"
# shellcheck disable=SC2046 # word splitting of pkg-config output is intended
gcc "${cflags[@]}" "$example" $(pkg-config --cflags --libs azure_iot_codes) -Wl,-rpath,"$work/prefix/lib" \
    -o "$work/example-pc-shared"
# shellcheck disable=SC2046
gcc "${cflags[@]}" "$example" $(pkg-config --cflags --libs azure_iot_codes-static) -o "$work/example-pc-static"
cmake -S "$here/examples" -B "$work/cmake-build" -DCMAKE_PREFIX_PATH="$work/prefix" \
    -DCMAKE_C_FLAGS="-Wall -Wextra -pedantic -Werror" >/dev/null
cmake --build "$work/cmake-build" >/dev/null
for exe in "$work/example-pc-shared" "$work/example-pc-static" "$work/cmake-build/aic_decode" \
    "$work/cmake-build/aic_decode_static"; do
    out="$("$exe" 401002)"
    grep -q "IotHubUnauthorizedAccess" <<<"$out" || fail "$exe 401002 printed: $out"
    json="$("$exe" --json --catalogue auth-suberror 401002)"
    python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["matches"][0]["catalogue"]=="auth-suberror", d' "$json" ||
        fail "$exe --json printed: $json"
    json="$("$exe" --json '$dps/registrations/res/429/?$rid=1&retry-after=5')"
    python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["payload"]["retry"]["delay_ms"]==5000, d' "$json" ||
        fail "$exe --json with a topic printed: $json"
    if "$exe" 999 2>/dev/null; then fail "$exe 999 exited 0"; fi
done
grep -q "libazure_iot_codes.so => $work/prefix/lib/" <<<"$(ldd "$work/cmake-build/aic_decode")" ||
    fail "the CMake-built example does not load the installed shared library"
echo "example: built with pkg-config and CMake, shared and static, and ran"

step "README example"
python3 - "$here/README.md" >"$work/readme_example.c" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
block = re.search(r"## Use\n\n```c\n(.*?)```", text, re.S)
if block is None:
    sys.exit("bindings/c/README.md has no C block under '## Use'")
print(block.group(1))
PY
gcc "${cflags[@]}" "$work/readme_example.c" "$static_lib" "${static_deps[@]}" -o "$work/readme_example"
grep -q "^\[service-error\] 401002 IotHubUnauthorizedAccess" <<<"$("$work/readme_example")" ||
    fail "the README example did not print the 401002 service error"
echo "README example: 1 passed, 0 failed"

printf '\nC API: all tests passed\n'
