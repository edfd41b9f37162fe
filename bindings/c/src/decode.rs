//! `aic_decode` and `aic_decode_json`: any textual form of a code to every row it can mean.

use core::ffi::{CStr, c_char};
use core::fmt;

use azure_iot_codes::{DecodeOptions, Decoded, Error, Meaning, decode_with};
use serde::{Serialize, Serializer};

use crate::ffi::{CBuffer, guard, guard_status, str_arg, write_out};
use crate::ids::{self, AIC_CATALOGUE_ANY, AIC_SERVICE_ANY, catalogue_from_id, service_from_id};
use crate::rows::{AIC_MATCHES_CAPACITY, aic_matches, aic_row};
use crate::status::aic_status;

/// The result of aic_decode: every row the input can mean, most likely first, and how the input was read.
///
/// rows[0] to rows[count - 1] point to static rows (see aic_row); the remaining entries are NULL. The struct
/// holds no pointer into the input: the input may be freed as soon as aic_decode returns.
#[repr(C)]
#[derive(Debug)]
pub struct aic_decoded {
    /// Number of rows found.
    pub count: usize,
    /// The rows found, most likely first.
    pub rows: [*const aic_row; AIC_MATCHES_CAPACITY],
    /// Whether the input was read as a number (then number and number_form are set).
    pub is_number: bool,
    /// The number as unsigned 32 bits (a negative decimal is reinterpreted: "-1" is 4294967295), else 0.
    pub number: u32,
    /// How the number was written (an AIC_NUMBER_FORM_ id), else 0.
    pub number_form: u32,
}

impl aic_decoded {
    const EMPTY: aic_decoded = aic_decoded {
        count: 0,
        rows: [core::ptr::null(); AIC_MATCHES_CAPACITY],
        is_number: false,
        number: 0,
        number_form: 0,
    };

    fn from_rust(d: &Decoded) -> Result<aic_decoded, aic_status> {
        let matches = aic_matches::collect(d.iter().copied())?;
        let mut out = aic_decoded {
            count: matches.count,
            rows: matches.rows,
            ..aic_decoded::EMPTY
        };
        if let Some(n) = d.number() {
            out.is_number = true;
            out.number = n.value;
            out.number_form = ids::number_form_id(n.form).ok_or(aic_status::AIC_ERR_INTERNAL)?;
        }
        Ok(out)
    }
}

/// Number-form identifiers by id, as the Rust crate serializes `NumberForm`.
const NUMBER_FORM_NAMES: [&CStr; 3] = [c"decimal", c"hex", c"signed"];

/// The identifier of a number form: "decimal", "hex" or "signed".
///
/// number_form: any integer.
/// Returns: a static NUL-terminated string (do not free or modify it), or NULL when number_form is not a
/// number-form id. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn aic_number_form_str(number_form: u32) -> *const c_char {
    guard(core::ptr::null(), || {
        usize::try_from(number_form)
            .ok()
            .and_then(|i| NUMBER_FORM_NAMES.get(i))
            .map_or(core::ptr::null(), |s| s.as_ptr())
    })
}

/// The narrowing asked for by integer ids (AIC_CATALOGUE_ANY / AIC_SERVICE_ANY: none).
fn options(catalogue: u32, service: u32) -> Result<DecodeOptions, aic_status> {
    let mut o = DecodeOptions::new();
    if catalogue != AIC_CATALOGUE_ANY {
        o = o.catalogue(catalogue_from_id(catalogue).ok_or(aic_status::AIC_ERR_UNKNOWN_CATALOGUE)?);
    }
    if service != AIC_SERVICE_ANY {
        o = o.service(service_from_id(service).ok_or(aic_status::AIC_ERR_UNKNOWN_SERVICE)?);
    }
    Ok(o)
}

/// Decodes any textual form of a code into every catalogue row it can mean, most likely first.
///
/// Accepts decimal ("404001"), 0x hex ("0x191"), negative decimal ("-1"), names in any case
/// ("DEVICE_DISABLED", "IotHubUnauthorizedAccess", "Unapproved", "assigning"), "<status> <reason>"
/// ("404 Not Found"), with surrounding whitespace. Where sources disagree every meaning is returned, today's
/// first. No allocation.
///
/// input: a NUL-terminated UTF-8 string, read only during the call.
/// catalogue: AIC_CATALOGUE_ANY, or only rows of this catalogue.
/// service: AIC_SERVICE_ANY, or only rows that apply to this service.
/// out: receives the result; cleared (count 0, is_number false) on every error.
/// Returns: AIC_OK (count >= 1); AIC_ERR_EMPTY, AIC_ERR_MALFORMED, AIC_ERR_OUT_OF_RANGE or AIC_ERR_NOT_FOUND for
/// input that does not decode (aic_decode_json gives the message naming the input and what was expected);
/// AIC_ERR_UNKNOWN_CATALOGUE / AIC_ERR_UNKNOWN_SERVICE for ids that are neither a catalogue/service nor ANY;
/// AIC_ERR_NULL_ARGUMENT when input or out is NULL; AIC_ERR_INVALID_UTF8. Thread-safe.
///
/// # Safety
/// input is NULL or a NUL-terminated string; out is NULL or valid for writing an aic_decoded.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn aic_decode(
    input: *const c_char,
    catalogue: u32,
    service: u32,
    out: *mut aic_decoded,
) -> aic_status {
    guard_status(|| {
        // SAFETY: the caller guarantees `out` is NULL or valid for writing an aic_decoded.
        unsafe { write_out(out, aic_decoded::EMPTY) };
        // SAFETY: the caller guarantees `input` is NULL or a NUL-terminated string.
        let input = unsafe { str_arg(input) }?;
        if out.is_null() {
            return Err(aic_status::AIC_ERR_NULL_ARGUMENT);
        }
        let options = options(catalogue, service)?;
        let decoded = decode_with(input, &options).map_err(|e| aic_status::from_kind(e.kind()))?;
        let value = aic_decoded::from_rust(&decoded)?;
        // SAFETY: as above; `out` is not NULL.
        unsafe { write_out(out, value) };
        Ok(())
    })
}

/// The JSON document of one decoded input: the shape `iotcode decode --json` prints.
#[derive(Serialize)]
struct DecodeDoc<'a> {
    input: &'a str,
    matches: &'a [&'static Meaning],
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<ErrorDoc<'a>>,
}

#[derive(Serialize)]
struct ErrorDoc<'a> {
    kind: &'static str,
    message: Display<'a, Error>,
}

/// Serializes a value through its `Display`, straight into the output (no intermediate `String`).
struct Display<'a, T>(&'a T);

impl<T: fmt::Display> Serialize for Display<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self.0)
    }
}

/// Decodes input like aic_decode and writes the result as one compact JSON document into buf, the document
/// `iotcode decode --json` prints for one input:
/// {"input":"...","matches":[{"catalogue":"service-error","code":401002,"name":...,"description":...,
/// "mitigation":...,"http_status":401,"services":["iot-hub",...],"source":...,"standing":"current",
/// "note":null,"aliases":[]}]}. When the input does not decode, "matches" is [] and an
/// "error":{"kind":"not-found","message":"cannot decode \"999\": ... (expected ...)"} object names the input and
/// what was expected. Fields are only ever added in later versions, never renamed or removed.
///
/// snprintf convention: at most size bytes are written, always NUL-terminated when size > 0 (a cut document
/// ends before a partial UTF-8 character); *needed receives the length of the whole document without its NUL,
/// so a buffer of *needed + 1 bytes holds it. Call with buf NULL and size 0 to learn the length.
///
/// input: a NUL-terminated UTF-8 string, read only during the call.
/// catalogue, service: as for aic_decode.
/// buf: the caller's buffer of size bytes; may be NULL only when size is 0. The library keeps no pointer to it.
/// needed: receives the document length; 0 when no document was produced. Must not be NULL.
/// Returns: AIC_ERR_BUFFER_TOO_SMALL whenever the document did not fit (even for input that does not decode:
/// call again with a larger buffer to get both the status and the message); otherwise the status aic_decode
/// would return, with the document written (for AIC_ERR_EMPTY, AIC_ERR_MALFORMED, AIC_ERR_OUT_OF_RANGE and
/// AIC_ERR_NOT_FOUND it carries the error object). Argument errors (AIC_ERR_NULL_ARGUMENT, AIC_ERR_INVALID_UTF8,
/// AIC_ERR_UNKNOWN_CATALOGUE, AIC_ERR_UNKNOWN_SERVICE) produce no document: *needed is 0 and buf holds "" when
/// size > 0. Thread-safe; no allocation.
///
/// # Safety
/// input is NULL or a NUL-terminated string; buf is valid for writing size bytes (or size is 0); needed is NULL
/// or valid for writing a size_t; buf and input do not overlap.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn aic_decode_json(
    input: *const c_char,
    catalogue: u32,
    service: u32,
    buf: *mut c_char,
    size: usize,
    needed: *mut usize,
) -> aic_status {
    guard_status(|| {
        // SAFETY: the caller guarantees `needed` is NULL or valid for writing a size_t.
        unsafe { write_out(needed, 0) };
        // SAFETY: the caller guarantees `buf` is valid for writing `size` bytes, or that size is 0; nothing else
        // touches it during the call.
        let mut out = unsafe { CBuffer::new(buf, size) }?;
        // From here on `out.finish()` runs on every path, so the buffer is always NUL-terminated.
        let result = (|| {
            if needed.is_null() {
                return Err(aic_status::AIC_ERR_NULL_ARGUMENT);
            }
            // SAFETY: the caller guarantees `input` is NULL or a NUL-terminated string not overlapping buf.
            let input = unsafe { str_arg(input) }?;
            let options = options(catalogue, service)?;
            let decoded = decode_with(input, &options);
            let doc = match &decoded {
                Ok(d) => DecodeDoc {
                    input,
                    matches: d.matches(),
                    error: None,
                },
                Err(e) => DecodeDoc {
                    input,
                    matches: &[],
                    error: Some(ErrorDoc {
                        kind: e.kind().as_str(),
                        message: Display(e),
                    }),
                },
            };
            serde_json::to_writer(&mut out, &doc).map_err(|_| aic_status::AIC_ERR_INTERNAL)?;
            decoded
                .map(|_| ())
                .map_err(|e| aic_status::from_kind(e.kind()))
        })();
        let (length, fitted) = out.finish();
        if result == Err(aic_status::AIC_ERR_NULL_ARGUMENT) {
            return result;
        }
        // SAFETY: `needed` is not NULL (checked above) and valid for writing a size_t.
        unsafe { write_out(needed, length) };
        if length > 0 && !fitted {
            return Err(aic_status::AIC_ERR_BUFFER_TOO_SMALL);
        }
        result
    })
}
