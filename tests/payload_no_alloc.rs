//! Topic and header parsing allocate nothing: proven with a counting global allocator. One test in this binary,
//! so no other test's allocations are counted.

use std::fmt::Write;

use azure_iot_codes::payload::{
    ResponseTopic, TopicKind, looks_like_payload, parse_error_code_header, parse_response_topic,
};

#[path = "support/counting_alloc.rs"]
mod counting_alloc;

use counting_alloc::allocations_in;

/// A fixed buffer that `write!` can print into without allocating.
struct Buf {
    bytes: [u8; 256],
    len: usize,
}

impl Write for Buf {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let end = self.len + s.len();
        self.bytes
            .get_mut(self.len..end)
            .ok_or(std::fmt::Error)?
            .copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

#[test]
fn topic_and_header_parsing_do_not_allocate() {
    // Inputs built before counting starts.
    let topics: Vec<String> = [
        "$dps/registrations/res/202/?$rid=7&retry-after=3",
        "$dps/registrations/res/200/?$rid=8",
        "$dps/registrations/res/429/?retry-after=10&$rid=41&extra=1",
        "$iothub/twin/res/204/?$rid=3&$version=17",
        "$iothub/methods/res/-1/?$rid=5",
        // Rejections allocate nothing either: the error keeps its snippet inline.
        "$dps/registrations/res/2020/?$rid=1",
        "$iothub/twin/res/200/?$version=2",
        "$iothub/twin/res/200?$rid=1",
        "devices/d/messages/events/",
        "",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let headers: Vec<String> = [
        "iothub-errorcode: DeviceNotFound",
        "IotHubErrorCode:IotHubQuotaExceeded",
        "x: y",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let mut buf = Buf {
        bytes: [0; 256],
        len: 0,
    };
    let n = allocations_in(|| {
        let mut seen = 0usize;
        for t in &topics {
            match parse_response_topic(t) {
                Ok(p) => {
                    seen += p.request_id().len() + p.retry_after_secs().unwrap_or(0) as usize;
                    seen += usize::from(p.http_status().is_some());
                    buf.len = 0;
                    write!(buf, "{p}").unwrap();
                    seen += buf.len;
                }
                Err(e) => seen += e.input().len(),
            }
            seen += usize::from(looks_like_payload(t));
        }
        let built = ResponseTopic::new(TopicKind::DpsRegistration, 202, "99")
            .and_then(|t| t.with_retry_after("2"))
            .unwrap();
        buf.len = 0;
        write!(buf, "{built}").unwrap();
        seen += buf.len;
        for h in &headers {
            match parse_error_code_header(h) {
                Ok(h) => seen += h.value.len(),
                Err(e) => seen += e.input().len(),
            }
        }
        std::hint::black_box(seen);
    });
    assert_eq!(n, 0, "{n} allocations");
}
