#!/usr/bin/env python3
"""Checks that `iotcode annotate` and benches/annotate/annotate.jq added the same fields to the same records.

Usage: benches/annotate/compare.py INPUT.jsonl ANNOTATE_OUT.jsonl JQ_OUT.jsonl

Line by line (the three files must have as many lines): both outputs parse as JSON objects; without their
"iotcode" member each equals the input record; annotate's "iotcode" without "retry" (which the jq program does
not compute, see annotate.jq) equals jq's "iotcode", compared as parsed JSON (member order aside). Prints
`agree <n>/<n>` and exits 0, or prints the first differences and exits 1.
"""
import json
import sys


def main():
    src, ann, jq = sys.argv[1:4]
    total = agree = 0
    shown = 0
    with open(src) as a, open(ann) as b, open(jq) as c:
        for n, (x, y, z) in enumerate(zip(a, b, c), 1):
            total += 1
            rec, out_a, out_j = json.loads(x), json.loads(y), json.loads(z)
            added_a = out_a.pop("iotcode", None)
            added_j = out_j.pop("iotcode", None)
            problems = []
            if out_a != rec:
                problems.append("annotate changed the record")
            if out_j != rec:
                problems.append("jq changed the record")
            if added_a is None or added_j is None:
                problems.append(f"no iotcode member (annotate: {added_a is not None}, jq: {added_j is not None})")
            else:
                added_a.pop("retry", None)
                for key in sorted(set(added_a) | set(added_j)):
                    if added_a.get(key) != added_j.get(key):
                        problems.append(f"{key}: annotate {json.dumps(added_a.get(key))[:600]} "
                                        f"| jq {json.dumps(added_j.get(key))[:600]}")
            if problems:
                if shown < 5:
                    print(f"line {n}: " + "; ".join(problems))
                shown += 1
            else:
                agree += 1
        rest = [f.readline() for f in (a, b, c)]
        if any(rest):
            print("the files have different numbers of lines")
            agree = -1
    print(f"agree {agree}/{total}")
    sys.exit(0 if agree == total else 1)


if __name__ == "__main__":
    main()
