#![doc = include_str!("../../docs/retry.md")]

mod backoff;
mod retry_after;
mod rules;

use core::fmt;
use core::time::Duration;

use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

use crate::catalogue::{
    AuthSubError, Catalogue, Code, DpsRegistrationStatus, DpsRegistrationSubstatus,
    IotCentralStatus, Meaning, MqttConnack, Service,
};
use crate::codes::{HttpStatus, ServiceErrorCode};

pub use backoff::{Backoff, RandomSource, SplitMix64};
pub use retry_after::{
    DELTA_SECONDS_CAP, DateForm, HttpDate, RetryAfter, RetryAfterError, dps_topic_retry_after,
};
pub use rules::{Action, Operation, Pace, Rule};

/// What happened: any code the catalogues know, raw or decoded.
///
/// Raw values need not be in a catalogue: every `u16` status, `u32` code and CONNACK byte is classified. The enum
/// is `non_exhaustive`: Device Update result codes will be added as a variant without breaking callers.
///
/// ```
/// use azure_iot_codes::retry::Outcome;
/// use azure_iot_codes::{decode, HttpStatus, ServiceErrorCode, DpsRegistrationStatus};
/// let a: Outcome = HttpStatus::TOO_MANY_REQUESTS.into();
/// assert_eq!(a, Outcome::HttpStatus(429));
/// let b: Outcome = ServiceErrorCode::DEVICE_NOT_FOUND.into();
/// assert_eq!(b, Outcome::ServiceError(404001));
/// let c: Outcome = decode("assigning").unwrap()[0].into();
/// assert!(matches!(c, Outcome::Meaning(_)));
/// let d: Outcome = DpsRegistrationStatus::Failed.into();
/// assert_eq!(d, Outcome::DpsRegistrationStatus(DpsRegistrationStatus::Failed));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Outcome {
    /// A decoded catalogue row (from [`decode`](crate::decode) or a lookup), of any catalogue.
    Meaning(&'static Meaning),
    /// An HTTP status, or the `{status}` of an MQTT response topic. Any `u16`.
    HttpStatus(u16),
    /// A six-digit IoT Hub / DPS error code (`errorCode` of an error body). Any `u32`.
    ServiceError(u32),
    /// An IoT Central detailed authorization sub-error.
    AuthSubError(AuthSubError),
    /// An IoT Central device status.
    IotCentralStatus(IotCentralStatus),
    /// A DPS registration status (the `status` of a registration operation).
    DpsRegistrationStatus(DpsRegistrationStatus),
    /// A DPS registration substatus.
    DpsRegistrationSubstatus(DpsRegistrationSubstatus),
    /// An MQTT 3.1.1 CONNACK return code. Any byte.
    MqttConnack(u8),
    /// A Device Update `resultCode`.
    DuResultCode(i32),
    /// A Device Update `extendedResultCode`.
    DuExtendedResultCode(crate::du::ExtendedResultCode),
}

impl From<crate::Match> for Outcome {
    /// See the `&Match` conversion.
    fn from(m: crate::Match) -> Outcome {
        Outcome::from(&m)
    }
}

impl From<&crate::Match> for Outcome {
    /// A Device Update code reading becomes [`Outcome::DuExtendedResultCode`]; any other match its row.
    fn from(m: &crate::Match) -> Outcome {
        match m.erc() {
            Some(r) => Outcome::DuExtendedResultCode(r.code()),
            None => Outcome::Meaning(m.meaning()),
        }
    }
}

impl From<&'static Meaning> for Outcome {
    fn from(m: &'static Meaning) -> Outcome {
        Outcome::Meaning(m)
    }
}
impl From<HttpStatus> for Outcome {
    fn from(s: HttpStatus) -> Outcome {
        Outcome::HttpStatus(s.as_u16())
    }
}
impl From<ServiceErrorCode> for Outcome {
    fn from(c: ServiceErrorCode) -> Outcome {
        Outcome::ServiceError(c.as_u32())
    }
}
impl From<AuthSubError> for Outcome {
    fn from(s: AuthSubError) -> Outcome {
        Outcome::AuthSubError(s)
    }
}
impl From<IotCentralStatus> for Outcome {
    fn from(s: IotCentralStatus) -> Outcome {
        Outcome::IotCentralStatus(s)
    }
}
impl From<DpsRegistrationStatus> for Outcome {
    fn from(s: DpsRegistrationStatus) -> Outcome {
        Outcome::DpsRegistrationStatus(s)
    }
}
impl From<DpsRegistrationSubstatus> for Outcome {
    fn from(s: DpsRegistrationSubstatus) -> Outcome {
        Outcome::DpsRegistrationSubstatus(s)
    }
}
impl From<MqttConnack> for Outcome {
    fn from(c: MqttConnack) -> Outcome {
        Outcome::MqttConnack(c.code())
    }
}

/// A more specific code that came with a failing outcome: the six-digit `errorCode` of a DPS or IoT Hub error
/// body (or of a failed registration's `registrationState`), or an IoT Central authorization sub-error.
///
/// It refines the decision for a failure (`401` + `400209` is an operator's job, `401` + `401002` a credentials
/// problem); it is ignored when the outcome itself is a success, and a service error code outside
/// 100000-599999 is ignored.
///
/// ```
/// use azure_iot_codes::retry::SubCode;
/// use azure_iot_codes::{AuthSubError, ServiceErrorCode};
/// assert_eq!(SubCode::from(ServiceErrorCode::new(400209).unwrap()), SubCode::ServiceError(400209));
/// assert_eq!(SubCode::from(AuthSubError::DeviceDisabled), SubCode::AuthSubError(AuthSubError::DeviceDisabled));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SubCode {
    /// A six-digit service error code.
    ServiceError(u32),
    /// An IoT Central authorization sub-error (`DEVICE_DISABLED`, ...).
    AuthSubError(AuthSubError),
}

impl From<ServiceErrorCode> for SubCode {
    fn from(c: ServiceErrorCode) -> SubCode {
        SubCode::ServiceError(c.as_u32())
    }
}
impl From<AuthSubError> for SubCode {
    fn from(s: AuthSubError) -> SubCode {
        SubCode::AuthSubError(s)
    }
}

/// Everything about the call besides its outcome.
///
/// ```
/// use azure_iot_codes::retry::{Context, Operation};
/// use azure_iot_codes::Service;
/// use core::time::Duration;
/// let ctx = Context::new()
///     .service(Service::Dps)
///     .attempt(3)
///     .elapsed(Duration::from_secs(20))
///     .retry_after_from_dps_topic("$dps/registrations/res/429/?$rid=4&retry-after=5");
/// assert_eq!(ctx.retry_after, Some("5"));
/// assert_eq!(ctx.operation, Operation::Device);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Context<'a> {
    /// The service that answered. `None`: the service the outcome belongs to (the first one its catalogue row
    /// lists; IoT Hub for a bare HTTP status).
    pub service: Option<Service>,
    /// A device's own call (default) or a back end's REST call.
    pub operation: Operation,
    /// The more specific code that came with the outcome, if any.
    pub sub_code: Option<SubCode>,
    /// Which attempt this outcome ended, counting from 1 (0 is read as 1). The next one would be `attempt + 1`.
    pub attempt: u32,
    /// The raw `Retry-After` header value, or the DPS topic's `retry-after` parameter. Parsed by the classifier;
    /// a bad value is ignored and the decision says why.
    pub retry_after: Option<&'a str>,
    /// Time since the first attempt started.
    pub elapsed: Duration,
    /// The current time in seconds since the Unix epoch; needed only to turn an HTTP-date `Retry-After` into a
    /// delay (and to resolve two-digit RFC 850 years).
    pub now_unix: Option<u64>,
}

impl<'a> Context<'a> {
    /// A device call on its first attempt, service taken from the outcome, no Retry-After.
    pub const fn new() -> Context<'a> {
        Context {
            service: None,
            operation: Operation::Device,
            sub_code: None,
            attempt: 1,
            retry_after: None,
            elapsed: Duration::ZERO,
            now_unix: None,
        }
    }
    /// Sets [`Context::service`].
    pub const fn service(mut self, service: Service) -> Self {
        self.service = Some(service);
        self
    }
    /// Sets [`Context::operation`].
    pub const fn operation(mut self, operation: Operation) -> Self {
        self.operation = operation;
        self
    }
    /// Sets [`Context::sub_code`].
    pub const fn sub_code(mut self, sub_code: SubCode) -> Self {
        self.sub_code = Some(sub_code);
        self
    }
    /// Sets [`Context::attempt`].
    pub const fn attempt(mut self, attempt: u32) -> Self {
        self.attempt = attempt;
        self
    }
    /// Sets [`Context::retry_after`] to a raw header value.
    pub const fn retry_after(mut self, value: &'a str) -> Self {
        self.retry_after = Some(value);
        self
    }
    /// Sets [`Context::retry_after`] from the `retry-after` parameter of a DPS response topic; leaves it unset
    /// when the topic has none.
    pub fn retry_after_from_dps_topic(mut self, topic: &'a str) -> Self {
        if let Some(v) = dps_topic_retry_after(topic) {
            self.retry_after = Some(v);
        }
        self
    }
    /// Sets [`Context::elapsed`].
    pub const fn elapsed(mut self, elapsed: Duration) -> Self {
        self.elapsed = elapsed;
        self
    }
    /// Sets [`Context::now_unix`].
    pub const fn now_unix(mut self, now_unix: u64) -> Self {
        self.now_unix = Some(now_unix);
        self
    }
}

/// The knobs: backoff profiles, budgets and Retry-After bounds. [`Policy::DEFAULT`] cites where each default
/// comes from; every field may be changed, and any value is accepted (nothing panics).
///
/// ```
/// use azure_iot_codes::retry::{Backoff, Policy};
/// use core::time::Duration;
/// let p = Policy {
///     max_attempts: Some(5),
///     normal: Backoff { initial_ms: 500, ..Backoff::NORMAL },
///     ..Policy::DEFAULT
/// };
/// assert_eq!(p.normal.band(1), (500, 750));
/// assert_eq!(Policy::default(), Policy::DEFAULT);
/// assert_eq!(Policy::DEFAULT.max_elapsed, Some(Duration::from_secs(240)));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Policy {
    /// Transient failures. Default [`Backoff::NORMAL`].
    pub normal: Backoff,
    /// Throttling (429). Default [`Backoff::THROTTLED`].
    pub throttled: Backoff,
    /// Polling a DPS registration that is still being assigned. Default [`Backoff::POLL`].
    pub poll: Backoff,
    /// Total attempts allowed, the first included; once attempt `max_attempts` has failed the action is
    /// `give-up`. `None`: unlimited. Default 10: the Embedded C SDK's `MAX_HUB_RETRY` and the reconnection
    /// guidance's "after 10 consecutive failed reconnections" threshold.
    pub max_attempts: Option<u32>,
    /// Time allowed from the first attempt to the start of the next; a delay that would pass it ends in
    /// `give-up`. `None`: unlimited. Default 240 s: the per-operation timeout of the Node
    /// (`MAX_OPERATION_TIMEOUT = 240000`) and C# (`DefaultOperationTimeoutInMilliseconds = 4 * 60 * 1000`) device
    /// clients.
    pub max_elapsed: Option<Duration>,
    /// Shorter Retry-After values are raised to this. Default 1 s: the C SDK's DPS floor
    /// (`PROV_GET_THROTTLE_TIME`) and the Embedded C SDK's recommended minimum retry delay; it keeps a `0` or a
    /// past date from turning into a tight loop. (The C# SDK raises DPS values below 2 s to 2 s.)
    pub retry_after_min: Duration,
    /// Longer Retry-After values are lowered to this. Default 300 s: the C SDK's DPS ceiling
    /// (`MAX_PROV_GET_THROTTLE_TIME = 5*60`, also applied to AMQP rejections). Node and Python take any value;
    /// a device told to wait an hour is better served by waking up and asking again.
    pub retry_after_max: Duration,
    /// Whether a valid Retry-After replaces the computed backoff. Default `true`, as every SDK does on DPS paths
    /// and the DPS page recommends ("follow the retry-after header").
    pub honor_retry_after: bool,
}

impl Policy {
    /// The defaults, each cited on its field.
    pub const DEFAULT: Policy = Policy {
        normal: Backoff::NORMAL,
        throttled: Backoff::THROTTLED,
        poll: Backoff::POLL,
        max_attempts: Some(10),
        max_elapsed: Some(Duration::from_secs(240)),
        retry_after_min: Duration::from_secs(1),
        retry_after_max: Duration::from_secs(300),
        honor_retry_after: true,
    };

    /// The backoff profile for `pace`.
    pub const fn profile(&self, pace: Pace) -> &Backoff {
        match pace {
            Pace::Normal => &self.normal,
            Pace::Throttled => &self.throttled,
            Pace::Poll => &self.poll,
        }
    }

    /// Classifies `outcome` in `ctx`: the next action, the delay, what became of the Retry-After, why, and the
    /// rule and catalogue row behind it. Pure (the randomness comes from `rng`), total, allocation-free.
    ///
    /// ```
    /// use azure_iot_codes::retry::{Action, Context, Outcome, Policy, SplitMix64};
    /// use azure_iot_codes::Service;
    /// let mut rng = SplitMix64::new(0xD0_5EED);
    /// let ctx = Context::new().service(Service::Dps).retry_after("7");
    /// let d = Policy::DEFAULT.decide(Outcome::HttpStatus(429), &ctx, &mut rng);
    /// assert_eq!(d.action(), Action::Retry);
    /// assert_eq!(d.delay_ms(), Some(7_000));
    /// assert!(d.retry_after_honored());
    /// ```
    pub fn decide<R: RandomSource + ?Sized>(
        &self,
        outcome: impl Into<Outcome>,
        ctx: &Context<'_>,
        rng: &mut R,
    ) -> Decision {
        let outcome = outcome.into();
        let attempt = ctx.attempt.max(1);
        let (service, rule, meaning) = resolve(outcome, ctx);
        let mut d = Decision {
            action: rule.action(),
            delay_ms: None,
            retry_after: match ctx.retry_after {
                None => RetryAfterUse::Absent,
                Some(_) => RetryAfterUse::Ignored(RetryAfterIgnored::NotWaiting),
            },
            rule,
            meaning,
            service,
            attempt,
            spent: None,
        };
        if !rule.action().waits() {
            return d;
        }
        let (ra_use, ra_ms) = self.read_retry_after(ctx);
        let delay = match ra_ms {
            Some(ms) => ms,
            None => {
                let (lo, hi) = self
                    .profile(rule.pace().unwrap_or(Pace::Normal))
                    .band(attempt);
                backoff::uniform_inclusive(rng, lo, hi)
            }
        };
        let elapsed = u64::try_from(ctx.elapsed.as_millis()).unwrap_or(u64::MAX);
        d.spent = match (self.max_attempts, self.max_elapsed) {
            (Some(max), _) if attempt >= max => Some(Budget::Attempts { max }),
            (_, Some(max)) if elapsed.saturating_add(delay) > duration_ms(max) => {
                Some(Budget::Elapsed {
                    max_ms: duration_ms(max),
                    elapsed_ms: elapsed,
                    wanted_ms: delay,
                })
            }
            _ => None,
        };
        if d.spent.is_some() {
            d.action = rule.when_spent();
            if let RetryAfterUse::Ignored(RetryAfterIgnored::Invalid(_)) = ra_use {
                d.retry_after = ra_use;
            }
        } else {
            d.delay_ms = Some(delay);
            d.retry_after = ra_use;
        }
        d
    }

    /// The decision for `outcome`, then the decisions that follow if every later attempt fails the same way:
    /// each step adds one attempt and the previous delay to the elapsed time, and drops the Retry-After (a new
    /// answer would bring its own). Ends after the first decision that does not wait (such as `give-up`);
    /// endless when the policy has no budgets and the action keeps waiting.
    ///
    /// ```
    /// use azure_iot_codes::retry::{Action, Context, Outcome, Policy, SplitMix64};
    /// use azure_iot_codes::Service;
    /// let mut rng = SplitMix64::new(1);
    /// let steps: Vec<_> = Policy::DEFAULT
    ///     .schedule(Outcome::HttpStatus(503), Context::new().service(Service::IotHub), &mut rng)
    ///     .collect();
    /// assert_eq!(steps.first().unwrap().action(), Action::Retry);
    /// assert_eq!(steps.last().unwrap().action(), Action::GiveUp);
    /// assert!(steps.len() <= 10);
    /// ```
    pub fn schedule<'p, 'a, R: RandomSource + ?Sized>(
        &'p self,
        outcome: impl Into<Outcome>,
        ctx: Context<'a>,
        rng: &'p mut R,
    ) -> Schedule<'p, 'a, R> {
        Schedule {
            policy: self,
            outcome: outcome.into(),
            ctx,
            rng,
            done: false,
        }
    }

    fn read_retry_after(&self, ctx: &Context<'_>) -> (RetryAfterUse, Option<u64>) {
        let Some(raw) = ctx.retry_after else {
            return (RetryAfterUse::Absent, None);
        };
        if !self.honor_retry_after {
            return (RetryAfterUse::Ignored(RetryAfterIgnored::Disabled), None);
        }
        match RetryAfter::parse(raw).and_then(|ra| ra.wait_seconds(ctx.now_unix)) {
            Err(e) => (RetryAfterUse::Ignored(RetryAfterIgnored::Invalid(e)), None),
            Ok(seconds) => {
                let wanted = seconds.saturating_mul(1000);
                let used = wanted
                    .max(duration_ms(self.retry_after_min))
                    .min(duration_ms(self.retry_after_max));
                let use_ = if used == wanted {
                    RetryAfterUse::Honored { seconds }
                } else {
                    RetryAfterUse::Clamped {
                        seconds,
                        used_ms: used,
                    }
                };
                (use_, Some(used))
            }
        }
    }
}

impl Default for Policy {
    fn default() -> Policy {
        Policy::DEFAULT
    }
}

fn duration_ms(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// [`Policy::decide`] with [`Policy::DEFAULT`].
///
/// ```
/// use azure_iot_codes::retry::{decide, Action, Context, Outcome, SplitMix64};
/// use azure_iot_codes::Service;
/// let mut rng = SplitMix64::new(7);
/// // The newer DPS page: 401, 403 and 404 call for a full re-registration.
/// let d = decide(Outcome::HttpStatus(404), &Context::new().service(Service::Dps), &mut rng);
/// assert_eq!(d.action(), Action::ReRegister);
/// assert!((1_000..=1_500).contains(&d.delay_ms().unwrap()));
/// // IoT Central's detailed authorization errors refine a 401.
/// let d = decide(
///     Outcome::HttpStatus(401),
///     &Context::new().service(Service::IotCentral).sub_code(azure_iot_codes::AuthSubError::DeviceBlocked.into()),
///     &mut rng,
/// );
/// assert_eq!(d.action(), Action::OperatorAction);
/// assert_eq!(d.delay(), None);
/// ```
pub fn decide<R: RandomSource + ?Sized>(
    outcome: impl Into<Outcome>,
    ctx: &Context<'_>,
    rng: &mut R,
) -> Decision {
    Policy::DEFAULT.decide(outcome, ctx, rng)
}

/// The service the outcome belongs to when the context does not say.
fn default_service(outcome: Outcome) -> Service {
    let first = |m: &Meaning| m.services().iter().next();
    match outcome {
        Outcome::Meaning(m) => first(m),
        Outcome::HttpStatus(_) | Outcome::MqttConnack(_) => None,
        Outcome::ServiceError(c) => Catalogue::ServiceError
            .lookup_number(c)
            .first()
            .and_then(first),
        Outcome::AuthSubError(a) => first(a.meaning()),
        Outcome::IotCentralStatus(_) => Some(Service::IotCentral),
        Outcome::DpsRegistrationStatus(_) | Outcome::DpsRegistrationSubstatus(_) => {
            Some(Service::Dps)
        }
        Outcome::DuResultCode(_) | Outcome::DuExtendedResultCode(_) => Some(Service::DeviceUpdate),
    }
    .unwrap_or(Service::IotHub)
}

fn status_meaning(status: u16, service: Service) -> Option<&'static Meaning> {
    Catalogue::HttpStatus
        .lookup_number(u32::from(status))
        .iter()
        .find(|m| m.services().contains(service))
}

fn code_meaning(code: u32, service: Service) -> Option<&'static Meaning> {
    let rows = Catalogue::ServiceError.lookup_number(code);
    rows.iter()
        .find(|m| m.services().contains(service))
        .or_else(|| rows.first())
}

fn find_variant<T: Copy, const N: usize>(
    all: [T; N],
    meaning: impl Fn(T) -> &'static Meaning,
    m: &'static Meaning,
) -> Option<T> {
    all.into_iter().find(|v| core::ptr::eq(meaning(*v), m))
}

type Resolved = (&'static rules::Rule, Option<&'static Meaning>);

fn resolve_outcome(outcome: Outcome, service: Service, op: Operation) -> Resolved {
    match outcome {
        Outcome::HttpStatus(s) => (
            rules::status_rule(s, service, op),
            status_meaning(s, service),
        ),
        Outcome::ServiceError(c) => (rules::code_rule(c, service, op), code_meaning(c, service)),
        Outcome::AuthSubError(a) => (rules::auth_rule(a, service, op), Some(a.meaning())),
        Outcome::IotCentralStatus(s) => (rules::central_status_rule(s), Some(s.meaning())),
        Outcome::DpsRegistrationStatus(s) => (rules::registration_rule(s), Some(s.meaning())),
        Outcome::DpsRegistrationSubstatus(s) => (rules::substatus_rule(s), Some(s.meaning())),
        Outcome::MqttConnack(c) => (
            rules::connack_rule(c),
            MqttConnack::from_code(c).map(MqttConnack::meaning),
        ),
        Outcome::Meaning(m) => (meaning_rule(m, service, op), Some(m)),
        Outcome::DuResultCode(rc) => (
            rules::du_result_rule(rc),
            Catalogue::DuResultCode.lookup_number(rc as u32).first(),
        ),
        Outcome::DuExtendedResultCode(c) => (
            rules::du_erc_rule(c),
            Catalogue::DuExtendedResultCode
                .lookup_number(c.as_u32())
                .first(),
        ),
    }
}

fn meaning_rule(m: &'static Meaning, service: Service, op: Operation) -> &'static rules::Rule {
    let number = match m.code() {
        Code::Number(n) => Some(n),
        Code::Signed(_) | Code::Text(_) => None,
    };
    let signed = match m.code() {
        Code::Signed(n) => n,
        _ => 0,
    };
    // Every row of the typed catalogues is one of their variants; the fallbacks only keep this total.
    let by_status = || rules::status_rule(m.http_status().unwrap_or(0), service, op);
    match m.catalogue() {
        Catalogue::HttpStatus => number
            .map(|n| rules::status_rule(u16::try_from(n).unwrap_or(0), service, op))
            .unwrap_or_else(by_status),
        Catalogue::ServiceError => number
            .map(|n| rules::code_rule(n, service, op))
            .unwrap_or_else(by_status),
        Catalogue::AuthSubError => find_variant(AuthSubError::ALL, AuthSubError::meaning, m)
            .map(|a| rules::auth_rule(a, service, op))
            .unwrap_or_else(by_status),
        Catalogue::IotCentralStatus => {
            find_variant(IotCentralStatus::ALL, IotCentralStatus::meaning, m)
                .map(rules::central_status_rule)
                .unwrap_or_else(by_status)
        }
        Catalogue::DpsRegistrationStatus => find_variant(
            DpsRegistrationStatus::ALL,
            DpsRegistrationStatus::meaning,
            m,
        )
        .map(rules::registration_rule)
        .unwrap_or_else(by_status),
        Catalogue::DpsRegistrationSubstatus => find_variant(
            DpsRegistrationSubstatus::ALL,
            DpsRegistrationSubstatus::meaning,
            m,
        )
        .map(rules::substatus_rule)
        .unwrap_or_else(by_status),
        Catalogue::MqttConnack => {
            rules::connack_rule(number.and_then(|n| u8::try_from(n).ok()).unwrap_or(u8::MAX))
        }
        Catalogue::DuResultCode => rules::du_result_rule(signed),
        Catalogue::DuDiagnosticsResult => rules::du_diagnostics_rule(signed),
        Catalogue::DuExtendedResultCode => number
            .map(|n| rules::du_erc_rule(crate::du::ExtendedResultCode::new(n)))
            .unwrap_or_else(|| rules::du_erc_rule(crate::du::ExtendedResultCode::new(0))),
        Catalogue::DuErcPattern
        | Catalogue::DuExtensionCode
        | Catalogue::PosixErrno
        | Catalogue::DoHresult => rules::du_erc_rule(crate::du::ExtendedResultCode::new(0)),
        Catalogue::IotCentralUnmodeledCause
        | Catalogue::IotCentralExport
        | Catalogue::DpsMetric
        | Catalogue::DpsLogCategory => rules::data_path_rule(m.catalogue()),
    }
}

fn resolve(
    outcome: Outcome,
    ctx: &Context<'_>,
) -> (Service, &'static rules::Rule, Option<&'static Meaning>) {
    let service = ctx.service.unwrap_or_else(|| default_service(outcome));
    let op = ctx.operation;
    let (rule, meaning) = resolve_outcome(outcome, service, op);
    if rule.action() == Action::None {
        return (service, rule, meaning);
    }
    let refined = match ctx.sub_code {
        Some(SubCode::ServiceError(c)) if (100_000..=599_999).contains(&c) => {
            Some((rules::code_rule(c, service, op), code_meaning(c, service)))
        }
        Some(SubCode::AuthSubError(a)) => {
            Some((rules::auth_rule(a, service, op), Some(a.meaning())))
        }
        _ => None,
    };
    match refined {
        Some((r, m)) => (service, r, m.or(meaning)),
        None => (service, rule, meaning),
    }
}

/// What became of the Retry-After value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RetryAfterUse {
    /// None was given.
    Absent,
    /// Used as the delay, unchanged.
    Honored {
        /// The wait it asked for.
        seconds: u64,
    },
    /// Used as the delay after raising or lowering it into [`Policy::retry_after_min`]..[`Policy::retry_after_max`].
    Clamped {
        /// The wait it asked for (0 for a date in the past).
        seconds: u64,
        /// The delay used.
        used_ms: u64,
    },
    /// Not used.
    Ignored(RetryAfterIgnored),
}

impl RetryAfterUse {
    /// `absent`, `honored`, `clamped`, `invalid`, `not-waiting` or `disabled`.
    pub const fn as_str(self) -> &'static str {
        match self {
            RetryAfterUse::Absent => "absent",
            RetryAfterUse::Honored { .. } => "honored",
            RetryAfterUse::Clamped { .. } => "clamped",
            RetryAfterUse::Ignored(RetryAfterIgnored::Invalid(_)) => "invalid",
            RetryAfterUse::Ignored(RetryAfterIgnored::NotWaiting) => "not-waiting",
            RetryAfterUse::Ignored(RetryAfterIgnored::Disabled) => "disabled",
        }
    }
}

/// Why a Retry-After was not used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RetryAfterIgnored {
    /// It could not be read.
    Invalid(RetryAfterError),
    /// The action does not wait (`fix-request`, `operator-action`, a spent budget...).
    NotWaiting,
    /// [`Policy::honor_retry_after`] is off.
    Disabled,
}

/// Which budget ended the retries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Budget {
    /// [`Policy::max_attempts`] attempts were made.
    Attempts {
        /// The budget.
        max: u32,
    },
    /// Waiting `wanted_ms` more would pass [`Policy::max_elapsed`].
    Elapsed {
        /// The budget.
        max_ms: u64,
        /// Time already spent.
        elapsed_ms: u64,
        /// The delay the action would have needed.
        wanted_ms: u64,
    },
}

/// The classifier's answer. See [`Policy::decide`].
///
/// Serializes (serde, no allocation) as `{"action", "delay_ms", "retry_after_honored", "reason", "rule",
/// "basis", "pace", "service", "attempt", "retry_after", "budget_spent"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    action: Action,
    delay_ms: Option<u64>,
    retry_after: RetryAfterUse,
    rule: &'static Rule,
    meaning: Option<&'static Meaning>,
    service: Service,
    attempt: u32,
    spent: Option<Budget>,
}

impl Decision {
    /// What to do next.
    pub const fn action(&self) -> Action {
        self.action
    }
    /// How long to wait before acting, for actions that wait and whose budget is not spent.
    pub const fn delay(&self) -> Option<Duration> {
        match self.delay_ms {
            Some(ms) => Some(Duration::from_millis(ms)),
            None => None,
        }
    }
    /// [`Decision::delay`] in milliseconds.
    pub const fn delay_ms(&self) -> Option<u64> {
        self.delay_ms
    }
    /// What became of the Retry-After value.
    pub const fn retry_after(&self) -> RetryAfterUse {
        self.retry_after
    }
    /// Whether a Retry-After value set the delay (as given or clamped into bounds).
    pub const fn retry_after_honored(&self) -> bool {
        matches!(
            self.retry_after,
            RetryAfterUse::Honored { .. } | RetryAfterUse::Clamped { .. }
        )
    }
    /// The rule of the decision table that applied (for a spent budget: the rule that wanted to wait).
    pub const fn rule(&self) -> &'static Rule {
        self.rule
    }
    /// The catalogue row the decision is about (the sub-code's, when a sub-code refined it), if the catalogue
    /// has one for the service.
    pub const fn meaning(&self) -> Option<&'static Meaning> {
        self.meaning
    }
    /// The service the decision was made for.
    pub const fn service(&self) -> Service {
        self.service
    }
    /// The attempt the outcome ended (at least 1).
    pub const fn attempt(&self) -> u32 {
        self.attempt
    }
    /// Which budget turned the action into `give-up` (or `contact-support`), if one did.
    pub const fn budget_spent(&self) -> Option<Budget> {
        self.spent
    }
    /// Why, in one line (implements `Display`).
    ///
    /// ```
    /// use azure_iot_codes::retry::{decide, Context, Outcome, SplitMix64};
    /// use azure_iot_codes::Service;
    /// let d = decide(Outcome::HttpStatus(429), &Context::new().service(Service::Dps).retry_after("later"), &mut SplitMix64::new(0));
    /// assert_eq!(
    ///     d.reason().to_string(),
    ///     "DPS is throttling: retry with exponential backoff and random jitter, following the retry-after; \
    ///      Retry-After ignored: neither seconds nor an HTTP-date"
    /// );
    /// ```
    pub const fn reason(&self) -> Reason<'_> {
        Reason(self)
    }
}

/// The one-line reason of a [`Decision`]; see [`Decision::reason`].
#[derive(Debug, Clone, Copy)]
pub struct Reason<'a>(&'a Decision);

/// A duration in milliseconds, written for people: `250 ms`, `7 s`, `1.5 s`.
struct Millis(u64);

impl fmt::Display for Millis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ms = self.0;
        if ms < 1000 {
            write!(f, "{ms} ms")
        } else if ms.is_multiple_of(1000) {
            write!(f, "{} s", ms / 1000)
        } else {
            let mut frac = ms % 1000;
            let mut width = 3;
            while frac.is_multiple_of(10) {
                frac /= 10;
                width -= 1;
            }
            write!(f, "{}.{frac:0width$} s", ms / 1000)
        }
    }
}

impl fmt::Display for Reason<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.0;
        match d.spent {
            Some(Budget::Attempts { max }) => {
                write!(
                    f,
                    "attempt {} used up the budget of {max} attempts",
                    d.attempt
                )?;
            }
            Some(Budget::Elapsed {
                max_ms,
                elapsed_ms,
                wanted_ms,
            }) => {
                write!(
                    f,
                    "waiting {} after {} would pass the time budget of {}",
                    Millis(wanted_ms),
                    Millis(elapsed_ms),
                    Millis(max_ms)
                )?;
            }
            None => {}
        }
        if d.spent.is_some() {
            return write!(f, "; it was {}: {}", d.rule.action(), d.rule.reason());
        }
        f.write_str(d.rule.reason())?;
        match d.retry_after {
            RetryAfterUse::Absent => Ok(()),
            RetryAfterUse::Honored { seconds } => {
                write!(
                    f,
                    "; waiting the Retry-After of {}",
                    Millis(seconds.saturating_mul(1000))
                )
            }
            RetryAfterUse::Clamped { seconds, used_ms } => write!(
                f,
                "; Retry-After of {} brought into bounds: {}",
                Millis(seconds.saturating_mul(1000)),
                Millis(used_ms)
            ),
            RetryAfterUse::Ignored(RetryAfterIgnored::Invalid(e)) => {
                write!(f, "; Retry-After ignored: {e}")
            }
            RetryAfterUse::Ignored(RetryAfterIgnored::NotWaiting) => {
                f.write_str("; Retry-After ignored: this action does not wait")
            }
            RetryAfterUse::Ignored(RetryAfterIgnored::Disabled) => {
                f.write_str("; Retry-After ignored: the policy does not honour it")
            }
        }
    }
}

impl Serialize for Decision {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Decision", 11)?;
        st.serialize_field("action", &self.action)?;
        st.serialize_field("delay_ms", &self.delay_ms)?;
        st.serialize_field("retry_after_honored", &self.retry_after_honored())?;
        st.serialize_field("reason", &DisplayStr(self.reason()))?;
        st.serialize_field("rule", self.rule.id())?;
        st.serialize_field("basis", self.rule.basis())?;
        st.serialize_field("pace", &self.rule.pace().map(Pace::as_str))?;
        st.serialize_field("service", &self.service)?;
        st.serialize_field("attempt", &self.attempt)?;
        st.serialize_field("retry_after", self.retry_after.as_str())?;
        st.serialize_field(
            "budget_spent",
            &self.spent.map(|b| match b {
                Budget::Attempts { .. } => "attempts",
                Budget::Elapsed { .. } => "elapsed",
            }),
        )?;
        st.end()
    }
}

/// Serializes a `Display` value as a string without allocating.
struct DisplayStr<T>(T);

impl<T: fmt::Display> Serialize for DisplayStr<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

/// The decisions of a retry loop that keeps failing the same way; see [`Policy::schedule`].
#[derive(Debug)]
pub struct Schedule<'p, 'a, R: ?Sized> {
    policy: &'p Policy,
    outcome: Outcome,
    ctx: Context<'a>,
    rng: &'p mut R,
    done: bool,
}

impl<R: RandomSource + ?Sized> Iterator for Schedule<'_, '_, R> {
    type Item = Decision;

    fn next(&mut self) -> Option<Decision> {
        if self.done {
            return None;
        }
        let d = self.policy.decide(self.outcome, &self.ctx, self.rng);
        match d.delay() {
            Some(delay) => {
                self.ctx.attempt = d.attempt().saturating_add(1);
                self.ctx.elapsed = self.ctx.elapsed.saturating_add(delay);
                self.ctx.retry_after = None;
            }
            None => self.done = true,
        }
        Some(d)
    }
}
