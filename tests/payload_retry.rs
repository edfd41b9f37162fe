//! The retry decision of a payload: the code it is made from, the sub-code that refines it, the Retry-After of
//! a DPS topic or of the HTTP header the caller passes, and the caller's attempt and budgets. Topics and
//! bodies follow codes.md §2c-§3 (its DPS examples: 202 + retry-after=3, 200 with a failed registration and
//! errorCode 400209); the rules are docs/retry.md's.
#![cfg(feature = "alloc")]

use azure_iot_codes::Service;
use azure_iot_codes::payload::{PayloadKind, PayloadOptions, decode_payload, decode_payload_with};
use azure_iot_codes::retry::{
    Action, Context, Outcome, Policy, RetryAfterUse, SplitMix64, SubCode,
};
use proptest::prelude::*;

const DPS_202: &str = "$dps/registrations/res/202/?$rid=7&retry-after=3";
const DPS_202_BODY: &str = include_str!("fixtures/payload/dps-topic-202-assigning-body.txt");
const DPS_200_FAILED: &str = include_str!("fixtures/payload/dps-topic-200-failed-400209.txt");
const HUB_404104: &str = include_str!("fixtures/payload/iothub-error-404104.json");

#[test]
fn dps_202_with_retry_after_3_polls_after_3_seconds() {
    for input in [DPS_202, DPS_202_BODY] {
        let p = decode_payload(input).unwrap();
        let d = p.retry().unwrap();
        assert_eq!(d.action(), Action::Retry, "{input}");
        assert_eq!(d.delay_ms(), Some(3_000), "{input}");
        assert_eq!(d.retry_after(), RetryAfterUse::Honored { seconds: 3 });
        assert_eq!(d.rule().id(), "dps-assigning");
        assert_eq!(d.rule().pace().unwrap().as_str(), "poll");
        assert_eq!(d.service(), Service::Dps);
    }
    // With the body, the 202 is completed by the body's status ("assigning"), which says the same.
    let p = decode_payload(DPS_202_BODY).unwrap();
    assert_eq!(p.kind(), PayloadKind::DpsRegistration);
    assert_eq!(p.topic().unwrap().status, 202);
    assert_eq!(p.retry_code().unwrap().field(), "status");
}

#[test]
fn dps_429_follows_the_topics_retry_after_within_bounds() {
    let p = decode_payload(include_str!(
        "fixtures/payload/seed-dps-429-throttled-topic.txt"
    ))
    .unwrap();
    let d = p.retry().unwrap();
    assert_eq!((d.action(), d.rule().id()), (Action::Retry, "dps-429"));
    assert_eq!(d.delay_ms(), Some(10_000));
    assert!(d.retry_after_honored());
    assert_eq!(p.retry_outcome(), Some(Outcome::HttpStatus(429)));

    // 0 is raised to the policy's floor (1 s), 3600 lowered to its ceiling (300 s)...
    let unbudgeted = Policy {
        max_elapsed: None,
        ..Policy::DEFAULT
    };
    for (ra, used) in [("0", 1_000), ("3600", 300_000)] {
        let p = decode_payload(format!(
            "$dps/registrations/res/429/?$rid=1&retry-after={ra}"
        ))
        .unwrap();
        let d = p
            .retry_with(&unbudgeted, &Context::new(), &mut SplitMix64::new(0))
            .unwrap();
        assert_eq!(d.delay_ms(), Some(used), "retry-after={ra}");
        assert_eq!(d.retry_after().as_str(), "clamped");
    }
    // ...which the default time budget (240 s) does not allow: give up rather than wait past it.
    let p = decode_payload("$dps/registrations/res/429/?$rid=1&retry-after=3600").unwrap();
    let d = p.retry().unwrap();
    assert_eq!((d.action(), d.delay()), (Action::GiveUp, None));
    assert!(d.budget_spent().is_some());
    // Without one: throttled backoff, with jitter.
    let p = decode_payload("$dps/registrations/res/429/?$rid=1").unwrap();
    let d = p.retry().unwrap();
    assert_eq!(d.retry_after(), RetryAfterUse::Absent);
    let (lo, hi) = Policy::DEFAULT.throttled.band(1);
    assert!((lo..=hi).contains(&d.delay_ms().unwrap()));
}

#[test]
fn iot_hub_404104_body_reconnects_and_honours_a_retry_after_header() {
    let p = decode_payload(HUB_404104).unwrap();
    assert_eq!(p.service(), Some(Service::IotHub));
    let d = p.retry().unwrap();
    assert_eq!((d.action(), d.rule().id()), (Action::Retry, "hub-404104"));
    assert_eq!(d.retry_after(), RetryAfterUse::Absent);
    let (lo, hi) = Policy::DEFAULT.normal.band(1);
    assert!((lo..=hi).contains(&d.delay_ms().unwrap()));
    assert_eq!(p.retry_outcome(), Some(Outcome::ServiceError(404104)));
    assert_eq!(p.retry_sub_code(), None);

    // A body does not carry the Retry-After header: the caller passes it.
    let ctx = Context::new().retry_after("5");
    let d = p
        .retry_with(&Policy::DEFAULT, &ctx, &mut SplitMix64::new(1))
        .unwrap();
    assert_eq!(d.delay_ms(), Some(5_000));
    assert!(d.retry_after_honored());
    // An HTTP-date works too, given the current time.
    let ctx = Context::new()
        .retry_after("Sun, 06 Nov 1994 08:49:47 GMT")
        .now_unix(784_111_767);
    let d = p
        .retry_with(&Policy::DEFAULT, &ctx, &mut SplitMix64::new(1))
        .unwrap();
    assert_eq!(d.delay_ms(), Some(20_000));
}

#[test]
fn dps_200_with_a_failed_registration_is_decided_by_the_body() {
    // codes.md §2d: "request ok, operation failed". The 200 alone says nothing is wrong.
    let p = decode_payload(DPS_200_FAILED).unwrap();
    assert_eq!(p.kind(), PayloadKind::DpsRegistration);
    assert_eq!(p.codes()[0].field(), "topic status");
    assert!(p.is_failure());
    assert_eq!(p.retry_code().unwrap().field(), "status");
    assert_eq!(p.retry_sub_code(), Some(SubCode::ServiceError(400209)));
    let d = p.retry().unwrap();
    assert_eq!(
        (d.action(), d.rule().id()),
        (Action::OperatorAction, "dps-400209")
    );
    assert_eq!(d.delay(), None);
    assert_eq!(d.meaning().unwrap().code().to_string(), "400209");

    // The same body without its topic gives the same decision.
    let body = DPS_200_FAILED.split_once('\n').unwrap().1;
    assert_eq!(decode_payload(body).unwrap().retry(), Some(d));
}

#[test]
fn a_topic_status_is_refined_by_the_body_code() {
    // DPS 401 with errorCode 401002 (codes.md §2d example): renew the credentials, not a bare re-register.
    let msg = format!(
        "$dps/registrations/res/401/?$rid=10\n{}",
        include_str!("fixtures/payload/dps-error-401002.json")
    );
    let p = decode_payload(&msg).unwrap();
    assert_eq!(p.kind(), PayloadKind::DpsError);
    assert_eq!(p.retry_outcome(), Some(Outcome::HttpStatus(401)));
    assert_eq!(p.retry_sub_code(), Some(SubCode::ServiceError(401002)));
    let d = p.retry().unwrap();
    assert_eq!(
        (d.action(), d.rule().id()),
        (Action::RenewCredentials, "dps-401002")
    );
    // The topic alone only knows the status.
    let d = decode_payload("$dps/registrations/res/401/?$rid=10")
        .unwrap()
        .retry()
        .unwrap();
    assert_eq!(d.rule().id(), "dps-401");

    // A log row: ResultSignature 409 refined by ResultType 409002.
    let p = decode_payload(include_str!("fixtures/payload/diag-iothub-409002.csv")).unwrap();
    assert_eq!(p.retry_outcome(), Some(Outcome::HttpStatus(409)));
    assert_eq!(p.retry_sub_code(), Some(SubCode::ServiceError(409002)));
}

#[test]
fn the_callers_context_counts_attempts_and_budgets() {
    let p = decode_payload(HUB_404104).unwrap();
    let ctx = Context::new().attempt(10);
    let d = p
        .retry_with(&Policy::DEFAULT, &ctx, &mut SplitMix64::new(3))
        .unwrap();
    assert_eq!(d.action(), Action::GiveUp);
    assert_eq!(d.attempt(), 10);
    // The caller's service wins over the payload's.
    let ctx = Context::new().service(Service::Dps);
    let d = decode_payload(DPS_202)
        .unwrap()
        .retry_with(&Policy::DEFAULT, &ctx, &mut SplitMix64::new(3))
        .unwrap();
    assert_eq!(d.service(), Service::Dps);
}

#[test]
fn payloads_without_a_code_to_decide_on() {
    // A direct-method reply whose status is outside the HTTP range: the device chose it.
    let p = decode_payload("$iothub/methods/res/7001/?$rid=2").unwrap();
    assert!(p.codes().is_empty());
    assert_eq!(p.retry(), None);
    assert_eq!(p.retry_outcome(), None);
    assert!(p.retry_code().is_none());
    // A twin PATCH that worked: nothing to do.
    let d = decode_payload("$iothub/twin/res/204/?$rid=3&$version=17")
        .unwrap()
        .retry()
        .unwrap();
    assert_eq!((d.action(), d.delay()), (Action::None, None));
}

#[test]
fn the_seed_sets_the_jitter() {
    let a = decode_payload_with(HUB_404104, &PayloadOptions::new().seed(1)).unwrap();
    let b = decode_payload_with(HUB_404104, &PayloadOptions::new().seed(1)).unwrap();
    assert_eq!(a.retry(), b.retry());
    let delays: std::collections::BTreeSet<_> = (0..16)
        .map(|seed| {
            decode_payload_with(HUB_404104, &PayloadOptions::new().seed(seed))
                .unwrap()
                .retry()
                .unwrap()
                .delay_ms()
        })
        .collect();
    assert!(delays.len() > 1, "{delays:?}");
}

#[test]
fn a_topic_followed_by_something_else_is_refused() {
    use azure_iot_codes::ErrorKind;
    let e = decode_payload("$dps/registrations/res/200/?$rid=1\nnot json").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::UnknownShape);
    let e = decode_payload("$dps/registrations/res/200/?$rid=1\n{\"status\":\"assig").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Truncated);
    let e = decode_payload("$dps/registrations/res/200/?$rid=1\n{\"hello\":1}").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::UnknownShape);
    let e = decode_payload("$dps/registrations/res/2x0/?$rid=1\n{\"status\":\"assigned\"}")
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidTopic);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    /// Whatever the status, a DPS topic's retry-after sets the delay of every decision that waits, brought into
    /// the policy's bounds; and a caller's header replaces it.
    #[test]
    fn dps_topic_retry_after_sets_the_wait(status in 100u16..=599, ra in 0u64..=100_000, header in 0u64..=400) {
        let p = decode_payload(format!("$dps/registrations/res/{status}/?$rid=1&retry-after={ra}")).unwrap();
        let d = p.retry().unwrap();
        let bounded = |s: u64| s.clamp(1, 300) * 1000;
        if let Some(ms) = d.delay_ms() {
            prop_assert_eq!(ms, bounded(ra));
        } else {
            prop_assert!(!d.action().waits() || d.budget_spent().is_some());
        }
        // Without budgets the action never changes, and a header replaces the topic's value.
        let unbudgeted = Policy { max_elapsed: None, max_attempts: None, ..Policy::DEFAULT };
        let d1 = p.retry_with(&unbudgeted, &Context::new(), &mut SplitMix64::new(9)).unwrap();
        let header_text = header.to_string();
        let ctx = Context::new().retry_after(&header_text);
        let d2 = p.retry_with(&unbudgeted, &ctx, &mut SplitMix64::new(9)).unwrap();
        prop_assert_eq!(d2.action(), d1.action());
        prop_assert_eq!(d1.delay_ms().is_some(), d1.action().waits());
        if let Some(ms) = d1.delay_ms() {
            prop_assert_eq!(ms, bounded(ra));
        }
        if let Some(ms) = d2.delay_ms() {
            prop_assert_eq!(ms, bounded(header));
        }
    }

    /// Topic and body: the body's codes follow the topic's status, and the decision is total.
    #[test]
    fn topic_then_body_keeps_both(status in 100u16..=599, code in 100_000u32..=599_999) {
        let msg = format!("$dps/registrations/res/{status}/?$rid=5\n{{\"errorCode\":{code},\"trackingId\":\"0f0e0d0c-0b0a-0908-0706-050403020100\"}}");
        let p = decode_payload(&msg).unwrap();
        prop_assert_eq!(p.codes()[0].field(), "topic status");
        prop_assert_eq!(p.codes()[1].field(), "errorCode");
        prop_assert!(p.retry().is_some());
        if !(200..300).contains(&status) {
            prop_assert_eq!(p.retry_outcome(), Some(Outcome::HttpStatus(status)));
            prop_assert_eq!(p.retry_sub_code(), Some(SubCode::ServiceError(code)));
        }
    }
}
