//! Property tests: the parsers never panic and answer consistently.

use azure_iot_codes::{
    AuthSubError, Catalogue, DpsRegistrationStatus, DpsRegistrationSubstatus, ErrorKind,
    HttpStatus, IotCentralStatus, MqttConnack, NumberForm, ServiceErrorCode, decode, parse_number,
};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn decode_never_panics_on_any_string(s in ".{0,80}") {
        match decode(&s) {
            Ok(d) => prop_assert!(!d.is_empty()),
            Err(e) => {
                // The error names (the start of) the input.
                prop_assert!(s.as_bytes().starts_with(e.input_bytes()));
                prop_assert_eq!(e.input_len(), s.len());
            }
        }
    }

    /// The name index folds ASCII case while it hashes: any casing of any key finds exactly the rows of the
    /// key, and a key with one byte changed to its fold twin (`_` <-> DEL, `@` <-> `` ` ``, a letter's case
    /// aside) or cut short finds nothing it should not.
    #[test]
    fn name_lookup_ignores_ascii_case_and_nothing_else(
        row in 0..azure_iot_codes::rows().len(),
        flips in proptest::collection::vec(any::<bool>(), 0..100),
        cut in any::<prop::sample::Index>(),
    ) {
        let key = azure_iot_codes::rows()[row].name();
        let expected: Vec<*const azure_iot_codes::Meaning> =
            azure_iot_codes::lookup_name(key).map(|m| m as *const _).collect();
        prop_assert!(!expected.is_empty(), "{:?} is not found by its own name", key);
        let cased: String = key
            .chars()
            .zip(flips.iter().chain(std::iter::repeat(&false)))
            .map(|(c, &f)| if f { c.to_ascii_uppercase() } else { c.to_ascii_lowercase() })
            .collect();
        let got: Vec<*const azure_iot_codes::Meaning> =
            azure_iot_codes::lookup_name(&cased).map(|m| m as *const _).collect();
        prop_assert_eq!(&got, &expected, "{:?}", cased);
        // Fold twins: same hash, different key.
        let twin: String = key
            .chars()
            .map(|c| match c {
                '_' => '\u{7f}',
                '@' => '`',
                '[' => '{',
                c => c,
            })
            .collect();
        if twin != key {
            let only_keyed = azure_iot_codes::lookup_name(&twin).all(|m| {
                m.name().eq_ignore_ascii_case(&twin)
                    || m.aliases().iter().any(|a| a.eq_ignore_ascii_case(&twin))
                    || m.code().to_string().eq_ignore_ascii_case(&twin)
            });
            prop_assert!(only_keyed, "{:?} matched rows not named so", twin);
        }
        // A proper prefix finds only rows that carry that prefix as a key.
        let n = cut.index(key.len());
        if let Some(prefix) = key.get(..n) {
            let only_keyed = azure_iot_codes::lookup_name(prefix).all(|m| {
                m.name().eq_ignore_ascii_case(prefix)
                    || m.aliases().iter().any(|a| a.eq_ignore_ascii_case(prefix))
                    || m.code().to_string().eq_ignore_ascii_case(prefix)
            });
            prop_assert!(only_keyed, "{:?} matched rows not named so", prefix);
        }
    }

    #[test]
    fn decode_never_panics_on_code_like_strings(s in "[-+0-9a-fA-FxX _]{0,40}") {
        let _ = decode(&s);
    }

    #[test]
    fn every_u32_resolves_or_errors_cleanly(n in any::<u32>()) {
        use Catalogue::*;
        // The catalogues a bare number is looked up in, plus HRESULTs for values with the error bit.
        let mut stored: usize = [HttpStatus, ServiceError, AuthSubError, MqttConnack, DuResultCode, DuDiagnosticsResult]
            .iter()
            .map(|c| c.lookup_number(n).len())
            .sum();
        if n >= 0x8000_0000 {
            stored += DoHresult.lookup_number(n).len();
        }
        match decode(&n.to_string()) {
            Ok(d) => {
                prop_assert!(d.len() >= stored);
                prop_assert_eq!(d.number().map(|p| p.value), Some(n));
                for m in d.iter() {
                    match m.erc() {
                        Some(r) => prop_assert_eq!(r.code().as_u32(), n),
                        None => prop_assert_eq!(m.code_bits(), Some(n)),
                    }
                }
                // Every code with a non-zero facility has a Device Update reading.
                prop_assert_eq!(d.iter().any(|m| m.erc().is_some()), n >= 0x1000_0000);
            }
            Err(e) => {
                prop_assert_eq!(stored, 0);
                prop_assert!(n < 0x1000_0000);
                prop_assert_eq!(e.kind(), ErrorKind::NotFound);
            }
        }
    }

    #[test]
    fn decimal_hex_and_signed_forms_agree(n in any::<u32>()) {
        let dec = parse_number(&n.to_string(), "").unwrap();
        let hex = parse_number(&format!("{n:#x}"), "").unwrap();
        let upper = parse_number(&format!("0X{n:08X}"), "").unwrap();
        prop_assert_eq!(dec.value, n);
        prop_assert_eq!(hex.value, n);
        prop_assert_eq!(upper.value, n);
        prop_assert_eq!(hex.form, NumberForm::Hex);
        let signed = n as i32;
        if signed < 0 {
            let s = parse_number(&signed.to_string(), "").unwrap();
            prop_assert_eq!(s.value, n);
            prop_assert_eq!(s.form, NumberForm::Signed);
        }
    }

    #[test]
    fn numbers_beyond_32_bits_are_out_of_range(n in (u32::MAX as u64 + 1)..=u64::MAX) {
        let e = parse_number(&n.to_string(), "").unwrap_err();
        prop_assert_eq!(e.kind(), ErrorKind::OutOfRange);
        let e = parse_number(&format!("{n:#x}"), "").unwrap_err();
        prop_assert_eq!(e.kind(), ErrorKind::OutOfRange);
    }

    #[test]
    fn negative_numbers_beyond_i32_are_out_of_range(n in (i32::MIN as i64 - 1_000_000_000)..(i32::MIN as i64)) {
        let e = parse_number(&n.to_string(), "").unwrap_err();
        prop_assert_eq!(e.kind(), ErrorKind::OutOfRange);
    }

    #[test]
    fn http_status_display_from_str_round_trip(n in 100u16..=599) {
        let s = HttpStatus::new(n).unwrap();
        let text = s.as_u16().to_string();
        prop_assert_eq!(text.parse::<HttpStatus>().unwrap(), s);
        prop_assert!(s.to_string().starts_with(&text));
    }

    #[test]
    fn service_error_code_new_is_total(n in any::<u32>()) {
        match ServiceErrorCode::new(n) {
            Ok(c) => {
                prop_assert!((100_000..=599_999).contains(&n));
                prop_assert_eq!(c.http_status().as_u16() as u32, n / 1000);
                prop_assert_eq!(c.to_string().split(' ').next().unwrap().parse::<ServiceErrorCode>().unwrap(), c);
            }
            Err(e) => prop_assert_eq!(e.kind(), ErrorKind::OutOfRange),
        }
    }
}

#[test]
fn display_from_str_round_trip_for_every_variant() {
    for v in AuthSubError::ALL {
        assert_eq!(v.to_string().parse::<AuthSubError>().unwrap(), v);
        assert_eq!(
            v.to_string()
                .to_ascii_lowercase()
                .parse::<AuthSubError>()
                .unwrap(),
            v
        );
    }
    for v in IotCentralStatus::ALL {
        assert_eq!(v.to_string().parse::<IotCentralStatus>().unwrap(), v);
        assert_eq!(
            v.to_string()
                .to_ascii_uppercase()
                .parse::<IotCentralStatus>()
                .unwrap(),
            v
        );
    }
    for v in DpsRegistrationStatus::ALL {
        assert_eq!(v.to_string().parse::<DpsRegistrationStatus>().unwrap(), v);
    }
    for v in DpsRegistrationSubstatus::ALL {
        assert_eq!(
            v.to_string().parse::<DpsRegistrationSubstatus>().unwrap(),
            v
        );
    }
    for v in MqttConnack::ALL {
        assert_eq!(v.to_string().parse::<MqttConnack>().unwrap(), v);
        assert_eq!(MqttConnack::from_code(v.code()), Some(v));
    }
    for c in Catalogue::ALL {
        assert_eq!(c.to_string().parse::<Catalogue>().unwrap(), c);
    }
    for s in azure_iot_codes::Service::ALL {
        assert_eq!(
            s.to_string().parse::<azure_iot_codes::Service>().unwrap(),
            s
        );
    }
    for m in Catalogue::ServiceError.rows() {
        let azure_iot_codes::Code::Number(n) = m.code() else {
            panic!()
        };
        let c = ServiceErrorCode::new(n).unwrap();
        assert_eq!(
            c.to_string()
                .split(' ')
                .next()
                .unwrap()
                .parse::<ServiceErrorCode>()
                .unwrap(),
            c
        );
    }
}

#[test]
fn hostile_inputs_get_typed_errors() {
    let long = "9".repeat(1000);
    let mb = "x".repeat(1 << 20);
    for (input, kind) in [
        ("", ErrorKind::Empty),
        ("   \t\n", ErrorKind::Empty),
        ("0x", ErrorKind::Malformed),
        ("--1", ErrorKind::Malformed),
        ("+-0", ErrorKind::Malformed),
        ("4o4", ErrorKind::Malformed),
        ("0x1FFFFFFFF", ErrorKind::OutOfRange),
        ("18446744073709551616", ErrorKind::OutOfRange),
        (long.as_str(), ErrorKind::OutOfRange),
        ("-2147483649", ErrorKind::OutOfRange),
        ("\0", ErrorKind::NotFound),
        (mb.as_str(), ErrorKind::NotFound),
        ("no such code", ErrorKind::NotFound),
        ("999", ErrorKind::NotFound),
    ] {
        let e = decode(input).unwrap_err();
        assert_eq!(e.kind(), kind, "{:?}", &input[..input.len().min(20)]);
        assert!(e.input_bytes().len() <= azure_iot_codes::INPUT_SNIPPET_LEN);
        assert!(!e.to_string().is_empty());
    }
}
