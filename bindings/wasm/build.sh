#!/usr/bin/env bash
# Builds the npm package of the WebAssembly binding into bindings/wasm/pkg/ (gitignored), two modules: the main
# one (pkg/{web,node,bundler}, without the `payload` feature) and azure-iot-codes/payload (pkg/payload/..., with
# decodePayload). For each:
#   1. cargo build --target wasm32-unknown-unknown --release -p azure-iot-codes-wasm
#   2. wasm-bindgen (the CLI at exactly the version the crate pins) for the web, nodejs and bundler targets
#   3. wasm-opt -Oz (binaryen from npm, pinned in package-lock.json)
# then package.json (from npm/package.json, version from Cargo) and README.md, and prints the size of each
# .wasm, raw and gzipped. Installs what it needs first (see tools.sh).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/tools.sh"
cd "$REPO_ROOT"

ensure_wasm_target
ensure_wasm_bindgen
ensure_npm_packages

pkg="$WASM_DIR/pkg"
rm -rf "$pkg"
mkdir -p "$pkg"
wasm="$REPO_ROOT/target/wasm32-unknown-unknown/release/azure_iot_codes_wasm.wasm"

# build_module OUT_DIR CARGO_FEATURE_ARGS...: one module, for the three targets, into OUT_DIR/{web,node,bundler}.
build_module() {
    local out="$1" target dir snippets
    shift
    note "cargo build (wasm32-unknown-unknown, release) $*"
    # Size over speed for the module only: opt-level "z" and fat LTO, given as environment overrides so the
    # workspace's release profile (the CLI, the C library) is left as it is. README.md has the measured effect.
    CARGO_PROFILE_RELEASE_OPT_LEVEL=z CARGO_PROFILE_RELEASE_LTO=fat \
        cargo build --target wasm32-unknown-unknown --release -p azure-iot-codes-wasm "$@"
    for target in web nodejs bundler; do
        dir="$out/$target"
        [ "$target" = nodejs ] && dir="$out/node"
        note "wasm-bindgen --target $target -> ${dir#"$REPO_ROOT"/}"
        wasm-bindgen --target "$target" --out-dir "$dir" --out-name azure_iot_codes "$wasm"
        "$WASM_DIR/node_modules/.bin/wasm-opt" -Oz "$dir/azure_iot_codes_bg.wasm" -o "$dir/azure_iot_codes_bg.wasm"
    done
    # The package is ESM ("type": "module"); the nodejs target is CommonJS, so its folder says so. Its copy of
    # js/error.js stays an ES module, which Node (>= 20.19, see "engines") loads through require().
    echo '{ "type": "commonjs" }' > "$out/node/package.json"
    for snippets in "$out"/node/snippets/*/; do
        echo '{ "type": "module" }' > "$snippets/package.json"
    done
}

# The main module: codes, lookups, retry advice. Then `azure-iot-codes/payload`: the same API and
# decodePayload, whose payload and IoT Central readers would otherwise weigh on every user (README.md, "Size").
build_module "$pkg" --no-default-features
build_module "$pkg/payload" --features payload

version="$(cd "$REPO_ROOT" && cargo pkgid -p azure-iot-codes-wasm | sed 's/.*[@#]//')"
node -e '
  const fs = require("fs");
  const [template, out, version] = process.argv.slice(1);
  const manifest = JSON.parse(fs.readFileSync(template, "utf8"));
  fs.writeFileSync(out, JSON.stringify({ name: manifest.name, version, ...manifest }, null, 2) + "\n");
' "$WASM_DIR/npm/package.json" "$pkg/package.json" "$version"
cp "$WASM_DIR/README.md" "$pkg/README.md"

for module in "$pkg/web/azure_iot_codes_bg.wasm" "$pkg/payload/web/azure_iot_codes_bg.wasm"; do
    raw=$(wc -c < "$module")
    gz=$(gzip -9 -c "$module" | wc -c)
    printf 'wasm size: %d bytes raw, %d bytes gzipped (gzip -9) [%s]\n' "$raw" "$gz" "${module#"$REPO_ROOT"/}"
done
printf 'package: %s (azure-iot-codes %s)\n' "${pkg#"$REPO_ROOT"/}" "$version"
