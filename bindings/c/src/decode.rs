//! `aic_decode` and `aic_decode_json`: any textual form of a code to every row it can mean.
//!
//! The JSON document is `azure_iot_codes::report::DecodeReport`, the shape `iotcode decode --json` prints for a
//! code, with the same retry decision per match (`report::first_decision`); `tests.rs` checks it against its
//! parts and `test.sh` against the CLI, byte for byte.

use core::ffi::{CStr, c_char};

use azure_iot_codes::report::DecodeReport;
use azure_iot_codes::{DecodeOptions, Decoded, decode_with};

use crate::du::{agent_version_arg, aic_erc};
use crate::ffi::{CBuffer, guard, guard_status, json_into_buffer, str_arg, write_out};
use crate::ids::{self, AIC_CATALOGUE_ANY, AIC_SERVICE_ANY, catalogue_from_id, service_from_id};
use crate::rows::{AIC_MATCHES_CAPACITY, aic_matches, aic_row};
use crate::status::aic_status;

/// The result of aic_decode: every match of the input, most likely first, and how the input was read.
///
/// Match i is rows[i] with ercs[i], for i from 0 to count - 1; the remaining rows are NULL and ercs cleared.
/// When ercs[i].is_erc the match is a Device Update extended result code reading: its catalogue is
/// AIC_CATALOGUE_DU_EXTENDED_RESULT_CODE and its code ercs[i].code, and rows[i] is the named row (an
/// AIC_CATALOGUE_DU_EXTENDED_RESULT_CODE row) or, for a code no agent names, the pattern it follows (an
/// AIC_CATALOGUE_DU_ERC_PATTERN row such as EXIT_CODE_SCRIPT). Otherwise the match is rows[i] itself.
///
/// Rows are static (see aic_row). The struct holds no pointer into the input: the input may be freed as soon
/// as aic_decode returns. It is about 3.9 KB (AIC_MATCHES_CAPACITY matches with their readings).
#[repr(C)]
#[derive(Debug)]
pub struct aic_decoded {
    /// Number of matches.
    pub count: usize,
    /// The row of each match, most likely first.
    pub rows: [*const aic_row; AIC_MATCHES_CAPACITY],
    /// The Device Update reading of each match (is_erc false for matches that are not one).
    pub ercs: [aic_erc; AIC_MATCHES_CAPACITY],
    /// Whether the input was read as a number (then number and number_form are set).
    pub is_number: bool,
    /// The number as unsigned 32 bits (a negative decimal is reinterpreted: "-1" is 4294967295), else 0.
    pub number: u32,
    /// How the number was written (an AIC_NUMBER_FORM_ id), else 0.
    pub number_form: u32,
}

impl aic_decoded {
    pub(crate) const EMPTY: aic_decoded = aic_decoded {
        count: 0,
        rows: [core::ptr::null(); AIC_MATCHES_CAPACITY],
        ercs: [aic_erc::EMPTY; AIC_MATCHES_CAPACITY],
        is_number: false,
        number: 0,
        number_form: 0,
    };

    /// Fills `out` (already cleared) from a Rust answer; an empty answer is `AIC_ERR_NOT_FOUND`.
    fn fill(out: &mut aic_decoded, d: &Decoded) -> Result<(), aic_status> {
        let matches = aic_matches::collect(d.iter().map(|m| m.meaning()))?;
        out.count = matches.count;
        out.rows = matches.rows;
        for (slot, m) in out.ercs.iter_mut().zip(d.iter()) {
            if let Some(r) = m.erc() {
                *slot = aic_erc::from_reading(&r)?;
            }
        }
        if let Some(n) = d.number() {
            out.is_number = true;
            out.number = n.value;
            out.number_form = ids::number_form_id(n.form).ok_or(aic_status::AIC_ERR_INTERNAL)?;
        }
        Ok(())
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

/// The narrowing asked for by integer ids (AIC_CATALOGUE_ANY / AIC_SERVICE_ANY / AIC_AGENT_VERSION_ANY: none).
pub(crate) fn options(
    catalogue: u32,
    service: u32,
    agent_version: u32,
) -> Result<DecodeOptions, aic_status> {
    let mut o = DecodeOptions::new();
    if let Some(v) = agent_version_arg(agent_version)? {
        o = o.agent_version(v);
    }
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
/// Accepts decimal ("404001"), 0x hex ("0x191"), negative decimal ("-1", "-536870781" as twins show Device
/// Update codes), names in any case ("DEVICE_DISABLED", "IotHubUnauthorizedAccess", "Unapproved", "assigning",
/// "ADUC_ERC_NOMEM"), "<status> <reason>" ("404 Not Found"), bare 8-digit hex with a letter ("A0000FFF") and
/// agent 1.1.0 extendedResultCodes lists ("30501028,A0000FFF"), with surrounding whitespace. Where sources or
/// agent versions disagree every meaning is returned, today's first. Device Update extended result codes come
/// with their reading in out->ercs. No allocation.
///
/// input: a NUL-terminated UTF-8 string, read only during the call.
/// catalogue: AIC_CATALOGUE_ANY, or only rows of this catalogue. With AIC_CATALOGUE_DU_EXTENDED_RESULT_CODE a
/// bare number is read as a Device Update code whatever its size, and 8 bare digits as hex (agent 1.1.0).
/// service: AIC_SERVICE_ANY, or only rows that apply to this service.
/// agent_version: AIC_AGENT_VERSION_ANY, or only Device Update meanings that hold for this agent version (an
/// AIC_AGENT_VERSION_ id; aic_agent_version_from_str reads "1.0.2").
/// out: receives the result; cleared (count 0, is_number false) on every error.
/// Returns: AIC_OK (count >= 1); AIC_ERR_EMPTY, AIC_ERR_MALFORMED, AIC_ERR_OUT_OF_RANGE or AIC_ERR_NOT_FOUND for
/// input that does not decode (aic_decode_json gives the message naming the input and what was expected);
/// AIC_ERR_UNKNOWN_CATALOGUE / AIC_ERR_UNKNOWN_SERVICE for ids that are neither a catalogue/service nor ANY;
/// AIC_ERR_INVALID_ARGUMENT for an agent_version that is neither ANY nor an AIC_AGENT_VERSION_ id;
/// AIC_ERR_NULL_ARGUMENT when input or out is NULL; AIC_ERR_INVALID_UTF8. Thread-safe.
///
/// # Safety
/// input is NULL or a NUL-terminated string; out is NULL or valid for writing an aic_decoded.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn aic_decode(
    input: *const c_char,
    catalogue: u32,
    service: u32,
    agent_version: u32,
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
        // SAFETY: `out` is not NULL, the caller guarantees it is valid and aligned for an aic_decoded, and it
        // was initialised above; no other reference to it exists during the call.
        let out = unsafe { &mut *out };
        let result = options(catalogue, service, agent_version).and_then(|options| {
            let decoded =
                decode_with(input, &options).map_err(|e| aic_status::from_kind(e.kind()))?;
            aic_decoded::fill(out, &decoded)
        });
        if result.is_err() {
            // An error part-way through filling leaves no partial answer behind.
            *out = aic_decoded::EMPTY;
        }
        result
    })
}

/// Decodes input like aic_decode and writes the result as one compact JSON document into buf: byte for byte
/// the document `iotcode decode --json` prints for one input (with the same --catalogue, --service,
/// --agent-version and --seed), without its indentation:
/// {"input":"...","matches":[{"catalogue":"service-error","code":401002,"name":...,"description":...,
/// "mitigation":...,"http_status":401,"services":["iot-hub",...],"source":...,"standing":"current",
/// "note":null,"aliases":[],"retry":{"action":"renew-credentials","delay_ms":1184,...}}]}.
/// Device Update rows add "agent_versions" and "action"; extended result code readings add "pattern", "hex",
/// "signed", "unsigned", "layout", "facility", "component", "value", "exit_code", "errno", "extension_code",
/// "delivery_optimization" and "delta_processor_error". Each match's "retry" is the decision of
/// aic_retry_decide for a device's first attempt without Retry-After, for the service asked for or else the
/// match's own, with the jitter seeded by seed. When the input does not decode, "matches" is [] and an
/// "error":{"kind":"not-found","message":"cannot decode \"999\": ... (expected ...)"} object names the input
/// and what was expected. Fields are only ever added in later versions, never renamed or removed. (Text that
/// the CLI reads as a payload or as pasted `az iot central` diagnostics output, such as a line naming
/// _unmodeleddata, is decoded here as a code; aic_decode_payload_json reads it as the CLI does.)
///
/// snprintf convention: at most size bytes are written, always NUL-terminated when size > 0 (a cut document
/// ends before a partial UTF-8 character); *needed receives the length of the whole document without its NUL,
/// so a buffer of *needed + 1 bytes holds it. Call with buf NULL and size 0 to learn the length. The same
/// arguments always give the same document.
///
/// input: a NUL-terminated UTF-8 string, read only during the call.
/// catalogue, service, agent_version: as for aic_decode.
/// seed: seeds the jitter of the retry delays (iotcode's --seed; 0 is its default).
/// buf: the caller's buffer of size bytes; may be NULL only when size is 0. The library keeps no pointer to it.
/// needed: receives the document length; 0 when no document was produced. Must not be NULL.
/// Returns: AIC_ERR_BUFFER_TOO_SMALL whenever the document did not fit (even for input that does not decode:
/// call again with a larger buffer to get both the status and the message); otherwise the status aic_decode
/// would return, with the document written (for AIC_ERR_EMPTY, AIC_ERR_MALFORMED, AIC_ERR_OUT_OF_RANGE and
/// AIC_ERR_NOT_FOUND it carries the error object). Argument errors (AIC_ERR_NULL_ARGUMENT, AIC_ERR_INVALID_UTF8,
/// AIC_ERR_UNKNOWN_CATALOGUE, AIC_ERR_UNKNOWN_SERVICE, AIC_ERR_INVALID_ARGUMENT) produce no document: *needed
/// is 0 and buf holds "" when size > 0. Thread-safe; no allocation.
///
/// # Safety
/// input is NULL or a NUL-terminated string; buf is valid for writing size bytes (or size is 0); needed is NULL
/// or valid for writing a size_t; buf and input do not overlap.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)] // The C signature: plain arguments, no options struct to initialise.
pub unsafe extern "C" fn aic_decode_json(
    input: *const c_char,
    catalogue: u32,
    service: u32,
    agent_version: u32,
    seed: u64,
    buf: *mut c_char,
    size: usize,
    needed: *mut usize,
) -> aic_status {
    guard_status(|| {
        let write = |out: &mut CBuffer<'_>| {
            // SAFETY: the caller guarantees `input` is NULL or a NUL-terminated string not overlapping buf.
            let input = unsafe { str_arg(input) }?;
            let options = options(catalogue, service, agent_version)?;
            let decoded = decode_with(input, &options);
            let doc = DecodeReport::new(input, &decoded, options.service, seed);
            serde_json::to_writer(&mut *out, &doc).map_err(|_| aic_status::AIC_ERR_INTERNAL)?;
            decoded
                .map(|_| ())
                .map_err(|e| aic_status::from_kind(e.kind()))
        };
        // SAFETY: the caller guarantees `buf` is valid for writing `size` bytes (or size is 0) and `needed` NULL
        // or valid for writing a size_t, neither overlapping `input`.
        unsafe { json_into_buffer(buf, size, needed, write) }
    })
}
