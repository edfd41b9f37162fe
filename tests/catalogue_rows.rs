//! Every row of every `data/*.csv`, read independently of the build script, round-trips through the public
//! lookups: by number (numeric keys), by name, by every alias, and through `decode`.

use azure_iot_codes::{Catalogue, Code, DecodeOptions, decode, decode_with, lookup_name};

#[derive(Clone, Copy, PartialEq)]
enum Key {
    Unsigned,
    Signed,
    Text,
}

const FILES: &[(&str, Catalogue, Key)] = &[
    ("http_statuses.csv", Catalogue::HttpStatus, Key::Unsigned),
    ("service_errors.csv", Catalogue::ServiceError, Key::Unsigned),
    ("auth_suberrors.csv", Catalogue::AuthSubError, Key::Text),
    (
        "iot_central_statuses.csv",
        Catalogue::IotCentralStatus,
        Key::Text,
    ),
    (
        "dps_registration_statuses.csv",
        Catalogue::DpsRegistrationStatus,
        Key::Text,
    ),
    (
        "dps_registration_substatuses.csv",
        Catalogue::DpsRegistrationSubstatus,
        Key::Text,
    ),
    ("mqtt_connack.csv", Catalogue::MqttConnack, Key::Unsigned),
    ("du_result_codes.csv", Catalogue::DuResultCode, Key::Signed),
    ("du_erc.csv", Catalogue::DuExtendedResultCode, Key::Unsigned),
    (
        "du_diagnostics_results.csv",
        Catalogue::DuDiagnosticsResult,
        Key::Signed,
    ),
    ("du_erc_patterns.csv", Catalogue::DuErcPattern, Key::Text),
    (
        "du_extension_codes.csv",
        Catalogue::DuExtensionCode,
        Key::Unsigned,
    ),
    ("posix_errno.csv", Catalogue::PosixErrno, Key::Unsigned),
    ("do_hresults.csv", Catalogue::DoHresult, Key::Unsigned),
    (
        "iot_central_unmodeled_causes.csv",
        Catalogue::IotCentralUnmodeledCause,
        Key::Text,
    ),
    (
        "iot_central_export.csv",
        Catalogue::IotCentralExport,
        Key::Text,
    ),
    ("dps_metrics.csv", Catalogue::DpsMetric, Key::Text),
    (
        "dps_log_categories.csv",
        Catalogue::DpsLogCategory,
        Key::Text,
    ),
];

struct CsvRow {
    line: u64,
    code: String,
    name: String,
    aliases: Vec<String>,
    http_status: Option<u16>,
    services: String,
    description: String,
    mitigation: String,
    source: String,
    note: String,
}

fn read(file: &str) -> Vec<CsvRow> {
    let path = format!("{}/data/{file}", env!("CARGO_MANIFEST_DIR"));
    let mut r = csv::Reader::from_path(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let h = r.headers().unwrap().clone();
    let idx = |c: &str| h.iter().position(|x| x == c);
    let cols = [
        "code",
        "name",
        "aliases",
        "http_status",
        "services",
        "description",
        "mitigation",
        "source",
        "note",
    ]
    .map(idx);
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            let g = |i: usize| cols[i].and_then(|c| rec.get(c)).unwrap_or("").to_string();
            CsvRow {
                line: rec.position().unwrap().line(),
                code: g(0),
                name: g(1),
                aliases: g(2)
                    .split(';')
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect(),
                http_status: g(3).parse().ok(),
                services: if cols[4].is_some() {
                    g(4).replace(';', ",")
                } else {
                    "device-update".to_string()
                },
                description: g(5),
                mitigation: g(6),
                source: g(7),
                note: g(8),
            }
        })
        .collect()
}

fn same_row(m: &azure_iot_codes::Meaning, r: &CsvRow) -> bool {
    m.name() == r.name && m.description() == r.description && m.services().to_string() == r.services
}

#[test]
fn every_row_round_trips() {
    let mut total = 0;
    for &(file, cat, key) in FILES {
        let rows = read(file);
        assert_eq!(
            cat.rows().len(),
            rows.len(),
            "{file}: row count differs from the compiled table"
        );
        for r in &rows {
            total += 1;
            let at = format!("data/{file}:{}", r.line);
            // By number / by code.
            if key != Key::Text {
                let n: u32 = match r.code.strip_prefix("0x") {
                    Some(hex) => u32::from_str_radix(hex, 16).unwrap(),
                    None if key == Key::Signed => r.code.parse::<i32>().unwrap() as u32,
                    None => r.code.parse().unwrap(),
                };
                let hits = cat.lookup_number(n);
                let m = hits
                    .iter()
                    .find(|m| same_row(m, r))
                    .unwrap_or_else(|| panic!("{at}: not found by number"));
                let expected = if key == Key::Signed {
                    Code::Signed(n as i32)
                } else {
                    Code::Number(n)
                };
                assert_eq!(m.code(), expected, "{at}");
                assert_eq!(m.http_status(), r.http_status, "{at}");
                assert_eq!(m.mitigation(), r.mitigation, "{at}");
                assert_eq!(m.source(), r.source, "{at}");
                assert_eq!(m.note().unwrap_or(""), r.note, "{at}");
                // decode() of the number returns this row among its matches, in every textual form.
                let decimal = if key == Key::Signed {
                    (n as i32).to_string()
                } else {
                    n.to_string()
                };
                for text in [
                    decimal.clone(),
                    format!("0x{n:x}"),
                    format!("  {decimal}\t"),
                ] {
                    let hinted = DecodeOptions::new().catalogue(cat);
                    let d = decode_with(&text, &hinted)
                        .unwrap_or_else(|e| panic!("{at}: decode({text:?}): {e}"));
                    assert!(
                        d.iter().any(|m| same_row(m, r)),
                        "{at}: decode({text:?}) misses the row"
                    );
                }
            } else {
                let m = cat
                    .lookup_name(&r.code)
                    .find(|m| same_row(m, r))
                    .unwrap_or_else(|| panic!("{at}: code"));
                assert_eq!(m.code(), Code::Text(leak(&r.code)), "{at}");
                let d = decode(&r.code).unwrap_or_else(|e| panic!("{at}: decode: {e}"));
                assert_eq!(
                    d[0].code().to_string(),
                    r.code,
                    "{at}: the exact code should come first"
                );
            }
            // By name and every alias, in three casings.
            for key in std::iter::once(&r.name).chain(&r.aliases) {
                for text in [
                    key.clone(),
                    key.to_ascii_lowercase(),
                    key.to_ascii_uppercase(),
                ] {
                    assert!(
                        lookup_name(&text).any(|m| same_row(m, r)),
                        "{at}: lookup_name({text:?}) misses the row"
                    );
                    let d = decode_with(&text, &DecodeOptions::new().catalogue(cat))
                        .unwrap_or_else(|e| panic!("{at}: decode({text:?}): {e}"));
                    assert!(
                        d.iter().any(|m| same_row(m, r)),
                        "{at}: decode({text:?}) misses the row"
                    );
                }
            }
            assert!(
                cat == Catalogue::PosixErrno || !r.mitigation.trim().is_empty(),
                "{at}"
            );
            assert!(!r.source.trim().is_empty(), "{at}");
        }
    }
    assert!(total > 800, "only {total} rows read");
}

fn leak(s: &str) -> &'static str {
    Box::leak(s.to_string().into_boxed_str())
}

#[test]
fn service_error_catalogue_covers_every_reference_code() {
    // The 177 distinct codes of the reference tables (170 IoT Hub + 7 DPS-only), plus 404102 as the IoT Hub docs
    // table lists it. Spot checks of each range the reference has.
    let rows = read("service_errors.csv");
    let mut codes: Vec<u32> = rows.iter().map(|r| r.code.parse().unwrap()).collect();
    codes.dedup();
    assert_eq!(codes.len(), 178);
    for c in [
        400000, 400036, 400209, 401003, 403800, 404015, 404204, 408000, 409203, 429005, 499000,
        500505, 504101,
    ] {
        assert!(codes.contains(&c), "{c} missing");
    }
}

#[test]
fn disagreements_keep_every_meaning_current_first() {
    use azure_iot_codes::{ServiceErrorCode, Standing};
    let cases: &[(u32, &[&str])] = &[
        (400020, &["InvalidStorageEndpointOrBlob", "IotHubSuspended"]),
        (403001, &["IotHubSuspended", "JobQuotaExceeded"]),
        (
            429003,
            &["ThrottlingBacklogTimeout", "InvalidThrottleParameter"],
        ),
        (
            400209,
            &[
                "CustomAllocationUnauthorizedAccess",
                "CustomAllocationUnauthorizedAccess",
            ],
        ),
    ];
    for (code, names) in cases {
        let got: Vec<_> = ServiceErrorCode::new(*code)
            .unwrap()
            .meanings()
            .iter()
            .map(|m| m.name())
            .collect();
        assert_eq!(&got, names, "{code}");
    }
    let m = ServiceErrorCode::new(404102).unwrap().meanings();
    assert_eq!(m[0].standing(), Standing::DocError);
    assert_eq!(ServiceErrorCode::DEVICE_NOT_ONLINE.as_u32(), 404103);
    // PartitionNotFound: 503003 today, 404003 in 2018; both come back from the name.
    let d = decode("PartitionNotFound").unwrap();
    let codes: Vec<_> = d.iter().map(|m| m.code()).collect();
    assert!(codes.contains(&Code::Number(503003)) && codes.contains(&Code::Number(404003)));
    // 400209 depends on the service.
    let dps = ServiceErrorCode::new(400209)
        .unwrap()
        .meaning_for(azure_iot_codes::Service::Dps)
        .unwrap();
    let central = ServiceErrorCode::new(400209)
        .unwrap()
        .meaning_for(azure_iot_codes::Service::IotCentral)
        .unwrap();
    assert_ne!(dps.description(), central.description());
}
