#!/usr/bin/env python3
"""Compares the reference implementation's results (cases.jsonl, field "js") with ours (rs.jsonl):
the same value (numbers by value), or an error on both sides. Prints the agreement and the first
disagreements; exit status 1 if any."""
import collections, json, sys

def same(a, b):
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b and type(a) == type(b)
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return a == b

cases = [json.loads(line) for line in open(sys.argv[1])]
ours = [json.loads(line) for line in open(sys.argv[2])]
agree, values, kinds, examples = 0, 0, collections.Counter(), []
for case, rs in zip(cases, ours):
    js = case["js"]
    values += "value" in js
    if ("error" in js and "error" in rs) or ("value" in js and "value" in rs and same(js["value"], rs["value"])):
        agree += 1
        continue
    kinds[("js error" if "error" in js else "js value") + " / " + ("our error" if "error" in rs else "our value")] += 1
    examples.append((case, rs))
print(f"{agree} of {len(cases)} agree ({values} evaluate to a value in the reference implementation)")
for kind, n in kinds.most_common():
    print(f"  {n} {kind}")
for case, rs in examples[:5]:
    print(json.dumps(case["expr"]), json.dumps(case["data"]), "reference:", case["js"], "ours:", rs)
sys.exit(1 if examples else 0)
