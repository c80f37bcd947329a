//! The system allocator, remembering a failed allocation: on wasm an out-of-memory aborts with
//! a bare "unreachable" trap and no panic message, so the element could only say "internal
//! error". With the failure remembered, `lastPanic()` can say "out of memory" (issue 12).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The size of the last failed allocation, 0 when none failed since it was last read.
static FAILED: AtomicUsize = AtomicUsize::new(0);

/// [`System`], recording failures.
pub struct Remembering;

// SAFETY: every call is forwarded unchanged to `System`; only a null result is noted.
unsafe impl GlobalAlloc for Remembering {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc(layout);
        if p.is_null() {
            FAILED.store(layout.size().max(1), Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc_zeroed(layout);
        if p.is_null() {
            FAILED.store(layout.size().max(1), Ordering::Relaxed);
        }
        p
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = System.realloc(ptr, layout, new_size);
        if p.is_null() {
            FAILED.store(new_size.max(1), Ordering::Relaxed);
        }
        p
    }
}

#[global_allocator]
static ALLOC: Remembering = Remembering;

/// The size of the allocation that failed since the last call, if one did.
pub fn take_failed() -> Option<usize> {
    match FAILED.swap(0, Ordering::Relaxed) {
        0 => None,
        n => Some(n),
    }
}
