//! The `iotcode` payload contract: `decode` on payloads (argument or stdin), `annotate` (every record kept,
//! in order, line for line; malformed ones reported with their line number) and `report`.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Output, Stdio};
use std::time::Instant;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_iotcode"))
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("iotcode runs")
}

fn run_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = bin()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("iotcode runs");
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    out
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

fn temp_path(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("iotcode-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

const DPS_ERROR: &str = include_str!("../../tests/fixtures/payload/dps-error-401002.json");
const DU_TWIN: &str = include_str!("../../tests/fixtures/payload/du-agent-1.1-hex.json");
const CSV_EXPORT: &str = include_str!("../../tests/fixtures/payload/diag-iothub-409002.csv");

#[test]
fn decode_a_topic_argument_adds_payload_next_to_matches() {
    let out = run(&[
        "decode",
        "--json",
        "$dps/registrations/res/429/?$rid=41&retry-after=10",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out);
    assert_eq!(v["matches"][0]["code"], 429);
    assert_eq!(v["matches"][0]["catalogue"], "http-status");
    assert_eq!(v["payload"]["kind"], "dps-response-topic");
    assert_eq!(v["payload"]["service"], "dps");
    assert_eq!(v["payload"]["context"]["request_id"], "41");
    assert_eq!(v["payload"]["context"]["retry_after"], "10");
    assert_eq!(v["payload"]["codes"][0]["field"], "topic status");
}

#[test]
fn decode_reads_a_payload_from_stdin_with_a_dash() {
    let out = run_stdin(&["decode", "--json", "-"], DPS_ERROR.as_bytes());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json(&out);
    assert_eq!(v["payload"]["kind"], "dps-error");
    assert_eq!(v["matches"][0]["name"], "IotHubUnauthorizedAccess");
    assert_eq!(
        v["payload"]["context"]["tracking_id"],
        "0f0e0d0c-0b0a-0908-0706-050403020100"
    );

    // Text: the kind, the context, then each code's meanings.
    let out = run_stdin(&["decode", "-"], DPS_ERROR.as_bytes());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("dps-error from dps, 1 code"), "{text}");
    assert!(text.contains("tracking_id: 0f0e0d0c"), "{text}");
    assert!(text.contains("errorCode = 401002: 1 meaning"), "{text}");
    assert!(text.contains("What to do:"), "{text}");

    // A bare code on stdin still decodes as a code.
    let out = run_stdin(&["decode", "--json", "-"], b"404104\n");
    assert_eq!(
        json(&out)["matches"][0]["name"],
        "DeviceConnectionClosedRemotely"
    );
}

#[test]
fn decode_shows_device_update_fields_typed() {
    let out = run_stdin(&["decode", "--json", "-"], DU_TWIN.as_bytes());
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out);
    assert_eq!(v["payload"]["kind"], "device-update-agent");
    let r = &v["payload"]["parsed"]["last_install_result"];
    assert_eq!(r["result_code"], 0);
    assert_eq!(
        r["extended_result_codes"],
        serde_json::json!([0x3050_1028u32, 0xA000_0FFFu32])
    );
    assert_eq!(r["step_results"][0]["step_id"], "step_2");
    let out = run_stdin(&["decode", "-"], DU_TWIN.as_bytes());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("extendedResultCodes [0x30501028, 0xA0000FFF] (root first)"),
        "{text}"
    );
}

#[test]
fn payload_errors_exit_1_with_a_typed_reason() {
    let out = run(&["decode", "--json", "{\"hello\":\"world\"}"]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!(v["error"]["kind"], "unknown-shape");
    assert_eq!(v["matches"].as_array().unwrap().len(), 0);

    let out = run_stdin(&["decode", "-"], b"{\"errorCode\":4\xff}");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("not valid UTF-8"), "{err}");

    let out = run(&["decode", "--max-bytes", "10", "{\"errorCode\":401002}"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("too long") && err.contains("limit 10"),
        "{err}"
    );

    // stdin is read once, however often `-` is given.
    let v = json(&run_stdin(
        &["decode", "--json", "-", "-"],
        DPS_ERROR.as_bytes(),
    ));
    assert_eq!(v.as_array().unwrap().len(), 2);
    assert_eq!(v[0], v[1]);
}

#[test]
fn a_code_no_catalogue_has_makes_decode_exit_1_but_keeps_the_payload() {
    let out = run(&[
        "decode",
        "--json",
        "{\"errorCode\":499999,\"message\":\"x\"}",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!(v["payload"]["codes"][0]["error"]["kind"], "not-found");
}

/// One generated export line per index: a mix of every JSON-lines record class.
fn export_line(i: usize) -> String {
    match i % 10 {
        0 => format!(
            r#"{{"Category":"DeviceOperations","OperationName":"AttestationAttempt","ResultType":"{}","ResultSignature":"{}","Level":"{}","ResourceType":"PROVISIONINGSERVICES","TimeGenerated":"2025-05-02T00:00:00Z","properties_s":"{{\"id\":\"sensor-{}\",\"type\":\"Registration\",\"protocol\":\"Mqtt\"}}"}}"#,
            if i.is_multiple_of(20) { "Failure" } else { "Success" },
            if i.is_multiple_of(20) { "401" } else { "" },
            if i.is_multiple_of(20) { "Error" } else { "Information" },
            i % 300
        ),
        1 => format!(
            r#"{{"time":"2025-05-03T10:11:12Z","operationName":"deviceDisconnect","category":"Connections","level":"Error","resultType":"404104","resultDescription":"DeviceConnectionClosedRemotely","properties":"{{\"deviceId\":\"pump-{}\"}}"}}"#,
            i % 50
        ),
        2 => DPS_ERROR.trim().to_string(),
        3 => format!(
            r#"{{"operationId":"4.a.{i}","status":"assigned","registrationState":{{"registrationId":"sensor-{}","status":"assigned","substatus":"initialAssignment","assignedHub":"hub.azure-devices.net","deviceId":"sensor-{}"}}}}"#,
            i % 300,
            i % 300
        ),
        4 => format!(r#"{{"unrelated":{i}}}"#),
        5 if i % 1000 == 5 => String::from(r#"{"errorCode": 4"#),
        5 if i % 1000 == 505 => String::from("plain text, not JSON"),
        6 if i % 5000 == 6 => String::new(),
        7 => r#"{"Message":"ErrorCode:DeviceNotFound;gone","ExceptionMessage":"Tracking ID:0123456789abcdef0123456789abcdef-G:3-TimeStamp:01/02/2025 03:04:05"}"#.to_string(),
        _ => format!(r#"{{"operationId":"4.a.{i}","status":"assigning"}}"#),
    }
}

#[test]
fn annotate_keeps_every_record_of_a_large_export() {
    const LINES: usize = 200_000;
    let path = temp_path("export.jsonl");
    let mut expected_malformed = Vec::new();
    {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        for i in 0..LINES {
            let line = export_line(i);
            if line.starts_with("{\"errorCode\": 4") || line.starts_with("plain") {
                expected_malformed.push(i + 1);
            }
            f.write_all(line.as_bytes()).unwrap();
            // The last line has no line break, which must survive too.
            if i + 1 < LINES {
                f.write_all(b"\n").unwrap();
            }
        }
    }
    let started = Instant::now();
    let mut child = bin()
        .args(["annotate", path.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let err_thread = std::thread::spawn(move || {
        let mut s = String::new();
        stderr.read_to_string(&mut s).unwrap();
        s
    });
    // Stream the output and compare it with the input line by line, holding one line of each at a time.
    let out = BufReader::new(child.stdout.take().unwrap());
    let input = BufReader::new(std::fs::File::open(&path).unwrap());
    let mut out_lines = out.split(b'\n');
    let mut n = 0usize;
    let mut annotated = 0usize;
    for (i, in_line) in input.split(b'\n').enumerate() {
        let in_line = in_line.unwrap();
        let out_line = out_lines
            .next()
            .unwrap_or_else(|| panic!("output ends before input line {}", i + 1))
            .unwrap();
        n += 1;
        if out_line == in_line {
            continue;
        }
        annotated += 1;
        // Annotated: the input object with one member appended, and still one JSON object.
        let in_text = String::from_utf8(in_line).unwrap();
        let out_text = String::from_utf8(out_line).unwrap();
        assert!(
            out_text.starts_with(&in_text[..in_text.len() - 1]),
            "line {}",
            i + 1
        );
        assert!(out_text.contains(",\"iotcode\":{"), "line {}", i + 1);
        // A sample is parsed in full (all of them would dominate the test's run time).
        if i.is_multiple_of(97) {
            let v: serde_json::Value = serde_json::from_str(&out_text).unwrap();
            assert!(v["iotcode"]["kind"].is_string(), "line {}", i + 1);
        }
    }
    assert!(
        out_lines.next().is_none(),
        "output has more lines than the input"
    );
    assert_eq!(n, LINES);
    let status = child.wait().unwrap();
    let elapsed = started.elapsed();
    let err = err_thread.join().unwrap();
    // Malformed records make the exit status 1, and each is reported with its line number.
    assert_eq!(status.code(), Some(1));
    for line in &expected_malformed {
        assert!(
            err.contains(&format!("line {line}: ")),
            "line {line} not reported"
        );
    }
    assert_eq!(
        err.matches("passed through").count(),
        expected_malformed.len(),
        "{err}"
    );
    let unrelated = LINES / 10;
    let blank = (0..LINES).filter(|i| i % 5000 == 6).count();
    assert_eq!(
        annotated,
        LINES - unrelated - expected_malformed.len() - blank
    );
    assert!(err.contains(&format!("{} records", LINES - blank)), "{err}");
    if elapsed.as_secs_f64() > 1.5 {
        assert!(
            err.contains("%, ") && err.contains(" MB, "),
            "no progress on stderr after {elapsed:?}: {err}"
        );
    }
    std::fs::remove_dir_all(path.parent().unwrap()).unwrap();
}

#[test]
fn annotate_csv_adds_columns_and_keeps_multiline_records() {
    let mut input = String::from(CSV_EXPORT);
    input.push_str("\"5/3/2025, 10:12:00.000 AM\",IOTHUBS,Connections,deviceDisconnect,Error,404104,404,\"Device\nConnectionClosedRemotely\",\"{\"\"deviceId\"\":\"\"pump-04\"\"}\"\r\n");
    input.push_str("too,few\r\n");
    let out = run_stdin(&["annotate", "-"], input.as_bytes());
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.matches('\n').count(), input.matches('\n').count());
    let lines: Vec<&str> = text.split("\r\n").collect();
    assert!(lines[0].ends_with(",iotcode_kind,iotcode_codes,iotcode_names,iotcode_meaning,iotcode_mitigation,iotcode_failure,iotcode_next_action"));
    assert!(lines[1].contains(",azure-diagnostics,service-error 409002; http-status 409,LinkCreationConflict; Conflict,"), "{}", lines[1]);
    assert!(lines[1].ends_with(",true,fix-request"), "{}", lines[1]);
    assert!(lines[2].contains(",true,retry after "), "{}", lines[2]);
    assert!(
        lines[2].contains("Device\nConnectionClosedRemotely"),
        "{}",
        lines[2]
    );
    assert!(lines[2].contains("service-error 404104"), "{}", lines[2]);
    assert_eq!(lines[3], "too,few");
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("line 5: ") && err.contains("as many fields"),
        "{err}"
    );
}

#[test]
fn annotate_passes_oversized_records_through_unchanged() {
    let big = format!(
        "{{\"errorCode\":401002,\"message\":\"{}\"}}",
        "x".repeat(5000)
    );
    let input = format!("{}\n{big}\n{}\n", DPS_ERROR.trim(), DPS_ERROR.trim());
    let out = run_stdin(&["annotate", "--max-bytes", "1000", "-"], input.as_bytes());
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[1], big);
    assert!(lines[2].contains("\"iotcode\":"));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("line 2: record longer than the limit of 1000 bytes"),
        "{err}"
    );
}

#[test]
fn report_counts_codes_devices_and_the_dps_funnel() {
    // 1000 lines, one of them blank (line 7): 999 records.
    let input: String = (0..1000).map(|i| export_line(i) + "\n").collect();
    let out = run_stdin(&["report", "--json", "-"], input.as_bytes());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json(&out);
    assert_eq!(v["records"]["total"], 999);
    assert_eq!(v["records"]["malformed"], 2);
    assert_eq!(v["records"]["malformed_lines"], serde_json::json!([6, 506]));
    assert_eq!(v["records"]["unrecognised"], 100);
    let count = |name: &str| {
        v["codes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == name)
            .map(|c| c["count"].clone())
    };
    // 100 rows carry 404104 twice (ResultType and ResultDescription): counted once per record.
    assert_eq!(count("DeviceConnectionClosedRemotely"), Some(100.into()));
    assert_eq!(count("IotHubUnauthorizedAccess"), Some(100.into()));
    assert_eq!(count("DeviceNotFound"), Some(100.into()));
    assert_eq!(count("Unauthorized"), Some(50.into()));
    assert!(
        v["codes"][0]["mitigation"]
            .as_str()
            .is_some_and(|m| !m.is_empty())
    );
    // Disconnects (lines with i % 10 == 1) name pump-{i % 50}: pumps 1, 11, 21, 31 and 41, 20 rows each. DPS
    // attestation failures (i % 20 == 0) name sensor-{i % 300}: 15 sensors with 3 or 4 each.
    let devices = v["devices"].as_array().unwrap();
    assert_eq!(devices.len(), 10);
    for d in &devices[..5] {
        assert_eq!(d["failures"], 20, "{d}");
        assert!(d["device"].as_str().unwrap().starts_with("pump-"), "{d}");
        assert_eq!(d["top_code"]["code"], 404104, "{d}");
    }
    assert_eq!(devices[0]["device"], "pump-1");
    assert_eq!(devices[5]["failures"], 4);
    assert_eq!(devices[5]["top_code"]["code"], 401);
    // Funnel from the rows: 100 attestation rows (50 failed), 100 final registrations, all assigned.
    let funnel = v["funnel"].as_array().unwrap();
    assert_eq!(funnel[0]["count"], 100.0);
    assert_eq!(funnel[0]["succeeded"], 50);
    assert_eq!(funnel[0]["source"], "AttestationAttempt rows");
    assert_eq!(funnel[1]["count"], 100.0);
    assert_eq!(funnel[2]["count"], 100.0);

    let md = run_stdin(&["report", "--markdown", "-"], input.as_bytes());
    let text = String::from_utf8(md.stdout).unwrap();
    assert!(
        text.contains("| records | catalogue | code | name | what happened | what to do |"),
        "{text}"
    );
    assert!(text.contains("## DPS funnel"), "{text}");
    let plain = run_stdin(&["report", "-"], input.as_bytes());
    let text = String::from_utf8(plain.stdout).unwrap();
    assert!(
        text.contains(
            "999 records: 897 recognised, 100 not recognised, 2 malformed (lines 6, 506)"
        ),
        "{text}"
    );
}

#[test]
fn report_funnel_prefers_azure_metrics_rows() {
    let input = [
        r#"{"MetricName":"AttestationAttempts","Total":120,"TimeGenerated":"2025-05-02T00:00:00Z"}"#,
        r#"{"MetricName":"AttestationAttempts","Total":30}"#,
        r#"{"MetricName":"RegistrationAttempts","Total":"140"}"#,
        r#"{"MetricName":"DeviceAssignments","Total":133}"#,
    ]
    .join("\n");
    let v = json(&run_stdin(&["report", "--json", "-"], input.as_bytes()));
    let funnel = v["funnel"].as_array().unwrap();
    assert_eq!(funnel[0]["count"], 150.0);
    assert_eq!(funnel[0]["source"], "AzureMetrics");
    assert_eq!(funnel[1]["count"], 140.0);
    assert_eq!(funnel[2]["count"], 133.0);

    // No rows for a stage: null, not zero.
    let v = json(&run_stdin(&["report", "--json", "-"], DPS_ERROR.as_bytes()));
    assert!(v["funnel"][0]["count"].is_null());
}

#[test]
fn report_reads_csv_exports() {
    let v = json(&run_stdin(
        &["report", "--json", "-"],
        CSV_EXPORT.as_bytes(),
    ));
    assert_eq!(v["records"]["total"], 1);
    assert_eq!(v["devices"][0]["device"], "pump-04");
    assert_eq!(v["devices"][0]["top_code"]["code"], 409002);
}

#[test]
fn decode_json_gives_the_payloads_retry_decision_and_each_matchs() {
    // DPS 202 with retry-after=3: poll again after 3 s, for the payload and for its row.
    let v = json(&run(&[
        "decode",
        "--json",
        "$dps/registrations/res/202/?$rid=7&retry-after=3",
    ]));
    let r = &v["payload"]["retry"];
    assert_eq!(r["action"], "retry");
    assert_eq!(r["delay_ms"], 3000);
    assert_eq!(r["retry_after"], "honored");
    assert_eq!(r["rule"], "dps-assigning");
    assert_eq!(r["pace"], "poll");
    assert_eq!(v["matches"][0]["retry"]["delay_ms"], 3000);

    // DPS 429 with retry-after.
    let v = json(&run(&[
        "decode",
        "--json",
        "$dps/registrations/res/429/?$rid=41&retry-after=10",
    ]));
    assert_eq!(v["payload"]["retry"]["rule"], "dps-429");
    assert_eq!(v["payload"]["retry"]["delay_ms"], 10000);

    // IoT Hub 404104 body: reconnect with backoff; the Retry-After header comes with --retry-after.
    let body = include_str!("../../tests/fixtures/payload/iothub-error-404104.json");
    let v = json(&run_stdin(&["decode", "--json", "-"], body.as_bytes()));
    assert_eq!(v["payload"]["retry"]["rule"], "hub-404104");
    assert_eq!(v["payload"]["retry"]["retry_after"], "absent");
    let v = json(&run_stdin(
        &["decode", "--json", "--retry-after", "7", "-"],
        body.as_bytes(),
    ));
    assert_eq!(v["payload"]["retry"]["delay_ms"], 7000);
    assert_eq!(v["matches"][0]["retry"]["delay_ms"], 7000);

    // DPS 200 topic and its failed registration body: the body decides; the topic is kept.
    let msg = include_str!("../../tests/fixtures/payload/dps-topic-200-failed-400209.txt");
    let out = run_stdin(&["decode", "--json", "-"], msg.as_bytes());
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out);
    assert_eq!(v["payload"]["kind"], "dps-registration");
    assert_eq!(v["payload"]["topic"]["status"], 200);
    assert_eq!(v["payload"]["codes"][0]["field"], "topic status");
    assert_eq!(v["payload"]["retry"]["action"], "operator-action");
    assert_eq!(v["payload"]["retry"]["rule"], "dps-400209");
    assert!(
        v["matches"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["retry"]["action"].is_string())
    );
}

#[test]
fn decode_device_update_twin_codes_with_their_reading() {
    let v = json(&run_stdin(&["decode", "--json", "-"], DU_TWIN.as_bytes()));
    let codes = v["payload"]["codes"].as_array().unwrap();
    assert_eq!(
        codes[1]["field"],
        "lastInstallResult.extendedResultCodes[0]"
    );
    assert_eq!(codes[1]["value"], "30501028");
    assert_eq!(codes[1]["agent_version"], "1.1.0");
    assert_eq!(
        codes[1]["matches"][0]["catalogue"],
        "du-extended-result-code"
    );
    assert_eq!(codes[1]["matches"][0]["code"], 0x3050_1028u32);
    assert_eq!(codes[2]["informational"], true);
    assert_eq!(v["payload"]["retry"]["rule"], "du-erc");
    // The top-level matches carry the Device Update reading and a retry decision each.
    let erc = v["matches"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["catalogue"] == "du-extended-result-code")
        .unwrap();
    assert_eq!(erc["exit_code"], 40);
    assert_eq!(erc["retry"]["rule"], "du-erc");

    // A 1.0.x twin's signed integer, read for the agent version given on the command line.
    let twin = r#"{"resultCode":0,"extendedResultCode":-1610612735,"resultDetails":"x"}"#;
    let all = json(&run(&["decode", "--json", twin]));
    assert!(
        all["payload"]["codes"][1]["matches"]
            .as_array()
            .unwrap()
            .len()
            >= 2
    );
    let v = json(&run(&[
        "decode",
        "--json",
        "--agent-version",
        "1.1.0",
        twin,
    ]));
    let c = &v["payload"]["codes"][1];
    assert_eq!(c["value"], "-1610612735");
    assert_eq!(c["agent_version"], "1.1.0");
    assert_eq!(c["matches"].as_array().unwrap().len(), 1);
    assert_eq!(
        c["matches"][0]["name"],
        "ADUC_ERC_ROOTKEY_PKG_FAIL_JSON_PARSE"
    );

    // Text: the payload's next action, and which codes are informational.
    let text = String::from_utf8(run_stdin(&["decode", "-"], DU_TWIN.as_bytes()).stdout).unwrap();
    assert!(
        text.contains("next action: operator-action  [du-erc for device-update, on lastInstallResult.extendedResultCodes[0] 30501028]"),
        "{text}"
    );
    assert!(
        text.contains("lastInstallResult.extendedResultCodes[1] = A0000FFF (informational, read for agent 1.1.0)"),
        "{text}"
    );
}

#[test]
fn decode_text_shows_the_payload_decision() {
    let out = run(&["decode", "$dps/registrations/res/202/?$rid=7&retry-after=3"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("next action: retry after 3 s  [dps-assigning for dps, on topic status 202]"),
        "{text}"
    );
    assert!(text.contains("why: DPS is still assigning"), "{text}");
}

#[test]
fn annotate_json_lines_carry_the_retry_decision() {
    let input = format!("{}\n", DPS_ERROR.trim());
    let out = run_stdin(&["annotate", "-"], input.as_bytes());
    let line = String::from_utf8(out.stdout).unwrap();
    let v: serde_json::Value = serde_json::from_str(line.trim()).unwrap();
    assert_eq!(v["iotcode"]["retry"]["rule"], "dps-401002");
    assert_eq!(v["iotcode"]["retry"]["action"], "renew-credentials");
}

#[test]
fn registration_info_json_gets_the_central_report_and_the_payload() {
    // Pasted `az iot central device registration-info` output is IoT Central's report (as on main); when it is
    // well-formed JSON the payload decoder reads it too and adds its context and decision.
    let text =
        include_str!("../../tests/fixtures/payload/seed-central-blocked-registration-info.json");
    let v = json(&run_stdin(&["decode", "--json", "-"], text.as_bytes()));
    assert_eq!(v["central"]["registrations"][0]["status"], "Blocked");
    assert_eq!(v["payload"]["kind"], "iot-central-registration-info");
    assert_eq!(v["payload"]["retry"]["rule"], "central-blocked");
    let out = run_stdin(&["decode", "-"], text.as_bytes());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("Next action:   operator-action  [central-blocked for iot-central"),
        "{text}"
    );
}

/// Found writing the `annotate_record` fuzz target: an error name holding a line break (JSON escaped in a CSV
/// field) went into the `iotcode_codes` column as a quoted multi-line field, so the annotated export had one
/// line more than the input.
#[test]
fn regression_annotate_csv_keeps_the_line_count_when_a_value_holds_a_line_break() {
    let input = "Category,OperationName,ResultType,ResultDescription,ResourceType\n\
        Connections,deviceConnect,404104,\"{\"\"errorCode\"\":\"\"Device\\nNot Found\"\",\"\"message\"\":\"\"x\"\"}\",IOTHUBS\n";
    let out = run_stdin(&["annotate", "-"], input.as_bytes());
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        text.matches('\n').count(),
        input.matches('\n').count(),
        "{text}"
    );
    assert!(
        text.contains(",service-error 404104; service-error Device Not Found,"),
        "{text}"
    );
}
