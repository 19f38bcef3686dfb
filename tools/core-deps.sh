#!/usr/bin/env bash
# The core crate's normal dependency tree, as issue #14 measures it: at most 60 lines (the crate
# itself included). Prints the tree and fails above the limit. `cargo tree` filters to the host
# target, so the browser-only getrandom backend does not count here.
set -euo pipefail
cd "$(dirname "$0")/.."
limit=${CORE_DEPS_LIMIT:-60}
lines=$(cargo tree -p healthpass -e normal --prefix none | sort -u | wc -l)
echo "healthpass (core): $lines lines in its normal dependency tree (limit $limit)"
if [ "$lines" -gt "$limit" ]; then
    cargo tree -p healthpass -e normal
    echo "the core's dependency tree grew past $limit lines: see what each dependency brings" >&2
    exit 1
fi
for banned in clap image rqrr rxing ring x509-cert jsonschema fast_qr; do
    if cargo tree -p healthpass -e normal --prefix none | grep -q "^$banned v"; then
        echo "the core depends on $banned, which belongs to another crate" >&2
        exit 1
    fi
done
