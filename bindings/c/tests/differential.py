#!/usr/bin/env python3
"""The Rust side of the C differential test in test.sh, built from the `iotcode` CLI's JSON.

  differential.py inputs IOTCODE            every HTTP status 100-599 and every code, name and alias of every
                                            catalogue (and "<status> <name>"), one per line
  differential.py expected IOTCODE FILE     decode every line of FILE with `IOTCODE decode --json` and print
                                            input TAB status TAB catalogue:code:name|... per line, the format
                                            `test_aic --dump FILE` prints from the C API
"""
import json
import subprocess
import sys


def run_json(iotcode, *args):
    # `decode` exits 1 when some input did not decode; the JSON on stdout is still complete.
    out = subprocess.run([iotcode, *args], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=False)
    if out.returncode not in (0, 1):
        sys.exit(f"{iotcode} {args[0]} failed with exit status {out.returncode}")
    return json.loads(out.stdout)


def inputs(iotcode):
    seen = []
    def add(s):
        if s not in seen:
            seen.append(s)
    for n in range(100, 600):
        add(str(n))
    for entry in run_json(iotcode, "list", "--json"):
        for row in run_json(iotcode, "list", entry["catalogue"], "--json"):
            add(str(row["code"]))
            add(row["name"])
            for alias in row["aliases"]:
                add(alias)
            if row["http_status"] is not None:
                add(f'{row["http_status"]} {row["name"]}')
    return seen


def expected(iotcode, path):
    with open(path, encoding="utf-8") as f:
        lines = [line.rstrip("\n") for line in f]
    docs = run_json(iotcode, "decode", "--json", "--", *lines)
    for line, doc in zip(lines, docs, strict=True):
        status = doc["error"]["kind"] if "error" in doc else "ok"
        rows = "|".join(f'{m["catalogue"]}:{m["code"]}:{m["name"]}' for m in doc["matches"])
        print(f"{line}\t{status}\t{rows}")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "inputs":
        print("\n".join(inputs(sys.argv[2])))
    elif len(sys.argv) == 4 and sys.argv[1] == "expected":
        expected(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
