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
bash ./run.sh "${FUZZ_SECONDS:-20}" || { echo "FUZZING FOUND A CRASH (details above)" >&2; exit 1; }
