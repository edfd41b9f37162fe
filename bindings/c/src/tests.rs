//! Differential tests: every exported function, called exactly as C calls it, against the Rust API.
//!
//! Every HTTP status 100-599 and every code, name and alias of every catalogue (the Device Update ones
//! included) goes through `aic_lookup_*`, `aic_decode` and `aic_decode_json`, and the answers must equal
//! `Catalogue::lookup_*`, `decode_with` and the decode document (`report::DecodeReport`, byte for byte), field
//! by field; a sample of Device Update extended result codes goes through `aic_decode` and `aic_du_erc_parts`
//! under every agent version; `aic_retry_decide` and `aic_retry_next_delays` must equal `Policy::decide` and
//! `Policy::schedule`; `aic_decode_payload_json` must equal the document of any input
//! (`report::InputReport`) for every fixture, whole and cut, under four narrowings. Then the boundary: NULL,
//! invalid UTF-8, unknown ids, every buffer size.

use core::ffi::{CStr, c_char, c_int};
use std::ffi::CString;

use azure_iot_codes::du::{AgentVersion, DuLayout, ErcReading};
use azure_iot_codes::report::{DecodeReport, InputReport, Reading, ReportOptions};
use azure_iot_codes::retry::{self, Context, SplitMix64};
use azure_iot_codes::{
    Catalogue, Code, DecodeOptions, Decoded, ErrorKind, Meaning, Service, decode_with,
};
use proptest::prelude::*;
use serde_json::{Value, json};

use crate::decode::{aic_decode, aic_decode_json, aic_decoded, aic_number_form_str};
use crate::du::*;
use crate::ids::*;
use crate::payload::aic_decode_payload_json;
use crate::retry::*;
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

/// Reads a C string that may be NULL.
fn opt_text(p: *const c_char) -> Option<&'static str> {
    (!p.is_null()).then(|| text(p))
}

/// The Rust row of a row pointer the library returned (NULL: `None`).
fn rust_row(p: *const aic_row) -> Option<&'static Meaning> {
    // SAFETY: the library returns NULL or pointers into its static row table (under test).
    let c = unsafe { p.as_ref() }?;
    let m = catalogue_of(c.catalogue)
        .expect("catalogue id")
        .rows()
        .iter()
        .find(|m| core::ptr::eq(row_of(m).expect("row"), c));
    Some(m.expect("a row of the static table"))
}

/// Asserts that a C row says exactly what a Rust row says.
fn assert_row_eq(c: &aic_row, m: &Meaning) {
    let at = format!("{} {}", m.catalogue(), m.code());
    assert_eq!(catalogue_of(c.catalogue), Some(m.catalogue()), "{at}");
    match m.code() {
        Code::Number(n) => assert!(
            c.code_is_number && c.number == n && !c.code_is_signed && c.signed_number == 0,
            "{at}"
        ),
        Code::Signed(n) => assert!(
            c.code_is_number && c.number == n as u32 && c.code_is_signed && c.signed_number == n,
            "{at}"
        ),
        Code::Text(_) => assert!(
            !c.code_is_number && c.number == 0 && !c.code_is_signed && c.signed_number == 0,
            "{at}"
        ),
    }
    assert_eq!(Some(c.number).filter(|_| c.code_is_number), m.code_bits());
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
    assert_eq!(
        c.agent_versions,
        u32::from(m.agent_versions().bits()),
        "{at}"
    );
    for (id, v) in AgentVersion::ALL.into_iter().enumerate() {
        assert_eq!(
            c.agent_versions & (1 << id) != 0,
            m.agent_versions().contains(v),
            "{at}"
        );
    }
    assert_eq!(text(c.action), m.action().unwrap_or(""), "{at}");
    assert_eq!(text(c.role), m.role().unwrap_or(""), "{at}");
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

/// Asserts that a C reading says exactly what a Rust reading says (every field from the public API of
/// `ErcReading`, not through the conversion under test).
fn assert_erc_eq(c: &aic_erc, r: Option<&ErcReading>, at: &str) {
    let Some(r) = r else {
        let empty = aic_erc::EMPTY;
        assert!(!c.is_erc, "{at}");
        assert_eq!(format!("{c:?}"), format!("{empty:?}"), "{at}: cleared");
        return;
    };
    assert!(c.is_erc, "{at}");
    let code = r.code();
    assert_eq!(c.code, code.as_u32(), "{at}");
    assert_eq!(c.signed_code, code.as_i32(), "{at}");
    let hex: Vec<u8> = c.hex.iter().map(|&b| b as u8).collect();
    assert_eq!(
        hex,
        format!("0x{:08X}\0", code.as_u32()).into_bytes(),
        "{at}"
    );
    assert_eq!(
        text(aic_du_layout_str(c.layout)),
        r.layout().as_str(),
        "{at}"
    );
    let (facility, facility_row) = r.facility();
    assert_eq!(c.facility, u32::from(facility), "{at}");
    assert_eq!(
        opt_text(c.facility_name),
        facility_row.map(|f| f.name()),
        "{at}"
    );
    match r.component() {
        Some((component, row)) => {
            assert!(c.has_component, "{at}");
            assert_eq!(c.component, u32::from(component), "{at}");
            assert_eq!(opt_text(c.component_name), row.map(|r| r.name()), "{at}");
        }
        None => assert!(
            !c.has_component && c.component == 0 && c.component_name.is_null(),
            "{at}"
        ),
    }
    assert_eq!(c.value, r.value(), "{at}");
    assert_eq!(
        c.agent_versions,
        u32::from(r.agent_versions().bits()),
        "{at}"
    );
    assert_eq!(
        (c.has_exit_code, c.exit_code),
        (r.exit_code().is_some(), r.exit_code().unwrap_or(0)),
        "{at}"
    );
    let same_row = |p: *const aic_row, m: Option<&'static Meaning>| match (rust_row(p), m) {
        (None, None) => true,
        (Some(a), Some(b)) => core::ptr::eq(a, b),
        _ => false,
    };
    assert!(same_row(c.errno_row, r.errno()), "{at}: errno");
    assert!(
        same_row(c.extension_row, r.extension_code()),
        "{at}: extension code"
    );
    match r.delivery_optimization() {
        Some(d) => {
            assert!(c.has_delivery_optimization, "{at}");
            assert_eq!(c.do_hresult, d.hresult(), "{at}");
            assert_eq!(c.do_facility, u32::from(d.facility()), "{at}");
            assert_eq!(
                c.do_http_status,
                d.http_status().map_or(0, u32::from),
                "{at}"
            );
            assert_eq!(
                (c.has_do_win32, c.do_win32),
                (d.win32().is_some(), d.win32().map_or(0, u32::from)),
                "{at}"
            );
            assert!(same_row(c.do_row, d.row()), "{at}: DO row");
            assert!(
                same_row(c.do_xplat_errno_row, d.xplat_errno()),
                "{at}: xplat"
            );
        }
        None => assert!(
            !c.has_delivery_optimization
                && c.do_hresult == 0
                && c.do_facility == 0
                && c.do_http_status == 0
                && !c.has_do_win32
                && c.do_win32 == 0
                && c.do_row.is_null()
                && c.do_xplat_errno_row.is_null(),
            "{at}"
        ),
    }
    assert_eq!(
        (c.has_delta_processor_error, c.delta_processor_error),
        (
            r.delta_processor_error().is_some(),
            r.delta_processor_error().unwrap_or(0)
        ),
        "{at}"
    );
}

fn catalogue_of(id: u32) -> Option<Catalogue> {
    catalogue_from_id(id)
}

fn id_of(c: Catalogue) -> u32 {
    catalogue_id(c).expect("every catalogue has an id")
}

fn version_id(v: AgentVersion) -> u32 {
    agent_version_id(v).expect("every agent version has an id")
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

/// A boxed aic_decoded (it is about 3.9 KB) filled with garbage-like values to prove the call clears them.
fn garbage_decoded() -> Box<aic_decoded> {
    let mut erc = aic_erc::EMPTY;
    erc.is_erc = true;
    erc.code = 7;
    erc.facility_name = c"garbage".as_ptr();
    Box::new(aic_decoded {
        count: 99,
        rows: [core::ptr::NonNull::dangling().as_ptr(); AIC_MATCHES_CAPACITY],
        ercs: [erc; AIC_MATCHES_CAPACITY],
        is_number: true,
        number: 7,
        number_form: 9,
    })
}

fn c_decode_v(
    input: &CStr,
    catalogue: u32,
    service: u32,
    agent_version: u32,
) -> (aic_status, Box<aic_decoded>) {
    let mut out = garbage_decoded();
    // SAFETY: `input` is NUL-terminated, `out` a valid aic_decoded.
    let status =
        unsafe { aic_decode(input.as_ptr(), catalogue, service, agent_version, &mut *out) };
    (status, out)
}

fn c_decode(input: &CStr, catalogue: u32, service: u32) -> (aic_status, Box<aic_decoded>) {
    c_decode_v(input, catalogue, service, AIC_AGENT_VERSION_ANY)
}

/// `aic_decode_json` with a buffer exactly as large as the document needs (two calls, as the header says).
fn c_decode_json_v(
    input: &CStr,
    catalogue: u32,
    service: u32,
    agent_version: u32,
    seed: u64,
) -> (aic_status, String) {
    let mut needed = usize::MAX;
    // SAFETY: NULL with size 0 is allowed; `needed` is valid.
    let first = unsafe {
        aic_decode_json(
            input.as_ptr(),
            catalogue,
            service,
            agent_version,
            seed,
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
            agent_version,
            seed,
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

fn c_decode_json(input: &CStr, catalogue: u32, service: u32) -> (aic_status, String) {
    c_decode_json_v(input, catalogue, service, AIC_AGENT_VERSION_ANY, 0)
}

/// The decode document built independently of `DecodeReport`, from the public pieces it is made of: each
/// match's own JSON plus `retry`, the retry decision for a first attempt.
fn composed_json(input: &str, options: &DecodeOptions, seed: u64) -> Value {
    match decode_with(input, options) {
        Ok(d) => {
            let matches: Vec<Value> = d
                .iter()
                .map(|m| {
                    let mut v = serde_json::to_value(m).expect("serializes");
                    let mut ctx = Context::new();
                    ctx.service = options.service;
                    let r = retry::decide(m, &ctx, &mut SplitMix64::new(seed));
                    v["retry"] = serde_json::to_value(r).expect("serializes");
                    v
                })
                .collect();
            json!({ "input": input, "matches": matches })
        }
        Err(e) => json!({
            "input": input,
            "matches": [],
            "error": { "kind": e.kind().as_str(), "message": e.to_string() },
        }),
    }
}

fn expected_status(r: &Result<Decoded, azure_iot_codes::Error>) -> aic_status {
    match r {
        Ok(_) => aic_status::AIC_OK,
        Err(e) => aic_status::from_kind(e.kind()),
    }
}

/// Decodes `input` through the C API under one narrowing and compares everything with the Rust API: status,
/// rows, Device Update readings, number, and the JSON document byte for byte.
fn assert_decode_eq_v(input: &str, catalogue: u32, service: u32, agent_version: u32, seed: u64) {
    let mut options = DecodeOptions::new();
    if catalogue != AIC_CATALOGUE_ANY {
        options = options.catalogue(catalogue_of(catalogue).expect("catalogue id"));
    }
    if service != AIC_SERVICE_ANY {
        options = options.service(service_from_id(service).expect("service id"));
    }
    if agent_version != AIC_AGENT_VERSION_ANY {
        options = options.agent_version(agent_version_from_id(agent_version).expect("version id"));
    }
    let at = format!("{input:?} catalogue {catalogue} service {service} agent {agent_version}");
    let c_input = CString::new(input).expect("no NUL");
    let rust = decode_with(input, &options);
    let (status, out) = c_decode_v(&c_input, catalogue, service, agent_version);
    assert_eq!(status, expected_status(&rust), "{at}");
    match &rust {
        Ok(d) => {
            let rows: Vec<&Meaning> = d.iter().map(|m| m.meaning()).collect();
            assert_rows_eq(out.count, &out.rows, &rows, &at);
            for (i, m) in d.iter().enumerate() {
                assert_erc_eq(&out.ercs[i], m.erc().as_ref(), &format!("{at} match {i}"));
            }
            for (i, e) in out.ercs.iter().enumerate().skip(d.len()) {
                assert_erc_eq(e, None, &format!("{at} slot {i}"));
            }
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
        Err(_) => {
            assert_rows_eq(out.count, &out.rows, &[], &at);
            assert!(out.ercs.iter().all(|e| !e.is_erc), "{at}");
        }
    }
    let (json_status, doc) = c_decode_json_v(&c_input, catalogue, service, agent_version, seed);
    assert_eq!(json_status, status, "{at}");
    // Byte for byte the document iotcode prints (it serializes the same DecodeReport, pretty).
    let report = DecodeReport::new(input, &rust, options.service, seed);
    assert_eq!(
        doc,
        serde_json::to_string(&report).expect("serializes"),
        "{at}"
    );
    // And the report is what its parts say.
    let doc: Value = serde_json::from_str(&doc).expect("valid JSON");
    assert_eq!(doc, composed_json(input, &options, seed), "{at}");
}

fn assert_decode_eq(input: &str, catalogue: u32, service: u32) {
    assert_decode_eq_v(input, catalogue, service, AIC_AGENT_VERSION_ANY, 0);
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
    // Signed codes exist (Device Update resultCode -1) and are found by their bits.
    let cancelled = Catalogue::DuResultCode
        .rows()
        .iter()
        .find(|m| m.code() == Code::Signed(-1))
        .expect("resultCode -1");
    let (status, m) = lookup_number(AIC_CATALOGUE_DU_RESULT_CODE, u32::MAX);
    assert_eq!(status, aic_status::AIC_OK);
    assert!(
        m.rows[..m.count]
            .iter()
            .any(|&r| core::ptr::eq(r, row_of(cancelled).unwrap()))
    );
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
        assert_decode_eq_v(
            &n.to_string(),
            AIC_CATALOGUE_ANY,
            AIC_SERVICE_ANY,
            AIC_AGENT_VERSION_ANY,
            7,
        );
        assert_decode_eq(&format!("0x{n:x}"), http, AIC_SERVICE_ANY);
        for s in [
            AIC_SERVICE_IOT_HUB,
            AIC_SERVICE_DPS,
            AIC_SERVICE_IOT_CENTRAL,
            AIC_SERVICE_DEVICE_UPDATE,
        ] {
            assert_decode_eq(&n.to_string(), http, s);
            assert_decode_eq(&n.to_string(), AIC_CATALOGUE_ANY, s);
        }
    }
}

#[test]
fn every_catalogue_code_name_and_alias_matches_the_rust_api() {
    let catalogues: Vec<u32> = Catalogue::ALL.into_iter().map(id_of).collect();
    let mut decoded = 0usize;
    for c in Catalogue::ALL {
        for m in c.rows() {
            if let Some(n) = m.code_bits() {
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
                // Every catalogue filter, and every service filter with no or the row's own catalogue.
                for &id in catalogues.iter().chain(&[AIC_CATALOGUE_ANY]) {
                    assert_decode_eq(name, id, AIC_SERVICE_ANY);
                    decoded += 1;
                }
                for s in 0..Service::ALL.len() as u32 {
                    assert_decode_eq(name, AIC_CATALOGUE_ANY, s);
                    assert_decode_eq(name, id_of(c), s);
                    decoded += 2;
                }
                // Device Update meanings change with the agent version.
                if !m.agent_versions().is_empty() {
                    for v in AgentVersion::ALL {
                        assert_decode_eq_v(
                            name,
                            AIC_CATALOGUE_ANY,
                            AIC_SERVICE_ANY,
                            version_id(v),
                            3,
                        );
                        decoded += 1;
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
                decoded += 1;
            }
        }
    }
    println!("every_catalogue_code_name_and_alias: {decoded} decodes compared");
}

/// A deterministic sample of extended result codes: every facility with the components and values that
/// trigger each special reading (exit codes, errno, extension codes, delta processor, Delivery Optimization
/// HRESULTs of every kind), the legacy layout, and the named codes.
fn erc_sample() -> Vec<u32> {
    let mut codes = Vec::new();
    for facility in 0u32..16 {
        for component in [0u32, 1, 2, 3, 5, 10, 0xFF] {
            for value in [0u32, 1, 7, 8, 0x83, 0xFFF, 0x1000, 0x1028, 0xF_FFFF] {
                codes.push((facility << 28) | (component << 20) | value);
            }
        }
    }
    // Delivery Optimization: HTTP, Win32 and DO-facility HRESULTs (low 28 bits kept under facility 13).
    for hresult in [
        0x8019_0194u32,
        0x8019_01F7,
        0x8007_0005,
        0x80D0_2002,
        0x80D0_0002,
        0xC0D0_0005,
    ] {
        codes.push(0xD000_0000 | (hresult & 0x0FFF_FFFF));
    }
    codes.extend(
        Catalogue::DuExtendedResultCode
            .rows()
            .iter()
            .filter_map(Meaning::code_bits),
    );
    codes.extend([0, 1, u32::MAX, 0x7FFF_FFFF, 0x8000_0000]);
    codes.sort_unstable();
    codes.dedup();
    codes
}

#[test]
fn a_sample_of_extended_result_codes_matches_the_rust_api_under_every_agent_version() {
    let erc = AIC_CATALOGUE_DU_EXTENDED_RESULT_CODE;
    let versions: Vec<u32> = AgentVersion::ALL
        .into_iter()
        .map(version_id)
        .chain([AIC_AGENT_VERSION_ANY])
        .collect();
    let sample = erc_sample();
    for &code in &sample {
        for &v in &versions {
            assert_decode_eq_v(&format!("0x{code:08X}"), erc, AIC_SERVICE_ANY, v, 0);
            // aic_du_erc_parts is the first reading of the hinted decode.
            let mut out = aic_erc::EMPTY;
            // SAFETY: `out` is a valid aic_erc.
            let status = unsafe { aic_du_erc_parts(code, v, &mut out) };
            assert_eq!(status, aic_status::AIC_OK, "{code:#x} {v}");
            let mut options = DecodeOptions::new().catalogue(Catalogue::DuExtendedResultCode);
            if let Some(version) = agent_version_from_id(v) {
                options = options.agent_version(version);
            }
            // (Hex: with the hint, 8 bare decimal digits would read as hex, as agent 1.1.0 writes them.)
            let d = decode_with(&format!("{code:#x}"), &options).expect("every code reads");
            assert_erc_eq(
                &out,
                d[0].erc().as_ref(),
                &format!("aic_du_erc_parts {code:#x} {v}"),
            );
        }
        // The forms a twin and agent 1.1.0 use, without a hint.
        assert_decode_eq(
            &(code as i32).to_string(),
            AIC_CATALOGUE_ANY,
            AIC_SERVICE_ANY,
        );
        assert_decode_eq(&format!("{code:08X}"), AIC_CATALOGUE_ANY, AIC_SERVICE_ANY);
        assert_decode_eq(
            &format!("{code:08X},A0000FFF"),
            AIC_CATALOGUE_ANY,
            AIC_SERVICE_DEVICE_UPDATE,
        );
    }
    println!(
        "extended result codes: {} codes x {} agent versions",
        sample.len(),
        versions.len()
    );
}

fn erc_make(facility: u32, component: u32, value: u32) -> (aic_status, u32) {
    let mut out = 1;
    // SAFETY: `out` is a valid uint32_t.
    let status = unsafe { aic_du_erc_make(facility, component, value, &mut out) };
    (status, out)
}

fn erc_parts(code: u32, agent_version: u32) -> (aic_status, aic_erc) {
    let mut out = aic_erc::EMPTY;
    out.is_erc = true;
    out.facility_name = c"garbage".as_ptr();
    // SAFETY: `out` is a valid aic_erc.
    let status = unsafe { aic_du_erc_parts(code, agent_version, &mut out) };
    (status, out)
}

#[test]
fn du_erc_make_composes_like_the_agent() {
    for (f, c, v) in [
        (3u32, 5u32, 0x1028u32),
        (0, 0, 0),
        (15, 255, 0xF_FFFF),
        (14, 0, 0x83),
    ] {
        let (status, out) = erc_make(f, c, v);
        assert_eq!(status, aic_status::AIC_OK);
        assert_eq!(out, (f << 28) | (c << 20) | v);
        let (status, parts) = erc_parts(out, AIC_AGENT_VERSION_1_1_0);
        assert_eq!(status, aic_status::AIC_OK);
        assert_eq!((parts.facility, parts.value), (f, v));
        assert!(f == 13 || (parts.has_component && parts.component == c));
    }
    for (f, c, v) in [
        (16u32, 0u32, 0u32),
        (0, 256, 0),
        (0, 0, 0x10_0000),
        (u32::MAX, u32::MAX, u32::MAX),
    ] {
        let (status, out) = erc_make(f, c, v);
        assert_eq!(status, aic_status::AIC_ERR_OUT_OF_RANGE, "{f} {c} {v}");
        assert_eq!(out, 0);
    }
    // SAFETY: NULL out-pointers are what is under test.
    unsafe {
        assert_eq!(
            aic_du_erc_make(1, 2, 3, core::ptr::null_mut()),
            aic_status::AIC_ERR_NULL_ARGUMENT
        );
        assert_eq!(
            aic_du_erc_parts(1, AIC_AGENT_VERSION_ANY, core::ptr::null_mut()),
            aic_status::AIC_ERR_NULL_ARGUMENT
        );
    }
    let (status, parts) = erc_parts(1, 8);
    assert_eq!(status, aic_status::AIC_ERR_INVALID_ARGUMENT);
    assert_erc_eq(&parts, None, "cleared on error");
    // The legacy layout: agent 0.7.0 reads 0xE0000083 as errno facility with a 28-bit value.
    let (status, parts) = erc_parts(0xE000_0083, AIC_AGENT_VERSION_0_7_0);
    assert_eq!(status, aic_status::AIC_OK);
    assert_eq!(parts.layout, AIC_DU_LAYOUT_LEGACY);
    assert!(!parts.has_component);
    assert_eq!(parts.value, 0x83);
    assert_eq!(text(parts.hex.as_ptr()), "0xE0000083");
}

#[test]
fn agent_versions_parse_like_the_rust_api() {
    for (id, v) in AgentVersion::ALL.into_iter().enumerate() {
        let id = id as u32;
        assert_eq!(text(aic_agent_version_str(id)), v.as_str());
        assert_eq!(
            u32::from(azure_iot_codes::du::AgentVersions::only(v).bits()),
            1 << id
        );
    }
    for (id, l) in [
        (AIC_DU_LAYOUT_CURRENT, DuLayout::Current),
        (AIC_DU_LAYOUT_LEGACY, DuLayout::Legacy),
    ] {
        assert_eq!(layout_id(l), Some(id));
        assert_eq!(text(aic_du_layout_str(id)), l.as_str());
    }
    assert!(aic_du_layout_str(2).is_null() && aic_du_layout_str(u32::MAX).is_null());
    assert!(
        aic_agent_version_str(8).is_null()
            && aic_agent_version_str(AIC_AGENT_VERSION_ANY).is_null()
    );
    for input in [
        "1.1.0", "1.0.2", "1.0.3", "v0.8", "V1.2.0", "0.6.0", "0.5.0", "", " ", "1.x", "1.2.3.4",
        "99999.0", "100000.0", "1.1.0 ", "a",
    ] {
        let c = CString::new(input).unwrap();
        let mut id = 3;
        // SAFETY: NUL-terminated input, valid out-pointer.
        let status = unsafe { aic_agent_version_from_str(c.as_ptr(), &mut id) };
        match input.parse::<AgentVersion>() {
            Ok(v) => assert_eq!(
                (status, id),
                (aic_status::AIC_OK, version_id(v)),
                "{input:?}"
            ),
            Err(e) => {
                assert_eq!(status, aic_status::from_kind(e.kind()), "{input:?}");
                assert_eq!(id, AIC_AGENT_VERSION_ANY, "{input:?}");
            }
        }
    }
    let mut id = 0;
    // SAFETY: NULL pointers and invalid UTF-8 are what is under test.
    unsafe {
        assert_eq!(
            aic_agent_version_from_str(core::ptr::null(), &mut id),
            aic_status::AIC_ERR_NULL_ARGUMENT
        );
        assert_eq!(id, AIC_AGENT_VERSION_ANY);
        assert_eq!(
            aic_agent_version_from_str(c"1.0".as_ptr(), core::ptr::null_mut()),
            aic_status::AIC_ERR_NULL_ARGUMENT
        );
        assert_eq!(
            aic_agent_version_from_str(c"1.\xff".as_ptr(), &mut id),
            aic_status::AIC_ERR_INVALID_UTF8
        );
    }
    for rc in [i32::MIN, -1, 0, 1, 200, 700, i32::MAX] {
        assert_eq!(
            aic_du_result_code_is_success(rc) == 1,
            azure_iot_codes::du::result_code_is_success(rc)
        );
    }
}

/// The C arguments of one retry question.
#[derive(Clone, Copy, Debug)]
struct RetryArgs<'a> {
    kind: u32,
    code: i64,
    name: Option<&'a CStr>,
    service: u32,
    operation: u32,
    sub_code: Option<&'a CStr>,
    attempt: u32,
    elapsed_ms: u64,
    retry_after: Option<&'a CStr>,
    now_unix: u64,
    seed: u64,
}

impl RetryArgs<'_> {
    fn new(kind: u32, code: i64) -> RetryArgs<'static> {
        RetryArgs {
            kind,
            code,
            name: None,
            service: AIC_SERVICE_ANY,
            operation: AIC_OPERATION_DEVICE,
            sub_code: None,
            attempt: 1,
            elapsed_ms: 0,
            retry_after: None,
            now_unix: 0,
            seed: 0,
        }
    }
}

fn ptr(s: Option<&CStr>) -> *const c_char {
    s.map_or(core::ptr::null(), CStr::as_ptr)
}

fn c_retry(a: &RetryArgs<'_>) -> (aic_status, aic_retry_decision) {
    let mut out = aic_retry_decision {
        action: 99,
        has_delay: true,
        delay_ms: 1,
        retry_after: 99,
        retry_after_honored: true,
        pace: 99,
        service: 99,
        attempt: 99,
        budget_spent: 99,
        rule: c"garbage".as_ptr(),
        reason: c"garbage".as_ptr(),
        basis: c"garbage".as_ptr(),
        row: ROWS.as_ptr(),
    };
    // SAFETY: the strings are NUL-terminated or NULL, `out` is valid.
    let status = unsafe {
        aic_retry_decide(
            a.kind,
            a.code,
            ptr(a.name),
            a.service,
            a.operation,
            ptr(a.sub_code),
            a.attempt,
            a.elapsed_ms,
            ptr(a.retry_after),
            a.now_unix,
            a.seed,
            &mut out,
        )
    };
    (status, out)
}

fn c_next(a: &RetryArgs<'_>, capacity: usize) -> (aic_status, Vec<aic_retry_step>) {
    let filler = aic_retry_step {
        attempt: 77,
        action: 77,
        has_delay: true,
        delay_ms: 77,
    };
    let mut steps = vec![filler; capacity + 2];
    let mut count = 99;
    // SAFETY: the strings are NUL-terminated or NULL; `steps` has more than `capacity` entries.
    let status = unsafe {
        aic_retry_next_delays(
            a.kind,
            a.code,
            ptr(a.name),
            a.service,
            a.operation,
            ptr(a.sub_code),
            a.attempt,
            a.elapsed_ms,
            ptr(a.retry_after),
            a.now_unix,
            a.seed,
            steps.as_mut_ptr(),
            capacity,
            &mut count,
        )
    };
    assert!(
        steps[count..].iter().all(|s| *s == filler),
        "nothing written past count"
    );
    steps.truncate(count);
    (status, steps)
}

/// The Rust outcome and context the C arguments stand for, built with the Rust API's own parsers.
fn rust_request(a: &RetryArgs<'_>) -> (retry::Outcome, Context<'static>) {
    use azure_iot_codes::retry::{Operation, Outcome, SubCode};
    let name = || a.name.unwrap().to_str().unwrap();
    let outcome = match a.kind {
        AIC_OUTCOME_HTTP_STATUS => Outcome::HttpStatus(a.code as u16),
        AIC_OUTCOME_SERVICE_ERROR => Outcome::ServiceError(a.code as u32),
        AIC_OUTCOME_AUTH_SUBERROR => Outcome::AuthSubError(name().parse().unwrap()),
        AIC_OUTCOME_IOT_CENTRAL_STATUS => Outcome::IotCentralStatus(name().parse().unwrap()),
        AIC_OUTCOME_DPS_REGISTRATION_STATUS => {
            Outcome::DpsRegistrationStatus(name().parse().unwrap())
        }
        AIC_OUTCOME_DPS_REGISTRATION_SUBSTATUS => {
            Outcome::DpsRegistrationSubstatus(name().parse().unwrap())
        }
        AIC_OUTCOME_MQTT_CONNACK => Outcome::MqttConnack(a.code as u8),
        AIC_OUTCOME_DU_RESULT_CODE => Outcome::DuResultCode(a.code as i32),
        AIC_OUTCOME_DU_EXTENDED_RESULT_CODE => Outcome::DuExtendedResultCode(
            azure_iot_codes::du::ExtendedResultCode::new(a.code as u32),
        ),
        AIC_OUTCOME_DU_DIAGNOSTICS_RESULT => {
            Outcome::Meaning(&Catalogue::DuDiagnosticsResult.lookup_number(a.code as u32)[0])
        }
        k => panic!("kind {k}"),
    };
    let mut ctx = Context::new()
        .attempt(a.attempt)
        .elapsed(core::time::Duration::from_millis(a.elapsed_ms));
    ctx.service = service_from_id(a.service);
    ctx.operation = if a.operation == AIC_OPERATION_SERVICE_API {
        Operation::ServiceApi
    } else {
        Operation::Device
    };
    ctx.sub_code = a.sub_code.map(|s| {
        let s = s.to_str().unwrap();
        match s.parse::<u32>() {
            Ok(n) => SubCode::ServiceError(n),
            Err(_) => s
                .parse::<azure_iot_codes::AuthSubError>()
                .map(SubCode::from)
                .unwrap_or_else(|_| {
                    SubCode::from(s.parse::<azure_iot_codes::ServiceErrorCode>().unwrap())
                }),
        }
    });
    if let Some(v) = a.retry_after {
        let v: &'static str = Box::leak(v.to_str().unwrap().to_string().into_boxed_str());
        ctx = if v.contains("retry-after=") || v.starts_with("$dps/") {
            ctx.retry_after_from_dps_topic(v)
        } else {
            ctx.retry_after(v)
        };
    }
    if a.now_unix != 0 {
        ctx = ctx.now_unix(a.now_unix);
    }
    (outcome, ctx)
}

/// Asserts that the C decision and schedule equal `Policy::decide` and `Policy::schedule`, field by field
/// (from the public API of `Decision` and its JSON, not through the conversion under test).
fn assert_retry_eq(a: &RetryArgs<'_>) {
    let at = format!("{a:?}");
    let (outcome, ctx) = rust_request(a);
    let policy = azure_iot_codes::retry::Policy::DEFAULT;
    let d = policy.decide(outcome, &ctx, &mut SplitMix64::new(a.seed));
    let (status, c) = c_retry(a);
    assert_eq!(status, aic_status::AIC_OK, "{at}");
    let j = serde_json::to_value(d).unwrap();
    assert_eq!(text(aic_action_str(c.action)), d.action().as_str(), "{at}");
    assert_eq!(
        (c.has_delay, c.delay_ms),
        (d.delay_ms().is_some(), d.delay_ms().unwrap_or(0)),
        "{at}"
    );
    assert_eq!(
        text(aic_retry_after_str(c.retry_after)),
        d.retry_after().as_str(),
        "{at}"
    );
    assert_eq!(c.retry_after_honored, d.retry_after_honored(), "{at}");
    assert_eq!(opt_text(aic_pace_str(c.pace)), j["pace"].as_str(), "{at}");
    assert_eq!(c.pace == AIC_PACE_NONE, d.rule().pace().is_none(), "{at}");
    assert_eq!(service_from_id(c.service), Some(d.service()), "{at}");
    assert_eq!(c.attempt, d.attempt(), "{at}");
    assert_eq!(
        opt_text(aic_budget_str(c.budget_spent)),
        j["budget_spent"].as_str(),
        "{at}"
    );
    assert_eq!(
        c.budget_spent == AIC_BUDGET_NONE,
        d.budget_spent().is_none(),
        "{at}"
    );
    assert_eq!(text(c.rule), d.rule().id(), "{at}");
    assert_eq!(text(c.reason), d.rule().reason(), "{at}");
    assert_eq!(text(c.basis), d.rule().basis(), "{at}");
    match (rust_row(c.row), d.meaning()) {
        (None, None) => {}
        (Some(x), Some(y)) => assert!(core::ptr::eq(x, y), "{at}"),
        (x, y) => panic!("{at}: row {x:?} vs {y:?}"),
    }
    // The schedule after the first decision.
    let mut rng = SplitMix64::new(a.seed);
    let expected: Vec<(u32, &str, Option<u64>)> = policy
        .schedule(outcome, ctx, &mut rng)
        .skip(1)
        .map(|d| (d.attempt(), d.action().as_str(), d.delay_ms()))
        .collect();
    assert!(expected.len() <= AIC_RETRY_MAX_STEPS, "{at}");
    for capacity in [0, 1, 3, AIC_RETRY_MAX_STEPS] {
        let (status, steps) = c_next(a, capacity);
        assert_eq!(status, aic_status::AIC_OK, "{at}");
        let got: Vec<(u32, &str, Option<u64>)> = steps
            .iter()
            .map(|s| {
                assert!(s.has_delay || s.delay_ms == 0, "{at}");
                (
                    s.attempt,
                    text(aic_action_str(s.action)),
                    s.has_delay.then_some(s.delay_ms),
                )
            })
            .collect();
        assert_eq!(
            got,
            expected[..capacity.min(expected.len())],
            "{at} capacity {capacity}"
        );
    }
}

#[test]
fn retry_decisions_match_the_rust_api_for_every_status_and_service() {
    let services: Vec<u32> = (0..Service::ALL.len() as u32)
        .chain([AIC_SERVICE_ANY])
        .collect();
    let retry_afters: [Option<&CStr>; 5] = [
        None,
        Some(c"5"),
        Some(c"later"),
        Some(c"$dps/registrations/res/429/?$rid=1&retry-after=3"),
        Some(c"Sun, 06 Nov 1994 08:49:37 GMT"),
    ];
    let mut n = 0;
    for status in 100i64..=599 {
        for &service in &services {
            for (attempt, elapsed_ms) in [(1, 0), (3, 20_000), (10, 0), (2, 239_000)] {
                for (i, retry_after) in retry_afters.iter().enumerate() {
                    let mut a = RetryArgs::new(AIC_OUTCOME_HTTP_STATUS, status);
                    a.service = service;
                    a.attempt = attempt;
                    a.elapsed_ms = elapsed_ms;
                    a.retry_after = *retry_after;
                    a.seed = status as u64 * 31 + i as u64;
                    a.now_unix = if i == 4 { 784_111_000 } else { 0 };
                    a.operation = if status % 7 == 0 {
                        AIC_OPERATION_SERVICE_API
                    } else {
                        AIC_OPERATION_DEVICE
                    };
                    assert_retry_eq(&a);
                    n += 1;
                }
            }
        }
    }
    println!("retry: {n} HTTP status questions compared");
}

#[test]
fn retry_decisions_match_the_rust_api_for_every_catalogue_row() {
    let mut n = 0;
    let sub_codes: [Option<&CStr>; 4] = [
        None,
        Some(c"400209"),
        Some(c"DEVICE_DISABLED"),
        Some(c"DeviceNotFound"),
    ];
    for m in Catalogue::ServiceError.rows() {
        for (i, sub) in sub_codes.iter().enumerate() {
            let mut a =
                RetryArgs::new(AIC_OUTCOME_SERVICE_ERROR, i64::from(m.code_bits().unwrap()));
            a.sub_code = *sub;
            a.service = [
                AIC_SERVICE_ANY,
                AIC_SERVICE_IOT_HUB,
                AIC_SERVICE_DPS,
                AIC_SERVICE_IOT_CENTRAL,
            ][i];
            assert_retry_eq(&a);
            n += 1;
        }
    }
    for (kind, catalogue) in [
        (AIC_OUTCOME_AUTH_SUBERROR, Catalogue::AuthSubError),
        (AIC_OUTCOME_IOT_CENTRAL_STATUS, Catalogue::IotCentralStatus),
        (
            AIC_OUTCOME_DPS_REGISTRATION_STATUS,
            Catalogue::DpsRegistrationStatus,
        ),
        (
            AIC_OUTCOME_DPS_REGISTRATION_SUBSTATUS,
            Catalogue::DpsRegistrationSubstatus,
        ),
    ] {
        for m in catalogue.rows() {
            let mut names = vec![m.code().to_string(), m.name().to_ascii_lowercase()];
            names.extend(m.aliases().iter().map(|a| a.to_string()));
            for name in names {
                let name = CString::new(name).unwrap();
                for service in [AIC_SERVICE_ANY, AIC_SERVICE_IOT_CENTRAL, AIC_SERVICE_DPS] {
                    let mut a = RetryArgs::new(kind, -5);
                    a.name = Some(&name);
                    a.service = service;
                    assert_retry_eq(&a);
                    n += 1;
                }
            }
        }
    }
    for code in 0i64..=255 {
        assert_retry_eq(&RetryArgs::new(AIC_OUTCOME_MQTT_CONNACK, code));
        n += 1;
    }
    for m in Catalogue::DuResultCode.rows() {
        let code = i64::from(m.code_bits().unwrap() as i32);
        assert_retry_eq(&RetryArgs::new(AIC_OUTCOME_DU_RESULT_CODE, code));
        n += 1;
    }
    for code in [i64::from(i32::MIN), -2, 0, 1, 2, 12345, i64::from(i32::MAX)] {
        assert_retry_eq(&RetryArgs::new(AIC_OUTCOME_DU_RESULT_CODE, code));
        n += 1;
    }
    for m in Catalogue::DuDiagnosticsResult.rows() {
        let code = i64::from(m.code_bits().unwrap() as i32);
        assert_retry_eq(&RetryArgs::new(AIC_OUTCOME_DU_DIAGNOSTICS_RESULT, code));
        n += 1;
    }
    for code in erc_sample() {
        assert_retry_eq(&RetryArgs::new(
            AIC_OUTCOME_DU_EXTENDED_RESULT_CODE,
            i64::from(code),
        ));
        // The signed form a twin shows reads the same.
        let signed = RetryArgs::new(AIC_OUTCOME_DU_EXTENDED_RESULT_CODE, i64::from(code as i32));
        assert_eq!(
            format!("{:?}", c_retry(&signed)),
            format!(
                "{:?}",
                c_retry(&RetryArgs::new(
                    AIC_OUTCOME_DU_EXTENDED_RESULT_CODE,
                    i64::from(code)
                ))
            )
        );
        n += 2;
    }
    println!("retry: {n} catalogue questions compared");
}

#[test]
fn retry_bad_arguments_are_statuses() {
    use aic_status::*;
    let cases: Vec<(RetryArgs<'static>, aic_status)> = vec![
        (
            RetryArgs::new(AIC_OUTCOME_HTTP_STATUS, 65_536),
            AIC_ERR_OUT_OF_RANGE,
        ),
        (
            RetryArgs::new(AIC_OUTCOME_HTTP_STATUS, -1),
            AIC_ERR_OUT_OF_RANGE,
        ),
        (
            RetryArgs::new(AIC_OUTCOME_SERVICE_ERROR, 1 << 32),
            AIC_ERR_OUT_OF_RANGE,
        ),
        (
            RetryArgs::new(AIC_OUTCOME_MQTT_CONNACK, 256),
            AIC_ERR_OUT_OF_RANGE,
        ),
        (
            RetryArgs::new(AIC_OUTCOME_DU_RESULT_CODE, 1 << 31),
            AIC_ERR_OUT_OF_RANGE,
        ),
        (
            RetryArgs::new(AIC_OUTCOME_DU_EXTENDED_RESULT_CODE, 1 << 32),
            AIC_ERR_OUT_OF_RANGE,
        ),
        (
            RetryArgs::new(AIC_OUTCOME_DU_EXTENDED_RESULT_CODE, -(1 << 31) - 1),
            AIC_ERR_OUT_OF_RANGE,
        ),
        (
            RetryArgs::new(AIC_OUTCOME_DU_DIAGNOSTICS_RESULT, 424_242),
            AIC_ERR_NOT_FOUND,
        ),
        (
            RetryArgs::new(AIC_OUTCOME_AUTH_SUBERROR, 0),
            AIC_ERR_NULL_ARGUMENT,
        ),
        (
            RetryArgs {
                name: Some(c"NO_SUCH"),
                ..RetryArgs::new(AIC_OUTCOME_AUTH_SUBERROR, 0)
            },
            AIC_ERR_NOT_FOUND,
        ),
        (
            RetryArgs {
                name: Some(c" "),
                ..RetryArgs::new(AIC_OUTCOME_DPS_REGISTRATION_STATUS, 0)
            },
            AIC_ERR_EMPTY,
        ),
        (
            RetryArgs {
                name: Some(c"assign\xffing"),
                ..RetryArgs::new(AIC_OUTCOME_DPS_REGISTRATION_STATUS, 0)
            },
            AIC_ERR_INVALID_UTF8,
        ),
        (RetryArgs::new(10, 0), AIC_ERR_INVALID_ARGUMENT),
        (RetryArgs::new(u32::MAX, 0), AIC_ERR_INVALID_ARGUMENT),
        (
            RetryArgs {
                service: 4,
                ..RetryArgs::new(AIC_OUTCOME_HTTP_STATUS, 429)
            },
            AIC_ERR_UNKNOWN_SERVICE,
        ),
        (
            RetryArgs {
                operation: 2,
                ..RetryArgs::new(AIC_OUTCOME_HTTP_STATUS, 429)
            },
            AIC_ERR_INVALID_ARGUMENT,
        ),
        (
            RetryArgs {
                sub_code: Some(c"4002"),
                ..RetryArgs::new(AIC_OUTCOME_HTTP_STATUS, 401)
            },
            AIC_ERR_OUT_OF_RANGE,
        ),
        (
            RetryArgs {
                sub_code: Some(c"NoSuchCode"),
                ..RetryArgs::new(AIC_OUTCOME_HTTP_STATUS, 401)
            },
            AIC_ERR_NOT_FOUND,
        ),
        (
            RetryArgs {
                sub_code: Some(c""),
                ..RetryArgs::new(AIC_OUTCOME_HTTP_STATUS, 401)
            },
            AIC_ERR_EMPTY,
        ),
        (
            RetryArgs {
                retry_after: Some(c"5\xff"),
                ..RetryArgs::new(AIC_OUTCOME_HTTP_STATUS, 429)
            },
            AIC_ERR_INVALID_UTF8,
        ),
    ];
    for (a, want) in cases {
        let (status, d) = c_retry(&a);
        assert_eq!(status, want, "{a:?}");
        assert!(
            d.action == AIC_ACTION_NONE
                && !d.has_delay
                && d.rule.is_null()
                && d.reason.is_null()
                && d.row.is_null(),
            "{a:?}: cleared"
        );
        let (status, steps) = c_next(&a, 4);
        assert_eq!(status, want, "{a:?}");
        assert!(steps.is_empty());
    }
    let a = RetryArgs::new(AIC_OUTCOME_HTTP_STATUS, 503);
    // SAFETY: NULL out-pointers are what is under test; the rest is valid.
    unsafe {
        assert_eq!(
            aic_retry_decide(
                0,
                503,
                core::ptr::null(),
                AIC_SERVICE_ANY,
                0,
                core::ptr::null(),
                1,
                0,
                core::ptr::null(),
                0,
                0,
                core::ptr::null_mut()
            ),
            AIC_ERR_NULL_ARGUMENT
        );
        let mut count = 5;
        assert_eq!(
            aic_retry_next_delays(
                0,
                503,
                core::ptr::null(),
                AIC_SERVICE_ANY,
                0,
                core::ptr::null(),
                1,
                0,
                core::ptr::null(),
                0,
                0,
                core::ptr::null_mut(),
                3,
                &mut count
            ),
            AIC_ERR_NULL_ARGUMENT
        );
        assert_eq!(count, 0);
        assert_eq!(
            aic_retry_next_delays(
                0,
                503,
                core::ptr::null(),
                AIC_SERVICE_ANY,
                0,
                core::ptr::null(),
                1,
                0,
                core::ptr::null(),
                0,
                0,
                core::ptr::null_mut(),
                0,
                core::ptr::null_mut()
            ),
            AIC_ERR_NULL_ARGUMENT
        );
        assert_eq!(
            aic_retry_next_delays(
                0,
                503,
                core::ptr::null(),
                AIC_SERVICE_ANY,
                0,
                core::ptr::null(),
                1,
                0,
                core::ptr::null(),
                0,
                0,
                core::ptr::null_mut(),
                0,
                &mut count
            ),
            AIC_OK
        );
        assert_eq!(count, 0);
    }
    // A 503 backs off until the time budget ends it; polling a DPS assignment (2-3 s) until the attempt budget
    // does: 9 steps after the first, the last one give-up.
    let (_, steps) = c_next(&a, AIC_RETRY_MAX_STEPS + 5);
    assert!(steps.len() < AIC_RETRY_MAX_STEPS);
    assert_eq!(steps.last().map(|s| s.action), Some(AIC_ACTION_GIVE_UP));
    let assigning = RetryArgs {
        name: Some(c"assigning"),
        ..RetryArgs::new(AIC_OUTCOME_DPS_REGISTRATION_STATUS, 0)
    };
    let (_, steps) = c_next(&assigning, AIC_RETRY_MAX_STEPS + 5);
    assert_eq!(steps.len(), AIC_RETRY_MAX_STEPS);
    assert!(
        steps[..AIC_RETRY_MAX_STEPS - 1]
            .iter()
            .all(|s| s.has_delay && (2000..=3000).contains(&s.delay_ms))
    );
    assert_eq!(
        steps.last().map(|s| (s.action, s.has_delay)),
        Some((AIC_ACTION_GIVE_UP, false))
    );
}

#[test]
fn retry_ids_and_names_match_the_rust_enums() {
    use azure_iot_codes::retry::{Action, Pace};
    for (i, a) in Action::ALL.into_iter().enumerate() {
        assert_eq!(text(aic_action_str(i as u32)), a.as_str());
    }
    assert_eq!(
        [
            AIC_ACTION_NONE,
            AIC_ACTION_RETRY,
            AIC_ACTION_RE_REGISTER,
            AIC_ACTION_STATUS_LOOKUP,
            AIC_ACTION_RENEW_CREDENTIALS,
            AIC_ACTION_FIX_REQUEST,
            AIC_ACTION_OPERATOR_ACTION,
            AIC_ACTION_CONTACT_SUPPORT,
            AIC_ACTION_GIVE_UP
        ],
        [0, 1, 2, 3, 4, 5, 6, 7, 8]
    );
    assert_eq!(Action::ALL.len(), 9);
    assert!(aic_action_str(9).is_null() && aic_action_str(u32::MAX).is_null());
    for (id, p) in [
        (AIC_PACE_NORMAL, Pace::Normal),
        (AIC_PACE_THROTTLED, Pace::Throttled),
        (AIC_PACE_POLL, Pace::Poll),
    ] {
        assert_eq!(text(aic_pace_str(id)), p.as_str());
    }
    assert!(aic_pace_str(AIC_PACE_NONE).is_null() && aic_pace_str(4).is_null());
    assert_eq!(text(aic_budget_str(AIC_BUDGET_ATTEMPTS)), "attempts");
    assert_eq!(text(aic_budget_str(AIC_BUDGET_ELAPSED)), "elapsed");
    assert!(aic_budget_str(AIC_BUDGET_NONE).is_null() && aic_budget_str(3).is_null());
    for (id, s) in [
        (AIC_RETRY_AFTER_ABSENT, "absent"),
        (AIC_RETRY_AFTER_HONORED, "honored"),
        (AIC_RETRY_AFTER_CLAMPED, "clamped"),
        (AIC_RETRY_AFTER_INVALID, "invalid"),
        (AIC_RETRY_AFTER_NOT_WAITING, "not-waiting"),
        (AIC_RETRY_AFTER_DISABLED, "disabled"),
    ] {
        assert_eq!(text(aic_retry_after_str(id)), s);
    }
    assert!(aic_retry_after_str(6).is_null());
    // Every outcome id is the catalogue id of its codes.
    for (kind, c) in [
        (AIC_OUTCOME_HTTP_STATUS, Catalogue::HttpStatus),
        (AIC_OUTCOME_SERVICE_ERROR, Catalogue::ServiceError),
        (AIC_OUTCOME_AUTH_SUBERROR, Catalogue::AuthSubError),
        (AIC_OUTCOME_IOT_CENTRAL_STATUS, Catalogue::IotCentralStatus),
        (
            AIC_OUTCOME_DPS_REGISTRATION_STATUS,
            Catalogue::DpsRegistrationStatus,
        ),
        (
            AIC_OUTCOME_DPS_REGISTRATION_SUBSTATUS,
            Catalogue::DpsRegistrationSubstatus,
        ),
        (AIC_OUTCOME_MQTT_CONNACK, Catalogue::MqttConnack),
        (AIC_OUTCOME_DU_RESULT_CODE, Catalogue::DuResultCode),
        (
            AIC_OUTCOME_DU_EXTENDED_RESULT_CODE,
            Catalogue::DuExtendedResultCode,
        ),
        (
            AIC_OUTCOME_DU_DIAGNOSTICS_RESULT,
            Catalogue::DuDiagnosticsResult,
        ),
    ] {
        assert_eq!(kind, id_of(c));
    }
    // Every rule has its strings.
    for (i, r) in azure_iot_codes::retry::Rule::all().iter().enumerate() {
        assert_eq!(RULE_IDS[i].to_str().unwrap(), r.id());
        assert_eq!(RULE_REASONS[i].to_str().unwrap(), r.reason());
        assert_eq!(RULE_BASES[i].to_str().unwrap(), r.basis());
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
        "30501028,",
        ",",
        "30501028,A0000FFF,ZZZ",
        "1,2,3,4,5,6,7,8,9,10",
        "ADUC_ERC_NOMEM",
        "-536870781",
        "A0000FFF",
        "700",
    ];
    for input in inputs {
        for id in [
            AIC_CATALOGUE_ANY,
            AIC_CATALOGUE_SERVICE_ERROR,
            AIC_CATALOGUE_MQTT_CONNACK,
            AIC_CATALOGUE_DU_EXTENDED_RESULT_CODE,
        ] {
            for s in [AIC_SERVICE_ANY, AIC_SERVICE_DEVICE_UPDATE] {
                for v in [
                    AIC_AGENT_VERSION_ANY,
                    AIC_AGENT_VERSION_0_7_0,
                    AIC_AGENT_VERSION_1_1_0,
                ] {
                    assert_decode_eq_v(input, id, s, v, 1);
                }
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
        (AIC_CATALOGUE_DU_RESULT_CODE, Catalogue::DuResultCode),
        (
            AIC_CATALOGUE_DU_EXTENDED_RESULT_CODE,
            Catalogue::DuExtendedResultCode,
        ),
        (
            AIC_CATALOGUE_DU_DIAGNOSTICS_RESULT,
            Catalogue::DuDiagnosticsResult,
        ),
        (AIC_CATALOGUE_DU_ERC_PATTERN, Catalogue::DuErcPattern),
        (AIC_CATALOGUE_DU_EXTENSION_CODE, Catalogue::DuExtensionCode),
        (AIC_CATALOGUE_POSIX_ERRNO, Catalogue::PosixErrno),
        (AIC_CATALOGUE_DO_HRESULT, Catalogue::DoHresult),
        (
            AIC_CATALOGUE_IOT_CENTRAL_UNMODELED_CAUSE,
            Catalogue::IotCentralUnmodeledCause,
        ),
        (
            AIC_CATALOGUE_IOT_CENTRAL_EXPORT,
            Catalogue::IotCentralExport,
        ),
        (AIC_CATALOGUE_DPS_METRIC, Catalogue::DpsMetric),
        (AIC_CATALOGUE_DPS_LOG_CATEGORY, Catalogue::DpsLogCategory),
    ];
    // Every catalogue has a constant.
    assert_eq!(catalogues.len(), Catalogue::ALL.len());
    assert_eq!(aic_catalogue_count() as usize, Catalogue::ALL.len());
    for (i, (id, c)) in catalogues.into_iter().enumerate() {
        assert_eq!(id as usize, i, "ids are 0..count in Catalogue::ALL order");
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
        (aic_status::AIC_ERR_TOO_LARGE, ErrorKind::TooLarge),
        (aic_status::AIC_ERR_TOO_DEEP, ErrorKind::TooDeep),
        (aic_status::AIC_ERR_TRUNCATED, ErrorKind::Truncated),
        (aic_status::AIC_ERR_INVALID_JSON, ErrorKind::InvalidJson),
        (aic_status::AIC_ERR_INVALID_TOPIC, ErrorKind::InvalidTopic),
        (aic_status::AIC_ERR_INVALID_CSV, ErrorKind::InvalidCsv),
        (aic_status::AIC_ERR_UNKNOWN_SHAPE, ErrorKind::UnknownShape),
        (aic_status::AIC_ERR_INVALID_FIELD, ErrorKind::InvalidField),
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
    let decoded = &mut *decoded;
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
            aic_lookup_number(18, 200, &mut matches),
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
                AIC_AGENT_VERSION_ANY,
                decoded
            ),
            AIC_ERR_NULL_ARGUMENT
        );
        assert_eq!(
            aic_decode(
                c"404".as_ptr(),
                AIC_CATALOGUE_ANY,
                AIC_SERVICE_ANY,
                AIC_AGENT_VERSION_ANY,
                core::ptr::null_mut()
            ),
            AIC_ERR_NULL_ARGUMENT
        );
        assert_eq!(
            aic_decode(
                c"404".as_ptr(),
                18,
                AIC_SERVICE_ANY,
                AIC_AGENT_VERSION_ANY,
                decoded
            ),
            AIC_ERR_UNKNOWN_CATALOGUE
        );
        assert_eq!(
            aic_decode(
                c"404".as_ptr(),
                AIC_CATALOGUE_ANY,
                4,
                AIC_AGENT_VERSION_ANY,
                decoded
            ),
            AIC_ERR_UNKNOWN_SERVICE
        );
        assert_eq!(
            aic_decode(
                c"404".as_ptr(),
                AIC_CATALOGUE_ANY,
                AIC_SERVICE_ANY,
                8,
                decoded
            ),
            AIC_ERR_INVALID_ARGUMENT
        );
        assert!(decoded.count == 0 && !decoded.is_number);
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
            aic_catalogue_rows(18, &mut rows, &mut n),
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
                AIC_AGENT_VERSION_ANY,
                0,
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
                AIC_AGENT_VERSION_ANY,
                0,
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
                AIC_AGENT_VERSION_ANY,
                0,
                b,
                8,
                &mut needed
            ),
            AIC_ERR_NULL_ARGUMENT
        );
        assert_eq!((buf[0], needed), (0, 0));
        assert_eq!(
            aic_decode_json(
                c"404".as_ptr(),
                42,
                AIC_SERVICE_ANY,
                AIC_AGENT_VERSION_ANY,
                0,
                b,
                8,
                &mut needed
            ),
            AIC_ERR_UNKNOWN_CATALOGUE
        );
        assert_eq!((buf[0], needed), (0, 0));
        buf[0] = 0x55;
        assert_eq!(
            aic_decode_json(
                c"404".as_ptr(),
                AIC_CATALOGUE_ANY,
                AIC_SERVICE_ANY,
                42,
                0,
                b,
                8,
                &mut needed
            ),
            AIC_ERR_INVALID_ARGUMENT
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
            AIC_AGENT_VERSION_ANY,
            0,
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
        (c"0x30501028", aic_status::AIC_OK),
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
                let rows: Vec<&Meaning> = rust
                    .as_ref()
                    .map(|d| d.iter().map(|m| m.meaning()).collect())
                    .unwrap_or_default();
                assert_rows_eq(out.count, &out.rows, &rows, s);
                for (i, m) in rust.iter().flat_map(|d| d.iter()).enumerate() {
                    assert_erc_eq(&out.ercs[i], m.erc().as_ref(), s);
                }
            }
        }
    }

    /// Code-shaped text (numbers in every form, "<n> <word>", Device Update hex lists) decodes like the Rust
    /// API under any narrowing, JSON included.
    #[test]
    fn code_shaped_text_decodes_like_the_rust_api(
        n in any::<u32>(),
        m in any::<u32>(),
        form in 0..6u8,
        word in "[A-Za-z ]{0,12}",
        catalogue in 0u32..16,
        service in 0u32..6,
        version in 0u32..10,
        seed in any::<u64>(),
    ) {
        let input = match form {
            0 => n.to_string(),
            1 => format!("0x{n:X}"),
            2 => format!("-{}", n % 2_147_483_648),
            3 => format!("{n:08X}"),
            4 => format!("{n:08X},{m:08X}"),
            _ => format!("{} {word}", n % 1000),
        };
        let any = |v: u32, count: usize, none: u32| if v as usize >= count { none } else { v };
        assert_decode_eq_v(
            &input,
            any(catalogue, Catalogue::ALL.len(), AIC_CATALOGUE_ANY),
            any(service, Service::ALL.len(), AIC_SERVICE_ANY),
            any(version, AgentVersion::ALL.len(), AIC_AGENT_VERSION_ANY),
            seed,
        );
    }

    /// Any 32-bit value reads through aic_du_erc_parts as the hinted decode reads it first.
    #[test]
    fn any_code_reads_like_the_rust_api(code in any::<u32>(), version in 0u32..9) {
        let v = if version == 8 { AIC_AGENT_VERSION_ANY } else { version };
        let mut out = aic_erc::EMPTY;
        // SAFETY: `out` is valid.
        prop_assert_eq!(unsafe { aic_du_erc_parts(code, v, &mut out) }, aic_status::AIC_OK);
        let mut options = DecodeOptions::new().catalogue(Catalogue::DuExtendedResultCode);
        if let Some(version) = agent_version_from_id(v) {
            options = options.agent_version(version);
        }
        let d = decode_with(&format!("0x{code:X}"), &options).expect("every code reads");
        assert_erc_eq(&out, d[0].erc().as_ref(), &format!("{code:#x} {v}"));
    }

    /// Any retry question on raw values answers like the Rust API.
    #[test]
    fn any_retry_question_answers_like_the_rust_api(
        kind in prop_oneof![Just(AIC_OUTCOME_HTTP_STATUS), Just(AIC_OUTCOME_SERVICE_ERROR),
                            Just(AIC_OUTCOME_MQTT_CONNACK), Just(AIC_OUTCOME_DU_RESULT_CODE),
                            Just(AIC_OUTCOME_DU_EXTENDED_RESULT_CODE)],
        raw in any::<u32>(),
        service in 0u32..5,
        attempt in 0u32..14,
        elapsed_ms in 0u64..300_000,
        retry_after in proptest::option::of("[0-9]{1,4}|[a-z ]{0,6}"),
        seed in any::<u64>(),
    ) {
        let code = match kind {
            AIC_OUTCOME_HTTP_STATUS => i64::from(raw % 65_536),
            AIC_OUTCOME_MQTT_CONNACK => i64::from(raw % 256),
            AIC_OUTCOME_DU_RESULT_CODE => i64::from(raw as i32),
            _ => i64::from(raw),
        };
        let retry_after = retry_after.map(|s| CString::new(s).unwrap());
        let a = RetryArgs {
            service: if service == 4 { AIC_SERVICE_ANY } else { service },
            attempt,
            elapsed_ms,
            retry_after: retry_after.as_deref(),
            seed,
            ..RetryArgs::new(kind, code)
        };
        assert_retry_eq(&a);
    }

    /// Any buffer size: nothing written past it, always terminated, a prefix of the whole document.
    #[test]
    fn any_buffer_size_follows_snprintf(pick in 0usize..2000, size in 0usize..4096) {
        let m = &ROWS[pick % ROWS.len()];
        let input = CString::new(text(m.name)).unwrap();
        let (_, whole) = c_decode_json(&input, AIC_CATALOGUE_ANY, AIC_SERVICE_ANY);
        json_with_size(&input, size, &whole);
    }
}

/// `aic_decode_payload_json` with a buffer exactly as large as the document needs (two calls, as the header
/// says), and the document checked against the snprintf contract at every size around its length.
#[allow(clippy::too_many_arguments)]
fn c_payload_json_v(
    input: &[u8],
    catalogue: u32,
    service: u32,
    agent_version: u32,
    seed: u64,
    retry_after: Option<&CStr>,
    now_unix: u64,
) -> (aic_status, String) {
    let call = |buf: *mut c_char, size: usize, needed: *mut usize| {
        // SAFETY: `input` is a live slice; `retry_after` NULL or NUL-terminated; the callers pass a buffer of
        // `size` writable bytes (or NULL and 0) and a valid `needed`.
        unsafe {
            aic_decode_payload_json(
                input.as_ptr(),
                input.len(),
                catalogue,
                service,
                agent_version,
                seed,
                ptr(retry_after),
                now_unix,
                buf,
                size,
                needed,
            )
        }
    };
    let mut needed = usize::MAX;
    let first = call(core::ptr::null_mut(), 0, &mut needed);
    if needed == 0 {
        return (first, String::new());
    }
    assert_eq!(first, aic_status::AIC_ERR_BUFFER_TOO_SMALL);
    let mut buf = vec![0x55u8; needed + 1];
    let mut again = 0;
    let status = call(buf.as_mut_ptr().cast(), buf.len(), &mut again);
    assert_eq!(again, needed);
    assert_eq!(buf[needed], 0, "NUL-terminated");
    buf.truncate(needed);
    (status, String::from_utf8(buf).expect("UTF-8 JSON"))
}

fn c_payload_json(input: &str) -> (aic_status, String) {
    c_payload_json_v(
        input.as_bytes(),
        AIC_CATALOGUE_ANY,
        AIC_SERVICE_ANY,
        AIC_AGENT_VERSION_ANY,
        0,
        None,
        0,
    )
}

/// The document and status the Rust API gives for `input`.
fn rust_payload_json(input: &str, options: &ReportOptions<'_>) -> (aic_status, String) {
    let reading = Reading::read(input, options);
    let doc = serde_json::to_string(&InputReport::new(input, &reading, options)).unwrap();
    let status = reading
        .error()
        .map_or(aic_status::AIC_OK, |e| aic_status::from_kind(e.kind()));
    (status, doc)
}

/// Every file under tests/fixtures: payloads, pasted `az iot central` output, a log operation.
fn fixtures() -> Vec<(String, String)> {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures");
    let mut out = Vec::new();
    for dir in std::fs::read_dir(root).unwrap() {
        for f in std::fs::read_dir(dir.unwrap().path()).unwrap() {
            let path = f.unwrap().path();
            out.push((
                path.display().to_string(),
                std::fs::read_to_string(&path).unwrap(),
            ));
        }
    }
    out.sort();
    assert!(out.len() >= 50, "{} fixtures", out.len());
    out
}

#[test]
fn payload_json_equals_the_rust_document_for_every_fixture_and_narrowing() {
    let date = c"Wed, 21 Oct 2015 07:28:10 GMT";
    for (path, text) in fixtures() {
        // Whole, and cut short (errors: truncated JSON, a topic without its body, ...).
        let cuts = [text.len(), text.len() * 2 / 3, text.len() / 3];
        for cut in cuts.into_iter().filter(|&c| text.is_char_boundary(c)) {
            let input = &text[..cut];
            let narrowings = [
                (
                    AIC_CATALOGUE_ANY,
                    AIC_SERVICE_ANY,
                    AIC_AGENT_VERSION_ANY,
                    0,
                    None,
                    0,
                ),
                (AIC_CATALOGUE_ANY, 1, 6, 42, Some(c"7"), 0),
                (
                    AIC_CATALOGUE_ANY,
                    2,
                    AIC_AGENT_VERSION_ANY,
                    9,
                    Some(date),
                    1_445_412_480,
                ),
                (1, AIC_SERVICE_ANY, AIC_AGENT_VERSION_ANY, 3, None, 0),
            ];
            for (catalogue, service, version, seed, retry_after, now) in narrowings {
                let (status, doc) = c_payload_json_v(
                    input.as_bytes(),
                    catalogue,
                    service,
                    version,
                    seed,
                    retry_after,
                    now,
                );
                let mut decode = DecodeOptions::new();
                decode.catalogue = catalogue_of(catalogue);
                decode.service = Service::ALL.get(service as usize).copied();
                decode.agent_version = AgentVersion::ALL.get(version as usize).copied();
                let mut options = ReportOptions::new().decode(decode).seed(seed);
                options.retry_after = retry_after.map(|r| r.to_str().unwrap());
                options.now_unix = (now != 0).then_some(now);
                assert_eq!(
                    (status, doc),
                    rust_payload_json(input, &options),
                    "{path} cut at {cut}, {catalogue} {service} {version}"
                );
            }
        }
    }
}

#[test]
fn payload_json_of_a_code_is_the_decode_json() {
    let mut inputs: Vec<String> = (100..=599).map(|n| n.to_string()).collect();
    inputs.extend(ROWS.iter().map(|m| text(m.name).to_owned()));
    inputs.extend(["", " ", "4o4", "999", "-1", "0x30501028", "é404"].map(String::from));
    for input in inputs {
        let c_input = CString::new(input.as_str()).unwrap();
        let code = c_decode_json(&c_input, AIC_CATALOGUE_ANY, AIC_SERVICE_ANY);
        // None of these looks like a payload or pasted output, so both functions read them as codes.
        assert_eq!(c_payload_json(&input), code, "{input:?}");
    }
}

#[test]
fn payload_json_reports_what_could_not_be_read() {
    let table = [
        ("{\"errorCode\": 4", aic_status::AIC_ERR_TRUNCATED),
        ("{\"errorCode\": 404001,}", aic_status::AIC_ERR_INVALID_JSON),
        (
            "$dps/registrations/res/abc/?$rid=1",
            aic_status::AIC_ERR_INVALID_TOPIC,
        ),
        ("{\"hello\": 1}", aic_status::AIC_ERR_UNKNOWN_SHAPE),
        ("{\"errorCode\": true}", aic_status::AIC_ERR_INVALID_FIELD),
        ("a,b\n\"1,2", aic_status::AIC_ERR_TRUNCATED),
        ("4o4", aic_status::AIC_ERR_MALFORMED),
        ("", aic_status::AIC_ERR_EMPTY),
        ("{\"errorCode\": 401002}", aic_status::AIC_OK),
        // Read, though a code in it is in no catalogue: AIC_OK, the code's own error in the document.
        ("{\"errorCode\": 999999}", aic_status::AIC_OK),
    ];
    for (input, expected) in table {
        let (status, doc) = c_payload_json(input);
        assert_eq!(status, expected, "{input:?}: {doc}");
        let v: Value = serde_json::from_str(&doc).unwrap();
        assert_eq!(v["input"], input);
        if expected == aic_status::AIC_OK {
            assert!(v.get("error").is_none(), "{doc}");
        } else {
            assert_eq!(v["error"]["kind"], text(aic_status_str(expected as c_int)));
            assert_eq!(v["matches"], json!([]));
        }
    }
    let deep = format!("{}1{}", "{\"a\":".repeat(100), "}".repeat(100));
    assert_eq!(c_payload_json(&deep).0, aic_status::AIC_ERR_TOO_DEEP);
    let big = format!("{{\"message\": \"{}\"}}", "x".repeat(1 << 20));
    assert_eq!(c_payload_json(&big).0, aic_status::AIC_ERR_TOO_LARGE);
    // A NUL byte is part of the text.
    let (status, doc) = c_payload_json("401002\0");
    assert_eq!(status, aic_status::AIC_ERR_MALFORMED, "{doc}");
}

#[test]
fn payload_json_bad_arguments_are_statuses_without_a_document() {
    let input = b"{\"errorCode\": 401002}";
    let mut buf = [0x55u8; 512];
    let mut needed = 77usize;
    let call = |input: *const u8,
                len: usize,
                ids: (u32, u32, u32),
                retry_after: *const c_char,
                buf: *mut c_char,
                size: usize,
                needed: *mut usize| {
        // SAFETY: every pointer is NULL or valid for what the header requires of it.
        unsafe {
            aic_decode_payload_json(
                input,
                len,
                ids.0,
                ids.1,
                ids.2,
                0,
                retry_after,
                0,
                buf,
                size,
                needed,
            )
        }
    };
    let any = (AIC_CATALOGUE_ANY, AIC_SERVICE_ANY, AIC_AGENT_VERSION_ANY);
    let null = core::ptr::null::<c_char>();
    let bp: *mut c_char = buf.as_mut_ptr().cast();
    /// input, input_len, (catalogue, service, agent_version), retry_after, the status expected.
    type Case = (*const u8, usize, (u32, u32, u32), *const c_char, aic_status);
    let cases: [Case; 9] = [
        (
            core::ptr::null(),
            0,
            any,
            null,
            aic_status::AIC_ERR_NULL_ARGUMENT,
        ),
        (
            core::ptr::null(),
            4,
            any,
            null,
            aic_status::AIC_ERR_NULL_ARGUMENT,
        ),
        (
            b"\xff{".as_ptr(),
            2,
            any,
            null,
            aic_status::AIC_ERR_INVALID_UTF8,
        ),
        (
            b"{\"a\":\"\xc3\"}".as_ptr(),
            9,
            any,
            null,
            aic_status::AIC_ERR_INVALID_UTF8,
        ),
        (
            input.as_ptr(),
            input.len(),
            any,
            c"\xff".as_ptr(),
            aic_status::AIC_ERR_INVALID_UTF8,
        ),
        (
            input.as_ptr(),
            usize::MAX,
            any,
            null,
            aic_status::AIC_ERR_INVALID_ARGUMENT,
        ),
        (
            input.as_ptr(),
            input.len(),
            (99, AIC_SERVICE_ANY, AIC_AGENT_VERSION_ANY),
            null,
            aic_status::AIC_ERR_UNKNOWN_CATALOGUE,
        ),
        (
            input.as_ptr(),
            input.len(),
            (AIC_CATALOGUE_ANY, 9, AIC_AGENT_VERSION_ANY),
            null,
            aic_status::AIC_ERR_UNKNOWN_SERVICE,
        ),
        (
            input.as_ptr(),
            input.len(),
            (AIC_CATALOGUE_ANY, AIC_SERVICE_ANY, 8),
            null,
            aic_status::AIC_ERR_INVALID_ARGUMENT,
        ),
    ];
    for (i, (p, len, ids, retry_after, expected)) in cases.into_iter().enumerate() {
        buf = [0x55; 512];
        needed = 77;
        assert_eq!(
            call(p, len, ids, retry_after, bp, buf.len(), &mut needed),
            expected,
            "case {i}"
        );
        assert_eq!((buf[0], needed), (0, 0), "case {i}: no document");
    }
    // NULL needed: a status, and the buffer still terminated.
    buf = [0x55; 512];
    let status = call(
        input.as_ptr(),
        input.len(),
        any,
        null,
        bp,
        buf.len(),
        core::ptr::null_mut(),
    );
    assert_eq!((status, buf[0]), (aic_status::AIC_ERR_NULL_ARGUMENT, 0));
    // NULL buffer with a size.
    let status = call(
        input.as_ptr(),
        input.len(),
        any,
        null,
        core::ptr::null_mut(),
        8,
        &mut needed,
    );
    assert_eq!((status, needed), (aic_status::AIC_ERR_NULL_ARGUMENT, 0));
    // An empty input is text: the document says so.
    let status = call(b"".as_ptr(), 0, any, null, bp, buf.len(), &mut needed);
    assert_eq!(status, aic_status::AIC_ERR_EMPTY);
    assert!(needed > 0);
    // A Retry-After that cannot be read is not an argument error.
    let (status, doc) = c_payload_json_v(
        b"503",
        AIC_CATALOGUE_ANY,
        AIC_SERVICE_ANY,
        AIC_AGENT_VERSION_ANY,
        0,
        Some(c"soon"),
        0,
    );
    assert_eq!(status, aic_status::AIC_OK);
    assert!(doc.contains("\"retry_after\":\"invalid\""), "{doc}");
}

#[test]
fn payload_json_buffer_of_every_size_follows_snprintf() {
    let fixture = include_str!("../../../tests/fixtures/payload/dps-topic-200-failed-400209.txt");
    for input in [
        fixture,
        "{\"errorCode\": 4",
        "{\"message\": \"é\u{1F600}\", \"errorCode\": 404001}",
    ] {
        let (final_status, whole) = c_payload_json(input);
        for size in 0..whole.len() + 4 {
            let mut storage = vec![0xA5u8; size + 16];
            let mut needed = 0;
            // SAFETY: `storage` has at least `size` writable bytes; `input` is a live string.
            let status = unsafe {
                aic_decode_payload_json(
                    input.as_ptr(),
                    input.len(),
                    AIC_CATALOGUE_ANY,
                    AIC_SERVICE_ANY,
                    AIC_AGENT_VERSION_ANY,
                    0,
                    core::ptr::null(),
                    0,
                    storage.as_mut_ptr().cast(),
                    size,
                    &mut needed,
                )
            };
            assert_eq!(needed, whole.len());
            assert!(
                storage[size..].iter().all(|&b| b == 0xA5),
                "wrote past {size}"
            );
            if size > whole.len() {
                assert_eq!(status, final_status);
            } else {
                assert_eq!(status, aic_status::AIC_ERR_BUFFER_TOO_SMALL, "{size}");
            }
            if size > 0 {
                let nul = storage[..size].iter().position(|&b| b == 0).expect("NUL");
                let written = core::str::from_utf8(&storage[..nul]).expect("a cut keeps UTF-8");
                assert!(whole.starts_with(written));
                assert!(size - 1 - nul <= 3 || nul == whole.len());
            }
        }
    }
}

proptest! {
    /// Any bytes: the status and document the Rust API gives (argument errors for bytes that are not UTF-8),
    /// never a crash or AIC_ERR_INTERNAL.
    #[test]
    fn any_bytes_give_the_rust_document(
        bytes in proptest::collection::vec(any::<u8>(), 0..96),
        prefix in prop::sample::select(vec!["", "{", "$dps/registrations/res/", "{\"errorCode\":", "a,b\n"]),
    ) {
        let mut input = prefix.as_bytes().to_vec();
        input.extend(bytes);
        let (status, doc) = c_payload_json_v(
            &input,
            AIC_CATALOGUE_ANY,
            AIC_SERVICE_ANY,
            AIC_AGENT_VERSION_ANY,
            0,
            None,
            0,
        );
        prop_assert_ne!(status, aic_status::AIC_ERR_INTERNAL);
        match core::str::from_utf8(&input) {
            Err(_) => prop_assert_eq!((status, doc), (aic_status::AIC_ERR_INVALID_UTF8, String::new())),
            Ok(s) => prop_assert_eq!((status, doc), rust_payload_json(s, &ReportOptions::new())),
        }
    }
}
