//! `decode_bytes_with` on any bytes with any options: the first three bytes choose the catalogue, service and
//! agent version (each may be unset), the rest is the input.
#![no_main]

use azure_iot_codes::retry::{self, Context, Outcome, SplitMix64};
use azure_iot_codes::{Catalogue, ErrorKind, MAX_MATCHES, decode_bytes_with, decode_with};
use azure_iot_codes_fuzz::{assert_blank_is_empty, assert_names_input, options, split_selectors};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (sel, input) = split_selectors(data);
    let opts = options(sel);
    let result = decode_bytes_with(input, &opts);
    let text = core::str::from_utf8(input);
    match (&result, text) {
        (Err(e), Err(_)) => {
            assert_eq!(e.kind(), ErrorKind::InvalidUtf8, "{e:?}");
            assert_names_input(e, input);
        }
        (Ok(_), Err(_)) => panic!("decoded bytes that are not UTF-8: {input:?}"),
        (_, Ok(s)) => {
            // The bytes entry point is the text one for UTF-8, and decoding is deterministic.
            let again = decode_with(s, &opts);
            match (&result, &again) {
                (Ok(a), Ok(b)) => assert_eq!(a.matches(), b.matches()),
                (Err(a), Err(b)) => assert_eq!(a, b),
                _ => panic!("decode_bytes and decode disagree on {s:?}"),
            }
            if let Err(e) = &result {
                assert_ne!(e.kind(), ErrorKind::InvalidUtf8);
                assert_names_input(e, input);
                assert_blank_is_empty(s, e);
            }
        }
    }
    let Ok(d) = result else { return };
    assert!(!d.is_empty(), "Ok with no match for {input:?}");
    assert!(d.len() <= MAX_MATCHES);
    for (i, m) in d.iter().enumerate() {
        assert!(!d[..i].contains(m), "duplicate match {m:?}");
        // The options narrow every match.
        if let Some(c) = opts.catalogue {
            assert_eq!(m.catalogue(), c, "{m:?} is not in the catalogue asked for");
        }
        if let Some(s) = opts.service {
            assert!(m.services().contains(s), "{m:?} does not apply to {s}");
        }
        if let Some(v) = opts.agent_version {
            let versions = m.agent_versions();
            assert!(
                versions.is_empty() || versions.contains(v),
                "{m:?} does not hold for agent {v}"
            );
        }
        if let Some(r) = m.erc() {
            assert_eq!(m.catalogue(), Catalogue::DuExtendedResultCode);
            assert!(
                !r.agent_versions().is_empty(),
                "{m:?}: a reading for no agent"
            );
        }
        assert!(!m.name().is_empty() && !m.description().is_empty());
        // Every row says what to do, but for the errno reference table, which only names numbers.
        let reference = m.meaning().catalogue() == Catalogue::PosixErrno;
        assert!(
            reference || !m.mitigation().is_empty(),
            "{m:?} has no mitigation"
        );
        let shown = m.to_string();
        assert!(shown.contains(m.name()), "{shown}");
        // What the CLI, C and WASM bindings do with a match: classify it and serialize both.
        let ctx = Context::new();
        let decision = retry::decide(Outcome::from(m), &ctx, &mut SplitMix64::new(0));
        serde_json::to_vec(&decision).expect("a decision serializes");
    }
    let json = serde_json::to_value(&d).expect("a decode result serializes");
    assert_eq!(json["matches"].as_array().map(Vec::len), Some(d.len()));
});
