//! `decode`: any textual form of a code to every catalogue row it can mean, most likely first.

use core::fmt;

use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

use crate::catalogue::{Catalogue, ENTRIES, MAX_MATCHES, Meaning, Service, name_refs};
use crate::error::{Error, ErrorKind};
use crate::number::{ParsedNumber, parse_number};

/// What `decode` accepts, for error messages.
pub const DECODE_EXPECTED: &str = "a code as a decimal, 0x-hex or negative number, a name from a catalogue \
     (DEVICE_DISABLED, IotHubUnauthorizedAccess, Unapproved, assigning), or \"<status> <reason>\" such as \
     \"404 Not Found\"";

/// Narrows what [`decode_with`] considers.
///
/// ```
/// use azure_iot_codes::{decode_with, Catalogue, DecodeOptions, Service};
/// let opts = DecodeOptions::new().catalogue(Catalogue::AuthSubError);
/// let d = decode_with("401002", &opts).unwrap();
/// assert!(d.iter().all(|m| m.catalogue() == Catalogue::AuthSubError));
/// let opts = DecodeOptions::new().service(Service::Dps);
/// let d = decode_with("401", &opts).unwrap();
/// assert!(d.iter().all(|m| m.services().contains(Service::Dps)));
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DecodeOptions {
    /// Only rows of this catalogue (a hint such as "this number is a service error code").
    pub catalogue: Option<Catalogue>,
    /// Only rows that apply to this service.
    pub service: Option<Service>,
}

impl DecodeOptions {
    /// No narrowing.
    pub const fn new() -> DecodeOptions {
        DecodeOptions {
            catalogue: None,
            service: None,
        }
    }

    /// Only rows of `catalogue`.
    pub const fn catalogue(mut self, catalogue: Catalogue) -> DecodeOptions {
        self.catalogue = Some(catalogue);
        self
    }

    /// Only rows that apply to `service`.
    pub const fn service(mut self, service: Service) -> DecodeOptions {
        self.service = Some(service);
        self
    }

    fn admits(&self, m: &Meaning) -> bool {
        self.catalogue.is_none_or(|c| m.catalogue() == c)
            && self.service.is_none_or(|s| m.services().contains(s))
    }
}

/// The result of [`decode`]: every row the input can mean, most likely first, held inline (no allocation).
///
/// Dereferences to `[&'static Meaning]`.
#[derive(Clone)]
pub struct Decoded {
    number: Option<ParsedNumber>,
    len: usize,
    matches: [&'static Meaning; MAX_MATCHES],
}

impl Decoded {
    fn new(number: Option<ParsedNumber>) -> Decoded {
        Decoded {
            number,
            len: 0,
            matches: [&ENTRIES[0]; MAX_MATCHES],
        }
    }

    fn push(&mut self, m: &'static Meaning) {
        let dup = self.matches[..self.len]
            .iter()
            .any(|x| core::ptr::eq(*x, m));
        // The generator sizes MAX_MATCHES for the largest possible answer, so the bound never cuts one short.
        if !dup && self.len < MAX_MATCHES {
            self.matches[self.len] = m;
            self.len += 1;
        }
    }

    /// The matching rows, most likely first.
    pub fn matches(&self) -> &[&'static Meaning] {
        &self.matches[..self.len]
    }

    /// The number the input was read as, and in which form, when it was a number.
    pub const fn number(&self) -> Option<ParsedNumber> {
        self.number
    }
}

impl core::ops::Deref for Decoded {
    type Target = [&'static Meaning];
    fn deref(&self) -> &Self::Target {
        self.matches()
    }
}

impl fmt::Debug for Decoded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Decoded")
            .field("number", &self.number)
            .field("matches", &self.matches())
            .finish()
    }
}

impl Serialize for Decoded {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Decoded", 1)?;
        st.serialize_field("matches", self.matches())?;
        st.end()
    }
}

/// Decodes any textual form of a code into every catalogue row it can mean, most likely first.
///
/// Accepts decimal (`404001`), `0x` hex (`0x191`), negative decimal (`-1`), names in any case
/// (`DEVICE_DISABLED`, `IotHubUnauthorizedAccess`, `Unapproved`, `assigning`), `"<status> <reason>"`
/// (`"404 Not Found"`, `"401 IoTHubUnauthorized"`), with surrounding whitespace. Where sources disagree all
/// meanings are returned, today's first. Allocation-free.
///
/// ```
/// use azure_iot_codes::{decode, Catalogue};
/// let d = decode("401002").unwrap();
/// assert_eq!(d[0].catalogue(), Catalogue::ServiceError);
/// assert_eq!(d[0].name(), "IotHubUnauthorizedAccess");
/// assert!(d.iter().any(|m| m.catalogue() == Catalogue::AuthSubError));
///
/// let d = decode("  404 Not Found ").unwrap();
/// assert_eq!(d[0].catalogue(), Catalogue::HttpStatus);
///
/// assert_eq!(decode("DEVICE_DISABLED").unwrap()[0].catalogue(), Catalogue::AuthSubError);
/// assert!(decode("no such thing").is_err());
/// ```
pub fn decode(input: &str) -> Result<Decoded, Error> {
    decode_with(input, &DecodeOptions::new())
}

/// [`decode`] narrowed by `options`.
pub fn decode_with(input: &str, options: &DecodeOptions) -> Result<Decoded, Error> {
    let s = input.trim();
    if s.is_empty() {
        return Err(Error::new(ErrorKind::Empty, input, DECODE_EXPECTED));
    }
    let numeric_start = s.starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == '+');
    let out = if numeric_start {
        // Errors name the caller's input, not the trimmed text.
        let renamed = |e: Error| Error::new(e.kind(), input, e.expected());
        match parse_number(s, DECODE_EXPECTED) {
            Ok(n) => decode_number(n, options),
            Err(e) => match s.split_once(|c: char| c.is_ascii_whitespace()) {
                Some((head, rest)) => match parse_number(head, DECODE_EXPECTED) {
                    Ok(n) => decode_number_and_name(n, rest.trim(), options),
                    Err(_) => return Err(renamed(e)),
                },
                None => return Err(renamed(e)),
            },
        }
    } else {
        decode_name(s, options)
    };
    if out.is_empty() {
        return Err(Error::new(
            ErrorKind::NotFound,
            input,
            not_found_expected(options),
        ));
    }
    Ok(out)
}

fn not_found_expected(options: &DecodeOptions) -> &'static str {
    match (options.catalogue, options.service) {
        (None, None) => DECODE_EXPECTED,
        (Some(_), None) => "a code or name of the catalogue asked for",
        (None, Some(_)) => "a code or name that applies to the service asked for",
        (Some(_), Some(_)) => {
            "a code or name of the catalogue asked for that applies to the service asked for"
        }
    }
}

/// The catalogues in the order a bare number most likely belongs to them.
fn catalogue_order(n: u32) -> [Catalogue; 7] {
    use Catalogue::*;
    match n {
        0..=5 => [
            MqttConnack,
            HttpStatus,
            ServiceError,
            AuthSubError,
            IotCentralStatus,
            DpsRegistrationStatus,
            DpsRegistrationSubstatus,
        ],
        100_000..=999_999 => [
            ServiceError,
            AuthSubError,
            HttpStatus,
            MqttConnack,
            IotCentralStatus,
            DpsRegistrationStatus,
            DpsRegistrationSubstatus,
        ],
        _ => [
            HttpStatus,
            ServiceError,
            AuthSubError,
            MqttConnack,
            IotCentralStatus,
            DpsRegistrationStatus,
            DpsRegistrationSubstatus,
        ],
    }
}

fn decode_number(n: ParsedNumber, options: &DecodeOptions) -> Decoded {
    let mut out = Decoded::new(Some(n));
    for cat in catalogue_order(n.value) {
        for m in cat.lookup_number(n.value) {
            if options.admits(m) {
                out.push(m);
            }
        }
    }
    out
}

fn name_matches(m: &Meaning, text: &str) -> bool {
    name_rank(m, text).is_some()
}

/// How well `text` names `m`: 0 = its text code exactly, 1 = its name or an alias exactly, 2 = its text code
/// ignoring case, 3 = its name or an alias ignoring case. `IoTHubUnauthorized` thus puts IoT Central's row keyed
/// `IoTHubUnauthorized` before the `DEVICE_BLOCKED` row (named `IoTHubUnauthorized`) and before the service error
/// `IotHubUnauthorized`, which differs only in case.
fn name_rank(m: &Meaning, text: &str) -> Option<u8> {
    let code = match m.code() {
        crate::Code::Text(t) => Some(t),
        crate::Code::Number(_) => None,
    };
    let named =
        |eq: fn(&str, &str) -> bool| eq(m.name(), text) || m.aliases().iter().any(|a| eq(a, text));
    let exact = |a: &str, b: &str| a == b;
    let folded = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
    if code.is_some_and(|c| c == text) {
        Some(0)
    } else if named(exact) {
        Some(1)
    } else if code.is_some_and(|c| c.eq_ignore_ascii_case(text)) {
        Some(2)
    } else if named(folded) {
        Some(3)
    } else {
        None
    }
}

/// `"<number> <name>"`: rows that carry both, e.g. `404 Not Found`, `401 IoTHubUnauthorized`.
fn decode_number_and_name(n: ParsedNumber, text: &str, options: &DecodeOptions) -> Decoded {
    let mut out = Decoded::new(Some(n));
    for cat in catalogue_order(n.value) {
        for m in cat.lookup_number(n.value) {
            if options.admits(m) && name_matches(m, text) {
                out.push(m);
            }
        }
    }
    for rank in 0..4 {
        for m in refs(text) {
            let number_fits = m.http_status().map(u32::from) == Some(n.value)
                || m.code() == crate::Code::Number(n.value);
            if name_rank(m, text) == Some(rank) && number_fits && options.admits(m) {
                out.push(m);
            }
        }
    }
    out
}

fn refs(text: &str) -> impl Iterator<Item = &'static Meaning> {
    name_refs(text)
        .iter()
        .filter_map(|&i| ENTRIES.get(usize::from(i)))
}

fn decode_name(s: &str, options: &DecodeOptions) -> Decoded {
    let mut out = Decoded::new(None);
    for rank in 0..4 {
        for m in refs(s) {
            if name_rank(m, s) == Some(rank) && options.admits(m) {
                out.push(m);
            }
        }
    }
    out
}
