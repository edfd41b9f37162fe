//! The retry classifier: `retry::decide` in representative contexts (a delay from the backoff band, a delay from a
//! Retry-After as seconds and as an HTTP-date, a refinement by sub-code, an action that does not wait, a spent
//! budget, a DPS status), and the next delay of each backoff profile and of a whole schedule.
//!
//! Each context's decision is checked once before it is measured, so a label cannot describe a path the
//! classifier does not take. `scripts/bench` runs this and prints the table.

use std::hint::black_box;
use std::time::Duration;

use azure_iot_codes::retry::{
    Action, Backoff, Context, Outcome, Policy, SplitMix64, SubCode, decide,
};
use azure_iot_codes::{AuthSubError, DpsRegistrationStatus, Service, ServiceErrorCode, decode};
use criterion::{Criterion, criterion_group, criterion_main};

/// 2025-01-01T00:00:00Z, the "now" against which the HTTP-date Retry-After is read.
const NOW: u64 = 1_735_689_600;

fn decisions(c: &mut Criterion) {
    let mut g = c.benchmark_group("retry-decide");
    let assigning = decode("assigning").expect("a DPS status")[0];
    let cases: [(&str, Outcome, Context<'static>, Action, bool); 8] = [
        (
            "503 iot-hub, attempt 3: backoff band + jitter",
            Outcome::HttpStatus(503),
            Context::new().service(Service::IotHub).attempt(3),
            Action::Retry,
            true,
        ),
        (
            "429 dps, retry-after 5 (seconds)",
            Outcome::HttpStatus(429),
            Context::new().service(Service::Dps).retry_after("5"),
            Action::Retry,
            true,
        ),
        (
            "503 iot-hub, Retry-After HTTP-date",
            Outcome::HttpStatus(503),
            Context::new()
                .service(Service::IotHub)
                .retry_after("Wed, 01 Jan 2025 00:00:30 GMT")
                .now_unix(NOW),
            Action::Retry,
            true,
        ),
        (
            "404104 iot-hub (service error code)",
            ServiceErrorCode::new(404104).expect("six digits").into(),
            Context::new().service(Service::IotHub),
            Action::Retry,
            true,
        ),
        (
            "401 dps + sub-code 400209: operator action, no wait",
            Outcome::HttpStatus(401),
            Context::new()
                .service(Service::Dps)
                .sub_code(SubCode::ServiceError(400209)),
            Action::OperatorAction,
            false,
        ),
        (
            "401 iot-central + DEVICE_BLOCKED",
            Outcome::HttpStatus(401),
            Context::new()
                .service(Service::IotCentral)
                .sub_code(AuthSubError::DeviceBlocked.into()),
            Action::OperatorAction,
            false,
        ),
        (
            "500 iot-hub, attempt 10: budget spent",
            Outcome::HttpStatus(500),
            Context::new().service(Service::IotHub).attempt(10),
            Action::GiveUp,
            false,
        ),
        (
            "decoded DPS status assigning: poll again",
            Outcome::from(&assigning),
            Context::new().elapsed(Duration::from_secs(4)),
            Action::Retry,
            true,
        ),
    ];
    let mut rng = SplitMix64::new(0x1D0C_0DE5);
    for (label, outcome, ctx, action, waits) in cases {
        let d = decide(outcome, &ctx, &mut rng);
        assert_eq!(d.action(), action, "{label}: {}", d.reason());
        assert_eq!(d.delay_ms().is_some(), waits, "{label}: {d:?}");
        g.bench_function(label, |b| {
            b.iter(|| decide(black_box(outcome), black_box(&ctx), &mut rng).delay_ms())
        });
    }
    g.bench_function(
        "DpsRegistrationStatus::Failed (typed enum, no service)",
        |b| {
            b.iter(|| {
                decide(
                    black_box(DpsRegistrationStatus::Failed),
                    &Context::new(),
                    &mut rng,
                )
                .action()
            })
        },
    );
    g.finish();
}

fn delays(c: &mut Criterion) {
    let mut g = c.benchmark_group("retry-delay");
    let mut rng = SplitMix64::new(7);
    for (label, profile, attempt) in [
        ("Backoff::NORMAL.delay, attempt 3", Backoff::NORMAL, 3),
        (
            "Backoff::NORMAL.delay, attempt 30 (capped)",
            Backoff::NORMAL,
            30,
        ),
        ("Backoff::THROTTLED.delay, attempt 2", Backoff::THROTTLED, 2),
        ("Backoff::POLL.delay, attempt 5", Backoff::POLL, 5),
    ] {
        g.bench_function(label, |b| {
            b.iter(|| profile.delay(black_box(attempt), &mut rng))
        });
    }
    // The whole schedule a device would follow if every attempt failed with 503: every decision until give-up.
    // Its length depends on the jitter drawn (the elapsed-time budget ends it), so the label gives the range.
    let lengths: Vec<usize> = (0..1000)
        .map(|seed| {
            Policy::DEFAULT
                .schedule(
                    Outcome::HttpStatus(503),
                    Context::new().service(Service::IotHub),
                    &mut SplitMix64::new(seed),
                )
                .count()
        })
        .collect();
    let (shortest, longest) = (
        lengths.iter().min().copied().unwrap_or(0),
        lengths.iter().max().copied().unwrap_or(0),
    );
    assert!(shortest > 1, "{shortest}");
    let steps = if shortest == longest {
        shortest.to_string()
    } else {
        format!("{shortest}-{longest}")
    };
    g.bench_function(
        format!("Policy::schedule 503 iot-hub until give-up ({steps} decisions)"),
        |b| {
            b.iter(|| {
                Policy::DEFAULT
                    .schedule(
                        black_box(Outcome::HttpStatus(503)),
                        Context::new().service(Service::IotHub),
                        &mut rng,
                    )
                    .filter_map(|d| d.delay_ms())
                    .sum::<u64>()
            })
        },
    );
    g.finish();
}

criterion_group!(benches, decisions, delays);
criterion_main!(benches);
