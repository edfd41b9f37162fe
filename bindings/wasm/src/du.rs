//! The Device Update fields of a `du-extended-result-code` match: the code in its three spellings, the layout it
//! was read with, facility / component / value, and what the value carries (an exit code, an errno, a reserved
//! extension code, a Delivery Optimization HRESULT, a delta processor error).

use azure_iot_codes::Meaning;
use azure_iot_codes::du::{DoCode, DuComponent, DuFacility, ErcReading};
use js_sys::Object;
use wasm_bindgen::prelude::*;

use crate::object::{nullable, set};

// Read by the custom section below (rustc's dead-code lint does not see that use) and by the tests.
#[allow(dead_code)]
pub(crate) const DU_TS: &str = r#"
/**
 * How the 32 bits of an extended result code were split: `current` (agents 0.8.0 and later: 4-bit facility,
 * 8-bit component, 20-bit value) or `legacy` (0.6.0 and 0.7.0: 4-bit facility, 28-bit value).
 */
export type DuLayout = "current" | "legacy";

/** The family of a computed reading of a code no agent version names (`null` for a named code). */
export type ErcPattern =
  | "DELIVERY_OPTIMIZATION"
  | "DELTA_PROCESSOR_ERROR"
  | "ERRNO"
  | "EXIT_CODE_CURL_DOWNLOADER"
  | "EXIT_CODE_DO_DOWNLOADER"
  | "EXIT_CODE_SCRIPT"
  | "EXIT_CODE_SWUPDATE"
  | "EXTENSION_RESERVED"
  | "LEGACY_ERRNO"
  | "LEGACY_UNNAMED"
  | "UNNAMED";

/** A facility or component: its number, and the agent's name for it (`null` when no version defines it). */
export interface DuPart {
  code: number;
  name: string | null;
}

/** A number with its name in a catalogue (an errno, a reserved extension code). */
export interface NamedNumber {
  code: number;
  name: string;
}

/** The Delivery Optimization HRESULT a facility-13 code keeps the low 28 bits of. */
export interface DeliveryOptimization {
  /** The HRESULT with its error bit restored, `"0x80190194"`. */
  hresult: string;
  /** The HRESULT facility: 25 HTTP, 7 Win32, 208 Delivery Optimization. */
  facility: number;
  /** The catalogued name (`DO_E_*`, `HTTP_E_STATUS_*`, `E_*`), or `null`. */
  name: string | null;
  /** For HTTP-facility HRESULTs (`0x8019xxxx`): the HTTP status. */
  httpStatus: number | null;
  /** For Win32 HRESULTs (`0x8007xxxx`): the Win32 error number. */
  win32: number | null;
  /** For DO-facility HRESULTs with a small low word: the errno it may wrap (`ENOENT`), one possible reading. */
  xplatErrno: string | null;
}

/**
 * A reading of a Device Update `extendedResultCode`: the row that explains it (a named code, or the pattern of
 * an unnamed one) and the parts of the code. One code can have several readings (two layouts, a name that
 * moved between agent versions); `agentVersions` says which versions each holds for.
 */
export interface ExtendedResultCodeMatch extends Meaning {
  catalogue: "du-extended-result-code";
  /** The code as unsigned 32 bits. */
  code: number;
  /** For a code no agent version names: the family it was read as; `null` for a named code. */
  pattern: ErcPattern | null;
  /** `"0xE0000083"`. */
  hex: string;
  /** As a twin shows it, signed 32 bits: `-536870781`. */
  signed: number;
  /** Unsigned 32 bits: `3758096515` (the same as `code`). */
  unsigned: number;
  layout: DuLayout;
  facility: DuPart;
  /** `null` in the legacy layout and for Delivery Optimization codes, which have no component field. */
  component: DuPart | null;
  /** The value field: 20 bits (current layout), 28 bits (legacy layout, Delivery Optimization). */
  value: number;
  /** The exit code of a child process (SWUpdate, script, DO or curl downloader), or `null`. */
  exitCode: number | null;
  /** The POSIX errno the code carries, or `null`. */
  errno: NamedNumber | null;
  /** The reserved extension code (0-7) the value is, or `null`. */
  extensionCode: NamedNumber | null;
  deliveryOptimization: DeliveryOptimization | null;
  /** For delta processor codes: the delta processor library's error number, or `null`. */
  deltaProcessorError: number | null;
}
"#;

#[wasm_bindgen(typescript_custom_section)]
const DU_TS_SECTION: &str = DU_TS;

/// Sets the reading's fields on a match object (order as in the core's JSON).
pub(crate) fn set_reading(o: &Object, r: &ErcReading, pattern: Option<&'static str>) {
    let code = r.code();
    set(o, "pattern", nullable(pattern));
    set(o, "hex", code.to_string());
    set(o, "signed", code.as_i32());
    set(o, "unsigned", code.as_u32());
    set(o, "layout", r.layout().as_str());
    let (facility, facility_row) = r.facility();
    set(
        o,
        "facility",
        part(facility, facility_row.map(DuFacility::name)),
    );
    let component = r
        .component()
        .map(|(c, row)| part(c, row.map(DuComponent::name)));
    set(o, "component", component.unwrap_or(JsValue::NULL));
    set(o, "value", r.value());
    set(o, "exitCode", nullable(r.exit_code()));
    set(o, "errno", named(r.errno()));
    set(o, "extensionCode", named(r.extension_code()));
    set(
        o,
        "deliveryOptimization",
        r.delivery_optimization()
            .map_or(JsValue::NULL, delivery_optimization),
    );
    set(
        o,
        "deltaProcessorError",
        nullable(r.delta_processor_error()),
    );
}

fn part(code: u8, name: Option<&'static str>) -> JsValue {
    let o = Object::new();
    set(&o, "code", code);
    set(&o, "name", nullable(name));
    o.into()
}

fn named(row: Option<&'static Meaning>) -> JsValue {
    row.map_or(JsValue::NULL, |m| {
        let o = Object::new();
        set(&o, "code", m.code_bits().unwrap_or(0));
        set(&o, "name", m.name());
        o.into()
    })
}

fn delivery_optimization(d: DoCode) -> JsValue {
    let o = Object::new();
    set(&o, "hresult", format!("0x{:08X}", d.hresult()));
    set(&o, "facility", d.facility());
    set(&o, "name", nullable(d.row().map(Meaning::name)));
    set(&o, "httpStatus", nullable(d.http_status()));
    set(&o, "win32", nullable(d.win32()));
    set(
        &o,
        "xplatErrno",
        nullable(d.xplat_errno().map(Meaning::name)),
    );
    o.into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use azure_iot_codes::du::{AgentVersion, DuLayout, PATTERN_IDS};

    #[test]
    fn unions_list_the_core_identifiers() {
        let layouts = [DuLayout::Current, DuLayout::Legacy].map(DuLayout::as_str);
        assert_eq!(crate::ts::union(DU_TS, "DuLayout"), layouts);
        assert_eq!(crate::ts::union(DU_TS, "ErcPattern"), PATTERN_IDS);
        let versions = AgentVersion::ALL.map(AgentVersion::as_str);
        assert_eq!(
            crate::ts::union(crate::object::MEANING_TS, "AgentVersion"),
            versions
        );
    }
}
