//! `decode(input, options?)`: any textual form of a code (or a JS number) to every row it can mean.

use azure_iot_codes::du::AgentVersion;
use azure_iot_codes::{Catalogue, DecodeOptions, NumberForm, Service, decode_with};
use js_sys::Object;
use wasm_bindgen::prelude::*;

use crate::catalogue::CATALOGUE_EXPECTED;
use crate::error::Rejection;
use crate::number::number_text;
use crate::object::{matches, set, variant_id};
use crate::options::{Options, text};

// Read by the custom section below (rustc's dead-code lint does not see that use) and by the tests.
#[allow(dead_code)]
pub(crate) const DECODE_TS: &str = r#"
/** Narrows what `decode` considers. */
export interface DecodeOptions {
  /** Only rows of this catalogue. */
  catalogue?: CatalogueId;
  /** Only rows that apply to this service. */
  service?: ServiceId;
  /**
   * A Device Update agent version (`"1.0.2"`, `"v1.1"`): only meanings that hold for it. A version between
   * known ones reads as the newest known one before it (`"1.0.3"` is `1.0.2`).
   */
  agentVersion?: string;
}

/** How a number was written: `404001`, `0x191`, or `-536870781` (a signed 32-bit value, as a twin shows it). */
export type NumberForm = "decimal" | "hex" | "signed";

/** The number an input was read as. */
export interface ParsedNumber {
  /** The value as unsigned 32 bits. */
  value: number;
  /** How it was written. */
  form: NumberForm;
}

/** What `decode` found. */
export interface Decoded {
  /** The text that was decoded (a number argument in decimal). */
  input: string;
  /** The number the input was read as, or `null` when it was a name. */
  number: ParsedNumber | null;
  /**
   * Every meaning the input can have, most likely first; never empty (no match throws `not-found`). Device
   * Update extended result codes come as readings with their facility, component and value.
   */
  matches: [Match, ...Match[]];
}
"#;

#[wasm_bindgen(typescript_custom_section)]
const DECODE_TS_SECTION: &str = DECODE_TS;

/// What a code argument may be.
const CODE_EXPECTED: &str =
    "a code as text (404001, 0x191, DEVICE_DISABLED, \"404 Not Found\") or as a whole number";
/// What an options argument may be.
const OPTIONS_EXPECTED: &str =
    "an object with the optional keys catalogue, service and agentVersion, or undefined";
/// What a service option may be.
pub(crate) const SERVICE_EXPECTED: &str = "one of iot-hub, dps, iot-central, device-update";
const AGENT_VERSION_EXPECTED: &str = "a Device Update agent version such as \"1.1.0\"";

/// Decodes a code into every catalogue row it can mean, most likely first.
///
/// `input` is a number (`404001`, `-1`) or text in any form the library reads: decimal, `0x` hex, negative
/// decimal, a name in any case (`DEVICE_DISABLED`, `assigning`), `"<status> <reason>"` (`"404 Not Found"`) or a
/// Device Update `extendedResultCodes` string (`"30501028,A0000FFF"`). `options` narrows the search to one
/// catalogue, one service and/or one Device Update agent version. Throws `AzureIotCodesError` when the input is
/// empty, malformed, out of range, too long or found nowhere, or an option is unknown.
#[wasm_bindgen(js_name = decode, unchecked_return_type = "Decoded")]
pub fn decode(
    #[wasm_bindgen(unchecked_param_type = "string | number")] input: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "DecodeOptions")] options: JsValue,
) -> Result<JsValue, Rejection> {
    let text = code_text(&input, "input")?;
    let options = decode_options(&options)?;
    let decoded = decode_with(&text, &options)?;

    let out = Object::new();
    set(&out, "input", text.as_str());
    let number = match decoded.number() {
        Some(n) => {
            let o = Object::new();
            set(&o, "value", n.value);
            set(&o, "form", number_form(n.form).as_str());
            JsValue::from(o)
        }
        None => JsValue::NULL,
    };
    set(&out, "number", number);
    set(&out, "matches", matches(decoded.iter()));
    Ok(out.into())
}

/// The text of a code argument: a string as it is, a JS number in decimal.
pub(crate) fn code_text(value: &JsValue, argument: &str) -> Result<String, Rejection> {
    if let Some(s) = text(value, argument)? {
        Ok(s)
    } else if let Some(n) = value.as_f64() {
        number_text(n)
    } else {
        Err(Rejection::wrong_type(argument, value, CODE_EXPECTED))
    }
}

/// The identifier of a number form, as the core's serde output spells it (`Decimal` -> `decimal`).
fn number_form(form: NumberForm) -> String {
    variant_id(&format!("{form:?}"))
}

/// Reads `{ catalogue?, service?, agentVersion? }`. Unknown keys are rejected, so a misspelt option (`catalog`)
/// is an error rather than silently ignored.
fn decode_options(value: &JsValue) -> Result<DecodeOptions, Rejection> {
    let o = Options::read(
        value,
        &["catalogue", "service", "agentVersion"],
        OPTIONS_EXPECTED,
    )?;
    narrowing(&o)
}

/// The `catalogue`, `service` and `agentVersion` options (shared with `decodePayload`).
pub(crate) fn narrowing(o: &Options<'_>) -> Result<DecodeOptions, Rejection> {
    let mut options = DecodeOptions::new();
    if let Some(id) = o.text("catalogue", CATALOGUE_EXPECTED)? {
        options = options.catalogue(id.parse::<Catalogue>()?);
    }
    if let Some(id) = o.text("service", SERVICE_EXPECTED)? {
        options = options.service(id.parse::<Service>()?);
    }
    if let Some(v) = o.text("agentVersion", AGENT_VERSION_EXPECTED)? {
        options = options.agent_version(v.parse::<AgentVersion>()?);
    }
    Ok(options)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_forms_are_spelt_as_in_typescript_and_json() {
        let forms = [NumberForm::Decimal, NumberForm::Hex, NumberForm::Signed];
        let ids: Vec<String> = forms.iter().map(|&f| number_form(f)).collect();
        assert_eq!(crate::ts::union(DECODE_TS, "NumberForm"), ids);
        for (f, id) in forms.iter().zip(&ids) {
            // The core's serde output (the CLI's JSON) uses the same identifiers.
            assert_eq!(serde_json::to_value(f).unwrap(), serde_json::json!(id));
        }
    }
}
