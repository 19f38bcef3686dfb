#!/usr/bin/env bash
# The browser test: the scanner page in Debian's chromium, driven by Playwright (playwright-core).
#
# 1. builds the package and the page (tools/web-build.sh) unless WEB_SKIP_BUILD=1;
# 2. makes the fixtures with the library (example web_fixtures: trust list, revocation list,
#    policy, five codes, a camera video of them, a photo); the same example gives the native
#    timings, run by the test right after the browser's;
# 3. runs the package's API in Node (web/test/node-test.mjs), then serves web/ on 127.0.0.1 and
#    runs web/test/browser-test.mjs: the camera reads a green, a
#    red, a revoked, an out-of-scope and a forged code; then the network and the server go and
#    the page reloads and scans again; then a photo is uploaded;
# 4. writes the timings into crates/healthpass-wasm/BENCHMARKS-web.md.
# Screenshots of each verdict: target/web-screenshots/. Installs chromium (apt-get) and
# playwright-core (npm, into ${HEALTHPASS_WEB_NODE:-$HOME/.cache/healthpass/web-node}) when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

if ! command -v chromium >/dev/null; then
    echo "installing chromium"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
fi
node_dir=${HEALTHPASS_WEB_NODE:-$HOME/.cache/healthpass/web-node}
if [ ! -f "$node_dir/node_modules/playwright-core/package.json" ]; then
    mkdir -p "$node_dir"
    [ -f "$node_dir/package.json" ] || echo '{ "private": true }' > "$node_dir/package.json"
    (cd "$node_dir" && npm install --no-audit --no-fund playwright-core)
fi

if [ "${WEB_SKIP_BUILD:-0}" != 1 ]; then
    bash tools/web-build.sh
fi

fixtures="$root/target/web-fixtures"
cargo build --release -q -p healthpass-wasm --example web_fixtures
fixtures_bin="${CARGO_TARGET_DIR:-$root/target}/release/examples/web_fixtures"
"$fixtures_bin" "$fixtures"
# The demo set the page offers, and the frames the worker is timed on (ignored by git).
mkdir -p web/scanner/demo
cp "$fixtures"/{anchor.pem,trust.cose,revoked.cose,policy.json,frame-clean.png,frame-camera.png} web/scanner/demo/
rm -rf target/web-screenshots
# The package's API in Node first (no browser needed).
node web/test/node-test.mjs "$fixtures"

port=${WEB_TEST_PORT:-8765}
python3 -m http.server "$port" --bind 127.0.0.1 --directory web >target/web-server.log 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 50); do
    curl -sf "http://127.0.0.1:$port/scanner/" >/dev/null && break
    sleep 0.1
done

mkdir -p target/web
BASE_URL="http://127.0.0.1:$port/scanner/" FIXTURES="$fixtures" SCREENSHOTS="$root/target/web-screenshots" \
    BENCH_OUT="$root/target/web/bench.json" CHROMIUM=$(command -v chromium) PLAYWRIGHT_DIR="$node_dir" \
    NATIVE_BENCH="$fixtures_bin" NATIVE_OUT="$root/target/web/native.json" \
    SERVER_PID=$server node web/test/browser-test.mjs

python3 tools/web-bench.py target/web/native.json target/web/bench.json target/web/size.json \
    > crates/healthpass-wasm/BENCHMARKS-web.md
cat crates/healthpass-wasm/BENCHMARKS-web.md
