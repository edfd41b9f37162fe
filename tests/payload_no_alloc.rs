//! Topic and header parsing allocate nothing: proven with a counting global allocator. One test in this binary,
//! so no other test's allocations are counted.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::fmt::Write;
use std::sync::atomic::{AtomicUsize, Ordering};

use azure_iot_codes::payload::{
    ResponseTopic, TopicKind, looks_like_payload, parse_error_code_header, parse_response_topic,
};

struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    /// Set while the measured code runs. Only this thread's allocations count: the test harness's own threads
    /// may allocate at any moment, which made the count flaky on a loaded machine. (A `const` `Cell<bool>` needs
    /// no allocation or destructor, so reading it inside the allocator is safe.)
    static COUNTING: Cell<bool> = const { Cell::new(false) };
}

// SAFETY: forwards to the system allocator unchanged; only counts calls. (Tests are outside the core crate's
// `forbid(unsafe_code)`; a global allocator cannot be written without `unsafe impl`.)
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if COUNTING.try_with(Cell::get).unwrap_or(false) {
            ALLOCATIONS.fetch_add(1, Ordering::SeqCst);
        }
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

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
    let before = ALLOCATIONS.load(Ordering::SeqCst);
    COUNTING.set(true);
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
    COUNTING.set(false);
    let n = ALLOCATIONS.load(Ordering::SeqCst) - before;
    assert_eq!(n, 0, "{n} allocations");
}
