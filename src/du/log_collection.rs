//! Device Update remote log collection: the state of a log operation across its devices.
//!
//! A log operation targets at most [`MAX_DEVICES`] devices. Each device's agent collects its logs, uploads them
//! and reports a terminal state (`Succeeded` or `Failed`) with a `resultCode` and an `extendedResultCode`. The
//! service marks the operation `Succeeded` only when every targeted device succeeded, and `Failed` once every
//! device is terminal and at least one failed, so a `Failed` operation can hold devices whose logs did arrive:
//! [`LogOperation::breakdown`] says which.
//!
//! ```
//! use azure_iot_codes::du::log_collection::{operation_status, DeviceLogStatus, OperationStatus};
//! use DeviceLogStatus::*;
//! assert_eq!(operation_status([Succeeded, Succeeded]), OperationStatus::Succeeded);
//! assert_eq!(operation_status([Succeeded, Failed]), OperationStatus::Failed);
//! assert_eq!(operation_status([Failed, Running]), OperationStatus::Running);
//! assert_eq!(operation_status([NotStarted, NotStarted]), OperationStatus::NotStarted);
//! ```

use core::fmt;

use serde::{Serialize, Serializer};

use crate::error::{Error, ErrorKind};

/// Most devices one log operation may target (the Device Update diagnostics documentation).
pub const MAX_DEVICES: usize = 100;

/// How many times the agent retries a failed log upload before it reports the final state.
pub const AGENT_RETRIES: u32 = 3;

/// The state a device reports for a log operation (the service's `LogCollectionOperationDeviceStatus`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DeviceLogStatus {
    /// The device has not picked the operation up yet.
    NotStarted,
    /// Collecting or uploading.
    Running,
    /// Logs uploaded (terminal).
    Succeeded,
    /// Collection or upload failed after the agent's retries (terminal).
    Failed,
}

/// The state of a whole log operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OperationStatus {
    /// No device has started.
    NotStarted,
    /// At least one device is not terminal yet (and at least one has started).
    Running,
    /// Every targeted device succeeded.
    Succeeded,
    /// Every device is terminal and at least one failed.
    Failed,
}

macro_rules! status_strings {
    ($ty:ident) => {
        impl $ty {
            /// The service's spelling: `NotStarted`, `Running`, `Succeeded` or `Failed`.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $ty::NotStarted => "NotStarted",
                    $ty::Running => "Running",
                    $ty::Succeeded => "Succeeded",
                    $ty::Failed => "Failed",
                }
            }
        }

        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    };
}

status_strings!(DeviceLogStatus);
status_strings!(OperationStatus);

impl DeviceLogStatus {
    /// Whether the device has reported its final state.
    pub const fn is_terminal(self) -> bool {
        matches!(self, DeviceLogStatus::Succeeded | DeviceLogStatus::Failed)
    }
}

impl core::str::FromStr for DeviceLogStatus {
    type Err = Error;
    /// The service's spelling, ignoring ASCII case.
    fn from_str(s: &str) -> Result<Self, Error> {
        [
            DeviceLogStatus::NotStarted,
            DeviceLogStatus::Running,
            DeviceLogStatus::Succeeded,
            DeviceLogStatus::Failed,
        ]
        .into_iter()
        .find(|v| v.as_str().eq_ignore_ascii_case(s.trim()))
        .ok_or_else(|| {
            Error::new(
                ErrorKind::NotFound,
                s,
                "NotStarted, Running, Succeeded or Failed",
            )
        })
    }
}

/// The operation's state from its devices' states (the service's rule). An operation with no device has not
/// started.
pub fn operation_status(devices: impl IntoIterator<Item = DeviceLogStatus>) -> OperationStatus {
    let (mut any, mut all_terminal, mut any_failed, mut any_started) = (false, true, false, false);
    for d in devices {
        any = true;
        all_terminal &= d.is_terminal();
        any_failed |= d == DeviceLogStatus::Failed;
        any_started |= d != DeviceLogStatus::NotStarted;
    }
    match (any, all_terminal, any_failed, any_started) {
        (false, ..) => OperationStatus::NotStarted,
        (true, true, true, _) => OperationStatus::Failed,
        (true, true, false, _) => OperationStatus::Succeeded,
        (true, false, _, true) => OperationStatus::Running,
        (true, false, _, false) => OperationStatus::NotStarted,
    }
}

/// The outcome of [`run_with_agent_retries`]: the final result and how many attempts it took.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetriedOutcome<T, E> {
    /// The last attempt's result: the only state the agent reports.
    pub result: Result<T, E>,
    /// Attempts made (1 to 1 + [`AGENT_RETRIES`]).
    pub attempts: u32,
}

/// Runs a log collection attempt the way the documentation describes the agent doing it: a failed attempt is
/// retried up to [`AGENT_RETRIES`] times and only the final state is kept for reporting. `attempt` receives the
/// attempt number, starting at 1.
///
/// The documentation states this rule; the reference agent's diagnostics component (read at 1.1.0) contains no
/// retry loop, so an agent that wants the documented behaviour needs this helper.
///
/// ```
/// use azure_iot_codes::du::log_collection::run_with_agent_retries;
/// let out = run_with_agent_retries(|n| if n < 3 { Err(n) } else { Ok("uploaded") });
/// assert_eq!((out.result, out.attempts), (Ok("uploaded"), 3));
/// let out = run_with_agent_retries(|n| Err::<(), _>(n));
/// assert_eq!((out.result, out.attempts), (Err(4), 4));
/// ```
pub fn run_with_agent_retries<T, E>(
    mut attempt: impl FnMut(u32) -> Result<T, E>,
) -> RetriedOutcome<T, E> {
    let mut n = 1;
    loop {
        let result = attempt(n);
        if result.is_ok() || n > AGENT_RETRIES {
            return RetriedOutcome {
                result,
                attempts: n,
            };
        }
        n += 1;
    }
}

#[cfg(feature = "alloc")]
pub use operation::*;

#[cfg(feature = "alloc")]
mod operation {
    extern crate alloc;

    use alloc::string::String;
    use alloc::vec::Vec;

    use serde::Serialize;

    use super::super::ExtendedResultCode;
    use super::{DeviceLogStatus, MAX_DEVICES, OperationStatus, operation_status};
    use crate::error::{Error, ErrorKind};

    /// One targeted device's report.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize)]
    pub struct DeviceLogResult {
        /// The device id.
        pub device_id: String,
        /// The module id, for agents running as a module.
        pub module_id: Option<String>,
        /// The reported state.
        pub status: DeviceLogStatus,
        /// The reported `resultCode` (diagnostics result: 200 success, negative failures).
        pub result_code: Option<i32>,
        /// The reported `extendedResultCode`.
        pub extended_result_code: Option<ExtendedResultCode>,
    }

    /// A log operation: its targeted devices and what each reported.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct LogOperation {
        devices: Vec<DeviceLogResult>,
    }

    /// The devices of an operation grouped by state (see [`LogOperation::breakdown`]).
    #[derive(Debug, Serialize)]
    pub struct Breakdown<'a> {
        /// The operation's state.
        pub status: OperationStatus,
        /// Devices that uploaded their logs.
        pub succeeded: Vec<&'a DeviceLogResult>,
        /// Devices that failed: the reason a `Failed` operation failed.
        pub failed: Vec<&'a DeviceLogResult>,
        /// Devices not terminal yet.
        pub pending: Vec<&'a DeviceLogResult>,
    }

    impl LogOperation {
        /// An operation over `devices`: at least one and at most [`MAX_DEVICES`], each (device, module) once.
        ///
        /// ```
        /// use azure_iot_codes::du::log_collection::{DeviceLogResult, DeviceLogStatus, LogOperation};
        /// let d = |id: &str| DeviceLogResult {
        ///     device_id: id.into(), module_id: None, status: DeviceLogStatus::Succeeded,
        ///     result_code: Some(200), extended_result_code: None,
        /// };
        /// assert!(LogOperation::new((0..100).map(|i| d(&i.to_string())).collect()).is_ok());
        /// let e = LogOperation::new((0..101).map(|i| d(&i.to_string())).collect()).unwrap_err();
        /// assert!(e.to_string().contains("101"));
        /// ```
        pub fn new(devices: Vec<DeviceLogResult>) -> Result<LogOperation, Error> {
            const EXPECTED: &str = "a log operation targeting 1 to 100 devices, each once";
            if devices.is_empty() {
                return Err(Error::new(ErrorKind::Empty, "", EXPECTED));
            }
            if devices.len() > MAX_DEVICES {
                return Err(Error::for_number(
                    ErrorKind::OutOfRange,
                    devices.len() as u64,
                    EXPECTED,
                ));
            }
            for (i, d) in devices.iter().enumerate() {
                if devices[..i]
                    .iter()
                    .any(|p| p.device_id == d.device_id && p.module_id == d.module_id)
                {
                    return Err(Error::new(ErrorKind::Malformed, &d.device_id, EXPECTED));
                }
            }
            Ok(LogOperation { devices })
        }

        /// The devices, in the order given.
        pub fn devices(&self) -> &[DeviceLogResult] {
            &self.devices
        }

        /// The operation's state.
        pub fn status(&self) -> OperationStatus {
            operation_status(self.devices.iter().map(|d| d.status))
        }

        /// The devices grouped by state.
        pub fn breakdown(&self) -> Breakdown<'_> {
            let pick = |f: fn(DeviceLogStatus) -> bool| {
                self.devices.iter().filter(|d| f(d.status)).collect()
            };
            Breakdown {
                status: self.status(),
                succeeded: pick(|s| s == DeviceLogStatus::Succeeded),
                failed: pick(|s| s == DeviceLogStatus::Failed),
                pending: pick(|s| !s.is_terminal()),
            }
        }
    }
}
