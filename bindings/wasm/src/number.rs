//! JavaScript numbers as code arguments.
//!
//! `decode(404001)` and `lookup("http-status", 429)` take a JS number as well as text. A whole number is written
//! in decimal and decoded exactly like the text would be, so `-1` means the signed 32-bit value `0xFFFFFFFF` in
//! both forms and the core parser alone decides what is out of range. Anything else (a fraction, `NaN`,
//! `Infinity`) is rejected here, because no decimal text represents it; the error names the number as
//! JavaScript writes it.

use azure_iot_codes::ErrorKind;

use crate::error::Rejection;

/// What a JS number argument must be.
pub(crate) const WHOLE_NUMBER_EXPECTED: &str =
    "a whole number from -2147483648 to 4294967295, or the code as text";

/// The largest magnitude up to which every integer is exactly representable as a JS number (2^53).
pub(crate) const MAX_EXACT: f64 = 9_007_199_254_740_992.0;

/// The decimal text the core parser reads for the JS number `n` (`404001.0` -> `"404001"`, `-1.0` -> `"-1"`),
/// or why there is none (`1.5`: malformed), naming `n` as JavaScript writes it.
pub(crate) fn number_text(n: f64) -> Result<String, Rejection> {
    whole_number(n)
        .map(|i| format!("{i}"))
        .map_err(|(kind, reason)| {
            Rejection::new(kind, &js_number_text(n), reason, WHOLE_NUMBER_EXPECTED)
        })
}

/// `n` as an integer when it is a whole number JS numbers represent exactly, else the kind of error and why.
fn whole_number(n: f64) -> Result<i64, (ErrorKind, &'static str)> {
    if !n.is_finite() || n.fract() != 0.0 {
        return Err((ErrorKind::Malformed, "not a whole number"));
    }
    if n.abs() > MAX_EXACT {
        // Far outside 32 bits, and no longer the integer the caller wrote: say so rather than round.
        return Err((ErrorKind::OutOfRange, "the number does not fit in 32 bits"));
    }
    // In range of i64 and whole: the cast is exact (and turns -0 into 0).
    Ok(n as i64)
}

/// `n` as JavaScript's `String(n)` writes it (`1.5`, `NaN`, `1e+300`), by asking JavaScript: Rust's float
/// formatting would add about 11 KB (gzipped) to the module for error messages alone.
pub(crate) fn js_number_text(n: f64) -> String {
    js_sys::Number::from(n)
        .to_string_with_radix(10)
        .map(String::from)
        .unwrap_or_else(|_| String::from("a number"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_numbers_become_decimal_text() {
        // (JS number, text handed to the core parser)
        let table: &[(f64, &str)] = &[
            (0.0, "0"),
            (-0.0, "0"),
            (404001.0, "404001"),
            (4294967295.0, "4294967295"),
            (4294967296.0, "4294967296"), // the parser rejects it as out of range
            (-1.0, "-1"),
            (-2147483648.0, "-2147483648"),
            (MAX_EXACT, "9007199254740992"),
        ];
        for &(n, text) in table {
            assert_eq!(number_text(n).unwrap(), text, "{n}");
        }
    }

    #[test]
    fn other_numbers_are_rejected_with_their_kind() {
        // (JS number, kind) — the JS spelling of the input is checked by the wasm-bindgen and node:test suites,
        // since it comes from JavaScript itself.
        let table: &[(f64, ErrorKind)] = &[
            (1.5, ErrorKind::Malformed),
            (f64::NAN, ErrorKind::Malformed),
            (f64::INFINITY, ErrorKind::Malformed),
            (f64::NEG_INFINITY, ErrorKind::Malformed),
            (1e300, ErrorKind::OutOfRange),
            (-1e21, ErrorKind::OutOfRange),
            (0.30000000000000004, ErrorKind::Malformed),
            (-MAX_EXACT * 2.0, ErrorKind::OutOfRange),
        ];
        for &(n, kind) in table {
            assert_eq!(whole_number(n).unwrap_err().0, kind, "{n}");
        }
    }

    #[test]
    fn number_text_reads_back_as_the_same_32_bit_value() {
        // (JS number, the unsigned 32-bit value the core reads)
        let table: &[(f64, u32)] = &[
            (0.0, 0),
            (5.0, 5),
            (404001.0, 404001),
            (4294967295.0, u32::MAX),
            (-1.0, u32::MAX),
            (-536870781.0, 0xE000_0083),
        ];
        for &(n, value) in table {
            let text = number_text(n).unwrap();
            assert_eq!(
                azure_iot_codes::parse_number(&text, "").unwrap().value,
                value,
                "{n}"
            );
        }
    }
}
