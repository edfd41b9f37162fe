//! Lookup by number and by name against baselines built from the same rows in the same run:
//! (a) a `match` with one arm per code, (b) a sorted slice with binary search, (c) `std::collections::HashMap`,
//! (d) `phf::Map<u32, _>` (SipHash). Names: ours (case-insensitive, allocation-free) against
//! `HashMap<String, _>` queried with a lowercased key, as a user would write it.
//!
//! `scripts/bench` runs this and prints the table with ratios.

use std::collections::HashMap;
use std::hint::black_box;

use azure_iot_codes::{Catalogue, Meaning, lookup_name, rows};
use criterion::{Criterion, criterion_group, criterion_main};

mod common;

fn range(r: Option<(u16, u16)>) -> &'static [Meaning] {
    match r {
        Some((s, l)) => &rows()[usize::from(s)..usize::from(s) + usize::from(l)],
        None => &[],
    }
}

type Baseline = (
    &'static str,
    Catalogue,
    fn(u32) -> Option<(u16, u16)>,
    &'static [(u32, u16, u16)],
    &'static phf::Map<u32, (u16, u16)>,
);

fn number_lookup(c: &mut Criterion) {
    let cases: [Baseline; 3] = [
        (
            "service-error",
            Catalogue::ServiceError,
            common::match_service_error,
            &common::SORTED_SERVICE_ERROR,
            &common::PHF_SERVICE_ERROR,
        ),
        (
            "http-status",
            Catalogue::HttpStatus,
            common::match_http_status,
            &common::SORTED_HTTP_STATUS,
            &common::PHF_HTTP_STATUS,
        ),
        (
            "du-extended-result-code",
            Catalogue::DuExtendedResultCode,
            common::match_du_extended_result_code,
            &common::SORTED_DU_EXTENDED_RESULT_CODE,
            &common::PHF_DU_EXTENDED_RESULT_CODE,
        ),
    ];
    for (id, cat, matcher, sorted, phf_map) in cases {
        let keys: Vec<u32> = sorted.iter().map(|k| k.0).collect();
        let qs = common::queries(&keys);
        let hash: HashMap<u32, &'static [Meaning]> = sorted
            .iter()
            .map(|&(k, s, l)| (k, range(Some((s, l)))))
            .collect();
        let mut g = c.benchmark_group(format!("lookup-number/{id}"));
        let mut i = 0usize;
        g.bench_function("ours (multiply-shift perfect hash)", |b| {
            b.iter(|| {
                i = (i + 1) & 1023;
                cat.lookup_number(black_box(qs[i])).len()
            })
        });
        g.bench_function("match", |b| {
            b.iter(|| {
                i = (i + 1) & 1023;
                range(matcher(black_box(qs[i]))).len()
            })
        });
        g.bench_function("binary search", |b| {
            b.iter(|| {
                i = (i + 1) & 1023;
                let k = black_box(qs[i]);
                range(
                    sorted
                        .binary_search_by_key(&k, |e| e.0)
                        .ok()
                        .map(|p| (sorted[p].1, sorted[p].2)),
                )
                .len()
            })
        });
        g.bench_function("HashMap", |b| {
            b.iter(|| {
                i = (i + 1) & 1023;
                hash.get(&black_box(qs[i])).map_or(0, |s| s.len())
            })
        });
        g.bench_function("phf::Map (SipHash)", |b| {
            b.iter(|| {
                i = (i + 1) & 1023;
                range(phf_map.get(&black_box(qs[i])).copied()).len()
            })
        });
        g.finish();
    }
}

fn name_lookup(c: &mut Criterion) {
    // Every name and alias, queried in the spelling people type (mixed case).
    let mut names: Vec<String> = Vec::new();
    let mut map: HashMap<String, Vec<&'static Meaning>> = HashMap::new();
    for m in rows() {
        for n in std::iter::once(m.name()).chain(m.aliases().iter().copied()) {
            map.entry(n.to_lowercase()).or_default().push(m);
            names.push(n.to_string());
        }
    }
    names.sort();
    names.dedup();
    let mut state = 0x9E37_79B9u64;
    let qs: Vec<String> = (0..1024)
        .map(|_| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let n = &names[(state >> 33) as usize % names.len()];
            // Alternate the case the way inputs arrive: as documented, upper, lower.
            match state % 3 {
                0 => n.clone(),
                1 => n.to_uppercase(),
                _ => n.to_lowercase(),
            }
        })
        .collect();
    let mut g = c.benchmark_group("lookup-name");
    let mut i = 0usize;
    g.bench_function("ours (perfect hash over case-folded bytes)", |b| {
        b.iter(|| {
            i = (i + 1) & 1023;
            lookup_name(black_box(&qs[i])).count()
        })
    });
    g.bench_function("HashMap<String> + to_lowercase", |b| {
        b.iter(|| {
            i = (i + 1) & 1023;
            map.get(&black_box(&qs[i]).to_lowercase())
                .map_or(0, Vec::len)
        })
    });
    g.finish();
}

criterion_group!(benches, number_lookup, name_lookup);
criterion_main!(benches);
