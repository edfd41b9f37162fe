#!/usr/bin/env bash
# Regenerates include/azure_iot_codes.h from src/ with the pinned cbindgen (the version test.sh checks with).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=cbindgen-version.sh
. "$here/cbindgen-version.sh"
require_cbindgen
cbindgen --quiet --config "$here/cbindgen.toml" --crate azure-iot-codes-c --output "$here/include/azure_iot_codes.h" "$here"
echo "wrote $here/include/azure_iot_codes.h"
