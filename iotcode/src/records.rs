//! Reading a log export one record at a time in bounded memory: JSON lines (a record per line) or CSV (a record
//! per line, except that a quoted field may hold line breaks).
//!
//! A record longer than the limit is never held in memory: its bytes go straight to an overflow writer (the
//! output, for `annotate`, which passes it through) and the caller only learns where it was.

use std::io::{self, BufRead, Write};

/// How the export is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Decide from the first non-blank byte: `{` means JSON lines, anything else CSV.
    Auto,
    /// One JSON object per line.
    Jsonl,
    /// A header line, then one row per record (RFC 4180).
    Csv,
}

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

/// Reads records from `inner`, holding at most `max` bytes of one record.
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
    /// A reader of JSON lines (`csv == false`) or CSV records.
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
    pub fn bytes_read(&self) -> u64 {
        self.bytes_read
    }

    /// The last record's bytes, line ending included (empty when it was oversized).
    pub fn text(&self) -> &[u8] {
        &self.buf
    }

    /// The next record, or `None` at the end. Oversized records are written to `overflow` as they are read.
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

    /// The first non-blank byte still to be read, without consuming anything beyond the buffer's first fill.
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
pub fn split_ending(record: &[u8]) -> (&[u8], &[u8]) {
    if let Some(body) = record.strip_suffix(b"\r\n") {
        (body, &record[body.len()..])
    } else if let Some(body) = record.strip_suffix(b"\n") {
        (body, &record[body.len()..])
    } else {
        (record, &[])
    }
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
