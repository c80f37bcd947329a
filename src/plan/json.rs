//! Small helpers for reading untrusted JSON with messages that name the exact path.

use super::text::Text;
use serde_json::{Map, Value};

/// The largest file the loader reads. A district plan is a few megabytes at most; all of
/// China's districts together are about 40 MB. Past this, a file is more likely a mistake
/// (or an attack on the page's memory) than a plan.
pub const MAX_FILE_BYTES: usize = 64 * 1024 * 1024;

/// How JSON nests at most. serde_json stops at 128 levels; a GeoJSON MultiPolygon needs 4 plus
/// the feature wrapping, so anything near the limit is not a map.
pub const MAX_DEPTH: usize = 128;

/// The most features a file may hold (the elements of a `features` array, or of any array
/// beyond it). A million is far beyond any plan, and keeps the page's memory bounded.
pub const MAX_FEATURES: usize = 1_000_000;

/// The most numbers a file may hold: ten million, about five million positions (the vertex
/// cap). Each read number costs the loader about 40 bytes; this keeps a file within a few
/// hundred MB of memory, whatever its shape.
pub const MAX_NUMBERS: usize = 10_000_000;

/// The longest string (a name, a quote, a key) in bytes. A 10 MB name froze the tab for 5 s
/// (issue 12); the longest quote of the Huanggu plan is under 1 KB.
pub const MAX_STRING_BYTES: usize = 64 * 1024;

/// `true` when `v` stands for a number written beyond ±1.8e308.
pub(crate) fn is_overflow(v: &Value) -> bool {
    matches!(v, Value::String(s) if super::raw::OVERFLOW.contains(&s.as_str()))
}

/// "a string", "a number" … for messages like `expected a string, found a number`.
pub(crate) fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) if is_overflow(v) => super::raw::OVERFLOW_KIND,
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A number, with the message for anything else (an overflowing number among them).
pub(crate) fn finite(v: &Value) -> Result<f64, String> {
    match v.as_f64() {
        Some(x) if x.is_finite() => Ok(x),
        _ if is_overflow(v) => Err("not a finite number (beyond ±1.8e308)".to_owned()),
        _ => Err(format!("expected a number, found {}", kind_of(v))),
    }
}

/// A property that must be a string when present: `Ok(None)` when absent or null.
pub(crate) fn opt_str<'a>(
    obj: &'a Map<String, Value>,
    key: &str,
) -> Result<Option<&'a str>, String> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v @ Value::String(s)) if !is_overflow(v) => Ok(Some(s)),
        Some(other) => Err(format!("expected a string, found {}", kind_of(other))),
    }
}

/// A bilingual text: either a plain string or `{"zh": "…", "en": "…"}`.
pub(crate) fn text(v: &Value) -> Result<Text, String> {
    match v {
        Value::String(s) => Ok(Text::plain(s.clone())),
        Value::Object(o) => {
            let zh = opt_str(o, "zh").map_err(|e| format!("zh: {e}"))?;
            let en = opt_str(o, "en").map_err(|e| format!("en: {e}"))?;
            match (zh, en) {
                (None, None) => Err(
                    "expected a text {\"zh\": …, \"en\": …}, found neither zh nor en".to_owned(),
                ),
                (zh, en) => Ok(Text {
                    zh: zh.or(en).unwrap_or_default().to_owned(),
                    en: en.map(str::to_owned),
                }),
            }
        }
        other => Err(format!(
            "expected a string or {{\"zh\", \"en\"}}, found {}",
            kind_of(other)
        )),
    }
}
