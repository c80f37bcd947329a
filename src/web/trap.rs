//! What both wasm modules (the map and the charts) say after a trap: a panic hook that keeps
//! the message, `lastPanic()` that returns it (or the failed allocation) once, and the
//! allocation loop behind the out-of-memory test hooks. Not behind the `exports` feature, so
//! the charts module, and the standalone build's combined module, carry exactly one copy.

use wasm_bindgen::prelude::*;

thread_local! {
    static LAST_PANIC: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Installs a panic hook that logs to the console and keeps the message, so the element can
/// report it as `planmap-error` instead of a bare "unreachable" trap.
#[wasm_bindgen(start)]
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        let msg = format!("planmap: internal error: {info}");
        web_sys::console::error_1(&JsValue::from_str(&msg));
        LAST_PANIC.with(|p| *p.borrow_mut() = Some(msg));
    }));
}

/// The message of the last panic or failed allocation, if any, read by the element after a
/// trapped call — and cleared, so a later, unrelated error never carries the old text.
#[wasm_bindgen(js_name = lastPanic)]
pub fn last_panic() -> Option<String> {
    if let Some(bytes) = super::alloc::take_failed() {
        LAST_PANIC.with(|p| p.borrow_mut().take());
        return Some(format!(
            "out of memory (an allocation of {bytes} bytes failed)"
        ));
    }
    LAST_PANIC.with(|p| p.borrow_mut().take())
}

/// Allocates until memory runs out (the wasm then traps); for the test hooks only.
pub fn exhaust_memory() -> usize {
    let mut hold: Vec<Vec<u8>> = Vec::new();
    loop {
        let mut v = Vec::with_capacity(256 << 20);
        v.push(1u8);
        hold.push(v);
        if hold.len() > 64 {
            return hold.len();
        }
    }
}
