//! The integer identifiers the C API uses for catalogues, services, standings and number forms.
//!
//! C passes plain `uint32_t` values; they are mapped to the Rust enums by table lookup (never transmuted), so an
//! out-of-range value is an error status, not undefined behaviour. `build.rs` includes this file too, so the
//! generated row table and the exported functions agree on every id.

use azure_iot_codes::du::{AgentVersion, DuLayout};
use azure_iot_codes::{Catalogue, NumberForm, Service, Standing};

/// Catalogue id of HTTP (and MQTT topic) statuses as DPS, IoT Hub and IoT Central return them (`http-status`).
pub const AIC_CATALOGUE_HTTP_STATUS: u32 = 0;
/// Catalogue id of six-digit IoT Hub / DPS error codes such as 404001 (`service-error`).
pub const AIC_CATALOGUE_SERVICE_ERROR: u32 = 1;
/// Catalogue id of IoT Central detailed authorization error codes such as DEVICE_DISABLED (`auth-suberror`).
pub const AIC_CATALOGUE_AUTH_SUBERROR: u32 = 2;
/// Catalogue id of IoT Central device statuses such as Unapproved (`iot-central-status`).
pub const AIC_CATALOGUE_IOT_CENTRAL_STATUS: u32 = 3;
/// Catalogue id of DPS registration statuses such as assigning (`dps-registration-status`).
pub const AIC_CATALOGUE_DPS_REGISTRATION_STATUS: u32 = 4;
/// Catalogue id of DPS registration substatuses such as initialAssignment (`dps-registration-substatus`).
pub const AIC_CATALOGUE_DPS_REGISTRATION_SUBSTATUS: u32 = 5;
/// Catalogue id of MQTT 3.1.1 CONNACK return codes 0-5 (`mqtt-connack`).
pub const AIC_CATALOGUE_MQTT_CONNACK: u32 = 6;
/// Catalogue id of Device Update `resultCode` values per action, e.g. 700 apply success, -1 cancelled
/// (`du-result-code`; signed codes: see aic_row.code_is_signed).
pub const AIC_CATALOGUE_DU_RESULT_CODE: u32 = 7;
/// Catalogue id of Device Update `extendedResultCode`s of every agent version (`du-extended-result-code`).
/// aic_decode also reads unnamed codes of this catalogue from their parts (see aic_erc).
pub const AIC_CATALOGUE_DU_EXTENDED_RESULT_CODE: u32 = 8;
/// Catalogue id of Device Update diagnostics (log collection) result codes (`du-diagnostics-result`).
pub const AIC_CATALOGUE_DU_DIAGNOSTICS_RESULT: u32 = 9;
/// Catalogue id of the families of computed Device Update readings, e.g. EXIT_CODE_SCRIPT (`du-erc-pattern`).
pub const AIC_CATALOGUE_DU_ERC_PATTERN: u32 = 10;
/// Catalogue id of the reserved extension codes 0-7 of Device Update's extension manager (`du-extension-code`).
pub const AIC_CATALOGUE_DU_EXTENSION_CODE: u32 = 11;
/// Catalogue id of Linux errno values as they appear inside Device Update codes (`posix-errno`).
pub const AIC_CATALOGUE_POSIX_ERRNO: u32 = 12;
/// Catalogue id of Delivery Optimization HRESULTs as they appear inside Device Update codes (`do-hresult`).
pub const AIC_CATALOGUE_DO_HRESULT: u32 = 13;
/// Catalogue id of the reasons IoT Central does not show device data, e.g. names or types that differ from the
/// device template (`iot-central-unmodeled-cause`).
pub const AIC_CATALOGUE_IOT_CENTRAL_UNMODELED_CAUSE: u32 = 14;
/// Catalogue id of IoT Central data export destinations, preconditions and rules; destinations carry the role
/// the application's managed identity needs (aic_row.role) (`iot-central-export`).
pub const AIC_CATALOGUE_IOT_CENTRAL_EXPORT: u32 = 15;
/// Catalogue id of DPS metrics in Azure Monitor (`dps-metric`).
pub const AIC_CATALOGUE_DPS_METRIC: u32 = 16;
/// Catalogue id of DPS resource log categories (`dps-log-category`).
pub const AIC_CATALOGUE_DPS_LOG_CATEGORY: u32 = 17;
/// Passed as the catalogue filter of aic_decode, aic_decode_json and aic_decode_payload_json: consider every
/// catalogue.
pub const AIC_CATALOGUE_ANY: u32 = u32::MAX;

/// Service id of Azure IoT Hub (`iot-hub`). Bit `1 << AIC_SERVICE_IOT_HUB` of aic_row.services.
pub const AIC_SERVICE_IOT_HUB: u32 = 0;
/// Service id of the Device Provisioning Service (`dps`).
pub const AIC_SERVICE_DPS: u32 = 1;
/// Service id of Azure IoT Central (`iot-central`).
pub const AIC_SERVICE_IOT_CENTRAL: u32 = 2;
/// Service id of Device Update for IoT Hub (`device-update`).
pub const AIC_SERVICE_DEVICE_UPDATE: u32 = 3;
/// Passed as the service filter of aic_decode, aic_decode_json and aic_decode_payload_json: consider every
/// service.
pub const AIC_SERVICE_ANY: u32 = u32::MAX;

/// Standing of a meaning the current documentation and SDKs give (`current`).
pub const AIC_STANDING_CURRENT: u32 = 0;
/// Standing of a meaning seen in real payloads that no source names (`observed`).
pub const AIC_STANDING_OBSERVED: u32 = 1;
/// Standing of a meaning another source gives the same code (`conflicting`).
pub const AIC_STANDING_CONFLICTING: u32 = 2;
/// Standing of a meaning the code had in older SDKs or services (`historical`).
pub const AIC_STANDING_HISTORICAL: u32 = 3;
/// Standing of a meaning a documentation page lists, most likely by mistake (`doc-error`).
pub const AIC_STANDING_DOC_ERROR: u32 = 4;

/// The input was an unsigned decimal number (`404001`).
pub const AIC_NUMBER_FORM_DECIMAL: u32 = 0;
/// The input was a 0x-prefixed hexadecimal number (`0x191`).
pub const AIC_NUMBER_FORM_HEX: u32 = 1;
/// The input was a negative decimal, read as a signed 32-bit value (`-536870781` is 0xE0000083).
pub const AIC_NUMBER_FORM_SIGNED: u32 = 2;

/// Device Update agent 0.6.0 (legacy extended result code layout). Bit `1 << AIC_AGENT_VERSION_0_6_0` of an
/// agent-version set.
pub const AIC_AGENT_VERSION_0_6_0: u32 = 0;
/// Device Update agent 0.7.0 (legacy layout).
pub const AIC_AGENT_VERSION_0_7_0: u32 = 1;
/// Device Update agent 0.8.0.
pub const AIC_AGENT_VERSION_0_8_0: u32 = 2;
/// Device Update agent 0.8.2.
pub const AIC_AGENT_VERSION_0_8_2: u32 = 3;
/// Device Update agent 1.0.0.
pub const AIC_AGENT_VERSION_1_0_0: u32 = 4;
/// Device Update agent 1.0.1.
pub const AIC_AGENT_VERSION_1_0_1: u32 = 5;
/// Device Update agent 1.0.2.
pub const AIC_AGENT_VERSION_1_0_2: u32 = 6;
/// Device Update agent 1.1.0 (reports extendedResultCodes as a string of hex codes).
pub const AIC_AGENT_VERSION_1_1_0: u32 = 7;
/// Passed as the agent version of aic_decode, aic_decode_json and aic_decode_payload_json: meanings of every
/// agent version.
pub const AIC_AGENT_VERSION_ANY: u32 = u32::MAX;

/// Extended result code layout of agents 0.8.0 and later: facility (4 bits), component (8 bits), value (20 bits).
pub const AIC_DU_LAYOUT_CURRENT: u32 = 0;
/// Extended result code layout of agents 0.6 and 0.7: facility (4 bits), value (28 bits).
pub const AIC_DU_LAYOUT_LEGACY: u32 = 1;

/// Standings in id order (the core crate has no list of them).
#[allow(dead_code)] // Used by build.rs (which includes this file) and the tests.
pub(crate) const STANDINGS: [Standing; 5] = [
    Standing::Current,
    Standing::Observed,
    Standing::Conflicting,
    Standing::Historical,
    Standing::DocError,
];

/// Number forms in id order.
pub(crate) const NUMBER_FORMS: [NumberForm; 3] =
    [NumberForm::Decimal, NumberForm::Hex, NumberForm::Signed];

/// Layouts in id order.
pub(crate) const LAYOUTS: [DuLayout; 2] = [DuLayout::Current, DuLayout::Legacy];

/// The agent version with id `id` (its index in `AgentVersion::ALL`, which is also its bit in
/// `AgentVersions::bits`).
pub(crate) fn agent_version_from_id(id: u32) -> Option<AgentVersion> {
    AgentVersion::ALL.get(usize::try_from(id).ok()?).copied()
}

/// The id of `version`; `None` only for a version missing from `AgentVersion::ALL`.
pub(crate) fn agent_version_id(version: AgentVersion) -> Option<u32> {
    position(&AgentVersion::ALL, &version)
}

/// The id of `layout`; `None` for a layout added to the core crate after this list.
pub(crate) fn layout_id(layout: DuLayout) -> Option<u32> {
    position(&LAYOUTS, &layout)
}

/// The catalogue with id `id` (its index in `Catalogue::ALL`).
pub(crate) fn catalogue_from_id(id: u32) -> Option<Catalogue> {
    Catalogue::ALL.get(usize::try_from(id).ok()?).copied()
}

/// The id of `catalogue`; `None` only for a catalogue missing from `Catalogue::ALL`.
pub(crate) fn catalogue_id(catalogue: Catalogue) -> Option<u32> {
    position(&Catalogue::ALL, &catalogue)
}

/// The service with id `id` (its index in `Service::ALL`, which is also its bit in `Services::bits`).
pub(crate) fn service_from_id(id: u32) -> Option<Service> {
    Service::ALL.get(usize::try_from(id).ok()?).copied()
}

/// The id of `standing`; `None` for a standing added to the core crate after this list.
#[allow(dead_code)] // Used by build.rs (which includes this file) and the tests.
pub(crate) fn standing_id(standing: Standing) -> Option<u32> {
    position(&STANDINGS, &standing)
}

/// The id of `form`; `None` for a form added to the core crate after this list.
pub(crate) fn number_form_id(form: NumberForm) -> Option<u32> {
    position(&NUMBER_FORMS, &form)
}

fn position<T: PartialEq>(all: &[T], x: &T) -> Option<u32> {
    all.iter()
        .position(|a| a == x)
        .and_then(|i| u32::try_from(i).ok())
}
