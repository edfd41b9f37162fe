//! `decode_payload_with` on any bytes with any options: every body shape it sniffs (DPS error and registration
//! bodies, the IoT Hub error shapes, Device Update twins, `registration-info` output, AzureDiagnostics rows as
//! JSON or CSV, `iothub-errorcode` headers, topics followed by a body). Input layout at [`split`].
//!
//! Besides never panicking: an error is typed, says what was expected and quotes part of the input; a decoded
//! payload serializes, each code's meanings are what decoding its value alone in its catalogue gives, the retry
//! decision is the documented one, the typed parse agrees with the kind and with the shape's own parser, and the
//! same input decodes the same way twice.
#![no_main]

use azure_iot_codes::du::AgentVersion;
use azure_iot_codes::payload::{
    CentralRegistrationInfo, DeviceUpdateAgent, DiagnosticsRow, IotHubError, Limits, Parsed,
    Payload, PayloadKind, PayloadOptions, RegistrationOperation, ServiceErrorBody,
    decode_payload_with, looks_like_payload, parse_error_code_header, parse_response_topic,
};
use azure_iot_codes::retry::{Context, Outcome, Policy, SplitMix64, SubCode};
use azure_iot_codes::{Catalogue, DecodeOptions, Detail, Error, ErrorKind, Service, decode_with};
use azure_iot_codes_fuzz::pick;
use libfuzzer_sys::fuzz_target;

/// Input layout: byte 0 the service (0: inferred, then `Service::ALL`), 1 the agent version (0: inferred, then
/// `AgentVersion::ALL`), 2 the nesting limit (0: default, 254: 0, 255: `usize::MAX`, else that many levels),
/// 3 the size limit (0: default, 254: 0, 255: `usize::MAX`, else 16 bytes per unit), 4 the jitter seed; the
/// rest is the payload. Inputs shorter than the head are payloads with the default options.
fn split(data: &[u8]) -> (PayloadOptions, &[u8]) {
    let [service, agent, depth, size, seed, rest @ ..] = data else {
        return (PayloadOptions::new(), data);
    };
    let limit = |b: u8, default: usize, unit: usize| match b {
        0 => default,
        254 => 0,
        255 => usize::MAX,
        n => usize::from(n) * unit,
    };
    let mut o = PayloadOptions::new().seed(u64::from(*seed));
    o.service = pick(*service, &Service::ALL);
    o.agent_version = pick(*agent, &AgentVersion::ALL);
    o.limits = Limits::new()
        .max_depth(limit(*depth, Limits::DEFAULT_MAX_DEPTH, 1))
        .max_bytes(limit(*size, Limits::DEFAULT_MAX_BYTES, 16));
    (o, rest)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    needle.is_empty() || haystack.windows(needle.len()).any(|w| w == needle)
}

/// The text `decode_payload` sniffs: after one byte order mark, trimmed.
fn sniffed(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text).trim()
}

fn check_error(e: &Error, input: &[u8], o: &PayloadOptions) {
    // The size limit comes first, then UTF-8, then blank input.
    if input.len() > o.limits.max_bytes {
        assert_eq!(e.kind(), ErrorKind::TooLarge, "{e:?}");
        return;
    }
    match core::str::from_utf8(input) {
        Err(_) => assert_eq!(e.kind(), ErrorKind::InvalidUtf8, "{e:?}"),
        Ok(text) => {
            assert_ne!(e.kind(), ErrorKind::InvalidUtf8);
            if sniffed(text).is_empty() {
                assert_eq!(e.kind(), ErrorKind::Empty, "{e:?}");
            }
        }
    }
    if let Detail::Depth { limit, .. } = e.detail() {
        assert!(limit <= o.limits.depth(), "{e:?} with {:?}", o.limits);
    }
    // Typed, naming (part of) the input and what was expected.
    assert!(
        contains(input, e.input_bytes()),
        "{e:?} quotes what is not in the input"
    );
    assert!(!e.expected().is_empty() && !e.kind().as_str().is_empty());
    let message = e.to_string();
    assert!(
        message.starts_with("cannot decode ") && message.contains(e.expected()),
        "{message}"
    );
}

/// What decoding `value` alone in the field's catalogue gives, for the field's service and agent version (the
/// other services' meanings when that service has none).
fn decode_alone(
    input: &str,
    catalogue: Catalogue,
    service: Option<Service>,
    agent: Option<AgentVersion>,
) -> (Result<azure_iot_codes::Decoded, Error>, bool) {
    let mut any_service = DecodeOptions::new().catalogue(catalogue);
    any_service.agent_version = agent;
    let mut narrowed = any_service;
    narrowed.service = service;
    let r = decode_with(input, &narrowed);
    if service.is_some()
        && matches!(&r, Err(e) if e.kind() == ErrorKind::NotFound)
        && let Ok(d) = decode_with(input, &any_service)
    {
        return (Ok(d), true);
    }
    (r, false)
}

fn check_codes(p: &Payload) {
    for c in p.codes() {
        assert!(!c.field().is_empty());
        // A Device Update extended result code is decoded from its 0x form; its value is the agent's spelling.
        let input = if c.catalogue() == Catalogue::DuExtendedResultCode {
            let Some(Outcome::DuExtendedResultCode(erc)) = c.outcome() else {
                panic!("{c:?}: an extended result code the classifier cannot read")
            };
            let u = erc.as_u32();
            assert!(
                c.value() == format!("{u:08X}") || c.value() == (u as i32).to_string(),
                "{c:?}"
            );
            format!("0x{u:08X}")
        } else {
            c.value().to_string()
        };
        let (alone, widened) = decode_alone(&input, c.catalogue(), c.service(), c.agent_version());
        match (c.decoded(), &alone) {
            (Ok(a), Ok(b)) => assert_eq!(a.matches(), b.matches(), "{c:?}"),
            (Err(a), Err(b)) => assert_eq!(a, b, "{c:?}"),
            (got, alone) => panic!("{c:?}: in the payload {got:?}, alone {alone:?}"),
        }
        if widened {
            assert!(
                !p.warnings().is_empty(),
                "{c:?}: other services' meanings without a warning"
            );
        }
        assert_eq!(c.matches().is_empty(), c.decoded().is_err());
        for m in c.matches() {
            assert_eq!(m.catalogue(), c.catalogue(), "{c:?}: {m:?}");
        }
        // Informational codes are agent 1.1.0's extended result codes after the root, never a failure.
        if c.is_informational() {
            assert_eq!(c.catalogue(), Catalogue::DuExtendedResultCode);
            assert!(!c.indicates_failure(), "{c:?}");
        }
        if c.is_step_result() {
            assert!(matches!(
                c.catalogue(),
                Catalogue::DuResultCode | Catalogue::DuExtendedResultCode
            ));
        }
        c.indicates_failure();
    }
    let all = p.matches();
    for (i, m) in all.iter().enumerate() {
        assert!(!all[..i].contains(m), "{m:?} listed twice");
        assert!(p.codes().iter().any(|c| c.matches().contains(m)));
    }
}

fn check_retry(p: &Payload, o: &PayloadOptions) {
    assert_eq!(p.retry().is_some(), p.retry_outcome().is_some());
    if let Some(code) = p.retry_code() {
        assert!(p.codes().iter().any(|c| core::ptr::eq(c, code)));
        assert!(
            !code.is_step_result() && !code.is_informational(),
            "{code:?}"
        );
        assert_eq!(code.outcome(), p.retry_outcome());
    }
    if let Some(SubCode::ServiceError(n)) = p.retry_sub_code() {
        assert!(
            p.codes()
                .iter()
                .any(|c| c.outcome() == Some(Outcome::ServiceError(n)))
        );
    }
    // The decision is the default policy's for a first attempt, with the options' seed.
    let again = p.retry_with(
        &Policy::DEFAULT,
        &Context::new(),
        &mut SplitMix64::new(o.seed),
    );
    assert_eq!(p.retry(), again);
    if let Some(d) = p.retry() {
        if let Some(s) = p.service() {
            assert_eq!(d.service(), s, "{d:?}");
        }
        serde_json::to_vec(&d).expect("a decision serializes");
    }
}

/// The kind names the parse; with the default nesting limit, the shape's own parser reads the same text the same
/// way.
fn check_parsed(p: &Payload, t: &str, o: &PayloadOptions) {
    use PayloadKind as K;
    let kind = p.kind();
    let agrees = match p.parsed() {
        Parsed::Topic(_) => matches!(
            kind,
            K::DpsResponseTopic | K::TwinResponseTopic | K::MethodResponseTopic
        ),
        Parsed::Header(_) => kind == K::ErrorCodeHeader,
        Parsed::ErrorBody(_) => matches!(kind, K::DpsError | K::IotHubError | K::ErrorBody),
        Parsed::IotHubError(_) => kind == K::IotHubError,
        Parsed::DpsRegistration(_) => kind == K::DpsRegistration,
        Parsed::DeviceUpdate(_) => kind == K::DeviceUpdateAgent,
        Parsed::CentralRegistrationInfo(_) => kind == K::IotCentralRegistrationInfo,
        Parsed::AzureDiagnostics(_) => kind == K::AzureDiagnostics,
        other => panic!("a parse the target does not know: {other:?}"),
    };
    assert!(agrees, "{kind:?} with {:?}", p.parsed());
    if t.starts_with('$') {
        let topic = p.topic().expect("a topic payload keeps its topic");
        assert_eq!(
            p.context().request_id.as_deref(),
            Some(topic.request_id.as_str())
        );
        if let Parsed::Topic(info) = p.parsed() {
            let alone = parse_response_topic(t).expect("the topic parses alone");
            assert_eq!(info.status, alone.status());
            assert_eq!(info.request_id, alone.request_id());
        }
        return;
    }
    if let Parsed::Header(h) = p.parsed() {
        let alone = parse_error_code_header(t).expect("the header parses alone");
        assert_eq!(
            (h.name.as_str(), h.value.as_str()),
            (alone.name, alone.value)
        );
        return;
    }
    // The typed parsers use the default limits.
    if !t.starts_with('{') || o.limits.depth() > Limits::new().depth() {
        return;
    }
    match p.parsed() {
        Parsed::ErrorBody(b) => assert_eq!(ServiceErrorBody::from_json(t).as_ref(), Ok(b)),
        Parsed::IotHubError(e) => assert_eq!(IotHubError::from_json(t).as_ref(), Ok(e)),
        Parsed::DpsRegistration(r) => {
            assert_eq!(RegistrationOperation::from_json(t).as_ref(), Ok(r))
        }
        Parsed::DeviceUpdate(a) => assert_eq!(DeviceUpdateAgent::from_json(t).as_ref(), Ok(a)),
        Parsed::CentralRegistrationInfo(i) => {
            assert_eq!(CentralRegistrationInfo::from_json(t).as_ref(), Ok(i))
        }
        Parsed::AzureDiagnostics(r) => assert_eq!(DiagnosticsRow::from_json(t).as_ref(), Ok(r)),
        _ => {}
    }
}

fn check_payload(p: &Payload, input: &[u8], o: &PayloadOptions) {
    assert!(input.len() <= o.limits.max_bytes);
    let text = core::str::from_utf8(input).expect("a decoded payload is UTF-8");
    assert!(
        looks_like_payload(text),
        "decoded but does not look like a payload: {text:?}"
    );
    assert_eq!(p.kind().as_str().parse::<PayloadKind>(), Ok(p.kind()));
    if o.service.is_some() {
        assert_eq!(p.service(), o.service, "the caller's service is kept");
    }
    for w in p.warnings() {
        assert!(!w.is_empty());
    }
    let ctx = p.context();
    for v in [
        &ctx.request_id,
        &ctx.retry_after,
        &ctx.twin_version,
        &ctx.tracking_id,
        &ctx.operation_id,
        &ctx.device_id,
        &ctx.message,
    ]
    .into_iter()
    .flatten()
    {
        assert!(!v.is_empty(), "{ctx:?}");
    }
    assert!(ctx.timestamps.iter().all(|t| !t.value.is_empty()));
    check_codes(p);
    check_retry(p, o);
    check_parsed(p, sniffed(text), o);
    let json = serde_json::to_value(p).expect("a payload serializes");
    assert_eq!(json["kind"], p.kind().as_str());
    assert_eq!(
        json["codes"].as_array().map(Vec::len),
        Some(p.codes().len())
    );
}

fuzz_target!(|data: &[u8]| {
    let (o, input) = split(data);
    let result = decode_payload_with(input, &o);
    match &result {
        Err(e) => check_error(e, input, &o),
        Ok(p) => check_payload(p, input, &o),
    }
    // Deterministic: the same input and options decode the same way.
    match (&result, decode_payload_with(input, &o)) {
        (Err(a), Err(b)) => assert_eq!(*a, b),
        (Ok(a), Ok(b)) => assert_eq!(
            serde_json::to_string(a).unwrap(),
            serde_json::to_string(&b).unwrap()
        ),
        (a, b) => panic!("decoded twice: {a:?} then {b:?}"),
    }
});
