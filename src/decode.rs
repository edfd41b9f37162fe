//! `decode`: any textual form of a code to every catalogue row it can mean, most likely first.

use core::fmt;

use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

use crate::catalogue::{
    Catalogue, Code, ENTRIES, MAX_MATCHES, MAX_NAME_HITS, Meaning, NAMES, NameHits, Service,
};
use crate::du::{self, AgentVersion, AgentVersions, DuLayout, ErcReading, ExtendedResultCode};
use crate::error::{Error, ErrorKind};
use crate::number::{NumberForm, ParsedNumber, parse_number};

/// What `decode` accepts, for error messages.
pub const DECODE_EXPECTED: &str = "a code as a decimal, 0x-hex or negative number, a name from a catalogue \
     (DEVICE_DISABLED, IotHubUnauthorizedAccess, Unapproved, assigning), \"<status> <reason>\" such as \
     \"404 Not Found\", or a Device Update extendedResultCodes string such as \"30501028,A0000FFF\"";

/// Narrows what [`decode_with`] considers.
///
/// ```
/// use azure_iot_codes::{decode_with, Catalogue, DecodeOptions, Service};
/// let opts = DecodeOptions::new().catalogue(Catalogue::AuthSubError);
/// let d = decode_with("401002", &opts).unwrap();
/// assert!(d.iter().all(|m| m.catalogue() == Catalogue::AuthSubError));
/// let opts = DecodeOptions::new().service(Service::Dps);
/// let d = decode_with("401", &opts).unwrap();
/// assert!(d.iter().all(|m| m.services().contains(Service::Dps)));
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct DecodeOptions {
    /// Only rows of this catalogue (a hint such as "this number is a service error code"). With
    /// [`Catalogue::DuExtendedResultCode`] a bare number is read as a Device Update code whatever its size,
    /// and 8 bare digits are read as hex, as agent 1.1.0 writes them.
    pub catalogue: Option<Catalogue>,
    /// Only rows that apply to this service.
    pub service: Option<Service>,
    /// Only Device Update meanings that hold for this agent version.
    pub agent_version: Option<AgentVersion>,
}

impl DecodeOptions {
    /// No narrowing.
    pub const fn new() -> DecodeOptions {
        DecodeOptions {
            catalogue: None,
            service: None,
            agent_version: None,
        }
    }

    /// Only rows of `catalogue`.
    pub const fn catalogue(mut self, catalogue: Catalogue) -> DecodeOptions {
        self.catalogue = Some(catalogue);
        self
    }

    /// Only rows that apply to `service`.
    pub const fn service(mut self, service: Service) -> DecodeOptions {
        self.service = Some(service);
        self
    }

    /// Only Device Update meanings that hold for `version`.
    pub const fn agent_version(mut self, version: AgentVersion) -> DecodeOptions {
        self.agent_version = Some(version);
        self
    }

    fn admits(&self, m: &Meaning) -> bool {
        let versions_ok = match self.agent_version {
            Some(v) => m.agent_versions().is_empty() || m.agent_versions().contains(v),
            None => true,
        };
        versions_ok
            && self.catalogue.is_none_or(|c| m.catalogue() == c)
            && self.service.is_none_or(|s| m.services().contains(s))
    }
}

/// One answer of [`decode`]: a catalogue row and, for Device Update extended result codes, the reading of the
/// code's parts. Dereferences to the row ([`Meaning`]).
///
/// For a Device Update code that no agent names (a script's exit code, a Delivery Optimization error...) the
/// row is the pattern the code follows (`data/du_erc_patterns.csv`), [`Match::catalogue`] is still
/// `du-extended-result-code` and [`Match::code`] the code itself.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Match {
    // Eight bytes, so that a `Decoded` stays small enough to build and return cheaply.
    row: u16,
    /// 0: no Device Update reading; 1: current layout; 2: legacy layout.
    layout: u8,
    versions: u8,
    code: u32,
}

/// Index of a row of `ENTRIES` from its address (plain address arithmetic: no `unsafe`).
fn row_index(m: &'static Meaning) -> u16 {
    let offset = (m as *const Meaning as usize).wrapping_sub(ENTRIES.as_ptr() as usize);
    let index = offset / core::mem::size_of::<Meaning>();
    // Every row handed to a Match comes from ENTRIES (lookups return sub-slices of it).
    u16::try_from(index)
        .ok()
        .filter(|i| usize::from(*i) < ENTRIES.len())
        .unwrap_or(0)
}

impl Match {
    /// Row `row` of `ENTRIES`, without a Device Update reading.
    const fn of_row(row: u16) -> Match {
        Match {
            row,
            layout: 0,
            versions: 0,
            code: 0,
        }
    }

    /// Row `row` of `ENTRIES`, `meaning`, as [`Match::from`] makes it, without finding the row's index again.
    fn of_entry(row: u16, meaning: &'static Meaning) -> Match {
        if meaning.catalogue() == Catalogue::DuExtendedResultCode {
            Match::from(meaning)
        } else {
            Match::of_row(row)
        }
    }

    fn new(meaning: &'static Meaning, erc: Option<ErcReading>) -> Match {
        let (layout, versions, code) = match erc {
            None => (0, 0, 0),
            Some(r) => (
                match r.layout() {
                    DuLayout::Current => 1,
                    DuLayout::Legacy => 2,
                },
                r.agent_versions().bits() as u8,
                r.code().as_u32(),
            ),
        };
        Match {
            row: row_index(meaning),
            layout,
            versions,
            code,
        }
    }

    /// The catalogue row.
    pub fn meaning(&self) -> &'static Meaning {
        ENTRIES.get(usize::from(self.row)).unwrap_or(&ENTRIES[0])
    }

    /// The Device Update reading, for extended result codes.
    pub fn erc(&self) -> Option<ErcReading> {
        let layout = match self.layout {
            1 => DuLayout::Current,
            2 => DuLayout::Legacy,
            _ => return None,
        };
        Some(ErcReading::new(
            ExtendedResultCode::new(self.code),
            layout,
            AgentVersions::from_bits_truncate(u16::from(self.versions)),
        ))
    }

    /// The catalogue: `du-extended-result-code` for every Device Update code reading, else the row's.
    pub fn catalogue(&self) -> Catalogue {
        if self.layout != 0 {
            Catalogue::DuExtendedResultCode
        } else {
            self.meaning().catalogue()
        }
    }

    /// The code: the extended result code itself for Device Update readings, else the row's.
    pub fn code(&self) -> Code {
        match self.erc() {
            Some(r) => Code::Number(r.code().as_u32()),
            None => self.meaning().code(),
        }
    }

    /// The agent versions the meaning holds for (the reading's for Device Update codes).
    pub fn agent_versions(&self) -> AgentVersions {
        match self.erc() {
            Some(r) => r.agent_versions(),
            None => self.meaning().agent_versions(),
        }
    }

    /// For computed Device Update readings: the pattern id (`EXIT_CODE_SCRIPT`, `DELIVERY_OPTIMIZATION`...).
    pub fn pattern(&self) -> Option<&'static str> {
        match (self.erc(), self.meaning().code()) {
            (Some(_), Code::Text(t)) => Some(t),
            _ => None,
        }
    }
}

impl fmt::Debug for Match {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Match")
            .field("meaning", &self.meaning())
            .field("erc", &self.erc())
            .finish()
    }
}

impl From<&'static Meaning> for Match {
    /// A catalogue row as a match (rows of Device Update extended result codes get their reading).
    ///
    /// ```
    /// use azure_iot_codes::{IotCentralUnmodeledCause, Match};
    /// let m = Match::from(IotCentralUnmodeledCause::SchemaMismatch.meaning());
    /// assert_eq!(m.to_string(), "iot-central-unmodeled-cause SCHEMA_MISMATCH DatatypeMismatch");
    /// ```
    fn from(meaning: &'static Meaning) -> Match {
        let erc = (meaning.catalogue() == Catalogue::DuExtendedResultCode)
            .then(|| meaning.code_bits().map(|bits| named_reading(meaning, bits)))
            .flatten();
        Match::new(meaning, erc)
    }
}

impl core::ops::Deref for Match {
    type Target = Meaning;
    fn deref(&self) -> &Meaning {
        self.meaning()
    }
}

impl fmt::Display for Match {
    /// `service-error 404001 DeviceNotFound`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} {}",
            self.catalogue(),
            self.code(),
            self.meaning().name()
        )
    }
}

impl Serialize for Match {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.serialize_fields(s.serialize_struct("Match", 26)?)?
            .end()
    }
}

impl Match {
    /// Writes the match's fields into a struct being serialized (shared with [`crate::report`], which adds the
    /// retry decision after them).
    pub(crate) fn serialize_fields<S: SerializeStruct>(&self, mut st: S) -> Result<S, S::Error> {
        let Some(reading) = self.erc() else {
            return self.meaning().serialize_fields(st);
        };
        let m = self.meaning();
        st.serialize_field("catalogue", &self.catalogue())?;
        st.serialize_field("code", &self.code())?;
        st.serialize_field("name", m.name())?;
        st.serialize_field("description", m.description())?;
        st.serialize_field("mitigation", m.mitigation())?;
        st.serialize_field("http_status", &m.http_status())?;
        st.serialize_field("services", &m.services())?;
        st.serialize_field("source", m.source())?;
        st.serialize_field("standing", &m.standing())?;
        st.serialize_field("note", &m.note())?;
        st.serialize_field("aliases", m.aliases())?;
        st.serialize_field("pattern", &self.pattern())?;
        reading.serialize_fields(st)
    }
}

/// The result of [`decode`]: every reading of the input, most likely first, held inline (no allocation).
///
/// Dereferences to `[Match]`.
#[derive(Clone)]
pub struct Decoded {
    // The number as two plain fields rather than an `Option<ParsedNumber>`, whose `None` is not zero bytes:
    // with every field zero when empty, starting a result is a `memset` rather than a copy of a constant.
    number_value: u32,
    number_form: FormTag,
    len: u8,
    matches: [Match; MAX_MATCHES],
}

// A list of the most codes an `extendedResultCodes` string carries, each with the most readings one code has
// (checked by a test of `du::readings`), fits: the build script sizes the result for it.
const _: () = assert!(
    MAX_MATCHES >= du::MAX_REPORTED_CODES * crate::catalogue::MAX_READINGS_PER_CODE,
    "MAX_MATCHES cannot hold a full extendedResultCodes list"
);

impl Decoded {
    /// No matches yet: all zero bytes, so that starting a result is one `memset` rather than a copy of a
    /// constant from read-only data.
    const EMPTY: Decoded = Decoded {
        number_value: 0,
        number_form: FormTag::None,
        len: 0,
        matches: [Match {
            row: 0,
            layout: 0,
            versions: 0,
            code: 0,
        }; MAX_MATCHES],
    };

    fn push(&mut self, m: Match) {
        if !self.matches().contains(&m) {
            self.push_new(m);
        }
    }

    /// Pushes a match known not to be in the list yet. MAX_MATCHES covers the largest answer the catalogues
    /// allow (stored rows plus the computed Device Update readings of a nine-code list); the bound is a guard,
    /// not a cut.
    fn push_new(&mut self, m: Match) {
        let len = usize::from(self.len);
        // Debug and fuzz builds stop here if an answer ever outgrew the bound (a wrong bound, not bad input);
        // release builds keep the guard.
        debug_assert!(len < MAX_MATCHES, "an answer outgrew MAX_MATCHES");
        if let Some(slot) = self.matches.get_mut(len) {
            *slot = m;
            self.len += 1;
        }
    }

    /// Puts the matches pushed from `base` on in the order of `keys` (one per match, ascending): an insertion
    /// sort of a few entries that mostly arrive in order.
    fn sort_from(&mut self, base: usize, keys: &mut [u32]) {
        let Some(tail) = self.matches.get_mut(base..usize::from(self.len)) else {
            return;
        };
        let n = tail.len().min(keys.len());
        for j in 1..n {
            let mut x = j;
            while x > 0 && keys[x - 1] > keys[x] {
                keys.swap(x - 1, x);
                tail.swap(x - 1, x);
                x -= 1;
            }
        }
    }

    fn push_row(&mut self, meaning: &'static Meaning) {
        self.push(Match::from(meaning));
    }

    /// The matches, most likely first.
    pub fn matches(&self) -> &[Match] {
        &self.matches[..usize::from(self.len)]
    }

    /// The number the input was read as, and in which form, when it was one number.
    pub const fn number(&self) -> Option<ParsedNumber> {
        let form = match self.number_form {
            FormTag::Decimal => NumberForm::Decimal,
            FormTag::Hex => NumberForm::Hex,
            FormTag::Signed => NumberForm::Signed,
            FormTag::None => return None,
        };
        Some(ParsedNumber {
            value: self.number_value,
            form,
        })
    }

    fn set_number(&mut self, n: ParsedNumber) {
        self.number_value = n.value;
        self.number_form = match n.form {
            NumberForm::Decimal => FormTag::Decimal,
            NumberForm::Hex => FormTag::Hex,
            NumberForm::Signed => FormTag::Signed,
        };
    }
}

/// The form of [`Decoded`]'s number, `None` (zero) when there is none: an `Option<ParsedNumber>` whose empty
/// state is all zero bytes, and whose unused values give `Result<Decoded, Error>` a niche for its tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
enum FormTag {
    None = 0,
    Decimal,
    Hex,
    Signed,
}

fn named_reading(row: &'static Meaning, bits: u32) -> ErcReading {
    let layout = if row.agent_versions().is_subset(AgentVersions::LEGACY_LAYOUT) {
        DuLayout::Legacy
    } else {
        DuLayout::Current
    };
    ErcReading::new(ExtendedResultCode::new(bits), layout, row.agent_versions())
}

impl core::ops::Deref for Decoded {
    type Target = [Match];
    fn deref(&self) -> &Self::Target {
        self.matches()
    }
}

impl fmt::Debug for Decoded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Decoded")
            .field("number", &self.number())
            .field("matches", &self.matches())
            .finish()
    }
}

impl Serialize for Decoded {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Decoded", 1)?;
        st.serialize_field("matches", self.matches())?;
        st.end()
    }
}

/// Decodes any textual form of a code into every catalogue row it can mean, most likely first.
///
/// Accepts decimal (`404001`), `0x` hex (`0x191`), negative decimal (`-536870781`, as twins show Device Update
/// codes), names in any case (`DEVICE_DISABLED`, `IotHubUnauthorizedAccess`, `Unapproved`, `assigning`,
/// `ADUC_ERC_NOMEM`), `"<status> <reason>"` (`"404 Not Found"`, `"401 IoTHubUnauthorized"`), bare 8-digit
/// hex with letters (`A0000FFF`) and agent 1.1.0 `extendedResultCodes` lists (`"30501028,A0000FFF"`), with
/// surrounding whitespace. Where sources or agent versions disagree all meanings are returned, today's first.
/// Allocation-free.
///
/// ```
/// use azure_iot_codes::{decode, Catalogue};
/// let d = decode("401002").unwrap();
/// assert_eq!(d[0].catalogue(), Catalogue::ServiceError);
/// assert_eq!(d[0].name(), "IotHubUnauthorizedAccess");
/// assert!(d.iter().any(|m| m.catalogue() == Catalogue::AuthSubError));
///
/// let d = decode("  404 Not Found ").unwrap();
/// assert_eq!(d[0].catalogue(), Catalogue::HttpStatus);
///
/// assert_eq!(decode("DEVICE_DISABLED").unwrap()[0].catalogue(), Catalogue::AuthSubError);
/// assert_eq!(decode("700").unwrap()[0].name(), "ADUC_Result_Apply_Success");
/// assert!(decode("no such thing").is_err());
/// ```
pub fn decode(input: &str) -> Result<Decoded, Error> {
    decode_with(input, &DecodeOptions::new())
}

/// [`decode`] narrowed by `options`.
pub fn decode_with(input: &str, options: &DecodeOptions) -> Result<Decoded, Error> {
    // `Decoded` is 224 bytes today (MAX_MATCHES eight-byte matches: its size is most of what a decode costs beyond
    // the lookup, which is why the build script bounds it tightly, see `du::readings`); `Result<Decoded, Error>`
    // is no larger (its tag sits in `FormTag`'s unused values), so `Ok(out)` is one copy of it. Measured with
    // callgrind on `decode("404001")`: 630 instructions per call before this function, `FormTag` and the
    // key-range check of `push_bare_number`, 562 after.
    let mut out = Decoded::EMPTY;
    match decode_into(&mut out, input, options) {
        None => Ok(out),
        Some(e) => Err(e),
    }
}

fn decode_into(out: &mut Decoded, input: &str, options: &DecodeOptions) -> Option<Error> {
    let s = crate::number::trim(input);
    if s.is_empty() {
        return Some(Error::new(ErrorKind::Empty, input, DECODE_EXPECTED));
    }
    match fill(out, input, s, options) {
        Err(e) => Some(e),
        Ok(()) if out.is_empty() => Some(Error::new(
            ErrorKind::NotFound,
            input,
            not_found_expected(options),
        )),
        Ok(()) => None,
    }
}

/// [`decode`] for bytes that may not be UTF-8 (a C string, a buffer read off a device or a socket). Bytes
/// that are not UTF-8 give an [`ErrorKind::InvalidUtf8`] error holding the first bytes of the input, never a
/// panic. Allocation-free.
///
/// ```
/// use azure_iot_codes::{decode_bytes, ErrorKind};
/// assert_eq!(decode_bytes(b"404001").unwrap()[0].name(), "DeviceNotFound");
/// let e = decode_bytes(b"4040\xFF01").unwrap_err();
/// assert_eq!(e.kind(), ErrorKind::InvalidUtf8);
/// assert_eq!(e.input_bytes(), b"4040\xFF01");
/// ```
pub fn decode_bytes(input: &[u8]) -> Result<Decoded, Error> {
    decode_bytes_with(input, &DecodeOptions::new())
}

/// [`decode_bytes`] narrowed by `options`.
pub fn decode_bytes_with(input: &[u8], options: &DecodeOptions) -> Result<Decoded, Error> {
    match core::str::from_utf8(input) {
        Ok(s) => decode_with(s, options),
        Err(_) => Err(Error::from_bytes(
            ErrorKind::InvalidUtf8,
            input,
            "UTF-8 text: a code as a decimal, 0x-hex or negative number, a name, or \"<status> <reason>\"",
        )),
    }
}

fn fill(out: &mut Decoded, input: &str, s: &str, options: &DecodeOptions) -> Result<(), Error> {
    let erc_hint = options.catalogue == Some(Catalogue::DuExtendedResultCode);
    // The list forms are Device Update codes only: another catalogue asked for rules them out.
    let erc_allowed = erc_hint || options.catalogue.is_none();
    // The most common inputs, a plain decimal or `0x` code, first, without a parse error they cannot need. A
    // `0x` code is never an `extendedResultCodes` list; digits alone are not one either without the Device
    // Update hint (with it, eight digits are one bare hex code).
    if let Some(n) =
        crate::number::short_number(s).filter(|n| !erc_hint || n.form == NumberForm::Hex)
    {
        decode_number(out, n, options);
        return Ok(());
    }
    // The leading hex digits: what the list forms and "<number> <name>" are told apart by.
    let lead = s.bytes().take_while(u8::is_ascii_hexdigit).count();
    if let Some(list) = erc_list(s, lead, erc_hint).filter(|_| erc_allowed) {
        for code in list {
            push_erc(out, code, options);
        }
    } else if s
        .as_bytes()
        .first()
        .is_some_and(|&b| b.is_ascii_digit() || b == b'-' || b == b'+')
    {
        // Errors name the caller's input, not the trimmed text.
        let renamed = |e: Error| Error::new(e.kind(), input, e.expected());
        // A number never holds a space, so text with one is tried as "<number> <name>" first, without building
        // the error that reading it all as a number would give (the error is built only when it is the answer).
        // The split is at an ASCII byte past the leading hex digits, so both sides are `str`s; `s` is trimmed,
        // so the name needs at most its start trimmed (`number::trim` looks at its two ends before it trims).
        let number_and_name = s
            .bytes()
            .skip(lead)
            .position(|b| b.is_ascii_whitespace())
            .and_then(|at| {
                let (head, rest) = s.split_at_checked(lead + at)?;
                let rest = rest.get(1..)?;
                let n = crate::number::short_number(head)
                    .or_else(|| parse_number(head, DECODE_EXPECTED).ok())?;
                Some((n, crate::number::trim(rest)))
            });
        match number_and_name {
            Some((n, rest)) => decode_number_and_name(out, n, rest, options),
            None => match parse_number(s, DECODE_EXPECTED) {
                Ok(n) => decode_number(out, n, options),
                Err(e) => return Err(renamed(e)),
            },
        }
    } else {
        decode_name(out, s, options);
    }
    Ok(())
}

/// The `extendedResultCodes` forms: a comma list of bare hex codes, a single 8-digit bare hex code with a
/// letter in it, or (with the Device Update hint) any 8 bare hex digits.
fn erc_list(s: &str, lead: usize, erc_hint: bool) -> Option<du::ErcList> {
    // The leading hex digits (`lead` of them) decide. A list's first code is followed by a comma, perhaps after
    // spaces (which rejects names and numbers after a few bytes, without searching them for a comma); a bare
    // code is eight hex digits and nothing else.
    let list_like = match s.as_bytes().get(lead) {
        None => lead == 8 && (erc_hint || s.bytes().any(|b| b.is_ascii_alphabetic())),
        Some(_) => s
            .bytes()
            .skip(lead)
            .find(|b| !b.is_ascii_whitespace())
            .is_some_and(|b| b == b','),
    };
    if list_like {
        ExtendedResultCode::parse_list(s).ok()
    } else {
        None
    }
}

fn not_found_expected(options: &DecodeOptions) -> &'static str {
    match (options.catalogue, options.service) {
        (None, None) if options.agent_version.is_some() => {
            "a code whose meaning holds for the agent version asked for"
        }
        (None, None) => DECODE_EXPECTED,
        (Some(_), None) => "a code or name of the catalogue asked for",
        (None, Some(_)) => "a code or name that applies to the service asked for",
        (Some(_), Some(_)) => {
            "a code or name of the catalogue asked for that applies to the service asked for"
        }
    }
}

/// The catalogues a bare number is looked up in, in the order it most likely belongs to them. Reference
/// tables (errno, reserved extension codes, patterns) only answer when asked for by name or hint.
fn catalogue_order(n: ParsedNumber) -> &'static [Catalogue; 7] {
    use Catalogue::*;
    const SIGNED: [Catalogue; 7] = [
        DuResultCode,
        DuDiagnosticsResult,
        DoHresult,
        HttpStatus,
        ServiceError,
        AuthSubError,
        MqttConnack,
    ];
    const CONNACK_RANGE: [Catalogue; 7] = [
        MqttConnack,
        DuResultCode,
        DuDiagnosticsResult,
        HttpStatus,
        ServiceError,
        AuthSubError,
        DoHresult,
    ];
    const HTTP_RANGE: [Catalogue; 7] = [
        HttpStatus,
        DuResultCode,
        DuDiagnosticsResult,
        ServiceError,
        AuthSubError,
        MqttConnack,
        DoHresult,
    ];
    const SIX_DIGIT: [Catalogue; 7] = [
        ServiceError,
        AuthSubError,
        HttpStatus,
        DuResultCode,
        DuDiagnosticsResult,
        MqttConnack,
        DoHresult,
    ];
    const OTHER: [Catalogue; 7] = [
        DuResultCode,
        DuDiagnosticsResult,
        HttpStatus,
        ServiceError,
        AuthSubError,
        MqttConnack,
        DoHresult,
    ];
    match n.value {
        _ if n.form == NumberForm::Signed => &SIGNED,
        0..=5 => &CONNACK_RANGE,
        100..=599 => &HTTP_RANGE,
        100_000..=999_999 => &SIX_DIGIT,
        _ => &OTHER,
    }
}

fn push_erc(out: &mut Decoded, code: ExtendedResultCode, options: &DecodeOptions) {
    du::readings(code, options.agent_version, |meaning, reading| {
        if options
            .service
            .is_none_or(|s| meaning.services().contains(s))
        {
            out.push(Match::new(meaning, Some(reading)));
        }
    });
}

fn decode_number(out: &mut Decoded, n: ParsedNumber, options: &DecodeOptions) {
    out.set_number(n);
    match options.catalogue {
        Some(Catalogue::DuExtendedResultCode) => {
            push_erc(out, ExtendedResultCode::new(n.value), options)
        }
        Some(cat) => {
            for m in cat.lookup_number(n.value) {
                if options.admits(m) {
                    out.push_row(m);
                }
            }
        }
        None => {
            let erc = du::looks_like_erc(n.value, n.form);
            // A negative number is most likely a Device Update code unless it is a small result code.
            let erc_first = erc && n.form == NumberForm::Signed && (n.value as i32) < -7;
            if erc_first {
                push_erc(out, ExtendedResultCode::new(n.value), options);
            }
            push_bare_number(out, n, |m| options.admits(m));
            if erc && !erc_first {
                push_erc(out, ExtendedResultCode::new(n.value), options);
            }
        }
    }
}

/// Pushes the rows `keep` accepts of every catalogue a bare number is looked up in, most likely catalogue
/// first ([`catalogue_order`]). The rows are distinct rows of catalogues other than `du-extended-result-code`,
/// so they need neither a Device Update reading nor a duplicate check; a catalogue whose keys do not span the
/// number is skipped before its table is probed.
fn push_bare_number(out: &mut Decoded, n: ParsedNumber, keep: impl Fn(&Meaning) -> bool) {
    for &cat in catalogue_order(n) {
        // HRESULTs are failure codes: the high bit is always set.
        if cat == Catalogue::DoHresult && n.value < 0x8000_0000 {
            continue;
        }
        let rows = cat.lookup_number_in_range(n.value);
        let Some(first) = rows.first().map(row_index) else {
            continue;
        };
        for (row, m) in (first..).zip(rows) {
            if keep(m) {
                out.push_new(Match::of_row(row));
            }
        }
    }
}

/// How well `text` names `m`: 0 = its text code exactly, 1 = its name or an alias exactly, 2 = its text code
/// ignoring case, 3 = its name or an alias ignoring case. `IoTHubUnauthorized` thus puts IoT Central's row keyed
/// `IoTHubUnauthorized` before the `DEVICE_BLOCKED` row (named `IoTHubUnauthorized`) and before the service error
/// `IotHubUnauthorized`, which differs only in case.
fn name_rank(m: &Meaning, text: &str) -> Option<u8> {
    let code = match m.code() {
        Code::Text(t) => Some(t),
        Code::Number(_) | Code::Signed(_) => None,
    };
    let named =
        |eq: fn(&str, &str) -> bool| eq(m.name(), text) || m.aliases().iter().any(|a| eq(a, text));
    let exact = |a: &str, b: &str| a == b;
    let folded = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
    if code.is_some_and(|c| c == text) {
        Some(0)
    } else if named(exact) {
        Some(1)
    } else if code.is_some_and(|c| c.eq_ignore_ascii_case(text)) {
        Some(2)
    } else if named(folded) {
        Some(3)
    } else {
        None
    }
}

/// `"<number> <name>"`: rows that carry both, e.g. `404 Not Found`, `401 IoTHubUnauthorized`. Every answer is
/// one of the rows named `text` (the name index's answer for it, rarely more than a few), so the work is bounded
/// by those rows: no catalogue without one of them is probed, and their ranks come from the build script (only
/// a row that spells the name in two cases is compared with `text`).
fn decode_number_and_name(out: &mut Decoded, n: ParsedNumber, text: &str, options: &DecodeOptions) {
    out.set_number(n);
    let hits = NAMES.get(text);
    // First the rows a bare number finds (`push_bare_number`: most likely catalogue first, then table order)
    // that are named `text`. A row with a numeric code is found by its code (a test checks every table against
    // a scan of the rows); a row with a text code is looked for among the rows its catalogue holds the number for.
    let order = catalogue_order(n);
    let base = out.len();
    let mut found = [0u32; MAX_NAME_HITS];
    let mut len = 0;
    let mut answered = 0u64;
    for (i, &row) in hits.refs.iter().enumerate() {
        let Some(m) = ENTRIES.get(usize::from(row)) else {
            continue;
        };
        let cat = m.catalogue();
        let Some(pos) = order.iter().position(|&c| c == cat) else {
            continue;
        };
        let holds = match m.code() {
            Code::Number(_) | Code::Signed(_) => m.code_bits() == Some(n.value),
            Code::Text(_) => cat
                .lookup_number_in_range(n.value)
                .iter()
                .any(|r| core::ptr::eq(r, m)),
        };
        if !holds || (cat == Catalogue::DoHresult && n.value < 0x8000_0000) || !options.admits(m) {
            continue;
        }
        let Some(key) = found.get_mut(len) else {
            break;
        };
        *key = (pos as u32) << 16 | u32::from(row);
        len += 1;
        answered |= 1u64.checked_shl(i as u32).unwrap_or(0);
        out.push_new(Match::of_row(row));
    }
    out.sort_from(base, &mut found[..len]);
    // Then the other rows named `text` whose HTTP status or code is the number, best `name_rank` first.
    if len == hits.refs.len() {
        return;
    }
    push_named(out, text, &hits, |i, m| {
        answered & 1u64.checked_shl(i as u32).unwrap_or(0) == 0
            && (m.http_status().map(u32::from) == Some(n.value) || m.code_bits() == Some(n.value))
            && options.admits(m)
    });
}

fn decode_name(out: &mut Decoded, s: &str, options: &DecodeOptions) {
    push_named(out, s, &NAMES.get(s), |_, m| options.admits(m));
}

/// Pushes the rows named `text` (`hits`, the name index's answer for it) that `keep` accepts (given each row's
/// position in `hits.refs`), best [`name_rank`] first, ties in the index's order (today's meaning first). The
/// ranks come from the build script; only a row that spells the name in more than one case is compared. `out`
/// holds none of the rows `keep` accepts, so they are pushed without a duplicate check.
fn push_named(
    out: &mut Decoded,
    text: &str,
    hits: &NameHits,
    keep: impl Fn(usize, &Meaning) -> bool,
) {
    let refs = hits.refs;
    // One row (most names): nothing to rank.
    if let [only] = refs {
        if let Some(m) = ENTRIES.get(usize::from(*only)).filter(|m| keep(0, m)) {
            out.push_new(Match::of_entry(*only, m));
        }
        return;
    }
    // Pushed as they come, with (rank, position in `refs`) beside each, then put in that order.
    let base = out.len();
    let mut keys = [0u32; MAX_NAME_HITS];
    let mut len = 0;
    for (i, &row) in refs.iter().enumerate() {
        let Some(m) = ENTRIES.get(usize::from(row)).filter(|m| keep(i, m)) else {
            continue;
        };
        let (Some(rank), Some(key)) = (
            hits.rank(i).or_else(|| name_rank(m, text)),
            keys.get_mut(len),
        ) else {
            continue;
        };
        *key = u32::from(rank) << 8 | i as u32;
        len += 1;
        out.push_new(Match::of_entry(row, m));
    }
    out.sort_from(base, &mut keys[..len]);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `Result<Decoded, Error>` is no larger than `Decoded` (its tag sits in `FormTag`'s unused values), and
    /// `Decoded` is the MAX_MATCHES eight-byte matches and a word: what `decode_with`'s comment says.
    #[test]
    fn the_result_is_no_larger_than_its_matches() {
        use core::mem::size_of;
        assert_eq!(size_of::<Match>(), 8);
        assert_eq!(size_of::<Decoded>(), 8 * MAX_MATCHES + 8);
        assert_eq!(size_of::<Result<Decoded, Error>>(), size_of::<Decoded>());
    }

    /// Every catalogue's `lookup_number`, and the range-checked lookup `decode` uses, give exactly its rows with
    /// the number, checked against a scan of all rows for every number any row has (and its neighbours).
    #[test]
    fn number_lookups_equal_a_scan_of_the_rows() {
        extern crate std;
        use std::vec::Vec;
        // The number the build script reads from a row's code (text codes of digits included, as the
        // auth-suberror catalogue's "400209").
        let number_of = |m: &Meaning| match m.code() {
            Code::Number(n) => Some(n),
            Code::Signed(n) => Some(n as u32),
            Code::Text(t) => t.parse::<u32>().ok().or_else(|| {
                t.strip_prefix("0x")
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
            }),
        };
        let all = crate::rows();
        for m in all {
            let Some(n) = number_of(m) else { continue };
            for bits in [n.wrapping_sub(1), n, n.wrapping_add(1)] {
                for cat in Catalogue::ALL {
                    let scanned: Vec<usize> = (0..all.len())
                        .filter(|&i| all[i].catalogue() == cat && number_of(&all[i]) == Some(bits))
                        .collect();
                    for looked_up in [cat.lookup_number(bits), cat.lookup_number_in_range(bits)] {
                        let looked_up: Vec<usize> = looked_up
                            .iter()
                            .map(|r| usize::from(row_index(r)))
                            .collect();
                        assert_eq!(looked_up, scanned, "{cat} {bits}");
                    }
                }
            }
        }
    }

    /// Every spelling the name index holds for `m`: its name, its aliases and its text code.
    fn keys_of(m: &'static Meaning) -> impl Iterator<Item = &'static str> {
        let code = match m.code() {
            Code::Text(t) => Some(t),
            Code::Number(_) | Code::Signed(_) => None,
        };
        core::iter::once(m.name())
            .chain(m.aliases().iter().copied())
            .chain(code)
    }

    /// The ranks the build script stored beside the name index's rows are [`name_rank`]'s, for every key of
    /// every row as written, upper-cased and lower-cased (a rank it could not store is `None`, and
    /// `push_named` compares for it).
    #[test]
    fn stored_name_ranks_are_name_rank() {
        extern crate std;
        use std::string::String;
        let all = crate::rows();
        let mut compared = 0;
        for m in all {
            for key in keys_of(m) {
                for text in [
                    String::from(key),
                    key.to_ascii_uppercase(),
                    key.to_ascii_lowercase(),
                ] {
                    let hits = NAMES.get(&text);
                    assert!(!hits.refs.is_empty(), "{text:?}");
                    for (i, &row) in hits.refs.iter().enumerate() {
                        let row = &all[usize::from(row)];
                        match hits.rank(i) {
                            Some(rank) => assert_eq!(Some(rank), name_rank(row, &text), "{text:?}"),
                            None => compared += 1,
                        }
                    }
                }
            }
        }
        // Rows spelling a key in two cases exist but are few.
        assert!(compared < 100, "{compared} ranks left to comparisons");
    }

    /// `"<number> <name>"` answers what its definition says, computed here the slow way: the rows a bare
    /// number finds that are named `name` (catalogue by catalogue, in `catalogue_order`), then the other rows
    /// named `name` whose HTTP status or code is the number, by [`name_rank`], ties in index order. For every
    /// key of every row with every number of every row carrying that key (its code, its HTTP status).
    #[test]
    fn number_and_name_is_its_definition() {
        extern crate std;
        use std::format;
        use std::string::String;
        use std::vec::Vec;
        let all = crate::rows();
        let mut checked = 0;
        for m in all {
            for key in keys_of(m) {
                let refs = crate::catalogue::name_refs(key);
                let mut numbers: Vec<String> = Vec::new();
                for &r in refs {
                    let named = &all[usize::from(r)];
                    match named.code() {
                        Code::Number(v) => numbers.push(format!("{v}")),
                        Code::Signed(v) => numbers.push(format!("{v}")),
                        Code::Text(t) if t.bytes().all(|b| b.is_ascii_digit()) => {
                            numbers.push(t.into())
                        }
                        Code::Text(_) => {}
                    }
                    numbers.extend(named.http_status().map(|s| format!("{s}")));
                }
                for number in numbers {
                    let Ok(n) = parse_number(&number, "") else {
                        continue;
                    };
                    let mut want: Vec<u16> = Vec::new();
                    for &cat in catalogue_order(n) {
                        if cat == Catalogue::DoHresult && n.value < 0x8000_0000 {
                            continue;
                        }
                        for r in cat.lookup_number(n.value) {
                            let row = row_index(r);
                            if refs.contains(&row) {
                                want.push(row);
                            }
                        }
                    }
                    let mut rest: Vec<(u8, usize, u16)> = Vec::new();
                    for (i, &row) in refs.iter().enumerate() {
                        let r = &all[usize::from(row)];
                        let carries = r.http_status().map(u32::from) == Some(n.value)
                            || r.code_bits() == Some(n.value);
                        if carries && !want.contains(&row) {
                            rest.push((name_rank(r, key).unwrap(), i, row));
                        }
                    }
                    rest.sort();
                    want.extend(rest.iter().map(|&(_, _, row)| row));
                    let input = format!("{number} {key}");
                    let got: Vec<u16> = match decode(&input) {
                        Ok(d) => d.matches().iter().map(|x| x.row).collect(),
                        Err(_) => Vec::new(),
                    };
                    assert_eq!(got, want, "{input:?}");
                    checked += 1;
                }
            }
        }
        assert!(checked > 1000, "{checked}");
    }

    /// The name index answers exactly the rows [`name_rank`] finds a name for: `"<number> <name>"` keeps a
    /// number's rows by index membership instead of ranking each. Every key of every row, as written and in
    /// upper case, against every row.
    #[test]
    fn name_index_membership_is_name_rank_matching() {
        extern crate std;
        use std::string::String;
        use std::vec::Vec;
        let all = crate::rows();
        let mut keys: Vec<String> = Vec::new();
        for m in all {
            keys.extend(keys_of(m).map(String::from));
        }
        keys.sort();
        keys.dedup();
        for key in &keys {
            for text in [key.clone(), key.to_ascii_uppercase()] {
                let refs = crate::catalogue::name_refs(&text);
                for (i, m) in all.iter().enumerate() {
                    let listed = refs.contains(&u16::try_from(i).unwrap());
                    assert_eq!(listed, name_rank(m, &text).is_some(), "{text:?} row {i}");
                }
            }
        }
    }
}
