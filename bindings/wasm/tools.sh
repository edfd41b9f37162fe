# Shared by build.sh and test.sh (sourced, not run): installs the tools the WebAssembly binding needs, each
# pinned, and says what it installs. Nothing is skipped silently: a tool that cannot be installed stops the run.

WASM_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$WASM_DIR/../.." && pwd)"

note() { printf '  [wasm] %s\n' "$*"; }

# The wasm-bindgen version the crate pins (`=x.y.z` in bindings/wasm/Cargo.toml), as Cargo.lock resolved it.
wasm_bindgen_version() {
    (cd "$REPO_ROOT" && cargo pkgid -p wasm-bindgen) | sed 's/.*[@#]//'
}

ensure_wasm_target() {
    if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
        note "installing rustup target wasm32-unknown-unknown"
        rustup target add wasm32-unknown-unknown
    fi
}

# Puts wasm-bindgen and wasm-bindgen-test-runner of exactly the pinned version first on PATH: the one already
# on PATH when its version matches, else a copy installed under target/ (never replacing anyone's global one).
ensure_wasm_bindgen() {
    local version have root
    version="$(wasm_bindgen_version)"
    have="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)"
    if [ "$have" = "$version" ] && command -v wasm-bindgen-test-runner >/dev/null; then
        return
    fi
    root="$REPO_ROOT/target/wasm-tools/wasm-bindgen-$version"
    if [ ! -x "$root/bin/wasm-bindgen" ] || [ ! -x "$root/bin/wasm-bindgen-test-runner" ]; then
        note "installing wasm-bindgen-cli =$version into $root (found: ${have:-none})"
        cargo install wasm-bindgen-cli --version "=$version" --root "$root"
    fi
    export PATH="$root/bin:$PATH"
    have="$(wasm-bindgen --version | awk '{print $2}')"
    if [ "$have" != "$version" ]; then
        echo "wasm-bindgen on PATH is $have, the crate pins $version" >&2
        exit 1
    fi
}

# npm packages of bindings/wasm/package.json at the versions package-lock.json records (binaryen's wasm-opt,
# typescript, playwright-core).
ensure_npm_packages() {
    if [ ! -x "$WASM_DIR/node_modules/.bin/wasm-opt" ] || [ ! -x "$WASM_DIR/node_modules/.bin/tsc" ] ||
        [ ! -d "$WASM_DIR/node_modules/playwright-core" ] ||
        [ "$WASM_DIR/package-lock.json" -nt "$WASM_DIR/node_modules/.package-lock.json" ]; then
        note "installing npm packages from package-lock.json"
        (cd "$WASM_DIR" && npm ci --no-audit --no-fund)
    fi
}

# Debian's Chromium and ChromeDriver (same version) for the browser tests.
ensure_chromium() {
    if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
        note "installing Debian's chromium and chromium-driver"
        apt-get update
        apt-get install -y chromium chromium-driver
    fi
}
