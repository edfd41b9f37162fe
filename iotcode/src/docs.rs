//! The JSON the CLI prints for payloads (`decode --json`) and adds to records (`annotate`). Serialized straight
//! from borrowed data: the catalogue texts are `&'static str` and are never copied.

use azure_iot_codes::payload::{Context, FoundCode, Parsed, Payload, PayloadKind, TopicInfo};
use azure_iot_codes::retry::Decision;
use azure_iot_codes::{Catalogue, Code, Match, Service, Standing};
use serde::Serialize;

/// A meaning, briefly: enough to act on without the sources.
#[derive(Serialize)]
pub struct MeaningBrief {
    catalogue: Catalogue,
    code: Code,
    name: &'static str,
    standing: Standing,
    description: &'static str,
    mitigation: &'static str,
}

impl From<&Match> for MeaningBrief {
    /// For a Device Update code reading, the catalogue is `du-extended-result-code` and the code the code itself
    /// (the row may be the pattern it follows).
    fn from(m: &Match) -> MeaningBrief {
        MeaningBrief {
            catalogue: m.catalogue(),
            code: m.code(),
            name: m.name(),
            standing: m.standing(),
            description: m.description(),
            mitigation: m.mitigation(),
        }
    }
}

#[derive(Serialize)]
struct ErrorBrief {
    kind: &'static str,
    message: String,
}

#[derive(Serialize)]
struct CodeDoc<'a> {
    field: &'a str,
    value: &'a str,
    catalogue: Catalogue,
    #[serde(skip_serializing_if = "Option::is_none")]
    agent_version: Option<azure_iot_codes::du::AgentVersion>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    informational: bool,
    matches: Vec<MeaningBrief>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<ErrorBrief>,
}

impl<'a> From<&'a FoundCode> for CodeDoc<'a> {
    fn from(c: &'a FoundCode) -> CodeDoc<'a> {
        CodeDoc {
            field: c.field(),
            value: c.value(),
            catalogue: c.catalogue(),
            agent_version: c.agent_version(),
            informational: c.is_informational(),
            matches: c.matches().iter().map(MeaningBrief::from).collect(),
            error: c.decoded().err().map(|e| ErrorBrief {
                kind: e.kind().as_str(),
                message: e.to_string(),
            }),
        }
    }
}

/// `{"kind", "service", "failure", "retry", "context", "topic"?, "codes", "parsed"?, "warnings"?}`.
#[derive(Serialize)]
pub struct PayloadDoc<'a> {
    kind: PayloadKind,
    service: Option<Service>,
    failure: bool,
    /// The payload's retry decision (`null` when it has no code to decide on).
    retry: Option<Decision>,
    context: &'a Context,
    #[serde(skip_serializing_if = "Option::is_none")]
    topic: Option<&'a TopicInfo>,
    codes: Vec<CodeDoc<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    parsed: Option<&'a Parsed>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    warnings: &'a [String],
}

/// The document for `p`, with `retry` as its decision; `with_parsed` adds the typed parse (and the topic, when a
/// body followed it).
pub fn payload_doc(p: &Payload, retry: Option<Decision>, with_parsed: bool) -> PayloadDoc<'_> {
    PayloadDoc {
        kind: p.kind(),
        service: p.service(),
        failure: p.is_failure(),
        retry,
        context: p.context(),
        topic: p
            .topic()
            .filter(|_| with_parsed && !matches!(p.parsed(), Parsed::Topic(_))),
        codes: p.codes().iter().map(CodeDoc::from).collect(),
        parsed: with_parsed.then(|| p.parsed()),
        warnings: p.warnings(),
    }
}
