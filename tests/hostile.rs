//! Hostile input through every parser of the library: huge and overflowing numbers, signs and prefixes alone,
//! empty and whitespace-only text, megabyte strings, NUL bytes, invalid UTF-8, DPS topics with 10,000
//! parameters. Each call must give a typed error naming (a prefix of) its input, or the correct answer, within
//! a time bound, without a panic. (That the same calls allocate nothing, so memory stays bounded too, is
//! proven in `tests/no_alloc.rs`.) The CLI's side is `iotcode/tests/hostile.rs`.
//!
//! JSON bodies: duplicate keys and 10,000-level nesting through every payload shape and the IoT Central reader
//! are in `tests/hostile_json.rs` (the CLI's `du log-operation` reader: `iotcode/tests/hostile.rs`).

use std::str::FromStr;
use std::time::{Duration, Instant};

use azure_iot_codes::du::log_collection::DeviceLogStatus;
use azure_iot_codes::du::{AgentVersion, ExtendedResultCode};
use azure_iot_codes::retry::{
    self, Action, Context, Operation, Outcome, RetryAfter, RetryAfterError, RetryAfterUse,
    SplitMix64, dps_topic_retry_after,
};
use azure_iot_codes::{
    AuthSubError, Catalogue, DecodeOptions, DpsRegistrationStatus, DpsRegistrationSubstatus, Error,
    ErrorKind, HttpStatus, INPUT_SNIPPET_LEN, IotCentralStatus, MqttConnack, NumberForm, Service,
    ServiceErrorCode, decode, decode_bytes, decode_bytes_with, decode_with, lookup_name,
    parse_number,
};

/// Generous for a debug build on a loaded 2-core machine; a quadratic pass over a megabyte would take hours.
const TIME_BOUND: Duration = Duration::from_secs(2);

fn bounded<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    let took = start.elapsed();
    assert!(took < TIME_BOUND, "{what}: took {took:?}");
    out
}

fn short(input: &[u8]) -> String {
    format!(
        "{:?} ({} bytes)",
        String::from_utf8_lossy(&input[..input.len().min(24)]),
        input.len()
    )
}

/// The error names its input: a prefix of it (all of it when short), its length, what was expected.
fn names_input(e: &Error, input: &[u8]) {
    let at = short(input);
    assert!(input.starts_with(e.input_bytes()), "{at}: {e:?}");
    assert!(e.input_bytes().len() <= INPUT_SNIPPET_LEN, "{at}");
    if input.len() <= INPUT_SNIPPET_LEN {
        assert_eq!(e.input_bytes(), input, "{at}");
    }
    assert_eq!(e.input_len(), input.len(), "{at}: {e:?}");
    assert!(!e.expected().is_empty(), "{at}");
    let message = e.to_string();
    assert!(
        message.len() < 1024,
        "{at}: the message repeats the input: {message}"
    );
    assert!(message.contains(e.expected()), "{at}: {message}");
}

/// Every text input of the suite, with a name for messages.
fn hostile_texts() -> Vec<(&'static str, String)> {
    let mb = 1 << 20;
    vec![
        ("u64::MAX", u64::MAX.to_string()),
        ("u64::MAX + 1", "18446744073709551616".into()),
        ("i128::MAX", i128::MAX.to_string()),
        ("i128::MIN", i128::MIN.to_string()),
        ("u128::MAX hex", format!("{:#x}", u128::MAX)),
        ("1000 nines", "9".repeat(1000)),
        ("-1000 nines", format!("-{}", "9".repeat(1000))),
        ("1000 hex digits", format!("0x{}", "F".repeat(1000))),
        ("1000 zeros then 401", format!("{}401", "0".repeat(1000))),
        ("0x, 1000 zeros, 191", format!("0x{}191", "0".repeat(1000))),
        ("-, 1000 zeros, 1", format!("-{}1", "0".repeat(1000))),
        ("0x", "0x".into()),
        ("0X", "0X".into()),
        ("--1", "--1".into()),
        ("+-0", "+-0".into()),
        ("-+0", "-+0".into()),
        ("+5", "+5".into()),
        ("-", "-".into()),
        ("+", "+".into()),
        ("-0", "-0".into()),
        ("0x-1", "0x-1".into()),
        ("1e3", "1e3".into()),
        ("empty", String::new()),
        ("spaces", "     ".into()),
        ("tabs and newlines", "\t\n\r\n\t".into()),
        ("unicode spaces", "\u{a0}\u{2003}\u{3000}\u{feff}".into()),
        ("1 MB of spaces", " ".repeat(mb)),
        ("1 MB of x", "x".repeat(mb)),
        ("1 MB of digits", "7".repeat(mb)),
        ("1 MB of commas", ",".repeat(mb)),
        ("1 MB list", "1,".repeat(mb / 2)),
        ("1 MB of hex", "A".repeat(mb)),
        ("1 MB after a status", format!("404 {}", "N".repeat(mb))),
        ("1 MB of é", "é".repeat(mb / 2)),
        (
            "404 padded by 1 MB",
            format!("{0}404{0}", " ".repeat(mb / 2)),
        ),
        ("padded malformed number", " 40x001 ".into()),
        ("padded huge number", format!("  {}  ", "9".repeat(100))),
        ("NUL", "\0".into()),
        ("NUL after a code", "404\0".into()),
        ("NUL before a code", "\x00404".into()),
        ("NUL inside a code", "40\u{0}4".into()),
        ("NUL inside a name", "DEVICE\0DISABLED".into()),
        ("NULs", "\0".repeat(1000)),
        ("BOM and code", "\u{feff}404".into()),
        ("control bytes", "\u{1}\u{2}\u{7f}".into()),
        ("emoji", "🦀🦀🦀".into()),
        ("right-to-left", "\u{202e}404".into()),
        ("date-ish", "Sun, 06 Nov 1994 08:49:37 GMT".into()),
        (
            "date with 1000 digit year",
            format!("Sun, 06 Nov {} 08:49:37 GMT", "9".repeat(1000)),
        ),
        ("version with 1000 parts", ["1"; 1000].join(".")),
        ("version with 1000 digits", "1".repeat(1000) + ".0.0"),
    ]
}

fn text_parsers(s: &str) {
    let b = s.as_bytes();
    // The parsers of codes and versions call blank input empty; the identifier parsers (catalogue, service,
    // action...) call it unknown.
    let blank_is_empty = [
        "decode",
        "parse_number",
        "HttpStatus",
        "ServiceErrorCode",
        "AuthSubError",
        "IotCentralStatus",
        "DpsRegistrationStatus",
        "DpsRegistrationSubstatus",
        "MqttConnack",
        "ExtendedResultCode",
        "parse_list",
        "AgentVersion",
    ];
    let check = |what: &str, r: Result<(), Error>| {
        if let Err(e) = r {
            names_input(&e, b);
            if s.trim().is_empty() && blank_is_empty.contains(&what) {
                assert_eq!(e.kind(), ErrorKind::Empty, "{what} {}", short(b));
            }
        }
    };
    check(
        "decode",
        bounded("decode", || decode(s)).map(|d| assert!(!d.is_empty())),
    );
    check(
        "parse_number",
        bounded("parse_number", || parse_number(s, "")).map(drop),
    );
    check(
        "HttpStatus",
        bounded("HttpStatus", || HttpStatus::from_str(s)).map(drop),
    );
    check(
        "ServiceErrorCode",
        bounded("ServiceErrorCode", || ServiceErrorCode::from_str(s)).map(drop),
    );
    check("AuthSubError", AuthSubError::from_str(s).map(drop));
    check("IotCentralStatus", IotCentralStatus::from_str(s).map(drop));
    check(
        "DpsRegistrationStatus",
        DpsRegistrationStatus::from_str(s).map(drop),
    );
    check(
        "DpsRegistrationSubstatus",
        DpsRegistrationSubstatus::from_str(s).map(drop),
    );
    check("MqttConnack", MqttConnack::from_str(s).map(drop));
    check("Catalogue", Catalogue::from_str(s).map(drop));
    check("Service", Service::from_str(s).map(drop));
    check(
        "ExtendedResultCode",
        bounded("erc", || ExtendedResultCode::parse(s)).map(drop),
    );
    check(
        "parse_list",
        bounded("parse_list", || ExtendedResultCode::parse_list(s)).map(|l| assert!(l.count() > 0)),
    );
    check(
        "AgentVersion",
        bounded("version", || AgentVersion::from_str(s)).map(drop),
    );
    check("DeviceLogStatus", DeviceLogStatus::from_str(s).map(drop));
    check("Action", Action::from_str(s).map(drop));
    check("Operation", Operation::from_str(s).map(drop));
    bounded("lookup_name", || lookup_name(s).count());
    for c in Catalogue::ALL {
        bounded("Catalogue::lookup_name", || c.lookup_name(s).count());
    }
    bounded("Rule::find", || retry::Rule::find(s));
    // Retry-After readers: typed errors of their own.
    match bounded("RetryAfter", || RetryAfter::parse(s)) {
        Ok(RetryAfter::Seconds(n)) => assert!(n <= retry::DELTA_SECONDS_CAP),
        Ok(RetryAfter::Date(_)) => {}
        Err(RetryAfterError::Empty) => assert!(s.trim().is_empty(), "{}", short(b)),
        Err(_) => assert!(!s.trim().is_empty()),
    }
    if let Some(v) = bounded("topic", || dps_topic_retry_after(s)) {
        assert!(s.contains(v));
    }
}

#[test]
fn every_text_parser_answers_hostile_text_with_a_typed_error_or_the_right_value() {
    for (name, s) in hostile_texts() {
        let started = Instant::now();
        text_parsers(&s);
        // The bytes entry point agrees with the text one.
        let a = decode(&s).map(|d| d.matches().to_vec());
        let b = decode_bytes(s.as_bytes()).map(|d| d.matches().to_vec());
        assert_eq!(a, b, "{name}");
        assert!(
            started.elapsed() < TIME_BOUND * 10,
            "{name}: {:?}",
            started.elapsed()
        );
    }
}

#[test]
fn decode_options_never_change_the_error_contract() {
    let mut options = vec![DecodeOptions::new()];
    options.extend(Catalogue::ALL.map(|c| DecodeOptions::new().catalogue(c)));
    options.extend(Service::ALL.map(|s| DecodeOptions::new().service(s)));
    options.extend(AgentVersion::ALL.map(|v| DecodeOptions::new().agent_version(v)));
    for (name, s) in hostile_texts() {
        for o in &options {
            match bounded(name, || decode_with(&s, o)) {
                Ok(d) => {
                    assert!(!d.is_empty(), "{name} {o:?}");
                    if let Some(c) = o.catalogue {
                        assert!(d.iter().all(|m| m.catalogue() == c), "{name} {o:?}: {d:?}");
                    }
                }
                Err(e) => names_input(&e, s.as_bytes()),
            }
        }
    }
}

#[test]
fn huge_numbers_are_out_of_range_and_padded_ones_are_read_correctly() {
    for s in [
        u64::MAX.to_string(),
        i128::MAX.to_string(),
        i128::MIN.to_string(),
        "9".repeat(1000),
        format!("-{}", "9".repeat(1000)),
        format!("0x{}", "F".repeat(1000)),
        "4294967296".into(),
        "-2147483649".into(),
        "0x100000000".into(),
    ] {
        let e = parse_number(&s, "").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::OutOfRange, "{}", short(s.as_bytes()));
        assert_eq!(decode(&s).unwrap_err().kind(), ErrorKind::OutOfRange);
        assert_eq!(
            ExtendedResultCode::parse(&s).unwrap_err().kind(),
            ErrorKind::OutOfRange
        );
    }
    // Leading zeros do not count: a thousand of them still read as the number.
    let n = parse_number(&format!("{}401", "0".repeat(1000)), "").unwrap();
    assert_eq!((n.value, n.form), (401, NumberForm::Decimal));
    let n = parse_number(&format!("0x{}191", "0".repeat(1000)), "").unwrap();
    assert_eq!((n.value, n.form), (0x191, NumberForm::Hex));
    let n = parse_number(&format!("-{}1", "0".repeat(1000)), "").unwrap();
    assert_eq!((n.value, n.form), (u32::MAX, NumberForm::Signed));
    assert_eq!(
        decode(&format!("{}401", "0".repeat(1000))).unwrap()[0].name(),
        "Unauthorized"
    );
    // The extremes that still fit.
    assert_eq!(parse_number("4294967295", "").unwrap().value, u32::MAX);
    assert_eq!(parse_number("-2147483648", "").unwrap().value, 1 << 31);
    assert_eq!(parse_number("0xFFFFFFFF", "").unwrap().value, u32::MAX);
    // Retry-After keeps 2^31 for anything larger (RFC 9111), however long.
    assert_eq!(
        RetryAfter::parse(&"9".repeat(1000)),
        Ok(RetryAfter::Seconds(retry::DELTA_SECONDS_CAP))
    );
    // An agent version part beyond u16 is out of range, however long, never a wrong version.
    for v in [
        "1".repeat(1000) + ".0.0",
        "99999.0.0".into(),
        "1.100000".into(),
        "0.0.65536".into(),
    ] {
        let e = AgentVersion::from_str(&v).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::OutOfRange, "{}", short(v.as_bytes()));
    }
    assert_eq!(
        AgentVersion::from_str("65535.0.0"),
        Ok(AgentVersion::V1_1_0)
    );
}

#[test]
fn signs_and_prefixes_alone_are_malformed() {
    for s in [
        "0x", "0X", "--1", "+-0", "-+0", "+5", "-", "+", "0x-1", "0x+1", "1e3", "0b101", "- 1",
    ] {
        for (what, r) in [
            ("parse_number", parse_number(s, "").map(drop)),
            ("decode", decode(s).map(drop)),
            ("erc", ExtendedResultCode::parse(s).map(drop)),
        ] {
            let e = r.unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Malformed, "{what} {s:?}: {e}");
            assert_eq!(e.input(), s);
        }
    }
    // "-0" is zero written as a signed number: a value, not an error.
    assert_eq!(parse_number("-0", "").unwrap().value, 0);
}

#[test]
fn empty_and_whitespace_only_are_empty_everywhere() {
    for s in [
        "",
        " ",
        "\t\n\r",
        "\u{a0}\u{2003}\u{3000}",
        &" ".repeat(1 << 20),
    ] {
        for (what, r) in [
            ("decode", decode(s).map(drop)),
            ("decode_bytes", decode_bytes(s.as_bytes()).map(drop)),
            ("parse_number", parse_number(s, "").map(drop)),
            ("erc", ExtendedResultCode::parse(s).map(drop)),
            ("erc list", ExtendedResultCode::parse_list(s).map(drop)),
            ("version", AgentVersion::from_str(s).map(drop)),
            ("http", HttpStatus::from_str(s).map(drop)),
            ("auth", AuthSubError::from_str(s).map(drop)),
        ] {
            let e = r.unwrap_err();
            assert_eq!(
                e.kind(),
                ErrorKind::Empty,
                "{what} {:?}",
                short(s.as_bytes())
            );
            assert_eq!(e.input_len(), s.len());
        }
    }
    // Surrounding whitespace, however much, is only padding.
    let padded = format!("{0}404001{0}", " ".repeat(1 << 19));
    assert_eq!(decode(&padded).unwrap()[0].name(), "DeviceNotFound");
}

#[test]
fn nul_bytes_are_text_that_names_nothing() {
    for s in [
        "\0",
        "\0\0\0",
        "404\0",
        "\x00404",
        "40\u{0}4",
        "DEVICE\0DISABLED",
        "0x\0",
    ] {
        let e = decode(s).unwrap_err();
        assert!(
            matches!(e.kind(), ErrorKind::NotFound | ErrorKind::Malformed),
            "{s:?}: {e:?}"
        );
        assert_eq!(e.input_bytes(), s.as_bytes());
        assert!(parse_number(s, "").is_err());
    }
}

#[test]
fn invalid_utf8_is_a_typed_error_through_the_bytes_entry_point() {
    let cases: [&[u8]; 10] = [
        b"\xFF",
        b"\xC0\x80",         // overlong NUL
        b"\xED\xA0\x80",     // a UTF-16 surrogate
        b"\xF4\x90\x80\x80", // past U+10FFFF
        b"\xE2\x82",         // truncated
        b"404\xFF001",
        b"\x80404001",
        b"DEVICE_DISABLED\xFE",
        b"30501028,\xFFA0000FFF",
        b"Sun, 06 Nov 1994 08:49:37 GMT\xC3",
    ];
    for input in cases {
        for o in [
            DecodeOptions::new(),
            DecodeOptions::new().catalogue(Catalogue::DuExtendedResultCode),
            DecodeOptions::new().service(Service::Dps),
        ] {
            let e = decode_bytes_with(input, &o).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidUtf8, "{input:?}");
            assert_eq!(e.kind().as_str(), "invalid-utf8");
            assert_eq!(e.input_bytes(), input, "the error keeps the bytes as given");
            assert_eq!(e.input_len(), input.len());
            // `input()` shows the valid UTF-8 start, never garbage.
            assert!(input.starts_with(e.input().as_bytes()));
            assert!(e.to_string().contains("not valid UTF-8"), "{e}");
        }
    }
    // A megabyte that turns invalid at its end: the error keeps the first bytes and says how long it was.
    let mut big = vec![b'7'; 1 << 20];
    big.push(0xFF);
    let e = bounded("1 MB invalid", || decode_bytes(&big)).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidUtf8);
    assert_eq!(e.input_bytes(), &big[..INPUT_SNIPPET_LEN]);
    assert_eq!(e.input_len(), big.len());
    assert!(
        e.to_string().contains(&format!("of {} bytes", big.len())),
        "{e}"
    );
    // A multi-byte character cut by the snippet limit leaves valid text in `input()`.
    let cut = format!("{}€", "x".repeat(INPUT_SNIPPET_LEN - 1));
    let e = decode(&cut).unwrap_err();
    assert!(e.input().len() < INPUT_SNIPPET_LEN && cut.starts_with(e.input()));
}

fn topic_with(params: usize, tail: &str) -> String {
    let mut t = String::from("$dps/registrations/res/202/?");
    for i in 0..params {
        t.push_str(&format!("p{i}=v{i}&"));
    }
    t.push_str(tail);
    t
}

#[test]
fn dps_topics_with_ten_thousand_parameters() {
    let t = topic_with(10_000, "$rid=1&retry-after=5");
    assert_eq!(bounded("topic", || dps_topic_retry_after(&t)), Some("5"));
    let t = topic_with(10_000, "$rid=1");
    assert_eq!(bounded("topic", || dps_topic_retry_after(&t)), None);
    // 10,000 retry-after parameters: the first one counts.
    let many = (0..10_000)
        .map(|i| format!("retry-after={}", i + 3))
        .collect::<Vec<_>>()
        .join("&");
    let t = format!("$dps/registrations/res/429/?{many}");
    assert_eq!(dps_topic_retry_after(&t), Some("3"));
    // A 1 MB value is read, judged and ignored with a reason; the classifier still answers.
    let t = topic_with(10_000, &format!("retry-after={}", "x".repeat(1 << 20)));
    let ctx = Context::new()
        .service(Service::Dps)
        .retry_after_from_dps_topic(&t);
    let d = bounded("decide", || {
        retry::decide(Outcome::HttpStatus(429), &ctx, &mut SplitMix64::new(1))
    });
    assert_eq!(
        d.retry_after(),
        RetryAfterUse::Ignored(retry::RetryAfterIgnored::Invalid(
            RetryAfterError::Malformed
        ))
    );
    assert!(
        d.delay_ms()
            .is_some_and(|ms| (10_000..=15_000).contains(&ms))
    );
    // The 10,000-parameter topic with a good value is honoured.
    let t = topic_with(10_000, "retry-after=7");
    let ctx = Context::new()
        .service(Service::Dps)
        .retry_after_from_dps_topic(&t);
    let d = retry::decide(Outcome::HttpStatus(429), &ctx, &mut SplitMix64::new(1));
    assert_eq!(d.delay_ms(), Some(7_000));
}

#[test]
fn the_classifier_takes_any_context() {
    let texts = hostile_texts();
    let outcomes = [
        Outcome::HttpStatus(0),
        Outcome::HttpStatus(u16::MAX),
        Outcome::ServiceError(u32::MAX),
        Outcome::MqttConnack(u8::MAX),
        Outcome::DuResultCode(i32::MIN),
        Outcome::DuExtendedResultCode(ExtendedResultCode::new(u32::MAX)),
        Outcome::HttpStatus(429),
    ];
    for (name, s) in &texts {
        for outcome in outcomes {
            let mut ctx = Context::new().retry_after(s).attempt(u32::MAX);
            ctx.elapsed = Duration::MAX;
            ctx.now_unix = Some(u64::MAX);
            let d = bounded(name, || {
                retry::decide(outcome, &ctx, &mut SplitMix64::new(u64::MAX))
            });
            // Both budgets are spent: nothing waits.
            assert_eq!(d.delay_ms(), None, "{name}");
            assert!(!d.action().waits());
            assert!(!d.reason().to_string().is_empty());
        }
    }
}

// Regressions: inputs the fuzz targets (fuzz/) found, kept as tests. The inputs are also in
// fuzz/corpus-seeds/<target>/regression-*.

/// fuzz `decode`, input `01 00 00 "A0000FFF"` (catalogue http-status): the bare-hex and list forms of Device
/// Update codes were decoded whatever catalogue was asked for, so `--as http-status A0000FFF` answered with
/// Device Update codes.
#[test]
fn regression_list_forms_respect_the_catalogue_asked_for() {
    for input in ["A0000FFF", "30501028,A0000FFF", "d0190193"] {
        for c in Catalogue::ALL {
            let r = decode_with(input, &DecodeOptions::new().catalogue(c));
            match c {
                Catalogue::DuExtendedResultCode => {
                    let d = r.unwrap();
                    assert!(d.iter().all(|m| m.catalogue() == c), "{input} {c}");
                }
                _ => {
                    if let Ok(d) = r {
                        assert!(d.iter().all(|m| m.catalogue() == c), "{input} {c}: {d:?}");
                    }
                }
            }
        }
        // Without a hint they are still Device Update codes.
        assert_eq!(
            decode(input).unwrap()[0].catalogue(),
            Catalogue::DuExtendedResultCode
        );
    }
}

/// fuzz `decode`, input `0D 00 00 "12"` (catalogue posix-errno): the errno reference table has no mitigation
/// column, so a decode asking for it returned rows whose "what to do" was empty (the CLI printed an empty
/// `What to do:` line). Only that table may lack one.
#[test]
fn regression_only_the_errno_reference_table_lacks_a_mitigation() {
    for m in azure_iot_codes::rows() {
        if m.catalogue() != Catalogue::PosixErrno {
            assert!(!m.mitigation().is_empty(), "{} {}", m.catalogue(), m.name());
        }
    }
    let d = decode_with("12", &DecodeOptions::new().catalogue(Catalogue::PosixErrno)).unwrap();
    assert_eq!(d[0].name(), "ENOMEM");
}

/// Found writing this suite: `ServiceErrorCode::from_str(" 40x001 ")` named the trimmed text in its error
/// (`"40x001"`, 6 bytes) instead of the caller's input (8 bytes).
#[test]
fn regression_service_error_code_errors_name_the_callers_text() {
    let e = ServiceErrorCode::from_str(" 40x001 ").unwrap_err();
    assert_eq!((e.input(), e.input_len()), (" 40x001 ", 8));
}

/// Found writing this suite: an agent version part of 6 or more digits was `malformed` while 65536-99999 was
/// `out-of-range`; any all-digit part too big for the version space is now out of range.
#[test]
fn regression_long_version_parts_are_out_of_range() {
    assert_eq!(
        AgentVersion::from_str("1.100000.0").unwrap_err().kind(),
        ErrorKind::OutOfRange
    );
}

/// Found writing the `annotate_record` fuzz target: an error name holding a line break, in JSON embedded in a
/// CSV field (`ResultDescription`), was written into the `iotcode_codes` column, so `iotcode annotate` added a
/// line to the export. The appended fields now never hold a line break. (The CSV annotation needs `std`.)
#[cfg(feature = "std")]
#[test]
fn regression_csv_annotation_fields_hold_no_line_break() {
    use azure_iot_codes::payload::{
        CsvHeader, PayloadOptions, csv_annotation_fields, decode_csv_row,
    };
    let h = CsvHeader::parse("Category,OperationName,ResultType,ResultDescription,ResourceType")
        .unwrap();
    let record = r#"Connections,deviceConnect,404104,"{""errorCode"":""Device\nNot Found"",""message"":""x""}",IOTHUBS"#;
    let p = decode_csv_row(&h, record, &PayloadOptions::new()).unwrap();
    assert!(p.codes().iter().any(|c| c.value() == "Device\nNot Found"));
    let fields = csv_annotation_fields(&p);
    assert!(!fields.contains(['\n', '\r']), "{fields:?}");
    assert!(
        fields.contains("service-error Device Not Found"),
        "{fields:?}"
    );
}
