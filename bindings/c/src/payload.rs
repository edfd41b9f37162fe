//! `aic_decode_payload_json`: any input `iotcode decode` reads (a code, a payload, pasted `az iot central`
//! output) to the document the CLI prints for it.
//!
//! The document is `azure_iot_codes::report::InputReport`, which the CLI serializes too; `tests.rs` checks it
//! against the Rust API and `test.sh` against the CLI, byte for byte, over every fixture of the repository.

use core::ffi::c_char;

use azure_iot_codes::report::{InputReport, Reading, ReportOptions};

use crate::decode::options;
use crate::ffi::{CBuffer, bytes_arg, guard_status, json_into_buffer, str_arg};
use crate::status::aic_status;

/// Decodes any input iotcode's `decode` reads, and writes the document `iotcode decode --json` prints for it as
/// one compact JSON document into buf: byte for byte the CLI's document (with the same --catalogue, --service,
/// --agent-version, --seed and --retry-after, and the default --max-bytes), without its indentation.
///
/// One function for everything a person pastes: the input is read as pasted `az iot central` output (the
/// diagnostics commands, `device registration-info`) when it looks like it and catalogue is
/// AIC_CATALOGUE_ANY; else as a payload when it looks like one: an MQTT response topic ($dps/registrations/res/..,
/// $iothub/twin/res/.., $iothub/methods/res/..), optionally followed by its JSON body on the next line, an
/// `iothub-errorcode:` header line, a JSON body (DPS error or registration response, IoT Hub error, Device
/// Update twin, registration-info output, AzureDiagnostics row) or a CSV header line and one AzureDiagnostics
/// row; else as a code, exactly as aic_decode_json reads it (for a code, and retry_after NULL, the document is
/// aic_decode_json's). The document:
/// {"input":"...","matches":[...],"payload":{...},"error":{...},"central":{...}}.
/// "matches" has every meaning found, each with its "retry" decision (as in aic_decode_json): a code's
/// meanings; every meaning of every code a payload carries, each once; the catalogue rows of the findings of
/// pasted output. "payload" (payloads, and registration-info output) is {"kind":"dps-error","service":"dps",
/// "failure":true,"retry":{...} or null,"context":{"tracking_id":...,...},"topic":{...} (a topic followed by
/// a body),"codes":[{"field":"errorCode","value":"401002","catalogue":"service-error","matches":[{"catalogue",
/// "code","name","standing","description","mitigation"}],"error":{...} (a code no catalogue has)}],
/// "parsed":{the typed fields of the payload},"warnings":[...] (parts that could not be read)}. "central" is
/// everything read from pasted output (findings, events, property changes, registrations, notices, lines not
/// understood). "error":{"kind":"truncated","message":"... at line 1 column 16 (expected ...)"} appears, with
/// "matches" [], when the input could not be read at all. Fields are only ever added in later versions, never
/// renamed or removed.
///
/// snprintf convention, as aic_decode_json: at most size bytes are written, always NUL-terminated when
/// size > 0 (a cut document ends before a partial UTF-8 character); *needed receives the length of the whole
/// document without its NUL, so a buffer of *needed + 1 bytes holds it. Call with buf NULL and size 0 to learn
/// the length. The same arguments always give the same document.
///
/// input: input_len bytes of UTF-8 text (no NUL terminator needed; a NUL byte is part of the text), read only
/// during the call. Must not be NULL, even when input_len is 0.
/// catalogue, service, agent_version: as for aic_decode. The service and agent version also narrow the codes
/// a payload carries; a catalogue turns off the reading of pasted az iot central output.
/// seed: seeds the jitter of every retry delay in the document (iotcode's --seed; 0 is its default).
/// retry_after: NULL, or the Retry-After header that came with the response (seconds or an HTTP-date; iotcode's
/// --retry-after), used by the decisions of codes and payloads in place of a topic's retry-after=. A value
/// that cannot be read is not an error: the decisions say it was ignored.
/// now_unix: the current time in seconds since 1970, needed only for an HTTP-date retry_after; 0 if unknown.
/// buf: the caller's buffer of size bytes; may be NULL only when size is 0. The library keeps no pointer to it.
/// needed: receives the document length; 0 when no document was produced. Must not be NULL.
/// Returns: AIC_ERR_BUFFER_TOO_SMALL whenever the document did not fit (call again with a larger buffer to get
/// the final status); otherwise AIC_OK when the input was read, even when the document reports parts it could
/// not read (a code no catalogue has in "payload"."codes"[i]."error", lines in "central"."unrecognised"; iotcode
/// exits 1 for those); or the status of the "error" object when the input could not be read: AIC_ERR_EMPTY,
/// AIC_ERR_MALFORMED, AIC_ERR_OUT_OF_RANGE, AIC_ERR_NOT_FOUND (a code), AIC_ERR_TOO_LARGE (a payload over 1 MiB,
/// pasted output over its limit), AIC_ERR_TOO_DEEP, AIC_ERR_TRUNCATED, AIC_ERR_INVALID_JSON,
/// AIC_ERR_INVALID_TOPIC, AIC_ERR_INVALID_CSV, AIC_ERR_UNKNOWN_SHAPE, AIC_ERR_INVALID_FIELD, with the document
/// written. Argument errors produce no document (*needed is 0 and buf holds "" when size > 0):
/// AIC_ERR_NULL_ARGUMENT, AIC_ERR_INVALID_UTF8 (input or retry_after is not UTF-8), AIC_ERR_UNKNOWN_CATALOGUE,
/// AIC_ERR_UNKNOWN_SERVICE, AIC_ERR_INVALID_ARGUMENT (an agent_version that is neither ANY nor an
/// AIC_AGENT_VERSION_ id, or input_len above PTRDIFF_MAX). Thread-safe. Unlike every other function, it
/// allocates: the payload decoder builds its parse on the heap, and frees all of it before returning.
///
/// # Safety
/// input is NULL or valid for reading input_len bytes; retry_after is NULL or a NUL-terminated string; buf is
/// valid for writing size bytes (or size is 0); needed is NULL or valid for writing a size_t; buf overlaps
/// neither input nor retry_after.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)] // The C signature: plain arguments, no options struct to initialise.
pub unsafe extern "C" fn aic_decode_payload_json(
    input: *const u8,
    input_len: usize,
    catalogue: u32,
    service: u32,
    agent_version: u32,
    seed: u64,
    retry_after: *const c_char,
    now_unix: u64,
    buf: *mut c_char,
    size: usize,
    needed: *mut usize,
) -> aic_status {
    guard_status(|| {
        let write = |out: &mut CBuffer<'_>| {
            // SAFETY: the caller guarantees `input` is NULL or valid for reading `input_len` bytes that do
            // not overlap buf.
            let bytes = unsafe { bytes_arg(input, input_len) }?;
            let text = core::str::from_utf8(bytes).map_err(|_| aic_status::AIC_ERR_INVALID_UTF8)?;
            let retry_after = if retry_after.is_null() {
                None
            } else {
                // SAFETY: the caller guarantees `retry_after` is a NUL-terminated string not overlapping
                // buf.
                Some(unsafe { str_arg(retry_after) }?)
            };
            let mut report = ReportOptions::new()
                .decode(options(catalogue, service, agent_version)?)
                .seed(seed);
            report.retry_after = retry_after;
            report.now_unix = (now_unix != 0).then_some(now_unix);
            let reading = Reading::read(text, &report);
            serde_json::to_writer(&mut *out, &InputReport::new(text, &reading, &report))
                .map_err(|_| aic_status::AIC_ERR_INTERNAL)?;
            reading
                .error()
                .map_or(Ok(()), |e| Err(aic_status::from_kind(e.kind())))
        };
        // SAFETY: the caller guarantees `buf` is valid for writing `size` bytes (or size is 0) and `needed` NULL
        // or valid for writing a size_t, neither overlapping `input` or `retry_after`.
        unsafe { json_into_buffer(buf, size, needed, write) }
    })
}
