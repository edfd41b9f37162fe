//! RFC 4180 records: what Log Analytics' "Export to CSV" writes. Small enough to write here rather than pull a
//! CSV crate into the library (the `csv` crate also needs `std`).

use alloc::string::String;
use alloc::vec::Vec;

use crate::error::{Detail, Error, ErrorKind};

const CSV_EXPECTED: &str = "RFC 4180 CSV: fields separated by commas, quoted with \" when they hold commas, quotes or line breaks";

/// Whether `text` ends inside a quoted field (an odd number of `"` so far): a CSV record continues on the next
/// line. Counts bytes, so it is exact for RFC 4180 (`""` inside a quoted field counts twice).
///
/// ```
/// use azure_iot_codes::payload::csv_record_is_open;
/// assert!(csv_record_is_open("a,\"multi\nline"));
/// assert!(!csv_record_is_open("a,\"quoted, \"\"fine\"\"\",b"));
/// ```
pub fn csv_record_is_open(text: &str) -> bool {
    text.bytes().filter(|&b| b == b'"').count() % 2 == 1
}

/// Splits one CSV record (without its final line break) into its fields, unquoting them.
///
/// ```
/// use azure_iot_codes::payload::split_csv_record;
/// let f = split_csv_record("2025-01-02,\"say \"\"hi\"\", twice\",,x").unwrap();
/// assert_eq!(f, ["2025-01-02", "say \"hi\", twice", "", "x"]);
/// assert!(split_csv_record("a,\"open").is_err());
/// ```
pub fn split_csv_record(record: &str) -> Result<Vec<String>, Error> {
    let record = record.strip_suffix('\n').unwrap_or(record);
    let record = record.strip_suffix('\r').unwrap_or(record);
    let bytes = record.as_bytes();
    let mut fields = Vec::new();
    let mut i = 0;
    loop {
        let mut field = String::new();
        if bytes.get(i) == Some(&b'"') {
            let start = i;
            i += 1;
            loop {
                let Some(rel) = record[i..].find('"') else {
                    return Err(Error::new(ErrorKind::Truncated, record, CSV_EXPECTED)
                        .with_detail(Detail::Offset(start)));
                };
                field.push_str(&record[i..i + rel]);
                i += rel + 1;
                if bytes.get(i) == Some(&b'"') {
                    field.push('"');
                    i += 1;
                } else {
                    break;
                }
            }
            match bytes.get(i) {
                None | Some(b',') => {}
                Some(_) => {
                    return Err(Error::new(ErrorKind::InvalidCsv, record, CSV_EXPECTED)
                        .with_detail(Detail::Offset(i)));
                }
            }
        } else {
            let end = record[i..].find(',').map_or(record.len(), |p| i + p);
            let raw = &record[i..end];
            if let Some(q) = raw.find('"') {
                return Err(Error::new(ErrorKind::InvalidCsv, record, CSV_EXPECTED)
                    .with_detail(Detail::Offset(i + q)));
            }
            field.push_str(raw);
            i = end;
        }
        fields.push(field);
        if i >= bytes.len() {
            return Ok(fields);
        }
        // At a comma.
        i += 1;
    }
}

/// Writes `field` as a CSV field, quoting it when it holds a comma, quote or line break.
///
/// ```
/// let mut out = String::new();
/// azure_iot_codes::payload::push_csv_field(&mut out, "a, \"b\"");
/// assert_eq!(out, "\"a, \"\"b\"\"\"");
/// ```
pub fn push_csv_field(out: &mut String, field: &str) {
    if field.contains([',', '"', '\r', '\n']) {
        out.push('"');
        for c in field.chars() {
            if c == '"' {
                out.push('"');
            }
            out.push(c);
        }
        out.push('"');
    } else {
        out.push_str(field);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    #[test]
    fn records() {
        assert_eq!(split_csv_record("").unwrap(), vec![""]);
        assert_eq!(split_csv_record("a,").unwrap(), vec!["a", ""]);
        assert_eq!(split_csv_record("\"\"").unwrap(), vec![""]);
        assert_eq!(
            split_csv_record("\"a\nb\",c\r\n").unwrap(),
            vec!["a\nb", "c"]
        );
        assert_eq!(
            split_csv_record("\"x\"y").unwrap_err().kind(),
            ErrorKind::InvalidCsv
        );
        assert_eq!(
            split_csv_record("ab\"c").unwrap_err().kind(),
            ErrorKind::InvalidCsv
        );
    }

    #[test]
    fn push_then_split_round_trips() {
        let fields = [
            "plain",
            "",
            "with, comma",
            "with \"quote\"",
            "two\nlines",
            "ü",
        ];
        let mut line = String::new();
        for (i, f) in fields.iter().enumerate() {
            if i > 0 {
                line.push(',');
            }
            push_csv_field(&mut line, f);
        }
        assert_eq!(split_csv_record(&line).unwrap(), fields);
    }
}
