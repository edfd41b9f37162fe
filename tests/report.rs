//! The decode document (`report::DecodeReport`) is each match's own JSON plus its first-attempt retry decision,
//! for every HTTP status and every code and name of every catalogue, under service filters and seeds.

use azure_iot_codes::report::{DecodeReport, first_decision};
use azure_iot_codes::retry::{self, Context, SplitMix64};
use azure_iot_codes::{Catalogue, DecodeOptions, Service, decode_with};
use serde_json::{Value, json};

/// The document built from its public parts.
fn composed(input: &str, options: &DecodeOptions, seed: u64) -> Value {
    match decode_with(input, options) {
        Ok(d) => {
            let matches: Vec<Value> = d
                .iter()
                .map(|m| {
                    let mut v = serde_json::to_value(m).unwrap();
                    let mut ctx = Context::new();
                    ctx.service = options.service;
                    let r = retry::decide(m, &ctx, &mut SplitMix64::new(seed));
                    assert_eq!(r, first_decision(m, options.service, seed));
                    v["retry"] = serde_json::to_value(r).unwrap();
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

fn check(input: &str, options: &DecodeOptions, seed: u64) {
    let result = decode_with(input, options);
    let report = DecodeReport::new(input, &result, options.service, seed);
    let text = serde_json::to_string(&report).unwrap();
    let value: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        value,
        composed(input, options, seed),
        "{input:?} {options:?} {seed}"
    );
    // Key order: input, matches, then error; every match ends with retry.
    assert!(text.starts_with(&format!(
        "{{\"input\":{}",
        serde_json::to_string(input).unwrap()
    )));
    if let Some(matches) = value["matches"].as_array() {
        for m in matches {
            let keys: Vec<&String> = m.as_object().unwrap().keys().collect();
            assert!(keys.contains(&&"retry".to_string()));
        }
    }
    if result.is_ok() {
        assert!(!text.contains("\"error\""));
    }
}

#[test]
fn every_status_and_every_catalogue_code_and_name() {
    let mut filters = vec![DecodeOptions::new()];
    filters.extend(Service::ALL.map(|s| DecodeOptions::new().service(s)));
    for n in 100..=599 {
        for (i, options) in filters.iter().enumerate() {
            check(&n.to_string(), options, i as u64);
        }
    }
    for c in Catalogue::ALL {
        for m in c.rows() {
            for input in [m.code().to_string(), m.name().to_string()] {
                check(&input, &DecodeOptions::new(), 0);
                check(&input, &DecodeOptions::new().catalogue(c), 3);
            }
        }
    }
    for input in [
        "",
        "4o4",
        "999",
        "-536870781",
        "30501028,A0000FFF",
        "0xD0190194",
    ] {
        check(input, &DecodeOptions::new(), 1);
    }
}
