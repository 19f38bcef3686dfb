#!/usr/bin/env bash
# Builds the core crate for wasm32-unknown-unknown (the browser), as the recipe for these machines goes:
# Debian's rustc-web with its standard-library source, std rebuilt with -Zbuild-std. Installs the
# Debian packages when missing (needs root, as on CI machines). The std build is cached in
# ${HEALTHPASS_WASM_TARGET:-$HOME/.cache/healthpass/wasm-target}, outside the checkout.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
for pkg in rustc-web cargo-web rust-web-src lld-22; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
    echo "installing ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
# Debian's binaries by full path: rustup's proxies come first on PATH and have no wasm target.
web_cargo=$(dpkg -L cargo-web | grep '/bin/cargo$' | grep -v /share/ | head -1)
RUSTC=$(dpkg -L rustc-web | grep -m1 '/bin/rustc$')
RUSTDOC=$(dpkg -L rustc-web | grep -m1 '/bin/rustdoc$')
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=$(dpkg -L lld-22 | grep -m1 '/bin/wasm-ld$')
export RUSTC RUSTDOC CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER RUSTC_BOOTSTRAP=1
export CARGO_TARGET_DIR=${HEALTHPASS_WASM_TARGET:-$HOME/.cache/healthpass/wasm-target}
mkdir -p "$CARGO_TARGET_DIR"
"$web_cargo" build --release -p healthpass --features pem -Zbuild-std=std,panic_abort --target wasm32-unknown-unknown
ls -l "$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/libhealthpass.rlib"
