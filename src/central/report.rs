//! Reading what `az iot central diagnostics validate-messages`, `validate-properties`, `monitor-events` and
//! `monitor-properties` print, as a person pastes it.

extern crate alloc;

use alloc::string::String;
use alloc::vec::Vec;

use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

use super::messages::{header, notice_kind};
use super::value::Value;
use crate::catalogue::{
    DpsRegistrationStatus, IotCentralStatus, IotCentralUnmodeledCause as Cause, Meaning,
};
use crate::error::{Error, ErrorKind};

/// Longest text [`parse`] reads, in bytes (a long `monitor-events` session is far below this).
pub const MAX_INPUT_LEN: usize = 4 * 1024 * 1024;

/// Most lines one JSON event or Python dict may span before the reader gives up on it.
pub const MAX_BLOCK_LINES: usize = 20_000;

/// Most lines a validator message wrapped by the terminal may span.
pub const MAX_WRAPPED_LINES: usize = 64;

/// How many name comparisons "did you mean" may make in one [`parse`]; past it, names get no suggestion and
/// [`Report::suggestions_skipped`] is set.
pub const SUGGESTION_BUDGET: usize = 20_000;

/// What [`parse`] accepts, for error messages.
pub const CLI_OUTPUT_EXPECTED: &str = "the output of az iot central diagnostics validate-messages, \
     validate-properties, monitor-events or monitor-properties, at most 4 MiB";

/// How serious the validator considered a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// `[INFO]`.
    Info,
    /// `[WARNING]`.
    Warning,
    /// `[ERROR]`.
    Error,
}

impl Severity {
    /// `INFO`, `WARNING` or `ERROR`, as the validators print it.
    pub const fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "INFO",
            Severity::Warning => "WARNING",
            Severity::Error => "ERROR",
        }
    }
}

/// Lines `first..=last` of the input, counted from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LineSpan {
    /// First line.
    pub first: usize,
    /// Last line (equal to `first` for one line).
    pub last: usize,
}

impl LineSpan {
    /// Whether `line` is in the span.
    pub const fn contains(&self, line: usize) -> bool {
        self.first <= line && line <= self.last
    }
}

/// A line of the input that the reader did not understand, kept as it was (without the line break).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Line {
    /// Its number, counted from 1.
    pub line: usize,
    /// Its text.
    pub text: String,
}

/// A line the reader understood that reports no problem: banners, filters, progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum NoticeKind {
    /// "Command group 'iot central diagnostics' is in preview ...".
    PreviewNotice,
    /// "Validating telemetry." (validate-messages starting).
    Validating,
    /// "Monitoring telemetry." (monitor-events starting).
    Monitoring,
    /// "Filtering on device: ..." (see [`Report::device_filter`]).
    DeviceFilter,
    /// "Filtering on module: ..." or the note that module filtering needs IoT Edge.
    ModuleFilter,
    /// "Exiting after ..." (the run's time and message limits).
    ExitCondition,
    /// "Processed N messages...".
    Progress,
    /// "Successfully parsed N message(s).", "N second(s) have elapsed.", "Processing and displaying results.",
    /// "Stopping event monitor...".
    Finished,
    /// "No errors detected after parsing N message(s).".
    NoIssues,
    /// "Changes in reported properties:" or "Changes in desired properties:".
    PropertiesHeader,
    /// "version : N" under a properties header.
    PropertiesVersion,
}

/// A recognised line that reports no problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Notice {
    /// The line number.
    pub line: usize,
    /// What it says.
    pub kind: NoticeKind,
}

/// How the validator grouped the template's capabilities.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Grouping {
    /// "(grouped by components)": keys are component names.
    Components,
    /// "(grouped by interface)": keys are interface ids.
    Interfaces,
}

/// The capabilities of one component (or interface) of a device template, as a validator listed them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CapabilityGroup {
    /// The component name or interface id (empty when the validator printed a flat list).
    pub group: String,
    /// Capability names in the order listed.
    pub capabilities: Vec<String>,
}

/// A device template's capabilities as a validator listed them in a "not defined in the device template"
/// warning.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct TemplateListing {
    /// The template id from the `[TemplateId: ...]` prefix.
    pub template_id: Option<String>,
    /// How the capabilities were grouped (`None` for a flat list).
    pub grouping: Option<Grouping>,
    /// The groups.
    pub groups: Vec<CapabilityGroup>,
}

impl TemplateListing {
    /// Whether `name`, sent in `component` (or at the root), is defined there: `None` when the listing
    /// cannot tell. A listing grouped by components leaves out the root's capabilities (the validators print
    /// only the components), so names sent at the root, or in a component the listing lacks, are not judged.
    pub fn defines(&self, component: Option<&str>, name: &str) -> Option<bool> {
        let has = |g: &CapabilityGroup| g.capabilities.iter().any(|c| c == name);
        match (self.grouping, component) {
            (Some(Grouping::Components), Some(c)) => {
                self.groups.iter().find(|g| g.group == c).map(has)
            }
            (Some(Grouping::Components), None) => None,
            _ => Some(self.groups.iter().any(has)),
        }
    }
}

/// How a name relates to the template capability suggested for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SuggestionKind {
    /// Spelled exactly the same, but defined in another component or interface than the one the data came
    /// in.
    SameName,
    /// Differs only in ASCII case.
    CaseOnly,
    /// Differs by [`Suggestion::distance`] edits (see [`super::edit_distance`]).
    Edit,
}

/// "Did you mean": the template capability closest to a name the device sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suggestion {
    /// The capability as the template spells it.
    pub capability: String,
    /// The components (or interfaces) that define it, in template order.
    pub groups: Vec<String>,
    /// How it relates to the name sent.
    pub kind: SuggestionKind,
    /// Edits between the two, ignoring case (0 for same-name and case-only).
    pub distance: usize,
}

/// One name the device sent that the template does not define where it was sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NameCheck {
    /// The name as sent.
    pub name: String,
    /// Why it is unmodeled: [`IotCentralUnmodeledCause::NameCaseMismatch`] when a capability differs only
    /// in case, else [`IotCentralUnmodeledCause::NameNotInTemplate`].
    ///
    /// [`IotCentralUnmodeledCause::NameCaseMismatch`]: crate::IotCentralUnmodeledCause::NameCaseMismatch
    /// [`IotCentralUnmodeledCause::NameNotInTemplate`]: crate::IotCentralUnmodeledCause::NameNotInTemplate
    pub cause: Cause,
    /// The closest template capability, when one is close enough.
    pub did_you_mean: Option<Suggestion>,
}

/// What a finding is about, with the facts the output gave.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Detail {
    /// Names the template does not define ("Following capabilities have NOT been defined ...").
    NotInTemplate {
        /// Each name, with its cause and "did you mean".
        names: Vec<NameCheck>,
        /// The template's capabilities as listed (empty when derived from an event or property change: see
        /// [`Report::template`]).
        template: Vec<CapabilityGroup>,
        /// How they were grouped.
        grouping: Option<Grouping>,
    },
    /// "Datatype of telemetry field ... does not match the datatype ...".
    DatatypeMismatch {
        /// The field.
        field: String,
        /// The datatype the template declares (`double`, `boolean`...).
        expected: String,
        /// The value the device sent, as the validator printed it.
        sent: String,
        /// What the sent value looks like: `boolean`, `number`, `object`, `array` or `string`.
        sent_looks_like: &'static str,
    },
    /// "Duplicate property: ... found under following interfaces ...".
    DuplicateName {
        /// The name.
        name: String,
        /// The interfaces that define it.
        interfaces: Vec<String>,
    },
    /// "Device is specifying a component that is unknown ...".
    UnknownComponent {
        /// The component the device named.
        component: String,
        /// The template's components.
        allowed: Vec<String>,
        /// The closest allowed component, when one is close enough.
        did_you_mean: Option<Suggestion>,
    },
    /// "Invalid characters detected. Invalid field names: ...", or such names found in an event payload.
    InvalidFieldNames {
        /// The names.
        names: Vec<String>,
    },
    /// "Invalid JSON format.", or an event whose payload is not a JSON object.
    InvalidJson {
        /// The payload as printed, when the finding comes from an event.
        payload: Option<String>,
    },
    /// "Error retrieving template ...".
    TemplateNotFound {
        /// The error the validator quoted.
        error: String,
    },
    /// "Content type '...' is not supported ...".
    ContentType {
        /// The content type the message carried (may be empty).
        sent: String,
        /// The one expected.
        expected: String,
    },
    /// "No encoding found ..." (`sent` is `None`) or "Encoding type '...' is not supported ...".
    ContentEncoding {
        /// The encoding the message carried.
        sent: Option<String>,
    },
    /// `_unmodeleddata` in the output: component telemetry an old IoT Edge runtime sent.
    UnmodeledData {
        /// Where it was seen: a payload path (`payload._unmodeleddata`) or the line.
        at: String,
    },
}

/// One problem found in the output: what the validator (or this reader) saw, the catalogue row that explains
/// it and what to do.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Finding {
    /// The lines it comes from.
    pub lines: LineSpan,
    /// How serious.
    pub severity: Severity,
    /// `true` when the az CLI printed it; `false` when this reader derived it from a telemetry event or a
    /// property change (a payload that is not JSON, a name the template listing in the same text lacks...).
    pub reported: bool,
    /// The device, from `[DeviceId: ...]` or the event's `origin`.
    pub device_id: Option<String>,
    /// The template, from `[TemplateId: ...]`.
    pub template_id: Option<String>,
    /// The cause (a row of the `iot-central-unmodeled-cause` catalogue).
    pub cause: Cause,
    /// The facts.
    pub detail: Detail,
    /// The validator's message after the `[...]` prefixes, joined when the terminal wrapped it.
    pub message: Option<String>,
}

impl Finding {
    /// The catalogue row of the cause: description, mitigation, source.
    pub fn meaning(&self) -> &'static Meaning {
        self.cause.meaning()
    }
}

impl Serialize for Finding {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Finding", 9)?;
        st.serialize_field("lines", &self.lines)?;
        st.serialize_field("severity", &self.severity)?;
        st.serialize_field("reported", &self.reported)?;
        st.serialize_field("device_id", &self.device_id)?;
        st.serialize_field("template_id", &self.template_id)?;
        st.serialize_field("cause", &self.cause)?;
        st.serialize_field("detail", &self.detail)?;
        st.serialize_field("message", &self.message)?;
        st.serialize_field("meaning", self.meaning())?;
        st.end()
    }
}

/// A telemetry event as `monitor-events` prints it (`{"event": {"origin", "module", "interface",
/// "component", "payload"}}`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct TelemetryEvent {
    /// The lines it spans.
    pub lines: LineSpan,
    /// `origin`: the device id.
    pub device_id: Option<String>,
    /// `module` (IoT Edge), when not empty.
    pub module: Option<String>,
    /// `interface`, when not empty.
    pub interface: Option<String>,
    /// `component`, when not empty.
    pub component: Option<String>,
    /// `payload`: an object when the body was JSON, a string when it could not be parsed.
    pub payload: Value,
    /// `properties`, when the command was asked to print them.
    pub properties: Option<Value>,
}

/// The JSON `az iot central device registration-info` prints: the device's provisioning status in IoT
/// Central and its DPS state.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RegistrationInfo {
    /// The lines it spans.
    pub lines: LineSpan,
    /// `@device_id` (or `device_registration_info.id`).
    pub device_id: Option<String>,
    /// `device_status` as printed (`provisioned`, `registered`, `blocked`, `unassociated`).
    pub device_status: Option<String>,
    /// The status as a catalogue value, when `device_status` names one.
    pub status: Option<IotCentralStatus>,
    /// The device template (`template`, or `instance_of` in older output).
    pub template: Option<String>,
    /// `simulated`.
    pub simulated: Option<bool>,
    /// `dps_state.status`: the DPS registration status, when DPS was asked (`null` otherwise).
    pub dps_status: Option<String>,
    /// `dps_state.error`: the explanation the CLI gives.
    pub error: Option<String>,
}

impl RegistrationInfo {
    /// The DPS registration status as a catalogue value, when `dps_status` names one.
    pub fn dps_registration_status(&self) -> Option<DpsRegistrationStatus> {
        self.dps_status.as_deref()?.parse().ok()
    }
}

impl Serialize for RegistrationInfo {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("RegistrationInfo", 11)?;
        st.serialize_field("lines", &self.lines)?;
        st.serialize_field("device_id", &self.device_id)?;
        st.serialize_field("device_status", &self.device_status)?;
        st.serialize_field("status", &self.status)?;
        st.serialize_field("template", &self.template)?;
        st.serialize_field("simulated", &self.simulated)?;
        st.serialize_field("dps_status", &self.dps_status)?;
        st.serialize_field("error", &self.error)?;
        st.serialize_field("meaning", &self.status.map(IotCentralStatus::meaning))?;
        st.serialize_field(
            "dps_meaning",
            &self
                .dps_registration_status()
                .map(DpsRegistrationStatus::meaning),
        )?;
        st.end()
    }
}

/// Which side of the twin a property change is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PropertySide {
    /// "Changes in reported properties:" (sent by the device).
    Reported,
    /// "Changes in desired properties:" (set by the application).
    Desired,
}

/// A "Changes in reported (or desired) properties" block of `monitor-properties`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct PropertyChange {
    /// The lines from the header to the end of the dict.
    pub lines: LineSpan,
    /// Reported or desired.
    pub side: PropertySide,
    /// The twin section's version ("version : N").
    pub version: Option<u64>,
    /// The changed properties (a Python dict in the output; components carry `'__t': 'c'`).
    pub properties: Value,
}

impl PropertyChange {
    /// Each changed property as (component, name, value): properties inside a component (a dict marked
    /// `'__t': 'c'`) carry the component's name, the others `None`.
    ///
    /// ```
    /// use azure_iot_codes::central::parse;
    /// let r = parse("Changes in reported properties:\nversion : 3\n{'thermostat1': {'__t': 'c', 'maxTempSinceLastReboot': 30}, 'swVersion': '1.0'}").unwrap();
    /// let e = r.property_changes[0].entries();
    /// assert_eq!((e[0].0, e[0].1), (Some("thermostat1"), "maxTempSinceLastReboot"));
    /// assert_eq!((e[1].0, e[1].1), (None, "swVersion"));
    /// ```
    pub fn entries(&self) -> Vec<(Option<&str>, &str, &Value)> {
        let mut out = Vec::new();
        for (k, v) in self.properties.as_object().unwrap_or(&[]) {
            match component_body(v) {
                Some(inner) => {
                    for (ik, iv) in inner {
                        if ik != COMPONENT_MARKER {
                            out.push((Some(k.as_str()), ik.as_str(), iv));
                        }
                    }
                }
                None => out.push((None, k.as_str(), v)),
            }
        }
        out
    }
}

/// The key IoT Plug and Play puts in a component's reported properties (with the value `c`).
const COMPONENT_MARKER: &str = "__t";

fn component_body(v: &Value) -> Option<&[(String, Value)]> {
    let pairs = v.as_object()?;
    pairs
        .iter()
        .any(|(k, x)| k == COMPONENT_MARKER && x.as_str() == Some("c"))
        .then_some(pairs)
}

/// Everything read from the pasted output.
///
/// Every line that is not blank is accounted for: it is part of a finding, event or property change, a
/// notice, or kept in [`Report::unrecognised`] exactly as it was.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Report {
    /// Problems found, in the order of the input (those derived from events and property changes last).
    pub findings: Vec<Finding>,
    /// Telemetry events.
    pub events: Vec<TelemetryEvent>,
    /// Property changes.
    pub property_changes: Vec<PropertyChange>,
    /// `device registration-info` outputs.
    pub registrations: Vec<RegistrationInfo>,
    /// Recognised lines that report no problem.
    pub notices: Vec<Notice>,
    /// Lines not understood, as they were.
    pub unrecognised: Vec<Line>,
    /// The device the command filtered on ("Filtering on device: ...").
    pub device_filter: Option<String>,
    /// The last template listing a validator printed; events and property changes are checked against it.
    pub template: Option<TemplateListing>,
    /// `true` when [`SUGGESTION_BUDGET`] ran out and later names got no "did you mean".
    pub suggestions_skipped: bool,
    /// Number of lines in the input.
    pub line_count: usize,
}

impl Report {
    /// Whether anything at all was recognised.
    pub fn recognised_anything(&self) -> bool {
        !(self.findings.is_empty()
            && self.events.is_empty()
            && self.property_changes.is_empty()
            && self.registrations.is_empty()
            && self.notices.is_empty())
    }

    /// The distinct causes of the findings, in order of first appearance.
    pub fn causes(&self) -> Vec<Cause> {
        let mut out: Vec<Cause> = Vec::new();
        for f in &self.findings {
            if let Detail::NotInTemplate { names, .. } = &f.detail {
                for n in names {
                    if !out.contains(&n.cause) {
                        out.push(n.cause);
                    }
                }
            }
            if !out.contains(&f.cause) {
                out.push(f.cause);
            }
        }
        out
    }
}

/// Whether `text` looks like output of the `az iot central diagnostics` commands (a `[WARNING]`/`[ERROR]`
/// line, a banner, a properties header, a telemetry event, `_unmodeleddata`), as opposed to a code to decode.
/// Allocation-free.
///
/// ```
/// use azure_iot_codes::central::looks_like_cli_output;
/// assert!(looks_like_cli_output("[ERROR] [DeviceId: d1] Invalid JSON format."));
/// assert!(looks_like_cli_output("Changes in reported properties:\nversion : 1\n{}"));
/// assert!(!looks_like_cli_output("404 Not Found"));
/// ```
pub fn looks_like_cli_output(text: &str) -> bool {
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let first = lines.clone().next();
    let json_shape = match first {
        Some(l) if l.starts_with('{') => {
            text.contains("\"event\"") || text.contains("\"device_registration_info\"")
        }
        Some(l) if l.starts_with('[') => text.contains("\"details\""),
        _ => false,
    };
    if json_shape {
        return true;
    }
    text.contains("_unmodeleddata")
        || lines.any(|l| header(l).is_some() || notice_kind(l).is_some())
}

/// Reads pasted output of `az iot central diagnostics validate-messages`, `validate-properties`,
/// `monitor-events` and `monitor-properties` (several runs may be pasted together).
///
/// Never panics. Fails only on input longer than [`MAX_INPUT_LEN`]; anything it does not understand is kept in
/// [`Report::unrecognised`].
///
/// ```
/// use azure_iot_codes::IotCentralUnmodeledCause;
/// use azure_iot_codes::central::{parse, Detail, SuggestionKind};
///
/// let out = "[WARNING] [DeviceId: d1] [TemplateId: urn:m:t] Device is sending data that has not been defined \
///     in the device template. Following capabilities have NOT been defined in the device template \
///     '['Temperature']'. Following capabilities have been defined in the device template (grouped by \
///     components) '{'thermostat1': ['temperature', 'targetTemperature']}'.";
/// let r = parse(out).unwrap();
/// let f = &r.findings[0];
/// assert_eq!(f.cause, IotCentralUnmodeledCause::NameCaseMismatch);
/// let Detail::NotInTemplate { names, .. } = &f.detail else { panic!() };
/// let s = names[0].did_you_mean.as_ref().unwrap();
/// assert_eq!((s.capability.as_str(), s.kind), ("temperature", SuggestionKind::CaseOnly));
/// assert_eq!(s.groups, ["thermostat1"]);
/// println!("{}", f.meaning().mitigation());
/// ```
pub fn parse(text: &str) -> Result<Report, Error> {
    if text.len() > MAX_INPUT_LEN {
        return Err(Error::new(ErrorKind::TooLarge, text, CLI_OUTPUT_EXPECTED));
    }
    Ok(super::reader::read(text))
}
