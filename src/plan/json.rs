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

/// "a string", "a number" … for messages like `expected a string, found a number`.
pub(crate) fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Parses JSON text, turning serde_json's errors into one readable line with line and column.
pub(crate) fn parse(text: &str) -> Result<Value, String> {
    if text.len() > MAX_FILE_BYTES {
        return Err(format!(
            "file is {:.1} MB; planmap reads at most {} MB per file",
            text.len() as f64 / 1_048_576.0,
            MAX_FILE_BYTES / 1_048_576
        ));
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err("file is empty; expected JSON".to_owned());
    }
    serde_json::from_str(text).map_err(|e| {
        let what = e.to_string();
        // serde_json appends " at line L column C"; keep only the cause and say it our way.
        let cause = what.split(" at line ").next().unwrap_or(&what).to_owned();
        let cause = if cause.contains("recursion limit") {
            format!("nesting deeper than {MAX_DEPTH} levels (planmap's limit)")
        } else {
            cause
        };
        format!(
            "invalid JSON at line {}, column {}: {}",
            e.line(),
            e.column(),
            cause
        )
    })
}

/// A property that must be a string when present: `Ok(None)` when absent or null.
pub(crate) fn opt_str<'a>(
    obj: &'a Map<String, Value>,
    key: &str,
) -> Result<Option<&'a str>, String> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
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
