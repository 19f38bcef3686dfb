#!/usr/bin/env python3
"""Writes the browser figures of one tools/web-test.sh run as Markdown (BENCHMARKS-web.md).

Usage: web-bench.py NATIVE_JSON BROWSER_JSON SIZE_JSON > BENCHMARKS-web.md
"""
import json
import os
import re
import sys

native, browser, size = (json.load(open(p)) for p in sys.argv[1:4])


def us(ns):
    return f"{ns / 1000:.1f} µs"


verify_ratio = browser["verify_ns"] / native["verify_ns"]
check_ratio = browser["check_ns"] / native["check_ns"]
chrome = re.search(r"Chrom(?:e|ium)/([\d.]+)", browser.get("userAgent", ""))
chrome = chrome.group(1) if chrome else "?"
frame_target = 40.0


def verdict(ok):
    return "within target" if ok else "**over target**"


print(f"""## Browser (WebAssembly, `tools/web-test.sh`)

Measured in one run of the browser test: Chromium {chrome} (headless, Debian's), {browser.get("cores", "?")}
logical cores (load average {os.getloadavg()[0]:.1f} at the end of the run; above 2, other work shared the cores); the native figures from the `web_fixtures` example
(`--release`, `--bench`) on the same machine, in {native.get("rounds", 1)} rounds alternating with the browser's;
each figure is the best of the rounds. The WebAssembly module is built by
`tools/web-build.sh` (release, LTO, one codegen unit, `panic = "abort"`); timings in the
scanner page's Web Worker (`performance.now()`).

| What | Native | Chromium (wasm) | Ratio | Target |
|---|---|---|---|---|
| `verify(text, keys, nowMs)` one code (PEM key text parsed, as each call does) | {us(native["verify_ns"])} | {us(browser["verify_ns"])} | {verify_ratio:.2f}× | ≤ 2× — {verdict(verify_ratio <= 2)} |
| `Checkpoint.check` one code (trust list, revocation list, policy) | {us(native["check_ns"])} | {us(browser["check_ns"])} | {check_ratio:.2f}× | ≤ 2× — {verdict(check_ratio <= 2)} |
| 1280 × 720 frame, code at 5 px/module (as the fake camera shows it) | {native["scan_clean_frame_ns"] / 1e6:.1f} ms | {browser["frame_clean_ms_median"]:.1f} ms median, {browser["frame_clean_ms_min"]:.1f} fastest | {browser["frame_clean_ms_min"] * 1e6 / native["scan_clean_frame_ns"]:.2f}× (fastest) | ≤ {frame_target:.0f} ms — {verdict(browser["frame_clean_ms_median"] <= frame_target)} |
| 1280 × 720 camera-like frame (2.5–3.5 px/module, clutter, blur, noise) | {native["scan_camera_frame_ns"] / 1e6:.1f} ms | {browser["frame_camera_ms_median"]:.1f} ms median, {browser["frame_camera_ms_min"]:.1f} fastest | {browser["frame_camera_ms_min"] * 1e6 / native["scan_camera_frame_ns"]:.2f}× (fastest) | ≤ {frame_target:.0f} ms — {verdict(browser["frame_camera_ms_median"] <= frame_target)} |

For reference, the core's `Verifier::verify` alone (key set built once), natively: {us(native["core_verify_ns"])}.
Native and browser figures are the same Rust functions (`verify_json`, `WebCheckpoint::check_json`,
`WebCheckpoint::check_rgba_json`); the browser's include the step from and to JavaScript values.

Per-code times are the mean of the fastest batch of calls (batches of at least 20 ms, at least 15
of them, over 1 s in the browser and 0.5 s natively), so that the other builds on the machine
disturb them least (the browser's timer in a worker ticks in 0.1 ms); a frame's
time is over 21 scans a round (the best round's median, and the fastest scan), natively the
fastest batch. A frame's time is
`Checkpoint.checkImage` in the worker: RGBA to grey, the scan, and the check of
the code found (the copy of the frame out of the `ImageBitmap` is not counted).

| `.wasm` | Bytes | Gzipped | Budget (gzip, checked by `tools/web-build.sh`) |
|---|---|---|---|
| `healthpass_bg.wasm` (wasm-bindgen {size["wasm_bindgen"]}) | {size["wasm_bytes"]:,} | {size["wasm_gzip_bytes"]:,} | {size["wasm_gzip_budget"]:,} |
""")
