// The log-export reader of the dashboard (demo/logs.js), with the package's real `decode`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { chartBars, codeFields, countCodes, isCodeField, parseCsv, parseLog } from "../demo/logs.js";

const { decode } = createRequire(import.meta.url)("../pkg/node/azure_iot_codes.js");
const sample = (name) => readFileSync(new URL(`../demo/samples/${name}`, import.meta.url), "utf8");
const allFields = (counted) => new Set(counted.fields.map((f) => f.path));
// Decoding for the service a log comes from, as the dashboard's "Logs are from" does.
const decodeFor = (service) => (v) => decode(v, { service });

test("CSV: quotes, doubled quotes, line breaks in quotes, CRLF, and the delimiter of the header", () => {
  assert.deepEqual(parseCsv('a,b\r\n"x, y","say ""hi"""\n"multi\nline",2\n'), [
    ["a", "b"],
    ["x, y", 'say "hi"'],
    ["multi\nline", "2"],
  ]);
  assert.deepEqual(parseCsv("a;b\n1;2"), [
    ["a", "b"],
    ["1", "2"],
  ]);
  assert.deepEqual(parseCsv("a\tb\n1\t2\n\n"), [
    ["a", "b"],
    ["1", "2"],
  ]);
});

test("JSON: one document, an array, Azure's {records: [...]}, or JSON lines with bad lines skipped", () => {
  assert.deepEqual(parseLog('{"errorCode": 401002}'), { format: "json", records: [{ errorCode: 401002 }], skipped: 0 });
  assert.equal(parseLog('[{"a":1},{"b":2},3]').records.length, 2);
  assert.equal(parseLog('[{"a":1},{"b":2},3]').skipped, 1);
  assert.deepEqual(parseLog('{"records":[{"status":"assigned"}]}').records, [{ status: "assigned" }]);
  const lines = parseLog('{"a":1}\nnot json\n\n{"b":2}\n[1]\n');
  assert.equal(lines.format, "json-lines");
  assert.deepEqual(lines.records, [{ a: 1 }, { b: 2 }]);
  assert.equal(lines.skipped, 2);
});

test("code-like fields: by name, nested, and inside JSON strings", () => {
  for (const name of ["errorCode", "error_code", "StatusCode", "resultType", "result-signature", "iothub-errorcode"]) {
    assert.ok(isCodeField(name), name);
  }
  for (const name of ["deviceId", "time", "message", "codes"]) {
    assert.ok(!isCodeField(name), name);
  }
  const record = {
    time: "2026-01-01",
    resultSignature: "401",
    properties: '{"registrationId":"a","errorCode":401002,"nested":{"substatus":"initialAssignment"}}',
    body: { status: "failed", message: "x" },
    code: "",
  };
  assert.deepEqual(codeFields(record), [
    ["resultSignature", "401"],
    ["properties.errorCode", 401002],
    ["properties.nested.substatus", "initialAssignment"],
    ["body.status", "failed"],
  ]);
});

test("the IoT Hub CSV sample: counts by code, undecoded values kept apart", () => {
  const counted = countCodes(sample("iothub-connections.csv"), decodeFor("iot-hub"));
  assert.equal(counted.format, "csv");
  assert.equal(counted.records, 7);
  assert.deepEqual(
    counted.fields.map((f) => [f.path, f.values, f.decoded, [...f.undecoded]]),
    [["ResultType", 7, 6, [["Success", 1]]]],
  );
  const bars = chartBars(counted, allFields(counted));
  assert.deepEqual(
    bars.map((b) => [b.key, b.count, b.meaning.name]),
    [
      ["service-error 404104", 3, "DeviceConnectionClosedRemotely"],
      ["service-error 401003", 2, "IotHubUnauthorized"],
      ["service-error 403002", 1, "IotHubQuotaExceeded"],
    ],
  );
});

test("the DPS JSON-lines sample: HTTP statuses and six-digit codes, selectable per field", () => {
  const counted = countCodes(sample("dps-diagnostics.jsonl"), decodeFor("dps"));
  assert.equal(counted.format, "json-lines");
  assert.deepEqual(
    counted.fields.map((f) => [f.path, f.decoded]),
    [
      ["properties.errorCode", 11],
      ["resultSignature", 11],
      ["resultType", 0],
    ],
  );
  const codesOnly = chartBars(counted, new Set(["properties.errorCode"]));
  assert.deepEqual(
    codesOnly.map((b) => [b.meaning.code, b.count]),
    [
      [401002, 5],
      [409203, 3],
      [404201, 2],
      [400209, 1],
    ],
  );
  assert.equal(chartBars(counted, allFields(counted)).length, 8);
  assert.deepEqual(chartBars(counted, new Set()), []);
});

test("without the service, Success and Failure read as Device Update results", () => {
  // Why the dashboard asks where a log comes from: the Device Update catalogues name these words.
  const hub = countCodes(sample("iothub-connections.csv"), decode);
  assert.deepEqual(
    hub.fields.map((f) => [f.path, f.decoded, [...f.undecoded]]),
    [["ResultType", 7, []]],
  );
  const success = chartBars(hub, allFields(hub)).find((b) => b.inputs.includes("Success"));
  assert.equal(success.meaning.catalogue, "du-diagnostics-result");
  const dps = countCodes(sample("dps-diagnostics.jsonl"), decode);
  assert.equal(dps.fields.find((f) => f.path === "resultType").decoded, 11);
});

test("different spellings of one code count as one bar; the decode options apply", () => {
  const text = 'errorCode\n401002\n0x61E6A\n" 401002 "\n';
  const counted = countCodes(text, decode);
  const bars = chartBars(counted, allFields(counted));
  assert.equal(bars.length, 1);
  assert.equal(bars[0].count, 3);
  assert.deepEqual(bars[0].inputs, ["401002", "0x61E6A", " 401002 "]);
  // With a service that does not have 401002 (Device Update), nothing decodes.
  const du = countCodes(text, (v) => decode(v, { service: "device-update" }));
  assert.equal(du.fields[0].decoded, 0);
});
