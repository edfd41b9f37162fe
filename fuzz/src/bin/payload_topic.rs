//! The allocation-free line parsers of `payload` on the same text: `parse_response_topic` (DPS registration,
//! twin and direct-method response topics, with and without `retry-after` / `$version` / unknown parameters) and
//! `parse_error_code_header` (`iothub-errorcode: <Name>`). An accepted topic prints back (`Display`) to a topic
//! that parses the same, is what the builder makes from its parts, and is what `decode_payload` and the DPS
//! Retry-After reader see in it.
#![no_main]

use azure_iot_codes::payload::{
    ERROR_CODE_HEADERS, MAX_TOPIC_LEN, PayloadKind, ResponseTopic, TopicKind, decode_payload,
    parse_error_code_header, parse_response_topic,
};
use azure_iot_codes::retry::dps_topic_retry_after;
use azure_iot_codes::{ErrorKind, Service};
use azure_iot_codes_fuzz::assert_names_input;
use libfuzzer_sys::fuzz_target;

fn check_topic(s: &str) {
    let t = match parse_response_topic(s) {
        Ok(t) => t,
        Err(e) => {
            assert_eq!(e.kind(), ErrorKind::InvalidTopic, "{s:?}: {e:?}");
            assert_names_input(&e, s.as_bytes());
            return;
        }
    };
    let kind = t.kind();
    assert!(s.len() <= MAX_TOPIC_LEN);
    assert!(s.starts_with(kind.prefix()), "{s:?} parsed as {kind:?}");
    assert!(!s.contains(['#', '+', '\0']), "{s:?}");
    // The status: an HTTP status where the service sets it, any 32-bit integer for a direct method.
    if kind.status_is_http() {
        assert!((100..=599).contains(&t.status()), "{t:?}");
        assert_eq!(
            t.http_status().map(|h| i32::from(h.as_u16())),
            Some(t.status())
        );
    } else {
        assert_eq!(t.http_status(), None);
    }
    // Parameter values are non-empty, `&`-free slices of the topic, each written as `key=value` in it.
    let params = [
        ("$rid", Some(t.request_id())),
        ("retry-after", t.retry_after()),
        ("$version", t.version()),
    ];
    for (key, value) in params {
        let Some(v) = value else { continue };
        assert!(!v.is_empty() && !v.contains('&'), "{s:?}: {key}={v:?}");
        assert!(s.contains(&format!("{key}={v}")), "{s:?}: {key}={v:?}");
    }
    match t.retry_after() {
        Some(r) if !r.is_empty() && r.bytes().all(|b| b.is_ascii_digit()) => {
            assert_eq!(t.retry_after_secs(), r.parse::<u32>().ok(), "{r:?}");
        }
        _ => assert_eq!(t.retry_after_secs(), None),
    }
    // The canonical form reads back as the same topic, and is what the builder makes from the parts.
    let printed = t.to_string();
    assert_eq!(
        parse_response_topic(&printed),
        Ok(t),
        "{s:?} printed as {printed:?}"
    );
    let mut built = ResponseTopic::new(kind, t.status(), t.request_id()).expect("the parts build");
    if let Some(r) = t.retry_after() {
        built = built.with_retry_after(r).expect("retry-after builds");
    }
    if let Some(v) = t.version() {
        built = built.with_version(v).expect("$version builds");
    }
    assert_eq!(built, t);
    // The DPS Retry-After reader of the retry module finds the same parameter.
    if kind == TopicKind::DpsRegistration {
        assert_eq!(dps_topic_retry_after(s), t.retry_after(), "{s:?}");
    }
    // decode_payload reads a topic on one line as that topic, from the service that owns the prefix.
    if s.trim() == s && !s.contains('\n') {
        let p = decode_payload(s).expect("a topic that parses is a payload");
        let (payload_kind, service) = match kind {
            TopicKind::DpsRegistration => (PayloadKind::DpsResponseTopic, Service::Dps),
            TopicKind::Twin => (PayloadKind::TwinResponseTopic, Service::IotHub),
            _ => (PayloadKind::MethodResponseTopic, Service::IotHub),
        };
        assert_eq!((p.kind(), p.service()), (payload_kind, Some(service)));
        let info = p.topic().expect("the payload keeps its topic");
        assert_eq!(info.status, t.status());
        assert_eq!(info.request_id, t.request_id());
        assert_eq!(info.retry_after.as_deref(), t.retry_after());
        assert_eq!(info.version.as_deref(), t.version());
        assert_eq!(p.context().request_id.as_deref(), Some(t.request_id()));
        assert_eq!(p.context().retry_after.as_deref(), t.retry_after());
        assert_eq!(p.context().twin_version.as_deref(), t.version());
    }
}

fn check_header(s: &str) {
    match parse_error_code_header(s) {
        Ok(h) => {
            assert!(
                ERROR_CODE_HEADERS
                    .iter()
                    .any(|n| n.eq_ignore_ascii_case(h.name)),
                "{s:?}: {h:?}"
            );
            assert!(!h.value.is_empty() && h.value.bytes().all(|b| b.is_ascii_graphic()));
            assert!(s.contains(h.name) && s.contains(h.value), "{s:?}: {h:?}");
        }
        Err(e) => {
            assert_eq!(e.kind(), ErrorKind::InvalidTopic, "{s:?}: {e:?}");
            assert_names_input(&e, s.as_bytes());
        }
    }
}

fuzz_target!(|data: &[u8]| {
    // Topics and headers are text; the bytes entry point is decode_payload's (the payload_json target).
    let text = String::from_utf8_lossy(data);
    check_topic(&text);
    check_header(&text);
});
