//! The binding's functions, called from Rust inside a real JavaScript engine: Node by default, headless
//! Chromium with `WASM_BINDGEN_USE_BROWSER=1` (see test.sh). Checks the objects field by field against the
//! core library (matches against the core's JSON, the CLI's contract, in camelCase), the retry decisions
//! against the core's classifier, `decodePayload`'s documents against the CLI's (`report::InputReport`) for
//! every fixture of the repository, the errors thrown, and that the module keeps answering after errors.
#![cfg(target_arch = "wasm32")]

#[cfg(feature = "payload")]
use azure_iot_codes::report::{InputReport, Reading, ReportOptions};
use azure_iot_codes::retry::{Context, Operation, Outcome, Policy, SplitMix64, SubCode};
use azure_iot_codes::{AuthSubError, Catalogue, Code, DecodeOptions, Match, Service, decode_with};
#[cfg(feature = "payload")]
use azure_iot_codes_wasm::decode_payload;
use azure_iot_codes_wasm::{
    AzureIotCodesError, catalogues, classify_retry, decode, lookup, next_delays,
};
use js_sys::{Array, Object, Reflect};
use serde_json::{Value, json};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

fn get(target: &JsValue, key: &str) -> JsValue {
    Reflect::get(target, &JsValue::from_str(key)).unwrap()
}

fn text(target: &JsValue, key: &str) -> String {
    get(target, key)
        .as_string()
        .unwrap_or_else(|| panic!("{key} is a string"))
}

/// A JS object built from JSON (`json!({...})`), as a caller would write it.
fn js(value: Value) -> JsValue {
    js_sys::JSON::parse(&value.to_string()).unwrap()
}

/// A JS value as JSON (what `JSON.stringify` makes of it).
fn json_of(value: &JsValue) -> Value {
    serde_json::from_str(&String::from(js_sys::JSON::stringify(value).unwrap())).unwrap()
}

fn keys(value: &JsValue) -> Vec<String> {
    Object::keys(&Object::from(value.clone()))
        .iter()
        .map(|k| k.as_string().unwrap())
        .collect()
}

const ROW_KEYS: [&str; 14] = [
    "catalogue",
    "code",
    "name",
    "description",
    "mitigation",
    "httpStatus",
    "services",
    "source",
    "standing",
    "note",
    "aliases",
    "agentVersions",
    "action",
    "role",
];

const READING_KEYS: [&str; 13] = [
    "pattern",
    "hex",
    "signed",
    "unsigned",
    "layout",
    "facility",
    "component",
    "value",
    "exitCode",
    "errno",
    "extensionCode",
    "deliveryOptimization",
    "deltaProcessorError",
];

fn camel(key: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in key.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

fn camel_keys(v: Value) -> Value {
    match v {
        Value::Object(o) => Value::Object(
            o.into_iter()
                .map(|(k, v)| (camel(&k), camel_keys(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.into_iter().map(camel_keys).collect()),
        v => v,
    }
}

/// What the binding must return for a core match: the core's JSON (the CLI's `--json` contract) in camelCase,
/// with `agentVersions`, `action` and `role` always present (`[]`/`null` where the JSON leaves them out).
fn expected(m: &Match) -> Value {
    let mut v = camel_keys(serde_json::to_value(m).unwrap());
    let o = v.as_object_mut().unwrap();
    o.entry("agentVersions").or_insert(json!([]));
    o.entry("action").or_insert(Value::Null);
    o.entry("role").or_insert(Value::Null);
    v
}

/// The JS object has exactly the fields of the core match, in order, with the same values.
fn assert_same_match(js: &JsValue, m: &Match) {
    let mut want_keys: Vec<&str> = ROW_KEYS.to_vec();
    if m.erc().is_some() {
        want_keys.extend(READING_KEYS);
    }
    assert_eq!(keys(js), want_keys, "{m}");
    assert_eq!(json_of(js), expected(m), "{m}");
    // `catalogue` tells the two shapes apart, as the TypeScript union says.
    assert_eq!(
        m.erc().is_some(),
        text(js, "catalogue") == "du-extended-result-code",
        "{m}"
    );
    for key in ["httpStatus", "note", "action", "role"] {
        assert!(
            !get(js, key).is_undefined(),
            "{m}: {key} is null, not undefined"
        );
    }
}

fn error_of(result: Result<JsValue, azure_iot_codes_wasm::Rejection>) -> JsValue {
    JsValue::from(result.expect_err("the call is rejected"))
}

/// A thrown value is an `AzureIotCodesError`, hence an `Error`, with the given kind and input.
fn assert_error(e: &JsValue, kind: &str, input: &str) {
    assert!(e.is_instance_of::<AzureIotCodesError>(), "{e:?}");
    assert!(e.is_instance_of::<js_sys::Error>());
    let err: &js_sys::Error = e.unchecked_ref();
    assert_eq!(String::from(err.name()), "AzureIotCodesError");
    assert_eq!(
        (text(e, "kind"), text(e, "input")),
        (kind.to_owned(), input.to_owned()),
        "{}",
        String::from(err.message())
    );
    assert!(!text(e, "expected").is_empty());
    assert!(!String::from(err.message()).is_empty());
}

fn code_value(code: Code) -> JsValue {
    match code {
        Code::Number(n) => JsValue::from(n),
        Code::Signed(n) => JsValue::from(n),
        Code::Text(t) => JsValue::from_str(t),
    }
}

#[wasm_bindgen_test]
fn every_row_of_every_catalogue_comes_back_unchanged_through_lookup() {
    let mut rows_seen = 0;
    for c in Catalogue::ALL {
        for m in c.rows() {
            let rows =
                Array::from(&lookup(JsValue::from_str(c.as_str()), code_value(m.code())).unwrap());
            let want = decode_with(&m.code().to_string(), &DecodeOptions::new().catalogue(c))
                .unwrap_or_else(|e| panic!("{m}: {e}"));
            // The row itself is among its catalogue's answers for its code.
            assert!(
                want.iter().any(|x| core::ptr::eq(x.meaning(), m)),
                "{m} is found by its code"
            );
            assert_eq!(rows.length() as usize, want.len(), "{m}");
            for (js, x) in rows.iter().zip(want.iter()) {
                assert_same_match(&js, x);
            }
            rows_seen += 1;
        }
    }
    let total: usize = Catalogue::ALL.iter().map(|c| c.rows().len()).sum();
    assert_eq!(rows_seen, total);
}

#[wasm_bindgen_test]
fn decode_returns_the_core_matches_in_order() {
    // (input, first catalogue, first name, number form) from the core's own documentation and seed tables.
    let table: &[(&str, &str, &str, Option<&str>)] = &[
        (
            "401002",
            "service-error",
            "IotHubUnauthorizedAccess",
            Some("decimal"),
        ),
        (
            "404103",
            "service-error",
            "DeviceNotOnline",
            Some("decimal"),
        ),
        (
            "  404 Not Found ",
            "http-status",
            "Not Found",
            Some("decimal"),
        ),
        ("0x191", "http-status", "Unauthorized", Some("hex")),
        (
            "DEVICE_DISABLED",
            "auth-suberror",
            "IoTHubUnauthorized",
            None,
        ),
        ("assigning", "dps-registration-status", "assigning", None),
        (
            "-536870781",
            "du-extended-result-code",
            "ADUC_ERC_NOTRECOVERABLE",
            Some("signed"),
        ),
        (
            "0x30501028",
            "du-extended-result-code",
            "script handler exit code",
            Some("hex"),
        ),
        (
            "30501028,A0000FFF",
            "du-extended-result-code",
            "script handler exit code",
            None,
        ),
        (
            "-1",
            "du-result-code",
            "ADUC_Result_Failure_Cancelled",
            Some("signed"),
        ),
        (
            "700",
            "du-result-code",
            "ADUC_Result_Apply_Success",
            Some("decimal"),
        ),
        (
            "BLOB_STORAGE",
            "iot-central-export",
            "Azure Blob storage",
            None,
        ),
    ];
    for &(input, catalogue, name, form) in table {
        let d = decode(JsValue::from_str(input), JsValue::UNDEFINED)
            .unwrap_or_else(|e| panic!("{input}: {:?}", JsValue::from(e)));
        assert_eq!(keys(&d), ["input", "number", "matches"]);
        assert_eq!(text(&d, "input"), input);
        let matches = Array::from(&get(&d, "matches"));
        let core = azure_iot_codes::decode(input).unwrap();
        assert_eq!(matches.length() as usize, core.len(), "{input}");
        for (js, m) in matches.iter().zip(core.iter()) {
            assert_same_match(&js, m);
        }
        let first = matches.get(0);
        assert_eq!(
            (text(&first, "catalogue"), text(&first, "name")),
            (catalogue.to_owned(), name.to_owned()),
            "{input}"
        );
        let number = get(&d, "number");
        match (form, core.number()) {
            (Some(f), Some(n)) => {
                assert_eq!(text(&number, "form"), f, "{input}");
                assert_eq!(get(&number, "value").as_f64(), Some(f64::from(n.value)));
            }
            (None, None) => assert!(number.is_null(), "{input}"),
            _ => panic!("{input}: the table disagrees with the core"),
        }
    }
}

#[wasm_bindgen_test]
fn device_update_readings_carry_facility_component_and_value() {
    let d = decode(JsValue::from(-536870781), JsValue::UNDEFINED).unwrap();
    let matches = Array::from(&get(&d, "matches"));
    // The 0.6/0.7 reading: errno 131 in facility 0xE, no component field.
    let legacy = matches.get(0);
    assert_eq!(
        json_of(&legacy)
            .as_object()
            .unwrap()
            .iter()
            .filter(|(k, _)| {
                [
                    "hex",
                    "signed",
                    "unsigned",
                    "layout",
                    "facility",
                    "component",
                    "value",
                    "errno",
                    "agentVersions",
                ]
                .contains(&k.as_str())
            })
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect::<serde_json::Map<_, _>>(),
        json!({
            "hex": "0xE0000083",
            "signed": -536870781,
            "unsigned": 3758096515u32,
            "layout": "legacy",
            "facility": {"code": 14, "name": "ADUC_FACILITY_ERRNO"},
            "component": null,
            "value": 131,
            "errno": {"code": 131, "name": "ENOTRECOVERABLE"},
            "agentVersions": ["0.6.0", "0.7.0"],
        })
        .as_object()
        .unwrap()
        .clone()
    );
    // The 0.8.0+ reading of the same bits: facility 14, component 0, value 0x83, no name.
    let current = matches.get(1);
    assert_eq!(text(&current, "layout"), "current");
    assert_eq!(text(&current, "pattern"), "UNNAMED");
    assert_eq!(
        json_of(&get(&current, "component")),
        json!({"code": 0, "name": null})
    );
    assert_eq!(get(&current, "value").as_f64(), Some(131.0));

    // A script's exit code, and a Delivery Optimization HRESULT carrying an HTTP status.
    let exit = Array::from(&get(
        &decode(JsValue::from_str("0x30501028"), JsValue::UNDEFINED).unwrap(),
        "matches",
    ))
    .get(0);
    assert_eq!(get(&exit, "exitCode").as_f64(), Some(40.0));
    assert_eq!(
        text(&get(&exit, "component"), "name"),
        "ADUC_CONTENT_HANDLER_SCRIPT"
    );
    let dof = Array::from(&get(
        &decode(JsValue::from_str("0xD0190194"), JsValue::UNDEFINED).unwrap(),
        "matches",
    ))
    .get(0);
    assert!(get(&dof, "component").is_null());
    assert_eq!(
        json_of(&get(&dof, "deliveryOptimization")),
        json!({"hresult": "0x80190194", "facility": 25, "name": "HTTP_E_STATUS_NOT_FOUND", "httpStatus": 404, "win32": null, "xplatErrno": null})
    );
}

#[wasm_bindgen_test]
fn agent_version_narrows_device_update_readings() {
    // (version as written, layout of every reading left)
    for (version, layout) in [
        ("1.1.0", "current"),
        ("v0.7", "legacy"),
        ("1.0.3", "current"),
    ] {
        let d = decode(
            JsValue::from(-536870781),
            js(json!({ "agentVersion": version })),
        )
        .unwrap();
        let matches = Array::from(&get(&d, "matches"));
        let core = decode_with(
            "-536870781",
            &DecodeOptions::new().agent_version(version.parse().unwrap()),
        )
        .unwrap();
        assert_eq!(matches.length() as usize, core.len(), "{version}");
        for (js, m) in matches.iter().zip(core.iter()) {
            assert_same_match(&js, m);
            assert_eq!(text(&js, "layout"), layout, "{version}");
        }
    }
    // (version, kind)
    for (version, kind) in [
        ("0.5.0", "not-found"),
        ("one", "malformed"),
        ("", "empty"),
        ("1.99999.0", "out-of-range"),
    ] {
        let e = error_of(decode(
            JsValue::from(-536870781),
            js(json!({ "agentVersion": version })),
        ));
        assert_error(&e, kind, version);
    }
    let e = error_of(decode(
        JsValue::from(-1),
        js(json!({ "agentVersion": 1.1 })),
    ));
    assert_error(&e, "invalid-argument", "1.1");
}

#[wasm_bindgen_test]
fn numbers_are_read_like_their_decimal_text() {
    let d = decode(JsValue::from(404001), JsValue::UNDEFINED).unwrap();
    assert_eq!(text(&d, "input"), "404001");
    // -1 and 4294967295 are the same 32 bits: a Device Update resultCode, as for the text "-1".
    for n in [-1.0, 4294967295.0] {
        let d = decode(JsValue::from_f64(n), JsValue::NULL).unwrap();
        let first = Array::from(&get(&d, "matches")).get(0);
        assert_eq!(
            get(&first, "code").as_f64(),
            Some(-1.0),
            "{n}: signed codes are negative"
        );
        assert_eq!(text(&first, "catalogue"), "du-result-code");
    }
    let d = decode(JsValue::from(5), JsValue::UNDEFINED).unwrap();
    let number = get(&d, "number");
    assert_eq!(get(&number, "value").as_f64(), Some(5.0));
    assert_eq!(
        text(&Array::from(&get(&d, "matches")).get(0), "catalogue"),
        "mqtt-connack"
    );
}

#[wasm_bindgen_test]
fn options_narrow_by_catalogue_and_service() {
    let d = decode(
        JsValue::from_str("401002"),
        js(json!({"catalogue": "auth-suberror"})),
    )
    .unwrap();
    for m in Array::from(&get(&d, "matches")).iter() {
        assert_eq!(text(&m, "catalogue"), "auth-suberror");
    }
    let d = decode(JsValue::from_str("401"), js(json!({"service": "dps"}))).unwrap();
    for m in Array::from(&get(&d, "matches")).iter() {
        assert!(
            json_of(&get(&m, "services"))
                .as_array()
                .unwrap()
                .contains(&json!("dps"))
        );
    }
    // A bare number read as a Device Update code when asked.
    let d = decode(
        JsValue::from(2),
        js(json!({"catalogue": "du-extended-result-code"})),
    )
    .unwrap();
    assert_eq!(
        text(&Array::from(&get(&d, "matches")).get(0), "hex"),
        "0x00000002"
    );
}

#[wasm_bindgen_test]
fn bad_input_throws_typed_errors() {
    let u = JsValue::UNDEFINED;
    let cases: Vec<(Result<JsValue, azure_iot_codes_wasm::Rejection>, &str, &str)> = vec![
        (decode(JsValue::from_str(""), u.clone()), "empty", ""),
        (
            decode(JsValue::from_str("4o4"), u.clone()),
            "malformed",
            "4o4",
        ),
        (
            decode(JsValue::from_str("4294967296"), u.clone()),
            "out-of-range",
            "4294967296",
        ),
        (
            decode(JsValue::from_str("no such code"), u.clone()),
            "not-found",
            "no such code",
        ),
        (
            decode(JsValue::from_f64(1.5), u.clone()),
            "malformed",
            "1.5",
        ),
        (
            decode(JsValue::from_f64(f64::NAN), u.clone()),
            "malformed",
            "NaN",
        ),
        (
            decode(JsValue::TRUE, u.clone()),
            "invalid-argument",
            "the boolean true",
        ),
        (
            decode(u.clone(), u.clone()),
            "invalid-argument",
            "undefined",
        ),
        (
            decode(JsValue::from_str("401"), js(json!({"catalogue": "nope"}))),
            "unknown-catalogue",
            "nope",
        ),
        (
            decode(JsValue::from_str("401"), js(json!({"service": "iothub"}))),
            "unknown-service",
            "iothub",
        ),
        (
            decode(
                JsValue::from_str("401"),
                js(json!({"catalog": "http-status"})),
            ),
            "invalid-argument",
            "catalog",
        ),
        (
            decode(JsValue::from_str("401"), JsValue::from_str("dps")),
            "invalid-argument",
            "dps",
        ),
        (
            lookup(JsValue::from_str("nope"), JsValue::from(401)),
            "unknown-catalogue",
            "nope",
        ),
        (
            lookup(JsValue::from(1), JsValue::from(401)),
            "invalid-argument",
            "1",
        ),
        (
            lookup(JsValue::from_str("http-status"), JsValue::from_str("0x")),
            "malformed",
            "0x",
        ),
    ];
    for (result, kind, input) in cases {
        assert_error(&error_of(result), kind, input);
    }
}

#[wasm_bindgen_test]
fn long_inputs_are_named_by_their_first_48_bytes_and_huge_ones_are_too_large() {
    let long = "x".repeat(100_000);
    let e = error_of(decode(JsValue::from_str(&long), JsValue::UNDEFINED));
    assert_error(&e, "not-found", &long[..48]);
    // Over 1 MiB of UTF-16: rejected before it is copied into the module.
    let huge = "9".repeat((1 << 20) + 1);
    let e = error_of(decode(JsValue::from_str(&huge), JsValue::UNDEFINED));
    assert_error(&e, "too-large", &huge[..48]);
    let e = error_of(classify_retry(
        JsValue::from(429),
        js(json!({"retryAfter": huge})),
    ));
    assert_error(&e, "too-large", &huge[..48]);
    // Exactly 1 MiB is still read.
    let e = error_of(decode(JsValue::from_str(&huge[1..]), JsValue::UNDEFINED));
    assert_error(&e, "out-of-range", &huge[..48]);
}

#[wasm_bindgen_test]
fn the_module_keeps_answering_after_errors() {
    for _ in 0..100 {
        assert!(decode(JsValue::from_str("4o4"), JsValue::UNDEFINED).is_err());
        assert!(decode(JsValue::NULL, JsValue::UNDEFINED).is_err());
        assert!(classify_retry(JsValue::from(429), js(json!({"attempt": -1}))).is_err());
        assert!(next_delays(JsValue::from_str("4o4"), JsValue::UNDEFINED).is_err());
        let d = decode(JsValue::from_str("404001"), JsValue::UNDEFINED).unwrap();
        assert_eq!(
            text(&Array::from(&get(&d, "matches")).get(0), "name"),
            "DeviceNotFound"
        );
        let r = classify_retry(
            JsValue::from(429),
            js(json!({"service": "dps", "retryAfter": "5"})),
        )
        .unwrap();
        assert_eq!(get(&r, "delayMs").as_f64(), Some(5000.0));
    }
}

#[wasm_bindgen_test]
fn lookup_of_a_code_the_catalogue_lacks_is_empty() {
    let rows = Array::from(&lookup(JsValue::from_str("service-error"), JsValue::from(7)).unwrap());
    assert_eq!(rows.length(), 0);
    let rows = Array::from(
        &lookup(
            JsValue::from_str("service-error"),
            JsValue::from_str("DEVICE_DISABLED"),
        )
        .unwrap(),
    );
    assert_eq!(rows.length(), 0);
}

#[wasm_bindgen_test]
fn catalogues_lists_every_catalogue_with_its_row_count() {
    let list = Array::from(&catalogues());
    assert_eq!(list.length() as usize, Catalogue::ALL.len());
    for (js, c) in list.iter().zip(Catalogue::ALL) {
        assert_eq!(text(&js, "id"), c.as_str());
        assert_eq!(get(&js, "rows").as_f64(), Some(c.rows().len() as f64));
    }
}

// ---- retry ----

/// The core's decision for the most likely meaning of `code` (or, for a number no catalogue has, its range),
/// as the binding documents it, in the binding's JSON shape.
fn core_decision(d: &azure_iot_codes::retry::Decision) -> Value {
    use azure_iot_codes::retry::{RetryAfterIgnored, RetryAfterUse};
    let retry_after = match d.retry_after() {
        RetryAfterUse::Honored { seconds } => json!({"use": "honored", "seconds": seconds}),
        RetryAfterUse::Clamped { seconds, used_ms } => {
            json!({"use": "clamped", "seconds": seconds, "usedMs": used_ms})
        }
        RetryAfterUse::Ignored(RetryAfterIgnored::Invalid(e)) => {
            json!({"use": "invalid", "error": e.as_str(), "message": e.message()})
        }
        other => json!({ "use": other.as_str() }),
    };
    // The rest from the core's own serialization (the CLI's JSON), renamed.
    let core = serde_json::to_value(d).unwrap();
    json!({
        "action": core["action"],
        "delayMs": core["delay_ms"],
        "retryAfter": retry_after,
        "reason": core["reason"],
        "rule": core["rule"],
        "basis": core["basis"],
        "pace": core["pace"],
        "service": core["service"],
        "attempt": core["attempt"],
        "budgetSpent": core["budget_spent"],
    })
}

fn now_unix() -> u64 {
    (js_sys::Date::now() / 1000.0) as u64
}

fn outcome_of(code: &str, service: Option<Service>) -> Outcome {
    let mut options = DecodeOptions::new();
    if let Some(s) = service {
        options = options.service(s);
    }
    match decode_with(code, &options) {
        Ok(d) => Outcome::from(&d[0]),
        Err(_) => match azure_iot_codes::parse_number(code, "").unwrap().value {
            n @ 100..=599 => Outcome::HttpStatus(n as u16),
            n => Outcome::ServiceError(n),
        },
    }
}

#[wasm_bindgen_test]
fn classify_retry_is_the_core_classifier() {
    // (code, options, what the core is asked, the action to expect)
    let seed = 0xD0_5EED_u64;
    let dps_topic = "$dps/registrations/res/429/?$rid=1&retry-after=3";
    let table: Vec<(&str, Value, Context<'static>, &str)> = vec![
        (
            "429",
            json!({"service": "dps", "retryAfter": "5"}),
            Context::new().service(Service::Dps).retry_after("5"),
            "retry",
        ),
        (
            "429",
            json!({"service": "dps", "retryAfter": 7}),
            Context::new().service(Service::Dps).retry_after("7"),
            "retry",
        ),
        (
            "429",
            json!({"service": "dps", "retryAfter": dps_topic}),
            Context::new().service(Service::Dps).retry_after("3"),
            "retry",
        ),
        (
            "429",
            json!({"service": "dps", "retryAfter": "0"}),
            Context::new().service(Service::Dps).retry_after("0"),
            "retry",
        ),
        (
            "429",
            json!({"service": "dps", "retryAfter": "later"}),
            Context::new().service(Service::Dps).retry_after("later"),
            "retry",
        ),
        (
            "429",
            json!({"service": "dps", "retryAfter": "Sun, 06 Nov 1994 08:49:37 GMT"}),
            Context::new()
                .service(Service::Dps)
                .retry_after("Sun, 06 Nov 1994 08:49:37 GMT")
                .now_unix(now_unix()),
            "retry",
        ),
        (
            "401",
            json!({"service": "iot-central", "subCode": "DEVICE_BLOCKED"}),
            Context::new()
                .service(Service::IotCentral)
                .sub_code(AuthSubError::DeviceBlocked.into()),
            "operator-action",
        ),
        (
            "401",
            json!({"service": "dps", "subCode": 400209}),
            Context::new()
                .service(Service::Dps)
                .sub_code(SubCode::ServiceError(400209)),
            "operator-action",
        ),
        (
            "503",
            json!({"attempt": 10, "seed": seed}),
            Context::new().attempt(10),
            "give-up",
        ),
        (
            "503",
            json!({"attempt": 3, "elapsedMs": 239_500}),
            Context::new()
                .attempt(3)
                .elapsed(core::time::Duration::from_millis(239_500)),
            "give-up",
        ),
        (
            "503",
            json!({"attempt": 2, "elapsedMs": 1500.5}),
            Context::new()
                .attempt(2)
                .elapsed(core::time::Duration::from_micros(1_500_500)),
            "status-lookup",
        ),
        (
            "404",
            json!({"service": "dps"}),
            Context::new().service(Service::Dps),
            "re-register",
        ),
        (
            "400",
            json!({"operation": "service-api"}),
            Context::new().operation(Operation::ServiceApi),
            "fix-request",
        ),
        ("assigning", json!({}), Context::new(), "retry"),
        (
            "-536870781",
            json!({"retryAfter": "5"}),
            Context::new().retry_after("5"),
            "operator-action",
        ),
        ("0xD01901F7", json!({}), Context::new(), "retry"),
        ("418", json!({}), Context::new(), "fix-request"),
        ("599999", json!({}), Context::new(), "retry"),
        ("200", json!({}), Context::new(), "none"),
    ];
    for (code, options, ctx, action) in table {
        let mut options = options;
        options
            .as_object_mut()
            .unwrap()
            .entry("seed")
            .or_insert(json!(seed));
        let got = classify_retry(JsValue::from_str(code), js(options.clone()))
            .unwrap_or_else(|e| panic!("{code} {options}: {:?}", JsValue::from(e)));
        assert_eq!(
            keys(&got),
            [
                "action",
                "delayMs",
                "retryAfter",
                "reason",
                "rule",
                "basis",
                "pace",
                "service",
                "attempt",
                "budgetSpent"
            ]
        );
        let outcome = outcome_of(code, ctx.service);
        let want = Policy::DEFAULT.decide(outcome, &ctx, &mut SplitMix64::new(seed));
        let got = json_of(&got);
        // (A date in the past waits 0 s, raised to 1 s, whenever the test runs.)
        assert_eq!(got, core_decision(&want), "{code} {options}");
        assert_eq!(got["action"], action, "{code} {options}");
    }
}

#[wasm_bindgen_test]
fn classify_retry_takes_a_match_from_decode() {
    // Every match of these codes, classified as given, equals the core's decision for that match.
    for code in [
        "-536870781",
        "401002",
        "0x00000002",
        "DEVICE_DISABLED",
        "0xD01901F7",
        "-1",
    ] {
        let d = decode(JsValue::from_str(code), JsValue::UNDEFINED).unwrap();
        let core = azure_iot_codes::decode(code).unwrap();
        for (js_match, m) in Array::from(&get(&d, "matches")).iter().zip(core.iter()) {
            let got = classify_retry(js_match.clone(), js(json!({"seed": 1}))).unwrap();
            let want = Policy::DEFAULT.decide(m, &Context::new(), &mut SplitMix64::new(1));
            assert_eq!(json_of(&got), core_decision(&want), "{m}");
        }
    }
    // A hand-written reference works too; the name picks among rows that share a code.
    let got = classify_retry(
        js(json!({"catalogue": "dps-registration-status", "code": "assigning"})),
        JsValue::UNDEFINED,
    )
    .unwrap();
    assert_eq!(text(&got, "action"), "retry");
    assert_eq!(text(&got, "pace"), "poll");
}

#[wasm_bindgen_test]
fn without_a_seed_the_jitter_is_random() {
    let delays: std::collections::BTreeSet<u64> = (0..20)
        .map(|_| {
            let d = classify_retry(JsValue::from(503), JsValue::UNDEFINED).unwrap();
            let ms = get(&d, "delayMs").as_f64().unwrap();
            // Attempt 1 of the normal profile: 1 s plus up to 50 % jitter.
            assert!((1000.0..=1500.0).contains(&ms), "{ms}");
            ms as u64
        })
        .collect();
    assert!(
        delays.len() > 1,
        "20 random seeds gave one delay: {delays:?}"
    );
}

#[wasm_bindgen_test]
fn next_delays_is_the_core_schedule() {
    for (code, options, ctx) in [
        ("503", json!({"seed": 9}), Context::new()),
        (
            "429",
            json!({"seed": 9, "service": "dps", "retryAfter": "5", "attempt": 3}),
            Context::new()
                .service(Service::Dps)
                .retry_after("5")
                .attempt(3),
        ),
        ("assigning", json!({"seed": 2}), Context::new()),
        ("400", json!({"seed": 2}), Context::new()),
    ] {
        let got = Array::from(&next_delays(JsValue::from_str(code), js(options.clone())).unwrap());
        let mut rng = SplitMix64::new(options["seed"].as_u64().unwrap());
        let want: Vec<Value> = Policy::DEFAULT
            .schedule(outcome_of(code, ctx.service), ctx, &mut rng)
            .map(|d| core_decision(&d))
            .collect();
        assert_eq!(
            got.iter().map(|d| json_of(&d)).collect::<Vec<_>>(),
            want,
            "{code}"
        );
        // The first step is what classifyRetry says.
        let first = classify_retry(JsValue::from_str(code), js(options.clone())).unwrap();
        assert_eq!(json_of(&first), want[0], "{code}");
    }
    // 503 waits until a budget is spent (here the 240 s one, the delays doubling up to 100 s), then gives up.
    let steps = Array::from(&next_delays(JsValue::from(503), js(json!({"seed": 3}))).unwrap());
    let n = steps.length();
    assert!((2..=10).contains(&n), "{n}");
    let last = steps.get(n - 1);
    assert_eq!(text(&last, "action"), "give-up");
    assert_eq!(text(&last, "budgetSpent"), "elapsed");
    assert!(get(&last, "delayMs").is_null());
    let waited: f64 = steps
        .iter()
        .filter_map(|d| get(&d, "delayMs").as_f64())
        .sum();
    assert!(waited <= 240_000.0, "{waited}");
    // From attempt 10 on, the attempt budget ends it at once.
    let steps = Array::from(&next_delays(JsValue::from(503), js(json!({"attempt": 10}))).unwrap());
    assert_eq!(steps.length(), 1);
    assert_eq!(text(&steps.get(0), "budgetSpent"), "attempts");
    // count caps it.
    let steps =
        Array::from(&next_delays(JsValue::from(503), js(json!({"seed": 3, "count": 4}))).unwrap());
    assert_eq!(steps.length(), 4);
    let steps = Array::from(&next_delays(JsValue::from(503), js(json!({"count": 0}))).unwrap());
    assert_eq!(steps.length(), 0);
}

#[wasm_bindgen_test]
fn retry_options_are_checked() {
    let c = || JsValue::from(429);
    let cases: Vec<(Result<JsValue, azure_iot_codes_wasm::Rejection>, &str, &str)> = vec![
        (
            classify_retry(c(), js(json!({"attemps": 2}))),
            "invalid-argument",
            "attemps",
        ),
        (
            classify_retry(c(), js(json!({"count": 2}))),
            "invalid-argument",
            "count",
        ),
        (
            classify_retry(c(), js(json!({"attempt": -1}))),
            "invalid-argument",
            "-1",
        ),
        (
            classify_retry(c(), js(json!({"attempt": 1.5}))),
            "invalid-argument",
            "1.5",
        ),
        (
            classify_retry(c(), js(json!({"attempt": 4294967296u64}))),
            "invalid-argument",
            "4294967296",
        ),
        (
            classify_retry(c(), js(json!({"attempt": "2"}))),
            "invalid-argument",
            "2",
        ),
        (
            classify_retry(c(), js(json!({"elapsedMs": -5}))),
            "invalid-argument",
            "-5",
        ),
        (
            classify_retry(c(), js(json!({"seed": 18014398509481984u64}))),
            "invalid-argument",
            "18014398509481984",
        ),
        (
            classify_retry(c(), js(json!({"service": "hub"}))),
            "unknown-service",
            "hub",
        ),
        (
            classify_retry(c(), js(json!({"operation": "backend"}))),
            "invalid-argument",
            "backend",
        ),
        (
            classify_retry(c(), js(json!({"subCode": "NOPE"}))),
            "not-found",
            "NOPE",
        ),
        (
            classify_retry(c(), js(json!({"subCode": 999999}))),
            "out-of-range",
            "999999",
        ),
        (
            classify_retry(c(), js(json!({"subCode": true}))),
            "invalid-argument",
            "the boolean true",
        ),
        (
            classify_retry(c(), js(json!({"retryAfter": {}}))),
            "invalid-argument",
            "an object",
        ),
        (
            classify_retry(c(), JsValue::from(5)),
            "invalid-argument",
            "5",
        ),
        (
            classify_retry(JsValue::TRUE, JsValue::UNDEFINED),
            "invalid-argument",
            "the boolean true",
        ),
        (
            classify_retry(JsValue::from_str("4o4"), JsValue::UNDEFINED),
            "malformed",
            "4o4",
        ),
        (
            classify_retry(JsValue::from_str("999"), JsValue::UNDEFINED),
            "not-found",
            "999",
        ),
        (
            classify_retry(
                js(json!({"catalogue": "nope", "code": 1})),
                JsValue::UNDEFINED,
            ),
            "unknown-catalogue",
            "nope",
        ),
        (
            classify_retry(
                js(json!({"catalogue": "http-status", "code": 999})),
                JsValue::UNDEFINED,
            ),
            "not-found",
            "999",
        ),
        (
            classify_retry(js(json!({"catalogue": "http-status"})), JsValue::UNDEFINED),
            "invalid-argument",
            "undefined",
        ),
        (
            classify_retry(
                js(json!({"catalogue": "http-status", "code": 429, "name": 1})),
                JsValue::UNDEFINED,
            ),
            "invalid-argument",
            "1",
        ),
        (
            next_delays(c(), js(json!({"count": -1}))),
            "invalid-argument",
            "-1",
        ),
        (
            next_delays(c(), js(json!({"cont": 1}))),
            "invalid-argument",
            "cont",
        ),
    ];
    for (result, kind, input) in cases {
        assert_error(&error_of(result), kind, input);
    }
}

// ---- decodePayload ----

#[cfg(feature = "payload")]
#[path = "support/fixtures.rs"]
mod fixtures;

#[cfg(feature = "payload")]
mod payload {
    use super::*;

    /// Keys of these objects are the sender's own (a map in the core), not field names: kept as they are.
    fn is_user_map(path: &[&str]) -> bool {
        matches!(
            path,
            ["payload", "parsed", "info"]
                | ["central", "events", "payload"]
                | ["central", "events", "properties"]
                | ["central", "propertyChanges", "properties"]
        )
    }

    /// The core's JSON with the field names in camelCase, the keys of the sender's maps as they are.
    fn camel_fields(v: Value, path: &mut Vec<String>) -> Value {
        let here: Vec<&str> = path.iter().map(String::as_str).collect();
        if is_user_map(&here) {
            return v;
        }
        match v {
            Value::Object(o) => Value::Object(
                o.into_iter()
                    .map(|(k, v)| {
                        let k = camel(&k);
                        path.push(k.clone());
                        let v = camel_fields(v, path);
                        path.pop();
                        (k, v)
                    })
                    .collect(),
            ),
            // Array elements share their array's path.
            Value::Array(a) => Value::Array(a.into_iter().map(|v| camel_fields(v, path)).collect()),
            v => v,
        }
    }

    /// What `decodePayload` must return: the CLI's document (`InputReport`) with the field names in camelCase,
    /// each match as `decode` returns it plus its decision as `classifyRetry` returns it, and the payload's
    /// decision as `classifyRetry` returns it.
    fn expected_document(report: &InputReport<'_>) -> Value {
        let mut doc = camel_fields(serde_json::to_value(report).unwrap(), &mut Vec::new());
        doc["matches"] = report
            .matches()
            .iter()
            .map(|(m, d)| {
                let mut v = expected(m);
                v["retry"] = core_decision(d);
                v
            })
            .collect();
        if let Some(p) = report.payload() {
            doc["payload"]["retry"] = p.retry().as_ref().map_or(Value::Null, core_decision);
        }
        doc
    }

    /// Every number as a float: JavaScript has one number type, so the `12.0` a device sent comes back as `12`
    /// (as `JSON.parse` of the CLI's output would give it).
    fn numbers_as_f64(v: Value) -> Value {
        match v {
            Value::Number(n) => json!(n.as_f64().unwrap()),
            Value::Array(a) => Value::Array(a.into_iter().map(numbers_as_f64).collect()),
            Value::Object(o) => {
                Value::Object(o.into_iter().map(|(k, v)| (k, numbers_as_f64(v))).collect())
            }
            v => v,
        }
    }

    #[wasm_bindgen_test]
    fn decode_payload_is_the_cli_document_for_every_fixture() {
        let mut read = 0;
        for (i, (name, text)) in fixtures::FIXTURES.iter().enumerate() {
            let seed = i as u64;
            let options = ReportOptions::new().seed(seed);
            let reading = Reading::read(text, &options);
            let result = decode_payload(JsValue::from_str(text), js(json!({ "seed": seed })));
            if let Some(e) = reading.error() {
                assert_error(&error_of(result), e.kind().as_str(), e.input());
                continue;
            }
            read += 1;
            let doc = result.unwrap_or_else(|e| panic!("{name}: {}", e.message()));
            let report = InputReport::new(text, &reading, &options);
            assert_eq!(
                numbers_as_f64(json_of(&doc)),
                numbers_as_f64(expected_document(&report)),
                "{name}"
            );
            // Key order as in the CLI's document, and each match with the same fields in the same order as
            // decode's, then `retry`.
            let top = keys(&doc);
            let want: Vec<&str> = ["input", "matches", "payload", "central"]
                .into_iter()
                .filter(|k| top.iter().any(|t| t == k))
                .collect();
            assert_eq!(top, want, "{name}");
            let matches = Array::from(&get(&doc, "matches"));
            for ((m, _), js_match) in report.matches().iter().zip(matches.iter()) {
                let mut k = keys(&js_match);
                assert_eq!(k.pop().as_deref(), Some("retry"), "{name}");
                let mut want_keys: Vec<&str> = ROW_KEYS.to_vec();
                if m.erc().is_some() {
                    want_keys.extend(READING_KEYS);
                }
                assert_eq!(k, want_keys, "{name}");
            }
        }
        assert!(read >= 50, "{read} fixtures read");
    }

    /// The text as UTF-8 bytes (a `Uint8Array`) gives the same document as the string; bytes that are not
    /// UTF-8 throw `invalid-utf8` naming the first bad byte, and the module answers correctly afterwards.
    #[wasm_bindgen_test]
    fn decode_payload_takes_bytes_and_refuses_invalid_utf8() {
        for (name, fixture) in fixtures::FIXTURES.iter().take(40) {
            let bytes = js_sys::Uint8Array::from(fixture.as_bytes());
            let options = || js(json!({ "seed": 4 }));
            match (
                decode_payload(JsValue::from_str(fixture), options()),
                decode_payload(bytes.into(), options()),
            ) {
                (Ok(a), Ok(b)) => assert_eq!(json_of(&a), json_of(&b), "{name}"),
                (Err(a), Err(b)) => assert_eq!(
                    text(&JsValue::from(a), "message"),
                    text(&JsValue::from(b), "message"),
                    "{name}"
                ),
                _ => panic!("{name}: the string and its bytes disagree"),
            }
        }
        for bad in [
            &b"\xff"[..],
            b"$dps/registrations/res/429/?$rid=1\xc3",
            b"{\"errorCode\": 401002, \"message\": \"\xe2\x82\"}",
            b"4040\x0001\x80",
        ] {
            let result = decode_payload(js_sys::Uint8Array::from(bad).into(), JsValue::UNDEFINED);
            let e = error_of(result);
            let message = text(&e, "message");
            assert_eq!(text(&e, "kind"), "invalid-utf8", "{bad:?}: {message}");
            let first_bad = std::str::from_utf8(bad).unwrap_err().valid_up_to();
            assert!(
                message.contains(&first_bad.to_string()),
                "{bad:?}: the message should name byte {first_bad}: {message}"
            );
            let ok = decode_payload(JsValue::from_str("401002"), JsValue::UNDEFINED).unwrap();
            assert_eq!(
                text(&Array::from(&get(&ok, "matches")).get(0), "name"),
                "IotHubUnauthorizedAccess"
            );
        }
    }

    #[wasm_bindgen_test]
    fn decode_payload_reads_topics_bodies_codes_and_pasted_output() {
        let topic = "$dps/registrations/res/429/?$rid=7&retry-after=3";
        let doc = decode_payload(JsValue::from_str(topic), js(json!({ "seed": 1 }))).unwrap();
        let payload = get(&doc, "payload");
        assert_eq!(text(&payload, "kind"), "dps-response-topic");
        assert_eq!(text(&get(&payload, "parsed"), "requestId"), "7");
        assert_eq!(text(&get(&payload, "context"), "retryAfter"), "3");
        let retry = get(&payload, "retry");
        assert_eq!(get(&retry, "delayMs").as_f64(), Some(3000.0));
        assert_eq!(text(&get(&retry, "retryAfter"), "use"), "honored");
        // The caller's Retry-After replaces the topic's; a number is read as seconds.
        let doc = decode_payload(JsValue::from_str(topic), js(json!({ "retryAfter": 9 }))).unwrap();
        assert_eq!(
            get(&get(&get(&doc, "payload"), "retry"), "delayMs").as_f64(),
            Some(9000.0)
        );
        let m0 = Array::from(&get(&doc, "matches")).get(0);
        assert_eq!(get(&get(&m0, "retry"), "delayMs").as_f64(), Some(9000.0));

        // A code: decode's matches, each with classifyRetry's decision.
        let doc = decode_payload(JsValue::from_str("401002"), js(json!({ "seed": 5 }))).unwrap();
        assert!(get(&doc, "payload").is_undefined() && get(&doc, "central").is_undefined());
        let decoded = Array::from(&get(
            &decode(JsValue::from_str("401002"), JsValue::UNDEFINED).unwrap(),
            "matches",
        ));
        let matches = Array::from(&get(&doc, "matches"));
        assert_eq!(matches.length(), decoded.length());
        for (m, d) in matches.iter().zip(decoded.iter()) {
            let mut mine = json_of(&m);
            let retry = mine.as_object_mut().unwrap().remove("retry").unwrap();
            assert_eq!(mine, json_of(&d));
            let rule = text(&d, "catalogue");
            let classified = classify_retry(d, js(json!({ "seed": 5 }))).unwrap();
            assert_eq!(retry, json_of(&classified), "{rule}");
        }

        // Narrowed by service: the codes a payload carries too.
        let body = r#"{"errorCode":401002,"trackingId":"0f0e0d0c-0b0a-0908-0706-050403020100","message":"x","timestampUtc":"2025-01-02T03:06:00Z"}"#;
        let doc = decode_payload(
            JsValue::from_str(body),
            js(json!({ "service": "iot-central", "seed": 0 })),
        )
        .unwrap();
        let payload = get(&doc, "payload");
        assert_eq!(text(&payload, "service"), "iot-central");
        assert_eq!(text(&get(&payload, "retry"), "service"), "iot-central");
        let code = Array::from(&get(&payload, "codes")).get(0);
        assert_eq!(text(&code, "field"), "errorCode");

        // Pasted IoT Central output: the report in camelCase, the causes among the matches.
        let pasted = "[ERROR] [DeviceId: d1] [TemplateId: t1]  Invalid JSON format.";
        let doc = decode_payload(JsValue::from_str(pasted), JsValue::UNDEFINED).unwrap();
        let central = get(&doc, "central");
        assert_eq!(get(&central, "lineCount").as_f64(), Some(1.0));
        let finding = Array::from(&get(&central, "findings")).get(0);
        assert_eq!(text(&finding, "deviceId"), "d1");
        assert_eq!(text(&get(&finding, "detail"), "kind"), "invalid-json");
        assert_eq!(
            text(&get(&finding, "meaning"), "catalogue"),
            "iot-central-unmodeled-cause"
        );
        let m0 = Array::from(&get(&doc, "matches")).get(0);
        assert_eq!(text(&m0, "code"), "INVALID_JSON");
    }

    #[wasm_bindgen_test]
    fn decode_payload_throws_typed_errors_and_keeps_answering() {
        let cases: [(JsValue, JsValue, &str, &str); 9] = [
            (
                JsValue::from_str("{\"errorCode\": 4"),
                JsValue::UNDEFINED,
                "truncated",
                "{\"errorCode\": 4",
            ),
            (
                JsValue::from_str("{\"hello\": 1}"),
                JsValue::UNDEFINED,
                "unknown-shape",
                "{\"hello\": 1}",
            ),
            (
                JsValue::from_str("{\"errorCode\": true}"),
                JsValue::UNDEFINED,
                "invalid-field",
                "{\"errorCode\": true}",
            ),
            (
                JsValue::from_str("$dps/registrations/res/x/?$rid=1"),
                JsValue::UNDEFINED,
                "invalid-topic",
                "$dps/registrations/res/x/?$rid=1",
            ),
            (
                JsValue::from_str("4o4"),
                JsValue::UNDEFINED,
                "malformed",
                "4o4",
            ),
            (JsValue::from_str("  "), JsValue::UNDEFINED, "empty", "  "),
            (
                JsValue::from(401002),
                JsValue::UNDEFINED,
                "invalid-argument",
                "401002",
            ),
            (
                JsValue::from_str("401002"),
                js(json!({ "services": "dps" })),
                "invalid-argument",
                "services",
            ),
            (
                JsValue::from_str("401002"),
                js(json!({ "seed": -1 })),
                "invalid-argument",
                "-1",
            ),
        ];
        for _ in 0..3 {
            for (input, options, kind, shown) in &cases {
                let e = error_of(decode_payload(input.clone(), options.clone()));
                assert_error(&e, kind, shown);
            }
            let deep = format!("{}1{}", "{\"a\":".repeat(100), "}".repeat(100));
            let e = error_of(decode_payload(JsValue::from_str(&deep), JsValue::UNDEFINED));
            assert_eq!(text(&e, "kind"), "too-deep");
            // Still answering.
            let doc = decode_payload(JsValue::from_str("404001"), JsValue::UNDEFINED).unwrap();
            let m0 = Array::from(&get(&doc, "matches")).get(0);
            assert_eq!(text(&m0, "name"), "DeviceNotFound");
        }
        // A code no catalogue has inside a payload that was read: that code's error, not an exception.
        let doc = decode_payload(
            JsValue::from_str("{\"errorCode\": 999999}"),
            JsValue::UNDEFINED,
        )
        .unwrap();
        let code = Array::from(&get(&get(&doc, "payload"), "codes")).get(0);
        assert_eq!(text(&get(&code, "error"), "kind"), "not-found");
    }
}
