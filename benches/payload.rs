//! Payload decoding, one benchmark per shape, each on a real fixture of `tests/fixtures/payload/`:
//!
//! - group `topic`: the allocation-free topic reading a device does on every MQTT response:
//!   `parse_response_topic` plus the status's meaning for the topic's service (issue #7: at most 100 ns);
//!   the `iothub-errorcode` header the same way.
//! - group `payload`: [`decode_payload`] on every shape it sniffs (topics, DPS error and registration bodies,
//!   every IoT Hub error body shape, the header, Device Update twins, IoT Central registration-info, an
//!   AzureDiagnostics row as JSON and as CSV): the whole `Payload`, with context, meanings and retry decision.
//!
//! Every fixture is decoded once before it is measured and its kind checked, so a label cannot name a shape the
//! input is not. `scripts/bench` runs this and prints the table.

use std::hint::black_box;

use azure_iot_codes::payload::{
    PayloadKind, TopicKind, decode_payload, parse_error_code_header, parse_response_topic,
};
use azure_iot_codes::{Catalogue, Service};
use criterion::{Criterion, criterion_group, criterion_main};

macro_rules! fixture {
    ($file:literal) => {
        (
            $file,
            include_str!(concat!("../tests/fixtures/payload/", $file)),
        )
    };
}

/// Every shape `decode_payload` recognises, with the fixture measured for it.
const SHAPES: [(PayloadKind, (&str, &str)); 18] = [
    (
        PayloadKind::DpsResponseTopic,
        fixture!("dps-topic-202-assigning.txt"),
    ),
    (
        PayloadKind::DpsResponseTopic,
        fixture!("seed-dps-429-throttled-topic.txt"),
    ),
    (
        PayloadKind::TwinResponseTopic,
        fixture!("twin-topic-204-patched.txt"),
    ),
    (
        PayloadKind::MethodResponseTopic,
        fixture!("method-topic-200.txt"),
    ),
    // A topic followed by its body, as MQTT messages are logged: the body decides the kind.
    (
        PayloadKind::DpsRegistration,
        fixture!("dps-topic-200-failed-400209.txt"),
    ),
    (PayloadKind::DpsError, fixture!("dps-error-401002.json")),
    (
        PayloadKind::DpsError,
        fixture!("dps-error-404201-info.json"),
    ),
    (
        PayloadKind::DpsRegistration,
        fixture!("dps-registration-assigned.json"),
    ),
    (
        PayloadKind::IotHubError,
        fixture!("iothub-error-legacy.json"),
    ),
    (
        PayloadKind::IotHubError,
        fixture!("iothub-error-legacy-nested.json"),
    ),
    (PayloadKind::IotHubError, fixture!("iothub-error-flat.json")),
    (
        PayloadKind::IotHubError,
        fixture!("iothub-error-wrapped-object.json"),
    ),
    (
        PayloadKind::IotHubError,
        fixture!("iothub-error-wrapped-string.json"),
    ),
    (
        PayloadKind::ErrorCodeHeader,
        fixture!("iothub-errorcode-header.txt"),
    ),
    (
        PayloadKind::DeviceUpdateAgent,
        fixture!("du-twin-agent-1.0-integer.json"),
    ),
    (
        PayloadKind::IotCentralRegistrationInfo,
        fixture!("central-registration-info-provisioned.json"),
    ),
    (
        PayloadKind::AzureDiagnostics,
        fixture!("diag-iothub-connections-raw.json"),
    ),
    (
        PayloadKind::AzureDiagnostics,
        fixture!("diag-iothub-409002.csv"),
    ),
];

/// The topics of the fixtures, as a device receives them (one line, no body).
const TOPICS: [(&str, &str); 4] = [
    fixture!("dps-topic-202-assigning.txt"),
    fixture!("seed-dps-429-throttled-topic.txt"),
    fixture!("twin-topic-204-patched.txt"),
    fixture!("method-topic-200.txt"),
];

/// What a device does with a response topic: read it, then look up what its status means for the service that
/// sent it (a direct-method status is the application's own, so it has none). No allocation.
fn topic_reading(topic: &str) -> Option<(usize, Option<&'static str>)> {
    let t = parse_response_topic(topic).ok()?;
    let service = match t.kind() {
        TopicKind::DpsRegistration => Service::Dps,
        _ => Service::IotHub,
    };
    let meaning = t
        .http_status()
        .and_then(|s| s.meaning_for(service))
        .map(|m| m.name());
    Some((
        t.request_id().len() + t.retry_after_secs().unwrap_or(0) as usize,
        meaning,
    ))
}

fn topics(c: &mut Criterion) {
    let mut g = c.benchmark_group("topic");
    for (file, text) in TOPICS {
        let topic = text.trim_end();
        assert!(topic_reading(topic).is_some(), "{file}: {topic:?}");
        g.bench_function(
            format!("parse_response_topic + status meaning: {file}"),
            |b| b.iter(|| topic_reading(black_box(topic))),
        );
    }
    // The parse alone, to see how the reading above splits between parsing and the meaning lookup.
    let (file, text) = TOPICS[0];
    let topic = text.trim_end();
    g.bench_function(format!("parse only, no meaning: {file}"), |b| {
        b.iter(|| parse_response_topic(black_box(topic)).map(|t| t.status()))
    });
    let (file, text) = fixture!("iothub-errorcode-header.txt");
    let header = text.trim_end();
    assert!(parse_error_code_header(header).is_ok(), "{file}");
    g.bench_function(format!("parse_error_code_header + meaning: {file}"), |b| {
        b.iter(|| {
            parse_error_code_header(black_box(header))
                .ok()
                .and_then(|h| {
                    Catalogue::ServiceError
                        .lookup_name(h.value)
                        .next()
                        .map(|m| m.code_bits())
                })
        })
    });
    g.finish();
}

fn payloads(c: &mut Criterion) {
    let mut g = c.benchmark_group("payload");
    for (kind, (file, text)) in SHAPES {
        let decoded = decode_payload(text).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(decoded.kind(), kind, "{file}");
        g.bench_function(format!("decode_payload {kind}: {file}"), |b| {
            b.iter(|| decode_payload(black_box(text)).map(|p| p.codes().len()))
        });
    }
    g.finish();
}

criterion_group!(benches, topics, payloads);
criterion_main!(benches);
