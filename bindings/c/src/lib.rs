//! The C API of azure-iot-codes: `libazure_iot_codes.a`, `libazure_iot_codes.so` and
//! `include/azure_iot_codes.h` (generated from this crate by cbindgen; see README.md).
//!
//! Every exported function is prefixed `aic_`, takes catalogue, service and status values as plain integers
//! (mapped by table lookup, never transmuted into a Rust enum), runs its body inside [`ffi::guard`] so no panic
//! unwinds into C, and documents ownership, lifetime, NULL handling and thread-safety in its doc comment, which
//! cbindgen copies into the header. Strings handed to C are static; nothing needs freeing.
//!
//! Adding a function: put it in the module of its subject (`rows`, `decode`, `du`, `retry`, ...),
//! `#[unsafe(no_mangle)] pub (unsafe) extern "C" fn aic_...`, body in `guard_status`/`guard`, then regenerate the
//! header with `bindings/c/update-header.sh` and extend `tests/c/test_aic.c` and the differential tests.
#![deny(unsafe_op_in_unsafe_fn)]
#![deny(clippy::undocumented_unsafe_blocks)]
#![deny(missing_docs)]
// The C names (`aic_row`, `AIC_OK`) are the API; cbindgen copies them verbatim.
#![allow(non_camel_case_types)]

// Declaration order is the order of the functions in the header.
mod decode;
mod du;
mod ffi;
mod ids;
mod payload;
mod retry;
mod rows;
mod status;
mod version;

#[cfg(test)]
mod tests;

pub use decode::{aic_decode, aic_decode_json, aic_decoded, aic_number_form_str};
pub use du::{
    aic_agent_version_from_str, aic_agent_version_str, aic_du_erc_make, aic_du_erc_parts,
    aic_du_layout_str, aic_du_result_code_is_success, aic_erc,
};
pub use ids::*;
pub use payload::aic_decode_payload_json;
pub use retry::*;
pub use rows::{
    AIC_MATCHES_CAPACITY, aic_catalogue_count, aic_catalogue_from_str, aic_catalogue_rows,
    aic_catalogue_str, aic_lookup_name, aic_lookup_number, aic_matches, aic_row,
    aic_service_from_str, aic_service_str, aic_standing_str,
};
pub use status::{aic_status, aic_status_str};
pub use version::{AIC_VERSION_MAJOR, AIC_VERSION_MINOR, AIC_VERSION_PATCH, aic_version};
