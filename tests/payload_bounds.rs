//! Bounded inputs: size and nesting limits (including 10,000 levels, far past serde_json's own recursion limit
//! of 128), invalid UTF-8, truncated JSON, unknown shapes and wrongly typed fields all give typed errors that
//! name the input and say what was expected.
#![cfg(feature = "alloc")]

use azure_iot_codes::payload::{Limits, PayloadOptions, decode_payload, decode_payload_with};
use azure_iot_codes::{Detail, ErrorKind};

fn deep(levels: usize, open: &str, close: &str) -> String {
    format!("{}{}", open.repeat(levels), close.repeat(levels))
}

#[test]
fn ten_thousand_levels_are_refused_before_parsing() {
    for (open, close) in [("[", "]"), ("{\"a\":", "}")] {
        let text = format!("{{\"errorCode\":{}}}", deep(10_000, open, close));
        let e = decode_payload(&text).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::TooDeep, "{e}");
        assert!(
            matches!(
                e.detail(),
                Detail::Depth {
                    limit: 64,
                    line: 1,
                    ..
                }
            ),
            "{:?}",
            e.detail()
        );
        assert!(e.to_string().contains("more than 64 levels"), "{e}");
    }
}

#[test]
fn deep_json_inside_a_string_is_bounded_too() {
    let inner = format!("{{\"errorCode\":404103,\"x\":{}}}", deep(10_000, "[", "]"));
    let text = serde_json::json!({ "Message": inner }).to_string();
    let e = decode_payload(&text).unwrap_err();
    // The escaped body is the whole content of this shape, so it fails the payload with the depth detail.
    assert_eq!(e.kind(), ErrorKind::InvalidField, "{e}");
    assert!(
        matches!(e.detail(), Detail::Depth { .. }),
        "{:?}",
        e.detail()
    );
}

#[test]
fn nesting_limit_is_configurable_and_capped_by_serde_json() {
    let text = format!(
        "{{\"errorCode\":404001,\"info\":{{\"a\":\"b\"}},\"x\":{}}}",
        deep(100, "[", "]")
    );
    assert_eq!(
        decode_payload(&text).unwrap_err().kind(),
        ErrorKind::TooDeep
    );
    let generous = PayloadOptions::new().limits(Limits::new().max_depth(120));
    assert!(decode_payload_with(&text, &generous).is_ok());
    // Asking for more than serde_json can give still refuses cleanly instead of erroring inside serde_json.
    let text = format!("{{\"errorCode\":404001,\"x\":{}}}", deep(500, "[", "]"));
    let huge = PayloadOptions::new().limits(Limits::new().max_depth(100_000));
    let e = decode_payload_with(&text, &huge).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::TooDeep);
    assert!(matches!(e.detail(), Detail::Depth { limit: 127, .. }));
}

#[test]
fn size_limit_is_checked_first_and_exactly() {
    let text = r#"{"errorCode":404001}"#;
    let exact = PayloadOptions::new().limits(Limits::new().max_bytes(text.len()));
    assert!(decode_payload_with(text, &exact).is_ok());
    let one_less = PayloadOptions::new().limits(Limits::new().max_bytes(text.len() - 1));
    let e = decode_payload_with(text, &one_less).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::TooLarge);
    assert_eq!(
        e.detail(),
        Detail::Size {
            limit: text.len() - 1,
            found: text.len()
        }
    );
    // The default is 1 MiB, and bytes past it are never looked at (not even for UTF-8).
    let mut big = vec![b' '; (1 << 20) + 1];
    big[0] = 0xFF;
    assert_eq!(
        decode_payload(&big).unwrap_err().kind(),
        ErrorKind::TooLarge
    );
}

#[test]
fn invalid_utf8_says_where() {
    let e = decode_payload(b"{\"errorCode\":4\xC3\x28}").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidUtf8);
    assert_eq!(e.detail(), Detail::Offset(14));
    assert!(e.to_string().contains("not valid UTF-8"), "{e}");
}

#[test]
fn every_prefix_of_a_json_payload_is_truncated() {
    let text = include_str!("fixtures/payload/dps-registration-assigned.json").trim();
    for end in 1..text.len() {
        let prefix = &text[..end];
        if prefix.trim_end().len() < prefix.len() && prefix.trim_end().ends_with('}') {
            continue;
        }
        let e = decode_payload(prefix).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Truncated, "{prefix:?}: {e}");
        assert!(matches!(e.detail(), Detail::At { .. }), "{prefix:?}");
    }
}

#[test]
fn errors_name_the_input_and_the_expectation() {
    for (input, kind, says) in [
        ("", ErrorKind::Empty, "expected"),
        ("hello", ErrorKind::UnknownShape, "MQTT response topic"),
        (
            r#"{"hello":"world"}"#,
            ErrorKind::UnknownShape,
            "registration-info",
        ),
        ("[1,2,3]", ErrorKind::UnknownShape, "JSON lines"),
        (r#"{"records":[{}]}"#, ErrorKind::UnknownShape, "records"),
        (
            "{\"errorCode\": 40}x",
            ErrorKind::InvalidJson,
            "line 1 column 18",
        ),
        (
            "$dps/registrations/res/2/?$rid=1",
            ErrorKind::InvalidTopic,
            "HTTP status",
        ),
        (
            "iothub-errorcode:",
            ErrorKind::InvalidTopic,
            "iothub-errorcode",
        ),
        (
            r#"{"errorCode":{"x":1}}"#,
            ErrorKind::InvalidField,
            "`errorCode`",
        ),
        (r#"{"errorCode":"abc1"}"#, ErrorKind::UnknownShape, ""),
        (
            r#"{"operationId":"1","status":"failed","registrationState":{"errorCode":-5}}"#,
            ErrorKind::InvalidField,
            "`registrationState.errorCode`",
        ),
        (
            r#"{"lastInstallResult":{"resultCode":0,"extendedResultCodes":"30501028,XYZ"}}"#,
            ErrorKind::InvalidField,
            "`lastInstallResult.extendedResultCodes`",
        ),
        (
            r#"{"lastInstallResult":{"resultCode":4294967296}}"#,
            ErrorKind::InvalidField,
            "`lastInstallResult.resultCode`",
        ),
        ("a,b\n1,2\n3,4", ErrorKind::InvalidCsv, "one row"),
        (
            "OperationName,Category\n\"x,y",
            ErrorKind::Truncated,
            "closed",
        ),
        (
            "OperationName,Category\nx,y,z",
            ErrorKind::InvalidCsv,
            "as many fields",
        ),
    ] {
        match decode_payload(input) {
            Ok(p) if kind == ErrorKind::UnknownShape && says.is_empty() => {
                // `{"errorCode":"abc1"}`: a name, decoded by name (not found), not an error.
                assert!(p.codes()[0].decoded().is_err(), "{input}");
            }
            Ok(p) => panic!("{input:?} decoded as {}", p.kind()),
            Err(e) => {
                assert_eq!(e.kind(), kind, "{input:?}: {e}");
                assert!(input.contains(e.input()), "{input:?}: {:?}", e.input());
                let text = e.to_string();
                assert!(text.contains("expected"), "{text}");
                assert!(text.contains(says), "{input:?}: {text}");
            }
        }
    }
}

#[test]
fn embedded_json_that_cannot_be_read_is_a_warning_not_a_failure() {
    let text = r#"{"dps_state":{"status":null,"error":"DPS said {\"errorCode\": 401002, oops"},"@device_id":"d"}"#;
    let p = decode_payload(text).unwrap();
    assert!(
        p.warnings().iter().any(|w| w.contains("dps_state.error")),
        "{:?}",
        p.warnings()
    );
    let text = r#"{"dps_state":{"status":null,"error":"DPS said {\"errorCode\":401002,\"trackingId\":\"0f0e0d0c-0b0a-0908-0706-050403020100\"}"},"@device_id":"d"}"#;
    let p = decode_payload(text).unwrap();
    let code = &p.codes()[0];
    assert_eq!(code.field(), "dps_state.error.errorCode");
    assert_eq!(code.matches()[0].name(), "IotHubUnauthorizedAccess");
}
