//! Version macros and `aic_version`.

use core::ffi::{CStr, c_char};

use crate::ffi::guard;

/// Major version of the header (the library's is in aic_version()).
pub const AIC_VERSION_MAJOR: u32 = 0;
/// Minor version of the header.
pub const AIC_VERSION_MINOR: u32 = 1;
/// Patch version of the header.
pub const AIC_VERSION_PATCH: u32 = 0;

/// The crate version with a NUL, checked at compile time.
const VERSION: &CStr =
    match CStr::from_bytes_with_nul(concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes()) {
        Ok(v) => v,
        Err(_) => panic!("CARGO_PKG_VERSION contains a NUL byte"),
    };

/// The version of the library that is linked, e.g. "0.1.0": compare it with AIC_VERSION_MAJOR/MINOR/PATCH to
/// detect a header and a shared library from different releases.
///
/// Returns: a static NUL-terminated string, never NULL. Do not free or modify it. Thread-safe; never fails.
#[unsafe(no_mangle)]
pub extern "C" fn aic_version() -> *const c_char {
    guard(VERSION.as_ptr(), || VERSION.as_ptr())
}
