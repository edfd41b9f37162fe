// The WebAssembly binding in Node, as the npm package's consumers load it (the `nodejs` target of
// bindings/wasm/pkg, which `require("azure-iot-codes")` resolves to in Node). Build it first with
// bindings/wasm/build.sh; scripts/bench does.
//
//   node benches/wasm/bench.mjs [--runs N] [--seconds S]
//
// Prints one JSON object:
// - instantiate: N fresh `node` processes; each times, from just before `require` to just after the first
//   `decode` returns, the import (read the .wasm, compile, instantiate) and the first call; the median and p95
//   over the runs, and the median start-to-exit time of the whole process for scale.
// - decode: for each input, calls per second of `decode(input)` (the JS object with every match included), the
//   median of 5 timed batches of S/5 seconds each after a warm-up, in this process.
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const entry = join(here, "..", "..", "bindings", "wasm", "pkg", "node", "azure_iot_codes.js");

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const runs = opt("--runs", 30);
const seconds = opt("--seconds", 5);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const p95 = (xs) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))];

// One fresh process: the time from before `require` to after the first decode, in milliseconds.
const child = `
const { performance } = require("node:perf_hooks");
const t0 = performance.now();
const m = require(${JSON.stringify(entry)});
const d = m.decode("404001");
const t1 = performance.now();
if (d.matches[0].name !== "DeviceNotFound") throw new Error("unexpected decode: " + JSON.stringify(d));
process.stdout.write(String(t1 - t0));
`;

function instantiate() {
  const inProcess = [];
  const wall = [];
  execFileSync(process.execPath, ["-e", child]); // warm the page cache
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const out = execFileSync(process.execPath, ["-e", child], { encoding: "utf8" });
    wall.push(performance.now() - t0);
    inProcess.push(Number(out));
  }
  return {
    runs,
    median_ms: median(inProcess),
    p95_ms: p95(inProcess),
    process_median_ms: median(wall),
  };
}

const INPUTS = [
  ["numeric", "404001 (JS number)", 404001],
  ["numeric", '"429" (string)', "429"],
  ["named", '"DEVICE_DISABLED"', "DEVICE_DISABLED"],
  ["named", '"IotHubUnauthorizedAccess"', "IotHubUnauthorizedAccess"],
  ["du", '"-536870781" (signed extended result code)', "-536870781"],
  ["du", '"30501028,A0000FFF" (extendedResultCodes list)', "30501028,A0000FFF"],
];

function throughput() {
  const require = createRequire(import.meta.url);
  const { decode } = require(entry);
  const out = [];
  for (const [form, label, input] of INPUTS) {
    if (decode(input).matches.length === 0) throw new Error(`no match for ${label}`);
    const batch = (ms) => {
      let n = 0;
      let sink = 0;
      const end = performance.now() + ms;
      while (performance.now() < end) {
        for (let i = 0; i < 256; i++) sink += decode(input).matches.length;
        n += 256;
      }
      const took = performance.now() - (end - ms);
      if (sink === 0) throw new Error("nothing decoded");
      return (n / took) * 1000;
    };
    batch(Math.min(500, (seconds * 1000) / 10)); // warm-up: JIT and the module's first calls
    const rates = [];
    for (let i = 0; i < 5; i++) rates.push(batch((seconds * 1000) / 5));
    const rate = median(rates);
    out.push({ form, label, per_second: rate, ns_per_call: 1e9 / rate });
  }
  return out;
}

console.log(
  JSON.stringify({ node: process.version, instantiate: instantiate(), decode: throughput() }, null, 2),
);
