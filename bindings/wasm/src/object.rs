//! Catalogue rows as plain JavaScript objects.
//!
//! The objects are built field by field with `js_sys` (`Object::new` + `Reflect::set`) rather than through
//! serde-wasm-bindgen: the shapes are small and fixed, field names are camelCase for JavaScript while the core's
//! serde output keeps `http_status`, and leaving serde's serializer machinery out of the module keeps the .wasm
//! smaller (bindings/wasm/README.md has the measured sizes of both).

use azure_iot_codes::{Code, Meaning};
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
  | "mqtt-connack";

/** A service identifier. */
export type ServiceId = "iot-hub" | "dps" | "iot-central" | "device-update";

/**
 * How much weight a meaning carries when sources disagree: `current` is what the documentation and SDKs say
 * today; the others are kept because devices may still report them.
 */
export type Standing = "current" | "observed" | "conflicting" | "historical" | "doc-error";

/** One meaning of one code: what happened, what to do about it, and where the facts come from. */
export interface Meaning {
  /** The catalogue the row belongs to. */
  catalogue: CatalogueId;
  /** The code: a number where the catalogue's keys are numbers, else the text the service sends. */
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
}
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

/// A row as a `Meaning` object (field order as in the core's JSON).
pub(crate) fn meaning(m: &Meaning) -> JsValue {
    let o = Object::new();
    set(&o, "catalogue", m.catalogue().as_str());
    let code = match m.code() {
        Code::Number(n) => JsValue::from(n),
        Code::Text(t) => JsValue::from_str(t),
    };
    set(&o, "code", code);
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
    o.into()
}

/// Rows as a `Meaning[]`.
pub(crate) fn meanings<'a>(rows: impl IntoIterator<Item = &'a Meaning>) -> Array {
    rows.into_iter().map(meaning).collect()
}
