//! The retry classifier as a specification: the side-by-side table (and the copy of it in `docs/retry.md`), one
//! test row per "Suggested actions" bullet of the newer DPS page and per mitigation row of the IoT Central page,
//! the Retry-After table, budgets, and the jitter band measured over many draws.

use std::time::Duration;

use azure_iot_codes::retry::{
    Action, Backoff, Budget, Context, Decision, Operation, Outcome, Pace, Policy, RetryAfterError,
    RetryAfterIgnored, RetryAfterUse, Rule, SplitMix64, SubCode, decide,
};
use azure_iot_codes::{
    AuthSubError, Catalogue, DecodeOptions, DpsRegistrationStatus, DpsRegistrationSubstatus,
    IotCentralStatus, MqttConnack, Service, ServiceErrorCode, decode, decode_with,
};

const HUB: Service = Service::IotHub;
const DPS: Service = Service::Dps;
const CENTRAL: Service = Service::IotCentral;
const DU: Service = Service::DeviceUpdate;
const SERVICES: [Service; 4] = [HUB, DPS, CENTRAL, DU];

fn rng() -> SplitMix64 {
    SplitMix64::new(0x1D0C_0DE5)
}

fn status(s: u16, service: Service) -> Decision {
    decide(
        Outcome::HttpStatus(s),
        &Context::new().service(service),
        &mut rng(),
    )
}

fn with(outcome: impl Into<Outcome>, ctx: &Context<'_>) -> Decision {
    decide(outcome, ctx, &mut rng())
}

/// Checks shared by every decision: a waiting action has a delay inside its profile band (or the Retry-After
/// bounds), any other has none, and the reason is one non-empty line.
fn check_shape(d: &Decision, policy: &Policy) {
    let reason = d.reason().to_string();
    assert!(!reason.is_empty() && !reason.contains('\n'), "{reason:?}");
    match d.delay_ms() {
        Some(ms) => {
            assert!(d.action().waits(), "{d:?}");
            if d.retry_after_honored() {
                let lo = policy.retry_after_min.as_millis() as u64;
                let hi = policy.retry_after_max.as_millis() as u64;
                assert!(ms >= lo.min(hi) && ms <= hi, "{d:?}");
            } else {
                let (lo, hi) = policy.profile(d.rule().pace().unwrap()).band(d.attempt());
                assert!((lo..=hi).contains(&ms), "{ms} not in {lo}..={hi}: {d:?}");
            }
        }
        None => assert!(!d.action().waits() || d.budget_spent().is_some(), "{d:?}"),
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Side by side: our column for every status and service.

use Action::{
    ContactSupport, FixRequest, OperatorAction, ReRegister, RenewCredentials, Retry, StatusLookup,
};

/// (status, [IoT Hub, DPS, IoT Central, Device Update]) for a device call with no sub-code.
const SIDE_BY_SIDE: [(u16, [Action; 4]); 16] = [
    (400, [FixRequest, FixRequest, FixRequest, FixRequest]),
    (
        401,
        [
            RenewCredentials,
            ReRegister,
            RenewCredentials,
            RenewCredentials,
        ],
    ),
    (
        403,
        [OperatorAction, ReRegister, ReRegister, OperatorAction],
    ),
    (404, [ReRegister, ReRegister, ContactSupport, FixRequest]),
    (405, [FixRequest, FixRequest, FixRequest, FixRequest]),
    (408, [Retry, Retry, Retry, Retry]),
    (409, [FixRequest, FixRequest, FixRequest, FixRequest]),
    (412, [FixRequest, FixRequest, ContactSupport, FixRequest]),
    (413, [FixRequest, FixRequest, FixRequest, FixRequest]),
    (415, [FixRequest, FixRequest, FixRequest, FixRequest]),
    (429, [Retry, Retry, Retry, Retry]),
    (500, [Retry, StatusLookup, StatusLookup, Retry]),
    (501, [FixRequest, StatusLookup, StatusLookup, FixRequest]),
    (502, [Retry, StatusLookup, StatusLookup, Retry]),
    (503, [Retry, StatusLookup, StatusLookup, Retry]),
    (504, [Retry, StatusLookup, StatusLookup, Retry]),
];

#[test]
fn side_by_side_our_column() {
    for (code, actions) in SIDE_BY_SIDE {
        for (service, want) in SERVICES.into_iter().zip(actions) {
            let d = status(code, service);
            assert_eq!(d.action(), want, "{code} {service}: {}", d.reason());
            assert_eq!(d.service(), service);
            check_shape(&d, &Policy::DEFAULT);
            // 429 is paced by the throttled profile everywhere; IoT Central 5xx escalates to support.
            let pace = d.rule().pace();
            assert_eq!(
                code == 429,
                pace == Some(Pace::Throttled),
                "{code} {service}"
            );
            let escalates = service == CENTRAL && code >= 500;
            assert_eq!(
                d.rule().when_spent() == ContactSupport,
                escalates,
                "{code} {service}"
            );
        }
    }
}

/// The same table, as `docs/retry.md` shows it: the docs cannot drift from the code.
#[test]
fn side_by_side_docs_match_the_classifier() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/retry.md");
    let text = std::fs::read_to_string(path).expect("docs/retry.md");
    let section = text
        .split("## Side by side")
        .nth(1)
        .expect("a Side by side section");
    let mut seen = Vec::new();
    for line in section.lines().take_while(|l| !l.starts_with("## ")) {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let Some(code) = cells.get(1).and_then(|c| c.parse::<u16>().ok()) else {
            continue;
        };
        seen.push(code);
        for (i, service) in SERVICES.into_iter().enumerate() {
            let cell = cells[2 + i];
            let named = cell.split('`').nth(1).expect("a backticked action");
            let d = status(code, service);
            assert_eq!(named, d.action().as_str(), "docs row {code}, {service}");
            assert_eq!(
                cell.contains("(throttled)"),
                d.rule().pace() == Some(Pace::Throttled),
                "docs row {code}, {service}: {cell}"
            );
            assert_eq!(
                cell.contains("then `contact-support`"),
                d.rule().when_spent() == ContactSupport,
                "docs row {code}, {service}: {cell}"
            );
        }
    }
    let expected: Vec<u16> = SIDE_BY_SIDE.iter().map(|(c, _)| *c).collect();
    assert_eq!(seen, expected);
}

// ---------------------------------------------------------------------------------------------------------------
// The seeds: every "Suggested actions" bullet of the newer DPS page, every row of the DPS error tables, and every
// mitigation row of the IoT Central page.

#[test]
fn dps_suggested_actions_iot_edge_bullet_names_no_code() {
    // "If an IoT Edge device fails to start with error message failed to provision with IoT Hub, and no valid
    // device backup was found dps client error, see DPS Client error in the IoT Edge documentation."
    // The bullet quotes an IoT Edge log message, not a code: nothing is classified from the text, and the
    // decoder says so instead of guessing.
    let e = decode("failed to provision with IoT Hub, and no valid device backup was found")
        .unwrap_err();
    assert_eq!(e.kind(), azure_iot_codes::ErrorKind::NotFound);
}

#[test]
fn dps_suggested_actions_401_403_404_re_register() {
    // "For 401 Unauthorized, 403 Forbidden, or 404 Not Found errors perform a full re-registration by calling the
    // DPS registration API."
    for code in [401, 403, 404] {
        let d = status(code, DPS);
        assert_eq!(d.action(), ReRegister, "{code}");
        assert_eq!(d.rule().basis(), Rule::find("dps-401").unwrap().basis());
        assert!(d.rule().basis().contains("Suggested actions"));
        assert_eq!(d.meaning().unwrap().http_status(), Some(code));
        check_shape(&d, &Policy::DEFAULT);
    }
}

#[test]
fn dps_suggested_actions_429_backoff_with_jitter_and_retry_after() {
    // "For a 429 error, follow the retry pattern of IoT Hub that has exponential backoff with a random jitter. You
    // can follow the retry-after header provided by the SDK."
    let mut rng = SplitMix64::new(429);
    let mut previous_lo = 0;
    for attempt in 1..=5 {
        let ctx = Context::new().service(DPS).attempt(attempt);
        let d = decide(Outcome::HttpStatus(429), &ctx, &mut rng);
        assert_eq!(d.action(), Retry);
        assert_eq!(d.rule().pace(), Some(Pace::Throttled));
        let (lo, hi) = Backoff::THROTTLED.band(attempt);
        assert!(lo >= previous_lo, "exponential: the band never moves down");
        previous_lo = lo;
        assert!(hi > lo, "random jitter: the band has a width");
        assert!((lo..=hi).contains(&d.delay_ms().unwrap()));
        assert!(!d.retry_after_honored());
    }
    let d = with(
        Outcome::HttpStatus(429),
        &Context::new().service(DPS).retry_after("12"),
    );
    assert_eq!(d.delay(), Some(Duration::from_secs(12)));
    assert!(d.retry_after_honored());
    assert!(
        d.reason()
            .to_string()
            .ends_with("waiting the Retry-After of 12 s")
    );
}

#[test]
fn dps_suggested_actions_5xx_status_lookup() {
    // "For 500-series server errors, retry your connection using cached credentials or a Device Registration
    // Status Lookup API call."
    for code in 500..=599 {
        let d = status(code, DPS);
        assert_eq!(d.action(), StatusLookup, "{code}");
        assert!(d.delay().is_some());
    }
    let m = azure_iot_codes::HttpStatus::new(500)
        .unwrap()
        .meaning_for(DPS)
        .unwrap();
    assert!(m.mitigation().contains("Status Lookup"));
}

#[test]
fn dps_common_error_codes_table_both_revisions() {
    // Older revision: 400, 401, 404, 412, 429, 500; the newer adds 405, 409, 415.
    for (code, want) in [
        (400, FixRequest),
        (401, ReRegister),
        (404, ReRegister),
        (405, FixRequest),
        (409, FixRequest),
        (412, FixRequest),
        (415, FixRequest),
        (429, Retry),
        (500, StatusLookup),
    ] {
        let d = status(code, DPS);
        assert_eq!(d.action(), want, "{code}");
        let label = decode_with(
            &code.to_string(),
            &DecodeOptions::new()
                .service(DPS)
                .catalogue(Catalogue::HttpStatus),
        )
        .unwrap();
        assert!(
            std::ptr::eq(d.meaning().unwrap(), label[0].meaning()),
            "{code}"
        );
    }
}

/// One mitigation row of the IoT Central page.
struct CentralRow {
    row: &'static str,
    outcome: Outcome,
    sub_code: Option<SubCode>,
    service: Service,
    action: Action,
}

fn central_rows() -> Vec<CentralRow> {
    let row = |row, outcome, sub_code, service, action| CentralRow {
        row,
        outcome,
        sub_code,
        service,
        action,
    };
    let st = Outcome::IotCentralStatus;
    vec![
        // Device provisioning status.
        row(
            "Provisioned: N/A",
            st(IotCentralStatus::Provisioned),
            None,
            CENTRAL,
            Action::None,
        ),
        row(
            "Registered: check your device logs for connectivity issues",
            st(IotCentralStatus::Registered),
            None,
            CENTRAL,
            OperatorAction,
        ),
        row(
            "Blocked: unblock the device in IoT Central and retry",
            st(IotCentralStatus::Blocked),
            None,
            CENTRAL,
            OperatorAction,
        ),
        row(
            "Unapproved: approve the device in IoT Central and retry",
            st(IotCentralStatus::Unapproved),
            None,
            CENTRAL,
            OperatorAction,
        ),
        row(
            "Unassigned: assign the device to a device template",
            st(IotCentralStatus::Unassigned),
            None,
            CENTRAL,
            OperatorAction,
        ),
        // Error codes (authentication flow).
        row(
            "400: send the correct request body, or use a device SDK",
            Outcome::HttpStatus(400),
            None,
            CENTRAL,
            FixRequest,
        ),
        row(
            "401: ensure the device has the correct credentials",
            Outcome::HttpStatus(401),
            None,
            CENTRAL,
            RenewCredentials,
        ),
        row(
            "404: file a ticket with customer support",
            Outcome::HttpStatus(404),
            None,
            CENTRAL,
            ContactSupport,
        ),
        row(
            "412: file a ticket with customer support",
            Outcome::HttpStatus(412),
            None,
            CENTRAL,
            ContactSupport,
        ),
        row(
            "429: reduce message frequency, split responsibilities among more devices",
            Outcome::HttpStatus(429),
            None,
            CENTRAL,
            Retry,
        ),
        row(
            "500: file a ticket with customer support (after retrying; see central_500_escalates)",
            Outcome::HttpStatus(500),
            None,
            CENTRAL,
            StatusLookup,
        ),
        // Detailed authorization error codes (each with 401).
        row(
            "401 + 401002: invalid or expired credentials",
            Outcome::HttpStatus(401),
            Some(SubCode::ServiceError(401002)),
            CENTRAL,
            RenewCredentials,
        ),
        row(
            "401 + 400209: waiting for approval or blocked by an operator",
            Outcome::HttpStatus(401),
            Some(SubCode::ServiceError(400209)),
            CENTRAL,
            OperatorAction,
        ),
        row(
            "401 IoTHubUnauthorized: expired security token",
            Outcome::HttpStatus(401),
            Some(SubCode::AuthSubError(AuthSubError::IoTHubUnauthorized)),
            HUB,
            RenewCredentials,
        ),
        row(
            "401 IoTHubUnauthorized + DEVICE_DISABLED: reprovision the device",
            Outcome::HttpStatus(401),
            Some(SubCode::AuthSubError(AuthSubError::DeviceDisabled)),
            HUB,
            ReRegister,
        ),
        row(
            "401 IoTHubUnauthorized + DEVICE_BLOCKED: an operator blocked the device",
            Outcome::HttpStatus(401),
            Some(SubCode::AuthSubError(AuthSubError::DeviceBlocked)),
            HUB,
            OperatorAction,
        ),
        // File upload.
        row(
            "403006: notify completion of uploads promptly, or reduce the request timeout",
            Outcome::ServiceError(403006),
            None,
            CENTRAL,
            FixRequest,
        ),
    ]
}

#[test]
fn iot_central_mitigation_rows() {
    let rows = central_rows();
    assert_eq!(rows.len(), 5 + 6 + 5 + 1);
    for r in rows {
        let mut ctx = Context::new().service(r.service);
        if let Some(s) = r.sub_code {
            ctx = ctx.sub_code(s);
        }
        let d = with(r.outcome, &ctx);
        assert_eq!(d.action(), r.action, "{}: {}", r.row, d.reason());
        check_shape(&d, &Policy::DEFAULT);
        assert!(d.meaning().is_some(), "{}: no catalogue row", r.row);
    }
}

#[test]
fn iot_central_auth_sub_errors_decide_the_same_as_outcomes_and_as_decoded_rows() {
    for sub in AuthSubError::ALL {
        let as_sub = with(
            Outcome::HttpStatus(401),
            &Context::new().sub_code(sub.into()).service(CENTRAL),
        );
        let as_outcome = with(sub, &Context::new().service(CENTRAL));
        let decoded = with(sub.meaning(), &Context::new().service(CENTRAL));
        assert_eq!(as_sub.action(), as_outcome.action(), "{sub}");
        assert_eq!(decoded.action(), as_outcome.action(), "{sub}");
        assert_eq!(as_sub.rule(), as_outcome.rule(), "{sub}");
    }
}

#[test]
fn central_500_escalates_to_support_when_retries_are_spent() {
    let policy = Policy::DEFAULT;
    let first = status(500, CENTRAL);
    assert_eq!(first.action(), StatusLookup);
    let last = with(
        Outcome::HttpStatus(500),
        &Context::new().service(CENTRAL).attempt(10),
    );
    assert_eq!(last.action(), ContactSupport);
    assert_eq!(last.budget_spent(), Some(Budget::Attempts { max: 10 }));
    let steps: Vec<_> = policy
        .schedule(
            Outcome::HttpStatus(500),
            Context::new().service(CENTRAL),
            &mut rng(),
        )
        .collect();
    assert_eq!(steps.last().unwrap().action(), ContactSupport);
    assert!(
        steps[..steps.len() - 1]
            .iter()
            .all(|d| d.action() == StatusLookup)
    );
}

// ---------------------------------------------------------------------------------------------------------------
// Sub-codes, operations, states.

#[test]
fn code_specific_rules_refine_the_status_class() {
    for (code, service, want) in [
        (404001, HUB, ReRegister),
        (404103, HUB, Retry),
        (404104, HUB, Retry),
        (404012, HUB, Retry),
        (401001, HUB, ReRegister),
        (401003, HUB, RenewCredentials),
        (400024, HUB, Retry),
        (400027, HUB, FixRequest),
        (403002, HUB, OperatorAction),
        (403006, HUB, FixRequest),
        (429001, HUB, Retry),
        (500001, HUB, Retry),
        (503004, HUB, OperatorAction),
        (503005, HUB, Retry),
        (400207, DPS, OperatorAction),
        (400208, DPS, OperatorAction),
        (400209, DPS, OperatorAction),
        (401002, DPS, RenewCredentials),
        (404201, DPS, ReRegister),
        (409203, DPS, Retry),
        (412001, DPS, FixRequest),
    ] {
        let d = with(
            Outcome::ServiceError(code),
            &Context::new().service(service),
        );
        assert_eq!(d.action(), want, "{code} {service}: {}", d.reason());
        assert_eq!(
            d.meaning().map(|m| m.code()),
            Some(azure_iot_codes::Code::Number(code)),
            "{code}"
        );
        // The same code as the sub-code of its status gives the same rule.
        let via_sub = with(
            Outcome::HttpStatus((code / 1000) as u16),
            &Context::new()
                .service(service)
                .sub_code(SubCode::ServiceError(code)),
        );
        assert_eq!(via_sub.rule(), d.rule(), "{code}");
    }
}

#[test]
fn sub_code_is_ignored_for_success_and_when_out_of_range() {
    let ok = with(
        Outcome::HttpStatus(200),
        &Context::new()
            .service(HUB)
            .sub_code(SubCode::ServiceError(404001)),
    );
    assert_eq!(ok.action(), Action::None);
    for bad in [0, 99_999, 600_000, u32::MAX] {
        let d = with(
            Outcome::HttpStatus(503),
            &Context::new()
                .service(HUB)
                .sub_code(SubCode::ServiceError(bad)),
        );
        assert_eq!(d.rule().id(), "hub-5xx", "{bad}");
    }
}

#[test]
fn back_end_calls_follow_the_rest_rules() {
    let api = |code, service| {
        with(
            Outcome::HttpStatus(code),
            &Context::new()
                .service(service)
                .operation(Operation::ServiceApi),
        )
    };
    for service in [HUB, DPS, CENTRAL] {
        assert_eq!(api(401, service).action(), RenewCredentials);
        assert_eq!(api(403, service).action(), OperatorAction);
        assert_eq!(api(404, service).action(), FixRequest, "{service}");
        assert_eq!(api(429, service).action(), Retry);
        assert_eq!(
            api(500, service).action(),
            Retry,
            "{service}: no status lookup for a back end"
        );
        assert_eq!(api(501, service).action(), FixRequest);
        assert_eq!(api(202, service).action(), Action::None);
    }
    let d = with(
        Outcome::ServiceError(404103),
        &Context::new().service(HUB).operation(Operation::ServiceApi),
    );
    assert_eq!(
        d.action(),
        Retry,
        "invoking a method on an offline device: later"
    );
}

#[test]
fn states_and_connack_codes() {
    use DpsRegistrationStatus as S;
    for (s, want) in [
        (S::Assigned, Action::None),
        (S::Assigning, Retry),
        (S::Unassigned, Retry),
        (S::Failed, OperatorAction),
        (S::Disabled, OperatorAction),
        (S::Blacklisted, OperatorAction),
    ] {
        let d = with(s, &Context::new());
        assert_eq!(d.action(), want, "{s}");
        assert_eq!(d.service(), DPS);
        if want == Retry {
            assert_eq!(d.rule().pace(), Some(Pace::Poll));
        }
    }
    for s in DpsRegistrationSubstatus::ALL {
        assert_eq!(with(s, &Context::new()).action(), Action::None);
    }
    // A failed registration's errorCode refines it.
    let d = with(
        S::Failed,
        &Context::new().sub_code(SubCode::ServiceError(401002)),
    );
    assert_eq!(d.action(), RenewCredentials);
    let d = with(S::Assigning, &Context::new().retry_after("3"));
    assert_eq!(d.delay(), Some(Duration::from_secs(3)));
    let d = status(202, DPS);
    assert_eq!((d.action(), d.rule().pace()), (Retry, Some(Pace::Poll)));
    assert_eq!(status(202, HUB).action(), Action::None);

    for (c, want) in [
        (0, Action::None),
        (1, FixRequest),
        (2, FixRequest),
        (3, Retry),
        (4, RenewCredentials),
        (5, RenewCredentials),
        (6, FixRequest),
        (255, FixRequest),
    ] {
        assert_eq!(
            with(Outcome::MqttConnack(c), &Context::new()).action(),
            want,
            "{c}"
        );
        if let Some(v) = MqttConnack::from_code(c) {
            assert_eq!(with(v, &Context::new()).action(), want);
        }
    }
}

#[test]
fn statuses_outside_the_services_classes() {
    for s in [0, 1, 99, 600, 999, u16::MAX] {
        let d = status(s, HUB);
        assert_eq!(
            (d.action(), d.rule().id()),
            (FixRequest, "not-http-status"),
            "{s}"
        );
    }
    for s in [100, 101, 199, 301, 302, 399] {
        assert_eq!(status(s, DPS).rule().id(), "unexpected-1xx-3xx", "{s}");
    }
    for s in [200, 201, 204, 299] {
        for service in SERVICES {
            assert_eq!(status(s, service).action(), Action::None, "{s} {service}");
        }
    }
    assert_eq!(status(418, HUB).action(), FixRequest);
    assert_eq!(status(499, HUB).action(), Retry);
    assert_eq!(status(599, HUB).action(), Retry);
}

#[test]
fn every_catalogue_row_classifies_for_each_of_its_services() {
    for cat in Catalogue::ALL {
        for m in cat.rows() {
            let default = with(m, &Context::new());
            assert!(std::ptr::eq(default.meaning().unwrap(), m), "{m}");
            assert!(m.services().contains(default.service()), "{m}");
            for service in m.services().iter() {
                let d = with(m, &Context::new().service(service));
                check_shape(&d, &Policy::DEFAULT);
            }
        }
    }
}

#[test]
fn the_rule_table_is_consistent() {
    let rules = Rule::all();
    assert!(rules.len() > 60);
    let mut ids: Vec<_> = rules.iter().map(|r| r.id()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), rules.len(), "rule ids are unique");
    for r in rules {
        assert_eq!(r.action().waits(), r.pace().is_some(), "{}", r.id());
        assert!(
            matches!(r.when_spent(), Action::GiveUp | ContactSupport),
            "{}",
            r.id()
        );
        assert!(
            !r.reason().is_empty() && !r.reason().contains('\n'),
            "{}",
            r.id()
        );
        assert!(!r.basis().is_empty(), "{}", r.id());
        assert!(std::ptr::eq(Rule::find(r.id()).unwrap(), *r));
        assert!(
            r.id()
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "{}",
            r.id()
        );
    }
    for a in Action::ALL {
        assert_eq!(a.as_str().parse::<Action>().unwrap(), a);
        assert_eq!(a.to_string(), a.as_str());
    }
    assert!("retry-now".parse::<Action>().is_err());
    assert_eq!(
        "service-api".parse::<Operation>().unwrap(),
        Operation::ServiceApi
    );
}

// ---------------------------------------------------------------------------------------------------------------
// Retry-After.

/// 2025-01-01T00:00:00Z.
const NOW: u64 = 1_735_689_600;

/// The default policy without the elapsed-time budget.
const UNTIMED: Policy = Policy {
    max_elapsed: None,
    ..Policy::DEFAULT
};

#[test]
fn retry_after_table() {
    use RetryAfterError as E;
    use RetryAfterUse as U;
    let invalid = |e| U::Ignored(RetryAfterIgnored::Invalid(e));
    let cases: &[(&str, Option<u64>, U, Option<u64>)] = &[
        // (value, now, what became of it, delay in ms)
        ("5", None, U::Honored { seconds: 5 }, Some(5_000)),
        (" 7\t", None, U::Honored { seconds: 7 }, Some(7_000)),
        ("300", None, U::Honored { seconds: 300 }, Some(300_000)),
        (
            "0",
            None,
            U::Clamped {
                seconds: 0,
                used_ms: 1_000,
            },
            Some(1_000),
        ),
        (
            "0000",
            None,
            U::Clamped {
                seconds: 0,
                used_ms: 1_000,
            },
            Some(1_000),
        ),
        (
            "301",
            None,
            U::Clamped {
                seconds: 301,
                used_ms: 300_000,
            },
            Some(300_000),
        ),
        (
            "86400",
            None,
            U::Clamped {
                seconds: 86_400,
                used_ms: 300_000,
            },
            Some(300_000),
        ),
        (
            "2147483648",
            None,
            U::Clamped {
                seconds: 1 << 31,
                used_ms: 300_000,
            },
            Some(300_000),
        ),
        (
            "99999999999999999999999999999999999999",
            None,
            U::Clamped {
                seconds: 1 << 31,
                used_ms: 300_000,
            },
            Some(300_000),
        ),
        ("", None, invalid(E::Empty), None),
        ("   ", None, invalid(E::Empty), None),
        ("-1", None, invalid(E::Negative), None),
        ("-0", None, invalid(E::Negative), None),
        ("-2.5", None, invalid(E::Negative), None),
        ("1.5", None, invalid(E::NotInteger), None),
        ("+5", None, invalid(E::NotInteger), None),
        ("1e3", None, invalid(E::NotInteger), None),
        ("5,000", None, invalid(E::NotInteger), None),
        ("soon", None, invalid(E::Malformed), None),
        ("5 s", None, invalid(E::Malformed), None),
        ("0x10", None, invalid(E::Malformed), None),
        ("NaN", None, invalid(E::Malformed), None),
        ("\u{0660}", None, invalid(E::Malformed), None), // an Arabic-Indic zero is not a DIGIT
        // HTTP-dates: 30 s ahead, in each form.
        (
            "Wed, 01 Jan 2025 00:00:30 GMT",
            Some(NOW),
            U::Honored { seconds: 30 },
            Some(30_000),
        ),
        (
            "Wednesday, 01-Jan-25 00:00:30 GMT",
            Some(NOW),
            U::Honored { seconds: 30 },
            Some(30_000),
        ),
        (
            "Wed Jan  1 00:00:30 2025",
            Some(NOW),
            U::Honored { seconds: 30 },
            Some(30_000),
        ),
        // Past dates mean "now", raised to the floor.
        (
            "Tue, 31 Dec 2024 23:59:00 GMT",
            Some(NOW),
            U::Clamped {
                seconds: 0,
                used_ms: 1_000,
            },
            Some(1_000),
        ),
        (
            "Sun, 06 Nov 1994 08:49:37 GMT",
            Some(NOW),
            U::Clamped {
                seconds: 0,
                used_ms: 1_000,
            },
            Some(1_000),
        ),
        // Far future.
        (
            "Fri, 31 Dec 9999 23:59:59 GMT",
            Some(NOW),
            U::Clamped {
                seconds: 251_666_611_199,
                used_ms: 300_000,
            },
            Some(300_000),
        ),
        // A leap second is a valid time.
        (
            "Wed, 01 Jan 2025 00:00:60 GMT",
            Some(NOW),
            U::Honored { seconds: 60 },
            Some(60_000),
        ),
        // No clock: a date cannot become a delay.
        (
            "Wed, 01 Jan 2025 00:00:30 GMT",
            None,
            invalid(E::NeedsClock),
            None,
        ),
        // Shaped like dates, but wrong.
        (
            "Sat, 29 Feb 2025 00:00:00 GMT",
            Some(NOW),
            invalid(E::InvalidDate),
            None,
        ),
        (
            "Sun, 31 Apr 2025 00:00:00 GMT",
            Some(NOW),
            invalid(E::InvalidDate),
            None,
        ),
        (
            "Wed, 01 Jan 2025 24:00:00 GMT",
            Some(NOW),
            invalid(E::InvalidDate),
            None,
        ),
        (
            "Wed, 01 Jan 2025 00:60:00 GMT",
            Some(NOW),
            invalid(E::InvalidDate),
            None,
        ),
        (
            "Wed, 00 Jan 2025 00:00:00 GMT",
            Some(NOW),
            invalid(E::InvalidDate),
            None,
        ),
        (
            "Wed, 01 Jan 2025 00:00:30 UTC",
            Some(NOW),
            invalid(E::Malformed),
            None,
        ),
        (
            "wed, 01 jan 2025 00:00:30 GMT",
            Some(NOW),
            invalid(E::Malformed),
            None,
        ),
        (
            "Wed, 1 Jan 2025 00:00:30 GMT",
            Some(NOW),
            invalid(E::Malformed),
            None,
        ),
        (
            "Wed, 01 Jan 2025 00:00:30 GMT junk",
            Some(NOW),
            invalid(E::Malformed),
            None,
        ),
        (
            "Wed,  01 Jan 2025 00:00:30 GMT",
            Some(NOW),
            invalid(E::Malformed),
            None,
        ),
        (
            "2025-01-01T00:00:30Z",
            Some(NOW),
            invalid(E::Malformed),
            None,
        ),
        (
            "Xyz, 01 Jan 2025 00:00:30 GMT",
            Some(NOW),
            invalid(E::Malformed),
            None,
        ),
    ];
    for (value, now, want, delay) in cases {
        let mut ctx = Context::new().service(DPS).retry_after(value);
        if let Some(n) = now {
            ctx = ctx.now_unix(*n);
        }
        // No time budget here: with the default 240 s, a Retry-After above it ends in give-up (tested below).
        let d = UNTIMED.decide(Outcome::HttpStatus(429), &ctx, &mut rng());
        assert_eq!(d.retry_after(), *want, "{value:?}");
        match delay {
            Some(ms) => assert_eq!(d.delay_ms(), Some(*ms), "{value:?}"),
            // An ignored value falls back to the throttled backoff; the caller is never stopped.
            None => {
                let (lo, hi) = Backoff::THROTTLED.band(1);
                assert!((lo..=hi).contains(&d.delay_ms().unwrap()), "{value:?}");
                assert!(
                    d.reason().to_string().contains("Retry-After ignored"),
                    "{value:?}"
                );
            }
        }
        assert_eq!(d.action(), Retry);
    }
}

#[test]
fn leap_days_follow_the_gregorian_rules() {
    let at = |date: &str| {
        UNTIMED
            .decide(
                Outcome::HttpStatus(503),
                &Context::new().retry_after(date).now_unix(0),
                &mut rng(),
            )
            .retry_after()
    };
    for ok in [
        "Thu, 29 Feb 1996 00:00:00 GMT",
        "Tue, 29 Feb 2000 00:00:00 GMT",
        "Thursday, 29-Feb-96 00:00:00 GMT",
    ] {
        assert!(
            matches!(
                at(ok),
                RetryAfterUse::Clamped { .. } | RetryAfterUse::Honored { .. }
            ),
            "{ok}"
        );
    }
    for bad in [
        "Thu, 29 Feb 1900 00:00:00 GMT",
        "Thu, 29 Feb 2100 00:00:00 GMT",
        "Thursday, 29-Feb-97 00:00:00 GMT",
    ] {
        assert_eq!(
            at(bad),
            RetryAfterUse::Ignored(RetryAfterIgnored::Invalid(RetryAfterError::InvalidDate)),
            "{bad}"
        );
    }
}

#[test]
fn retry_after_is_not_used_by_actions_that_do_not_wait_or_when_disabled() {
    let d = with(
        Outcome::HttpStatus(400),
        &Context::new().service(DPS).retry_after("5"),
    );
    assert_eq!(
        d.retry_after(),
        RetryAfterUse::Ignored(RetryAfterIgnored::NotWaiting)
    );
    assert!(!d.retry_after_honored());
    assert_eq!(d.delay(), None);

    let policy = Policy {
        honor_retry_after: false,
        ..Policy::DEFAULT
    };
    let d = policy.decide(
        Outcome::HttpStatus(429),
        &Context::new().service(DPS).retry_after("5"),
        &mut rng(),
    );
    assert_eq!(
        d.retry_after(),
        RetryAfterUse::Ignored(RetryAfterIgnored::Disabled)
    );
    assert!(!d.retry_after_honored());
    let (lo, hi) = Backoff::THROTTLED.band(1);
    assert!((lo..=hi).contains(&d.delay_ms().unwrap()));
}

#[test]
fn retry_after_from_dps_topics() {
    for (topic, delay) in [
        (
            "$dps/registrations/res/202/?$rid=1&retry-after=3",
            Some(3_000),
        ),
        (
            "$dps/registrations/res/429/?retry-after=9&$rid=2",
            Some(9_000),
        ),
        ("$dps/registrations/res/202/?$rid=1", None),
        ("$dps/registrations/res/202/?$rid=1&retry-after=", None),
        ("$dps/registrations/res/202/?$rid=1&retry-after=-4", None),
    ] {
        let d = with(
            DpsRegistrationStatus::Assigning,
            &Context::new().retry_after_from_dps_topic(topic),
        );
        match delay {
            Some(ms) => {
                assert_eq!(d.delay_ms(), Some(ms), "{topic}");
                assert!(d.retry_after_honored());
            }
            None => {
                assert!(!d.retry_after_honored(), "{topic}");
                let (lo, hi) = Backoff::POLL.band(1);
                assert!((lo..=hi).contains(&d.delay_ms().unwrap()), "{topic}");
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Budgets and schedules.

#[test]
fn the_attempt_budget_ends_in_give_up() {
    for attempt in 1..=9 {
        let d = with(Outcome::HttpStatus(503), &Context::new().attempt(attempt));
        assert_eq!(d.action(), Retry, "{attempt}");
    }
    let d = with(Outcome::HttpStatus(503), &Context::new().attempt(10));
    assert_eq!(d.action(), Action::GiveUp);
    assert_eq!(d.delay(), None);
    assert_eq!(d.budget_spent(), Some(Budget::Attempts { max: 10 }));
    assert_eq!(
        d.reason().to_string(),
        "attempt 10 used up the budget of 10 attempts; it was retry: IoT Hub had a transient server-side \
         failure: retry with exponential backoff and jitter"
    );
    assert_eq!(d.rule().id(), "hub-5xx");
    let d = with(Outcome::HttpStatus(503), &Context::new().attempt(u32::MAX));
    assert_eq!(d.action(), Action::GiveUp);
    // Actions that do not wait are not budgeted.
    let d = with(Outcome::HttpStatus(400), &Context::new().attempt(u32::MAX));
    assert_eq!(d.action(), FixRequest);
}

#[test]
fn the_elapsed_budget_ends_in_give_up() {
    let ctx = |secs| {
        Context::new()
            .service(DPS)
            .elapsed(Duration::from_secs(secs))
    };
    let d = with(Outcome::HttpStatus(429), &ctx(200).retry_after("30"));
    assert_eq!(d.action(), Retry, "200 s + 30 s fits in 240 s");
    let d = with(Outcome::HttpStatus(429), &ctx(220).retry_after("30"));
    assert_eq!(d.action(), Action::GiveUp);
    assert_eq!(
        d.budget_spent(),
        Some(Budget::Elapsed {
            max_ms: 240_000,
            elapsed_ms: 220_000,
            wanted_ms: 30_000
        })
    );
    assert!(
        d.reason()
            .to_string()
            .starts_with("waiting 30 s after 220 s would pass the time budget of 240 s")
    );
    assert!(!d.retry_after_honored());
    let d = with(Outcome::HttpStatus(500), &ctx(u64::MAX));
    assert_eq!(d.action(), Action::GiveUp);
    // A Retry-After longer than the whole budget: the service asks for more time than the operation has.
    let d = with(Outcome::HttpStatus(429), &ctx(0).retry_after("241"));
    assert_eq!(d.action(), Action::GiveUp);
}

#[test]
fn without_budgets_attempts_go_on_to_u32_max_within_the_cap() {
    let policy = Policy {
        max_attempts: None,
        max_elapsed: None,
        ..Policy::DEFAULT
    };
    for attempt in [0, 1, 31, 32, 63, 64, 65, 1_000, u32::MAX - 1, u32::MAX] {
        for (code, profile) in [(503, Backoff::NORMAL), (429, Backoff::THROTTLED)] {
            let d = policy.decide(
                Outcome::HttpStatus(code),
                &Context::new().attempt(attempt),
                &mut rng(),
            );
            assert_eq!(d.action(), Retry);
            let ms = d.delay_ms().unwrap();
            assert!(ms <= profile.max_ms, "{attempt}: {ms}");
            assert!(ms >= profile.band(attempt).0);
            assert_eq!(d.attempt(), attempt.max(1));
        }
    }
}

#[test]
fn schedules_grow_then_stop() {
    let mut rng = SplitMix64::new(99);
    let steps: Vec<_> = Policy::DEFAULT
        .schedule(Outcome::HttpStatus(503), Context::new(), &mut rng)
        .collect();
    let last = steps.last().unwrap();
    assert_eq!(last.action(), Action::GiveUp);
    let waits = &steps[..steps.len() - 1];
    assert!(!waits.is_empty());
    let mut elapsed = 0;
    for (i, d) in waits.iter().enumerate() {
        assert_eq!(d.attempt(), i as u32 + 1);
        let (lo, hi) = Backoff::NORMAL.band(d.attempt());
        assert!((lo..=hi).contains(&d.delay_ms().unwrap()));
        elapsed += d.delay_ms().unwrap();
    }
    assert!(elapsed <= 240_000);
    match last.budget_spent() {
        Some(Budget::Elapsed { elapsed_ms, .. }) => assert_eq!(elapsed_ms, elapsed),
        Some(Budget::Attempts { max }) => assert_eq!(max, 10),
        other => panic!("a give-up needs a spent budget: {other:?}"),
    }
    // A schedule for a decision that does not wait has one step.
    let one: Vec<_> = Policy::DEFAULT
        .schedule(
            Outcome::HttpStatus(404),
            Context::new().service(CENTRAL),
            &mut rng,
        )
        .collect();
    assert_eq!(one.len(), 1);
    // The Retry-After applies to the first step only.
    let two: Vec<_> = Policy::DEFAULT
        .schedule(
            Outcome::HttpStatus(429),
            Context::new().service(DPS).retry_after("2"),
            &mut rng,
        )
        .take(2)
        .collect();
    assert_eq!(two[0].delay_ms(), Some(2_000));
    assert!(!two[1].retry_after_honored());
}

// ---------------------------------------------------------------------------------------------------------------
// Jitter: with a fixed seed the draws fill their band evenly.

fn assert_uniform_in_band(draws: &[u64], lo: u64, hi: u64, label: &str) {
    let n = draws.len() as f64;
    assert!(
        draws.iter().all(|d| (lo..=hi).contains(d)),
        "{label}: outside {lo}..={hi}"
    );
    let width = (hi - lo) as f64;
    let min = *draws.iter().min().unwrap() as f64;
    let max = *draws.iter().max().unwrap() as f64;
    assert!(
        min - lo as f64 <= width * 0.001,
        "{label}: the bottom of the band is never reached"
    );
    assert!(
        hi as f64 - max <= width * 0.001,
        "{label}: the top of the band is never reached"
    );
    let mean = draws.iter().map(|&d| d as f64).sum::<f64>() / n;
    let mid = (lo + hi) as f64 / 2.0;
    // Standard error of the mean of a uniform: width / sqrt(12 n); allow 5 of them.
    let se = width / (12.0 * n).sqrt();
    assert!(
        (mean - mid).abs() <= 5.0 * se,
        "{label}: mean {mean}, expected {mid} +- {}",
        5.0 * se
    );
    // Chi-square over 20 equal buckets (19 degrees of freedom; 43.8 is the 0.999 quantile).
    let mut buckets = [0u64; 20];
    for &d in draws {
        let i = (((d - lo) as f64 / (width + 1.0)) * 20.0) as usize;
        buckets[i.min(19)] += 1;
    }
    let expected = n / 20.0;
    let chi2: f64 = buckets
        .iter()
        .map(|&c| (c as f64 - expected).powi(2) / expected)
        .sum();
    assert!(chi2 < 43.8, "{label}: chi-square {chi2:.1} for {buckets:?}");
}

#[test]
fn jitter_stays_in_its_band_and_fills_it_evenly() {
    const N: usize = 100_000;
    let mut rng = SplitMix64::new(0xB0FF_5EED);
    for (profile, attempt, label) in [
        (Backoff::NORMAL, 1, "normal #1"),
        (Backoff::NORMAL, 4, "normal #4"),
        (Backoff::NORMAL, 40, "normal at the cap"),
        (Backoff::THROTTLED, 2, "throttled #2"),
        (Backoff::POLL, 3, "poll"),
    ] {
        let (lo, hi) = profile.band(attempt);
        let draws: Vec<u64> = (0..N)
            .map(|_| profile.delay(attempt, &mut rng).as_millis() as u64)
            .collect();
        assert_uniform_in_band(&draws, lo, hi, label);
    }
    // The same through the classifier: a DPS 503 on attempt 3 draws from the normal band [4 s, 6 s].
    let draws: Vec<u64> = (0..N)
        .map(|_| {
            decide(
                Outcome::HttpStatus(503),
                &Context::new().service(DPS).attempt(3),
                &mut rng,
            )
            .delay_ms()
            .unwrap()
        })
        .collect();
    assert_uniform_in_band(&draws, 4_000, 6_000, "decide(503, dps, #3)");
}

#[test]
fn a_fixed_seed_gives_the_same_delays() {
    let run = |seed| -> Vec<Option<u64>> {
        let mut rng = SplitMix64::new(seed);
        Policy::DEFAULT
            .schedule(
                Outcome::HttpStatus(500),
                Context::new().service(HUB),
                &mut rng,
            )
            .map(|d| d.delay_ms())
            .collect()
    };
    assert_eq!(run(5), run(5));
    assert_ne!(run(5), run(6));
}

#[test]
fn decisions_serialize_with_the_contract_fields() {
    let d = with(
        Outcome::HttpStatus(429),
        &Context::new().service(DPS).retry_after("4"),
    );
    let v: serde_json::Value = serde_json::to_value(d).unwrap();
    assert_eq!(v["action"], "retry");
    assert_eq!(v["delay_ms"], 4_000);
    assert_eq!(v["retry_after_honored"], true);
    assert_eq!(v["reason"], d.reason().to_string());
    assert_eq!(v["rule"], "dps-429");
    assert_eq!(v["pace"], "throttled");
    assert_eq!(v["service"], "dps");
    assert_eq!(v["retry_after"], "honored");
    assert_eq!(v["budget_spent"], serde_json::Value::Null);
    let v = serde_json::to_value(status(400, HUB)).unwrap();
    assert_eq!(v["delay_ms"], serde_json::Value::Null);
    assert_eq!(v["pace"], serde_json::Value::Null);
}

#[test]
fn typed_inputs_convert() {
    let c = ServiceErrorCode::new(404104).unwrap();
    assert_eq!(with(c, &Context::new()).rule().id(), "hub-404104");
    let s = azure_iot_codes::HttpStatus::new(503).unwrap();
    assert_eq!(with(s, &Context::new()).rule().id(), "hub-5xx");
}
