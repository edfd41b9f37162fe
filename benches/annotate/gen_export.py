#!/usr/bin/env python3
"""Writes a log export (JSON lines of AzureDiagnostics rows) of at least --mb megabytes, deterministically.

Usage: benches/annotate/gen_export.py --mb 100 OUT.jsonl

Every line is one of the real rows of tests/fixtures/payload/ (DPS DeviceOperations and ServiceOperations rows in
Log Analytics' columns, IoT Hub Connections rows as raw resource logs, and the IoT Hub CSV row as a Log Analytics
JSON row) with its identifiers, times and codes varied: IoT Hub rows carry every service-error code of
data/service_errors.csv that IoT Hub returns (with its name as ResultDescription, now and then in another case,
and its HTTP status as ResultSignature), DPS failure rows every 4xx/5xx status DPS returns. The same --mb and
seed give the same bytes, and a smaller file is a prefix of a larger one (same seed), so 10 MB and 100 MB runs
read the same kind of rows. Only for benchmarks: the output goes under target/, never into git.
"""
import argparse
import csv
import json
import os
import random

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURES = os.path.join(ROOT, "tests", "fixtures", "payload")


def fixture(name):
    with open(os.path.join(FIXTURES, name)) as f:
        return json.load(f)


def csv_fixture_as_json(name):
    """The CSV export's row as the same row reads in JSON (Log Analytics columns, `[UTC]` dropped)."""
    with open(os.path.join(FIXTURES, name), newline="") as f:
        header, row = list(csv.reader(f))[:2]
    return {h.split(" [")[0]: v for h, v in zip(header, row)}


def rows(name):
    with open(os.path.join(ROOT, "data", name), newline="") as f:
        return list(csv.DictReader(f))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=float, required=True, help="at least this many megabytes (10^6 bytes)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("out")
    args = ap.parse_args()

    hub_codes = [r for r in rows("service_errors.csv") if "iot-hub" in r["services"].split(";")]
    statuses = {int(r["code"]): r for r in rows("http_statuses.csv")}
    dps_failures = [s for s, r in sorted(statuses.items()) if s >= 400 and "dps" in r["services"].split(";")]

    dps_ok = fixture("diag-dps-attestation-success.json")
    dps_attest_fail = fixture("seed-dps-401-attestation-failure.json")
    dps_service_fail = fixture("seed-dps-412-etag-mismatch.json")
    hub_raw = fixture("diag-iothub-connections-raw.json")
    hub_raw_central = fixture("seed-central-401003-token-expired.json")
    hub_la = csv_fixture_as_json("diag-iothub-409002.csv")

    rng = random.Random(args.seed)
    limit = int(args.mb * 1_000_000)
    written = 0
    hub_ops = ["deviceConnect", "deviceDisconnect"]

    def stamp(i):
        s = i % 86400
        return f"2025-05-{1 + (i // 86400) % 28:02d}T{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}Z"

    def uuid():
        h = f"{rng.getrandbits(128):032x}"
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-8{h[17:20]}-{h[20:]}"

    def hub_code():
        r = rng.choice(hub_codes)
        name = r["name"]
        roll = rng.random()
        if roll < 0.05:
            name = name.lower()
        elif roll < 0.08 and r["aliases"]:
            name = r["aliases"].split(";")[0]
        return r, name

    with open(args.out, "w") as out:
        i = 0
        while written < limit:
            roll = rng.random()
            dev = f"{rng.choice(['sensor', 'pump', 'gateway', 'meter'])}-{rng.randrange(100000):05d}"
            if roll < 0.30:
                row = dict(dps_ok)
                row["CorrelationId"] = uuid()
                row["DurationMs"] = str(rng.randrange(20, 2000))
                row["TimeGenerated"] = stamp(i)
                row["properties_s"] = json.dumps(
                    {"id": dev, "type": "Registration", "protocol": rng.choice(["Mqtt", "Amqp", "Http"])},
                    separators=(",", ":"))
            elif roll < 0.45:
                status = rng.choice(dps_failures)
                row = dict(dps_attest_fail)
                row["CorrelationId"] = uuid()
                row["ResultSignature"] = str(status)
                row["ResultDescription"] = statuses[status]["name"]
                row["TimeGenerated"] = stamp(i)
                row["properties_s"] = json.dumps(
                    {"id": dev, "type": "Registration", "protocol": "Mqtt"}, separators=(",", ":"))
            elif roll < 0.55:
                status = rng.choice(dps_failures)
                row = dict(dps_service_fail)
                row["ResultSignature"] = str(status)
                row["ResultDescription"] = f"{statuses[status]['name']}."
                row["TimeGenerated"] = stamp(i)
                row["properties_s"] = json.dumps(
                    {"id": f"group-{rng.randrange(1000)}",
                     "type": rng.choice(["EnrollmentGroup", "IndividualEnrollment"]), "protocol": "Http"},
                    separators=(",", ":"))
            elif roll < 0.85:
                r, name = hub_code()
                row = dict(rng.choice([hub_raw, hub_raw_central]))
                row["time"] = stamp(i)
                row["operationName"] = rng.choice(hub_ops)
                row["resultType"] = r["code"]
                row["resultDescription"] = name
                row["properties"] = json.dumps(
                    {"deviceId": dev, "protocol": rng.choice(["Mqtt", "Amqp"]),
                     "maskedIpAddress": f"198.51.100.{rng.randrange(256)}"},
                    separators=(",", ":"))
            else:
                r, name = hub_code()
                row = dict(hub_la)
                row["TimeGenerated"] = stamp(i)
                row["OperationName"] = rng.choice(hub_ops)
                row["ResultType"] = r["code"]
                row["ResultSignature"] = r["http_status"]
                row["ResultDescription"] = name
                row["properties_s"] = json.dumps(
                    {"deviceId": dev, "protocol": rng.choice(["Mqtt", "Amqp"])}, separators=(",", ":"))
            line = json.dumps(row, separators=(",", ":")) + "\n"
            out.write(line)
            written += len(line.encode())
            i += 1
    print(f"{args.out}: {i} records, {written} bytes")


if __name__ == "__main__":
    main()
