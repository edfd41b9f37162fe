//! Checks that the hand-written TypeScript unions list exactly the identifiers the Rust side produces, so the
//! `.d.ts` cannot drift from the module.

/// The string literals of `export type <name> = "a" | "b";` in a TypeScript section.
#[cfg(test)]
pub(crate) fn union(section: &str, name: &str) -> Vec<String> {
    let start = format!("export type {name} =");
    let rest = &section[section.find(&start).expect("type is declared") + start.len()..];
    let body = &rest[..rest.find(';').expect("type ends with ;")];
    body.split('|')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.strip_prefix('"')
                .and_then(|s| s.strip_suffix('"'))
                .expect("a string literal")
                .to_owned()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::union;
    use crate::object::MEANING_TS;
    use azure_iot_codes::{Catalogue, Service, Standing};

    #[test]
    fn catalogue_ids_are_the_core_identifiers() {
        let ids: Vec<&str> = Catalogue::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(union(MEANING_TS, "CatalogueId"), ids);
    }

    #[test]
    fn service_ids_are_the_core_identifiers() {
        let ids: Vec<&str> = Service::ALL.iter().map(|s| s.as_str()).collect();
        assert_eq!(union(MEANING_TS, "ServiceId"), ids);
    }

    #[test]
    fn standings_are_the_core_identifiers() {
        let ids: Vec<&str> = [
            Standing::Current,
            Standing::Observed,
            Standing::Conflicting,
            Standing::Historical,
            Standing::DocError,
        ]
        .iter()
        .map(|s| s.as_str())
        .collect();
        assert_eq!(union(MEANING_TS, "Standing"), ids);
        // Every standing a row actually has is in the union.
        for c in Catalogue::ALL {
            for m in c.rows() {
                assert!(ids.contains(&m.standing().as_str()), "{m}");
            }
        }
    }
}
