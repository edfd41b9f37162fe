//! Reading what `az iot central diagnostics validate-messages`, `validate-properties`, `monitor-events` and
//! `monitor-properties` print, as a person pastes it.

extern crate alloc;

use alloc::collections::BTreeSet;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

use super::suggest::{edit_distance, suggestion_limit};
use super::value::{LiteralError, Value, parse_prefix};
use crate::catalogue::{
    DpsRegistrationStatus, IotCentralStatus, IotCentralUnmodeledCause as Cause, Meaning,
};
use crate::error::{Error, ErrorKind};

/// Longest text [`parse`] reads, in bytes (a long `monitor-events` session is far below this).
pub const MAX_INPUT_LEN: usize = 4 * 1024 * 1024;

/// Most lines one JSON event or Python dict may span before the reader gives up on it.
pub const MAX_BLOCK_LINES: usize = 20_000;

/// Most lines looked at for the wrapped tail of a message whose parts are all read but whose usual ending is
/// missing; when none completes it, the message is taken as it is.
const MAX_TAIL_LINES: usize = 4;

/// Most lines a validator message wrapped by the terminal may span.
pub const MAX_WRAPPED_LINES: usize = 64;

/// How many name comparisons "did you mean" may make in one [`parse`]; past it, names get no suggestion and
/// [`Report::suggestions_skipped`] is set.
pub const SUGGESTION_BUDGET: usize = 20_000;

/// Re-reading budget: trying a block that never closes, or a wrapped message that never completes, reads
/// lines again. Over the whole input the reader scans at most this many bytes per input byte (plus
/// [`WORK_BASE`]); past that, further blocks and wrapped messages are left unrecognised. Real output never
/// comes close; the bound keeps hostile input linear.
const WORK_PER_BYTE: usize = 16;
const WORK_BASE: usize = 1 << 20;

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
    let lines: Vec<&str> = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    let line_count = if text.is_empty() {
        0
    } else {
        lines.len() - usize::from(text.ends_with('\n'))
    };
    let mut p = Reader {
        lines,
        report: Report {
            findings: Vec::new(),
            events: Vec::new(),
            property_changes: Vec::new(),
            registrations: Vec::new(),
            notices: Vec::new(),
            unrecognised: Vec::new(),
            device_filter: None,
            template: None,
            suggestions_skipped: false,
            line_count,
        },
        budget: SUGGESTION_BUDGET,
        work: WORK_PER_BYTE
            .saturating_mul(text.len())
            .saturating_add(WORK_BASE),
        pending_props: None,
        reported_index: None,
    };
    p.run();
    p.check_events_and_properties();
    Ok(p.report)
}

struct Reader<'t> {
    lines: Vec<&'t str>,
    report: Report,
    budget: usize,
    /// Bytes the reader may still scan while trying blocks and wrapped messages (see [`WORK_PER_BYTE`]).
    work: usize,
    /// A properties header (line, side) and its version, waiting for its dict.
    pending_props: Option<(usize, PropertySide, Option<u64>)>,
    /// What the validators reported, while findings are derived from events and property changes.
    reported_index: Option<Reported>,
}

/// What the validators reported, so that a derived finding does not repeat one: names per device (`None` when
/// the validator gave no device) and causes per device.
#[derive(Default)]
struct Reported {
    /// (cause, device as the finding gave it, name).
    names: BTreeSet<(Cause, Option<String>, String)>,
    /// (cause, name) for any device.
    names_any: BTreeSet<(Cause, String)>,
    causes: BTreeSet<(Cause, Option<String>)>,
    causes_any: BTreeSet<Cause>,
}

impl Reported {
    fn of(findings: &[Finding]) -> Reported {
        let mut r = Reported::default();
        for f in findings.iter().filter(|f| f.reported) {
            let names: Vec<&String> = match &f.detail {
                Detail::NotInTemplate { names, .. } => names.iter().map(|n| &n.name).collect(),
                Detail::InvalidFieldNames { names } => names.iter().collect(),
                _ => Vec::new(),
            };
            // Both name causes are one kind of finding for this purpose.
            let cause = match f.cause {
                Cause::NameCaseMismatch => Cause::NameNotInTemplate,
                c => c,
            };
            for n in names {
                r.names.insert((cause, f.device_id.clone(), n.clone()));
                r.names_any.insert((cause, n.clone()));
            }
            r.causes.insert((cause, f.device_id.clone()));
            r.causes_any.insert(cause);
        }
        r
    }

    /// Reported for `device`, for a finding without a device, or (when `device` is `None`) for any device.
    fn has_name(&self, cause: Cause, device: Option<&str>, name: &str) -> bool {
        match device {
            None => self.names_any.contains(&(cause, String::from(name))),
            Some(d) => {
                self.names
                    .contains(&(cause, Some(String::from(d)), String::from(name)))
                    || self.names.contains(&(cause, None, String::from(name)))
            }
        }
    }

    fn has_cause(&self, cause: Cause, device: Option<&str>) -> bool {
        match device {
            None => self.causes_any.contains(&cause),
            Some(d) => {
                self.causes.contains(&(cause, Some(String::from(d))))
                    || self.causes.contains(&(cause, None))
            }
        }
    }
}

struct Header<'a> {
    severity: Severity,
    device: Option<&'a str>,
    template: Option<&'a str>,
    rest: &'a str,
}

/// `[WARNING] [DeviceId: x] [TemplateId: y] rest`, with an optional knack `WARNING: ` prefix.
fn header(line: &str) -> Option<Header<'_>> {
    let mut t = line.trim_start();
    for p in ["WARNING: ", "ERROR: ", "INFO: "] {
        if let Some(r) = t.strip_prefix(p) {
            t = r.trim_start();
            break;
        }
    }
    let (severity, rest) = [
        ("[WARNING]", Severity::Warning),
        ("[ERROR]", Severity::Error),
        ("[INFO]", Severity::Info),
    ]
    .into_iter()
    .find_map(|(tag, sev)| {
        let head = t.get(..tag.len())?;
        head.eq_ignore_ascii_case(tag)
            .then(|| (sev, &t[tag.len()..]))
    })?;
    let mut rest = rest.trim_start();
    let mut bracket = |label: &str| -> Option<&str> {
        let inner = rest.strip_prefix('[')?;
        let inner = inner.trim_start().strip_prefix(label)?;
        let inner = inner.strip_prefix(':')?;
        let end = inner.find(']')?;
        let value = inner[..end].trim();
        rest = inner[end + 1..].trim_start();
        Some(value)
    };
    let device = bracket("DeviceId");
    let template = bracket("TemplateId");
    Some(Header {
        severity,
        device,
        template,
        rest: rest.trim(),
    })
}

fn notice_kind(line: &str) -> Option<NoticeKind> {
    let mut t = line.trim();
    if let Some(r) = t.strip_prefix("WARNING: ") {
        t = r.trim_start();
    }
    let k = if (t.starts_with("Command group '") || t.starts_with("Command '"))
        && (t.contains("is in preview") || t.contains("is experimental"))
    {
        NoticeKind::PreviewNotice
    } else if t.starts_with("Validating telemetry") {
        NoticeKind::Validating
    } else if t.starts_with("Monitoring telemetry") {
        NoticeKind::Monitoring
    } else if t.starts_with("Filtering on device:") {
        NoticeKind::DeviceFilter
    } else if t.starts_with("Filtering on module:")
        || t.starts_with("Module filtering is applicable only")
    {
        NoticeKind::ModuleFilter
    } else if t.starts_with("Exiting after ") {
        NoticeKind::ExitCondition
    } else if t.starts_with("Processed ") && t.ends_with(" messages...") {
        NoticeKind::Progress
    } else if (t.starts_with("Successfully parsed ") && t.ends_with(" message(s)."))
        || t.ends_with(" second(s) have elapsed.")
        || t == "Processing and displaying results."
        || t == "Stopping event monitor..."
    {
        NoticeKind::Finished
    } else if t.starts_with("No errors detected after parsing ") {
        NoticeKind::NoIssues
    } else if t == "Changes in reported properties:" || t == "Changes in desired properties:" {
        NoticeKind::PropertiesHeader
    } else if version_line(t).is_some() {
        NoticeKind::PropertiesVersion
    } else {
        return None;
    };
    Some(k)
}

/// Notices long enough for a terminal to wrap: how they start, and when the joined text is complete.
type Complete = fn(&str) -> bool;

const WRAPPABLE_NOTICES: [(&str, Complete); 5] = [
    ("Command group '", preview_complete),
    ("Command '", preview_complete),
    ("Exiting after ", |t| t.ends_with('.')),
    ("No errors detected after parsing ", |t| {
        t.ends_with("message(s).")
    }),
    ("Module filtering is applicable only", |t| {
        t.ends_with("edge devices.")
    }),
];

/// The preview banner ends with the reference-levels link (or, in older CLIs, "a future release.").
fn preview_complete(t: &str) -> bool {
    t.ends_with("CLI_refstatus") || t.ends_with("future release.")
}

/// `version : 32` as `print("version :", n)` writes it.
fn version_line(t: &str) -> Option<u64> {
    let rest = t.strip_prefix("version")?.trim_start().strip_prefix(':')?;
    rest.trim().parse().ok()
}

/// A `[DeviceId: ...]` or `[TemplateId: ...]` prefix cut by the end of a wrapped line.
fn cut_bracket(rest: &str) -> bool {
    if !rest.starts_with('[') || rest.contains(']') {
        return false;
    }
    let head = rest.split(':').next().unwrap_or(rest);
    ["[DeviceId", "[TemplateId"]
        .iter()
        .any(|l| l.starts_with(head) || head == *l)
}

/// Outcome of reading a validator message.
enum Step<T> {
    /// Read; `false` when the message's usual ending is missing (a wrapped tail may follow).
    Done(T, bool),
    /// The message started as a known one but ended early: a wrapped line may hold the rest.
    Incomplete,
    /// Not a message this reader knows.
    Unknown,
}

/// The facts of one validator message, before names are checked.
enum Raw {
    NotInTemplate {
        unmodeled: Vec<String>,
        grouping: Option<Grouping>,
        groups: Vec<CapabilityGroup>,
    },
    Datatype {
        field: String,
        expected: String,
        sent: String,
    },
    Duplicate {
        name: String,
        interfaces: Vec<String>,
    },
    UnknownComponent {
        component: String,
        allowed: Vec<String>,
    },
    InvalidFieldNames(Vec<String>),
    InvalidJson,
    TemplateNotFound(String),
    ContentType {
        sent: String,
        expected: String,
    },
    ContentEncoding(Option<String>),
}

const NOT_IN: &str = "Device is sending data that has not been defined in the device template.";
const NOT_IN_LIST: &str = "Following capabilities have NOT been defined in the device template '";
const DEFINED: &str = "Following capabilities have been defined in the device template";
const DATATYPE: &str = "Datatype of telemetry field '";
const DUPLICATE: &str = "Duplicate property: '";
const COMPONENT: &str = "Device is specifying a component that is unknown.";
const INTERFACE: &str = "Device is specifying an interface that is unknown.";
const FIELD_NAMES: &str = "Invalid characters detected.";
const INVALID_JSON: &str = "Invalid JSON format.";
const TEMPLATE: &str = "Error retrieving template '";
const CONTENT_TYPE: &str = "Content type '";
const NO_ENCODING: &str = "No encoding found.";
const ENCODING: &str = "Encoding type '";
const LEADS: [&str; 11] = [
    NOT_IN,
    DATATYPE,
    DUPLICATE,
    COMPONENT,
    INTERFACE,
    FIELD_NAMES,
    INVALID_JSON,
    TEMPLATE,
    CONTENT_TYPE,
    NO_ENCODING,
    ENCODING,
];

/// `marker` and what follows it in `s`, or the step to report when it is missing.
fn after<'a>(s: &'a str, marker: &str) -> Result<&'a str, Step<Raw>> {
    s.find(marker)
        .map(|i| &s[i + marker.len()..])
        .ok_or(Step::Incomplete)
}

/// A literal right at the start of `s`, closed by the validator's `'`; returns it and what follows the `'`.
fn quoted_literal(s: &str) -> Result<(Value, &str), Step<Raw>> {
    match parse_prefix(s) {
        Ok((v, used)) => {
            let tail = &s[used..];
            match tail.strip_prefix('\'') {
                Some(t) => Ok((v, t)),
                None if tail.is_empty() => Err(Step::Incomplete),
                None => Err(Step::Unknown),
            }
        }
        Err(LiteralError::Incomplete) => Err(Step::Incomplete),
        Err(LiteralError::Invalid | LiteralError::TooDeep) => Err(Step::Unknown),
    }
}

fn strings(v: &Value) -> Vec<String> {
    match v {
        Value::Array(items) => items.iter().map(value_text).collect(),
        other => alloc::vec![value_text(other)],
    }
}

fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn read_message(rest: &str) -> Step<Raw> {
    if rest.is_empty()
        || LEADS
            .iter()
            .any(|l| l.len() > rest.len() && l.starts_with(rest))
    {
        return Step::Incomplete;
    }
    let r = if let Some(s) = rest.strip_prefix(NOT_IN) {
        read_not_in_template(s)
    } else if let Some(s) = rest.strip_prefix(DATATYPE) {
        read_datatype(s)
    } else if let Some(s) = rest.strip_prefix(DUPLICATE) {
        read_duplicate(s)
    } else if let Some(s) = rest
        .strip_prefix(COMPONENT)
        .or_else(|| rest.strip_prefix(INTERFACE))
    {
        read_component(s)
    } else if let Some(s) = rest.strip_prefix(FIELD_NAMES) {
        (|| {
            let (v, _) = quoted_literal(after(s, "Invalid field names: '")?)?;
            Ok(Raw::InvalidFieldNames(strings(&v)))
        })()
    } else if rest.starts_with(INVALID_JSON) {
        Ok(Raw::InvalidJson)
    } else if let Some(s) = rest.strip_prefix(TEMPLATE) {
        s.rfind("'. Please try again later")
            .map(|i| Raw::TemplateNotFound(s[..i].into()))
            .ok_or(Step::Incomplete)
    } else if let Some(s) = rest.strip_prefix(CONTENT_TYPE) {
        (|| {
            let m = "' is not supported. Expected Content type is '";
            let i = s.find(m).ok_or(Step::Incomplete)?;
            let tail = &s[i + m.len()..];
            let j = tail.find('\'').ok_or(Step::Incomplete)?;
            Ok(Raw::ContentType {
                sent: s[..i].into(),
                expected: tail[..j].into(),
            })
        })()
    } else if rest.starts_with(NO_ENCODING) {
        Ok(Raw::ContentEncoding(None))
    } else if let Some(s) = rest.strip_prefix(ENCODING) {
        s.find("' is not supported.")
            .map(|i| Raw::ContentEncoding(Some(s[..i].into())))
            .ok_or(Step::Incomplete)
    } else {
        Err(Step::Unknown)
    };
    match r {
        Ok(raw) => Step::Done(raw, ends_right(rest)),
        Err(step) => step,
    }
}

/// Whether a message ends the way the CLI writes it, so that no wrapped tail is missing.
fn ends_right(rest: &str) -> bool {
    let t = rest.trim_end();
    let ending: &[&str] = if rest.starts_with(DATATYPE) {
        &["iotcentral-payloads"]
    } else if rest.starts_with(DUPLICATE) {
        &["unique in the device model", "unique in the device model."]
    } else if rest.starts_with(FIELD_NAMES) {
        &["]."]
    } else if rest.starts_with(TEMPLATE) {
        &["again later."]
    } else if rest.starts_with(NO_ENCODING) {
        &["message header."]
    } else if rest.starts_with(INVALID_JSON) {
        &[""]
    } else {
        // The messages that end with a quoted value: not in template, unknown component, content type,
        // encoding.
        &["'."]
    };
    ending.iter().any(|e| t.ends_with(e))
}

fn read_not_in_template(s: &str) -> Result<Raw, Step<Raw>> {
    let (names, tail) = quoted_literal(after(s, NOT_IN_LIST)?)?;
    let tail = after(tail, DEFINED)?;
    let open = tail.find('\'').ok_or(Step::Incomplete)?;
    let grouping = match tail[..open].trim() {
        "" => None,
        "(grouped by components)" => Some(Grouping::Components),
        "(grouped by interface)" | "(grouped by interfaces)" => Some(Grouping::Interfaces),
        g if "(grouped by components)".starts_with(g) => return Err(Step::Incomplete),
        _ => return Err(Step::Unknown),
    };
    let (defined, _) = quoted_literal(&tail[open + 1..])?;
    let groups = match &defined {
        Value::Object(pairs) => pairs
            .iter()
            .map(|(k, v)| CapabilityGroup {
                group: k.clone(),
                capabilities: strings(v),
            })
            .collect(),
        Value::Array(_) => alloc::vec![CapabilityGroup {
            group: String::new(),
            capabilities: strings(&defined),
        }],
        _ => return Err(Step::Unknown),
    };
    Ok(Raw::NotInTemplate {
        unmodeled: strings(&names),
        grouping,
        groups,
    })
}

fn read_datatype(s: &str) -> Result<Raw, Step<Raw>> {
    let m = "' does not match the datatype ";
    let i = s.find(m).ok_or(Step::Incomplete)?;
    let field = &s[..i];
    let tail = &s[i + m.len()..];
    let j = tail
        .find(". Data sent by the device")
        .ok_or(Step::Incomplete)?;
    let expected = tail[..j].trim();
    let sent = &tail[j + ". Data sent by the device".len()..];
    let sent = sent
        .strip_prefix(" : ")
        .or_else(|| sent.strip_prefix(" - "))
        .or_else(|| sent.strip_prefix(": "))
        .ok_or(Step::Incomplete)?;
    let end = sent
        .rfind(". For more information")
        .or_else(|| sent.rfind(". For information about format"))
        .ok_or(Step::Incomplete)?;
    Ok(Raw::Datatype {
        field: field.into(),
        expected: expected.into(),
        sent: sent[..end].into(),
    })
}

fn read_duplicate(s: &str) -> Result<Raw, Step<Raw>> {
    let m = "' found under following interfaces ";
    let i = s.find(m).ok_or(Step::Incomplete)?;
    let list = &s[i + m.len()..];
    match parse_prefix(list) {
        Ok((v, _)) => Ok(Raw::Duplicate {
            name: s[..i].into(),
            interfaces: strings(&v),
        }),
        Err(LiteralError::Incomplete) => Err(Step::Incomplete),
        Err(_) => Err(Step::Unknown),
    }
}

fn read_component(s: &str) -> Result<Raw, Step<Raw>> {
    let (start, sep) = match (
        s.find("Device specified component: '"),
        s.find("Device specified interface: '"),
    ) {
        (Some(i), _) => (
            i + "Device specified component: '".len(),
            "'. Allowed components: '",
        ),
        (None, Some(i)) => (
            i + "Device specified interface: '".len(),
            "'. Allowed interfaces: '",
        ),
        (None, None) => return Err(Step::Incomplete),
    };
    let s = &s[start..];
    let i = s.find(sep).ok_or(Step::Incomplete)?;
    let (allowed, _) = quoted_literal(&s[i + sep.len()..])?;
    Ok(Raw::UnknownComponent {
        component: s[..i].into(),
        allowed: strings(&allowed),
    })
}

/// What a value printed by `str()` looks like.
fn looks_like(sent: &str) -> &'static str {
    let t = sent.trim();
    if matches!(t, "True" | "False" | "true" | "false") {
        "boolean"
    } else if !t.is_empty() && t.parse::<f64>().is_ok() {
        "number"
    } else if t.starts_with('{') {
        "object"
    } else if t.starts_with('[') {
        "array"
    } else {
        "string"
    }
}

/// DTDL names: a letter or `_`, then letters, digits and `_` (the rule validate-messages applies).
fn valid_field_name(name: &str) -> bool {
    let mut b = name.bytes();
    b.next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == b'_')
        && b.all(|c| c.is_ascii_alphanumeric() || c == b'_')
}

/// Balance of brackets over lines joined without separators (terminal wrapping), strings in either quote.
#[derive(Default)]
struct Balance {
    depth: usize,
    quote: Option<u8>,
    escaped: bool,
}

impl Balance {
    /// Feeds `line`; the byte offset just past the bracket that closes the block, if it is in this line.
    fn feed(&mut self, line: &str) -> Option<usize> {
        for (i, b) in line.bytes().enumerate() {
            if let Some(q) = self.quote {
                if self.escaped {
                    self.escaped = false;
                } else if b == b'\\' {
                    self.escaped = true;
                } else if b == q {
                    self.quote = None;
                }
                continue;
            }
            match b {
                b'"' | b'\'' => self.quote = Some(b),
                b'{' | b'[' | b'(' => self.depth += 1,
                b'}' | b']' | b')' => {
                    self.depth = self.depth.saturating_sub(1);
                    if self.depth == 0 {
                        return Some(i + 1);
                    }
                }
                _ => {}
            }
        }
        None
    }
}

impl<'t> Reader<'t> {
    fn line(&self, i: usize) -> &'t str {
        self.lines.get(i).copied().unwrap_or("")
    }

    /// Takes `n` bytes from the re-reading budget; `false` when it is spent.
    fn spend(&mut self, n: usize) -> bool {
        match self.work.checked_sub(n) {
            Some(left) => {
                self.work = left;
                true
            }
            None => {
                self.work = 0;
                false
            }
        }
    }

    fn keep(&mut self, i: usize) {
        let text = self.line(i).to_string();
        self.report.unrecognised.push(Line { line: i + 1, text });
    }

    fn notice(&mut self, i: usize, kind: NoticeKind) {
        self.report.notices.push(Notice { line: i + 1, kind });
    }

    fn run(&mut self) {
        let mut i = 0;
        while i < self.lines.len() {
            let t = self.line(i).trim();
            if t.is_empty() {
                i += 1;
                continue;
            }
            if header(t).is_some() {
                i = self.validator_message(i);
                continue;
            }
            if (t.starts_with('{') || t.starts_with('['))
                && let Some(next) = self.block(i)
            {
                self.pending_props = None;
                i = next;
                continue;
            }
            if let Some((kind, last, text)) = self.notice_at(i) {
                for k in i..=last {
                    self.notice(k, kind);
                }
                self.on_notice(i, kind, &text);
                i = last + 1;
                continue;
            } else if t.contains("_unmodeleddata") {
                self.pending_props = None;
                self.push_derived(
                    LineSpan {
                        first: i + 1,
                        last: i + 1,
                    },
                    None,
                    Severity::Warning,
                    Cause::EdgeUnmodeledComponent,
                    Detail::UnmodeledData { at: t.into() },
                );
            } else {
                self.pending_props = None;
                self.keep(i);
            }
            i += 1;
        }
    }

    /// A notice at line `i`, joined with the lines the terminal wrapped it onto: its kind, last line and text.
    fn notice_at(&mut self, i: usize) -> Option<(NoticeKind, usize, String)> {
        let t = self.line(i).trim();
        let wrappable = WRAPPABLE_NOTICES
            .iter()
            .find(|(prefix, _)| t.starts_with(prefix) || (t.len() >= 8 && prefix.starts_with(t)));
        if let Some((_, complete)) = wrappable {
            let mut text = String::from(self.line(i).trim_start());
            let mut last = i;
            while !complete(text.trim_end()) && last + 1 - i < MAX_WRAPPED_LINES {
                let next = self.line(last + 1);
                let nt = next.trim();
                if last + 1 >= self.lines.len()
                    || nt.is_empty()
                    || header(nt).is_some()
                    || notice_kind(nt).is_some()
                    || !self.spend(text.len())
                {
                    break;
                }
                text.push_str(next);
                last += 1;
            }
            if complete(text.trim_end())
                && let Some(kind) = notice_kind(&text)
            {
                return Some((kind, last, text));
            }
        }
        notice_kind(t).map(|k| (k, i, String::from(t)))
    }

    fn on_notice(&mut self, i: usize, kind: NoticeKind, t: &str) {
        match kind {
            NoticeKind::PropertiesHeader => {
                let side = if t.contains("desired") {
                    PropertySide::Desired
                } else {
                    PropertySide::Reported
                };
                self.pending_props = Some((i, side, None));
            }
            NoticeKind::PropertiesVersion => {
                if let Some(p) = self.pending_props.as_mut() {
                    p.2 = version_line(t);
                }
            }
            NoticeKind::DeviceFilter => {
                self.pending_props = None;
                let id = t["Filtering on device:".len()..].trim();
                // The start-up text puts a '.' after the id when an exit condition follows.
                let next_is_exit = self.lines[i + 1..]
                    .iter()
                    .map(|l| l.trim())
                    .find(|l| !l.is_empty())
                    .is_some_and(|l| {
                        l.starts_with("Exiting after ") || l.starts_with("Filtering on module:")
                    });
                let id = if next_is_exit {
                    id.strip_suffix('.').unwrap_or(id)
                } else {
                    id
                };
                self.report.device_filter = Some(id.into());
            }
            _ => self.pending_props = None,
        }
    }

    /// A `[SEVERITY]` line (and the lines it wrapped onto); returns the next line to read.
    fn validator_message(&mut self, i: usize) -> usize {
        // Only the start is trimmed: a space at the end may be where the terminal wrapped.
        let mut text = String::from(self.line(i).trim_start());
        let mut last = i;
        while self.spend(text.len()) {
            let Some(h) = header(&text) else {
                break;
            };
            let step = if cut_bracket(h.rest) {
                Step::Incomplete
            } else {
                read_message(h.rest)
            };
            match step {
                Step::Done(raw, complete) => {
                    // A wrapped tail (the end of a link, the closing "'.") may still follow on the next
                    // line: take it only if it completes the message.
                    let mut with_tail = None;
                    if !complete {
                        let mut longer = text.clone();
                        let mut end = last;
                        while let Some(line) = (end - last < MAX_TAIL_LINES)
                            .then(|| self.continuation(i, end))
                            .flatten()
                        {
                            longer.push_str(line);
                            end += 1;
                            if !self.spend(longer.len()) {
                                break;
                            }
                            if let Some(Step::Done(raw2, true)) =
                                header(&longer).map(|h| read_message(h.rest))
                            {
                                with_tail = Some((longer, raw2, end));
                                break;
                            }
                        }
                    }
                    let (text, raw, last) = match with_tail {
                        Some((longer, raw2, end)) => (longer, raw2, end),
                        None => (text, raw, last),
                    };
                    let Some(h) = header(&text) else {
                        break;
                    };
                    let span = LineSpan {
                        first: i + 1,
                        last: last + 1,
                    };
                    self.pending_props = None;
                    self.reported(
                        span,
                        h.severity,
                        h.device.map(String::from),
                        h.template.map(String::from),
                        String::from(h.rest),
                        raw,
                    );
                    return last + 1;
                }
                Step::Unknown => break,
                Step::Incomplete => {
                    let Some(line) = self.continuation(i, last) else {
                        break;
                    };
                    // Terminal wrapping splits anywhere, even inside a word: join without a separator.
                    text.push_str(line);
                    last += 1;
                }
            }
        }
        self.pending_props = None;
        self.keep(i);
        i + 1
    }

    /// The line after `last` when it can continue a message that started on line `first`.
    fn continuation(&self, first: usize, last: usize) -> Option<&'t str> {
        let line = self.lines.get(last + 1).copied()?;
        let nt = line.trim();
        let stop = last + 1 - first >= MAX_WRAPPED_LINES
            || nt.is_empty()
            || header(nt).is_some()
            || notice_kind(nt).is_some();
        (!stop).then_some(line)
    }

    /// A JSON or Python block starting at line `i`; the next line to read, or `None` if not understood.
    fn block(&mut self, i: usize) -> Option<usize> {
        let mut bal = Balance::default();
        let mut joined = String::new();
        let mut end = None;
        for k in i..self.lines.len().min(i + MAX_BLOCK_LINES) {
            let line = self.line(k);
            if !self.spend(line.len() + 1) {
                return None;
            }
            if let Some(cut) = bal.feed(line) {
                joined.push_str(&line[..cut]);
                if !line[cut..].trim().is_empty() {
                    return None;
                }
                end = Some(k);
                break;
            }
            joined.push_str(line);
        }
        let end = end?;
        let value = match parse_prefix(&joined) {
            Ok((v, used)) if joined[used..].trim().is_empty() => v,
            _ => return None,
        };
        let span = LineSpan {
            first: i + 1,
            last: end + 1,
        };
        if let Some((hline, side, version)) = self.pending_props
            && value.as_object().is_some()
        {
            self.report.property_changes.push(PropertyChange {
                lines: LineSpan {
                    first: hline + 1,
                    last: end + 1,
                },
                side,
                version,
                properties: value,
            });
            return Some(end + 1);
        }

        if let Some(event) = value.get("event").filter(|e| e.as_object().is_some()) {
            let text = |k: &str| {
                event
                    .get(k)
                    .and_then(Value::as_str)
                    .filter(|s| !s.is_empty())
                    .map(String::from)
            };
            self.report.events.push(TelemetryEvent {
                lines: span,
                device_id: text("origin"),
                module: text("module"),
                interface: text("interface"),
                component: text("component"),
                payload: event.get("payload").cloned().unwrap_or(Value::Null),
                properties: event.get("properties").cloned(),
            });
            return Some(end + 1);
        }
        if let Some(info) = value
            .get("device_registration_info")
            .filter(|i| i.as_object().is_some())
        {
            let text = |v: Option<&Value>| v.and_then(Value::as_str).map(String::from);
            let dps = value.get("dps_state");
            let device_status = text(info.get("device_status"));
            self.report.registrations.push(RegistrationInfo {
                lines: span,
                device_id: text(value.get("@device_id")).or_else(|| text(info.get("id"))),
                status: device_status.as_deref().and_then(|s| s.parse().ok()),
                device_status,
                template: text(info.get("template")).or_else(|| text(info.get("instance_of"))),
                simulated: match info.get("simulated") {
                    Some(Value::Bool(b)) => Some(*b),
                    _ => None,
                },
                dps_status: text(dps.and_then(|d| d.get("status"))),
                error: text(dps.and_then(|d| d.get("error"))),
            });
            return Some(end + 1);
        }
        self.issue_summary(span, &value)?;
        Some(end + 1)
    }

    /// The `--style json` summary: an array of `{severity, details, device_id, template_id, message}`.
    /// Understood only if every entry is.
    fn issue_summary(&mut self, span: LineSpan, value: &Value) -> Option<()> {
        let items = value.as_array().filter(|a| !a.is_empty())?;
        let mut parsed = Vec::with_capacity(items.len());
        for item in items {
            let details = item.get("details")?.as_str()?.trim();
            let severity = match item.get("severity")?.as_str()? {
                s if s.eq_ignore_ascii_case("error") => Severity::Error,
                s if s.eq_ignore_ascii_case("warning") => Severity::Warning,
                s if s.eq_ignore_ascii_case("info") => Severity::Info,
                _ => return None,
            };
            let Step::Done(raw, _) = read_message(details) else {
                return None;
            };
            let id = |k: &str| {
                item.get(k)
                    .and_then(Value::as_str)
                    .filter(|s| !s.is_empty())
                    .map(String::from)
            };
            parsed.push((
                severity,
                id("device_id"),
                id("template_id"),
                details,
                raw,
                id("message"),
            ));
        }
        for (severity, device, template, details, raw, body) in parsed {
            self.reported(span, severity, device, template, details.into(), raw);
            if let (Some(f), Some(body)) = (self.report.findings.last_mut(), body)
                && let Detail::InvalidJson { payload } = &mut f.detail
            {
                *payload = Some(body);
            }
        }
        Some(())
    }

    fn reported(
        &mut self,
        lines: LineSpan,
        severity: Severity,
        device_id: Option<String>,
        template_id: Option<String>,
        message: String,
        raw: Raw,
    ) {
        let (cause, detail) = match raw {
            Raw::NotInTemplate {
                unmodeled,
                grouping,
                groups,
            } => {
                let names: Vec<NameCheck> = unmodeled
                    .into_iter()
                    .map(|n| self.check_name(n, &groups, None))
                    .collect();
                let cause = if !names.is_empty()
                    && names.iter().all(|n| n.cause == Cause::NameCaseMismatch)
                {
                    Cause::NameCaseMismatch
                } else {
                    Cause::NameNotInTemplate
                };
                self.report.template = Some(TemplateListing {
                    template_id: template_id.clone(),
                    grouping,
                    groups: groups.clone(),
                });
                (
                    cause,
                    Detail::NotInTemplate {
                        names,
                        template: groups,
                        grouping,
                    },
                )
            }
            Raw::Datatype {
                field,
                expected,
                sent,
            } => (
                Cause::SchemaMismatch,
                Detail::DatatypeMismatch {
                    field,
                    expected,
                    sent_looks_like: looks_like(&sent),
                    sent,
                },
            ),
            Raw::Duplicate { name, interfaces } => (
                Cause::DuplicateName,
                Detail::DuplicateName { name, interfaces },
            ),
            Raw::UnknownComponent { component, allowed } => {
                let groups = [CapabilityGroup {
                    group: String::new(),
                    capabilities: allowed.clone(),
                }];
                let did_you_mean = self.suggest(&component, &groups, None).map(|mut s| {
                    s.groups.clear();
                    s
                });
                (
                    Cause::UnknownComponent,
                    Detail::UnknownComponent {
                        component,
                        allowed,
                        did_you_mean,
                    },
                )
            }
            Raw::InvalidFieldNames(names) => {
                (Cause::InvalidFieldName, Detail::InvalidFieldNames { names })
            }
            Raw::InvalidJson => (Cause::InvalidJson, Detail::InvalidJson { payload: None }),
            Raw::TemplateNotFound(error) => {
                (Cause::TemplateNotFound, Detail::TemplateNotFound { error })
            }
            Raw::ContentType { sent, expected } => {
                (Cause::ContentType, Detail::ContentType { sent, expected })
            }
            Raw::ContentEncoding(sent) => {
                (Cause::ContentEncoding, Detail::ContentEncoding { sent })
            }
        };
        self.report.findings.push(Finding {
            lines,
            severity,
            reported: true,
            device_id,
            template_id,
            cause,
            detail,
            message: Some(message),
        });
    }

    fn push_derived(
        &mut self,
        lines: LineSpan,
        device_id: Option<String>,
        severity: Severity,
        cause: Cause,
        detail: Detail,
    ) {
        self.report.findings.push(Finding {
            lines,
            severity,
            reported: false,
            device_id,
            template_id: None,
            cause,
            detail,
            message: None,
        });
    }

    fn check_name(
        &mut self,
        name: String,
        groups: &[CapabilityGroup],
        scope: Option<&str>,
    ) -> NameCheck {
        let did_you_mean = self.suggest(&name, groups, scope);
        let cause = match &did_you_mean {
            Some(s) if s.kind == SuggestionKind::CaseOnly => Cause::NameCaseMismatch,
            _ => Cause::NameNotInTemplate,
        };
        NameCheck {
            name,
            cause,
            did_you_mean,
        }
    }

    /// The closest capability to `name` (same spelling elsewhere, then case only, then fewest edits within
    /// [`suggestion_limit`]), with every group that defines it.
    fn suggest(
        &mut self,
        name: &str,
        groups: &[CapabilityGroup],
        scope: Option<&str>,
    ) -> Option<Suggestion> {
        let limit = suggestion_limit(name.chars().count());
        let mut best: Option<(usize, &str)> = None; // (rank, capability); rank 0 same, 1 case, 2+d edit
        'outer: for g in groups {
            for cap in &g.capabilities {
                let rank = if cap == name {
                    // Defined with this spelling, but not where the data was sent.
                    if scope == Some(g.group.as_str()) {
                        continue;
                    }
                    0
                } else {
                    if self.budget == 0 {
                        self.report.suggestions_skipped = true;
                        break 'outer;
                    }
                    self.budget -= 1;
                    match edit_distance(name, cap, limit) {
                        Some(0) => 1,
                        Some(d) => 2 + d,
                        None => continue,
                    }
                };
                if best.is_none_or(|(r, _)| rank < r) {
                    best = Some((rank, cap));
                }
            }
        }
        let (rank, cap) = best?;
        let groups_with: Vec<String> = groups
            .iter()
            .filter(|g| g.capabilities.iter().any(|c| c == cap))
            .map(|g| g.group.clone())
            .filter(|g| !g.is_empty())
            .collect();
        let (kind, distance) = match rank {
            0 => (SuggestionKind::SameName, 0),
            1 => (SuggestionKind::CaseOnly, 0),
            r => (SuggestionKind::Edit, r - 2),
        };
        Some(Suggestion {
            capability: cap.into(),
            groups: groups_with,
            kind,
            distance,
        })
    }

    fn reported_name(&self, cause: Cause, device: Option<&str>, name: &str) -> bool {
        self.reported_index
            .as_ref()
            .is_some_and(|r| r.has_name(cause, device, name))
    }

    /// Findings this reader derives from telemetry events and property changes: payloads that are not a JSON
    /// object, field names the validator would reject, `_unmodeleddata`, and names that the template listed in
    /// the same text does not define.
    fn check_events_and_properties(&mut self) {
        self.reported_index = Some(Reported::of(&self.report.findings));
        let events = core::mem::take(&mut self.report.events);
        let template = self.report.template.take();
        for e in &events {
            let device = e.device_id.clone();
            match &e.payload {
                Value::Object(pairs) => {
                    let bad: Vec<String> = pairs
                        .iter()
                        .map(|(k, _)| k)
                        .filter(|k| !valid_field_name(k))
                        .filter(|k| {
                            !self.reported_name(Cause::InvalidFieldName, device.as_deref(), k)
                        })
                        .cloned()
                        .collect();
                    if !bad.is_empty() {
                        self.push_derived(
                            e.lines,
                            device.clone(),
                            Severity::Error,
                            Cause::InvalidFieldName,
                            Detail::InvalidFieldNames { names: bad },
                        );
                    }
                    self.unmodeled_keys(e.lines, device.clone(), "payload", &e.payload);
                    if let Some(t) = &template {
                        let names: Vec<&str> = pairs.iter().map(|(k, _)| k.as_str()).collect();
                        self.names_against(
                            t,
                            e.lines,
                            device.clone(),
                            e.component.as_deref(),
                            &names,
                        );
                    }
                }
                other => {
                    let seen = self
                        .reported_index
                        .as_ref()
                        .is_some_and(|r| r.has_cause(Cause::InvalidJson, device.as_deref()));
                    if !seen {
                        self.push_derived(
                            e.lines,
                            device.clone(),
                            Severity::Error,
                            Cause::InvalidJson,
                            Detail::InvalidJson {
                                payload: Some(value_text(other)),
                            },
                        );
                    }
                }
            }
        }
        let changes = core::mem::take(&mut self.report.property_changes);
        let device = self.report.device_filter.clone();
        for c in &changes {
            self.unmodeled_keys(c.lines, device.clone(), "properties", &c.properties);
            if c.side != PropertySide::Reported {
                continue;
            }
            if let Some(t) = &template {
                let entries = c.entries();
                let mut scopes: Vec<Option<&str>> = Vec::new();
                for (scope, _, _) in &entries {
                    if !scopes.contains(scope) {
                        scopes.push(*scope);
                    }
                }
                for scope in scopes {
                    let names: Vec<&str> = entries
                        .iter()
                        .filter(|(s, _, _)| *s == scope)
                        .map(|(_, n, _)| *n)
                        .collect();
                    self.names_against(t, c.lines, device.clone(), scope, &names);
                }
            }
        }
        self.report.events = events;
        self.report.property_changes = changes;
        self.report.template = template;
        self.reported_index = None;
    }

    fn names_against(
        &mut self,
        t: &TemplateListing,
        lines: LineSpan,
        device: Option<String>,
        component: Option<&str>,
        names: &[&str],
    ) {
        let missing: Vec<&str> = names
            .iter()
            .copied()
            .filter(|n| *n != "_unmodeleddata" && t.defines(component, n) == Some(false))
            .filter(|n| !self.reported_name(Cause::NameNotInTemplate, device.as_deref(), n))
            .collect();
        if missing.is_empty() {
            return;
        }
        let checks: Vec<NameCheck> = missing
            .into_iter()
            .map(|n| self.check_name(n.into(), &t.groups, component))
            .collect();
        let cause = if checks.iter().all(|n| n.cause == Cause::NameCaseMismatch) {
            Cause::NameCaseMismatch
        } else {
            Cause::NameNotInTemplate
        };
        self.push_derived(
            lines,
            device,
            Severity::Warning,
            cause,
            Detail::NotInTemplate {
                names: checks,
                template: Vec::new(),
                grouping: t.grouping,
            },
        );
    }

    /// `_unmodeleddata` keys anywhere in `v` (at most [`MAX_UNMODELED_PATHS`] per value).
    fn unmodeled_keys(&mut self, lines: LineSpan, device: Option<String>, root: &str, v: &Value) {
        let mut found = Vec::new();
        let mut path = Vec::new();
        walk_keys(v, &mut path, &mut found, root);
        for at in found {
            self.push_derived(
                lines,
                device.clone(),
                Severity::Warning,
                Cause::EdgeUnmodeledComponent,
                Detail::UnmodeledData { at },
            );
        }
    }
}

/// Most `_unmodeleddata` keys reported for one event or property change.
const MAX_UNMODELED_PATHS: usize = 16;

/// Longest path shown for an `_unmodeleddata` key, in bytes (longer ones are cut, marked with `...`).
const MAX_PATH_LEN: usize = 200;

enum Seg<'v> {
    Key(&'v str),
    Index(usize),
}

/// Collects the paths of `_unmodeleddata` keys in `v`; `path` holds the segments above `v`.
fn walk_keys<'v>(v: &'v Value, path: &mut Vec<Seg<'v>>, found: &mut Vec<String>, root: &str) {
    if path.len() > super::value::MAX_DEPTH || found.len() >= MAX_UNMODELED_PATHS {
        return;
    }
    match v {
        Value::Object(pairs) => {
            for (k, x) in pairs {
                path.push(Seg::Key(k));
                if k == "_unmodeleddata" && found.len() < MAX_UNMODELED_PATHS {
                    found.push(show_path(root, path));
                }
                walk_keys(x, path, found, root);
                path.pop();
            }
        }
        Value::Array(items) => {
            for (i, x) in items.iter().enumerate() {
                path.push(Seg::Index(i));
                walk_keys(x, path, found, root);
                path.pop();
            }
        }
        _ => {}
    }
}

fn show_path(root: &str, path: &[Seg<'_>]) -> String {
    use core::fmt::Write as _;
    let mut out = String::from(root);
    for seg in path {
        if out.len() > MAX_PATH_LEN {
            break;
        }
        let _ = match seg {
            Seg::Key(k) => write!(out, ".{k}"),
            Seg::Index(i) => write!(out, "[{i}]"),
        };
    }
    if out.len() > MAX_PATH_LEN {
        let mut cut = MAX_PATH_LEN;
        while !out.is_char_boundary(cut) {
            cut -= 1;
        }
        out.truncate(cut);
        out.push_str("...");
    }
    out
}
