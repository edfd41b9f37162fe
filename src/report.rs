//! The documents `iotcode decode --json` prints, one serializer for the CLI, the C API and the WASM module.
//!
//! - [`DecodeReport`]: the document of one code, what the C API's `aic_decode_json` writes. No allocation, no
//!   `alloc` feature needed.
//! - [`InputReport`] (`alloc` feature): the document of any input `iotcode decode` reads, read by
//!   [`Reading::read`]: a code (the same document as [`DecodeReport`]), a payload ([`crate::payload`]: an MQTT
//!   response topic, a DPS / IoT Hub JSON body, an `iothub-errorcode:` header, a Device Update twin, an
//!   AzureDiagnostics row) with its [`PayloadReport`] under `payload`, or pasted `az iot central` output
//!   ([`crate::central`]) with its report under `central`. The C API's `aic_decode_payload_json` writes it, and
//!   the WASM module's `decodePayload` returns it as a JavaScript object.
//! - [`PayloadReport`] (`alloc` feature): a payload's own part, which `iotcode annotate` also adds to records.
//!
//! `bindings/c/test.sh` compares the C API's documents with the CLI's byte for byte.
//!
//! ```json
//! {"input": "401002",
//!  "matches": [{"catalogue": "service-error", "code": 401002, "name": "IotHubUnauthorizedAccess", ...,
//!               "retry": {"action": "renew-credentials", "delay_ms": 1184, ...}}],
//!  "payload": {"kind": "dps-error", ...},                               (only for a payload)
//!  "error": {"kind": "not-found", "message": "cannot decode ..."},      (only when the input did not decode)
//!  "central": {"findings": [...], ...}}                                 (only for pasted az iot central output)
//! ```
//!
//! Each match carries its own fields ([`Match`]'s serialization: the row, plus the Device Update reading for
//! extended result codes) and a `retry` object: the [`Decision`] for a device's first attempt, for the service
//! the decode was narrowed to or else the row's own ([`first_decision`]). Serializing a [`DecodeReport`]
//! allocates nothing.

use serde::ser::{SerializeSeq, SerializeStruct};
use serde::{Serialize, Serializer};

#[cfg(feature = "alloc")]
mod input;

#[cfg(feature = "alloc")]
pub use input::{InputReport, PayloadReport, Reading, ReportOptions};

use crate::catalogue::Service;
use crate::decode::{Decoded, Match};
use crate::error::Error;
use crate::retry::{self, Context, Decision, SplitMix64};

/// The decode document of one input. Build it from the result of [`crate::decode_with`] and serialize it.
///
/// ```
/// use azure_iot_codes::report::DecodeReport;
/// use azure_iot_codes::{decode_with, DecodeOptions};
///
/// let options = DecodeOptions::new();
/// let result = decode_with("401002", &options);
/// let doc = serde_json::to_value(DecodeReport::new("401002", &result, options.service, 0)).unwrap();
/// assert_eq!(doc["input"], "401002");
/// assert_eq!(doc["matches"][0]["name"], "IotHubUnauthorizedAccess");
/// assert_eq!(doc["matches"][0]["retry"]["action"], "renew-credentials");
/// assert!(doc.get("error").is_none());
///
/// let result = decode_with("999", &options);
/// let doc = serde_json::to_value(DecodeReport::new("999", &result, None, 0)).unwrap();
/// assert_eq!(doc["matches"], serde_json::json!([]));
/// assert_eq!(doc["error"]["kind"], "not-found");
/// ```
#[derive(Debug, Clone, Copy)]
pub struct DecodeReport<'a> {
    input: &'a str,
    result: &'a Result<Decoded, Error>,
    service: Option<Service>,
    seed: u64,
}

impl<'a> DecodeReport<'a> {
    /// The document for `input`, which decoded to `result`. `service` is the service the decode was narrowed
    /// to (it is also the service of each retry decision); `seed` seeds the jitter of the retry delays (one
    /// generator per match, so each match's delay depends only on the seed).
    pub const fn new(
        input: &'a str,
        result: &'a Result<Decoded, Error>,
        service: Option<Service>,
        seed: u64,
    ) -> DecodeReport<'a> {
        DecodeReport {
            input,
            result,
            service,
            seed,
        }
    }
}

/// The retry decision the decode document shows for a match: a device's first attempt with no Retry-After, for
/// `service` or else the match's own service, with the jitter seeded by `seed`.
///
/// ```
/// use azure_iot_codes::{decode, report::first_decision, retry::Action, Service};
/// let d = decode("429").unwrap();
/// let r = first_decision(&d[0], Some(Service::Dps), 0);
/// assert_eq!(r.action(), Action::Retry);
/// assert_eq!(r.service(), Service::Dps);
/// ```
pub fn first_decision(m: &Match, service: Option<Service>, seed: u64) -> Decision {
    retry::decide(m, &first_context(service), &mut SplitMix64::new(seed))
}

/// A device's first attempt, for `service` (or the outcome's own), no Retry-After.
const fn first_context<'a>(service: Option<Service>) -> Context<'a> {
    let mut ctx = Context::new();
    ctx.service = service;
    ctx
}

impl Serialize for DecodeReport<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let error = self.result.as_ref().err();
        let mut st = s.serialize_struct("DecodeReport", if error.is_some() { 3 } else { 2 })?;
        st.serialize_field("input", self.input)?;
        st.serialize_field(
            "matches",
            &Matches {
                matches: self.result.as_ref().map_or(&[], |d| d.matches()),
                ctx: first_context(self.service),
                seed: self.seed,
            },
        )?;
        match error {
            Some(e) => st.serialize_field("error", &ErrorDoc::of(e))?,
            None => st.skip_field("error")?,
        }
        st.end()
    }
}

/// Matches, each with the decision in `ctx` (jitter seeded by `seed`, one generator per match).
struct Matches<'a> {
    matches: &'a [Match],
    ctx: Context<'a>,
    seed: u64,
}

impl Serialize for Matches<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.matches.len()))?;
        for m in self.matches {
            seq.serialize_element(&MatchDoc {
                matched: m,
                retry: retry::decide(m, &self.ctx, &mut SplitMix64::new(self.seed)),
            })?;
        }
        seq.end()
    }
}

/// A match's fields followed by `retry`.
struct MatchDoc<'a> {
    matched: &'a Match,
    retry: Decision,
}

impl Serialize for MatchDoc<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = self
            .matched
            .serialize_fields(s.serialize_struct("Match", 27)?)?;
        st.serialize_field("retry", &self.retry)?;
        st.end()
    }
}

/// An error as `{"kind", "message"}`.
#[derive(Serialize)]
struct ErrorDoc<'a> {
    kind: &'static str,
    message: DisplayStr<'a>,
}

impl<'a> ErrorDoc<'a> {
    fn of(e: &'a Error) -> ErrorDoc<'a> {
        ErrorDoc {
            kind: e.kind().as_str(),
            message: DisplayStr(e),
        }
    }
}

/// Serializes an error through its `Display`, straight into the output (no intermediate `String`).
struct DisplayStr<'a>(&'a Error);

impl Serialize for DisplayStr<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self.0)
    }
}
