#!/usr/bin/env bash
# Runs every fuzz target (or the ones named after SECONDS) for SECONDS each, one after another,
# and prints the executions and crashes of each. Exit status 1 if any target crashed.
#   fuzz/run.sh SECONDS [TARGET...]
# Environment: FUZZ_NICE (default 10), FUZZ_PREPARED, FUZZ_FLAGS (more cargo-fuzz build flags, e.g.
# "--no-trace-compares --target-dir target/no-trace-compares"; FUZZING.md says when a campaign used
# them), FUZZ_TIMEOUT (seconds of wall time per input, default 10: raise it for a run at nice 19 on a
# busy machine, where a starved process can pass 10 s on an input that takes 0.2 s). Several run.sh
# may run at once on different targets.
set -uo pipefail
cd "$(dirname "$0")"
seconds=${1:?usage: fuzz/run.sh SECONDS [TARGET...]}
shift
targets=("$@")
[ ${#targets[@]} -gt 0 ] || mapfile -t targets < <(cargo +nightly fuzz list)
nice_level=${FUZZ_NICE:-10}
flags=(--sanitizer none)   # debug assertions and overflow checks stay on (cargo-fuzz's default)
read -r -a extra_flags <<<"${FUZZ_FLAGS:-}"
flags+=("${extra_flags[@]}")

# Seeds come from freshly issued codes (examples/fuzz_seeds.rs), not from binary files in git.
# FUZZ_PREPARED=1 skips seeding and building (a caller that did both already, as ci.sh does).
if [ "${FUZZ_PREPARED:-0}" != 1 ]; then
    (cd .. && cargo run --quiet -p xtask --bin fuzz_seeds -- fuzz/corpus) || exit 2
    nice -n "$nice_level" cargo +nightly fuzz build "${flags[@]}" || exit 2
fi

mkdir -p logs
crashed=0
printf '%-12s %14s %8s %s\n' target executions crashes seconds
for target in "${targets[@]}"; do
    mkdir -p "corpus/$target" "artifacts/$target"
    before=$(find "artifacts/$target" -type f -name 'crash-*' -o -type f -name 'oom-*' -o -type f -name 'timeout-*' | wc -l)
    log="logs/$target.log"
    nice -n "$nice_level" cargo +nightly fuzz run "${flags[@]}" "$target" "corpus/$target" -- \
        -max_total_time="$seconds" -rss_limit_mb=2048 -timeout="${FUZZ_TIMEOUT:-10}" -max_len=8192 -print_final_stats=1 >"$log" 2>&1
    status=$?
    execs=$(grep -ah 'stat::number_of_executed_units' "$log" | awk '{s+=$2} END {print s+0}')
    after=$(find "artifacts/$target" -type f -name 'crash-*' -o -type f -name 'oom-*' -o -type f -name 'timeout-*' | wc -l)
    crashes=$((after - before))
    if [ "$status" -ne 0 ] && [ "$crashes" -eq 0 ]; then crashes=1; fi
    [ "$crashes" -eq 0 ] || crashed=1
    printf '%-12s %14s %8s %s\n' "$target" "$execs" "$crashes" "$seconds"
    if [ "$crashes" -ne 0 ]; then
        echo "  $target CRASHED: see fuzz/$log and fuzz/artifacts/$target/" >&2
        grep -a -m 5 -E 'panicked|ERROR|SUMMARY' "$log" | sed 's/^/  /' >&2
    fi
done
exit $crashed
