#!/usr/bin/env python3
"""Writes seed corpora for the fuzz targets from test-vectors/log (run from this folder)."""
import glob, json, os

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "test-vectors", "log")

def put(target, name, data):
    d = os.path.join("corpus", target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)

for i, path in enumerate(sorted(glob.glob(os.path.join(root, "entry*", "*.json")))):
    put("parse", f"entry-{i}", b"\x00" + bytes.fromhex(json.load(open(path))["encoded"]))
for i, path in enumerate(sorted(glob.glob(os.path.join(root, "checkpoint", "*.json")))):
    note = json.load(open(path))["note"].encode()
    put("parse", f"note-{i}", b"\x01" + note)
    put("parse", f"body-{i}", b"\x02" + note.split(b"\n\n")[0] + b"\n")
    put("verify_checkpoint", f"note-{i}", note)
    put("parse", f"vkey-{i}", b"\x05" + json.load(open(path))["keys"]["log_vkey"].encode())
for i, path in enumerate(sorted(glob.glob(os.path.join(root, "tlog-proof", "*.json")))):
    put("parse", f"tlog-proof-{i}", b"\x04" + json.load(open(path))["proof"].encode())
put("parse", "tile", b"\x03tile/0/x001/x234/067.p/12")
put("proofs", "seed", bytes(range(25)) + bytes(32 * 6))

# Inputs that once failed, kept as seeds.
for target in os.listdir("regressions"):
    for name in os.listdir(os.path.join("regressions", target)):
        put(target, "regression-" + name, open(os.path.join("regressions", target, name), "rb").read())
