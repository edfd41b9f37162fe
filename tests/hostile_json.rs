//! Hostile JSON through every JSON reader of the library (issue 8): the payload bodies (DPS error and
//! registration bodies, the IoT Hub error shapes, Device Update twins, `registration-info` output, AzureDiagnostics
//! rows) and the IoT Central output reader.
//!
//! - Duplicate keys: every reader answers deterministically and the same way, the last occurrence wins (as
//!   serde_json and Python's `json` read it), at the top level, in nested objects and in JSON escaped inside a
//!   string. Each parser's doc comment says so.
//! - 10,000 levels of nesting under every body shape's own fields, in every string field that may hold embedded
//!   JSON, and through each shape's typed parser: a typed `too-deep` error (or, for embedded JSON the payload
//!   does not need, a warning), quickly and without exhausting the stack. (The top-level `errorCode` and the
//!   escaped `Message` cases are in `tests/payload_bounds.rs`.)
#![cfg(feature = "alloc")]

use std::time::{Duration, Instant};

use azure_iot_codes::central::{self, parse_literal};
use azure_iot_codes::payload::{
    CentralRegistrationInfo, CsvHeader, DeviceUpdateAgent, DiagnosticsRow, IotHubError,
    IotHubErrorShape, Parsed, Payload, PayloadKind, PayloadOptions, RegistrationOperation,
    ServiceErrorBody, decode_csv_row, decode_payload,
};
use azure_iot_codes::{Detail, ErrorKind, IotCentralStatus};

/// Generous for a debug build on a loaded 2-core machine.
const TIME_BOUND: Duration = Duration::from_secs(2);

fn bounded<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    assert!(
        start.elapsed() < TIME_BOUND,
        "{what}: took {:?}",
        start.elapsed()
    );
    out
}

fn codes(p: &Payload) -> Vec<(&str, &str)> {
    p.codes().iter().map(|c| (c.field(), c.value())).collect()
}

// ---- Duplicate keys ------------------------------------------------------------------------------------------

const GUID: &str = "0f0e0d0c-0b0a-0908-0706-050403020100";
const HUB_TRACKING: &str = "0123456789abcdef0123456789abcdef-G:3-TimeStamp:01/02/2025 03:04:05";

#[test]
fn dps_error_body_last_key_wins() {
    let text = format!(
        r#"{{"errorCode":401002,"errorCode":404201,"trackingId":"first","trackingId":"{GUID}",
            "message":"first","message":"last","timestampUtc":"a","timestampUtc":"b",
            "info":{{"registrationId":"r1","registrationId":"r2"}}}}"#
    );
    let b = ServiceErrorBody::from_json(&text).unwrap();
    assert_eq!(b.error_code, Some(404201));
    assert_eq!(b.tracking_id.as_deref(), Some(GUID));
    assert_eq!(b.message.as_deref(), Some("last"));
    assert_eq!(b.timestamp_utc.as_deref(), Some("b"));
    assert_eq!(b.info.get("registrationId").map(String::as_str), Some("r2"));
    let p = decode_payload(&text).unwrap();
    assert_eq!(p.kind(), PayloadKind::DpsError);
    assert_eq!(codes(&p), [("errorCode", "404201")]);
    assert_eq!(p.context().tracking_id.as_deref(), Some(GUID));
    // The whole `info` object given twice: the last one.
    let b =
        ServiceErrorBody::from_json(r#"{"errorCode":404201,"info":{"a":"1"},"info":{"b":"2"}}"#)
            .unwrap();
    assert_eq!(b.info.keys().collect::<Vec<_>>(), ["b"]);
}

#[test]
fn a_duplicate_that_is_wrongly_typed_or_null_decides_too() {
    // The last value is the one read, even when it makes the body wrong: a typed error, not the first value.
    let e = decode_payload(r#"{"errorCode":401002,"errorCode":[1]}"#).unwrap_err();
    assert_eq!(
        (e.kind(), e.detail()),
        (ErrorKind::InvalidField, Detail::Field("errorCode"))
    );
    let e = ServiceErrorBody::from_json(r#"{"errorCode":401002,"message":"m","message":{}}"#)
        .unwrap_err();
    assert_eq!(e.detail(), Detail::Field("message"));
    // `null` counts as absent: the body then has no error code at all.
    let e = decode_payload(r#"{"errorCode":401002,"errorCode":null}"#).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::UnknownShape);
    // A name after a number: the name.
    let b = ServiceErrorBody::from_json(r#"{"errorCode":401002,"errorCode":"DeviceNotFound"}"#)
        .unwrap();
    assert_eq!(
        (b.error_code, b.error_name.as_deref()),
        (None, Some("DeviceNotFound"))
    );
}

#[test]
fn iot_hub_error_shapes_last_key_wins() {
    // Flat.
    let flat = format!(
        r#"{{"errorCode":404001,"errorCode":429001,"trackingId":"x-G:1","trackingId":"{HUB_TRACKING}",
            "message":"first","message":"Throttled"}}"#
    );
    let p = decode_payload(&flat).unwrap();
    assert_eq!(p.kind(), PayloadKind::IotHubError);
    assert_eq!(codes(&p), [("errorCode", "429001")]);
    assert_eq!(p.context().gateway.as_deref(), Some("3"));
    // Legacy.
    let legacy = format!(
        r#"{{"Message":"ErrorCode:DeviceNotFound;first","Message":"ErrorCode:IotHubQuotaExceeded;last",
            "ExceptionMessage":"Tracking ID:aaaa-G:1-TimeStamp:x","ExceptionMessage":"Tracking ID:{HUB_TRACKING}"}}"#
    );
    let e = IotHubError::from_json(&legacy).unwrap();
    assert_eq!(e.shape, IotHubErrorShape::Legacy);
    assert_eq!(e.error_name.as_deref(), Some("IotHubQuotaExceeded"));
    assert_eq!(e.message.as_deref(), Some("last"));
    assert_eq!(
        e.tracking_id.as_deref(),
        Some(&*format!("Tracking ID:{HUB_TRACKING}"))
    );
    let p = decode_payload(&legacy).unwrap();
    assert_eq!(codes(&p), [("Message ErrorCode", "IotHubQuotaExceeded")]);
    assert_eq!(
        p.context().tracking_id.as_deref(),
        Some("0123456789abcdef0123456789abcdef")
    );
    // Wrapped: duplicates inside the escaped body, and `Message` itself twice.
    let wrapped = r#"{"Message":"{\"errorCode\":404103,\"errorCode\":404104,\"message\":\"a\",\"message\":\"b\"}"}"#;
    let e = IotHubError::from_json(wrapped).unwrap();
    assert_eq!(e.shape, IotHubErrorShape::Wrapped);
    assert_eq!(
        (e.error_code, e.message.as_deref()),
        (Some(404104), Some("b"))
    );
    assert_eq!(
        codes(&decode_payload(wrapped).unwrap()),
        [("Message.errorCode", "404104")]
    );
    let twice = r#"{"Message":{"errorCode":404103},"Message":"{\"errorCode\":404104}"}"#;
    assert_eq!(
        IotHubError::from_json(twice).unwrap().error_code,
        Some(404104)
    );
}

#[test]
fn dps_registration_body_last_key_wins() {
    let text = r#"{"operationId":"4.a.1","operationId":"4.a.2","status":"assigning","status":"failed",
        "registrationState":{"registrationId":"first","status":"assigned"},
        "registrationState":{"registrationId":"sensor-02","status":"failed","status":"disabled",
                             "errorCode":400209,"errorCode":401002}}"#;
    let op = RegistrationOperation::from_json(text).unwrap();
    assert_eq!(op.operation_id.as_deref(), Some("4.a.2"));
    assert_eq!(op.status.as_deref(), Some("failed"));
    let st = op.registration_state.unwrap();
    assert_eq!(st.registration_id.as_deref(), Some("sensor-02"));
    assert_eq!(
        (st.status.as_deref(), st.error_code),
        (Some("disabled"), Some(401002))
    );
    let p = decode_payload(text).unwrap();
    assert_eq!(
        codes(&p),
        [
            ("status", "failed"),
            ("registrationState.status", "disabled"),
            ("registrationState.errorCode", "401002")
        ]
    );
    assert_eq!(p.context().operation_id.as_deref(), Some("4.a.2"));
    // After a topic, the body's duplicates read the same way.
    let p = decode_payload(format!("$dps/registrations/res/200/?$rid=1\n{text}")).unwrap();
    assert_eq!(p.codes()[0].value(), "200");
    assert_eq!(p.codes()[1..].len(), 3);
    assert_eq!(p.codes()[3].value(), "401002");
}

#[test]
fn device_update_twin_last_key_wins() {
    let text = r#"{"deviceId":"d1","deviceId":"d2","properties":{"reported":{"deviceUpdate":{"__t":"c",
        "agent":{"state":6,"state":255,"workflow":{"id":"w1","id":"w2"},
        "lastInstallResult":{"resultCode":700,"resultCode":0,
          "extendedResultCodes":"30501028","extendedResultCodes":"A0000001",
          "stepResults":{"step_0":{"resultCode":700},"step_0":{"resultCode":0,"extendedResultCode":5}}}}}}}}"#;
    let a = DeviceUpdateAgent::from_json(text).unwrap();
    assert_eq!(a.device_id.as_deref(), Some("d2"));
    assert_eq!(a.state, Some(255));
    assert_eq!(a.workflow.as_ref().unwrap().id.as_deref(), Some("w2"));
    let r = a.last_install_result.unwrap();
    assert_eq!(r.result.result_code, Some(0));
    assert_eq!(r.result.extended_result_codes, Some(vec![0xA000_0001]));
    assert_eq!(r.step_results.len(), 1);
    assert_eq!(r.step_results[0].result.result_code, Some(0));
    assert_eq!(r.step_results[0].result.extended_result_code, Some(5));
    let p = decode_payload(text).unwrap();
    assert_eq!(p.context().device_id.as_deref(), Some("d2"));
    assert_eq!(p.context().workflow_id.as_deref(), Some("w2"));
    assert_eq!(
        codes(&p),
        [
            ("lastInstallResult.resultCode", "0"),
            ("lastInstallResult.extendedResultCodes[0]", "A0000001"),
            ("lastInstallResult.stepResults.step_0.resultCode", "0"),
            (
                "lastInstallResult.stepResults.step_0.extendedResultCode",
                "5"
            ),
        ]
    );
    // The whole deviceUpdate component given twice: the last one.
    let twice = r#"{"deviceUpdate":{"agent":{"state":6}},"deviceUpdate":{"agent":{"state":0}}}"#;
    assert_eq!(DeviceUpdateAgent::from_json(twice).unwrap().state, Some(0));
}

const REGISTRATION_INFO_TWICE: &str = r#"{
  "@device_id": "first",
  "@device_id": "thermostat-05",
  "device_registration_info": {
    "device_status": "provisioned",
    "device_status": "blocked",
    "id": "thermostat-05",
    "simulated": false,
    "simulated": true,
    "template": "dtmi:a;1",
    "template": "dtmi:contoso:Thermostat;2"
  },
  "dps_state": {
    "status": "assigned",
    "status": null,
    "error": "None.",
    "error": "Device is blocked from provisioning."
  }
}"#;

#[test]
fn registration_info_last_key_wins_in_both_readers() {
    let i = CentralRegistrationInfo::from_json(REGISTRATION_INFO_TWICE).unwrap();
    assert_eq!(i.device_id.as_deref(), Some("thermostat-05"));
    assert_eq!(i.device_status.as_deref(), Some("blocked"));
    assert_eq!(i.simulated, Some(true));
    assert_eq!(i.template.as_deref(), Some("dtmi:contoso:Thermostat;2"));
    assert_eq!(i.dps_status, None);
    assert_eq!(
        i.dps_error.as_deref(),
        Some("Device is blocked from provisioning.")
    );
    let p = decode_payload(REGISTRATION_INFO_TWICE).unwrap();
    assert!(matches!(p.parsed(), Parsed::CentralRegistrationInfo(x) if *x == i));
    assert_eq!(
        codes(&p),
        [("device_registration_info.device_status", "blocked")]
    );
    // The IoT Central output reader reads the same pasted output the same way.
    let r = central::parse(REGISTRATION_INFO_TWICE).unwrap();
    assert!(r.unrecognised.is_empty(), "{:?}", r.unrecognised);
    let g = &r.registrations[0];
    assert_eq!(g.device_id, i.device_id);
    assert_eq!(g.device_status, i.device_status);
    assert_eq!(g.status, Some(IotCentralStatus::Blocked));
    assert_eq!(g.simulated, i.simulated);
    assert_eq!(g.template, i.template);
    assert_eq!(g.dps_status, i.dps_status);
    assert_eq!(g.error, i.dps_error);
}

#[test]
fn central_literals_keep_both_pairs_and_get_returns_the_last() {
    for text in [r#"{"a": 1, "b": 2, "a": 3}"#, "{'a': 1, 'b': 2, 'a': 3}"] {
        let v = parse_literal(text).unwrap();
        assert_eq!(v.as_object().unwrap().len(), 3, "{text}");
        assert_eq!(v.get("a").and_then(|x| x.as_number()), Some("3"), "{text}");
    }
    // A telemetry event given twice inside one line: the last `payload`.
    let r = central::parse(
        r#"{"event": {"origin": "d1", "origin": "d2", "payload": {"x": 1}, "payload": "not json"}}"#,
    )
    .unwrap();
    assert_eq!(r.events[0].device_id.as_deref(), Some("d2"));
    assert!(r.events[0].payload.as_str().is_some());
}

#[test]
fn diagnostics_rows_last_key_wins_and_the_documented_spelling_first() {
    let text = r#"{"OperationName":"a","OperationName":"deviceDisconnect","Category":"Routes",
        "Category":"Connections","ResultType":"404104","ResultType":"401003","ResourceType":"IOTHUBS",
        "properties_s":"{\"deviceId\":\"p1\",\"deviceId\":\"p2\"}"}"#;
    let row = DiagnosticsRow::from_json(text).unwrap();
    assert_eq!(row.operation_name.as_deref(), Some("deviceDisconnect"));
    assert_eq!(row.category.as_deref(), Some("Connections"));
    assert_eq!(row.result_type.as_deref(), Some("401003"));
    assert_eq!(row.device_id().as_deref(), Some("p2"));
    let p = decode_payload(text).unwrap();
    assert_eq!(codes(&p), [("ResultType", "401003")]);
    assert_eq!(p.context().device_id.as_deref(), Some("p2"));
    // Not duplicates for JSON, but the same column for a log row: Log Analytics' spelling wins over the raw
    // resource log's, wherever it is written.
    for text in [
        r#"{"operationName":"x","category":"Connections","resultType":"404104","ResultType":"401003"}"#,
        r#"{"operationName":"x","category":"Connections","ResultType":"401003","resultType":"404104"}"#,
    ] {
        let row = DiagnosticsRow::from_json(text).unwrap();
        assert_eq!(row.result_type.as_deref(), Some("401003"), "{text}");
    }
    // A CSV header naming a column twice: the first column is read.
    let h = CsvHeader::parse("Category,OperationName,ResultType,ResultType").unwrap();
    let p = decode_csv_row(&h, "Connections,x,404104,401003", &PayloadOptions::new()).unwrap();
    assert_eq!(codes(&p), [("ResultType", "404104")]);
}

#[test]
fn duplicates_deep_inside_embedded_json_strings_last_key_wins() {
    // A legacy message carrying the next hop's error as JSON, itself with a duplicate.
    let text = r#"{"Message":"ErrorCode:BadRequest;Error: BadRequest {\"errorCode\":400004,\"errorCode\":400027}","ExceptionMessage":"x"}"#;
    let p = decode_payload(text).unwrap();
    let found: Vec<_> = codes(&p);
    assert!(
        found.contains(&("Message.errorCode", "400027")),
        "{found:?}"
    );
    assert!(!found.iter().any(|(_, v)| *v == "400004"), "{found:?}");
}

// ---- 10,000 levels of nesting --------------------------------------------------------------------------------

const LEVELS: usize = 10_000;

fn arrays() -> String {
    format!("{}{}", "[".repeat(LEVELS), "]".repeat(LEVELS))
}

fn objects() -> String {
    format!("{}1{}", r#"{"a":"#.repeat(LEVELS), "}".repeat(LEVELS))
}

/// Each body shape, with the deep value under one of its own fields.
fn deep_bodies(deep: &str) -> Vec<(&'static str, String)> {
    vec![
        (
            "dps error info",
            format!(r#"{{"errorCode":401002,"info":{deep}}}"#),
        ),
        (
            "dps registration state",
            format!(r#"{{"operationId":"1","status":"assigning","registrationState":{deep}}}"#),
        ),
        (
            "bare registration state",
            format!(r#"{{"registrationId":"r","status":"failed","errorCode":{deep}}}"#),
        ),
        (
            "iot hub legacy",
            format!(
                r#"{{"Message":"ErrorCode:DeviceNotFound;x","ExceptionMessage":"y","z":{deep}}}"#
            ),
        ),
        (
            "iot hub wrapped object",
            format!(r#"{{"Message":{{"errorCode":404103,"x":{deep}}}}}"#),
        ),
        (
            "device update twin",
            format!(
                r#"{{"properties":{{"reported":{{"deviceUpdate":{{"agent":{{"state":6,"workflow":{deep}}}}}}}}}}}"#
            ),
        ),
        (
            "device update steps",
            format!(r#"{{"lastInstallResult":{{"resultCode":0,"stepResults":{deep}}}}}"#),
        ),
        (
            "registration-info",
            format!(r#"{{"@device_id":"d","dps_state":{deep}}}"#),
        ),
        (
            "diagnostics row",
            format!(r#"{{"OperationName":"x","Category":"Connections","properties":{deep}}}"#),
        ),
        (
            "topic body",
            format!("$dps/registrations/res/200/?$rid=1\n{{\"status\":\"assigned\",\"x\":{deep}}}"),
        ),
    ]
}

#[test]
fn ten_thousand_levels_under_every_body_shape_are_too_deep() {
    for deep in [arrays(), objects()] {
        for (shape, text) in deep_bodies(&deep) {
            let e = bounded(shape, || decode_payload(&text)).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::TooDeep, "{shape}: {e}");
            assert!(
                matches!(e.detail(), Detail::Depth { limit: 64, .. }),
                "{shape}: {:?}",
                e.detail()
            );
        }
    }
}

#[test]
fn ten_thousand_levels_through_every_typed_parser_are_too_deep() {
    let deep = objects();
    let body = |key: &str| format!(r#"{{"{key}":{deep}}}"#);
    let kinds = [
        (
            "ServiceErrorBody",
            ServiceErrorBody::from_json(&body("errorCode")).map(drop),
        ),
        (
            "IotHubError",
            IotHubError::from_json(&body("Message")).map(drop),
        ),
        (
            "RegistrationOperation",
            RegistrationOperation::from_json(&body("registrationState")).map(drop),
        ),
        (
            "DeviceUpdateAgent",
            DeviceUpdateAgent::from_json(&body("agent")).map(drop),
        ),
        (
            "CentralRegistrationInfo",
            CentralRegistrationInfo::from_json(&body("dps_state")).map(drop),
        ),
        (
            "DiagnosticsRow",
            DiagnosticsRow::from_json(&body("OperationName")).map(drop),
        ),
    ];
    for (parser, result) in kinds {
        assert_eq!(result.unwrap_err().kind(), ErrorKind::TooDeep, "{parser}");
    }
}

#[test]
fn ten_thousand_levels_in_embedded_json_strings_are_warnings() {
    // JSON escaped inside a string field the payload can do without: the payload decodes, the field is not
    // read, and a warning says why.
    let inner = format!(r#"{{"errorCode":404103,"x":{}}}"#, arrays());
    let esc = serde_json::to_string(&inner).unwrap();
    let cases = [
        (
            "message",
            format!(r#"{{"errorCode":401002,"message":{esc}}}"#),
        ),
        (
            "Message",
            format!(
                r#"{{"Message":{},"ExceptionMessage":"x"}}"#,
                serde_json::to_string(&format!("ErrorCode:BadRequest;Error: BadRequest {inner}"))
                    .unwrap()
            ),
        ),
        (
            "dps_state.error",
            format!(r#"{{"@device_id":"d","dps_state":{{"status":null,"error":{esc}}}}}"#),
        ),
        (
            "ResultDescription",
            format!(
                r#"{{"OperationName":"x","Category":"Connections","ResultDescription":{esc}}}"#
            ),
        ),
        (
            "properties_s",
            format!(r#"{{"OperationName":"x","Category":"Connections","properties_s":{esc}}}"#),
        ),
    ];
    for (field, text) in cases {
        let p = bounded(field, || decode_payload(&text)).unwrap_or_else(|e| panic!("{field}: {e}"));
        assert!(
            p.warnings()
                .iter()
                .any(|w| w.starts_with(field) && w.contains("nests deeper")),
            "{field}: {:?}",
            p.warnings()
        );
    }
    // The same in a CSV export's properties_s column.
    let h = CsvHeader::parse("Category,OperationName,ResultType,properties_s").unwrap();
    let record = format!(
        "Connections,x,404104,\"{}\"",
        format!(r#"{{"deviceId":{}}}"#, arrays()).replace('"', "\"\"")
    );
    let p = bounded("csv properties_s", || {
        decode_csv_row(&h, &record, &PayloadOptions::new())
    })
    .unwrap();
    assert!(
        p.warnings().iter().any(|w| w.starts_with("properties_s")),
        "{:?}",
        p.warnings()
    );
}

#[test]
fn ten_thousand_levels_through_the_central_reader_are_kept_not_followed() {
    // Arrays of 100,000 levels and Python dicts of 5,000 are in tests/central.rs; JSON objects and a telemetry
    // event here.
    for text in [
        objects(),
        format!(
            r#"{{"event": {{"origin": "d", "payload": {}}}}}"#,
            objects()
        ),
        format!(
            "Changes in reported properties:\nversion : 1\n{}",
            objects().replace('"', "'")
        ),
    ] {
        let r = bounded("central", || central::parse(&text)).unwrap();
        assert!(r.events.is_empty() && r.property_changes.is_empty());
        let last = text.lines().last().unwrap();
        assert!(
            r.unrecognised.iter().any(|u| u.text == last),
            "{:?}",
            r.unrecognised.len()
        );
    }
    // The literal reader's documented kind for nesting past its limit is `too-large`.
    for text in [arrays(), objects(), objects().replace('"', "'")] {
        let e = bounded("literal", || parse_literal(&text)).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::TooLarge, "{e}");
    }
}
