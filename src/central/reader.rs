//! The line reader behind [`super::parse`]: validator messages (joined again where the terminal wrapped
//! them), JSON and Python blocks, banners, and the findings derived from events and property changes.

extern crate alloc;

use alloc::collections::BTreeSet;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use super::messages::{
    Raw, Step, WRAPPABLE_NOTICES, cut_bracket, header, looks_like, notice_kind, read_message,
    valid_field_name, value_text, version_line,
};
use super::report::{
    CapabilityGroup, Detail, Finding, Line, LineSpan, MAX_BLOCK_LINES, MAX_WRAPPED_LINES,
    NameCheck, Notice, NoticeKind, PropertyChange, PropertySide, RegistrationInfo, Report,
    SUGGESTION_BUDGET, Severity, Suggestion, SuggestionKind, TelemetryEvent, TemplateListing,
};
use super::suggest::{edit_distance, suggestion_limit};
use super::value::{Value, parse_prefix};
use crate::catalogue::IotCentralUnmodeledCause as Cause;

/// Most lines looked at for the wrapped tail of a message whose parts are all read but whose usual ending is
/// missing; when none completes it, the message is taken as it is.
const MAX_TAIL_LINES: usize = 4;

/// Re-reading budget: trying a block that never closes, or a wrapped message that never completes, reads
/// lines again. Over the whole input the reader scans at most this many bytes per input byte (plus
/// [`WORK_BASE`]); past that, further blocks and wrapped messages are left unrecognised. Real output never
/// comes close; the bound keeps hostile input linear.
const WORK_PER_BYTE: usize = 16;
const WORK_BASE: usize = 1 << 20;

/// Reads `text` (already checked against [`super::MAX_INPUT_LEN`]).
pub(super) fn read(text: &str) -> Report {
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
    p.report
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
///
/// One set holds the four kinds of entry (a name or a cause, for one device or for any): one `BTreeSet` type
/// rather than four keeps the WebAssembly module smaller, as each set type brings its own copy of the B-tree
/// code (bindings/wasm/README.md, "Size").
#[derive(Default)]
struct Reported(BTreeSet<(Cause, Who, Option<String>)>);

/// Whom an entry of [`Reported`] is for.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Who {
    /// Any device: the entry answers a question about no device in particular.
    Any,
    /// The device the finding gave (`None` when the validator gave none).
    Device(Option<String>),
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
            let device = Who::Device(f.device_id.clone());
            for n in names {
                r.0.insert((cause, device.clone(), Some(n.clone())));
                r.0.insert((cause, Who::Any, Some(n.clone())));
            }
            r.0.insert((cause, device, None));
            r.0.insert((cause, Who::Any, None));
        }
        r
    }

    /// Reported for `device`, for a finding without a device, or (when `device` is `None`) for any device.
    fn has_name(&self, cause: Cause, device: Option<&str>, name: &str) -> bool {
        self.has(cause, device, Some(String::from(name)))
    }

    fn has_cause(&self, cause: Cause, device: Option<&str>) -> bool {
        self.has(cause, device, None)
    }

    fn has(&self, cause: Cause, device: Option<&str>, name: Option<String>) -> bool {
        match device {
            None => self.0.contains(&(cause, Who::Any, name)),
            Some(d) => {
                let mut key = (cause, Who::Device(Some(String::from(d))), name);
                if self.0.contains(&key) {
                    return true;
                }
                key.1 = Who::Device(None);
                self.0.contains(&key)
            }
        }
    }
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
