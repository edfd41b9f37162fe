//! The `iothub-errorcode` HTTP response header: IoT Hub's error name for a failed REST call.
//!
//! Allocation-free; works without the `alloc` feature.

use crate::error::{Error, ErrorKind};

/// What [`parse_error_code_header`] accepts, for error messages.
pub const HEADER_EXPECTED: &str = "a header line `iothub-errorcode: <Name>` (or `IotHubErrorCode: <Name>`) with one name or number";

/// The header names that carry IoT Hub's error name. The C# service SDK reads `IotHubErrorCode`; the REST
/// responses spell it `iothub-errorcode`. HTTP header names are case-insensitive.
pub const ERROR_CODE_HEADERS: [&str; 2] = ["iothub-errorcode", "iothuberrorcode"];

/// An `iothub-errorcode: <Name>` header line, split into its name (as written) and value.
///
/// ```
/// use azure_iot_codes::payload::parse_error_code_header;
/// let h = parse_error_code_header("iothub-errorcode: DeviceNotFound").unwrap();
/// assert_eq!(h.name, "iothub-errorcode");
/// assert_eq!(h.value, "DeviceNotFound");
/// assert!(parse_error_code_header("content-type: application/json").is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ErrorCodeHeader<'a> {
    /// The header name as written.
    pub name: &'a str,
    /// The value: an error name such as `DeviceNotFound` (or a number).
    pub value: &'a str,
}

/// Whether `line` starts with one of [`ERROR_CODE_HEADERS`] followed by `:`.
pub(crate) fn is_error_code_header(line: &str) -> bool {
    header_name(line).is_some()
}

fn header_name(line: &str) -> Option<(&str, &str)> {
    let (name, value) = line.split_once(':')?;
    let trimmed = name.trim();
    ERROR_CODE_HEADERS
        .iter()
        .any(|h| h.eq_ignore_ascii_case(trimmed))
        .then_some((trimmed, value))
}

/// Parses an `iothub-errorcode` header line. The value must be one token of visible ASCII.
pub fn parse_error_code_header(line: &str) -> Result<ErrorCodeHeader<'_>, Error> {
    let malformed = || Error::new(ErrorKind::InvalidTopic, line, HEADER_EXPECTED);
    let (name, value) = header_name(line.trim()).ok_or_else(malformed)?;
    let value = value.trim();
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(malformed());
    }
    Ok(ErrorCodeHeader { name, value })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings() {
        for line in [
            "iothub-errorcode: DeviceNotFound",
            "IotHub-ErrorCode:DeviceNotFound",
            "IotHubErrorCode: DeviceNotFound ",
            "  iothub-errorcode : DeviceNotFound",
        ] {
            assert_eq!(
                parse_error_code_header(line).unwrap().value,
                "DeviceNotFound",
                "{line}"
            );
        }
        for line in [
            "iothub-errorcode:",
            "iothub-errorcode: Device Not Found",
            "x-ms-error-code: 1",
        ] {
            assert!(parse_error_code_header(line).is_err(), "{line}");
        }
    }
}
