"""A loose guard on the binding's overhead (the real figures: python/benches/verify.py and
BENCHMARKS.md (Python section)). Loose so that a loaded CI machine does not fail it;
it catches a per-call cost that swamps the verification (the measurement: BENCHMARKS.md (Python section))."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benches"))
import verify as bench  # noqa: E402

sys.path.pop(0)


def test_python_verify_costs_little_more_than_the_rust_call():
    best = bench.measure(iterations=300, rounds=5)
    assert best["rust"] < 1e-3, best  # an optimised build: well under a millisecond a code
    assert best["verify"] / best["rust"] < 2.0, best
    assert best["Verifier.verify"] / best["rust"] < 2.0, best
