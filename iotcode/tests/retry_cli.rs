//! The CLI contract of `iotcode retry` and of the `retry` object `iotcode decode --json` adds to each match.

use std::process::{Command, Output};

use serde_json::Value;

fn iotcode(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_iotcode"))
        .args(args)
        .output()
        .expect("run iotcode")
}

fn json(args: &[&str]) -> Value {
    let out = iotcode(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

/// The first decision of `iotcode retry ... --json`.
fn decision(args: &[&str]) -> Value {
    let mut all = vec!["retry"];
    all.extend_from_slice(args);
    all.push("--json");
    let doc = json(&all);
    doc["decisions"][0].clone()
}

#[test]
fn retry_honours_a_retry_after_header_value() {
    let d = decision(&["429", "--service", "dps", "--retry-after", "12"]);
    assert_eq!(d["service"], "dps");
    assert_eq!(d["catalogue"], "http-status");
    assert_eq!(d["code"], 429);
    let r = &d["retry"];
    assert_eq!(r["action"], "retry");
    assert_eq!(r["delay_ms"], 12_000);
    assert_eq!(r["retry_after_honored"], true);
    assert!(
        r["reason"]
            .as_str()
            .unwrap()
            .contains("Retry-After of 12 s")
    );
    // The schedule continues with the throttled backoff: 20-30 s after attempt 2.
    let next = d["next"].as_array().unwrap();
    assert_eq!(next.len(), 5);
    assert_eq!(next[0]["attempt"], 2);
    let ms = next[0]["delay_ms"].as_u64().unwrap();
    assert!((20_000..=30_000).contains(&ms), "{ms}");
}

#[test]
fn retry_reads_the_dps_topic_parameter() {
    let d = decision(&[
        "assigning",
        "--retry-after",
        "$dps/registrations/res/202/?$rid=1&retry-after=3",
    ]);
    assert_eq!(d["service"], "dps");
    assert_eq!(d["retry"]["action"], "retry");
    assert_eq!(d["retry"]["delay_ms"], 3_000);
}

#[test]
fn a_bad_retry_after_is_ignored_with_the_reason() {
    let out = iotcode(&[
        "retry",
        "503",
        "--service",
        "iot-hub",
        "--retry-after",
        "-5",
        "--json",
    ]);
    assert!(out.status.success());
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let r = &doc["decisions"][0]["retry"];
    assert_eq!(r["retry_after_honored"], false);
    assert_eq!(r["retry_after"], "invalid");
    assert!(
        r["reason"]
            .as_str()
            .unwrap()
            .ends_with("Retry-After ignored: a negative number of seconds")
    );
    let ms = r["delay_ms"].as_u64().unwrap();
    assert!((1_000..=1_500).contains(&ms));
}

#[test]
fn sub_codes_refine_the_decision() {
    let d = decision(&[
        "401",
        "--service",
        "iot-central",
        "--sub-code",
        "DEVICE_BLOCKED",
    ]);
    assert_eq!(d["retry"]["action"], "operator-action");
    assert_eq!(d["retry"]["delay_ms"], Value::Null);
    assert_eq!(d["next"], Value::Array(vec![]));
    let d = decision(&["401", "--service", "dps", "--sub-code", "400209"]);
    assert_eq!(d["retry"]["action"], "operator-action");
    let d = decision(&[
        "401",
        "--service",
        "dps",
        "--sub-code",
        "IotHubUnauthorizedAccess",
    ]);
    assert_eq!(d["retry"]["action"], "renew-credentials");
}

#[test]
fn attempts_and_elapsed_time_end_in_give_up() {
    let d = decision(&["503", "--service", "iot-hub", "--attempt", "10"]);
    assert_eq!(d["retry"]["action"], "give-up");
    assert_eq!(d["retry"]["budget_spent"], "attempts");
    let d = decision(&["503", "--service", "iot-hub", "--elapsed", "239"]);
    assert_eq!(d["retry"]["action"], "give-up");
    assert_eq!(d["retry"]["budget_spent"], "elapsed");
    let d = decision(&["500", "--service", "iot-central", "--attempt", "10"]);
    assert_eq!(d["retry"]["action"], "contact-support");
}

#[test]
fn every_match_gets_a_decision_for_its_service() {
    let doc = json(&["retry", "401", "--json"]);
    let ds = doc["decisions"].as_array().unwrap();
    let by: Vec<(&str, &str)> = ds
        .iter()
        .map(|d| {
            (
                d["service"].as_str().unwrap(),
                d["retry"]["action"].as_str().unwrap(),
            )
        })
        .collect();
    assert!(by.contains(&("dps", "re-register")), "{by:?}");
    assert!(by.contains(&("iot-central", "renew-credentials")), "{by:?}");
    assert!(by.contains(&("iot-hub", "renew-credentials")), "{by:?}");
}

#[test]
fn numbers_no_catalogue_has_are_still_classified() {
    let d = decision(&["418"]);
    assert_eq!(d["catalogue"], Value::Null);
    assert_eq!(d["code"], 418);
    assert_eq!(d["retry"]["action"], "fix-request");
    let d = decision(&["503999", "--service", "iot-hub"]);
    assert_eq!(d["retry"]["action"], "retry");
}

#[test]
fn exit_statuses() {
    let out = iotcode(&["retry", "no-such-code"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no-such-code"));
    for bad in [
        &["retry", "401", "--sub-code", "7"][..],
        &["retry", "401", "--sub-code", "nonsense"],
        &["retry", "401", "--service", "mars"],
        &["retry", "401", "--attempt", "-1"],
        &["retry", "401", "--operation", "cloud"],
        &["retry"],
    ] {
        assert_eq!(iotcode(bad).status.code(), Some(2), "{bad:?}");
    }
    let out = iotcode(&["retry", "404", "--service", "dps"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("action:      re-register"), "{text}");
    assert!(text.contains("rule:        dps-404"), "{text}");
}

#[test]
fn the_seed_fixes_the_delays() {
    let a = iotcode(&["retry", "503", "--seed", "7", "--json"]).stdout;
    let b = iotcode(&["retry", "503", "--seed", "7", "--json"]).stdout;
    let c = iotcode(&["retry", "503", "--seed", "8", "--json"]).stdout;
    assert_eq!(a, b);
    assert_ne!(a, c);
}

#[test]
fn decode_json_adds_a_retry_object_to_each_match() {
    let doc = json(&["decode", "401002", "--json"]);
    let matches = doc["matches"].as_array().unwrap();
    assert!(matches.len() >= 2);
    for m in matches {
        let r = &m["retry"];
        for key in ["action", "delay_ms", "retry_after_honored", "reason"] {
            assert!(r.get(key).is_some(), "{key} missing in {r}");
        }
        // The decision is for a service the row belongs to.
        let services: Vec<&str> = m["services"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap())
            .collect();
        assert!(services.contains(&r["service"].as_str().unwrap()), "{m}");
        assert_eq!(r["retry_after_honored"], false);
    }
    // --service picks the service of the decision.
    let doc = json(&["decode", "404", "--service", "iot-central", "--json"]);
    assert_eq!(doc["matches"][0]["retry"]["action"], "contact-support");
    let doc = json(&["decode", "404", "--service", "dps", "--json"]);
    assert_eq!(doc["matches"][0]["retry"]["action"], "re-register");
    // Several inputs: an array, each match with its decision.
    let doc = json(&["decode", "429", "Unapproved", "--json"]);
    assert_eq!(doc[1]["matches"][0]["retry"]["action"], "operator-action");
    // Existing fields are untouched.
    assert_eq!(doc[1]["matches"][0]["catalogue"], "iot-central-status");
}
