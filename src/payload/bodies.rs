//! JSON bodies of DPS and IoT Hub: error bodies in their three shapes, DPS registration responses, and the
//! IoT Central CLI's `registration-info` output.

use alloc::collections::BTreeMap;
use alloc::string::{String, ToString};

use serde::Serialize;
use serde_json::{Map, Value};

use super::found::Collector;
use super::json::{self, Fields, scalar_text};
use super::{Limits, PayloadKind};
use crate::catalogue::{Catalogue, Service};
use crate::error::{Detail, Error, ErrorKind};

/// An IoT Hub tracking id split into its parts. IoT Hub writes `<32 hex>-G:<gateway>-TimeStamp:<MM/dd/yyyy
/// HH:mm:ss>` (in `trackingId`) or the same after `Tracking ID:` (in a legacy `ExceptionMessage`); DPS writes a
/// GUID, which has no parts.
///
/// ```
/// use azure_iot_codes::payload::TrackingId;
/// let t = TrackingId::parse("Tracking ID:0123456789abcdef0123456789abcdef-G:7-TimeStamp:03/24/2023 03:34:00");
/// assert_eq!(t.id, "0123456789abcdef0123456789abcdef");
/// assert_eq!(t.gateway, Some("7"));
/// assert_eq!(t.timestamp, Some("03/24/2023 03:34:00"));
/// assert_eq!(TrackingId::parse("0f0e0d0c-0b0a-0908-0706-050403020100").gateway, None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TrackingId<'a> {
    /// The id proper.
    pub id: &'a str,
    /// The gateway number after `-G:`.
    pub gateway: Option<&'a str>,
    /// The timestamp after `-TimeStamp:`, as written.
    pub timestamp: Option<&'a str>,
}

impl<'a> TrackingId<'a> {
    /// Splits a tracking id; text it does not recognise stays in `id`.
    pub fn parse(text: &'a str) -> TrackingId<'a> {
        let mut s = text.trim();
        if let Some(i) = find_ci(s, "tracking id:") {
            s = s[i + "tracking id:".len()..].trim_start();
        }
        let (head, timestamp) = match s.find("-TimeStamp:") {
            Some(i) => (&s[..i], Some(s[i + "-TimeStamp:".len()..].trim())),
            None => (s, None),
        };
        let (id, gateway) = match head.find("-G:") {
            Some(i) => (&head[..i], Some(&head[i + 3..])),
            None => (head, None),
        };
        TrackingId {
            id: id.trim(),
            gateway,
            timestamp,
        }
    }

    /// Whether the id is a GUID (`8-4-4-4-12` hex digits), as DPS writes it.
    pub fn is_guid(&self) -> bool {
        let parts: [usize; 5] = [8, 4, 4, 4, 12];
        let mut it = self.id.split('-');
        parts.iter().all(|&n| {
            it.next()
                .is_some_and(|p| p.len() == n && p.bytes().all(|b| b.is_ascii_hexdigit()))
        }) && it.next().is_none()
    }
}

fn find_ci(haystack: &str, needle: &str) -> Option<usize> {
    haystack
        .as_bytes()
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

fn collect_tracking(c: &mut Collector<'_>, field: &'static str, raw: Option<&str>) {
    let Some(raw) = raw else { return };
    let t = TrackingId::parse(raw);
    c.set(|x| &mut x.tracking_id, Some(t.id));
    c.set(|x| &mut x.gateway, t.gateway);
    c.timestamp(field, t.timestamp);
}

const ERROR_CODE_EXPECTED: &str = "a six-digit error code as a JSON number or decimal string";

/// `{errorCode, trackingId, message, timestampUtc, info}`: what DPS returns with a failed request
/// (`ProvisioningServiceErrorDetails`), what IoT Hub's REST API returns in its flat error shape, and what IoT
/// Hub sends on `$iothub/twin/res/{>=400}`. `code` is accepted for `errorCode` (the C# v2 service SDK does).
///
/// A key written twice in the JSON counts once, with its last value (as serde_json reads objects; `null` counts
/// as absent), in nested objects (`info`) too: `{"errorCode":401002,"errorCode":404201}` is 404201.
///
/// ```
/// use azure_iot_codes::payload::ServiceErrorBody;
/// let b = ServiceErrorBody::from_json(r#"{"errorCode":500001,"message":"InternalServerError",
///   "trackingId":"0123456789abcdef0123456789abcdef-G:0-TimeStamp:03/24/2023 03:34:00"}"#).unwrap();
/// assert_eq!(b.error_code, Some(500001));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[non_exhaustive]
pub struct ServiceErrorBody {
    /// `errorCode` (or `code`) when numeric.
    pub error_code: Option<u32>,
    /// `errorCode` (or `code`) when it is a name rather than a number.
    pub error_name: Option<String>,
    /// `trackingId`, raw.
    pub tracking_id: Option<String>,
    /// `message`.
    pub message: Option<String>,
    /// `timestampUtc`, raw.
    pub timestamp_utc: Option<String>,
    /// `info` (DPS only): extra key/value details.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub info: BTreeMap<String, String>,
}

impl ServiceErrorBody {
    /// Parses the JSON text of an error body with the default [`Limits`].
    pub fn from_json(text: &str) -> Result<ServiceErrorBody, Error> {
        let v = json::parse(text, &Limits::new(), 0)?;
        let obj = object_or_shape_error(&v, text)?;
        let f = Fields::new(obj, text);
        if !ServiceErrorBody::looks_like(&f) {
            return Err(Error::new(
                ErrorKind::UnknownShape,
                text,
                "an error body with `errorCode` (or `code`)",
            ));
        }
        ServiceErrorBody::from_fields(&f)
    }

    pub(crate) fn looks_like(f: &Fields<'_>) -> bool {
        f.get_ci("errorCode").is_some()
            || (f.get("code").is_some() && (f.has("message") || f.has("trackingId")))
    }

    pub(crate) fn from_fields(f: &Fields<'_>) -> Result<ServiceErrorBody, Error> {
        let (key, path) = if f.get("errorCode").is_some() {
            ("errorCode", "errorCode")
        } else if f.get("code").is_some() {
            ("code", "code")
        } else {
            let key = f
                .obj
                .keys()
                .find(|k| k.eq_ignore_ascii_case("errorCode"))
                .map_or("errorCode", String::as_str);
            (key, "errorCode")
        };
        let mut body = ServiceErrorBody::default();
        match f.get(key) {
            Some(Value::String(s)) if !s.trim().bytes().all(|b| b.is_ascii_digit()) => {
                body.error_name = Some(s.trim().to_string());
            }
            Some(_) => {
                body.error_code = f
                    .integer(key, path, 0, i64::from(u32::MAX), ERROR_CODE_EXPECTED)?
                    .map(|n| n as u32);
            }
            None => {}
        }
        body.tracking_id = f.text("trackingId", "trackingId")?;
        body.message = f.text("message", "message")?;
        body.timestamp_utc = f.text("timestampUtc", "timestampUtc")?;
        if let Some(info) = f.object("info", "info")? {
            for (k, v) in info {
                if v.is_null() {
                    continue;
                }
                let text = scalar_text(v).ok_or_else(|| f.wrong("info", "a map of strings"))?;
                body.info.insert(k.clone(), text);
            }
        }
        Ok(body)
    }

    /// The service this body most likely came from: DPS when it has `info` or a GUID tracking id, IoT Hub when
    /// its tracking id has IoT Hub's `-G:` gateway part; `None` when nothing tells.
    pub fn inferred_service(&self) -> Option<Service> {
        if !self.info.is_empty() {
            return Some(Service::Dps);
        }
        let t = TrackingId::parse(self.tracking_id.as_deref()?);
        if t.gateway.is_some() {
            Some(Service::IotHub)
        } else if t.is_guid() {
            Some(Service::Dps)
        } else {
            None
        }
    }

    pub(crate) fn collect(&self, c: &mut Collector<'_>) -> PayloadKind {
        if c.service.is_none() {
            c.service = self.inferred_service();
        }
        if let Some(code) = self.error_code {
            c.code("errorCode", &code.to_string(), Catalogue::ServiceError);
        } else if let Some(name) = &self.error_name {
            c.code("errorCode", name, Catalogue::ServiceError);
        }
        collect_tracking(c, "trackingId TimeStamp", self.tracking_id.as_deref());
        c.set(|x| &mut x.message, self.message.as_deref());
        c.timestamp("timestampUtc", self.timestamp_utc.as_deref());
        if let Some(m) = &self.message {
            c.nested("message", m);
        }
        match c.service {
            Some(Service::Dps) => PayloadKind::DpsError,
            Some(Service::IotHub) => PayloadKind::IotHubError,
            _ => PayloadKind::ErrorBody,
        }
    }
}

fn object_or_shape_error<'v>(v: &'v Value, text: &str) -> Result<&'v Map<String, Value>, Error> {
    v.as_object()
        .ok_or_else(|| Error::new(ErrorKind::UnknownShape, text, "a JSON object"))
}

/// Which of IoT Hub's REST error shapes a body has (the flat one is a [`ServiceErrorBody`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum IotHubErrorShape {
    /// `{"Message":"ErrorCode:<Name>;<text>","ExceptionMessage":"Tracking ID:..-G:..-TimeStamp:.."}`.
    Legacy,
    /// `{"Message":"{\"errorCode\":404103,...}"}`: a flat body escaped inside `Message` (or `Message` as an
    /// object).
    Wrapped,
}

/// An IoT Hub REST error body in the legacy or wrapped shape.
///
/// A key written twice, at the top or in the escaped body, counts once with its last value (`Message` twice: the
/// last `Message` is read).
///
/// ```
/// use azure_iot_codes::payload::{IotHubError, IotHubErrorShape};
/// let e = IotHubError::from_json(r#"{"Message":"ErrorCode:DeviceNotFound;Device sensor-9 not registered",
///   "ExceptionMessage":"Tracking ID:0123456789abcdef0123456789abcdef-G:3-TimeStamp:01/02/2025 03:04:05"}"#).unwrap();
/// assert_eq!(e.shape, IotHubErrorShape::Legacy);
/// assert_eq!(e.error_name.as_deref(), Some("DeviceNotFound"));
/// assert_eq!(e.message.as_deref(), Some("Device sensor-9 not registered"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct IotHubError {
    /// Which shape.
    pub shape: IotHubErrorShape,
    /// The error name (`DeviceNotFound`) of a legacy `ErrorCode:<Name>;` message.
    pub error_name: Option<String>,
    /// The numeric error code of a wrapped body.
    pub error_code: Option<u32>,
    /// The message text (after `ErrorCode:<Name>;`, or the wrapped body's `message`).
    pub message: Option<String>,
    /// The tracking id, raw (from `ExceptionMessage` or the wrapped `trackingId`).
    pub tracking_id: Option<String>,
    /// The wrapped body's `timestampUtc`.
    pub timestamp_utc: Option<String>,
    /// `ExceptionMessage`, raw.
    pub exception_message: Option<String>,
}

impl IotHubError {
    /// Parses the JSON text of a legacy or wrapped IoT Hub error with the default [`Limits`].
    pub fn from_json(text: &str) -> Result<IotHubError, Error> {
        let limits = Limits::new();
        let v = json::parse(text, &limits, 0)?;
        let obj = object_or_shape_error(&v, text)?;
        let f = Fields::new(obj, text);
        if !IotHubError::looks_like(&f) {
            return Err(Error::new(
                ErrorKind::UnknownShape,
                text,
                "an IoT Hub error with `Message` (legacy `ErrorCode:<Name>;...` or an escaped error body)",
            ));
        }
        IotHubError::from_fields(&f, &limits, 0)
    }

    fn message_value<'v>(f: &Fields<'v>) -> Option<&'v Value> {
        f.get("Message").or_else(|| f.get("message"))
    }

    pub(crate) fn looks_like(f: &Fields<'_>) -> bool {
        if f.has("ExceptionMessage") {
            return true;
        }
        match IotHubError::message_value(f) {
            Some(Value::Object(_)) => f.get("errorCode").is_none(),
            Some(Value::String(s)) => {
                let t = s.trim_start();
                t.get(..10)
                    .is_some_and(|p| p.eq_ignore_ascii_case("errorcode:"))
                    || (t.starts_with('{') && f.get_ci("errorCode").is_none())
            }
            _ => false,
        }
    }

    pub(crate) fn from_fields(
        f: &Fields<'_>,
        limits: &Limits,
        depth_used: usize,
    ) -> Result<IotHubError, Error> {
        let exception_message = f.text("ExceptionMessage", "ExceptionMessage")?;
        let tracking_id = exception_message
            .as_deref()
            .filter(|m| find_ci(m, "tracking id:").is_some())
            .map(|m| {
                m[find_ci(m, "tracking id:").unwrap_or(0)..]
                    .trim()
                    .to_string()
            });
        let mut out = IotHubError {
            shape: IotHubErrorShape::Legacy,
            error_name: None,
            error_code: None,
            message: None,
            tracking_id,
            timestamp_utc: None,
            exception_message,
        };
        let inner_text;
        let inner_value;
        let inner: Option<&Map<String, Value>> = match IotHubError::message_value(f) {
            Some(Value::Object(o)) => Some(o),
            Some(Value::String(s)) if s.trim_start().starts_with('{') => {
                inner_text = s.trim();
                inner_value = json::parse(inner_text, limits, depth_used + 1).map_err(|e| {
                    f.wrong("Message", "an escaped JSON error body")
                        .with_detail(match e.detail() {
                            Detail::None => Detail::Field("Message"),
                            d => d,
                        })
                })?;
                Some(
                    inner_value
                        .as_object()
                        .ok_or_else(|| f.wrong("Message", "an escaped JSON object"))?,
                )
            }
            Some(Value::String(s)) => {
                let t = s.trim();
                match t.get(..10) {
                    Some(p) if p.eq_ignore_ascii_case("errorcode:") => {
                        let rest = &t[10..];
                        let (name, text) = rest.split_once(';').unwrap_or((rest, ""));
                        out.error_name = Some(name.trim().to_string()).filter(|n| !n.is_empty());
                        out.message = Some(text.trim().to_string()).filter(|m| !m.is_empty());
                    }
                    _ => out.message = Some(t.to_string()).filter(|m| !m.is_empty()),
                }
                None
            }
            Some(_) => return Err(f.wrong("Message", "a string or a JSON object")),
            None => None,
        };
        if let Some(obj) = inner {
            let inner_fields = f.sub(obj);
            out.shape = IotHubErrorShape::Wrapped;
            if ServiceErrorBody::looks_like(&inner_fields) {
                let body = ServiceErrorBody::from_fields(&inner_fields)?;
                out.error_code = body.error_code;
                out.error_name = body.error_name;
                out.message = body.message;
                out.timestamp_utc = body.timestamp_utc;
                if body.tracking_id.is_some() {
                    out.tracking_id = body.tracking_id;
                }
            } else if depth_used < 3 && IotHubError::looks_like(&inner_fields) {
                let nested = IotHubError::from_fields(&inner_fields, limits, depth_used + 1)?;
                out.error_code = nested.error_code;
                out.error_name = nested.error_name;
                out.message = nested.message;
                out.timestamp_utc = nested.timestamp_utc;
                out.tracking_id = out.tracking_id.or(nested.tracking_id);
            } else {
                return Err(f.wrong(
                    "Message",
                    "an escaped error body with `errorCode` or `Message`",
                ));
            }
        }
        Ok(out)
    }

    pub(crate) fn collect(&self, c: &mut Collector<'_>) {
        if c.service.is_none() {
            c.service = Some(Service::IotHub);
        }
        match (self.error_code, &self.error_name) {
            (Some(code), _) => c.code(
                "Message.errorCode",
                &code.to_string(),
                Catalogue::ServiceError,
            ),
            (None, Some(name)) => {
                let field = match self.shape {
                    IotHubErrorShape::Legacy => "Message ErrorCode",
                    IotHubErrorShape::Wrapped => "Message.errorCode",
                };
                c.code(field, name, Catalogue::ServiceError);
            }
            (None, None) => {}
        }
        collect_tracking(c, "ExceptionMessage TimeStamp", self.tracking_id.as_deref());
        c.set(|x| &mut x.message, self.message.as_deref());
        c.timestamp("Message.timestampUtc", self.timestamp_utc.as_deref());
        if let Some(m) = &self.message {
            // Legacy messages may carry the next hop's error as JSON: `...;Error: BadRequest {"Message":...}`.
            c.nested("Message", m);
        }
    }
}

/// DPS's `DeviceRegistrationResult` (`registrationState` of an operation response, or the answer of a status
/// lookup).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[non_exhaustive]
pub struct RegistrationState {
    /// `registrationId`.
    pub registration_id: Option<String>,
    /// `createdDateTimeUtc`, raw.
    pub created_date_time_utc: Option<String>,
    /// `assignedHub`.
    pub assigned_hub: Option<String>,
    /// `deviceId`.
    pub device_id: Option<String>,
    /// `status` (`assigned`, `failed`, ...).
    pub status: Option<String>,
    /// `substatus` (`initialAssignment`, ...).
    pub substatus: Option<String>,
    /// `errorCode` (six digits).
    pub error_code: Option<u32>,
    /// `errorMessage`.
    pub error_message: Option<String>,
    /// `lastUpdatedDateTimeUtc`, raw.
    pub last_updated_date_time_utc: Option<String>,
    /// `etag`.
    pub etag: Option<String>,
}

impl RegistrationState {
    fn from_fields(f: &Fields<'_>, prefix_paths: bool) -> Result<RegistrationState, Error> {
        macro_rules! p {
            ($bare:literal, $nested:literal) => {
                if prefix_paths { $nested } else { $bare }
            };
        }
        Ok(RegistrationState {
            registration_id: f.text(
                "registrationId",
                p!("registrationId", "registrationState.registrationId"),
            )?,
            created_date_time_utc: f.text(
                "createdDateTimeUtc",
                p!("createdDateTimeUtc", "registrationState.createdDateTimeUtc"),
            )?,
            assigned_hub: f.text(
                "assignedHub",
                p!("assignedHub", "registrationState.assignedHub"),
            )?,
            device_id: f.text("deviceId", p!("deviceId", "registrationState.deviceId"))?,
            status: f.text("status", p!("status", "registrationState.status"))?,
            substatus: f.text("substatus", p!("substatus", "registrationState.substatus"))?,
            error_code: f
                .integer(
                    "errorCode",
                    p!("errorCode", "registrationState.errorCode"),
                    0,
                    i64::from(u32::MAX),
                    ERROR_CODE_EXPECTED,
                )?
                .map(|n| n as u32),
            error_message: f.text(
                "errorMessage",
                p!("errorMessage", "registrationState.errorMessage"),
            )?,
            last_updated_date_time_utc: f.text(
                "lastUpdatedDateTimeUtc",
                p!(
                    "lastUpdatedDateTimeUtc",
                    "registrationState.lastUpdatedDateTimeUtc"
                ),
            )?,
            etag: f.text("etag", p!("etag", "registrationState.etag"))?,
        })
    }
}

/// DPS's `RegistrationOperationStatus`: `{operationId, status, registrationState{...}}`, the body of
/// `$dps/registrations/res/{200,202}` and of the REST register / operation-status calls. A bare
/// `DeviceRegistrationResult` (status lookup) parses too, with no `operation_id`. A key written twice counts once,
/// with its last value, in `registrationState` too (`registrationState` twice: the last object).
///
/// ```
/// use azure_iot_codes::payload::RegistrationOperation;
/// let op = RegistrationOperation::from_json(r#"{"operationId":"4.aa.00","status":"failed",
///   "registrationState":{"registrationId":"sensor-02","status":"failed","errorCode":400209,
///   "errorMessage":"Custom allocation failed with status code: 401"}}"#).unwrap();
/// assert_eq!(op.registration_state.unwrap().error_code, Some(400209));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[non_exhaustive]
pub struct RegistrationOperation {
    /// `operationId`.
    pub operation_id: Option<String>,
    /// The operation's `status`.
    pub status: Option<String>,
    /// `registrationState`.
    pub registration_state: Option<RegistrationState>,
}

impl RegistrationOperation {
    /// Parses the JSON text of a registration operation response with the default [`Limits`].
    pub fn from_json(text: &str) -> Result<RegistrationOperation, Error> {
        let v = json::parse(text, &Limits::new(), 0)?;
        let obj = object_or_shape_error(&v, text)?;
        let f = Fields::new(obj, text);
        if !RegistrationOperation::looks_like(&f) {
            return Err(Error::new(
                ErrorKind::UnknownShape,
                text,
                "a DPS registration response with `operationId` and `status`, or `registrationState`",
            ));
        }
        RegistrationOperation::from_fields(&f)
    }

    pub(crate) fn looks_like(f: &Fields<'_>) -> bool {
        let op = f.has("operationId") && (f.has("status") || f.has("registrationState"));
        let state = f.get("registrationState").is_some_and(Value::is_object);
        let bare = f.has("registrationId")
            && f.has("status")
            && [
                "assignedHub",
                "createdDateTimeUtc",
                "lastUpdatedDateTimeUtc",
                "substatus",
                "errorCode",
            ]
            .iter()
            .any(|k| f.has(k));
        op || state || bare
    }

    pub(crate) fn from_fields(f: &Fields<'_>) -> Result<RegistrationOperation, Error> {
        if f.has("operationId") || f.has("registrationState") {
            let state = f
                .object("registrationState", "registrationState")?
                .map(|o| RegistrationState::from_fields(&f.sub(o), true))
                .transpose()?;
            Ok(RegistrationOperation {
                operation_id: f.text("operationId", "operationId")?,
                status: f.text("status", "status")?,
                registration_state: state,
            })
        } else {
            Ok(RegistrationOperation {
                operation_id: None,
                status: None,
                registration_state: Some(RegistrationState::from_fields(f, false)?),
            })
        }
    }

    /// The registration's status: `registrationState.status`, else the operation's.
    pub fn registration_status(&self) -> Option<&str> {
        self.registration_state
            .as_ref()
            .and_then(|s| s.status.as_deref())
            .or(self.status.as_deref())
    }

    pub(crate) fn collect(&self, c: &mut Collector<'_>) {
        if c.service.is_none() {
            c.service = Some(Service::Dps);
        }
        if let Some(s) = &self.status {
            c.code("status", s, Catalogue::DpsRegistrationStatus);
        }
        c.set(|x| &mut x.operation_id, self.operation_id.as_deref());
        let Some(st) = &self.registration_state else {
            return;
        };
        if let Some(s) = &st.status {
            c.code(
                "registrationState.status",
                s,
                Catalogue::DpsRegistrationStatus,
            );
        }
        if let Some(s) = &st.substatus {
            c.code(
                "registrationState.substatus",
                s,
                Catalogue::DpsRegistrationSubstatus,
            );
        }
        if let Some(code) = st.error_code {
            c.code(
                "registrationState.errorCode",
                &code.to_string(),
                Catalogue::ServiceError,
            );
        }
        c.set(|x| &mut x.registration_id, st.registration_id.as_deref());
        c.set(|x| &mut x.device_id, st.device_id.as_deref());
        c.set(|x| &mut x.assigned_hub, st.assigned_hub.as_deref());
        c.set(|x| &mut x.message, st.error_message.as_deref());
        c.timestamp(
            "registrationState.createdDateTimeUtc",
            st.created_date_time_utc.as_deref(),
        );
        c.timestamp(
            "registrationState.lastUpdatedDateTimeUtc",
            st.last_updated_date_time_utc.as_deref(),
        );
    }
}

/// The output of `az iot central device registration-info`: IoT Central's view of a device and, when it is
/// provisioned, DPS's. A key written twice counts once, with its last value, as in [`crate::central::parse`]'s
/// reading of the same output.
///
/// ```
/// use azure_iot_codes::payload::CentralRegistrationInfo;
/// let i = CentralRegistrationInfo::from_json(r#"{"@device_id":"d1","dps_state":{"status":null,
///   "error":"Device is not yet provisioned."},"device_registration_info":{"device_status":"registered",
///   "id":"d1","simulated":false,"template":"dtmi:x:y;1"}}"#).unwrap();
/// assert_eq!(i.device_status.as_deref(), Some("registered"));
/// assert_eq!(i.dps_status, None);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[non_exhaustive]
pub struct CentralRegistrationInfo {
    /// `@device_id`.
    pub device_id: Option<String>,
    /// `device_registration_info.device_status`: provisioned, registered, blocked or unassociated.
    pub device_status: Option<String>,
    /// `device_registration_info.display_name`.
    pub display_name: Option<String>,
    /// `device_registration_info.id`.
    pub id: Option<String>,
    /// `device_registration_info.template` (older output: `instance_of`).
    pub template: Option<String>,
    /// `device_registration_info.simulated`.
    pub simulated: Option<bool>,
    /// `dps_state.status`: DPS's registration status (`null` unless the device is provisioned).
    pub dps_status: Option<String>,
    /// `dps_state.error`: the CLI's explanation (`None.` when there is nothing to report).
    pub dps_error: Option<String>,
}

impl CentralRegistrationInfo {
    /// Parses the CLI's JSON output with the default [`Limits`].
    pub fn from_json(text: &str) -> Result<CentralRegistrationInfo, Error> {
        let v = json::parse(text, &Limits::new(), 0)?;
        let obj = object_or_shape_error(&v, text)?;
        let f = Fields::new(obj, text);
        if !CentralRegistrationInfo::looks_like(&f) {
            return Err(Error::new(
                ErrorKind::UnknownShape,
                text,
                "`az iot central device registration-info` output with `dps_state` or `device_registration_info`",
            ));
        }
        CentralRegistrationInfo::from_fields(&f)
    }

    pub(crate) fn looks_like(f: &Fields<'_>) -> bool {
        f.has("dps_state") || f.has("device_registration_info") || f.has("@device_id")
    }

    pub(crate) fn from_fields(f: &Fields<'_>) -> Result<CentralRegistrationInfo, Error> {
        let mut out = CentralRegistrationInfo {
            device_id: f.text("@device_id", "@device_id")?,
            ..CentralRegistrationInfo::default()
        };
        if let Some(info) = f.object("device_registration_info", "device_registration_info")? {
            let g = f.sub(info);
            out.device_status =
                g.text("device_status", "device_registration_info.device_status")?;
            out.display_name = g.text("display_name", "device_registration_info.display_name")?;
            out.id = g.text("id", "device_registration_info.id")?;
            out.template = match g.text("template", "device_registration_info.template")? {
                Some(t) => Some(t),
                None => g.text("instance_of", "device_registration_info.instance_of")?,
            };
            out.simulated = match g.get("simulated") {
                None => None,
                Some(Value::Bool(b)) => Some(*b),
                Some(_) => {
                    return Err(f.wrong("device_registration_info.simulated", "true or false"));
                }
            };
        }
        if let Some(dps) = f.object("dps_state", "dps_state")? {
            let g = f.sub(dps);
            out.dps_status = g.text("status", "dps_state.status")?;
            out.dps_error = g.text("error", "dps_state.error")?;
            if out.device_id.is_none() {
                out.device_id = g.text("device_id", "dps_state.device_id")?;
            }
        }
        Ok(out)
    }

    pub(crate) fn collect(&self, c: &mut Collector<'_>) {
        if c.service.is_none() {
            c.service = Some(Service::IotCentral);
        }
        if let Some(s) = &self.device_status {
            c.code(
                "device_registration_info.device_status",
                s,
                Catalogue::IotCentralStatus,
            );
        }
        if let Some(s) = &self.dps_status {
            let outer = c.service.replace(Service::Dps);
            c.code("dps_state.status", s, Catalogue::DpsRegistrationStatus);
            c.service = outer;
        }
        c.set(
            |x| &mut x.device_id,
            self.device_id.as_deref().or(self.id.as_deref()),
        );
        if let Some(e) = self.dps_error.as_deref().filter(|e| e.trim() != "None.") {
            c.set(|x| &mut x.message, Some(e));
            c.nested("dps_state.error", e);
        }
    }
}
