//! `parse_number` against an independent reading of the same grammar (decimal, 0x-hex of at most 8 significant
//! digits, negative 32-bit decimal; surrounding whitespace ignored): same answer, same error kind.
#![no_main]

use azure_iot_codes::{ErrorKind, NumberForm, parse_number};
use azure_iot_codes_fuzz::assert_names_input;
use libfuzzer_sys::fuzz_target;

/// The reference: what the documentation says `parse_number` accepts, written plainly with wide integers.
fn reference(input: &str) -> Result<(u32, NumberForm), ErrorKind> {
    let t = input.trim();
    if t.is_empty() {
        return Err(ErrorKind::Empty);
    }
    let all = |s: &str, f: fn(&u8) -> bool| !s.is_empty() && s.bytes().all(|b| f(&b));
    if let Some(hex) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        if !all(hex, u8::is_ascii_hexdigit) {
            return Err(ErrorKind::Malformed);
        }
        let significant = hex.trim_start_matches('0');
        if significant.len() > 8 {
            return Err(ErrorKind::OutOfRange);
        }
        let v = u64::from_str_radix(
            if significant.is_empty() {
                "0"
            } else {
                significant
            },
            16,
        );
        return Ok((v.map_err(|_| ErrorKind::Malformed)? as u32, NumberForm::Hex));
    }
    let (negative, digits) = match t.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, t),
    };
    if !all(digits, u8::is_ascii_digit) {
        return Err(ErrorKind::Malformed);
    }
    let significant = digits.trim_start_matches('0');
    if significant.len() > 12 {
        return Err(ErrorKind::OutOfRange);
    }
    let magnitude: i128 = if significant.is_empty() {
        0
    } else {
        significant.parse().unwrap()
    };
    if negative {
        if magnitude > 1 << 31 {
            return Err(ErrorKind::OutOfRange);
        }
        Ok(((-magnitude) as i32 as u32, NumberForm::Signed))
    } else if magnitude > i128::from(u32::MAX) {
        Err(ErrorKind::OutOfRange)
    } else {
        Ok((magnitude as u32, NumberForm::Decimal))
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let s: &str = &text;
    let got = parse_number(s, "");
    match (&got, reference(s)) {
        (Ok(n), Ok((value, form))) => assert_eq!((n.value, n.form), (value, form), "{s:?}"),
        (Err(e), Err(kind)) => {
            assert_eq!(e.kind(), kind, "{s:?}: {e:?}");
            assert_names_input(e, s.as_bytes());
        }
        (got, want) => panic!("{s:?}: parse_number gave {got:?}, the reference {want:?}"),
    }
    // A caller's own `expected` text is what the error carries.
    if let Err(e) = parse_number(s, "a test's expectation") {
        assert_eq!(e.expected(), "a test's expectation");
    }
});
