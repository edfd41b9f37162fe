//! Differential tests: every exported function, called exactly as C calls it, against the Rust API.
//!
//! Every HTTP status 100-599 and every code, name and alias of every catalogue goes through `aic_lookup_*`,
//! `aic_decode` and `aic_decode_json`, and the answers must equal `Catalogue::lookup_*`, `decode_with` and the
//! JSON of the Rust rows, field by field. Then the boundary: NULL, invalid UTF-8, unknown ids, every buffer size.

use core::ffi::{CStr, c_char, c_int};
use std::ffi::CString;

use azure_iot_codes::{Catalogue, Code, DecodeOptions, ErrorKind, Meaning, Service, decode_with};
use proptest::prelude::*;
use serde_json::{Value, json};

use crate::decode::{aic_decode, aic_decode_json, aic_decoded, aic_number_form_str};
use crate::ids::*;
use crate::rows::*;
use crate::status::{STATUSES, aic_status, aic_status_str};
use crate::version::*;

/// Reads a C string the library returned.
fn text(p: *const c_char) -> &'static str {
    assert!(!p.is_null(), "the library returned a NULL string");
    // SAFETY: the library returns pointers to static NUL-terminated strings (that is what is under test; a
    // wrong pointer would fail under Miri, ASan or valgrind in the C tests too).
    unsafe { CStr::from_ptr(p) }.to_str().expect("UTF-8")
}

/// Asserts that a C row says exactly what a Rust row says.
fn assert_row_eq(c: &aic_row, m: &Meaning) {
    let at = format!("{} {}", m.catalogue(), m.code());
    assert_eq!(catalogue_of(c.catalogue), Some(m.catalogue()), "{at}");
    match m.code() {
        Code::Number(n) => assert!(c.code_is_number && c.number == n, "{at}"),
        Code::Text(_) => assert!(!c.code_is_number && c.number == 0, "{at}"),
    }
    assert_eq!(text(c.code), m.code().to_string(), "{at}");
    assert_eq!(text(c.name), m.name(), "{at}");
    assert_eq!(c.alias_count, m.aliases().len(), "{at}");
    if c.alias_count == 0 {
        assert!(c.aliases.is_null(), "{at}");
    } else {
        // SAFETY: `aliases` points to a static array of `alias_count` string pointers (under test).
        let aliases = unsafe { core::slice::from_raw_parts(c.aliases, c.alias_count) };
        let aliases: Vec<&str> = aliases.iter().map(|&p| text(p)).collect();
        assert_eq!(aliases, m.aliases(), "{at}");
    }
    assert_eq!(c.http_status, m.http_status().map_or(0, u32::from), "{at}");
    assert_eq!(c.services, u32::from(m.services().bits()), "{at}");
    for (id, s) in Service::ALL.into_iter().enumerate() {
        assert_eq!(
            c.services & (1 << id) != 0,
            m.services().contains(s),
            "{at}"
        );
    }
    assert_eq!(
        text(aic_standing_str(c.standing)),
        m.standing().as_str(),
        "{at}"
    );
    assert_eq!(text(c.description), m.description(), "{at}");
    assert_eq!(text(c.mitigation), m.mitigation(), "{at}");
    assert_eq!(text(c.source), m.source(), "{at}");
    assert_eq!(text(c.note), m.note().unwrap_or(""), "{at}");
}

fn assert_rows_eq(count: usize, rows: &[*const aic_row], expected: &[&Meaning], at: &str) {
    assert_eq!(count, expected.len(), "{at}");
    for (i, m) in expected.iter().enumerate() {
        // SAFETY: rows[..count] point into the static row table (under test).
        let c = unsafe { rows[i].as_ref() }.expect("non-NULL row");
        assert_row_eq(c, m);
    }
    assert!(rows[count..].iter().all(|p| p.is_null()), "{at}");
}

fn catalogue_of(id: u32) -> Option<Catalogue> {
    catalogue_from_id(id)
}

fn id_of(c: Catalogue) -> u32 {
    catalogue_id(c).expect("every catalogue has an id")
}

fn lookup_number(catalogue: u32, code: u32) -> (aic_status, aic_matches) {
    let mut out = aic_matches::EMPTY;
    // SAFETY: `out` is a valid aic_matches.
    let status = unsafe { aic_lookup_number(catalogue, code, &mut out) };
    (status, out)
}

fn lookup_name(catalogue: u32, name: &CStr) -> (aic_status, aic_matches) {
    let mut out = aic_matches::EMPTY;
    // SAFETY: `name` is NUL-terminated, `out` a valid aic_matches.
    let status = unsafe { aic_lookup_name(catalogue, name.as_ptr(), &mut out) };
    (status, out)
}

fn c_decode(input: &CStr, catalogue: u32, service: u32) -> (aic_status, aic_decoded) {
    // Filled with garbage-like values to prove the function clears them.
    let mut out = aic_decoded {
        count: 99,
        rows: [core::ptr::NonNull::dangling().as_ptr(); AIC_MATCHES_CAPACITY],
        is_number: true,
        number: 7,
        number_form: 9,
    };
    // SAFETY: `input` is NUL-terminated, `out` a valid aic_decoded.
    let status = unsafe { aic_decode(input.as_ptr(), catalogue, service, &mut out) };
    (status, out)
}

/// `aic_decode_json` with a buffer exactly as large as the document needs (two calls, as the header says).
fn c_decode_json(input: &CStr, catalogue: u32, service: u32) -> (aic_status, String) {
    let mut needed = usize::MAX;
    // SAFETY: NULL with size 0 is allowed; `needed` is valid.
    let first = unsafe {
        aic_decode_json(
            input.as_ptr(),
            catalogue,
            service,
            core::ptr::null_mut(),
            0,
            &mut needed,
        )
    };
    if needed == 0 {
        return (first, String::new());
    }
    assert_eq!(first, aic_status::AIC_ERR_BUFFER_TOO_SMALL);
    let mut buf = vec![0x55u8; needed + 1];
    let mut again = 0;
    // SAFETY: `buf` has `needed + 1` writable bytes.
    let status = unsafe {
        aic_decode_json(
            input.as_ptr(),
            catalogue,
            service,
            buf.as_mut_ptr().cast(),
            buf.len(),
            &mut again,
        )
    };
    assert_eq!(again, needed);
    assert_eq!(buf[needed], 0, "NUL-terminated");
    buf.truncate(needed);
    (status, String::from_utf8(buf).expect("UTF-8 JSON"))
}

/// The JSON document the Rust API gives for `input` (the shape `iotcode decode --json` prints).
fn rust_json(input: &str, options: &DecodeOptions) -> Value {
    match decode_with(input, options) {
        Ok(d) => json!({ "input": input, "matches": d.matches() }),
        Err(e) => json!({
            "input": input,
            "matches": [],
            "error": { "kind": e.kind().as_str(), "message": e.to_string() },
        }),
    }
}

fn expected_status(r: &Result<azure_iot_codes::Decoded, azure_iot_codes::Error>) -> aic_status {
    match r {
        Ok(_) => aic_status::AIC_OK,
        Err(e) => aic_status::from_kind(e.kind()),
    }
}

/// Decodes `input` through the C API under one narrowing and compares everything with the Rust API.
fn assert_decode_eq(input: &str, catalogue: u32, service: u32) {
    let mut options = DecodeOptions::new();
    if catalogue != AIC_CATALOGUE_ANY {
        options = options.catalogue(catalogue_of(catalogue).expect("catalogue id"));
    }
    if service != AIC_SERVICE_ANY {
        options = options.service(service_from_id(service).expect("service id"));
    }
    let at = format!("{input:?} catalogue {catalogue} service {service}");
    let c_input = CString::new(input).expect("no NUL");
    let rust = decode_with(input, &options);
    let (status, out) = c_decode(&c_input, catalogue, service);
    assert_eq!(status, expected_status(&rust), "{at}");
    match &rust {
        Ok(d) => {
            assert_rows_eq(out.count, &out.rows, d.matches(), &at);
            match d.number() {
                Some(n) => {
                    assert!(out.is_number, "{at}");
                    assert_eq!(out.number, n.value, "{at}");
                    let form = serde_json::to_value(n.form).expect("serializes");
                    assert_eq!(
                        json!(text(aic_number_form_str(out.number_form))),
                        form,
                        "{at}"
                    );
                }
                None => assert!(
                    !out.is_number && out.number == 0 && out.number_form == 0,
                    "{at}"
                ),
            }
        }
        Err(_) => assert_rows_eq(out.count, &out.rows, &[], &at),
    }
    let (json_status, doc) = c_decode_json(&c_input, catalogue, service);
    assert_eq!(json_status, status, "{at}");
    let doc: Value = serde_json::from_str(&doc).expect("valid JSON");
    assert_eq!(doc, rust_json(input, &options), "{at}");
}

#[test]
fn row_table_equals_the_rust_catalogues() {
    let mut total = 0;
    for c in Catalogue::ALL {
        let mut rows = core::ptr::null();
        let mut count = usize::MAX;
        // SAFETY: both out-pointers are valid.
        let status = unsafe { aic_catalogue_rows(id_of(c), &mut rows, &mut count) };
        assert_eq!(status, aic_status::AIC_OK);
        assert_eq!(count, c.rows().len(), "{c}");
        // SAFETY: the library returned `count` contiguous static rows.
        let rows = unsafe { core::slice::from_raw_parts(rows, count) };
        for (row, m) in rows.iter().zip(c.rows()) {
            assert_row_eq(row, m);
            assert!(core::ptr::eq(row_of(m).expect("row"), row));
        }
        total += count;
    }
    assert_eq!(total, ROWS.len());
}

#[test]
fn every_http_status_100_to_599_matches_the_rust_api() {
    let http = id_of(Catalogue::HttpStatus);
    for n in 100u32..=599 {
        let (status, out) = lookup_number(http, n);
        let rust = Catalogue::HttpStatus.lookup_number(n);
        let expected = if rust.is_empty() {
            aic_status::AIC_ERR_NOT_FOUND
        } else {
            aic_status::AIC_OK
        };
        assert_eq!(status, expected, "{n}");
        let rust: Vec<&Meaning> = rust.iter().collect();
        assert_rows_eq(out.count, &out.rows, &rust, &n.to_string());
        assert_decode_eq(&n.to_string(), AIC_CATALOGUE_ANY, AIC_SERVICE_ANY);
        assert_decode_eq(&format!("0x{n:x}"), http, AIC_SERVICE_ANY);
        for s in [
            AIC_SERVICE_IOT_HUB,
            AIC_SERVICE_DPS,
            AIC_SERVICE_IOT_CENTRAL,
        ] {
            assert_decode_eq(&n.to_string(), http, s);
        }
    }
}

#[test]
fn every_catalogue_code_name_and_alias_matches_the_rust_api() {
    let catalogues: Vec<u32> = Catalogue::ALL.into_iter().map(id_of).collect();
    let services: Vec<u32> = (0..Service::ALL.len() as u32)
        .chain([AIC_SERVICE_ANY])
        .collect();
    for c in Catalogue::ALL {
        for m in c.rows() {
            if let Code::Number(n) = m.code() {
                // Every catalogue, including the ones that do not have the number.
                for &id in &catalogues {
                    let (status, out) = lookup_number(id, n);
                    let rust: Vec<&Meaning> =
                        catalogue_of(id).unwrap().lookup_number(n).iter().collect();
                    let ok = if rust.is_empty() {
                        aic_status::AIC_ERR_NOT_FOUND
                    } else {
                        aic_status::AIC_OK
                    };
                    assert_eq!(status, ok, "{id} {n}");
                    assert_rows_eq(out.count, &out.rows, &rust, &format!("{id} {n}"));
                }
            }
            let mut names = vec![m.code().to_string(), m.name().to_string()];
            names.extend(m.aliases().iter().map(|a| a.to_string()));
            names.push(m.name().to_ascii_lowercase());
            for name in &names {
                let c_name = CString::new(name.as_str()).unwrap();
                for &id in &catalogues {
                    let (status, out) = lookup_name(id, &c_name);
                    let rust: Vec<&Meaning> = catalogue_of(id).unwrap().lookup_name(name).collect();
                    let ok = if rust.is_empty() {
                        aic_status::AIC_ERR_NOT_FOUND
                    } else {
                        aic_status::AIC_OK
                    };
                    assert_eq!(status, ok, "{id} {name:?}");
                    assert_rows_eq(out.count, &out.rows, &rust, &format!("{id} {name:?}"));
                }
                for &id in catalogues.iter().chain(&[AIC_CATALOGUE_ANY]) {
                    for &s in &services {
                        assert_decode_eq(name, id, s);
                    }
                }
            }
            // "<status> <reason>" where the row has both.
            if let Some(h) = m.http_status() {
                assert_decode_eq(
                    &format!("{h} {}", m.name()),
                    AIC_CATALOGUE_ANY,
                    AIC_SERVICE_ANY,
                );
            }
        }
    }
}

#[test]
fn decode_errors_match_the_rust_api() {
    let inputs = [
        "",
        "   ",
        "4o4",
        "--1",
        "0x",
        "0x123456789",
        "4294967296",
        "-2147483649",
        "999",
        "no such thing",
        "404 No Such Reason",
        "DEVICE_DISABLED",
        "-1",
        "0x191",
        " 404 Not Found ",
        "a name that is far longer than the forty-eight bytes an error keeps of its input",
    ];
    for input in inputs {
        for id in [
            AIC_CATALOGUE_ANY,
            AIC_CATALOGUE_SERVICE_ERROR,
            AIC_CATALOGUE_MQTT_CONNACK,
        ] {
            for s in [AIC_SERVICE_ANY, AIC_SERVICE_DEVICE_UPDATE] {
                assert_decode_eq(input, id, s);
            }
        }
    }
}

#[test]
fn ids_and_names_match_the_rust_enums() {
    let catalogues = [
        (AIC_CATALOGUE_HTTP_STATUS, Catalogue::HttpStatus),
        (AIC_CATALOGUE_SERVICE_ERROR, Catalogue::ServiceError),
        (AIC_CATALOGUE_AUTH_SUBERROR, Catalogue::AuthSubError),
        (
            AIC_CATALOGUE_IOT_CENTRAL_STATUS,
            Catalogue::IotCentralStatus,
        ),
        (
            AIC_CATALOGUE_DPS_REGISTRATION_STATUS,
            Catalogue::DpsRegistrationStatus,
        ),
        (
            AIC_CATALOGUE_DPS_REGISTRATION_SUBSTATUS,
            Catalogue::DpsRegistrationSubstatus,
        ),
        (AIC_CATALOGUE_MQTT_CONNACK, Catalogue::MqttConnack),
    ];
    // Every catalogue has a constant.
    assert_eq!(catalogues.len(), Catalogue::ALL.len());
    assert_eq!(aic_catalogue_count() as usize, Catalogue::ALL.len());
    for (id, c) in catalogues {
        assert_eq!(catalogue_of(id), Some(c));
        assert_eq!(text(aic_catalogue_str(id)), c.as_str());
        let name = CString::new(c.as_str()).unwrap();
        let mut out = 0;
        // SAFETY: valid string and out-pointer.
        let status = unsafe { aic_catalogue_from_str(name.as_ptr(), &mut out) };
        assert_eq!(status, aic_status::AIC_OK);
        assert_eq!(out, id);
    }
    let services = [
        (AIC_SERVICE_IOT_HUB, Service::IotHub),
        (AIC_SERVICE_DPS, Service::Dps),
        (AIC_SERVICE_IOT_CENTRAL, Service::IotCentral),
        (AIC_SERVICE_DEVICE_UPDATE, Service::DeviceUpdate),
    ];
    assert_eq!(services.len(), Service::ALL.len());
    for (id, s) in services {
        assert_eq!(service_from_id(id), Some(s));
        assert_eq!(text(aic_service_str(id)), s.as_str());
        // The services bitmask of a row is the Rust `Services::bits`.
        assert_eq!(azure_iot_codes::Services::EMPTY.with(s).bits(), 1 << id);
        let name = CString::new(s.as_str()).unwrap();
        let mut out = 0;
        // SAFETY: valid string and out-pointer.
        let status = unsafe { aic_service_from_str(name.as_ptr(), &mut out) };
        assert_eq!(status, aic_status::AIC_OK);
        assert_eq!(out, id);
    }
    use azure_iot_codes::Standing;
    let standings = [
        (AIC_STANDING_CURRENT, Standing::Current),
        (AIC_STANDING_OBSERVED, Standing::Observed),
        (AIC_STANDING_CONFLICTING, Standing::Conflicting),
        (AIC_STANDING_HISTORICAL, Standing::Historical),
        (AIC_STANDING_DOC_ERROR, Standing::DocError),
    ];
    for (id, s) in standings {
        assert_eq!(standing_id(s), Some(id));
        assert_eq!(text(aic_standing_str(id)), s.as_str());
    }
    use azure_iot_codes::NumberForm;
    for (id, f) in [
        (AIC_NUMBER_FORM_DECIMAL, NumberForm::Decimal),
        (AIC_NUMBER_FORM_HEX, NumberForm::Hex),
        (AIC_NUMBER_FORM_SIGNED, NumberForm::Signed),
    ] {
        assert_eq!(number_form_id(f), Some(id));
        assert_eq!(
            json!(text(aic_number_form_str(id))),
            serde_json::to_value(f).unwrap()
        );
    }
    // Past the last id, and far past it: NULL, never a crash.
    for id in [Catalogue::ALL.len() as u32, 1000, AIC_CATALOGUE_ANY] {
        assert!(aic_catalogue_str(id).is_null());
    }
    for id in [4, 1000, u32::MAX] {
        assert!(aic_service_str(id).is_null());
    }
    for id in [5, u32::MAX] {
        assert!(aic_standing_str(id).is_null());
    }
    for id in [3, u32::MAX] {
        assert!(aic_number_form_str(id).is_null());
    }
}

#[test]
fn statuses_mirror_error_kind() {
    let kinds = [
        (aic_status::AIC_ERR_EMPTY, ErrorKind::Empty),
        (aic_status::AIC_ERR_MALFORMED, ErrorKind::Malformed),
        (aic_status::AIC_ERR_OUT_OF_RANGE, ErrorKind::OutOfRange),
        (aic_status::AIC_ERR_NOT_FOUND, ErrorKind::NotFound),
        (
            aic_status::AIC_ERR_UNKNOWN_CATALOGUE,
            ErrorKind::UnknownCatalogue,
        ),
        (
            aic_status::AIC_ERR_UNKNOWN_SERVICE,
            ErrorKind::UnknownService,
        ),
        (aic_status::AIC_ERR_INVALID_UTF8, ErrorKind::InvalidUtf8),
    ];
    for (status, kind) in kinds {
        assert_eq!(aic_status::from_kind(kind), status);
        assert_eq!(text(aic_status_str(status as c_int)), kind.as_str());
    }
    for (i, (status, name)) in STATUSES.iter().enumerate() {
        assert_eq!(*status as usize, i, "statuses are listed in value order");
        assert_eq!(
            text(aic_status_str(*status as c_int)),
            name.to_str().unwrap()
        );
    }
    assert_eq!(text(aic_status_str(0)), "ok");
    for v in [-1, STATUSES.len() as c_int, c_int::MAX, c_int::MIN] {
        assert_eq!(text(aic_status_str(v)), "unknown-status");
    }
}

#[test]
fn version_matches_cargo() {
    assert_eq!(text(aic_version()), env!("CARGO_PKG_VERSION"));
    assert_eq!(
        AIC_VERSION_MAJOR.to_string(),
        env!("CARGO_PKG_VERSION_MAJOR")
    );
    assert_eq!(
        AIC_VERSION_MINOR.to_string(),
        env!("CARGO_PKG_VERSION_MINOR")
    );
    assert_eq!(
        AIC_VERSION_PATCH.to_string(),
        env!("CARGO_PKG_VERSION_PATCH")
    );
}

#[test]
fn null_arguments_and_unknown_ids_return_statuses() {
    let mut matches = aic_matches::EMPTY;
    let mut decoded = c_decode(c"", 0, 0).1;
    let mut n = 5usize;
    let mut id = 5u32;
    let mut rows = ROWS.as_ptr();
    // SAFETY: every non-NULL pointer passed below is valid for its use; the NULLs are what is under test.
    unsafe {
        use aic_status::*;
        assert_eq!(
            aic_lookup_number(0, 200, core::ptr::null_mut()),
            AIC_ERR_NULL_ARGUMENT
        );
        assert_eq!(
            aic_lookup_number(7, 200, &mut matches),
            AIC_ERR_UNKNOWN_CATALOGUE
        );
        assert_eq!(
            aic_lookup_number(u32::MAX, 200, &mut matches),
            AIC_ERR_UNKNOWN_CATALOGUE
        );
        assert_eq!(
            aic_lookup_name(0, core::ptr::null(), &mut matches),
            AIC_ERR_NULL_ARGUMENT
        );
        assert_eq!(
            aic_lookup_name(0, c"OK".as_ptr(), core::ptr::null_mut()),
            AIC_ERR_NULL_ARGUMENT
        );
        assert_eq!(
            aic_lookup_name(99, c"OK".as_ptr(), &mut matches),
            AIC_ERR_UNKNOWN_CATALOGUE
        );
        assert_eq!(matches.count, 0);
        assert_eq!(
            aic_decode(
                core::ptr::null(),
                AIC_CATALOGUE_ANY,
                AIC_SERVICE_ANY,
                &mut decoded
            ),
            AIC_ERR_NULL_ARGUMENT
        );
        assert_eq!(
            aic_decode(
                c"404".as_ptr(),
                AIC_CATALOGUE_ANY,
                AIC_SERVICE_ANY,
                core::ptr::null_mut()
            ),
            AIC_ERR_NULL_ARGUMENT
        );
        assert_eq!(
            aic_decode(c"404".as_ptr(), 7, AIC_SERVICE_ANY, &mut decoded),
            AIC_ERR_UNKNOWN_CATALOGUE
        );
        assert_eq!(
            aic_decode(c"404".as_ptr(), AIC_CATALOGUE_ANY, 4, &mut decoded),
            AIC_ERR_UNKNOWN_SERVICE
        );
        assert_eq!(decoded.count, 0);
        assert_eq!(
            aic_catalogue_rows(0, core::ptr::null_mut(), &mut n),
            AIC_ERR_NULL_ARGUMENT
        );
        assert_eq!(n, 0, "the other out-pointer is cleared");
        assert_eq!(
            aic_catalogue_rows(0, &mut rows, core::ptr::null_mut()),
            AIC_ERR_NULL_ARGUMENT
        );
        assert!(rows.is_null());
        assert_eq!(
            aic_catalogue_rows(7, &mut rows, &mut n),
            AIC_ERR_UNKNOWN_CATALOGUE
        );
        assert!(rows.is_null() && n == 0);
        assert_eq!(
            aic_catalogue_from_str(core::ptr::null(), &mut id),
            AIC_ERR_NULL_ARGUMENT
        );
        assert_eq!(id, AIC_CATALOGUE_ANY);
        assert_eq!(
            aic_catalogue_from_str(c"http-status".as_ptr(), core::ptr::null_mut()),
            AIC_ERR_NULL_ARGUMENT
        );
        assert_eq!(
            aic_catalogue_from_str(c"Http-Status".as_ptr(), &mut id),
            AIC_ERR_UNKNOWN_CATALOGUE
        );
        assert_eq!(
            aic_service_from_str(c"hub".as_ptr(), &mut id),
            AIC_ERR_UNKNOWN_SERVICE
        );
        assert_eq!(
            aic_service_from_str(core::ptr::null(), &mut id),
            AIC_ERR_NULL_ARGUMENT
        );
        // aic_decode_json: NULL needed, NULL buffer with a size, NULL input.
        let mut buf = [0x55u8; 8];
        let b = buf.as_mut_ptr().cast::<c_char>();
        assert_eq!(
            aic_decode_json(
                c"404".as_ptr(),
                AIC_CATALOGUE_ANY,
                AIC_SERVICE_ANY,
                b,
                8,
                core::ptr::null_mut()
            ),
            AIC_ERR_NULL_ARGUMENT
        );
        assert_eq!(buf[0], 0, "still NUL-terminated");
        let mut needed = 9;
        assert_eq!(
            aic_decode_json(
                c"404".as_ptr(),
                AIC_CATALOGUE_ANY,
                AIC_SERVICE_ANY,
                core::ptr::null_mut(),
                8,
                &mut needed
            ),
            AIC_ERR_NULL_ARGUMENT
        );
        assert_eq!(needed, 0);
        buf[0] = 0x55;
        assert_eq!(
            aic_decode_json(
                core::ptr::null(),
                AIC_CATALOGUE_ANY,
                AIC_SERVICE_ANY,
                b,
                8,
                &mut needed
            ),
            AIC_ERR_NULL_ARGUMENT
        );
        assert_eq!((buf[0], needed), (0, 0));
        assert_eq!(
            aic_decode_json(c"404".as_ptr(), 42, AIC_SERVICE_ANY, b, 8, &mut needed),
            AIC_ERR_UNKNOWN_CATALOGUE
        );
        assert_eq!((buf[0], needed), (0, 0));
    }
}

#[test]
fn invalid_utf8_is_a_status() {
    let bad = [
        b"\xff\xfe".as_slice(),
        b"40\x80",
        b"\xc3",
        b"DEVICE_\xe2\x82",
    ];
    for bytes in bad {
        let input = CString::new(bytes).unwrap();
        assert_eq!(
            c_decode(&input, AIC_CATALOGUE_ANY, AIC_SERVICE_ANY).0,
            aic_status::AIC_ERR_INVALID_UTF8
        );
        assert_eq!(lookup_name(0, &input).0, aic_status::AIC_ERR_INVALID_UTF8);
        assert_eq!(
            c_decode_json(&input, AIC_CATALOGUE_ANY, AIC_SERVICE_ANY),
            (aic_status::AIC_ERR_INVALID_UTF8, String::new())
        );
        let mut id = 0;
        // SAFETY: NUL-terminated input, valid out-pointer.
        let status = unsafe { aic_catalogue_from_str(input.as_ptr(), &mut id) };
        assert_eq!(status, aic_status::AIC_ERR_INVALID_UTF8);
    }
}

/// Calls `aic_decode_json` with a buffer of `size` bytes inside a larger one, and checks the snprintf
/// contract: nothing written past `size`, NUL-terminated, the written text a prefix of the whole document.
fn json_with_size(input: &CStr, size: usize, whole: &str) -> aic_status {
    let mut storage = vec![0xA5u8; size + 16];
    let mut needed = 0;
    // SAFETY: `storage` has at least `size` writable bytes; `input` is NUL-terminated.
    let status = unsafe {
        aic_decode_json(
            input.as_ptr(),
            AIC_CATALOGUE_ANY,
            AIC_SERVICE_ANY,
            storage.as_mut_ptr().cast(),
            size,
            &mut needed,
        )
    };
    assert_eq!(needed, whole.len());
    assert!(
        storage[size..].iter().all(|&b| b == 0xA5),
        "wrote past size {size}"
    );
    if size > 0 {
        let nul = storage[..size]
            .iter()
            .position(|&b| b == 0)
            .expect("NUL-terminated");
        let written = core::str::from_utf8(&storage[..nul]).expect("a cut keeps UTF-8");
        assert!(whole.starts_with(written));
        // At most 3 bytes (a partial UTF-8 character) are dropped besides the NUL.
        assert!(size - 1 - nul <= 3 || nul == whole.len());
    }
    status
}

#[test]
fn json_buffer_of_every_size_follows_snprintf() {
    for (input, final_status) in [
        (c"401002", aic_status::AIC_OK),
        (c"999", aic_status::AIC_ERR_NOT_FOUND),
        (c"4o4", aic_status::AIC_ERR_MALFORMED),
        // Non-ASCII in the document: cuts land inside multi-byte characters.
        (c"é404", aic_status::AIC_ERR_NOT_FOUND),
    ] {
        let (status, whole) = c_decode_json(input, AIC_CATALOGUE_ANY, AIC_SERVICE_ANY);
        assert_eq!(status, final_status);
        for size in 0..=whole.len() {
            assert_eq!(
                json_with_size(input, size, &whole),
                aic_status::AIC_ERR_BUFFER_TOO_SMALL,
                "{size}"
            );
        }
        for size in whole.len() + 1..whole.len() + 4 {
            assert_eq!(json_with_size(input, size, &whole), final_status);
        }
    }
}

#[test]
fn answers_agree_across_threads() {
    let handles: Vec<_> = (0..4)
        .map(|t| {
            std::thread::spawn(move || {
                for n in (100u32..=599).filter(|n| n % 4 == t) {
                    assert_decode_eq(&n.to_string(), AIC_CATALOGUE_ANY, AIC_SERVICE_ANY);
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
}

proptest! {
    /// Any bytes (without NUL) give the status and rows the Rust API gives, and never crash.
    #[test]
    fn any_bytes_decode_like_the_rust_api(bytes in proptest::collection::vec(1u8..=255, 0..64)) {
        let input = CString::new(bytes.clone()).unwrap();
        let (status, out) = c_decode(&input, AIC_CATALOGUE_ANY, AIC_SERVICE_ANY);
        match core::str::from_utf8(&bytes) {
            Err(_) => prop_assert_eq!(status, aic_status::AIC_ERR_INVALID_UTF8),
            Ok(s) => {
                let rust = decode_with(s, &DecodeOptions::new());
                // Every error kind `decode` produces has its own status (none falls through to INTERNAL).
                prop_assert_ne!(status, aic_status::AIC_ERR_INTERNAL);
                prop_assert_eq!(status, expected_status(&rust));
                let rows: Vec<&Meaning> = rust.as_ref().map(|d| d.matches().to_vec()).unwrap_or_default();
                assert_rows_eq(out.count, &out.rows, &rows, s);
            }
        }
    }

    /// Code-shaped text (numbers in every form, "<n> <word>") decodes like the Rust API, JSON included.
    #[test]
    fn code_shaped_text_decodes_like_the_rust_api(
        n in any::<u32>(),
        form in 0..4u8,
        word in "[A-Za-z ]{0,12}",
    ) {
        let input = match form {
            0 => n.to_string(),
            1 => format!("0x{n:X}"),
            2 => format!("-{}", n % 2_147_483_648),
            _ => format!("{} {word}", n % 1000),
        };
        assert_decode_eq(&input, AIC_CATALOGUE_ANY, AIC_SERVICE_ANY);
    }

    /// Any buffer size: nothing written past it, always terminated, a prefix of the whole document.
    #[test]
    fn any_buffer_size_follows_snprintf(pick in 0usize..250, size in 0usize..2048) {
        let m = &ROWS[pick % ROWS.len()];
        let input = CString::new(text(m.name)).unwrap();
        let (_, whole) = c_decode_json(&input, AIC_CATALOGUE_ANY, AIC_SERVICE_ANY);
        json_with_size(&input, size, &whole);
    }
}
