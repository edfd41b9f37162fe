#!/usr/bin/env bash
# Every test of the WebAssembly binding, called by scripts/test-all. Installs what it needs first (tools.sh):
# the wasm32 rustup target, wasm-bindgen-cli at the crate's pinned version, the npm packages of
# package-lock.json, Debian's chromium and chromium-driver. Nothing is skipped silently.
#   1. wasm-bindgen-test (tests/api.rs) in Node, then in headless Chromium through chromedriver
#   2. build.sh: the npm package in pkg/ (prints the .wasm size)
#   3. node:test against the built package (js-test/*.test.mjs)
#   4. tsc --noEmit: js-test/types/usage*.ts against the generated .d.ts files, and decodePayload's answers for
#      every fixture as typed literals
#   5. end-to-end: the dashboard (demo/) served on 127.0.0.1, driven in headless Chromium (js-test/e2e/);
#      screenshots in target/wasm-e2e/
#   6. the size: the main module at most 150 KB gzipped (a hard check); azure-iot-codes/payload guard 245 KB (checked last,
#      so that every functional test has run whatever the size)
# The binding's host-side unit tests (src/) run with the workspace's `cargo test`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/tools.sh"
cd "$REPO_ROOT"

step() { printf '\n==> [wasm] %s\n' "$*"; }

step "tools"
ensure_wasm_target
ensure_wasm_bindgen
ensure_npm_packages
ensure_chromium

export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
step "wasm-bindgen-test in Node"
cargo test --target wasm32-unknown-unknown -p azure-iot-codes-wasm --test api

step "wasm-bindgen-test in headless Chromium"
# The runner reads bindings/wasm/webdriver.json (the crate directory is the working directory of the tests).
WASM_BINDGEN_USE_BROWSER=1 CHROMEDRIVER=/usr/bin/chromedriver \
    cargo test --target wasm32-unknown-unknown -p azure-iot-codes-wasm --test api

step "build the npm package"
"$WASM_DIR/build.sh"

cd "$WASM_DIR"
step "node:test against the built package"
node --test js-test/package.test.mjs js-test/logs.test.mjs

step "TypeScript: usage.ts against the generated .d.ts (tsc --noEmit)"
mkdir -p js-test/types/node_modules
ln -sfn ../../../pkg js-test/types/node_modules/azure-iot-codes
node_modules/.bin/tsc --noEmit -p js-test/types/tsconfig.json
node_modules/.bin/tsc --noEmit -p js-test/types/tsconfig.node.json
# decodePayload's answer for every fixture of the repository, written out as object literals typed
# DecodedInput: tsc rejects any field the types do not declare, lack or type differently.
node js-test/types/fixtures-ts.mjs > js-test/types/fixtures.generated.ts
node_modules/.bin/tsc --noEmit -p js-test/types/tsconfig.fixtures.json
echo "types check"

step "end-to-end: the dashboard in headless Chromium"
node --test js-test/e2e/
echo "screenshots: target/wasm-e2e/"

step "size: the main module at most 150 KB gzipped with every catalogue (fails above); the payload module's guard"
# azure-iot-codes/payload (decodePayload) has its own guard: the payload readers, the IoT Central reader and
# the document's conversion to objects come on top of the main module (README.md "Size"); the guard sits about
# 4 KB above the measured 227.8 KB to catch regressions.
gz=$(gzip -9 -c "$WASM_DIR/pkg/payload/web/azure_iot_codes_bg.wasm" | wc -c)
if [ "$gz" -gt 245000 ]; then
    echo "the payload .wasm is $gz bytes gzipped, over its 245 KB regression guard" >&2
    exit 1
fi
echo "azure-iot-codes/payload: $gz bytes gzipped (guard 245 KB)"
gz=$(gzip -9 -c "$WASM_DIR/pkg/web/azure_iot_codes_bg.wasm" | wc -c)
# The goal, now a check: at most 150 KiB (153,600 bytes). Measured 149,033 bytes after rows began to hold two-byte
# indices into one text blob and names lost their lowercase copies (README.md "Size"); a change that crosses
# the line has to pay for itself elsewhere.
if [ "$gz" -gt 153600 ]; then
    echo "the .wasm is $gz bytes gzipped, over the 150 KiB goal (153,600 bytes)" >&2
    exit 1
fi
echo "$gz bytes gzipped: within the 150 KiB goal (153,600 bytes)"
