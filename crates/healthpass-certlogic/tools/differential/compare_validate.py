#!/usr/bin/env python3
"""Compares the reference validator's issues (cases.jsonl, field "js") with ours (rs.jsonl,
field "issues"): the same list, in order, expression and message. Exit status 1 on a difference."""
import json, sys

cases = [json.loads(line) for line in open(sys.argv[1])]
ours = [json.loads(line) for line in open(sys.argv[2])]
diff = [(c, r) for c, r in zip(cases, ours) if c["js"] != r["issues"]]
print(f"{len(cases) - len(diff)} of {len(cases)} agree ({sum(1 for c in cases if c['js'])} with issues)")
for case, rs in diff[:5]:
    print(json.dumps(case["validate"]), "reference:", case["js"], "ours:", rs["issues"])
sys.exit(1 if diff else 0)
