#!/usr/bin/env bash
# Builds the browser package: crates/healthpass-wasm for wasm32-unknown-unknown (the recipe of
# tools/wasm-core.sh: Debian's rustc-web, std rebuilt with -Zbuild-std), then the JavaScript
# bindings and TypeScript types with wasm-bindgen-cli (the version the lockfile resolves, installed
# once into ${HEALTHPASS_WASM_BINDGEN:-$HOME/.cache/healthpass/wasm-bindgen}), into
#   web/pkg/            the module: healthpass.js, healthpass.d.ts, healthpass_bg.wasm (the npm
#                       package `healthpass` is web/ itself: web/package.json lists these files)
#   web/scanner/pkg/    the same module, for the scanner page (served as static files)
# and checks the .wasm against its size budget (gzip). Output paths are ignored by web/.gitignore.
#
#   bash tools/web-build.sh            release build (what the page and the package ship)
#   WEB_PACK=1 bash tools/web-build.sh also runs `npm pack` in web/ (a .tgz in target/web/)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

# The .wasm, gzipped, must stay within this many bytes (docs/WEB.md, "Size").
WASM_GZIP_BUDGET=${WASM_GZIP_BUDGET:-800000}

# wasm-bindgen-cli must be exactly the version of the wasm-bindgen crate in Cargo.lock.
wb_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ -z "$wb_version" ]; then
    echo "wasm-bindgen is not in Cargo.lock" >&2
    exit 1
fi
wb_root=${HEALTHPASS_WASM_BINDGEN:-$HOME/.cache/healthpass/wasm-bindgen}
wasm_bindgen="$wb_root/bin/wasm-bindgen"
if ! "$wasm_bindgen" --version 2>/dev/null | grep -qx "wasm-bindgen $wb_version"; then
    echo "installing wasm-bindgen-cli $wb_version into $wb_root (once; several minutes)"
    # With the rustup toolchain; not --locked (its lockfile names a crate version the registry lacks).
    CARGO_TARGET_DIR="$wb_root/build" cargo install wasm-bindgen-cli --version "$wb_version" --root "$wb_root" --force
    rm -rf "$wb_root/build"
fi

# shellcheck source=tools/wasm-env.sh
source tools/wasm-env.sh
# Size over speed where it costs nothing measurable: one codegen unit, LTO, no debug info.
export CARGO_PROFILE_RELEASE_LTO=${CARGO_PROFILE_RELEASE_LTO:-fat}
export CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1
export CARGO_PROFILE_RELEASE_PANIC=abort
"$web_cargo" build --release -p healthpass-wasm -Zbuild-std=std,panic_abort --target wasm32-unknown-unknown
wasm="$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/healthpass_wasm.wasm"

out="$root/web/pkg"
rm -rf "$out"
mkdir -p "$out"
"$wasm_bindgen" --target web --out-dir "$out" --out-name healthpass "$wasm"

mkdir -p web/scanner/pkg
cp "$out/healthpass.js" "$out/healthpass_bg.wasm" "$out/healthpass.d.ts" web/scanner/pkg/
# The service worker imports this stamp: a new build changes it, so browsers fetch the new files.
stamp=$(cat web/scanner/*.js web/scanner/*.html web/scanner/*.css web/scanner/pkg/healthpass.js \
    web/scanner/pkg/healthpass_bg.wasm | sha256sum | cut -c1-16)
printf 'self.HEALTHPASS_BUILD = "%s";\n' "$stamp" > web/scanner/pkg/build.js

size=$(stat -c %s "$out/healthpass_bg.wasm")
gz=$(gzip -9 -c "$out/healthpass_bg.wasm" | wc -c)
echo "healthpass_bg.wasm: $size bytes, $gz bytes gzipped (budget $WASM_GZIP_BUDGET)"
mkdir -p target/web
printf '{"wasm_bytes": %s, "wasm_gzip_bytes": %s, "wasm_gzip_budget": %s, "wasm_bindgen": "%s"}\n' \
    "$size" "$gz" "$WASM_GZIP_BUDGET" "$wb_version" > target/web/size.json
if [ "$gz" -gt "$WASM_GZIP_BUDGET" ]; then
    echo "the .wasm is over its size budget: $gz > $WASM_GZIP_BUDGET bytes gzipped" >&2
    exit 1
fi

if [ "${WEB_PACK:-0}" = 1 ]; then
    (cd web && npm pack --pack-destination "$root/target/web")
fi
