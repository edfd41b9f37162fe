//! Property tests of the retry classifier: total over every input, delays always inside their bounds, the
//! Retry-After parser never panics and agrees with an independent date computation.

use std::time::Duration;

use azure_iot_codes::Service;
use azure_iot_codes::retry::{
    Action, Backoff, Budget, Context, Decision, Operation, Outcome, Policy, RetryAfter,
    RetryAfterUse, SplitMix64, SubCode,
};
use proptest::prelude::*;

const SERVICES: [Service; 4] = [
    Service::IotHub,
    Service::Dps,
    Service::IotCentral,
    Service::DeviceUpdate,
];
const OPERATIONS: [Operation; 2] = [Operation::Device, Operation::ServiceApi];

fn ms(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// Every decision, whatever the input: a delay exactly when an unspent waiting action, inside the band of its
/// profile or the Retry-After bounds, never above the larger cap; give-up only from a spent budget; one-line
/// reason.
fn check(d: &Decision, policy: &Policy, ctx: &Context<'_>) -> Result<(), TestCaseError> {
    let reason = d.reason().to_string();
    prop_assert!(!reason.is_empty() && !reason.contains('\n'));
    prop_assert_eq!(d.attempt(), ctx.attempt.max(1));
    let rule = d.rule();
    match d.budget_spent() {
        Some(_) => {
            prop_assert!(rule.action().waits());
            prop_assert_eq!(d.action(), rule.when_spent());
            prop_assert!(d.delay().is_none());
            prop_assert!(!d.retry_after_honored());
        }
        None => {
            prop_assert_eq!(d.action(), rule.action());
            prop_assert_eq!(d.delay().is_some(), d.action().waits());
        }
    }
    if let Some(delay) = d.delay_ms() {
        let profile = policy.profile(rule.pace().unwrap());
        let (ra_lo, ra_hi) = (ms(policy.retry_after_min), ms(policy.retry_after_max));
        if d.retry_after_honored() {
            prop_assert!(
                delay >= ra_lo.min(ra_hi) && delay <= ra_hi,
                "{delay} {ra_lo} {ra_hi}"
            );
        } else {
            let (lo, hi) = profile.band(d.attempt());
            prop_assert!(
                lo <= delay && delay <= hi,
                "{} not in {}..={}",
                delay,
                lo,
                hi
            );
        }
        prop_assert!(delay <= profile.max_ms.max(ra_hi));
        if let Some(max) = policy.max_elapsed {
            prop_assert!(ms(ctx.elapsed).saturating_add(delay) <= ms(max));
        }
        if let Some(max) = policy.max_attempts {
            prop_assert!(d.attempt() < max);
        }
    }
    if d.action() == Action::GiveUp {
        prop_assert!(d.budget_spent().is_some());
    }
    if let Some(Budget::Attempts { max }) = d.budget_spent() {
        prop_assert!(d.attempt() >= max);
    }
    Ok(())
}

/// Every u16 status, in every service and operation, at attempts from the first to u32::MAX, with the default
/// policy and with no budgets at all.
#[test]
fn every_u16_status_in_every_service_is_classified() {
    let unbounded = Policy {
        max_attempts: None,
        max_elapsed: None,
        ..Policy::DEFAULT
    };
    let mut rng = SplitMix64::new(0xA11_57A7);
    let mut counts = std::collections::BTreeMap::new();
    for status in 0..=u16::MAX {
        for service in SERVICES {
            for op in OPERATIONS {
                for attempt in [0, 1, 2, 9, 10, 64, u32::MAX] {
                    for policy in [&Policy::DEFAULT, &unbounded] {
                        let ctx = Context::new()
                            .service(service)
                            .operation(op)
                            .attempt(attempt);
                        let d = policy.decide(Outcome::HttpStatus(status), &ctx, &mut rng);
                        if let Err(e) = check(&d, policy, &ctx) {
                            panic!("{status} {service} {op:?} #{attempt}: {e}");
                        }
                        *counts.entry(d.action()).or_insert(0u64) += 1;
                    }
                }
            }
        }
    }
    // Every action but those only states can produce shows up.
    for a in [
        Action::None,
        Action::Retry,
        Action::ReRegister,
        Action::StatusLookup,
        Action::RenewCredentials,
        Action::FixRequest,
        Action::OperatorAction,
        Action::ContactSupport,
        Action::GiveUp,
    ] {
        assert!(counts.contains_key(&a), "{a} never decided: {counts:?}");
    }
}

fn any_service() -> impl Strategy<Value = Service> {
    prop::sample::select(SERVICES.to_vec())
}

fn any_op() -> impl Strategy<Value = Operation> {
    prop::sample::select(OPERATIONS.to_vec())
}

fn any_backoff() -> impl Strategy<Value = Backoff> {
    (any::<u64>(), any::<u64>(), 0u32..=10, 0u32..=200).prop_map(|(i, m, mul, j)| Backoff {
        initial_ms: i % 1_000_000_000,
        max_ms: m % 1_000_000_000,
        multiplier: mul,
        jitter_percent: j,
    })
}

fn any_policy() -> impl Strategy<Value = Policy> {
    (
        any_backoff(),
        any_backoff(),
        any_backoff(),
        prop::option::of(any::<u32>()),
        prop::option::of(any::<u64>()),
        any::<u64>(),
        any::<u64>(),
        any::<bool>(),
    )
        .prop_map(
            |(normal, throttled, poll, att, el, ra_min, ra_max, honor)| Policy {
                normal,
                throttled,
                poll,
                max_attempts: att,
                max_elapsed: el.map(Duration::from_millis),
                retry_after_min: Duration::from_millis(ra_min % 10_000_000),
                retry_after_max: Duration::from_millis(ra_max % 10_000_000),
                honor_retry_after: honor,
            },
        )
}

fn retry_after_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<u64>().prop_map(|n| n.to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        "[0-9]{0,30}",
        "[-+ .0-9a-zA-Z,:]{0,40}",
        ".{0,40}",
        Just("Wed, 01 Jan 2025 00:00:30 GMT".to_string()),
        Just("Wednesday, 01-Jan-25 00:00:30 GMT".to_string()),
        Just("Wed Jan  1 00:00:30 2025".to_string()),
    ]
}

fn any_sub_code() -> impl Strategy<Value = Option<SubCode>> {
    prop::option::of(prop_oneof![
        any::<u32>().prop_map(SubCode::ServiceError),
        (100_000u32..=599_999).prop_map(SubCode::ServiceError),
        prop::sample::select(azure_iot_codes::AuthSubError::ALL.to_vec())
            .prop_map(SubCode::AuthSubError),
    ])
}

fn any_outcome() -> impl Strategy<Value = Outcome> {
    let rows: Vec<&'static azure_iot_codes::Meaning> = azure_iot_codes::Catalogue::ALL
        .iter()
        .flat_map(|c| c.rows())
        .collect();
    prop_oneof![
        any::<u16>().prop_map(Outcome::HttpStatus),
        any::<u32>().prop_map(Outcome::ServiceError),
        (100_000u32..=599_999).prop_map(Outcome::ServiceError),
        any::<u8>().prop_map(Outcome::MqttConnack),
        prop::sample::select(rows).prop_map(Outcome::Meaning),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4000, ..ProptestConfig::default() })]

    #[test]
    fn decisions_are_total_and_bounded(
        outcome in any_outcome(),
        service in prop::option::of(any_service()),
        op in any_op(),
        sub in any_sub_code(),
        attempt in any::<u32>(),
        elapsed in any::<u64>(),
        retry_after in prop::option::of(retry_after_text()),
        now in prop::option::of(any::<u64>()),
        policy in any_policy(),
        seed in any::<u64>(),
    ) {
        let mut ctx = Context::new().operation(op).attempt(attempt).elapsed(Duration::from_millis(elapsed));
        ctx.service = service;
        ctx.sub_code = sub;
        ctx.retry_after = retry_after.as_deref();
        ctx.now_unix = now;
        let d = policy.decide(outcome, &ctx, &mut SplitMix64::new(seed));
        check(&d, &policy, &ctx)?;
        // Pure: the same input and seed give the same decision.
        prop_assert_eq!(d, policy.decide(outcome, &ctx, &mut SplitMix64::new(seed)));
    }

    #[test]
    fn backoff_bands_are_ordered_capped_and_grow(b in any_backoff(), attempt in any::<u32>(), seed in any::<u64>()) {
        let (lo, hi) = b.band(attempt);
        prop_assert!(lo <= hi && hi <= b.max_ms);
        let d = b.delay(attempt, &mut SplitMix64::new(seed));
        prop_assert!((lo..=hi).contains(&ms(d)));
        if attempt < u32::MAX {
            let (lo2, hi2) = b.band(attempt + 1);
            prop_assert!(lo2 >= lo && hi2 >= hi, "the band never moves down");
        }
        // Below the cap the delay is never shorter than the exponential base.
        let jitter = u128::from(b.jitter_percent.min(100));
        let room = (u128::from(b.max_ms) * 100 / (100 + jitter)) as u64;
        if b.initial_ms <= room {
            prop_assert!(lo >= b.initial_ms.min(room));
        }
    }

    #[test]
    fn retry_after_parsing_never_panics(s in ".{0,64}", now in any::<u64>()) {
        if let Ok(ra) = RetryAfter::parse(&s) {
            let _ = ra.wait_seconds(Some(now));
        }
    }

    #[test]
    fn delta_seconds_round_trip(n in any::<u64>(), pad in "[ \t]{0,3}") {
        let text = format!("{pad}{n}{pad}");
        prop_assert_eq!(RetryAfter::parse(&text), Ok(RetryAfter::Seconds(n.min(1 << 31))));
        let neg = format!("-{}", n.max(1));
        prop_assert!(RetryAfter::parse(&neg).is_err());
    }

    #[test]
    fn the_three_date_forms_agree_with_a_reference_clock(
        year in 1970i64..2100,
        month in 1u32..=12,
        day in 1u32..=31,
        h in 0u32..24,
        m in 0u32..60,
        s in 0u32..60,
    ) {
        prop_assume!(day <= reference_days_in_month(year, month));
        let at = reference_unix(year, month, day, h, m, s);
        let wd = reference_weekday(at);
        let mon = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][month as usize - 1];
        let short = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][wd];
        let long = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"][wd];
        let imf = format!("{short}, {day:02} {mon} {year} {h:02}:{m:02}:{s:02} GMT");
        let rfc850 = format!("{long}, {day:02}-{mon}-{:02} {h:02}:{m:02}:{s:02} GMT", year % 100);
        let asctime = format!("{short} {mon} {day:>2} {h:02}:{m:02}:{s:02} {year}");
        // "now" one day before the date: the two-digit year resolves to the same century.
        let now = u64::try_from(at - 86_400).unwrap_or(0);
        for text in [&imf, &rfc850, &asctime] {
            let ra = RetryAfter::parse(text).map_err(|e| TestCaseError::fail(format!("{text}: {e}")))?;
            let RetryAfter::Date(d) = ra else { return Err(TestCaseError::fail("not a date")) };
            prop_assert_eq!(d.unix_seconds(now), at, "{}", text);
            let wait = ra.wait_seconds(Some(now)).unwrap();
            prop_assert_eq!(wait, u64::try_from(at - now as i64).unwrap_or(0), "{}", text);
        }
    }

    #[test]
    fn honoured_retry_after_is_the_delay(secs in 1u64..=240, service in any_service()) {
        let text = secs.to_string();
        let ctx = Context::new().service(service).retry_after(&text);
        let d = Policy::DEFAULT.decide(Outcome::HttpStatus(503), &ctx, &mut SplitMix64::new(1));
        prop_assert_eq!(d.retry_after(), RetryAfterUse::Honored { seconds: secs });
        prop_assert_eq!(d.delay_ms(), Some(secs * 1000));
    }
}

/// An independent (deliberately naive) calendar: count days year by year and month by month.
fn reference_is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn reference_days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if reference_is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn reference_unix(y: i64, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> i64 {
    let mut days: i64 = (1970..y)
        .map(|yy| if reference_is_leap(yy) { 366 } else { 365 })
        .sum();
    days += (1..mo)
        .map(|mm| i64::from(reference_days_in_month(y, mm)))
        .sum::<i64>();
    days += i64::from(d) - 1;
    days * 86_400 + i64::from(h) * 3_600 + i64::from(mi) * 60 + i64::from(s)
}

/// 0 = Monday. 1970-01-01 was a Thursday.
fn reference_weekday(unix: i64) -> usize {
    ((unix.div_euclid(86_400) + 3).rem_euclid(7)) as usize
}
