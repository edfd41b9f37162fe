//! Multiply-shift perfect hashing for the numeric keys of a catalogue.
//!
//! `slot(key) = key.wrapping_mul(mul) >> (32 - bits)`. The generator searches for an odd multiplier that sends
//! every known key to its own slot; the runtime then needs one multiply, one shift and one compare. On this kind
//! of small integer key set that is several times faster than SipHash-based `phf::Map<u32, _>` (see `benches/`).
//! The search is seeded with a constant so the same keys always give the same table (byte-stable output).

/// A multiplier and table size that hash a key set without collisions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mph {
    /// Odd 32-bit multiplier.
    pub mul: u32,
    /// log2 of the slot count (at least 1).
    pub bits: u32,
}

impl Mph {
    /// Slot of `key`.
    pub fn slot(&self, key: u32) -> usize {
        (key.wrapping_mul(self.mul) >> (32 - self.bits)) as usize
    }
}

/// Finds a collision-free multiplier for `keys` (which must be distinct), growing the table when a size gives
/// none within a bounded number of tries. `what` names the key set in the panic message of the impossible case.
pub fn find_mph(keys: &[u32], what: &str) -> Mph {
    let n = keys.len().max(1);
    // Start at a load factor of at most 1/2.
    let mut bits = (usize::BITS - (n - 1).leading_zeros()).max(1) + 1;
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    loop {
        let size = 1usize << bits;
        let mut seen = vec![false; size];
        for _ in 0..20_000 {
            // xorshift64*
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            let mul = (state.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 32) as u32 | 1;
            let m = Mph { mul, bits };
            seen.iter_mut().for_each(|s| *s = false);
            let ok = keys
                .iter()
                .all(|&k| !std::mem::replace(&mut seen[m.slot(k)], true));
            if ok {
                return m;
            }
        }
        bits += 1;
        assert!(
            bits <= 24,
            "no perfect hash found for the {} keys of {what}",
            keys.len()
        );
    }
}
