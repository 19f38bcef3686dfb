#!/usr/bin/env bash
# The Python package's CI step: build the wheel from crates/healthpass-py with maturin, install
# it into a virtualenv outside the checkout, and run the pytest suite in python/tests.
#
#   bash tools/python-test.sh            # from the repository root
#
# The virtualenv is created once and reused: $HEALTHPASS_VENV, by default
# ~/.cache/healthpass/venv. maturin, pytest, tqdm and mypy come from PyPI through pip. The Rust build
# goes to $CARGO_TARGET_DIR when set, else the workspace's target/ (shared with the other steps).
# Extra arguments go to pytest (for example `-k checkpoint`).
set -euo pipefail
cd "$(dirname "$0")/.."
# No __pycache__ folders left in the checkout.
export PYTHONDONTWRITEBYTECODE=1
root=$PWD

venv=${HEALTHPASS_VENV:-$HOME/.cache/healthpass/venv}
python=${PYTHON:-python3}
if [ ! -x "$venv/bin/python" ]; then
    echo "creating the virtualenv $venv"
    "$python" -m venv "$venv"
fi
pip=("$venv/bin/python" -m pip --disable-pip-version-check --quiet)
"${pip[@]}" install "maturin>=1.7,<2" "pytest>=7" "tqdm>=4" "mypy>=1.10"

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
# The type stubs agree with the module as built (mypy's stubtest), and the example and the
# benchmark type-check against them. Run from the temporary folder, where mypy leaves its cache.
(
    cd "$wheels"
    "$venv/bin/python" -m mypy.stubtest healthpass --allowlist "$root/python/stubtest-allowlist.txt"
    "$venv/bin/python" -m mypy --strict "$root/python/examples/issuer_backend.py" "$root/python/benches/verify.py"
)
"$venv/bin/python" -m pytest -q -p no:cacheprovider "$@" tests
