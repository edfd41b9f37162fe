//! The name index: a CHD perfect hash ("hash and displace") over every lowercased name, alias and text code,
//! with the hash of `src/name_hash.rs` (shared with the crate, see there for why not `phf`).

#[path = "../src/name_hash.rs"]
mod name_hash;

use name_hash::{fold_hash, name_bucket, name_slot};

/// A perfect hash over a key set: hash seed, table size, one displacement per bucket, and for each key its slot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameIndex {
    /// Seed of [`fold_hash`].
    pub seed: u64,
    /// log2 of the slot count.
    pub bits: u32,
    /// Displacement of each bucket.
    pub disp: Vec<u16>,
    /// `slots[i]` is the index of the key stored in slot `i`, if any.
    pub slots: Vec<Option<usize>>,
}

/// Builds the index of `keys` (distinct once ASCII case is ignored). Buckets hold four keys on average and the
/// table is filled to at most 80 %; buckets are placed largest first, each with the first displacement that
/// sends all its keys to free, distinct slots. Deterministic: the same keys always give the same index.
pub fn build(keys: &[&str], what: &str) -> NameIndex {
    // The crate's comparison reads keys as ASCII (check_name already refuses anything else).
    assert!(
        keys.iter().all(|k| k.is_ascii()),
        "a key of {what} is not ASCII"
    );
    let n = keys.len().max(1);
    let buckets = n.div_ceil(4);
    let mut bits = (usize::BITS - (n * 5 / 4).leading_zeros()).max(1);
    let mut seed: u64 = 0x243F_6A88_85A3_08D3;
    for attempt in 0..64u32 {
        if let Some(index) = try_build(keys, seed, bits, buckets) {
            return index;
        }
        // Another seed; every eighth failure, a larger table.
        seed = seed.wrapping_mul(0x5851_F42D_4C95_7F2D).wrapping_add(1);
        if attempt % 8 == 7 {
            bits += 1;
        }
    }
    panic!(
        "no perfect hash found for the {} names of {what}",
        keys.len()
    );
}

fn try_build(keys: &[&str], seed: u64, bits: u32, buckets: usize) -> Option<NameIndex> {
    let hashes: Vec<u64> = keys.iter().map(|k| fold_hash(seed, k.as_bytes())).collect();
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); buckets];
    for (i, &h) in hashes.iter().enumerate() {
        members[name_bucket(h, buckets)].push(i);
    }
    let mut order: Vec<usize> = (0..buckets).collect();
    // Largest buckets first; ties by bucket number, so the result is reproducible.
    order.sort_by_key(|&b| (std::cmp::Reverse(members[b].len()), b));
    let mut slots: Vec<Option<usize>> = vec![None; 1 << bits];
    let mut disp = vec![0u16; buckets];
    for b in order {
        let keys_in = &members[b];
        if keys_in.is_empty() {
            break;
        }
        let placed = (0..=u16::MAX).find(|&d| {
            let mut taken: Vec<usize> = Vec::with_capacity(keys_in.len());
            keys_in.iter().all(|&k| {
                let s = name_slot(hashes[k], d, bits);
                let free = slots[s].is_none() && !taken.contains(&s);
                taken.push(s);
                free
            })
        })?;
        disp[b] = placed;
        for &k in keys_in {
            slots[name_slot(hashes[k], placed, bits)] = Some(k);
        }
    }
    Some(NameIndex {
        seed,
        bits,
        disp,
        slots,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_finds_its_slot_in_any_case() {
        let keys: Vec<String> = (0..900).map(|i| format!("SomeErrorName{i}")).collect();
        let refs: Vec<&str> = keys.iter().map(String::as_str).collect();
        let idx = build(&refs, "test");
        for (i, k) in refs.iter().enumerate() {
            for spelling in [
                k.to_string(),
                k.to_ascii_lowercase(),
                k.to_ascii_uppercase(),
            ] {
                let h = fold_hash(idx.seed, spelling.as_bytes());
                let b = name_bucket(h, idx.disp.len());
                assert_eq!(idx.slots[name_slot(h, idx.disp[b], idx.bits)], Some(i));
            }
        }
    }
}
