//! The catalogue generator, run on broken copies of `data/`: every mistake stops it with
//! `data/<file>.csv:<line>: <what is wrong>`. Also: the output is byte-stable and marked `@generated`.

#[path = "../codegen/mod.rs"]
#[allow(dead_code)]
mod codegen;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A fresh copy of `data/` in a temporary directory (removed on drop).
struct DataCopy(PathBuf);

impl DataCopy {
    fn new() -> DataCopy {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!("aic-codegen-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
        for e in std::fs::read_dir(src).unwrap() {
            let e = e.unwrap();
            if e.path().extension().is_some_and(|x| x == "csv") {
                std::fs::copy(e.path(), dir.join(e.file_name())).unwrap();
            }
        }
        DataCopy(dir)
    }

    fn edit(&self, file: &str, f: impl FnOnce(Vec<u8>) -> Vec<u8>) {
        let p = self.0.join(file);
        let bytes = std::fs::read(&p).unwrap();
        std::fs::write(&p, f(bytes)).unwrap();
    }

    /// Replaces line `line` (1-based) of `file` with what `f` makes of it.
    fn edit_line(&self, file: &str, line: usize, f: impl FnOnce(&str) -> String) {
        self.edit(file, |b| {
            let text = String::from_utf8(b).unwrap();
            let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
            lines[line - 1] = f(&lines[line - 1]);
            (lines.join("\n") + "\n").into_bytes()
        });
    }

    fn line(&self, file: &str, line: usize) -> String {
        std::fs::read_to_string(self.0.join(file))
            .unwrap()
            .lines()
            .nth(line - 1)
            .unwrap()
            .to_string()
    }

    fn error(&self) -> String {
        match codegen::generate(&self.0) {
            Ok(_) => panic!("the generator accepted broken data"),
            Err(e) => e.to_string(),
        }
    }
}

impl Drop for DataCopy {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Rewrites one CSV field of a record line (parsing it properly, since fields may be quoted).
fn set_field(line: &str, column: usize, value: &str) -> String {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(line.as_bytes());
    let rec = r.records().next().unwrap().unwrap();
    let mut fields: Vec<String> = rec.iter().map(str::to_string).collect();
    fields[column] = value.to_string();
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(vec![]);
    w.write_record(&fields).unwrap();
    String::from_utf8(w.into_inner().unwrap())
        .unwrap()
        .trim_end()
        .to_string()
}

#[test]
fn real_data_generates_byte_stable_output() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let a = codegen::generate(&dir).unwrap();
    let b = codegen::generate(&dir).unwrap();
    assert_eq!(a, b);
    assert!(a.starts_with("// @generated"));
}

#[test]
fn duplicate_key_in_a_closed_catalogue() {
    let d = DataCopy::new();
    let row = d.line("mqtt_connack.csv", 3);
    d.edit_line("mqtt_connack.csv", 3, |l| format!("{l}\n{row}"));
    let e = d.error();
    assert!(
        e.starts_with("data/mqtt_connack.csv:4: duplicate key"),
        "{e}"
    );
}

#[test]
fn duplicate_meaning_in_service_errors() {
    let d = DataCopy::new();
    let row = d.line("service_errors.csv", 2);
    d.edit_line("service_errors.csv", 2, |l| format!("{l}\n{row}"));
    let e = d.error();
    assert!(
        e.starts_with("data/service_errors.csv:3: duplicate key"),
        "{e}"
    );
}

#[test]
fn unknown_service_value() {
    let d = DataCopy::new();
    d.edit_line("http_statuses.csv", 5, |l| set_field(l, 4, "iot-edge"));
    let e = d.error();
    assert!(
        e.starts_with("data/http_statuses.csv:5: unknown service \"iot-edge\""),
        "{e}"
    );
}

#[test]
fn unknown_standing_value() {
    let d = DataCopy::new();
    let header = d.line("service_errors.csv", 1);
    let col = header.split(',').position(|c| c == "standing").unwrap();
    d.edit_line("service_errors.csv", 7, |l| set_field(l, col, "maybe"));
    let e = d.error();
    assert!(
        e.starts_with("data/service_errors.csv:7: unknown standing \"maybe\""),
        "{e}"
    );
}

#[test]
fn empty_mitigation() {
    let d = DataCopy::new();
    d.edit_line("auth_suberrors.csv", 3, |l| set_field(l, 6, ""));
    let e = d.error();
    assert_eq!(e, "data/auth_suberrors.csv:3: empty mitigation");
}

#[test]
fn six_digit_code_whose_prefix_disagrees_with_its_http_status() {
    let d = DataCopy::new();
    d.edit_line("service_errors.csv", 10, |l| set_field(l, 3, "500"));
    let e = d.error();
    assert!(
        e.starts_with("data/service_errors.csv:10: code 4000"),
        "{e}"
    );
    assert!(e.contains("but http_status is 500"), "{e}");
}

#[test]
fn invalid_utf8() {
    let d = DataCopy::new();
    d.edit("iot_central_statuses.csv", |mut b| {
        // Inside the third line.
        let third = b
            .iter()
            .enumerate()
            .filter(|(_, c)| **c == b'\n')
            .nth(1)
            .unwrap()
            .0
            + 3;
        b.insert(third, 0xFF);
        b
    });
    assert_eq!(d.error(), "data/iot_central_statuses.csv:3: invalid UTF-8");
}

#[test]
fn missing_column() {
    let d = DataCopy::new();
    d.edit("dps_registration_statuses.csv", |b| {
        let text = String::from_utf8(b).unwrap();
        let mut r = csv::Reader::from_reader(text.as_bytes());
        let h = r.headers().unwrap().clone();
        let drop = h.iter().position(|c| c == "mitigation").unwrap();
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(vec![]);
        w.write_record(
            h.iter()
                .enumerate()
                .filter(|(i, _)| *i != drop)
                .map(|(_, c)| c),
        )
        .unwrap();
        for rec in r.records() {
            let rec = rec.unwrap();
            w.write_record(
                rec.iter()
                    .enumerate()
                    .filter(|(i, _)| *i != drop)
                    .map(|(_, c)| c),
            )
            .unwrap();
        }
        w.into_inner().unwrap()
    });
    assert_eq!(
        d.error(),
        "data/dps_registration_statuses.csv:1: missing column `mitigation`"
    );
}

#[test]
fn row_with_a_missing_field() {
    let d = DataCopy::new();
    d.edit_line("mqtt_connack.csv", 4, |_| "3,ServerUnavailable".to_string());
    let e = d.error();
    assert!(
        e.starts_with("data/mqtt_connack.csv:4: expected 9 fields, found 2"),
        "{e}"
    );
}

#[test]
fn unsorted_rows() {
    let d = DataCopy::new();
    let second = d.line("http_statuses.csv", 2);
    let third = d.line("http_statuses.csv", 3);
    let code2 = second.split(',').next().unwrap().to_string();
    let code3 = third.split(',').next().unwrap().to_string();
    assert_ne!(
        code2, code3,
        "fixture assumption: lines 2 and 3 have different codes"
    );
    d.edit_line("http_statuses.csv", 2, |_| third.clone());
    d.edit_line("http_statuses.csv", 3, |_| second.clone());
    let e = d.error();
    assert!(
        e.starts_with("data/http_statuses.csv:3: rows are not sorted"),
        "{e}"
    );
}

#[test]
fn non_numeric_code_in_a_numeric_catalogue() {
    let d = DataCopy::new();
    d.edit_line("service_errors.csv", 5, |l| set_field(l, 0, "40x001"));
    let e = d.error();
    assert!(
        e.starts_with(
            "data/service_errors.csv:5: code \"40x001\" is not an unsigned decimal or 0x-hex 32-bit number"
        ),
        "{e}"
    );
}

#[test]
fn bad_source() {
    let d = DataCopy::new();
    d.edit_line("mqtt_connack.csv", 2, |l| {
        set_field(l, 7, "somewhere on the internet")
    });
    let e = d.error();
    assert!(
        e.starts_with("data/mqtt_connack.csv:2: source \"somewhere on the internet\""),
        "{e}"
    );
}

#[test]
fn mph_is_collision_free_for_dense_and_sparse_keys() {
    for keys in [
        (0u32..200).collect::<Vec<_>>(),
        (0..170).map(|i| 400_000 + i * 577).collect(),
        vec![0, u32::MAX, 1 << 31, 7],
        vec![],
    ] {
        let m = codegen::find_mph(&keys, "test");
        let mut slots: Vec<usize> = keys.iter().map(|&k| m.slot(k)).collect();
        slots.sort_unstable();
        slots.dedup();
        assert_eq!(slots.len(), keys.len());
        assert!(slots.iter().all(|&s| s < 1 << m.bits));
    }
}

#[test]
fn unknown_agent_version_in_a_device_update_catalogue() {
    let d = DataCopy::new();
    d.edit_line("du_erc.csv", 4, |l| set_field(l, 2, "0.8.0;9.9.9"));
    let e = d.error();
    assert!(
        e.starts_with("data/du_erc.csv:4: unknown agent version \"9.9.9\""),
        "{e}"
    );
}

#[test]
fn bad_facility_row() {
    let d = DataCopy::new();
    d.edit_line("du_facilities.csv", 3, |l| set_field(l, 1, "16"));
    let e = d.error();
    assert!(
        e.starts_with("data/du_facilities.csv:3: code \"16\" is not a number from 0 to 15"),
        "{e}"
    );
}

/// Every CSV under `data/`, by name.
fn csv_files() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|f| f.ends_with(".csv"))
        .collect();
    files.sort();
    assert!(files.len() >= 15, "{files:?}");
    files
}

fn column(d: &DataCopy, file: &str, name: &str) -> Option<usize> {
    d.line(file, 1).split(',').position(|c| c == name)
}

/// Breaks each catalogue file in each way that applies to it, one break per fresh copy, and checks that the
/// generator stops with `data/<file>:<line>: ` followed by what is wrong.
#[test]
fn every_csv_file_reports_each_break_with_file_and_line() {
    type Break = (
        &'static str,
        usize,
        &'static str,
        fn(&DataCopy, &str) -> bool,
    );
    let breaks: [Break; 9] = [
        ("invalid UTF-8 on line 3", 3, "invalid UTF-8", |d, f| {
            d.edit(f, |mut b| {
                let at = b
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| **c == b'\n')
                    .nth(1)
                    .unwrap()
                    .0
                    + 2;
                b.insert(at, 0xFF);
                b
            });
            true
        }),
        ("a row cut to two fields", 2, "fields", |d, f| {
            let two: Vec<String> = d
                .line(f, 2)
                .splitn(3, ',')
                .take(2)
                .map(str::to_string)
                .collect();
            d.edit_line(f, 2, |_| two.join(","));
            true
        }),
        ("the first row twice", 3, "duplicate", |d, f| {
            let row = d.line(f, 2);
            d.edit_line(f, 2, |l| format!("{l}\n{row}"));
            true
        }),
        (
            "no description column",
            1,
            "missing column `description`",
            |d, f| {
                let col = column(d, f, "description").unwrap();
                drop_column(d, f, col);
                true
            },
        ),
        ("an empty description", 2, "empty description", |d, f| {
            let col = column(d, f, "description").unwrap();
            d.edit_line(f, 2, |l| set_field(l, col, ""));
            true
        }),
        (
            "a source that is neither a repository path nor a URL",
            2,
            "source",
            |d, f| {
                let col = column(d, f, "source").unwrap();
                d.edit_line(f, 2, |l| set_field(l, col, "a blog somewhere"));
                true
            },
        ),
        ("an empty mitigation", 2, "empty mitigation", |d, f| {
            let Some(col) = column(d, f, "mitigation") else {
                return false;
            };
            // Catalogues where a mitigation is optional accept an empty one; they are skipped below.
            d.edit_line(f, 2, |l| set_field(l, col, ""));
            true
        }),
        (
            "an unknown service",
            2,
            "unknown service \"iot-edge\"",
            |d, f| {
                let Some(col) = column(d, f, "services") else {
                    return false;
                };
                d.edit_line(f, 2, |l| set_field(l, col, "iot-edge"));
                true
            },
        ),
        (
            "an unknown agent version",
            2,
            "unknown agent version \"9.9.9\"",
            |d, f| {
                let Some(col) = column(d, f, "versions") else {
                    return false;
                };
                d.edit_line(f, 2, |l| set_field(l, col, "9.9.9"));
                true
            },
        ),
    ];
    let mut checked = 0;
    for file in csv_files() {
        for (what, line, message, apply) in &breaks {
            let d = DataCopy::new();
            if !apply(&d, &file) {
                continue;
            }
            let e = match codegen::generate(&d.0) {
                Ok(_) if *message == "empty mitigation" => continue,
                Ok(_) => panic!("data/{file}: {what}: the generator accepted it"),
                Err(e) => e.to_string(),
            };
            let at = format!("data/{file}:{line}: ");
            assert!(e.starts_with(&at), "{what}: expected {at}..., got {e}");
            assert!(e.contains(message), "data/{file}: {what}: {e}");
            checked += 1;
        }
    }
    // 16 files x 6 breaks every file can have, plus mitigation, services and versions where they exist.
    assert!(checked >= 16 * 6 + 10, "only {checked} breaks checked");
}

fn drop_column(d: &DataCopy, file: &str, drop: usize) {
    d.edit(file, |b| {
        let text = String::from_utf8(b).unwrap();
        let mut r = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(text.as_bytes());
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(vec![]);
        for rec in r.records() {
            let rec = rec.unwrap();
            w.write_record(
                rec.iter()
                    .enumerate()
                    .filter(|(i, _)| *i != drop)
                    .map(|(_, c)| c),
            )
            .unwrap();
        }
        w.into_inner().unwrap()
    });
}
