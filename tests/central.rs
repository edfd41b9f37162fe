#![cfg(feature = "alloc")]
//! IoT Central data path: the catalogues of the troubleshooting page (one table test per row) and the reader
//! of `az iot central diagnostics` output (one fixture per example output of the page and per unmodeled-data
//! cause, written anew in the same shape, in `tests/fixtures/central/`).

use azure_iot_codes::central::{
    Detail, EXPORT_CHECKS, EXPORT_DESTINATIONS, ExportRequirements, Finding, Grouping, NoticeKind,
    PropertySide, Report, Severity, SuggestionKind, Value, export_destination,
    looks_like_cli_output, parse,
};
use azure_iot_codes::{
    Catalogue, DecodeOptions, DpsLogCategory, DpsMetric, IotCentralExport, IotCentralStatus,
    IotCentralUnmodeledCause as Cause, decode, decode_with,
};

fn fixture(name: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/central/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn read(name: &str) -> Report {
    let r = parse(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert!(
        r.unrecognised.is_empty(),
        "{name}: not understood: {:?}",
        r.unrecognised
    );
    r
}

const TEMPLATE: &str = "urn:modelDefinition:q7wbtzkmra:x2fplhd0sn";

fn only_finding(r: &Report) -> &Finding {
    assert_eq!(r.findings.len(), 1, "{:#?}", r.findings);
    &r.findings[0]
}

// ---- The example outputs of the troubleshooting page ------------------------------------------------------

#[test]
fn monitor_events_shows_the_telemetry_event() {
    let r = read("monitor-events.txt");
    assert!(r.findings.is_empty());
    assert_eq!(r.device_filter.as_deref(), Some("boiler-07"));
    let kinds: Vec<_> = r.notices.iter().map(|n| n.kind).collect();
    assert_eq!(kinds, [NoticeKind::Monitoring, NoticeKind::DeviceFilter]);
    let e = &r.events[0];
    assert_eq!((e.lines.first, e.lines.last), (3, 14));
    assert_eq!(e.device_id.as_deref(), Some("boiler-07"));
    assert_eq!(
        (&e.module, &e.interface, &e.component),
        (&None, &None, &None)
    );
    assert_eq!(
        e.payload.get("pressure").and_then(Value::as_number),
        Some("2.3187412093")
    );
    assert_eq!(
        e.payload.get("flowRate").and_then(Value::as_number),
        Some("14.20554178")
    );
}

#[test]
fn monitor_properties_reads_the_wrapped_python_dict() {
    let r = read("monitor-properties.txt");
    assert!(r.findings.is_empty());
    let c = &r.property_changes[0];
    assert_eq!(c.side, PropertySide::Reported);
    assert_eq!(c.version, Some(41));
    assert_eq!((c.lines.first, c.lines.last), (1, 5));
    let p = &c.properties;
    assert_eq!(p.get("mode").and_then(Value::as_str), Some("eco"));
    // The key 'ac' is split across two lines by the terminal.
    let label = p.get("label").unwrap();
    assert_eq!(label.get("ac").and_then(Value::as_number), Some("200"));
    assert_eq!(
        label
            .get("value")
            .and_then(|v| v.get("value"))
            .and_then(Value::as_str),
        Some("Hall B")
    );
    assert_eq!(
        p.get("processorArchitecture").and_then(Value::as_str),
        Some("x86_64")
    );
    let names: Vec<_> = c.entries().into_iter().map(|(_, n, _)| n).collect();
    assert_eq!(
        names,
        [
            "mode",
            "label",
            "setpoint",
            "processorArchitecture",
            "swVersion"
        ]
    );
}

#[test]
fn registration_info_of_a_blocked_device() {
    let r = read("registration-info-blocked.json");
    let reg = &r.registrations[0];
    assert_eq!(reg.device_id.as_deref(), Some("kq81vnd3ze"));
    assert_eq!(reg.status, Some(IotCentralStatus::Blocked));
    assert_eq!(reg.simulated, Some(false));
    assert_eq!(
        reg.template.as_deref(),
        Some("urn:p2sjk_z4m:modelDefinition:h61bxuvqle")
    );
    assert_eq!(reg.dps_status, None);
    // The error string is wrapped inside the JSON string, as the page shows it.
    assert!(reg.error.as_deref().unwrap().contains("Unblock the device"));
    assert!(
        reg.status
            .unwrap()
            .mitigation()
            .to_lowercase()
            .contains("unblock")
    );
}

#[test]
fn validate_messages_name_differing_only_in_case() {
    let r = read("validate-messages-case.txt");
    assert_eq!(r.device_filter.as_deref(), Some("boiler-07"));
    let f = only_finding(&r);
    assert_eq!(f.severity, Severity::Warning);
    assert!(f.reported);
    assert_eq!(f.device_id.as_deref(), Some("boiler-07"));
    assert_eq!(f.template_id.as_deref(), Some(TEMPLATE));
    assert_eq!(f.cause, Cause::NameCaseMismatch);
    let Detail::NotInTemplate {
        names,
        template,
        grouping,
    } = &f.detail
    else {
        panic!("{:?}", f.detail)
    };
    assert_eq!(*grouping, Some(Grouping::Components));
    let groups: Vec<_> = template.iter().map(|g| g.group.as_str()).collect();
    assert_eq!(groups, ["boiler1", "boiler2", "deviceInformation"]);
    assert_eq!(template[2].capabilities.len(), 8);
    assert_eq!(names.len(), 1);
    assert_eq!(names[0].name, "Pressure");
    let s = names[0].did_you_mean.as_ref().unwrap();
    assert_eq!(s.capability, "pressure");
    assert_eq!(s.kind, SuggestionKind::CaseOnly);
    assert_eq!(s.groups, ["boiler1", "boiler2"]);
    assert!(f.meaning().mitigation().contains("exactly as the template"));
    // The listing is kept for checking events.
    assert_eq!(
        r.template.as_ref().unwrap().template_id.as_deref(),
        Some(TEMPLATE)
    );
}

#[test]
fn validate_properties_property_not_in_the_template() {
    let r = read("validate-properties-not-in-template.txt");
    assert_eq!(r.notices[0].kind, NoticeKind::PreviewNotice);
    let f = only_finding(&r);
    assert_eq!(f.cause, Cause::NameNotInTemplate);
    let Detail::NotInTemplate { names, .. } = &f.detail else {
        panic!()
    };
    assert_eq!(names[0].name, "kernelBuild");
    assert_eq!(names[0].did_you_mean, None);
    assert!(f.meaning().mitigation().contains("new device template"));
}

#[test]
fn validate_messages_datatype_mismatch() {
    let r = read("validate-messages-datatype.txt");
    let f = only_finding(&r);
    assert_eq!(f.severity, Severity::Error);
    assert_eq!(f.cause, Cause::SchemaMismatch);
    assert_eq!(
        f.detail,
        Detail::DatatypeMismatch {
            field: "pressure".into(),
            expected: "double".into(),
            sent: "high".into(),
            sent_looks_like: "string",
        }
    );
}

// ---- One fixture per unmodeled-data cause ------------------------------------------------------------------

/// The fixture that shows each cause, and whether the validator reports it (or this reader derives it).
const CAUSE_FIXTURES: &[(Cause, &str, bool)] = &[
    (Cause::NameCaseMismatch, "validate-messages-case.txt", true),
    (
        Cause::NameNotInTemplate,
        "validate-properties-not-in-template.txt",
        true,
    ),
    (
        Cause::SchemaMismatch,
        "validate-messages-datatype.txt",
        true,
    ),
    (Cause::InvalidJson, "invalid-json.txt", true),
    (Cause::EdgeUnmodeledComponent, "edge-unmodeled.txt", false),
    (Cause::DuplicateName, "duplicate-name.txt", true),
    (Cause::InvalidFieldName, "invalid-field-name.txt", true),
    (Cause::UnknownComponent, "unknown-component.txt", true),
    (Cause::TemplateNotFound, "template-not-found.txt", true),
    (Cause::ContentType, "content-type.txt", true),
    (Cause::ContentEncoding, "content-type.txt", true),
];

#[test]
fn every_unmodeled_cause_has_a_fixture_that_finds_it() {
    for cause in Cause::ALL {
        let (_, file, reported) = CAUSE_FIXTURES
            .iter()
            .find(|(c, _, _)| *c == cause)
            .unwrap_or_else(|| panic!("no fixture for {cause}"));
        let r = read(file);
        let f = r
            .findings
            .iter()
            .find(|f| f.cause == cause)
            .unwrap_or_else(|| panic!("{file}: {cause} not found in {:#?}", r.findings));
        assert_eq!(f.reported, *reported, "{file}");
        assert!(r.causes().contains(&cause));
        // The finding carries its row: what happened, what to do, where it comes from.
        let m = f.meaning();
        assert_eq!(m.catalogue(), Catalogue::IotCentralUnmodeledCause);
        assert_eq!(m.code().to_string(), cause.as_str());
        assert!(!m.mitigation().is_empty() && !m.source().is_empty());
    }
}

#[test]
fn invalid_json_from_the_event_and_the_error_line() {
    let r = read("invalid-json.txt");
    // The validator's error is reported; the event whose payload is a string is not reported twice.
    let f = only_finding(&r);
    assert_eq!(f.cause, Cause::InvalidJson);
    assert!(f.reported);
    assert_eq!(f.message.as_deref(), Some("Invalid JSON format."));
    assert!(matches!(r.events[0].payload, Value::String(_)));
    // Without the error line the event alone tells.
    let only_event: String = fixture("invalid-json.txt")
        .lines()
        .filter(|l| !l.starts_with("[ERROR]"))
        .collect::<Vec<_>>()
        .join("\n");
    let r = parse(&only_event).unwrap();
    let f = only_finding(&r);
    assert_eq!(f.cause, Cause::InvalidJson);
    assert!(!f.reported);
    assert_eq!(
        f.detail,
        Detail::InvalidJson {
            payload: Some("{\"pressure\": 2.4, \"flowRate\": }".into())
        }
    );
    assert!(
        f.meaning()
            .note()
            .unwrap()
            .contains("neither the validate commands")
    );
}

#[test]
fn edge_unmodeled_data_in_an_event_and_in_free_text() {
    let r = read("edge-unmodeled.txt");
    let f = only_finding(&r);
    assert_eq!(
        f.detail,
        Detail::UnmodeledData {
            at: "payload._unmodeleddata".into()
        }
    );
    assert_eq!(f.device_id.as_deref(), Some("edge-gw-02"));
    assert!(f.meaning().mitigation().contains("1.2.4"));
    assert_eq!(r.events[0].module.as_deref(), Some("boilerModule"));
    let r = parse("boiler1 pressure only shows under _unmodeleddata in Raw data").unwrap();
    assert_eq!(only_finding(&r).cause, Cause::EdgeUnmodeledComponent);
    assert!(r.unrecognised.is_empty());
}

#[test]
fn duplicate_name_lists_the_interfaces() {
    let f = only_finding(&read("duplicate-name.txt")).clone();
    assert_eq!(
        f.detail,
        Detail::DuplicateName {
            name: "serialNumber".into(),
            interfaces: vec![
                "urn:contoso:boilerInfo:1".into(),
                "urn:contoso:assetTag:1".into()
            ],
        }
    );
}

#[test]
fn validator_messages_beyond_the_page() {
    let f = only_finding(&read("invalid-field-name.txt")).clone();
    assert_eq!(
        f.detail,
        Detail::InvalidFieldNames {
            names: vec!["flow-rate".into(), "2ndSensor".into()]
        }
    );
    assert_eq!(f.template_id, None);

    let f = only_finding(&read("unknown-component.txt")).clone();
    let Detail::UnknownComponent {
        component,
        allowed,
        did_you_mean,
    } = &f.detail
    else {
        panic!()
    };
    assert_eq!(component, "boiler3");
    assert_eq!(allowed, &["boiler1", "boiler2", "deviceInformation"]);
    let s = did_you_mean.as_ref().unwrap();
    assert_eq!((s.capability.as_str(), s.distance), ("boiler1", 1));

    let f = only_finding(&read("template-not-found.txt")).clone();
    assert_eq!(
        f.detail,
        Detail::TemplateNotFound {
            error: "(DeviceNotFound) Device boiler-99 was not found".into()
        }
    );
    assert_eq!(f.template_id.as_deref(), Some("Unknown"));

    let r = read("content-type.txt");
    let details: Vec<_> = r.findings.iter().map(|f| f.detail.clone()).collect();
    assert_eq!(
        details,
        [
            Detail::ContentType {
                sent: "text/plain".into(),
                expected: "application/json".into()
            },
            Detail::ContentEncoding { sent: None },
            Detail::ContentEncoding {
                sent: Some("utf-16".into())
            },
        ]
    );
}

// ---- Terminal wrapping, several runs, summaries, noise -----------------------------------------------------

#[test]
fn a_wrapped_warning_is_joined_and_a_typo_gets_did_you_mean() {
    let r = read("validate-messages-wrapped.txt");
    let f = only_finding(&r);
    assert_eq!((f.lines.first, f.lines.last), (2, 8));
    // One name is a typo, one a case change: the finding's cause is the broader one.
    assert_eq!(f.cause, Cause::NameNotInTemplate);
    let Detail::NotInTemplate { names, .. } = &f.detail else {
        panic!()
    };
    let typo = names[0].did_you_mean.as_ref().unwrap();
    assert_eq!(
        (typo.capability.as_str(), typo.kind, typo.distance),
        ("flowRate", SuggestionKind::Edit, 1)
    );
    assert_eq!(names[0].cause, Cause::NameNotInTemplate);
    assert_eq!(names[1].cause, Cause::NameCaseMismatch);
    assert_eq!(
        r.causes(),
        [Cause::NameNotInTemplate, Cause::NameCaseMismatch]
    );
    // The message's lines joined back into one give the same finding.
    let msg: String = fixture("validate-messages-wrapped.txt")
        .lines()
        .skip(1)
        .take(7)
        .collect();
    let single = parse(&msg).unwrap();
    assert_eq!(single.findings[0].detail, f.detail);
}

#[test]
fn json_style_summary() {
    let r = read("validate-messages-json-style.txt");
    let causes: Vec<_> = r.findings.iter().map(|f| f.cause).collect();
    assert_eq!(causes, [Cause::NameCaseMismatch, Cause::InvalidJson]);
    assert_eq!(
        r.findings[1].detail,
        Detail::InvalidJson {
            payload: Some("{\"pressure\": }".into())
        }
    );
    assert_eq!(r.findings[0].severity, Severity::Warning);
    assert_eq!(r.findings[1].severity, Severity::Error);
}

#[test]
fn events_are_checked_against_the_template_listed_in_the_same_text() {
    let r = read("events-against-template.txt");
    assert_eq!(r.findings.len(), 2);
    let derived = &r.findings[1];
    assert!(!derived.reported);
    assert_eq!(derived.lines, r.events[0].lines);
    let Detail::NotInTemplate { names, .. } = &derived.detail else {
        panic!()
    };
    // 'pressure' is defined in boiler1; 'flowrate' only differs in case from 'flowRate'.
    assert_eq!(names.len(), 1);
    assert_eq!(names[0].name, "flowrate");
    assert_eq!(names[0].cause, Cause::NameCaseMismatch);
}

#[test]
fn property_changes_are_checked_per_component() {
    let text = format!(
        "{}\nChanges in reported properties:\nversion : 9\n{{'boiler1': {{'__t': 'c', 'maxPressureSinceBoot': 3.1, 'maxPresureSinceBoot': 3.1}}, 'deviceInformation': {{'__t': 'c', 'swversion': '1.2'}}, 'pressure': 2}}",
        fixture("validate-messages-case.txt")
    );
    let r = parse(&text).unwrap();
    assert!(r.unrecognised.is_empty(), "{:?}", r.unrecognised);
    let derived: Vec<_> = r.findings.iter().filter(|f| !f.reported).collect();
    let got: Vec<_> = derived
        .iter()
        .flat_map(|f| match &f.detail {
            Detail::NotInTemplate { names, .. } => names
                .iter()
                .map(|n| {
                    let s = n.did_you_mean.as_ref().unwrap();
                    (n.name.clone(), s.capability.clone(), s.kind)
                })
                .collect::<Vec<_>>(),
            _ => vec![],
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                "maxPresureSinceBoot".to_string(),
                "maxPressureSinceBoot".to_string(),
                SuggestionKind::Edit
            ),
            (
                "swversion".to_string(),
                "swVersion".to_string(),
                SuggestionKind::CaseOnly
            ),
        ]
    );
    // 'pressure' at the root is not judged: a listing grouped by components leaves the root out.
    assert!(derived.iter().all(|f| match &f.detail {
        Detail::NotInTemplate { names, .. } => names.iter().all(|n| n.name != "pressure"),
        _ => true,
    }));
    assert_eq!(r.device_filter.as_deref(), Some("boiler-07"));
    assert!(
        derived
            .iter()
            .all(|f| f.device_id.as_deref() == Some("boiler-07"))
    );
}

#[test]
fn lines_not_understood_are_kept_as_they_were() {
    let text = fixture("with-noise.txt");
    let r = parse(&text).unwrap();
    let kept: Vec<_> = r
        .unrecognised
        .iter()
        .map(|l| (l.line, l.text.as_str()))
        .collect();
    let lines: Vec<_> = text.lines().collect();
    assert_eq!(kept, [(1, lines[0]), (3, lines[2]), (5, lines[4])]);
    let f = only_finding(&r);
    assert_eq!(f.cause, Cause::SchemaMismatch);
    let Detail::DatatypeMismatch {
        sent,
        sent_looks_like,
        ..
    } = &f.detail
    else {
        panic!()
    };
    assert_eq!(
        (sent.as_str(), *sent_looks_like),
        ("{'value': 3}", "object")
    );
}

#[test]
fn several_runs_pasted_together() {
    let text = [
        "validate-messages-case.txt",
        "monitor-events.txt",
        "monitor-properties.txt",
        "validate-messages-datatype.txt",
    ]
    .map(fixture)
    .join("\n");
    let r = parse(&text).unwrap();
    assert!(r.unrecognised.is_empty(), "{:?}", r.unrecognised);
    assert_eq!(r.events.len(), 1);
    assert_eq!(r.property_changes.len(), 1);
    let causes: Vec<_> = r.findings.iter().map(|f| f.cause).collect();
    assert_eq!(causes, [Cause::NameCaseMismatch, Cause::SchemaMismatch]);
}

#[test]
fn recognising_cli_output() {
    for name in [
        "monitor-events.txt",
        "monitor-properties.txt",
        "registration-info-blocked.json",
        "validate-messages-case.txt",
        "validate-messages-json-style.txt",
        "edge-unmodeled.txt",
        "with-noise.txt",
    ] {
        assert!(looks_like_cli_output(&fixture(name)), "{name}");
    }
    for code in [
        "404001",
        "DEVICE_DISABLED",
        "401 IoTHubUnauthorized",
        "0x30501028",
        "[1, 2]",
    ] {
        assert!(!looks_like_cli_output(code), "{code}");
    }
}

#[test]
fn bounded_input() {
    let big = "x".repeat(azure_iot_codes::central::MAX_INPUT_LEN + 1);
    let e = parse(&big).unwrap_err();
    assert_eq!(e.kind(), azure_iot_codes::ErrorKind::TooLarge);
    // Deep nesting, a block that never closes and a message that never completes are kept, not followed.
    for text in [
        "[".repeat(100_000),
        format!("{{'a': {}", "[".repeat(5000)),
        format!(
            "[WARNING] [DeviceId: d] {}",
            "Device is sending data that has not been defined in the device template."
        ),
    ] {
        let r = parse(&text).unwrap();
        assert_eq!(r.unrecognised.len(), 1);
        assert_eq!(r.unrecognised[0].text, text);
    }
    // Many lines that each open a block that never closes stay linear.
    let text = "{\n".repeat(200_000);
    let start = std::time::Instant::now();
    let r = parse(&text).unwrap();
    assert_eq!(r.unrecognised.len(), 200_000);
    assert!(start.elapsed().as_secs() < 30);
}

#[test]
fn many_findings_and_events_stay_fast_and_the_suggestion_budget_is_reported() {
    let mut text = String::new();
    for i in 0..3000 {
        text.push_str(&format!(
            "[ERROR] [DeviceId: d{i}] Invalid characters detected. Invalid field names: '['a-{i}']'. Allowed characters: ['a-z'].\n"
        ));
        text.push_str(&format!(
            "{{\"event\": {{\"origin\": \"d{i}\", \"payload\": {{\"a-{i}\": 1, \"b-{i}\": 2}}}}}}\n"
        ));
    }
    let start = std::time::Instant::now();
    let r = parse(&text).unwrap();
    assert!(r.unrecognised.is_empty());
    assert_eq!(r.events.len(), 3000);
    // Each event adds only the name its device's validator line did not report.
    let derived: Vec<_> = r.findings.iter().filter(|f| !f.reported).collect();
    assert_eq!(derived.len(), 3000);
    assert!(derived.iter().all(|f| matches!(&f.detail, Detail::InvalidFieldNames { names } if names.len() == 1 && names[0].starts_with("b-"))));
    assert!(start.elapsed().as_secs() < 20, "{:?}", start.elapsed());

    // A template of 300 capabilities and 200 unknown names: 60000 comparisons, more than the budget.
    let caps: Vec<String> = (0..300).map(|i| format!("'capability{i:03}'")).collect();
    let names: Vec<String> = (0..200).map(|i| format!("'name{i:03}'")).collect();
    let line = format!(
        "[WARNING] [DeviceId: d] [TemplateId: t] Device is sending data that has not been defined in the device template. Following capabilities have NOT been defined in the device template '[{}]'. Following capabilities have been defined in the device template (grouped by components) '{{'c': [{}]}}'.",
        names.join(", "),
        caps.join(", ")
    );
    let r = parse(&line).unwrap();
    assert!(r.suggestions_skipped);
    let Detail::NotInTemplate { names, .. } = &r.findings[0].detail else {
        panic!()
    };
    assert_eq!(names.len(), 200);
}

// ---- Data export -------------------------------------------------------------------------------------------

#[test]
fn export_destination_roles_match_the_page() {
    // Destination -> permission, as the troubleshooting page's table gives them.
    let table = [
        ("Azure Blob storage", "Storage Blob Data Contributor"),
        ("Azure Service Bus", "Azure Service Bus Data Sender"),
        ("Azure Event Hubs", "Azure Event Hubs Data Sender"),
        ("Azure Data Explorer", "Admin"),
    ];
    assert_eq!(EXPORT_DESTINATIONS.len(), table.len());
    for (dest, (name, role)) in EXPORT_DESTINATIONS.iter().zip(table) {
        assert_eq!(dest.name(), name);
        assert_eq!(export_destination(name).unwrap(), *dest);
        let req = ExportRequirements::of(*dest).unwrap();
        assert_eq!(req.role, role);
        assert!(req.destination.mitigation().contains(role), "{name}");
        assert!(
            req.destination
                .mitigation()
                .contains("remove it and add it again"),
            "{name}"
        );
        assert_eq!(req.checks.len(), EXPORT_CHECKS.len());
    }
    for (spelling, dest) in [
        ("blob", IotCentralExport::BlobStorage),
        ("BLOB_STORAGE", IotCentralExport::BlobStorage),
        ("service-bus", IotCentralExport::ServiceBus),
        ("servicebus", IotCentralExport::ServiceBus),
        ("eventhub", IotCentralExport::EventHubs),
        ("Event Hubs", IotCentralExport::EventHubs),
        ("data-explorer", IotCentralExport::DataExplorer),
        ("ADX", IotCentralExport::DataExplorer),
    ] {
        assert_eq!(export_destination(spelling).unwrap(), dest, "{spelling}");
    }
    let e = export_destination("cosmos-db").unwrap_err();
    assert_eq!(e.kind(), azure_iot_codes::ErrorKind::NotFound);
    assert!(e.to_string().contains("event-hubs"));
    assert_eq!(
        export_destination("  ").unwrap_err().kind(),
        azure_iot_codes::ErrorKind::Empty
    );
}

#[test]
fn export_checks_say_what_the_page_says() {
    use IotCentralExport::*;
    let says: &[(IotCentralExport, &[&str])] = &[
        (
            IdentityEnabled,
            &["az iot central app identity show", "Identity page"],
        ),
        (RoleAssigned, &["az role assignment list", "add it again"]),
        (
            NetworkAccess,
            &["virtual network", "private endpoint", "firewall"],
        ),
        (SimulatedDevices, &["simulated"]),
        (DataAfterEnable, &["REST API"]),
        (DestinationConnection, &["export definition page"]),
    ];
    assert_eq!(says.len(), EXPORT_CHECKS.len());
    for (check, words) in says {
        assert!(EXPORT_CHECKS.contains(check));
        let m = check.meaning();
        let text = format!("{} {}", m.description(), m.mitigation());
        for w in *words {
            assert!(text.contains(w), "{check}: {w:?} missing in {text}");
        }
        assert!(m.source().contains("iot-central/core/troubleshoot.md"));
    }
    // Nothing from simulated devices under a managed identity; only data after enabling.
    assert!(
        SimulatedDevices
            .description()
            .contains("exports nothing from simulated devices")
    );
    assert!(
        DataAfterEnable
            .description()
            .contains("after the export was enabled")
    );
}

// ---- DPS metrics and log categories ------------------------------------------------------------------------

#[test]
fn dps_metrics_table() {
    let table = [
        ("AttestationAttempts", "Attestation attempts", "Status"),
        ("DeviceAssignments", "Device assigned", "IotHubName"),
        (
            "RegistrationAttempts",
            "Registration attempts",
            "IotHubName",
        ),
    ];
    assert_eq!(DpsMetric::ALL.len(), table.len());
    for (m, (code, name, dimension)) in DpsMetric::ALL.iter().zip(table) {
        assert_eq!(m.as_str(), code);
        assert_eq!(m.name(), name);
        assert!(m.description().contains(dimension));
        assert_eq!(name.parse::<DpsMetric>().unwrap(), *m);
        assert_eq!(decode(name).unwrap()[0].catalogue(), Catalogue::DpsMetric);
        assert!(m.source().contains("how-to-troubleshoot-dps.md"));
    }
}

#[test]
fn dps_log_categories_name_the_fields_to_read() {
    assert_eq!(DpsLogCategory::ALL.len(), 2);
    for c in DpsLogCategory::ALL {
        for field in DpsLogCategory::RESULT_FIELDS {
            assert!(c.mitigation().contains(field), "{c}: {field}");
        }
        assert!(c.mitigation().contains(DpsLogCategory::TABLE));
    }
    assert!(
        DpsLogCategory::ServiceOperations
            .description()
            .contains("enrollment groups")
    );
    let d = decode_with(
        "deviceoperations",
        &DecodeOptions::new().catalogue(Catalogue::DpsLogCategory),
    )
    .unwrap();
    assert_eq!(d[0].code().to_string(), "DeviceOperations");
}

#[test]
fn unmodeled_cause_rows_cite_the_page_or_the_cli() {
    for c in Cause::ALL {
        let s = c.source();
        assert!(
            s.contains("iot-central/core/troubleshoot.md (ms.date 02/06/2024)")
                || s.contains("azure-iot-cli-extension:azext_iot/"),
            "{c}: {s}"
        );
    }
    // The causes the page itself lists.
    for c in [
        Cause::NameCaseMismatch,
        Cause::NameNotInTemplate,
        Cause::SchemaMismatch,
        Cause::InvalidJson,
        Cause::EdgeUnmodeledComponent,
        Cause::DuplicateName,
    ] {
        assert!(c.source().contains("troubleshoot.md"), "{c}");
        assert!(
            c.mitigation().contains("firmware")
                || c.mitigation().contains("template")
                || c.mitigation().contains("IoT Edge")
                || c.mitigation().contains("serializer"),
            "{c}"
        );
    }
    assert_eq!(
        "_unmodeleddata".parse::<Cause>().unwrap(),
        Cause::EdgeUnmodeledComponent
    );
}

// ---- Properties ----------------------------------------------------------------------------------------------

use proptest::prelude::*;

/// Every line that is not blank is accounted for, and every line kept as unrecognised is the input line, word
/// for word, and part of nothing else.
fn check_accounting(text: &str, r: &Report) -> Result<(), TestCaseError> {
    let lines: Vec<&str> = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    let spans: Vec<_> = r
        .findings
        .iter()
        .map(|f| f.lines)
        .chain(r.events.iter().map(|e| e.lines))
        .chain(r.property_changes.iter().map(|p| p.lines))
        .chain(r.registrations.iter().map(|g| g.lines))
        .collect();
    for u in &r.unrecognised {
        prop_assert!(u.line >= 1 && u.line <= lines.len());
        prop_assert_eq!(u.text.as_str(), lines[u.line - 1]);
        prop_assert!(
            !spans.iter().any(|s| s.contains(u.line)),
            "line {} kept and used",
            u.line
        );
        prop_assert!(!r.notices.iter().any(|n| n.line == u.line));
    }
    for (i, l) in lines.iter().enumerate() {
        let n = i + 1;
        if l.trim().is_empty() {
            continue;
        }
        let covered = r.unrecognised.iter().any(|u| u.line == n)
            || r.notices.iter().any(|x| x.line == n)
            || spans.iter().any(|s| s.contains(n));
        prop_assert!(covered, "line {} dropped: {:?}", n, l);
    }
    Ok(())
}

fn all_fixture_lines() -> Vec<String> {
    let dir = format!("{}/tests/fixtures/central", env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
        .iter()
        .flat_map(|p| {
            std::fs::read_to_string(p)
                .unwrap()
                .lines()
                .map(String::from)
                .collect::<Vec<_>>()
        })
        .collect()
}

fn wrap(line: &str, width: usize) -> String {
    let chars: Vec<char> = line.chars().collect();
    chars
        .chunks(width)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

fn value_strategy() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| Value::Number(n.to_string())),
        (-1e6f64..1e6).prop_map(|x| Value::Number(format!("{x:?}"))),
        any::<String>().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec(("[a-zA-Z_'\" ]{0,8}", inner), 0..6).prop_map(Value::Object),
        ]
    })
}

/// Python's `repr` of a value, as `print(dict)` writes it.
fn python_repr(v: &Value) -> String {
    fn string(s: &str) -> String {
        let quote = if s.contains('\'') && !s.contains('"') {
            '"'
        } else {
            '\''
        };
        let mut out = String::from(quote);
        for c in s.chars() {
            match c {
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                c if c == quote => {
                    out.push('\\');
                    out.push(c);
                }
                c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                    out.push_str(&format!("\\x{:02x}", c as u32))
                }
                c => out.push(c),
            }
        }
        out.push(quote);
        out
    }
    match v {
        Value::Null => "None".into(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Number(n) => n.clone(),
        Value::String(s) => string(s),
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(python_repr).collect::<Vec<_>>().join(", ")
        ),
        Value::Object(pairs) => format!(
            "{{{}}}",
            pairs
                .iter()
                .map(|(k, v)| format!("{}: {}", string(k), python_repr(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    #[test]
    fn parse_never_panics_and_keeps_every_line(text in "(?s).{0,400}") {
        let r = parse(&text).unwrap();
        check_accounting(&text, &r)?;
    }

    #[test]
    fn real_lines_shuffled_cut_and_mixed_with_noise(
        picks in prop::collection::vec((any::<prop::sample::Index>(), 0usize..4, any::<prop::sample::Index>()), 0..30),
        noise in prop::collection::vec("[ -~]{0,40}", 30),
        crlf in any::<bool>(),
    ) {
        let pool = all_fixture_lines();
        let mut lines = Vec::new();
        for (i, (line, how, cut)) in picks.iter().enumerate() {
            let l = &pool[line.index(pool.len())];
            match how {
                0 => lines.push(l.clone()),
                1 => {
                    // Cut at a char boundary.
                    let chars: Vec<char> = l.chars().collect();
                    lines.push(chars[..cut.index(chars.len() + 1)].iter().collect());
                }
                2 => lines.push(noise[i].clone()),
                _ => lines.push(wrap(l, 1 + cut.index(120))),
            }
        }
        let text = lines.join(if crlf { "\r\n" } else { "\n" });
        let r = parse(&text).unwrap();
        check_accounting(&text, &r)?;
    }

    #[test]
    fn every_fixture_reads_the_same_however_the_terminal_wraps_it(
        file in prop::sample::select(vec![
            "validate-messages-case.txt",
            "validate-properties-not-in-template.txt",
            "validate-messages-datatype.txt",
            "duplicate-name.txt",
            "unknown-component.txt",
            "invalid-field-name.txt",
            "monitor-properties.txt",
            "monitor-events.txt",
        ]),
        width in 60usize..200,
    ) {
        let text = fixture(file);
        let plain = parse(&text).unwrap();
        // Wrap every long line (the dict of monitor-properties is first joined back into one line).
        let joined = text.replace("'a\nc'", "'ac'").replace("200\n}", "200}");
        let wrapped: Vec<String> = joined.lines().map(|l| wrap(l, width)).collect();
        let wrapped = wrapped.join("\n");
        let r = parse(&wrapped).unwrap();
        check_accounting(&wrapped, &r)?;
        prop_assert!(r.unrecognised.is_empty(), "{:?}", r.unrecognised);
        let details = |r: &Report| r.findings.iter().map(|f| (f.cause, f.detail.clone())).collect::<Vec<_>>();
        prop_assert_eq!(details(&r), details(&plain));
        prop_assert_eq!(
            r.property_changes.iter().map(|p| p.properties.clone()).collect::<Vec<_>>(),
            plain.property_changes.iter().map(|p| p.properties.clone()).collect::<Vec<_>>()
        );
        prop_assert_eq!(
            r.events.iter().map(|e| e.payload.clone()).collect::<Vec<_>>(),
            plain.events.iter().map(|e| e.payload.clone()).collect::<Vec<_>>()
        );
    }

    #[test]
    fn json_and_python_forms_read_back(v in value_strategy()) {
        let json = v.to_string();
        prop_assert_eq!(azure_iot_codes::central::parse_literal(&json).unwrap(), v.clone());
        let py = python_repr(&v);
        prop_assert_eq!(azure_iot_codes::central::parse_literal(&py).unwrap(), v);
    }

    #[test]
    fn parse_literal_never_panics(text in "(?s).{0,200}") {
        let _ = azure_iot_codes::central::parse_literal(&text);
    }

    #[test]
    fn edit_distance_is_a_bounded_metric(a in "[a-zA-Z]{0,12}", b in "[a-zA-Z]{0,12}", max in 0usize..4) {
        use azure_iot_codes::central::edit_distance;
        let d = edit_distance(&a, &b, max);
        prop_assert_eq!(d, edit_distance(&b, &a, max));
        prop_assert_eq!(edit_distance(&a, &a, 0), Some(0));
        if let Some(d) = d {
            prop_assert!(d <= max);
            prop_assert!(d >= a.len().abs_diff(b.len()));
            prop_assert_eq!(d == 0, a.eq_ignore_ascii_case(&b));
        }
    }
}
