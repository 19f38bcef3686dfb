#!/usr/bin/env bash
# Mutation testing of what a change touched: cargo-mutants on the lines of crates/ that differ from
# BASE (default main), committed or not, within the decision and interop code that
# .cargo/mutants.toml selects. Run it before asking for a merge; MUTANTS.md says what to do with
# a missed mutant.
#
#   tools/mutants.sh                 # mutants in this branch's changes since it left main
#   tools/mutants.sh origin/main     # against another base
#   tools/mutants.sh main --list     # list them without running (extra arguments go to cargo mutants)
#
# Exit status is cargo-mutants': 0 every mutant caught (or none to test), 2 some missed,
# 3 some timed out, 4 the unmutated tree fails its tests. MUTANTS_JOBS sets -j (default 1).
set -euo pipefail
cd "$(dirname "$0")/.."

base=${1:-main}
shift $(( $# > 0 ? 1 : 0 ))

if ! command -v cargo-mutants >/dev/null; then
    echo "cargo-mutants is not installed: cargo install --locked cargo-mutants" >&2
    exit 2
fi

diff=$(mktemp)
trap 'rm -f "$diff"' EXIT
# From the point where this branch left BASE to the working tree: uncommitted edits count too.
git diff "$(git merge-base "$base" HEAD)" -- crates > "$diff"
if [ ! -s "$diff" ]; then
    echo "nothing under crates/ changed since $base: no mutants to test"
    exit 0
fi

# cargo-mutants builds a copy of the tree; when CARGO_TARGET_DIR is shared with this tree, the
# copy's artifacts (with its paths, such as env!("CARGO_MANIFEST_DIR"), compiled in) look fresh
# to cargo afterwards. Touching the crate root makes the next build here recompile them.
trap 'rm -f "$diff"; touch crates/*/src/lib.rs' EXIT
jobs=${MUTANTS_JOBS:-1}
# Two or more jobs must not share a target directory: each worker's copy would build into the
# same artifacts, and a mutant would be tested against another worker's build (MUTANTS.md).
if [ "$jobs" -gt 1 ] && [ -n "${CARGO_TARGET_DIR:-}" ]; then
    echo "MUTANTS_JOBS=$jobs with CARGO_TARGET_DIR set: each job needs its own target; unsetting it" >&2
    unset CARGO_TARGET_DIR
fi
nice -n 15 cargo mutants --in-diff "$diff" -j "$jobs" "$@"
