//! A manifest with its layers (`planmap::exercise::SEPARATOR` between them): load the plan
//! and, if it loads, run the whole widget on it.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        planmap::exercise::manifest(text);
    }
});
