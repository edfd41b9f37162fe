//! Device Update facility and component tables (`data/du_facilities.csv`, `data/du_components.csv`).
//!
//! Their keys are pairs (layout + facility, facility + component), so they are not generic catalogues: they
//! become two small sorted arrays that `src/du.rs` searches.

use std::fmt::Write as _;
use std::path::Path;

use super::{GenError, check_name, check_source, err, parse_versions};

/// Files read here.
pub const FILES: &[&str] = &["du_facilities.csv", "du_components.csv"];

struct Table {
    shown: String,
    rows: Vec<(u64, csv::StringRecord)>,
    col: std::collections::BTreeMap<String, usize>,
}

fn read(data_dir: &Path, file: &str, columns: &[&str]) -> Result<Table, GenError> {
    let shown = format!("data/{file}");
    let bytes = std::fs::read(data_dir.join(file))
        .map_err(|e| err(&shown, 0, format!("cannot read: {e}")))?;
    if let Err(e) = std::str::from_utf8(&bytes) {
        let line = 1 + bytes[..e.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64;
        return Err(err(&shown, line, "invalid UTF-8"));
    }
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    let headers = reader
        .headers()
        .map_err(|e| err(&shown, 1, e.to_string()))?
        .clone();
    let col: std::collections::BTreeMap<String, usize> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| (h.to_string(), i))
        .collect();
    for c in columns {
        if !col.contains_key(*c) {
            return Err(err(&shown, 1, format!("missing column `{c}`")));
        }
    }
    let mut rows = Vec::new();
    for rec in reader.records() {
        let rec =
            rec.map_err(|e| err(&shown, e.position().map_or(0, |p| p.line()), e.to_string()))?;
        let line = rec.position().map_or(0, |p| p.line());
        for c in ["name", "description", "source"] {
            if rec.get(col[c]).unwrap_or("").trim().is_empty() {
                return Err(err(&shown, line, format!("empty {c}")));
            }
        }
        // The same rules as the other catalogues' names, aliases and sources.
        let name = rec.get(col["name"]).unwrap_or("");
        check_name(name).map_err(|m| err(&shown, line, format!("name {name:?} {m}")))?;
        let aliases = col.get("aliases").and_then(|&i| rec.get(i)).unwrap_or("");
        for a in aliases.split(';').filter(|a| !a.is_empty()) {
            check_name(a).map_err(|m| err(&shown, line, format!("alias {a:?} {m}")))?;
        }
        check_source(rec.get(col["source"]).unwrap_or("")).map_err(|m| err(&shown, line, m))?;
        rows.push((line, rec));
    }
    Ok(Table { shown, rows, col })
}

impl Table {
    fn get<'a>(&self, rec: &'a csv::StringRecord, c: &str) -> &'a str {
        self.col.get(c).and_then(|&i| rec.get(i)).unwrap_or("")
    }

    fn small(
        &self,
        line: u64,
        rec: &csv::StringRecord,
        c: &str,
        max: u32,
    ) -> Result<u32, GenError> {
        let v = self.get(rec, c);
        v.parse::<u32>().ok().filter(|n| *n <= max).ok_or_else(|| {
            err(
                &self.shown,
                line,
                format!("{c} {v:?} is not a number from 0 to {max}"),
            )
        })
    }

    fn aliases(&self, rec: &csv::StringRecord) -> Vec<String> {
        self.get(rec, "aliases")
            .split(';')
            .filter(|a| !a.is_empty())
            .map(str::to_string)
            .collect()
    }
}

/// Appends `DU_FACILITIES` and `DU_COMPONENTS` to `o`.
pub fn render_du_tables(data_dir: &Path, o: &mut String) -> Result<(), GenError> {
    let cols = [
        "layout",
        "code",
        "name",
        "aliases",
        "versions",
        "description",
        "source",
        "note",
    ];
    let t = read(data_dir, FILES[0], &cols)?;
    let mut seen = std::collections::BTreeSet::new();
    let _ = writeln!(
        o,
        "pub(crate) static DU_FACILITIES: [DuFacility; {}] = [",
        t.rows.len()
    );
    for (line, rec) in &t.rows {
        let legacy = match t.get(rec, "layout") {
            "current" => false,
            "legacy" => true,
            other => {
                return Err(err(
                    &t.shown,
                    *line,
                    format!("unknown layout {other:?} (expected current or legacy)"),
                ));
            }
        };
        let code = t.small(*line, rec, "code", 15)?;
        if !seen.insert((legacy, code)) {
            return Err(err(
                &t.shown,
                *line,
                format!("duplicate key {code} for this layout"),
            ));
        }
        let versions =
            parse_versions(t.get(rec, "versions")).map_err(|m| err(&t.shown, *line, m))?;
        let _ = writeln!(
            o,
            "    DuFacility {{ layout: DuLayout::{}, code: {code}, name: {:?}, aliases: &{:?}, versions: AgentVersions::from_bits_truncate({versions}), description: {:?}, source: {:?}, note: {:?} }},",
            if legacy { "Legacy" } else { "Current" },
            t.get(rec, "name"),
            t.aliases(rec),
            t.get(rec, "description"),
            t.get(rec, "source"),
            t.get(rec, "note"),
        );
    }
    o.push_str("];\n\n");

    let cols = [
        "facility",
        "code",
        "name",
        "aliases",
        "versions",
        "description",
        "source",
        "note",
    ];
    let t = read(data_dir, FILES[1], &cols)?;
    let mut seen = std::collections::BTreeSet::new();
    let _ = writeln!(
        o,
        "pub(crate) static DU_COMPONENTS: [DuComponent; {}] = [",
        t.rows.len()
    );
    for (line, rec) in &t.rows {
        let facility = t.small(*line, rec, "facility", 15)?;
        let code = t.small(*line, rec, "code", 255)?;
        if !seen.insert((facility, code)) {
            return Err(err(
                &t.shown,
                *line,
                format!("duplicate key {facility},{code}"),
            ));
        }
        let versions =
            parse_versions(t.get(rec, "versions")).map_err(|m| err(&t.shown, *line, m))?;
        let _ = writeln!(
            o,
            "    DuComponent {{ facility: {facility}, code: {code}, name: {:?}, aliases: &{:?}, versions: AgentVersions::from_bits_truncate({versions}), description: {:?}, source: {:?}, note: {:?} }},",
            t.get(rec, "name"),
            t.aliases(rec),
            t.get(rec, "description"),
            t.get(rec, "source"),
            t.get(rec, "note"),
        );
    }
    o.push_str("];\n\n");
    Ok(())
}
