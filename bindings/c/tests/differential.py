#!/usr/bin/env python3
"""The Rust side of the C differential tests in test.sh, built from the `iotcode` CLI's JSON.

  differential.py inputs IOTCODE            every HTTP status 100-599, every code, name and alias of every
                                            catalogue (and "<status> <name>"), and a sample of Device Update
                                            extended result codes in the forms twins and agents write them,
                                            one per line
  differential.py expected IOTCODE FILE     decode every line of FILE with `IOTCODE decode --json` and print
                                            input TAB status TAB catalogue:code:name|... per line, the format
                                            `test_aic --dump FILE` prints from the C API
  differential.py same-json IOTCODE FILE C_JSON [DECODE OPTION...]
                                            decode every line of FILE with `IOTCODE decode --json OPTION...`
                                            and require each document, compact, to equal the same line of
                                            C_JSON (`test_aic --dump-json`) byte for byte; inputs the CLI reads
                                            as pasted `az iot central` output are listed and not compared (at
                                            most 1 %)
  differential.py payload-inputs ROOT CODES OUT
                                            write to OUT every input aic_decode_payload_json is compared on,
                                            each followed by a NUL byte: every file under ROOT/tests/fixtures
                                            and ROOT/bindings/wasm/demo/samples whole and cut at a third and
                                            two thirds (truncated JSON, a topic without its body, part of a
                                            pasted output), hand-picked edge cases, then every line of CODES
  differential.py same-payload-json IOTCODE FILE C_JSON [DECODE OPTION...]
                                            decode every input of FILE (NUL-terminated) with `IOTCODE decode
                                            --json OPTION...` and require each document, compact, to equal
                                            the same line of C_JSON (`test_aic --dump-payload-json`) byte for
                                            byte; nothing is skipped
"""
import json
import os
import subprocess
import sys


def run(iotcode, *args):
    # `decode` exits 1 when some input did not decode; the JSON on stdout is still complete.
    out = subprocess.run([iotcode, *args], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=False)
    if out.returncode not in (0, 1):
        sys.exit(f"{iotcode} {args[0]} failed with exit status {out.returncode}")
    return out.stdout.decode("utf-8")


def run_json(iotcode, *args):
    return json.loads(run(iotcode, *args))


def erc_sample():
    """Extended result codes: every facility with the components and values of every special reading (exit
    codes, errno, reserved extension codes, delta processor, Delivery Optimization HRESULTs), legacy ones."""
    codes = []
    for facility in range(16):
        for component in (0, 1, 3, 5, 10, 0xFF):
            for value in (0, 7, 0x83, 0x1000, 0x1028, 0xFFFFF):
                codes.append((facility << 28) | (component << 20) | value)
    for hresult in (0x80190194, 0x801901F7, 0x80070005, 0x80D02002, 0x80D00002, 0xC0D00005):
        codes.append(0xD0000000 | (hresult & 0x0FFFFFFF))
    forms = []
    for code in codes:
        forms.append(f"0x{code:08X}")
        if code >= 0x80000000:
            forms.append(str(code - (1 << 32)))  # the signed form twins show
        forms.append(f"{code:08X}")  # agent 1.1.0's bare hex (8 decimal digits stay a decimal number)
    for a, b in zip(codes[::7], codes[3::7]):
        forms.append(f"{a:08X},{b:08X}")  # an extendedResultCodes list, root first
    return forms


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
    for form in erc_sample():
        add(form)
    return seen


def read_lines(path):
    with open(path, encoding="utf-8") as f:
        return [line.rstrip("\n") for line in f]


def expected(iotcode, path):
    lines = read_lines(path)
    docs = run_json(iotcode, "decode", "--json", "--", *lines)
    for line, doc in zip(lines, docs, strict=True):
        status = doc["error"]["kind"] if "error" in doc else "ok"
        rows = "|".join(f'{m["catalogue"]}:{m["code"]}:{m["name"]}' for m in doc["matches"])
        print(f"{line}\t{status}\t{rows}")


def same_json(iotcode, path, c_path, options):
    lines = read_lines(path)
    text = run(iotcode, "decode", "--json", *options, "--", *lines)
    docs = json.loads(text)
    # Python keeps the key order and writes JSON as serde_json does (2-space indent, ": ", raw UTF-8, the same
    # escapes): prove it on the CLI's own bytes first, so the compact form below is the CLI's document.
    if json.dumps(docs, indent=2, ensure_ascii=False) + "\n" != text:
        sys.exit("same-json: re-serializing the CLI's JSON does not give its bytes back")
    with open(c_path, encoding="utf-8") as f:
        c_docs = f.read().split("\n")[:-1]
    if len(c_docs) != len(lines):
        sys.exit(f"same-json: {len(c_docs)} C documents for {len(lines)} inputs")
    bad = 0
    central = 0
    for line, doc, c_doc in zip(lines, docs, c_docs, strict=True):
        # Input the CLI reads as pasted `az iot central` output (a "central" object; its matches are the report's
        # causes, whatever the filters) is outside the C API, which decodes it as a code: not compared.
        if "central" in doc:
            central += 1
            print(f"same-json: not compared, read by the CLI as pasted az iot central output: {line!r}")
            continue
        cli = json.dumps(doc, separators=(",", ":"), ensure_ascii=False)
        if cli != c_doc:
            bad += 1
            if bad <= 3:
                print(f"input {line!r}:\n  CLI {cli[:400]}\n  C   {c_doc[:400]}", file=sys.stderr)
    note = f", {central} not compared (pasted az iot central output)" if central else ""
    print(f"same-json {' '.join(options) or '(defaults)'}: {len(lines) - bad - central} passed, {bad} failed{note}")
    if bad:
        sys.exit(1)
    if central * 100 > len(lines):
        sys.exit(f"same-json: {central} of {len(lines)} inputs read as pasted az iot central output: too many to skip")


# Inputs that exercise the readers' edges: each kind of payload error, pasted output the readers do not
# understand, a BOM, blank lines, a topic followed by a body that is not JSON.
EDGE_CASES = [
    "",
    " \n\t",
    "{",
    "[]",
    "{}",
    "{\"errorCode\": true}",
    "{\"errorCode\": 999999}",
    "\ufeff{\"errorCode\": 404001}",
    "$dps/registrations/res/",
    "$dps/registrations/res/429/?$rid=1&retry-after=soon",
    "$iothub/twin/res/204/?$rid=2&$version=3\nnot json",
    "iothub-errorcode: ",
    "iothub-errorcode: NoSuchError",
    "a,b\n1,2",
    "TimeGenerated,ResultType\n\"2025-01-01,Failure",
    "[ERROR] [DeviceId: d] something the reader does not know",
    "Validating telemetry.\nunexpected line",
    "{" * 80 + "}" * 80,
]


def payload_inputs(root, codes, out):
    texts = []
    for top in ("tests/fixtures", "bindings/wasm/demo/samples"):
        for dirpath, _, names in sorted(os.walk(os.path.join(root, top))):
            for name in sorted(names):
                with open(os.path.join(dirpath, name), encoding="utf-8") as f:
                    text = f.read()
                texts.append(text)
                texts.append(text[: len(text) // 3])
                texts.append(text[: len(text) * 2 // 3])
    texts.extend(EDGE_CASES)
    texts.extend(read_lines(codes))
    with open(out, "w", encoding="utf-8") as f:
        for t in texts:
            if "\0" in t:
                sys.exit("payload-inputs: an input holds a NUL byte")
            f.write(t + "\0")
    print(f"payload-inputs: {len(texts)} inputs", file=sys.stderr)


def same_payload_json(iotcode, path, c_path, options):
    with open(path, encoding="utf-8") as f:
        inputs = f.read().split("\0")[:-1]
    text = run(iotcode, "decode", "--json", *options, "--", *inputs)
    docs = json.loads(text)
    if json.dumps(docs, indent=2, ensure_ascii=False) + "\n" != text:
        sys.exit("same-payload-json: re-serializing the CLI's JSON does not give its bytes back")
    with open(c_path, encoding="utf-8") as f:
        c_docs = f.read().split("\n")[:-1]
    if len(c_docs) != len(inputs):
        sys.exit(f"same-payload-json: {len(c_docs)} C documents for {len(inputs)} inputs")
    bad = 0
    kinds = {}
    for text_in, doc, c_doc in zip(inputs, docs, c_docs, strict=True):
        if "error" in doc:
            kind = "not read"
        else:
            kind = "central" if "central" in doc else "payload" if "payload" in doc else "code"
        kinds[kind] = kinds.get(kind, 0) + 1
        cli = json.dumps(doc, separators=(",", ":"), ensure_ascii=False)
        if cli != c_doc:
            bad += 1
            if bad <= 3:
                print(f"input {text_in[:200]!r}:\n  CLI {cli[:400]}\n  C   {c_doc[:400]}", file=sys.stderr)
    counts = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
    print(f"same-payload-json {' '.join(options) or '(defaults)'}: {len(inputs) - bad} passed, {bad} failed ({counts})")
    if bad:
        sys.exit(1)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "inputs":
        print("\n".join(inputs(sys.argv[2])))
    elif len(sys.argv) == 4 and sys.argv[1] == "expected":
        expected(sys.argv[2], sys.argv[3])
    elif len(sys.argv) >= 5 and sys.argv[1] == "same-json":
        same_json(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:])
    elif len(sys.argv) == 5 and sys.argv[1] == "payload-inputs":
        payload_inputs(sys.argv[2], sys.argv[3], sys.argv[4])
    elif len(sys.argv) >= 5 and sys.argv[1] == "same-payload-json":
        same_payload_json(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:])
    else:
        sys.exit(__doc__)
