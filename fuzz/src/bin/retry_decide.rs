//! `Policy::decide` and `Policy::schedule` with an arbitrary outcome, context (service, operation, sub-code,
//! attempt, raw Retry-After text, elapsed time, clock), policy (any backoff profiles and budgets) and jitter
//! seed, all read from the input bytes (layout at [`run`]). Every decision must keep its delay within the caps that apply to it.
#![no_main]

use core::time::Duration;

use azure_iot_codes::du::ExtendedResultCode;
use azure_iot_codes::retry::{
    Backoff, Budget, Context, Decision, Operation, Outcome, Pace, Policy, RandomSource,
    RetryAfterUse, SplitMix64, SubCode,
};
use azure_iot_codes::{
    AuthSubError, DpsRegistrationStatus, DpsRegistrationSubstatus, IotCentralStatus, Service, rows,
};
use libfuzzer_sys::fuzz_target;

/// The fixed-layout head of the input (zero-padded when the input is shorter); the rest is the raw Retry-After.
const HEAD: usize = 48;

fn le(b: &[u8]) -> u64 {
    b.iter().rev().fold(0, |acc, &x| (acc << 8) | u64::from(x))
}

fn pick<T: Copy>(i: u64, all: &[T]) -> T {
    all[(i % all.len() as u64) as usize]
}

/// Bytes 0-4: the outcome (kind, then a 32-bit value read as the kind needs).
fn outcome(h: &[u8]) -> Outcome {
    let v = le(&h[1..5]);
    match h[0] % 10 {
        0 => Outcome::Meaning(pick(v, &rows().iter().collect::<Vec<_>>())),
        1 => Outcome::HttpStatus(v as u16),
        2 => Outcome::ServiceError(v as u32),
        3 => Outcome::AuthSubError(pick(v, &AuthSubError::ALL)),
        4 => Outcome::IotCentralStatus(pick(v, &IotCentralStatus::ALL)),
        5 => Outcome::DpsRegistrationStatus(pick(v, &DpsRegistrationStatus::ALL)),
        6 => Outcome::DpsRegistrationSubstatus(pick(v, &DpsRegistrationSubstatus::ALL)),
        7 => Outcome::MqttConnack(v as u8),
        8 => Outcome::DuResultCode(v as u32 as i32),
        _ => Outcome::DuExtendedResultCode(ExtendedResultCode::new(v as u32)),
    }
}

/// A value for a policy field: the default, zero, the maximum or anything, as `rng` says.
fn knob(rng: &mut SplitMix64, default: u64) -> u64 {
    match rng.next_u64() % 4 {
        0 => default,
        1 => 0,
        2 => u64::MAX,
        _ => rng.next_u64() >> (rng.next_u64() % 64),
    }
}

fn backoff(rng: &mut SplitMix64, b: Backoff) -> Backoff {
    Backoff {
        initial_ms: knob(rng, b.initial_ms),
        max_ms: knob(rng, b.max_ms),
        multiplier: knob(rng, u64::from(b.multiplier)) as u32,
        jitter_percent: knob(rng, u64::from(b.jitter_percent)) as u32,
    }
}

/// The default policy, or (byte 6 bit 1) one whose every field is drawn from the seed in bytes 40-47.
fn policy(h: &[u8]) -> Policy {
    if h[6] & 2 == 0 {
        return Policy::DEFAULT;
    }
    let rng = &mut SplitMix64::new(le(&h[40..48]));
    let d = Policy::DEFAULT;
    let optional = |rng: &mut SplitMix64, default: u64| {
        (!rng.next_u64().is_multiple_of(5)).then(|| knob(rng, default))
    };
    Policy {
        normal: backoff(rng, d.normal),
        throttled: backoff(rng, d.throttled),
        poll: backoff(rng, d.poll),
        max_attempts: optional(rng, 10).map(|n| n as u32),
        max_elapsed: optional(rng, 240_000).map(Duration::from_millis),
        retry_after_min: Duration::from_millis(knob(rng, 1_000)),
        retry_after_max: Duration::from_millis(knob(rng, 300_000)),
        honor_retry_after: h[6] & 4 == 0,
    }
}

fn ms(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// What every decision must satisfy, given the policy and the context it was made in.
fn check(p: &Policy, ctx: &Context<'_>, d: &Decision) {
    let attempt = ctx.attempt.max(1);
    assert_eq!(d.attempt(), attempt);
    if let Some(s) = ctx.service {
        assert_eq!(d.service(), s);
    }
    // A delay exactly when the action waits; a spent budget never waits.
    assert_eq!(d.delay_ms().is_some(), d.action().waits(), "{d:?}");
    assert_eq!(d.delay().map(ms), d.delay_ms());
    if d.budget_spent().is_some() {
        assert!(d.delay_ms().is_none(), "{d:?}");
        assert!(!d.rule().when_spent().waits());
        assert_eq!(d.action(), d.rule().when_spent());
    } else {
        assert_eq!(d.action(), d.rule().action());
    }
    if ctx.retry_after.is_none() {
        assert_eq!(d.retry_after(), RetryAfterUse::Absent);
    }
    if let Some(delay) = d.delay_ms() {
        // Within the caps: Retry-After within its bounds, else the backoff band of the rule's pace.
        if d.retry_after_honored() {
            assert!(p.honor_retry_after);
            assert!(delay <= ms(p.retry_after_max), "{d:?}");
            if p.retry_after_min <= p.retry_after_max {
                assert!(delay >= ms(p.retry_after_min), "{d:?}");
            }
            if let RetryAfterUse::Honored { seconds } = d.retry_after() {
                assert_eq!(delay, seconds.saturating_mul(1000));
            }
        } else {
            let profile = p.profile(d.rule().pace().unwrap_or(Pace::Normal));
            let (lo, hi) = profile.band(attempt);
            assert!(
                lo <= hi && hi <= profile.max_ms,
                "band {lo}..{hi} of {profile:?}"
            );
            assert!(
                (lo..=hi).contains(&delay),
                "{delay} outside {lo}..={hi}: {d:?}"
            );
        }
        // Within the budgets.
        if let Some(max) = p.max_attempts {
            assert!(attempt < max, "{d:?}");
        }
        if let Some(max) = p.max_elapsed {
            assert!(ms(ctx.elapsed).saturating_add(delay) <= ms(max), "{d:?}");
        }
    }
    match d.budget_spent() {
        Some(Budget::Attempts { max }) => assert!(Some(max) == p.max_attempts && attempt >= max),
        Some(Budget::Elapsed { max_ms, .. }) => assert_eq!(Some(max_ms), p.max_elapsed.map(ms)),
        _ => {}
    }
    let reason = d.reason().to_string();
    assert!(!reason.is_empty());
    let json = serde_json::to_value(d).expect("a decision serializes");
    assert_eq!(json["action"], d.action().as_str());
}

/// Input layout (little-endian): 0 outcome kind, 1-4 outcome value, 5 service (0: unset, then `Service::ALL`),
/// 6 flags (bit 0 service-api call, bit 1 custom policy, bit 2 Retry-After not honoured, bit 3 clock known,
/// bit 4 Retry-After given), 7 sub-code kind (0 none, 1 service error, 2 auth sub-error), 8-11 sub-code value,
/// 12-15 attempt, 16-23 elapsed ms, 24-31 clock (Unix seconds), 32-39 jitter seed, 40-47 policy seed; then the
/// raw Retry-After text.
fn run(data: &[u8]) {
    let mut h = [0u8; HEAD];
    let n = data.len().min(HEAD);
    h[..n].copy_from_slice(&data[..n]);
    let text = String::from_utf8_lossy(&data[n..]);
    let p = policy(&h);
    let outcome = outcome(&h);
    let mut ctx = Context::new();
    ctx.service = (h[5] % 5)
        .checked_sub(1)
        .map(|i| Service::ALL[usize::from(i)]);
    ctx.operation = if h[6] & 1 == 0 {
        Operation::Device
    } else {
        Operation::ServiceApi
    };
    let sub = le(&h[8..12]);
    ctx.sub_code = match h[7] % 3 {
        0 => None,
        1 => Some(SubCode::ServiceError(sub as u32)),
        _ => Some(SubCode::AuthSubError(pick(sub, &AuthSubError::ALL))),
    };
    ctx.attempt = le(&h[12..16]) as u32;
    ctx.elapsed = Duration::from_millis(le(&h[16..24]));
    ctx.now_unix = (h[6] & 8 != 0).then(|| le(&h[24..32]));
    ctx.retry_after = (h[6] & 16 != 0).then_some(&*text);
    let seed = le(&h[32..40]);

    let d = p.decide(outcome, &ctx, &mut SplitMix64::new(seed));
    check(&p, &ctx, &d);
    // Same inputs, same seed: same decision.
    assert_eq!(d, p.decide(outcome, &ctx, &mut SplitMix64::new(seed)));

    // The loop that keeps failing the same way: every step obeys the caps, and a budget ends it.
    let mut rng = SplitMix64::new(seed);
    let mut step_ctx = ctx;
    let mut steps = 0u32;
    for d in p.schedule(outcome, ctx, &mut rng).take(64) {
        check(&p, &step_ctx, &d);
        if let Some(delay) = d.delay() {
            step_ctx.attempt = d.attempt().saturating_add(1);
            step_ctx.elapsed = step_ctx.elapsed.saturating_add(delay);
            step_ctx.retry_after = None;
        }
        steps += 1;
    }
    if let Some(max) = p.max_attempts.filter(|m| *m < 32) {
        let allowed = max.saturating_sub(ctx.attempt.max(1)) + 1;
        assert!(steps <= allowed, "{steps} steps, budget {max}");
    }
}

fuzz_target!(|data: &[u8]| run(data));
