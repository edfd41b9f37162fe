//! The document of any input (`report::InputReport`): a code's is the `DecodeReport`, a payload's and pasted
//! `az iot central` output's are built from their reading, for every fixture; the Retry-After given reaches the
//! decisions; input that cannot be read gives its error.
#![cfg(feature = "alloc")]

use azure_iot_codes::payload::Limits;
use azure_iot_codes::report::{DecodeReport, InputReport, Reading, ReportOptions};
use azure_iot_codes::retry::{Context, Policy, SplitMix64};
use azure_iot_codes::{Catalogue, DecodeOptions, Service, decode_with};
use serde_json::{Value, json};

/// Every file under tests/fixtures (payloads, pasted `az iot central` output, a Device Update log operation).
fn fixtures() -> Vec<(String, String)> {
    let root = format!("{}/tests/fixtures", env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for dir in std::fs::read_dir(&root).unwrap() {
        for f in std::fs::read_dir(dir.unwrap().path()).unwrap() {
            let path = f.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            out.push((path.display().to_string(), text));
        }
    }
    out.sort();
    assert!(out.len() >= 50, "{} fixtures", out.len());
    out
}

fn input_doc(input: &str, options: &ReportOptions<'_>) -> (Reading, Value) {
    let reading = Reading::read(input, options);
    let doc = serde_json::to_value(InputReport::new(input, &reading, options)).unwrap();
    (reading, doc)
}

#[test]
fn the_document_of_a_code_is_the_decode_report() {
    let mut inputs: Vec<String> = (100..=599).map(|n| n.to_string()).collect();
    for c in Catalogue::ALL {
        inputs.extend(c.rows().iter().map(|m| m.name().to_string()));
    }
    inputs.extend(["", "4o4", "999", "-536870781", "30501028,A0000FFF"].map(String::from));
    for (i, input) in inputs.iter().enumerate() {
        let service = Service::ALL.get(i % 5).copied();
        let mut decode = DecodeOptions::new();
        decode.service = service;
        let options = ReportOptions::new().decode(decode).seed(i as u64);
        let reading = Reading::read(input, &options);
        assert!(matches!(reading, Reading::Code(_)), "{input:?}");
        let result = decode_with(input, &decode);
        assert_eq!(
            serde_json::to_string(&InputReport::new(input, &reading, &options)).unwrap(),
            serde_json::to_string(&DecodeReport::new(input, &result, service, i as u64)).unwrap(),
            "{input:?}"
        );
    }
}

#[test]
fn a_retry_after_given_reaches_every_decision_of_codes_and_payloads() {
    let options = ReportOptions::new().retry_after("7");
    let (_, doc) = input_doc("503", &options);
    assert_eq!(doc["matches"][0]["catalogue"], "http-status");
    assert_eq!(doc["matches"][0]["retry"]["delay_ms"], 7000);
    assert_eq!(doc["matches"][0]["retry"]["retry_after"], "honored");
    // It replaces the topic's own retry-after.
    let topic = "$dps/registrations/res/429/?$rid=1&retry-after=3";
    let (_, doc) = input_doc(topic, &ReportOptions::new());
    assert_eq!(doc["payload"]["retry"]["delay_ms"], 3000);
    assert_eq!(doc["matches"][0]["retry"]["delay_ms"], 3000);
    let (_, doc) = input_doc(topic, &options);
    assert_eq!(doc["payload"]["retry"]["delay_ms"], 7000);
    assert_eq!(doc["matches"][0]["retry"]["delay_ms"], 7000);
    // An HTTP-date needs the clock.
    let date = ReportOptions::new()
        .retry_after("Wed, 21 Oct 2015 07:28:10 GMT")
        .now_unix(1_445_412_480);
    let (_, doc) = input_doc("503", &date);
    assert_eq!(doc["matches"][0]["retry"]["delay_ms"], 10_000);
}

#[test]
fn every_fixture_document_is_built_from_its_reading() {
    for (seed, (path, text)) in fixtures().iter().enumerate() {
        let options = ReportOptions::new().seed(seed as u64);
        let (reading, doc) = input_doc(text, &options);
        let report = InputReport::new(text, &reading, &options);
        assert_eq!(doc["input"], text.as_str());
        // Each match is the row's JSON followed by its decision.
        let matches = report.matches();
        assert_eq!(
            doc["matches"].as_array().unwrap().len(),
            matches.len(),
            "{path}"
        );
        for ((m, d), j) in matches.iter().zip(doc["matches"].as_array().unwrap()) {
            let mut expected = serde_json::to_value(m).unwrap();
            expected["retry"] = serde_json::to_value(d).unwrap();
            assert_eq!(*j, expected, "{path}");
            assert_eq!(*d, report.decide(m), "{path}");
        }
        match &reading {
            Reading::Payload(Ok(p)) => {
                let payload = &doc["payload"];
                assert_eq!(payload["kind"], p.kind().as_str(), "{path}");
                assert_eq!(payload["failure"], p.is_failure(), "{path}");
                assert_eq!(
                    payload["context"],
                    serde_json::to_value(p.context()).unwrap()
                );
                assert_eq!(payload["parsed"], serde_json::to_value(p.parsed()).unwrap());
                let codes = payload["codes"].as_array().unwrap();
                assert_eq!(codes.len(), p.codes().len(), "{path}");
                for (c, j) in p.codes().iter().zip(codes) {
                    assert_eq!(j["field"], c.field());
                    assert_eq!(j["value"], c.value());
                    assert_eq!(j["matches"].as_array().unwrap().len(), c.matches().len());
                    assert_eq!(j.get("error").is_some(), c.decoded().is_err(), "{path}");
                }
                // A first attempt in the payload's own context: the decision the payload gives.
                let retry = p.retry_with(
                    &Policy::DEFAULT,
                    &Context::new(),
                    &mut SplitMix64::new(seed as u64),
                );
                assert_eq!(
                    payload["retry"],
                    serde_json::to_value(retry).unwrap(),
                    "{path}"
                );
                assert!(doc.get("error").is_none() && doc.get("central").is_none());
            }
            Reading::Central { report: Ok(r), .. } => {
                assert_eq!(doc["central"], serde_json::to_value(r).unwrap(), "{path}");
                for f in &r.findings {
                    assert!(
                        matches.iter().any(|(m, _)| m.meaning() == f.meaning()),
                        "{path}"
                    );
                }
            }
            other => {
                let e = other.error().unwrap_or_else(|| panic!("{path}: {other:?}"));
                assert_eq!(doc["error"]["kind"], e.kind().as_str(), "{path}");
                assert_eq!(doc["error"]["message"], e.to_string(), "{path}");
                assert_eq!(doc["matches"], json!([]));
            }
        }
    }
}

#[test]
fn input_that_cannot_be_read_gives_the_error_and_no_payload() {
    let options = ReportOptions::new().limits(Limits::new().max_bytes(64));
    let table = [
        ("{\"errorCode\": 4", "truncated"),
        ("{\"errorCode\": 404001, ", "truncated"),
        ("$dps/registrations/res/abc/?$rid=1", "invalid-topic"),
        ("{\"hello\": 1}", "unknown-shape"),
        ("4o4", "malformed"),
        ("   ", "empty"),
    ];
    for (input, kind) in table {
        let (reading, doc) = input_doc(input, &options);
        assert_eq!(
            reading.error().map(|e| e.kind().as_str()),
            Some(kind),
            "{input:?}"
        );
        assert_eq!(doc["error"]["kind"], kind, "{input:?}");
        assert!(doc.get("payload").is_none());
    }
    let long = format!(
        "{{\"errorCode\": 404001, \"message\": \"{}\"}}",
        "x".repeat(100)
    );
    let (_, doc) = input_doc(&long, &options);
    assert_eq!(doc["error"]["kind"], "too-large");
}
