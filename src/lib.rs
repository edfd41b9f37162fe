//! # azure-iot-codes
//!
//! Turns the codes Azure IoT devices and services report into meaning and into the next action: HTTP statuses
//! as DPS, IoT Hub and IoT Central return them, six-digit IoT Hub / DPS error codes, IoT Central authorization
//! sub-errors and device statuses, DPS registration statuses and substatuses, and MQTT CONNACK return codes.
//!
//! Every catalogue is a CSV file under `data/`, validated and compiled by `build.rs` into perfect-hash tables:
//! a multiply-shift hash for numeric keys, a hash-and-displace one over case-folded bytes for names. Each row cites its source, and where sources
//! disagree every meaning is kept and returned, today's first.
//!
//! ```
//! use azure_iot_codes::{decode, Catalogue, ServiceErrorCode};
//!
//! // Any textual form: a number, hex, a name, "<status> <reason>".
//! let d = decode("404103").unwrap();
//! assert_eq!(d[0].name(), "DeviceNotOnline");
//! println!("{}: {}", d[0].description(), d[0].mitigation());
//!
//! // Typed lookups.
//! let code = ServiceErrorCode::IOT_HUB_QUOTA_EXCEEDED;
//! assert_eq!(code.as_u32(), 403002);
//! assert_eq!(Catalogue::ServiceError.lookup_number(403002)[0].name(), "IotHubQuotaExceeded");
//! ```
//!
//! [`retry`] turns any of these codes, with the context of the call, into the next action (`retry`,
//! `re-register`, `renew-credentials`, ...), a jittered delay that honours `Retry-After`, and a reason.
//!
//! [`payload`] finds the codes where they appear: MQTT response topics, DPS and IoT Hub bodies, the
//! `iothub-errorcode` header, Device Update twins, the IoT Central CLI's output and Log Analytics rows.
//!
//! ## Features
//! - `std` (default): implies `alloc`; enables serde's std support. Without default features the crate is
//!   `#![no_std]` and needs no allocator: lookups, [`decode`] and the typed API all work on a microcontroller.
//! - `alloc`: serde's alloc support, [`central::parse`], the reader of pasted `az iot central` diagnostics
//!   output, and the JSON half of [`payload`] (through `serde_json`). Topic and header parsing in
//!   [`payload`] need neither feature.
#![cfg_attr(not(feature = "std"), no_std)]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

#[cfg(feature = "alloc")]
extern crate alloc;

/// `Display` ("a,b") and `Serialize` (an array) for a bit-set newtype whose `iter()` yields items with
/// `as_str()` (`Services`, `du::AgentVersions`).
macro_rules! list_set_impls {
    ($set:ty) => {
        impl core::fmt::Display for $set {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                for (i, item) in self.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    f.write_str(item.as_str())?;
                }
                Ok(())
            }
        }

        impl serde::Serialize for $set {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeSeq;
                let mut seq = s.serialize_seq(Some(self.0.count_ones() as usize))?;
                for item in self.iter() {
                    seq.serialize_element(&item)?;
                }
                seq.end()
            }
        }
    };
}

mod catalogue;
pub mod central;
mod codes;
mod decode;
pub mod du;
mod error;
mod name_hash;
mod number;
pub mod payload;
pub mod report;
pub mod retry;
mod scan;

pub use catalogue::{
    AuthSubError, Catalogue, Code, DpsLogCategory, DpsMetric, DpsRegistrationStatus,
    DpsRegistrationSubstatus, IotCentralExport, IotCentralStatus, IotCentralUnmodeledCause,
    MAX_MATCHES, Meaning, MqttConnack, Service, Services, Standing, lookup_name, rows,
};
pub use codes::{HttpStatus, ServiceErrorCode};
pub use decode::{
    DECODE_EXPECTED, DecodeOptions, Decoded, Match, decode, decode_bytes, decode_bytes_with,
    decode_with,
};
pub use error::{Detail, Error, ErrorKind, INPUT_SNIPPET_LEN};
pub use number::{NUMBER_EXPECTED, NumberForm, ParsedNumber, parse_number};
