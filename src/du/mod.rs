//! Device Update for IoT Hub: extended result codes, agent versions, facilities and components.
//!
//! An `extendedResultCode` (ERC) packs three fields into 32 bits (agents 0.8.0 and later):
//!
//! ```text
//!  31    28 27          20 19                                 0
//! +--------+--------------+------------------------------------+
//! |facility|  component   |               value                |
//! +--------+--------------+------------------------------------+
//! ```
//!
//! Agents 0.6 and 0.7 used a 4-bit facility and a 28-bit value ([`DuLayout::Legacy`]); facility 13 (Delivery
//! Optimization) keeps the low 28 bits of a DO HRESULT in both layouts. Twins show the code as a signed 32-bit
//! number (`-536870781`) up to agent 1.0.x, and agent 1.1.0 reports `extendedResultCodes` as a string of bare
//! 8-digit hex codes, root first (`"30501028,A0000FFF"`).
//!
//! Names moved between agent versions (`ADUC_ERC_APT_HANDLER_PACKAGE_CANCEL_FAILURE` is `0x30200300` in 1.0.2
//! and `0x30200400` in 1.1.0; `0xA0000001` is a legacy APT code and a 1.1.0 root-key code), so every reading
//! says which [`AgentVersions`] it holds for, and [`crate::decode_with`] narrows to one agent version when told.
//!
//! ```
//! use azure_iot_codes::{decode, du::ExtendedResultCode};
//! let erc: ExtendedResultCode = "-536870781".parse().unwrap();
//! assert_eq!(erc.as_u32(), 0xE000_0083);
//! assert_eq!((erc.facility(), erc.component(), erc.value()), (14, 0, 0x83));
//!
//! // A script's exit code: 0x30501000 + 0x28.
//! let d = decode("0x30501028").unwrap();
//! let reading = d[0].erc().unwrap();
//! assert_eq!(reading.exit_code(), Some(40));
//! assert_eq!(reading.component().unwrap().1.unwrap().name(), "ADUC_CONTENT_HANDLER_SCRIPT");
//! ```

use core::fmt;
use core::str::FromStr;

use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

use crate::catalogue::{Catalogue, DU_COMPONENTS, DU_FACILITIES, Meaning};
use crate::error::{Error, ErrorKind};
use crate::number::{NumberForm, parse_number};

/// A Device Update agent version the catalogues know.
///
/// ```
/// use azure_iot_codes::du::AgentVersion;
/// assert_eq!("1.1.0".parse::<AgentVersion>().unwrap(), AgentVersion::V1_1_0);
/// // A version between known ones reads as the newest known one before it.
/// assert_eq!("1.0.3".parse::<AgentVersion>().unwrap(), AgentVersion::V1_0_2);
/// assert_eq!("v0.8".parse::<AgentVersion>().unwrap(), AgentVersion::V0_8_0);
/// assert!("0.5.0".parse::<AgentVersion>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum AgentVersion {
    /// 0.6.0 (legacy layout).
    V0_6_0,
    /// 0.7.0 (legacy layout).
    V0_7_0,
    /// 0.8.0.
    V0_8_0,
    /// 0.8.2.
    V0_8_2,
    /// 1.0.0.
    V1_0_0,
    /// 1.0.1.
    V1_0_1,
    /// 1.0.2.
    V1_0_2,
    /// 1.1.0 (reports `extendedResultCodes` as a hex string).
    V1_1_0,
}

const VERSION_NUMBERS: [(u16, u16, u16); 8] = [
    (0, 6, 0),
    (0, 7, 0),
    (0, 8, 0),
    (0, 8, 2),
    (1, 0, 0),
    (1, 0, 1),
    (1, 0, 2),
    (1, 1, 0),
];

const VERSION_EXPECTED: &str = "a Device Update agent version such as 1.1.0 (0.6.0 or later)";

impl AgentVersion {
    /// Every known version, oldest first.
    pub const ALL: [AgentVersion; 8] = [
        AgentVersion::V0_6_0,
        AgentVersion::V0_7_0,
        AgentVersion::V0_8_0,
        AgentVersion::V0_8_2,
        AgentVersion::V1_0_0,
        AgentVersion::V1_0_1,
        AgentVersion::V1_0_2,
        AgentVersion::V1_1_0,
    ];

    /// `"1.1.0"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            AgentVersion::V0_6_0 => "0.6.0",
            AgentVersion::V0_7_0 => "0.7.0",
            AgentVersion::V0_8_0 => "0.8.0",
            AgentVersion::V0_8_2 => "0.8.2",
            AgentVersion::V1_0_0 => "1.0.0",
            AgentVersion::V1_0_1 => "1.0.1",
            AgentVersion::V1_0_2 => "1.0.2",
            AgentVersion::V1_1_0 => "1.1.0",
        }
    }

    /// The ERC layout this version writes.
    pub const fn layout(self) -> DuLayout {
        match self {
            AgentVersion::V0_6_0 | AgentVersion::V0_7_0 => DuLayout::Legacy,
            _ => DuLayout::Current,
        }
    }

    const fn bit(self) -> u16 {
        1 << (self as u16)
    }
}

impl fmt::Display for AgentVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for AgentVersion {
    type Err = Error;
    /// `X.Y.Z` or `X.Y`, optionally prefixed with `v`. A version the catalogue does not list reads as the newest
    /// listed version not after it (1.0.3 -> 1.0.2, 1.2.0 -> 1.1.0): codes only change with listed versions.
    fn from_str(s: &str) -> Result<Self, Error> {
        let t = s.trim();
        let t = t.strip_prefix(['v', 'V']).unwrap_or(t);
        let mut parts = t.split('.');
        let mut next = || -> Result<u16, Error> {
            match parts.next() {
                None => Ok(0),
                // Digits only, however many: a part past u16 is out of range (never a wrong version).
                Some(p) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => p
                    .parse()
                    .map_err(|_| Error::new(ErrorKind::OutOfRange, s, VERSION_EXPECTED)),
                Some(_) => Err(Error::new(ErrorKind::Malformed, s, VERSION_EXPECTED)),
            }
        };
        if t.is_empty() {
            return Err(Error::new(ErrorKind::Empty, s, VERSION_EXPECTED));
        }
        let v = (next()?, next()?, next()?);
        if parts.next().is_some() {
            return Err(Error::new(ErrorKind::Malformed, s, VERSION_EXPECTED));
        }
        VERSION_NUMBERS
            .iter()
            .rposition(|known| *known <= v)
            .map(|i| AgentVersion::ALL[i])
            .ok_or_else(|| Error::new(ErrorKind::NotFound, s, VERSION_EXPECTED))
    }
}

impl Serialize for AgentVersion {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A set of [`AgentVersion`]s. Serializes as an array of version strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct AgentVersions(u16);

impl AgentVersions {
    /// No version.
    pub const EMPTY: AgentVersions = AgentVersions(0);
    /// 0.8.0 to 1.1.0: the facility/component/value layout.
    pub const CURRENT_LAYOUT: AgentVersions = AgentVersions(0b1111_1100);
    /// 0.6.0 and 0.7.0: the 4-bit facility + 28-bit value layout.
    pub const LEGACY_LAYOUT: AgentVersions = AgentVersions(0b0000_0011);

    /// From bits (bit `i` is `AgentVersion::ALL[i]`); unknown bits are dropped.
    pub const fn from_bits_truncate(bits: u16) -> AgentVersions {
        AgentVersions(bits & 0xFF)
    }
    /// The bits.
    pub const fn bits(self) -> u16 {
        self.0
    }
    /// Whether `v` is in the set.
    pub const fn contains(self, v: AgentVersion) -> bool {
        self.0 & v.bit() != 0
    }
    /// Whether the set is empty.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }
    /// Versions in both sets.
    pub const fn intersection(self, other: AgentVersions) -> AgentVersions {
        AgentVersions(self.0 & other.0)
    }
    /// Versions in either set.
    pub const fn union(self, other: AgentVersions) -> AgentVersions {
        AgentVersions(self.0 | other.0)
    }
    /// Whether every version of `self` is in `other`.
    pub const fn is_subset(self, other: AgentVersions) -> bool {
        self.0 & !other.0 == 0
    }
    /// The set holding just `v`.
    pub const fn only(v: AgentVersion) -> AgentVersions {
        AgentVersions(v.bit())
    }
    /// The newest version in the set.
    pub fn newest(self) -> Option<AgentVersion> {
        self.iter().last()
    }
    /// The versions, oldest first.
    pub fn iter(self) -> impl Iterator<Item = AgentVersion> {
        AgentVersion::ALL
            .into_iter()
            .filter(move |v| self.contains(*v))
    }
}

list_set_impls!(AgentVersions);

/// How the 32 bits of an extended result code are split.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DuLayout {
    /// Agents 0.8.0 and later: facility (4 bits), component (8 bits), value (20 bits).
    Current,
    /// Agents 0.6 and 0.7: facility (4 bits), value (28 bits); facility 0xE is errno.
    Legacy,
}

impl DuLayout {
    /// `"current"` or `"legacy"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            DuLayout::Current => "current",
            DuLayout::Legacy => "legacy",
        }
    }
}

impl Serialize for DuLayout {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A Device Update facility (`data/du_facilities.csv`).
#[derive(Debug, PartialEq, Eq)]
pub struct DuFacility {
    pub(crate) layout: DuLayout,
    pub(crate) code: u8,
    pub(crate) name: &'static str,
    pub(crate) aliases: &'static [&'static str],
    pub(crate) versions: AgentVersions,
    pub(crate) description: &'static str,
    pub(crate) source: &'static str,
    pub(crate) note: &'static str,
}

/// A Device Update component of a facility (`data/du_components.csv`).
#[derive(Debug, PartialEq, Eq)]
pub struct DuComponent {
    pub(crate) facility: u8,
    pub(crate) code: u8,
    pub(crate) name: &'static str,
    pub(crate) aliases: &'static [&'static str],
    pub(crate) versions: AgentVersions,
    pub(crate) description: &'static str,
    pub(crate) source: &'static str,
    pub(crate) note: &'static str,
}

macro_rules! part_accessors {
    ($ty:ident) => {
        impl $ty {
            /// The number.
            pub const fn code(&self) -> u8 {
                self.code
            }
            /// The agent's name for it (newest version's spelling).
            pub const fn name(&self) -> &'static str {
                self.name
            }
            /// Names earlier agent versions used.
            pub const fn aliases(&self) -> &'static [&'static str] {
                self.aliases
            }
            /// The agent versions that define it.
            pub const fn versions(&self) -> AgentVersions {
                self.versions
            }
            /// What emits codes here.
            pub const fn description(&self) -> &'static str {
                self.description
            }
            /// Where the facts come from.
            pub const fn source(&self) -> &'static str {
                self.source
            }
            /// Caveats; `None` when there are none.
            pub const fn note(&self) -> Option<&'static str> {
                if self.note.is_empty() {
                    None
                } else {
                    Some(self.note)
                }
            }
        }
    };
}

part_accessors!(DuFacility);
part_accessors!(DuComponent);

impl DuFacility {
    /// The layout this facility number belongs to.
    pub const fn layout(&self) -> DuLayout {
        self.layout
    }
    /// Every facility of every layout.
    pub fn all() -> &'static [DuFacility] {
        &DU_FACILITIES
    }
}

impl DuComponent {
    /// The facility the component belongs to.
    pub const fn facility(&self) -> u8 {
        self.facility
    }
    /// Every component.
    pub fn all() -> &'static [DuComponent] {
        &DU_COMPONENTS
    }
}

/// The facility `code` of `layout`, if the catalogue has it.
pub fn facility(layout: DuLayout, code: u8) -> Option<&'static DuFacility> {
    DU_FACILITIES
        .iter()
        .find(|f| f.layout == layout && f.code == code)
}

/// Component `code` of facility `facility` (current layout), if the catalogue has it.
pub fn component(facility: u8, code: u8) -> Option<&'static DuComponent> {
    DU_COMPONENTS
        .iter()
        .find(|c| c.facility == facility && c.code == code)
}

/// A Device Update extended result code: any 32-bit value is one (unknown values still decompose).
///
/// ```
/// use azure_iot_codes::du::ExtendedResultCode;
/// let c = ExtendedResultCode::from_parts(3, 5, 0x1028).unwrap();
/// assert_eq!(c.to_string(), "0x30501028");
/// assert_eq!(c, "810553384".parse().unwrap());
/// assert!(ExtendedResultCode::from_parts(16, 0, 0).is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ExtendedResultCode(u32);

const ERC_EXPECTED: &str =
    "an extended result code: signed or unsigned decimal, 0x-hex, or 8 bare hex digits";

impl ExtendedResultCode {
    /// The code with these bits.
    pub const fn new(bits: u32) -> ExtendedResultCode {
        ExtendedResultCode(bits)
    }
    /// The code a twin shows as a signed 32-bit number.
    pub const fn from_i32(signed: i32) -> ExtendedResultCode {
        ExtendedResultCode(signed as u32)
    }
    /// `MAKE_ADUC_EXTENDEDRESULTCODE(facility, component, value)`; each part must fit its field.
    pub fn from_parts(
        facility: u8,
        component: u8,
        value: u32,
    ) -> Result<ExtendedResultCode, Error> {
        if facility > 15 {
            return Err(Error::for_number(
                ErrorKind::OutOfRange,
                u64::from(facility),
                "a facility from 0 to 15",
            ));
        }
        if value > 0xF_FFFF {
            return Err(Error::for_number(
                ErrorKind::OutOfRange,
                u64::from(value),
                "a value below 0x100000",
            ));
        }
        Ok(ExtendedResultCode(
            (u32::from(facility) << 28) | (u32::from(component) << 20) | value,
        ))
    }
    /// The bits, unsigned.
    pub const fn as_u32(self) -> u32 {
        self.0
    }
    /// The bits as the signed number a twin shows.
    pub const fn as_i32(self) -> i32 {
        self.0 as i32
    }
    /// Bits 31-28.
    pub const fn facility(self) -> u8 {
        (self.0 >> 28) as u8
    }
    /// Bits 27-20 (current layout).
    pub const fn component(self) -> u8 {
        (self.0 >> 20) as u8
    }
    /// Bits 19-0 (current layout).
    pub const fn value(self) -> u32 {
        self.0 & 0xF_FFFF
    }
    /// Bits 27-0: the value in the legacy layout, and the kept part of a Delivery Optimization HRESULT.
    pub const fn low28(self) -> u32 {
        self.0 & 0x0FFF_FFFF
    }

    /// Parses one code: signed or unsigned decimal, `0x` hex, or exactly 8 bare hex digits (the element form of
    /// agent 1.1.0's `extendedResultCodes`).
    pub fn parse(s: &str) -> Result<ExtendedResultCode, Error> {
        let t = s.trim();
        if t.len() == 8
            && t.bytes().all(|b| b.is_ascii_hexdigit())
            && !t.bytes().all(|b| b.is_ascii_digit())
        {
            return u32::from_str_radix(t, 16)
                .map(ExtendedResultCode)
                .map_err(|_| Error::new(ErrorKind::Malformed, s, ERC_EXPECTED));
        }
        parse_number(s, ERC_EXPECTED).map(|n| ExtendedResultCode(n.value))
    }

    /// Parses agent 1.1.0's `extendedResultCodes` string: comma-separated bare 8-digit hex codes, root first,
    /// at most [`MAX_REPORTED_CODES`]. Every element is read as hex, digits only or not.
    ///
    /// ```
    /// use azure_iot_codes::du::ExtendedResultCode;
    /// let mut it = ExtendedResultCode::parse_list("30501028,A0000FFF").unwrap();
    /// assert_eq!(it.next().unwrap().as_u32(), 0x3050_1028);
    /// assert_eq!(it.next().unwrap().as_u32(), 0xA000_0FFF);
    /// assert!(it.next().is_none());
    /// assert!(ExtendedResultCode::parse_list("3050102,zz").is_err());
    /// ```
    pub fn parse_list(s: &str) -> Result<ErcList, Error> {
        const EXPECTED: &str = "comma-separated 8-digit hex codes, root first, at most 9 (agent 1.1.0 extendedResultCodes)";
        let mut list = ErcList {
            codes: [0; MAX_REPORTED_CODES],
            len: 0,
            pos: 0,
        };
        let t = s.trim();
        if t.is_empty() {
            return Err(Error::new(ErrorKind::Empty, s, EXPECTED));
        }
        for part in t.split(',') {
            let p = part.trim();
            if p.is_empty() || p.len() > 8 || !p.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(Error::new(ErrorKind::Malformed, s, EXPECTED));
            }
            if list.len == MAX_REPORTED_CODES {
                return Err(Error::new(ErrorKind::OutOfRange, s, EXPECTED));
            }
            list.codes[list.len] = u32::from_str_radix(p, 16)
                .map_err(|_| Error::new(ErrorKind::Malformed, s, EXPECTED))?;
            list.len += 1;
        }
        Ok(list)
    }
}

/// Most codes one `extendedResultCodes` string carries: the root plus `WORKFLOW_MAX_SUCCESS_ERC` (8) extras.
pub const MAX_REPORTED_CODES: usize = 9;

/// The codes of an `extendedResultCodes` string, root first (an iterator; no allocation).
#[derive(Debug, Clone)]
pub struct ErcList {
    codes: [u32; MAX_REPORTED_CODES],
    len: usize,
    pos: usize,
}

impl Iterator for ErcList {
    type Item = ExtendedResultCode;
    fn next(&mut self) -> Option<ExtendedResultCode> {
        let c = self.codes[..self.len].get(self.pos).copied()?;
        self.pos += 1;
        Some(ExtendedResultCode(c))
    }
}

impl fmt::Display for ExtendedResultCode {
    /// `0x30501028`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "0x{:08X}", self.0)
    }
}

impl FromStr for ExtendedResultCode {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        ExtendedResultCode::parse(s)
    }
}

impl Serialize for ExtendedResultCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u32(self.0)
    }
}

/// The Delivery Optimization part of a facility-13 code: the low 28 bits of the DO HRESULT.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DoCode {
    low28: u32,
}

impl DoCode {
    /// The HRESULT with the error bit restored (`0x8xxxxxxx`), which is what DO's `DO_E_*`, `HTTP_E_*` and
    /// `E_*` codes are.
    pub const fn hresult(self) -> u32 {
        0x8000_0000 | self.low28
    }
    /// The HRESULT facility (bits 26-16): 25 = HTTP, 7 = Win32, 208 = Delivery Optimization.
    pub const fn facility(self) -> u16 {
        ((self.low28 >> 16) & 0x7FF) as u16
    }
    /// For FACILITY_HTTP codes (`0x8019xxxx`): the HTTP status.
    pub const fn http_status(self) -> Option<u16> {
        let s = (self.low28 & 0xFFFF) as u16;
        if self.facility() == 25 && s >= 100 && s <= 599 {
            Some(s)
        } else {
            None
        }
    }
    /// For Win32 codes (`0x8007xxxx`): the Win32 error number.
    pub const fn win32(self) -> Option<u16> {
        if self.facility() == 7 {
            Some((self.low28 & 0xFFFF) as u16)
        } else {
            None
        }
    }
    /// For DO-facility codes with a small low word: the errno DO wrapped with `HRESULT_FROM_XPLAT_SYSERR`
    /// (`0xC0D0xxxx`), one possible reading since the top nibble is lost.
    pub fn xplat_errno(self) -> Option<&'static Meaning> {
        let low = self.low28 & 0xFFFF;
        if self.facility() == 208 && low < 0x1000 {
            Catalogue::PosixErrno.lookup_number(low).first()
        } else {
            None
        }
    }
    /// The catalogued DO HRESULT, if any (`DO_E_*`, `HTTP_E_STATUS_*`, `E_*`).
    pub fn row(self) -> Option<&'static Meaning> {
        Catalogue::DoHresult
            .lookup_number(self.hresult())
            .first()
            .or_else(|| {
                Catalogue::DoHresult
                    .lookup_number(0xC000_0000 | self.low28)
                    .first()
            })
    }
}

impl Serialize for DoCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("DoCode", 6)?;
        st.serialize_field("hresult", &Hex(self.hresult()))?;
        st.serialize_field("facility", &self.facility())?;
        st.serialize_field("name", &self.row().map(Meaning::name))?;
        st.serialize_field("http_status", &self.http_status())?;
        st.serialize_field("win32", &self.win32())?;
        st.serialize_field("xplat_errno", &self.xplat_errno().map(Meaning::name))?;
        st.end()
    }
}

/// `0x` + 8 hex digits, serialized as a string.
struct Hex(u32);

impl Serialize for Hex {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // Formatted on the stack: serializing stays allocation-free in no_std builds.
        const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
        let mut buf = *b"0x00000000";
        for i in 0..8 {
            buf[9 - i] = DIGITS[((self.0 >> (4 * i)) & 0xF) as usize];
        }
        s.serialize_str(core::str::from_utf8(&buf).unwrap_or("0x????????"))
    }
}

/// One reading of an extended result code: the layout it is read with, the agent versions the reading holds
/// for, and everything the parts decode to. Computed on demand; allocation-free.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ErcReading {
    code: ExtendedResultCode,
    layout: DuLayout,
    versions: AgentVersions,
}

impl ErcReading {
    pub(crate) const fn new(
        code: ExtendedResultCode,
        layout: DuLayout,
        versions: AgentVersions,
    ) -> ErcReading {
        ErcReading {
            code,
            layout,
            versions,
        }
    }

    /// The code.
    pub const fn code(&self) -> ExtendedResultCode {
        self.code
    }
    /// The layout the code is read with.
    pub const fn layout(&self) -> DuLayout {
        self.layout
    }
    /// The agent versions this reading holds for.
    pub const fn agent_versions(&self) -> AgentVersions {
        self.versions
    }
    /// The facility number and its catalogue row.
    pub fn facility(&self) -> (u8, Option<&'static DuFacility>) {
        let f = self.code.facility();
        (f, facility(self.layout, f))
    }
    /// The component number and its row; `None` in the legacy layout and for Delivery Optimization codes,
    /// which have no component field.
    pub fn component(&self) -> Option<(u8, Option<&'static DuComponent>)> {
        if self.layout == DuLayout::Legacy || self.code.facility() == 13 {
            return None;
        }
        let c = self.code.component();
        Some((c, component(self.code.facility(), c)))
    }
    /// The value field: 20 bits in the current layout, 28 bits in the legacy layout and for Delivery
    /// Optimization codes.
    pub const fn value(&self) -> u32 {
        match self.layout {
            DuLayout::Legacy => self.code.low28(),
            DuLayout::Current if self.code.facility() == 13 => self.code.low28(),
            DuLayout::Current => self.code.value(),
        }
    }
    /// The child process exit code, where the code encodes one: value >= 0x1000 in the SWUpdate (3/1) or script
    /// (3/5) handler, the DO downloader (4/1) or the curl downloader (4/3).
    pub fn exit_code(&self) -> Option<u32> {
        let (f, c, v) = (
            self.code.facility(),
            self.code.component(),
            self.code.value(),
        );
        let exit_component = matches!((f, c), (3, 1) | (3, 5) | (4, 1) | (4, 3));
        (self.layout == DuLayout::Current && exit_component && v >= 0x1000).then(|| v - 0x1000)
    }
    /// The Delivery Optimization HRESULT part of a facility-13 code.
    pub fn delivery_optimization(&self) -> Option<DoCode> {
        (self.code.facility() == 13).then(|| DoCode {
            low28: self.code.low28(),
        })
    }
    /// The POSIX errno the code carries: facility 0 / component 0 (current layout) or facility 0xE (legacy).
    pub fn errno(&self) -> Option<&'static Meaning> {
        let v = match self.layout {
            DuLayout::Current if self.code.facility() == 0 && self.code.component() == 0 => {
                self.code.value()
            }
            DuLayout::Legacy if self.code.facility() == 0xE => self.code.low28(),
            _ => return None,
        };
        Catalogue::PosixErrno.lookup_number(v).first()
    }
    /// The reserved extension code (0-7) the value can be, for the content handler (3/0), content downloader
    /// (4/0) and component enumerator (7/0) components, which the extension manager reports them under.
    pub fn extension_code(&self) -> Option<&'static Meaning> {
        let (f, c, v) = (
            self.code.facility(),
            self.code.component(),
            self.code.value(),
        );
        if self.layout == DuLayout::Current && matches!((f, c), (3, 0) | (4, 0) | (7, 0)) && v <= 7
        {
            Catalogue::DuExtensionCode.lookup_number(v).first()
        } else {
            None
        }
    }
    /// For delta processor codes (9/10): the delta processor library's error number.
    pub fn delta_processor_error(&self) -> Option<u32> {
        let is_delta = self.layout == DuLayout::Current
            && self.code.facility() == 9
            && self.code.component() == 10;
        is_delta.then(|| self.code.value())
    }
}

impl Serialize for ErcReading {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.serialize_fields(s.serialize_struct("ErcReading", 14)?)?
            .end()
    }
}

#[derive(Serialize)]
struct Part {
    code: u8,
    name: Option<&'static str>,
}

#[derive(Serialize)]
struct NamedNumber {
    code: u32,
    name: &'static str,
}

fn named(m: &'static Meaning) -> NamedNumber {
    NamedNumber {
        code: m.code_bits().unwrap_or(0),
        name: m.name(),
    }
}

impl ErcReading {
    /// Writes the decomposition fields into a struct being serialized (shared with [`crate::Match`]).
    pub(crate) fn serialize_fields<S: SerializeStruct>(&self, mut st: S) -> Result<S, S::Error> {
        let (f, frow) = self.facility();
        st.serialize_field("hex", &Hex(self.code.as_u32()))?;
        st.serialize_field("signed", &self.code.as_i32())?;
        st.serialize_field("unsigned", &self.code.as_u32())?;
        st.serialize_field("layout", &self.layout)?;
        st.serialize_field(
            "facility",
            &Part {
                code: f,
                name: frow.map(DuFacility::name),
            },
        )?;
        st.serialize_field(
            "component",
            &self.component().map(|(c, row)| Part {
                code: c,
                name: row.map(DuComponent::name),
            }),
        )?;
        st.serialize_field("value", &self.value())?;
        st.serialize_field("agent_versions", &self.versions)?;
        st.serialize_field("exit_code", &self.exit_code())?;
        st.serialize_field("errno", &self.errno().map(named))?;
        st.serialize_field("extension_code", &self.extension_code().map(named))?;
        st.serialize_field("delivery_optimization", &self.delivery_optimization())?;
        st.serialize_field("delta_processor_error", &self.delta_processor_error())?;
        Ok(st)
    }
}

/// The pattern row (`data/du_erc_patterns.csv`) for a code that has no named row in `layout`.
fn pattern(code: ExtendedResultCode, layout: DuLayout) -> &'static Meaning {
    let reading = ErcReading {
        code,
        layout,
        versions: AgentVersions::EMPTY,
    };
    let id = match layout {
        DuLayout::Current => {
            if code.facility() == 13 {
                "DELIVERY_OPTIMIZATION"
            } else if reading.exit_code().is_some() {
                match (code.facility(), code.component()) {
                    (3, 1) => "EXIT_CODE_SWUPDATE",
                    (3, 5) => "EXIT_CODE_SCRIPT",
                    (4, 1) => "EXIT_CODE_DO_DOWNLOADER",
                    _ => "EXIT_CODE_CURL_DOWNLOADER",
                }
            } else if reading.delta_processor_error().is_some() {
                "DELTA_PROCESSOR_ERROR"
            } else if reading.errno().is_some() {
                "ERRNO"
            } else if reading.extension_code().is_some() {
                "EXTENSION_RESERVED"
            } else {
                "UNNAMED"
            }
        }
        DuLayout::Legacy => match code.facility() {
            0xD => "DELIVERY_OPTIMIZATION",
            0xE if reading.errno().is_some() => "LEGACY_ERRNO",
            _ => "LEGACY_UNNAMED",
        },
    };
    pattern_row(id)
}

pub(crate) fn pattern_row(id: &str) -> &'static Meaning {
    let rows = Catalogue::DuErcPattern.rows();
    // The pattern ids are fixed by this file and `data/du_erc_patterns.csv`; a test checks every id exists.
    rows.iter()
        .find(|m| matches!(m.code(), crate::Code::Text(t) if t == id))
        .unwrap_or(&rows[0])
}

/// Every pattern id `pattern()` can return (checked against the data by a test).
pub const PATTERN_IDS: [&str; 11] = [
    "DELIVERY_OPTIMIZATION",
    "DELTA_PROCESSOR_ERROR",
    "ERRNO",
    "EXIT_CODE_CURL_DOWNLOADER",
    "EXIT_CODE_DO_DOWNLOADER",
    "EXIT_CODE_SCRIPT",
    "EXIT_CODE_SWUPDATE",
    "EXTENSION_RESERVED",
    "LEGACY_ERRNO",
    "LEGACY_UNNAMED",
    "UNNAMED",
];

/// Versions a pattern reading of `code` holds for: those defining its component (or facility), within the
/// layout's versions.
fn pattern_versions(code: ExtendedResultCode, layout: DuLayout) -> AgentVersions {
    match layout {
        DuLayout::Legacy => AgentVersions::LEGACY_LAYOUT,
        DuLayout::Current => {
            let part = if code.facility() == 13 {
                None
            } else {
                component(code.facility(), code.component()).map(|c| c.versions)
            };
            part.or_else(|| facility(DuLayout::Current, code.facility()).map(|f| f.versions))
                .unwrap_or(AgentVersions::CURRENT_LAYOUT)
                .intersection(AgentVersions::CURRENT_LAYOUT)
        }
    }
}

/// Every reading of `code`, most likely first, passed to `push`: the named rows that hold for `version` (all
/// versions when `None`, newest layout first), then the computed readings (exit code, Delivery Optimization,
/// errno, reserved extension code, delta processor, or "unnamed" with its parts) where no named row covers the
/// layout, and the legacy 0.6/0.7 reading as an alternative when no version is given and the current reading
/// names nothing.
pub(crate) fn readings(
    code: ExtendedResultCode,
    version: Option<AgentVersion>,
    mut push: impl FnMut(&'static Meaning, ErcReading),
) {
    let named = Catalogue::DuExtendedResultCode.lookup_number(code.as_u32());
    let mut covered = AgentVersions::EMPTY;
    let mut named_current = false;
    for layout in [DuLayout::Current, DuLayout::Legacy] {
        for row in named {
            let row_layout = if row.agent_versions().is_subset(AgentVersions::LEGACY_LAYOUT) {
                DuLayout::Legacy
            } else {
                DuLayout::Current
            };
            if row_layout != layout || version.is_some_and(|v| !row.agent_versions().contains(v)) {
                continue;
            }
            covered = covered.union(row.agent_versions());
            named_current |= layout == DuLayout::Current;
            push(
                row,
                ErcReading {
                    code,
                    layout,
                    versions: row.agent_versions(),
                },
            );
        }
    }
    let current = pattern(code, DuLayout::Current);
    let is_id = |m: &Meaning, id: &str| matches!(m.code(), crate::Code::Text(t) if t == id);
    let want_current = match version {
        Some(v) => {
            v.layout() == DuLayout::Current
                && (!covered.contains(v) || is_id(current, "EXTENSION_RESERVED"))
        }
        None => !named_current || is_id(current, "EXTENSION_RESERVED"),
    };
    if want_current {
        let versions = match version {
            Some(v) => AgentVersions::only(v),
            None => pattern_versions(code, DuLayout::Current),
        };
        push(
            current,
            ErcReading {
                code,
                layout: DuLayout::Current,
                versions,
            },
        );
    }
    let named_legacy = !covered
        .intersection(AgentVersions::LEGACY_LAYOUT)
        .is_empty();
    let legacy_facility = facility(DuLayout::Legacy, code.facility()).is_some();
    let want_legacy = match version {
        Some(v) => v.layout() == DuLayout::Legacy && !covered.contains(v),
        None => !named_legacy && legacy_facility && !named_current && is_id(current, "UNNAMED"),
    };
    if want_legacy {
        let versions = version.map_or(AgentVersions::LEGACY_LAYOUT, AgentVersions::only);
        push(
            pattern(code, DuLayout::Legacy),
            ErcReading {
                code,
                layout: DuLayout::Legacy,
                versions,
            },
        );
    }
}

/// Whether a number, as written, should also be read as an extended result code when no catalogue is asked
/// for: negative (the twin's signed form) or with a non-zero facility (>= 0x10000000). Smaller codes (facility
/// 0: errno, crypto) need the `du-extended-result-code` hint, or they would shadow every small number.
pub(crate) fn looks_like_erc(value: u32, form: NumberForm) -> bool {
    form == NumberForm::Signed || value >= 0x1000_0000
}

pub mod log_collection;

/// Whether a Device Update `resultCode` reports success: the agent's rule is `resultCode > 0`
/// (`IsAducResultCodeSuccess`). The documentation's claim that result codes follow the HTTP convention does
/// not hold: `700` is apply success, `200` is idle success, `0` is failure and `-1` cancelled.
///
/// ```
/// use azure_iot_codes::du::result_code_is_success;
/// assert!(result_code_is_success(700));
/// assert!(result_code_is_success(1));
/// assert!(!result_code_is_success(0));
/// assert!(!result_code_is_success(-1));
/// ```
pub const fn result_code_is_success(result_code: i32) -> bool {
    result_code > 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::MAX_READINGS_PER_CODE;
    use proptest::prelude::*;

    fn count(code: u32, version: Option<AgentVersion>) -> usize {
        let mut n = 0;
        readings(ExtendedResultCode::new(code), version, |_, _| n += 1);
        n
    }

    fn every_version() -> impl Iterator<Item = Option<AgentVersion>> {
        core::iter::once(None).chain(AgentVersion::ALL.into_iter().map(Some))
    }

    /// MAX_READINGS_PER_CODE, from which the build script sizes every `decode` result (a list holds nine codes),
    /// bounds the readings of every code the catalogue names and of its neighbours, under every agent version
    /// and none; and some named code reaches it (the bound is not slack).
    #[test]
    fn readings_of_named_codes_stay_within_the_bound() {
        let mut most = 0;
        for m in crate::rows()
            .iter()
            .filter(|m| m.catalogue() == Catalogue::DuExtendedResultCode)
        {
            let Some(bits) = m.code_bits() else { continue };
            for code in [
                bits.wrapping_sub(1),
                bits,
                bits.wrapping_add(1),
                bits ^ 0x8000_0000,
            ] {
                for v in every_version() {
                    let n = count(code, v);
                    assert!(
                        n <= MAX_READINGS_PER_CODE,
                        "{code:#010x} {v:?}: {n} readings"
                    );
                    most = most.max(n);
                }
            }
        }
        assert_eq!(most, MAX_READINGS_PER_CODE);
    }

    proptest! {
        /// The same bound for any 32-bit code under any version.
        #[test]
        fn readings_of_any_code_stay_within_the_bound(code: u32, v in 0usize..=AgentVersion::ALL.len()) {
            let version = v.checked_sub(1).and_then(|i| AgentVersion::ALL.get(i).copied());
            prop_assert!(count(code, version) <= MAX_READINGS_PER_CODE);
        }
    }
}
