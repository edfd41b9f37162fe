//! Property tests for the payload parsers: built topics parse back to what was built, the sniffer never panics
//! on any bytes (random, or fixtures cut and corrupted), errors name their input, CSV and ERC lists round-trip.
#![cfg(feature = "alloc")]

use azure_iot_codes::ErrorKind;
use azure_iot_codes::payload::{
    PayloadOptions, ResponseTopic, TopicKind, decode_payload, decode_payload_with,
    parse_extended_result_codes, parse_response_topic, push_csv_field, split_csv_record,
};
use proptest::prelude::*;

const FIXTURES: &[&str] = &[
    include_str!("fixtures/payload/dps-error-404201-info.json"),
    include_str!("fixtures/payload/dps-registration-assigned.json"),
    include_str!("fixtures/payload/iothub-error-legacy-nested.json"),
    include_str!("fixtures/payload/iothub-error-wrapped-string.json"),
    include_str!("fixtures/payload/du-twin-agent-1.0-integer.json"),
    include_str!("fixtures/payload/du-agent-1.1-hex.json"),
    include_str!("fixtures/payload/seed-central-blocked-registration-info.json"),
    include_str!("fixtures/payload/diag-iothub-connections-raw.json"),
    include_str!("fixtures/payload/diag-iothub-409002.csv"),
    include_str!("fixtures/payload/dps-topic-202-assigning.txt"),
];

fn kind() -> impl Strategy<Value = TopicKind> {
    prop_oneof![
        Just(TopicKind::DpsRegistration),
        Just(TopicKind::Twin),
        Just(TopicKind::Method)
    ]
}

/// Parameter values the builder accepts: anything but `&`, `#`, `+` and NUL, at least one character.
fn value() -> impl Strategy<Value = String> {
    "[^&#+\u{0}]{1,24}"
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn topic_builder_then_parser_round_trips(
        kind in kind(),
        http in 100i32..=599,
        any_status in any::<i32>(),
        rid in value(),
        retry in proptest::option::of(value()),
        version in proptest::option::of(value()),
    ) {
        let status = if kind == TopicKind::Method { any_status } else { http };
        let mut built = ResponseTopic::new(kind, status, &rid).unwrap();
        if let Some(r) = &retry {
            built = built.with_retry_after(r).unwrap();
        }
        if let Some(v) = &version {
            built = built.with_version(v).unwrap();
        }
        let text = built.to_string();
        let parsed = parse_response_topic(&text).unwrap();
        prop_assert_eq!(parsed, built);
        prop_assert_eq!(&parsed.to_string(), &text);
        // And through the sniffer: same context. (The sniffer trims surrounding whitespace, as pasted or piped
        // input has it, and reads a line break as the end of the topic, with the message's body after it; a
        // topic with a blank at its end or a line break in a value is only exact through `parse_response_topic`.)
        prop_assume!(text.trim() == text);
        if text.contains('\n') {
            return Ok(());
        }
        let p = decode_payload(&text).unwrap();
        prop_assert_eq!(p.context().request_id.as_deref(), Some(rid.as_str()));
        prop_assert_eq!(p.context().retry_after.as_deref(), retry.as_deref());
        prop_assert_eq!(p.context().twin_version.as_deref(), version.as_deref());
    }

    #[test]
    fn topic_parser_never_panics_and_agrees_with_the_builder(s in "\\$(dps/registrations|iothub/twin|iothub/methods)/res/[-0-9]{0,12}/?\\??[$a-z=&0-9-]{0,40}") {
        if let Ok(t) = parse_response_topic(&s) {
            // Whatever parses can be rebuilt, and the rebuilt topic parses to the same thing.
            let mut b = ResponseTopic::new(t.kind(), t.status(), t.request_id()).unwrap();
            if let Some(r) = t.retry_after() { b = b.with_retry_after(r).unwrap(); }
            if let Some(v) = t.version() { b = b.with_version(v).unwrap(); }
            prop_assert_eq!(b, t);
        }
    }

    #[test]
    fn sniffer_never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        match decode_payload(&bytes) {
            Ok(p) => prop_assert!(!p.kind().as_str().is_empty()),
            Err(e) => {
                prop_assert!(bytes.starts_with(e.input_bytes()) || e.kind() == ErrorKind::Empty
                    || std::str::from_utf8(&bytes).is_ok());
                prop_assert!(!e.to_string().is_empty());
            }
        }
    }

    #[test]
    fn sniffer_never_panics_on_json_like_text(s in "[\\[\\]{}\",:0-9a-zA-Z $./?&=\\\\-]{0,300}") {
        let _ = decode_payload(&s);
    }

    #[test]
    fn sniffer_never_panics_on_cut_or_corrupted_fixtures(
        which in 0..FIXTURES.len(),
        cut in any::<prop::sample::Index>(),
        flip_at in any::<prop::sample::Index>(),
        flip in any::<u8>(),
    ) {
        let full = FIXTURES[which].as_bytes();
        let cut_bytes = &full[..cut.index(full.len() + 1)];
        let _ = decode_payload(cut_bytes);
        let mut corrupted = full.to_vec();
        let i = flip_at.index(corrupted.len());
        corrupted[i] ^= flip;
        let _ = decode_payload(&corrupted);
        // Tight limits never panic either.
        let tight = PayloadOptions::new().limits(azure_iot_codes::payload::Limits::new().max_depth(2));
        let _ = decode_payload_with(full, &tight);
    }

    #[test]
    fn csv_fields_round_trip(fields in proptest::collection::vec("[^\r]{0,20}", 1..8)) {
        let mut line = String::new();
        for (i, f) in fields.iter().enumerate() {
            if i > 0 { line.push(','); }
            push_csv_field(&mut line, f);
        }
        prop_assert_eq!(split_csv_record(&line).unwrap(), fields);
    }

    #[test]
    fn erc_lists_round_trip_in_the_agents_format(codes in proptest::collection::vec(any::<u32>(), 0..9)) {
        // reporting_utils.c: "%08X" for the first, ",%08X" for the rest.
        let text: Vec<String> = codes.iter().map(|c| format!("{c:08X}")).collect();
        prop_assert_eq!(parse_extended_result_codes(&text.join(",")), Some(codes));
    }
}

/// Reads `input` record by record as `iotcode annotate` does, writing each record (or its overflow) back.
#[cfg(feature = "std")]
fn records_written_back(
    input: &[u8],
    csv: bool,
    capacity: usize,
    max: usize,
) -> (Vec<u8>, Vec<(u64, u64)>) {
    use azure_iot_codes::payload::RecordReader;
    let mut r = RecordReader::new(std::io::BufReader::with_capacity(capacity, input), max, csv);
    let mut out = Vec::new();
    let mut spans = Vec::new();
    let mut overflow = Vec::new();
    while let Some(rec) = r.next_record(&mut overflow).unwrap() {
        if rec.oversized {
            out.append(&mut overflow);
        } else {
            out.extend_from_slice(r.text());
        }
        spans.push((rec.line, rec.lines));
    }
    (out, spans)
}

#[cfg(feature = "std")]
proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn records_add_up_to_the_input_line_for_line(
        input in proptest::collection::vec(prop::sample::select(b"\n\r\",x{".to_vec()), 0..200),
        csv in any::<bool>(),
        capacity in 1usize..16,
        max in 1usize..64,
    ) {
        let (back, spans) = records_written_back(&input, csv, capacity, max);
        prop_assert_eq!(&back, &input);
        // Numbered from 1 without gaps, each record spanning at least one line, all the lines in all.
        let mut next = 1;
        for (line, lines) in &spans {
            prop_assert_eq!(*line, next);
            prop_assert!(*lines >= 1);
            next += lines;
        }
        let breaks = input.iter().filter(|&&b| b == b'\n').count() as u64;
        let last = u64::from(!input.is_empty() && !input.ends_with(b"\n"));
        prop_assert_eq!(next - 1, breaks + last);
    }
}
