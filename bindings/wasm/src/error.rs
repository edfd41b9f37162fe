//! Errors thrown to JavaScript.
//!
//! Every failure becomes an `AzureIotCodesError`, a real `Error` subclass defined in `js/error.js` and re-exported
//! by the module, with a stable `kind`, the rejected `input` and what was `expected`. Nothing here panics: the
//! exported functions return `Result<_, Rejection>` and wasm-bindgen throws the `Err` value.

use azure_iot_codes::INPUT_SNIPPET_LEN;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/js/error.js")]
extern "C" {
    /// The JS class of every error the module throws (see `js/error.js`).
    #[wasm_bindgen(extends = js_sys::Error)]
    pub type AzureIotCodesError;

    #[wasm_bindgen(constructor)]
    fn new(message: &str, kind: &str, input: &str, expected: &str) -> AzureIotCodesError;

    // The same class imported as a function, only to re-export it from the module (so callers can write
    // `instanceof AzureIotCodesError`). wasm-bindgen honours `skip_typescript` on re-exported functions but
    // not on types, and its generated `let AzureIotCodesError: unknown` would clash with the precise class
    // declaration in ERROR_TS below. Never called from Rust.
    #[wasm_bindgen(js_name = AzureIotCodesError, reexport, skip_typescript)]
    #[allow(dead_code)]
    fn reexport_error_class();
}

/// TypeScript for the error class; the union lists every `kind` the module can throw.
// Read by the custom section below (rustc's dead-code lint does not see that use) and by the tests.
#[allow(dead_code)]
pub(crate) const ERROR_TS: &str = r#"
/**
 * What kind of input was rejected:
 * - `empty`: the input is empty or only whitespace;
 * - `malformed`: not shaped like a code (`4o4`, `0x`, a number with a fraction);
 * - `out-of-range`: a number that does not fit in 32 bits;
 * - `not-found`: well-formed, but no catalogue (or none of those asked for) has it;
 * - `unknown-catalogue` / `unknown-service`: not a catalogue / service identifier;
 * - `too-large`: a text argument longer than 1,048,576 characters (1 MiB of UTF-16), rejected before it is
 *   copied into the module;
 * - `too-deep`, `truncated`, `invalid-json`, `invalid-topic`, `invalid-csv`, `unknown-shape`, `invalid-field`
 *   (only `decodePayload`, in `azure-iot-codes/payload`): a payload nested deeper than 64 levels, cut short,
 *   not JSON, a malformed response topic or header, a malformed CSV row, a shape no reader knows, a field of
 *   the wrong type;
 * - `invalid-argument`: an argument of the wrong JavaScript type, an unknown option, or an option value of the
 *   right type that is not allowed (`attempt: -1`);
 * - `internal`: a bug in this module (`decodePayload` could not build its document); please report it.
 */
export type ErrorKind =
  | "empty"
  | "malformed"
  | "out-of-range"
  | "not-found"
  | "unknown-catalogue"
  | "unknown-service"
  | "too-large"
  | "too-deep"
  | "truncated"
  | "invalid-json"
  | "invalid-topic"
  | "invalid-csv"
  | "unknown-shape"
  | "invalid-field"
  | "invalid-argument"
  | "internal";

/** The error every function of this module throws on bad input. The module stays usable afterwards. */
export class AzureIotCodesError extends Error {
  /** Always `"AzureIotCodesError"`. */
  readonly name: "AzureIotCodesError";
  /** What kind of input was rejected (stable identifiers). */
  readonly kind: ErrorKind;
  /** The rejected input (its first 48 bytes when longer), or the JS type of a non-text argument. */
  readonly input: string;
  /** What would have been accepted. */
  readonly expected: string;
  private constructor();
}
"#;

#[wasm_bindgen(typescript_custom_section)]
const ERROR_TS_SECTION: &str = ERROR_TS;

/// The `kind` of errors that only JavaScript callers can cause (a wrong argument type, an unknown option).
pub(crate) const INVALID_ARGUMENT: &str = "invalid-argument";

/// The `kind` of a bug of this module, reported rather than hidden (the C API's `AIC_ERR_INTERNAL`). Only
/// decodePayload throws it; the tests read it in both builds.
#[cfg_attr(not(feature = "payload"), allow(dead_code))]
pub(crate) const INTERNAL: &str = "internal";

/// The longest text argument accepted, in UTF-16 code units (1 MiB). Longer texts are rejected before they are
/// copied into the module's memory: no code, name or header value comes near it, and a huge string (JS allows
/// hundreds of millions of characters) could otherwise exhaust the module's memory, which aborts the instance.
pub(crate) const MAX_TEXT_CHARS: u32 = 1 << 20;

/// What a text argument must be, as to its length.
const TEXT_EXPECTED: &str = "a text of at most 1048576 characters";

/// A rejected call, turned into an `AzureIotCodesError` when it crosses into JavaScript.
///
/// Kept as plain Rust data until then, so that the rules that produce it can be tested on the host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    kind: &'static str,
    input: String,
    expected: &'static str,
    message: String,
}

impl Rejection {
    /// An argument of the wrong type or shape. `argument` names it (`input`, `options.service`), `input` is the
    /// offending text (or a description of a value that is not text) and `got` says what was passed.
    pub(crate) fn invalid_argument(
        argument: &str,
        input: &str,
        got: &str,
        expected: &'static str,
    ) -> Rejection {
        Rejection {
            kind: INVALID_ARGUMENT,
            input: snippet(input).to_owned(),
            expected,
            message: format!("invalid {argument}: got {got} (expected {expected})"),
        }
    }

    /// A text argument too long to copy into the module. `head` is its beginning (at least
    /// [`INPUT_SNIPPET_LEN`] bytes of it when it has them), `chars` its length in UTF-16 code units.
    pub(crate) fn too_large(argument: &str, head: &str, chars: u32) -> Rejection {
        Rejection {
            kind: azure_iot_codes::ErrorKind::TooLarge.as_str(),
            input: snippet(head).to_owned(),
            expected: TEXT_EXPECTED,
            message: format!(
                "invalid {argument}: a text of {chars} characters (expected {TEXT_EXPECTED})"
            ),
        }
    }

    /// A bug of this module: `what` went wrong while answering for `input`.
    #[cfg(feature = "payload")]
    pub(crate) fn internal(input: &str, what: &str) -> Rejection {
        Rejection {
            kind: INTERNAL,
            input: snippet(input).to_owned(),
            expected: "an answer: this is a bug in azure-iot-codes, please report it",
            message: format!("internal error: {what}"),
        }
    }

    /// An argument of the wrong JS type. `input` is the text of a string, else the description of the value
    /// from [`describe`].
    pub(crate) fn wrong_type(argument: &str, value: &JsValue, expected: &'static str) -> Rejection {
        let got = describe(value);
        let input = value.as_string().unwrap_or_else(|| got.clone());
        Rejection::invalid_argument(argument, &input, &got, expected)
    }

    /// A rejection with a kind the core library also uses, for input the core never sees (a JS number that
    /// is not a whole number, for instance).
    pub(crate) fn new(
        kind: azure_iot_codes::ErrorKind,
        input: &str,
        reason: &str,
        expected: &'static str,
    ) -> Rejection {
        Rejection {
            kind: kind.as_str(),
            input: snippet(input).to_owned(),
            expected,
            message: format!("cannot decode {input}: {reason} (expected {expected})"),
        }
    }

    /// The stable `kind` identifier.
    pub fn kind(&self) -> &'static str {
        self.kind
    }

    /// The rejected input (first [`INPUT_SNIPPET_LEN`] bytes).
    pub fn input(&self) -> &str {
        &self.input
    }

    /// What would have been accepted.
    pub fn expected(&self) -> &'static str {
        self.expected
    }

    /// The human-readable message (`Error.prototype.message`).
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl From<azure_iot_codes::Error> for Rejection {
    fn from(e: azure_iot_codes::Error) -> Rejection {
        Rejection {
            kind: e.kind().as_str(),
            input: e.input().to_owned(),
            expected: e.expected(),
            message: e.to_string(),
        }
    }
}

impl From<Rejection> for JsValue {
    fn from(r: Rejection) -> JsValue {
        AzureIotCodesError::new(&r.message, r.kind, &r.input, r.expected).into()
    }
}

/// The first [`INPUT_SNIPPET_LEN`] bytes of `s`, cut on a character boundary (the same bound as the core's
/// errors, so an error never holds a huge input).
fn snippet(s: &str) -> &str {
    let mut n = s.len().min(INPUT_SNIPPET_LEN);
    while !s.is_char_boundary(n) {
        n -= 1;
    }
    s.get(..n).unwrap_or_default()
}

/// Describes a JS value for an error message without calling into user code (no `toString`): strings (quoted)
/// and numbers as themselves, anything else by its type (`undefined`, `an object`, `the boolean true`).
fn describe(value: &JsValue) -> String {
    if let Some(s) = value.as_string() {
        format!("{s:?}")
    } else if let Some(n) = value.as_f64() {
        crate::number::js_number_text(n)
    } else if value.is_null() {
        "null".to_owned()
    } else if value.is_undefined() {
        "undefined".to_owned()
    } else if js_sys::Array::is_array(value) {
        "an array".to_owned()
    } else {
        match value.js_typeof().as_string().as_deref() {
            Some("boolean") => format!("the boolean {}", value.is_truthy()),
            Some("object") => "an object".to_owned(),
            Some(t) => format!("a {t}"),
            None => "a value".to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_errors_keep_kind_input_expected_and_message() {
        let e = azure_iot_codes::decode("4o4").unwrap_err();
        let r = Rejection::from(e.clone());
        assert_eq!(r.kind(), "malformed");
        assert_eq!(r.input(), "4o4");
        assert_eq!(r.expected(), e.expected());
        assert_eq!(r.message(), e.to_string());
    }

    #[test]
    fn snippets_are_bounded_and_cut_on_char_boundaries() {
        let long = "é".repeat(100);
        let s = snippet(&long);
        assert!(s.len() <= INPUT_SNIPPET_LEN);
        assert_eq!(s.len(), INPUT_SNIPPET_LEN);
        let odd = format!("x{long}");
        assert_eq!(snippet(&odd).len(), INPUT_SNIPPET_LEN - 1);
        assert_eq!(snippet("short"), "short");
    }

    #[test]
    fn invalid_argument_names_the_argument() {
        let r = Rejection::invalid_argument(
            "options.service",
            "an object",
            "an object",
            "a service identifier",
        );
        assert_eq!(r.kind(), INVALID_ARGUMENT);
        assert_eq!(r.input(), "an object");
        assert_eq!(
            r.message(),
            "invalid options.service: got an object (expected a service identifier)"
        );
    }

    #[test]
    fn typescript_error_kinds_are_exactly_those_thrown() {
        use azure_iot_codes::ErrorKind as K;
        let mut expected: Vec<&str> = [
            K::Empty,
            K::Malformed,
            K::OutOfRange,
            K::NotFound,
            K::UnknownCatalogue,
            K::UnknownService,
            K::TooLarge,
            K::TooDeep,
            K::Truncated,
            K::InvalidJson,
            K::InvalidTopic,
            K::InvalidCsv,
            K::UnknownShape,
            K::InvalidField,
        ]
        .iter()
        .map(|k| k.as_str())
        .collect();
        // `invalid-utf8` is left out: JavaScript strings always reach Rust as UTF-8.
        expected.push(INVALID_ARGUMENT);
        expected.push(INTERNAL);
        assert_eq!(crate::ts::union(ERROR_TS, "ErrorKind"), expected);
    }

    #[test]
    fn too_large_names_the_argument_and_keeps_a_snippet() {
        let head = "9".repeat(100);
        let r = Rejection::too_large("input", &head, MAX_TEXT_CHARS + 1);
        assert_eq!(r.kind(), "too-large");
        assert_eq!(r.input(), &head[..INPUT_SNIPPET_LEN]);
        assert_eq!(
            r.message(),
            "invalid input: a text of 1048577 characters (expected a text of at most 1048576 characters)"
        );
    }
}
