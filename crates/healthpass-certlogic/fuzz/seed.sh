#!/usr/bin/env bash
# Seeds the corpora from the published vectors: every rule file for rule_test, and every rule's
# logic (NUL) one of its tests as {payload, external} for certlogic_eval. Also the specification
# suites' expressions. Then runs each target for SECONDS (default 60).
#   crates/healthpass-certlogic/fuzz/seed.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-60}
# Build outside the worktree when CARGO_TARGET_DIR is set (e.g. /work/target-rules).
target_dir=${CARGO_TARGET_DIR:+$CARGO_TARGET_DIR/fuzz}
target_dir=${target_dir:-target}
vectors=../../../test-vectors
mkdir -p corpus/rule_test corpus/certlogic_eval
for rule in "$vectors"/dcc-rules/*/*/rule.json; do
    id=$(basename "$(dirname "$rule")")
    cp "$rule" "corpus/rule_test/$id.json"
    test=$(ls "$(dirname "$rule")"/tests/test*.json 2>/dev/null | head -1 || true)
    [ -n "$test" ] || continue
    python3 - "$rule" "$test" "corpus/certlogic_eval/$id" <<'PY'
import json, sys
rule, test, out = sys.argv[1:]
logic = json.load(open(rule))["Logic"]
t = json.load(open(test))
data = {"payload": t.get("payload"), "external": t.get("external")}
open(out, "wb").write(json.dumps(logic).encode() + b"\0" + json.dumps(data).encode())
PY
done
for target in certlogic_eval rule_test; do
    nice -n 10 cargo +nightly fuzz run --sanitizer none --target-dir "$target_dir" "$target" "corpus/$target" -- \
        -max_total_time="$seconds" -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 2>&1 | grep -E "stat::number_of_executed_units|SUMMARY|panicked" || true
done
