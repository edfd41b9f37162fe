//! What [`decode_payload`] returns: the kind, every code found with its catalogue meanings, and the context
//! worth keeping.

use alloc::borrow::Cow;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};
use serde_json::Value;

use super::bodies::{
    CentralRegistrationInfo, IotHubError, RegistrationOperation, ServiceErrorBody,
};
use super::diagnostics::{DiagnosticsRow, decode_csv_payload};
use super::du::DeviceUpdateAgent;
use super::header::{is_error_code_header, parse_error_code_header};
use super::json::{self, Fields};
use super::topic::{TopicKind, parse_response_topic};
use super::{Limits, PayloadKind, PayloadOptions};
use crate::catalogue::{Catalogue, Code, Service};
use crate::decode::{DecodeOptions, Decoded, Match, decode_with};
use crate::du::{AgentVersion, ExtendedResultCode, result_code_is_success};
use crate::error::{Detail, Error, ErrorKind};
use crate::retry::{self, Decision, Outcome, Policy, RandomSource, SplitMix64, SubCode};

/// What [`decode_payload`] accepts, for error messages.
pub const PAYLOAD_EXPECTED: &str = "an MQTT response topic ($dps/registrations/res/.., $iothub/twin/res/.., \
     $iothub/methods/res/..), optionally followed by its JSON body on the next line, an `iothub-errorcode:` \
     header line, one JSON object (DPS error or registration response, IoT Hub error body, Device Update twin, \
     `az iot central device registration-info` output, AzureDiagnostics row) or a CSV header line and one \
     AzureDiagnostics row";

/// What may follow a topic, for error messages.
const TOPIC_BODY_EXPECTED: &str =
    "the response topic, then (on the next line) the message's JSON body: one JSON object";

/// How many levels of JSON inside JSON strings are followed (`Message` holding an escaped error body that
/// holds another one).
const NEST_BUDGET: u8 = 3;

/// One code found in a payload: where, the value as written, and what the catalogues say about it.
#[derive(Debug, Clone)]
pub struct FoundCode {
    field: Cow<'static, str>,
    value: String,
    catalogue: Catalogue,
    service: Option<Service>,
    agent_version: Option<AgentVersion>,
    role: Role,
    outcome: Option<Outcome>,
    decoded: Result<Decoded, Error>,
}

/// How a found code takes part in its payload's failure verdict and retry decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// A code of the payload itself.
    Main,
    /// A Device Update step's result: shown and judged, but the deployment's own result decides the retry.
    Step,
    /// One of agent 1.1.0's extended result codes after the root: informational, never a failure by itself.
    Informational,
}

/// A code to record, when [`Collector::code`]'s defaults do not fit: a field name built at run time, a value
/// written differently from what the decoder reads, an agent version, a role.
pub(crate) struct FoundSpec<'s> {
    /// The field, before the collector's prefix.
    pub(crate) field: Cow<'static, str>,
    /// The value as the payload wrote it.
    pub(crate) value: String,
    /// What the decoder reads.
    pub(crate) input: &'s str,
    pub(crate) catalogue: Catalogue,
    pub(crate) agent_version: Option<AgentVersion>,
    pub(crate) role: Role,
}

impl FoundCode {
    /// Where the code was: `topic status`, `errorCode`, `registrationState.errorCode`, `ResultType`...
    pub fn field(&self) -> &str {
        &self.field
    }

    /// The value as the payload wrote it (a Device Update extended result code as the agent writes it: the
    /// signed decimal of agents up to 1.0.x, or one 8-digit hex element of 1.1.0's list).
    pub fn value(&self) -> &str {
        &self.value
    }

    /// The catalogue the field's codes belong to (the hint it was decoded with).
    pub const fn catalogue(&self) -> Catalogue {
        self.catalogue
    }

    /// The service the payload came from, when known (the meanings are narrowed to it where it has any).
    pub const fn service(&self) -> Option<Service> {
        self.service
    }

    /// For Device Update codes: the agent version the code was read for (the caller's, or 1.1.0 for a result
    /// reported as an `extendedResultCodes` string); `None` when every version's meanings are listed.
    pub const fn agent_version(&self) -> Option<AgentVersion> {
        self.agent_version
    }

    /// Whether this is one of agent 1.1.0's informational extended result codes (any after the root of an
    /// `extendedResultCodes` list).
    pub fn is_informational(&self) -> bool {
        self.role == Role::Informational
    }

    /// Whether this code comes from a Device Update step result (`stepResults`) rather than the deployment's
    /// own result.
    pub fn is_step_result(&self) -> bool {
        self.role == Role::Step
    }

    /// The code as an input of the retry classifier ([`retry::decide`]): HTTP statuses, six-digit error codes
    /// and CONNACK bytes as raw numbers (so codes no catalogue has are still classified), Device Update codes
    /// as [`Outcome::DuResultCode`] / [`Outcome::DuExtendedResultCode`], anything else as its first meaning.
    /// `None` when the value is none of these (an unknown status name).
    ///
    /// ```
    /// use azure_iot_codes::payload::decode_payload;
    /// use azure_iot_codes::retry::Outcome;
    /// let p = decode_payload("$dps/registrations/res/429/?$rid=1&retry-after=5").unwrap();
    /// assert_eq!(p.codes()[0].outcome(), Some(Outcome::HttpStatus(429)));
    /// ```
    pub const fn outcome(&self) -> Option<Outcome> {
        self.outcome
    }

    /// The decode result: the meanings, or why there are none (`NotFound` for a code no catalogue has yet).
    pub fn decoded(&self) -> Result<&Decoded, &Error> {
        self.decoded.as_ref()
    }

    /// The meanings, most likely first; empty when the code is unknown. Device Update extended result codes
    /// carry their reading ([`Match::erc`]).
    pub fn matches(&self) -> &[Match] {
        match &self.decoded {
            Ok(d) => d.matches(),
            Err(_) => &[],
        }
    }

    /// Whether the code reports a failure: an HTTP status of 400 or more, any six-digit service error or IoT
    /// Central sub-error, a DPS status of `failed`, `disabled` or `blacklisted`, an IoT Central status of Blocked,
    /// Unapproved or Unassigned, a CONNACK other than 0; for Device Update a `resultCode` of 0 or less
    /// ([`result_code_is_success`]), an extended result code other than 0 unless it is informational (agent
    /// 1.1.0's codes after the root), a diagnostics result other than 200; a Delivery Optimization HRESULT with
    /// the error bit, an errno or reserved extension code other than 0; any IoT Central unmodeled-data cause.
    /// Pattern rows (readings, not codes), export requirements, DPS metrics and log categories report nothing.
    ///
    /// ```
    /// use azure_iot_codes::payload::decode_payload;
    /// let p = decode_payload(r#"{"resultCode":0,"extendedResultCodes":"30501028,A0000FFF"}"#).unwrap();
    /// let failing: Vec<bool> = p.codes().iter().map(|c| c.indicates_failure()).collect();
    /// assert_eq!(failing, [true, true, false]); // resultCode, root code, informational code
    /// ```
    pub fn indicates_failure(&self) -> bool {
        let number = || crate::parse_number(&self.value, "").ok().map(|n| n.value);
        let text_is = |names: &[&str]| {
            names
                .iter()
                .any(|n| self.value.trim().eq_ignore_ascii_case(n))
        };
        match self.catalogue {
            Catalogue::HttpStatus => number().is_some_and(|n| n >= 400),
            Catalogue::ServiceError | Catalogue::AuthSubError => true,
            Catalogue::DpsRegistrationStatus => text_is(&["failed", "disabled", "blacklisted"]),
            Catalogue::DpsRegistrationSubstatus => false,
            Catalogue::IotCentralStatus => self.matches().first().is_some_and(|m| {
                matches!(
                    m.code(),
                    crate::Code::Text("Blocked" | "Unapproved" | "Unassigned")
                )
            }),
            Catalogue::MqttConnack => number().is_some_and(|n| n != 0),
            Catalogue::DuResultCode => number().is_some_and(|n| !result_code_is_success(n as i32)),
            Catalogue::DuExtendedResultCode => {
                self.role != Role::Informational
                    && matches!(self.outcome, Some(Outcome::DuExtendedResultCode(c)) if c.as_u32() != 0)
            }
            Catalogue::DuDiagnosticsResult => number().is_some_and(|n| n != 200),
            Catalogue::DoHresult => number().is_some_and(|n| n & 0x8000_0000 != 0),
            Catalogue::PosixErrno | Catalogue::DuExtensionCode => number().is_some_and(|n| n != 0),
            Catalogue::IotCentralUnmodeledCause => true,
            Catalogue::DuErcPattern
            | Catalogue::IotCentralExport
            | Catalogue::DpsMetric
            | Catalogue::DpsLogCategory => false,
        }
    }
}

/// The retry classifier's view of a code: see [`FoundCode::outcome`].
fn outcome_of(
    catalogue: Catalogue,
    input: &str,
    decoded: &Result<Decoded, Error>,
) -> Option<Outcome> {
    let number = || crate::parse_number(input, "").ok().map(|n| n.value);
    let first = decoded.as_ref().ok().and_then(|d| d.first().copied());
    match catalogue {
        Catalogue::HttpStatus => number()
            .and_then(|n| u16::try_from(n).ok())
            .map(Outcome::HttpStatus),
        Catalogue::ServiceError => number()
            .or_else(|| match first.map(|m| m.code()) {
                Some(Code::Number(n)) => Some(n),
                _ => None,
            })
            .map(Outcome::ServiceError),
        Catalogue::MqttConnack => number()
            .and_then(|n| u8::try_from(n).ok())
            .map(Outcome::MqttConnack),
        Catalogue::DuResultCode => number().map(|n| Outcome::DuResultCode(n as i32)),
        Catalogue::DuExtendedResultCode => ExtendedResultCode::parse(input)
            .ok()
            .map(Outcome::DuExtendedResultCode),
        _ => first.map(|m| Outcome::from(&m)),
    }
}

impl Serialize for FoundCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("FoundCode", 8)?;
        st.serialize_field("field", &self.field)?;
        st.serialize_field("value", &self.value)?;
        st.serialize_field("catalogue", &self.catalogue)?;
        st.serialize_field("service", &self.service)?;
        match self.agent_version {
            Some(v) => st.serialize_field("agent_version", &v)?,
            None => st.skip_field("agent_version")?,
        }
        if self.role == Role::Informational {
            st.serialize_field("informational", &true)?;
        } else {
            st.skip_field("informational")?;
        }
        st.serialize_field("matches", self.matches())?;
        match &self.decoded {
            Ok(_) => st.skip_field("error")?,
            Err(e) => st.serialize_field("error", &ErrorDoc(e))?,
        }
        st.end()
    }
}

/// An [`Error`] as JSON: `{"kind", "message"}`.
pub(crate) struct ErrorDoc<'a>(pub(crate) &'a Error);

impl Serialize for ErrorDoc<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Error", 2)?;
        st.serialize_field("kind", self.0.kind().as_str())?;
        st.serialize_field("message", &self.0.to_string())?;
        st.end()
    }
}

/// A timestamp found in a payload, as written, with the field it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Timestamp {
    /// The field (`timestampUtc`, `TimeGenerated`, `trackingId TimeStamp`...).
    pub field: Cow<'static, str>,
    /// The value as written (formats differ between services; nothing is reinterpreted).
    pub value: String,
}

/// The context worth keeping from a payload: identifiers to quote to support or to correlate logs, and the
/// server's Retry-After. Every value is kept as written. Fields that the payload does not carry are `None`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Context {
    /// The `$rid` of an MQTT response topic.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// The raw `retry-after` value (DPS topics), in seconds as the service wrote it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<String>,
    /// The twin `$version` of a twin response topic.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub twin_version: Option<String>,
    /// The service's tracking id (quote it in support requests). For IoT Hub the 32-hex id without the
    /// `-G:`/`-TimeStamp:` suffixes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tracking_id: Option<String>,
    /// IoT Hub's gateway number from a tracking id (`-G:<n>`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gateway: Option<String>,
    /// The DPS registration operation id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation_id: Option<String>,
    /// The Device Update workflow (deployment) id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workflow_id: Option<String>,
    /// The DPS registration id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registration_id: Option<String>,
    /// The device id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_id: Option<String>,
    /// The module id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub module_id: Option<String>,
    /// The IoT hub DPS assigned the device to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assigned_hub: Option<String>,
    /// The error message or description text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// A log row's `OperationName`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation_name: Option<String>,
    /// A log row's `Category`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// A log row's `Level`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
    /// A log row's `ResultType` (`Success`, `Failure`, `ClientError` for DPS; the error code for IoT Hub).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result_type: Option<String>,
    /// A log row's `CorrelationId`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub correlation_id: Option<String>,
    /// Every timestamp found, in the order found.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub timestamps: Vec<Timestamp>,
}

impl Context {
    /// The first timestamp found, if any.
    pub fn timestamp(&self) -> Option<&str> {
        self.timestamps.first().map(|t| t.value.as_str())
    }
}

/// An owned response topic (see [`super::ResponseTopic`] for the borrowed, allocation-free one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TopicInfo {
    /// Which topic.
    #[serde(serialize_with = "ser_topic_kind")]
    pub kind: TopicKind,
    /// The `{status}` segment.
    pub status: i32,
    /// `$rid`.
    pub request_id: String,
    /// `retry-after`, raw.
    pub retry_after: Option<String>,
    /// `$version`, raw.
    pub version: Option<String>,
}

fn ser_topic_kind<S: Serializer>(k: &TopicKind, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(k.as_str())
}

/// The `iothub-errorcode` header, owned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HeaderInfo {
    /// The header name as written.
    pub name: String,
    /// The value.
    pub value: String,
}

/// The typed parse of a payload, one variant per shape family. Serializes as the inner value.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Parsed {
    /// A DPS, twin or direct-method response topic.
    Topic(TopicInfo),
    /// An `iothub-errorcode` header line.
    Header(HeaderInfo),
    /// `{errorCode, trackingId, message, timestampUtc, info}`: DPS errors, IoT Hub flat errors, twin errors.
    ErrorBody(ServiceErrorBody),
    /// An IoT Hub REST error in the legacy or wrapped shape.
    IotHubError(IotHubError),
    /// A DPS registration operation response (or a bare registration state).
    DpsRegistration(RegistrationOperation),
    /// Device Update agent reported properties.
    DeviceUpdate(DeviceUpdateAgent),
    /// `az iot central device registration-info` output.
    CentralRegistrationInfo(CentralRegistrationInfo),
    /// A Log Analytics AzureDiagnostics row (JSON or CSV).
    AzureDiagnostics(DiagnosticsRow),
}

impl Serialize for Parsed {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Parsed::Topic(v) => v.serialize(s),
            Parsed::Header(v) => v.serialize(s),
            Parsed::ErrorBody(v) => v.serialize(s),
            Parsed::IotHubError(v) => v.serialize(s),
            Parsed::DpsRegistration(v) => v.serialize(s),
            Parsed::DeviceUpdate(v) => v.serialize(s),
            Parsed::CentralRegistrationInfo(v) => v.serialize(s),
            Parsed::AzureDiagnostics(v) => v.serialize(s),
        }
    }
}

/// A decoded payload: its kind, every code found (with the catalogue meanings), the context worth keeping,
/// the typed parse, the retry decision, and warnings about parts that could not be read.
///
/// ```
/// use azure_iot_codes::payload::{decode_payload, PayloadKind};
/// use azure_iot_codes::retry::Action;
/// let p = decode_payload(r#"{"errorCode":401002,"trackingId":"0f0e0d0c-0b0a-0908-0706-050403020100",
///     "message":"Invalid certificate","timestampUtc":"2025-01-02T03:06:00.0000000Z"}"#).unwrap();
/// assert_eq!(p.kind(), PayloadKind::DpsError);
/// assert_eq!(p.codes()[0].matches()[0].name(), "IotHubUnauthorizedAccess");
/// assert_eq!(p.context().tracking_id.as_deref(), Some("0f0e0d0c-0b0a-0908-0706-050403020100"));
/// assert!(p.is_failure());
/// assert_eq!(p.retry().unwrap().action(), Action::RenewCredentials);
/// ```
#[derive(Debug, Clone, Serialize)]
pub struct Payload {
    kind: PayloadKind,
    service: Option<Service>,
    codes: Vec<FoundCode>,
    context: Context,
    #[serde(skip_serializing_if = "Option::is_none")]
    topic: Option<TopicInfo>,
    parsed: Parsed,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    warnings: Vec<String>,
    #[serde(skip)]
    basis: Option<RetryBasis>,
    #[serde(skip_serializing_if = "Option::is_none")]
    retry: Option<Decision>,
}

/// Which codes the payload's retry decision is made from: indexes into [`Payload::codes`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct RetryBasis {
    code: usize,
    sub_code: Option<SubCode>,
}

impl Payload {
    /// What kind of payload this is.
    pub const fn kind(&self) -> PayloadKind {
        self.kind
    }

    /// The service that produced it, when the payload says (or the caller said, see [`PayloadOptions`]).
    pub const fn service(&self) -> Option<Service> {
        self.service
    }

    /// Every code found, in payload order (a topic's status before its body's codes).
    pub fn codes(&self) -> &[FoundCode] {
        &self.codes
    }

    /// Identifiers, timestamps and Retry-After.
    pub const fn context(&self) -> &Context {
        &self.context
    }

    /// The typed parse (of the body, when a topic was followed by one).
    pub const fn parsed(&self) -> &Parsed {
        &self.parsed
    }

    /// The MQTT response topic, for a topic alone or a topic followed by its body.
    pub fn topic(&self) -> Option<&TopicInfo> {
        match &self.parsed {
            Parsed::Topic(t) => Some(t),
            _ => self.topic.as_ref(),
        }
    }

    /// Parts of the payload that were present but could not be read (an embedded JSON string that is not
    /// JSON, a Retry-After that is not a number...). The codes found elsewhere are still returned.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// Every meaning of every code, in payload order, each once.
    pub fn matches(&self) -> Vec<Match> {
        let mut out: Vec<Match> = Vec::new();
        for m in self.codes.iter().flat_map(FoundCode::matches) {
            if !out.contains(m) {
                out.push(*m);
            }
        }
        out
    }

    /// Whether the payload reports a failure: a code that does ([`FoundCode::indicates_failure`]), a Device
    /// Update result code of 0 or less (the agent counts every value <= 0 as failure), or a log row at level
    /// `Error` or with a `ResultType` other than `Success`.
    pub fn is_failure(&self) -> bool {
        if self.codes.iter().any(FoundCode::indicates_failure) {
            return true;
        }
        match &self.parsed {
            Parsed::DeviceUpdate(du) => du.is_failure(),
            Parsed::AzureDiagnostics(row) => row.is_failure(),
            _ => false,
        }
    }

    /// The code the retry decision is about ([`Payload::retry_outcome`] is its [`FoundCode::outcome`]).
    ///
    /// It is chosen in this order: a Device Update `resultCode` (its root extended result code instead when
    /// the result failed), else a Device Update extended result code or diagnostics result; else the HTTP
    /// status (a topic's status, a log row's `ResultSignature`) unless it is a 2xx that a registration or
    /// IoT Central status in the body completes (DPS answers 200 for a registration that failed); else that
    /// IoT Central or DPS registration status; else the six-digit error code; else the first code the classifier
    /// reads. Device Update step results and informational codes are never chosen.
    pub fn retry_code(&self) -> Option<&FoundCode> {
        self.basis.map(|b| &self.codes[b.code])
    }

    /// The outcome the retry decision classifies: [`Payload::retry_code`]'s.
    pub fn retry_outcome(&self) -> Option<Outcome> {
        self.retry_code().and_then(FoundCode::outcome)
    }

    /// The more specific code that refines the decision: the first six-digit error code other than the retry
    /// code itself, such as the body's `errorCode` under a topic status or a failed registration's
    /// `registrationState.errorCode`.
    pub fn retry_sub_code(&self) -> Option<SubCode> {
        self.basis.and_then(|b| b.sub_code)
    }

    /// The retry context the payload gives: its service, [`Payload::retry_sub_code`], and the Retry-After its
    /// topic carried (`retry-after=`); a device's first attempt. Set the attempt, elapsed time, the current
    /// time and an HTTP `Retry-After` header (which a body does not carry) before deciding, or use
    /// [`Payload::retry_with`].
    pub fn retry_context(&self) -> retry::Context<'_> {
        let mut ctx = retry::Context::new();
        ctx.service = self.service;
        ctx.sub_code = self.retry_sub_code();
        ctx.retry_after = self.context.retry_after.as_deref();
        ctx
    }

    /// The retry decision for this payload: [`retry::decide`] on [`Payload::retry_outcome`] in
    /// [`Payload::retry_context`] (a first attempt), with jitter seeded from [`PayloadOptions::seed`]. `None`
    /// when the payload has no code to decide on (a direct-method reply with a status outside the HTTP range).
    ///
    /// ```
    /// use azure_iot_codes::payload::decode_payload;
    /// use azure_iot_codes::retry::Action;
    /// let p = decode_payload("$dps/registrations/res/202/?$rid=7&retry-after=3").unwrap();
    /// let d = p.retry().unwrap();
    /// assert_eq!((d.action(), d.delay_ms()), (Action::Retry, Some(3_000)));
    /// assert!(d.retry_after_honored());
    /// ```
    pub const fn retry(&self) -> Option<Decision> {
        self.retry
    }

    /// The retry decision in the caller's context: its attempt, elapsed time, operation, current time and
    /// Retry-After header (used when `ctx` has one, else the topic's); the service and sub-code are the
    /// payload's unless `ctx` sets them.
    ///
    /// ```
    /// use azure_iot_codes::payload::decode_payload;
    /// use azure_iot_codes::retry::{Action, Context, Policy, SplitMix64};
    /// // A throttled IoT Hub REST call: the body names the error, the Retry-After header says how long to wait.
    /// let p = decode_payload(r#"{"errorCode":429001,"trackingId":"0123456789abcdef0123456789abcdef-G:4-TimeStamp:01/02/2025 03:04:05","message":"Throttled","timestampUtc":"2025-01-02T03:04:05Z"}"#).unwrap();
    /// let ctx = Context::new().retry_after("12").attempt(2);
    /// let d = p.retry_with(&Policy::DEFAULT, &ctx, &mut SplitMix64::new(1)).unwrap();
    /// assert_eq!((d.action(), d.delay_ms(), d.attempt()), (Action::Retry, Some(12_000), 2));
    /// ```
    pub fn retry_with<R: RandomSource + ?Sized>(
        &self,
        policy: &Policy,
        ctx: &retry::Context<'_>,
        rng: &mut R,
    ) -> Option<Decision> {
        let outcome = self.retry_outcome()?;
        let mut merged = *ctx;
        merged.service = ctx.service.or(self.service);
        merged.sub_code = ctx.sub_code.or(self.retry_sub_code());
        merged.retry_after = ctx.retry_after.or(self.context.retry_after.as_deref());
        Some(policy.decide(outcome, &merged, rng))
    }
}

/// Picks the retry code and sub-code; see [`Payload::retry_code`].
fn retry_basis(codes: &[FoundCode]) -> Option<RetryBasis> {
    let find = |cat: Catalogue| {
        codes
            .iter()
            .position(|c| c.catalogue == cat && c.role == Role::Main && c.outcome.is_some())
    };
    let code = if let Some(rc) = find(Catalogue::DuResultCode) {
        match find(Catalogue::DuExtendedResultCode) {
            Some(erc) if codes[rc].indicates_failure() => erc,
            _ => rc,
        }
    } else if let Some(i) =
        find(Catalogue::DuExtendedResultCode).or_else(|| find(Catalogue::DuDiagnosticsResult))
    {
        i
    } else {
        let status = find(Catalogue::HttpStatus);
        let body_status =
            find(Catalogue::IotCentralStatus).or_else(|| find(Catalogue::DpsRegistrationStatus));
        match (status, body_status) {
            (Some(s), Some(b)) => {
                if matches!(codes[s].outcome, Some(Outcome::HttpStatus(200..=299))) {
                    b
                } else {
                    s
                }
            }
            (Some(s), None) => s,
            (None, Some(b)) => b,
            (None, None) => find(Catalogue::ServiceError).or_else(|| {
                codes
                    .iter()
                    .position(|c| c.role == Role::Main && c.outcome.is_some())
            })?,
        }
    };
    let sub_code = codes.iter().enumerate().find_map(|(i, c)| match c.outcome {
        Some(Outcome::ServiceError(n)) if i != code && c.role == Role::Main => {
            Some(SubCode::ServiceError(n))
        }
        _ => None,
    });
    Some(RetryBasis { code, sub_code })
}

/// Collects codes, context and warnings while a payload is walked.
pub(crate) struct Collector<'a> {
    pub(crate) limits: &'a Limits,
    pub(crate) service: Option<Service>,
    /// The agent version the caller gave for Device Update codes.
    pub(crate) agent_version: Option<AgentVersion>,
    seed: u64,
    topic: Option<TopicInfo>,
    prefix: String,
    nest_budget: u8,
    /// How deep the current JSON sits inside the outer payload (JSON in strings adds up).
    pub(crate) depth_used: usize,
    codes: Vec<FoundCode>,
    pub(crate) context: Context,
    warnings: Vec<String>,
}

impl<'a> Collector<'a> {
    pub(crate) fn new(options: &'a PayloadOptions) -> Collector<'a> {
        Collector {
            limits: &options.limits,
            service: options.service,
            agent_version: options.agent_version,
            seed: options.seed,
            topic: None,
            prefix: String::new(),
            nest_budget: NEST_BUDGET,
            depth_used: 0,
            codes: Vec::new(),
            context: Context::default(),
            warnings: Vec::new(),
        }
    }

    fn field_name(&self, field: &'static str) -> Cow<'static, str> {
        if self.prefix.is_empty() {
            Cow::Borrowed(field)
        } else {
            Cow::Owned(format!("{}{field}", self.prefix))
        }
    }

    /// Records a code from `field`, decoded in `catalogue` and narrowed to the payload's service. When the
    /// service has no meaning for it but another service does, those are returned with a warning.
    pub(crate) fn code(&mut self, field: &'static str, value: &str, catalogue: Catalogue) {
        let field = self.field_name(field);
        self.push_code(FoundSpec {
            field,
            value: value.to_string(),
            input: value,
            catalogue,
            agent_version: None,
            role: Role::Main,
        });
    }

    /// Records a code described by `spec` (its field is prefixed here, as for [`Collector::code`]).
    pub(crate) fn code_spec(&mut self, mut spec: FoundSpec<'_>) {
        if !self.prefix.is_empty() {
            spec.field = Cow::Owned(format!("{}{}", self.prefix, spec.field));
        }
        self.push_code(spec);
    }

    fn push_code(&mut self, spec: FoundSpec<'_>) {
        let FoundSpec {
            field,
            value,
            input,
            catalogue,
            agent_version,
            role,
        } = spec;
        let service = self.service;
        let mut options = DecodeOptions::new().catalogue(catalogue);
        options.agent_version = agent_version;
        let mut narrowed = options;
        narrowed.service = service;
        let mut decoded = decode_with(input, &narrowed);
        if service.is_some()
            && matches!(&decoded, Err(e) if e.kind() == ErrorKind::NotFound)
            && let Ok(d) = decode_with(input, &options)
        {
            self.warn(format!(
                "{field} {value}: the catalogue has no meaning for {} (shown: other services' meanings)",
                service.map_or("", Service::as_str),
            ));
            decoded = Ok(d);
        }
        let outcome = outcome_of(catalogue, input, &decoded);
        self.codes.push(FoundCode {
            field,
            value,
            catalogue,
            service,
            agent_version,
            role,
            outcome,
            decoded,
        });
    }

    pub(crate) fn warn(&mut self, warning: String) {
        self.warnings.push(warning);
    }

    /// Sets a context field unless an earlier (outer) value is already there.
    pub(crate) fn set(
        &mut self,
        slot: fn(&mut Context) -> &mut Option<String>,
        value: Option<&str>,
    ) {
        if let Some(v) = value.filter(|v| !v.is_empty()) {
            let s = slot(&mut self.context);
            if s.is_none() {
                *s = Some(v.to_string());
            }
        }
    }

    pub(crate) fn timestamp(&mut self, field: &'static str, value: Option<&str>) {
        if let Some(v) = value.filter(|v| !v.is_empty()) {
            let field = self.field_name(field);
            self.context.timestamps.push(Timestamp {
                field,
                value: v.to_string(),
            });
        }
    }

    /// Looks for a JSON payload embedded in a string field (after any leading text, e.g. `Error: BadRequest
    /// {...}`) and collects its codes under `field.`. Returns whether one was found. What cannot be read
    /// becomes a warning, never an error: the outer payload was fine.
    pub(crate) fn nested(&mut self, field: &'static str, text: &str) -> bool {
        let Some(start) = text.find('{') else {
            return false;
        };
        if self.nest_budget == 0 {
            self.warn(format!(
                "{}: JSON nested in strings too many times; not read",
                self.field_name(field)
            ));
            return false;
        }
        let inner = text[start..].trim_end();
        let value = match parse_first_value(inner, self.limits, self.depth_used) {
            Ok(v) => v,
            Err(e) => {
                self.warn(format!(
                    "{}: embedded JSON not read: {e}",
                    self.field_name(field)
                ));
                return false;
            }
        };
        let Some(obj) = value.as_object() else {
            return false;
        };
        let new_prefix = format!("{}{field}.", self.prefix);
        let saved_prefix = core::mem::replace(&mut self.prefix, new_prefix);
        self.nest_budget -= 1;
        self.depth_used += 1;
        let fields = Fields::new(obj, inner);
        let found = match sniff_object(&fields, self) {
            Ok(Some(_)) => true,
            Ok(None) => false,
            Err(e) => {
                self.warn(format!(
                    "{}: embedded payload not read: {e}",
                    saved_prefix.clone() + field
                ));
                false
            }
        };
        self.depth_used -= 1;
        self.nest_budget += 1;
        self.prefix = saved_prefix;
        found
    }

    pub(crate) fn finish(self, kind: PayloadKind, parsed: Parsed) -> Payload {
        let mut p = Payload {
            kind,
            service: self.service,
            basis: retry_basis(&self.codes),
            codes: self.codes,
            context: self.context,
            topic: self.topic,
            parsed,
            warnings: self.warnings,
            retry: None,
        };
        p.retry = p.retry_with(
            &Policy::DEFAULT,
            &retry::Context::new(),
            &mut SplitMix64::new(self.seed),
        );
        p
    }
}

/// The first JSON value in `text` (trailing text after it is ignored), within the limits.
fn parse_first_value(text: &str, limits: &Limits, depth_used: usize) -> Result<Value, Error> {
    json::check_depth(text, limits.depth().saturating_sub(depth_used + 1))?;
    let mut values = serde_json::Deserializer::from_str(text).into_iter::<Value>();
    match values.next() {
        Some(Ok(v)) => Ok(v),
        Some(Err(e)) => {
            let kind = if e.is_eof() {
                ErrorKind::Truncated
            } else {
                ErrorKind::InvalidJson
            };
            let line = u32::try_from(e.line()).unwrap_or(u32::MAX);
            let column = u32::try_from(e.column()).unwrap_or(u32::MAX);
            Err(Error::new(kind, text, json::JSON_EXPECTED)
                .with_detail(Detail::At { line, column }))
        }
        None => Err(Error::new(ErrorKind::Empty, text, json::JSON_EXPECTED)),
    }
}

/// Decodes a payload with the default [`Limits`] and no service hint. See [`decode_payload_with`].
///
/// ```
/// use azure_iot_codes::payload::{decode_payload, PayloadKind};
/// let p = decode_payload("$dps/registrations/res/429/?$rid=12&retry-after=5").unwrap();
/// assert_eq!(p.kind(), PayloadKind::DpsResponseTopic);
/// assert_eq!(p.codes()[0].matches()[0].name(), "Too Many Requests");
/// assert_eq!(p.context().retry_after.as_deref(), Some("5"));
/// ```
pub fn decode_payload(input: impl AsRef<[u8]>) -> Result<Payload, Error> {
    decode_payload_with(input, &PayloadOptions::new())
}

/// Sniffs what `input` is (an MQTT response topic, an `iothub-errorcode` header, which JSON shape, a CSV
/// header and row) and returns every code in it with its meanings, the context, and the typed parse.
///
/// Bounded: inputs larger than [`Limits::max_bytes`] or nesting deeper than [`Limits::max_depth`] are refused
/// before anything is built; invalid UTF-8, truncated JSON, malformed topics and unknown shapes are typed
/// errors naming the input and saying what was expected. Never panics. A JSON key written twice counts once,
/// with its last value.
///
/// ```
/// use azure_iot_codes::{ErrorKind, payload::{decode_payload_with, Limits, PayloadOptions}};
/// let opts = PayloadOptions::new().limits(Limits::new().max_bytes(16));
/// let e = decode_payload_with("{\"errorCode\": 404001}", &opts).unwrap_err();
/// assert_eq!(e.kind(), ErrorKind::TooLarge);
/// let e = decode_payload_with(b"\xff\xfe", &PayloadOptions::new()).unwrap_err();
/// assert_eq!(e.kind(), ErrorKind::InvalidUtf8);
/// ```
pub fn decode_payload_with(
    input: impl AsRef<[u8]>,
    options: &PayloadOptions,
) -> Result<Payload, Error> {
    decode_payload_bytes(input.as_ref(), options)
}

/// [`decode_payload_with`] for bytes: one copy of the reader whatever type the input comes as.
fn decode_payload_bytes(bytes: &[u8], options: &PayloadOptions) -> Result<Payload, Error> {
    if bytes.len() > options.limits.max_bytes {
        return Err(Error::from_bytes(
            ErrorKind::TooLarge,
            bytes,
            "a payload within the size limit",
        )
        .with_detail(Detail::Size {
            limit: options.limits.max_bytes,
            found: bytes.len(),
        }));
    }
    let text = core::str::from_utf8(bytes).map_err(|e| {
        Error::from_bytes(ErrorKind::InvalidUtf8, bytes, "UTF-8 text")
            .with_detail(Detail::Offset(e.valid_up_to()))
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let t = text.trim();
    if t.is_empty() {
        return Err(Error::new(ErrorKind::Empty, text, PAYLOAD_EXPECTED));
    }
    let mut c = Collector::new(options);
    if t.starts_with('$') {
        // An MQTT message as logged: the topic on the first line, then its JSON body. (A line break cannot be
        // part of a topic here; `parse_response_topic` reads a topic alone.)
        let (line, body) = match t.split_once('\n') {
            Some((line, body)) => (line.trim(), body.trim()),
            None => (t, ""),
        };
        let topic = parse_response_topic(line)?;
        let (kind, info) = collect_topic(topic, &mut c);
        if body.is_empty() {
            return Ok(c.finish(kind, Parsed::Topic(info)));
        }
        if !body.starts_with('{') {
            return Err(Error::new(
                ErrorKind::UnknownShape,
                text,
                TOPIC_BODY_EXPECTED,
            ));
        }
        let value = json::parse(body, &options.limits, 0)?;
        let Some(obj) = value.as_object() else {
            return Err(Error::new(
                ErrorKind::UnknownShape,
                text,
                TOPIC_BODY_EXPECTED,
            ));
        };
        c.topic = Some(info);
        return match sniff_object(&Fields::new(obj, body), &mut c)? {
            Some((kind, parsed)) => Ok(c.finish(kind, parsed)),
            None => Err(Error::new(ErrorKind::UnknownShape, body, PAYLOAD_EXPECTED)),
        };
    }
    if is_error_code_header(t) {
        let h = parse_error_code_header(t)?;
        if c.service.is_none() {
            c.service = Some(Service::IotHub);
        }
        c.code("iothub-errorcode", h.value, Catalogue::ServiceError);
        let parsed = Parsed::Header(HeaderInfo {
            name: h.name.to_string(),
            value: h.value.to_string(),
        });
        return Ok(c.finish(PayloadKind::ErrorCodeHeader, parsed));
    }
    if t.starts_with('{') {
        let value = json::parse(t, &options.limits, 0)?;
        let Some(obj) = value.as_object() else {
            return Err(Error::new(ErrorKind::UnknownShape, text, PAYLOAD_EXPECTED));
        };
        let fields = Fields::new(obj, text);
        return match sniff_object(&fields, &mut c)? {
            Some((kind, parsed)) => Ok(c.finish(kind, parsed)),
            None => Err(Error::new(ErrorKind::UnknownShape, text, PAYLOAD_EXPECTED)),
        };
    }
    if t.starts_with('[') {
        return Err(Error::new(
            ErrorKind::UnknownShape,
            text,
            "one JSON object; a JSON array of log records goes to `iotcode annotate` as JSON lines \
             (one object per line)",
        ));
    }
    if t.contains('\n') {
        let row = decode_csv_payload(t, &mut c)?;
        return Ok(c.finish(PayloadKind::AzureDiagnostics, Parsed::AzureDiagnostics(row)));
    }
    Err(Error::new(ErrorKind::UnknownShape, text, PAYLOAD_EXPECTED))
}

/// Collects a response topic's status and parameters.
fn collect_topic(
    topic: super::ResponseTopic<'_>,
    c: &mut Collector<'_>,
) -> (PayloadKind, TopicInfo) {
    let kind = match topic.kind() {
        TopicKind::DpsRegistration => PayloadKind::DpsResponseTopic,
        TopicKind::Twin => PayloadKind::TwinResponseTopic,
        TopicKind::Method => PayloadKind::MethodResponseTopic,
    };
    if c.service.is_none() {
        c.service = Some(match topic.kind() {
            TopicKind::DpsRegistration => Service::Dps,
            TopicKind::Twin | TopicKind::Method => Service::IotHub,
        });
    }
    let status = topic.status().to_string();
    if topic.kind().status_is_http() {
        c.code("topic status", &status, Catalogue::HttpStatus);
    } else if (100..=599).contains(&topic.status()) {
        c.warn(String::from(
            "topic status: a direct-method reply carries the status the device application chose; it is read \
             as an HTTP status only by convention",
        ));
        c.code("topic status", &status, Catalogue::HttpStatus);
    } else {
        c.warn(format!(
            "topic status {status}: chosen by the device application, outside the HTTP range; no catalogue \
             meaning"
        ));
    }
    c.set(|x| &mut x.request_id, Some(topic.request_id()));
    c.set(|x| &mut x.retry_after, topic.retry_after());
    c.set(|x| &mut x.twin_version, topic.version());
    if let Some(r) = topic.retry_after()
        && topic.retry_after_secs().is_none()
    {
        c.warn(format!(
            "retry-after {r:?} is not a whole number of seconds"
        ));
    }
    let info = TopicInfo {
        kind: topic.kind(),
        status: topic.status(),
        request_id: topic.request_id().to_string(),
        retry_after: topic.retry_after().map(String::from),
        version: topic.version().map(String::from),
    };
    (kind, info)
}

/// Recognises the JSON object's shape and collects from it. `Ok(None)`: no known shape.
pub(crate) fn sniff_object(
    f: &Fields<'_>,
    c: &mut Collector<'_>,
) -> Result<Option<(PayloadKind, Parsed)>, Error> {
    if f.get("records").is_some_and(Value::is_array) {
        return Err(Error::new(
            ErrorKind::UnknownShape,
            f.input,
            "one log record; a resource-log blob with a `records` array goes to `iotcode annotate` as JSON \
             lines (one record per line)",
        ));
    }
    if CentralRegistrationInfo::looks_like(f) {
        let info = CentralRegistrationInfo::from_fields(f)?;
        info.collect(c);
        return Ok(Some((
            PayloadKind::IotCentralRegistrationInfo,
            Parsed::CentralRegistrationInfo(info),
        )));
    }
    if let Some(agent) = DeviceUpdateAgent::find(f)? {
        agent.collect(c);
        return Ok(Some((
            PayloadKind::DeviceUpdateAgent,
            Parsed::DeviceUpdate(agent),
        )));
    }
    if DiagnosticsRow::looks_like_json(f) {
        let row = DiagnosticsRow::from_json_fields(f)?;
        row.collect(c);
        return Ok(Some((
            PayloadKind::AzureDiagnostics,
            Parsed::AzureDiagnostics(row),
        )));
    }
    if RegistrationOperation::looks_like(f) {
        let op = RegistrationOperation::from_fields(f)?;
        op.collect(c);
        return Ok(Some((
            PayloadKind::DpsRegistration,
            Parsed::DpsRegistration(op),
        )));
    }
    if IotHubError::looks_like(f) {
        let e = IotHubError::from_fields(f, c.limits, c.depth_used)?;
        e.collect(c);
        return Ok(Some((PayloadKind::IotHubError, Parsed::IotHubError(e))));
    }
    if ServiceErrorBody::looks_like(f) {
        let body = ServiceErrorBody::from_fields(f)?;
        let kind = body.collect(c);
        return Ok(Some((kind, Parsed::ErrorBody(body))));
    }
    Ok(None)
}
