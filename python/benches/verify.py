#!/usr/bin/env python3
"""Python `verify` of one code against the Rust call, measured in one process.

The Rust side is `healthpass._bench_verify_rust`: a loop of `Verifier::verify` calls inside the
extension (keys read once, no Python in the loop). The Python side is a loop of calls through the
public API: `healthpass.verify(text, keys, now)` (reads the keys on every call, returns the
claims dict) and `Verifier.verify(text, now)` (keys read once). Rounds alternate between the
sides so that both see the same machine load; each side's figure is its best round (the least
disturbed on a shared machine), in CPU time of the measuring thread. Prints a Markdown table for BENCHMARKS.md (Python section).

    python python/benches/verify.py [--iterations 2000] [--rounds 7]
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from datetime import datetime, timedelta, timezone
from typing import Callable

import healthpass

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)


def typical_code(key: healthpass.SigningKey) -> str:
    """A typical green code: one negative test, a name, issued by a CN-GD key."""
    return healthpass.issue(
        {
            "issuer": "CN-GD",
            "credential_id": "5a" * 16,
            "issued_at": NOW,
            "not_before": NOW,
            "expires_at": NOW + timedelta(days=1),
            "colour": "green",
            "reasons": ["negative_test"],
            "kind": {"type": "personal"},
            "subject": {"id": "23" * 16, "name": "Chan Tai Man", "document": "national_id"},
            "evidence": {
                "tests": [{"kind": "nucleic_acid", "result": "negative", "sampled_at": NOW - timedelta(hours=20)}]
            },
        },
        key,
    )


def per_call(loop: Callable[[int], object], iterations: int) -> float:
    """CPU seconds of this thread per call: on a shared machine, wall time would mostly measure
    the other processes."""
    start = time.thread_time()
    loop(iterations)
    return (time.thread_time() - start) / iterations


def measure(iterations: int, rounds: int) -> dict[str, float]:
    key = healthpass.SigningKey.demo()
    keys = [key.public_key()]
    text = typical_code(key)
    now = NOW + timedelta(hours=1)
    verifier = healthpass.Verifier(keys)
    verify = healthpass.verify
    check = verifier.verify
    assert verify(text, keys, now) == check(text, now)

    def python_verify(n: int) -> None:
        for _ in range(n):
            verify(text, keys, now)

    def python_verifier(n: int) -> None:
        for _ in range(n):
            check(text, now)

    sides: dict[str, Callable[[], float]] = {
        # Timed from here, like the Python sides, in this thread's CPU time (the extension's
        # own wall-clock mean is not used: it would count time the machine gave to others).
        "rust": lambda: per_call(lambda n: healthpass._bench_verify_rust(text, keys, now, n), iterations),
        "rust+dict": lambda: per_call(lambda n: healthpass._bench_verify_rust(text, keys, now, n, True), iterations),
        "verify": lambda: per_call(python_verify, iterations),
        "Verifier.verify": lambda: per_call(python_verifier, iterations),
    }
    for side in sides.values():  # warm up caches and the branch predictor
        side()
    best = {name: float("inf") for name in sides}
    for _ in range(rounds):
        for name, side in sides.items():
            best[name] = min(best[name], side())
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--iterations", type=int, default=2000, help="calls per round and side")
    parser.add_argument("--rounds", type=int, default=7, help="alternating rounds; the best is kept")
    parser.add_argument("--max-ratio", type=float, help="exit 1 if healthpass.verify is slower than this × Rust")
    args = parser.parse_args(argv)
    best = measure(args.iterations, args.rounds)
    rust = best["rust"]
    print(f"Python {platform.python_version()} ({platform.machine()}), healthpass {healthpass.__version__}, "
          f"{args.rounds} rounds × {args.iterations} calls, best round per side")
    print()
    print("| call | µs per code | × Rust |")
    print("|---|---:|---:|")
    print(f"| Rust `Verifier::verify` (inside the extension) | {rust * 1e6:.1f} | 1.00 |")
    dict_row = "Rust `Verifier::verify` + the claims dict, no interpreter (inside the extension)"
    print(f"| {dict_row} | {best['rust+dict'] * 1e6:.1f} | {best['rust+dict'] / rust:.3f} |")
    for name in ("verify", "Verifier.verify"):
        label = "`healthpass.verify(text, keys, now)`" if name == "verify" else "`Verifier(keys).verify(text, now)`"
        print(f"| Python {label} | {best[name] * 1e6:.1f} | {best[name] / rust:.3f} |")
    ratio = best["verify"] / rust
    if args.max_ratio is not None and ratio > args.max_ratio:
        print(f"\nhealthpass.verify is {ratio:.3f} × the Rust call, over {args.max_ratio}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
