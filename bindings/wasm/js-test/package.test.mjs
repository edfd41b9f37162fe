// The built npm package (bindings/wasm/pkg, made by build.sh), used the way its consumers use it: by name
// through package.json "exports", from CommonJS and from ES modules, and each of the three wasm-bindgen
// targets. Run by test.sh with `node --test`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const pkg = join(here, "..", "pkg");
const manifest = JSON.parse(readFileSync(join(pkg, "package.json"), "utf8"));

// A consumer project whose node_modules/azure-iot-codes is the built package.
const consumer = join(here, "..", "..", "..", "target", "wasm-consumer");
rmSync(consumer, { recursive: true, force: true });
mkdirSync(join(consumer, "node_modules"), { recursive: true });
symlinkSync(pkg, join(consumer, "node_modules", "azure-iot-codes"), "dir");
writeFileSync(join(consumer, "package.json"), '{ "private": true, "type": "module" }\n');
writeFileSync(join(consumer, "esm.js"), 'export * from "azure-iot-codes";\n');

const requireFromConsumer = createRequire(join(consumer, "cjs.cjs"));
const cjs = requireFromConsumer("azure-iot-codes");
const esm = await import(pathToFileURL(join(consumer, "esm.js")).href);

function thrown(fn) {
  try {
    fn();
  } catch (e) {
    return e;
  }
  assert.fail("expected the call to throw");
}

for (const [flavour, api] of [
  ["require()", cjs],
  ["import", esm],
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
      ],
    );
    assert.equal(api.lookup("mqtt-connack", 5)[0].name, "NotAuthorized");
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

test("both module systems get the same (nodejs) build", () => {
  assert.equal(esm.decode, cjs.decode);
  assert.equal(esm.AzureIotCodesError, cjs.AzureIotCodesError);
});

test("results are plain, JSON-ready objects", () => {
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
  ];
  for (const [call, kind, input] of cases) {
    const e = thrown(call);
    assert.ok(e instanceof cjs.AzureIotCodesError, `${kind}: ${e}`);
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
  assert.equal(cjs.decode("401", { service: "dps" }).matches[0].catalogue, "http-status");
});

test("after thrown errors the module keeps answering correctly", () => {
  const before = JSON.stringify(cjs.decode("403002"));
  for (let i = 0; i < 1000; i++) {
    thrown(() => cjs.decode("4o4"));
    thrown(() => cjs.decode({}));
    thrown(() => cjs.lookup("nope", 1));
    thrown(() => cjs.decode("x".repeat(100_000)));
  }
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
  assert.equal(cjs.decode("404001").matches[0].name, "DeviceNotFound");
});

test("the web build works after initSync, with its own AzureIotCodesError", async () => {
  const web = await import(pathToFileURL(join(pkg, "web", "azure_iot_codes.js")).href);
  web.initSync({ module: readFileSync(join(pkg, "web", "azure_iot_codes_bg.wasm")) });
  assert.equal(web.decode("DEVICE_DISABLED").matches[0].catalogue, "auth-suberror");
  const e = thrown(() => web.decode(""));
  assert.ok(e instanceof web.AzureIotCodesError);
  assert.equal(e.kind, "empty");
});

test("the bundler build loads where wasm ES modules are supported", () => {
  const script = `
    import { decode, AzureIotCodesError } from ${JSON.stringify(pathToFileURL(join(pkg, "bundler", "azure_iot_codes.js")).href)};
    let kind;
    try { decode("4o4"); } catch (e) { kind = e instanceof AzureIotCodesError && e.kind; }
    console.log(JSON.stringify([decode("assigning").matches[0].catalogue, kind]));
  `;
  const out = execFileSync(process.execPath, ["--experimental-wasm-modules", "--no-warnings", "--input-type=module", "-e", script], {
    encoding: "utf8",
  });
  assert.deepEqual(JSON.parse(out), ["dps-registration-status", "malformed"]);
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
  // What `npm publish` would ship: the three builds with their types and the error class, nothing else.
  const [packed] = JSON.parse(execFileSync("npm", ["pack", "--dry-run", "--json"], { cwd: pkg, encoding: "utf8" }));
  const files = packed.files.map((f) => f.path).sort();
  for (const dir of ["web", "bundler", "node"]) {
    for (const f of ["azure_iot_codes.js", "azure_iot_codes.d.ts", "azure_iot_codes_bg.wasm"]) {
      assert.ok(files.includes(`${dir}/${f}`), `${dir}/${f} is packed`);
    }
    assert.ok(files.some((f) => f.startsWith(`${dir}/snippets/`) && f.endsWith("/js/error.js")), `${dir} error.js`);
  }
  assert.ok(files.includes("package.json") && files.includes("README.md"));
  assert.ok(files.every((f) => /^(web|bundler|node)\/|^package\.json$|^README\.md$/.test(f)), files.join(" "));
});
