//! The binding's functions, called from Rust inside a real JavaScript engine: Node by default, headless
//! Chromium with `WASM_BINDGEN_USE_BROWSER=1` (see test.sh). Checks the objects field by field against the
//! core library, the errors thrown, and that the module keeps answering after errors.
#![cfg(target_arch = "wasm32")]

use azure_iot_codes::{Catalogue, Code, Meaning};
use azure_iot_codes_wasm::{AzureIotCodesError, catalogues, decode, lookup};
use js_sys::{Array, Object, Reflect};
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

fn strings(target: &JsValue, key: &str) -> Vec<String> {
    Array::from(&get(target, key))
        .iter()
        .map(|v| v.as_string().unwrap())
        .collect()
}

fn options(pairs: &[(&str, &str)]) -> JsValue {
    let o = Object::new();
    for (k, v) in pairs {
        Reflect::set(&o, &JsValue::from_str(k), &JsValue::from_str(v)).unwrap();
    }
    o.into()
}

/// The JS object has exactly the fields of the core row, with the same values.
fn assert_same_row(js: &JsValue, m: &Meaning) {
    let keys: Vec<String> = Object::keys(&Object::from(js.clone()))
        .iter()
        .map(|k| k.as_string().unwrap())
        .collect();
    assert_eq!(
        keys,
        [
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
            "aliases"
        ]
    );
    assert_eq!(text(js, "catalogue"), m.catalogue().as_str());
    match m.code() {
        Code::Number(n) => assert_eq!(get(js, "code").as_f64(), Some(f64::from(n)), "{m}"),
        Code::Text(t) => assert_eq!(text(js, "code"), t),
    }
    assert_eq!(text(js, "name"), m.name());
    assert_eq!(text(js, "description"), m.description());
    assert_eq!(text(js, "mitigation"), m.mitigation());
    assert_eq!(
        get(js, "httpStatus").as_f64(),
        m.http_status().map(f64::from)
    );
    if m.http_status().is_none() {
        assert!(get(js, "httpStatus").is_null(), "{m}: null, not undefined");
    }
    let services: Vec<&str> = m.services().iter().map(|s| s.as_str()).collect();
    assert_eq!(strings(js, "services"), services);
    assert_eq!(text(js, "source"), m.source());
    assert_eq!(text(js, "standing"), m.standing().as_str());
    match m.note() {
        Some(n) => assert_eq!(text(js, "note"), n),
        None => assert!(get(js, "note").is_null(), "{m}: note is null"),
    }
    assert_eq!(strings(js, "aliases"), m.aliases());
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
    assert_eq!(text(e, "kind"), kind);
    assert_eq!(text(e, "input"), input);
    assert!(!text(e, "expected").is_empty());
    assert!(!String::from(err.message()).is_empty());
}

#[wasm_bindgen_test]
fn every_row_of_every_catalogue_comes_back_unchanged_through_lookup() {
    for c in Catalogue::ALL {
        for m in c.rows() {
            let code = match m.code() {
                Code::Number(n) => JsValue::from(n),
                Code::Text(t) => JsValue::from_str(t),
            };
            let rows = Array::from(&lookup(JsValue::from_str(c.as_str()), code).unwrap());
            let want: Vec<&Meaning> = match m.code() {
                Code::Number(n) => c.lookup_number(n).iter().collect(),
                Code::Text(t) => azure_iot_codes::decode_with(
                    t,
                    &azure_iot_codes::DecodeOptions::new().catalogue(c),
                )
                .unwrap()
                .iter()
                .copied()
                .collect(),
            };
            assert_eq!(rows.length() as usize, want.len(), "{m}");
            for (js, m) in rows.iter().zip(want) {
                assert_same_row(&js, m);
            }
        }
    }
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
    ];
    for &(input, catalogue, name, form) in table {
        let d = decode(JsValue::from_str(input), JsValue::UNDEFINED).unwrap();
        assert_eq!(text(&d, "input"), input);
        let matches = Array::from(&get(&d, "matches"));
        let core = azure_iot_codes::decode(input).unwrap();
        assert_eq!(matches.length() as usize, core.len(), "{input}");
        for (js, m) in matches.iter().zip(core.iter()) {
            assert_same_row(&js, m);
        }
        let first = matches.get(0);
        assert_eq!(
            (text(&first, "catalogue"), text(&first, "name")),
            (catalogue.to_owned(), name.to_owned()),
            "{input}"
        );
        let number = get(&d, "number");
        match form {
            Some(f) => assert_eq!(text(&number, "form"), f),
            None => assert!(number.is_null()),
        }
    }
}

#[wasm_bindgen_test]
fn numbers_are_read_like_their_decimal_text() {
    let d = decode(JsValue::from(404001), JsValue::UNDEFINED).unwrap();
    assert_eq!(text(&d, "input"), "404001");
    let d = decode(JsValue::from(-1), JsValue::NULL);
    // -1 is 0xFFFFFFFF, which no catalogue has: the same answer as for the text "-1".
    assert_error(&error_of(d), "not-found", "-1");
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
        options(&[("catalogue", "auth-suberror")]),
    )
    .unwrap();
    for m in Array::from(&get(&d, "matches")).iter() {
        assert_eq!(text(&m, "catalogue"), "auth-suberror");
    }
    let d = decode(JsValue::from_str("401"), options(&[("service", "dps")])).unwrap();
    for m in Array::from(&get(&d, "matches")).iter() {
        assert!(strings(&m, "services").contains(&"dps".to_owned()));
    }
}

#[wasm_bindgen_test]
fn bad_input_throws_typed_errors() {
    assert_error(
        &error_of(decode(JsValue::from_str(""), JsValue::UNDEFINED)),
        "empty",
        "",
    );
    assert_error(
        &error_of(decode(JsValue::from_str("4o4"), JsValue::UNDEFINED)),
        "malformed",
        "4o4",
    );
    assert_error(
        &error_of(decode(JsValue::from_str("4294967296"), JsValue::UNDEFINED)),
        "out-of-range",
        "4294967296",
    );
    assert_error(
        &error_of(decode(
            JsValue::from_str("no such code"),
            JsValue::UNDEFINED,
        )),
        "not-found",
        "no such code",
    );
    assert_error(
        &error_of(decode(JsValue::from_f64(1.5), JsValue::UNDEFINED)),
        "malformed",
        "1.5",
    );
    assert_error(
        &error_of(decode(JsValue::from_f64(f64::NAN), JsValue::UNDEFINED)),
        "malformed",
        "NaN",
    );
    assert_error(
        &error_of(decode(JsValue::TRUE, JsValue::UNDEFINED)),
        "invalid-argument",
        "the boolean true",
    );
    assert_error(
        &error_of(decode(JsValue::UNDEFINED, JsValue::UNDEFINED)),
        "invalid-argument",
        "undefined",
    );
    assert_error(
        &error_of(decode(
            JsValue::from_str("401"),
            options(&[("catalogue", "nope")]),
        )),
        "unknown-catalogue",
        "nope",
    );
    assert_error(
        &error_of(decode(
            JsValue::from_str("401"),
            options(&[("service", "iothub")]),
        )),
        "unknown-service",
        "iothub",
    );
    assert_error(
        &error_of(decode(
            JsValue::from_str("401"),
            options(&[("catalog", "http-status")]),
        )),
        "invalid-argument",
        "catalog",
    );
    assert_error(
        &error_of(decode(JsValue::from_str("401"), JsValue::from_str("dps"))),
        "invalid-argument",
        "dps",
    );
    assert_error(
        &error_of(lookup(JsValue::from_str("nope"), JsValue::from(401))),
        "unknown-catalogue",
        "nope",
    );
    assert_error(
        &error_of(lookup(JsValue::from(1), JsValue::from(401))),
        "invalid-argument",
        "1",
    );
    assert_error(
        &error_of(lookup(
            JsValue::from_str("http-status"),
            JsValue::from_str("0x"),
        )),
        "malformed",
        "0x",
    );
}

#[wasm_bindgen_test]
fn long_inputs_are_named_by_their_first_48_bytes() {
    let long = "x".repeat(10_000);
    let e = error_of(decode(JsValue::from_str(&long), JsValue::UNDEFINED));
    assert_error(&e, "not-found", &long[..48]);
}

#[wasm_bindgen_test]
fn the_module_keeps_answering_after_errors() {
    for _ in 0..100 {
        assert!(decode(JsValue::from_str("4o4"), JsValue::UNDEFINED).is_err());
        assert!(decode(JsValue::NULL, JsValue::UNDEFINED).is_err());
        let d = decode(JsValue::from_str("404001"), JsValue::UNDEFINED).unwrap();
        assert_eq!(
            text(&Array::from(&get(&d, "matches")).get(0), "name"),
            "DeviceNotFound"
        );
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
