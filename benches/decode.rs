//! `decode` for every input form, and Device Update extended result code readings.

use std::hint::black_box;

use azure_iot_codes::du::ExtendedResultCode;
use azure_iot_codes::{Catalogue, DecodeOptions, decode, decode_with};
use criterion::{Criterion, criterion_group, criterion_main};

fn decode_forms(c: &mut Criterion) {
    let mut g = c.benchmark_group("decode");
    for (label, input) in [
        ("decimal 404001", "404001"),
        ("decimal 429", "429"),
        ("hex 0x191", "0x191"),
        ("name DEVICE_DISABLED", "DEVICE_DISABLED"),
        ("name IotHubUnauthorizedAccess", "IotHubUnauthorizedAccess"),
        ("name assigning", "assigning"),
        ("name Not Found (three rows to rank)", "Not Found"),
        ("status+reason 404 Not Found", "404 Not Found"),
        ("du signed -536870781", "-536870781"),
        ("du list 30501028,A0000FFF", "30501028,A0000FFF"),
    ] {
        g.bench_function(label, |b| {
            b.iter(|| decode(black_box(input)).map(|d| d.len()))
        });
    }
    g.finish();
}

fn du(c: &mut Criterion) {
    let mut g = c.benchmark_group("du");
    let hint = DecodeOptions::new().catalogue(Catalogue::DuExtendedResultCode);
    g.bench_function("decode_with du-erc 0x30501028 (exit code)", |b| {
        b.iter(|| {
            decode_with(black_box("0x30501028"), &hint)
                .map(|d| d[0].erc().and_then(|r| r.exit_code()))
        })
    });
    g.bench_function("decode_with du-erc 0xD0190193 (DO HTTP 403)", |b| {
        b.iter(|| {
            decode_with(black_box("0xD0190193"), &hint).map(|d| {
                d[0].erc()
                    .and_then(|r| r.delivery_optimization())
                    .and_then(|x| x.http_status())
            })
        })
    });
    g.bench_function("ExtendedResultCode::parse + parts", |b| {
        b.iter(|| {
            ExtendedResultCode::parse(black_box("-536870781"))
                .map(|e| (e.facility(), e.component(), e.value()))
        })
    });
    g.finish();
}

criterion_group!(benches, decode_forms, du);
criterion_main!(benches);
