//! The decode document of one code: what the C API's `aic_decode_json` writes (and other bindings can), in the
//! shape `iotcode decode --json` prints for a code. The CLI builds its document with its own types, since pasted
//! `az iot central` output adds a `central` object there, but takes each match's retry decision from
//! [`first_decision`] like this module does; `bindings/c/test.sh` compares the two byte for byte.
//!
//! ```json
//! {"input": "401002",
//!  "matches": [{"catalogue": "service-error", "code": 401002, "name": "IotHubUnauthorizedAccess", ...,
//!               "retry": {"action": "renew-credentials", "delay_ms": 1184, ...}}],
//!  "error": {"kind": "not-found", "message": "cannot decode ..."}}      (only when the input did not decode)
//! ```
//!
//! Each match carries its own fields ([`Match`]'s serialization: the row, plus the Device Update reading for
//! extended result codes) and a `retry` object: the [`Decision`] for a device's first attempt, for the service
//! the decode was narrowed to or else the row's own ([`first_decision`]). Serializing allocates nothing.

use serde::ser::{SerializeSeq, SerializeStruct};
use serde::{Serialize, Serializer};

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
    let mut ctx = Context::new();
    ctx.service = service;
    retry::decide(m, &ctx, &mut SplitMix64::new(seed))
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
                service: self.service,
                seed: self.seed,
            },
        )?;
        match error {
            Some(e) => st.serialize_field(
                "error",
                &ErrorDoc {
                    kind: e.kind().as_str(),
                    message: DisplayStr(e),
                },
            )?,
            None => st.skip_field("error")?,
        }
        st.end()
    }
}

struct Matches<'a> {
    matches: &'a [Match],
    service: Option<Service>,
    seed: u64,
}

impl Serialize for Matches<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.matches.len()))?;
        for m in self.matches {
            seq.serialize_element(&MatchDoc {
                matched: m,
                retry: first_decision(m, self.service, self.seed),
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

#[derive(Serialize)]
struct ErrorDoc<'a> {
    kind: &'static str,
    message: DisplayStr<'a>,
}

/// Serializes an error through its `Display`, straight into the output (no intermediate `String`).
struct DisplayStr<'a>(&'a Error);

impl Serialize for DisplayStr<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self.0)
    }
}
