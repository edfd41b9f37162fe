//! `iotcode annotate`: every record of a log export, written back with the decoded codes added.
//!
//! Contract (README "annotate"): one output record per input record, in order, line breaks preserved (so the
//! output has exactly as many lines as the input); JSON lines get an `"iotcode"` member appended to the object,
//! CSV gets `iotcode_*` columns. Records that are not understood are passed through unchanged: malformed ones
//! (not JSON / not CSV / too large / wrong field types) are reported on stderr with their line number, records of
//! an unknown shape are only counted. Memory stays bounded by the record size limit.

use std::io::{self, BufRead, Write};
use std::time::{Duration, Instant};

use azure_iot_codes::payload::{
    CSV_ANNOTATION_COLUMNS, CsvHeader, Payload, PayloadOptions, csv_annotation_fields,
    decode_csv_row, decode_payload_with,
};
use azure_iot_codes::{Error, ErrorKind};

use crate::records::{Format, Record, RecordReader, split_ending};
use azure_iot_codes::report::PayloadReport;

/// Counts reported at the end.
#[derive(Debug, Default, Clone, Copy)]
pub struct Totals {
    pub records: u64,
    pub annotated: u64,
    pub with_codes: u64,
    pub unrecognised: u64,
    pub malformed: u64,
}

/// Progress on stderr for files: at most once a second, `\r`-updated on a terminal, one line each otherwise.
pub struct Progress {
    total: Option<u64>,
    label: String,
    last: Instant,
    tty: bool,
    shown: bool,
}

impl Progress {
    pub fn new(label: &str, total: Option<u64>) -> Progress {
        use std::io::IsTerminal;
        Progress {
            total,
            label: label.to_string(),
            last: Instant::now(),
            tty: io::stderr().is_terminal(),
            shown: false,
        }
    }

    pub fn tick(&mut self, bytes: u64, records: u64) {
        if self.last.elapsed() < Duration::from_secs(1) {
            return;
        }
        self.last = Instant::now();
        self.print(bytes, records);
    }

    fn print(&mut self, bytes: u64, records: u64) {
        let mb = |b: u64| b as f64 / 1_000_000.0;
        let what = match self.total {
            Some(t) if t > 0 => format!(
                "{}%, {:.1} of {:.1} MB",
                (bytes.min(t) * 100) / t,
                mb(bytes),
                mb(t)
            ),
            _ => format!("{:.1} MB", mb(bytes)),
        };
        let end = if self.tty { "\r" } else { "\n" };
        eprint!("{}: {what}, {records} records{end}", self.label);
        self.shown = true;
    }

    pub fn finish(&mut self) {
        if self.shown && self.tty {
            report!();
        }
    }
}

/// Reports a malformed record on stderr.
fn report_malformed(rec: &Record, what: &dyn std::fmt::Display) {
    if rec.lines > 1 {
        report!(
            "iotcode: line {}-{}: {what}; passed through",
            rec.line,
            rec.line + rec.lines - 1
        );
    } else {
        report!("iotcode: line {}: {what}; passed through", rec.line);
    }
}

fn oversized_message(max: usize) -> String {
    format!("record longer than the limit of {max} bytes (--max-bytes)")
}

pub struct Options {
    pub payload: PayloadOptions,
    pub format: Format,
    pub progress: Option<Progress>,
}

/// Annotates `input` onto `out`. Returns the totals.
pub fn run(input: impl BufRead, out: &mut impl Write, mut opts: Options) -> io::Result<Totals> {
    let max = opts.payload.limits.max_bytes;
    let mut reader = RecordReader::new(input, max, false);
    let csv = match opts.format {
        Format::Csv => true,
        Format::Jsonl => false,
        Format::Auto => reader.peek_first_byte()?.is_some_and(|b| b != b'{'),
    };
    reader.set_csv(csv);
    let mut totals = Totals::default();
    let result = if csv {
        run_csv(&mut reader, out, &mut opts, &mut totals)
    } else {
        run_jsonl(&mut reader, out, &mut opts, &mut totals)
    };
    if let Some(p) = &mut opts.progress {
        p.finish();
    }
    result.map(|()| totals)
}

fn is_blank(text: &[u8]) -> bool {
    text.iter().all(u8::is_ascii_whitespace)
}

fn run_jsonl<R: BufRead>(
    reader: &mut RecordReader<R>,
    out: &mut impl Write,
    opts: &mut Options,
    totals: &mut Totals,
) -> io::Result<()> {
    let max = opts.payload.limits.max_bytes;
    while let Some(rec) = reader.next_record(out)? {
        if let Some(p) = &mut opts.progress {
            p.tick(reader.bytes_read(), totals.records);
        }
        if rec.oversized {
            totals.records += 1;
            totals.malformed += 1;
            report_malformed(&rec, &oversized_message(max));
            continue;
        }
        let (body, ending) = split_ending(reader.text());
        if is_blank(body) {
            out.write_all(reader.text())?;
            continue;
        }
        totals.records += 1;
        match annotate_json(body, &opts.payload) {
            Ok(Some((line, payload))) => {
                totals.annotated += 1;
                if !payload.codes().is_empty() {
                    totals.with_codes += 1;
                }
                out.write_all(&line)?;
                out.write_all(ending)?;
            }
            Ok(None) => {
                totals.unrecognised += 1;
                out.write_all(reader.text())?;
            }
            Err(e) => {
                totals.malformed += 1;
                report_malformed(&rec, &e);
                out.write_all(reader.text())?;
            }
        }
    }
    Ok(())
}

/// Why a JSON line cannot be annotated.
enum JsonProblem {
    Decode(Error),
    NotObject,
    AlreadyAnnotated,
    Output(String),
}

impl std::fmt::Display for JsonProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            JsonProblem::Decode(e) => write!(f, "{e}"),
            JsonProblem::NotObject => {
                f.write_str("not a JSON object (JSON lines hold one object per line)")
            }
            JsonProblem::AlreadyAnnotated => f.write_str("already has an \"iotcode\" member"),
            JsonProblem::Output(e) => write!(f, "cannot write the annotation: {e}"),
        }
    }
}

/// The annotated line, `None` for a JSON object of no known shape.
fn annotate_json(
    body: &[u8],
    options: &PayloadOptions,
) -> Result<Option<(Vec<u8>, Payload)>, JsonProblem> {
    let start = body
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(body)
        .iter()
        .find(|b| !b.is_ascii_whitespace());
    if start != Some(&b'{') {
        return Err(JsonProblem::NotObject);
    }
    let payload = match decode_payload_with(body, options) {
        Ok(p) => p,
        Err(e) if e.kind() == ErrorKind::UnknownShape => return Ok(None),
        Err(e) => return Err(JsonProblem::Decode(e)),
    };
    // Decoded, so the bytes are UTF-8 (borrowed, never replaced) and hold exactly one JSON object.
    let text = String::from_utf8_lossy(body);
    let trimmed = text.trim_end();
    let start = trimmed.trim_start_matches('\u{feff}').trim_start();
    if text.contains("\"iotcode\"") {
        let has_member = serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(start)
            .is_ok_and(|m| m.contains_key("iotcode"));
        if has_member {
            return Err(JsonProblem::AlreadyAnnotated);
        }
    }
    // The decode succeeded, so the text is one JSON object whose last non-blank character is its `}`.
    let close = trimmed.len() - 1;
    let inner_is_empty = start[1..start.len() - 1].trim().is_empty();
    let mut line = Vec::with_capacity(text.len() + 1024);
    line.extend_from_slice(&trimmed.as_bytes()[..close]);
    if !inner_is_empty {
        line.push(b',');
    }
    line.extend_from_slice(b"\"iotcode\":");
    serde_json::to_writer(&mut line, &PayloadReport::new(&payload, payload.retry()))
        .map_err(|e| JsonProblem::Output(e.to_string()))?;
    line.push(b'}');
    // Whatever followed the closing brace (trailing blanks) stays too.
    line.extend_from_slice(text[trimmed.len()..].as_bytes());
    Ok(Some((line, payload)))
}

fn run_csv<R: BufRead>(
    reader: &mut RecordReader<R>,
    out: &mut impl Write,
    opts: &mut Options,
    totals: &mut Totals,
) -> io::Result<()> {
    let max = opts.payload.limits.max_bytes;
    // The header: the first non-blank record.
    let header = loop {
        let Some(rec) = reader.next_record(out)? else {
            return Ok(());
        };
        if rec.oversized {
            report_malformed(&rec, &oversized_message(max));
            totals.malformed += 1;
            break None;
        }
        let (body, ending) = split_ending(reader.text());
        if is_blank(body) {
            out.write_all(reader.text())?;
            continue;
        }
        let parsed = std::str::from_utf8(body)
            .map_err(|_| String::from("the header is not UTF-8"))
            .and_then(|t| CsvHeader::parse(t).map_err(|e| e.to_string()));
        match parsed {
            Ok(h) if h.is_azure_diagnostics() => {
                out.write_all(body)?;
                for c in CSV_ANNOTATION_COLUMNS {
                    out.write_all(b",")?;
                    out.write_all(c.as_bytes())?;
                }
                out.write_all(ending)?;
                break Some(h);
            }
            Ok(_) => {
                report!(
                    "iotcode: line {}: the CSV header has no OperationName and Category columns (not an \
                     AzureDiagnostics export); records are passed through without annotation",
                    rec.line
                );
                out.write_all(reader.text())?;
                break None;
            }
            Err(e) => {
                totals.malformed += 1;
                report_malformed(&rec, &format!("cannot read the CSV header: {e}"));
                out.write_all(reader.text())?;
                break None;
            }
        }
    };
    while let Some(rec) = reader.next_record(out)? {
        if let Some(p) = &mut opts.progress {
            p.tick(reader.bytes_read(), totals.records);
        }
        if rec.oversized {
            totals.records += 1;
            totals.malformed += 1;
            report_malformed(&rec, &oversized_message(max));
            continue;
        }
        let (body, ending) = split_ending(reader.text());
        if is_blank(body) {
            out.write_all(reader.text())?;
            continue;
        }
        totals.records += 1;
        let Some(header) = &header else {
            totals.unrecognised += 1;
            out.write_all(reader.text())?;
            continue;
        };
        match decode_csv_row(header, body, &opts.payload) {
            Ok(p) => {
                totals.annotated += 1;
                if !p.codes().is_empty() {
                    totals.with_codes += 1;
                }
                out.write_all(body)?;
                out.write_all(csv_annotation_fields(&p).as_bytes())?;
                out.write_all(ending)?;
            }
            Err(e) => {
                totals.malformed += 1;
                if rec.unterminated {
                    report_malformed(&rec, &format!("{e} (a quoted field is never closed)"));
                } else {
                    report_malformed(&rec, &e);
                }
                out.write_all(reader.text())?;
            }
        }
    }
    Ok(())
}
