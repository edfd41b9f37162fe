//! The messages of the `az iot central diagnostics` commands: the `[SEVERITY] [DeviceId: ...] [TemplateId:
//! ...]` prefix, the validator messages (wording from the Azure IoT CLI extension, `azext_iot/monitor/parsers/
//! strings.py`), and the banner and progress lines.

extern crate alloc;

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use super::report::{CapabilityGroup, Grouping, NoticeKind, Severity};
use super::value::{LiteralError, Value, parse_prefix};

pub(super) struct Header<'a> {
    pub(super) severity: Severity,
    pub(super) device: Option<&'a str>,
    pub(super) template: Option<&'a str>,
    pub(super) rest: &'a str,
}

/// `[WARNING] [DeviceId: x] [TemplateId: y] rest`, with an optional knack `WARNING: ` prefix.
pub(super) fn header(line: &str) -> Option<Header<'_>> {
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

pub(super) fn notice_kind(line: &str) -> Option<NoticeKind> {
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
pub(super) type Complete = fn(&str) -> bool;

pub(super) const WRAPPABLE_NOTICES: [(&str, Complete); 5] = [
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
pub(super) fn version_line(t: &str) -> Option<u64> {
    let rest = t.strip_prefix("version")?.trim_start().strip_prefix(':')?;
    rest.trim().parse().ok()
}

/// A `[DeviceId: ...]` or `[TemplateId: ...]` prefix cut by the end of a wrapped line.
pub(super) fn cut_bracket(rest: &str) -> bool {
    if !rest.starts_with('[') || rest.contains(']') {
        return false;
    }
    let head = rest.split(':').next().unwrap_or(rest);
    ["[DeviceId", "[TemplateId"]
        .iter()
        .any(|l| l.starts_with(head) || head == *l)
}

/// Outcome of reading a validator message.
pub(super) enum Step<T> {
    /// Read; `false` when the message's usual ending is missing (a wrapped tail may follow).
    Done(T, bool),
    /// The message started as a known one but ended early: a wrapped line may hold the rest.
    Incomplete,
    /// Not a message this reader knows.
    Unknown,
}

/// The facts of one validator message, before names are checked.
pub(super) enum Raw {
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

pub(super) fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

pub(super) fn read_message(rest: &str) -> Step<Raw> {
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
pub(super) fn looks_like(sent: &str) -> &'static str {
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
pub(super) fn valid_field_name(name: &str) -> bool {
    let mut b = name.bytes();
    b.next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == b'_')
        && b.all(|c| c.is_ascii_alphanumeric() || c == b'_')
}
