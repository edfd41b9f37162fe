//! IoT Central data path: why device data does not show up, and what data export needs.
//!
//! - [`parse`] reads what `az iot central diagnostics validate-messages`, `validate-properties`,
//!   `monitor-events` and `monitor-properties` print, as a person pastes it: the `[WARNING]` / `[ERROR]`
//!   lines of the validators (device id, template id, the capabilities the template lacks and the ones it has,
//!   grouped by component in the Python-repr quoting the CLI uses; the field whose datatype does not match,
//!   the expected datatype and the value sent), the telemetry events `monitor-events` prints as JSON, and the
//!   "Changes in reported properties" blocks `monitor-properties` prints as Python dicts, even when the terminal
//!   wrapped them. Each problem becomes a [`Finding`] with its cause in the `iot-central-unmodeled-cause`
//!   catalogue (description, mitigation, source), and each name the template lacks gets a "did you mean" when
//!   a capability differs only in case or by a small edit ([`edit_distance`]). Lines it does not understand
//!   are kept in [`Report::unrecognised`], never dropped. Needs the `alloc` feature.
//! - [`export_destination`] and [`ExportRequirements`] answer what an export destination needs when a
//!   managed identity authorizes it (the `iot-central-export` catalogue). Allocation-free.
//!
//! ```
//! use azure_iot_codes::{IotCentralUnmodeledCause, central::{parse, Detail}};
//!
//! let pasted = "\
//! Validating telemetry.
//! Filtering on device: sample-device-01.
//! Exiting after 300 second(s), or 10 message(s) have been parsed (whichever happens first).
//! [ERROR] [DeviceId: sample-device-01] [TemplateId: urn:modelDefinition:abc:def]  Datatype of telemetry field \
//! 'temperature' does not match the datatype double. Data sent by the device : curr_temp. For more information, \
//! see: https://aka.ms/iotcentral-payloads";
//! let report = parse(pasted).unwrap();
//! assert_eq!(report.device_filter.as_deref(), Some("sample-device-01"));
//! let f = &report.findings[0];
//! assert_eq!(f.cause, IotCentralUnmodeledCause::SchemaMismatch);
//! let Detail::DatatypeMismatch { field, expected, sent, sent_looks_like } = &f.detail else { panic!() };
//! assert_eq!((field.as_str(), expected.as_str(), sent.as_str()), ("temperature", "double", "curr_temp"));
//! assert_eq!(*sent_looks_like, "string");
//! assert!(report.unrecognised.is_empty());
//! ```

mod export;
#[cfg(feature = "alloc")]
mod messages;
#[cfg(feature = "alloc")]
mod reader;
#[cfg(feature = "alloc")]
mod report;
mod suggest;
#[cfg(feature = "alloc")]
mod value;

pub use export::{
    DESTINATION_EXPECTED, EXPORT_CHECKS, EXPORT_DESTINATIONS, ExportRequirements,
    export_destination,
};
#[cfg(feature = "alloc")]
pub use report::{
    CLI_OUTPUT_EXPECTED, CapabilityGroup, Detail, Finding, Grouping, Line, LineSpan,
    MAX_BLOCK_LINES, MAX_INPUT_LEN, MAX_WRAPPED_LINES, NameCheck, Notice, NoticeKind,
    PropertyChange, PropertySide, RegistrationInfo, Report, SUGGESTION_BUDGET, Severity,
    Suggestion, SuggestionKind, TelemetryEvent, TemplateListing, looks_like_cli_output, parse,
};
pub use suggest::{MAX_COMPARED_LEN, edit_distance, suggestion_limit};
#[cfg(feature = "alloc")]
pub use value::{LITERAL_EXPECTED, MAX_DEPTH, Value, parse_literal};
