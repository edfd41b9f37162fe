//! A counting global allocator for the no-allocation tests (`tests/no_alloc.rs`, `tests/payload_no_alloc.rs`),
//! included by both with `#[path]`. The one place outside `bindings/c` that needs `unsafe`: `GlobalAlloc` is an
//! unsafe trait.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};

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

/// How many allocations this thread made while `f` ran.
pub fn allocations_in(f: impl FnOnce()) -> usize {
    let before = ALLOCATIONS.load(Ordering::SeqCst);
    COUNTING.set(true);
    f();
    COUNTING.set(false);
    ALLOCATIONS.load(Ordering::SeqCst) - before
}
