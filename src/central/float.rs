//! Decimal text to the nearest `f64`, and the grammar check that goes with it: what `str::parse::<f64>()`
//! answers, for the three places the IoT Central reader needs it (is this text a number, and a number's value
//! when a report is written as JSON).
//!
//! Why not `str::parse::<f64>()` itself: core's parser brings the 10 KB table of 128-bit powers of five of its
//! Eisel-Lemire fast path and a decimal fallback, which measured 14.3 KB gzipped of the WebAssembly module
//! with `decodePayload` (`bindings/wasm/README.md`, "Size"), a tenth of the module's budget, for a conversion
//! that runs once per number in a report. This one answers the same (correctly rounded, ties to even,
//! subnormals, overflow to infinity, the same accepted spellings: the tests compare it with core's on every
//! shape of input and on the halfway points between neighbouring doubles) with a few big-integer steps
//! instead of the table: slower, and small.

extern crate alloc;

use alloc::vec::Vec;
use core::cmp::Ordering;

/// Significant digits kept. Beyond them a single non-zero digit stands for the rest: the exact decimal
/// expansion of a halfway point between two doubles has at most 767 significant digits, so a value cut to 800
/// digits plus that digit falls on the same side of every halfway point as the whole value.
const MAX_DIGITS: usize = 800;

/// Exponents beyond this (in either direction) give infinity or zero whatever the digits (the input can have
/// at most `isize::MAX` of them); saturating there keeps the arithmetic in `i64`.
const EXPONENT_CAP: i64 = 1 << 40;

/// A float literal as `str::parse::<f64>()` reads one.
#[derive(Debug, Clone, Copy)]
enum Literal<'a> {
    Infinity,
    NaN,
    /// The digits before and after the point and the written exponent: `int.frac × 10^exp`.
    Finite {
        int: &'a [u8],
        frac: &'a [u8],
        exp: i64,
    },
}

/// Whether `text` is a float literal in the grammar of `str::parse::<f64>()`: an optional sign, then `inf`,
/// `infinity` or `nan` in any case, or digits with an optional point (`1`, `1.`, `.5`, `1.5`) and an optional
/// exponent (`e`/`E`, optional sign, digits). No spaces, no underscores, no hexadecimal.
pub(crate) fn is_float_literal(text: &str) -> bool {
    scan(text).is_some()
}

/// The `f64` nearest to `text` (ties to even), `None` when [`is_float_literal`] is false: what
/// `text.parse::<f64>().ok()` answers.
pub(crate) fn parse_f64(text: &str) -> Option<f64> {
    let (negative, literal) = scan(text)?;
    let x = match literal {
        Literal::Infinity => f64::INFINITY,
        Literal::NaN => f64::NAN,
        Literal::Finite { int, frac, exp } => finite(int, frac, exp),
    };
    Some(if negative { -x } else { x })
}

fn digit_run(b: &[u8]) -> usize {
    b.iter().take_while(|c| c.is_ascii_digit()).count()
}

fn scan(text: &str) -> Option<(bool, Literal<'_>)> {
    let b = text.as_bytes();
    let (negative, rest) = match b.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, b),
    };
    if rest.eq_ignore_ascii_case(b"inf") || rest.eq_ignore_ascii_case(b"infinity") {
        return Some((negative, Literal::Infinity));
    }
    if rest.eq_ignore_ascii_case(b"nan") {
        return Some((negative, Literal::NaN));
    }
    let (int, mut rest) = rest.split_at(digit_run(rest));
    let mut frac: &[u8] = &[];
    if let Some((b'.', after)) = rest.split_first() {
        (frac, rest) = after.split_at(digit_run(after));
    }
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    let mut exp = 0i64;
    if let Some((b'e' | b'E', after)) = rest.split_first() {
        let (exp_negative, digits) = match after.split_first() {
            Some((b'-', digits)) => (true, digits),
            Some((b'+', digits)) => (false, digits),
            _ => (false, after),
        };
        if digits.is_empty() || digit_run(digits) != digits.len() {
            return None;
        }
        for &d in digits {
            exp = (exp * 10 + i64::from(d - b'0')).min(EXPONENT_CAP);
        }
        if exp_negative {
            exp = -exp;
        }
        rest = &[];
    }
    rest.is_empty()
        .then_some((negative, Literal::Finite { int, frac, exp }))
}

/// The nearest double to `int.frac × 10^exp` (digits only, no sign).
fn finite(int: &[u8], frac: &[u8], exp: i64) -> f64 {
    let all = || int.iter().chain(frac).copied();
    let Some(leading) = all().position(|d| d != b'0') else {
        return 0.0;
    };
    let total = int.len() + frac.len();
    let trailing = all().rev().position(|d| d != b'0').unwrap_or(0);
    // The significant digits are those from `leading` to `total - trailing`: value = their integer × 10^k.
    let n = total - trailing - leading;
    let mut k = exp - frac.len() as i64 + trailing as i64;
    // The value lies in [10^(n+k-1), 10^(n+k)).
    let magnitude = n as i64 + k;
    if magnitude > 310 {
        return f64::INFINITY; // at least 10^310
    }
    if magnitude < -324 {
        return 0.0; // below 10^-324, less than half the smallest subnormal (4.9e-324)
    }
    let kept = n.min(MAX_DIGITS);
    let mut m = Big::default();
    let mut chunk = 0u32;
    let mut chunk_len = 0u32;
    for d in all().skip(leading).take(kept) {
        chunk = chunk * 10 + u32::from(d - b'0');
        chunk_len += 1;
        if chunk_len == 9 {
            m.mul_add(1_000_000_000, chunk);
            (chunk, chunk_len) = (0, 0);
        }
    }
    if chunk_len > 0 {
        m.mul_add(10u32.pow(chunk_len), chunk);
    }
    if kept < n {
        // The cut digits end with a non-zero one (trailing zeros were dropped): a 1 in the place after the
        // kept ones stands for them.
        m.mul_add(10, 1);
        k += (n - kept) as i64 - 1;
    }
    // Within the bounds above, k lies in [-1125, 310] (at most 801 digits).
    let (q, b, sticky) = if k >= 0 {
        m.mul_pow10(k as u32);
        m.top64()
    } else {
        m.quotient64(Big::pow10((-k) as u32))
    };
    round(q, b, sticky)
}

/// The double nearest to `(q + r) × 2^b`, where `q` has its top bit set and `0 <= r < 1`, `sticky` telling
/// whether `r > 0`.
fn round(q: u64, b: i64, sticky: bool) -> f64 {
    // A normal double is m × 2^e with 2^52 <= m < 2^53 and e >= -1074: drop 11 bits of q, more when the value
    // is that small (a subnormal keeps fewer bits).
    let drop = 11i64.max(-1074 - b);
    if drop > 64 {
        return 0.0; // below 2^-1075: under half the smallest subnormal
    }
    let q = u128::from(q);
    let kept = q >> drop;
    let rest = q & ((1u128 << drop) - 1);
    let half = 1u128 << (drop - 1);
    let up = rest > half || (rest == half && (sticky || kept & 1 == 1));
    // kept < 2^53, so the sum fits; both casts are exact.
    let m = kept as u64 + u64::from(up);
    let e = b + drop;
    if m < 1 << 52 {
        return f64::from_bits(m); // subnormal (e is -1074) or zero
    }
    // Rounding up to 2^53 carries into the exponent field below, which is what it means: the next binade,
    // fraction zero (and infinity's bits after the largest finite double).
    let biased = e + 1075;
    if biased >= 2047 {
        return f64::INFINITY;
    }
    f64::from_bits(((biased as u64) << 52) + (m - (1 << 52)))
}

/// A non-negative integer: 32-bit limbs, least significant first, no zero limb at the top (zero is empty).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Big(Vec<u32>);

impl Big {
    fn pow10(k: u32) -> Big {
        let mut b = Big(alloc::vec![1]);
        b.mul_pow10(k);
        b
    }

    /// `self = self × f + add`.
    fn mul_add(&mut self, f: u32, add: u32) {
        let mut carry = u64::from(add);
        for limb in &mut self.0 {
            let t = u64::from(*limb) * u64::from(f) + carry;
            *limb = t as u32;
            carry = t >> 32;
        }
        if carry > 0 {
            self.0.push(carry as u32);
        }
    }

    fn mul_pow10(&mut self, mut k: u32) {
        while k >= 9 {
            self.mul_add(1_000_000_000, 0);
            k -= 9;
        }
        if k > 0 {
            self.mul_add(10u32.pow(k), 0);
        }
    }

    fn bit_len(&self) -> usize {
        self.0
            .last()
            .map_or(0, |top| 32 * self.0.len() - top.leading_zeros() as usize)
    }

    fn bit(&self, i: usize) -> bool {
        self.0
            .get(i / 32)
            .is_some_and(|limb| limb >> (i % 32) & 1 == 1)
    }

    /// Whether any of the `n` lowest bits is set.
    fn any_below(&self, n: usize) -> bool {
        (0..n).any(|i| self.bit(i))
    }

    fn shl(&mut self, bits: usize) {
        if self.0.is_empty() {
            return;
        }
        // 1 << 31 at most: fits the factor.
        self.mul_add(1 << (bits % 32), 0);
        let mut shifted = alloc::vec![0; bits / 32];
        shifted.append(&mut self.0);
        self.0 = shifted;
    }

    fn shr1(&mut self) {
        let mut carry = 0;
        for limb in self.0.iter_mut().rev() {
            let t = (*limb >> 1) | (carry << 31);
            carry = *limb & 1;
            *limb = t;
        }
        self.trim();
    }

    fn trim(&mut self) {
        while self.0.last() == Some(&0) {
            self.0.pop();
        }
    }

    /// `self -= other`, for `other <= self`.
    fn sub(&mut self, other: &Big) {
        let mut borrow = 0i64;
        for (i, limb) in self.0.iter_mut().enumerate() {
            let t = i64::from(*limb) - i64::from(other.0.get(i).copied().unwrap_or(0)) - borrow;
            borrow = i64::from(t < 0);
            *limb = (t + (borrow << 32)) as u32;
        }
        self.trim();
    }

    fn compare(&self, other: &Big) -> Ordering {
        self.0
            .len()
            .cmp(&other.0.len())
            .then_with(|| self.0.iter().rev().cmp(other.0.iter().rev()))
    }

    /// `(q, b, sticky)` with `self = (q + r) × 2^b`, `q` holding the 64 top bits (top bit set) and `sticky`
    /// whether `r > 0`. `self` is not zero.
    fn top64(&self) -> (u64, i64, bool) {
        let len = self.bit_len();
        let low = len.saturating_sub(64);
        let q = (0..64)
            .filter(|&i| self.bit(low + i))
            .fold(0u64, |q, i| q | 1 << i);
        // Fewer than 64 bits: shift them up to the top.
        let up = 64 - (len - low);
        (q << up, low as i64 - up as i64, self.any_below(low))
    }

    /// `(q, b, sticky)` with `self / d = (q + r) × 2^b` as in [`Big::top64`]: a restoring division that
    /// produces 64 or 65 quotient bits. Neither is zero.
    fn quotient64(mut self, mut d: Big) -> (u64, i64, bool) {
        // Scale so that the quotient lies in [2^63, 2^65).
        let s = 64 + d.bit_len() as i64 - self.bit_len() as i64;
        if s >= 0 {
            self.shl(s as usize);
        } else {
            d.shl((-s) as usize);
        }
        d.shl(64);
        let mut q = 0u128;
        for i in (0..=64).rev() {
            if self.compare(&d) != Ordering::Less {
                self.sub(&d);
                q |= 1 << i;
            }
            d.shr1();
        }
        let mut sticky = !self.0.is_empty();
        let mut b = -s;
        if q >> 64 != 0 {
            sticky |= q & 1 == 1;
            q >>= 1;
            b += 1;
        }
        (q as u64, b, sticky)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;
    use alloc::string::String;
    use proptest::prelude::*;

    /// Same answer as core's parser: both reject, or both give the same bits (any NaN for NaN).
    fn agrees(text: &str) -> Result<(), String> {
        let ours = parse_f64(text);
        let core = text.parse::<f64>().ok();
        let same = match (ours, core) {
            (None, None) => true,
            (Some(a), Some(b)) => a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan()),
            _ => false,
        };
        if same && is_float_literal(text) == core.is_some() {
            Ok(())
        } else {
            Err(format!("{text:?}: ours {ours:?}, core {core:?}"))
        }
    }

    #[test]
    fn table_of_hard_and_plain_cases() {
        let cases = [
            "0",
            "-0",
            "+0.0",
            "00000.0000e999999999999999999999",
            "1",
            "0.1",
            "0.30000000000000004",
            "65.57910343679293",
            "1e23",
            "8.98846567431158e307",
            "9007199254740993",
            "9007199254740995",
            "9007199254740992.5",
            "2.2250738585072011e-308",
            "2.2250738585072012e-308",
            "2.2250738585072014e-308",
            "4.9406564584124654e-324",
            "2.4703282292062328e-324",
            "2.4703282292062327e-324",
            "2.4703282292062327208828439643411068618252990130716238221279284125033775363510437593264991818081799618989828234772285886546332835517796989819938739800539093906315035659515570226392290858392449105184435931802849936536152500319370457678249219365623669863658480757001585769269903706311928279558551332927834338409351978015531246597263579574622766465272827220056374006485499977096599470454020828166226237857393450736339007967761930577506740176324673600968951340535537458516661134223766678604162159680461914467291840300530057530849048765391711386591646239524912623653881879636239373280423891018672348497668235089863388587925628302755995657524455507255189313690836254779186948667994968324049705821028513185451396213837722826145437693412532098591327667236328125e-324",
            "1e-324",
            "1.7976931348623157e308",
            "1.7976931348623158e308",
            "1.7976931348623159e308",
            "1e309",
            "1e-400",
            "123456789012345678901234567890",
            "0.000000000000000000000000000000000000001",
            "1.",
            "1.e3",
            ".5",
            "+.5e-3",
            "inf",
            "-INF",
            "Infinity",
            "-infinity",
            "NaN",
            "-nan",
            "",
            ".",
            "e5",
            ".e5",
            "1e",
            "1e+",
            "1e-",
            "--1",
            "+-1",
            "1..2",
            "1.2.3",
            " 1",
            "1 ",
            "0x10",
            "1_0",
            "in",
            "infinit",
            "infinityy",
            "nana",
            "1e1.5",
            "1ee5",
        ];
        for text in cases {
            agrees(text).unwrap();
        }
    }

    /// The exact decimal of `m × 2^p`, as digits and a power of ten.
    fn exact_decimal(m: u128, p: i32) -> String {
        // Little-endian decimal digits.
        let mut digits: Vec<u8> = format!("{m}").bytes().rev().map(|d| d - b'0').collect();
        let (factor, times) = if p >= 0 { (2, p) } else { (5, -p) };
        for _ in 0..times {
            let mut carry = 0;
            for d in &mut digits {
                let t = *d * factor + carry;
                *d = t % 10;
                carry = t / 10;
            }
            if carry > 0 {
                digits.push(carry);
            }
        }
        let text: String = digits.iter().rev().map(|&d| char::from(b'0' + d)).collect();
        format!("{text}e{}", p.min(0))
    }

    #[test]
    fn exact_decimal_helper() {
        assert_eq!(exact_decimal(3, -1), "15e-1");
        assert_eq!(exact_decimal(3, 2), "12e0");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]

        #[test]
        fn any_text_of_float_characters(text in "[-+0-9.eEinfatyINFATY_ ]{0,24}") {
            prop_assert!(agrees(&text).is_ok(), "{}", agrees(&text).unwrap_err());
        }

        #[test]
        fn digits_point_and_exponent(
            int in "[0-9]{0,30}",
            frac in proptest::option::of("[0-9]{0,30}"),
            exp in proptest::option::of(-400i32..400),
            sign in "[-+]?",
        ) {
            let mut text = format!("{sign}{int}");
            if let Some(f) = frac {
                text = format!("{text}.{f}");
            }
            if let Some(e) = exp {
                text = format!("{text}e{e}");
            }
            prop_assert!(agrees(&text).is_ok(), "{}", agrees(&text).unwrap_err());
        }

        #[test]
        fn every_double_printed_every_way(bits in any::<u64>(), precision in 0usize..40) {
            let x = f64::from_bits(bits);
            for text in [
                format!("{x}"),
                format!("{x:e}"),
                format!("{x:.precision$e}"),
                format!("{x:.precision$}"),
                format!("{x:.900e}"),
            ] {
                prop_assert!(agrees(&text).is_ok(), "{}", agrees(&text).unwrap_err());
            }
        }

        /// Longer than the digits kept: the cut and the digit that stands for the rest.
        #[test]
        fn more_digits_than_kept(digits in "[1-9][0-9]{780,840}", exp in -1200i32..-200) {
            let text = format!("{digits}e{exp}");
            prop_assert!(agrees(&text).is_ok(), "{}", agrees(&text).unwrap_err());
        }

        /// The halfway point between a double and the next, and just below and above it, the difference
        /// sometimes past the 800th significant digit (the subnormals' halfway points have about 750).
        #[test]
        fn halfway_points(bits in 0u64..0x7fef_ffff_ffff_ffff, pad in 0usize..80) {
            let (exp_bits, fraction) = (bits >> 52, bits & ((1 << 52) - 1));
            let (m, p) = if exp_bits == 0 {
                (fraction, -1074)
            } else {
                (fraction | 1 << 52, exp_bits as i32 - 1075)
            };
            // (m + 1/2) × 2^p = (2m + 1) × 2^(p - 1).
            let half = exact_decimal(2 * u128::from(m) + 1, p - 1);
            let (digits, power) = half.split_once('e').unwrap();
            let below = {
                // The digits end in 5 (a power of five times an odd number) or are an integer times 2^k.
                let mut d = String::from(digits);
                let last = d.pop().unwrap();
                if last == '0' {
                    String::new()
                } else {
                    let nines = "9".repeat(pad);
                    let power = power.parse::<i32>().unwrap() - pad as i32;
                    format!("{d}{}{nines}e{power}", char::from(last as u8 - 1))
                }
            };
            let zeros = "0".repeat(pad);
            let above = format!("{digits}{zeros}1e{}", power.parse::<i32>().unwrap() - pad as i32 - 1);
            // The same halfway point with its point placed (0.000...5), leading zeros and all.
            let placed = {
                let power = power.parse::<i32>().unwrap();
                if power < 0 {
                    let places = (-power) as usize;
                    let padded = format!("{digits:0>places$}");
                    let (int, frac) = padded.split_at(padded.len() - places);
                    format!("{int}.{frac}")
                } else {
                    String::new()
                }
            };
            for text in [half.clone(), below, above, placed] {
                if text.is_empty() {
                    continue;
                }
                prop_assert!(agrees(&text).is_ok(), "{}", agrees(&text).unwrap_err());
            }
        }
    }
}
