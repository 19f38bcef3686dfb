# Sourced by tools/wasm-core.sh and tools/web-build.sh: the toolchain that builds for
# wasm32-unknown-unknown on these machines. Debian's rustc-web with its standard-library source
# (std rebuilt with -Zbuild-std) and lld's wasm-ld, installed when missing (needs root, as on CI
# machines). Sets `web_cargo` (Debian's cargo, by full path: rustup's proxies come first on PATH
# and have no wasm target) and exports RUSTC, RUSTDOC, the linker and CARGO_TARGET_DIR, which is
# ${HEALTHPASS_WASM_TARGET:-$HOME/.cache/healthpass/wasm-target}, outside the checkout.
need=()
for pkg in rustc-web cargo-web rust-web-src lld-22; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
    echo "installing ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
web_cargo=$(dpkg -L cargo-web | grep '/bin/cargo$' | grep -v /share/ | head -1)
RUSTC=$(dpkg -L rustc-web | grep -m1 '/bin/rustc$')
RUSTDOC=$(dpkg -L rustc-web | grep -m1 '/bin/rustdoc$')
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=$(dpkg -L lld-22 | grep -m1 '/bin/wasm-ld$')
export RUSTC RUSTDOC CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER RUSTC_BOOTSTRAP=1
export CARGO_TARGET_DIR=${HEALTHPASS_WASM_TARGET:-$HOME/.cache/healthpass/wasm-target}
mkdir -p "$CARGO_TARGET_DIR"
