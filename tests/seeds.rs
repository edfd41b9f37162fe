//! One test row per row of the tables in the seed documents (the DPS troubleshooting page in both revisions,
//! the IoT Central troubleshooting page): the code decodes to the expected catalogue and name, and the
//! mitigation says what the seed says to do.

use azure_iot_codes::{Catalogue, DecodeOptions, Meaning, Service, decode_with};

struct Case {
    /// The document and table the row comes from.
    seed: &'static str,
    input: &'static str,
    service: Option<Service>,
    catalogue: Catalogue,
    name: &'static str,
    /// Each inner list: at least one of these words (case-insensitive) appears in the mitigation.
    mitigation_says: &'static [&'static [&'static str]],
}

const DPS_OLD: &str = "DPS troubleshooting 2019, Common error codes";
const DPS_NEW: &str = "DPS troubleshooting (newer), Common error codes + Suggested actions";
const CENTRAL: &str = "IoT Central troubleshooting, Error codes";
const CENTRAL_AUTH: &str = "IoT Central troubleshooting, Detailed authorization error codes";
const CENTRAL_UPLOAD: &str = "IoT Central troubleshooting, File upload error codes";
const CENTRAL_STATUS: &str = "IoT Central troubleshooting, Device provisioning status";
const CENTRAL_EXPORT: &str =
    "IoT Central troubleshooting (2024), Data export managed identity permissions";
const DPS_METRICS: &str = "DPS troubleshooting 2019, Azure Monitor metrics";
const DPS_LOGS: &str = "DPS troubleshooting 2019, Log Analytics log names";

const REREGISTER: &[&str] = &["re-registration", "re-register", "reregist"];
const BACKOFF: &[&str] = &["backoff", "back off", "back-off"];
const JITTER: &[&str] = &["jitter"];
const RETRY_AFTER: &[&str] = &["retry-after"];
const CACHED: &[&str] = &["cached credentials"];
const LOOKUP: &[&str] = &["status lookup"];
const TICKET: &[&str] = &["support ticket"];

fn case(
    seed: &'static str,
    input: &'static str,
    service: Option<Service>,
    catalogue: Catalogue,
    name: &'static str,
    mitigation_says: &'static [&'static [&'static str]],
) -> Case {
    Case {
        seed,
        input,
        service,
        catalogue,
        name,
        mitigation_says,
    }
}

fn cases() -> Vec<Case> {
    use Catalogue::*;
    let dps = Some(Service::Dps);
    let central = Some(Service::IotCentral);
    vec![
        // DPS, older revision (six rows) and newer revision (nine rows, with Suggested actions).
        case(DPS_OLD, "400", dps, HttpStatus, "Bad Request", &[]),
        case(
            DPS_OLD,
            "401",
            dps,
            HttpStatus,
            "Unauthorized",
            &[REREGISTER],
        ),
        case(DPS_OLD, "404", dps, HttpStatus, "Not Found", &[REREGISTER]),
        case(DPS_OLD, "412", dps, HttpStatus, "Precondition Failed", &[]),
        case(
            DPS_OLD,
            "429",
            dps,
            HttpStatus,
            "Too Many Requests",
            &[BACKOFF, JITTER, RETRY_AFTER],
        ),
        case(
            DPS_OLD,
            "500",
            dps,
            HttpStatus,
            "Internal Server Error",
            &[CACHED, LOOKUP],
        ),
        case(
            DPS_NEW,
            "400 Bad format",
            dps,
            HttpStatus,
            "Bad Request",
            &[],
        ),
        case(
            DPS_NEW,
            "401 Unauthorized",
            dps,
            HttpStatus,
            "Unauthorized",
            &[REREGISTER],
        ),
        case(DPS_NEW, "403", dps, HttpStatus, "Forbidden", &[REREGISTER]),
        case(
            DPS_NEW,
            "404 Not Found",
            dps,
            HttpStatus,
            "Not Found",
            &[REREGISTER],
        ),
        case(
            DPS_NEW,
            "405 Method Not Allowed",
            dps,
            HttpStatus,
            "Method Not Allowed",
            &[],
        ),
        case(DPS_NEW, "409 Conflict", dps, HttpStatus, "Conflict", &[]),
        case(
            DPS_NEW,
            "412 Precondition failed",
            dps,
            HttpStatus,
            "Precondition Failed",
            &[],
        ),
        case(
            DPS_NEW,
            "415 Unsupported Media Type",
            dps,
            HttpStatus,
            "Unsupported Media Type",
            &[],
        ),
        case(
            DPS_NEW,
            "429 Too many requests",
            dps,
            HttpStatus,
            "Too Many Requests",
            &[BACKOFF, JITTER, RETRY_AFTER],
        ),
        case(
            DPS_NEW,
            "500 Internal Server Error",
            dps,
            HttpStatus,
            "Internal Server Error",
            &[CACHED, LOOKUP],
        ),
        case(
            DPS_NEW,
            "503",
            dps,
            HttpStatus,
            "Service Unavailable",
            &[CACHED, LOOKUP],
        ),
        // IoT Central, authentication flow error codes.
        case(
            CENTRAL,
            "400",
            central,
            HttpStatus,
            "Bad Request",
            &[&["request body"], &["sdk"]],
        ),
        case(
            CENTRAL,
            "401",
            central,
            HttpStatus,
            "Unauthorized",
            &[&["credentials"]],
        ),
        case(CENTRAL, "404", central, HttpStatus, "Not Found", &[TICKET]),
        case(
            CENTRAL,
            "412",
            central,
            HttpStatus,
            "Precondition Failed",
            &[TICKET],
        ),
        case(
            CENTRAL,
            "429",
            central,
            HttpStatus,
            "Too Many Requests",
            &[
                &["frequency", "how often", "less often"],
                &["more devices", "split"],
            ],
        ),
        case(
            CENTRAL,
            "500",
            central,
            HttpStatus,
            "Internal Server Error",
            &[TICKET],
        ),
        // IoT Central, detailed authorization error codes.
        case(
            CENTRAL_AUTH,
            "401002",
            central,
            AuthSubError,
            "Unauthorized",
            &[&["credential", "sas token", "certificate"]],
        ),
        case(
            CENTRAL_AUTH,
            "400209",
            central,
            AuthSubError,
            "Unauthorized",
            &[&["approve"], &["unblock"]],
        ),
        case(
            CENTRAL_AUTH,
            "IoTHubUnauthorized",
            central,
            AuthSubError,
            "IoTHubUnauthorized",
            &[&["token"]],
        ),
        case(
            CENTRAL_AUTH,
            "DEVICE_DISABLED",
            central,
            AuthSubError,
            "IoTHubUnauthorized",
            &[&["reprovision", "re-provision"]],
        ),
        case(
            CENTRAL_AUTH,
            "DEVICE_BLOCKED",
            central,
            AuthSubError,
            "IoTHubUnauthorized",
            &[&["unblock"]],
        ),
        case(
            CENTRAL_AUTH,
            "401 IoTHubUnauthorized",
            central,
            AuthSubError,
            "IoTHubUnauthorized",
            &[&["token"]],
        ),
        // IoT Central, file upload.
        case(
            CENTRAL_UPLOAD,
            "403006",
            central,
            AuthSubError,
            "DeviceMaximumActiveFileUploadLimitExceeded",
            &[&["complet"], &["timeout"]],
        ),
        // IoT Central, device provisioning status.
        case(
            CENTRAL_STATUS,
            "Provisioned",
            central,
            IotCentralStatus,
            "Provisioned",
            &[],
        ),
        case(
            CENTRAL_STATUS,
            "Registered",
            central,
            IotCentralStatus,
            "Registered",
            &[&["log"]],
        ),
        case(
            CENTRAL_STATUS,
            "Blocked",
            central,
            IotCentralStatus,
            "Blocked",
            &[&["unblock"]],
        ),
        case(
            CENTRAL_STATUS,
            "Unapproved",
            central,
            IotCentralStatus,
            "Unapproved",
            &[&["approve"]],
        ),
        case(
            CENTRAL_STATUS,
            "Waiting for Approval",
            central,
            IotCentralStatus,
            "Unapproved",
            &[&["approve"]],
        ),
        case(
            CENTRAL_STATUS,
            "Unassigned",
            central,
            IotCentralStatus,
            "Unassigned",
            &[&["template"]],
        ),
        case(
            CENTRAL_STATUS,
            "unassociated",
            central,
            IotCentralStatus,
            "Unassigned",
            &[&["template"]],
        ),
        // Destination -> permission of the managed identity.
        case(
            CENTRAL_EXPORT,
            "Azure Blob storage",
            central,
            IotCentralExport,
            "Azure Blob storage",
            &[&["Storage Blob Data Contributor"]],
        ),
        case(
            CENTRAL_EXPORT,
            "Azure Service Bus",
            central,
            IotCentralExport,
            "Azure Service Bus",
            &[&["Azure Service Bus Data Sender"]],
        ),
        case(
            CENTRAL_EXPORT,
            "Azure Event Hubs",
            central,
            IotCentralExport,
            "Azure Event Hubs",
            &[&["Azure Event Hubs Data Sender"]],
        ),
        case(
            CENTRAL_EXPORT,
            "Azure Data Explorer",
            central,
            IotCentralExport,
            "Azure Data Explorer",
            &[&["Admin"]],
        ),
        case(
            DPS_METRICS,
            "Attestation attempts",
            dps,
            DpsMetric,
            "Attestation attempts",
            &[&["DeviceOperations"]],
        ),
        case(
            DPS_METRICS,
            "Registration attempts",
            dps,
            DpsMetric,
            "Registration attempts",
            &[&["DeviceOperations"]],
        ),
        case(
            DPS_METRICS,
            "Device assigned",
            dps,
            DpsMetric,
            "Device assigned",
            &[&["Registration attempts"]],
        ),
        case(
            DPS_LOGS,
            "DeviceOperations",
            dps,
            DpsLogCategory,
            "DeviceOperations",
            &[
                &["OperationName"],
                &["ResultType"],
                &["ResultSignature"],
                &["ResultDescription"],
            ],
        ),
        case(
            DPS_LOGS,
            "ServiceOperations",
            dps,
            DpsLogCategory,
            "ServiceOperations",
            &[
                &["OperationName"],
                &["ResultType"],
                &["ResultSignature"],
                &["ResultDescription"],
            ],
        ),
    ]
}

fn check(c: &Case, m: &Meaning) -> Result<(), String> {
    if m.catalogue() != c.catalogue || m.name() != c.name {
        return Err(format!("got {} {}", m.catalogue(), m.name()));
    }
    let text = m.mitigation().to_ascii_lowercase();
    for any in c.mitigation_says {
        if !any.iter().any(|w| text.contains(&w.to_ascii_lowercase())) {
            return Err(format!(
                "mitigation {:?} says none of {any:?}",
                m.mitigation()
            ));
        }
    }
    Ok(())
}

#[test]
fn every_seed_table_row() {
    let mut failures = Vec::new();
    for c in cases() {
        let mut opts = DecodeOptions::new().catalogue(c.catalogue);
        opts.service = c.service;
        match decode_with(c.input, &opts) {
            Ok(d) => {
                if let Err(e) = check(&c, &d[0]) {
                    failures.push(format!("[{}] {:?}: {e}", c.seed, c.input));
                }
            }
            Err(e) => failures.push(format!("[{}] {:?}: {e}", c.seed, c.input)),
        }
        // Without any hint the expected row is still among the answers.
        let d = azure_iot_codes::decode(c.input).unwrap();
        if !d.iter().any(|m| check(&c, m).is_ok()) {
            failures.push(format!(
                "[{}] {:?}: not among the unhinted answers",
                c.seed, c.input
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_code_in_the_seed_documents_decodes() {
    // Every code-like token the four seeds contain.
    for input in [
        "400",
        "401",
        "403",
        "404",
        "405",
        "409",
        "412",
        "415",
        "429",
        "500",
        "401002",
        "400209",
        "403006",
        "DEVICE_DISABLED",
        "DEVICE_BLOCKED",
        "IoTHubUnauthorized",
        "Provisioned",
        "Registered",
        "Blocked",
        "Unapproved",
        "Unassigned",
        "blocked",
        "200",
    ] {
        let d = azure_iot_codes::decode(input).unwrap_or_else(|e| panic!("{input}: {e}"));
        assert!(!d.is_empty());
        assert!(
            d.iter()
                .all(|m| !m.mitigation().is_empty() && !m.source().is_empty())
        );
    }
}
