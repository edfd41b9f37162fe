//! Catalogue rows and decode matches as plain JavaScript objects.
//!
//! The objects are built field by field with `js_sys` (`Object::new` + `Reflect::set`) rather than through
//! serde-wasm-bindgen: the shapes are small and fixed, field names are camelCase for JavaScript while the core's
//! serde output keeps `http_status`, and leaving serde's serializer machinery out of the module keeps the .wasm
//! smaller (bindings/wasm/README.md has the measured sizes of both).

use azure_iot_codes::du::AgentVersions;
use azure_iot_codes::{Catalogue, Code, Match, Meaning};
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;

/// TypeScript for the identifiers and the row shape. `src/ts.rs` tests that the unions list exactly the
/// identifiers of the core library.
// Read by the custom section below (rustc's dead-code lint does not see that use) and by the tests.
#[allow(dead_code)]
pub(crate) const MEANING_TS: &str = r#"
/** A catalogue identifier. */
export type CatalogueId =
  | "http-status"
  | "service-error"
  | "auth-suberror"
  | "iot-central-status"
  | "dps-registration-status"
  | "dps-registration-substatus"
  | "mqtt-connack"
  | "du-result-code"
  | "du-extended-result-code"
  | "du-diagnostics-result"
  | "du-erc-pattern"
  | "du-extension-code"
  | "posix-errno"
  | "do-hresult"
  | "iot-central-unmodeled-cause"
  | "iot-central-export"
  | "dps-metric"
  | "dps-log-category";

/** A service identifier. */
export type ServiceId = "iot-hub" | "dps" | "iot-central" | "device-update";

/**
 * How much weight a meaning carries when sources disagree: `current` is what the documentation and SDKs say
 * today; the others are kept because devices may still report them.
 */
export type Standing = "current" | "observed" | "conflicting" | "historical" | "doc-error";

/** A Device Update agent version the catalogues know (a result names the versions it holds for). */
export type AgentVersion = "0.6.0" | "0.7.0" | "0.8.0" | "0.8.2" | "1.0.0" | "1.0.1" | "1.0.2" | "1.1.0";

/** One meaning of one code: what happened, what to do about it, and where the facts come from. */
export interface Meaning {
  /** The catalogue the row belongs to. */
  catalogue: CatalogueId;
  /**
   * The code: a number where the catalogue's keys are numbers (negative for the signed Device Update
   * `resultCode`s such as `-1`), else the text the service sends.
   */
  code: number | string;
  /** The name the services use (`DeviceNotFound`, `Not Found`, `assigning`). */
  name: string;
  /** What happened. */
  description: string;
  /** What to do about it. */
  mitigation: string;
  /** The HTTP status this meaning travels with, or `null`. */
  httpStatus: number | null;
  /** The services the meaning applies to. */
  services: ServiceId[];
  /** Where the facts come from: `owner/repo:path@commit` or a URL; several joined by ` | `. */
  source: string;
  /** Whether this is today's meaning or one kept from a disagreeing or older source. */
  standing: Standing;
  /** Disagreements between sources and other caveats, or `null`. */
  note: string | null;
  /** Other spellings that decode to this row. */
  aliases: string[];
  /** Device Update meanings: the agent versions the meaning holds for, oldest first; empty elsewhere. */
  agentVersions: AgentVersion[];
  /** Device Update `resultCode` rows: the agent action (`download`, `install`, `apply`, ...); `null` elsewhere. */
  action: string | null;
  /** IoT Central export destinations: the role the application's managed identity needs; `null` elsewhere. */
  role: string | null;
}

/** A match of any catalogue but `du-extended-result-code`: the row as it is. */
export interface RowMatch extends Meaning {
  catalogue: Exclude<CatalogueId, "du-extended-result-code">;
}

/**
 * What `decode` and `lookup` return for each meaning: a row, or for Device Update extended result codes a
 * reading of the code with its parts (`m.catalogue === "du-extended-result-code"` tells them apart).
 */
export type Match = RowMatch | ExtendedResultCodeMatch;
"#;

#[wasm_bindgen(typescript_custom_section)]
const MEANING_TS_SECTION: &str = MEANING_TS;

/// Sets `key` on a fresh plain object. `Reflect.set` only fails on frozen objects, proxies and setters, none
/// of which a fresh `{}` has, so its result carries nothing to handle.
pub(crate) fn set(target: &Object, key: &str, value: impl Into<JsValue>) {
    let _ = Reflect::set(target, &JsValue::from_str(key), &value.into());
}

/// A JS array of strings.
pub(crate) fn strings<'a>(items: impl IntoIterator<Item = &'a str>) -> Array {
    items.into_iter().map(JsValue::from_str).collect()
}

/// `null` for `None`.
pub(crate) fn nullable<T: Into<JsValue>>(value: Option<T>) -> JsValue {
    value.map_or(JsValue::NULL, Into::into)
}

/// The identifier of an enum variant from its `Debug` output: the variant name in kebab case, without any fields
/// (`Decimal` -> `decimal`, `Attempts { max: 10 }` -> `attempts`). Derived from the name rather than matched,
/// so that a variant the core adds later still gets its own identifier rather than a wrong one.
pub(crate) fn variant_id(debug: &str) -> String {
    let name = debug
        .split(|c: char| !c.is_ascii_alphanumeric())
        .next()
        .unwrap_or_default();
    let mut out = String::with_capacity(name.len() + 4);
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('-');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// A code as JavaScript sees it: a number (negative for signed codes) or the text.
pub(crate) fn code_value(code: Code) -> JsValue {
    match code {
        Code::Number(n) => JsValue::from(n),
        Code::Signed(n) => JsValue::from(n),
        Code::Text(t) => JsValue::from_str(t),
    }
}

/// Agent versions as an `AgentVersion[]`, oldest first.
pub(crate) fn versions(v: AgentVersions) -> Array {
    v.iter().map(|v| JsValue::from_str(v.as_str())).collect()
}

/// The `Meaning` fields of a row (field order as in the core's JSON). `catalogue`, `code` and the agent
/// versions are given separately because a Device Update reading has its own (the code read, the versions the
/// reading holds for) while its text comes from the row that explains it.
fn meaning_object(m: &Meaning, catalogue: Catalogue, code: Code, agent: AgentVersions) -> Object {
    let o = Object::new();
    set(&o, "catalogue", catalogue.as_str());
    set(&o, "code", code_value(code));
    set(&o, "name", m.name());
    set(&o, "description", m.description());
    set(&o, "mitigation", m.mitigation());
    set(&o, "httpStatus", nullable(m.http_status()));
    set(
        &o,
        "services",
        strings(m.services().iter().map(|s| s.as_str())),
    );
    set(&o, "source", m.source());
    set(&o, "standing", m.standing().as_str());
    set(&o, "note", nullable(m.note()));
    set(&o, "aliases", strings(m.aliases().iter().copied()));
    set(&o, "agentVersions", versions(agent));
    set(&o, "action", nullable(m.action()));
    set(&o, "role", nullable(m.role()));
    o
}

/// A decode match as a `Match` object: the row's fields, plus the parts of a Device Update reading.
pub(crate) fn matched(m: &Match) -> JsValue {
    matched_object(m).into()
}

/// [`matched`], as an object more fields can be added to.
pub(crate) fn matched_object(m: &Match) -> Object {
    let o = meaning_object(m.meaning(), m.catalogue(), m.code(), m.agent_versions());
    if let Some(reading) = m.erc() {
        crate::du::set_reading(&o, &reading, m.pattern());
    }
    o
}

/// Matches as a `Match[]`.
pub(crate) fn matches<'a>(items: impl IntoIterator<Item = &'a Match>) -> Array {
    items.into_iter().map(matched).collect()
}

#[cfg(test)]
mod tests {
    use super::variant_id;

    #[test]
    fn variant_ids_are_kebab_case_names_without_fields() {
        let table = [
            ("Decimal", "decimal"),
            ("HexSigned", "hex-signed"),
            ("Attempts { max: 10 }", "attempts"),
            ("Elapsed { max_ms: 1 }", "elapsed"),
            ("Invalid(Empty)", "invalid"),
            ("", ""),
        ];
        for (debug, id) in table {
            assert_eq!(variant_id(debug), id, "{debug}");
        }
    }
}
