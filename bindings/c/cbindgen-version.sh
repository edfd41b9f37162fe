# The cbindgen version the committed header is generated with. scripts/test-all installs exactly this version
# (cargo install cbindgen --version =CBINDGEN_VERSION); update-header.sh and test.sh refuse any other.
CBINDGEN_VERSION=0.29.4

require_cbindgen() {
    local have
    have="$(cbindgen --version 2>/dev/null || true)"
    if [ "$have" != "cbindgen $CBINDGEN_VERSION" ]; then
        echo "need cbindgen $CBINDGEN_VERSION (found: ${have:-none}); run: cargo install cbindgen --version =$CBINDGEN_VERSION --locked" >&2
        exit 1
    fi
}
