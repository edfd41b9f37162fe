//! `iotcode report`: a summary of a log export. Counts by code with meaning and mitigation, the devices with
//! the most failure records, and the DPS funnel (attestation attempts -> registration attempts -> devices
//! assigned) where the rows allow it. Text, JSON or Markdown.
//!
//! Memory: counts per catalogue row (bounded by the catalogues), per unknown code and per DPS operation (capped),
//! and per device (capped at `MAX_DEVICES`; past that, new devices are counted together and the report says so).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{self, BufRead, Write};

use azure_iot_codes::payload::{
    CsvHeader, Parsed, Payload, PayloadOptions, decode_csv_row, decode_payload_with,
    split_csv_record,
};
use azure_iot_codes::{Catalogue, DpsMetric, ErrorKind, Match, Service};
use serde_json::{Value, json};

use crate::annotate::Progress;
use crate::records::{Format, RecordReader, split_ending};

/// Distinct devices tracked exactly.
pub const MAX_DEVICES: usize = 100_000;
/// Distinct unknown codes and DPS operation/result pairs tracked.
const MAX_OTHER: usize = 1_000;
/// Malformed line numbers kept for the report.
const MAX_LINES_KEPT: usize = 20;

/// The funnel's stages, in order, as the DPS metrics that count them (the `dps-metric` catalogue).
const FUNNEL: [DpsMetric; 3] = [
    DpsMetric::AttestationAttempts,
    DpsMetric::RegistrationAttempts,
    DpsMetric::DeviceAssignments,
];

#[derive(Default)]
struct DeviceStat {
    failures: u64,
    /// The codes seen on its failure records (at most 8 distinct), with counts.
    codes: Vec<(Match, u64)>,
}

#[derive(Default)]
struct Funnel {
    attestation_rows: u64,
    attestation_succeeded: u64,
    registration_final: u64,
    registration_assigned: u64,
    metrics: [Option<f64>; 3],
}

/// Everything counted.
#[derive(Default)]
pub struct Report {
    records: u64,
    recognised: u64,
    unrecognised: u64,
    malformed: u64,
    malformed_lines: Vec<u64>,
    failures: u64,
    kinds: BTreeMap<&'static str, u64>,
    codes: HashMap<CodeKey, (Match, u64)>,
    unknown: HashMap<(Catalogue, String), u64>,
    unknown_other: u64,
    devices: HashMap<String, DeviceStat>,
    untracked_device_failures: u64,
    funnel: Funnel,
    dps_operations: BTreeMap<(String, String), u64>,
    dps_operations_other: u64,
}

/// A match's identity: its catalogue row, and the code itself for Device Update readings (whose row may be the
/// pattern many codes follow, such as a script's exit code).
type CodeKey = (usize, Option<u32>);

fn key(m: &Match) -> CodeKey {
    (
        m.meaning() as *const _ as usize,
        m.erc().map(|r| r.code().as_u32()),
    )
}

impl Report {
    fn malformed_at(&mut self, line: u64) {
        self.records += 1;
        self.malformed += 1;
        if self.malformed_lines.len() < MAX_LINES_KEPT {
            self.malformed_lines.push(line);
        }
    }

    fn add(&mut self, p: &Payload) {
        self.records += 1;
        self.recognised += 1;
        *self.kinds.entry(p.kind().as_str()).or_default() += 1;
        let failure = p.is_failure();
        if failure {
            self.failures += 1;
        }
        let mut seen = HashSet::new();
        for c in p.codes() {
            match c.matches().first() {
                Some(m) => {
                    if seen.insert(key(m)) {
                        self.codes.entry(key(m)).or_insert((*m, 0)).1 += 1;
                    }
                }
                None => {
                    let k = (c.catalogue(), c.value().to_string());
                    if let Some(n) = self.unknown.get_mut(&k) {
                        *n += 1;
                    } else if self.unknown.len() < MAX_OTHER {
                        self.unknown.insert(k, 1);
                    } else {
                        self.unknown_other += 1;
                    }
                }
            }
        }
        let ctx = p.context();
        if failure && let Some(device) = ctx.device_id.as_ref().or(ctx.registration_id.as_ref()) {
            let top = p
                .codes()
                .iter()
                .filter(|c| c.indicates_failure())
                .find_map(|c| c.matches().first().copied())
                .or_else(|| p.codes().iter().find_map(|c| c.matches().first().copied()));
            let tracked = self.devices.len() < MAX_DEVICES || self.devices.contains_key(device);
            if tracked {
                let stat = self.devices.entry(device.clone()).or_default();
                stat.failures += 1;
                if let Some(m) = top {
                    if let Some((_, n)) = stat.codes.iter_mut().find(|(x, _)| *x == m) {
                        *n += 1;
                    } else if stat.codes.len() < 8 {
                        stat.codes.push((m, 1));
                    }
                }
            } else {
                self.untracked_device_failures += 1;
            }
        }
        match p.parsed() {
            Parsed::AzureDiagnostics(row) if p.service() == Some(Service::Dps) => {
                let op = row.operation_name.clone().unwrap_or_default();
                if op.eq_ignore_ascii_case("AttestationAttempt") {
                    self.funnel.attestation_rows += 1;
                    if !row.is_failure() {
                        self.funnel.attestation_succeeded += 1;
                    }
                }
                let k = (op, row.result_type.clone().unwrap_or_default());
                if let Some(n) = self.dps_operations.get_mut(&k) {
                    *n += 1;
                } else if self.dps_operations.len() < MAX_OTHER {
                    self.dps_operations.insert(k, 1);
                } else {
                    self.dps_operations_other += 1;
                }
            }
            Parsed::DpsRegistration(op) => {
                let status = op.registration_status().unwrap_or("");
                if ["assigned", "failed", "disabled"]
                    .iter()
                    .any(|s| s.eq_ignore_ascii_case(status))
                {
                    self.funnel.registration_final += 1;
                }
                if status.eq_ignore_ascii_case("assigned") {
                    self.funnel.registration_assigned += 1;
                }
            }
            _ => {}
        }
    }

    /// An `AzureMetrics` row (`MetricName`, `Total`) of one of the DPS funnel metrics. Returns whether it was one.
    fn add_metric(&mut self, name: &str, total: &str) -> bool {
        let Some(i) = name
            .parse::<DpsMetric>()
            .ok()
            .and_then(|m| FUNNEL.iter().position(|f| *f == m))
        else {
            return false;
        };
        let Ok(v) = total.trim().parse::<f64>() else {
            return false;
        };
        *self.funnel.metrics[i].get_or_insert(0.0) += v;
        self.records += 1;
        self.recognised += 1;
        *self.kinds.entry("azure-metrics").or_default() += 1;
        true
    }

    fn unrecognised(&mut self) {
        self.records += 1;
        self.unrecognised += 1;
    }
}

/// Reads the export and counts.
pub fn collect(
    input: impl BufRead,
    options: &PayloadOptions,
    format: Format,
    mut progress: Option<Progress>,
) -> io::Result<Report> {
    let max = options.limits.max_bytes;
    let mut reader = RecordReader::new(input, max, false);
    let csv = match format {
        Format::Csv => true,
        Format::Jsonl => false,
        Format::Auto => reader.peek_first_byte()?.is_some_and(|b| b != b'{'),
    };
    reader.set_csv(csv);
    let mut report = Report::default();
    let mut sink = io::sink();
    // CSV: the header, and which kind of export it is.
    let mut header: Option<CsvHeader> = None;
    let mut metric_columns: Option<(usize, usize, usize)> = None;
    let mut header_seen = !csv;
    while let Some(rec) = reader.next_record(&mut sink)? {
        if let Some(p) = &mut progress {
            p.tick(reader.bytes_read(), report.records);
        }
        if rec.oversized {
            report.malformed_at(rec.line);
            continue;
        }
        let (body, _) = split_ending(reader.text());
        if body.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        if !header_seen {
            header_seen = true;
            match std::str::from_utf8(body).ok().map(CsvHeader::parse) {
                Some(Ok(h)) => {
                    let col = |n: &str| h.names().iter().position(|x| x.eq_ignore_ascii_case(n));
                    if let (Some(name), Some(total)) = (col("MetricName"), col("Total")) {
                        metric_columns = Some((name, total, h.len()));
                    }
                    header = Some(h);
                }
                _ => report.malformed_at(rec.line),
            }
            continue;
        }
        if csv {
            match (&header, metric_columns) {
                (Some(h), _) if h.is_azure_diagnostics() => {
                    match decode_csv_row(h, body, options) {
                        Ok(p) => report.add(&p),
                        Err(_) => report.malformed_at(rec.line),
                    }
                }
                (_, Some((name, total, len))) => {
                    let fields = std::str::from_utf8(body).ok().map(split_csv_record);
                    match fields {
                        Some(Ok(f)) if f.len() == len => {
                            if !report.add_metric(&f[name], &f[total]) {
                                report.unrecognised();
                            }
                        }
                        _ => report.malformed_at(rec.line),
                    }
                }
                _ => report.unrecognised(),
            }
            continue;
        }
        // JSON lines hold one object per line; anything else is malformed, as `annotate` reports it.
        let first = body
            .strip_prefix(b"\xEF\xBB\xBF")
            .unwrap_or(body)
            .iter()
            .find(|b| !b.is_ascii_whitespace());
        if first != Some(&b'{') {
            report.malformed_at(rec.line);
            continue;
        }
        match decode_payload_with(body, options) {
            Ok(p) => report.add(&p),
            Err(e) if e.kind() == ErrorKind::UnknownShape => {
                let metric = serde_json::from_slice::<serde_json::Map<String, Value>>(body)
                    .ok()
                    .and_then(|m| {
                        let get = |k: &str| {
                            m.iter().find(|(x, _)| x.eq_ignore_ascii_case(k)).map(
                                |(_, v)| match v {
                                    Value::String(s) => s.clone(),
                                    other => other.to_string(),
                                },
                            )
                        };
                        Some((get("MetricName")?, get("Total")?))
                    });
                let counted = metric.is_some_and(|(n, t)| report.add_metric(&n, &t));
                if !counted {
                    report.unrecognised();
                }
            }
            Err(_) => report.malformed_at(rec.line),
        }
    }
    if let Some(p) = &mut progress {
        p.finish();
    }
    Ok(report)
}

struct Stage {
    name: &'static str,
    count: Option<f64>,
    succeeded: Option<u64>,
    source: &'static str,
}

impl Report {
    fn sorted_codes(&self) -> Vec<(Match, u64)> {
        let mut v: Vec<_> = self.codes.values().copied().collect();
        v.sort_by(|a, b| {
            b.1.cmp(&a.1)
                .then_with(|| a.0.catalogue().cmp(&b.0.catalogue()))
                .then_with(|| a.0.code().to_string().cmp(&b.0.code().to_string()))
        });
        v
    }

    fn sorted_unknown(&self) -> Vec<(&(Catalogue, String), u64)> {
        let mut v: Vec<_> = self.unknown.iter().map(|(k, n)| (k, *n)).collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        v
    }

    fn top_devices(&self, n: usize) -> Vec<(&String, &DeviceStat)> {
        let mut v: Vec<_> = self.devices.iter().collect();
        v.sort_by(|a, b| b.1.failures.cmp(&a.1.failures).then_with(|| a.0.cmp(b.0)));
        v.truncate(n);
        v
    }

    fn top_code(stat: &DeviceStat) -> Option<Match> {
        stat.codes.iter().max_by_key(|(_, n)| *n).map(|(m, _)| *m)
    }

    fn stages(&self) -> [Stage; 3] {
        let f = &self.funnel;
        let rows = |n: u64| (n > 0).then_some(n as f64);
        let pick =
            |metric: Option<f64>, from_rows: Option<f64>, rows_source: &'static str| match metric {
                Some(m) => (Some(m), "AzureMetrics"),
                None => (
                    from_rows,
                    if from_rows.is_some() { rows_source } else { "" },
                ),
            };
        let (a, a_src) = pick(
            f.metrics[0],
            rows(f.attestation_rows),
            "AttestationAttempt rows",
        );
        let (r, r_src) = pick(
            f.metrics[1],
            rows(f.registration_final),
            "final DPS registration responses",
        );
        let (d, d_src) = pick(
            f.metrics[2],
            rows(f.registration_assigned),
            "DPS registration responses with status assigned",
        );
        [
            Stage {
                name: "attestation attempts",
                count: a,
                succeeded: (f.metrics[0].is_none() && f.attestation_rows > 0)
                    .then_some(f.attestation_succeeded),
                source: a_src,
            },
            Stage {
                name: "registration attempts",
                count: r,
                succeeded: None,
                source: r_src,
            },
            Stage {
                name: "devices assigned",
                count: d,
                succeeded: None,
                source: d_src,
            },
        ]
    }

    /// The JSON document (`--json`).
    pub fn to_json(&self, top: usize) -> Value {
        let codes: Vec<Value> = self
            .sorted_codes()
            .into_iter()
            .map(|(m, n)| {
                json!({
                    "count": n,
                    "catalogue": m.catalogue(),
                    "code": m.code(),
                    "name": m.name(),
                    "standing": m.standing(),
                    "description": m.description(),
                    "mitigation": m.mitigation(),
                })
            })
            .collect();
        let unknown: Vec<Value> = self
            .sorted_unknown()
            .into_iter()
            .map(|((c, v), n)| json!({"count": n, "catalogue": c, "value": v}))
            .collect();
        let devices: Vec<Value> = self
            .top_devices(top)
            .into_iter()
            .map(|(d, s)| {
                let top = Report::top_code(s).map(
                    |m| json!({"catalogue": m.catalogue(), "code": m.code(), "name": m.name()}),
                );
                json!({"device": d, "failures": s.failures, "top_code": top})
            })
            .collect();
        let stages: Vec<Value> = self
            .stages()
            .iter()
            .map(|s| {
                json!({
                    "stage": s.name,
                    "count": s.count,
                    "succeeded": s.succeeded,
                    "source": if s.count.is_some() { Some(s.source) } else { None },
                })
            })
            .collect();
        let ops: Vec<Value> = self
            .dps_operations
            .iter()
            .map(|((op, rt), n)| json!({"operation_name": op, "result_type": rt, "count": n}))
            .collect();
        json!({
            "records": {
                "total": self.records,
                "recognised": self.recognised,
                "unrecognised": self.unrecognised,
                "malformed": self.malformed,
                "malformed_lines": self.malformed_lines,
                "failures": self.failures,
            },
            "kinds": self.kinds,
            "codes": codes,
            "unknown_codes": unknown,
            "unknown_codes_not_listed": self.unknown_other,
            "devices": devices,
            "devices_tracked": self.devices.len(),
            "device_failures_not_tracked": self.untracked_device_failures,
            "funnel": stages,
            "dps_operations": ops,
            "dps_operations_not_listed": self.dps_operations_other,
        })
    }

    fn records_line(&self) -> String {
        let mut s = format!(
            "{} records: {} recognised, {} not recognised, {} malformed",
            self.records, self.recognised, self.unrecognised, self.malformed
        );
        if !self.malformed_lines.is_empty() {
            let lines: Vec<String> = self.malformed_lines.iter().map(u64::to_string).collect();
            let more = if self.malformed > self.malformed_lines.len() as u64 {
                ", ..."
            } else {
                ""
            };
            let word = if self.malformed == 1 { "line" } else { "lines" };
            s.push_str(&format!(" ({word} {}{more})", lines.join(", ")));
        }
        s.push_str(&format!("; {} report a failure", self.failures));
        s
    }

    fn fmt_count(c: f64) -> String {
        if c.fract() == 0.0 {
            format!("{c:.0}")
        } else {
            format!("{c:.2}")
        }
    }

    /// Plain text.
    pub fn write_text(&self, out: &mut impl Write, top: usize) -> io::Result<()> {
        writeln!(out, "{}", self.records_line())?;
        writeln!(out)?;
        writeln!(out, "Codes (records carrying each):")?;
        let codes = self.sorted_codes();
        if codes.is_empty() {
            writeln!(out, "  none")?;
        }
        for (m, n) in &codes {
            writeln!(out, "{n:>8}  [{}] {} {}", m.catalogue(), m.code(), m.name())?;
            writeln!(out, "          What happened: {}", m.description())?;
            writeln!(out, "          What to do:    {}", m.mitigation())?;
        }
        for ((c, v), n) in self.sorted_unknown() {
            writeln!(out, "{n:>8}  [{c}] {v} (no catalogue meaning)")?;
        }
        writeln!(out)?;
        writeln!(out, "Most affected devices (failure records):")?;
        let devices = self.top_devices(top);
        if devices.is_empty() {
            writeln!(out, "  none")?;
        }
        for (d, s) in devices {
            let code = Report::top_code(s)
                .map(|m| format!("  mostly [{}] {} {}", m.catalogue(), m.code(), m.name()))
                .unwrap_or_default();
            writeln!(out, "{:>8}  {d}{code}", s.failures)?;
        }
        if self.untracked_device_failures > 0 {
            writeln!(
                out,
                "  (more than {MAX_DEVICES} devices: {} failure records of later devices are not broken down)",
                self.untracked_device_failures
            )?;
        }
        writeln!(out)?;
        writeln!(out, "DPS funnel:")?;
        for s in self.stages() {
            match s.count {
                Some(c) => {
                    let ok = s
                        .succeeded
                        .map(|n| format!(" ({n} succeeded)"))
                        .unwrap_or_default();
                    writeln!(
                        out,
                        "  {:<22} {:>8}{ok}  from {}",
                        s.name,
                        Report::fmt_count(c),
                        s.source
                    )?;
                }
                None => writeln!(out, "  {:<22} {:>8}  (no rows for this stage)", s.name, "-")?,
            }
        }
        if !self.dps_operations.is_empty() {
            writeln!(out)?;
            writeln!(out, "DPS operations (OperationName, ResultType):")?;
            for ((op, rt), n) in &self.dps_operations {
                writeln!(out, "{n:>8}  {op} {rt}")?;
            }
        }
        Ok(())
    }

    /// Markdown.
    pub fn write_markdown(&self, out: &mut impl Write, top: usize) -> io::Result<()> {
        let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
        writeln!(out, "# iotcode report")?;
        writeln!(out)?;
        writeln!(out, "{}", self.records_line())?;
        writeln!(out)?;
        writeln!(out, "## Codes")?;
        writeln!(out)?;
        writeln!(
            out,
            "| records | catalogue | code | name | what happened | what to do |"
        )?;
        writeln!(out, "|---:|---|---|---|---|---|")?;
        for (m, n) in self.sorted_codes() {
            writeln!(
                out,
                "| {n} | {} | {} | {} | {} | {} |",
                m.catalogue(),
                m.code(),
                cell(m.name()),
                cell(m.description()),
                cell(m.mitigation())
            )?;
        }
        for ((c, v), n) in self.sorted_unknown() {
            writeln!(
                out,
                "| {n} | {c} | {} | ? | no catalogue meaning | |",
                cell(v)
            )?;
        }
        writeln!(out)?;
        writeln!(out, "## Most affected devices")?;
        writeln!(out)?;
        writeln!(out, "| failure records | device | most frequent code |")?;
        writeln!(out, "|---:|---|---|")?;
        for (d, s) in self.top_devices(top) {
            let code = Report::top_code(s)
                .map(|m| format!("{} {} {}", m.catalogue(), m.code(), cell(m.name())))
                .unwrap_or_default();
            writeln!(out, "| {} | {} | {code} |", s.failures, cell(d))?;
        }
        writeln!(out)?;
        writeln!(out, "## DPS funnel")?;
        writeln!(out)?;
        writeln!(out, "| stage | count | source |")?;
        writeln!(out, "|---|---:|---|")?;
        for s in self.stages() {
            match s.count {
                Some(c) => {
                    let ok = s
                        .succeeded
                        .map(|n| format!(" ({n} succeeded)"))
                        .unwrap_or_default();
                    writeln!(
                        out,
                        "| {} | {}{ok} | {} |",
                        s.name,
                        Report::fmt_count(c),
                        s.source
                    )?;
                }
                None => writeln!(out, "| {} | - | no rows for this stage |", s.name)?,
            }
        }
        Ok(())
    }
}
