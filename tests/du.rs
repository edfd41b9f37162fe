//! Device Update: every catalogued (name, value, versions) row round-trips; the bit layout, the textual forms,
//! the special encodings and the log-operation rule.

use azure_iot_codes::du::log_collection::{DeviceLogStatus, OperationStatus, operation_status};
use azure_iot_codes::du::{
    AgentVersion, DuLayout, ExtendedResultCode, PATTERN_IDS, result_code_is_success,
};
use azure_iot_codes::{Catalogue, DecodeOptions, decode, decode_with};
use proptest::prelude::*;

struct ErcRow {
    line: u64,
    code: u32,
    name: String,
    versions: Vec<AgentVersion>,
}

fn erc_rows() -> Vec<ErcRow> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/du_erc.csv");
    let mut r = csv::Reader::from_path(path).unwrap();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            ErcRow {
                line: rec.position().unwrap().line(),
                code: u32::from_str_radix(rec[0].trim_start_matches("0x"), 16).unwrap(),
                name: rec[1].to_string(),
                versions: rec[2].split(';').map(|v| v.parse().unwrap()).collect(),
            }
        })
        .collect()
}

fn erc_hint() -> DecodeOptions {
    DecodeOptions::new().catalogue(Catalogue::DuExtendedResultCode)
}

#[test]
fn catalogue_holds_every_reference_pair() {
    let rows = erc_rows();
    // du_erc_codes_by_version.tsv: 315 distinct (name, value) pairs over 8 tags; 286 named codes in 1.1.0,
    // 203 in 1.0.2, 141 in 0.8.0, 163 in 0.8.2, 190 in 1.0.0, 203 in 1.0.1, 20 in 0.6.0 and 0.7.0.
    assert_eq!(rows.len(), 315);
    for (v, n) in [
        (AgentVersion::V1_1_0, 286),
        (AgentVersion::V1_0_2, 203),
        (AgentVersion::V1_0_1, 203),
        (AgentVersion::V1_0_0, 190),
        (AgentVersion::V0_8_2, 163),
        (AgentVersion::V0_8_0, 141),
        (AgentVersion::V0_7_0, 20),
        (AgentVersion::V0_6_0, 20),
    ] {
        assert_eq!(
            rows.iter().filter(|r| r.versions.contains(&v)).count(),
            n,
            "{v}"
        );
    }
}

#[test]
fn every_row_round_trips_name_to_value_and_value_to_name_for_each_version() {
    for r in erc_rows() {
        let at = format!("data/du_erc.csv:{}", r.line);
        // name -> value
        let d = decode(&r.name).unwrap_or_else(|e| panic!("{at}: {e}"));
        assert!(
            d.iter()
                .any(|m| m.erc().is_some_and(|e| e.code().as_u32() == r.code)),
            "{at}: name -> value"
        );
        for v in &r.versions {
            // value -> name, for each version, in hex, unsigned and signed forms
            let opts = erc_hint().agent_version(*v);
            for text in [
                format!("{:#010x}", r.code),
                r.code.to_string(),
                (r.code as i32).to_string(),
            ] {
                let d = decode_with(&text, &opts).unwrap_or_else(|e| panic!("{at}: {text}: {e}"));
                // Agents 0.8.x give two names the same value (0x300001F7, 0x30100203): both come back.
                let m = d
                    .iter()
                    .find(|m| m.name() == r.name)
                    .unwrap_or_else(|| panic!("{at}: {text} with {v}"));
                assert!(m.agent_versions().contains(*v), "{at}");
                assert_eq!(m.erc().unwrap().layout(), v.layout(), "{at}");
                assert!(
                    d.iter().all(|m| m.agent_versions().contains(*v)),
                    "{at}: a reading for another version"
                );
            }
        }
    }
}

#[test]
fn version_awareness() {
    let names = |input: &str, v: Option<AgentVersion>| -> Vec<String> {
        let mut o = erc_hint();
        o.agent_version = v;
        decode_with(input, &o)
            .unwrap()
            .iter()
            .map(|m| m.name().to_string())
            .collect()
    };
    // 0xA0000001: legacy APT (0.6/0.7) vs 1.1.0 root key; without a version both, newest first.
    let all = names("0xA0000001", None);
    assert_eq!(
        all,
        [
            "ADUC_ERC_ROOTKEY_PKG_FAIL_JSON_PARSE",
            "ADUC_ERC_APT_HANDLER_INITIALIZATION_FAILURE"
        ]
    );
    assert_eq!(
        names("0xA0000001", Some(AgentVersion::V1_1_0)),
        ["ADUC_ERC_ROOTKEY_PKG_FAIL_JSON_PARSE"]
    );
    assert_eq!(
        names("0xA0000001", Some(AgentVersion::V0_7_0)),
        ["ADUC_ERC_APT_HANDLER_INITIALIZATION_FAILURE"]
    );
    assert_eq!(
        names("0xA0000001", Some(AgentVersion::V1_0_2)),
        ["unnamed code"]
    );
    // APT cancel failure moved: 0x30200300 in 1.0.2, 0x30200400 in 1.1.0.
    let cancel = "ADUC_ERC_APT_HANDLER_PACKAGE_CANCEL_FAILURE";
    assert_eq!(names("0x30200300", Some(AgentVersion::V1_0_2)), [cancel]);
    assert_eq!(names("0x30200400", Some(AgentVersion::V1_1_0)), [cancel]);
    assert_eq!(
        names("0x30200300", Some(AgentVersion::V1_1_0)),
        ["unnamed code"]
    );
    let d = decode(cancel).unwrap();
    let codes: Vec<u32> = d.iter().map(|m| m.erc().unwrap().code().as_u32()).collect();
    // 0xA0000007 in the 0.6/0.7 layout, 0x30200300 in 0.8.0-1.0.2, 0x30200400 in 1.1.0.
    assert_eq!(codes, [0x3020_0300, 0x3020_0400, 0xA000_0007]);
}

#[test]
fn special_encodings() {
    // Script exit codes: 0x30501000 + exit code (issues #487 and #624).
    for (input, exit) in [
        ("810553366", 22),
        ("0x30501001", 1),
        ("30501028,A0000FFF", 40),
    ] {
        let d = decode(input).unwrap();
        assert_eq!(d[0].erc().unwrap().exit_code(), Some(exit), "{input}");
        assert_eq!(d[0].pattern(), Some("EXIT_CODE_SCRIPT"));
    }
    for (code, pattern) in [
        (0x3010_1002u32, "EXIT_CODE_SWUPDATE"),
        (0x4010_1005, "EXIT_CODE_DO_DOWNLOADER"),
        (0x4030_101C, "EXIT_CODE_CURL_DOWNLOADER"),
        (0x90A0_0007, "DELTA_PROCESSOR_ERROR"),
        (0x7ABC_DEF0, "UNNAMED"),
    ] {
        let d = decode_with(&code.to_string(), &erc_hint()).unwrap();
        assert_eq!(d[0].pattern(), Some(pattern), "{code:#x}");
    }
    // The root plus rootkey-unchanged info code.
    let d = decode("30501028,A0000FFF").unwrap();
    assert_eq!(d[1].name(), "ADUC_ERC_ROOTKEY_PKG_UNCHANGED");
    // Delivery Optimization keeps the low 28 bits of the HRESULT: D0190193 is HTTP_E_STATUS_FORBIDDEN (403).
    let d = decode("D0190193").unwrap();
    let r = d[0].erc().unwrap();
    let dopt = r.delivery_optimization().unwrap();
    assert_eq!(dopt.hresult(), 0x8019_0193);
    assert_eq!(dopt.http_status(), Some(403));
    assert_eq!(dopt.row().unwrap().name(), "HTTP_E_STATUS_FORBIDDEN");
    assert!(r.component().is_none());
    let dopt = decode("0xD0D01001").unwrap()[0]
        .erc()
        .unwrap()
        .delivery_optimization()
        .unwrap();
    assert_eq!(dopt.row().unwrap().name(), "DO_E_NO_SERVICE");
    // errno component (current) and facility E (legacy).
    let d = decode_with("0x0000001C", &erc_hint()).unwrap();
    assert_eq!(d[0].erc().unwrap().errno().unwrap().name(), "ENOSPC");
    let d = decode("-536870781").unwrap();
    assert_eq!(
        d[0].erc().unwrap().errno().unwrap().name(),
        "ENOTRECOVERABLE"
    );
    assert_eq!(d[0].erc().unwrap().layout(), DuLayout::Legacy);
    // Reserved extension codes are listed beside the named code of the same number.
    let d = decode("0x40000003").unwrap();
    assert!(d.iter().any(|m| m.pattern() == Some("EXTENSION_RESERVED")));
    assert!(
        d.iter()
            .any(|m| m.name() == "ADUC_ERC_CONTENT_DOWNLOADER_DOWNLOADPROC_NOTIMP")
    );
    // An unknown value still decomposes and names the parts that are known.
    let d = decode_with(
        "0x30100FFF",
        &erc_hint().agent_version(AgentVersion::V1_1_0),
    )
    .unwrap();
    let r = d[0].erc().unwrap();
    assert_eq!(
        r.facility().1.unwrap().name(),
        "ADUC_FACILITY_EXTENSION_UPDATE_CONTENT_HANDLER"
    );
    assert_eq!(
        r.component().unwrap().1.unwrap().name(),
        "ADUC_CONTENT_HANDLER_SWUPDATE"
    );
    assert_eq!(r.value(), 0xFFF);
}

#[test]
fn every_pattern_id_has_a_row() {
    for id in PATTERN_IDS {
        assert!(
            Catalogue::DuErcPattern
                .rows()
                .iter()
                .any(|m| m.code().to_string() == id),
            "pattern {id} missing from data/du_erc_patterns.csv"
        );
    }
    assert_eq!(Catalogue::DuErcPattern.rows().len(), PATTERN_IDS.len());
}

#[test]
fn result_codes_success_rule_and_names() {
    for (input, name) in [
        ("700", "ADUC_Result_Apply_Success"),
        ("1", "ADUC_Result_Success"),
        ("-1", "ADUC_Result_Failure_Cancelled"),
        ("0", "ADUC_Result_Failure"),
        ("1200", "ADUC_Result_RootKey_Continue"),
        ("603", "ADUC_Result_Install_Skipped_UpdateAlreadyInstalled"),
    ] {
        let d = decode_with(
            input,
            &DecodeOptions::new().catalogue(Catalogue::DuResultCode),
        )
        .unwrap();
        assert!(
            d.iter().any(|m| m.name() == name),
            "{input}: {:?}",
            d.iter().map(|m| m.name()).collect::<Vec<_>>()
        );
    }
    let rows = Catalogue::DuResultCode.rows();
    assert!(rows.iter().all(|m| m.action().is_some()));
    assert!(
        result_code_is_success(700) && result_code_is_success(200) && !result_code_is_success(0)
    );
    let d = decode_with(
        "-7",
        &DecodeOptions::new().catalogue(Catalogue::DuDiagnosticsResult),
    )
    .unwrap();
    assert_eq!(d[0].name(), "NoSasCredential");
    let d = decode_with(
        "200",
        &DecodeOptions::new().catalogue(Catalogue::DuDiagnosticsResult),
    )
    .unwrap();
    assert_eq!(d[0].name(), "Success");
}

#[test]
fn twin_list_errors() {
    for bad in [
        "30501028,",
        ",A0000FFF",
        "30501028,XYZ",
        "1,2,3,4,5,6,7,8,9,10",
    ] {
        assert!(ExtendedResultCode::parse_list(bad).is_err(), "{bad}");
    }
}

fn reference_status(devs: &[DeviceLogStatus]) -> OperationStatus {
    use DeviceLogStatus::*;
    if devs.is_empty() || devs.iter().all(|d| *d == NotStarted) {
        OperationStatus::NotStarted
    } else if devs.iter().all(|d| matches!(d, Succeeded)) {
        OperationStatus::Succeeded
    } else if devs.iter().all(|d| matches!(d, Succeeded | Failed)) {
        OperationStatus::Failed
    } else {
        OperationStatus::Running
    }
}

fn status() -> impl Strategy<Value = DeviceLogStatus> {
    prop_oneof![
        Just(DeviceLogStatus::NotStarted),
        Just(DeviceLogStatus::Running),
        Just(DeviceLogStatus::Succeeded),
        Just(DeviceLogStatus::Failed),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    #[test]
    fn compose_then_every_form_decodes_to_the_same_parts(f in 0u8..16, c in any::<u8>(), v in 0u32..0x10_0000) {
        let code = ExtendedResultCode::from_parts(f, c, v).unwrap();
        prop_assert_eq!((code.facility(), code.component(), code.value()), (f, c, v));
        // With the Device Update hint exactly 8 bare digits are hex (agent 1.1.0's form); other decimal
        // lengths stay decimal.
        let decimal = |t: String| if t.len() == 8 { format!("{:#x}", code.as_u32()) } else { t };
        let forms = [
            format!("{:#x}", code.as_u32()),
            format!("{:08X}", code.as_u32()),
            decimal(code.as_i32().to_string()),
            decimal(code.as_u32().to_string()),
            format!("{:08x},A0000FFF", code.as_u32()),
        ];
        for text in forms {
            let d = decode_with(&text, &erc_hint().agent_version(AgentVersion::V1_1_0)).unwrap();
            let r = d[0].erc().unwrap();
            prop_assert_eq!(r.code(), code, "{}", text);
            prop_assert_eq!(r.layout(), DuLayout::Current);
            prop_assert_eq!(r.facility().0, f);
            if f != 13 {
                prop_assert_eq!(r.component().map(|x| x.0), Some(c));
                prop_assert_eq!(r.value(), v);
            }
        }
    }

    #[test]
    fn signed_unsigned_and_hex_forms_agree(n in any::<u32>()) {
        let a = ExtendedResultCode::parse(&n.to_string()).unwrap();
        let b = ExtendedResultCode::parse(&(n as i32).to_string()).unwrap();
        let c = ExtendedResultCode::parse(&format!("{n:#010x}")).unwrap();
        let d = ExtendedResultCode::parse_list(&format!("{n:08X}")).unwrap().next().unwrap();
        prop_assert_eq!(a, b);
        prop_assert_eq!(b, c);
        prop_assert_eq!(c, d);
        prop_assert_eq!(a.as_u32(), n);
    }

    #[test]
    fn log_operation_status_rule(devs in proptest::collection::vec(status(), 0..120)) {
        prop_assert_eq!(operation_status(devs.iter().copied()), reference_status(&devs));
    }

    #[test]
    fn agent_version_parse_never_panics(s in "[v0-9.]{0,12}") {
        let _ = s.parse::<AgentVersion>();
    }
}

#[test]
fn retry_decisions_for_device_update_codes() {
    use azure_iot_codes::retry::{Action, Context, Outcome, SplitMix64, decide};
    let mut rng = SplitMix64::new(1);
    let ctx = Context::new();
    let act = |o: Outcome, rng: &mut SplitMix64| decide(o, &ctx, rng).action();
    assert_eq!(act(Outcome::DuResultCode(700), &mut rng), Action::None);
    assert_eq!(act(Outcome::DuResultCode(-1), &mut rng), Action::None);
    assert_eq!(
        act(Outcome::DuResultCode(0), &mut rng),
        Action::OperatorAction
    );
    // Delivery Optimization carrying HTTP 403 needs a person; HTTP 500 is transient.
    let forbidden = ExtendedResultCode::new(0xD019_0193);
    let server_error = ExtendedResultCode::new(0xD019_01F4);
    assert_eq!(
        act(Outcome::DuExtendedResultCode(forbidden), &mut rng),
        Action::OperatorAction
    );
    let d = decide(Outcome::DuExtendedResultCode(server_error), &ctx, &mut rng);
    assert_eq!(d.action(), Action::Retry);
    assert!(d.delay().is_some());
    // From a decoded match.
    let m = decode("0x30501028").unwrap()[0];
    assert_eq!(decide(m, &ctx, &mut rng).action(), Action::OperatorAction);
}
