//! Lookups and decodes of codes allocate nothing: proven with a counting global allocator.

use azure_iot_codes::du::{AgentVersion, ExtendedResultCode};
use azure_iot_codes::retry::{
    Context, Outcome, RetryAfter, SplitMix64, decide, dps_topic_retry_after,
};
use azure_iot_codes::{Catalogue, HttpStatus, ServiceErrorCode, decode, decode_bytes, lookup_name};

#[path = "support/counting_alloc.rs"]
mod counting_alloc;

use counting_alloc::allocations_in;

#[test]
fn lookups_and_decodes_do_not_allocate() {
    // Inputs built before counting starts.
    let inputs: Vec<String> = [
        "404001",
        "0x191",
        "-1",
        " 401002 ",
        "DEVICE_DISABLED",
        "IotHubUnauthorizedAccess",
        "Unapproved",
        "assigning",
        "404 Not Found",
        "401 IoTHubUnauthorized",
        "waiting for approval",
        "nope",
        "--1",
        "",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let n = allocations_in(|| {
        let mut found = 0usize;
        for s in &inputs {
            match decode(s) {
                Ok(d) => found += d.len(),
                Err(e) => found += e.input().len(),
            }
        }
        for c in Catalogue::ALL {
            for code in [0u32, 5, 200, 404, 429, 404001, 401002, 999_999] {
                found += c.lookup_number(code).len();
            }
        }
        found += lookup_name("PartitionNotFound").count();
        found += ServiceErrorCode::new(403001)
            .map(|c| c.meanings().len())
            .unwrap_or(0);
        found += HttpStatus::new(429)
            .map(|s| s.meanings().len())
            .unwrap_or(0);
        std::hint::black_box(found);
    });
    assert_eq!(n, 0, "{n} allocations");

    // Hostile input (tests/hostile.rs) costs no memory either: megabyte strings, 1000-digit numbers, NULs,
    // invalid UTF-8, a DPS topic with 10,000 parameters.
    let mb = 1 << 20;
    let hostile: Vec<String> = vec![
        "x".repeat(mb),
        "7".repeat(mb),
        "1,".repeat(mb / 2),
        " ".repeat(mb),
        format!("404 {}", "N".repeat(mb)),
        "9".repeat(1000),
        format!("0x{}", "F".repeat(1000)),
        format!("-{}1", "0".repeat(1000)),
        i128::MIN.to_string(),
        "\0".repeat(1000),
        "+-0".into(),
        ["1"; 1000].join("."),
        format!("Sun, 06 Nov {} 08:49:37 GMT", "9".repeat(1000)),
    ];
    let mut invalid = vec![b'7'; mb];
    invalid.push(0xFF);
    let topic = format!(
        "$dps/registrations/res/429/?{}retry-after=5",
        "p=v&".repeat(10_000)
    );
    let n = allocations_in(|| {
        let mut found = 0usize;
        for s in &hostile {
            found += decode(s).map_or_else(|e| e.input_len(), |d| d.len());
            found += azure_iot_codes::parse_number(s, "").map_or(1, |n| n.value as usize);
            found += ExtendedResultCode::parse(s).map_or(1, |c| c.as_u32() as usize);
            found += ExtendedResultCode::parse_list(s).map_or(1, Iterator::count);
            found += s.parse::<AgentVersion>().map_or(1, |_| 2);
            found += RetryAfter::parse(s).map_or(1, |_| 2);
            found += lookup_name(s).count();
        }
        found += decode_bytes(&invalid).map_or_else(|e| e.input_len(), |d| d.len());
        found += dps_topic_retry_after(&topic).map_or(0, str::len);
        let ctx = Context::new().retry_after_from_dps_topic(&topic);
        found += decide(Outcome::HttpStatus(429), &ctx, &mut SplitMix64::new(1))
            .delay_ms()
            .unwrap_or(0) as usize;
        std::hint::black_box(found);
    });
    assert_eq!(n, 0, "{n} allocations for hostile input");
}
