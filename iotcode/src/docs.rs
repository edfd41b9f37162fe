//! The JSON the CLI prints for payloads (`decode --json`) and adds to records (`annotate`).

use azure_iot_codes::Meaning;
use azure_iot_codes::payload::{FoundCode, Payload};
use serde_json::{Value, json};

/// A meaning, briefly: enough to act on without the sources.
pub fn meaning_brief(m: &Meaning) -> Value {
    json!({
        "catalogue": m.catalogue(),
        "code": m.code(),
        "name": m.name(),
        "standing": m.standing(),
        "description": m.description(),
        "mitigation": m.mitigation(),
    })
}

fn code_doc(c: &FoundCode) -> Value {
    let mut v = json!({
        "field": c.field(),
        "value": c.value(),
        "catalogue": c.catalogue(),
        "matches": c.matches().iter().map(|m| meaning_brief(m)).collect::<Vec<_>>(),
    });
    if let Err(e) = c.decoded() {
        v["error"] = json!({"kind": e.kind().as_str(), "message": e.to_string()});
    }
    v
}

/// `{"kind", "service", "failure", "context", "codes", "warnings"}`, plus `"parsed"` when `with_parsed`.
pub fn payload_doc(p: &Payload, with_parsed: bool) -> Value {
    let mut v = json!({
        "kind": p.kind(),
        "service": p.service(),
        "failure": p.is_failure(),
        "context": p.context(),
        "codes": p.codes().iter().map(code_doc).collect::<Vec<_>>(),
    });
    if with_parsed {
        v["parsed"] = serde_json::to_value(p.parsed()).unwrap_or(Value::Null);
    }
    if !p.warnings().is_empty() {
        v["warnings"] = json!(p.warnings());
    }
    v
}
