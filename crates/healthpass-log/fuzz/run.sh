#!/usr/bin/env bash
# Fuzz each target for SECONDS (default 30), two at a time; fails on a crash. Needs nightly
# and cargo-fuzz. Run from crates/healthpass-log/fuzz.
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-30}
python3 seeds.py
cargo +nightly fuzz build --sanitizer none
status=0
pids=()
for target in $(cargo +nightly fuzz list); do
    cargo +nightly fuzz run --sanitizer none "$target" -- -max_total_time="$seconds" -max_len=8192 >"logs-$target.txt" 2>&1 &
    pids+=($!)
    if [ "${#pids[@]}" -ge 2 ]; then wait "${pids[0]}" || status=1; pids=("${pids[@]:1}"); fi
done
for p in "${pids[@]}"; do wait "$p" || status=1; done
for target in $(cargo +nightly fuzz list); do
    echo "== $target: $(grep -E '^(#[0-9]+.*DONE|Done)' "logs-$target.txt" | tail -1)"
done
[ "$status" -eq 0 ] || { echo "FUZZING FOUND A CRASH (see logs-*.txt)" >&2; exit 1; }
