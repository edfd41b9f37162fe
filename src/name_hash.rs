//! The case-insensitive hash behind the name index, shared word for word by the build script (which searches a
//! perfect hash over every catalogue name, alias and text code) and the crate (which looks inputs up). The build
//! script includes this file with `#[path]`, so the two can never disagree.
//!
//! Why not `phf`: `phf` hashes with SipHash-1-3 and needs the key lowercased first, which took 77 ns per name
//! lookup here, slower than a std `HashMap<String, _>` (58 ns) and far from the 2x-faster target of issue 7. This
//! hash reads eight bytes at a time and folds ASCII case while it reads (each byte ORed with `0x20`), so there
//! is no lowercase copy, and the index stores the catalogue's own spelling of each key (the same string literal
//! as the row, so no second copy in the binary either). Folding with `0x20` also merges a few non-letters
//! (`_` and DEL, `@` and `` ` ``); that is harmless because a lookup ends with
//! [`eq_ignore_ascii_case`](str::eq_ignore_ascii_case) against the stored key, and the build script refuses two
//! keys whose hashes collide.
//!
//! The perfect hash is "hash and displace" (CHD): the hash picks a bucket, the bucket's displacement (searched by
//! the build script) moves its keys to free slots of a power-of-two table.

/// Hash of `bytes` with ASCII case folded (each byte ORed with `0x20`): every spelling of a name that differs
/// only in ASCII case hashes the same.
#[inline]
pub(crate) fn fold_hash(seed: u64, bytes: &[u8]) -> u64 {
    const FOLD: u64 = 0x2020_2020_2020_2020;
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut h = seed ^ (bytes.len() as u64).wrapping_mul(K);
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        h = (h ^ (u64::from_le_bytes(w) | FOLD)).wrapping_mul(K);
        h ^= h >> 31;
    }
    if !chunks.remainder().is_empty() {
        h = (h ^ (last_word(bytes) | FOLD)).wrapping_mul(K);
    }
    // Every bit of the last product depends on every input bit; the bucket reads its high half and the slot
    // multiplies it again (`name_slot`), and the build script checks the result is a perfect hash. MurmurHash3's
    // 64-bit finalizer here (two more multiplies on the lookup's critical path) measured, with criterion on
    // `decode("Not Found")`, 49.0 ns with it, 45.8 ns with one of its multiplies, 43.7 ns with neither: this
    // last shift is all that is left of it.
    h ^ (h >> 33)
}

/// The word that ends `bytes` (little-endian): its last eight bytes, overlapping the last whole word when the
/// length is not a multiple of eight, or all of a shorter input zero-padded. Never a variable-length
/// `copy_from_slice`, which compiles to a `memcpy` call that cost more than the whole hash.
#[inline]
fn last_word(bytes: &[u8]) -> u64 {
    match bytes.len().checked_sub(8).and_then(|at| bytes.get(at..)) {
        Some(last) => word(last),
        None => bytes
            .iter()
            .enumerate()
            .fold(0, |w, (i, &b)| w | u64::from(b) << (8 * i)),
    }
}

/// The eight bytes of `b` as a little-endian word (`b` is eight bytes long; anything else reads as zero).
#[inline]
fn word(b: &[u8]) -> u64 {
    let mut w = [0u8; 8];
    if b.len() == 8 {
        w.copy_from_slice(b);
    }
    u64::from_le_bytes(w)
}

/// The bucket of hash `h` among `buckets` (multiply-shift range reduction, no division).
#[inline]
pub(crate) fn name_bucket(h: u64, buckets: usize) -> usize {
    (((h >> 32) * buckets as u64) >> 32) as usize
}

/// The slot of hash `h` in a table of `2^bits` slots, moved by its bucket's displacement `disp`.
#[inline]
pub(crate) fn name_slot(h: u64, disp: u16, bits: u32) -> usize {
    ((h ^ u64::from(disp).wrapping_mul(0xA076_1D64_78BD_642F)).wrapping_mul(0xE703_7ED1_A0B4_28DB)
        >> (64 - bits)) as usize
}

/// `query` equals `key` ignoring ASCII case, where `key` is ASCII (the build script checks every key is):
/// `None` when not, else whether the two are byte for byte equal (the name index's ranking needs to know, and
/// the comparison knows it for one more `or` per word). Eight bytes at a time: the two may differ only in bit 5
/// (`0x20`), and only where `key` holds a letter.
#[inline]
#[allow(dead_code)] // The build script shares this file but only hashes.
pub(crate) fn compare_key(key: &[u8], query: &[u8]) -> Option<bool> {
    const FOLD: u64 = 0x2020_2020_2020_2020;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const ONES: u64 = 0x0101_0101_0101_0101;
    if key.len() != query.len() {
        return None;
    }
    let mut diffs = 0u64;
    // Whole words, then the word that ends both (it may overlap the last whole word: comparing bytes twice is
    // harmless).
    let mut same = |k: u64, q: u64| {
        let diff = k ^ q;
        diffs |= diff;
        if diff == 0 {
            return true;
        }
        // Every byte of `k | FOLD` is at most 0x7f (ASCII key), so these sums carry into no other byte:
        // the high bit says `>= b'a'`, then `> b'z'`.
        let lower = k | FOLD;
        let from_a = lower.wrapping_add((0x80 - u64::from(b'a')) * ONES) & HIGH;
        let past_z = lower.wrapping_add((0x80 - u64::from(b'z') - 1) * ONES) & HIGH;
        let letter_case_bit = (from_a & !past_z) >> 2;
        diff & !letter_case_bit == 0
    };
    let folded = key
        .chunks_exact(8)
        .zip(query.chunks_exact(8))
        .all(|(k, q)| same(word(k), word(q)))
        && same(last_word(key), last_word(query));
    folded.then_some(diffs == 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Exhaustive over one byte: every ASCII key byte against every query byte, at a position inside the first
    /// word, at its last byte and in a short tail, agrees with `eq_ignore_ascii_case`; and the hash of two
    /// spellings equal ignoring case is the same.
    #[test]
    fn folded_compare_and_hash_agree_with_std_for_every_byte_pair() {
        for at in [0usize, 7, 9] {
            for k in 0u8..0x80 {
                for q in 0u8..=0xff {
                    let mut key = *b"Abc_def@gh[";
                    let mut query = key;
                    key[at] = k;
                    query[at] = q;
                    let expected = key.eq_ignore_ascii_case(&query);
                    assert_eq!(
                        compare_key(&key, &query),
                        expected.then_some(key == query),
                        "{k:#x} {q:#x} at {at}"
                    );
                    if expected {
                        assert_eq!(fold_hash(7, &key), fold_hash(7, &query));
                    }
                }
            }
        }
        assert_eq!(compare_key(b"abc", b"abcd"), None);
        assert_eq!(compare_key(b"", b""), Some(true));
        assert_eq!(compare_key(b"Not Found", b"not found"), Some(false));
        assert_eq!(compare_key(b"0123456789Ab", b"0123456789Ab"), Some(true));
    }
}
