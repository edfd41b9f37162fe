//! The `iotcode` contract: output shapes, JSON fields and exit statuses.

use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_iotcode"))
        .args(args)
        .output()
        .expect("iotcode runs")
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

#[test]
fn decode_text_names_the_meaning_and_what_to_do() {
    let out = run(&["decode", "404103"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("DeviceNotOnline"), "{text}");
    assert!(text.contains("What to do:"), "{text}");
    assert!(text.contains("Source:"), "{text}");
}

#[test]
fn decode_json_one_input_is_an_object_with_the_documented_fields() {
    let out = run(&["decode", "--json", "401002"]);
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out);
    assert_eq!(v["input"], "401002");
    let m = &v["matches"][0];
    for field in [
        "catalogue",
        "code",
        "name",
        "description",
        "mitigation",
        "http_status",
        "services",
        "source",
    ] {
        assert!(m.get(field).is_some(), "missing {field} in {m}");
    }
    assert_eq!(m["catalogue"], "service-error");
    assert_eq!(m["code"], 401002);
    assert_eq!(m["http_status"], 401);
    assert!(m["services"].as_array().unwrap().contains(&"dps".into()));
    let cats: Vec<_> = v["matches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["catalogue"].clone())
        .collect();
    assert!(cats.contains(&"auth-suberror".into()), "{cats:?}");
}

#[test]
fn decode_json_text_codes_are_strings() {
    let v = json(&run(&["decode", "--json", "DEVICE_BLOCKED"]));
    assert_eq!(v["matches"][0]["code"], "DEVICE_BLOCKED");
    assert_eq!(v["matches"][0]["catalogue"], "auth-suberror");
}

#[test]
fn several_inputs_give_an_array_and_exit_1_when_one_fails() {
    let out = run(&["decode", "--json", "429", "no-such-code", "assigning"]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    let docs = v.as_array().unwrap();
    assert_eq!(docs.len(), 3);
    assert_eq!(docs[1]["matches"].as_array().unwrap().len(), 0);
    assert_eq!(docs[1]["error"]["kind"], "not-found");
    assert_eq!(
        docs[2]["matches"][0]["catalogue"],
        "dps-registration-status"
    );
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("\"no-such-code\""), "{err}");
}

#[test]
fn service_and_catalogue_narrow_the_answer() {
    let v = json(&run(&[
        "decode",
        "--json",
        "--service",
        "iot-central",
        "429",
    ]));
    let ms = v["matches"].as_array().unwrap();
    assert_eq!(ms.len(), 1);
    assert_eq!(ms[0]["services"], serde_json::json!(["iot-central"]));
    let v = json(&run(&[
        "decode",
        "--json",
        "--catalogue",
        "auth-suberror",
        "401002",
    ]));
    assert!(
        v["matches"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["catalogue"] == "auth-suberror")
    );
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(run(&["decode"]).status.code(), Some(2));
    assert_eq!(
        run(&["decode", "--service", "mars", "401"]).status.code(),
        Some(2)
    );
    assert_eq!(run(&["list", "nope"]).status.code(), Some(2));
    assert_eq!(run(&["frobnicate"]).status.code(), Some(2));
}

#[test]
fn unknown_input_exits_1_with_the_reason_on_stderr() {
    let out = run(&["decode", "0x"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("\"0x\"") && err.contains("expected"), "{err}");
}

#[test]
fn list_prints_every_catalogue_and_rows() {
    let out = run(&["list"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    for id in [
        "http-status",
        "service-error",
        "auth-suberror",
        "mqtt-connack",
    ] {
        assert!(text.contains(id), "{text}");
    }
    let v = json(&run(&["list", "mqtt-connack", "--json"]));
    assert_eq!(v.as_array().unwrap().len(), 6);
    assert_eq!(v[5]["code"], 5);
}

#[test]
fn du_extended_result_code_json_carries_its_parts() {
    let v = json(&run(&["decode", "--json", "--", "-536870781"]));
    let m = &v["matches"][0];
    assert_eq!(m["catalogue"], "du-extended-result-code");
    assert_eq!(m["hex"], "0xE0000083");
    assert_eq!(m["signed"], -536870781);
    assert_eq!(m["unsigned"], 3758096515u32);
    assert_eq!(m["facility"]["code"], 14);
    assert_eq!(m["value"], 131);
    assert_eq!(m["agent_versions"], serde_json::json!(["0.6.0", "0.7.0"]));
    let v = json(&run(&["decode", "--json", "0x30501028"]));
    let m = &v["matches"][0];
    assert_eq!(m["exit_code"], 40);
    assert_eq!(m["component"]["name"], "ADUC_CONTENT_HANDLER_SCRIPT");
    assert_eq!(m["pattern"], "EXIT_CODE_SCRIPT");
}

#[test]
fn agent_version_and_as_du_erc_narrow_the_reading() {
    let v = json(&run(&[
        "decode",
        "--json",
        "--agent-version",
        "0.7.0",
        "0xA0000001",
    ]));
    let ms = v["matches"].as_array().unwrap();
    assert_eq!(ms.len(), 1);
    assert_eq!(ms[0]["name"], "ADUC_ERC_APT_HANDLER_INITIALIZATION_FAILURE");
    // A small number is a Device Update code only when asked: 28 is errno ENOSPC in facility 0.
    assert_eq!(run(&["decode", "28"]).status.code(), Some(1));
    let v = json(&run(&["decode", "--json", "--as", "du-erc", "28"]));
    assert_eq!(v["matches"][0]["errno"]["name"], "ENOSPC");
    assert_eq!(
        run(&["decode", "--agent-version", "banana", "1"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn du_log_operation_breakdown() {
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/du/log-operation-failed.json"
    );
    let out = run(&["du", "log-operation", fixture]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("Log operation: Failed (3 devices: 1 succeeded, 2 failed, 0 pending)"),
        "{text}"
    );
    assert!(text.contains("gateway-02/du-agent"), "{text}");
    assert!(text.contains("UploadFailed"), "{text}");
    let v = json(&run(&["du", "log-operation", "--json", fixture]));
    assert_eq!(v["status"], "Failed");
    assert_eq!(v["failed"].as_array().unwrap().len(), 2);
    assert_eq!(v["succeeded"][0]["device_id"], "gateway-01");
    // More than 100 devices is a clear error.
    let many: Vec<String> = (0..101)
        .map(|i| format!(r#"{{"deviceId":"d{i}","status":"Succeeded"}}"#))
        .collect();
    let dir = std::env::temp_dir().join(format!("iotcode-lo-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("many.json");
    std::fs::write(&path, format!(r#"{{"devices":[{}]}}"#, many.join(","))).unwrap();
    let out = run(&["du", "log-operation", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("101"));
    let _ = std::fs::remove_dir_all(dir);
}

// ---- IoT Central -------------------------------------------------------------------------------------------

fn central_fixture(name: &str) -> String {
    let path = format!(
        "{}/../tests/fixtures/central/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn run_stdin(args: &[&str], stdin: &str) -> Output {
    use std::io::Write as _;
    let mut child = Command::new(env!("CARGO_BIN_EXE_iotcode"))
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("iotcode runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn decode_reads_pasted_validator_output_from_stdin() {
    let out = run_stdin(
        &["decode", "-"],
        &central_fixture("validate-messages-wrapped.txt"),
    );
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("NAME_NOT_IN_TEMPLATE"), "{text}");
    assert!(
        text.contains("did you mean 'flowRate' (in boiler1, boiler2)? 1 edit away"),
        "{text}"
    );
    assert!(text.contains("It differs only in case"), "{text}");
    assert!(text.contains("What to do:"), "{text}");
    // A code on stdin still decodes as a code.
    let out = run_stdin(&["decode", "-"], "404001\n");
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("DeviceNotFound"));
}

#[test]
fn decode_json_of_pasted_output_carries_the_report() {
    let input = central_fixture("validate-messages-datatype.txt");
    let v = json(&run(&["decode", "--json", &input]));
    assert_eq!(v["input"], input.as_str());
    assert_eq!(v["matches"][0]["catalogue"], "iot-central-unmodeled-cause");
    assert_eq!(v["matches"][0]["code"], "SCHEMA_MISMATCH");
    let f = &v["central"]["findings"][0];
    assert_eq!(f["cause"], "SCHEMA_MISMATCH");
    assert_eq!(f["severity"], "error");
    assert_eq!(f["device_id"], "boiler-07");
    assert_eq!(f["detail"]["kind"], "datatype-mismatch");
    assert_eq!(f["detail"]["field"], "pressure");
    assert_eq!(f["detail"]["expected"], "double");
    assert_eq!(f["detail"]["sent"], "high");
    assert!(
        f["meaning"]["mitigation"]
            .as_str()
            .unwrap()
            .contains("template")
    );
    assert_eq!(v["central"]["unrecognised"].as_array().unwrap().len(), 0);
    // A code alongside keeps the array form.
    let v = json(&run(&["decode", "--json", &input, "404001"]));
    assert_eq!(v.as_array().unwrap().len(), 2);
    assert!(v[1].get("central").is_none());
}

#[test]
fn registration_info_decodes_to_the_status_row() {
    let v = json(&run_stdin(
        &["decode", "--json", "-"],
        &central_fixture("registration-info-blocked.json"),
    ));
    assert_eq!(v["matches"][0]["catalogue"], "iot-central-status");
    assert_eq!(v["matches"][0]["code"], "Blocked");
    assert_eq!(v["central"]["registrations"][0]["status"], "Blocked");
}

#[test]
fn lines_not_understood_exit_1_and_are_listed() {
    let input = central_fixture("with-noise.txt");
    let out = run(&["decode", &input]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("3 of 5 lines not understood"), "{err}");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Not understood (kept as is):"), "{text}");
    assert!(text.contains("line 5: ^C"), "{text}");
    let v = json(&run(&["decode", "--json", &input]));
    let kept = v["central"]["unrecognised"].as_array().unwrap();
    assert_eq!(kept.len(), 3);
    assert_eq!(kept[1]["line"], 3);
}

#[test]
fn export_role_prints_the_role_and_the_checks() {
    let out = run(&["export-role", "blob-storage"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with(
            "Azure Blob storage: role for the managed identity: Storage Blob Data Contributor"
        ),
        "{text}"
    );
    for check in [
        "IDENTITY_ENABLED",
        "ROLE_ASSIGNED",
        "NETWORK_ACCESS",
        "SIMULATED_DEVICES",
        "DATA_AFTER_ENABLE",
        "DESTINATION_CONNECTION",
    ] {
        assert!(text.contains(check), "{check}: {text}");
    }
    let v = json(&run(&["export-role", "--json", "Azure Service Bus"]));
    assert_eq!(v["role"], "Azure Service Bus Data Sender");
    assert_eq!(v["destination"]["code"], "SERVICE_BUS");
    assert_eq!(v["checks"].as_array().unwrap().len(), 6);
    let out = run(&["export-role", "cosmos"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("data-explorer"));
    assert_eq!(run(&["export-role"]).status.code(), Some(2));
}
