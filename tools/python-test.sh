#!/usr/bin/env bash
# The Python package's CI step: build the wheel from crates/healthpass-py with maturin, install
# it into a virtualenv outside the checkout, and run the pytest suite in python/tests.
#
#   bash tools/python-test.sh            # from the repository root
#
# The virtualenv is created once and reused: $HEALTHPASS_VENV, by default
# ~/.cache/healthpass/venv. maturin, pytest and tqdm come from PyPI through pip. The Rust build
# goes to $CARGO_TARGET_DIR when set, else the workspace's target/ (shared with the other steps).
# Extra arguments go to pytest (for example `-k checkpoint`).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

venv=${HEALTHPASS_VENV:-$HOME/.cache/healthpass/venv}
python=${PYTHON:-python3}
if [ ! -x "$venv/bin/python" ]; then
    echo "creating the virtualenv $venv"
    "$python" -m venv "$venv"
fi
pip=("$venv/bin/python" -m pip --disable-pip-version-check --quiet)
"${pip[@]}" install "maturin>=1.7,<2" "pytest>=7" "tqdm>=4"

# Build the wheel (release: the suite's speed checks and the benchmark measure the optimised
# build) and install it over any earlier one.
wheels=$(mktemp -d)
trap 'rm -rf "$wheels"' EXIT
(cd python && "$venv/bin/maturin" build --release --quiet --out "$wheels")
"${pip[@]}" install --force-reinstall --no-deps "$wheels"/healthpass-*.whl

# python/ holds no importable healthpass (only its stubs), so the installed wheel is what the
# suite imports.
cd "$root/python"
"$venv/bin/python" -c 'import healthpass, sys; print("healthpass", healthpass.__version__, "on Python", sys.version.split()[0])'
"$venv/bin/python" -m pytest -q -p no:cacheprovider "$@" tests
