//! `classifyRetry(code | match, options?)` and `nextDelays(code | match, options?)`: the core library's retry
//! classifier (`azure_iot_codes::retry`) with its default policy: the next action, the delay before it (with
//! jitter, honouring `Retry-After`), and why.

use core::time::Duration;

use azure_iot_codes::du::ExtendedResultCode;
use azure_iot_codes::retry::{
    Context, Decision, Operation, Outcome, Pace, Policy, RetryAfterIgnored, RetryAfterUse,
    SplitMix64, SubCode,
};
use azure_iot_codes::{
    AuthSubError, Catalogue, Code, DecodeOptions, ErrorKind, Meaning, Service, ServiceErrorCode,
    decode_with, parse_number,
};
use js_sys::{Array, Object};
use wasm_bindgen::prelude::*;

use crate::catalogue::CATALOGUE_EXPECTED;
use crate::decode::{SERVICE_EXPECTED, code_text};
use crate::error::Rejection;
use crate::number::{MAX_EXACT, js_number_text, number_text};
use crate::object::{nullable, set, variant_id};
use crate::options::{Options, is_object, property, text};

// Read by the custom section below (rustc's dead-code lint does not see that use) and by the tests.
#[allow(dead_code)]
pub(crate) const RETRY_TS: &str = r#"
/**
 * What to do next:
 * - `none`: nothing failed;
 * - `retry`: try the same call again after `delayMs`;
 * - `re-register`: provision again through DPS after `delayMs`;
 * - `status-lookup`: poll the DPS operation status after `delayMs`;
 * - `renew-credentials`: get a new SAS token or certificate, then retry after `delayMs`;
 * - `fix-request`: the request is wrong; retrying the same call cannot help;
 * - `operator-action`: someone must change something in the service or on the device first;
 * - `contact-support`: the service keeps failing; open a support case;
 * - `give-up`: the retry budget (attempts or time) is spent.
 *
 * Only `retry`, `re-register`, `status-lookup` and `renew-credentials` wait, and only they have a delay.
 */
export type RetryAction =
  | "none"
  | "retry"
  | "re-register"
  | "status-lookup"
  | "renew-credentials"
  | "fix-request"
  | "operator-action"
  | "contact-support"
  | "give-up";

/** A device's own call (`device`, the default) or a back end's REST call (`service-api`). */
export type Operation = "device" | "service-api";

/** The backoff profile a waiting action follows: transient failures, throttling (429), DPS polling. */
export type Pace = "normal" | "throttled" | "poll";

/** Which budget ended the retries. */
export type Budget = "attempts" | "elapsed";

/** What became of the `retryAfter` option. */
export type RetryAfterUse = "absent" | "honored" | "clamped" | "invalid" | "not-waiting";

/** Why a `retryAfter` value could not be read. */
export type RetryAfterError = "empty" | "negative" | "not-integer" | "malformed" | "invalid-date";

/** What became of the `retryAfter` option, with the numbers behind it. */
export type RetryAfter =
  | { use: "absent" }
  /** Used as the delay as given. */
  | { use: "honored"; seconds: number }
  /** Used after raising it to 1 s or lowering it to 300 s (`seconds` is 0 for a date in the past). */
  | { use: "clamped"; seconds: number; usedMs: number }
  /** Not readable, so the computed backoff was used; `message` says why. */
  | { use: "invalid"; error: RetryAfterError; message: string }
  /** Given, but the action does not wait (or the budget is spent). */
  | { use: "not-waiting" };

/** The context of the call that failed. Every key is optional; an unknown key is an error. */
export interface RetryOptions {
  /** The service that answered; default: the one the code belongs to. */
  service?: ServiceId;
  /** The more specific code that came with it: a six-digit `errorCode` (or its name) or an IoT Central
   *  sub-error such as `"DEVICE_DISABLED"`. */
  subCode?: string | number;
  /** Which attempt failed, counting from 1 (0 reads as 1); default 1. */
  attempt?: number;
  /** Milliseconds since the first attempt started; default 0. */
  elapsedMs?: number;
  /**
   * The `Retry-After` header value (seconds or an HTTP-date, compared with the current time), or a DPS
   * response topic carrying `retry-after=`. A value that cannot be read is not an error: the decision reports
   * it as `invalid` and uses the backoff.
   */
  retryAfter?: string | number;
  /** Seed of the jitter: the same seed gives the same delays. Default: a random seed for every call. */
  seed?: number;
  /** `device` (default) or `service-api`. */
  operation?: Operation;
}

/** `nextDelays`' options: those of `classifyRetry`, and how many decisions at most. */
export interface ScheduleOptions extends RetryOptions {
  /** At most this many decisions; default: until the schedule ends (at most 10 with the default budgets). */
  count?: number;
}

/** The classifier's answer. */
export interface RetryDecision {
  action: RetryAction;
  /** How long to wait before acting, for the actions that wait; otherwise `null`. */
  delayMs: number | null;
  retryAfter: RetryAfter;
  /** Why, in one line. */
  reason: string;
  /** The identifier of the rule of the decision table that applied (`dps-429`, `du-erc`). */
  rule: string;
  /** What the rule follows (an SDK, a documentation page). */
  basis: string;
  /** The backoff profile of a waiting rule, else `null`. */
  pace: Pace | null;
  /** The service the decision was made for. */
  service: ServiceId;
  /** The attempt the outcome ended (at least 1). */
  attempt: number;
  /** Which budget turned the action into `give-up` (or `contact-support`), or `null`. */
  budgetSpent: Budget | null;
}

/** A match from `decode` or `lookup` (or any object naming a catalogue row by catalogue and code). */
export interface MatchRef {
  catalogue: CatalogueId;
  code: number | string;
  /** Picks among rows that share a code. */
  name?: string;
}
"#;

#[wasm_bindgen(typescript_custom_section)]
const RETRY_TS_SECTION: &str = RETRY_TS;

const SUBJECT_EXPECTED: &str =
    "a code as text or a whole number, or a match from decode() or lookup()";
const MATCH_EXPECTED: &str =
    "a match from decode() or lookup(): an object with its catalogue and code";
const OPTIONS_EXPECTED: &str = "an object with the optional keys service, subCode, attempt, elapsedMs, \
     retryAfter, seed and operation, or undefined";
const SCHEDULE_OPTIONS_EXPECTED: &str = "an object with the optional keys service, subCode, attempt, \
     elapsedMs, retryAfter, seed, operation and count, or undefined";
const SUB_CODE_EXPECTED: &str = "a six-digit error code or its name, or an IoT Central sub-error such as \
     DEVICE_DISABLED";
const ATTEMPT_EXPECTED: &str = "a whole number from 0 to 4294967295";
const ELAPSED_EXPECTED: &str = "a number of milliseconds, 0 or more";
const RETRY_AFTER_EXPECTED: &str =
    "a Retry-After value (seconds or an HTTP-date) or a DPS response topic";
const SEED_EXPECTED: &str = "a whole number from 0 to 9007199254740992";
const OPERATION_EXPECTED: &str = "device or service-api";
const COUNT_EXPECTED: &str = "a whole number from 0 to 4294967295";

const KEYS: [&str; 7] = [
    "service",
    "subCode",
    "attempt",
    "elapsedMs",
    "retryAfter",
    "seed",
    "operation",
];

/// The next action after `code` failed: retry (after how long), re-register, renew credentials, fix the
/// request, ... with the reason and the rule behind it.
///
/// `code` is a code in any form `decode` reads (the most likely meaning is classified; a number no catalogue
/// has is classified as an HTTP status or six-digit code when it is one), or a match from `decode`/`lookup`
/// (to classify another of its meanings). Throws `AzureIotCodesError` for a code `decode` rejects or an
/// unusable option; a `retryAfter` that cannot be read is not an error (the decision says it was ignored).
#[wasm_bindgen(js_name = classifyRetry, unchecked_return_type = "RetryDecision")]
pub fn classify_retry(
    #[wasm_bindgen(unchecked_param_type = "string | number | MatchRef")] code: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "RetryOptions")] options: JsValue,
) -> Result<JsValue, Rejection> {
    let o = Options::read(&options, &KEYS, OPTIONS_EXPECTED)?;
    let call = Call::read(&code, &o)?;
    let ctx = call.context();
    let d = Policy::DEFAULT.decide(call.outcome, &ctx, &mut SplitMix64::new(call.seed));
    Ok(decision(&d))
}

/// The decisions of a retry loop that keeps failing the same way: first the one `classifyRetry` returns (for
/// the same seed), then one per later attempt, each adding the previous delay to the elapsed time, until a
/// decision that does not wait (such as `give-up` when the budget is spent) or `count` decisions.
#[wasm_bindgen(js_name = nextDelays, unchecked_return_type = "RetryDecision[]")]
pub fn next_delays(
    #[wasm_bindgen(unchecked_param_type = "string | number | MatchRef")] code: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "ScheduleOptions")] options: JsValue,
) -> Result<JsValue, Rejection> {
    let mut keys = KEYS.to_vec();
    keys.push("count");
    let o = Options::read(&options, &keys, SCHEDULE_OPTIONS_EXPECTED)?;
    let count = o
        .whole("count", f64::from(u32::MAX), COUNT_EXPECTED)?
        .map_or(usize::MAX, |n| n as usize);
    let call = Call::read(&code, &o)?;
    let mut rng = SplitMix64::new(call.seed);
    // Finite: the default policy's attempt budget ends every schedule within 10 decisions.
    let steps: Array = Policy::DEFAULT
        .schedule(call.outcome, call.context(), &mut rng)
        .take(count)
        .map(|d| decision(&d))
        .collect();
    Ok(steps.into())
}

/// One call's outcome and context, read from the arguments.
struct Call {
    outcome: Outcome,
    service: Option<Service>,
    operation: Operation,
    sub_code: Option<SubCode>,
    attempt: u32,
    elapsed: Duration,
    retry_after: Option<String>,
    seed: u64,
}

impl Call {
    fn read(subject: &JsValue, o: &Options<'_>) -> Result<Call, Rejection> {
        let service = match o.text("service", SERVICE_EXPECTED)? {
            Some(id) => Some(id.parse::<Service>()?),
            None => None,
        };
        let operation = match o.text("operation", OPERATION_EXPECTED)? {
            Some(op) => Some(op.parse::<Operation>().map_err(|_| {
                Rejection::invalid_argument(
                    "options.operation",
                    &op,
                    &format!("{op:?}"),
                    OPERATION_EXPECTED,
                )
            })?),
            None => None,
        };
        let sub_code = match o.get("subCode")? {
            Some(v) => Some(sub_code(&v)?),
            None => None,
        };
        let attempt = o
            .whole("attempt", f64::from(u32::MAX), ATTEMPT_EXPECTED)?
            .map_or(1, |n| n as u32);
        let elapsed = o
            .non_negative("elapsedMs", ELAPSED_EXPECTED)?
            .map_or(Duration::ZERO, |ms| {
                Duration::try_from_secs_f64(ms / 1000.0).unwrap_or(Duration::MAX)
            });
        let retry_after = retry_after_option(o)?;
        let seed = seed_option(o)?;
        Ok(Call {
            outcome: outcome(subject, service)?,
            service,
            operation: operation.unwrap_or_default(),
            sub_code,
            attempt,
            elapsed,
            retry_after,
            seed,
        })
    }

    fn context(&self) -> Context<'_> {
        let mut ctx = Context::new()
            .operation(self.operation)
            .attempt(self.attempt)
            .elapsed(self.elapsed);
        ctx.service = self.service;
        ctx.sub_code = self.sub_code;
        if let Some(v) = self.retry_after.as_deref() {
            // A byte-window search rather than `str::contains`, whose substring searcher would be the only
            // one in the module (742 bytes of the gzipped .wasm, measured).
            let in_topic = v.as_bytes().windows(12).any(|w| w == b"retry-after=");
            ctx = if in_topic || v.starts_with("$dps/") {
                ctx.retry_after_from_dps_topic(v)
            } else {
                // An HTTP-date is compared with the current time.
                ctx.retry_after(v).now_unix(now_unix())
            };
        }
        ctx
    }
}

/// The `retryAfter` option: text as it is, a number as its decimal text (read like the header would be: `5`
/// waits 5 s, `1.5` is reported as not whole).
pub(crate) fn retry_after_option(o: &Options<'_>) -> Result<Option<String>, Rejection> {
    let Some(v) = o.get("retryAfter")? else {
        return Ok(None);
    };
    match text(&v, "options.retryAfter")? {
        Some(s) => Ok(Some(s)),
        None => match v.as_f64() {
            Some(n) => Ok(Some(js_number_text(n))),
            None => Err(Rejection::wrong_type(
                "options.retryAfter",
                &v,
                RETRY_AFTER_EXPECTED,
            )),
        },
    }
}

/// The `seed` option, or a random seed when it is absent.
pub(crate) fn seed_option(o: &Options<'_>) -> Result<u64, Rejection> {
    Ok(o.whole("seed", MAX_EXACT, SEED_EXPECTED)?
        .map_or_else(random_seed, |n| n as u64))
}

/// The current time in seconds since 1970, to read an HTTP-date Retry-After.
pub(crate) fn now_unix() -> u64 {
    (js_sys::Date::now() / 1000.0) as u64
}

/// A seed from `Math.random` (two 32-bit halves), for callers who do not fix one.
fn random_seed() -> u64 {
    let half = || (js_sys::Math::random() * 4_294_967_296.0) as u64;
    (half() << 32) | half()
}

/// What is classified: the most likely meaning of a code, or the row a match names.
fn outcome(subject: &JsValue, service: Option<Service>) -> Result<Outcome, Rejection> {
    if is_object(subject) {
        return match_outcome(subject);
    }
    if !subject.is_string() && subject.as_f64().is_none() {
        return Err(Rejection::wrong_type("code", subject, SUBJECT_EXPECTED));
    }
    let code = code_text(subject, "code")?;
    let mut options = DecodeOptions::new();
    if let Some(s) = service {
        options = options.service(s);
    }
    match decode_with(&code, &options) {
        Ok(d) => d.first().map(Outcome::from).ok_or_else(|| {
            Rejection::new(ErrorKind::NotFound, &code, "no meaning", SUBJECT_EXPECTED)
        }),
        // As the CLI does: a number no catalogue has (for the service) is still classified by its range.
        Err(e) => match parse_number(&code, "").map(|n| n.value) {
            Ok(n @ 100..=599) => Ok(Outcome::HttpStatus(n as u16)),
            Ok(n @ 100_000..=599_999) => Ok(Outcome::ServiceError(n)),
            _ => Err(e.into()),
        },
    }
}

/// The outcome for a match object: a Device Update reading by its code, any other row by catalogue and code
/// (and name, among rows sharing a code).
fn match_outcome(m: &JsValue) -> Result<Outcome, Rejection> {
    let field = |key: &str| property(m, key, "code", MATCH_EXPECTED);
    let catalogue = field("catalogue")?;
    let id = text(&catalogue, "code.catalogue")?
        .ok_or_else(|| Rejection::wrong_type("code.catalogue", &catalogue, CATALOGUE_EXPECTED))?;
    let catalogue = id.parse::<Catalogue>()?;
    let name_value = field("name")?;
    let name = text(&name_value, "code.name")?;
    if name.is_none() && !name_value.is_undefined() {
        return Err(Rejection::wrong_type(
            "code.name",
            &name_value,
            "the name of the row, or undefined",
        ));
    }
    let code = field("code")?;
    let pick = |rows: &mut dyn Iterator<Item = &'static Meaning>, shown: &str| {
        let rows: Vec<&'static Meaning> = rows.collect();
        let named = name
            .as_deref()
            .and_then(|n| rows.iter().find(|m| m.name() == n));
        named
            .or(rows.first())
            .map(|m| Outcome::Meaning(m))
            .ok_or_else(|| {
                Rejection::new(
                    ErrorKind::NotFound,
                    shown,
                    &format!("the catalogue {catalogue} has no such code"),
                    MATCH_EXPECTED,
                )
            })
    };
    if let Some(n) = code.as_f64() {
        let shown = number_text(n)?;
        let bits = parse_number(&shown, MATCH_EXPECTED)?.value;
        if catalogue == Catalogue::DuExtendedResultCode {
            return Ok(Outcome::DuExtendedResultCode(ExtendedResultCode::new(bits)));
        }
        pick(&mut catalogue.lookup_number(bits).iter(), &shown)
    } else if let Some(t) = text(&code, "code.code")? {
        let exact = |m: &&'static Meaning| matches!(m.code(), Code::Text(c) if c == t);
        pick(&mut catalogue.lookup_name(&t).filter(exact), &t)
    } else {
        Err(Rejection::wrong_type("code.code", &code, MATCH_EXPECTED))
    }
}

/// `subCode`: a six-digit code (number, text or name) or an IoT Central sub-error, read as the CLI reads it.
fn sub_code(v: &JsValue) -> Result<SubCode, Rejection> {
    let t = match text(v, "options.subCode")? {
        Some(t) => t,
        None => match v.as_f64() {
            Some(n) => number_text(n)?,
            None => {
                return Err(Rejection::wrong_type(
                    "options.subCode",
                    v,
                    SUB_CODE_EXPECTED,
                ));
            }
        },
    };
    let t = t.trim();
    if !t.starts_with(|c: char| c.is_ascii_digit())
        && let Ok(a) = t.parse::<AuthSubError>()
    {
        return Ok(a.into());
    }
    Ok(t.parse::<ServiceErrorCode>()?.into())
}

/// A decision as a `RetryDecision` object.
pub(crate) fn decision(d: &Decision) -> JsValue {
    let o = Object::new();
    set(&o, "action", d.action().as_str());
    // Delays are at most minutes: exact as JS numbers.
    set(&o, "delayMs", nullable(d.delay_ms().map(|ms| ms as f64)));
    set(&o, "retryAfter", retry_after(d.retry_after()));
    set(&o, "reason", d.reason().to_string());
    set(&o, "rule", d.rule().id());
    set(&o, "basis", d.rule().basis());
    set(&o, "pace", nullable(d.rule().pace().map(Pace::as_str)));
    set(&o, "service", d.service().as_str());
    set(&o, "attempt", d.attempt());
    set(
        &o,
        "budgetSpent",
        nullable(d.budget_spent().map(|b| variant_id(&format!("{b:?}")))),
    );
    o.into()
}

fn retry_after(u: RetryAfterUse) -> JsValue {
    let o = Object::new();
    set(&o, "use", u.as_str());
    match u {
        RetryAfterUse::Honored { seconds } => set(&o, "seconds", seconds as f64),
        RetryAfterUse::Clamped { seconds, used_ms } => {
            set(&o, "seconds", seconds as f64);
            set(&o, "usedMs", used_ms as f64);
        }
        RetryAfterUse::Ignored(RetryAfterIgnored::Invalid(e)) => {
            set(&o, "error", e.as_str());
            set(&o, "message", e.message());
        }
        _ => {}
    }
    o.into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ts::union;
    use azure_iot_codes::retry::{Action, Budget, RetryAfterError};

    #[test]
    fn unions_list_the_core_identifiers() {
        let actions = Action::ALL.map(Action::as_str);
        assert_eq!(union(RETRY_TS, "RetryAction"), actions);
        let paces = [Pace::Normal, Pace::Throttled, Pace::Poll].map(Pace::as_str);
        assert_eq!(union(RETRY_TS, "Pace"), paces);
        let operations = [Operation::Device, Operation::ServiceApi].map(Operation::as_str);
        assert_eq!(union(RETRY_TS, "Operation"), operations);
        for op in operations {
            assert!(op.parse::<Operation>().is_ok());
        }
        let budgets = [
            Budget::Attempts { max: 10 },
            Budget::Elapsed {
                max_ms: 1,
                elapsed_ms: 2,
                wanted_ms: 3,
            },
        ]
        .map(|b| variant_id(&format!("{b:?}")));
        assert_eq!(union(RETRY_TS, "Budget"), budgets);
    }

    #[test]
    fn retry_after_unions_leave_out_only_what_this_binding_cannot_produce() {
        // `disabled` needs a policy that does not honour Retry-After, and `needs-clock` a missing clock; the
        // binding always uses the default policy and passes the current time.
        let uses = [
            RetryAfterUse::Absent,
            RetryAfterUse::Honored { seconds: 1 },
            RetryAfterUse::Clamped {
                seconds: 0,
                used_ms: 1000,
            },
            RetryAfterUse::Ignored(RetryAfterIgnored::Invalid(RetryAfterError::Empty)),
            RetryAfterUse::Ignored(RetryAfterIgnored::NotWaiting),
        ]
        .map(RetryAfterUse::as_str);
        assert_eq!(union(RETRY_TS, "RetryAfterUse"), uses);
        assert_eq!(
            RetryAfterUse::Ignored(RetryAfterIgnored::Disabled).as_str(),
            "disabled"
        );
        let errors = [
            RetryAfterError::Empty,
            RetryAfterError::Negative,
            RetryAfterError::NotInteger,
            RetryAfterError::Malformed,
            RetryAfterError::InvalidDate,
        ]
        .map(RetryAfterError::as_str);
        assert_eq!(union(RETRY_TS, "RetryAfterError"), errors);
        assert_eq!(RetryAfterError::NeedsClock.as_str(), "needs-clock");
    }

    #[test]
    fn options_keys_are_those_the_types_declare() {
        let declared = |interface: &str| -> Vec<String> {
            let start = RETRY_TS.find(interface).unwrap();
            let body = &RETRY_TS[start..];
            let body = &body[body.find('{').unwrap() + 1..body.find("\n}").unwrap()];
            body.lines()
                .filter_map(|l| l.trim().split_once("?:").map(|(k, _)| k.to_owned()))
                .collect()
        };
        assert_eq!(declared("export interface RetryOptions"), KEYS);
        assert_eq!(declared("export interface ScheduleOptions"), ["count"]);
    }
}
