//! Small helpers for reading untrusted JSON with messages that name the exact path.

use crate::plan::text::Text;
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

/// What a number written beyond ±1.8e308 (`1e999`) reads as: a marker string of the same
/// byte length, so the rest of the file still loads and the feature holding it is skipped
/// with a message (JSON.parse reads Infinity; serde_json refuses the whole file).
const OVERFLOW: [&str; 2] = ["\u{E000}", "\u{E001}"];

/// `true` when `v` stands for a number written beyond ±1.8e308.
pub(crate) fn is_overflow(v: &Value) -> bool {
    matches!(v, Value::String(s) if OVERFLOW.contains(&s.as_str()))
}

/// "a string", "a number" … for messages like `expected a string, found a number`.
pub(crate) fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) if is_overflow(v) => "a number beyond ±1.8e308",
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

/// Parses JSON text, turning serde_json's errors into one readable line with line and column.
pub(crate) fn parse(text: &str) -> Result<Value, String> {
    parse_checked(text).map(|(v, _)| v)
}

/// Parses JSON text within planmap's caps; also returns the paths of duplicate keys (the last
/// value is kept, as JSON.parse does), for warnings.
pub(crate) fn parse_checked(text: &str) -> Result<(Value, Vec<String>), String> {
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
    let fixed = mark_overflows(text);
    let text = fixed.as_deref().unwrap_or(text);
    let state = std::cell::RefCell::new(State::default());
    let mut de = serde_json::Deserializer::from_str(text);
    let value = serde::de::DeserializeSeed::deserialize(Capped(&state), &mut de)
        .and_then(|v| de.end().map(|_| v))
        .map_err(|e| {
            let what = e.to_string();
            // serde_json appends " at line L column C"; keep only the cause and say it our way.
            let cause = what.split(" at line ").next().unwrap_or(&what).to_owned();
            if let Some(cap) = cause.strip_prefix(CAP) {
                return format!("{cap} (at line {}, column {})", e.line(), e.column());
            }
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
        })?;
    Ok((value, state.into_inner().duplicates))
}

/// Replaces each number literal that overflows f64 by a marker string of the same byte length
/// (so lines and columns of later errors stay right). `None` when there is none.
fn mark_overflows(text: &str) -> Option<String> {
    let b = text.as_bytes();
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut i = 0;
    let mut in_string = false;
    while i < b.len() {
        let c = b[i];
        if in_string {
            match c {
                b'\\' => i += 2,
                b'"' => {
                    in_string = false;
                    i += 1
                }
                _ => i += 1,
            }
            continue;
        }
        match c {
            b'"' => {
                in_string = true;
                i += 1;
            }
            b'-' | b'0'..=b'9' => {
                let start = i;
                i += 1;
                while i < b.len() && matches!(b[i], b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-')
                {
                    i += 1;
                }
                let lit = &text[start..i];
                // Only an exponent or a very long integer can overflow.
                // serde_json's own reading decides (no second float parser in the wasm).
                if (lit.len() > 300 || lit.contains(['e', 'E']))
                    && serde_json::from_str::<f64>(lit)
                        .is_err_and(|e| e.to_string().starts_with("number out of range"))
                {
                    let marker = OVERFLOW[usize::from(c == b'-')];
                    let o = out.get_or_insert_with(|| String::with_capacity(text.len()));
                    o.push_str(&text[copied..start]);
                    o.push('"');
                    o.push_str(marker);
                    o.push('"');
                    for _ in (marker.len() + 2)..lit.len() {
                        o.push(' ');
                    }
                    copied = i;
                }
            }
            _ => i += 1,
        }
    }
    if let Some(o) = &mut out {
        o.push_str(&text[copied..]);
    }
    out
}

/// Marks a cap error among serde_json's messages.
const CAP: &str = "planmap cap: ";

#[derive(Default)]
struct State {
    numbers: usize,
    /// Where the reader is: keys and indices from the root.
    path: Vec<Seg>,
    duplicates: Vec<String>,
}

enum Seg {
    Key(String),
    Index(usize),
}

fn path_string(path: &[Seg]) -> String {
    let mut s = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) if s.is_empty() => s.push_str(k),
            Seg::Key(k) => {
                s.push('.');
                s.push_str(k);
            }
            Seg::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}

/// Reads one JSON value into a `serde_json::Value`, counting against the caps as it goes.
struct Capped<'a>(&'a std::cell::RefCell<State>);

impl<'de> serde::de::DeserializeSeed<'de> for Capped<'_> {
    type Value = Value;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl Capped<'_> {
    fn number<E: serde::de::Error>(&self, n: serde_json::Number) -> Result<Value, E> {
        let mut st = self.0.borrow_mut();
        st.numbers += 1;
        if st.numbers > MAX_NUMBERS {
            return Err(E::custom(format!(
                "{CAP}more than {MAX_NUMBERS} numbers; planmap reads at most {MAX_NUMBERS} per file (about {} positions: the vertex cap)",
                MAX_NUMBERS / 2
            )));
        }
        Ok(Value::Number(n))
    }

    fn string<E: serde::de::Error>(&self, s: &str) -> Result<String, E> {
        if s.len() > MAX_STRING_BYTES {
            let at = path_string(&self.0.borrow().path);
            let at = if at.is_empty() {
                String::new()
            } else {
                format!("{at}: ")
            };
            return Err(E::custom(format!(
                "{CAP}{at}a string of {} bytes; planmap reads strings of at most {} KB (the string cap)",
                s.len(),
                MAX_STRING_BYTES / 1024
            )));
        }
        Ok(s.to_owned())
    }
}

impl<'de> serde::de::Visitor<'de> for Capped<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Value, E> {
        self.number(v.into())
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Value, E> {
        self.number(v.into())
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Value, E> {
        match serde_json::Number::from_f64(v) {
            Some(n) => self.number(n),
            None => Ok(Value::String(OVERFLOW[usize::from(v < 0.0)].to_owned())),
        }
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Value, E> {
        self.string(v).map(Value::String)
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        loop {
            self.0.borrow_mut().path.push(Seg::Index(out.len()));
            let next = seq.next_element_seed(Capped(self.0));
            self.0.borrow_mut().path.pop();
            let Some(v) = next? else {
                break;
            };
            if out.len() >= MAX_FEATURES {
                let at = path_string(&self.0.borrow().path);
                let what = if at.ends_with("features") {
                    "features"
                } else {
                    "elements in one array"
                };
                return Err(serde::de::Error::custom(format!(
                    "{CAP}{}more than {MAX_FEATURES} {what}; planmap reads at most {MAX_FEATURES} (the feature cap)",
                    if at.is_empty() { String::new() } else { format!("{at}: ") }
                )));
            }
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            let key = self.string::<A::Error>(&key)?;
            self.0.borrow_mut().path.push(Seg::Key(key));
            let v = map.next_value_seed(Capped(self.0));
            let Some(Seg::Key(key)) = self.0.borrow_mut().path.pop() else {
                unreachable!("pushed a key above")
            };
            let v = v?;
            if out.contains_key(&key) {
                let mut st = self.0.borrow_mut();
                if st.duplicates.len() < 1000 {
                    st.path.push(Seg::Key(key.clone()));
                    let p = path_string(&st.path);
                    st.path.pop();
                    st.duplicates.push(p);
                }
            }
            out.insert(key, v);
        }
        Ok(Value::Object(out))
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
