//! `decodePayload(text, options?)`: anything `iotcode decode` reads (an MQTT response topic, a DPS or IoT Hub
//! JSON body, an `iothub-errorcode:` header, a Device Update twin, an AzureDiagnostics row, pasted
//! `az iot central` output, or a code) to the document the CLI prints for it (`report::InputReport`), as a
//! plain object in camelCase.
//!
//! The document is converted from the core's serializer (module `to_js`), so it has the CLI's shape field for
//! field; its matches are the `Match` objects `decode` returns and its decisions the `RetryDecision` objects
//! `classifyRetry` returns, so each thing has one shape across the module.

use azure_iot_codes::payload::{PayloadOptions, decode_payload_with};
use azure_iot_codes::report::{InputReport, Reading, ReportOptions};
use azure_iot_codes::{Match, decode_bytes};
use js_sys::{Array, Object, Uint8Array};
use wasm_bindgen::prelude::*;

use crate::decode::narrowing;
use crate::error::{MAX_TEXT_CHARS, Rejection};
use crate::object::{matched_object, nullable, set};
use crate::options::{Options, text};
use crate::retry::{decision, now_unix, retry_after_option, seed_option};
use crate::to_js::{Unserializable, to_js};

// Read by the custom section below (rustc's dead-code lint does not see that use) and by the tests.
#[allow(dead_code)]
pub(crate) const PAYLOAD_TS: &str = r#"
/** What `decodePayload` takes besides the text. Every key is optional; an unknown key is an error. */
export interface DecodePayloadOptions {
  /**
   * Only rows of this catalogue, for a code (the CLI's `--catalogue`). It also turns off the reading of
   * pasted `az iot central` output.
   */
  catalogue?: CatalogueId;
  /** Only rows that apply to this service, for a code and for the codes a payload carries. */
  service?: ServiceId;
  /** A Device Update agent version (`"1.0.2"`): only meanings that hold for it. */
  agentVersion?: string;
  /**
   * The `Retry-After` header that came with the response (seconds or an HTTP-date, compared with the current
   * time), for the decisions of codes and payloads; it replaces a topic's `retry-after=`. A value that cannot
   * be read is not an error: the decisions say it was ignored.
   */
  retryAfter?: string | number;
  /** Seed of the jitter of every delay: the same seed gives the same delays. Default: a random seed per call. */
  seed?: number;
}

/** A meaning of the input with the next action for it. */
export type DecodedMatch = Match & {
  /** What to do next (a device's first attempt), as `classifyRetry` answers. */
  retry: RetryDecision;
};

/**
 * What `decodePayload` found: the document `iotcode decode --json` prints for the input, in camelCase.
 * `payload` is there for a payload (and for `registration-info` output), `central` for pasted
 * `az iot central` output; a code has neither.
 */
export interface DecodedInput {
  /** The text decoded. */
  input: string;
  /**
   * Every meaning found, each with its next action: a code's meanings, most likely first; every meaning of
   * every code a payload carries, each once; the catalogue rows of what pasted output reports.
   */
  matches: DecodedMatch[];
  payload?: PayloadReport;
  central?: CentralReport;
}

/** What kind of payload was found. */
export type PayloadKind =
  | "dps-response-topic"
  | "twin-response-topic"
  | "method-response-topic"
  | "dps-error"
  | "dps-registration"
  | "iot-hub-error"
  | "error-body"
  | "error-code-header"
  | "device-update-agent"
  | "iot-central-registration-info"
  | "azure-diagnostics";

/** The fields every payload report has; `parsed` depends on `kind` (see `PayloadReport`). */
export interface PayloadReportOf<K extends PayloadKind, P> {
  kind: K;
  /** The service that sent it, when the payload (or the `service` option) says. */
  service: ServiceId | null;
  /** Whether it reports a failure. */
  failure: boolean;
  /** The payload's next action, or `null` when it has no code to decide on. */
  retry: RetryDecision | null;
  /** Identifiers, timestamps and Retry-After worth keeping, as written. */
  context: PayloadContext;
  /** The MQTT response topic, when a body followed it (`kind` is then the body's). */
  topic?: ResponseTopic;
  /** Every code found, in payload order. */
  codes: FoundCode[];
  /** The typed fields of the payload. */
  parsed: P;
  /** Parts present but unreadable (an embedded JSON string that is not JSON, ...); absent when none. */
  warnings?: string[];
}

/** A payload's report, `parsed` told apart by `kind`. */
export type PayloadReport =
  | PayloadReportOf<"dps-response-topic" | "twin-response-topic" | "method-response-topic", ResponseTopic>
  | PayloadReportOf<"error-code-header", ErrorCodeHeader>
  | PayloadReportOf<"dps-error" | "error-body", ServiceErrorBody>
  | PayloadReportOf<"iot-hub-error", ServiceErrorBody | IotHubError>
  | PayloadReportOf<"dps-registration", RegistrationOperation>
  | PayloadReportOf<"device-update-agent", DeviceUpdateAgent>
  | PayloadReportOf<"iot-central-registration-info", CentralRegistrationInfo>
  | PayloadReportOf<"azure-diagnostics", DiagnosticsRow>;

/** The context worth keeping from a payload; a key is there only when the payload carries it. */
export interface PayloadContext {
  /** The `$rid` of an MQTT response topic. */
  requestId?: string;
  /** The topic's `retry-after`, as written (seconds). */
  retryAfter?: string;
  /** A twin response topic's `$version`. */
  twinVersion?: string;
  /** The service's tracking id: quote it in support requests. */
  trackingId?: string;
  /** IoT Hub's gateway number from a tracking id. */
  gateway?: string;
  operationId?: string;
  /** The Device Update workflow (deployment) id. */
  workflowId?: string;
  registrationId?: string;
  deviceId?: string;
  moduleId?: string;
  /** The IoT hub DPS assigned the device to. */
  assignedHub?: string;
  /** The error message or description. */
  message?: string;
  operationName?: string;
  category?: string;
  level?: string;
  resultType?: string;
  correlationId?: string;
  /** Every timestamp found, as written, with the field it came from. */
  timestamps?: { field: string; value: string }[];
}

/** Which response topic. */
export type TopicKind = "dps-registration" | "twin" | "method";

/** An MQTT response topic. */
export interface ResponseTopic {
  kind: TopicKind;
  /** The `{status}` segment. */
  status: number;
  /** `$rid`. */
  requestId: string;
  /** `retry-after`, as written. */
  retryAfter: string | null;
  /** `$version`, as written. */
  version: string | null;
}

/** One code found in a payload. */
export interface FoundCode {
  /** Where it was: `topic status`, `errorCode`, `registrationState.errorCode`, `ResultType`, ... */
  field: string;
  /** The value as written. */
  value: string;
  /** The catalogue the field's codes belong to. */
  catalogue: CatalogueId;
  /** Device Update codes: the agent version the code was read for. */
  agentVersion?: AgentVersion;
  /** One of agent 1.1.0's informational extended result codes (after the root cause). */
  informational?: true;
  /** Its meanings, briefly. */
  matches: MeaningBrief[];
  /** Why the value did not decode (no catalogue has it, ...); absent when it did. */
  error?: { kind: ErrorKind; message: string };
}

/** A meaning, briefly: enough to act on. The full row is among `DecodedInput.matches`. */
export interface MeaningBrief {
  catalogue: CatalogueId;
  code: number | string;
  name: string;
  standing: Standing;
  description: string;
  mitigation: string;
}

/** An `iothub-errorcode: <Name>` header line. */
export interface ErrorCodeHeader {
  /** The header name as written. */
  name: string;
  value: string;
}

/** `{errorCode, trackingId, message, timestampUtc, info}`: DPS errors, IoT Hub flat errors, twin errors. */
export interface ServiceErrorBody {
  /** `errorCode` when numeric. */
  errorCode: number | null;
  /** `errorCode` when it is a name. */
  errorName: string | null;
  trackingId: string | null;
  message: string | null;
  timestampUtc: string | null;
  /** DPS's `info`, with the keys DPS sent; absent when empty. */
  info?: { [key: string]: string };
}

/** An IoT Hub REST error in the legacy (`ErrorCode:<Name>;...`) or wrapped (JSON inside `Message`) shape. */
export interface IotHubError {
  shape: "legacy" | "wrapped";
  errorName: string | null;
  errorCode: number | null;
  message: string | null;
  trackingId: string | null;
  timestampUtc: string | null;
  exceptionMessage: string | null;
}

/** A DPS registration operation response. */
export interface RegistrationOperation {
  operationId: string | null;
  status: string | null;
  registrationState: RegistrationState | null;
}

/** DPS's `registrationState`. */
export interface RegistrationState {
  registrationId: string | null;
  createdDateTimeUtc: string | null;
  assignedHub: string | null;
  deviceId: string | null;
  status: string | null;
  substatus: string | null;
  errorCode: number | null;
  errorMessage: string | null;
  lastUpdatedDateTimeUtc: string | null;
  etag: string | null;
}

/** Device Update agent reported properties. */
export interface DeviceUpdateAgent {
  deviceId: string | null;
  moduleId: string | null;
  /** The agent state (255 = failed). */
  state: number | null;
  installedUpdateId: string | null;
  workflow: { action: number | null; id: string | null; retryTimestamp: string | null } | null;
  lastInstallResult: (InstallResult & { stepResults: (InstallResult & { stepId: string })[] }) | null;
}

/** A Device Update result. */
export interface InstallResult {
  /** > 0 success, <= 0 failure. */
  resultCode: number | null;
  /** Agents up to 1.0.x: the extended result code's 32 bits, unsigned. */
  extendedResultCode: number | null;
  /** Agent 1.1.0: the extended result codes, root cause first. */
  extendedResultCodes: number[] | null;
  resultDetails: string | null;
}

/** `az iot central device registration-info` output. */
export interface CentralRegistrationInfo {
  deviceId: string | null;
  deviceStatus: string | null;
  displayName: string | null;
  id: string | null;
  template: string | null;
  simulated: boolean | null;
  dpsStatus: string | null;
  dpsError: string | null;
}

/** A Log Analytics AzureDiagnostics row of DPS or IoT Hub, values as written. */
export interface DiagnosticsRow {
  time: string | null;
  resourceType: string | null;
  resourceId: string | null;
  category: string | null;
  operationName: string | null;
  level: string | null;
  resultType: string | null;
  resultSignature: string | null;
  resultDescription: string | null;
  correlationId: string | null;
  durationMs: string | null;
  /** The row's properties: JSON text, as written. */
  properties: string | null;
}

/** A catalogue row as the CLI's JSON has it: `agentVersions`, `action` and `role` only where they apply. */
export type CatalogueRow = Omit<Meaning, "agentVersions" | "action" | "role"> & {
  agentVersions?: AgentVersion[];
  action?: string;
  role?: string;
};

/** Any JSON value (a device's telemetry, properties). Keys are the sender's own. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Lines `first` to `last` of the input, counted from 1. */
export interface LineSpan {
  first: number;
  last: number;
}

/** The causes of IoT Central data problems (codes of the `iot-central-unmodeled-cause` catalogue). */
export type IotCentralUnmodeledCause =
  | "CONTENT_ENCODING"
  | "CONTENT_TYPE"
  | "DUPLICATE_NAME"
  | "EDGE_UNMODELED_COMPONENT"
  | "INVALID_FIELD_NAME"
  | "INVALID_JSON"
  | "NAME_CASE_MISMATCH"
  | "NAME_NOT_IN_TEMPLATE"
  | "SCHEMA_MISMATCH"
  | "TEMPLATE_NOT_FOUND"
  | "UNKNOWN_COMPONENT";

/** IoT Central device statuses (codes of the `iot-central-status` catalogue). */
export type IotCentralStatus = "Blocked" | "Provisioned" | "Registered" | "Unapproved" | "Unassigned";

/** What pasted `az iot central` output holds. Every non-blank line is accounted for. */
export interface CentralReport {
  /** Problems found, in input order (those derived from events and property changes last). */
  findings: Finding[];
  /** Telemetry events (`monitor-events`). */
  events: TelemetryEvent[];
  /** Property changes (`monitor-properties`). */
  propertyChanges: PropertyChange[];
  /** `device registration-info` outputs. */
  registrations: RegistrationInfo[];
  /** Recognised lines that report no problem. */
  notices: { line: number; kind: NoticeKind }[];
  /** Lines not understood, as they were. */
  unrecognised: { line: number; text: string }[];
  /** The device the command filtered on. */
  deviceFilter: string | null;
  /** The last template listing a validator printed. */
  template: TemplateListing | null;
  /** Whether some names got no "did you mean" (too many names to compare). */
  suggestionsSkipped: boolean;
  lineCount: number;
}

/** A recognised line that reports no problem. */
export type NoticeKind =
  | "preview-notice"
  | "validating"
  | "monitoring"
  | "device-filter"
  | "module-filter"
  | "exit-condition"
  | "progress"
  | "finished"
  | "no-issues"
  | "properties-header"
  | "properties-version";

/** One problem found in the output, with the catalogue row that explains it. */
export interface Finding {
  lines: LineSpan;
  severity: "info" | "warning" | "error";
  /** `true` when the az CLI printed it, `false` when derived from an event or property change. */
  reported: boolean;
  deviceId: string | null;
  templateId: string | null;
  cause: IotCentralUnmodeledCause;
  detail: FindingDetail;
  /** The validator's message, joined when the terminal wrapped it. */
  message: string | null;
  /** The row of `cause`: what happened, what to do. */
  meaning: CatalogueRow;
}

/** The facts of a finding, told apart by `kind`. */
export type FindingDetail =
  | { kind: "not-in-template"; names: NameCheck[]; template: CapabilityGroup[]; grouping: Grouping | null }
  | { kind: "datatype-mismatch"; field: string; expected: string; sent: string; sentLooksLike: string }
  | { kind: "duplicate-name"; name: string; interfaces: string[] }
  | { kind: "unknown-component"; component: string; allowed: string[]; didYouMean: Suggestion | null }
  | { kind: "invalid-field-names"; names: string[] }
  | { kind: "invalid-json"; payload: string | null }
  | { kind: "template-not-found"; error: string }
  | { kind: "content-type"; sent: string; expected: string }
  | { kind: "content-encoding"; sent: string | null }
  | { kind: "unmodeled-data"; at: string };

/** A name the template does not define. */
export interface NameCheck {
  name: string;
  cause: IotCentralUnmodeledCause;
  didYouMean: Suggestion | null;
}

/** The closest template capability to a name. */
export interface Suggestion {
  capability: string;
  /** The components or interfaces that define it. */
  groups: string[];
  kind: "same-name" | "case-only" | "edit";
  /** Edits between the two names. */
  distance: number;
}

/** How the validator grouped the template's capabilities. */
export type Grouping = "components" | "interfaces";

/** The capabilities of one component (or interface). */
export interface CapabilityGroup {
  group: string;
  capabilities: string[];
}

/** A device template as a validator listed it. */
export interface TemplateListing {
  templateId: string | null;
  grouping: Grouping | null;
  groups: CapabilityGroup[];
}

/** A telemetry event as `monitor-events` printed it. */
export interface TelemetryEvent {
  lines: LineSpan;
  deviceId: string | null;
  module: string | null;
  interface: string | null;
  component: string | null;
  /** The body: an object when it was JSON, else the text. */
  payload: JsonValue;
  properties: JsonValue | null;
}

/** A "Changes in reported (or desired) properties" block of `monitor-properties`. */
export interface PropertyChange {
  lines: LineSpan;
  side: "reported" | "desired";
  version: number | null;
  properties: JsonValue;
}

/** `az iot central device registration-info` output, read from pasted text. */
export interface RegistrationInfo {
  lines: LineSpan;
  deviceId: string | null;
  deviceStatus: string | null;
  status: IotCentralStatus | null;
  template: string | null;
  simulated: boolean | null;
  dpsStatus: string | null;
  error: string | null;
  /** The row of `status`. */
  meaning: CatalogueRow | null;
  /** The row of `dpsStatus`, when it names a DPS registration status. */
  dpsMeaning: CatalogueRow | null;
}
"#;

#[wasm_bindgen(typescript_custom_section)]
const PAYLOAD_TS_SECTION: &str = PAYLOAD_TS;

const TEXT_EXPECTED: &str = "the text to decode: a payload, pasted az iot central output or a code";
const OPTIONS_EXPECTED: &str = "an object with the optional keys catalogue, service, agentVersion, \
     retryAfter and seed, or undefined";
const KEYS: [&str; 5] = ["catalogue", "service", "agentVersion", "retryAfter", "seed"];

/// Decodes anything `iotcode decode` reads and returns the document the CLI prints for it.
///
/// `text` is a string, or its UTF-8 bytes as a `Uint8Array` (a dropped file, a message body; bytes that are not
/// UTF-8 throw `invalid-utf8` naming the first bad byte). It is an MQTT response topic (optionally followed by its JSON body on the next line), an
/// `iothub-errorcode:` header line, a JSON body (DPS error or registration response, IoT Hub error, Device
/// Update twin, `registration-info` output, AzureDiagnostics row), a CSV header line and one AzureDiagnostics
/// row, pasted `az iot central` output, or a code in any form `decode` reads. Throws `AzureIotCodesError` when
/// the text cannot be read at all (its `kind` says why: `truncated`, `invalid-json`, `unknown-shape`, ...) or
/// an option is unusable; a payload that was read but holds a code no catalogue has reports it in that code's
/// `error`.
#[wasm_bindgen(js_name = decodePayload, unchecked_return_type = "DecodedInput")]
pub fn decode_payload(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] input: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "DecodePayloadOptions")] options: JsValue,
) -> Result<JsValue, Rejection> {
    let text = text_or_bytes(&input)?;
    let o = Options::read(&options, &KEYS, OPTIONS_EXPECTED)?;
    let decode = narrowing(&o)?;
    let retry_after = retry_after_option(&o)?;
    let mut report = ReportOptions::new().decode(decode).seed(seed_option(&o)?);
    report.retry_after = retry_after.as_deref();
    report.now_unix = retry_after.is_some().then(now_unix);
    let reading = Reading::read(&text, &report);
    if let Some(e) = reading.error() {
        return Err(e.clone().into());
    }
    document(&InputReport::new(&text, &reading, &report))
}

/// The text argument: a string, or the bytes of one (a `Uint8Array`, such as a dropped file's contents or a
/// message body off a socket), which must be UTF-8: otherwise an `invalid-utf8` error from the payload decoder,
/// which names the first byte that is not, before anything is decoded.
fn text_or_bytes(input: &JsValue) -> Result<String, Rejection> {
    let Some(bytes) = input.dyn_ref::<Uint8Array>() else {
        return text(input, "text")?
            .ok_or_else(|| Rejection::wrong_type("text", input, TEXT_EXPECTED));
    };
    let len = bytes.length();
    if len > MAX_TEXT_CHARS {
        let head = String::from_utf8_lossy(&bytes.subarray(0, 48).to_vec()).into_owned();
        return Err(Rejection::too_large("text", &head, len));
    }
    String::from_utf8(bytes.to_vec()).map_err(|e| {
        let bytes = e.as_bytes();
        match decode_payload_with(bytes, &PayloadOptions::new()) {
            Err(err) => err.into(),
            // Not reached: bytes that are not UTF-8 never decode. `decode_bytes` says the same in its words.
            Ok(_) => decode_bytes(bytes).err().map_or_else(
                || Rejection::wrong_type("text", input, TEXT_EXPECTED),
                Rejection::from,
            ),
        }
    })
}

/// The document as an object: the core's serialization of its parts, with the module's own `Match` and
/// `RetryDecision` objects in place of the CLI's.
///
/// The top level is built here rather than by converting the whole `InputReport`: its `matches` would be
/// serialized only to be replaced, which computed them twice and linked the core's serialization of matches
/// and decisions into the module for nothing. `error` is never there: an input that cannot be read is thrown
/// before (`decode_payload`). The keys come in the order the core's document has them.
fn document(doc: &InputReport<'_>) -> Result<JsValue, Rejection> {
    let convert = |part: Result<JsValue, Unserializable>| {
        part.map_err(|e| Rejection::internal(doc.input(), &e.0))
    };
    let out = Object::new();
    set(&out, "input", doc.input());
    let matches: Array = doc
        .matches()
        .iter()
        .map(|(m, d): &(Match, _)| {
            let o = matched_object(m);
            set(&o, "retry", decision(d));
            JsValue::from(o)
        })
        .collect();
    set(&out, "matches", matches);
    if let Some(p) = doc.payload() {
        let payload = convert(to_js(&p))?;
        if let Some(payload) = payload.dyn_ref::<Object>() {
            set(payload, "retry", nullable(p.retry().map(|d| decision(&d))));
        }
        set(&out, "payload", payload);
    }
    if let Some(central) = doc.central() {
        set(&out, "central", convert(to_js(central))?);
    }
    Ok(out.into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ts::union;
    use azure_iot_codes::payload::{PayloadKind, TopicKind};
    use azure_iot_codes::{IotCentralStatus, IotCentralUnmodeledCause};

    #[test]
    fn unions_list_the_core_identifiers() {
        use strum::IntoEnumIterator;
        let kinds: Vec<&str> = PayloadKind::iter().map(PayloadKind::as_str).collect();
        assert_eq!(union(PAYLOAD_TS, "PayloadKind"), kinds);
        let causes: Vec<String> = IotCentralUnmodeledCause::ALL
            .iter()
            .map(|c| c.meaning().code().to_string())
            .collect();
        assert_eq!(union(PAYLOAD_TS, "IotCentralUnmodeledCause"), causes);
        let statuses: Vec<String> = IotCentralStatus::ALL
            .iter()
            .map(|c| c.meaning().code().to_string())
            .collect();
        assert_eq!(union(PAYLOAD_TS, "IotCentralStatus"), statuses);
        let topics = [
            TopicKind::DpsRegistration,
            TopicKind::Twin,
            TopicKind::Method,
        ]
        .map(TopicKind::as_str);
        assert_eq!(union(PAYLOAD_TS, "TopicKind"), topics);
    }

    #[test]
    fn the_wasm_tests_embed_every_fixture() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures");
        let list = include_str!("../tests/support/fixtures.rs");
        let mut count = 0;
        for dir in std::fs::read_dir(root).unwrap() {
            let dir = dir.unwrap();
            for f in std::fs::read_dir(dir.path()).unwrap() {
                let name = format!(
                    "\"../../../../tests/fixtures/{}/{}\"",
                    dir.file_name().to_str().unwrap(),
                    f.unwrap().file_name().to_str().unwrap()
                );
                assert!(
                    list.contains(&name),
                    "tests/support/fixtures.rs lacks {name}"
                );
                count += 1;
            }
        }
        assert_eq!(list.matches("include_str!(").count(), count);
    }

    #[test]
    fn options_keys_are_those_the_types_declare() {
        let start = PAYLOAD_TS
            .find("export interface DecodePayloadOptions")
            .unwrap();
        let body = &PAYLOAD_TS[start..];
        let body = &body[body.find('{').unwrap() + 1..body.find("\n}").unwrap()];
        let declared: Vec<&str> = body
            .lines()
            .filter_map(|l| l.trim().split_once("?:").map(|(k, _)| k))
            .collect();
        assert_eq!(declared, KEYS);
    }
}
