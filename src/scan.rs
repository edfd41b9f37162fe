//! Byte searches eight bytes at a time ("SWAR": SIMD within a register), for the parsers of short texts such
//! as MQTT topics, where a byte-by-byte loop costs more than everything else the parser does.
//!
//! `zero_bytes(x)` sets the high bit of each byte of `x` that is zero, and possibly of bytes above (more
//! significant than) a zero byte, never below the first one. Words are read little-endian, so the lowest set
//! bit marks the first match in text order; a match found in several words' tests is the first one too, since
//! a false mark always lies above a true one of the same test.

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

#[inline]
fn zero_bytes(x: u64) -> u64 {
    x.wrapping_sub(ONES) & !x & HIGH
}

#[inline]
fn word_at(s: &[u8], at: usize) -> u64 {
    let mut w = [0u8; 8];
    if let Some(b) = s.get(at..at + 8) {
        w.copy_from_slice(b);
    }
    u64::from_le_bytes(w)
}

/// The first position in `s` of a byte for which `marks(word)` sets the high bit; `one` is the same test for a
/// single byte, for texts shorter than a word.
#[inline]
fn find(s: &[u8], marks: impl Fn(u64) -> u64, one: impl Fn(u8) -> bool) -> Option<usize> {
    if s.len() < 8 {
        return s.iter().position(|&b| one(b));
    }
    let mut at = 0;
    while at + 8 <= s.len() {
        let m = marks(word_at(s, at));
        if m != 0 {
            return Some(at + (m.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    if at == s.len() {
        return None;
    }
    // The last eight bytes, overlapping bytes already searched (which hold no match).
    let last = s.len() - 8;
    let m = marks(word_at(s, last));
    (m != 0).then(|| last + (m.trailing_zeros() / 8) as usize)
}

/// `s.iter().position(|&b| b == byte)`.
#[inline]
pub(crate) fn find_byte(s: &[u8], byte: u8) -> Option<usize> {
    let pattern = u64::from(byte) * ONES;
    find(s, |w| zero_bytes(w ^ pattern), |b| b == byte)
}

/// `s.iter().position(|b| [a, b, c].contains(b))`.
#[inline]
pub(crate) fn find_any_of3(s: &[u8], a: u8, b: u8, c: u8) -> Option<usize> {
    let (pa, pb, pc) = (
        u64::from(a) * ONES,
        u64::from(b) * ONES,
        u64::from(c) * ONES,
    );
    find(
        s,
        |w| zero_bytes(w ^ pa) | zero_bytes(w ^ pb) | zero_bytes(w ^ pc),
        |x| x == a || x == b || x == c,
    )
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use proptest::prelude::*;
    use std::vec::Vec;

    /// Every length from 0 to 40 with the byte at every position (and nowhere), over every byte value that
    /// differs from the one searched for in one bit, and 0x00/0x80/0xFF neighbours.
    #[test]
    fn find_byte_finds_the_first_match_at_every_position_and_length() {
        for len in 0..40 {
            for fill in [0x00u8, 0x01, 0x22, 0x2a, 0x2b, 0x7f, 0x80, 0xfe, 0xff] {
                for target in [0x00u8, 0x23, 0x2b, 0x80, 0xff] {
                    if fill == target {
                        continue;
                    }
                    let mut s: Vec<u8> = std::vec![fill; len];
                    assert_eq!(find_byte(&s, target), None);
                    for at in 0..len {
                        s[at] = target;
                        assert_eq!(
                            find_byte(&s, target),
                            Some(at),
                            "{len} {fill} {target} {at}"
                        );
                        s[at] = fill;
                    }
                }
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(5000))]
        #[test]
        fn find_byte_agrees_with_position(s in proptest::collection::vec(any::<u8>(), 0..64), b in any::<u8>()) {
            prop_assert_eq!(find_byte(&s, b), s.iter().position(|&x| x == b));
        }

        #[test]
        fn find_any_of3_agrees_with_position(
            s in proptest::collection::vec(prop_oneof![any::<u8>(), Just(b'#'), Just(b'+'), Just(0u8), Just(0x01u8)], 0..64),
        ) {
            prop_assert_eq!(
                find_any_of3(&s, b'#', b'+', 0),
                s.iter().position(|&x| x == b'#' || x == b'+' || x == 0)
            );
        }
    }
}
