//! Reading arguments from JavaScript: text (bounded in length), whole numbers, and options objects whose keys
//! are checked, so that a misspelt option is an error rather than silently ignored.
//!
//! Nothing here runs user code beyond what reading a property does: a `Proxy` or a getter that throws is caught
//! and becomes an `AzureIotCodesError`.

use js_sys::{Array, JsString, Reflect};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use crate::error::{MAX_TEXT_CHARS, Rejection};

#[wasm_bindgen]
extern "C" {
    /// `Object.keys`, caught: a Proxy passed as options may throw, and that must become an
    /// `AzureIotCodesError` rather than unwind through the module.
    #[wasm_bindgen(catch, js_namespace = Object, js_name = keys)]
    fn object_keys(target: &JsValue) -> Result<Array, JsValue>;
}

/// The text of a string argument, or `None` when `value` is not a string. A string longer than
/// [`MAX_TEXT_CHARS`] is rejected (`too-large`) before it is copied into the module.
pub(crate) fn text(value: &JsValue, argument: &str) -> Result<Option<String>, Rejection> {
    let Some(s) = value.dyn_ref::<JsString>() else {
        return Ok(None);
    };
    let chars = s.length();
    if chars > MAX_TEXT_CHARS {
        // 64 UTF-16 units hold at least the 48 bytes the error keeps.
        let head = String::from(s.slice(0, 64));
        return Err(Rejection::too_large(argument, &head, chars));
    }
    Ok(value.as_string())
}

/// True for a plain object argument (not `null`, an array, a function or a primitive).
pub(crate) fn is_object(value: &JsValue) -> bool {
    value.is_object() && !Array::is_array(value)
}

/// Reads a property, turning a throwing getter or Proxy trap into an `invalid-argument` rejection.
pub(crate) fn property(
    target: &JsValue,
    key: &str,
    argument: &str,
    expected: &'static str,
) -> Result<JsValue, Rejection> {
    Reflect::get(target, &JsValue::from_str(key)).map_err(|_| {
        Rejection::invalid_argument(
            argument,
            "object",
            &format!("an object whose {key:?} cannot be read"),
            expected,
        )
    })
}

/// An options argument: `undefined`, `null`, or an object whose keys are all among the known ones.
pub(crate) struct Options<'a> {
    value: Option<&'a JsValue>,
    expected: &'static str,
}

impl<'a> Options<'a> {
    /// Checks the argument's type and keys. `expected` says what the options may be, for error messages.
    pub(crate) fn read(
        value: &'a JsValue,
        known: &[&str],
        expected: &'static str,
    ) -> Result<Options<'a>, Rejection> {
        if value.is_undefined() || value.is_null() {
            return Ok(Options {
                value: None,
                expected,
            });
        }
        if !is_object(value) {
            return Err(Rejection::wrong_type("options", value, expected));
        }
        let keys = object_keys(value).map_err(|_| {
            Rejection::invalid_argument(
                "options",
                "object",
                "an object whose keys cannot be read",
                expected,
            )
        })?;
        for key in keys.iter() {
            let key = key.as_string().unwrap_or_default();
            if !known.contains(&key.as_str()) {
                return Err(Rejection::invalid_argument(
                    "options",
                    &key,
                    &format!("the unknown option {key:?}"),
                    expected,
                ));
            }
        }
        Ok(Options {
            value: Some(value),
            expected,
        })
    }

    /// The value of `key`, or `None` when it is absent or `undefined`.
    pub(crate) fn get(&self, key: &str) -> Result<Option<JsValue>, Rejection> {
        let Some(target) = self.value else {
            return Ok(None);
        };
        let v = property(target, key, "options", self.expected)?;
        Ok((!v.is_undefined()).then_some(v))
    }

    /// A text option; anything else is an `invalid-argument` naming `options.<key>`.
    pub(crate) fn text(
        &self,
        key: &str,
        expected: &'static str,
    ) -> Result<Option<String>, Rejection> {
        let Some(v) = self.get(key)? else {
            return Ok(None);
        };
        let argument = format!("options.{key}");
        match text(&v, &argument)? {
            Some(s) => Ok(Some(s)),
            None => Err(Rejection::wrong_type(&argument, &v, expected)),
        }
    }

    /// A whole-number option from `0` to `max` (at most 2^53, where JS numbers stop being exact integers).
    pub(crate) fn whole(
        &self,
        key: &str,
        max: f64,
        expected: &'static str,
    ) -> Result<Option<f64>, Rejection> {
        self.number(key, expected, |n| whole_in_range(n, max))
    }

    /// A finite, non-negative number option (fractions allowed).
    pub(crate) fn non_negative(
        &self,
        key: &str,
        expected: &'static str,
    ) -> Result<Option<f64>, Rejection> {
        self.number(key, expected, |n| {
            if n.is_finite() && n >= 0.0 {
                Ok(n)
            } else {
                Err("not a finite number >= 0")
            }
        })
    }

    /// A number option that `check` accepts (its value) or refuses (why not): a value that is not a number is
    /// a `wrong-type` rejection naming `options.<key>`, a refused one an `invalid-argument`.
    fn number(
        &self,
        key: &str,
        expected: &'static str,
        check: impl FnOnce(f64) -> Result<f64, &'static str>,
    ) -> Result<Option<f64>, Rejection> {
        let Some(v) = self.get(key)? else {
            return Ok(None);
        };
        let argument = format!("options.{key}");
        let n = v
            .as_f64()
            .ok_or_else(|| Rejection::wrong_type(&argument, &v, expected))?;
        check(n)
            .map(Some)
            .map_err(|why| invalid_number(&argument, n, why, expected))
    }
}

/// `n` when it is a whole number from 0 to `max`, else why not.
pub(crate) fn whole_in_range(n: f64, max: f64) -> Result<f64, &'static str> {
    if !n.is_finite() || n.fract() != 0.0 {
        Err("not a whole number")
    } else if n < 0.0 {
        Err("negative")
    } else if n > max {
        Err("too large")
    } else {
        // `-0` reads as 0.
        Ok(n + 0.0)
    }
}

fn invalid_number(argument: &str, n: f64, why: &str, expected: &'static str) -> Rejection {
    let shown = crate::number::js_number_text(n);
    Rejection::invalid_argument(argument, &shown, &format!("{shown}, {why}"), expected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_numbers_in_range() {
        // (number, max, accepted value or the reason it is not)
        let table: &[(f64, f64, Result<f64, &str>)] = &[
            (0.0, 10.0, Ok(0.0)),
            (-0.0, 10.0, Ok(0.0)),
            (10.0, 10.0, Ok(10.0)),
            (11.0, 10.0, Err("too large")),
            (-1.0, 10.0, Err("negative")),
            (1.5, 10.0, Err("not a whole number")),
            (f64::NAN, 10.0, Err("not a whole number")),
            (f64::INFINITY, f64::INFINITY, Err("not a whole number")),
        ];
        for &(n, max, want) in table {
            let got = whole_in_range(n, max);
            assert_eq!(got, want, "{n}");
            if let Ok(v) = got {
                assert!(v.is_sign_positive(), "{n}");
            }
        }
    }
}
