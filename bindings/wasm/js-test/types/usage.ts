// Never run: `tsc --noEmit -p js-test/types` checks that this file compiles against the package's generated
// .d.ts files, so the published types stay precise. Lines marked @ts-expect-error must NOT compile.
import {
  AzureIotCodesError,
  catalogues,
  decode,
  lookup,
  type CatalogueId,
  type CatalogueSummary,
  type DecodeOptions,
  type Decoded,
  type ErrorKind,
  type Meaning,
  type NumberForm,
  type ServiceId,
  type Standing,
} from "azure-iot-codes";
import initWeb, { decode as decodeWeb, initSync } from "azure-iot-codes/web";
import * as node from "azure-iot-codes/node";
import * as bundler from "azure-iot-codes/bundler";

// decode: text or number, optional options; the first match always exists (a non-empty tuple).
const d: Decoded = decode("401002");
const first: Meaning = d.matches[0];
const maybeSecond: Meaning | undefined = d.matches[1];
decode(404001);
decode("401", { service: "dps" });
decode("401002", { catalogue: "auth-suberror", service: "iot-central" });
// @ts-expect-error: not a catalogue identifier
decode("401", { catalogue: "service-errors" });
// @ts-expect-error: not a service identifier
decode("401", { service: "iothub" });
// @ts-expect-error: unknown option
decode("401", { catalog: "http-status" });
// @ts-expect-error: codes are text or numbers
decode(true);

// Result fields have precise types.
const catalogue: CatalogueId = first.catalogue;
const code: number | string = first.code;
const http: number | null = first.httpStatus;
const services: ServiceId[] = first.services;
const standing: Standing = first.standing;
const note: string | null = first.note;
const words: string = `${first.name}: ${first.description} -> ${first.mitigation} (${first.source})`;
const aliases: readonly string[] = first.aliases;
const form: NumberForm | undefined = d.number?.form;
const value: number | undefined = d.number?.value;
// @ts-expect-error: httpStatus may be null
const notNull: number = first.httpStatus;
// @ts-expect-error: snake_case is the Rust/CLI JSON spelling, not this API's
first.http_status;

// lookup: a catalogue identifier and a code; an array that may be empty.
const rows: Meaning[] = lookup("service-error", 404001);
const row: Meaning | undefined = rows[0];
lookup("auth-suberror", "DEVICE_DISABLED");
// @ts-expect-error: not a catalogue identifier
lookup("services", 1);

// catalogues
const list: CatalogueSummary[] = catalogues();
const ids: CatalogueId[] = list.map((c) => c.id);
const count: number = list.reduce((n, c) => n + c.rows, 0);

// Errors: a real Error subclass; `kind` is a closed union, so a switch over it can be exhaustive.
function describe(kind: ErrorKind): string {
  switch (kind) {
    case "empty":
    case "malformed":
    case "out-of-range":
      return "fix the input";
    case "not-found":
      return "unknown code";
    case "unknown-catalogue":
    case "unknown-service":
    case "invalid-argument":
      return "fix the call";
    default: {
      const unreachable: never = kind;
      return unreachable;
    }
  }
}
try {
  decode("4o4");
} catch (e) {
  if (e instanceof AzureIotCodesError) {
    const err: Error = e;
    const name: "AzureIotCodesError" = e.name;
    const input: string = e.input;
    const expected: string = e.expected;
    describe(e.kind);
    // @ts-expect-error: not one of the kinds
    const wrong: ErrorKind = "timeout";
  }
}
// @ts-expect-error: the module creates the errors; callers do not
new AzureIotCodesError();

// The web build: init first (async, or sync from bytes), then the same API.
async function web(bytes: ArrayBuffer): Promise<string> {
  await initWeb();
  await initWeb({ module_or_path: new URL("azure_iot_codes_bg.wasm", "https://example.invalid/") });
  initSync({ module: bytes });
  return decodeWeb("assigning").matches[0].name;
}

// The node and bundler builds have the same API.
const fromNode: Decoded = node.decode("429");
const fromBundler: Meaning[] = bundler.lookup("http-status", 429);
const options: DecodeOptions = { catalogue: "mqtt-connack" };
const opts2: DecodeOptions = {};
