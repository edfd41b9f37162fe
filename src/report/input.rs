//! The document of any input `iotcode decode` reads: [`Reading`] decides what the input is and decodes it,
//! [`InputReport`] is its document, [`PayloadReport`] a payload's part of it.

use alloc::boxed::Box;
use alloc::vec::Vec;

use serde::ser::{SerializeSeq, SerializeStruct};
use serde::{Serialize, Serializer};

use super::{ErrorDoc, MatchDoc, first_decision};
use crate::central::{self, Report};
use crate::decode::{DecodeOptions, Decoded, Match, decode_with};
use crate::error::Error;
use crate::payload::{
    FoundCode, Limits, Parsed, Payload, PayloadOptions, decode_payload_with, looks_like_payload,
};
use crate::retry::{self, Context, Decision, Policy, SplitMix64};

/// What `iotcode decode` takes besides its input: how codes are narrowed, the jitter seed of the retry
/// decisions, the payload limits, and the Retry-After header of the response with the current time.
///
/// ```
/// use azure_iot_codes::report::ReportOptions;
/// use azure_iot_codes::{DecodeOptions, Service};
///
/// let mut options = ReportOptions::new().seed(42).retry_after("7");
/// options.decode = DecodeOptions::new().service(Service::Dps);
/// assert_eq!(options.retry_after, Some("7"));
/// assert_eq!(options.limits.max_bytes, 1 << 20);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ReportOptions<'a> {
    /// `--catalogue`, `--service` and `--agent-version`. The service and agent version apply to payloads too;
    /// a catalogue turns off the reading of pasted `az iot central` output (the text is decoded as a code, or
    /// as a payload when it looks like one).
    pub decode: DecodeOptions,
    /// `--seed`: seeds the jitter of every retry delay in the document (one generator per decision, so each
    /// delay depends only on the seed).
    pub seed: u64,
    /// `--max-bytes`: the bounds of payloads.
    pub limits: Limits,
    /// `--retry-after`: the Retry-After header that came with the response (seconds or an HTTP-date), for the
    /// decisions of codes and payloads; it replaces a topic's `retry-after=`. The causes found in pasted
    /// `az iot central` output are not answers to a request: their decisions do not use it.
    pub retry_after: Option<&'a str>,
    /// The current time in seconds since 1970, to turn an HTTP-date Retry-After into a delay.
    pub now_unix: Option<u64>,
}

impl<'a> ReportOptions<'a> {
    /// No narrowing, seed 0, default limits, no Retry-After, no clock.
    pub const fn new() -> ReportOptions<'a> {
        ReportOptions {
            decode: DecodeOptions::new(),
            seed: 0,
            limits: Limits::new(),
            retry_after: None,
            now_unix: None,
        }
    }

    /// With these decode options.
    pub const fn decode(mut self, decode: DecodeOptions) -> ReportOptions<'a> {
        self.decode = decode;
        self
    }

    /// With this jitter seed.
    pub const fn seed(mut self, seed: u64) -> ReportOptions<'a> {
        self.seed = seed;
        self
    }

    /// With these payload limits.
    pub const fn limits(mut self, limits: Limits) -> ReportOptions<'a> {
        self.limits = limits;
        self
    }

    /// With this Retry-After header value.
    pub const fn retry_after(mut self, value: &'a str) -> ReportOptions<'a> {
        self.retry_after = Some(value);
        self
    }

    /// With this current time (seconds since 1970).
    pub const fn now_unix(mut self, now_unix: u64) -> ReportOptions<'a> {
        self.now_unix = Some(now_unix);
        self
    }

    /// The options of the payload decoder: limits, seed, service and agent version.
    pub const fn payload_options(&self) -> PayloadOptions {
        let mut o = PayloadOptions::new().limits(self.limits).seed(self.seed);
        o.service = self.decode.service;
        o.agent_version = self.decode.agent_version;
        o
    }

    /// A code's retry context: a device's first attempt, for the service asked for (else the outcome's), with
    /// the Retry-After given.
    const fn code_context(&self) -> Context<'a> {
        let mut ctx = Context::new();
        ctx.service = self.decode.service;
        ctx.retry_after = self.retry_after;
        ctx.now_unix = self.now_unix;
        ctx
    }
}

/// What one input turned out to be, decoded: [`Reading::read`] decides as `iotcode decode` does.
///
/// ```
/// use azure_iot_codes::report::{Reading, ReportOptions};
///
/// let options = ReportOptions::new();
/// assert!(matches!(Reading::read("404001", &options), Reading::Code(Ok(_))));
/// assert!(matches!(Reading::read("$dps/registrations/res/429/?$rid=1", &options), Reading::Payload(Ok(_))));
/// assert!(matches!(Reading::read("{\"errorCode\": 4", &options), Reading::Payload(Err(_))));
/// let pasted = "[ERROR] [DeviceId: d1] [TemplateId: t1]  Invalid JSON format.";
/// assert!(matches!(Reading::read(pasted, &options), Reading::Central { report: Ok(_), .. }));
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
// The payloads (about 1 KB each on 64-bit targets) are boxed; a code's matches stay inline, as `decode` returns
// them, which on 32-bit targets (wasm32) leaves the code variant the one much larger than the others. A
// reading is made once per input, so its size does not matter.
#[allow(clippy::large_enum_variant)]
pub enum Reading {
    /// A code in any textual form ([`crate::decode_with`]): anything that is neither of the others.
    Code(Result<Decoded, Error>),
    /// A payload ([`crate::payload::looks_like_payload`], [`decode_payload_with`]); boxed, as it is large.
    Payload(Result<Box<Payload>, Error>),
    /// Pasted `az iot central` output ([`central::looks_like_cli_output`], [`central::parse`]), unless a
    /// catalogue was asked for.
    Central {
        /// Everything read from it.
        report: Result<Report, Error>,
        /// The payload decoder's reading of the same text, when it has one (the JSON of
        /// `az iot central device registration-info`). Boxed, as it is large.
        payload: Option<Box<Payload>>,
    },
}

impl Reading {
    /// Reads `input`: pasted `az iot central` output when it looks like it and no catalogue was asked for,
    /// else a payload when it looks like one (it starts with `$`, `{` or `[`, is an `iothub-errorcode:`
    /// header, or is a CSV header and row), else a code.
    pub fn read(input: &str, options: &ReportOptions<'_>) -> Reading {
        if options.decode.catalogue.is_none() && central::looks_like_cli_output(input) {
            let payload = looks_like_payload(input)
                .then(|| decode_payload_with(input, &options.payload_options()).ok())
                .flatten()
                .map(Box::new);
            return Reading::Central {
                report: central::parse(input),
                payload,
            };
        }
        if looks_like_payload(input) {
            return Reading::Payload(
                decode_payload_with(input, &options.payload_options()).map(Box::new),
            );
        }
        Reading::Code(decode_with(input, &options.decode))
    }

    /// Why the input could not be read at all (the document's `error`). A payload or pasted output that was
    /// read can still hold parts that were not: codes no catalogue has ([`FoundCode::decoded`]), lines not
    /// understood ([`Report::unrecognised`]).
    pub fn error(&self) -> Option<&Error> {
        match self {
            Reading::Code(r) => r.as_ref().err(),
            Reading::Payload(r) => r.as_ref().err(),
            Reading::Central { report, .. } => report.as_ref().err(),
        }
    }
}

/// The decode document of any input, as `iotcode decode --json` prints it:
/// `{"input", "matches", "payload"?, "error"?, "central"?}`.
///
/// `matches` holds every meaning with its retry decision: a code's meanings; every meaning of every code a
/// payload carries, each once; for pasted `az iot central` output the causes of its findings, then the statuses
/// of its registration-info outputs. `payload` is the [`PayloadReport`] with the typed parse, `central` the
/// [`Report`], `error` (`{"kind", "message"}`) the reason an input could not be read ([`Reading::error`]).
///
/// ```
/// use azure_iot_codes::report::{InputReport, Reading, ReportOptions};
///
/// let options = ReportOptions::new().seed(7);
/// let input = r#"{"errorCode":401002,"trackingId":"0f0e0d0c-0b0a-0908-0706-050403020100","message":"Invalid certificate","timestampUtc":"2025-01-02T03:06:00Z"}"#;
/// let reading = Reading::read(input, &options);
/// let report = InputReport::new(input, &reading, &options);
/// let doc = serde_json::to_value(report).unwrap();
/// assert_eq!(doc["payload"]["kind"], "dps-error");
/// assert_eq!(doc["payload"]["retry"]["action"], "renew-credentials");
/// assert_eq!(doc["matches"][0]["name"], "IotHubUnauthorizedAccess");
/// assert_eq!(report.matches()[0].1.action().as_str(), "renew-credentials");
///
/// // A code gives the same document as `DecodeReport`.
/// let reading = Reading::read("404001", &options);
/// let doc = serde_json::to_value(InputReport::new("404001", &reading, &options)).unwrap();
/// assert!(doc.get("payload").is_none());
/// assert_eq!(doc["matches"][0]["name"], "DeviceNotFound");
///
/// // Input that cannot be read: no matches, and the error.
/// let reading = Reading::read("{\"errorCode\": 4", &options);
/// let doc = serde_json::to_value(InputReport::new("{\"errorCode\": 4", &reading, &options)).unwrap();
/// assert_eq!(doc["error"]["kind"], "truncated");
/// assert_eq!(doc["matches"], serde_json::json!([]));
/// ```
#[derive(Debug, Clone, Copy)]
pub struct InputReport<'a> {
    input: &'a str,
    reading: &'a Reading,
    options: ReportOptions<'a>,
}

impl<'a> InputReport<'a> {
    /// The document of `input`, read as `reading` with `options` (the same options, so that the decisions are
    /// those of the reading).
    pub const fn new(
        input: &'a str,
        reading: &'a Reading,
        options: &ReportOptions<'a>,
    ) -> InputReport<'a> {
        InputReport {
            input,
            reading,
            options: *options,
        }
    }

    /// The input.
    pub const fn input(&self) -> &'a str {
        self.input
    }

    /// The reading.
    pub const fn reading(&self) -> &'a Reading {
        self.reading
    }

    /// The document's matches with their retry decisions ([`InputReport::decide`]), in order: a code's
    /// meanings; every meaning of every code a payload carries, each once; for pasted `az iot central` output
    /// the causes of its findings, then the statuses of its registration-info outputs. Empty when the input
    /// could not be read.
    pub fn matches(&self) -> Vec<(Match, Decision)> {
        let rows: Vec<Match> = match self.reading {
            Reading::Code(Ok(d)) => d.to_vec(),
            Reading::Payload(Ok(p)) => p.matches(),
            Reading::Central {
                report: Ok(report), ..
            } => central_matches(report),
            _ => Vec::new(),
        };
        rows.into_iter().map(|m| (m, self.decide(&m))).collect()
    }

    /// The retry decision the document gives a meaning of this input, with the jitter seeded by
    /// [`ReportOptions::seed`]. For a code, a device's first attempt with [`ReportOptions::retry_after`], for
    /// the service asked for or else the row's own. For a payload's meanings, the payload's context (its
    /// service, [`ReportOptions::retry_after`] or else its topic's) without its sub-code: the row is the code.
    /// For pasted `az iot central` output, [`first_decision`].
    pub fn decide(&self, m: &Match) -> Decision {
        let o = &self.options;
        let ctx = match self.reading {
            Reading::Payload(Ok(p)) => {
                let mut ctx = p.retry_context();
                ctx.sub_code = None;
                ctx.retry_after = o.retry_after.or(ctx.retry_after);
                ctx.now_unix = o.now_unix;
                ctx
            }
            Reading::Central { .. } => return first_decision(m, o.decode.service, o.seed),
            _ => o.code_context(),
        };
        retry::decide(m, &ctx, &mut SplitMix64::new(o.seed))
    }

    /// The payload's part of the document (with the typed parse), for a payload and for pasted output the
    /// payload decoder reads too. Its decision is [`Payload::retry_with`] in the caller's context: a device's
    /// first attempt, [`ReportOptions::retry_after`] (else the topic's), [`ReportOptions::now_unix`].
    pub fn payload(&self) -> Option<PayloadReport<'a>> {
        let p = match self.reading {
            Reading::Payload(Ok(p)) => p,
            Reading::Central {
                report: Ok(_),
                payload: Some(p),
            } => p,
            _ => return None,
        };
        let mut ctx = Context::new();
        ctx.retry_after = self.options.retry_after;
        ctx.now_unix = self.options.now_unix;
        let retry = p.retry_with(
            &Policy::DEFAULT,
            &ctx,
            &mut SplitMix64::new(self.options.seed),
        );
        Some(PayloadReport::new(p, retry).with_parsed())
    }

    /// What was read from pasted `az iot central` output.
    pub fn central(&self) -> Option<&'a Report> {
        match self.reading {
            Reading::Central {
                report: Ok(report), ..
            } => Some(report),
            _ => None,
        }
    }

    /// Why the input could not be read ([`Reading::error`]).
    pub fn error(&self) -> Option<&'a Error> {
        self.reading.error()
    }
}

/// The catalogue rows a report points at: the causes of its findings, then the statuses of its
/// registration-info outputs, each once.
fn central_matches(report: &Report) -> Vec<Match> {
    let mut matches: Vec<Match> = report
        .causes()
        .into_iter()
        .map(|c| Match::from(c.meaning()))
        .collect();
    for r in &report.registrations {
        let rows = r
            .status
            .map(|s| s.meaning())
            .into_iter()
            .chain(r.dps_registration_status().map(|s| s.meaning()));
        for row in rows {
            if !matches.iter().any(|m| core::ptr::eq(m.meaning(), row)) {
                matches.push(Match::from(row));
            }
        }
    }
    matches
}

impl Serialize for InputReport<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let payload = self.payload();
        let error = self.error();
        let central = self.central();
        let len = 2
            + usize::from(payload.is_some())
            + usize::from(error.is_some())
            + usize::from(central.is_some());
        let mut st = s.serialize_struct("InputReport", len)?;
        st.serialize_field("input", self.input)?;
        st.serialize_field("matches", &MatchDocs(self.matches()))?;
        match payload {
            Some(p) => st.serialize_field("payload", &p)?,
            None => st.skip_field("payload")?,
        }
        match error {
            Some(e) => st.serialize_field("error", &ErrorDoc::of(e))?,
            None => st.skip_field("error")?,
        }
        match central {
            Some(r) => st.serialize_field("central", r)?,
            None => st.skip_field("central")?,
        }
        st.end()
    }
}

/// Matches with their decisions, each as its fields followed by `retry`.
struct MatchDocs(Vec<(Match, Decision)>);

impl Serialize for MatchDocs {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for (m, d) in &self.0 {
            seq.serialize_element(&MatchDoc {
                matched: m,
                retry: *d,
            })?;
        }
        seq.end()
    }
}

/// A payload's document: `{"kind", "service", "failure", "retry", "context", "topic"?, "codes", "parsed"?,
/// "warnings"?}`, serialized straight from the payload (the catalogue texts are never copied).
///
/// `retry` is the payload's decision (`null` when it has no code to decide on), `failure` whether it reports
/// one ([`Payload::is_failure`]). Each of `codes` is `{"field", "value", "catalogue", "agent_version"?,
/// "informational"?, "matches", "error"?}`, its matches brief: `{"catalogue", "code", "name", "standing",
/// "description", "mitigation"}` (for a Device Update reading the catalogue is `du-extended-result-code` and
/// the code the code itself, even when the row is the pattern it follows). `parsed` (the typed parse,
/// [`Payload::parsed`]) and `topic` (the response topic a body followed) come with
/// [`PayloadReport::with_parsed`]; `warnings` only when there are some.
///
/// ```
/// use azure_iot_codes::payload::decode_payload;
/// use azure_iot_codes::report::PayloadReport;
///
/// let p = decode_payload("$dps/registrations/res/429/?$rid=12&retry-after=5").unwrap();
/// let doc = serde_json::to_value(PayloadReport::new(&p, p.retry())).unwrap();
/// assert_eq!(doc["kind"], "dps-response-topic");
/// assert_eq!(doc["retry"]["delay_ms"], 5000);
/// assert_eq!(doc["codes"][0]["matches"][0]["name"], "Too Many Requests");
/// assert!(doc.get("parsed").is_none());
/// let doc = serde_json::to_value(PayloadReport::new(&p, p.retry()).with_parsed()).unwrap();
/// assert_eq!(doc["parsed"]["retry_after"], "5");
/// ```
#[derive(Debug, Clone, Copy)]
pub struct PayloadReport<'a> {
    payload: &'a Payload,
    retry: Option<Decision>,
    parsed: bool,
}

impl<'a> PayloadReport<'a> {
    /// The document of `payload` with `retry` as its decision ([`Payload::retry`], or
    /// [`Payload::retry_with`] in the caller's context), without the typed parse.
    pub const fn new(payload: &'a Payload, retry: Option<Decision>) -> PayloadReport<'a> {
        PayloadReport {
            payload,
            retry,
            parsed: false,
        }
    }

    /// With `parsed`, and `topic` when a body followed the response topic.
    pub const fn with_parsed(mut self) -> PayloadReport<'a> {
        self.parsed = true;
        self
    }

    /// The payload.
    pub const fn payload(&self) -> &'a Payload {
        self.payload
    }

    /// The payload's decision.
    pub const fn retry(&self) -> Option<Decision> {
        self.retry
    }
}

impl Serialize for PayloadReport<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let p = self.payload;
        let topic = p
            .topic()
            .filter(|_| self.parsed && !matches!(p.parsed(), Parsed::Topic(_)));
        let len = 6
            + usize::from(topic.is_some())
            + usize::from(self.parsed)
            + usize::from(!p.warnings().is_empty());
        let mut st = s.serialize_struct("PayloadReport", len)?;
        st.serialize_field("kind", &p.kind())?;
        st.serialize_field("service", &p.service())?;
        st.serialize_field("failure", &p.is_failure())?;
        st.serialize_field("retry", &self.retry)?;
        st.serialize_field("context", p.context())?;
        match topic {
            Some(t) => st.serialize_field("topic", t)?,
            None => st.skip_field("topic")?,
        }
        st.serialize_field("codes", &CodeDocs(p.codes()))?;
        if self.parsed {
            st.serialize_field("parsed", p.parsed())?;
        } else {
            st.skip_field("parsed")?;
        }
        if p.warnings().is_empty() {
            st.skip_field("warnings")?;
        } else {
            st.serialize_field("warnings", p.warnings())?;
        }
        st.end()
    }
}

struct CodeDocs<'a>(&'a [FoundCode]);

impl Serialize for CodeDocs<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for c in self.0 {
            seq.serialize_element(&CodeDoc(c))?;
        }
        seq.end()
    }
}

/// One code found: where, as written, the catalogue, and its meanings in brief.
struct CodeDoc<'a>(&'a FoundCode);

impl Serialize for CodeDoc<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let c = self.0;
        let error = c.decoded().err();
        let mut st = s.serialize_struct("FoundCode", 7)?;
        st.serialize_field("field", c.field())?;
        st.serialize_field("value", c.value())?;
        st.serialize_field("catalogue", &c.catalogue())?;
        match c.agent_version() {
            Some(v) => st.serialize_field("agent_version", &v)?,
            None => st.skip_field("agent_version")?,
        }
        if c.is_informational() {
            st.serialize_field("informational", &true)?;
        } else {
            st.skip_field("informational")?;
        }
        st.serialize_field("matches", &Briefs(c.matches()))?;
        match error {
            Some(e) => st.serialize_field("error", &ErrorDoc::of(e))?,
            None => st.skip_field("error")?,
        }
        st.end()
    }
}

struct Briefs<'a>(&'a [Match]);

impl Serialize for Briefs<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for m in self.0 {
            seq.serialize_element(&Brief(m))?;
        }
        seq.end()
    }
}

/// A meaning, briefly: enough to act on without the sources.
struct Brief<'a>(&'a Match);

impl Serialize for Brief<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let m = self.0;
        let mut st = s.serialize_struct("MeaningBrief", 6)?;
        st.serialize_field("catalogue", &m.catalogue())?;
        st.serialize_field("code", &m.code())?;
        st.serialize_field("name", m.name())?;
        st.serialize_field("standing", &m.standing())?;
        st.serialize_field("description", m.description())?;
        st.serialize_field("mitigation", m.mitigation())?;
        st.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::Service;

    #[test]
    fn a_catalogue_turns_off_the_central_reader() {
        let pasted = "[ERROR] [DeviceId: d1] [TemplateId: t1]  Invalid JSON format.";
        let mut options = ReportOptions::new();
        assert!(matches!(
            Reading::read(pasted, &options),
            Reading::Central { .. }
        ));
        options.decode = DecodeOptions::new().service(Service::IotCentral);
        assert!(matches!(
            Reading::read(pasted, &options),
            Reading::Central { .. }
        ));
        // With a catalogue the text is a payload when it looks like one (it starts with `[`), else a code.
        options.decode = DecodeOptions::new().catalogue(crate::Catalogue::ServiceError);
        assert!(matches!(
            Reading::read(pasted, &options),
            Reading::Payload(Err(_))
        ));
        let banner =
            "Validating telemetry.\n[ERROR] [DeviceId: d1] [TemplateId: t1]  Invalid JSON format.";
        assert!(matches!(
            Reading::read(banner, &options),
            Reading::Code(Err(_))
        ));
        options.decode = DecodeOptions::new();
        assert!(matches!(
            Reading::read(banner, &options),
            Reading::Central { report: Ok(_), .. }
        ));
    }
}
