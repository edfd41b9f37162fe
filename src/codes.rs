//! Typed views of the catalogues.
//!
//! Open code spaces ([`HttpStatus`], [`ServiceErrorCode`]) are newtypes around the raw number, like
//! `http::StatusCode`: services add codes over time, a device may report one this crate does not know yet, and
//! such a number must still round-trip unchanged. Adding a row to the catalogue is then never a breaking change.
//! Closed sets that the services define exhaustively (IoT Central statuses, DPS statuses, CONNACK codes, IoT
//! Central sub-errors) are generated enums, one variant per catalogue row.

use core::fmt;
use core::str::FromStr;

use serde::{Serialize, Serializer};

use crate::catalogue::{
    AuthSubError, Catalogue, DpsLogCategory, DpsMetric, DpsRegistrationStatus,
    DpsRegistrationSubstatus, ENTRIES, IotCentralExport, IotCentralStatus,
    IotCentralUnmodeledCause, Meaning, MqttConnack, Service,
};
use crate::error::{Error, ErrorKind};
use crate::number::parse_number;

/// An HTTP status code as DPS, IoT Hub or IoT Central return it (also the `{status}` of MQTT response topics).
///
/// Any value 100-599 is a valid `HttpStatus`; [`HttpStatus::meanings`] tells what the services mean by it.
///
/// ```
/// use azure_iot_codes::{HttpStatus, Service};
/// let s = HttpStatus::TOO_MANY_REQUESTS;
/// assert_eq!(s.as_u16(), 429);
/// assert_eq!(s.to_string(), "429 Too Many Requests");
/// assert!(s.meaning_for(Service::Dps).unwrap().mitigation().contains("jitter"));
/// assert_eq!("404".parse::<HttpStatus>().unwrap(), HttpStatus::NOT_FOUND);
/// assert!(HttpStatus::new(600).is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct HttpStatus(pub(crate) u16);

impl HttpStatus {
    /// `status` if it is in 100..=599.
    pub fn new(status: u16) -> Result<HttpStatus, Error> {
        if (100..=599).contains(&status) {
            Ok(HttpStatus(status))
        } else {
            Err(Error::for_number(
                ErrorKind::OutOfRange,
                u64::from(status),
                "an HTTP status between 100 and 599",
            ))
        }
    }

    /// The number.
    pub const fn as_u16(self) -> u16 {
        self.0
    }

    /// Every meaning the catalogue has for this status (one per service where they differ; empty if unknown).
    pub fn meanings(self) -> &'static [Meaning] {
        Catalogue::HttpStatus.lookup_number(u32::from(self.0))
    }

    /// The meaning that applies to `service`, if the catalogue has one.
    pub fn meaning_for(self, service: Service) -> Option<&'static Meaning> {
        self.meanings()
            .iter()
            .find(|m| m.services().contains(service))
    }

    /// The reason phrase (`"Not Found"`), if the catalogue knows the status.
    pub fn canonical_reason(self) -> Option<&'static str> {
        self.meanings().first().map(Meaning::name)
    }

    /// The first meaning's description (see [`HttpStatus::meaning_for`] for a given service).
    pub fn description(self) -> Option<&'static str> {
        self.meanings().first().map(Meaning::description)
    }

    /// The first meaning's mitigation.
    pub fn mitigation(self) -> Option<&'static str> {
        self.meanings().first().map(Meaning::mitigation)
    }

    /// The first meaning's source.
    pub fn source(self) -> Option<&'static str> {
        self.meanings().first().map(Meaning::source)
    }

    /// 2xx.
    pub const fn is_success(self) -> bool {
        self.0 >= 200 && self.0 < 300
    }

    /// 4xx.
    pub const fn is_client_error(self) -> bool {
        self.0 >= 400 && self.0 < 500
    }

    /// 5xx.
    pub const fn is_server_error(self) -> bool {
        self.0 >= 500 && self.0 < 600
    }
}

impl fmt::Display for HttpStatus {
    /// `"404 Not Found"`, or the bare number when the catalogue does not know it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.canonical_reason() {
            Some(r) => write!(f, "{} {r}", self.0),
            None => write!(f, "{}", self.0),
        }
    }
}

impl FromStr for HttpStatus {
    type Err = Error;
    /// Decimal or `0x` hex, surrounding whitespace ignored.
    fn from_str(s: &str) -> Result<Self, Error> {
        const EXPECTED: &str = "an HTTP status between 100 and 599";
        let n = parse_number(s, EXPECTED)?.value;
        u16::try_from(n)
            .ok()
            .and_then(|n| HttpStatus::new(n).ok())
            .ok_or_else(|| Error::new(ErrorKind::OutOfRange, s, EXPECTED))
    }
}

impl Serialize for HttpStatus {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u16(self.0)
    }
}

/// A six-digit IoT Hub / DPS error code (`404001`, `401002`, `400209`): the HTTP status followed by three digits.
///
/// A newtype, not an enum: codes the catalogue does not know still round-trip. Where sources disagree on a code
/// [`ServiceErrorCode::meanings`] returns every meaning, today's first.
///
/// ```
/// use azure_iot_codes::{HttpStatus, ServiceErrorCode, Standing};
/// let c = ServiceErrorCode::DEVICE_NOT_FOUND;
/// assert_eq!(c.as_u32(), 404001);
/// assert_eq!(c.http_status(), HttpStatus::NOT_FOUND);
/// assert_eq!(c.to_string(), "404001 DeviceNotFound");
/// let both = ServiceErrorCode::new(403001).unwrap().meanings();
/// assert_eq!(both[0].standing(), Standing::Current);
/// assert_eq!(both.len(), 2);
/// assert_eq!("DeviceNotFound".parse::<ServiceErrorCode>().unwrap(), c);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ServiceErrorCode(pub(crate) u32);

impl ServiceErrorCode {
    /// `code` if it has six digits and its first three are an HTTP status (100-599).
    pub fn new(code: u32) -> Result<ServiceErrorCode, Error> {
        if (100_000..=599_999).contains(&code) {
            Ok(ServiceErrorCode(code))
        } else {
            Err(Error::for_number(
                ErrorKind::OutOfRange,
                u64::from(code),
                "a six-digit code whose first three digits are an HTTP status (100000-599999)",
            ))
        }
    }

    /// The number.
    pub const fn as_u32(self) -> u32 {
        self.0
    }

    /// The HTTP status class the code belongs to (its first three digits).
    pub const fn http_status(self) -> HttpStatus {
        HttpStatus((self.0 / 1000) as u16)
    }

    /// Every meaning any source gives this code, today's first (empty if unknown).
    pub fn meanings(self) -> &'static [Meaning] {
        Catalogue::ServiceError.lookup_number(self.0)
    }

    /// The meaning that applies to `service`, if any.
    pub fn meaning_for(self, service: Service) -> Option<&'static Meaning> {
        self.meanings()
            .iter()
            .find(|m| m.services().contains(service))
    }

    /// Today's name (`"DeviceNotFound"`).
    pub fn name(self) -> Option<&'static str> {
        self.meanings().first().map(Meaning::name)
    }

    /// Today's description.
    pub fn description(self) -> Option<&'static str> {
        self.meanings().first().map(Meaning::description)
    }

    /// Today's mitigation.
    pub fn mitigation(self) -> Option<&'static str> {
        self.meanings().first().map(Meaning::mitigation)
    }

    /// Today's source.
    pub fn source(self) -> Option<&'static str> {
        self.meanings().first().map(Meaning::source)
    }
}

impl fmt::Display for ServiceErrorCode {
    /// `"404001 DeviceNotFound"`, or the bare number when unknown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(n) => write!(f, "{} {n}", self.0),
            None => write!(f, "{}", self.0),
        }
    }
}

impl FromStr for ServiceErrorCode {
    type Err = Error;
    /// A six-digit number, or a name (`DeviceNotFound`, any case) that maps to exactly one code.
    fn from_str(s: &str) -> Result<Self, Error> {
        const EXPECTED: &str = "a six-digit service error code or its name";
        let t = s.trim();
        if t.starts_with(|c: char| c.is_ascii_digit()) {
            // Errors name the caller's text, padding included, like every other parser's.
            let n = parse_number(s, EXPECTED)?.value;
            return ServiceErrorCode::new(n)
                .map_err(|_| Error::new(ErrorKind::OutOfRange, s, EXPECTED));
        }
        let mut codes = Catalogue::ServiceError
            .lookup_name(t)
            .filter_map(Meaning::code_bits);
        match (codes.next(), codes.next()) {
            (Some(n), None) => Ok(ServiceErrorCode(n)),
            (Some(a), Some(b)) if a == b => Ok(ServiceErrorCode(a)),
            (Some(_), Some(_)) => Err(Error::new(
                ErrorKind::NotFound,
                s,
                "a name that maps to one code (this one has several: use decode() to see them all)",
            )),
            _ if t.is_empty() => Err(Error::new(ErrorKind::Empty, s, EXPECTED)),
            _ => Err(Error::new(ErrorKind::NotFound, s, EXPECTED)),
        }
    }
}

impl Serialize for ServiceErrorCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u32(self.0)
    }
}

/// The API shared by the generated enums of closed catalogues.
macro_rules! closed_catalogue {
    ($ty:ident, $cat:expr, $expected:literal) => {
        impl $ty {
            /// This value's catalogue row.
            pub fn meaning(self) -> &'static Meaning {
                &ENTRIES[self.row()]
            }

            /// The code as the service spells it.
            pub fn as_str(self) -> &'static str {
                match self.meaning().code() {
                    crate::Code::Text(t) => t,
                    crate::Code::Number(_) | crate::Code::Signed(_) => self.meaning().name(),
                }
            }

            /// The name.
            pub fn name(self) -> &'static str {
                self.meaning().name()
            }

            /// What it means.
            pub fn description(self) -> &'static str {
                self.meaning().description()
            }

            /// What to do.
            pub fn mitigation(self) -> &'static str {
                self.meaning().mitigation()
            }

            /// Where the facts come from.
            pub fn source(self) -> &'static str {
                self.meaning().source()
            }

            fn from_row(row: &'static Meaning) -> Option<$ty> {
                $ty::ALL
                    .into_iter()
                    .find(|v| core::ptr::eq(v.meaning(), row))
            }
        }

        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $ty {
            type Err = Error;
            /// The code, name or an alias, ignoring ASCII case and surrounding whitespace.
            fn from_str(s: &str) -> Result<Self, Error> {
                let t = s.trim();
                if t.is_empty() {
                    return Err(Error::new(ErrorKind::Empty, s, $expected));
                }
                // The best-ranked row of this catalogue (exact code, then exact name, then case-folded).
                crate::decode::decode_with(t, &crate::DecodeOptions::new().catalogue($cat))
                    .ok()
                    .and_then(|d| d.iter().find_map(|m| $ty::from_row(m.meaning())))
                    .ok_or_else(|| Error::new(ErrorKind::NotFound, s, $expected))
            }
        }

        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    };
}

closed_catalogue!(
    AuthSubError,
    Catalogue::AuthSubError,
    "an IoT Central authorization sub-error such as DEVICE_DISABLED, DEVICE_BLOCKED or 401002"
);
closed_catalogue!(
    IotCentralStatus,
    Catalogue::IotCentralStatus,
    "an IoT Central device status: Provisioned, Registered, Blocked, Unapproved or Unassigned"
);
closed_catalogue!(
    DpsRegistrationStatus,
    Catalogue::DpsRegistrationStatus,
    "a DPS registration status: unassigned, assigning, assigned, failed or disabled"
);
closed_catalogue!(
    DpsRegistrationSubstatus,
    Catalogue::DpsRegistrationSubstatus,
    "a DPS registration substatus such as initialAssignment"
);
closed_catalogue!(
    MqttConnack,
    Catalogue::MqttConnack,
    "an MQTT 3.1.1 CONNACK return code 0-5 or its name"
);

closed_catalogue!(
    IotCentralUnmodeledCause,
    Catalogue::IotCentralUnmodeledCause,
    "an IoT Central unmodeled-data cause such as NAME_CASE_MISMATCH or SCHEMA_MISMATCH"
);
closed_catalogue!(
    IotCentralExport,
    Catalogue::IotCentralExport,
    "an IoT Central export destination (BLOB_STORAGE, SERVICE_BUS, EVENT_HUBS, DATA_EXPLORER) or check"
);
closed_catalogue!(
    DpsMetric,
    Catalogue::DpsMetric,
    "a DPS metric: AttestationAttempts, RegistrationAttempts or DeviceAssignments"
);
closed_catalogue!(
    DpsLogCategory,
    Catalogue::DpsLogCategory,
    "a DPS resource log category: DeviceOperations or ServiceOperations"
);

impl DpsLogCategory {
    /// The columns of a DPS resource log entry (in Log Analytics, table `AzureDiagnostics`) that explain a
    /// failure: the operation, its result, the result's signature and the error message. Named by both
    /// revisions of the DPS troubleshooting page.
    ///
    /// ```
    /// use azure_iot_codes::DpsLogCategory;
    /// assert_eq!(DpsLogCategory::RESULT_FIELDS[3], "ResultDescription");
    /// assert!(DpsLogCategory::DeviceOperations.mitigation().contains("ResultSignature"));
    /// ```
    pub const RESULT_FIELDS: [&'static str; 4] = [
        "OperationName",
        "ResultType",
        "ResultSignature",
        "ResultDescription",
    ];

    /// The Log Analytics table the entries land in when the diagnostic setting sends them there.
    pub const TABLE: &'static str = "AzureDiagnostics";
}

impl MqttConnack {
    /// The return code carried in the CONNACK packet.
    pub const fn code(self) -> u8 {
        self as u8
    }

    /// The value for a CONNACK return code byte, if MQTT 3.1.1 defines it (0-5).
    ///
    /// ```
    /// use azure_iot_codes::MqttConnack;
    /// assert_eq!(MqttConnack::from_code(5), Some(MqttConnack::NotAuthorized));
    /// assert_eq!(MqttConnack::from_code(6), None);
    /// ```
    pub fn from_code(code: u8) -> Option<MqttConnack> {
        MqttConnack::ALL.into_iter().find(|v| v.code() == code)
    }
}
