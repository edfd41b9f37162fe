//! Device Update: the reading of an extended result code (`aic_erc`), agent versions and layouts.

use core::ffi::{c_char, c_int};
use core::str::FromStr;

use azure_iot_codes::du::{AgentVersion, DuComponent, DuFacility, ErcReading, ExtendedResultCode};
use azure_iot_codes::{Catalogue, DecodeOptions, Meaning, decode_with};

use crate::ffi::{guard, guard_status, str_arg, write_out};
use crate::ids::{AIC_AGENT_VERSION_ANY, agent_version_from_id, agent_version_id, layout_id};
use crate::rows::{
    AGENT_VERSION_NAMES, COMPONENT_NAMES, FACILITY_NAMES, aic_row, index_in, row_of,
};
use crate::status::aic_status;

/// The reading of a Device Update extended result code (ERC): its parts under one layout and everything they
/// decode to. aic_decoded has one per match (ercs[i] belongs to rows[i]); aic_du_erc_parts fills one for any
/// 32-bit value.
///
/// Pointers are NULL when the catalogues have no entry; strings and rows are static (see aic_row). When is_erc
/// is false every other field is 0, false, NULL or "".
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct aic_erc {
    /// Whether this is a Device Update extended result code reading.
    pub is_erc: bool,
    /// The code as unsigned 32 bits (0xE0000083 is 3758096515).
    pub code: u32,
    /// The same bits as the signed number twins show up to agent 1.0.x (-536870781).
    pub signed_code: i32,
    /// The code as "0x" and 8 uppercase hex digits ("0xE0000083"), NUL-terminated.
    pub hex: [c_char; 11],
    /// The layout the code is read with (an AIC_DU_LAYOUT_ id): agents 0.8.0 and later, or 0.6/0.7.
    pub layout: u32,
    /// The facility: bits 31-28.
    pub facility: u32,
    /// The facility's name in this layout ("ADUC_FACILITY_..."), or NULL when the catalogue has none.
    pub facility_name: *const c_char,
    /// Whether the code has a component field: the current layout, except Delivery Optimization (facility 13).
    pub has_component: bool,
    /// The component (bits 27-20) when has_component, else 0.
    pub component: u32,
    /// The component's name, or NULL when there is no component or the catalogue has none.
    pub component_name: *const c_char,
    /// The value field: bits 19-0 in the current layout; bits 27-0 in the legacy layout and for Delivery
    /// Optimization codes.
    pub value: u32,
    /// The agent versions this reading holds for: bit (1u << AIC_AGENT_VERSION_x) for each.
    pub agent_versions: u32,
    /// Whether the code carries a child process's exit code (SWUpdate or script handler, DO or curl
    /// downloader, value >= 0x1000).
    pub has_exit_code: bool,
    /// The exit code when has_exit_code, else 0.
    pub exit_code: u32,
    /// The POSIX errno the code carries (an AIC_CATALOGUE_POSIX_ERRNO row), or NULL.
    pub errno_row: *const aic_row,
    /// The reserved extension code 0-7 the value can be (an AIC_CATALOGUE_DU_EXTENSION_CODE row), or NULL.
    pub extension_row: *const aic_row,
    /// Whether this is a Delivery Optimization code (facility 13): then the do_ fields are set.
    pub has_delivery_optimization: bool,
    /// The Delivery Optimization HRESULT with its error bit restored (0x8xxxxxxx), else 0.
    pub do_hresult: u32,
    /// The HRESULT's facility (25 HTTP, 7 Win32, 208 Delivery Optimization), else 0.
    pub do_facility: u32,
    /// For FACILITY_HTTP codes: the HTTP status; else 0.
    pub do_http_status: u32,
    /// Whether do_win32 holds a Win32 error number (HRESULT facility 7).
    pub has_do_win32: bool,
    /// The Win32 error number when has_do_win32, else 0.
    pub do_win32: u32,
    /// The catalogued HRESULT (an AIC_CATALOGUE_DO_HRESULT row: DO_E_*, HTTP_E_STATUS_*, E_*), or NULL.
    pub do_row: *const aic_row,
    /// For DO-facility codes with a small low word: the errno DO may have wrapped (an AIC_CATALOGUE_POSIX_ERRNO
    /// row; one possible reading), or NULL.
    pub do_xplat_errno_row: *const aic_row,
    /// Whether the code is a delta processor error (facility 9, component 10).
    pub has_delta_processor_error: bool,
    /// The delta processor library's error number when has_delta_processor_error, else 0.
    pub delta_processor_error: u32,
}

impl aic_erc {
    /// No reading.
    pub(crate) const EMPTY: aic_erc = aic_erc {
        is_erc: false,
        code: 0,
        signed_code: 0,
        hex: [0; 11],
        layout: 0,
        facility: 0,
        facility_name: core::ptr::null(),
        has_component: false,
        component: 0,
        component_name: core::ptr::null(),
        value: 0,
        agent_versions: 0,
        has_exit_code: false,
        exit_code: 0,
        errno_row: core::ptr::null(),
        extension_row: core::ptr::null(),
        has_delivery_optimization: false,
        do_hresult: 0,
        do_facility: 0,
        do_http_status: 0,
        has_do_win32: false,
        do_win32: 0,
        do_row: core::ptr::null(),
        do_xplat_errno_row: core::ptr::null(),
        has_delta_processor_error: false,
        delta_processor_error: 0,
    };

    /// The C form of a reading. A row or name the static tables do not hold is a bug: `AIC_ERR_INTERNAL`.
    pub(crate) fn from_reading(r: &ErcReading) -> Result<aic_erc, aic_status> {
        let internal = aic_status::AIC_ERR_INTERNAL;
        let code = r.code();
        let row = |m: Option<&'static Meaning>| -> Result<*const aic_row, aic_status> {
            m.map_or(Ok(core::ptr::null()), |m| {
                row_of(m).map(|r| r as *const aic_row).ok_or(internal)
            })
        };
        let (facility, facility_row) = r.facility();
        let facility_name = match facility_row {
            Some(f) => index_in(DuFacility::all(), f)
                .and_then(|i| FACILITY_NAMES.get(i))
                .ok_or(internal)?
                .as_ptr(),
            None => core::ptr::null(),
        };
        let mut out = aic_erc {
            is_erc: true,
            code: code.as_u32(),
            signed_code: code.as_i32(),
            hex: hex(code.as_u32()),
            layout: layout_id(r.layout()).ok_or(internal)?,
            facility: u32::from(facility),
            facility_name,
            value: r.value(),
            agent_versions: u32::from(r.agent_versions().bits()),
            errno_row: row(r.errno())?,
            extension_row: row(r.extension_code())?,
            ..aic_erc::EMPTY
        };
        if let Some((component, component_row)) = r.component() {
            out.has_component = true;
            out.component = u32::from(component);
            if let Some(c) = component_row {
                out.component_name = index_in(DuComponent::all(), c)
                    .and_then(|i| COMPONENT_NAMES.get(i))
                    .ok_or(internal)?
                    .as_ptr();
            }
        }
        if let Some(exit) = r.exit_code() {
            out.has_exit_code = true;
            out.exit_code = exit;
        }
        if let Some(d) = r.delivery_optimization() {
            out.has_delivery_optimization = true;
            out.do_hresult = d.hresult();
            out.do_facility = u32::from(d.facility());
            out.do_http_status = d.http_status().map_or(0, u32::from);
            if let Some(w) = d.win32() {
                out.has_do_win32 = true;
                out.do_win32 = u32::from(w);
            }
            out.do_row = row(d.row())?;
            out.do_xplat_errno_row = row(d.xplat_errno())?;
        }
        if let Some(e) = r.delta_processor_error() {
            out.has_delta_processor_error = true;
            out.delta_processor_error = e;
        }
        Ok(out)
    }
}

/// "0x" + 8 uppercase hex digits + NUL, the form the JSON's "hex" field has.
fn hex(bits: u32) -> [c_char; 11] {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = [0 as c_char; 11];
    out[0] = b'0' as c_char;
    out[1] = b'x' as c_char;
    for i in 0..8 {
        out[9 - i] = DIGITS[((bits >> (4 * i)) & 0xF) as usize] as c_char;
    }
    out
}

/// The decode options that read `code` as a Device Update code, for one agent version or all.
pub(crate) fn agent_version_arg(agent_version: u32) -> Result<Option<AgentVersion>, aic_status> {
    if agent_version == AIC_AGENT_VERSION_ANY {
        return Ok(None);
    }
    agent_version_from_id(agent_version)
        .map(Some)
        .ok_or(aic_status::AIC_ERR_INVALID_ARGUMENT)
}

/// Reads any 32-bit value as a Device Update extended result code: its parts (facility, component, value),
/// their names and what they carry (exit code, errno, Delivery Optimization HRESULT, ...), without a string
/// round trip. The same reading aic_decode gives first for the code with AIC_CATALOGUE_DU_EXTENDED_RESULT_CODE.
///
/// code: the code's bits; a twin's signed value converts with a cast ((uint32_t)-536870781).
/// agent_version: AIC_AGENT_VERSION_ANY for the most likely reading (the current layout unless only agents
/// 0.6/0.7 name the code), or an AIC_AGENT_VERSION_ id for that version's reading (0.6.0 and 0.7.0 read the
/// legacy layout).
/// out: receives the reading (is_erc true); cleared on every error.
/// Returns: AIC_OK; AIC_ERR_INVALID_ARGUMENT when agent_version is neither ANY nor an AIC_AGENT_VERSION_ id;
/// AIC_ERR_NULL_ARGUMENT when out is NULL. Thread-safe; no allocation.
///
/// # Safety
/// out is NULL or valid for writing an aic_erc.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn aic_du_erc_parts(
    code: u32,
    agent_version: u32,
    out: *mut aic_erc,
) -> aic_status {
    guard_status(|| {
        // SAFETY: the caller guarantees `out` is NULL or valid for writing an aic_erc.
        unsafe { write_out(out, aic_erc::EMPTY) };
        if out.is_null() {
            return Err(aic_status::AIC_ERR_NULL_ARGUMENT);
        }
        let version = agent_version_arg(agent_version)?;
        let reading = first_reading(ExtendedResultCode::new(code), version)?;
        let value = aic_erc::from_reading(&reading)?;
        // SAFETY: as above; `out` is not NULL.
        unsafe { write_out(out, value) };
        Ok(())
    })
}

/// The first reading `decode` gives for `code` as a Device Update code: the input is the code's `0x` form in a
/// stack buffer, so nothing is allocated.
fn first_reading(
    code: ExtendedResultCode,
    version: Option<AgentVersion>,
) -> Result<ErcReading, aic_status> {
    let digits = hex(code.as_u32());
    let mut text = [0u8; 10];
    for (t, d) in text.iter_mut().zip(digits) {
        *t = d as u8;
    }
    let text = core::str::from_utf8(&text).map_err(|_| aic_status::AIC_ERR_INTERNAL)?;
    let mut options = DecodeOptions::new().catalogue(Catalogue::DuExtendedResultCode);
    if let Some(v) = version {
        options = options.agent_version(v);
    }
    // Every 32-bit value has at least one reading (a named row or a pattern), for every agent version.
    let decoded = decode_with(text, &options).map_err(|_| aic_status::AIC_ERR_INTERNAL)?;
    decoded
        .first()
        .and_then(|m| m.erc())
        .ok_or(aic_status::AIC_ERR_INTERNAL)
}

/// Builds an extended result code from its parts in the current layout, as the agent's
/// MAKE_ADUC_EXTENDEDRESULTCODE does: (facility << 28) | (component << 20) | value.
///
/// facility: 0-15. component: 0-255. value: 0-0xFFFFF.
/// out: receives the code; 0 on error.
/// Returns: AIC_OK; AIC_ERR_OUT_OF_RANGE when a part does not fit its field; AIC_ERR_NULL_ARGUMENT when out is
/// NULL. Thread-safe; no allocation.
///
/// # Safety
/// out is NULL or valid for writing a uint32_t.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn aic_du_erc_make(
    facility: u32,
    component: u32,
    value: u32,
    out: *mut u32,
) -> aic_status {
    guard_status(|| {
        // SAFETY: the caller guarantees `out` is NULL or valid for writing a uint32_t.
        unsafe { write_out(out, 0) };
        if out.is_null() {
            return Err(aic_status::AIC_ERR_NULL_ARGUMENT);
        }
        let narrow = |v: u32| u8::try_from(v).map_err(|_| aic_status::AIC_ERR_OUT_OF_RANGE);
        let code = ExtendedResultCode::from_parts(narrow(facility)?, narrow(component)?, value)
            .map_err(|e| aic_status::from_kind(e.kind()))?;
        // SAFETY: as above; `out` is not NULL.
        unsafe { write_out(out, code.as_u32()) };
        Ok(())
    })
}

/// The identifier of a Device Update agent version: "0.6.0", "0.7.0", "0.8.0", "0.8.2", "1.0.0", "1.0.1",
/// "1.0.2" or "1.1.0".
///
/// agent_version: any integer.
/// Returns: a static NUL-terminated string (do not free or modify it), or NULL when agent_version is not an
/// AIC_AGENT_VERSION_ id. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn aic_agent_version_str(agent_version: u32) -> *const c_char {
    guard(core::ptr::null(), || {
        usize::try_from(agent_version)
            .ok()
            .and_then(|i| AGENT_VERSION_NAMES.get(i))
            .map_or(core::ptr::null(), |s| s.as_ptr())
    })
}

/// The agent version id of a version string: "X.Y.Z" or "X.Y", optionally prefixed with "v". A version the
/// catalogues do not list reads as the newest listed one not after it ("1.0.3" is AIC_AGENT_VERSION_1_0_2,
/// "1.2" is AIC_AGENT_VERSION_1_1_0): codes only change with listed versions.
///
/// version: a NUL-terminated string, read only during the call.
/// out: receives the id on success and AIC_AGENT_VERSION_ANY on error. Must not be NULL.
/// Returns: AIC_OK; AIC_ERR_EMPTY; AIC_ERR_MALFORMED ("1.x"); AIC_ERR_OUT_OF_RANGE (a part above 65535);
/// AIC_ERR_NOT_FOUND (older than 0.6.0); AIC_ERR_NULL_ARGUMENT when version or out is NULL;
/// AIC_ERR_INVALID_UTF8. Thread-safe.
///
/// # Safety
/// version is NULL or a NUL-terminated string; out is NULL or valid for writing a uint32_t.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn aic_agent_version_from_str(
    version: *const c_char,
    out: *mut u32,
) -> aic_status {
    guard_status(|| {
        // SAFETY: the caller guarantees `out` is NULL or valid for writing a uint32_t.
        unsafe { write_out(out, AIC_AGENT_VERSION_ANY) };
        // SAFETY: the caller guarantees `version` is NULL or a NUL-terminated string.
        let text = unsafe { str_arg(version) }?;
        if out.is_null() {
            return Err(aic_status::AIC_ERR_NULL_ARGUMENT);
        }
        let v = AgentVersion::from_str(text).map_err(|e| aic_status::from_kind(e.kind()))?;
        let id = agent_version_id(v).ok_or(aic_status::AIC_ERR_INTERNAL)?;
        // SAFETY: as above; `out` is not NULL.
        unsafe { write_out(out, id) };
        Ok(())
    })
}

/// Layout identifiers by id, as the Rust crate serializes `DuLayout`.
pub(crate) const LAYOUT_NAMES: [&core::ffi::CStr; 2] = [c"current", c"legacy"];

/// The identifier of an extended result code layout: "current" or "legacy".
///
/// layout: any integer.
/// Returns: a static NUL-terminated string (do not free or modify it), or NULL when layout is not an
/// AIC_DU_LAYOUT_ id. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn aic_du_layout_str(layout: u32) -> *const c_char {
    guard(core::ptr::null(), || {
        usize::try_from(layout)
            .ok()
            .and_then(|i| LAYOUT_NAMES.get(i))
            .map_or(core::ptr::null(), |s| s.as_ptr())
    })
}

/// Whether a Device Update resultCode reports success: the agent's rule is resultCode > 0 (700 is apply
/// success, 200 idle success, 0 failure, -1 cancelled), not the HTTP convention the documentation suggests.
///
/// Returns: 1 for success, 0 otherwise. Thread-safe; never fails.
#[unsafe(no_mangle)]
pub extern "C" fn aic_du_result_code_is_success(result_code: i32) -> c_int {
    guard(0, || {
        c_int::from(azure_iot_codes::du::result_code_is_success(result_code))
    })
}
