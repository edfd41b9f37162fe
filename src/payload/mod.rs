//! Codes where they appear: MQTT response topics, DPS and IoT Hub bodies, Device Update twins, the IoT Central
//! CLI's output, and Log Analytics rows.
//!
//! [`decode_payload`] sniffs what it was given and returns a [`Payload`]: its [`PayloadKind`], every code found
//! (each decoded in the catalogue its field belongs to, narrowed to the service that sent it), the
//! [`Context`] worth keeping (tracking id, timestamps, request id, operation id, registration id, device id,
//! Retry-After as written), the typed parse, and the retry decision ([`Payload::retry`]: the
//! [`crate::retry`] classifier on the payload's main code, refined by its error code, with the topic's
//! Retry-After; [`Payload::retry_with`] for the caller's attempt, header and random source). A response topic
//! may be followed by its JSON body on the next line, as MQTT messages are logged. Device Update twins are
//! decoded with the Device Update catalogues and reading ([`crate::du`]), for the agent version the caller gives
//! or the one the field shape implies ([`PayloadOptions::agent_version`]). Each kind also has its own typed
//! parser:
//!
//! | kind | parser |
//! |---|---|
//! | `dps-response-topic`, `twin-response-topic`, `method-response-topic` | [`parse_response_topic`] |
//! | `error-code-header` (`iothub-errorcode: <Name>`) | [`parse_error_code_header`] |
//! | `dps-error`, `iot-hub-error` (flat), `error-body` | [`ServiceErrorBody`] |
//! | `iot-hub-error` (legacy `ErrorCode:<Name>;...`, wrapped) | [`IotHubError`] |
//! | `dps-registration` | [`RegistrationOperation`] |
//! | `device-update-agent` | [`DeviceUpdateAgent`] |
//! | `iot-central-registration-info` | [`CentralRegistrationInfo`] |
//! | `azure-diagnostics` (JSON or CSV) | [`DiagnosticsRow`], [`decode_csv_row`] |
//!
//! Whole log exports are read one record at a time by [`RecordReader`] (JSON lines or CSV, bounded memory;
//! `std` feature), the reader `iotcode annotate` and `iotcode report` use.
//!
//! Topic and header parsing allocate nothing and work without the `alloc` feature; everything else needs
//! `alloc` (JSON goes through `serde_json`). Inputs are bounded ([`Limits`]): a size limit (1 MiB by default)
//! checked before anything is read, and a nesting limit (64 levels by default) checked by a linear scan before
//! `serde_json` builds a value. A JSON key written twice counts once, with its last value, in every shape and
//! at every level, including JSON escaped inside strings (`tests/hostile_json.rs`).
//!
//! ```
//! # #[cfg(feature = "alloc")] {
//! use azure_iot_codes::payload::{decode_payload, PayloadKind};
//! let p = decode_payload(r#"{"Message":"ErrorCode:DeviceNotFound;Device sensor-9 is not registered",
//!   "ExceptionMessage":"Tracking ID:0123456789abcdef0123456789abcdef-G:3-TimeStamp:01/02/2025 03:04:05"}"#)
//!   .unwrap();
//! assert_eq!(p.kind(), PayloadKind::IotHubError);
//! assert_eq!(p.codes()[0].matches()[0].code().to_string(), "404001");
//! assert_eq!(p.context().tracking_id.as_deref(), Some("0123456789abcdef0123456789abcdef"));
//! # }
//! ```

mod header;
mod topic;

#[cfg(feature = "alloc")]
mod bodies;
#[cfg(feature = "alloc")]
mod csv;
#[cfg(feature = "alloc")]
mod diagnostics;
#[cfg(feature = "alloc")]
mod du;
#[cfg(feature = "alloc")]
mod found;
#[cfg(feature = "alloc")]
mod json;
#[cfg(feature = "std")]
mod records;

pub use header::{ERROR_CODE_HEADERS, ErrorCodeHeader, HEADER_EXPECTED, parse_error_code_header};
pub use topic::{MAX_TOPIC_LEN, ResponseTopic, TOPIC_EXPECTED, TopicKind, parse_response_topic};

#[cfg(feature = "alloc")]
pub use bodies::{
    CentralRegistrationInfo, IotHubError, IotHubErrorShape, RegistrationOperation,
    RegistrationState, ServiceErrorBody, TrackingId,
};
#[cfg(feature = "alloc")]
pub use csv::{csv_record_is_open, push_csv_field, split_csv_record};
#[cfg(feature = "alloc")]
pub use diagnostics::{CsvHeader, DiagnosticsRow, decode_csv_row};
#[cfg(feature = "alloc")]
pub use du::{
    DeviceUpdateAgent, InstallResult, LastInstallResult, StepResult, Workflow,
    parse_extended_result_codes,
};
#[cfg(feature = "alloc")]
pub use found::{
    Context, FoundCode, HeaderInfo, PAYLOAD_EXPECTED, Parsed, Payload, Timestamp, TopicInfo,
    decode_payload, decode_payload_with,
};
#[cfg(feature = "std")]
pub use records::{
    CSV_ANNOTATION_COLUMNS, Record, RecordReader, csv_annotation_fields, split_ending,
};

use crate::catalogue::Service;
use crate::du::AgentVersion;

/// serde_json refuses the 128th level of nesting on its own (its `remaining_depth` starts at 128 and the
/// container that brings it to 0 is an error), so 127 is the deepest document it returns; a unit test checks
/// this against the serde_json in use.
const JSON_DEPTH_CEILING: usize = 127;

/// What kind of payload was found. The identifiers ([`PayloadKind::as_str`]) are stable: they appear in the
/// CLI's JSON and in the bindings.
///
/// ```
/// use azure_iot_codes::payload::PayloadKind;
/// assert_eq!(PayloadKind::DpsResponseTopic.as_str(), "dps-response-topic");
/// assert_eq!("azure-diagnostics".parse::<PayloadKind>().unwrap(), PayloadKind::AzureDiagnostics);
/// ```
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    strum::Display,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::EnumIter,
)]
#[strum(serialize_all = "kebab-case")]
#[non_exhaustive]
pub enum PayloadKind {
    /// `$dps/registrations/res/{status}/?$rid=..[&retry-after=..]`.
    DpsResponseTopic,
    /// `$iothub/twin/res/{status}/?$rid=..[&$version=..]`.
    TwinResponseTopic,
    /// `$iothub/methods/res/{status}/?$rid=..`.
    MethodResponseTopic,
    /// DPS's error body `{errorCode, trackingId, message, timestampUtc, info}`.
    DpsError,
    /// DPS's registration operation response `{operationId, status, registrationState{...}}`.
    DpsRegistration,
    /// An IoT Hub REST error body: legacy `{"Message":"ErrorCode:<Name>;..","ExceptionMessage":".."}`, JSON
    /// escaped inside `Message`, or the flat `{errorCode, trackingId, message, timestampUtc}`.
    IotHubError,
    /// The flat error body shape when nothing tells whether DPS or IoT Hub sent it.
    ErrorBody,
    /// An `iothub-errorcode: <Name>` header line.
    ErrorCodeHeader,
    /// Device Update agent reported properties (`deviceUpdate.agent`).
    DeviceUpdateAgent,
    /// `az iot central device registration-info` output.
    IotCentralRegistrationInfo,
    /// A Log Analytics AzureDiagnostics row of DPS or IoT Hub (JSON, or CSV header and row).
    AzureDiagnostics,
}

impl PayloadKind {
    /// The stable identifier, e.g. `"dps-error"`.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

impl serde::Serialize for PayloadKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Bounds on what [`decode_payload_with`] reads.
///
/// ```
/// use azure_iot_codes::payload::Limits;
/// let l = Limits::new().max_bytes(64 * 1024).max_depth(16);
/// assert_eq!((l.max_bytes, l.max_depth), (65536, 16));
/// assert_eq!(Limits::new().max_depth(1000).depth(), 127); // serde_json's own ceiling
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Limits {
    /// Inputs longer than this many bytes are refused before they are read. Default 1 MiB.
    pub max_bytes: usize,
    /// JSON nested deeper than this many levels (objects and arrays, including JSON inside JSON strings) is
    /// refused before it is parsed. Default 64; at most 127 takes effect, serde_json's own ceiling.
    pub max_depth: usize,
}

impl Limits {
    /// The default size limit: 1 MiB.
    pub const DEFAULT_MAX_BYTES: usize = 1 << 20;
    /// The default nesting limit: 64 levels.
    pub const DEFAULT_MAX_DEPTH: usize = 64;

    /// The defaults.
    pub const fn new() -> Limits {
        Limits {
            max_bytes: Limits::DEFAULT_MAX_BYTES,
            max_depth: Limits::DEFAULT_MAX_DEPTH,
        }
    }

    /// With a size limit of `bytes`.
    pub const fn max_bytes(mut self, bytes: usize) -> Limits {
        self.max_bytes = bytes;
        self
    }

    /// With a nesting limit of `levels`.
    pub const fn max_depth(mut self, levels: usize) -> Limits {
        self.max_depth = levels;
        self
    }

    /// The nesting limit in effect: `max_depth`, capped at serde_json's ceiling of 127.
    pub const fn depth(&self) -> usize {
        if self.max_depth < JSON_DEPTH_CEILING {
            self.max_depth
        } else {
            JSON_DEPTH_CEILING
        }
    }
}

impl Default for Limits {
    fn default() -> Limits {
        Limits::new()
    }
}

/// Options for [`decode_payload_with`].
///
/// ```
/// use azure_iot_codes::{Service, du::AgentVersion, payload::{Limits, PayloadOptions}};
/// let o = PayloadOptions::new()
///     .service(Service::Dps)
///     .limits(Limits::new().max_bytes(4096))
///     .agent_version(AgentVersion::V1_0_2)
///     .seed(7);
/// assert_eq!(o.service, Some(Service::Dps));
/// assert_eq!(o.agent_version, Some(AgentVersion::V1_0_2));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct PayloadOptions {
    /// Size and nesting bounds.
    pub limits: Limits,
    /// The service the payload came from, when the caller knows; otherwise it is inferred from the payload
    /// (topic prefix, tracking id format, `info`, `ResourceType`, ...).
    pub service: Option<Service>,
    /// The Device Update agent version that wrote a twin's result codes, when the caller knows it. Otherwise a
    /// result reported as agent 1.1.0's `extendedResultCodes` string is read for 1.1.0 (the agent version that
    /// introduced that field), and an integer `extendedResultCode` for every agent version.
    pub agent_version: Option<AgentVersion>,
    /// Seed of the jitter in the payload's retry decision ([`Payload::retry`]): the same seed gives the same
    /// delay. The decision is for display; a device acting on it should call [`Payload::retry_with`] with its
    /// own random source.
    pub seed: u64,
}

impl PayloadOptions {
    /// Default limits, service inferred, agent version inferred, seed 0.
    pub const fn new() -> PayloadOptions {
        PayloadOptions {
            limits: Limits::new(),
            service: None,
            agent_version: None,
            seed: 0,
        }
    }

    /// With these limits.
    pub const fn limits(mut self, limits: Limits) -> PayloadOptions {
        self.limits = limits;
        self
    }

    /// From this service.
    pub const fn service(mut self, service: Service) -> PayloadOptions {
        self.service = Some(service);
        self
    }

    /// Device Update codes read for this agent version.
    pub const fn agent_version(mut self, version: AgentVersion) -> PayloadOptions {
        self.agent_version = Some(version);
        self
    }

    /// With this jitter seed for [`Payload::retry`].
    pub const fn seed(mut self, seed: u64) -> PayloadOptions {
        self.seed = seed;
        self
    }
}

/// Whether `text` looks like a payload rather than a bare code: it starts (after whitespace) with `$`, `{` or
/// `[`, is an `iothub-errorcode:` header line, or spans several lines (a CSV header and row). Cheap and
/// allocation-free; [`decode_payload`] decides for real.
///
/// ```
/// use azure_iot_codes::payload::looks_like_payload;
/// assert!(looks_like_payload("$dps/registrations/res/401/?$rid=1"));
/// assert!(looks_like_payload(" {\"errorCode\":401002}"));
/// assert!(looks_like_payload("iothub-errorcode: DeviceNotFound"));
/// assert!(!looks_like_payload("401002"));
/// assert!(!looks_like_payload("404 Not Found"));
/// ```
pub fn looks_like_payload(text: &str) -> bool {
    let t = text.trim_start_matches('\u{feff}').trim();
    t.starts_with(['$', '{', '['])
        || header::is_error_code_header(t)
        || (t.contains('\n') && t.contains(','))
}
