//! Log exports one record at a time, in bounded memory: JSON lines (a record per line) or CSV (a record per line,
//! except that a quoted field may hold line breaks), and the columns `iotcode annotate` appends to a CSV record.
//!
//! A record longer than the limit is never held in memory: its bytes go straight to an overflow writer (the
//! output, for `annotate`, which passes it through) and the caller only learns where it was. Every byte read
//! belongs to exactly one record, so writing each record back (or its overflow) reproduces the input, line
//! breaks included. Needs the `std` feature (it reads a [`std::io::BufRead`]).

use std::io::{self, BufRead, Write};

use super::found::Payload;
use super::push_csv_field;

/// Where a record was and how it was held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Record {
    /// The 1-based line the record starts on.
    pub line: u64,
    /// How many lines it spans (line breaks inside quoted CSV fields count).
    pub lines: u64,
    /// Longer than the limit: its bytes went to the overflow writer and [`RecordReader::text`] is empty.
    pub oversized: bool,
    /// CSV only: the input ended inside a quoted field.
    pub unterminated: bool,
}

/// Reads records from a [`BufRead`], holding at most `max` bytes of one record.
///
/// ```
/// use azure_iot_codes::payload::RecordReader;
/// let input = "Category,OperationName\nConnections,\"device\nConnect\"\r\n";
/// let mut r = RecordReader::new(input.as_bytes(), 1024, true);
/// let mut overflow = Vec::new();
/// let header = r.next_record(&mut overflow).unwrap().unwrap();
/// assert_eq!((header.line, header.lines, r.text()), (1, 1, &b"Category,OperationName\n"[..]));
/// let row = r.next_record(&mut overflow).unwrap().unwrap();
/// assert_eq!((row.line, row.lines), (2, 2)); // the quoted field spans a line break
/// assert_eq!(r.text(), b"Connections,\"device\nConnect\"\r\n");
/// assert!(r.next_record(&mut overflow).unwrap().is_none());
/// assert!(overflow.is_empty());
/// ```
pub struct RecordReader<R> {
    inner: R,
    max: usize,
    csv: bool,
    buf: Vec<u8>,
    next_line: u64,
    bytes_read: u64,
    done: bool,
}

impl<R: BufRead> RecordReader<R> {
    /// A reader of JSON lines (`csv == false`: a record ends at each line break) or CSV records (a line break
    /// inside a quoted field does not end the record), holding at most `max` bytes of one record.
    pub fn new(inner: R, max: usize, csv: bool) -> RecordReader<R> {
        RecordReader {
            inner,
            max,
            csv,
            buf: Vec::new(),
            next_line: 1,
            bytes_read: 0,
            done: false,
        }
    }

    /// Bytes consumed so far.
    ///
    /// ```
    /// use azure_iot_codes::payload::RecordReader;
    /// let mut r = RecordReader::new(&b"{}\n{}\n"[..], 1024, false);
    /// r.next_record(&mut Vec::new()).unwrap();
    /// assert_eq!(r.bytes_read(), 3);
    /// ```
    pub fn bytes_read(&self) -> u64 {
        self.bytes_read
    }

    /// The last record's bytes, line ending included (empty when it was oversized).
    pub fn text(&self) -> &[u8] {
        &self.buf
    }

    /// The next record, or `None` at the end. An oversized record is written to `overflow` as it is read (the
    /// bytes it had buffered first), and [`RecordReader::text`] is then empty.
    ///
    /// ```
    /// use azure_iot_codes::payload::RecordReader;
    /// let mut r = RecordReader::new(&b"{\"a\":1}\n{\"long\":\"xxxxxxxxxxxx\"}\n"[..], 10, false);
    /// let mut overflow = Vec::new();
    /// assert!(!r.next_record(&mut overflow).unwrap().unwrap().oversized);
    /// let long = r.next_record(&mut overflow).unwrap().unwrap();
    /// assert!(long.oversized && r.text().is_empty());
    /// assert_eq!(overflow, b"{\"long\":\"xxxxxxxxxxxx\"}\n");
    /// ```
    pub fn next_record(&mut self, overflow: &mut dyn Write) -> io::Result<Option<Record>> {
        self.buf.clear();
        if self.done {
            return Ok(None);
        }
        let line = self.next_line;
        let mut lines = 0u64;
        let mut open = false;
        let mut oversized = false;
        let mut any = false;
        let mut ends_with_newline = false;
        loop {
            let available = match self.inner.fill_buf() {
                Ok(a) => a,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if available.is_empty() {
                self.done = true;
                if !any {
                    return Ok(None);
                }
                if !ends_with_newline {
                    lines += 1;
                }
                self.next_line += lines;
                return Ok(Some(Record {
                    line,
                    lines,
                    oversized,
                    unterminated: self.csv && open,
                }));
            }
            any = true;
            let mut end = None;
            for (i, &b) in available.iter().enumerate() {
                if self.csv && b == b'"' {
                    open = !open;
                } else if b == b'\n' {
                    lines += 1;
                    if !open {
                        end = Some(i);
                        break;
                    }
                }
            }
            let take = end.map_or(available.len(), |i| i + 1);
            let chunk = &available[..take];
            ends_with_newline = chunk.last() == Some(&b'\n');
            if oversized {
                overflow.write_all(chunk)?;
            } else if self.buf.len() + chunk.len() > self.max {
                oversized = true;
                overflow.write_all(&self.buf)?;
                overflow.write_all(chunk)?;
                self.buf.clear();
            } else {
                self.buf.extend_from_slice(chunk);
            }
            self.inner.consume(take);
            self.bytes_read += take as u64;
            if end.is_some() {
                self.next_line += lines;
                return Ok(Some(Record {
                    line,
                    lines,
                    oversized,
                    unterminated: false,
                }));
            }
        }
    }

    /// The first non-blank byte still to be read (after a UTF-8 byte order mark), looking only at what the
    /// buffer's first fill holds; consumes nothing.
    ///
    /// ```
    /// use azure_iot_codes::payload::RecordReader;
    /// let mut r = RecordReader::new(&b"\xEF\xBB\xBF \n{\"a\":1}"[..], 1024, false);
    /// assert_eq!(r.peek_first_byte().unwrap(), Some(b'{'));
    /// ```
    pub fn peek_first_byte(&mut self) -> io::Result<Option<u8>> {
        let available = self.inner.fill_buf()?;
        let skip_bom = if available.starts_with(b"\xEF\xBB\xBF") {
            3
        } else {
            0
        };
        Ok(available[skip_bom..]
            .iter()
            .copied()
            .find(|b| !b.is_ascii_whitespace()))
    }

    /// Switches between JSON lines and CSV (after [`RecordReader::peek_first_byte`]).
    pub fn set_csv(&mut self, csv: bool) {
        self.csv = csv;
    }
}

/// Splits a record's bytes into its content and its line ending (`\n`, `\r\n` or nothing).
///
/// ```
/// use azure_iot_codes::payload::split_ending;
/// assert_eq!(split_ending(b"a,b\r\n"), (&b"a,b"[..], &b"\r\n"[..]));
/// assert_eq!(split_ending(b"{}"), (&b"{}"[..], &b""[..]));
/// ```
pub fn split_ending(record: &[u8]) -> (&[u8], &[u8]) {
    if let Some(body) = record.strip_suffix(b"\r\n") {
        (body, &record[body.len()..])
    } else if let Some(body) = record.strip_suffix(b"\n") {
        (body, &record[body.len()..])
    } else {
        (record, &[])
    }
}

/// The columns `iotcode annotate` appends to the header of a CSV export.
pub const CSV_ANNOTATION_COLUMNS: [&str; 7] = [
    "iotcode_kind",
    "iotcode_codes",
    "iotcode_names",
    "iotcode_meaning",
    "iotcode_mitigation",
    "iotcode_failure",
    "iotcode_next_action",
];

/// A decision in a few words: `retry after 3 s`, `fix-request`.
fn next_action(d: &crate::retry::Decision) -> String {
    match d.delay_ms() {
        Some(ms) if ms.is_multiple_of(1000) => format!("{} after {} s", d.action(), ms / 1000),
        Some(ms) => format!("{} after {} ms", d.action(), ms),
        None => d.action().to_string(),
    }
}

/// The fields `iotcode annotate` appends to a decoded CSV record, one per [`CSV_ANNOTATION_COLUMNS`], each
/// starting with a comma: the kind, the codes as `<catalogue> <code>` joined by `; ` (each once), their names,
/// the meaning and mitigation of the first code with a meaning, whether the payload reports a failure, and the
/// next action (`retry after 3 s`, `fix-request`).
///
/// Never holds a line break, so an annotated record spans exactly the lines it did: a line break in a value
/// (an error name read from JSON embedded in a field) is written as a space.
///
/// ```
/// use azure_iot_codes::payload::{CsvHeader, PayloadOptions, csv_annotation_fields, decode_csv_row};
/// let h = CsvHeader::parse("Category,OperationName,ResultType,ResourceType").unwrap();
/// let p = decode_csv_row(&h, "Connections,deviceDisconnect,404104,IOTHUBS", &PayloadOptions::new()).unwrap();
/// let fields = csv_annotation_fields(&p);
/// assert!(fields.starts_with(",azure-diagnostics,service-error 404104,DeviceConnectionClosedRemotely,"));
/// ```
pub fn csv_annotation_fields(p: &Payload) -> String {
    let mut codes: Vec<String> = Vec::new();
    let mut names = Vec::new();
    for c in p.codes() {
        let (code, name) = match c.matches().first() {
            Some(m) => (
                format!("{} {}", m.catalogue(), m.code()),
                m.name().to_string(),
            ),
            None => (
                format!("{} {}", c.catalogue(), c.value()),
                String::from("?"),
            ),
        };
        // Two fields naming the same code (ResultType and ResultDescription) are listed once.
        if !codes.contains(&code) {
            codes.push(code);
            names.push(name);
        }
    }
    let first = p.codes().iter().find_map(|c| c.matches().first());
    let fields = vec![
        p.kind().as_str().to_string(),
        codes.join("; "),
        names.join("; "),
        first
            .map(|m| m.description().to_string())
            .unwrap_or_default(),
        first
            .map(|m| m.mitigation().to_string())
            .unwrap_or_default(),
        p.is_failure().to_string(),
        p.retry().map(|d| next_action(&d)).unwrap_or_default(),
    ];
    let mut s = String::new();
    for f in fields {
        s.push(',');
        let one_line = f.replace(['\r', '\n'], " ");
        push_csv_field(&mut s, &one_line);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(input: &str, max: usize, csv: bool) -> (Vec<(Record, String)>, Vec<u8>) {
        let mut r = RecordReader::new(io::BufReader::with_capacity(4, input.as_bytes()), max, csv);
        let mut overflow = Vec::new();
        let mut out = Vec::new();
        while let Some(rec) = r.next_record(&mut overflow).unwrap() {
            out.push((rec, String::from_utf8(r.text().to_vec()).unwrap()));
        }
        (out, overflow)
    }

    #[test]
    fn json_lines_keep_endings_and_count_lines() {
        let (recs, _) = all("{\"a\":1}\r\n\n{\"b\":2}", 100, false);
        let texts: Vec<_> = recs.iter().map(|(_, t)| t.as_str()).collect();
        assert_eq!(texts, ["{\"a\":1}\r\n", "\n", "{\"b\":2}"]);
        let lines: Vec<_> = recs.iter().map(|(r, _)| (r.line, r.lines)).collect();
        assert_eq!(lines, [(1, 1), (2, 1), (3, 1)]);
    }

    #[test]
    fn csv_records_span_quoted_line_breaks() {
        let (recs, _) = all("a,b\n\"x\ny\",z\nlast,\"open", 100, true);
        assert_eq!(recs[1].1, "\"x\ny\",z\n");
        assert_eq!((recs[1].0.line, recs[1].0.lines), (2, 2));
        assert_eq!((recs[2].0.line, recs[2].0.lines), (4, 1));
        assert!(recs[2].0.unterminated);
        // An unterminated quote that runs to the end, past line breaks, spans exactly the remaining lines.
        let (recs, _) = all("a,b\n\"x\ny\n", 100, true);
        assert_eq!((recs[1].0.line, recs[1].0.lines), (2, 2));
        assert!(recs[1].0.unterminated);
    }

    #[test]
    fn oversized_records_stream_to_overflow() {
        let (recs, overflow) = all(
            "{\"a\":1}\n{\"long\":\"xxxxxxxxxxxxxxxxxxxx\"}\n{}\n",
            12,
            false,
        );
        assert!(recs[1].0.oversized);
        assert_eq!(recs[1].1, "");
        assert_eq!(overflow, b"{\"long\":\"xxxxxxxxxxxxxxxxxxxx\"}\n");
        assert_eq!(recs[2].1, "{}\n");
        assert_eq!(recs[2].0.line, 3);
    }
}
