//! The decision table: which action each status, sub-code and state calls for, per service and operation, and
//! why. Every rule cites what it follows; `docs/retry.md` shows the table side by side with the SDKs.

use core::fmt;

use serde::{Serialize, Serializer};

use crate::catalogue::{
    AuthSubError, DpsRegistrationStatus, DpsRegistrationSubstatus, IotCentralStatus, Service,
};

/// What to do next. The identifiers ([`Action::as_str`]) are stable: they appear in JSON output, on the command
/// line and in the C and WASM bindings.
///
/// ```
/// use azure_iot_codes::retry::Action;
/// assert_eq!(Action::ReRegister.as_str(), "re-register");
/// assert_eq!("status-lookup".parse::<Action>(), Ok(Action::StatusLookup));
/// assert!(Action::Retry.waits());
/// assert!(!Action::FixRequest.waits());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Action {
    /// Success, or nothing to do.
    None,
    /// Send the same request again after the delay.
    Retry,
    /// Run a full DPS registration again (register, poll, connect to the hub it assigns), after the delay.
    ReRegister,
    /// DPS 5xx: after the delay, retry with the cached credentials and hub assignment, or call the Device
    /// Registration Status Lookup API, instead of registering from scratch.
    StatusLookup,
    /// The token or certificate is expired or invalid: renew it, then retry after the delay.
    RenewCredentials,
    /// The request itself is wrong (400, 405, 409, 412, 415 and the like): resending it unchanged cannot help.
    FixRequest,
    /// A person must act first: the device is blocked, unapproved or disabled, a quota or permission is missing.
    OperatorAction,
    /// The service's own guidance is to open an Azure support ticket.
    ContactSupport,
    /// The attempt or elapsed-time budget is spent: stop retrying.
    GiveUp,
}

impl Action {
    /// Every action, in declaration order.
    pub const ALL: [Action; 9] = [
        Action::None,
        Action::Retry,
        Action::ReRegister,
        Action::StatusLookup,
        Action::RenewCredentials,
        Action::FixRequest,
        Action::OperatorAction,
        Action::ContactSupport,
        Action::GiveUp,
    ];

    /// The stable identifier: `none`, `retry`, `re-register`, `status-lookup`, `renew-credentials`,
    /// `fix-request`, `operator-action`, `contact-support` or `give-up`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Action::None => "none",
            Action::Retry => "retry",
            Action::ReRegister => "re-register",
            Action::StatusLookup => "status-lookup",
            Action::RenewCredentials => "renew-credentials",
            Action::FixRequest => "fix-request",
            Action::OperatorAction => "operator-action",
            Action::ContactSupport => "contact-support",
            Action::GiveUp => "give-up",
        }
    }

    /// Whether the action ends in sending again, after a delay (`retry`, `re-register`, `status-lookup`,
    /// `renew-credentials`). Only these carry a delay and count against the budgets.
    pub const fn waits(self) -> bool {
        matches!(
            self,
            Action::Retry | Action::ReRegister | Action::StatusLookup | Action::RenewCredentials
        )
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl core::str::FromStr for Action {
    type Err = crate::Error;
    /// The stable identifier, exactly.
    fn from_str(s: &str) -> Result<Action, crate::Error> {
        Action::ALL
            .into_iter()
            .find(|a| a.as_str() == s)
            .ok_or_else(|| {
                crate::Error::new(
                    crate::ErrorKind::NotFound,
                    s,
                    "an action: none, retry, re-register, status-lookup, renew-credentials, fix-request, \
                     operator-action, contact-support or give-up",
                )
            })
    }
}

impl Serialize for Action {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Which backoff profile of the [`Policy`](crate::retry::Policy) paces a waiting action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Pace {
    /// [`Policy::normal`](crate::retry::Policy::normal): transient failures.
    Normal,
    /// [`Policy::throttled`](crate::retry::Policy::throttled): 429.
    Throttled,
    /// [`Policy::poll`](crate::retry::Policy::poll): a DPS registration still being assigned.
    Poll,
}

impl Pace {
    /// `normal`, `throttled` or `poll`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Pace::Normal => "normal",
            Pace::Throttled => "throttled",
            Pace::Poll => "poll",
        }
    }
}

/// Whether the call was a device's own (DPS registration, IoT Hub connection and messaging) or a back end's call
/// to a service REST API (DPS enrollments, IoT Hub registry and jobs, IoT Central and Device Update REST APIs).
///
/// The seeds' device guidance (re-register on DPS 401/403/404, status lookup on DPS 5xx) only makes sense for a
/// device; a back end that gets 404 for an enrollment should fix the ID it asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Operation {
    /// A device's own call (the default).
    #[default]
    Device,
    /// A back end calling a service's REST API.
    ServiceApi,
}

impl Operation {
    /// `device` or `service-api`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Operation::Device => "device",
            Operation::ServiceApi => "service-api",
        }
    }
}

impl core::str::FromStr for Operation {
    type Err = crate::Error;
    /// `device` or `service-api`.
    fn from_str(s: &str) -> Result<Operation, crate::Error> {
        match s {
            "device" => Ok(Operation::Device),
            "service-api" => Ok(Operation::ServiceApi),
            _ => Err(crate::Error::new(
                crate::ErrorKind::NotFound,
                s,
                "an operation: device or service-api",
            )),
        }
    }
}

/// One row of the decision table: the action, how it is paced, what it becomes when the budget is spent, why,
/// and what it follows.
///
/// ```
/// use azure_iot_codes::retry::{Action, Pace, Rule};
/// let r = Rule::find("dps-429").unwrap();
/// assert_eq!(r.action(), Action::Retry);
/// assert_eq!(r.pace(), Some(Pace::Throttled));
/// assert!(r.basis().contains("Suggested actions"));
/// ```
#[derive(Debug, PartialEq, Eq)]
pub struct Rule {
    id: &'static str,
    action: Action,
    pace: Option<Pace>,
    when_spent: Action,
    reason: &'static str,
    basis: &'static str,
}

impl Rule {
    /// A stable identifier such as `dps-429` or `hub-404104`.
    pub const fn id(&self) -> &'static str {
        self.id
    }
    /// The action.
    pub const fn action(&self) -> Action {
        self.action
    }
    /// The backoff profile, for actions that wait; `None` otherwise.
    pub const fn pace(&self) -> Option<Pace> {
        self.pace
    }
    /// What the action becomes once the attempt or elapsed-time budget is spent: `give-up`, or `contact-support`
    /// where the service says to open a ticket when retrying does not help.
    pub const fn when_spent(&self) -> Action {
        self.when_spent
    }
    /// Why, in one line.
    pub const fn reason(&self) -> &'static str {
        self.reason
    }
    /// The guidance the rule follows (seed page and section, SDK or RFC).
    pub const fn basis(&self) -> &'static str {
        self.basis
    }

    /// Every rule of the table.
    pub fn all() -> &'static [&'static Rule] {
        ALL_RULES
    }

    /// The rule with this identifier.
    pub fn find(id: &str) -> Option<&'static Rule> {
        ALL_RULES.iter().copied().find(|r| r.id == id)
    }
}

const fn wait(
    id: &'static str,
    action: Action,
    pace: Pace,
    reason: &'static str,
    basis: &'static str,
) -> Rule {
    Rule {
        id,
        action,
        pace: Some(pace),
        when_spent: Action::GiveUp,
        reason,
        basis,
    }
}

const fn stop(id: &'static str, action: Action, reason: &'static str, basis: &'static str) -> Rule {
    Rule {
        id,
        action,
        pace: None,
        when_spent: Action::GiveUp,
        reason,
        basis,
    }
}

// Bases, cited by many rules.
const DPS_SUGGESTED: &str = "DPS troubleshooting (newer revision), Suggested actions";
const DPS_TABLE: &str = "DPS troubleshooting (both revisions), Common error codes";
const CENTRAL_TABLE: &str = "IoT Central troubleshooting, Error codes (Possible mitigation)";
const CENTRAL_AUTH: &str = "IoT Central troubleshooting, Detailed authorization error codes";
const CENTRAL_STATUS: &str =
    "IoT Central troubleshooting, Device provisioning status (Possible mitigation)";
const HUB_ERRORS: &str = "IoT Hub error codes (articles/iot-hub/troubleshoot-error-codes.md)";
const RECONNECT: &str = "Manage device reconnections (articles/iot/concepts-manage-device-reconnections.md): \
                         401, 403, 404 -> reprovision; 5xx -> exponential backoff with jitter";
const RFC_4XX: &str = "RFC 9110 §15.5: 4xx means the client erred";
const REST: &str = "Azure REST guidance as Microsoft.Extensions.Http.Resilience applies it: retry >= 500, 408, 429";

use Action::{
    ContactSupport, FixRequest, OperatorAction, ReRegister, RenewCredentials, Retry, StatusLookup,
};
use Pace::{Normal, Poll, Throttled};

// --- outside the status classes the services use ---
static NOT_HTTP: Rule = stop(
    "not-http-status",
    FixRequest,
    "not an HTTP status (100-599): check how the status was read from the response",
    "RFC 9110 §15: status codes are three digits, 100-599",
);
static UNEXPECTED: Rule = stop(
    "unexpected-1xx-3xx",
    FixRequest,
    "IoT Hub, DPS, IoT Central and Device Update never answer with 1xx or 3xx: check the host and any proxy",
    "RFC 9110 §15.2, §15.4; none of the services documents a 1xx or 3xx answer",
);
static SUCCESS: Rule = stop(
    "success",
    Action::None,
    "the request succeeded; nothing to do",
    "RFC 9110 §15.3",
);
static DPS_OK: Rule = stop(
    "dps-2xx",
    Action::None,
    "DPS accepted the request; the registration status in the body (assigned, failed, disabled) decides what next",
    "articles/iot-dps/iot-dps-mqtt-support.md: 200 is the final answer, its body carries the status",
);
static DPS_ASSIGNING: Rule = wait(
    "dps-assigning",
    Retry,
    Poll,
    "DPS is still assigning the device: poll the operation status again after the retry-after",
    "articles/iot-dps/iot-dps-mqtt-support.md: 202 + retry-after, poll iotdps-get-operationstatus",
);

// --- IoT Hub, device calls ---
static HUB_400: Rule = stop(
    "hub-400",
    FixRequest,
    "IoT Hub rejected the request as malformed; the 400xxx errorCode names what to fix",
    HUB_ERRORS,
);
static HUB_401: Rule = wait(
    "hub-401",
    RenewCredentials,
    Normal,
    "IoT Hub refused the credentials (most often an expired SAS token): renew the token or certificate, then reconnect",
    "IoT Hub error codes: 401003 IotHubUnauthorized is the SAS-expiry disconnect that SDKs answer by renewing",
);
static HUB_403: Rule = stop(
    "hub-403",
    OperatorAction,
    "IoT Hub forbids it because of a quota, a limit or a disabled device; someone must raise the limit or enable the device",
    "IoT Hub error codes: 403002 quota, 403004 queue depth, 403012 device disabled",
);
static HUB_404: Rule = wait(
    "hub-404",
    ReRegister,
    Normal,
    "IoT Hub does not know the device (e.g. 404001 DeviceNotFound, moved or deleted): reprovision through DPS",
    RECONNECT,
);
static HUB_405: Rule = stop(
    "hub-405",
    FixRequest,
    "IoT Hub does not allow this method or operation in the current state; change the request",
    HUB_ERRORS,
);
static HUB_409: Rule = stop(
    "hub-409",
    FixRequest,
    "the request conflicts with IoT Hub's state (409001 exists, 409002 a second connection with the same identity)",
    HUB_ERRORS,
);
static HUB_412: Rule = stop(
    "hub-412",
    FixRequest,
    "a precondition failed (ETag mismatch, message lock lost): re-read the resource before sending again",
    HUB_ERRORS,
);
static HUB_413: Rule = stop(
    "hub-413",
    FixRequest,
    "the request is larger than an IoT Hub limit: shrink the message or split the batch",
    HUB_ERRORS,
);
static HUB_415: Rule = stop(
    "hub-415",
    FixRequest,
    "IoT Hub does not accept the content type or encoding; correct it",
    HUB_ERRORS,
);
static HUB_4XX: Rule = stop(
    "hub-4xx",
    FixRequest,
    "IoT Hub rejected the request as wrong; resending it unchanged cannot help",
    RFC_4XX,
);
static HUB_429: Rule = wait(
    "hub-429",
    Retry,
    Throttled,
    "IoT Hub is throttling: retry with the throttled backoff and lower the request rate",
    "IoT Hub error codes: 429001-429005; Node and C# SDK throttled backoff 10-60 s",
);
static HUB_499: Rule = wait(
    "hub-499",
    Retry,
    Normal,
    "the client closed the request before IoT Hub answered: try again, with a long enough client timeout",
    HUB_ERRORS,
);
static HUB_501: Rule = stop(
    "hub-501",
    FixRequest,
    "IoT Hub does not implement what the request asks for; retrying cannot make it exist",
    "RFC 9110 §15.6.2; AIP-194: UNIMPLEMENTED is not retryable",
);
static HUB_5XX: Rule = wait(
    "hub-5xx",
    Retry,
    Normal,
    "IoT Hub had a transient server-side failure: retry with exponential backoff and jitter",
    RECONNECT,
);
static HUB_400024: Rule = wait(
    "hub-400024",
    Retry,
    Normal,
    "400024 RequestTimedOut: the request timed out inside IoT Hub; try again",
    HUB_ERRORS,
);
static HUB_401001: Rule = wait(
    "hub-401001",
    ReRegister,
    Normal,
    "401001 IotHubNotFound: the hub the device uses does not exist (any more); ask DPS for its hub again",
    HUB_ERRORS,
);
static HUB_403006: Rule = stop(
    "hub-403006",
    FixRequest,
    "403006: ten file uploads are already open; notify IoT Hub when each upload completes before starting another",
    "IoT Central troubleshooting, File upload error codes; IoT Hub error codes",
);
static HUB_404012: Rule = wait(
    "hub-404012",
    Retry,
    Normal,
    "404012 IotHubFailingOver: the hub is failing over; retry once it is back",
    HUB_ERRORS,
);
static HUB_404103: Rule = wait(
    "hub-404103",
    Retry,
    Normal,
    "404103 DeviceNotOnline: the device is not connected (or has no method handler); try again later",
    HUB_ERRORS,
);
static HUB_404104: Rule = wait(
    "hub-404104",
    Retry,
    Normal,
    "404104 DeviceConnectionClosedRemotely: the connection dropped (often a SAS renewal); reconnect",
    HUB_ERRORS,
);
static HUB_503004: Rule = stop(
    "hub-503004",
    OperatorAction,
    "503004 IotHubActivationFailed: the hub itself is not active; check its status in the Azure portal",
    HUB_ERRORS,
);

// --- DPS, device calls ---
static DPS_400: Rule = stop(
    "dps-400",
    FixRequest,
    "DPS could not parse or validate the request body; correct it (or let a device SDK build it)",
    DPS_TABLE,
);
static DPS_401: Rule = wait(
    "dps-401",
    ReRegister,
    Normal,
    "DPS could not validate the token (expired, wrong key or URI): perform a full re-registration",
    DPS_SUGGESTED,
);
static DPS_403: Rule = wait(
    "dps-403",
    ReRegister,
    Normal,
    "DPS refuses the request: perform a full re-registration",
    DPS_SUGGESTED,
);
static DPS_404: Rule = wait(
    "dps-404",
    ReRegister,
    Normal,
    "the DPS instance, enrollment or registration does not exist: perform a full re-registration",
    DPS_SUGGESTED,
);
static DPS_405: Rule = stop(
    "dps-405",
    FixRequest,
    "DPS does not allow this method on this path (e.g. the registration ID is missing); fix the request",
    DPS_TABLE,
);
static DPS_409: Rule = stop(
    "dps-409",
    FixRequest,
    "the request conflicts with DPS's state (it already exists); update instead of recreating",
    DPS_TABLE,
);
static DPS_412: Rule = stop(
    "dps-412",
    FixRequest,
    "the ETag does not match the resource's; read it again for the current ETag",
    DPS_TABLE,
);
static DPS_413: Rule = stop(
    "dps-413",
    FixRequest,
    "the request is larger than DPS accepts; shrink the payload",
    RFC_4XX,
);
static DPS_415: Rule = stop(
    "dps-415",
    FixRequest,
    "DPS does not accept the payload format; send JSON with the matching Content-Type",
    DPS_TABLE,
);
static DPS_4XX: Rule = stop(
    "dps-4xx",
    FixRequest,
    "DPS rejected the request as wrong; resending it unchanged cannot help",
    RFC_4XX,
);
static DPS_429: Rule = wait(
    "dps-429",
    Retry,
    Throttled,
    "DPS is throttling: retry with exponential backoff and random jitter, following the retry-after",
    DPS_SUGGESTED,
);
static DPS_5XX: Rule = wait(
    "dps-5xx",
    StatusLookup,
    Normal,
    "DPS had a server error: retry with the cached credentials and hub, or call the registration status lookup",
    DPS_SUGGESTED,
);
static DPS_400207: Rule = stop(
    "dps-400207",
    OperatorAction,
    "400207 CustomAllocationFailed: the custom allocation webhook failed; its owner must fix it",
    "articles/iot-dps/how-to-use-custom-allocation-policies.md",
);
static DPS_400208: Rule = stop(
    "dps-400208",
    OperatorAction,
    "400208: the custom allocation webhook returned no IoT hub; its owner must fix it",
    "articles/iot-dps/how-to-use-custom-allocation-policies.md; C SDK PROV_DEVICE_RESULT_HUB_NOT_SPECIFIED",
);
static DPS_400209: Rule = stop(
    "dps-400209",
    OperatorAction,
    "400209: the device waits for an operator's approval or was blocked; approve or unblock it, then register",
    CENTRAL_AUTH,
);
static DPS_401002: Rule = wait(
    "dps-401002",
    RenewCredentials,
    Normal,
    "401002: the device's credentials are invalid or expired; renew the SAS token or certificate, then register",
    CENTRAL_AUTH,
);
static DPS_409203: Rule = wait(
    "dps-409203",
    Retry,
    Normal,
    "409203: another registration of the same ID was running; retry after a random delay",
    "Azure/azure-iot-sdk-c provisioning e2e tests (409203 on concurrent registrations)",
);

// --- IoT Central (device auth flow, which runs through DPS) ---
static CENTRAL_400: Rule = stop(
    "central-400",
    FixRequest,
    "the attestation request body is not valid; send the right body, or use a device SDK",
    CENTRAL_TABLE,
);
static CENTRAL_401: Rule = wait(
    "central-401",
    RenewCredentials,
    Normal,
    "the token could not be validated: make sure the device has the correct credentials, then retry",
    CENTRAL_TABLE,
);
static CENTRAL_404: Rule = stop(
    "central-404",
    ContactSupport,
    "the DPS instance or enrollment behind the application does not exist; IoT Central says to file a support ticket",
    CENTRAL_TABLE,
);
static CENTRAL_412: Rule = stop(
    "central-412",
    ContactSupport,
    "the ETag does not match; IoT Central says to file a support ticket",
    CENTRAL_TABLE,
);
static CENTRAL_429: Rule = wait(
    "central-429",
    Retry,
    Throttled,
    "the service is throttling: retry with the throttled backoff, and send less often or spread the work over more devices",
    CENTRAL_TABLE,
);
static CENTRAL_5XX: Rule = Rule {
    id: "central-5xx",
    action: StatusLookup,
    pace: Some(Normal),
    when_spent: ContactSupport,
    reason: "internal error in the provisioning behind IoT Central: retry with the cached credentials or a status \
             lookup, and file a support ticket if it persists",
    basis: "IoT Central troubleshooting, Error codes (500: file a ticket); DPS troubleshooting, Suggested actions",
};
static CENTRAL_403006: Rule = stop(
    "central-403006",
    FixRequest,
    "403006: ten file uploads are open; notify completion promptly, or shorten the request timeout",
    "IoT Central troubleshooting, File upload error codes",
);

// --- sub-errors (IoT Central's detailed authorization table) ---
static AUTH_EXPIRED: Rule = wait(
    "auth-iothubunauthorized",
    RenewCredentials,
    Normal,
    "IoTHubUnauthorized without a sub-error: the security token expired; renew it and reconnect",
    CENTRAL_AUTH,
);
static AUTH_DISABLED: Rule = wait(
    "auth-device-disabled",
    ReRegister,
    Normal,
    "DEVICE_DISABLED: the device is disabled in this hub and moved to another; reprovision it",
    CENTRAL_AUTH,
);
static AUTH_BLOCKED: Rule = stop(
    "auth-device-blocked",
    OperatorAction,
    "DEVICE_BLOCKED: an operator blocked the device; it must be unblocked in IoT Central",
    CENTRAL_AUTH,
);

// --- REST APIs (back ends; Device Update) ---
static REST_401: Rule = wait(
    "rest-401",
    RenewCredentials,
    Normal,
    "the caller's token (SAS or Microsoft Entra) is invalid or expired: get a new one, then retry",
    RFC_4XX,
);
static REST_403: Rule = stop(
    "rest-403",
    OperatorAction,
    "the caller lacks the permission (shared access policy or RBAC role) for this operation; grant it",
    RFC_4XX,
);
static REST_404: Rule = stop(
    "rest-404",
    FixRequest,
    "the resource asked for does not exist; check its ID",
    RFC_4XX,
);
static REST_412: Rule = stop(
    "rest-412",
    FixRequest,
    "the ETag does not match; read the resource again and reapply the change",
    RFC_4XX,
);
static REST_4XX: Rule = stop(
    "rest-4xx",
    FixRequest,
    "the service rejected the request as wrong; resending it unchanged cannot help",
    RFC_4XX,
);
static REST_429: Rule = wait(
    "rest-429",
    Retry,
    Throttled,
    "the service is throttling: retry with the throttled backoff, honouring Retry-After",
    REST,
);
static REST_501: Rule = stop(
    "rest-501",
    FixRequest,
    "the service does not implement this; retrying cannot make it exist",
    "RFC 9110 §15.6.2; AIP-194: UNIMPLEMENTED is not retryable",
);
static REST_5XX: Rule = wait(
    "rest-5xx",
    Retry,
    Normal,
    "transient server-side failure: retry with exponential backoff and jitter",
    REST,
);

// --- any service ---
static TIMEOUT: Rule = wait(
    "timeout-408",
    Retry,
    Normal,
    "the request timed out, not because of its content: send it again",
    "RFC 9110 §15.5.9; retried by Embedded C's HTTP policy, C#, Polly and Microsoft.Extensions.Http.Resilience",
);

// --- MQTT CONNACK ---
static CONNACK_ACCEPTED: Rule = stop(
    "connack-0",
    Action::None,
    "the connection was accepted",
    "MQTT 3.1.1 §3.2.2.3",
);
static CONNACK_PROTOCOL: Rule = stop(
    "connack-1",
    FixRequest,
    "the server does not speak the requested MQTT version: configure MQTT 3.1.1",
    "MQTT 3.1.1 §3.2.2.3; non-retryable in every SDK",
);
static CONNACK_ID: Rule = stop(
    "connack-2",
    FixRequest,
    "the client identifier was rejected: use the device ID (IoT Hub) or registration ID (DPS)",
    "MQTT 3.1.1 §3.2.2.3; non-retryable in every SDK",
);
static CONNACK_UNAVAILABLE: Rule = wait(
    "connack-3",
    Retry,
    Normal,
    "the MQTT service is unavailable for now: reconnect with exponential backoff and jitter",
    "MQTT 3.1.1 §3.2.2.3; C#, Java and Node treat it as transient",
);
static CONNACK_CREDENTIALS: Rule = wait(
    "connack-4-5",
    RenewCredentials,
    Normal,
    "the user name, SAS token or certificate was refused: regenerate the credentials, check the clock, then reconnect",
    "MQTT 3.1.1 §3.2.2.3; IoT Hub returns 5 for any CONNECT failure",
);

// --- DPS registration statuses ---
static REG_ASSIGNED: Rule = stop(
    "registration-assigned",
    Action::None,
    "the device is assigned: connect to assignedHub as deviceId",
    "DPS REST spec, EnrollmentStatus",
);
static REG_FAILED: Rule = stop(
    "registration-failed",
    OperatorAction,
    "the registration failed: errorCode and errorMessage name the cause to fix (enrollment, attestation, webhook)",
    "DPS REST spec, DeviceRegistrationResult.errorCode",
);
static REG_DISABLED: Rule = stop(
    "registration-disabled",
    OperatorAction,
    "the enrollment or registration is disabled in DPS; re-enable it before registering again",
    "DPS REST spec, EnrollmentStatus",
);
static REG_BLACKLISTED: Rule = stop(
    "registration-blacklisted",
    OperatorAction,
    "the C SDK's blacklisted status: the device is not allowed; check its enrollment in DPS",
    "Azure/azure-iot-sdk-c prov_device_ll_client.c",
);
static REG_SUBSTATUS: Rule = stop(
    "registration-substatus",
    Action::None,
    "a substatus of an assigned registration: connect to the assigned hub",
    "DPS REST spec, AssignedDeviceSubstatus",
);

// --- IoT Central device statuses ---
static CENTRAL_PROVISIONED: Rule = stop(
    "central-provisioned",
    Action::None,
    "the device is provisioned; nothing to fix",
    CENTRAL_STATUS,
);
static CENTRAL_REGISTERED: Rule = stop(
    "central-registered",
    OperatorAction,
    "the device has never connected: check its logs for connectivity or provisioning errors",
    CENTRAL_STATUS,
);
static CENTRAL_BLOCKED: Rule = stop(
    "central-blocked",
    OperatorAction,
    "the device is blocked: unblock it in IoT Central, then let it retry",
    CENTRAL_STATUS,
);
static CENTRAL_UNAPPROVED: Rule = stop(
    "central-unapproved",
    OperatorAction,
    "the device is not approved: approve it in IoT Central, then let it retry",
    CENTRAL_STATUS,
);
static CENTRAL_UNASSIGNED: Rule = stop(
    "central-unassigned",
    OperatorAction,
    "the device has no device template: assign one so IoT Central can read its data",
    CENTRAL_STATUS,
);

// --- Device Update (resultCode, extendedResultCode, diagnostics) ---
const DU_RESULT: &str = "Device Update agent adu_core.h: IsAducResultCodeSuccess is resultCode > 0";
const DU_ERC_BASIS: &str = "Device Update agent result.h: the extendedResultCode names the failing component; fix, then redeploy";
const DU_DIAG: &str =
    "Device Update diagnostics_result.h and device-update-diagnostics.md (log collection)";
static DU_SUCCESS: Rule = stop(
    "du-success",
    Action::None,
    "the agent reports success or progress (resultCode > 0); nothing to do",
    DU_RESULT,
);
static DU_CANCELLED: Rule = stop(
    "du-cancelled",
    Action::None,
    "the deployment was cancelled; redeploy if the cancel was not intended",
    DU_RESULT,
);
static DU_FAILURE: Rule = stop(
    "du-failure",
    OperatorAction,
    "the update failed on the device: read its extendedResultCode and the agent log, fix, then redeploy",
    DU_RESULT,
);
static DU_ERC: Rule = stop(
    "du-erc",
    OperatorAction,
    "the extendedResultCode names what failed on the device: act on its mitigation, then redeploy the update",
    DU_ERC_BASIS,
);
static DU_DOWNLOAD_TRANSIENT: Rule = wait(
    "du-download-transient",
    Retry,
    Normal,
    "the download server answered 429 or 5xx through Delivery Optimization: redeploy after a backoff",
    "Delivery Optimization HTTP_E_STATUS_* codes carry the server's HTTP status; 429 and 5xx are transient (RFC 9110)",
);
static DU_DIAG_OK: Rule = stop(
    "du-diagnostics-success",
    Action::None,
    "the logs were uploaded; nothing to do",
    DU_DIAG,
);
static DU_DIAG_FAILED: Rule = stop(
    "du-diagnostics-failed",
    OperatorAction,
    "the log upload failed: fix what the result names (storage link, SAS, operation id), then start a new log operation",
    DU_DIAG,
);

// --- IoT Central data path and DPS monitoring knowledge ---
const CENTRAL_DATA: &str =
    "IoT Central troubleshooting, Unmodeled data issues and Data export sections";
static CENTRAL_UNMODELED: Rule = stop(
    "central-unmodeled-data",
    FixRequest,
    "the device sends data the template cannot read: fix the firmware (names, casing, types, JSON) or the template; resending as-is cannot help",
    CENTRAL_DATA,
);
static CENTRAL_EXPORT: Rule = stop(
    "central-export",
    OperatorAction,
    "data export needs an operator: grant the role, enable the managed identity, open the network path, or backfill through the REST query API",
    CENTRAL_DATA,
);
static DPS_MONITORING: Rule = stop(
    "dps-monitoring",
    Action::None,
    "a DPS metric or log category: where to look, not a failure",
    "DPS troubleshooting (both revisions), metrics and diagnostic logs",
);

/// The rule for the IoT Central data-path and DPS monitoring catalogues.
pub(crate) fn data_path_rule(catalogue: crate::Catalogue) -> &'static Rule {
    match catalogue {
        crate::Catalogue::IotCentralUnmodeledCause => &CENTRAL_UNMODELED,
        crate::Catalogue::IotCentralExport => &CENTRAL_EXPORT,
        _ => &DPS_MONITORING,
    }
}

/// The rule for a Device Update `resultCode`.
pub(crate) fn du_result_rule(rc: i32) -> &'static Rule {
    match rc {
        1.. => &DU_SUCCESS,
        -1 => &DU_CANCELLED,
        _ => &DU_FAILURE,
    }
}

/// The rule for a Device Update diagnostics (log collection) result code.
pub(crate) fn du_diagnostics_rule(rc: i32) -> &'static Rule {
    if rc == 200 {
        &DU_DIAG_OK
    } else {
        &DU_DIAG_FAILED
    }
}

/// The rule for a Device Update extended result code: a transient download status (429, 5xx carried by a
/// Delivery Optimization HTTP code) is retried; anything else needs a person to act on the code.
pub(crate) fn du_erc_rule(code: crate::du::ExtendedResultCode) -> &'static Rule {
    let reading = crate::du::ErcReading::new(
        code,
        crate::du::DuLayout::Current,
        crate::du::AgentVersions::EMPTY,
    );
    match reading
        .delivery_optimization()
        .and_then(|d| d.http_status())
    {
        Some(429 | 500..=599) => &DU_DOWNLOAD_TRANSIENT,
        _ => &DU_ERC,
    }
}

static ALL_RULES: &[&Rule] = &[
    &CENTRAL_UNMODELED,
    &CENTRAL_EXPORT,
    &DPS_MONITORING,
    &DU_SUCCESS,
    &DU_CANCELLED,
    &DU_FAILURE,
    &DU_ERC,
    &DU_DOWNLOAD_TRANSIENT,
    &DU_DIAG_OK,
    &DU_DIAG_FAILED,
    &NOT_HTTP,
    &UNEXPECTED,
    &SUCCESS,
    &DPS_OK,
    &DPS_ASSIGNING,
    &HUB_400,
    &HUB_401,
    &HUB_403,
    &HUB_404,
    &HUB_405,
    &HUB_409,
    &HUB_412,
    &HUB_413,
    &HUB_415,
    &HUB_4XX,
    &HUB_429,
    &HUB_499,
    &HUB_501,
    &HUB_5XX,
    &HUB_400024,
    &HUB_401001,
    &HUB_403006,
    &HUB_404012,
    &HUB_404103,
    &HUB_404104,
    &HUB_503004,
    &DPS_400,
    &DPS_401,
    &DPS_403,
    &DPS_404,
    &DPS_405,
    &DPS_409,
    &DPS_412,
    &DPS_413,
    &DPS_415,
    &DPS_4XX,
    &DPS_429,
    &DPS_5XX,
    &DPS_400207,
    &DPS_400208,
    &DPS_400209,
    &DPS_401002,
    &DPS_409203,
    &CENTRAL_400,
    &CENTRAL_401,
    &CENTRAL_404,
    &CENTRAL_412,
    &CENTRAL_429,
    &CENTRAL_5XX,
    &CENTRAL_403006,
    &AUTH_EXPIRED,
    &AUTH_DISABLED,
    &AUTH_BLOCKED,
    &REST_401,
    &REST_403,
    &REST_404,
    &REST_412,
    &REST_4XX,
    &REST_429,
    &REST_501,
    &REST_5XX,
    &TIMEOUT,
    &CONNACK_ACCEPTED,
    &CONNACK_PROTOCOL,
    &CONNACK_ID,
    &CONNACK_UNAVAILABLE,
    &CONNACK_CREDENTIALS,
    &CONNACK_UNDEFINED,
    &REG_ASSIGNED,
    &REG_FAILED,
    &REG_DISABLED,
    &REG_BLACKLISTED,
    &REG_SUBSTATUS,
    &CENTRAL_PROVISIONED,
    &CENTRAL_REGISTERED,
    &CENTRAL_BLOCKED,
    &CENTRAL_UNAPPROVED,
    &CENTRAL_UNASSIGNED,
];

/// The rule for an HTTP (or MQTT topic) status.
pub(crate) fn status_rule(status: u16, service: Service, op: Operation) -> &'static Rule {
    match status {
        100..=199 | 300..=399 => &UNEXPECTED,
        202 if service == Service::Dps && op == Operation::Device => &DPS_ASSIGNING,
        200..=299 if service == Service::Dps && op == Operation::Device => &DPS_OK,
        200..=299 => &SUCCESS,
        408 => &TIMEOUT,
        400..=599 => match (service, op) {
            (Service::DeviceUpdate, _) | (_, Operation::ServiceApi) => rest_rule(status),
            (Service::IotHub, Operation::Device) => hub_rule(status),
            (Service::Dps, Operation::Device) => dps_rule(status),
            (Service::IotCentral, Operation::Device) => central_rule(status),
        },
        _ => &NOT_HTTP,
    }
}

fn hub_rule(status: u16) -> &'static Rule {
    match status {
        400 => &HUB_400,
        401 => &HUB_401,
        403 => &HUB_403,
        404 => &HUB_404,
        405 => &HUB_405,
        409 => &HUB_409,
        412 => &HUB_412,
        413 => &HUB_413,
        415 => &HUB_415,
        429 => &HUB_429,
        499 => &HUB_499,
        501 => &HUB_501,
        500..=599 => &HUB_5XX,
        _ => &HUB_4XX,
    }
}

fn dps_rule(status: u16) -> &'static Rule {
    match status {
        400 => &DPS_400,
        401 => &DPS_401,
        403 => &DPS_403,
        404 => &DPS_404,
        405 => &DPS_405,
        409 => &DPS_409,
        412 => &DPS_412,
        413 => &DPS_413,
        415 => &DPS_415,
        429 => &DPS_429,
        500..=599 => &DPS_5XX,
        _ => &DPS_4XX,
    }
}

/// IoT Central's own table first; statuses it does not list follow DPS, which runs the device auth flow.
fn central_rule(status: u16) -> &'static Rule {
    match status {
        400 => &CENTRAL_400,
        401 => &CENTRAL_401,
        404 => &CENTRAL_404,
        412 => &CENTRAL_412,
        429 => &CENTRAL_429,
        500..=599 => &CENTRAL_5XX,
        _ => dps_rule(status),
    }
}

fn rest_rule(status: u16) -> &'static Rule {
    match status {
        401 => &REST_401,
        403 => &REST_403,
        404 => &REST_404,
        412 => &REST_412,
        429 => &REST_429,
        501 => &REST_501,
        500..=599 => &REST_5XX,
        _ => &REST_4XX,
    }
}

/// The rule for a six-digit service error code: a code-specific rule where one exists, else its status class.
pub(crate) fn code_rule(code: u32, service: Service, op: Operation) -> &'static Rule {
    let specific: Option<&'static Rule> = match (service, op, code) {
        (Service::IotHub, _, 400024) => Some(&HUB_400024),
        (Service::IotHub, Operation::Device, 401001) => Some(&HUB_401001),
        (Service::IotHub, _, 403006) => Some(&HUB_403006),
        (Service::IotHub, _, 404012) => Some(&HUB_404012),
        (Service::IotHub, _, 404103) => Some(&HUB_404103),
        (Service::IotHub, Operation::Device, 404104) => Some(&HUB_404104),
        (Service::IotHub, _, 503004) => Some(&HUB_503004),
        (Service::Dps | Service::IotCentral, Operation::Device, 400207) => Some(&DPS_400207),
        (Service::Dps | Service::IotCentral, Operation::Device, 400208) => Some(&DPS_400208),
        (Service::Dps | Service::IotCentral, Operation::Device, 400209) => Some(&DPS_400209),
        (Service::Dps | Service::IotCentral, Operation::Device, 401002) => Some(&DPS_401002),
        (Service::Dps | Service::IotCentral, Operation::Device, 409203) => Some(&DPS_409203),
        (Service::IotCentral, _, 403006) => Some(&CENTRAL_403006),
        _ => None,
    };
    match specific {
        Some(r) => r,
        // A six-digit code outside 100000-599999 has no status class: 0..99 or 600+ give NOT_HTTP.
        None => status_rule(u16::try_from(code / 1000).unwrap_or(u16::MAX), service, op),
    }
}

/// The rule for an IoT Central authorization sub-error.
pub(crate) fn auth_rule(sub: AuthSubError, service: Service, op: Operation) -> &'static Rule {
    match sub {
        AuthSubError::Unauthorized400209 => code_rule(400209, service, op),
        AuthSubError::Unauthorized401002 => code_rule(401002, service, op),
        AuthSubError::DeviceMaximumActiveFileUploadLimitExceeded403006 => {
            code_rule(403006, service, op)
        }
        AuthSubError::DeviceBlocked => &AUTH_BLOCKED,
        AuthSubError::DeviceDisabled => &AUTH_DISABLED,
        AuthSubError::IoTHubUnauthorized => &AUTH_EXPIRED,
    }
}

/// The rule for an IoT Central device status.
pub(crate) fn central_status_rule(s: IotCentralStatus) -> &'static Rule {
    match s {
        IotCentralStatus::Provisioned => &CENTRAL_PROVISIONED,
        IotCentralStatus::Registered => &CENTRAL_REGISTERED,
        IotCentralStatus::Blocked => &CENTRAL_BLOCKED,
        IotCentralStatus::Unapproved => &CENTRAL_UNAPPROVED,
        IotCentralStatus::Unassigned => &CENTRAL_UNASSIGNED,
    }
}

/// The rule for a DPS registration status.
pub(crate) fn registration_rule(s: DpsRegistrationStatus) -> &'static Rule {
    match s {
        DpsRegistrationStatus::Assigned => &REG_ASSIGNED,
        DpsRegistrationStatus::Assigning | DpsRegistrationStatus::Unassigned => &DPS_ASSIGNING,
        DpsRegistrationStatus::Failed => &REG_FAILED,
        DpsRegistrationStatus::Disabled => &REG_DISABLED,
        DpsRegistrationStatus::Blacklisted => &REG_BLACKLISTED,
    }
}

/// The rule for a DPS registration substatus (all describe an assigned device).
pub(crate) fn substatus_rule(_s: DpsRegistrationSubstatus) -> &'static Rule {
    &REG_SUBSTATUS
}

/// The rule for an MQTT 3.1.1 CONNACK return code (any byte; 6-255 are undefined and point at the reader).
pub(crate) fn connack_rule(code: u8) -> &'static Rule {
    match code {
        0 => &CONNACK_ACCEPTED,
        1 => &CONNACK_PROTOCOL,
        2 => &CONNACK_ID,
        3 => &CONNACK_UNAVAILABLE,
        4 | 5 => &CONNACK_CREDENTIALS,
        _ => &CONNACK_UNDEFINED,
    }
}

static CONNACK_UNDEFINED: Rule = stop(
    "connack-undefined",
    FixRequest,
    "MQTT 3.1.1 defines CONNACK return codes 0-5 only: check how the CONNACK was read",
    "MQTT 3.1.1 §3.2.2.3",
);
