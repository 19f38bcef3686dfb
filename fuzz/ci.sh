#!/usr/bin/env bash
# CI step: fuzz every target briefly (FUZZ_SECONDS each, default 20) and fail on any crash.
# Needs a nightly toolchain; without one this FAILS, loudly, rather than skipping.
set -euo pipefail
cd "$(dirname "$0")"
if ! rustup run nightly rustc --version >/dev/null 2>&1; then
    echo "########################################################################" >&2
    echo "## FUZZING FAILED: no nightly Rust toolchain on this machine.         ##" >&2
    echo "## cargo-fuzz needs one: rustup toolchain install nightly             ##" >&2
    echo "########################################################################" >&2
    exit 1
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
    echo "installing cargo-fuzz"
    cargo install --locked cargo-fuzz
fi
# Seeds and one build, then the targets in two halves side by side (one per core): half the
# wall time of one after another, the same seconds for each target.
seconds=${FUZZ_SECONDS:-20}
(cd .. && cargo run --quiet -p xtask --bin fuzz_seeds -- fuzz/corpus)
cargo +nightly fuzz build --sanitizer none
mapfile -t targets < <(cargo +nightly fuzz list)
half=$(((${#targets[@]} + 1) / 2))
mkdir -p logs
status=0
FUZZ_PREPARED=1 bash ./run.sh "$seconds" "${targets[@]:0:half}" >logs/ci-first.txt 2>&1 &
first=$!
FUZZ_PREPARED=1 bash ./run.sh "$seconds" "${targets[@]:half}" >logs/ci-second.txt 2>&1 &
second=$!
wait "$first" || status=1
wait "$second" || status=1
cat logs/ci-first.txt
grep -v '^target ' logs/ci-second.txt || true
[ "$status" -eq 0 ] || { echo "FUZZING FOUND A CRASH (details above)" >&2; exit 1; }
