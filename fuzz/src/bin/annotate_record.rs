//! What `iotcode annotate` does to a log export, through the library parts it is made of: the bounded record
//! reader (`payload::RecordReader`, JSON lines or CSV whose quoted fields span lines, records longer than the
//! limit streamed to the overflow writer), then per record `decode_payload_with` (JSON lines) or `CsvHeader` +
//! `decode_csv_row` + `csv_annotation_fields` (CSV). Input layout at [`split`].
//!
//! The annotate contract: lines in = lines out. Every byte read belongs to exactly one record, in order (the
//! records written back reproduce the input); records are numbered by the line they start on and span exactly
//! their line breaks; and what annotate appends to a record (the JSON member, the CSV fields) holds no line
//! break, so the annotated export has exactly the input's line breaks. Never a panic.
#![no_main]

use std::io::BufReader;

use azure_iot_codes::payload::{
    CSV_ANNOTATION_COLUMNS, CsvHeader, Limits, PayloadOptions, RecordReader, csv_annotation_fields,
    decode_csv_row, decode_payload_with, split_ending,
};
use libfuzzer_sys::fuzz_target;

/// Input layout: byte 0 flags (bit 0: CSV, bit 1: decide from the first byte as `--format auto` does), byte 1
/// the record size limit (0: the default 1 MiB, else 2 bytes per unit), byte 2 the reader's buffer size minus
/// one (small buffers split records across fills); the rest is the export.
fn split(data: &[u8]) -> (u8, usize, usize, &[u8]) {
    match data {
        [flags, max, cap, rest @ ..] => {
            let max = if *max == 0 {
                Limits::DEFAULT_MAX_BYTES
            } else {
                usize::from(*max) * 2
            };
            (*flags, max, usize::from(*cap) + 1, rest)
        }
        _ => (0, Limits::DEFAULT_MAX_BYTES, 64, data),
    }
}

fn line_breaks(b: &[u8]) -> usize {
    b.iter().filter(|&&c| c == b'\n').count()
}

fn is_blank(b: &[u8]) -> bool {
    b.iter().all(u8::is_ascii_whitespace)
}

fuzz_target!(|data: &[u8]| {
    let (flags, max, cap, input) = split(data);
    let options = PayloadOptions::new().limits(Limits::new().max_bytes(max));
    let mut reader = RecordReader::new(BufReader::with_capacity(cap, input), max, false);
    let csv = if flags & 2 != 0 {
        let first = reader
            .peek_first_byte()
            .expect("reading memory cannot fail");
        first.is_some_and(|b| b != b'{')
    } else {
        flags & 1 != 0
    };
    reader.set_csv(csv);

    // `read_back`: each record as read (what a pass-through writes); `annotated`: what annotate writes.
    let mut read_back: Vec<u8> = Vec::new();
    let mut annotated: Vec<u8> = Vec::new();
    let mut overflow: Vec<u8> = Vec::new();
    let mut next_line = 1u64;
    let mut header: Option<Option<CsvHeader>> = None;
    let mut last_unterminated = false;
    while let Some(rec) = reader
        .next_record(&mut overflow)
        .expect("reading memory cannot fail")
    {
        assert!(!last_unterminated, "a record after one that ran to the end");
        last_unterminated = rec.unterminated;
        assert!(csv || !rec.unterminated);
        assert_eq!(rec.line, next_line, "{rec:?}");
        assert!(rec.lines >= 1, "{rec:?}");
        next_line += rec.lines;
        let bytes: Vec<u8> = if rec.oversized {
            assert!(reader.text().is_empty());
            std::mem::take(&mut overflow)
        } else {
            assert!(overflow.is_empty(), "overflow for a record that fit");
            let t = reader.text().to_vec();
            assert!(
                !t.is_empty() && t.len() <= max,
                "{rec:?}: {} bytes",
                t.len()
            );
            t
        };
        // A record spans its line breaks, plus its last line when the input ends without one.
        let breaks = line_breaks(&bytes) as u64;
        let ends = bytes.last() == Some(&b'\n');
        assert_eq!(rec.lines, breaks + u64::from(!ends), "{rec:?}");
        if !csv || !rec.unterminated {
            // A record ends at a line break outside quotes (JSON lines: at every line break), or at the end.
            let inner = bytes.strip_suffix(b"\n").unwrap_or(&bytes);
            if !csv {
                assert!(!inner.contains(&b'\n'), "a JSON-lines record spans lines");
            } else {
                assert!(
                    inner.iter().filter(|&&b| b == b'"').count() % 2 == 0,
                    "a CSV record ends inside quotes"
                );
            }
        }
        read_back.extend_from_slice(&bytes);
        if rec.oversized {
            // Passed through unchanged.
            annotated.extend_from_slice(&bytes);
            if csv && header.is_none() {
                header = Some(None);
            }
            continue;
        }
        let (body, ending) = split_ending(&bytes);
        assert_eq!([body, ending].concat(), bytes);
        if is_blank(body) {
            annotated.extend_from_slice(&bytes);
            continue;
        }
        if csv {
            let Some(h) = &header else {
                // The header: the first non-blank record; an AzureDiagnostics one gets the columns.
                let h = std::str::from_utf8(body)
                    .ok()
                    .and_then(|t| CsvHeader::parse(t).ok())
                    .filter(CsvHeader::is_azure_diagnostics);
                annotated.extend_from_slice(body);
                if h.is_some() {
                    for c in CSV_ANNOTATION_COLUMNS {
                        annotated.push(b',');
                        annotated.extend_from_slice(c.as_bytes());
                    }
                }
                annotated.extend_from_slice(ending);
                header = Some(h);
                continue;
            };
            match h.as_ref().map(|h| decode_csv_row(h, body, &options)) {
                Some(Ok(p)) => {
                    let fields = csv_annotation_fields(&p);
                    assert!(!fields.contains(['\n', '\r']), "{fields:?}");
                    assert!(fields.matches(',').count() >= CSV_ANNOTATION_COLUMNS.len());
                    annotated.extend_from_slice(body);
                    annotated.extend_from_slice(fields.as_bytes());
                    annotated.extend_from_slice(ending);
                }
                _ => annotated.extend_from_slice(&bytes),
            }
        } else {
            let object = body
                .strip_prefix(b"\xEF\xBB\xBF")
                .unwrap_or(body)
                .iter()
                .find(|b| !b.is_ascii_whitespace())
                == Some(&b'{');
            match decode_payload_with(body, &options).ok().filter(|_| object) {
                Some(p) => {
                    // The member annotate appends is compact JSON: no raw line break.
                    let member = serde_json::to_vec(&p).expect("a payload serializes");
                    assert!(!member.contains(&b'\n') && !member.contains(&b'\r'));
                    annotated.extend_from_slice(body);
                    annotated.extend_from_slice(b",\"iotcode\":");
                    annotated.extend_from_slice(&member);
                    annotated.extend_from_slice(ending);
                }
                None => annotated.extend_from_slice(&bytes),
            }
        }
    }
    assert!(overflow.is_empty());
    // Every byte in exactly one record, in order; every line counted once.
    assert_eq!(read_back, input, "records do not add up to the input");
    assert_eq!(reader.bytes_read(), input.len() as u64);
    let input_lines =
        line_breaks(input) as u64 + u64::from(!input.is_empty() && !input.ends_with(b"\n"));
    assert_eq!(next_line - 1, input_lines);
    // Lines in = lines out.
    assert_eq!(
        line_breaks(&annotated),
        line_breaks(input),
        "annotating changed the number of lines"
    );
});
