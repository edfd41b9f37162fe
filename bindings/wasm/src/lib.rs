//! # azure-iot-codes-wasm
//!
//! The WebAssembly binding of [`azure_iot_codes`], built with wasm-bindgen into the npm package
//! `azure-iot-codes` (see `build.sh` and `README.md` beside this crate).
//!
//! The JavaScript API, in camelCase, with TypeScript types written next to each function:
//! - `decode(input, options?)` (module `decode`): any form of a code to every row it can mean, Device Update
//!   extended result codes with their facility, component and value (module `du`);
//! - `lookup(catalogue, code)` and `catalogues()` (module `catalogue`): one catalogue's rows, the catalogues;
//! - `classifyRetry(code, options?)` and `nextDelays(code, options?)` (module `retry`): the next action after a
//!   failure, its delay and reason, and the schedule of the following attempts;
//! - `decodePayload(text, options?)` (module `payload`, with `to_js`; feature `payload`, on by default):
//!   anything `iotcode decode` reads (MQTT topics, DPS / IoT Hub bodies, Device Update twins, log rows, pasted
//!   `az iot central` output, codes) to the document the CLI prints, in camelCase. build.sh builds the module
//!   twice: without the feature for the package's main entry, with it for `azure-iot-codes/payload`;
//! - `AzureIotCodesError` (module `error`): the `Error` subclass every function throws on bad input.
//!
//! Results are plain objects built by module `object`; module `options` reads arguments and options objects. Every exported function returns `Result<_, Rejection>`
//! and the binding has no panicking path (clippy denies `unwrap`, `expect`, `panic!` and slice indexing here):
//! on wasm32 a panic aborts the instance, so bad input must be an exception the caller can catch, after which
//! the module keeps answering. No panic hook is installed; it would only make a panic readable, not harmless.
//!
//! One module per JavaScript function family: a new family is a new module with its `#[wasm_bindgen]`
//! functions, its TypeScript section, and a `mod` line here.
#![deny(missing_docs)]
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::unreachable,
    clippy::todo,
    clippy::unimplemented
)]
#![cfg_attr(
    test,
    allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)
)]

mod catalogue;
mod decode;
mod du;
mod error;
mod number;
mod object;
mod options;
#[cfg(feature = "payload")]
mod payload;
mod retry;
#[cfg(feature = "payload")]
mod to_js;
mod ts;

pub use catalogue::{catalogues, lookup};
pub use decode::decode;
pub use error::{AzureIotCodesError, Rejection};
#[cfg(feature = "payload")]
pub use payload::decode_payload;
pub use retry::{classify_retry, next_delays};
