#!/usr/bin/env bash
# Builds the core crate for wasm32-unknown-unknown (the browser) with the toolchain of
# tools/wasm-env.sh: Debian's rustc-web, std rebuilt with -Zbuild-std, cached outside the checkout.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=tools/wasm-env.sh
source tools/wasm-env.sh
"$web_cargo" build --release -p healthpass --features pem -Zbuild-std=std,panic_abort --target wasm32-unknown-unknown
ls -l "$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/libhealthpass.rlib"
