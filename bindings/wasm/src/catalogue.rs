//! `lookup(catalogue, code)` and `catalogues()`.

use azure_iot_codes::{Catalogue, DecodeOptions, ErrorKind, decode_with};
use js_sys::{Array, Object};
use wasm_bindgen::prelude::*;

use crate::decode::code_text;
use crate::error::Rejection;
use crate::object::{matches, set};
use crate::options::text;

// Read by the custom section below (rustc's dead-code lint does not see that use) and by the tests.
#[allow(dead_code)]
pub(crate) const CATALOGUE_TS: &str = r#"
/** One catalogue, as `catalogues()` lists it. */
export interface CatalogueSummary {
  /** The stable identifier, accepted by `lookup` and by `decode`'s `catalogue` option. */
  id: CatalogueId;
  /** How many rows (meanings) it holds. */
  rows: number;
}
"#;

#[wasm_bindgen(typescript_custom_section)]
const CATALOGUE_TS_SECTION: &str = CATALOGUE_TS;

/// What a catalogue argument or option may be.
pub(crate) const CATALOGUE_EXPECTED: &str =
    "a catalogue identifier such as `service-error` or `http-status`";

/// Every meaning `code` has in `catalogue`; an empty array when the catalogue has none.
///
/// `code` is a number or any text `decode` reads (`404001`, `0x191`, `DEVICE_DISABLED`, `"404 Not Found"`). In
/// `du-extended-result-code` every code has readings (an unnamed one is read by its parts).
/// Unlike `decode`, a code the catalogue does not have is not an error; an unknown catalogue, or a code that is
/// empty, malformed, out of range or too long, throws `AzureIotCodesError`.
#[wasm_bindgen(js_name = lookup, unchecked_return_type = "Match[]")]
pub fn lookup(
    #[wasm_bindgen(unchecked_param_type = "CatalogueId")] catalogue: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string | number")] code: JsValue,
) -> Result<JsValue, Rejection> {
    let id = text(&catalogue, "catalogue")?
        .ok_or_else(|| Rejection::wrong_type("catalogue", &catalogue, CATALOGUE_EXPECTED))?;
    let catalogue = id.parse::<Catalogue>()?;
    let code = code_text(&code, "code")?;
    match decode_with(&code, &DecodeOptions::new().catalogue(catalogue)) {
        Ok(decoded) => Ok(matches(decoded.iter()).into()),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(Array::new().into()),
        Err(e) => Err(e.into()),
    }
}

/// Every catalogue with its row count, in a fixed order.
#[wasm_bindgen(js_name = catalogues, unchecked_return_type = "CatalogueSummary[]")]
pub fn catalogues() -> JsValue {
    Catalogue::ALL
        .iter()
        .map(|c| {
            let o = Object::new();
            set(&o, "id", c.as_str());
            // Row counts are a few hundred at most; u32 holds them exactly.
            set(
                &o,
                "rows",
                u32::try_from(c.rows().len()).unwrap_or(u32::MAX),
            );
            JsValue::from(o)
        })
        .collect::<Array>()
        .into()
}
