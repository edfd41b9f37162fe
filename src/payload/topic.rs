//! MQTT response topics: DPS registration responses, IoT Hub twin responses and direct-method responses.
//!
//! Parsing borrows from the topic and allocates nothing; it works without the `alloc` feature. The topic
//! formats are the ones the services document:
//!
//! - `$dps/registrations/res/{status}/?$rid={rid}[&retry-after={seconds}]` (DPS MQTT support page)
//! - `$iothub/twin/res/{status}/?$rid={rid}[&$version={version}]` (IoT Hub MQTT page)
//! - `$iothub/methods/res/{status}/?$rid={rid}` (the device's reply to a direct method)

use core::fmt;

use crate::codes::HttpStatus;
use crate::error::{Detail, Error, ErrorKind};

/// Which response topic.
///
/// ```
/// use azure_iot_codes::payload::TopicKind;
/// assert_eq!(TopicKind::DpsRegistration.prefix(), "$dps/registrations/res/");
/// assert_eq!(TopicKind::Twin.as_str(), "twin");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TopicKind {
    /// `$dps/registrations/res/{status}/?$rid=..[&retry-after=..]`: DPS's answer to a register or
    /// operation-status request. `{status}` is an HTTP status (202: still assigning, poll again after
    /// `retry-after` seconds; 200: final, the body tells whether the registration succeeded).
    DpsRegistration,
    /// `$iothub/twin/res/{status}/?$rid=..[&$version=..]`: IoT Hub's answer to a twin GET or a reported
    /// properties PATCH. `{status}` is an HTTP status.
    Twin,
    /// `$iothub/methods/res/{status}/?$rid=..`: the device's reply to a direct method. `{status}` is whatever
    /// integer the device application chose; IoT Hub hands it unchanged to the caller.
    Method,
}

impl TopicKind {
    /// Every topic kind.
    pub const ALL: [TopicKind; 3] = [
        TopicKind::DpsRegistration,
        TopicKind::Twin,
        TopicKind::Method,
    ];

    /// The topic up to the status segment.
    pub const fn prefix(self) -> &'static str {
        match self {
            TopicKind::DpsRegistration => "$dps/registrations/res/",
            TopicKind::Twin => "$iothub/twin/res/",
            TopicKind::Method => "$iothub/methods/res/",
        }
    }

    /// A stable identifier: `dps-registration`, `twin` or `method`.
    pub const fn as_str(self) -> &'static str {
        match self {
            TopicKind::DpsRegistration => "dps-registration",
            TopicKind::Twin => "twin",
            TopicKind::Method => "method",
        }
    }

    /// Whether `{status}` is an HTTP status (100-599) set by the service, rather than a device-chosen integer.
    pub const fn status_is_http(self) -> bool {
        !matches!(self, TopicKind::Method)
    }
}

/// What [`parse_response_topic`] accepts, for error messages.
pub const TOPIC_EXPECTED: &str = "$dps/registrations/res/{status}/?$rid={rid}[&retry-after={seconds}], \
     $iothub/twin/res/{status}/?$rid={rid}[&$version={version}] or $iothub/methods/res/{status}/?$rid={rid}";

/// The longest topic MQTT allows (a two-byte length prefix).
pub const MAX_TOPIC_LEN: usize = 65_535;

/// A parsed (or built) response topic. Borrows its parameter values; never allocates.
///
/// Build one with [`ResponseTopic::new`], print it with `Display`, read one with [`parse_response_topic`]:
///
/// ```
/// use azure_iot_codes::payload::{parse_response_topic, ResponseTopic, TopicKind};
/// let t = parse_response_topic("$dps/registrations/res/202/?$rid=7&retry-after=3").unwrap();
/// assert_eq!(t.kind(), TopicKind::DpsRegistration);
/// assert_eq!(t.status(), 202);
/// assert_eq!(t.request_id(), "7");
/// assert_eq!(t.retry_after(), Some("3"));
/// assert_eq!(t.retry_after_secs(), Some(3));
///
/// let built = ResponseTopic::new(TopicKind::Twin, 204, "42").unwrap().with_version("9").unwrap();
/// assert_eq!(built.to_string(), "$iothub/twin/res/204/?$rid=42&$version=9");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ResponseTopic<'a> {
    kind: TopicKind,
    status: i32,
    request_id: &'a str,
    retry_after: Option<&'a str>,
    version: Option<&'a str>,
}

/// What a parameter value may hold, for error messages.
const VALUE_EXPECTED: &str =
    "a non-empty parameter value without `&`, `#`, `+` or NUL (MQTT topics forbid the last three)";

fn check_value(value: &str) -> Result<(), Error> {
    if value.is_empty() || value.bytes().any(|b| matches!(b, b'&' | b'#' | b'+' | 0)) {
        return Err(Error::new(ErrorKind::InvalidTopic, value, VALUE_EXPECTED));
    }
    Ok(())
}

fn check_status(kind: TopicKind, status: i32) -> Result<(), Error> {
    if kind.status_is_http() && !(100..=599).contains(&status) {
        let shown = u64::from(status.unsigned_abs());
        return Err(Error::for_number(
            ErrorKind::InvalidTopic,
            shown,
            "an HTTP status between 100 and 599 in a DPS or twin response topic",
        ));
    }
    Ok(())
}

impl<'a> ResponseTopic<'a> {
    /// A topic of `kind` with `status` and request id `$rid`. DPS and twin statuses must be 100-599; the
    /// request id must be non-empty and free of `&`, `#`, `+` and NUL.
    pub fn new(
        kind: TopicKind,
        status: i32,
        request_id: &'a str,
    ) -> Result<ResponseTopic<'a>, Error> {
        check_status(kind, status)?;
        check_value(request_id)?;
        Ok(ResponseTopic {
            kind,
            status,
            request_id,
            retry_after: None,
            version: None,
        })
    }

    /// The same topic with a `retry-after` parameter (DPS sends it with 202 and 429).
    pub fn with_retry_after(mut self, seconds: &'a str) -> Result<ResponseTopic<'a>, Error> {
        check_value(seconds)?;
        self.retry_after = Some(seconds);
        Ok(self)
    }

    /// The same topic with a `$version` parameter (IoT Hub sends it with 204 for a reported-properties PATCH).
    pub fn with_version(mut self, version: &'a str) -> Result<ResponseTopic<'a>, Error> {
        check_value(version)?;
        self.version = Some(version);
        Ok(self)
    }

    /// Which response topic.
    pub const fn kind(&self) -> TopicKind {
        self.kind
    }

    /// The `{status}` segment.
    pub const fn status(&self) -> i32 {
        self.status
    }

    /// The status as an [`HttpStatus`], for DPS and twin topics (always 100-599 there). `None` for direct-method
    /// replies, whose status the device application chooses.
    pub fn http_status(&self) -> Option<HttpStatus> {
        if self.kind.status_is_http() {
            u16::try_from(self.status)
                .ok()
                .and_then(|s| HttpStatus::new(s).ok())
        } else {
            None
        }
    }

    /// The `$rid` parameter: the request id the client chose, echoed back.
    pub const fn request_id(&self) -> &'a str {
        self.request_id
    }

    /// The raw `retry-after` parameter, if present.
    pub const fn retry_after(&self) -> Option<&'a str> {
        self.retry_after
    }

    /// `retry-after` as whole seconds, if present and a decimal number that fits in `u32`.
    pub fn retry_after_secs(&self) -> Option<u32> {
        let s = self.retry_after?;
        // The crate's digit readers rather than `str::parse`, which handles signs this value never has, at several
        // times the cost of the whole topic parse for a one-digit value.
        crate::number::short_decimal(s).or_else(|| {
            crate::number::decimal(s)
                .flatten()
                .and_then(|v| u32::try_from(v).ok())
        })
    }

    /// The raw `$version` parameter, if present.
    pub const fn version(&self) -> Option<&'a str> {
        self.version
    }
}

impl fmt::Display for ResponseTopic<'_> {
    /// The canonical form: `$rid` first, then `retry-after`, then `$version`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}{}/?$rid={}",
            self.kind.prefix(),
            self.status,
            self.request_id
        )?;
        if let Some(r) = self.retry_after {
            write!(f, "&retry-after={r}")?;
        }
        if let Some(v) = self.version {
            write!(f, "&$version={v}")?;
        }
        Ok(())
    }
}

fn topic_error(topic: &str, at: usize, expected: &'static str) -> Error {
    Error::new(ErrorKind::InvalidTopic, topic, expected).with_detail(Detail::Offset(at))
}

/// Parses a DPS registration, twin or direct-method response topic. Allocation-free; linear in the length.
///
/// Parameters other than `$rid`, `retry-after` and `$version` are accepted and ignored; a known parameter given
/// twice is an error (the answer would be ambiguous). Values are kept as written (no percent-decoding: the
/// services send plain integers and GUIDs).
///
/// ```
/// use azure_iot_codes::{ErrorKind, payload::{parse_response_topic, TopicKind}};
/// let t = parse_response_topic("$iothub/methods/res/-1/?$rid=5").unwrap();
/// assert_eq!((t.kind(), t.status()), (TopicKind::Method, -1));
/// let e = parse_response_topic("$dps/registrations/res/202/?retry-after=3").unwrap_err();
/// assert_eq!(e.kind(), ErrorKind::InvalidTopic);
/// assert!(e.to_string().contains("$rid"));
/// ```
pub fn parse_response_topic(topic: &str) -> Result<ResponseTopic<'_>, Error> {
    if topic.len() > MAX_TOPIC_LEN {
        return Err(
            Error::new(ErrorKind::InvalidTopic, topic, TOPIC_EXPECTED).with_detail(Detail::Size {
                limit: MAX_TOPIC_LEN,
                found: topic.len(),
            }),
        );
    }
    let wildcard = |at| {
        topic_error(
            topic,
            at,
            "a topic without the MQTT wildcards `#`, `+` or NUL",
        )
    };
    let find_wildcard = |s: &str| crate::scan::find_any_of3(s.as_bytes(), b'#', b'+', 0);
    let Some((kind, rest)) = TopicKind::ALL
        .into_iter()
        .find_map(|k| topic.strip_prefix(k.prefix()).map(|rest| (k, rest)))
    else {
        return Err(match find_wildcard(topic) {
            Some(at) => wildcard(at),
            None => Error::new(ErrorKind::InvalidTopic, topic, TOPIC_EXPECTED),
        });
    };
    // The prefixes hold no wildcard, so only the rest needs the search (a wildcard anywhere is still reported
    // before any other fault, at its position in the whole topic).
    if let Some(at) = find_wildcard(rest) {
        return Err(wildcard(kind.prefix().len() + at));
    }
    let status_at = kind.prefix().len();
    // Byte loops instead of `split_once("/?")` / `split('&')` / `split_once('=')`: topics are short, and the
    // generic string searchers cost more to set up than the whole scan (1310 instructions per topic before).
    let Some((status_text, query)) = split_once_slash_question(rest) else {
        return Err(topic_error(
            topic,
            status_at,
            "`{status}/?` followed by the parameters, e.g. `202/?$rid=1`",
        ));
    };
    let status = parse_status(kind, status_text).ok_or_else(|| {
        topic_error(
            topic,
            status_at,
            if kind.status_is_http() {
                "an HTTP status of three digits between 100 and 599"
            } else {
                "a decimal status that fits in 32 bits, optionally negative"
            },
        )
    })?;
    let query_at = status_at + status_text.len() + 2;
    let mut out = ResponseTopic {
        kind,
        status,
        request_id: "",
        retry_after: None,
        version: None,
    };
    let mut rid: Option<&str> = None;
    for (start, end, eq) in params(query) {
        let at = query_at + start;
        if start == end {
            continue;
        }
        let (Some(key), Some(value)) = (
            eq.and_then(|eq| query.get(start..eq)),
            eq.and_then(|eq| query.get(eq + 1..end)),
        ) else {
            return Err(topic_error(topic, at, "parameters written as `key=value`"));
        };
        let slot = match key {
            "$rid" => &mut rid,
            "retry-after" => &mut out.retry_after,
            "$version" => &mut out.version,
            _ => continue,
        };
        if slot.is_some() {
            return Err(topic_error(
                topic,
                at,
                "each of $rid, retry-after and $version at most once",
            ));
        }
        if value.is_empty() {
            return Err(topic_error(topic, at, "a non-empty value after `=`"));
        }
        *slot = Some(value);
    }
    let Some(rid) = rid else {
        return Err(topic_error(
            topic,
            query_at,
            "a `$rid` parameter (every response topic echoes the request id)",
        ));
    };
    out.request_id = rid;
    Ok(out)
}

/// `s.split_once("/?")`.
fn split_once_slash_question(s: &str) -> Option<(&str, &str)> {
    let mut from = 0;
    loop {
        let at = from + crate::scan::find_byte(s.as_bytes().get(from..)?, b'/')?;
        if s.as_bytes().get(at + 1) == Some(&b'?') {
            return Some((s.get(..at)?, s.get(at + 2..)?));
        }
        from = at + 1;
    }
}

/// A topic's parameters: each `&`-separated piece of `query` (empty ones included) as the byte offsets
/// `(start, end, first '=')`. Like `query.split('&')` followed by `split_once('=')` on each piece, with the
/// word-at-a-time search of [`crate::scan`] and no `str` slicing on the way.
fn params(query: &str) -> impl Iterator<Item = (usize, usize, Option<usize>)> + '_ {
    let q = query.as_bytes();
    let mut next = Some(0);
    core::iter::from_fn(move || {
        let start = next?;
        let rest = q.get(start..).unwrap_or_default();
        let end = match crate::scan::find_byte(rest, b'&') {
            Some(amp) => {
                next = Some(start + amp + 1);
                start + amp
            }
            None => {
                next = None;
                q.len()
            }
        };
        let piece = q.get(start..end).unwrap_or_default();
        let eq = crate::scan::find_byte(piece, b'=').map(|eq| start + eq);
        Some((start, end, eq))
    })
}

fn parse_status(kind: TopicKind, s: &str) -> Option<i32> {
    if kind.status_is_http() {
        let &[a, b, c] = s.as_bytes() else {
            return None;
        };
        if ![a, b, c].iter().all(u8::is_ascii_digit) {
            return None;
        }
        let n = i32::from(a - b'0') * 100 + i32::from(b - b'0') * 10 + i32::from(c - b'0');
        (100..=599).contains(&n).then_some(n)
    } else {
        let digits = s.strip_prefix('-').unwrap_or(s);
        if digits.is_empty() || digits.len() > 10 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        s.parse().ok()
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use std::string::ToString;

    #[test]
    fn documented_examples_parse() {
        // codes.md §2c/§2d and §3 (MQTT support pages of DPS and IoT Hub).
        let t = parse_response_topic("$dps/registrations/res/200/?$rid=8").unwrap();
        assert_eq!(
            (t.status(), t.request_id(), t.retry_after()),
            (200, "8", None)
        );
        let t = parse_response_topic("$iothub/twin/res/204/?$rid=3&$version=17").unwrap();
        assert_eq!((t.kind(), t.version()), (TopicKind::Twin, Some("17")));
        assert_eq!(t.http_status(), Some(HttpStatus::NO_CONTENT));
        let t = parse_response_topic("$iothub/methods/res/200/?$rid=1").unwrap();
        assert_eq!(t.http_status(), None);
    }

    #[test]
    fn order_of_parameters_does_not_matter_and_unknown_ones_are_ignored() {
        let t =
            parse_response_topic("$dps/registrations/res/202/?retry-after=3&x=y&$rid=7").unwrap();
        assert_eq!((t.request_id(), t.retry_after_secs()), ("7", Some(3)));
    }

    #[test]
    fn rejections_name_the_problem() {
        for (topic, says) in [
            ("$dps/registrations/res/2020/?$rid=1", "HTTP status"),
            ("$dps/registrations/res/099/?$rid=1", "HTTP status"),
            ("$iothub/twin/res/200?$rid=1", "`{status}/?`"),
            ("$iothub/twin/res/200/?$rid=1&$rid=2", "at most once"),
            ("$iothub/twin/res/200/?$rid=", "non-empty"),
            ("$iothub/twin/res/200/?rid", "key=value"),
            ("$iothub/twin/res/200/?$version=2", "$rid"),
            ("$iothub/methods/res/99999999999/?$rid=1", "32 bits"),
            ("$iothub/twin/res/#", "wildcards"),
            ("devices/d1/messages/events/", "$dps/registrations/res/"),
        ] {
            let e = parse_response_topic(topic).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidTopic, "{topic}");
            assert!(e.to_string().contains(says), "{topic}: {e}");
        }
    }

    /// `retry_after_secs` reads exactly what `str::parse::<u32>` reads from an all-digit value, and nothing else.
    #[test]
    fn retry_after_secs_agrees_with_str_parse() {
        use proptest::prelude::*;
        proptest!(ProptestConfig::with_cases(3000), |(v in "[0-9]{1,12}|[0-9-]{1,4}|[a-z0-9]{1,3}")| {
            let topic = std::format!("$dps/registrations/res/429/?$rid=1&retry-after={v}");
            let t = parse_response_topic(&topic).unwrap();
            let expected = v.bytes().all(|b| b.is_ascii_digit()).then(|| v.parse::<u32>().ok()).flatten();
            prop_assert_eq!(t.retry_after_secs(), expected);
        });
    }

    /// The byte-loop splitters agree with `str`'s own on any text (ASCII separators, any UTF-8 around them).
    #[test]
    fn byte_splitters_agree_with_str_methods() {
        use proptest::prelude::*;
        use std::vec::Vec;
        proptest!(ProptestConfig::with_cases(3000), |(s in "[a-z/?&=é$0-9]{0,24}")| {
            prop_assert_eq!(split_once_slash_question(&s), s.split_once("/?"));
            let pieces: Vec<(&str, Option<(&str, &str)>)> = params(&s)
                .map(|(start, end, eq)| {
                    let eq = eq.map(|eq| (&s[start..eq], &s[eq + 1..end]));
                    (&s[start..end], eq)
                })
                .collect();
            let expected: Vec<(&str, Option<(&str, &str)>)> =
                s.split('&').map(|p| (p, p.split_once('='))).collect();
            prop_assert_eq!(pieces, expected);
        });
    }

    #[test]
    fn builder_rejects_what_the_parser_would() {
        assert!(ResponseTopic::new(TopicKind::Twin, 99, "1").is_err());
        assert!(ResponseTopic::new(TopicKind::Method, -7, "1").is_ok());
        assert!(ResponseTopic::new(TopicKind::Twin, 200, "").is_err());
        assert!(ResponseTopic::new(TopicKind::Twin, 200, "a&b").is_err());
        let t = ResponseTopic::new(TopicKind::DpsRegistration, 429, "1").unwrap();
        assert!(t.with_retry_after("x#").is_err());
        assert_eq!(t.with_retry_after("soon").unwrap().retry_after_secs(), None);
    }
}
