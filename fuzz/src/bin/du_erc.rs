//! Every textual form of a Device Update extended result code, on the same text: `ExtendedResultCode::parse`
//! (signed/unsigned decimal, 0x-hex, 8 bare hex digits), `ExtendedResultCode::parse_list` (agent 1.1.0's
//! `extendedResultCodes`) and `AgentVersion::from_str`.
#![no_main]

use azure_iot_codes::du::{AgentVersion, ExtendedResultCode, MAX_REPORTED_CODES};
use azure_iot_codes_fuzz::{assert_blank_is_empty, assert_names_input};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // These parsers take text; invalid UTF-8 reaches them only through the decode target's bytes entry point.
    let text = String::from_utf8_lossy(data);
    let s: &str = &text;

    match ExtendedResultCode::parse(s) {
        Ok(c) => {
            // Every printed form reads back as the same code.
            assert_eq!(ExtendedResultCode::parse(&c.to_string()), Ok(c));
            assert_eq!(ExtendedResultCode::parse(&c.as_i32().to_string()), Ok(c));
            assert_eq!(ExtendedResultCode::parse(&c.as_u32().to_string()), Ok(c));
            assert_eq!(s.parse::<ExtendedResultCode>(), Ok(c));
            // The fields put back together are the code.
            let parts = ExtendedResultCode::from_parts(c.facility(), c.component(), c.value());
            assert_eq!(parts, Ok(c));
            assert_eq!(c.low28(), c.as_u32() & 0x0FFF_FFFF);
        }
        Err(e) => {
            assert_names_input(&e, s.as_bytes());
            assert_blank_is_empty(s, &e);
        }
    }

    match ExtendedResultCode::parse_list(s) {
        Ok(list) => {
            let codes: Vec<ExtendedResultCode> = list.collect();
            assert!(!codes.is_empty(), "Ok with no code for {s:?}");
            assert!(codes.len() <= MAX_REPORTED_CODES);
            assert_eq!(
                codes.len(),
                s.split(',').count(),
                "one code per element of {s:?}"
            );
            // The agent's own spelling of the list reads back as the same codes.
            let written: Vec<String> = codes
                .iter()
                .map(|c| format!("{:08X}", c.as_u32()))
                .collect();
            let back: Vec<_> = ExtendedResultCode::parse_list(&written.join(","))
                .expect("the list as the agent writes it parses")
                .collect();
            assert_eq!(back, codes);
        }
        Err(e) => {
            assert_names_input(&e, s.as_bytes());
            assert_blank_is_empty(s, &e);
        }
    }

    match s.parse::<AgentVersion>() {
        Ok(v) => {
            assert!(AgentVersion::ALL.contains(&v));
            assert_eq!(v.as_str().parse::<AgentVersion>(), Ok(v));
        }
        Err(e) => {
            assert_names_input(&e, s.as_bytes());
            assert_blank_is_empty(s, &e);
        }
    }
});
