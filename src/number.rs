//! Parsing the textual forms of a number: decimal, `0x` hex and negative decimal (a signed 32-bit value as a
//! device twin shows it).

use crate::error::{Error, ErrorKind};

/// How a number was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum NumberForm {
    /// Unsigned decimal (`404001`).
    Decimal,
    /// `0x`-prefixed hexadecimal (`0x30501028`).
    Hex,
    /// Negative decimal, read as a signed 32-bit integer and reinterpreted as its unsigned bits
    /// (`-536870781` is `0xE0000083`).
    Signed,
}

/// A number parsed from text, with the form it was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ParsedNumber {
    /// The value as unsigned 32 bits.
    pub value: u32,
    /// How it was written.
    pub form: NumberForm,
}

/// What [`parse_number`] accepts, for error messages.
pub const NUMBER_EXPECTED: &str =
    "a decimal number, a 0x-prefixed hex number of at most 8 digits, or a negative 32-bit decimal";

/// Parses a decimal, `0x`-hex or negative decimal number that fits in 32 bits. Surrounding whitespace is ignored.
/// Allocation-free; linear in the input length.
///
/// ```
/// use azure_iot_codes::{parse_number, NumberForm};
/// assert_eq!(parse_number("404001", "").unwrap().value, 404001);
/// assert_eq!(parse_number(" 0x191 ", "").unwrap().value, 401);
/// let n = parse_number("-536870781", "").unwrap();
/// assert_eq!((n.value, n.form), (0xE000_0083, NumberForm::Signed));
/// assert!(parse_number("--1", "").is_err());
/// assert!(parse_number("4294967296", "").is_err());
/// ```
pub fn parse_number(input: &str, expected: &'static str) -> Result<ParsedNumber, Error> {
    let expected = if expected.is_empty() {
        NUMBER_EXPECTED
    } else {
        expected
    };
    let s = trim(input);
    if let Some(n) = short_number(s) {
        return Ok(n);
    }
    let malformed = || Error::new(ErrorKind::Malformed, input, expected);
    let too_big = || Error::new(ErrorKind::OutOfRange, input, expected);
    if s.is_empty() {
        return Err(Error::new(ErrorKind::Empty, input, expected));
    }
    if let Some(hex) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        if hex.is_empty() || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(malformed());
        }
        let significant = hex.trim_start_matches('0');
        if significant.len() > 8 {
            return Err(too_big());
        }
        let value = u32::from_str_radix(
            if significant.is_empty() {
                "0"
            } else {
                significant
            },
            16,
        )
        .map_err(|_| malformed())?;
        return Ok(ParsedNumber {
            value,
            form: NumberForm::Hex,
        });
    }
    if let Some(digits) = s.strip_prefix('-') {
        let magnitude = decimal(digits).ok_or_else(malformed)?.ok_or_else(too_big)?;
        if magnitude > 1 << 31 {
            return Err(too_big());
        }
        // Two's complement of the magnitude: the bit pattern of the signed value.
        let value = (magnitude as u32).wrapping_neg();
        return Ok(ParsedNumber {
            value,
            form: NumberForm::Signed,
        });
    }
    let value = decimal(s).ok_or_else(malformed)?.ok_or_else(too_big)?;
    let value = u32::try_from(value).map_err(|_| too_big())?;
    Ok(ParsedNumber {
        value,
        form: NumberForm::Decimal,
    })
}

/// The fast path of [`parse_number`]: 1 to 9 plain ASCII digits (which always fit in a `u32`), in one pass.
#[inline]
pub(crate) fn short_decimal(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 9 {
        return None;
    }
    s.bytes().try_fold(0u32, |acc, b| {
        let d = b.wrapping_sub(b'0');
        (d <= 9).then(|| acc * 10 + u32::from(d))
    })
}

/// `0x` (or `0X`) and 1 to 8 hex digits, in one pass: the common hex spelling, which always fits in a `u32`.
#[inline]
pub(crate) fn short_hex(s: &str) -> Option<u32> {
    let hex = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X"))?;
    if hex.is_empty() || hex.len() > 8 {
        return None;
    }
    hex.bytes().try_fold(0u32, |acc, b| {
        let d = match b {
            b'0'..=b'9' => b - b'0',
            b'a'..=b'f' => b - b'a' + 10,
            b'A'..=b'F' => b - b'A' + 10,
            _ => return None,
        };
        Some(acc << 4 | u32::from(d))
    })
}

/// The fast paths of [`parse_number`]: a short decimal or a short `0x` number, with its form.
#[inline]
pub(crate) fn short_number(s: &str) -> Option<ParsedNumber> {
    if let Some(value) = short_decimal(s) {
        return Some(ParsedNumber {
            value,
            form: NumberForm::Decimal,
        });
    }
    short_hex(s).map(|value| ParsedNumber {
        value,
        form: NumberForm::Hex,
    })
}

/// `str::trim`, skipped when the ends are visibly not whitespace (the common case, and the cheap check).
pub(crate) fn trim(input: &str) -> &str {
    let b = input.as_bytes();
    match (b.first(), b.last()) {
        (Some(f), Some(l)) if f.is_ascii_graphic() && l.is_ascii_graphic() => input,
        _ => input.trim(),
    }
}

/// `None`: not all ASCII digits (or empty). `Some(None)`: digits, but more than `u64` holds.
pub(crate) fn decimal(s: &str) -> Option<Option<u64>> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(s.bytes().try_fold(0u64, |acc, b| {
        acc.checked_mul(10)?.checked_add(u64::from(b - b'0'))
    }))
}
