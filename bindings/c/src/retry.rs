//! The retry classifier: `aic_retry_decide` and `aic_retry_next_delays` over `azure_iot_codes::retry`.

use core::ffi::{CStr, c_char};
use core::str::FromStr;
use core::time::Duration;

use azure_iot_codes::du::ExtendedResultCode;
use azure_iot_codes::retry::{
    Action, Budget, Context, Decision, Operation, Outcome, Pace, Policy, RetryAfterUse, Rule,
    SplitMix64, SubCode,
};
use azure_iot_codes::{
    AuthSubError, Catalogue, DpsRegistrationStatus, DpsRegistrationSubstatus, IotCentralStatus,
    ServiceErrorCode, parse_number,
};

use crate::ffi::{guard, guard_status, str_arg, write_out};
use crate::ids::{AIC_SERVICE_ANY, service_from_id};
use crate::rows::{RULE_BASES, RULE_IDS, RULE_REASONS, aic_row, row_of};
use crate::status::aic_status;

/// Outcome: an HTTP status, or the {status} of an MQTT response topic; `code` 0-65535. Every outcome id equals
/// the catalogue id of the codes it takes (here AIC_CATALOGUE_HTTP_STATUS).
pub const AIC_OUTCOME_HTTP_STATUS: u32 = 0;
/// Outcome: a six-digit IoT Hub / DPS error code (the errorCode of an error body); `code` 0-4294967295.
pub const AIC_OUTCOME_SERVICE_ERROR: u32 = 1;
/// Outcome: an IoT Central authorization sub-error; `name` such as "DEVICE_DISABLED".
pub const AIC_OUTCOME_AUTH_SUBERROR: u32 = 2;
/// Outcome: an IoT Central device status; `name` such as "Unapproved".
pub const AIC_OUTCOME_IOT_CENTRAL_STATUS: u32 = 3;
/// Outcome: a DPS registration status; `name` such as "assigning".
pub const AIC_OUTCOME_DPS_REGISTRATION_STATUS: u32 = 4;
/// Outcome: a DPS registration substatus; `name` such as "initialAssignment".
pub const AIC_OUTCOME_DPS_REGISTRATION_SUBSTATUS: u32 = 5;
/// Outcome: an MQTT 3.1.1 CONNACK return code; `code` 0-255.
pub const AIC_OUTCOME_MQTT_CONNACK: u32 = 6;
/// Outcome: a Device Update resultCode; `code` a signed 32-bit value.
pub const AIC_OUTCOME_DU_RESULT_CODE: u32 = 7;
/// Outcome: a Device Update extendedResultCode; `code` signed (-536870781) or unsigned (0xE0000083).
pub const AIC_OUTCOME_DU_EXTENDED_RESULT_CODE: u32 = 8;
/// Outcome: a Device Update diagnostics (log collection) result code; `code` a catalogued signed value.
pub const AIC_OUTCOME_DU_DIAGNOSTICS_RESULT: u32 = 9;

/// Operation: a device's own call (DPS registration, IoT Hub connection and messaging).
pub const AIC_OPERATION_DEVICE: u32 = 0;
/// Operation: a back end calling a service's REST API (switches from device guidance to REST rules).
pub const AIC_OPERATION_SERVICE_API: u32 = 1;

/// Action: success, or nothing to do (`none`).
pub const AIC_ACTION_NONE: u32 = 0;
/// Action: send the same request again after the delay (`retry`).
pub const AIC_ACTION_RETRY: u32 = 1;
/// Action: run a full DPS registration again after the delay (`re-register`).
pub const AIC_ACTION_RE_REGISTER: u32 = 2;
/// Action: after the delay, retry with the cached credentials and hub, or call the DPS status lookup API
/// (`status-lookup`).
pub const AIC_ACTION_STATUS_LOOKUP: u32 = 3;
/// Action: renew the token or certificate, then retry after the delay (`renew-credentials`).
pub const AIC_ACTION_RENEW_CREDENTIALS: u32 = 4;
/// Action: the request itself is wrong; resending it unchanged cannot help (`fix-request`).
pub const AIC_ACTION_FIX_REQUEST: u32 = 5;
/// Action: a person must act first (device blocked, unapproved, quota) (`operator-action`).
pub const AIC_ACTION_OPERATOR_ACTION: u32 = 6;
/// Action: the service's guidance is to open an Azure support ticket (`contact-support`).
pub const AIC_ACTION_CONTACT_SUPPORT: u32 = 7;
/// Action: the attempt or elapsed-time budget is spent: stop retrying (`give-up`).
pub const AIC_ACTION_GIVE_UP: u32 = 8;

/// Retry-After: none was given (`absent`).
pub const AIC_RETRY_AFTER_ABSENT: u32 = 0;
/// Retry-After: used as the delay, unchanged (`honored`).
pub const AIC_RETRY_AFTER_HONORED: u32 = 1;
/// Retry-After: used as the delay after bringing it into 1 s..300 s (`clamped`).
pub const AIC_RETRY_AFTER_CLAMPED: u32 = 2;
/// Retry-After: could not be read, so the backoff was used (`invalid`).
pub const AIC_RETRY_AFTER_INVALID: u32 = 3;
/// Retry-After: not used because the action does not wait (`not-waiting`).
pub const AIC_RETRY_AFTER_NOT_WAITING: u32 = 4;
/// Retry-After: not used because the policy does not honour it (`disabled`; never with the default policy).
pub const AIC_RETRY_AFTER_DISABLED: u32 = 5;

/// Pace: the action does not wait.
pub const AIC_PACE_NONE: u32 = 0;
/// Pace: backoff for transient failures, 1 s doubling to 100 s (`normal`).
pub const AIC_PACE_NORMAL: u32 = 1;
/// Pace: backoff for throttling (429), 10 s doubling to 60 s (`throttled`).
pub const AIC_PACE_THROTTLED: u32 = 2;
/// Pace: polling a DPS registration that is still being assigned, 2-3 s (`poll`).
pub const AIC_PACE_POLL: u32 = 3;

/// Budget: none is spent.
pub const AIC_BUDGET_NONE: u32 = 0;
/// Budget: the attempt budget (10 attempts) is spent (`attempts`).
pub const AIC_BUDGET_ATTEMPTS: u32 = 1;
/// Budget: waiting would pass the time budget (240 s from the first attempt) (`elapsed`).
pub const AIC_BUDGET_ELAPSED: u32 = 2;

/// The most steps aic_retry_next_delays can report: with the default policy's budget of 10 attempts, at most 9
/// decisions follow the first one (checked when the library is compiled).
pub const AIC_RETRY_MAX_STEPS: usize = 9;

const _: () = assert!(
    match Policy::DEFAULT.max_attempts {
        Some(n) => n as usize == AIC_RETRY_MAX_STEPS + 1,
        None => false,
    },
    "AIC_RETRY_MAX_STEPS must be the default attempt budget minus one"
);

/// What the classifier says to do next. Strings and rows are static (see aic_row).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct aic_retry_decision {
    /// What to do next (an AIC_ACTION_ id; aic_action_str gives its identifier).
    pub action: u32,
    /// Whether the action waits: retry, re-register, status-lookup and renew-credentials do, unless a budget
    /// is spent. Then delay_ms is the wait before acting.
    pub has_delay: bool,
    /// The delay in milliseconds when has_delay, else 0: the Retry-After when one was given and valid (brought
    /// into 1 s..300 s), else the jittered backoff of the pace.
    pub delay_ms: u64,
    /// What became of the Retry-After value (an AIC_RETRY_AFTER_ id).
    pub retry_after: u32,
    /// Whether the Retry-After set the delay (retry_after is HONORED or CLAMPED).
    pub retry_after_honored: bool,
    /// The backoff profile of the rule (an AIC_PACE_ id; AIC_PACE_NONE for actions that do not wait).
    pub pace: u32,
    /// The service the decision was made for (an AIC_SERVICE_ id).
    pub service: u32,
    /// The attempt the outcome ended (at least 1).
    pub attempt: u32,
    /// Which budget turned the action into give-up or contact-support (an AIC_BUDGET_ id).
    pub budget_spent: u32,
    /// The identifier of the rule of the decision table that applied, e.g. "dps-429".
    pub rule: *const c_char,
    /// Why, in one line: the rule's reason. (The "reason" of the JSON also says what became of the Retry-After
    /// or which budget was spent; the fields above carry the same facts.)
    pub reason: *const c_char,
    /// The guidance the rule follows (documentation page and section, SDK or RFC).
    pub basis: *const c_char,
    /// The catalogue row the decision is about (the sub-code's when a sub-code refined it), or NULL when the
    /// catalogue has none for the service.
    pub row: *const aic_row,
}

/// One later decision of aic_retry_next_delays.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct aic_retry_step {
    /// The attempt this decision follows.
    pub attempt: u32,
    /// The action (an AIC_ACTION_ id).
    pub action: u32,
    /// Whether the action waits (then delay_ms is set).
    pub has_delay: bool,
    /// The delay in milliseconds when has_delay, else 0.
    pub delay_ms: u64,
}

impl aic_retry_decision {
    const EMPTY: aic_retry_decision = aic_retry_decision {
        action: AIC_ACTION_NONE,
        has_delay: false,
        delay_ms: 0,
        retry_after: AIC_RETRY_AFTER_ABSENT,
        retry_after_honored: false,
        pace: AIC_PACE_NONE,
        service: 0,
        attempt: 0,
        budget_spent: AIC_BUDGET_NONE,
        rule: core::ptr::null(),
        reason: core::ptr::null(),
        basis: core::ptr::null(),
        row: core::ptr::null(),
    };

    fn from_rust(d: &Decision) -> Result<aic_retry_decision, aic_status> {
        let internal = aic_status::AIC_ERR_INTERNAL;
        let rule = Rule::all()
            .iter()
            .position(|r| core::ptr::eq(*r, d.rule()))
            .ok_or(internal)?;
        let text = |list: &[&'static CStr]| list.get(rule).map(|s| s.as_ptr()).ok_or(internal);
        let service = azure_iot_codes::Service::ALL
            .iter()
            .position(|s| *s == d.service())
            .and_then(|i| u32::try_from(i).ok())
            .ok_or(internal)?;
        Ok(aic_retry_decision {
            action: action_id(d.action())?,
            has_delay: d.delay_ms().is_some(),
            delay_ms: d.delay_ms().unwrap_or(0),
            retry_after: retry_after_id(d.retry_after())?,
            retry_after_honored: d.retry_after_honored(),
            pace: match d.rule().pace() {
                None => AIC_PACE_NONE,
                Some(Pace::Normal) => AIC_PACE_NORMAL,
                Some(Pace::Throttled) => AIC_PACE_THROTTLED,
                Some(Pace::Poll) => AIC_PACE_POLL,
                Some(_) => return Err(internal),
            },
            service,
            attempt: d.attempt(),
            budget_spent: match d.budget_spent() {
                None => AIC_BUDGET_NONE,
                Some(Budget::Attempts { .. }) => AIC_BUDGET_ATTEMPTS,
                Some(Budget::Elapsed { .. }) => AIC_BUDGET_ELAPSED,
                Some(_) => return Err(internal),
            },
            rule: text(&RULE_IDS)?,
            reason: text(&RULE_REASONS)?,
            basis: text(&RULE_BASES)?,
            row: match d.meaning() {
                Some(m) => row_of(m).ok_or(internal)?,
                None => core::ptr::null(),
            },
        })
    }
}

/// The id of an action: its index in `Action::ALL`.
fn action_id(a: Action) -> Result<u32, aic_status> {
    Action::ALL
        .iter()
        .position(|x| *x == a)
        .and_then(|i| u32::try_from(i).ok())
        .ok_or(aic_status::AIC_ERR_INTERNAL)
}

fn retry_after_id(u: RetryAfterUse) -> Result<u32, aic_status> {
    RETRY_AFTER_NAMES
        .iter()
        .position(|name| name.to_bytes() == u.as_str().as_bytes())
        .and_then(|i| u32::try_from(i).ok())
        .ok_or(aic_status::AIC_ERR_INTERNAL)
}

/// Action identifiers by id (`Action::as_str`).
pub(crate) const ACTION_NAMES: [&CStr; 9] = [
    c"none",
    c"retry",
    c"re-register",
    c"status-lookup",
    c"renew-credentials",
    c"fix-request",
    c"operator-action",
    c"contact-support",
    c"give-up",
];
/// Retry-After use identifiers by id (`RetryAfterUse::as_str`).
pub(crate) const RETRY_AFTER_NAMES: [&CStr; 6] = [
    c"absent",
    c"honored",
    c"clamped",
    c"invalid",
    c"not-waiting",
    c"disabled",
];
/// Pace identifiers by id; AIC_PACE_NONE has none.
pub(crate) const PACE_NAMES: [Option<&CStr>; 4] =
    [None, Some(c"normal"), Some(c"throttled"), Some(c"poll")];
/// Budget identifiers by id; AIC_BUDGET_NONE has none.
pub(crate) const BUDGET_NAMES: [Option<&CStr>; 3] = [None, Some(c"attempts"), Some(c"elapsed")];

fn name_of(names: &[Option<&'static CStr>], id: u32) -> *const c_char {
    usize::try_from(id)
        .ok()
        .and_then(|i| names.get(i).copied().flatten())
        .map_or(core::ptr::null(), CStr::as_ptr)
}

/// The stable identifier of an action: "none", "retry", "re-register", "status-lookup", "renew-credentials",
/// "fix-request", "operator-action", "contact-support" or "give-up".
///
/// Returns: a static NUL-terminated string, or NULL when action is not an AIC_ACTION_ id. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn aic_action_str(action: u32) -> *const c_char {
    guard(core::ptr::null(), || {
        name_of(&ACTION_NAMES.map(Some), action)
    })
}

/// The identifier of what became of a Retry-After: "absent", "honored", "clamped", "invalid", "not-waiting" or
/// "disabled".
///
/// Returns: a static NUL-terminated string, or NULL when retry_after is not an AIC_RETRY_AFTER_ id.
/// Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn aic_retry_after_str(retry_after: u32) -> *const c_char {
    guard(core::ptr::null(), || {
        name_of(&RETRY_AFTER_NAMES.map(Some), retry_after)
    })
}

/// The identifier of a pace: "normal", "throttled" or "poll".
///
/// Returns: a static NUL-terminated string, or NULL for AIC_PACE_NONE and values that are not an AIC_PACE_ id.
/// Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn aic_pace_str(pace: u32) -> *const c_char {
    guard(core::ptr::null(), || name_of(&PACE_NAMES, pace))
}

/// The identifier of a spent budget: "attempts" or "elapsed".
///
/// Returns: a static NUL-terminated string, or NULL for AIC_BUDGET_NONE and values that are not an AIC_BUDGET_
/// id. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn aic_budget_str(budget: u32) -> *const c_char {
    guard(core::ptr::null(), || name_of(&BUDGET_NAMES, budget))
}

/// A text outcome: the value of a closed catalogue named by `name`.
///
/// # Safety
/// `name` is NULL or a NUL-terminated string valid for the call.
unsafe fn named<T: FromStr<Err = azure_iot_codes::Error>>(
    name: *const c_char,
) -> Result<T, aic_status> {
    // SAFETY: the caller's guarantee.
    let text = unsafe { str_arg(name) }?;
    T::from_str(text).map_err(|e| aic_status::from_kind(e.kind()))
}

/// The outcome the integer kind, number and name describe.
///
/// # Safety
/// `name` is NULL or a NUL-terminated string valid for the call.
unsafe fn outcome(kind: u32, code: i64, name: *const c_char) -> Result<Outcome, aic_status> {
    let range = aic_status::AIC_ERR_OUT_OF_RANGE;
    Ok(match kind {
        AIC_OUTCOME_HTTP_STATUS => Outcome::HttpStatus(u16::try_from(code).map_err(|_| range)?),
        AIC_OUTCOME_SERVICE_ERROR => Outcome::ServiceError(u32::try_from(code).map_err(|_| range)?),
        AIC_OUTCOME_AUTH_SUBERROR => {
            // SAFETY: the caller's guarantee for `name`.
            Outcome::AuthSubError(unsafe { named::<AuthSubError>(name) }?)
        }
        AIC_OUTCOME_IOT_CENTRAL_STATUS => {
            // SAFETY: the caller's guarantee for `name`.
            Outcome::IotCentralStatus(unsafe { named::<IotCentralStatus>(name) }?)
        }
        AIC_OUTCOME_DPS_REGISTRATION_STATUS => {
            // SAFETY: the caller's guarantee for `name`.
            Outcome::DpsRegistrationStatus(unsafe { named::<DpsRegistrationStatus>(name) }?)
        }
        AIC_OUTCOME_DPS_REGISTRATION_SUBSTATUS => {
            // SAFETY: the caller's guarantee for `name`.
            Outcome::DpsRegistrationSubstatus(unsafe { named::<DpsRegistrationSubstatus>(name) }?)
        }
        AIC_OUTCOME_MQTT_CONNACK => Outcome::MqttConnack(u8::try_from(code).map_err(|_| range)?),
        AIC_OUTCOME_DU_RESULT_CODE => {
            Outcome::DuResultCode(i32::try_from(code).map_err(|_| range)?)
        }
        AIC_OUTCOME_DU_EXTENDED_RESULT_CODE => {
            let bits = match i32::try_from(code) {
                Ok(signed) if signed < 0 => signed as u32,
                _ => u32::try_from(code).map_err(|_| range)?,
            };
            Outcome::DuExtendedResultCode(ExtendedResultCode::new(bits))
        }
        AIC_OUTCOME_DU_DIAGNOSTICS_RESULT => {
            let signed = i32::try_from(code).map_err(|_| range)?;
            let row = Catalogue::DuDiagnosticsResult
                .lookup_number(signed as u32)
                .first()
                .ok_or(aic_status::AIC_ERR_NOT_FOUND)?;
            Outcome::Meaning(row)
        }
        _ => return Err(aic_status::AIC_ERR_INVALID_ARGUMENT),
    })
}

/// A sub-code as `iotcode retry --sub-code` reads it: a six-digit number, an IoT Central sub-error name, or a
/// service error code name.
fn sub_code(text: &str) -> Result<SubCode, aic_status> {
    if let Ok(n) = parse_number(text, "") {
        return ServiceErrorCode::new(n.value)
            .map(SubCode::from)
            .map_err(|_| aic_status::AIC_ERR_OUT_OF_RANGE);
    }
    if let Ok(a) = text.parse::<AuthSubError>() {
        return Ok(SubCode::from(a));
    }
    text.parse::<ServiceErrorCode>()
        .map(SubCode::from)
        .map_err(|e| aic_status::from_kind(e.kind()))
}

/// The arguments both retry functions take, read and checked.
struct Request<'a> {
    outcome: Outcome,
    ctx: Context<'a>,
    seed: u64,
}

/// Reads the shared arguments of aic_retry_decide and aic_retry_next_delays.
///
/// # Safety
/// `name`, `sub_code_text` and `retry_after` are NULL or NUL-terminated strings valid for `'a`.
#[allow(clippy::too_many_arguments)]
unsafe fn request<'a>(
    kind: u32,
    code: i64,
    name: *const c_char,
    service: u32,
    operation: u32,
    sub_code_text: *const c_char,
    attempt: u32,
    elapsed_ms: u64,
    retry_after: *const c_char,
    now_unix: u64,
    seed: u64,
) -> Result<Request<'a>, aic_status> {
    // SAFETY: the caller's guarantee for `name`.
    let outcome = unsafe { outcome(kind, code, name) }?;
    let mut ctx = Context::new()
        .attempt(attempt)
        .elapsed(Duration::from_millis(elapsed_ms));
    if service != AIC_SERVICE_ANY {
        ctx.service = Some(service_from_id(service).ok_or(aic_status::AIC_ERR_UNKNOWN_SERVICE)?);
    }
    ctx.operation = match operation {
        AIC_OPERATION_DEVICE => Operation::Device,
        AIC_OPERATION_SERVICE_API => Operation::ServiceApi,
        _ => return Err(aic_status::AIC_ERR_INVALID_ARGUMENT),
    };
    if !sub_code_text.is_null() {
        // SAFETY: the caller's guarantee for `sub_code_text`, which is not NULL.
        ctx.sub_code = Some(sub_code(unsafe { str_arg(sub_code_text) }?)?);
    }
    if !retry_after.is_null() {
        // SAFETY: the caller's guarantee for `retry_after`, which is not NULL.
        let value: &'a str = unsafe { str_arg(retry_after) }?;
        ctx = if value.contains("retry-after=") || value.starts_with("$dps/") {
            ctx.retry_after_from_dps_topic(value)
        } else {
            ctx.retry_after(value)
        };
    }
    if now_unix != 0 {
        ctx.now_unix = Some(now_unix);
    }
    Ok(Request { outcome, ctx, seed })
}

/// The next action for an outcome: retry (after how long), re-register, renew credentials, fix the request,
/// ask an operator, contact support or give up, following the decision table of docs/retry.md (the default
/// policy: backoff with jitter, Retry-After honoured within 1 s..300 s, budgets of 10 attempts and 240 s).
/// The same arguments give the same decision (the jitter comes from seed). Pure: reads no clock.
///
/// outcome: an AIC_OUTCOME_ id; code and name give the value:
///   AIC_OUTCOME_HTTP_STATUS (code 0-65535), AIC_OUTCOME_SERVICE_ERROR (code 0-4294967295),
///   AIC_OUTCOME_MQTT_CONNACK (code 0-255), AIC_OUTCOME_DU_RESULT_CODE (code a signed 32-bit value),
///   AIC_OUTCOME_DU_EXTENDED_RESULT_CODE (code signed or unsigned 32-bit), AIC_OUTCOME_DU_DIAGNOSTICS_RESULT
///   (a catalogued code): name is ignored and may be NULL. Any value in range is classified, catalogued or not.
///   AIC_OUTCOME_AUTH_SUBERROR, AIC_OUTCOME_IOT_CENTRAL_STATUS, AIC_OUTCOME_DPS_REGISTRATION_STATUS,
///   AIC_OUTCOME_DPS_REGISTRATION_SUBSTATUS: name is the value ("DEVICE_DISABLED", "Unapproved", "assigning";
///   code, name or alias, any ASCII case); code is ignored.
/// service: the service that answered (an AIC_SERVICE_ id), or AIC_SERVICE_ANY for the outcome's own.
/// operation: AIC_OPERATION_DEVICE or AIC_OPERATION_SERVICE_API.
/// sub_code: NULL, or the more specific code that came with a failure: a six-digit errorCode ("400209") or
///   its name, or an IoT Central sub-error ("DEVICE_DISABLED").
/// attempt: the attempt that just failed, counting from 1 (0 reads as 1).
/// elapsed_ms: time since the first attempt started.
/// retry_after: NULL, a Retry-After header value (seconds or an HTTP-date), or a DPS response topic with a
///   retry-after parameter ("$dps/registrations/res/429/?$rid=1&retry-after=5"). An unreadable value is
///   ignored, and the decision says so.
/// now_unix: the current time in seconds since 1970, needed only for an HTTP-date Retry-After; 0 if unknown.
/// seed: seeds the jitter; use a value that differs per device so devices do not retry in step.
/// out: receives the decision; cleared on every error.
/// Returns: AIC_OK; AIC_ERR_OUT_OF_RANGE for a code outside its outcome's range or a sub-code number that is
/// not six digits; AIC_ERR_EMPTY / AIC_ERR_NOT_FOUND for a name or sub-code no catalogue has (and a
/// diagnostics code that is not catalogued); AIC_ERR_INVALID_ARGUMENT for an outcome or operation id that is not
/// one of the constants; AIC_ERR_UNKNOWN_SERVICE; AIC_ERR_NULL_ARGUMENT when out is NULL or a text outcome has
/// a NULL name; AIC_ERR_INVALID_UTF8. Thread-safe; no allocation.
///
/// # Safety
/// name, sub_code and retry_after are NULL or NUL-terminated strings; out is NULL or valid for writing an
/// aic_retry_decision.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)] // The C signature: plain arguments, no context struct to initialise.
pub unsafe extern "C" fn aic_retry_decide(
    outcome: u32,
    code: i64,
    name: *const c_char,
    service: u32,
    operation: u32,
    sub_code: *const c_char,
    attempt: u32,
    elapsed_ms: u64,
    retry_after: *const c_char,
    now_unix: u64,
    seed: u64,
    out: *mut aic_retry_decision,
) -> aic_status {
    guard_status(|| {
        // SAFETY: the caller guarantees `out` is NULL or valid for writing an aic_retry_decision.
        unsafe { write_out(out, aic_retry_decision::EMPTY) };
        if out.is_null() {
            return Err(aic_status::AIC_ERR_NULL_ARGUMENT);
        }
        // SAFETY: the caller guarantees the strings are NULL or NUL-terminated.
        let r = unsafe {
            request(
                outcome,
                code,
                name,
                service,
                operation,
                sub_code,
                attempt,
                elapsed_ms,
                retry_after,
                now_unix,
                seed,
            )
        }?;
        let d = Policy::DEFAULT.decide(r.outcome, &r.ctx, &mut SplitMix64::new(r.seed));
        let value = aic_retry_decision::from_rust(&d)?;
        // SAFETY: as above; `out` is not NULL.
        unsafe { write_out(out, value) };
        Ok(())
    })
}

/// The decisions that follow aic_retry_decide's if every later attempt fails the same way: each step is one
/// attempt later, adds the previous delay to the elapsed time and has no Retry-After (a new answer would bring
/// its own). The list ends with the first decision that does not wait (give-up, contact-support, ...), so it
/// shows when the budgets run out; it is what `iotcode retry --json` prints as "next" (with the same seed).
///
/// All arguments up to seed: as for aic_retry_decide (the same seed gives the same delays as there).
/// steps: the caller's array of capacity entries; may be NULL only when capacity is 0. Entries past *count are
/// left untouched.
/// capacity: how many steps to report at most; AIC_RETRY_MAX_STEPS always holds them all.
/// count: receives the number of steps written (0 on error). Must not be NULL.
/// Returns: AIC_OK (also when the schedule had more steps than capacity); the errors of aic_retry_decide;
/// AIC_ERR_NULL_ARGUMENT when count is NULL, or steps is NULL with capacity > 0. Thread-safe; no allocation.
///
/// # Safety
/// name, sub_code and retry_after are NULL or NUL-terminated strings; steps is valid for writing capacity
/// aic_retry_step entries (or capacity is 0); count is NULL or valid for writing a size_t.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)] // The C signature, as aic_retry_decide.
pub unsafe extern "C" fn aic_retry_next_delays(
    outcome: u32,
    code: i64,
    name: *const c_char,
    service: u32,
    operation: u32,
    sub_code: *const c_char,
    attempt: u32,
    elapsed_ms: u64,
    retry_after: *const c_char,
    now_unix: u64,
    seed: u64,
    steps: *mut aic_retry_step,
    capacity: usize,
    count: *mut usize,
) -> aic_status {
    guard_status(|| {
        // SAFETY: the caller guarantees `count` is NULL or valid for writing a size_t.
        unsafe { write_out(count, 0) };
        if count.is_null() || (steps.is_null() && capacity > 0) {
            return Err(aic_status::AIC_ERR_NULL_ARGUMENT);
        }
        // SAFETY: the caller guarantees the strings are NULL or NUL-terminated.
        let r = unsafe {
            request(
                outcome,
                code,
                name,
                service,
                operation,
                sub_code,
                attempt,
                elapsed_ms,
                retry_after,
                now_unix,
                seed,
            )
        }?;
        let mut rng = SplitMix64::new(r.seed);
        let mut schedule = Policy::DEFAULT.schedule(r.outcome, r.ctx, &mut rng);
        // The first decision is aic_retry_decide's.
        let _ = schedule.next();
        let mut written = 0;
        for d in schedule.take(capacity) {
            let step = aic_retry_step {
                attempt: d.attempt(),
                action: action_id(d.action())?,
                has_delay: d.delay_ms().is_some(),
                delay_ms: d.delay_ms().unwrap_or(0),
            };
            // SAFETY: `steps` is not NULL when capacity > 0 (checked above), `written < capacity` (take), and the
            // caller guarantees `capacity` writable, aligned entries. The entries are written through the raw
            // pointer, never read, so uninitialised caller memory is fine.
            unsafe { write_out(steps.add(written), step) };
            written += 1;
        }
        // SAFETY: `count` is not NULL (checked above) and valid for writing a size_t.
        unsafe { write_out(count, written) };
        Ok(())
    })
}
