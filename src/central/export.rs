//! IoT Central data export: what a destination authorized by a managed identity needs, from the
//! `iot-central-export` catalogue.

use serde::Serialize;

use crate::catalogue::{IotCentralExport, Meaning};
use crate::error::{Error, ErrorKind};

/// The export destinations, in the order the troubleshooting page lists them.
pub const EXPORT_DESTINATIONS: [IotCentralExport; 4] = [
    IotCentralExport::BlobStorage,
    IotCentralExport::ServiceBus,
    IotCentralExport::EventHubs,
    IotCentralExport::DataExplorer,
];

/// What to check besides the role, in the order to check it: the preconditions for a managed identity
/// (identity on, permission set before the destination was created, network access), then the rules on what
/// is exported (nothing from simulated devices, only data after the export was enabled) and where a failed
/// connection shows.
pub const EXPORT_CHECKS: [IotCentralExport; 6] = [
    IotCentralExport::IdentityEnabled,
    IotCentralExport::RoleAssigned,
    IotCentralExport::NetworkAccess,
    IotCentralExport::SimulatedDevices,
    IotCentralExport::DataAfterEnable,
    IotCentralExport::DestinationConnection,
];

/// What [`export_destination`] accepts, for error messages.
pub const DESTINATION_EXPECTED: &str = "an export destination: blob-storage, service-bus, event-hubs or \
     data-explorer (also their names, e.g. \"Azure Event Hubs\", or ADX)";

/// The destination a person names: its catalogue code (`EVENT_HUBS`), name (`Azure Event Hubs`) or an alias
/// (`Event Hub`, `ADX`), ignoring case, spaces, `-` and `_`.
///
/// ```
/// use azure_iot_codes::{IotCentralExport, central::export_destination};
/// assert_eq!(export_destination("event-hubs").unwrap(), IotCentralExport::EventHubs);
/// assert_eq!(export_destination("Azure Blob storage").unwrap(), IotCentralExport::BlobStorage);
/// assert_eq!(export_destination("adx").unwrap(), IotCentralExport::DataExplorer);
/// assert!(export_destination("identity-enabled").is_err()); // a check, not a destination
/// assert!(export_destination("ftp").is_err());
/// ```
pub fn export_destination(name: &str) -> Result<IotCentralExport, Error> {
    if name.trim().is_empty() {
        return Err(Error::new(ErrorKind::Empty, name, DESTINATION_EXPECTED));
    }
    EXPORT_DESTINATIONS
        .into_iter()
        .find(|d| {
            let m = d.meaning();
            same_words(name, d.as_str())
                || same_words(name, m.name())
                || m.aliases().iter().any(|a| same_words(name, a))
        })
        .ok_or_else(|| Error::new(ErrorKind::NotFound, name, DESTINATION_EXPECTED))
}

/// Equal when only letters and digits are compared, ignoring ASCII case.
fn same_words(a: &str, b: &str) -> bool {
    let key = |s: &str| {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .map(|c| c.to_ascii_lowercase())
            .collect::<heapless_key::Key>()
    };
    key(a) == key(b)
}

/// A fixed-size, allocation-free comparison key (the longest catalogue name is far shorter; longer input
/// simply never matches).
mod heapless_key {
    const LEN: usize = 48;

    #[derive(PartialEq, Eq)]
    pub(super) struct Key {
        chars: [char; LEN],
        len: usize,
        overflow: bool,
    }

    impl FromIterator<char> for Key {
        fn from_iter<I: IntoIterator<Item = char>>(iter: I) -> Key {
            let mut k = Key {
                chars: ['\0'; LEN],
                len: 0,
                overflow: false,
            };
            for c in iter {
                match k.chars.get_mut(k.len) {
                    Some(slot) => {
                        *slot = c;
                        k.len += 1;
                    }
                    None => {
                        k.overflow = true;
                        break;
                    }
                }
            }
            k
        }
    }
}

/// What an export destination needs when a managed identity authorizes it: the role, and every other check
/// from the troubleshooting page.
///
/// ```
/// use azure_iot_codes::{IotCentralExport, central::ExportRequirements};
/// let r = ExportRequirements::of(IotCentralExport::BlobStorage).unwrap();
/// assert_eq!(r.role, "Storage Blob Data Contributor");
/// assert_eq!(r.checks[0].code().to_string(), "IDENTITY_ENABLED");
/// assert!(ExportRequirements::of(IotCentralExport::SimulatedDevices).is_none());
/// ```
#[derive(Debug, Clone, Copy, Serialize)]
pub struct ExportRequirements {
    /// The destination's catalogue row (its description and what to do).
    pub destination: &'static Meaning,
    /// The role (permission) the application's managed identity needs on the destination.
    pub role: &'static str,
    /// The other checks, in the order of [`EXPORT_CHECKS`].
    pub checks: [&'static Meaning; 6],
}

impl ExportRequirements {
    /// The requirements of `destination`; `None` if it is one of the checks, not a destination.
    pub fn of(destination: IotCentralExport) -> Option<ExportRequirements> {
        let row = destination.meaning();
        Some(ExportRequirements {
            destination: row,
            role: row.role()?,
            checks: EXPORT_CHECKS.map(IotCentralExport::meaning),
        })
    }
}

#[cfg(test)]
mod tests {
    extern crate alloc;
    use alloc::string::String;

    use super::*;

    #[test]
    fn every_destination_has_a_role_and_no_check_has_one() {
        for d in EXPORT_DESTINATIONS {
            assert!(ExportRequirements::of(d).is_some(), "{d}");
            assert_eq!(export_destination(d.as_str()).unwrap(), d);
            assert_eq!(export_destination(d.name()).unwrap(), d);
        }
        for c in EXPORT_CHECKS {
            assert!(c.meaning().role().is_none(), "{c}");
        }
        // Every row of the catalogue is either a destination or a check.
        assert_eq!(
            IotCentralExport::ALL.len(),
            EXPORT_DESTINATIONS.len() + EXPORT_CHECKS.len()
        );
    }

    #[test]
    fn long_input_never_matches() {
        let long: String = "Azure Event Hubs ".repeat(10);
        assert!(export_destination(&long).is_err());
    }
}
