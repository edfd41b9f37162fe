#!/usr/bin/env bash
# Builds the npm package of the WebAssembly binding into bindings/wasm/pkg/ (gitignored):
#   1. cargo build --target wasm32-unknown-unknown --release -p azure-iot-codes-wasm
#   2. wasm-bindgen (the CLI at exactly the version the crate pins) for the web, nodejs and bundler targets
#   3. wasm-opt -Oz (binaryen from npm, pinned in package-lock.json)
#   4. package.json (from npm/package.json, version from Cargo) and README.md
# and prints the size of the .wasm, raw and gzipped. Installs what it needs first (see tools.sh).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/tools.sh"
cd "$REPO_ROOT"

ensure_wasm_target
ensure_wasm_bindgen
ensure_npm_packages

note "cargo build (wasm32-unknown-unknown, release)"
# Size over speed for the module only: opt-level "z" and fat LTO, given as environment overrides so the
# workspace's release profile (the CLI, the C library) is left as it is. README.md has the measured effect.
CARGO_PROFILE_RELEASE_OPT_LEVEL=z CARGO_PROFILE_RELEASE_LTO=fat \
    cargo build --target wasm32-unknown-unknown --release -p azure-iot-codes-wasm
wasm="$REPO_ROOT/target/wasm32-unknown-unknown/release/azure_iot_codes_wasm.wasm"

pkg="$WASM_DIR/pkg"
rm -rf "$pkg"
mkdir -p "$pkg"
for target in web nodejs bundler; do
    dir="$pkg/$target"
    [ "$target" = nodejs ] && dir="$pkg/node"
    note "wasm-bindgen --target $target -> ${dir#"$REPO_ROOT"/}"
    wasm-bindgen --target "$target" --out-dir "$dir" --out-name azure_iot_codes "$wasm"
    "$WASM_DIR/node_modules/.bin/wasm-opt" -Oz "$dir/azure_iot_codes_bg.wasm" -o "$dir/azure_iot_codes_bg.wasm"
done

# The package is ESM ("type": "module"); the nodejs target is CommonJS, so its folder says so. Its copy of
# js/error.js stays an ES module, which Node (>= 20.19, see "engines") loads through require().
echo '{ "type": "commonjs" }' > "$pkg/node/package.json"
for snippets in "$pkg"/node/snippets/*/; do
    echo '{ "type": "module" }' > "$snippets/package.json"
done

version="$(cd "$REPO_ROOT" && cargo pkgid -p azure-iot-codes-wasm | sed 's/.*[@#]//')"
node -e '
  const fs = require("fs");
  const [template, out, version] = process.argv.slice(1);
  const manifest = JSON.parse(fs.readFileSync(template, "utf8"));
  fs.writeFileSync(out, JSON.stringify({ name: manifest.name, version, ...manifest }, null, 2) + "\n");
' "$WASM_DIR/npm/package.json" "$pkg/package.json" "$version"
cp "$WASM_DIR/README.md" "$pkg/README.md"

raw=$(wc -c < "$pkg/web/azure_iot_codes_bg.wasm")
gz=$(gzip -9 -c "$pkg/web/azure_iot_codes_bg.wasm" | wc -c)
printf 'wasm size: %d bytes raw, %d bytes gzipped (gzip -9) [%s]\n' "$raw" "$gz" "${pkg#"$REPO_ROOT"/}/web/azure_iot_codes_bg.wasm"
printf 'package: %s (azure-iot-codes %s)\n' "${pkg#"$REPO_ROOT"/}" "$version"
