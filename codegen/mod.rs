//! Catalogue generator: reads `data/*.csv`, validates every row and writes the Rust tables the crate includes.
//!
//! `build.rs` is a shim around [`generate`]; `tests/codegen.rs` runs the same function on broken copies of the
//! data to check that every mistake is reported as `data/<file>.csv:<line>: <what is wrong>`.
//!
//! Only data is generated here. Every impl that is not a table lives in `src/`.

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};

mod du;
mod mph;
mod names;

pub use mph::find_mph;

/// A validation or I/O failure, located at `file:line` of the data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenError {
    /// Path of the CSV file as given to the generator, e.g. `data/service_errors.csv`.
    pub file: String,
    /// 1-based line number (the header is line 1); 0 when the whole file is at fault.
    pub line: u64,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for GenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)
    }
}

impl std::error::Error for GenError {}

/// How a catalogue's key is spelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    /// An unsigned 32-bit number, decimal or `0x` hex.
    Number,
    /// A signed 32-bit decimal number (Device Update result codes); indexed by its bit pattern.
    Signed,
    /// An identifier as the service spells it.
    Text,
}

/// One catalogue: its CSV file, its identifier and how it maps onto the crate's types.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    /// Stable identifier used in JSON and on the command line, e.g. `service-error`.
    pub id: &'static str,
    /// Variant of `Catalogue` in `src/catalogue.rs`.
    pub variant: &'static str,
    /// File name under `data/`.
    pub file: &'static str,
    /// Key kind.
    pub key: KeyKind,
    /// For closed catalogues: the name of the generated enum (one variant per row, keys unique).
    pub enum_name: Option<&'static str>,
    /// Services of every row when the file has no `services` column.
    pub default_services: Option<&'static str>,
    /// Whether every row needs a mitigation (reference tables such as errno names describe only).
    pub mitigation_required: bool,
}

/// Every generic catalogue, in the order of the `Catalogue` enum.
pub const SPECS: &[Spec] = &[
    Spec {
        id: "http-status",
        variant: "HttpStatus",
        file: "http_statuses.csv",
        key: KeyKind::Number,
        enum_name: None,
        default_services: None,
        mitigation_required: true,
    },
    Spec {
        id: "service-error",
        variant: "ServiceError",
        file: "service_errors.csv",
        key: KeyKind::Number,
        enum_name: None,
        default_services: None,
        mitigation_required: true,
    },
    Spec {
        id: "auth-suberror",
        variant: "AuthSubError",
        file: "auth_suberrors.csv",
        key: KeyKind::Text,
        enum_name: Some("AuthSubError"),
        default_services: None,
        mitigation_required: true,
    },
    Spec {
        id: "iot-central-status",
        variant: "IotCentralStatus",
        file: "iot_central_statuses.csv",
        key: KeyKind::Text,
        enum_name: Some("IotCentralStatus"),
        default_services: None,
        mitigation_required: true,
    },
    Spec {
        id: "dps-registration-status",
        variant: "DpsRegistrationStatus",
        file: "dps_registration_statuses.csv",
        key: KeyKind::Text,
        enum_name: Some("DpsRegistrationStatus"),
        default_services: None,
        mitigation_required: true,
    },
    Spec {
        id: "dps-registration-substatus",
        variant: "DpsRegistrationSubstatus",
        file: "dps_registration_substatuses.csv",
        key: KeyKind::Text,
        enum_name: Some("DpsRegistrationSubstatus"),
        default_services: None,
        mitigation_required: true,
    },
    Spec {
        id: "mqtt-connack",
        variant: "MqttConnack",
        file: "mqtt_connack.csv",
        key: KeyKind::Number,
        enum_name: Some("MqttConnack"),
        default_services: None,
        mitigation_required: true,
    },
    Spec {
        id: "du-result-code",
        variant: "DuResultCode",
        file: "du_result_codes.csv",
        key: KeyKind::Signed,
        enum_name: None,
        default_services: Some("device-update"),
        mitigation_required: true,
    },
    Spec {
        id: "du-extended-result-code",
        variant: "DuExtendedResultCode",
        file: "du_erc.csv",
        key: KeyKind::Number,
        enum_name: None,
        default_services: Some("device-update"),
        mitigation_required: true,
    },
    Spec {
        id: "du-diagnostics-result",
        variant: "DuDiagnosticsResult",
        file: "du_diagnostics_results.csv",
        key: KeyKind::Signed,
        enum_name: None,
        default_services: Some("device-update"),
        mitigation_required: true,
    },
    Spec {
        id: "du-erc-pattern",
        variant: "DuErcPattern",
        file: "du_erc_patterns.csv",
        key: KeyKind::Text,
        enum_name: None,
        default_services: Some("device-update"),
        mitigation_required: true,
    },
    Spec {
        id: "du-extension-code",
        variant: "DuExtensionCode",
        file: "du_extension_codes.csv",
        key: KeyKind::Number,
        enum_name: None,
        default_services: Some("device-update"),
        mitigation_required: true,
    },
    Spec {
        id: "posix-errno",
        variant: "PosixErrno",
        file: "posix_errno.csv",
        key: KeyKind::Number,
        enum_name: None,
        default_services: Some("device-update"),
        mitigation_required: false,
    },
    Spec {
        id: "do-hresult",
        variant: "DoHresult",
        file: "do_hresults.csv",
        key: KeyKind::Number,
        enum_name: None,
        default_services: Some("device-update"),
        mitigation_required: true,
    },
    Spec {
        id: "iot-central-unmodeled-cause",
        variant: "IotCentralUnmodeledCause",
        file: "iot_central_unmodeled_causes.csv",
        key: KeyKind::Text,
        enum_name: Some("IotCentralUnmodeledCause"),
        default_services: None,
        mitigation_required: true,
    },
    Spec {
        id: "iot-central-export",
        variant: "IotCentralExport",
        file: "iot_central_export.csv",
        key: KeyKind::Text,
        enum_name: Some("IotCentralExport"),
        default_services: None,
        mitigation_required: true,
    },
    Spec {
        id: "dps-metric",
        variant: "DpsMetric",
        file: "dps_metrics.csv",
        key: KeyKind::Text,
        enum_name: Some("DpsMetric"),
        default_services: None,
        mitigation_required: true,
    },
    Spec {
        id: "dps-log-category",
        variant: "DpsLogCategory",
        file: "dps_log_categories.csv",
        key: KeyKind::Text,
        enum_name: Some("DpsLogCategory"),
        default_services: None,
        mitigation_required: true,
    },
];

/// Device Update agent versions the catalogues know, oldest first (bit `i` of `AgentVersions`).
pub const VERSIONS: &[&str] = &[
    "0.6.0", "0.7.0", "0.8.0", "0.8.2", "1.0.0", "1.0.1", "1.0.2", "1.1.0",
];

/// Columns every catalogue file has.
pub const COLUMNS: &[&str] = &["code", "name", "description", "source"];

/// Columns a catalogue file may have (`services` is required unless the catalogue has default services,
/// `mitigation` unless the catalogue is a reference table).
pub const OPTIONAL_COLUMNS: &[&str] = &[
    "aliases",
    "http_status",
    "services",
    "mitigation",
    "note",
    "standing",
    "versions",
    "action",
    "role",
];

/// Known service identifiers, in their canonical order (bit 0, 1, 2, 3 of `Services`).
pub const SERVICES: &[&str] = &["iot-hub", "dps", "iot-central", "device-update"];

/// Values of the optional `standing` column, best first.
pub const STANDINGS: &[(&str, &str)] = &[
    ("current", "Current"),
    ("observed", "Observed"),
    ("conflicting", "Conflicting"),
    ("historical", "Historical"),
    ("doc-error", "DocError"),
];

/// One validated row.
#[derive(Debug, Clone)]
pub struct Row {
    pub catalogue: usize,
    pub line: u64,
    pub code_text: String,
    pub code_num: Option<u32>,
    pub name: String,
    pub aliases: Vec<String>,
    pub http_status: Option<u16>,
    pub services: u8,
    pub standing: usize,
    pub versions: u16,
    pub action: String,
    pub role: String,
    pub description: String,
    pub mitigation: String,
    pub source: String,
    pub note: String,
}

pub(crate) fn err(file: &str, line: u64, message: impl Into<String>) -> GenError {
    GenError {
        file: file.to_string(),
        line,
        message: message.into(),
    }
}

/// Reads and validates one catalogue file. `shown` is how the file is named in messages.
pub fn read_catalogue(index: usize, path: &Path, shown: &str) -> Result<Vec<Row>, GenError> {
    let spec = &SPECS[index];
    let bytes = std::fs::read(path).map_err(|e| err(shown, 0, format!("cannot read: {e}")))?;
    if let Err(e) = std::str::from_utf8(&bytes) {
        let line = 1 + bytes[..e.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64;
        return Err(err(shown, line, "invalid UTF-8"));
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(bytes.as_slice());
    let headers = reader
        .headers()
        .map_err(|e| err(shown, 1, format!("cannot read the header: {e}")))?
        .clone();
    let mut col = BTreeMap::new();
    for (i, h) in headers.iter().enumerate() {
        if col.insert(h.to_string(), i).is_some() {
            return Err(err(shown, 1, format!("column `{h}` appears twice")));
        }
        if !COLUMNS.contains(&h) && !OPTIONAL_COLUMNS.contains(&h) {
            return Err(err(
                shown,
                1,
                format!(
                    "unknown column `{h}` (expected {},{})",
                    COLUMNS.join(","),
                    OPTIONAL_COLUMNS.join(",")
                ),
            ));
        }
    }
    let mut required: Vec<&str> = COLUMNS.to_vec();
    if spec.default_services.is_none() {
        required.push("services");
    }
    if spec.mitigation_required {
        required.push("mitigation");
    }
    for c in required {
        if !col.contains_key(c) {
            return Err(err(shown, 1, format!("missing column `{c}`")));
        }
    }
    let mut rows: Vec<Row> = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            let what = match e.kind() {
                csv::ErrorKind::UnequalLengths {
                    expected_len, len, ..
                } => {
                    format!("expected {expected_len} fields, found {len}")
                }
                _ => e.to_string(),
            };
            err(shown, line, what)
        })?;
        let line = record.position().map_or(0, |p| p.line());
        let get = |c: &str| {
            col.get(c)
                .and_then(|&i| record.get(i))
                .unwrap_or("")
                .to_string()
        };
        let e = |m: String| err(shown, line, m);
        let code_text = get("code");
        if code_text.is_empty() || code_text.trim() != code_text {
            return Err(e(format!(
                "code {code_text:?} is empty or has surrounding spaces"
            )));
        }
        let code_num = match spec.key {
            KeyKind::Number => Some(parse_u32(&code_text).ok_or_else(|| {
                e(format!(
                    "code {code_text:?} is not an unsigned decimal or 0x-hex 32-bit number"
                ))
            })?),
            KeyKind::Signed => Some(parse_i32(&code_text).map(|v| v as u32).ok_or_else(|| {
                e(format!(
                    "code {code_text:?} is not a signed decimal 32-bit number"
                ))
            })?),
            KeyKind::Text => {
                if !code_text
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_')
                {
                    return Err(e(format!(
                        "code {code_text:?} must be ASCII letters, digits and '_'"
                    )));
                }
                parse_u32(&code_text)
            }
        };
        let name = get("name");
        check_name(&name).map_err(|m| e(format!("name {name:?} {m}")))?;
        let aliases_text = get("aliases");
        let mut aliases = Vec::new();
        if !aliases_text.is_empty() {
            for a in aliases_text.split(';') {
                check_name(a).map_err(|m| e(format!("alias {a:?} {m}")))?;
                aliases.push(a.to_string());
            }
        }
        let http_text = get("http_status");
        let http_status = if http_text.is_empty() {
            None
        } else {
            match http_text.parse::<u16>() {
                Ok(v) if (100..=599).contains(&v) => Some(v),
                _ => {
                    return Err(e(format!(
                        "http_status {http_text:?} is not a number between 100 and 599"
                    )));
                }
            }
        };
        let services_text = match (col.contains_key("services"), spec.default_services) {
            (false, Some(d)) => d.to_string(),
            _ => get("services"),
        };
        let services = parse_services(&services_text).map_err(e)?;
        let versions = parse_versions(&get("versions")).map_err(e)?;
        let action = get("action");
        if !action.bytes().all(|b| b.is_ascii_lowercase() || b == b'-') {
            return Err(e(format!(
                "action {action:?} must be lowercase letters and '-'"
            )));
        }
        let standing_text = col
            .get("standing")
            .map(|&i| record.get(i).unwrap_or("").to_string())
            .unwrap_or_default();
        let standing = if standing_text.is_empty() {
            0
        } else {
            STANDINGS
                .iter()
                .position(|(s, _)| *s == standing_text)
                .ok_or_else(|| {
                    let known: Vec<_> = STANDINGS.iter().map(|s| s.0).collect();
                    e(format!(
                        "unknown standing {standing_text:?} (expected one of {})",
                        known.join(", ")
                    ))
                })?
        };
        let role = get("role");
        if !role.is_empty() {
            check_name(&role).map_err(|m| e(format!("role {role:?} {m}")))?;
        }
        let description = get("description");
        let mitigation = get("mitigation");
        let source = get("source");
        for (what, v) in [
            ("description", &description),
            ("mitigation", &mitigation),
            ("source", &source),
        ] {
            if what == "mitigation" && !spec.mitigation_required && v.is_empty() {
                continue;
            }
            if v.trim().is_empty() {
                return Err(e(format!("empty {what}")));
            }
            if v.trim() != v.as_str() {
                return Err(e(format!("{what} has leading or trailing spaces")));
            }
        }
        check_source(&source).map_err(e)?;
        let note = get("note");
        // Rules that tie the key to other columns.
        match spec.id {
            "service-error" => {
                let c = code_num.unwrap_or(0);
                if !(100_000..=999_999).contains(&c) {
                    return Err(e(format!("code {c} is not a six-digit service error code")));
                }
                if http_status != Some((c / 1000) as u16) {
                    return Err(e(format!(
                        "code {c} has HTTP status prefix {} but http_status is {}",
                        c / 1000,
                        http_text_or_empty(&http_text)
                    )));
                }
            }
            "http-status" if http_status.map(u32::from) != code_num => {
                return Err(e(format!(
                    "http_status {} differs from the code {code_text}",
                    http_text_or_empty(&http_text)
                )));
            }
            _ => {}
        }
        let row = Row {
            catalogue: index,
            line,
            code_text,
            code_num,
            name,
            aliases,
            http_status,
            services,
            standing,
            versions,
            action,
            role,
            description,
            mitigation,
            source,
            note,
        };
        if let Some(prev) = rows
            .last()
            .filter(|p| sort_key(spec, p) > sort_key(spec, &row))
        {
            return Err(e(format!(
                "rows are not sorted by code: {:?} comes after {:?}",
                row.code_text, prev.code_text
            )));
        }
        for prev in rows
            .iter()
            .rev()
            .take_while(|p| sort_key(spec, p) == sort_key(spec, &row))
        {
            if spec.enum_name.is_some() {
                return Err(e(format!(
                    "duplicate key {:?} (also on line {}); this catalogue allows one row per code",
                    row.code_text, prev.line
                )));
            }
            if prev.name.eq_ignore_ascii_case(&row.name) && prev.services & row.services != 0 {
                return Err(e(format!(
                    "duplicate key {:?} {:?} for the same service (also on line {})",
                    row.code_text, row.name, prev.line
                )));
            }
        }
        rows.push(row);
    }
    if rows.is_empty() {
        return Err(err(shown, 1, "no rows"));
    }
    Ok(rows)
}

fn http_text_or_empty(s: &str) -> &str {
    if s.is_empty() { "empty" } else { s }
}

fn sort_key(spec: &Spec, row: &Row) -> (u64, String) {
    match spec.key {
        KeyKind::Number => (u64::from(row.code_num.unwrap_or(0)), String::new()),
        // Offset so that negative values sort first.
        KeyKind::Signed => (
            (i64::from(row.code_num.unwrap_or(0) as i32) + (1 << 31)) as u64,
            String::new(),
        ),
        KeyKind::Text => (0, row.code_text.to_ascii_lowercase()),
    }
}

/// `0x` followed by exactly 8 hex digits, or a strict decimal `u32`.
pub fn parse_u32(s: &str) -> Option<u32> {
    if let Some(hex) = s.strip_prefix("0x") {
        return (hex.len() == 8 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
            .then(|| u32::from_str_radix(hex, 16).ok())
            .flatten();
    }
    parse_decimal_u32(s)
}

/// Strict signed decimal `i32`: an optional `-` then a strict decimal.
pub fn parse_i32(s: &str) -> Option<i32> {
    match s.strip_prefix('-') {
        Some(d) if d != "0" => parse_decimal_u32(d).and_then(|m| i32::try_from(-i64::from(m)).ok()),
        Some(_) => None,
        None => parse_decimal_u32(s).and_then(|v| i32::try_from(v).ok()),
    }
}

/// Strict decimal `u32`: ASCII digits only, no sign, no leading zeros except `0` itself.
pub fn parse_decimal_u32(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) || (s.len() > 1 && s.starts_with('0'))
    {
        return None;
    }
    s.parse().ok()
}

pub(crate) fn check_name(s: &str) -> Result<(), String> {
    if s.is_empty() {
        return Err("is empty".into());
    }
    if s.trim() != s || s.contains("  ") {
        return Err("has surrounding or doubled spaces".into());
    }
    if !s.bytes().all(|b| b.is_ascii_graphic() || b == b' ') || s.contains(';') {
        return Err("must be printable ASCII without ';'".into());
    }
    Ok(())
}

pub(crate) fn parse_versions(s: &str) -> Result<u16, String> {
    let mut bits = 0u16;
    let mut last = None;
    if s.is_empty() {
        return Ok(0);
    }
    for part in s.split(';') {
        let Some(i) = VERSIONS.iter().position(|v| *v == part) else {
            return Err(format!(
                "unknown agent version {part:?} (expected one of {})",
                VERSIONS.join(", ")
            ));
        };
        if last.is_some_and(|l| l >= i) {
            return Err(format!(
                "versions {s:?} must be listed once each, oldest first"
            ));
        }
        last = Some(i);
        bits |= 1 << i;
    }
    Ok(bits)
}

fn parse_services(s: &str) -> Result<u8, String> {
    if s.is_empty() {
        return Err("services is empty".into());
    }
    let mut bits = 0u8;
    let mut last = None;
    for part in s.split(';') {
        let Some(i) = SERVICES.iter().position(|k| *k == part) else {
            return Err(format!(
                "unknown service {part:?} (expected one of {})",
                SERVICES.join(", ")
            ));
        };
        if last.is_some_and(|l| l >= i) {
            return Err(format!(
                "services {s:?} must be listed once each, in the order {}",
                SERVICES.join(";")
            ));
        }
        last = Some(i);
        bits |= 1 << i;
    }
    Ok(bits)
}

pub(crate) fn check_source(s: &str) -> Result<(), String> {
    for part in s.split(" | ") {
        let ok = part.starts_with("https://")
            || (part.contains('/')
                && part.contains(':')
                && (has_commit(part) || part.contains(" (")));
        if !ok {
            return Err(format!(
                "source {part:?} is neither a URL nor `owner/repo:path@commit` (or `owner/repo:path (revision)`)"
            ));
        }
    }
    Ok(())
}

fn has_commit(s: &str) -> bool {
    s.split('@').skip(1).any(|tail| {
        let hex: String = tail.chars().take_while(|c| c.is_ascii_hexdigit()).collect();
        hex.len() >= 7
    })
}

/// Everything read from `data/`, ready to be written out.
#[derive(Debug)]
pub struct Catalogues {
    pub rows: Vec<Row>,
}

/// Reads and validates every catalogue in `data_dir`. Messages name files as `data/<file>`.
pub fn read_all(data_dir: &Path) -> Result<Catalogues, GenError> {
    let mut rows = Vec::new();
    for (i, spec) in SPECS.iter().enumerate() {
        let path = data_dir.join(spec.file);
        let shown = format!("data/{}", spec.file);
        let mut part = read_catalogue(i, &path, &shown)?;
        // Within a code, better-standing meanings first; the sort is stable so file order breaks ties.
        part.sort_by_key(|r| {
            // Newest agent versions first (rows without versions hold for every version).
            let newest = if r.versions == 0 {
                u32::MAX
            } else {
                15 - r.versions.leading_zeros()
            };
            (sort_key(spec, r), r.standing, std::cmp::Reverse(newest))
        });
        rows.extend(part);
    }
    if rows.len() > usize::from(u16::MAX) {
        return Err(err("data", 0, "more than 65535 rows"));
    }
    Ok(Catalogues { rows })
}

/// Reads `data_dir`, validates it and returns the generated Rust source.
pub fn generate(data_dir: &Path) -> Result<String, GenError> {
    let cats = read_all(data_dir)?;
    let mut o = render(&cats);
    du::render_du_tables(data_dir, &mut o)?;
    Ok(o)
}

/// Like [`generate`], writing the result to `out_file` only when it changed.
pub fn generate_to(data_dir: &Path, out_file: &Path) -> Result<(), GenError> {
    let src = generate(data_dir)?;
    write_if_changed(out_file, &src)?;
    // Baselines for `benches/` (a hand-written-style `match` and a sorted slice per numeric catalogue, built
    // from the same rows); only the benchmarks include this file.
    let baselines = render_bench_baselines(&read_all(data_dir)?);
    write_if_changed(&out_file.with_file_name("bench_baselines.rs"), &baselines)
}

fn write_if_changed(path: &Path, text: &str) -> Result<(), GenError> {
    if std::fs::read_to_string(path).ok().as_deref() != Some(text) {
        std::fs::write(path, text)
            .map_err(|e| err(&path.display().to_string(), 0, e.to_string()))?;
    }
    Ok(())
}

/// For each numeric catalogue: `match_<id>(key)` (one arm per code, as a person would write it) and
/// `SORTED_<ID>` (code, start, len) for binary search, both giving the row range in `ENTRIES`.
fn render_bench_baselines(cats: &Catalogues) -> String {
    let mut o =
        String::from("// @generated by build.rs (codegen/mod.rs) for benches/; do not edit.\n\n");
    for (i, spec) in SPECS.iter().enumerate() {
        if spec.key == KeyKind::Text {
            continue;
        }
        let mut groups: BTreeMap<u32, (usize, usize)> = BTreeMap::new();
        for (pos, r) in cats
            .rows
            .iter()
            .enumerate()
            .filter(|(_, r)| r.catalogue == i)
        {
            let g = groups.entry(r.code_num.unwrap_or(0)).or_insert((pos, 0));
            g.1 += 1;
        }
        let ident = spec.id.replace('-', "_");
        let _ = writeln!(
            o,
            "#[allow(dead_code)]\n#[inline(never)]\npub fn match_{ident}(key: u32) -> Option<(u16, u16)> {{"
        );
        o.push_str("    match key {\n");
        for (k, (s, l)) in &groups {
            let _ = writeln!(o, "        {k} => Some(({s}, {l})),");
        }
        o.push_str("        _ => None,\n    }\n}\n\n");
        let _ = writeln!(
            o,
            "#[allow(dead_code)]\npub static SORTED_{}: [(u32, u16, u16); {}] = [",
            ident.to_ascii_uppercase(),
            groups.len()
        );
        for (k, (s, l)) in &groups {
            let _ = writeln!(o, "    ({k}, {s}, {l}),");
        }
        o.push_str("];\n\n");
        let mut map = phf_codegen::Map::new();
        for (k, (s, l)) in &groups {
            map.entry(*k, format!("({s}, {l})"));
        }
        let _ = writeln!(
            o,
            "#[allow(dead_code)]\npub static PHF_{}: phf::Map<u32, (u16, u16)> = {};\n",
            ident.to_ascii_uppercase(),
            map.build()
        );
    }
    o
}

/// Every distinct string of the rows, stored once in one blob; a row holds two-byte indices (`StrRef` in
/// `src/catalogue.rs`) instead of a pointer and a length per field. Strings are numbered in the order the rows
/// first use them, so a row's indices are mostly consecutive and its text is contiguous.
#[derive(Default)]
struct TextTable {
    blob: String,
    ends: Vec<u32>,
    ids: std::collections::HashMap<String, u16>,
}

impl TextTable {
    fn intern(&mut self, s: &str) -> u16 {
        if let Some(&id) = self.ids.get(s) {
            return id;
        }
        let id =
            u16::try_from(self.ends.len()).expect("at most 65,536 distinct strings in the rows");
        self.blob.push_str(s);
        self.ends
            .push(u32::try_from(self.blob.len()).expect("row text under 4 GiB"));
        self.ids.insert(s.to_string(), id);
        id
    }

    fn render(&self, o: &mut String) {
        let _ = writeln!(
            o,
            "/// The text of every row, each distinct string once (`codegen/mod.rs`, `TextTable`).\npub(crate) static TEXT: &str = {:?};\n",
            self.blob
        );
        let _ = writeln!(
            o,
            "/// Where string `i` of `TEXT` ends; it starts where string `i - 1` ends (string 0 at 0).\npub(crate) static TEXT_ENDS: [u32; {}] = {:?};\n",
            self.ends.len(),
            self.ends
        );
    }
}

/// The files the generator reads, for `cargo:rerun-if-changed`.
pub fn inputs(data_dir: &Path) -> Vec<PathBuf> {
    SPECS
        .iter()
        .map(|s| s.file)
        .chain(du::FILES.iter().copied())
        .map(|f| data_dir.join(f))
        .collect()
}

fn render(cats: &Catalogues) -> String {
    let rows = &cats.rows;
    let mut o = String::new();
    o.push_str("// @generated from data/*.csv by build.rs (codegen/mod.rs); do not edit.\n\n");

    // The rows.
    let _ = writeln!(
        o,
        "pub(crate) static ENTRIES: [Meaning; {}] = [",
        rows.len()
    );
    let mut text = TextTable::default();
    // Every string the name index compares inputs with (names, text codes, aliases) first: together at the
    // start of TEXT and TEXT_ENDS they fill a few kilobytes instead of being spread over the whole blob, so a
    // name lookup touches memory that stays in cache.
    for r in rows {
        text.intern(&r.name);
        if SPECS[r.catalogue].key == KeyKind::Text {
            text.intern(&r.code_text);
        }
        for a in &r.aliases {
            text.intern(a);
        }
    }
    for r in rows {
        let spec = &SPECS[r.catalogue];
        let code = match spec.key {
            KeyKind::Number => format!("Code::Number({})", r.code_num.unwrap_or(0)),
            KeyKind::Signed => format!("Code::Signed({})", r.code_num.unwrap_or(0) as i32),
            KeyKind::Text => format!("Code::Text({:?})", r.code_text),
        };
        let http = r
            .http_status
            .map_or("None".to_string(), |h| format!("Some({h})"));
        let _ = writeln!(
            o,
            "    Meaning {{ catalogue: Catalogue::{}, code: {code}, name: StrRef({}), aliases: &{:?}, http_status: {http}, services: Services::from_bits_truncate({}), standing: Standing::{}, agent_versions: AgentVersions::from_bits_truncate({}), action: StrRef({}), role: StrRef({}), description: StrRef({}), mitigation: StrRef({}), source: StrRef({}), note: StrRef({}) }},",
            spec.variant,
            text.intern(&r.name),
            r.aliases,
            r.services,
            STANDINGS[r.standing].1,
            r.versions,
            text.intern(&r.action),
            text.intern(&r.role),
            text.intern(&r.description),
            text.intern(&r.mitigation),
            text.intern(&r.source),
            text.intern(&r.note),
        );
    }
    o.push_str("];\n\n");

    // Where each catalogue's rows start and end.
    let _ = writeln!(
        o,
        "pub(crate) static CATALOGUE_RANGES: [(u16, u16); {}] = [",
        SPECS.len()
    );
    for i in 0..SPECS.len() {
        let start = rows.iter().position(|r| r.catalogue == i).unwrap_or(0);
        let end = rows
            .iter()
            .rposition(|r| r.catalogue == i)
            .map_or(0, |e| e + 1);
        let _ = writeln!(o, "    ({start}, {end}),");
    }
    o.push_str("];\n\n");

    // One multiply-shift perfect hash per catalogue over its numeric keys.
    let mut max_numeric_hits = 0usize;
    let mut per_number: BTreeMap<u32, usize> = BTreeMap::new();
    let _ = writeln!(
        o,
        "pub(crate) static NUMERIC_INDEX: [NumericIndex; {}] = [",
        SPECS.len()
    );
    for (i, spec) in SPECS.iter().enumerate() {
        let mut groups: BTreeMap<u32, (usize, usize)> = BTreeMap::new();
        for (pos, r) in rows.iter().enumerate().filter(|(_, r)| r.catalogue == i) {
            if let Some(n) = r.code_num {
                let g = groups.entry(n).or_insert((pos, 0));
                g.1 += 1;
            }
        }
        for (n, g) in &groups {
            *per_number.entry(*n).or_default() += g.1;
        }
        let keys: Vec<u32> = groups.keys().copied().collect();
        let mph = find_mph(&keys, spec.id);
        let mut slots = vec![(0u32, 0usize, 0usize); 1usize << mph.bits];
        for (k, (start, len)) in &groups {
            slots[mph.slot(*k)] = (*k, *start, *len);
        }
        let _ = writeln!(
            o,
            "    // {}: {} keys in {} slots",
            spec.id,
            keys.len(),
            slots.len()
        );
        let _ = write!(
            o,
            "    NumericIndex {{ min: {}, max: {}, mul: {:#010x}, shift: {}, slots: &[",
            keys.first().copied().unwrap_or(1),
            keys.last().copied().unwrap_or(0),
            mph.mul,
            32 - mph.bits
        );
        for (k, s, l) in &slots {
            let _ = write!(o, "Slot {{ key: {k}, start: {s}, len: {l} }}, ");
        }
        o.push_str("] },\n");
    }
    o.push_str("];\n\n");
    max_numeric_hits = max_numeric_hits.max(per_number.values().copied().max().unwrap_or(0));

    // Names, aliases and text codes, case-insensitively, to every row that carries them. The index keeps the
    // catalogue's own spelling of each key (the first one met), which the crate compares ignoring ASCII case.
    let mut names: BTreeMap<String, (&str, Vec<usize>)> = BTreeMap::new();
    for (pos, r) in rows.iter().enumerate() {
        let mut keys: Vec<&str> = vec![r.name.as_str()];
        if SPECS[r.catalogue].key == KeyKind::Text {
            keys.push(r.code_text.as_str());
        }
        keys.extend(r.aliases.iter().map(String::as_str));
        let mut seen: Vec<String> = Vec::new();
        for k in keys {
            let lower = k.to_ascii_lowercase();
            if seen.contains(&lower) {
                continue;
            }
            seen.push(lower.clone());
            names.entry(lower).or_insert((k, Vec::new())).1.push(pos);
        }
    }
    // Today's meaning first: within a key, rows by standing, then in table order (the sort is stable).
    for (_, v) in names.values_mut() {
        v.sort_by_key(|&p| rows[p].standing);
    }
    let keys: Vec<&str> = names.values().map(|(k, _)| *k).collect();
    let index = names::build(&keys, "the catalogues");
    let mut name_refs: Vec<usize> = Vec::new();
    // For each row of a key, how it ranks when the input is spelled exactly as the key (`decode`'s `name_rank`:
    // 0 = by its text code, 1 = by its name or an alias; two more when the input differs from the key in case),
    // or NAME_RANK_COMPARE when one of the row's spellings of the key differs from the key's own spelling in case
    // (then only comparing the input with each spelling tells the rank).
    let mut name_ranks: Vec<u8> = Vec::new();
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let mut max_name_len = 0usize;
    let mut max_name_hits = 0usize;
    for (k, (spelled, v)) in &names {
        max_name_len = max_name_len.max(k.len());
        max_name_hits = max_name_hits.max(v.len());
        spans.push((name_refs.len(), v.len()));
        name_refs.extend(v);
        for &pos in v {
            let r = &rows[pos];
            let by_code =
                SPECS[r.catalogue].key == KeyKind::Text && r.code_text.eq_ignore_ascii_case(k);
            let mut spellings: Vec<&str> = vec![r.name.as_str()];
            if by_code {
                spellings.push(r.code_text.as_str());
            }
            spellings.extend(r.aliases.iter().map(String::as_str));
            let variant = spellings
                .iter()
                .any(|s| s.eq_ignore_ascii_case(k) && s != spelled);
            name_ranks.push(match (variant, by_code) {
                (true, _) => NAME_RANK_COMPARE,
                (false, true) => 0,
                (false, false) => 1,
            });
        }
    }
    let _ = writeln!(
        o,
        "/// Every name, alias and text code: a CHD perfect hash (`codegen/names.rs`, `src/name_hash.rs`)."
    );
    let _ = write!(
        o,
        "pub(crate) static NAMES: NameIndex = NameIndex {{ seed: {:#018x}, bits: {}, disp: &{:?}, slots: &[",
        index.seed, index.bits, index.disp
    );
    for slot in &index.slots {
        match slot {
            Some(i) => {
                let (start, len) = spans[*i];
                let _ = write!(
                    o,
                    "NameSlot {{ key: StrRef({}), start: {start}, len: {len} }}, ",
                    text.intern(keys[*i])
                );
            }
            None => o.push_str("NameSlot::EMPTY, "),
        }
    }
    o.push_str("] };\n\n");
    let _ = writeln!(
        o,
        "pub(crate) static NAME_REFS: [u16; {}] = {:?};\n",
        name_refs.len(),
        name_refs
    );
    let _ = writeln!(
        o,
        "/// Beside each of NAME_REFS: its rank for an input spelled as the key (see `NameHits::rank`).\n\
         pub(crate) static NAME_RANKS: [u8; {}] = {:?};\n",
        name_ranks.len(),
        name_ranks
    );
    let _ = writeln!(
        o,
        "/// In NAME_RANKS: the row spells the key in more than one case, so only comparing tells its rank.\n\
         pub(crate) const NAME_RANK_COMPARE: u8 = {NAME_RANK_COMPARE};\n"
    );
    text.render(&mut o);
    let _ = writeln!(o, "/// Longest name or alias in any catalogue, in bytes.");
    let _ = writeln!(o, "pub(crate) const MAX_NAME_LEN: usize = {max_name_len};");
    let _ = writeln!(
        o,
        "/// Most rows one input can match (a number in every catalogue, or a shared name)."
    );
    // decode() also computes Device Update readings (`du::readings`): per extended result code at most its named
    // rows plus one computed reading (the current-layout pattern; or, when a legacy-layout agent version is
    // asked for, the legacy one), or two when no row names the code (the current pattern and the legacy
    // reading); a unit test of `du::readings` checks this bound (MAX_READINGS_PER_CODE) for every named code
    // and random ones under every version. Up to 9 codes make an `extendedResultCodes` list (the agent reports
    // a root code and at most 8 more).
    let erc_index = SPECS.iter().position(|s| s.id == "du-extended-result-code");
    let mut per_erc: BTreeMap<u32, usize> = BTreeMap::new();
    for r in rows.iter().filter(|r| Some(r.catalogue) == erc_index) {
        *per_erc.entry(r.code_num.unwrap_or(0)).or_default() += 1;
    }
    let per_code = (per_erc.values().copied().max().unwrap_or(0) + 1).max(2);
    let max_matches = (max_numeric_hits + 2).max(max_name_hits).max(9 * per_code);
    let _ = writeln!(o, "pub const MAX_MATCHES: usize = {max_matches};\n");
    let _ = writeln!(
        o,
        "/// The most readings `du::readings` gives for one extended result code.\n\
         pub(crate) const MAX_READINGS_PER_CODE: usize = {per_code};\n"
    );
    let _ = writeln!(
        o,
        "/// The most rows one name, alias or text code names (ignoring case).\n\
         pub(crate) const MAX_NAME_HITS: usize = {max_name_hits};\n"
    );

    render_constants(&mut o, rows);
    for (i, spec) in SPECS.iter().enumerate() {
        if let Some(enum_name) = spec.enum_name {
            render_enum(&mut o, i, enum_name, rows);
        }
    }
    o
}

/// In the generated NAME_RANKS: a row whose rank only a comparison with the input tells (written into the
/// generated code too, so the crate reads the same value).
const NAME_RANK_COMPARE: u8 = 0xFF;

/// `SCREAMING_SNAKE_CASE` from a PascalCase name or a reason phrase.
pub fn const_name(name: &str) -> String {
    let mut out = String::new();
    let chars: Vec<char> = name.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !out.ends_with('_') && !out.is_empty() {
                out.push('_');
            }
            continue;
        }
        if c.is_ascii_uppercase() && i > 0 {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            if (prev.is_ascii_lowercase()
                || prev.is_ascii_digit()
                || (prev.is_ascii_uppercase() && next_lower))
                && !out.ends_with('_')
            {
                out.push('_');
            }
        }
        out.push(c.to_ascii_uppercase());
    }
    out.trim_end_matches('_').to_string()
}

/// `PascalCase` variant of a row: from the text code (`DEVICE_DISABLED` -> `DeviceDisabled`, `assigning` ->
/// `Assigning`), or from the name when the code is a number (`Accepted`; a numeric text code is appended:
/// `Unauthorized401002`).
pub fn variant_name(spec: &Spec, row: &Row) -> String {
    let numeric_text = row.code_text.bytes().all(|b| b.is_ascii_digit());
    let src = if spec.key != KeyKind::Text || numeric_text {
        &row.name
    } else {
        &row.code_text
    };
    let mut out = String::new();
    for part in src.split(|c: char| !c.is_ascii_alphanumeric()) {
        let all_upper = part.bytes().all(|b| !b.is_ascii_lowercase());
        let mut cs = part.chars();
        if let Some(first) = cs.next() {
            out.push(first.to_ascii_uppercase());
            if all_upper {
                out.extend(cs.map(|c| c.to_ascii_lowercase()));
            } else {
                out.extend(cs);
            }
        }
    }
    if spec.key == KeyKind::Text && numeric_text {
        out.push_str(&row.code_text);
    }
    out
}

fn doc_line(s: &str) -> String {
    s.replace('\n', " ")
}

/// Named constants on `HttpStatus` and `ServiceErrorCode`: one per name whose best row is unique to one code.
fn render_constants(o: &mut String, rows: &[Row]) {
    for (cat_id, ty) in [
        ("http-status", "HttpStatus"),
        ("service-error", "ServiceErrorCode"),
    ] {
        let ci = SPECS.iter().position(|s| s.id == cat_id).unwrap_or(0);
        // name -> codes carrying it in a current/observed row
        let mut by_name: BTreeMap<String, Vec<&Row>> = BTreeMap::new();
        for r in rows.iter().filter(|r| r.catalogue == ci && r.standing <= 1) {
            by_name.entry(const_name(&r.name)).or_default().push(r);
        }
        let _ = writeln!(o, "impl {ty} {{");
        for (cname, rs) in &by_name {
            let mut codes: Vec<u32> = rs.iter().filter_map(|r| r.code_num).collect();
            codes.sort_unstable();
            codes.dedup();
            if codes.len() != 1
                || cname.is_empty()
                || cname.starts_with(|c: char| c.is_ascii_digit())
            {
                continue;
            }
            let r = rs[0];
            let _ = writeln!(
                o,
                "    /// `{}` {}: {}",
                codes[0],
                r.name,
                doc_line(&r.description)
            );
            let _ = writeln!(o, "    pub const {cname}: Self = Self({});", codes[0]);
        }
        o.push_str("}\n\n");
    }
}

fn render_enum(o: &mut String, ci: usize, enum_name: &str, rows: &[Row]) {
    let spec = &SPECS[ci];
    let mine: Vec<(usize, &Row)> = rows
        .iter()
        .enumerate()
        .filter(|(_, r)| r.catalogue == ci)
        .collect();
    let _ = writeln!(
        o,
        "/// A value of the `{}` catalogue (`data/{}`).",
        spec.id, spec.file
    );
    o.push_str("///\n/// Generated from the catalogue: one variant per row. The set is closed (the services document no\n/// other values), so an enum fits; decoding an unknown value is an error, never a silent default.\n");
    o.push_str("#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]\n");
    if spec.key != KeyKind::Text {
        o.push_str("#[repr(u32)]\n");
    }
    let _ = writeln!(o, "pub enum {enum_name} {{");
    for (_, r) in &mine {
        let _ = writeln!(
            o,
            "    /// `{}` {}: {}",
            r.code_text,
            r.name,
            doc_line(&r.description)
        );
        let v = variant_name(spec, r);
        match spec.key {
            KeyKind::Number | KeyKind::Signed => {
                let _ = writeln!(o, "    {v} = {},", r.code_num.unwrap_or(0));
            }
            KeyKind::Text => {
                let _ = writeln!(o, "    {v},");
            }
        }
    }
    o.push_str("}\n\n");
    let _ = writeln!(o, "impl {enum_name} {{");
    let _ = writeln!(o, "    /// Every value, in catalogue order.");
    let _ = write!(o, "    pub const ALL: [Self; {}] = [", mine.len());
    for (_, r) in &mine {
        let v = variant_name(spec, r);
        let _ = write!(o, "Self::{v}, ");
    }
    o.push_str("];\n\n");
    let _ = writeln!(
        o,
        "    /// Position of this value's row in the catalogue table."
    );
    let _ = writeln!(o, "    pub(crate) const fn row(self) -> usize {{");
    let _ = writeln!(o, "        match self {{");
    for (pos, r) in &mine {
        let v = variant_name(spec, r);
        let _ = writeln!(o, "            Self::{v} => {pos},");
    }
    o.push_str("        }\n    }\n}\n\n");
}
