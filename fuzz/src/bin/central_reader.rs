//! `central::parse` on any text: pasted output of `az iot central diagnostics validate-messages`,
//! `validate-properties`, `monitor-events` and `monitor-properties` (and `device registration-info`), however the
//! terminal wrapped or cut it. Its documented promise (and what `tests/central.rs` checks with `check_accounting`):
//! it never drops a line. Every line that is not blank is part of a finding, event, property change or
//! registration, a notice, or kept in `unrecognised` word for word, and a kept line is part of nothing else.
//! The literal reader behind it (`central::parse_literal`, JSON and Python literals) is fuzzed on the same text:
//! a value it reads prints (compact JSON) to text that reads back as the same value.
#![no_main]

use azure_iot_codes::ErrorKind;
use azure_iot_codes::central::{
    LineSpan, MAX_INPUT_LEN, Report, looks_like_cli_output, parse, parse_literal,
};
use libfuzzer_sys::fuzz_target;

/// The mirror of `check_accounting` in tests/central.rs.
fn check_accounting(text: &str, r: &Report) {
    let lines: Vec<&str> = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    let expected_count = if text.is_empty() {
        0
    } else {
        lines.len() - usize::from(text.ends_with('\n'))
    };
    assert_eq!(r.line_count, expected_count);
    let spans: Vec<LineSpan> = r
        .findings
        .iter()
        .map(|f| f.lines)
        .chain(r.events.iter().map(|e| e.lines))
        .chain(r.property_changes.iter().map(|p| p.lines))
        .chain(r.registrations.iter().map(|g| g.lines))
        .collect();
    for s in &spans {
        assert!(
            1 <= s.first && s.first <= s.last && s.last <= lines.len(),
            "span {s:?} of {} lines",
            lines.len()
        );
    }
    for n in &r.notices {
        assert!(n.line >= 1 && n.line <= lines.len(), "{n:?}");
    }
    for u in &r.unrecognised {
        assert!(u.line >= 1 && u.line <= lines.len(), "{u:?}");
        assert_eq!(u.text, lines[u.line - 1], "line {} kept altered", u.line);
        assert!(
            !spans.iter().any(|s| s.contains(u.line)),
            "line {} kept and used",
            u.line
        );
        assert!(
            !r.notices.iter().any(|n| n.line == u.line),
            "line {} kept and a notice",
            u.line
        );
    }
    for (i, l) in lines.iter().enumerate() {
        if l.trim().is_empty() {
            continue;
        }
        let n = i + 1;
        let covered = r.unrecognised.iter().any(|u| u.line == n)
            || r.notices.iter().any(|x| x.line == n)
            || spans.iter().any(|s| s.contains(n));
        assert!(covered, "line {n} dropped: {l:?}");
    }
}

fn check_report(text: &str, r: &Report) {
    check_accounting(text, r);
    for f in &r.findings {
        // What the az CLI printed carries its message; every cause has its catalogue row.
        if f.reported {
            assert!(f.message.is_some(), "{f:?}");
        }
        assert!(!f.meaning().description().is_empty());
    }
    let json = serde_json::to_value(r).expect("a report serializes");
    assert_eq!(
        json["unrecognised"].as_array().map(Vec::len),
        Some(r.unrecognised.len())
    );
}

fuzz_target!(|data: &[u8]| {
    // Pasted text; invalid UTF-8 is replaced as a terminal would show it.
    let text = String::from_utf8_lossy(data);
    let text: &str = &text;
    looks_like_cli_output(text);
    match parse(text) {
        Ok(r) => {
            check_report(text, &r);
            // Deterministic.
            assert_eq!(parse(text).as_ref(), Ok(&r));
        }
        Err(e) => {
            assert_eq!(e.kind(), ErrorKind::TooLarge);
            assert!(text.len() > MAX_INPUT_LEN);
        }
    }
    if let Ok(v) = parse_literal(text) {
        let printed = v.to_string();
        assert_eq!(
            parse_literal(&printed).as_ref(),
            Ok(&v),
            "{text:?} printed as {printed:?}"
        );
    }
});
