#!/usr/bin/env bash
# Builds the C library (release) and installs it under PREFIX:
#   PREFIX/include/azure_iot_codes.h
#   PREFIX/lib/libazure_iot_codes.a, PREFIX/lib/libazure_iot_codes.so
#   PREFIX/lib/pkgconfig/azure_iot_codes.pc, azure_iot_codes-static.pc
#   PREFIX/lib/cmake/azure_iot_codes/azure_iot_codesConfig.cmake, azure_iot_codesConfigVersion.cmake
# Usage: bindings/c/install.sh PREFIX
set -euo pipefail
if [ $# -ne 1 ]; then
    echo "usage: $0 PREFIX" >&2
    exit 2
fi
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
mkdir -p "$1"
prefix="$(cd "$1" && pwd)"

cargo build --release --manifest-path "$root/Cargo.toml" -p azure-iot-codes-c
target_dir="$(cargo metadata --format-version 1 --no-deps --manifest-path "$root/Cargo.toml" |
    sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')"
version="$(sed -n 's/^version = "\(.*\)"$/\1/p' "$root/Cargo.toml" | head -n 1)"

install -d "$prefix/include" "$prefix/lib/pkgconfig" "$prefix/lib/cmake/azure_iot_codes"
install -m 644 "$here/include/azure_iot_codes.h" "$prefix/include/"
install -m 644 "$target_dir/release/libazure_iot_codes.a" "$prefix/lib/"
install -m 755 "$target_dir/release/libazure_iot_codes.so" "$prefix/lib/"
for pc in azure_iot_codes azure_iot_codes-static; do
    sed -e "s|@PREFIX@|$prefix|g" -e "s|@VERSION@|$version|g" "$here/pkg/$pc.pc.in" >"$prefix/lib/pkgconfig/$pc.pc"
done
install -m 644 "$here/pkg/azure_iot_codesConfig.cmake" "$prefix/lib/cmake/azure_iot_codes/"
sed -e "s|@VERSION@|$version|g" "$here/pkg/azure_iot_codesConfigVersion.cmake.in" \
    >"$prefix/lib/cmake/azure_iot_codes/azure_iot_codesConfigVersion.cmake"
echo "installed azure_iot_codes $version under $prefix"
