//! Decimal text to `f64`, for the numbers [`super::Value`] keeps as written: [`is_float`] says whether text is a
//! number in the grammar of `f64`'s `FromStr`, [`parse`] gives the value that `text.parse::<f64>()` gives.
//!
//! Why not `str::parse::<f64>`: it brings the standard library's float parser into the WebAssembly module,
//! whose 10 KB table of powers of five and 6 KB of code weigh on every user of the payload module for the rare
//! number of a pasted telemetry event (bindings/wasm/README.md, "Size"). Here the common case (at most 15
//! digits and a power of ten up to 22) is one exact `f64` multiplication or division, correctly rounded by
//! IEEE 754 itself; the rest is exact big-integer arithmetic, slow but small. The tests compare both functions
//! with the standard library's on tables, edge cases and random text.

extern crate alloc;

use alloc::vec::Vec;

/// Significant digits kept: more never change the rounding once the digits left out are remembered as one
/// non-zero digit after these (a value halfway between two `f64`s has at most 767 significant digits).
const MAX_DIGITS: usize = 800;

/// Exponents are read up to this size: anything larger already means infinity or zero.
const EXP_CAP: i64 = 1 << 40;

/// The powers of ten that are exact `f64`s.
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// A number as written: sign, integer and fraction digits, exponent.
struct Parts<'a> {
    negative: bool,
    int: &'a [u8],
    frac: &'a [u8],
    exp: i64,
}

enum Scan<'a> {
    Infinity(bool),
    NaN,
    Number(Parts<'a>),
}

/// Whether `text` is a number `f64`'s `FromStr` reads: an optional sign, then `inf`, `infinity` or `nan` in any
/// case, or digits with an optional `.` and fraction (at least one digit in all) and an optional exponent
/// (`e` or `E`, optional sign, digits). No spaces, no `_`.
pub(crate) fn is_float(text: &str) -> bool {
    scan(text).is_some()
}

/// The `f64` nearest to `text` (ties to even), as `text.parse::<f64>().ok()` gives it; `None` when
/// [`is_float`] is false.
pub(crate) fn parse(text: &str) -> Option<f64> {
    Some(match scan(text)? {
        Scan::NaN => f64::NAN,
        Scan::Infinity(negative) => {
            if negative {
                f64::NEG_INFINITY
            } else {
                f64::INFINITY
            }
        }
        Scan::Number(p) => {
            let m = magnitude(&p);
            if p.negative { -m } else { m }
        }
    })
}

fn strip_sign(b: &[u8]) -> (bool, &[u8]) {
    match b.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, b),
    }
}

fn leading_digits(b: &[u8]) -> usize {
    b.iter().take_while(|c| c.is_ascii_digit()).count()
}

fn scan(text: &str) -> Option<Scan<'_>> {
    let (negative, b) = strip_sign(text.as_bytes());
    if b.eq_ignore_ascii_case(b"inf") || b.eq_ignore_ascii_case(b"infinity") {
        return Some(Scan::Infinity(negative));
    }
    if b.eq_ignore_ascii_case(b"nan") {
        return Some(Scan::NaN);
    }
    let n = leading_digits(b);
    let (int, mut rest) = b.split_at(n);
    let mut frac: &[u8] = &[];
    if let Some((b'.', after)) = rest.split_first() {
        let m = leading_digits(after);
        (frac, rest) = after.split_at(m);
    }
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    let mut exp = 0i64;
    if let Some((b'e' | b'E', after)) = rest.split_first() {
        let (exp_negative, after) = strip_sign(after);
        let m = leading_digits(after);
        if m == 0 {
            return None;
        }
        let (digits, after) = after.split_at(m);
        for &d in digits {
            exp = (exp * 10 + i64::from(d - b'0')).min(EXP_CAP);
        }
        if exp_negative {
            exp = -exp;
        }
        rest = after;
    }
    rest.is_empty().then_some(Scan::Number(Parts {
        negative,
        int,
        frac,
        exp,
    }))
}

/// The absolute value of a scanned number.
fn magnitude(p: &Parts<'_>) -> f64 {
    // The value is digits * 10^exp10, digits without leading zeros (and, below, without trailing ones).
    let frac_len = i64::try_from(p.frac.len()).unwrap_or(EXP_CAP);
    let mut exp10 = p.exp - frac_len;
    let mut digits: Vec<u8> = Vec::new();
    let mut dropped_nonzero = false;
    for &c in p.int.iter().chain(p.frac) {
        let d = c - b'0';
        if digits.is_empty() && d == 0 {
            continue;
        }
        if digits.len() < MAX_DIGITS {
            digits.push(d);
        } else {
            dropped_nonzero |= d != 0;
            exp10 += 1;
        }
    }
    while digits.last() == Some(&0) {
        digits.pop();
        exp10 += 1;
    }
    if digits.is_empty() {
        return 0.0;
    }
    if dropped_nonzero {
        digits.push(1);
        exp10 -= 1;
    }
    let n = i64::try_from(digits.len()).unwrap_or(EXP_CAP);
    // The value lies in [10^(n + exp10 - 1), 10^(n + exp10)).
    if n + exp10 <= -324 {
        // Below 1e-324, less than half the smallest subnormal (about 4.9e-324).
        return 0.0;
    }
    if n + exp10 > 310 {
        return f64::INFINITY;
    }
    if n <= 15 && (-22..=22).contains(&exp10) {
        // Both operands are exact, so the one rounding IEEE 754 does is the right one.
        let mut w = 0u64;
        for &d in &digits {
            w = w * 10 + u64::from(d);
        }
        // w < 10^15 < 2^53: exact.
        let w = w as f64;
        let k = usize::try_from(exp10.unsigned_abs()).unwrap_or(0);
        return if exp10 >= 0 {
            w * POW10[k]
        } else {
            w / POW10[k]
        };
    }
    let mut big = Big::from_digits(&digits);
    if exp10 >= 0 {
        big.mul_pow10(exp10.unsigned_abs());
        let (top, sticky, shift) = big.top64();
        round(top, sticky, shift)
    } else {
        let mut den = Big::from_digits(&[1]);
        den.mul_pow10(exp10.unsigned_abs());
        // A quotient of 63 or 64 bits: num * 2^s / den with s = bits(den) - bits(num) + 63.
        let s = den.bits() - big.bits() + 63;
        if s >= 0 {
            big.shl(s.unsigned_abs());
        } else {
            den.shl(s.unsigned_abs());
        }
        let (q, rem_nonzero) = big.div_small_quotient(&den);
        round(q, rem_nonzero, -s)
    }
}

/// `(q + a fraction, non-zero when sticky) * 2^exp2` rounded to the nearest `f64`, ties to even.
fn round(q: u64, sticky: bool, exp2: i64) -> f64 {
    if q == 0 {
        return 0.0;
    }
    let len = i64::from(64 - q.leading_zeros());
    let mut e = len - 1 + exp2;
    if e > 1023 {
        return f64::INFINITY;
    }
    // Bits of precision at this exponent: 53, fewer for subnormals (the last one is 2^-1074).
    let p = if e >= -1022 { 53 } else { e + 1075 };
    if p <= 0 {
        // Below 2^-1074: the smallest subnormal when above half of it, else zero (a tie goes to zero, even).
        let above_half = p == 0 && (sticky || !q.is_power_of_two());
        return if above_half { f64::from_bits(1) } else { 0.0 };
    }
    let drop = len - p;
    let mut m = if drop <= 0 {
        q << drop.unsigned_abs()
    } else {
        let drop = u32::try_from(drop).unwrap_or(63);
        let m = q >> drop;
        let half = 1u64 << (drop - 1);
        let rest = q & ((half << 1) - 1);
        let up = rest > half || (rest == half && (sticky || m & 1 == 1));
        m + u64::from(up)
    };
    if p == 53 {
        if m == 1 << 53 {
            m >>= 1;
            e += 1;
            if e > 1023 {
                return f64::INFINITY;
            }
        }
        let biased = u64::try_from(e + 1023).unwrap_or(0);
        f64::from_bits((biased << 52) | (m & ((1 << 52) - 1)))
    } else {
        // A subnormal: the bits are the significand (2^52 after rounding up is the smallest normal).
        f64::from_bits(m)
    }
}

/// An unsigned big integer, 32-bit limbs, least significant first, no high zero limbs.
struct Big(Vec<u32>);

impl Big {
    fn from_digits(digits: &[u8]) -> Big {
        let mut b = Big(Vec::new());
        for &d in digits {
            b.mul_add(10, u32::from(d));
        }
        b
    }

    /// `self = self * m + a`.
    fn mul_add(&mut self, m: u32, a: u32) {
        let mut carry = u64::from(a);
        for limb in &mut self.0 {
            let v = u64::from(*limb) * u64::from(m) + carry;
            *limb = v as u32;
            carry = v >> 32;
        }
        if carry > 0 {
            self.0.push(carry as u32);
        }
    }

    fn mul_pow10(&mut self, mut k: u64) {
        while k >= 9 {
            self.mul_add(1_000_000_000, 0);
            k -= 9;
        }
        for _ in 0..k {
            self.mul_add(10, 0);
        }
    }

    fn bits(&self) -> i64 {
        match self.0.last() {
            None => 0,
            Some(&top) => {
                let limbs = i64::try_from(self.0.len()).unwrap_or(i64::MAX / 64);
                limbs * 32 - i64::from(top.leading_zeros())
            }
        }
    }

    fn bit(&self, i: u64) -> bool {
        let limb = usize::try_from(i / 32).unwrap_or(usize::MAX);
        self.0.get(limb).is_some_and(|l| l >> (i % 32) & 1 == 1)
    }

    /// The top 64 bits (all of them when fewer), whether any bit below them is set, and their shift.
    fn top64(&self) -> (u64, bool, i64) {
        let bits = self.bits();
        let shift = (bits - 64).max(0);
        let low = shift.unsigned_abs();
        let mut top = 0u64;
        for i in (low..bits.unsigned_abs()).rev() {
            top = top << 1 | u64::from(self.bit(i));
        }
        let sticky = (0..low).any(|i| self.bit(i));
        (top, sticky, shift)
    }

    fn shl(&mut self, n: u64) {
        let limbs = usize::try_from(n / 32).unwrap_or(0);
        let bits = (n % 32) as u32;
        if bits > 0 {
            let mut carry = 0u32;
            for limb in &mut self.0 {
                let v = *limb;
                *limb = v << bits | carry;
                carry = v >> (32 - bits);
            }
            if carry > 0 {
                self.0.push(carry);
            }
        }
        if limbs > 0 && !self.0.is_empty() {
            let mut shifted = alloc::vec![0; limbs];
            shifted.extend_from_slice(&self.0);
            self.0 = shifted;
        }
    }

    /// `self / den` when the quotient is below 2^64, and whether a remainder is left (`self` keeps it).
    fn div_small_quotient(&mut self, den: &Big) -> (u64, bool) {
        let mut d = Big(den.0.clone());
        d.shl(63);
        let mut q = 0u64;
        for i in (0..64).rev() {
            if !self.less_than(&d) {
                self.sub(&d);
                q |= 1 << i;
            }
            d.shr1();
        }
        (q, !self.0.is_empty())
    }

    fn shr1(&mut self) {
        let mut carry = 0u32;
        for limb in self.0.iter_mut().rev() {
            let v = *limb;
            *limb = v >> 1 | carry << 31;
            carry = v & 1;
        }
        while self.0.last() == Some(&0) {
            self.0.pop();
        }
    }

    fn less_than(&self, other: &Big) -> bool {
        self.0.len() < other.0.len()
            || (self.0.len() == other.0.len() && self.0.iter().rev().lt(other.0.iter().rev()))
    }

    /// `self -= other`, when `self >= other`.
    fn sub(&mut self, other: &Big) {
        let mut borrow = 0u64;
        for (i, limb) in self.0.iter_mut().enumerate() {
            let o = u64::from(other.0.get(i).copied().unwrap_or(0)) + borrow;
            let v = u64::from(*limb);
            borrow = u64::from(v < o);
            *limb = (v + (borrow << 32) - o) as u32;
        }
        while self.0.last() == Some(&0) {
            self.0.pop();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;
    use alloc::string::String;

    fn same(text: &str) {
        let want = text.parse::<f64>().ok();
        assert_eq!(is_float(text), want.is_some(), "is_float({text:?})");
        let got = parse(text);
        match (got, want) {
            (Some(g), Some(w)) if w.is_nan() => assert!(g.is_nan(), "{text:?}"),
            (Some(g), Some(w)) => assert_eq!(g.to_bits(), w.to_bits(), "{text:?}: {g:e} != {w:e}"),
            _ => assert_eq!(got, want, "{text:?}"),
        }
    }

    #[test]
    fn table_and_edges() {
        for t in [
            "0",
            "-0",
            "+0",
            "0.0",
            "1",
            "1.",
            ".5",
            "-.5",
            "+.5e1",
            ".",
            "",
            "-",
            "+",
            "e5",
            "1e",
            "1e+",
            "1e-",
            "1e5",
            "1E5",
            "1.5e-3",
            "65.57910343679293",
            "0.30000000000000004",
            "0.1",
            "0.2",
            "9007199254740993",
            "9007199254740992",
            "9007199254740995",
            "123456789012345678901234567890",
            "1.7976931348623157e308",
            "1.7976931348623158e308",
            "1.7976931348623159e308",
            "1e308",
            "1e309",
            "2e308",
            "4.9e-324",
            "5e-324",
            "2.4703282292062327e-324",
            "2.4703282292062328e-324",
            "2.4703282292062328e-324",
            "2.47032822920623272e-324",
            "1e-324",
            "3e-324",
            "1e-400",
            "2.2250738585072011e-308",
            "2.2250738585072014e-308",
            "2.2250738585072012e-308",
            "inf",
            "-inf",
            "Infinity",
            "-INFINITY",
            "infinit",
            "nan",
            "NaN",
            "-nan",
            "+NaN",
            "nanx",
            "1_0",
            " 1",
            "1 ",
            "0x10",
            "1e1000000000000000000000000",
            "0e999999999999",
            "1e-99999999999999999999",
            "00000000000000000000001.5",
            "1.50000000000000000000000000000",
            "1..2",
            "1.2.3",
            "--1",
            "+-1",
            "1e5.5",
            "1.e5",
            ".e5",
            "1e+5",
            "1e-5",
        ] {
            same(t);
        }
        // Long digit strings: the cut at MAX_DIGITS and halfway cases written out in full.
        same(&format!("1{}", "0".repeat(900)));
        same(&format!("0.{}1", "0".repeat(320)));
        same(&format!("9007199254740993{}e-{}", "0".repeat(850), 850));
        same(&format!("9007199254740993{}1e-{}", "0".repeat(850), 851));
        same(&format!("2.4703282292062327{}1e-324", "0".repeat(900)));
        // Exactly halfway between two f64s, and a hair either side: 1 + 2^-53 (between 1 and the next f64),
        // 2^-1075 (between 0 and the smallest subnormal), written out in full.
        for (int, k) in [("1", 53), ("0", 1075)] {
            let frac = pow2_neg(k);
            same(&format!("{int}.{frac}"));
            same(&format!("{int}.{frac}1"));
            let mut less = frac.into_bytes();
            while less.last() == Some(&b'0') {
                less.pop();
            }
            if let Some(last) = less.last_mut() {
                *last -= 1;
            }
            same(&format!("{int}.{}9", String::from_utf8(less).unwrap()));
        }
    }

    /// The digits after the point of 2^-k = 5^k / 10^k.
    fn pow2_neg(k: usize) -> String {
        let mut digits = alloc::vec![1u32]; // 5^k, least significant digit first
        for _ in 0..k {
            let mut carry = 0;
            for d in &mut digits {
                let v = *d * 5 + carry;
                *d = v % 10;
                carry = v / 10;
            }
            if carry > 0 {
                digits.push(carry);
            }
        }
        let mut out = "0".repeat(k - digits.len());
        out.extend(digits.iter().rev().map(|d| char::from(b'0' + *d as u8)));
        out
    }

    #[test]
    fn every_short_text_over_a_small_alphabet() {
        let alphabet = ['0', '1', '5', '9', '.', 'e', '-', '+'];
        let mut texts = alloc::vec![String::new()];
        for _ in 0..5 {
            let mut next = Vec::new();
            for t in &texts {
                for c in alphabet {
                    let mut s = t.clone();
                    s.push(c);
                    next.push(s);
                }
            }
            for t in &next {
                same(t);
            }
            texts = next;
        }
    }

    #[test]
    fn random_numbers_match_the_standard_parser() {
        use proptest::prelude::*;
        proptest!(ProptestConfig::with_cases(20_000), |(bits in any::<u64>(), digits in "[0-9]{1,40}", exp in -360i32..360, dot in 0usize..41)| {
            let x = f64::from_bits(bits);
            if x.is_finite() {
                same(&format!("{x:e}"));
                same(&format!("{x}"));
                same(&format!("{x:.17e}"));
                same(&format!("{x:.3e}"));
            }
            same(&format!("{digits}e{exp}"));
            let cut = dot.min(digits.len());
            same(&format!("{}.{}e{exp}", &digits[..cut], &digits[cut..]));
        });
    }
}
