//! `decode(input, options?)`: any textual form of a code (or a JS number) to every row it can mean.

use azure_iot_codes::{Catalogue, DecodeOptions, NumberForm, Service, decode_with};
use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;

use crate::catalogue::CATALOGUE_EXPECTED;
use crate::error::Rejection;
use crate::number::number_text;
use crate::object::{meanings, set};

// Read by the custom section below (rustc's dead-code lint does not see that use) and by the tests.
#[allow(dead_code)]
pub(crate) const DECODE_TS: &str = r#"
/** Narrows what `decode` considers. */
export interface DecodeOptions {
  /** Only rows of this catalogue. */
  catalogue?: CatalogueId;
  /** Only rows that apply to this service. */
  service?: ServiceId;
}

/** How a number was written: `404001`, `0x191`, or `-536870781` (a signed 32-bit value as a twin shows it). */
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
  /** Every row the input can mean, most likely first; never empty (no match throws `not-found`). */
  matches: [Meaning, ...Meaning[]];
}
"#;

#[wasm_bindgen(typescript_custom_section)]
const DECODE_TS_SECTION: &str = DECODE_TS;

/// What a code argument may be.
const CODE_EXPECTED: &str =
    "a code as text (404001, 0x191, DEVICE_DISABLED, \"404 Not Found\") or as a whole number";
/// What an options argument may be.
const OPTIONS_EXPECTED: &str =
    "an object with the optional keys catalogue and service, or undefined";
const SERVICE_EXPECTED: &str = "one of iot-hub, dps, iot-central, device-update";

/// Decodes a code into every catalogue row it can mean, most likely first.
///
/// `input` is a number (`404001`, `-1`) or text in any form the library reads: decimal, `0x` hex, negative
/// decimal, a name in any case (`DEVICE_DISABLED`, `assigning`) or `"<status> <reason>"` (`"404 Not Found"`).
/// `options` narrows the search to one catalogue and/or one service. Throws `AzureIotCodesError` when the input
/// is empty, malformed, out of range or found nowhere, or an option is unknown.
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
    set(&out, "matches", meanings(decoded.iter().copied()));
    Ok(out.into())
}

/// The text of a code argument: a string as it is, a JS number in decimal.
pub(crate) fn code_text(value: &JsValue, argument: &str) -> Result<String, Rejection> {
    if let Some(s) = value.as_string() {
        Ok(s)
    } else if let Some(n) = value.as_f64() {
        number_text(n)
    } else {
        Err(Rejection::wrong_type(argument, value, CODE_EXPECTED))
    }
}

/// The identifier of a number form: the kebab-case of its variant name, as the core's serde output spells it
/// (`Decimal` -> `decimal`). Derived from the name rather than matched, so a form the core adds later still
/// gets its right identifier instead of a wrong one.
fn number_form(form: NumberForm) -> String {
    kebab_case(&format!("{form:?}"))
}

fn kebab_case(camel: &str) -> String {
    let mut out = String::with_capacity(camel.len() + 4);
    for (i, c) in camel.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('-');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

#[wasm_bindgen]
extern "C" {
    /// `Object.keys`, caught: a Proxy passed as options may throw, and that must become an
    /// `AzureIotCodesError` rather than unwind through the module.
    #[wasm_bindgen(catch, js_namespace = Object, js_name = keys)]
    fn object_keys(target: &JsValue) -> Result<js_sys::Array, JsValue>;
}

/// Reads `{ catalogue?, service? }`. Unknown keys are rejected, so a misspelt option (`catalog`) is an error
/// rather than silently ignored.
fn decode_options(value: &JsValue) -> Result<DecodeOptions, Rejection> {
    let mut options = DecodeOptions::new();
    if value.is_undefined() || value.is_null() {
        return Ok(options);
    }
    // `is_object` is false for functions and primitives; arrays are objects but not options.
    if !value.is_object() || js_sys::Array::is_array(value) {
        return Err(Rejection::wrong_type("options", value, OPTIONS_EXPECTED));
    }
    let unreadable = || {
        Rejection::invalid_argument(
            "options",
            "object",
            "an object whose keys cannot be read",
            OPTIONS_EXPECTED,
        )
    };
    for key in object_keys(value).map_err(|_| unreadable())?.iter() {
        let key = key.as_string().unwrap_or_default();
        if key != "catalogue" && key != "service" {
            return Err(Rejection::invalid_argument(
                "options",
                &key,
                &format!("the unknown option {key:?}"),
                OPTIONS_EXPECTED,
            ));
        }
    }
    let get = |key: &str| Reflect::get(value, &JsValue::from_str(key)).map_err(|_| unreadable());
    let catalogue = get("catalogue")?;
    if !catalogue.is_undefined() {
        let id = catalogue.as_string().ok_or_else(|| {
            Rejection::wrong_type("options.catalogue", &catalogue, CATALOGUE_EXPECTED)
        })?;
        options = options.catalogue(id.parse::<Catalogue>()?);
    }
    let service = get("service")?;
    if !service.is_undefined() {
        let id = service
            .as_string()
            .ok_or_else(|| Rejection::wrong_type("options.service", &service, SERVICE_EXPECTED))?;
        options = options.service(id.parse::<Service>()?);
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
        assert_eq!(kebab_case("HexSigned"), "hex-signed");
    }
}
