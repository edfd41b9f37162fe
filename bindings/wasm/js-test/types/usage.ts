// Never run: `tsc --noEmit -p js-test/types` checks that this file compiles against the package's generated
// .d.ts files, so the published types stay precise. Lines marked @ts-expect-error must NOT compile.
import {
  AzureIotCodesError,
  catalogues,
  classifyRetry,
  decode,
  lookup,
  nextDelays,
  type AgentVersion,
  type Budget,
  type CatalogueId,
  type CatalogueSummary,
  type DecodeOptions,
  type Decoded,
  type DeliveryOptimization,
  type DuLayout,
  type DuPart,
  type ErcPattern,
  type ErrorKind,
  type ExtendedResultCodeMatch,
  type Match,
  type MatchRef,
  type Meaning,
  type NamedNumber,
  type NumberForm,
  type Operation,
  type Pace,
  type RetryAction,
  type RetryAfter,
  type RetryAfterError,
  type RetryAfterUse,
  type RetryDecision,
  type RetryOptions,
  type RowMatch,
  type ScheduleOptions,
  type ServiceId,
  type Standing,
} from "azure-iot-codes";
import initWeb, { decode as decodeWeb, initSync } from "azure-iot-codes/web";
import {
  decodePayload,
  decode as decodeFull,
  AzureIotCodesError as PayloadError,
  type CatalogueRow,
  type CentralReport,
  type DecodedInput,
  type DecodedMatch,
  type DecodePayloadOptions,
  type FindingDetail,
  type FoundCode,
  type JsonValue,
  type PayloadKind,
  type PayloadReport,
} from "azure-iot-codes/payload";
import { decodePayload as decodePayloadWeb } from "azure-iot-codes/payload/web";
import * as payloadNode from "azure-iot-codes/payload/node";
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
decode("-536870781", { agentVersion: "1.0.2" });
decode("0x30501028", { catalogue: "du-extended-result-code", agentVersion: "v1.1" });
// @ts-expect-error: an agent version is text
decode("-1", { agentVersion: 1.1 });
// @ts-expect-error: camelCase option names
decode("-1", { agent_version: "1.1.0" });

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

// New row fields: Device Update agent versions, the resultCode's agent action, an export destination's role.
const versions: AgentVersion[] = first.agentVersions;
const duAction: string | null = first.action;
const role: string | null = first.role;
// @ts-expect-error: not a known agent version
const version: AgentVersion = "2.0.0";

// Matches: a Device Update reading when the catalogue says so, with its parts; any other row otherwise.
function parts(m: Match): string {
  if (m.catalogue === "du-extended-result-code") {
    const reading: ExtendedResultCodeMatch = m;
    const facility: DuPart = m.facility;
    const component: DuPart | null = m.component;
    const layout: DuLayout = m.layout;
    const pattern: ErcPattern | null = m.pattern;
    const errno: NamedNumber | null = m.errno;
    const dof: DeliveryOptimization | null = m.deliveryOptimization;
    const http: number | null = dof?.httpStatus ?? null;
    const exit: number | null = m.exitCode;
    const numbers: [string, number, number, number] = [m.hex, m.signed, m.unsigned, m.value];
    return `${reading.name} ${facility.name ?? facility.code} ${component?.code} ${layout} ${pattern} ${errno?.name} ${http} ${exit} ${numbers} ${m.extensionCode?.name} ${m.deltaProcessorError}`;
  }
  const other: RowMatch = m;
  // @ts-expect-error: only Device Update readings have parts
  other.facility;
  return other.name;
}
parts(d.matches[0]);
// @ts-expect-error: a Device Update field, without narrowing
d.matches[0].hex;
const du: ExtendedResultCodeMatch = {
  ...first,
  catalogue: "du-extended-result-code",
  code: 3758096515,
  pattern: null,
  hex: "0xE0000083",
  signed: -536870781,
  unsigned: 3758096515,
  layout: "legacy",
  facility: { code: 14, name: "ADUC_FACILITY_ERRNO" },
  component: null,
  value: 131,
  exitCode: null,
  errno: { code: 131, name: "ENOTRECOVERABLE" },
  extensionCode: null,
  deliveryOptimization: null,
  deltaProcessorError: null,
};

// lookup: a catalogue identifier and a code; an array that may be empty.
const rows: Match[] = lookup("service-error", 404001);
const row: Meaning | undefined = rows[0];
lookup("du-extended-result-code", "0xE0000083");
lookup("posix-errno", 2);
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
    case "too-large":
    case "too-deep":
      return "shorten the input";
    case "truncated":
    case "invalid-json":
    case "invalid-topic":
    case "invalid-csv":
    case "unknown-shape":
    case "invalid-field":
      return "paste the whole payload";
    case "internal":
      return "report a bug";
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

// Retry advice: a code or a match, and the context of the call.
const decision: RetryDecision = classifyRetry(429, { service: "dps", retryAfter: "5", attempt: 2, elapsedMs: 1500, seed: 7 });
classifyRetry("401", { service: "iot-central", subCode: "DEVICE_BLOCKED", operation: "device" });
classifyRetry(d.matches[0]);
classifyRetry(du, { subCode: 400209 });
const ref: MatchRef = { catalogue: "mqtt-connack", code: 3 };
classifyRetry(ref);
classifyRetry("429", { retryAfter: 5 });
// @ts-expect-error: camelCase option names
classifyRetry("429", { retry_after: "5" });
// @ts-expect-error: count belongs to nextDelays
classifyRetry("429", { count: 3 });
// @ts-expect-error: not an operation
classifyRetry("429", { operation: "backend" });
// @ts-expect-error: not a code or a match
classifyRetry({ code: 429 });
const action: RetryAction = decision.action;
const delay: number | null = decision.delayMs;
const reason: string = `${decision.reason} (${decision.rule}: ${decision.basis})`;
const pace: Pace | null = decision.pace;
const service: ServiceId = decision.service;
const attempt: number = decision.attempt;
const spent: Budget | null = decision.budgetSpent;
const op: Operation = "service-api";
// @ts-expect-error: not a retry action
const wrongAction: RetryAction = "reboot";
// The Retry-After report is a union on `use`.
function retryAfterText(r: RetryAfter): string {
  const used: RetryAfterUse = r.use;
  switch (r.use) {
    case "honored":
      return `${r.seconds} s`;
    case "clamped":
      return `${r.seconds} s, used ${r.usedMs} ms`;
    case "invalid": {
      const error: RetryAfterError = r.error;
      return `${error}: ${r.message}`;
    }
    case "absent":
    case "not-waiting":
      return used;
    default: {
      const unreachable: never = r;
      return unreachable;
    }
  }
}
retryAfterText(decision.retryAfter);
// Exhaustive over the nine actions.
function waits(a: RetryAction): boolean {
  switch (a) {
    case "retry":
    case "re-register":
    case "status-lookup":
    case "renew-credentials":
      return true;
    case "none":
    case "fix-request":
    case "operator-action":
    case "contact-support":
    case "give-up":
      return false;
    default: {
      const unreachable: never = a;
      return unreachable;
    }
  }
}
waits(action);
const schedule: RetryDecision[] = nextDelays(503, { count: 5, seed: 1, service: "iot-hub" });
const scheduleOptions: ScheduleOptions = { count: 3 };
const retryOptions: RetryOptions = {};
const delays: (number | null)[] = nextDelays(d.matches[0]).map((s) => s.delayMs);

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

// decodePayload (azure-iot-codes/payload, which also has the whole API above).
const doc: DecodedInput = decodePayload('{"errorCode":401002,"trackingId":"x","message":"m","timestampUtc":"t"}');
const fullDecode: Decoded = decodeFull("401002");
decodePayload("$dps/registrations/res/429/?$rid=1", { seed: 1, retryAfter: 5, service: "dps" });
decodePayload("401002", { catalogue: "auth-suberror", agentVersion: "1.0.2" });
// A file or message body as bytes (UTF-8; anything else throws invalid-utf8).
const fromBytes: DecodedInput = decodePayload(new TextEncoder().encode("401002"));
void fromBytes;
const payloadOptions: DecodePayloadOptions = {};
// @ts-expect-error: unknown option
decodePayload("401002", { retry_after: "5" });
// @ts-expect-error: text only
decodePayload(401002);
// @ts-expect-error: decodePayload is not in the main module
import("azure-iot-codes").then((m) => m.decodePayload);
// Each match is decode's Match with classifyRetry's decision.
const dm: DecodedMatch | undefined = doc.matches[0];
if (dm) {
  const name: string = dm.name;
  const next: RetryAction = dm.retry.action;
  const again: RetryDecision = classifyRetry(dm);
}
// `payload` and `central` are optional; `parsed` is told apart by `kind`.
function payloadSummary(p: PayloadReport): string {
  const context: string | undefined = p.context.trackingId;
  const codes: FoundCode[] = p.codes;
  const retry: number | null = p.retry ? p.retry.delayMs : null;
  switch (p.kind) {
    case "dps-response-topic":
    case "twin-response-topic":
    case "method-response-topic":
      return `${p.parsed.status} ${p.parsed.requestId}`;
    case "error-code-header":
      return p.parsed.value;
    case "dps-error":
    case "error-body":
      return String(p.parsed.errorCode ?? p.parsed.errorName);
    case "iot-hub-error":
      return "shape" in p.parsed ? p.parsed.shape : String(p.parsed.errorCode);
    case "dps-registration":
      return p.parsed.registrationState?.status ?? "";
    case "device-update-agent":
      return String(p.parsed.lastInstallResult?.stepResults[0]?.stepId);
    case "iot-central-registration-info":
      return p.parsed.deviceStatus ?? "";
    case "azure-diagnostics":
      return p.parsed.resultType ?? "";
    default: {
      const unreachable: never = p;
      return unreachable;
    }
  }
}
if (doc.payload) {
  payloadSummary(doc.payload);
  // @ts-expect-error: fields are camelCase
  doc.payload.context.tracking_id;
  // @ts-expect-error: a DPS error body has no registrationState
  doc.payload.kind === "dps-error" && doc.payload.parsed.registrationState;
}
const kinds: PayloadKind[] = ["dps-error", "azure-diagnostics"];
// @ts-expect-error: not a payload kind
const badKind: PayloadKind = "dps-topic";
function detailText(d: FindingDetail): string {
  switch (d.kind) {
    case "not-in-template":
      return d.names.map((n) => n.didYouMean?.capability ?? n.name).join();
    case "datatype-mismatch":
      return `${d.field} ${d.expected} ${d.sentLooksLike}`;
    case "duplicate-name":
      return d.interfaces.join();
    case "unknown-component":
      return d.allowed.join();
    case "invalid-field-names":
      return d.names.join();
    case "invalid-json":
      return d.payload ?? "";
    case "template-not-found":
      return d.error;
    case "content-type":
      return d.sent;
    case "content-encoding":
      return d.sent ?? "";
    case "unmodeled-data":
      return d.at;
    default: {
      const unreachable: never = d;
      return unreachable;
    }
  }
}
const central: CentralReport | undefined = decodePayload("[ERROR] [DeviceId: d] x").central;
if (central) {
  const row: CatalogueRow | undefined = central.findings[0]?.meaning;
  const telemetry: JsonValue | undefined = central.events[0]?.payload;
  central.findings.forEach((f) => detailText(f.detail));
}
try {
  decodePayload("{");
} catch (e) {
  // Each module has its own error class.
  if (e instanceof PayloadError && e.kind === "truncated") {
    const shown: string = e.input;
  }
}
const fromPayloadNode: DecodedInput = payloadNode.decodePayload("iothub-errorcode: DeviceNotFound");
const fromPayloadWeb: DecodedInput = decodePayloadWeb("503");
