//! Shared by the benchmarks: baselines generated from the same CSV rows (`OUT_DIR/bench_baselines.rs`) and a
//! deterministic query order.

#![allow(dead_code)]

include!(concat!(env!("OUT_DIR"), "/bench_baselines.rs"));

/// 1024 keys drawn (xorshift, fixed seed) from `keys`: the random query order every variant sees.
pub fn queries(keys: &[u32]) -> Vec<u32> {
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    (0..1024)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            keys[(state % keys.len() as u64) as usize]
        })
        .collect()
}
