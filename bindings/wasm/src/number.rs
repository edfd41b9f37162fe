//! JavaScript numbers as code arguments.
//!
//! `decode(404001)` and `lookup("http-status", 429)` take a JS number as well as text. A whole number is written
//! in decimal and decoded exactly like the text would be, so `-1` means the signed 32-bit value `0xFFFFFFFF` in
//! both forms and the core parser alone decides what is out of range. Anything else (a fraction, `NaN`,
//! `Infinity`) is rejected here, because no decimal text represents it.

use azure_iot_codes::ErrorKind;

use crate::error::Rejection;

/// What a JS number argument must be.
pub(crate) const WHOLE_NUMBER_EXPECTED: &str =
    "a whole number from -2147483648 to 4294967295, or the code as text";

/// The largest magnitude up to which every integer is exactly representable as a JS number (2^53).
const MAX_EXACT: f64 = 9_007_199_254_740_992.0;

/// The decimal text the core parser reads for the JS number `n` (`404001.0` -> `"404001"`, `-1.0` -> `"-1"`),
/// or why there is none (`1.5`: malformed).
pub(crate) fn number_text(n: f64) -> Result<String, Rejection> {
    if !n.is_finite() || n.fract() != 0.0 {
        return Err(Rejection::new(
            ErrorKind::Malformed,
            &js_number_text(n),
            "not a whole number",
            WHOLE_NUMBER_EXPECTED,
        ));
    }
    if n.abs() > MAX_EXACT {
        // Far outside 32 bits, and no longer the integer the caller wrote: say so rather than round.
        return Err(Rejection::new(
            ErrorKind::OutOfRange,
            &js_number_text(n),
            "the number does not fit in 32 bits",
            WHOLE_NUMBER_EXPECTED,
        ));
    }
    // In range of i64 and whole: the cast is exact (and turns -0 into 0).
    Ok(format!("{}", n as i64))
}

/// `n` as JavaScript's `String(n)` writes it: `NaN`, `Infinity`, `0` for `-0`, shortest round-trip digits, and
/// exponent notation (`1e+300`) from 10^21 on.
pub(crate) fn js_number_text(n: f64) -> String {
    if n.is_nan() {
        "NaN".to_owned()
    } else if n.is_infinite() {
        if n > 0.0 { "Infinity" } else { "-Infinity" }.to_owned()
    } else if n == 0.0 {
        "0".to_owned()
    } else if n.abs() < 1e21 {
        // Rust's Display also prints the shortest digits that round-trip, without an exponent.
        format!("{n}")
    } else {
        format!("{n:e}").replacen('e', "e+", 1)
    }
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
    fn other_numbers_are_rejected_with_their_js_spelling() {
        // (JS number, kind, input as JS prints it)
        let table: &[(f64, &str, &str)] = &[
            (1.5, "malformed", "1.5"),
            (f64::NAN, "malformed", "NaN"),
            (f64::INFINITY, "malformed", "Infinity"),
            (f64::NEG_INFINITY, "malformed", "-Infinity"),
            (1e300, "out-of-range", "1e+300"),
            (-1e21, "out-of-range", "-1e+21"),
            (0.30000000000000004, "malformed", "0.30000000000000004"),
            (-MAX_EXACT * 2.0, "out-of-range", "-18014398509481984"),
        ];
        for &(n, kind, input) in table {
            let r = number_text(n).unwrap_err();
            assert_eq!((r.kind(), r.input()), (kind, input), "{n}");
            assert_eq!(r.expected(), WHOLE_NUMBER_EXPECTED);
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
