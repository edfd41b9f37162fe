// The built npm package (bindings/wasm/pkg, made by build.sh), used the way its consumers use it: by name
// through package.json "exports", from CommonJS and from ES modules, and each of the three wasm-bindgen
// targets. Run by test.sh with `node --test`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const pkg = join(here, "..", "pkg");
// The repository's payload and IoT Central fixtures.
const fixtures = join(here, "..", "..", "..", "tests", "fixtures");
const fixtureFiles = readdirSync(fixtures).flatMap((dir) =>
  readdirSync(join(fixtures, dir)).map((name) => join(fixtures, dir, name)),
);
const manifest = JSON.parse(readFileSync(join(pkg, "package.json"), "utf8"));

// A consumer project whose node_modules/azure-iot-codes is the built package.
const consumer = join(here, "..", "..", "..", "target", "wasm-consumer");
rmSync(consumer, { recursive: true, force: true });
mkdirSync(join(consumer, "node_modules"), { recursive: true });
symlinkSync(pkg, join(consumer, "node_modules", "azure-iot-codes"), "dir");
writeFileSync(join(consumer, "package.json"), '{ "private": true, "type": "module" }\n');
writeFileSync(join(consumer, "esm.js"), 'export * from "azure-iot-codes";\n');
writeFileSync(join(consumer, "esm-payload.js"), 'export * from "azure-iot-codes/payload";\n');

const requireFromConsumer = createRequire(join(consumer, "cjs.cjs"));
const cjs = requireFromConsumer("azure-iot-codes");
const esm = await import(pathToFileURL(join(consumer, "esm.js")).href);
// The payload module: the same API, and decodePayload.
const cjsPayload = requireFromConsumer("azure-iot-codes/payload");
const esmPayload = await import(pathToFileURL(join(consumer, "esm-payload.js")).href);

const ACTIONS = [
  "none",
  "retry",
  "re-register",
  "status-lookup",
  "renew-credentials",
  "fix-request",
  "operator-action",
  "contact-support",
  "give-up",
];
const WAITING = ["retry", "re-register", "status-lookup", "renew-credentials"];

function thrown(fn) {
  try {
    fn();
  } catch (e) {
    return e;
  }
  assert.fail("expected the call to throw");
}

for (const [flavour, api, withPayload] of [
  ["require()", cjs, cjsPayload],
  ["import", esm, esmPayload],
]) {
  test(`${flavour} by package name: decode, lookup, catalogues`, () => {
    const d = api.decode("401002");
    assert.equal(d.input, "401002");
    assert.deepEqual(d.number, { value: 401002, form: "decimal" });
    assert.equal(d.matches[0].catalogue, "service-error");
    assert.equal(d.matches[0].name, "IotHubUnauthorizedAccess");
    assert.equal(d.matches[0].httpStatus, 401);
    assert.ok(d.matches.some((m) => m.catalogue === "auth-suberror"));
    assert.deepEqual(
      api.catalogues().map((c) => c.id),
      [
        "http-status",
        "service-error",
        "auth-suberror",
        "iot-central-status",
        "dps-registration-status",
        "dps-registration-substatus",
        "mqtt-connack",
        "du-result-code",
        "du-extended-result-code",
        "du-diagnostics-result",
        "du-erc-pattern",
        "du-extension-code",
        "posix-errno",
        "do-hresult",
        "iot-central-unmodeled-cause",
        "iot-central-export",
        "dps-metric",
        "dps-log-category",
      ],
    );
    assert.equal(api.lookup("mqtt-connack", 5)[0].name, "NotAuthorized");
  });

  test(`${flavour}: Device Update codes come with facility, component and value`, () => {
    const d = api.decode(-536870781);
    assert.deepEqual(d.number, { value: 3758096515, form: "signed" });
    const [legacy, current] = d.matches;
    assert.equal(legacy.catalogue, "du-extended-result-code");
    assert.equal(legacy.name, "ADUC_ERC_NOTRECOVERABLE");
    assert.deepEqual(
      [legacy.hex, legacy.signed, legacy.unsigned, legacy.layout, legacy.facility, legacy.component, legacy.value],
      ["0xE0000083", -536870781, 3758096515, "legacy", { code: 14, name: "ADUC_FACILITY_ERRNO" }, null, 131],
    );
    assert.deepEqual(legacy.errno, { code: 131, name: "ENOTRECOVERABLE" });
    assert.deepEqual(legacy.agentVersions, ["0.6.0", "0.7.0"]);
    assert.equal(legacy.pattern, null);
    assert.deepEqual([current.layout, current.component, current.value, current.pattern], ["current", { code: 0, name: null }, 131, "UNNAMED"]);
    // Narrowed to one agent version, only the reading that holds for it is left.
    assert.deepEqual(
      api.decode("-536870781", { agentVersion: "1.1.0" }).matches.map((m) => m.layout),
      ["current"],
    );
    const script = api.decode("0x30501028").matches[0];
    assert.deepEqual([script.exitCode, script.component.name], [40, "ADUC_CONTENT_HANDLER_SCRIPT"]);
    assert.equal(api.decode("0xD0190194").matches[0].deliveryOptimization.httpStatus, 404);
    // Signed codes are negative numbers; rows of other catalogues have no reading fields.
    const cancelled = api.decode(-1).matches[0];
    assert.deepEqual([cancelled.catalogue, cancelled.code, cancelled.action], ["du-result-code", -1, "cancel"]);
    assert.equal("hex" in cancelled, false);
    assert.equal(api.lookup("iot-central-export", "EVENT_HUBS")[0].role, "Azure Event Hubs Data Sender");
  });

  test(`${flavour}: classifyRetry and nextDelays`, () => {
    const d = api.classifyRetry(429, { service: "dps", retryAfter: "5", seed: 1 });
    assert.deepEqual(Object.keys(d), [
      "action",
      "delayMs",
      "retryAfter",
      "reason",
      "rule",
      "basis",
      "pace",
      "service",
      "attempt",
      "budgetSpent",
    ]);
    assert.deepEqual(
      [d.action, d.delayMs, d.retryAfter, d.rule, d.pace, d.service, d.attempt, d.budgetSpent],
      ["retry", 5000, { use: "honored", seconds: 5 }, "dps-429", "throttled", "dps", 1, null],
    );
    assert.match(d.reason, /Retry-After of 5 s/);
    const du = api.classifyRetry("-536870781");
    assert.deepEqual([du.action, du.delayMs, du.service, du.rule], ["operator-action", null, "device-update", "du-erc"]);
    const steps = api.nextDelays(503, { seed: 7 });
    assert.deepEqual(steps[0], api.classifyRetry(503, { seed: 7 }));
    assert.equal(steps.at(-1).action, "give-up");
    assert.ok(steps.slice(0, -1).every((s) => s.delayMs > 0));
    assert.deepEqual(
      steps.map((s) => s.attempt),
      steps.map((_, i) => i + 1),
    );
    assert.equal(api.nextDelays(503, { seed: 7, count: 3 }).length, 3);
  });
  test(`${flavour}: azure-iot-codes/payload is the same API with decodePayload`, () => {
    assert.equal(api.decodePayload, undefined);
    assert.equal(typeof withPayload.decodePayload, "function");
    for (const name of Object.keys(api)) {
      assert.equal(typeof withPayload[name], typeof api[name], name);
    }
    assert.deepEqual(withPayload.decode("-536870781"), api.decode("-536870781"));
    assert.deepEqual(withPayload.lookup("mqtt-connack", 5), api.lookup("mqtt-connack", 5));
    assert.deepEqual(withPayload.classifyRetry(429, { seed: 2 }), api.classifyRetry(429, { seed: 2 }));
  });

  test(`${flavour}: decodePayload takes UTF-8 bytes and refuses the rest, naming the first bad byte`, () => {
    const api = withPayload;
    const text = "$dps/registrations/res/429/?$rid=12&retry-after=5";
    assert.deepEqual(
      api.decodePayload(new TextEncoder().encode(text), { seed: 1 }),
      api.decodePayload(text, { seed: 1 }),
    );
    const bad = new Uint8Array([...new TextEncoder().encode('{"errorCode": 401002'), 0xff, 0x7d]);
    assert.throws(
      () => api.decodePayload(bad),
      (e) => e instanceof api.AzureIotCodesError && e.kind === "invalid-utf8" && /20/.test(e.message),
    );
    assert.equal(api.decodePayload("401002").matches[0].name, "IotHubUnauthorizedAccess");
  });

  test(`${flavour}: decodePayload reads topics, JSON bodies, pasted output and codes`, () => {
    const api = withPayload;
    const topic = api.decodePayload("$dps/registrations/res/429/?$rid=12&retry-after=5", { seed: 1 });
    assert.equal(topic.payload.kind, "dps-response-topic");
    assert.deepEqual(topic.payload.parsed, {
      kind: "dps-registration",
      status: 429,
      requestId: "12",
      retryAfter: "5",
      version: null,
    });
    assert.deepEqual(topic.payload.context, { requestId: "12", retryAfter: "5" });
    assert.equal(topic.payload.retry.action, "retry");
    assert.equal(topic.payload.retry.delayMs, 5000);
    assert.deepEqual(topic.payload.retry.retryAfter, { use: "honored", seconds: 5 });
    // Its matches are decode's, each with classifyRetry's decision.
    assert.equal(topic.matches[0].name, "Too Many Requests");
    assert.equal(topic.matches[0].httpStatus, 429);
    assert.equal(topic.matches[0].retry.delayMs, 5000);

    const body = readFileSync(join(fixtures, "payload", "dps-topic-200-failed-400209.txt"), "utf8");
    const doc = api.decodePayload(body, { seed: 0 });
    assert.equal(doc.input, body);
    assert.equal(doc.payload.kind, "dps-registration");
    assert.equal(doc.payload.topic.status, 200);
    assert.equal(doc.payload.failure, true);
    assert.equal(doc.payload.parsed.registrationState.errorCode, 400209);
    assert.equal(doc.payload.context.operationId, "4.aaaa1111bbbb2222.55555555-6666-7777-8888-999999999999");
    assert.deepEqual(
      doc.payload.codes.map((c) => c.field),
      ["topic status", "status", "registrationState.status", "registrationState.errorCode"],
    );
    assert.equal(doc.payload.codes[3].matches[0].name, "CustomAllocationUnauthorizedAccess");
    assert.equal(doc.payload.retry.action, "operator-action");
    assert.deepEqual(
      doc.matches.map((m) => m.name),
      ["OK", "failed", "CustomAllocationUnauthorizedAccess"],
    );

    const code = api.decodePayload("401002", { seed: 3 });
    assert.deepEqual(Object.keys(code), ["input", "matches"]);
    const plain = api.decode("401002").matches;
    assert.deepEqual(
      code.matches.map(({ retry, ...m }) => m),
      plain,
    );
    assert.deepEqual(
      code.matches.map((m) => m.retry),
      plain.map((m) => api.classifyRetry(m, { seed: 3 })),
    );

    const pasted = readFileSync(join(fixtures, "central", "validate-messages-datatype.txt"), "utf8");
    const central = api.decodePayload(pasted);
    assert.equal(central.central.deviceFilter, "boiler-07");
    assert.deepEqual(central.central.findings[0].detail, {
      kind: "datatype-mismatch",
      field: "pressure",
      expected: "double",
      sent: "high",
      sentLooksLike: "string",
    });
    assert.equal(central.matches[0].code, "SCHEMA_MISMATCH");
  });

  test(`${flavour}: errors are AzureIotCodesError, an Error subclass`, () => {
    const e = thrown(() => api.decode("4o4"));
    assert.ok(e instanceof api.AzureIotCodesError);
    assert.ok(e instanceof Error);
    assert.equal(e.name, "AzureIotCodesError");
    assert.equal(e.kind, "malformed");
    assert.equal(e.input, "4o4");
    assert.match(e.expected, /decimal/);
    assert.match(e.message, /^cannot decode "4o4": not shaped like a code/);
    assert.match(String(e), /^AzureIotCodesError: cannot decode/);
    assert.equal(typeof e.stack, "string");
  });
}


test("every match of decode can be classified, as itself", () => {
  for (const code of ["401002", "-536870781", "0xD01901F7", "DEVICE_DISABLED", "2"]) {
    for (const m of cjs.decode(code).matches) {
      const d = cjs.classifyRetry(m, { seed: 3 });
      assert.ok(ACTIONS.includes(d.action), d.action);
      assert.equal(d.delayMs === null, !WAITING.includes(d.action), `${m.catalogue} ${m.code}: ${d.action} ${d.delayMs}`);
    }
  }
  // A Delivery Optimization 503 is worth another deployment after a backoff; the row's own service is used.
  const dof = cjs.classifyRetry(cjs.decode("0xD01901F7").matches[0], { seed: 3 });
  assert.deepEqual([dof.action, dof.service, dof.rule], ["retry", "device-update", "du-download-transient"]);
  // A hand-written reference to a row.
  assert.equal(cjs.classifyRetry({ catalogue: "mqtt-connack", code: 3 }).action, "retry");
});

test("retry options: sub-codes, attempts, elapsed time, Retry-After forms, operation", () => {
  const c = cjs.classifyRetry;
  assert.equal(c(401, { service: "iot-central", subCode: "DEVICE_BLOCKED" }).action, "operator-action");
  assert.equal(c(401, { service: "dps", subCode: 400209 }).action, "operator-action");
  assert.equal(c(503, { attempt: 10 }).budgetSpent, "attempts");
  assert.equal(c(503, { attempt: 3, elapsedMs: 239_999 }).budgetSpent, "elapsed");
  assert.deepEqual(c(429, { service: "dps", retryAfter: "$dps/registrations/res/429/?$rid=1&retry-after=3" }).retryAfter, {
    use: "honored",
    seconds: 3,
  });
  assert.deepEqual(c(429, { service: "dps", retryAfter: 0 }).retryAfter, { use: "clamped", seconds: 0, usedMs: 1000 });
  const past = c(429, { service: "dps", retryAfter: "Sun, 06 Nov 1994 08:49:37 GMT" });
  assert.deepEqual([past.retryAfter, past.delayMs], [{ use: "clamped", seconds: 0, usedMs: 1000 }, 1000]);
  // A date 200 s ahead (second precision) is honoured; an hour ahead is brought down to 300 s, past the 240 s
  // budget, so the device gives up.
  const soon = c(429, { service: "dps", retryAfter: new Date(Date.now() + 200_000).toUTCString() });
  assert.equal(soon.retryAfter.use, "honored");
  assert.ok(soon.retryAfter.seconds >= 190 && soon.retryAfter.seconds <= 200, `${soon.retryAfter.seconds}`);
  assert.equal(soon.delayMs, soon.retryAfter.seconds * 1000);
  const later = c(429, { service: "dps", retryAfter: new Date(Date.now() + 3_600_000).toUTCString() });
  assert.deepEqual([later.action, later.budgetSpent], ["give-up", "elapsed"]);
  assert.match(later.reason, /^waiting 300 s after 0 ms would pass the time budget of 240 s/);
  const bad = c(429, { service: "dps", retryAfter: "soon" });
  assert.deepEqual([bad.retryAfter.use, bad.retryAfter.error, bad.action], ["invalid", "malformed", "retry"]);
  assert.equal(c(429, { service: "dps", retryAfter: 1.5 }).retryAfter.error, "not-integer");
  assert.equal(c(400, { operation: "service-api" }).action, "fix-request");
  assert.equal(c(200).action, "none");
  // The same seed gives the same delays; without one the jitter differs from call to call.
  assert.equal(c(503, { seed: 42 }).delayMs, c(503, { seed: 42 }).delayMs);
  const delays = new Set(Array.from({ length: 20 }, () => c(503).delayMs));
  assert.ok(delays.size > 1, `${[...delays]}`);
});


test("both module systems get the same (nodejs) build", () => {
  assert.equal(esm.decode, cjs.decode);
  assert.equal(esm.AzureIotCodesError, cjs.AzureIotCodesError);
});

test("results are plain, JSON-ready objects", () => {
  const payloads = fixtureFiles.map((f) => readFileSync(f, "utf8")).flatMap((t) => {
    try {
      return [cjsPayload.decodePayload(t)];
    } catch {
      return [];
    }
  });
  for (const r of [
    cjs.decode("-536870781"),
    cjs.classifyRetry(429, { retryAfter: "x" }),
    cjs.nextDelays(503),
    ...payloads,
  ]) {
    assert.deepEqual(JSON.parse(JSON.stringify(r)), r);
    assert.deepEqual(structuredClone(r), r);
  }
  const d = cjs.decode("404 Not Found");
  assert.equal(Object.getPrototypeOf(d), Object.prototype);
  assert.equal(Object.getPrototypeOf(d.matches[0]), Object.prototype);
  assert.deepEqual(JSON.parse(JSON.stringify(d)), d);
  assert.deepEqual(structuredClone(d), d);
  // Fresh objects every call: changing one result does not change the next.
  d.matches[0].name = "changed";
  assert.equal(cjs.decode("404 Not Found").matches[0].name, "Not Found");
});

test("every kind of bad input throws the kind the types promise", () => {
  const cases = [
    [() => cjs.decode(""), "empty", ""],
    [() => cjs.decode("   "), "empty", "   "],
    [() => cjs.decode("0x"), "malformed", "0x"],
    [() => cjs.decode(0.5), "malformed", "0.5"],
    [() => cjs.decode(Infinity), "malformed", "Infinity"],
    [() => cjs.decode("99999999999"), "out-of-range", "99999999999"],
    [() => cjs.decode(2 ** 60), "out-of-range", String(2 ** 60)],
    [() => cjs.decode(1e300), "out-of-range", "1e+300"],
    [() => cjs.decode("9".repeat(2 ** 20 + 1)), "too-large", "9".repeat(48)],
    [() => cjs.decode("1", { agentVersion: "0.5" }), "not-found", "0.5"],
    [() => cjs.decode("1", { agentVersion: 1 }), "invalid-argument", "1"],
    [() => cjs.decode("999"), "not-found", "999"],
    [() => cjs.decode("401", { catalogue: "nope" }), "unknown-catalogue", "nope"],
    [() => cjs.decode("401", { service: "hub" }), "unknown-service", "hub"],
    [() => cjs.decode("401", { catalog: "http-status" }), "invalid-argument", "catalog"],
    [() => cjs.decode("401", { service: 1 }), "invalid-argument", "1"],
    [() => cjs.decode("401", []), "invalid-argument", "an array"],
    [() => cjs.decode({}), "invalid-argument", "an object"],
    [() => cjs.decode(), "invalid-argument", "undefined"],
    [() => cjs.decode(null), "invalid-argument", "null"],
    [() => cjs.decode(10n), "invalid-argument", "a bigint"],
    [() => cjs.decode(Symbol("x")), "invalid-argument", "a symbol"],
    [() => cjs.lookup("nope", 401), "unknown-catalogue", "nope"],
    [() => cjs.lookup(undefined, 401), "invalid-argument", "undefined"],
    [() => cjs.lookup("http-status", "4o4"), "malformed", "4o4"],
    [() => cjs.classifyRetry("4o4"), "malformed", "4o4"],
    [() => cjs.classifyRetry(true), "invalid-argument", "the boolean true"],
    [() => cjs.classifyRetry(429, { retry_after: 5 }), "invalid-argument", "retry_after"],
    [() => cjs.classifyRetry(429, { attempt: -1 }), "invalid-argument", "-1"],
    [() => cjs.classifyRetry(429, { seed: 0.5 }), "invalid-argument", "0.5"],
    [() => cjs.classifyRetry(429, { service: "hub" }), "unknown-service", "hub"],
    [() => cjs.classifyRetry(429, { subCode: "NOPE" }), "not-found", "NOPE"],
    [() => cjs.classifyRetry(429, { operation: "backend" }), "invalid-argument", "backend"],
    [() => cjs.classifyRetry(429, { retryAfter: "9".repeat(2 ** 20 + 1) }), "too-large", "9".repeat(48)],
    [() => cjs.classifyRetry({ catalogue: "http-status", code: 999 }), "not-found", "999"],
    [() => cjs.classifyRetry({ catalogue: "nope", code: 1 }), "unknown-catalogue", "nope"],
    [() => cjs.nextDelays(429, { count: -1 }), "invalid-argument", "-1"],
    [() => cjs.nextDelays(429, { cuont: 1 }), "invalid-argument", "cuont"],
    [() => cjsPayload.decodePayload('{"errorCode": 4'), "truncated", '{"errorCode": 4'],
    [() => cjsPayload.decodePayload('{"errorCode": 401002,}'), "invalid-json", '{"errorCode": 401002,}'],
    [() => cjsPayload.decodePayload('{"a":'.repeat(100) + "1" + "}".repeat(100)), "too-deep", '{"a":'.repeat(9) + '{"a'],
    [() => cjsPayload.decodePayload("$dps/registrations/res/x/?$rid=1"), "invalid-topic", "$dps/registrations/res/x/?$rid=1"],
    [() => cjsPayload.decodePayload("OperationName,Category,ResultType\na,b,c,d"), "invalid-csv", "a,b,c,d"],
    [() => cjsPayload.decodePayload('{"hello": 1}'), "unknown-shape", '{"hello": 1}'],
    [() => cjsPayload.decodePayload('{"errorCode": true}'), "invalid-field", '{"errorCode": true}'],
    [() => cjsPayload.decodePayload("4o4"), "malformed", "4o4"],
    [() => cjsPayload.decodePayload(""), "empty", ""],
    [() => cjsPayload.decodePayload("x".repeat(2 ** 20 + 1)), "too-large", "x".repeat(48)],
    [() => cjsPayload.decodePayload(401002), "invalid-argument", "401002"],
    [() => cjsPayload.decodePayload(), "invalid-argument", "undefined"],
    [() => cjsPayload.decodePayload("401", { retry_after: 5 }), "invalid-argument", "retry_after"],
    [() => cjsPayload.decodePayload("401", { seed: -1 }), "invalid-argument", "-1"],
    [() => cjsPayload.decodePayload("401", { service: "hub" }), "unknown-service", "hub"],
    [() => cjsPayload.decodePayload("401", { catalogue: "nope" }), "unknown-catalogue", "nope"],
  ];
  for (const [call, kind, input] of cases) {
    const e = thrown(call);
    // Each module has its own class (wasm-bindgen copies js/error.js into each build).
    assert.ok(e instanceof cjs.AzureIotCodesError || e instanceof cjsPayload.AzureIotCodesError, `${kind}: ${e}`);
    assert.deepEqual([e.kind, e.input], [kind, input], String(e));
  }
});

test("an options object whose keys cannot be read is an AzureIotCodesError, not a crash", () => {
  const hostile = new Proxy(
    {},
    {
      ownKeys() {
        throw new Error("no keys for you");
      },
    },
  );
  const e = thrown(() => cjs.decode("401", hostile));
  assert.ok(e instanceof cjs.AzureIotCodesError);
  assert.equal(e.kind, "invalid-argument");
  // A getter that throws, in options and in a match passed to classifyRetry.
  const getter = Object.defineProperty({}, "seed", {
    enumerable: true,
    get() {
      throw new Error("no seed");
    },
  });
  for (const call of [
    () => cjs.classifyRetry(429, getter),
    () => cjs.nextDelays(429, hostile),
    () =>
      cjs.classifyRetry(
        new Proxy(
          {},
          {
            get() {
              throw new Error("no fields");
            },
          },
        ),
      ),
  ]) {
    const e = thrown(call);
    assert.ok(e instanceof cjs.AzureIotCodesError, String(e));
    assert.equal(e.kind, "invalid-argument");
  }
  assert.equal(cjs.decode("401", { service: "dps" }).matches[0].catalogue, "http-status");
});

test("after thrown errors the module keeps answering correctly", () => {
  const before = JSON.stringify(cjs.decode("403002"));
  for (let i = 0; i < 1000; i++) {
    thrown(() => cjs.decode("4o4"));
    thrown(() => cjs.decode({}));
    thrown(() => cjs.lookup("nope", 1));
    thrown(() => cjs.decode("x".repeat(100_000)));
    thrown(() => cjs.classifyRetry(429, { attempt: 0.5 }));
    thrown(() => cjs.nextDelays({}));
    thrown(() => cjsPayload.decodePayload('{"errorCode": 4'));
    thrown(() => cjsPayload.decodePayload('{"hello": 1}'));
  }
  assert.equal(cjsPayload.decodePayload('{"errorCode": 403002}').payload.codes[0].matches[0].name, "IotHubQuotaExceeded");
  assert.equal(JSON.stringify(cjs.decode("403002")), before);
  assert.equal(cjs.decode("403002").matches[0].name, "IotHubQuotaExceeded");
  assert.equal(cjs.lookup("http-status", 429).length > 0, true);
});

test("random input: every call returns matches or throws AzureIotCodesError, never anything else", () => {
  // A small deterministic generator (no dependency), mixing code-like and arbitrary text, lone surrogates,
  // control characters and numbers of every size.
  let seed = 0x2545f491;
  const next = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 2 ** 32;
  };
  const pieces = ["0x", "-", "+", "404", "401002", " ", "Not Found", "DEVICE_", "\u0000", "\ud800", "é", "9".repeat(30)];
  const randomText = () => {
    let s = "";
    const n = Math.floor(next() * 6);
    for (let i = 0; i < n; i++) {
      s += next() < 0.5 ? pieces[Math.floor(next() * pieces.length)] : String.fromCharCode(Math.floor(next() * 0x3000));
    }
    return s;
  };
  let decoded = 0;
  let rejected = 0;
  for (let i = 0; i < 5000; i++) {
    const input = next() < 0.2 ? (next() - 0.5) * 2 ** Math.floor(next() * 70) : randomText();
    try {
      const d = cjs.decode(input);
      assert.ok(d.matches.length > 0);
      decoded++;
    } catch (e) {
      assert.ok(e instanceof cjs.AzureIotCodesError, `${JSON.stringify(input)}: ${e}`);
      rejected++;
    }
  }
  assert.ok(decoded > 0 && rejected > 0, `${decoded} decoded, ${rejected} rejected`);
  // classifyRetry with random codes and random option values: a decision or an AzureIotCodesError.
  const values = [undefined, null, 0, -1, 1.5, 2 ** 53, NaN, "", "5", "dps", "device", {}, [], true, "\ud800"];
  const pick = () => values[Math.floor(next() * values.length)];
  let classified = 0;
  for (let i = 0; i < 3000; i++) {
    const options = {};
    for (const key of ["service", "subCode", "attempt", "elapsedMs", "retryAfter", "seed", "operation"]) {
      if (next() < 0.3) options[key] = pick();
    }
    const code = next() < 0.5 ? randomText() : Math.floor(next() * 700000);
    try {
      const d = cjs.classifyRetry(code, options);
      assert.ok(ACTIONS.includes(d.action));
      classified++;
    } catch (e) {
      assert.ok(e instanceof cjs.AzureIotCodesError, `${JSON.stringify([code, options])}: ${e}`);
    }
  }
  assert.ok(classified > 0, `${classified} classified`);
  // decodePayload with every fixture cut at random points and corrupted at random bytes: a document or an
  // AzureIotCodesError.
  const texts = fixtureFiles.map((f) => readFileSync(f, "utf8"));
  let documents = 0;
  let refused = 0;
  for (let i = 0; i < 3000; i++) {
    const t = texts[Math.floor(next() * texts.length)];
    let input = t.slice(0, Math.floor(next() * (t.length + 1)));
    if (next() < 0.5 && input.length > 0) {
      const at = Math.floor(next() * input.length);
      input = input.slice(0, at) + randomText() + input.slice(at + 1);
    }
    try {
      const d = cjsPayload.decodePayload(input, next() < 0.5 ? { seed: i } : { retryAfter: next() < 0.5 ? "3" : "x" });
      // A lone surrogate reaches the module as U+FFFD (JS strings are copied in as UTF-8).
      assert.equal(d.input, input.toWellFormed());
      assert.ok(Array.isArray(d.matches));
      documents++;
    } catch (e) {
      assert.ok(e instanceof cjsPayload.AzureIotCodesError, `${JSON.stringify(input)}: ${e}`);
      refused++;
    }
  }
  assert.ok(documents > 0 && refused > 0, `${documents} documents, ${refused} refused`);
  assert.equal(cjs.decode("404001").matches[0].name, "DeviceNotFound");
});

test("the web build works after initSync, with its own AzureIotCodesError", async () => {
  const web = await import(pathToFileURL(join(pkg, "web", "azure_iot_codes.js")).href);
  web.initSync({ module: readFileSync(join(pkg, "web", "azure_iot_codes_bg.wasm")) });
  assert.equal(web.decode("DEVICE_DISABLED").matches[0].catalogue, "auth-suberror");
  assert.equal(web.classifyRetry(-536870781).action, "operator-action");
  const e = thrown(() => web.decode(""));
  assert.ok(e instanceof web.AzureIotCodesError);
  assert.equal(e.kind, "empty");
});

test("the payload web build works after initSync", async () => {
  const web = await import(pathToFileURL(join(pkg, "payload", "web", "azure_iot_codes.js")).href);
  web.initSync({ module: readFileSync(join(pkg, "payload", "web", "azure_iot_codes_bg.wasm")) });
  assert.equal(web.decodePayload("iothub-errorcode: DeviceNotFound").payload.kind, "error-code-header");
  const e = thrown(() => web.decodePayload("{"));
  assert.ok(e instanceof web.AzureIotCodesError);
  assert.equal(e.kind, "truncated");
});

test("the bundler build loads where wasm ES modules are supported", () => {
  const script = `
    import { decode, classifyRetry, AzureIotCodesError } from ${JSON.stringify(pathToFileURL(join(pkg, "bundler", "azure_iot_codes.js")).href)};
    let kind;
    try { decode("4o4"); } catch (e) { kind = e instanceof AzureIotCodesError && e.kind; }
    console.log(JSON.stringify([decode("assigning").matches[0].catalogue, kind, classifyRetry(429, { service: "dps" }).rule]));
  `;
  const out = execFileSync(process.execPath, ["--experimental-wasm-modules", "--no-warnings", "--input-type=module", "-e", script], {
    encoding: "utf8",
  });
  assert.deepEqual(JSON.parse(out), ["dps-registration-status", "malformed", "dps-429"]);
});

test("package.json is ready for npm publish", () => {
  assert.equal(manifest.name, "azure-iot-codes");
  assert.match(manifest.version, /^\d+\.\d+\.\d+/);
  assert.equal(manifest.type, "module");
  // Every path the manifest names exists.
  const paths = [manifest.main, manifest.module, manifest.types];
  const walk = (v) => (typeof v === "string" ? paths.push(v) : Object.values(v).forEach(walk));
  walk(manifest.exports);
  for (const p of paths) {
    assert.ok(existsSync(join(pkg, p)), `${p} exists`);
  }
  // What `npm publish` would ship: the three builds of each module with their types and the error class,
  // nothing else.
  const [packed] = JSON.parse(execFileSync("npm", ["pack", "--dry-run", "--json"], { cwd: pkg, encoding: "utf8" }));
  const files = packed.files.map((f) => f.path).sort();
  for (const dir of ["web", "bundler", "node", "payload/web", "payload/bundler", "payload/node"]) {
    for (const f of ["azure_iot_codes.js", "azure_iot_codes.d.ts", "azure_iot_codes_bg.wasm"]) {
      assert.ok(files.includes(`${dir}/${f}`), `${dir}/${f} is packed`);
    }
    assert.ok(files.some((f) => f.startsWith(`${dir}/snippets/`) && f.endsWith("/js/error.js")), `${dir} error.js`);
  }
  assert.ok(files.includes("package.json") && files.includes("README.md"));
  assert.ok(
    files.every((f) => /^(payload\/)?(web|bundler|node)\/|^package\.json$|^README\.md$/.test(f)),
    files.join(" "),
  );
});
