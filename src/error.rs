//! The error type: what went wrong, the input that caused it and what was expected.

use core::fmt;

/// What kind of input was rejected.
///
/// The identifiers ([`ErrorKind::as_str`]) are stable: the C binding returns them as status codes and the WASM
/// binding as the `kind` of its `Error` objects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The input was empty or only whitespace.
    Empty,
    /// The input is not shaped like any code (`--1`, `0x`, `4o4`).
    Malformed,
    /// A number outside the range accepted: more than 32 bits, or outside what the parser takes (an HTTP status
    /// outside 100-599, an agent version part past 65535, more than 9 codes in a list).
    OutOfRange,
    /// Well-formed, but no catalogue (or none of those asked for) has it.
    NotFound,
    /// Not a catalogue identifier.
    UnknownCatalogue,
    /// Not a service identifier.
    UnknownService,
    /// The bytes given are not UTF-8.
    InvalidUtf8,
    /// The input is longer than the parser accepts (a payload over [`crate::payload::Limits`]), or, for
    /// pasted CLI output, nested deeper.
    TooLarge,
    /// A payload nests objects/arrays deeper than the nesting limit.
    TooDeep,
    /// A payload ends in the middle of a value (JSON cut short, an unterminated CSV quote).
    Truncated,
    /// Not valid JSON.
    InvalidJson,
    /// Not a well-formed MQTT response topic (or `iothub-errorcode` header line).
    InvalidTopic,
    /// Not a well-formed CSV header and row.
    InvalidCsv,
    /// Valid text or JSON, but not a payload shape this crate knows.
    UnknownShape,
    /// A payload of a known shape whose field has the wrong type or value.
    InvalidField,
}

impl ErrorKind {
    /// The stable identifier, e.g. `"not-found"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Empty => "empty",
            ErrorKind::Malformed => "malformed",
            ErrorKind::OutOfRange => "out-of-range",
            ErrorKind::NotFound => "not-found",
            ErrorKind::UnknownCatalogue => "unknown-catalogue",
            ErrorKind::UnknownService => "unknown-service",
            ErrorKind::InvalidUtf8 => "invalid-utf8",
            ErrorKind::TooLarge => "too-large",
            ErrorKind::TooDeep => "too-deep",
            ErrorKind::Truncated => "truncated",
            ErrorKind::InvalidJson => "invalid-json",
            ErrorKind::InvalidTopic => "invalid-topic",
            ErrorKind::InvalidCsv => "invalid-csv",
            ErrorKind::UnknownShape => "unknown-shape",
            ErrorKind::InvalidField => "invalid-field",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where in the input, or against which limit, an [`Error`] was found. Kept inline (no allocation).
///
/// ```
/// use azure_iot_codes::{payload::decode_payload, Detail, ErrorKind};
/// let e = decode_payload("{\"errorCode\": 401").unwrap_err();
/// assert_eq!(e.kind(), ErrorKind::Truncated);
/// assert!(matches!(e.detail(), Detail::At { line: 1, .. }));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Detail {
    /// Nothing more to say than the kind.
    #[default]
    None,
    /// A position: 1-based line and column (columns count bytes).
    At {
        /// 1-based line.
        line: u32,
        /// 1-based byte column.
        column: u32,
    },
    /// A byte offset into the input (e.g. the first byte that is not UTF-8).
    Offset(usize),
    /// The size limit was exceeded: the limit and the input's size, in bytes.
    Size {
        /// The configured limit in bytes.
        limit: usize,
        /// The input's size in bytes.
        found: usize,
    },
    /// The nesting limit was exceeded at this position (1-based line and byte column).
    Depth {
        /// The configured limit in levels.
        limit: usize,
        /// 1-based line of the bracket that went past the limit.
        line: u32,
        /// 1-based byte column of that bracket.
        column: u32,
    },
    /// The field that was wrong, as a dotted path (`registrationState.errorCode`).
    Field(&'static str),
    /// A count that differs from what was expected (the fields of a CSV row against its header's columns).
    Count {
        /// How many were expected.
        expected: usize,
        /// How many there are.
        found: usize,
    },
}

impl fmt::Display for Detail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Detail::None => Ok(()),
            Detail::At { line, column } => write!(f, " at line {line} column {column}"),
            Detail::Offset(at) => write!(f, " at byte {at}"),
            Detail::Size { limit, found } => write!(f, " ({found} bytes, limit {limit})"),
            Detail::Depth {
                limit,
                line,
                column,
            } => write!(
                f,
                " (more than {limit} levels at line {line} column {column})"
            ),
            Detail::Field(path) => write!(f, " in field `{path}`"),
            Detail::Count { expected, found } => write!(f, " (found {found}, expected {expected})"),
        }
    }
}

/// How many bytes of the offending input an [`Error`] keeps (the rest is summarised by its length).
pub const INPUT_SNIPPET_LEN: usize = 48;

/// An input was rejected. Names the input (its first [`INPUT_SNIPPET_LEN`] bytes, kept inline so that creating
/// an error never allocates) and says what was expected.
///
/// ```
/// let e = azure_iot_codes::decode("4o4").unwrap_err();
/// assert_eq!(e.kind(), azure_iot_codes::ErrorKind::Malformed);
/// assert_eq!(e.input(), "4o4");
/// assert!(e.to_string().contains("\"4o4\""));
/// ```
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "cannot decode {}: {}{} (expected {})",
    DisplayInput(self),
    self.reason(),
    self.detail,
    self.expected
)]
pub struct Error {
    kind: ErrorKind,
    detail: Detail,
    snippet: [u8; INPUT_SNIPPET_LEN],
    snippet_len: u8,
    input_len: usize,
    expected: &'static str,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind, input: &str, expected: &'static str) -> Error {
        Error::from_bytes(kind, input.as_bytes(), expected)
    }

    /// An error about a number (written into the snippet in decimal, no allocation).
    pub(crate) fn for_number(kind: ErrorKind, n: u64, expected: &'static str) -> Error {
        let mut digits = [0u8; 20];
        let mut i = digits.len();
        let mut v = n;
        loop {
            i -= 1;
            digits[i] = b'0' + (v % 10) as u8;
            v /= 10;
            if v == 0 {
                break;
            }
        }
        Error::from_bytes(kind, &digits[i..], expected)
    }

    pub(crate) fn from_bytes(kind: ErrorKind, input: &[u8], expected: &'static str) -> Error {
        let mut snippet = [0u8; INPUT_SNIPPET_LEN];
        // Cut on a char boundary when the input is UTF-8, so `input()` stays valid text.
        let mut n = input.len().min(INPUT_SNIPPET_LEN);
        if let Ok(s) = core::str::from_utf8(input) {
            while !s.is_char_boundary(n) {
                n -= 1;
            }
        }
        snippet[..n].copy_from_slice(&input[..n]);
        Error {
            kind,
            detail: Detail::None,
            snippet,
            snippet_len: n as u8,
            input_len: input.len(),
            expected,
        }
    }

    /// The same error with `detail` attached.
    pub(crate) const fn with_detail(mut self, detail: Detail) -> Error {
        self.detail = detail;
        self
    }

    /// What kind of input was rejected.
    pub const fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// Where in the input, or against which limit, the problem was found.
    pub const fn detail(&self) -> Detail {
        self.detail
    }

    /// The rejected input, or its first bytes when longer than [`INPUT_SNIPPET_LEN`] (see
    /// [`Error::input_len`]). Bytes that are not UTF-8 are not shown; [`Error::input_bytes`] has them.
    pub fn input(&self) -> &str {
        let b = self.input_bytes();
        match core::str::from_utf8(b) {
            Ok(s) => s,
            Err(e) => core::str::from_utf8(&b[..e.valid_up_to()]).unwrap_or(""),
        }
    }

    /// The kept bytes of the rejected input.
    pub fn input_bytes(&self) -> &[u8] {
        &self.snippet[..usize::from(self.snippet_len)]
    }

    /// Length in bytes of the whole rejected input.
    pub const fn input_len(&self) -> usize {
        self.input_len
    }

    /// What would have been accepted.
    pub const fn expected(&self) -> &'static str {
        self.expected
    }

    fn reason(&self) -> &'static str {
        match self.kind {
            ErrorKind::Empty => "the input is empty",
            ErrorKind::Malformed => "not shaped like a code",
            // The `expected` text says which range: 32 bits, 100-599, six digits, at most 9 codes...
            ErrorKind::OutOfRange => "out of range",
            ErrorKind::NotFound => "no catalogue has it",
            ErrorKind::UnknownCatalogue => "unknown catalogue",
            ErrorKind::UnknownService => "unknown service",
            ErrorKind::InvalidUtf8 => "the input is not valid UTF-8",
            ErrorKind::TooLarge => "the input is too long or nested too deeply",
            ErrorKind::TooDeep => "the input nests deeper than the limit",
            ErrorKind::Truncated => "the input ends in the middle of a value",
            ErrorKind::InvalidJson => "not valid JSON",
            ErrorKind::InvalidTopic => "not a well-formed response topic",
            ErrorKind::InvalidCsv => "not well-formed CSV",
            ErrorKind::UnknownShape => "not a payload shape this crate knows",
            ErrorKind::InvalidField => "a field has the wrong type or value",
        }
    }
}

struct DisplayInput<'a>(&'a Error);

impl fmt::Display for DisplayInput<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let e = self.0;
        write!(f, "{:?}", e.input())?;
        if e.input_len > usize::from(e.snippet_len) {
            write!(f, " (first {} of {} bytes)", e.snippet_len, e.input_len)?;
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.kind)
            .field("detail", &self.detail)
            .field("input", &self.input())
            .field("input_len", &self.input_len)
            .field("expected", &self.expected)
            .finish()
    }
}
