//! Status codes: what every fallible function returns, and `aic_status_str`.

use core::ffi::{CStr, c_char, c_int};

use azure_iot_codes::ErrorKind;

use crate::ffi::guard;

/// What a function reports. `AIC_OK` is 0; every error is positive. The first seven errors mirror the Rust
/// crate's `ErrorKind` (same order, same identifiers from aic_status_str), then come errors of the C boundary;
/// kinds the Rust crate adds later are appended (AIC_ERR_TOO_LARGE, then the payload errors from
/// AIC_ERR_TOO_DEEP to AIC_ERR_INVALID_FIELD, which only aic_decode_payload_json returns).
/// New statuses may be added at the end in later versions: treat any unknown non-zero value as an error.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum aic_status {
    /// Success.
    AIC_OK = 0,
    /// The input was empty or only whitespace (`empty`).
    AIC_ERR_EMPTY = 1,
    /// The input is not shaped like any code, e.g. `4o4`, `--1`, `0x` (`malformed`).
    AIC_ERR_MALFORMED = 2,
    /// A number too large for the code space, more than 32 bits (`out-of-range`).
    AIC_ERR_OUT_OF_RANGE = 3,
    /// Well-formed, but no catalogue (or none of those asked for) has it (`not-found`).
    AIC_ERR_NOT_FOUND = 4,
    /// The catalogue id is not one of the AIC_CATALOGUE_ constants (`unknown-catalogue`).
    AIC_ERR_UNKNOWN_CATALOGUE = 5,
    /// The service id is not one of the AIC_SERVICE_ constants (`unknown-service`).
    AIC_ERR_UNKNOWN_SERVICE = 6,
    /// A string argument is not valid UTF-8 (`invalid-utf8`).
    AIC_ERR_INVALID_UTF8 = 7,
    /// A pointer argument that must not be NULL was NULL (`null-argument`).
    AIC_ERR_NULL_ARGUMENT = 8,
    /// The output buffer is too small; the needed length was reported (`buffer-too-small`).
    AIC_ERR_BUFFER_TOO_SMALL = 9,
    /// A bug in the library: an internal check failed or a panic was caught (`internal`). Please report it.
    AIC_ERR_INTERNAL = 10,
    /// An integer argument is not one of the values the function documents, e.g. an agent version, outcome
    /// kind or operation id that is not one of the AIC_ constants (`invalid-argument`).
    AIC_ERR_INVALID_ARGUMENT = 11,
    /// The input is longer, or nested deeper, than the parser accepts (`too-large`; the Rust ErrorKind::TooLarge).
    AIC_ERR_TOO_LARGE = 12,
    /// A payload nests JSON objects/arrays deeper than the nesting limit (`too-deep`).
    AIC_ERR_TOO_DEEP = 13,
    /// A payload ends in the middle of a value: JSON cut short, an unterminated CSV quote (`truncated`).
    AIC_ERR_TRUNCATED = 14,
    /// A payload that is not valid JSON (`invalid-json`).
    AIC_ERR_INVALID_JSON = 15,
    /// Not a well-formed MQTT response topic or `iothub-errorcode` header line (`invalid-topic`).
    AIC_ERR_INVALID_TOPIC = 16,
    /// Not a well-formed CSV header and row (`invalid-csv`).
    AIC_ERR_INVALID_CSV = 17,
    /// Valid text or JSON, but not a payload shape the library knows (`unknown-shape`).
    AIC_ERR_UNKNOWN_SHAPE = 18,
    /// A payload of a known shape whose field has the wrong type or value (`invalid-field`).
    AIC_ERR_INVALID_FIELD = 19,
}

/// Every status with its identifier, in value order.
pub(crate) const STATUSES: [(aic_status, &CStr); 20] = [
    (aic_status::AIC_OK, c"ok"),
    (aic_status::AIC_ERR_EMPTY, c"empty"),
    (aic_status::AIC_ERR_MALFORMED, c"malformed"),
    (aic_status::AIC_ERR_OUT_OF_RANGE, c"out-of-range"),
    (aic_status::AIC_ERR_NOT_FOUND, c"not-found"),
    (aic_status::AIC_ERR_UNKNOWN_CATALOGUE, c"unknown-catalogue"),
    (aic_status::AIC_ERR_UNKNOWN_SERVICE, c"unknown-service"),
    (aic_status::AIC_ERR_INVALID_UTF8, c"invalid-utf8"),
    (aic_status::AIC_ERR_NULL_ARGUMENT, c"null-argument"),
    (aic_status::AIC_ERR_BUFFER_TOO_SMALL, c"buffer-too-small"),
    (aic_status::AIC_ERR_INTERNAL, c"internal"),
    (aic_status::AIC_ERR_INVALID_ARGUMENT, c"invalid-argument"),
    (aic_status::AIC_ERR_TOO_LARGE, c"too-large"),
    (aic_status::AIC_ERR_TOO_DEEP, c"too-deep"),
    (aic_status::AIC_ERR_TRUNCATED, c"truncated"),
    (aic_status::AIC_ERR_INVALID_JSON, c"invalid-json"),
    (aic_status::AIC_ERR_INVALID_TOPIC, c"invalid-topic"),
    (aic_status::AIC_ERR_INVALID_CSV, c"invalid-csv"),
    (aic_status::AIC_ERR_UNKNOWN_SHAPE, c"unknown-shape"),
    (aic_status::AIC_ERR_INVALID_FIELD, c"invalid-field"),
];

/// What aic_status_str returns for a value that is not a status.
const UNKNOWN_STATUS: &CStr = c"unknown-status";

impl aic_status {
    /// The status for an error of the Rust API.
    pub(crate) fn from_kind(kind: ErrorKind) -> aic_status {
        match kind {
            ErrorKind::Empty => aic_status::AIC_ERR_EMPTY,
            ErrorKind::Malformed => aic_status::AIC_ERR_MALFORMED,
            ErrorKind::OutOfRange => aic_status::AIC_ERR_OUT_OF_RANGE,
            ErrorKind::NotFound => aic_status::AIC_ERR_NOT_FOUND,
            ErrorKind::UnknownCatalogue => aic_status::AIC_ERR_UNKNOWN_CATALOGUE,
            ErrorKind::UnknownService => aic_status::AIC_ERR_UNKNOWN_SERVICE,
            ErrorKind::InvalidUtf8 => aic_status::AIC_ERR_INVALID_UTF8,
            ErrorKind::TooLarge => aic_status::AIC_ERR_TOO_LARGE,
            ErrorKind::TooDeep => aic_status::AIC_ERR_TOO_DEEP,
            ErrorKind::Truncated => aic_status::AIC_ERR_TRUNCATED,
            ErrorKind::InvalidJson => aic_status::AIC_ERR_INVALID_JSON,
            ErrorKind::InvalidTopic => aic_status::AIC_ERR_INVALID_TOPIC,
            ErrorKind::InvalidCsv => aic_status::AIC_ERR_INVALID_CSV,
            ErrorKind::UnknownShape => aic_status::AIC_ERR_UNKNOWN_SHAPE,
            ErrorKind::InvalidField => aic_status::AIC_ERR_INVALID_FIELD,
            // `ErrorKind` is non_exhaustive: a kind added to the core without a status here is a bug of this
            // binding, reported as such rather than as a wrong kind.
            _ => aic_status::AIC_ERR_INTERNAL,
        }
    }
}

/// The stable identifier of a status: "ok", "empty", "malformed", "out-of-range", "not-found",
/// "unknown-catalogue", "unknown-service", "invalid-utf8", "null-argument", "buffer-too-small", "internal",
/// "invalid-argument", "too-large", "too-deep", "truncated", "invalid-json", "invalid-topic", "invalid-csv",
/// "unknown-shape" or "invalid-field".
/// The identifiers of the errors that mirror the Rust ErrorKind are its ErrorKind::as_str values.
///
/// status: any integer; a value that is not a status gives "unknown-status".
/// Returns: a static NUL-terminated string, never NULL. Do not free or modify it.
/// Thread-safe; never fails.
#[unsafe(no_mangle)]
pub extern "C" fn aic_status_str(status: c_int) -> *const c_char {
    guard(UNKNOWN_STATUS.as_ptr(), || {
        STATUSES
            .iter()
            .find(|(s, _)| *s as c_int == status)
            .map_or(UNKNOWN_STATUS, |(_, name)| name)
            .as_ptr()
    })
}
