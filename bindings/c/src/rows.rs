//! Catalogue rows as C sees them (`aic_row`), the identifiers of catalogues, services and standings, listing a
//! catalogue and looking a code up by number or by name.

use core::ffi::{CStr, c_char};

use azure_iot_codes::{Catalogue, MAX_MATCHES, Meaning, Service};

use crate::ffi::{guard, guard_status, str_arg, write_out};
use crate::ids::{self, catalogue_from_id};
use crate::status::aic_status;

/// One row of a catalogue: one meaning of one code, what to do about it and where the facts come from.
///
/// Rows live in static read-only storage inside the library: every pointer in a row, and every pointer to a row
/// that a function hands out, stays valid until the library is unloaded. Never free or modify them. Every string
/// is NUL-terminated UTF-8 and never NULL (an absent value is "").
#[repr(C)]
#[derive(Debug)]
pub struct aic_row {
    /// The catalogue (an AIC_CATALOGUE_ id).
    pub catalogue: u32,
    /// Whether the code is a number (then `number` holds it); else it is text such as "DEVICE_DISABLED".
    pub code_is_number: bool,
    /// The code when code_is_number, else 0. A signed code is given as its 32-bit two's-complement pattern
    /// (-1 is 4294967295): the number aic_lookup_number finds it by.
    pub number: u32,
    /// Whether the code is a signed number, such as the Device Update resultCode -1 (then code_is_number is
    /// true too, signed_number holds the value and code reads "-1").
    pub code_is_signed: bool,
    /// The code when code_is_signed, else 0.
    pub signed_number: i32,
    /// The code as text: decimal for numeric codes ("404001"), else the identifier as the service spells it.
    pub code: *const c_char,
    /// The name services and SDKs use ("DeviceNotFound", "Not Found", "assigning").
    pub name: *const c_char,
    /// alias_count other spellings that also decode to this row; NULL when alias_count is 0.
    pub aliases: *const *const c_char,
    /// Number of entries in aliases.
    pub alias_count: usize,
    /// The HTTP status this meaning travels with, or 0 when it has none.
    pub http_status: u32,
    /// The services the meaning applies to: bit (1u << AIC_SERVICE_x) is set for each.
    pub services: u32,
    /// Whether this is today's meaning or one kept from a disagreeing or older source (an AIC_STANDING_ id).
    pub standing: u32,
    /// For Device Update rows: the agent versions the meaning holds for, bit (1u << AIC_AGENT_VERSION_x) for
    /// each; 0 for rows that do not depend on the agent version.
    pub agent_versions: u32,
    /// For Device Update resultCode rows: the action the code reports on ("download", "install", "apply",
    /// ...); "" elsewhere.
    pub action: *const c_char,
    /// For IoT Central export destinations: the role (permission) the application's managed identity needs on
    /// the destination ("Azure Event Hubs Data Sender"); "" elsewhere.
    pub role: *const c_char,
    /// What happened, in a sentence or two.
    pub description: *const c_char,
    /// What to do about it; "" in the posix-errno reference table.
    pub mitigation: *const c_char,
    /// Where the facts come from: "owner/repo:path@commit" or a documentation URL, several joined by " | ".
    pub source: *const c_char,
    /// Disagreements between sources and other caveats; "" when there are none.
    pub note: *const c_char,
}

// SAFETY: every pointer in an `aic_row` points to static, immutable data (string literals and static arrays of
// them, see build.rs); nothing ever writes through them, so sharing rows between threads is sound.
unsafe impl Sync for aic_row {}

/// A static list of C strings (the aliases of one row).
#[repr(transparent)]
struct StrList<const N: usize>([*const c_char; N]);

// SAFETY: the pointers point to static, immutable string literals; nothing writes through them.
unsafe impl<const N: usize> Sync for StrList<N> {}

include!(concat!(env!("OUT_DIR"), "/rows.rs"));

/// How many matches aic_matches and aic_decoded can hold: the most any one input can have (the Rust crate's
/// MAX_MATCHES, derived from the catalogues when it is built), so no answer is ever cut short.
pub const AIC_MATCHES_CAPACITY: usize = 27;

// cbindgen needs a literal for the header; this keeps it equal to the core crate's bound. When the catalogues
// change MAX_MATCHES the build stops here: update the literal, regenerate the header (an ABI change).
const _: () = assert!(
    MAX_MATCHES == AIC_MATCHES_CAPACITY,
    "AIC_MATCHES_CAPACITY differs from azure_iot_codes::MAX_MATCHES: set it to MAX_MATCHES and regenerate the \
     header (an ABI change)"
);

/// The rows a lookup found, most likely first.
///
/// rows[0] to rows[count - 1] point to static rows (see aic_row); the remaining entries are NULL.
#[repr(C)]
#[derive(Debug)]
pub struct aic_matches {
    /// Number of rows found.
    pub count: usize,
    /// The rows found.
    pub rows: [*const aic_row; AIC_MATCHES_CAPACITY],
}

impl aic_matches {
    pub(crate) const EMPTY: aic_matches = aic_matches {
        count: 0,
        rows: [core::ptr::null(); AIC_MATCHES_CAPACITY],
    };

    /// Collects `found`; an empty result is `AIC_ERR_NOT_FOUND`.
    pub(crate) fn collect<'a>(
        found: impl IntoIterator<Item = &'a Meaning>,
    ) -> Result<aic_matches, aic_status> {
        let mut out = aic_matches::EMPTY;
        for m in found {
            let slot = out
                .rows
                .get_mut(out.count)
                .ok_or(aic_status::AIC_ERR_INTERNAL)?;
            *slot = row_of(m).ok_or(aic_status::AIC_ERR_INTERNAL)?;
            out.count += 1;
        }
        if out.count == 0 {
            return Err(aic_status::AIC_ERR_NOT_FOUND);
        }
        Ok(out)
    }
}

/// The C row of a Rust row.
///
/// `Catalogue::rows()` is one slice and the table in `ROWS` follows its order, so the index is the distance
/// from the slice's start, in rows. Computed on addresses (no pointer is dereferenced) and checked with
/// `ptr::eq`, so a row that is not in the slice gives `None`, never a wrong row.
pub(crate) fn row_of(m: &Meaning) -> Option<&'static aic_row> {
    let catalogue = m.catalogue();
    let index = index_in(catalogue.rows(), m)?;
    let start = *CATALOGUE_STARTS.get(usize::try_from(ids::catalogue_id(catalogue)?).ok()?)?;
    ROWS.get(start + index)
}

/// The index of `item` in `all` by address (no comparison of contents), or `None` when it is not an element.
pub(crate) fn index_in<T>(all: &[T], item: &T) -> Option<usize> {
    let size = core::mem::size_of::<T>().max(1);
    let offset = (item as *const T as usize).checked_sub(all.as_ptr() as usize)?;
    let index = offset / size;
    core::ptr::eq(all.get(index)?, item).then_some(index)
}

/// The rows of one catalogue as a slice of the static table.
pub(crate) fn catalogue_rows(catalogue: Catalogue) -> Option<&'static [aic_row]> {
    let id = usize::try_from(ids::catalogue_id(catalogue)?).ok()?;
    let (start, end) = (*CATALOGUE_STARTS.get(id)?, *CATALOGUE_STARTS.get(id + 1)?);
    ROWS.get(start..end)
}

fn name_ptr(names: &[&'static CStr], id: u32) -> *const c_char {
    usize::try_from(id)
        .ok()
        .and_then(|i| names.get(i))
        .map_or(core::ptr::null(), |s| s.as_ptr())
}

/// Number of catalogues: valid catalogue ids are 0 to aic_catalogue_count() - 1.
///
/// Thread-safe; never fails.
#[unsafe(no_mangle)]
pub extern "C" fn aic_catalogue_count() -> u32 {
    guard(0, || u32::try_from(Catalogue::ALL.len()).unwrap_or(0))
}

/// The stable identifier of a catalogue: "http-status", "service-error", "auth-suberror", "iot-central-status",
/// "dps-registration-status", "dps-registration-substatus", "mqtt-connack", "du-result-code",
/// "du-extended-result-code", "du-diagnostics-result", "du-erc-pattern", "du-extension-code", "posix-errno",
/// "do-hresult", "iot-central-unmodeled-cause", "iot-central-export", "dps-metric" or "dps-log-category".
///
/// catalogue: any integer.
/// Returns: a static NUL-terminated string (do not free or modify it), or NULL when catalogue is not a
/// catalogue id. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn aic_catalogue_str(catalogue: u32) -> *const c_char {
    guard(core::ptr::null(), || name_ptr(&CATALOGUE_NAMES, catalogue))
}

/// The catalogue id of a stable identifier such as "service-error" (exact spelling, as aic_catalogue_str
/// gives it).
///
/// id: a NUL-terminated string, read only during the call.
/// out: receives the id on success and AIC_CATALOGUE_ANY on error. Must not be NULL.
/// Returns: AIC_OK; AIC_ERR_NULL_ARGUMENT when id or out is NULL; AIC_ERR_INVALID_UTF8;
/// AIC_ERR_UNKNOWN_CATALOGUE. Thread-safe.
///
/// # Safety
/// id is NULL or a NUL-terminated string; out is NULL or valid for writing a uint32_t.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn aic_catalogue_from_str(id: *const c_char, out: *mut u32) -> aic_status {
    // SAFETY: the caller's guarantees are this function's.
    unsafe {
        id_from_str(id, out, ids::AIC_CATALOGUE_ANY, |text| {
            let c = Catalogue::ALL.into_iter().find(|c| c.as_str() == text);
            c.map(|c| ids::catalogue_id(c).ok_or(aic_status::AIC_ERR_INTERNAL))
                .unwrap_or(Err(aic_status::AIC_ERR_UNKNOWN_CATALOGUE))
        })
    }
}

/// The service id of a stable identifier such as "dps" (exact spelling, as aic_service_str gives it).
///
/// id: a NUL-terminated string, read only during the call.
/// out: receives the id on success and AIC_SERVICE_ANY on error. Must not be NULL.
/// Returns: AIC_OK; AIC_ERR_NULL_ARGUMENT when id or out is NULL; AIC_ERR_INVALID_UTF8;
/// AIC_ERR_UNKNOWN_SERVICE. Thread-safe.
///
/// # Safety
/// id is NULL or a NUL-terminated string; out is NULL or valid for writing a uint32_t.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn aic_service_from_str(id: *const c_char, out: *mut u32) -> aic_status {
    // SAFETY: the caller's guarantees are this function's.
    unsafe {
        id_from_str(id, out, ids::AIC_SERVICE_ANY, |text| {
            let position = Service::ALL.iter().position(|s| s.as_str() == text);
            position
                .map(|i| u32::try_from(i).map_err(|_| aic_status::AIC_ERR_INTERNAL))
                .unwrap_or(Err(aic_status::AIC_ERR_UNKNOWN_SERVICE))
        })
    }
}

/// The shared body of the `*_from_str` functions: clears `out` to `none`, reads `id`, writes `find(id)`.
///
/// # Safety
/// `id` is NULL or a NUL-terminated string; `out` is NULL or valid for writing a u32.
unsafe fn id_from_str(
    id: *const c_char,
    out: *mut u32,
    none: u32,
    find: impl FnOnce(&str) -> Result<u32, aic_status>,
) -> aic_status {
    guard_status(|| {
        // SAFETY: the caller guarantees `out` is NULL or valid for writing a u32.
        unsafe { write_out(out, none) };
        // SAFETY: the caller guarantees `id` is NULL or a NUL-terminated string.
        let text = unsafe { str_arg(id) }?;
        if out.is_null() {
            return Err(aic_status::AIC_ERR_NULL_ARGUMENT);
        }
        let value = find(text)?;
        // SAFETY: `out` is not NULL and the caller guarantees it is valid for writing a u32.
        unsafe { write_out(out, value) };
        Ok(())
    })
}

/// The stable identifier of a service: "iot-hub", "dps", "iot-central" or "device-update".
///
/// service: any integer.
/// Returns: a static NUL-terminated string (do not free or modify it), or NULL when service is not a service
/// id. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn aic_service_str(service: u32) -> *const c_char {
    guard(core::ptr::null(), || name_ptr(&SERVICE_NAMES, service))
}

/// The stable identifier of a standing: "current", "observed", "conflicting", "historical" or "doc-error".
///
/// standing: any integer.
/// Returns: a static NUL-terminated string (do not free or modify it), or NULL when standing is not a standing
/// id. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn aic_standing_str(standing: u32) -> *const c_char {
    guard(core::ptr::null(), || name_ptr(&STANDING_NAMES, standing))
}

/// Every row of a catalogue, sorted by code: a contiguous static array.
///
/// catalogue: any integer; an id that is not a catalogue gives AIC_ERR_UNKNOWN_CATALOGUE.
/// out_rows: receives a pointer to the first row (NULL on error). The rows are static: never free them.
/// out_count: receives the number of rows (0 on error).
/// Returns: AIC_OK; AIC_ERR_NULL_ARGUMENT when out_rows or out_count is NULL (the other is still cleared);
/// AIC_ERR_UNKNOWN_CATALOGUE. Thread-safe.
///
/// # Safety
/// out_rows is NULL or valid for writing a pointer; out_count is NULL or valid for writing a size_t.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn aic_catalogue_rows(
    catalogue: u32,
    out_rows: *mut *const aic_row,
    out_count: *mut usize,
) -> aic_status {
    guard_status(|| {
        // SAFETY: the caller guarantees each out-pointer is NULL or valid for one write of its type.
        unsafe {
            write_out(out_rows, core::ptr::null());
            write_out(out_count, 0);
        }
        if out_rows.is_null() || out_count.is_null() {
            return Err(aic_status::AIC_ERR_NULL_ARGUMENT);
        }
        let c = catalogue_from_id(catalogue).ok_or(aic_status::AIC_ERR_UNKNOWN_CATALOGUE)?;
        let rows = catalogue_rows(c).ok_or(aic_status::AIC_ERR_INTERNAL)?;
        // SAFETY: both out-pointers are not NULL and the caller guarantees they are valid for writing.
        unsafe {
            write_out(out_rows, rows.as_ptr());
            write_out(out_count, rows.len());
        }
        Ok(())
    })
}

/// Every meaning of a numeric code in one catalogue, today's first (where sources disagree there are several,
/// e.g. 400020 in AIC_CATALOGUE_SERVICE_ERROR). One multiply, one shift and one compare; no allocation.
///
/// catalogue: any integer; an id that is not a catalogue gives AIC_ERR_UNKNOWN_CATALOGUE.
/// code: the number.
/// out: receives the rows; cleared (count 0) on every error.
/// Returns: AIC_OK (count >= 1); AIC_ERR_NOT_FOUND when the catalogue has no such code (numeric codes in a
/// catalogue keyed by text are never found); AIC_ERR_UNKNOWN_CATALOGUE; AIC_ERR_NULL_ARGUMENT when out is
/// NULL. Thread-safe.
///
/// # Safety
/// out is NULL or valid for writing an aic_matches.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn aic_lookup_number(
    catalogue: u32,
    code: u32,
    out: *mut aic_matches,
) -> aic_status {
    guard_status(|| {
        // SAFETY: the caller guarantees `out` is NULL or valid for writing an aic_matches.
        unsafe { write_out(out, aic_matches::EMPTY) };
        if out.is_null() {
            return Err(aic_status::AIC_ERR_NULL_ARGUMENT);
        }
        let c = catalogue_from_id(catalogue).ok_or(aic_status::AIC_ERR_UNKNOWN_CATALOGUE)?;
        let found = aic_matches::collect(c.lookup_number(code))?;
        // SAFETY: as above; `out` is not NULL.
        unsafe { write_out(out, found) };
        Ok(())
    })
}

/// Every row of one catalogue whose name, alias or text code equals name, ignoring ASCII case
/// ("device_disabled" finds DEVICE_DISABLED). No allocation.
///
/// catalogue: any integer; an id that is not a catalogue gives AIC_ERR_UNKNOWN_CATALOGUE.
/// name: a NUL-terminated string, read only during the call.
/// out: receives the rows; cleared (count 0) on every error.
/// Returns: AIC_OK (count >= 1); AIC_ERR_NOT_FOUND; AIC_ERR_UNKNOWN_CATALOGUE; AIC_ERR_NULL_ARGUMENT when name
/// or out is NULL; AIC_ERR_INVALID_UTF8 when name is not UTF-8. Thread-safe.
///
/// # Safety
/// name is NULL or a NUL-terminated string; out is NULL or valid for writing an aic_matches.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn aic_lookup_name(
    catalogue: u32,
    name: *const c_char,
    out: *mut aic_matches,
) -> aic_status {
    guard_status(|| {
        // SAFETY: the caller guarantees `out` is NULL or valid for writing an aic_matches.
        unsafe { write_out(out, aic_matches::EMPTY) };
        // SAFETY: the caller guarantees `name` is NULL or a NUL-terminated string.
        let name = unsafe { str_arg(name) }?;
        if out.is_null() {
            return Err(aic_status::AIC_ERR_NULL_ARGUMENT);
        }
        let c = catalogue_from_id(catalogue).ok_or(aic_status::AIC_ERR_UNKNOWN_CATALOGUE)?;
        let found = aic_matches::collect(c.lookup_name(name))?;
        // SAFETY: as above; `out` is not NULL.
        unsafe { write_out(out, found) };
        Ok(())
    })
}
