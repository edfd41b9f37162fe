//! One fixture per payload shape and per seed scenario (tests/fixtures/payload/), decoded through the single
//! entry point: the kind, the service, every code with the catalogue row it must resolve to, the context
//! worth keeping, and whether it reports a failure. Fixture values are invented; their shapes follow the
//! documents named in each row (see also `codes.md` §2-§4 of the reference notes the project was built from).
#![cfg(feature = "alloc")]

use azure_iot_codes::payload::{
    DeviceUpdateAgent, Parsed, PayloadKind, RegistrationOperation, decode_payload,
};
use azure_iot_codes::retry::{self, Action, SplitMix64};
use azure_iot_codes::{Catalogue, Service};

struct Case {
    file: &'static str,
    text: &'static str,
    /// Where the shape (and, for seeds, the scenario) comes from.
    source: &'static str,
    kind: PayloadKind,
    service: Option<Service>,
    /// Every code, in payload order: field, catalogue, and the first meaning's code and name.
    codes: &'static [(&'static str, Catalogue, &'static str, &'static str)],
    /// Context fields (JSON names) and their values; `timestamps` entries are matched by value.
    context: &'static [(&'static str, &'static str)],
    failure: bool,
    /// Seeds: words (any of each group) the first code's mitigation must contain.
    mitigation_says: &'static [&'static [&'static str]],
}

macro_rules! fixture {
    ($file:literal) => {
        ($file, include_str!(concat!("fixtures/payload/", $file)))
    };
}

const DPS_MQTT: &str = "DPS MQTT support page (iot-dps-mqtt-support.md); codes.md §2c";
const DPS_SPEC: &str =
    "DPS data-plane spec models.tsp (RegistrationOperationStatus, ProvisioningServiceErrorDetails)";
const HUB_MQTT: &str = "IoT Hub MQTT page (iot-mqtt-connect-to-iot-hub.md); codes.md §3";
const HUB_REST: &str = "IoT Hub REST error bodies: C# ServiceExceptionHandlingHelper, Java ErrorMessageParser; codes.md §3";
const DU_PNP: &str =
    "dtmi:azure:iot:deviceUpdate;2 (iot-plugandplay-models deviceupdate-2.json); du.md";
const CENTRAL_CLI: &str =
    "azure-iot-cli-extension device_provider.py registration-info; IoT Central troubleshooting";
const DPS_LOGS: &str =
    "monitor-iot-dps-reference.md (AzureDiagnostics columns, DeviceOperations example)";
const HUB_LOGS: &str =
    "monitor-iot-hub-reference.md (Connections category), iot-hub-troubleshoot-connectivity.md";
const SEED_DPS: &str = "seed: DPS troubleshooting, Common error codes + Suggested actions";
const SEED_CENTRAL: &str = "seed: IoT Central troubleshooting";
const SEED_DU: &str = "seed: Device Update diagnostics, deployment error codes";

fn cases() -> Vec<Case> {
    use Catalogue::*;
    let dps = Some(Service::Dps);
    let hub = Some(Service::IotHub);
    let central = Some(Service::IotCentral);
    let du = Some(Service::DeviceUpdate);
    let case = |(file, text): (&'static str, &'static str),
                source,
                kind,
                service,
                codes,
                context,
                failure| Case {
        file,
        text,
        source,
        kind,
        service,
        codes,
        context,
        failure,
        mitigation_says: &[],
    };
    let seed = |c: Case, says: &'static [&'static [&'static str]]| Case {
        mitigation_says: says,
        ..c
    };
    vec![
        // Topics.
        case(
            fixture!("dps-topic-202-assigning.txt"),
            DPS_MQTT,
            PayloadKind::DpsResponseTopic,
            dps,
            &[("topic status", HttpStatus, "202", "Accepted")],
            &[("request_id", "7"), ("retry_after", "3")],
            false,
        ),
        case(
            fixture!("twin-topic-204-patched.txt"),
            HUB_MQTT,
            PayloadKind::TwinResponseTopic,
            hub,
            &[("topic status", HttpStatus, "204", "No Content")],
            &[("request_id", "3"), ("twin_version", "17")],
            false,
        ),
        case(
            fixture!("method-topic-200.txt"),
            HUB_MQTT,
            PayloadKind::MethodResponseTopic,
            hub,
            &[("topic status", HttpStatus, "200", "OK")],
            &[("request_id", "11")],
            false,
        ),
        case(
            fixture!("iothub-errorcode-header.txt"),
            HUB_REST,
            PayloadKind::ErrorCodeHeader,
            hub,
            &[("iothub-errorcode", ServiceError, "404001", "DeviceNotFound")],
            &[],
            true,
        ),
        // DPS bodies.
        case(
            fixture!("dps-error-401002.json"),
            DPS_SPEC,
            PayloadKind::DpsError,
            dps,
            &[(
                "errorCode",
                ServiceError,
                "401002",
                "IotHubUnauthorizedAccess",
            )],
            &[
                ("tracking_id", "0f0e0d0c-0b0a-0908-0706-050403020100"),
                ("message", "Invalid certificate"),
                ("timestamps", "2025-01-02T03:06:00.0000000Z"),
            ],
            true,
        ),
        case(
            fixture!("dps-error-404201-info.json"),
            DPS_SPEC,
            PayloadKind::DpsError,
            dps,
            &[(
                "errorCode",
                ServiceError,
                "404201",
                "RegistrationIdNotFound",
            )],
            &[("tracking_id", "6d1b2c3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d")],
            true,
        ),
        case(
            fixture!("dps-registration-assigning.json"),
            DPS_SPEC,
            PayloadKind::DpsRegistration,
            dps,
            &[("status", DpsRegistrationStatus, "assigning", "assigning")],
            &[(
                "operation_id",
                "4.aaaa1111bbbb2222.00000000-1111-2222-3333-444444444444",
            )],
            false,
        ),
        case(
            fixture!("dps-registration-assigned.json"),
            DPS_SPEC,
            PayloadKind::DpsRegistration,
            dps,
            &[
                ("status", DpsRegistrationStatus, "assigned", "assigned"),
                (
                    "registrationState.status",
                    DpsRegistrationStatus,
                    "assigned",
                    "assigned",
                ),
                (
                    "registrationState.substatus",
                    DpsRegistrationSubstatus,
                    "initialAssignment",
                    "initialAssignment",
                ),
            ],
            &[
                ("registration_id", "sensor-01"),
                ("device_id", "sensor-01"),
                ("assigned_hub", "example-hub.azure-devices.net"),
                ("timestamps", "2025-01-02T03:04:06.7654321Z"),
            ],
            false,
        ),
        case(
            fixture!("dps-registration-status-lookup.json"),
            "DPS REST Device Registration Status Lookup (DeviceRegistrationResult)",
            PayloadKind::DpsRegistration,
            dps,
            &[
                (
                    "registrationState.status",
                    DpsRegistrationStatus,
                    "assigned",
                    "assigned",
                ),
                (
                    "registrationState.substatus",
                    DpsRegistrationSubstatus,
                    "deviceDataMigrated",
                    "deviceDataMigrated",
                ),
            ],
            &[("registration_id", "sensor-03")],
            false,
        ),
        // IoT Hub REST error bodies, all three shapes.
        case(
            fixture!("iothub-error-legacy.json"),
            HUB_REST,
            PayloadKind::IotHubError,
            hub,
            &[(
                "Message ErrorCode",
                ServiceError,
                "404001",
                "DeviceNotFound",
            )],
            &[
                ("tracking_id", "0123456789abcdef0123456789abcdef"),
                ("gateway", "3"),
                (
                    "message",
                    "Device sensor-9 is not registered in hub example-hub",
                ),
                ("timestamps", "01/02/2025 03:04:05"),
            ],
            true,
        ),
        case(
            fixture!("iothub-error-legacy-nested.json"),
            HUB_REST,
            PayloadKind::IotHubError,
            hub,
            &[
                (
                    "Message ErrorCode",
                    ServiceError,
                    "400004",
                    "ArgumentInvalid",
                ),
                (
                    "Message.Message ErrorCode",
                    ServiceError,
                    "400004",
                    "ArgumentInvalid",
                ),
            ],
            &[("tracking_id", "00112233445566778899aabbccddeeff")],
            true,
        ),
        case(
            fixture!("iothub-error-wrapped-string.json"),
            HUB_REST,
            PayloadKind::IotHubError,
            hub,
            &[(
                "Message.errorCode",
                ServiceError,
                "404103",
                "DeviceNotOnline",
            )],
            &[
                ("tracking_id", "a1b2c3d4e5f60718293a4b5c6d7e8f90"),
                ("gateway", "10"),
                ("timestamps", "2025-07-08T09:10:11.3371234Z"),
            ],
            true,
        ),
        case(
            fixture!("iothub-error-wrapped-object.json"),
            HUB_REST,
            PayloadKind::IotHubError,
            hub,
            &[(
                "Message.errorCode",
                ServiceError,
                "504101",
                "GatewayTimeout",
            )],
            &[("tracking_id", "b1c2d3e4f5a60718293a4b5c6d7e8f90")],
            true,
        ),
        case(
            fixture!("iothub-error-flat.json"),
            "azure-iot-explorer issue #620 (flat IoT Hub error body)",
            PayloadKind::IotHubError,
            hub,
            &[("errorCode", ServiceError, "500001", "ServerError")],
            &[
                ("tracking_id", "c0ffee00c0ffee00c0ffee00c0ffee00"),
                ("gateway", "0"),
                ("timestamps", "03/24/2023 03:34:00"),
                ("timestamps", "2023-03-24T03:34:00.8240664Z"),
            ],
            true,
        ),
        case(
            fixture!("twin-error-429-body.json"),
            "IoT Hub twin error payload on $iothub/twin/res/429 (C# IotHubClientErrorResponseMessage)",
            PayloadKind::ErrorBody,
            None,
            &[("errorCode", ServiceError, "429001", "ThrottlingException")],
            &[("message", "Throttling due to too many requests")],
            true,
        ),
        // Device Update twins (codes stay in the typed fields, see du_fields_are_typed below).
        case(
            fixture!("du-twin-agent-1.0-integer.json"),
            DU_PNP,
            PayloadKind::DeviceUpdateAgent,
            du,
            // No agent version (the twin's integer form is written by 0.8.0-1.0.2, du.md): every version's
            // meanings, in catalogue order (the 0.6/0.7 per-action rows sort before ADUC_Result_Failure).
            &[
                (
                    "lastInstallResult.resultCode",
                    DuResultCode,
                    "0",
                    "ADUC_Result_Failure",
                ),
                (
                    "lastInstallResult.extendedResultCode",
                    DuExtendedResultCode,
                    "810553366",
                    "script handler exit code",
                ),
                (
                    "lastInstallResult.stepResults.step_0.resultCode",
                    DuResultCode,
                    "0",
                    "ADUC_Result_Failure",
                ),
                (
                    "lastInstallResult.stepResults.step_0.extendedResultCode",
                    DuExtendedResultCode,
                    "810553366",
                    "script handler exit code",
                ),
            ],
            &[
                ("device_id", "gateway-17"),
                ("module_id", "IoTHubDeviceUpdate"),
                ("workflow_id", "7d0c5b6e-1f2a-4b3c-9d8e-0a1b2c3d4e5f"),
            ],
            true,
        ),
        case(
            fixture!("du-agent-1.1-hex.json"),
            DU_PNP,
            PayloadKind::DeviceUpdateAgent,
            du,
            // Read for agent 1.1.0 (extendedResultCodes); step_10's "00000000" is no code.
            &[
                (
                    "lastInstallResult.resultCode",
                    DuResultCode,
                    "0",
                    "ADUC_Result_Failure",
                ),
                (
                    "lastInstallResult.extendedResultCodes[0]",
                    DuExtendedResultCode,
                    "810553384",
                    "script handler exit code",
                ),
                (
                    "lastInstallResult.extendedResultCodes[1]",
                    DuExtendedResultCode,
                    "2684358655",
                    "ADUC_ERC_ROOTKEY_PKG_UNCHANGED",
                ),
                (
                    "lastInstallResult.stepResults.step_2.resultCode",
                    DuResultCode,
                    "0",
                    "ADUC_Result_Failure",
                ),
                (
                    "lastInstallResult.stepResults.step_2.extendedResultCodes[0]",
                    DuExtendedResultCode,
                    "810553384",
                    "script handler exit code",
                ),
                (
                    "lastInstallResult.stepResults.step_10.resultCode",
                    DuResultCode,
                    "700",
                    "ADUC_Result_Apply_Success",
                ),
            ],
            &[
                ("workflow_id", "wf-2025-06-01"),
                ("timestamps", "2025-06-01T12:00:00Z"),
            ],
            true,
        ),
        case(
            fixture!("du-last-install-result-negative.json"),
            DU_PNP,
            PayloadKind::DeviceUpdateAgent,
            du,
            &[
                (
                    "lastInstallResult.resultCode",
                    DuResultCode,
                    "0",
                    "ADUC_Result_Failure",
                ),
                (
                    "lastInstallResult.extendedResultCode",
                    DuExtendedResultCode,
                    "3758096515",
                    "ADUC_ERC_NOTRECOVERABLE",
                ),
            ],
            &[("message", "legacy agent failure")],
            true,
        ),
        // IoT Central CLI.
        case(
            fixture!("central-registration-info-provisioned.json"),
            CENTRAL_CLI,
            PayloadKind::IotCentralRegistrationInfo,
            central,
            &[
                (
                    "device_registration_info.device_status",
                    IotCentralStatus,
                    "Provisioned",
                    "Provisioned",
                ),
                (
                    "dps_state.status",
                    DpsRegistrationStatus,
                    "assigned",
                    "assigned",
                ),
            ],
            &[("device_id", "thermostat-04")],
            false,
        ),
        // Log Analytics rows.
        case(
            fixture!("diag-dps-attestation-success.json"),
            DPS_LOGS,
            PayloadKind::AzureDiagnostics,
            dps,
            &[],
            &[
                ("registration_id", "sensor-11"),
                ("operation_name", "AttestationAttempt"),
                ("category", "DeviceOperations"),
                ("result_type", "Success"),
                ("correlation_id", "3e1f0c2a-7b6d-4c5e-8f9a-0b1c2d3e4f5a"),
                ("timestamps", "2025-05-02T00:05:51Z"),
            ],
            false,
        ),
        case(
            fixture!("diag-iothub-connections-raw.json"),
            HUB_LOGS,
            PayloadKind::AzureDiagnostics,
            hub,
            &[
                (
                    "ResultType",
                    ServiceError,
                    "404104",
                    "DeviceConnectionClosedRemotely",
                ),
                (
                    "ResultDescription",
                    ServiceError,
                    "404104",
                    "DeviceConnectionClosedRemotely",
                ),
            ],
            &[
                ("device_id", "pump-03"),
                ("operation_name", "deviceDisconnect"),
            ],
            true,
        ),
        case(
            fixture!("diag-iothub-409002.csv"),
            HUB_LOGS,
            PayloadKind::AzureDiagnostics,
            hub,
            &[
                ("ResultType", ServiceError, "409002", "LinkCreationConflict"),
                ("ResultSignature", HttpStatus, "409", "Conflict"),
                (
                    "ResultDescription",
                    ServiceError,
                    "409002",
                    "LinkCreationConflict",
                ),
            ],
            &[
                ("device_id", "pump-04"),
                ("timestamps", "5/3/2025, 10:11:12.000 AM"),
            ],
            true,
        ),
        // Seed scenarios: DPS troubleshooting.
        seed(
            case(
                fixture!("seed-dps-401-attestation-failure.json"),
                SEED_DPS,
                PayloadKind::AzureDiagnostics,
                dps,
                &[("ResultSignature", HttpStatus, "401", "Unauthorized")],
                &[
                    ("registration_id", "sensor-12"),
                    ("operation_name", "AttestationAttempt"),
                ],
                true,
            ),
            &[&["re-registration", "re-register", "reregist"]],
        ),
        seed(
            case(
                fixture!("seed-dps-429-throttled-topic.txt"),
                SEED_DPS,
                PayloadKind::DpsResponseTopic,
                dps,
                &[("topic status", HttpStatus, "429", "Too Many Requests")],
                &[("retry_after", "10")],
                true,
            ),
            &[&["retry-after"], &["jitter"]],
        ),
        seed(
            case(
                fixture!("seed-dps-500-internal-topic.txt"),
                SEED_DPS,
                PayloadKind::DpsResponseTopic,
                dps,
                &[("topic status", HttpStatus, "500", "Internal Server Error")],
                &[("request_id", "42")],
                true,
            ),
            &[&["cached credentials"], &["status lookup"]],
        ),
        seed(
            case(
                fixture!("seed-dps-404-enrollment-missing.csv"),
                SEED_DPS,
                PayloadKind::AzureDiagnostics,
                dps,
                &[("ResultSignature", HttpStatus, "404", "Not Found")],
                &[("operation_name", "Get"), ("result_type", "ClientError")],
                true,
            ),
            &[&["re-registration", "re-register", "reregist"]],
        ),
        seed(
            case(
                fixture!("seed-dps-412-etag-mismatch.json"),
                SEED_DPS,
                PayloadKind::AzureDiagnostics,
                dps,
                &[("ResultSignature", HttpStatus, "412", "Precondition Failed")],
                &[
                    ("operation_name", "Upsert"),
                    ("message", "Precondition failed."),
                ],
                true,
            ),
            &[&["etag"]],
        ),
        // Seed scenarios: IoT Central troubleshooting.
        seed(
            case(
                fixture!("seed-central-blocked-registration-info.json"),
                SEED_CENTRAL,
                PayloadKind::IotCentralRegistrationInfo,
                central,
                &[(
                    "device_registration_info.device_status",
                    IotCentralStatus,
                    "Blocked",
                    "Blocked",
                )],
                &[("device_id", "k3v9x1qz7a")],
                true,
            ),
            &[&["unblock"]],
        ),
        seed(
            case(
                fixture!("seed-central-401002-credentials.json"),
                SEED_CENTRAL,
                PayloadKind::DpsError,
                dps,
                &[(
                    "errorCode",
                    ServiceError,
                    "401002",
                    "IotHubUnauthorizedAccess",
                )],
                &[("tracking_id", "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d")],
                true,
            ),
            &[&["credential", "key", "certificate", "token"]],
        ),
        seed(
            case(
                fixture!("seed-central-400209-approval.json"),
                SEED_CENTRAL,
                PayloadKind::DpsRegistration,
                dps,
                &[
                    ("status", DpsRegistrationStatus, "failed", "failed"),
                    (
                        "registrationState.status",
                        DpsRegistrationStatus,
                        "failed",
                        "failed",
                    ),
                    (
                        "registrationState.errorCode",
                        ServiceError,
                        "400209",
                        "CustomAllocationUnauthorizedAccess",
                    ),
                ],
                &[("registration_id", "greenhouse-7")],
                true,
            ),
            &[],
        ),
        seed(
            case(
                fixture!("seed-central-401003-token-expired.json"),
                SEED_CENTRAL,
                PayloadKind::AzureDiagnostics,
                hub,
                &[
                    ("ResultType", ServiceError, "401003", "IotHubUnauthorized"),
                    (
                        "ResultDescription",
                        ServiceError,
                        "401003",
                        "IotHubUnauthorized",
                    ),
                ],
                &[("device_id", "greenhouse-7")],
                true,
            ),
            &[&["token", "sas", "credential"]],
        ),
        seed(
            case(
                fixture!("seed-central-403006-file-upload.json"),
                SEED_CENTRAL,
                PayloadKind::IotHubError,
                hub,
                &[(
                    "errorCode",
                    ServiceError,
                    "403006",
                    "DeviceMaximumActiveFileUploadLimitExceeded",
                )],
                &[("gateway", "4")],
                true,
            ),
            &[&["upload"]],
        ),
        // Seed scenario: Device Update diagnostics (the device reports resultCode and extendedResultCode).
        case(
            fixture!("seed-du-deployment-error.json"),
            SEED_DU,
            PayloadKind::DeviceUpdateAgent,
            du,
            &[
                (
                    "lastInstallResult.resultCode",
                    DuResultCode,
                    "0",
                    "ADUC_Result_Failure",
                ),
                (
                    "lastInstallResult.extendedResultCode",
                    DuExtendedResultCode,
                    "805306472",
                    "ADUC_ERC_UPDATE_CONTENT_HANDLER_PARSE_BAD_FORMAT",
                ),
            ],
            &[("device_id", "edge-22"), ("workflow_id", "deploy-0428")],
            true,
        ),
        // Topic and body together (an MQTT message as logged).
        case(
            fixture!("dps-topic-200-failed-400209.txt"),
            DPS_MQTT,
            PayloadKind::DpsRegistration,
            dps,
            &[
                ("topic status", HttpStatus, "200", "OK"),
                ("status", DpsRegistrationStatus, "failed", "failed"),
                (
                    "registrationState.status",
                    DpsRegistrationStatus,
                    "failed",
                    "failed",
                ),
                (
                    "registrationState.errorCode",
                    ServiceError,
                    "400209",
                    "CustomAllocationUnauthorizedAccess",
                ),
            ],
            &[
                ("request_id", "9"),
                ("registration_id", "sensor-02"),
                (
                    "operation_id",
                    "4.aaaa1111bbbb2222.55555555-6666-7777-8888-999999999999",
                ),
            ],
            true,
        ),
        case(
            fixture!("dps-topic-202-assigning-body.txt"),
            DPS_MQTT,
            PayloadKind::DpsRegistration,
            dps,
            &[
                ("topic status", HttpStatus, "202", "Accepted"),
                ("status", DpsRegistrationStatus, "assigning", "assigning"),
            ],
            &[("request_id", "7"), ("retry_after", "3")],
            false,
        ),
        case(
            fixture!("iothub-error-404104.json"),
            HUB_REST,
            PayloadKind::IotHubError,
            hub,
            &[(
                "errorCode",
                ServiceError,
                "404104",
                "DeviceConnectionClosedRemotely",
            )],
            &[
                ("tracking_id", "5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a"),
                ("gateway", "7"),
            ],
            true,
        ),
        // Device Update codes that need the DU reading and the agent version.
        case(
            fixture!("du-agent-1.1-do-503.json"),
            DU_PNP,
            PayloadKind::DeviceUpdateAgent,
            du,
            &[
                (
                    "lastInstallResult.resultCode",
                    DuResultCode,
                    "0",
                    "ADUC_Result_Failure",
                ),
                (
                    "lastInstallResult.extendedResultCodes[0]",
                    DuExtendedResultCode,
                    "3491299831",
                    "Delivery Optimization error",
                ),
            ],
            &[("workflow_id", "wf-do-503")],
            true,
        ),
        case(
            fixture!("du-agent-1.1-rootkey-a0000001.json"),
            DU_PNP,
            PayloadKind::DeviceUpdateAgent,
            du,
            &[
                (
                    "lastInstallResult.resultCode",
                    DuResultCode,
                    "0",
                    "ADUC_Result_Failure",
                ),
                (
                    "lastInstallResult.extendedResultCodes[0]",
                    DuExtendedResultCode,
                    "2684354561",
                    "ADUC_ERC_ROOTKEY_PKG_FAIL_JSON_PARSE",
                ),
            ],
            &[("message", "root key package could not be parsed")],
            true,
        ),
    ]
}

#[test]
fn every_fixture_decodes_as_specified() {
    let cases = cases();
    let mut failures = Vec::new();
    for c in &cases {
        let p = match decode_payload(c.text) {
            Ok(p) => p,
            Err(e) => {
                failures.push(format!("{} ({}): {e}", c.file, c.source));
                continue;
            }
        };
        let mut check = |ok: bool, what: String| {
            if !ok {
                failures.push(format!("{} ({}): {what}", c.file, c.source));
            }
        };
        check(
            p.kind() == c.kind,
            format!("kind {} != {}", p.kind(), c.kind),
        );
        check(
            p.service() == c.service,
            format!("service {:?} != {:?}", p.service(), c.service),
        );
        check(
            p.is_failure() == c.failure,
            format!("is_failure {}", p.is_failure()),
        );
        let got: Vec<_> = p
            .codes()
            .iter()
            .map(|f| {
                let m = f.matches().first();
                (
                    f.field().to_string(),
                    f.catalogue(),
                    m.map(|m| m.code().to_string()).unwrap_or_default(),
                    m.map(|m| m.name().to_string()).unwrap_or_default(),
                )
            })
            .collect();
        let want: Vec<_> = c
            .codes
            .iter()
            .map(|(f, cat, code, name)| (f.to_string(), *cat, code.to_string(), name.to_string()))
            .collect();
        check(got == want, format!("codes {got:?} != {want:?}"));
        let ctx = serde_json::to_value(p.context()).unwrap();
        for (key, value) in c.context {
            let found = if *key == "timestamps" {
                ctx["timestamps"]
                    .as_array()
                    .is_some_and(|a| a.iter().any(|t| t["value"] == *value))
            } else {
                ctx[key] == *value
            };
            check(found, format!("context {key} = {value:?} missing in {ctx}"));
        }
        for group in c.mitigation_says {
            let m = p.codes()[0].matches()[0].mitigation().to_lowercase();
            check(
                group.iter().any(|w| m.contains(w)),
                format!("mitigation lacks any of {group:?}: {m}"),
            );
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_fixture_file_has_a_case() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/payload");
    let covered: Vec<_> = cases().iter().map(|c| c.file).collect();
    for entry in std::fs::read_dir(dir).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        assert!(covered.contains(&name.as_str()), "{name} has no case");
    }
}

#[test]
fn seed_400209_reads_as_iot_centrals_approval_when_the_caller_says_so() {
    use azure_iot_codes::payload::{PayloadOptions, decode_payload_with};
    let (_, text) = fixture!("seed-central-400209-approval.json");
    let p = decode_payload_with(text, &PayloadOptions::new().service(Service::IotCentral)).unwrap();
    let code = p.codes().iter().find(|c| c.value() == "400209").unwrap();
    let m = code.matches()[0];
    assert!(m.services().contains(Service::IotCentral), "{m}");
    assert!(
        m.mitigation().to_lowercase().contains("approve"),
        "{}",
        m.mitigation()
    );
}

#[test]
fn du_fields_are_typed() {
    // Agent <= 1.0.x: one signed integer ERC (issue #487: 810553366 = 0x30501016, script exit 22).
    let (_, text) = fixture!("du-twin-agent-1.0-integer.json");
    let Parsed::DeviceUpdate(a) = decode_payload(text).unwrap().parsed().clone() else {
        panic!("not a DU payload")
    };
    let r = a.last_install_result.as_ref().unwrap();
    assert_eq!(r.result.result_code, Some(0));
    assert_eq!(r.result.extended_result_code, Some(0x3050_1016));
    assert_eq!(r.result.extended_result_codes, None);
    assert_eq!(r.step_results[0].step_id, "step_0");
    assert_eq!(a.state, Some(255));
    assert_eq!(a.workflow.as_ref().unwrap().action, Some(3));
    assert!(a.installed_update_id.as_deref().unwrap().contains("gw-fw"));

    // Agent 1.1.0: hex list, root first; steps in numeric order.
    let a = DeviceUpdateAgent::from_json(fixture!("du-agent-1.1-hex.json").1).unwrap();
    let r = a.last_install_result.unwrap();
    assert_eq!(
        r.result.extended_result_codes,
        Some(vec![0x3050_1028, 0xA000_0FFF])
    );
    assert_eq!(r.result.root_extended_result_code(), Some(0x3050_1028));
    let steps: Vec<_> = r.step_results.iter().map(|s| s.step_id.as_str()).collect();
    assert_eq!(steps, ["step_2", "step_10"]);
    assert_eq!(r.step_results[1].result.result_code, Some(700));

    // A negative twin integer is the ERC's bit pattern (du.md: -536870781 = 0xE0000083).
    let a =
        DeviceUpdateAgent::from_json(fixture!("du-last-install-result-negative.json").1).unwrap();
    let r = a.last_install_result.unwrap();
    assert_eq!(r.result.extended_result_code, Some(0xE000_0083));

    // Seed: issue #156's 805306472 = 0x30000068.
    let a = DeviceUpdateAgent::from_json(fixture!("seed-du-deployment-error.json").1).unwrap();
    assert_eq!(
        a.last_install_result
            .unwrap()
            .result
            .root_extended_result_code(),
        Some(0x3000_0068)
    );
}

#[test]
fn registration_typed_fields() {
    let (_, text) = fixture!("seed-central-400209-approval.json");
    let op = RegistrationOperation::from_json(text).unwrap();
    assert_eq!(op.registration_status(), Some("failed"));
    let st = op.registration_state.unwrap();
    assert_eq!(st.error_code, Some(400209));
    assert_eq!(
        st.error_message.as_deref(),
        Some("Custom allocation failed with status code: 401")
    );
}

/// How long the payload's decision waits.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Wait {
    /// The action does not wait.
    No,
    /// Exactly this many milliseconds: the Retry-After.
    Exactly(u64),
    /// A jittered backoff.
    Backoff,
}

/// An expected decision: action, rule (docs/retry.md) and wait; `None` when there is no code to decide on.
type Expected = Option<(Action, &'static str, Wait)>;

/// The retry decision of every fixture.
fn retry_expectations() -> Vec<(&'static str, Expected)> {
    use Action::*;
    use Wait::*;
    vec![
        (
            "central-registration-info-provisioned.json",
            Some((None, "central-provisioned", No)),
        ),
        // A successful attestation row has no code to decide on.
        ("diag-dps-attestation-success.json", Option::None),
        // ResultSignature 409 refined by ResultType 409002 (no rule of its own: the 409 rule).
        ("diag-iothub-409002.csv", Some((FixRequest, "hub-409", No))),
        (
            "diag-iothub-connections-raw.json",
            Some((Retry, "hub-404104", Backoff)),
        ),
        (
            "dps-error-401002.json",
            Some((RenewCredentials, "dps-401002", Backoff)),
        ),
        (
            "dps-error-404201-info.json",
            Some((ReRegister, "dps-404", Backoff)),
        ),
        (
            "dps-registration-assigned.json",
            Some((None, "registration-assigned", No)),
        ),
        (
            "dps-registration-assigning.json",
            Some((Retry, "dps-assigning", Backoff)),
        ),
        (
            "dps-registration-status-lookup.json",
            Some((None, "registration-assigned", No)),
        ),
        // 200 on the topic, the body says failed with 400209: the registration status decides, the errorCode
        // refines it.
        (
            "dps-topic-200-failed-400209.txt",
            Some((OperatorAction, "dps-400209", No)),
        ),
        (
            "dps-topic-202-assigning-body.txt",
            Some((Retry, "dps-assigning", Exactly(3_000))),
        ),
        (
            "dps-topic-202-assigning.txt",
            Some((Retry, "dps-assigning", Exactly(3_000))),
        ),
        // DO's HTTP 503 inside a Device Update code is transient.
        (
            "du-agent-1.1-do-503.json",
            Some((Retry, "du-download-transient", Backoff)),
        ),
        (
            "du-agent-1.1-hex.json",
            Some((OperatorAction, "du-erc", No)),
        ),
        (
            "du-agent-1.1-rootkey-a0000001.json",
            Some((OperatorAction, "du-erc", No)),
        ),
        (
            "du-last-install-result-negative.json",
            Some((OperatorAction, "du-erc", No)),
        ),
        (
            "du-twin-agent-1.0-integer.json",
            Some((OperatorAction, "du-erc", No)),
        ),
        (
            "iothub-error-404104.json",
            Some((Retry, "hub-404104", Backoff)),
        ),
        ("iothub-error-flat.json", Some((Retry, "hub-5xx", Backoff))),
        (
            "iothub-error-legacy-nested.json",
            Some((FixRequest, "hub-400", No)),
        ),
        (
            "iothub-error-legacy.json",
            Some((ReRegister, "hub-404", Backoff)),
        ),
        (
            "iothub-error-wrapped-object.json",
            Some((Retry, "hub-5xx", Backoff)),
        ),
        (
            "iothub-error-wrapped-string.json",
            Some((Retry, "hub-404103", Backoff)),
        ),
        (
            "iothub-errorcode-header.txt",
            Some((ReRegister, "hub-404", Backoff)),
        ),
        ("method-topic-200.txt", Some((None, "success", No))),
        (
            "seed-central-400209-approval.json",
            Some((OperatorAction, "dps-400209", No)),
        ),
        (
            "seed-central-401002-credentials.json",
            Some((RenewCredentials, "dps-401002", Backoff)),
        ),
        (
            "seed-central-401003-token-expired.json",
            Some((RenewCredentials, "hub-401", Backoff)),
        ),
        (
            "seed-central-403006-file-upload.json",
            Some((FixRequest, "hub-403006", No)),
        ),
        (
            "seed-central-blocked-registration-info.json",
            Some((OperatorAction, "central-blocked", No)),
        ),
        (
            "seed-dps-401-attestation-failure.json",
            Some((ReRegister, "dps-401", Backoff)),
        ),
        (
            "seed-dps-404-enrollment-missing.csv",
            Some((ReRegister, "dps-404", Backoff)),
        ),
        (
            "seed-dps-412-etag-mismatch.json",
            Some((FixRequest, "dps-412", No)),
        ),
        (
            "seed-dps-429-throttled-topic.txt",
            Some((Retry, "dps-429", Exactly(10_000))),
        ),
        (
            "seed-dps-500-internal-topic.txt",
            Some((StatusLookup, "dps-5xx", Backoff)),
        ),
        (
            "seed-du-deployment-error.json",
            Some((OperatorAction, "du-erc", No)),
        ),
        (
            "twin-error-429-body.json",
            Some((Retry, "hub-429", Backoff)),
        ),
        ("twin-topic-204-patched.txt", Some((None, "success", No))),
    ]
}

#[test]
fn every_fixture_has_its_retry_decision() {
    let expectations = retry_expectations();
    let mut failures = Vec::new();
    for c in cases() {
        let Some((_, want)) = expectations.iter().find(|(f, _)| *f == c.file) else {
            failures.push(format!("{}: no retry expectation", c.file));
            continue;
        };
        let p = decode_payload(c.text).unwrap();
        let got = p.retry().map(|d| {
            let wait = match d.delay_ms() {
                Option::None => Wait::No,
                Some(ms) if d.retry_after_honored() => Wait::Exactly(ms),
                Some(_) => Wait::Backoff,
            };
            (d.action(), d.rule().id(), wait)
        });
        if got != *want {
            failures.push(format!("{}: {got:?} != {want:?}", c.file));
        }
        // The decision is the one the classifier gives for the payload's outcome in the payload's context.
        if let (Some(d), Some(outcome)) = (p.retry(), p.retry_outcome()) {
            let again = retry::decide(outcome, &p.retry_context(), &mut SplitMix64::new(0));
            if again != d {
                failures.push(format!("{}: stored {d:?} != decided {again:?}", c.file));
            }
        }
    }
    assert_eq!(expectations.len(), cases().len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
