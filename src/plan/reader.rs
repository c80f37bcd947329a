//! One JSON file read as its bytes arrive, in chunks of any size: decoded (UTF-8, or UTF-16
//! with a byte order mark) and checked against planmap's caps on the way, each element of the
//! root's `features` array handed over typed as soon as it is complete, so parsing overlaps
//! the download and no tree of the whole file is ever built.
//!
//! serde_json reads every value (one root member, or one feature); the few bytes between them
//! (the root object's braces, keys, colons and commas, the `features` array's brackets) are read
//! here, with serde_json's own messages and positions, so a broken file gets the same message
//! however its bytes were cut. Bytes are kept only until the value they belong to is read.

use super::json::MAX_FEATURES;
use super::raw::{
    too_many, with_state, Coords, GeomList, Out, RawElement, RawGeom, Seg, State, Top, What, CAP,
    DEPTH, OVERFLOW,
};
use super::source::{looks_like_gbk, too_big};
use serde_json::{Map, Value};
use std::collections::HashSet;

/// Where the elements of the root's `features` array go as they are read.
pub(crate) trait FeatureSink {
    /// Element `index` of the `features` array.
    fn feature(&mut self, index: usize, element: RawElement);
    /// A second `features` member begins: the last one is used (as JSON.parse does), so
    /// everything read from the first is dropped.
    fn reset(&mut self);
}

/// A file's root object, its typed members apart.
#[derive(Debug, Default)]
pub(crate) struct RootObj {
    /// Every member but `geometry`, `coordinates`, `geometries` and `features`.
    pub(crate) members: Map<String, Value>,
    pub(crate) geometry: Option<RawGeom>,
    pub(crate) coordinates: Option<Coords>,
    pub(crate) geometries: Option<GeomList>,
    pub(crate) features: Option<Features>,
}

/// A root's `features` member.
#[derive(Debug)]
pub(crate) enum Features {
    /// An array, whose elements went to the sink.
    Streamed,
    /// Anything else.
    Value(Value),
}

/// What a file's root is.
#[derive(Debug)]
pub(crate) enum Root {
    Object(RootObj),
    /// Not an object: its kind.
    Other(&'static str),
}

/// A file read to its end.
#[derive(Debug)]
pub(crate) struct Finished {
    pub(crate) root: Root,
    /// Paths of duplicate keys, in the order found.
    pub(crate) duplicates: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Enc {
    /// The first bytes are held until the encoding is known.
    Detect,
    Utf8,
    Utf16 {
        le: bool,
    },
}

#[derive(Debug)]
enum Stage {
    Start,
    /// Inside the root object, before a key (`first`: right after `{`).
    Obj {
        first: bool,
    },
    Colon(String),
    Value(String),
    /// Inside the root's `features` array.
    Elements {
        first: bool,
    },
    /// A root that is not an object: read whole for its kind.
    Other,
    /// The root has ended: only whitespace may follow.
    Done,
}

/// Where a value sits, for the message after a number: the whole file's reader would say
/// what the enclosing object or array expected next.
enum Ctx {
    Root,
    Member,
    Element,
}

enum Step<T> {
    Got(T),
    More,
    Failed,
}

/// Reads one file incrementally; see the module's doc.
pub(crate) struct FileReader {
    enc: Enc,
    /// Raw bytes held while the encoding is detected.
    head: Vec<u8>,
    raw_len: usize,
    max: usize,
    /// The raw byte count is capped too (bytes, not text).
    check_raw: bool,
    /// A UTF-8 sequence cut by the end of the last chunk.
    utf8_tail: Vec<u8>,
    /// Raw newlines so far (for the line of an invalid byte).
    raw_newlines: usize,
    /// First invalid UTF-8: its raw offset, line, and the bytes from it on (to name GBK).
    bad: Option<(usize, usize, Vec<u8>)>,
    u16_odd: Option<u8>,
    u16_high: Option<u16>,
    u16_error: Option<String>,
    /// The decoded text's length so far (with a byte order mark).
    decoded: usize,
    bom_done: bool,
    nonblank: bool,
    /// Decoded, BOM-less text not yet read; `base` is the offset of its first byte.
    buf: Vec<u8>,
    /// The newlines in `buf`: a drop of read text counts its lines in whichever part, dropped
    /// or kept, is the shorter (the kept part, a feature's tail, is most often a few bytes).
    buf_newlines: usize,
    base: usize,
    /// The line of `base` (1-based) and the offset where that line starts.
    base_line: usize,
    base_line_start: usize,
    /// The overflow marker's scan: where it is and whether inside a string.
    scan: usize,
    in_string: bool,
    escape: bool,
    /// Text up to here is final (no number literal cut at the end).
    ready: usize,
    /// Bracket depth at `scan` (outside strings), and, for depths 0 to 2, the end of the last
    /// byte read at that depth or shallower: a value at depth d is worth reading only once
    /// text after its start has settled back to d (a cut feature is not read twice).
    scan_depth: usize,
    settled: [usize; DEEP],
    /// Tests: `mark` byte by byte only, to compare with its eight-at-a-time skipping.
    #[cfg(test)]
    byte_loop_only: bool,
    /// The next byte to read.
    pos: usize,
    /// Do not try a value again before this much text is there (each try of a cut value is
    /// at least twice the last one's length: reading stays linear).
    retry_at: usize,
    stage: Stage,
    state: State,
    json_error: Option<String>,
    root: RootObj,
    root_other: Option<&'static str>,
    root_keys: HashSet<String>,
    /// Elements of the current `features` array so far.
    elements: usize,
}

/// The bracket depths `settled` keeps (0 to 2: the root, `features`, a feature); from this one
/// on, `mark` has nothing to record but depth itself ([`skip_deep`]).
const DEEP: usize = 3;

/// A stretch of this many bytes with no bracket, quote or exponent is handed back to the byte
/// loop, which reads it as it always did: only a literal over 300 bytes can be beyond f64
/// without an exponent, and only such a stretch can hold one.
const LONG_RUN: usize = 256;

/// From `i` (where `mark`'s byte loop is between tokens, outside a string, at `depth` ≥
/// [`DEEP`]), skips what that loop would read without effect but for bracket depth: numbers
/// without an exponent, commas, whitespace and the brackets that keep the depth at `DEEP` or
/// more. Returns where the byte loop is to go on (just past the last bracket it took, so at a
/// token's start, at `depth` as returned) and whether it stopped at a long stretch. Eight bytes
/// at a time: coordinates are most of a file, and byte by byte this loop was the largest part
/// of reading one in V8's baseline tier (issue 13). Never inlined, so V8 optimises it early.
#[inline(never)]
fn skip_deep(b: &[u8], i: usize, mut depth: usize) -> (usize, usize, bool) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // A byte of `x` equal to `c`, flagged in its high bit (the lowest flag is always exact).
    let eq = |x: u64, c: u8| {
        let t = x ^ (ONES * u64::from(c));
        t.wrapping_sub(ONES) & !t & HIGH
    };
    let mut safe = i;
    let mut j = i;
    while j + 8 <= b.len() {
        if j - safe > LONG_RUN {
            return (safe, depth, true);
        }
        let w = word(b, j);
        // With bit 5 set: `[`→`{`, `]`→`}`, `E`→`e`; `"` stays (and 0x02 joins it).
        let x = w | (ONES * 0x20);
        let flags = eq(x, b'{') | eq(x, b'}') | eq(x, b'e') | eq(x, b'"');
        if flags == 0 {
            j += 8;
            continue;
        }
        let k = j + (flags.trailing_zeros() / 8) as usize;
        match b[k] {
            b'[' | b'{' => depth += 1,
            b']' | b'}' if depth > DEEP => depth -= 1,
            _ => return (safe, depth, false),
        }
        j = k + 1;
        safe = j;
    }
    (safe, depth, false)
}

/// Marks the number literal `lit` (an exponent's or a very long one) in place when it is beyond
/// f64, as serde_json's own reading decides (no second float parser in the wasm).
#[cold]
#[inline(never)]
fn mark_overflow(lit: &mut [u8]) {
    if serde_json::from_slice::<f64>(lit)
        .is_err_and(|e| e.to_string().starts_with("number out of range"))
    {
        let marker = OVERFLOW[usize::from(lit[0] == b'-')].as_bytes();
        lit[0] = b'"';
        lit[1..1 + marker.len()].copy_from_slice(marker);
        lit[1 + marker.len()] = b'"';
        for x in &mut lit[2 + marker.len()..] {
            *x = b' ';
        }
    }
}

/// Text up to `at` has been scanned at bracket depth `depth`: settled for that depth and deeper.
fn settle(settled: &mut [usize; DEEP], depth: usize, at: usize) {
    for s in settled.iter_mut().skip(depth) {
        *s = at;
    }
}

/// How many `\n` bytes `b` holds, eight at a time: every byte of a file is counted (twice:
/// for a bad byte's line as it arrives, and for later messages' lines as read text is
/// dropped), which byte by byte was a tenth of a national file's parse in WebAssembly, where
/// the loop is not vectorised (issue 13).
fn newlines(b: &[u8]) -> usize {
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    let mut n = 0;
    let mut j = 0;
    while j + 8 <= b.len() {
        // Bytes equal to '\n' become zero; each zero byte then sets its high bit, with no
        // carry from one byte into the next (the high bits are kept out of the sum).
        let v = word(b, j) ^ 0x0A0A_0A0A_0A0A_0A0A;
        let zero = !(((v & LOW7) + LOW7) | v | LOW7);
        n += zero.count_ones() as usize;
        j += 8;
    }
    n + b[j..].iter().filter(|&&c| c == b'\n').count()
}

/// The eight bytes of `b` from `j` as one little-endian word: one load. (Gathered from a
/// slice or an array, at opt-level "z" it stayed a call to `memcpy` or eight loads, for every
/// eight bytes of a file.)
#[inline(always)]
pub(crate) fn word(b: &[u8], j: usize) -> u64 {
    assert!(j + 8 <= b.len());
    // SAFETY: the eight bytes from `j` are inside `b` (asserted), and an unaligned read of
    // plain bytes is always valid.
    u64::from_le(unsafe { b.as_ptr().add(j).cast::<u64>().read_unaligned() })
}

/// JSON whitespace (serde_json's: no other Unicode spaces).
fn ws(b: u8) -> bool {
    matches!(b, b' ' | b'\n' | b'\t' | b'\r')
}

impl FileReader {
    /// A reader of bytes (encoding detected as [`super::decode`] does), within `max` bytes.
    pub(crate) fn bytes(max: usize) -> Self {
        Self::new(Enc::Detect, max, true)
    }

    /// A reader of text already decoded (a Rust string's bytes).
    pub(crate) fn text(max: usize) -> Self {
        Self::new(Enc::Utf8, max, false)
    }

    fn new(enc: Enc, max: usize, check_raw: bool) -> Self {
        FileReader {
            enc,
            head: Vec::new(),
            raw_len: 0,
            max,
            check_raw,
            utf8_tail: Vec::new(),
            raw_newlines: 0,
            buf_newlines: 0,
            bad: None,
            u16_odd: None,
            u16_high: None,
            u16_error: None,
            decoded: 0,
            bom_done: false,
            nonblank: false,
            buf: Vec::new(),
            base: 0,
            base_line: 1,
            base_line_start: 0,
            scan: 0,
            in_string: false,
            escape: false,
            ready: 0,
            scan_depth: 0,
            settled: [0; DEEP],
            #[cfg(test)]
            byte_loop_only: false,
            pos: 0,
            retry_at: 0,
            stage: Stage::Start,
            state: State::default(),
            json_error: None,
            root: RootObj::default(),
            root_other: None,
            root_keys: HashSet::new(),
            elements: 0,
        }
    }

    /// Bytes read so far.
    pub(crate) fn bytes_read(&self) -> usize {
        self.raw_len
    }

    /// `true` once the file cannot load whatever follows (too big, not UTF-8, broken JSON):
    /// the rest is only counted (its wording may still change: the full size, or a bad byte
    /// further on, which the whole file's decoding reports first).
    pub(crate) fn failed(&self) -> bool {
        self.too_big()
            || self.bad.is_some()
            || self.u16_error.is_some()
            || self.json_error.is_some()
    }

    fn too_big(&self) -> bool {
        (self.check_raw && self.raw_len > self.max) || self.decoded > self.max
    }

    /// The next chunk of the file.
    pub(crate) fn feed(&mut self, chunk: &[u8], sink: &mut dyn FeatureSink) {
        self.raw_len += chunk.len();
        if self.too_big() {
            self.buf = Vec::new();
            self.buf_newlines = 0;
            return;
        }
        if let Some((_, _, sample)) = &mut self.bad {
            // The rest tells GBK from other bytes, as decoding the whole file does.
            sample.extend_from_slice(chunk);
            return;
        }
        if self.u16_error.is_some() {
            // Only counted (an odd UTF-16 length is still found).
            return;
        }
        // After a JSON error the rest is still decoded: a bad byte further on is what the
        // whole file's decoding would report first.
        self.decode(chunk, false);
        self.read(false, sink);
    }

    /// The end of the file: its root and duplicate keys, or the one message saying why it
    /// cannot be read (too big, not UTF-8, empty, invalid JSON, a cap), and whether that is
    /// its bytes (too big or not text planmap reads) rather than its JSON.
    pub(crate) fn finish(self, sink: &mut dyn FeatureSink) -> Result<Finished, (String, bool)> {
        let mut s = self;
        if !(s.too_big() || s.bad.is_some() || s.u16_error.is_some()) {
            s.decode(&[], true);
            s.read(true, sink);
        }
        let bytes = s.too_big()
            || s.bad.is_some()
            || s.u16_error.is_some()
            || (matches!(s.enc, Enc::Utf16 { .. }) && (s.raw_len - 2) % 2 != 0);
        s.end().map_err(|m| (m, bytes))
    }

    fn end(mut self) -> Result<Finished, String> {
        if self.check_raw && self.raw_len > self.max {
            return Err(too_big(self.raw_len, self.max));
        }
        if let Some((at, line, sample)) = &self.bad {
            return Err(if looks_like_gbk(sample) {
                format!("the file is not UTF-8: it looks like GBK/GB18030 (a Chinese legacy encoding) from line {line}; planmap reads UTF-8 only: save it as UTF-8")
            } else {
                format!(
                    "the file is not UTF-8: invalid byte 0x{:02X} at byte {at} (line {line}); planmap reads UTF-8 only",
                    sample[0]
                )
            });
        }
        if matches!(self.enc, Enc::Utf16 { .. }) && (self.raw_len - 2) % 2 != 0 {
            return Err("the file is UTF-16 (it starts with a byte order mark) but has an odd number of bytes; save it as UTF-8".to_owned());
        }
        if let Some(m) = self.u16_error.take() {
            return Err(m);
        }
        if self.decoded > self.max {
            return Err(too_big(self.decoded, self.max));
        }
        if !self.nonblank {
            return Err("file is empty; expected JSON".to_owned());
        }
        if let Some(m) = self.json_error.take() {
            return Err(m);
        }
        let root = match self.root_other {
            Some(kind) => Root::Other(kind),
            None => Root::Object(std::mem::take(&mut self.root)),
        };
        Ok(Finished {
            root,
            duplicates: std::mem::take(&mut self.state.duplicates),
        })
    }

    // ---- bytes → text ----

    fn decode(&mut self, chunk: &[u8], last: bool) {
        if self.enc == Enc::Detect {
            self.head.extend_from_slice(chunk);
            if self.head.len() < 4 && !last {
                return;
            }
            let head = std::mem::take(&mut self.head);
            let b = &head[..];
            let rest = if let Some(rest) = b.strip_prefix(&[0xFF, 0xFE]) {
                self.enc = Enc::Utf16 { le: true };
                rest
            } else if let Some(rest) = b.strip_prefix(&[0xFE, 0xFF]) {
                self.enc = Enc::Utf16 { le: false };
                rest
            } else if b.len() >= 4 && ((b[0] == 0) != (b[1] == 0)) && ((b[2] == 0) != (b[3] == 0)) {
                // UTF-16 without a mark: JSON starts with an ASCII character, so one byte of
                // each pair is zero.
                self.u16_error = Some("the file is UTF-16 without a byte order mark; planmap reads UTF-8, or UTF-16 that starts with one: save it as UTF-8".to_owned());
                return;
            } else {
                self.enc = Enc::Utf8;
                b
            };
            self.decode_known(rest, last);
            return;
        }
        self.decode_known(chunk, last);
    }

    fn decode_known(&mut self, chunk: &[u8], last: bool) {
        match self.enc {
            Enc::Utf16 { le } => self.utf16(chunk, le, last),
            _ => self.utf8(chunk, last),
        }
    }

    fn utf8(&mut self, mut c: &[u8], last: bool) {
        let mut offset = self.raw_len - c.len();
        if !self.utf8_tail.is_empty() {
            let need = match self.utf8_tail[0] {
                0xC0..=0xDF => 2,
                0xE0..=0xEF => 3,
                _ => 4,
            };
            let take = (need - self.utf8_tail.len()).min(c.len());
            self.utf8_tail.extend_from_slice(&c[..take]);
            c = &c[take..];
            offset += take;
            if self.utf8_tail.len() < need && !last {
                return;
            }
            let tail = std::mem::take(&mut self.utf8_tail);
            let at = offset - tail.len();
            match std::str::from_utf8(&tail) {
                Ok(_) => self.take_text(&tail),
                Err(e) => {
                    let v = e.valid_up_to();
                    self.take_text(&tail[..v]);
                    let mut sample = tail[v..].to_vec();
                    sample.extend_from_slice(c);
                    self.bad = Some((at + v, self.raw_newlines + 1, sample));
                    return;
                }
            }
        }
        match std::str::from_utf8(c) {
            Ok(_) => self.take_text(c),
            Err(e) => {
                let v = e.valid_up_to();
                self.take_text(&c[..v]);
                if e.error_len().is_none() && !last {
                    self.utf8_tail = c[v..].to_vec();
                } else {
                    let sample = c[v..].to_vec();
                    self.bad = Some((offset + v, self.raw_newlines + 1, sample));
                }
            }
        }
    }

    fn utf16(&mut self, c: &[u8], le: bool, last: bool) {
        let unit = |p: [u8; 2]| {
            if le {
                u16::from_le_bytes(p)
            } else {
                u16::from_be_bytes(p)
            }
        };
        let mut out = String::with_capacity(c.len());
        let mut i = 0;
        let mut units = Vec::with_capacity(c.len() / 2 + 1);
        if let Some(h) = self.u16_odd.take() {
            if let Some(&b) = c.first() {
                units.push(unit([h, b]));
                i = 1;
            } else {
                self.u16_odd = Some(h);
            }
        }
        while i + 1 < c.len() {
            units.push(unit([c[i], c[i + 1]]));
            i += 2;
        }
        if i < c.len() {
            self.u16_odd = Some(c[i]);
        }
        let mut all = Vec::with_capacity(units.len() + 1);
        all.extend(self.u16_high.take());
        all.extend(units);
        // A high surrogate at the end waits for its pair.
        if !last && all.last().is_some_and(|u| (0xD800..0xDC00).contains(u)) {
            self.u16_high = all.pop();
        }
        for ch in char::decode_utf16(all) {
            match ch {
                Ok(ch) => out.push(ch),
                Err(e) => {
                    self.take_text(out.as_bytes());
                    self.u16_error = Some(format!("the file is UTF-16 (it starts with a byte order mark) but holds an unpaired surrogate 0x{:04X}; save it as UTF-8", e.unpaired_surrogate()));
                    return;
                }
            }
        }
        self.take_text(out.as_bytes());
    }

    /// Decoded text (whole characters) arrives.
    fn take_text(&mut self, t: &[u8]) {
        let lines = newlines(t);
        self.raw_newlines += lines;
        self.decoded += t.len();
        if self.decoded > self.max {
            self.buf = Vec::new();
            self.buf_newlines = 0;
            return;
        }
        if self.json_error.is_some() {
            if !self.nonblank {
                let s = std::str::from_utf8(t).unwrap_or_default();
                self.nonblank = s.chars().any(|c| !c.is_whitespace());
            }
            return;
        }
        let from = self.buf.len();
        self.buf.extend_from_slice(t);
        self.buf_newlines += lines;
        if !self.bom_done {
            if self.buf.len() < 3 {
                return;
            }
            if self.buf.starts_with("\u{feff}".as_bytes()) {
                self.buf.drain(..3);
            }
            self.bom_done = true;
            self.check_blank(0);
        } else {
            self.check_blank(from);
        }
    }

    fn check_blank(&mut self, from: usize) {
        if !self.nonblank {
            let s = std::str::from_utf8(&self.buf[from..]).unwrap_or_default();
            self.nonblank = s.chars().any(|c| !c.is_whitespace());
        }
    }

    // ---- text → values ----

    /// Marks number literals beyond f64 in the new text (in place, the same length) and moves
    /// `ready` to the end, but for a literal the chunk may have cut. Never inlined, and its
    /// rare case kept out ([`mark_overflow`]): V8 runs a new function in its baseline tier
    /// and swaps in optimised code from its next call, once compiled; inlined into `read`, this
    /// loop waited 12–21 ms for that compile of a large function (issue 13).
    #[inline(never)]
    fn mark(&mut self, last: bool) {
        let base = self.base;
        let b = &mut self.buf;
        let mut i = self.scan - base;
        let mut held = None;
        // Where the byte loop below may hand a stretch back to `skip_deep` again.
        let mut slow_until = 0;
        while i < b.len() {
            #[cfg(test)]
            if self.byte_loop_only {
                slow_until = usize::MAX;
            }
            if !self.in_string && self.scan_depth >= DEEP && i >= slow_until {
                let (to, depth, long) = skip_deep(b, i, self.scan_depth);
                (i, self.scan_depth) = (to, depth);
                if long {
                    slow_until = i + 2 * LONG_RUN;
                }
                if i >= b.len() {
                    break;
                }
            }
            if self.in_string {
                if self.escape {
                    self.escape = false;
                    i += 1;
                    continue;
                }
                // Straight to the next quote or backslash.
                match b[i..].iter().position(|&c| c == b'"' || c == b'\\') {
                    None => i = b.len(),
                    Some(k) => {
                        i += k;
                        if b[i] == b'\\' {
                            self.escape = true;
                        } else {
                            self.in_string = false;
                            settle(&mut self.settled, self.scan_depth, base + i + 1);
                        }
                        i += 1;
                    }
                }
                continue;
            }
            let c = b[i];
            match c {
                b'"' => {
                    self.in_string = true;
                    i += 1;
                }
                b'[' | b'{' => {
                    self.scan_depth += 1;
                    i += 1;
                    settle(&mut self.settled, self.scan_depth, base + i);
                }
                b']' | b'}' => {
                    self.scan_depth = self.scan_depth.saturating_sub(1);
                    i += 1;
                    settle(&mut self.settled, self.scan_depth, base + i);
                }
                b'-' | b'0'..=b'9' => {
                    let start = i;
                    let mut exp = false;
                    i += 1;
                    while i < b.len() {
                        match b[i] {
                            b'0'..=b'9' | b'.' | b'+' | b'-' => {}
                            b'e' | b'E' => exp = true,
                            _ => break,
                        }
                        i += 1;
                    }
                    if i == b.len() && !last {
                        held = Some(start);
                        i = start;
                        break;
                    }
                    // Only an exponent or a very long integer can overflow; serde_json's own
                    // reading decides (no second float parser in the wasm).
                    if exp || i - start > 300 {
                        mark_overflow(&mut b[start..i]);
                    }
                    settle(&mut self.settled, self.scan_depth, base + i);
                }
                _ => {
                    i += 1;
                    settle(&mut self.settled, self.scan_depth, base + i);
                }
            }
        }
        self.scan = base + i;
        self.ready = base + held.unwrap_or(i);
    }

    fn read(&mut self, last: bool, sink: &mut dyn FeatureSink) {
        if self.json_error.is_some() {
            return;
        }
        if !self.bom_done {
            if !last {
                return;
            }
            self.bom_done = true;
            self.check_blank(0);
        }
        self.mark(last);
        while let Step::Got(()) = self.step(last, sink) {}
        // Drop what has been read (counting its lines for later messages).
        let done = self.pos - self.base;
        if done > 0 && (done >= 1 << 20 || done * 2 >= self.buf.len()) {
            let gone = &self.buf[..done];
            // (Counted first: a file on one line has no newline to look back for.)
            let lines = if done <= self.buf.len() - done {
                newlines(gone)
            } else {
                self.buf_newlines - newlines(&self.buf[done..])
            };
            self.buf_newlines -= lines;
            if lines > 0 {
                if let Some(k) = gone.iter().rposition(|&b| b == b'\n') {
                    self.base_line += lines;
                    self.base_line_start = self.base + k + 1;
                }
            }
            self.buf.drain(..done);
            self.base += done;
        }
    }

    /// The byte at `pos` after skipping JSON whitespace, if the text has it yet.
    fn peek(&mut self) -> Option<u8> {
        while self.pos < self.ready {
            let b = self.buf[self.pos - self.base];
            if !ws(b) {
                return Some(b);
            }
            self.pos += 1;
        }
        None
    }

    /// serde_json's line and column of offset `i` (the column counts bytes from 1 at the
    /// first byte of the line, as `position_of_index` does).
    fn position_of(&self, i: usize) -> (usize, usize) {
        let rel = &self.buf[..i - self.base];
        match rel.iter().rposition(|&b| b == b'\n') {
            Some(k) => (self.base_line + newlines(rel), i - (self.base + k + 1)),
            None => (self.base_line, i - self.base_line_start),
        }
    }

    fn fail(&mut self, (line, column): (usize, usize), cause: &str) -> Step<()> {
        self.json_error = Some(if let Some(cap) = cause.strip_prefix(CAP) {
            format!("{cap} (at line {line}, column {column})")
        } else {
            let cause = if cause == DEPTH || cause.contains("recursion limit") {
                format!(
                    "nesting deeper than {} levels (planmap's limit)",
                    super::json::MAX_DEPTH
                )
            } else {
                cause.to_owned()
            };
            format!("invalid JSON at line {line}, column {column}: {cause}")
        });
        Step::Failed
    }

    /// An error at the byte at `q` (serde_json's `peek_error`), or at the end of the text.
    fn fail_at(&mut self, q: usize, cause: &str) -> Step<()> {
        let at = (q + 1).min(self.base + self.buf.len());
        self.fail(self.position_of(at), cause)
    }

    /// The end of the text: an error there when it is the last byte, else wait for more.
    fn eof(&mut self, last: bool, cause: &str) -> Step<()> {
        if last {
            let end = self.base + self.buf.len();
            self.fail(self.position_of(end), cause)
        } else {
            Step::More
        }
    }

    /// Reads one value at `pos` with serde_json, as `what`, under `path` and `depth`.
    fn value(
        &mut self,
        what: What,
        last: bool,
        ctx: Ctx,
        path: Vec<Seg>,
        depth: usize,
    ) -> Step<Out> {
        let start = self.pos;
        if !last && (self.ready < self.retry_at || self.settled[depth.min(DEEP - 1)] <= start) {
            return Step::More;
        }
        let slice = &self.buf[start - self.base..self.ready - self.base];
        let scalar = !matches!(slice.first(), Some(b'[' | b'{' | b'"'));
        let (numbers, dups) = (self.state.numbers, self.state.duplicates.len());
        self.state.path = path;
        self.state.depth = depth;
        self.state.what = what;
        if what == What::Element {
            // The common feature, its coordinates read without serde (issue 13); anything
            // else falls through to the general reading below.
            if let Some((out, off)) = super::fast::element(slice, &mut self.state) {
                self.pos = start + off;
                self.retry_at = 0;
                return Step::Got(out);
            }
        }
        let (r, off) = with_state(&mut self.state, || {
            let mut s = serde_json::Deserializer::from_slice(slice).into_iter::<Top>();
            let r = s.next();
            (r, s.byte_offset())
        });
        let undo = |st: &mut State| {
            st.numbers = numbers;
            st.duplicates.truncate(dups);
        };
        match r {
            Some(Ok(_)) if scalar && !last && start + off == self.ready => {
                undo(&mut self.state);
                Step::More
            }
            Some(Ok(Top(v))) => {
                self.pos = start + off;
                self.retry_at = 0;
                Step::Got(v)
            }
            Some(Err(e)) if e.is_eof() && !last => {
                undo(&mut self.state);
                self.retry_at = self.ready + (self.ready - start);
                Step::More
            }
            Some(Err(e)) => {
                let what = e.to_string();
                // serde_json appends " at line L column C"; keep only the cause.
                let mut cause = what.split(" at line ").next().unwrap_or(&what).to_owned();
                if scalar && cause == "trailing characters" {
                    // In the whole file the byte after a number is the container's business.
                    match ctx {
                        Ctx::Member => cause = "expected `,` or `}`".to_owned(),
                        Ctx::Element => cause = "expected `,` or `]`".to_owned(),
                        Ctx::Root => {}
                    }
                }
                let (l, c) = (e.line(), e.column());
                let (l0, c0) = self.position_of(start);
                let at = if l <= 1 {
                    (l0, c0 + c)
                } else {
                    (l0 + l - 1, c)
                };
                self.fail(at, &cause);
                Step::Failed
            }
            None => Step::More,
        }
    }

    fn step(&mut self, last: bool, sink: &mut dyn FeatureSink) -> Step<()> {
        match std::mem::replace(&mut self.stage, Stage::Done) {
            Stage::Start => match self.peek() {
                None => {
                    self.stage = Stage::Start;
                    self.eof(last, "EOF while parsing a value")
                }
                Some(b'{') => {
                    self.pos += 1;
                    self.stage = Stage::Obj { first: true };
                    Step::Got(())
                }
                Some(_) => {
                    self.stage = Stage::Other;
                    Step::Got(())
                }
            },
            Stage::Other => match self.value(What::Kind, last, Ctx::Root, Vec::new(), 0) {
                Step::Got(out) => {
                    let Out::Kind(kind) = out else {
                        unreachable!("read as a kind")
                    };
                    self.root_other = Some(kind);
                    self.stage = Stage::Done;
                    Step::Got(())
                }
                Step::More => {
                    self.stage = Stage::Other;
                    Step::More
                }
                Step::Failed => Step::Failed,
            },
            Stage::Obj { first } => self.object(first, last),
            Stage::Colon(key) => match self.peek() {
                None => {
                    self.stage = Stage::Colon(key);
                    self.eof(last, "EOF while parsing an object")
                }
                Some(b':') => {
                    self.pos += 1;
                    self.stage = Stage::Value(key);
                    Step::Got(())
                }
                Some(_) => self.fail_at(self.pos, "expected `:`"),
            },
            Stage::Value(key) => self.member(key, last, sink),
            Stage::Elements { first } => self.element(first, last, sink),
            Stage::Done => match self.peek() {
                None => Step::More,
                Some(_) => self.fail_at(self.pos, "trailing characters"),
            },
        }
    }

    /// In the root object, before a key or its end.
    fn object(&mut self, first: bool, last: bool) -> Step<()> {
        let back = |s: &mut Self| s.stage = Stage::Obj { first };
        let Some(b) = self.peek() else {
            back(self);
            return self.eof(last, "EOF while parsing an object");
        };
        let save = self.pos;
        match b {
            b'}' => {
                self.pos += 1;
                self.stage = Stage::Done;
                return Step::Got(());
            }
            b'"' if first => {}
            _ if first => return self.fail_at(self.pos, "key must be a string"),
            b',' => {
                self.pos += 1;
                match self.peek() {
                    Some(b'"') => {}
                    Some(b'}') => return self.fail_at(self.pos, "trailing comma"),
                    Some(_) => return self.fail_at(self.pos, "key must be a string"),
                    None => {
                        if !last {
                            self.pos = save;
                            back(self);
                        }
                        return self.eof(last, "EOF while parsing a value");
                    }
                }
            }
            _ => return self.fail_at(self.pos, "expected `,` or `}`"),
        }
        match self.value(What::Key, last, Ctx::Root, Vec::new(), 1) {
            Step::Got(out) => {
                let Out::Key(key) = out else {
                    unreachable!("read as a key")
                };
                if key.len() > super::json::MAX_STRING_BYTES {
                    // Where serde_json stood when the old reader's check failed: past the
                    // whitespace after the key, or past a `}`.
                    let q = match self.peek() {
                        Some(b'}') => self.pos + 1,
                        Some(_) => self.pos,
                        None if !last => {
                            self.pos = save;
                            back(self);
                            return Step::More;
                        }
                        None => self.pos,
                    };
                    let cause = format!(
                        "{CAP}a string of {} bytes; planmap reads strings of at most {} KB (the string cap)",
                        key.len(),
                        super::json::MAX_STRING_BYTES / 1024
                    );
                    return self.fail(self.position_of(q), &cause);
                }
                self.stage = Stage::Colon(key);
                Step::Got(())
            }
            Step::More => {
                self.pos = save;
                back(self);
                Step::More
            }
            Step::Failed => Step::Failed,
        }
    }

    /// A member's value.
    fn member(&mut self, key: String, last: bool, sink: &mut dyn FeatureSink) -> Step<()> {
        let Some(b) = self.peek() else {
            self.stage = Stage::Value(key);
            return self.eof(last, "EOF while parsing a value");
        };
        if key == "features" && b == b'[' {
            self.pos += 1;
            if self.root.features.take().is_some() {
                sink.reset();
            }
            self.elements = 0;
            self.stage = Stage::Elements { first: true };
            return Step::Got(());
        }
        let path = vec![Seg::Key(key.clone())];
        let what = match key.as_str() {
            "geometry" => What::Geom,
            "coordinates" => What::Coords,
            "geometries" => What::GeomList,
            _ => What::Value,
        };
        let out = match self.value(what, last, Ctx::Member, path, 1) {
            Step::Got(out) => out,
            Step::More => {
                self.stage = Stage::Value(key);
                return Step::More;
            }
            Step::Failed => return Step::Failed,
        };
        match out {
            Out::Geom(g) => self.root.geometry = Some(*g),
            Out::Coords(c) => self.root.coordinates = Some(c),
            Out::GeomList(l) => self.root.geometries = Some(*l),
            Out::Value(v) if key == "features" => {
                if self.root.features.take().is_some() {
                    sink.reset();
                }
                self.root.features = Some(Features::Value(v));
            }
            Out::Value(v) => {
                self.root.members.insert(key.clone(), v);
            }
            _ => {}
        }
        self.member_done(key);
        self.stage = Stage::Obj { first: false };
        Step::Got(())
    }

    fn member_done(&mut self, key: String) {
        if !self.root_keys.insert(key.clone()) && self.state.duplicates.len() < 1000 {
            self.state.duplicates.push(key);
        }
    }

    /// In the root's `features` array: the next element or its end.
    fn element(&mut self, first: bool, last: bool, sink: &mut dyn FeatureSink) -> Step<()> {
        let back = |s: &mut Self| s.stage = Stage::Elements { first };
        let Some(b) = self.peek() else {
            back(self);
            return self.eof(last, "EOF while parsing a list");
        };
        let save = self.pos;
        match b {
            b']' => {
                self.pos += 1;
                self.root.features = Some(Features::Streamed);
                self.member_done("features".to_owned());
                self.stage = Stage::Obj { first: false };
                return Step::Got(());
            }
            _ if first => {}
            b',' => {
                self.pos += 1;
                match self.peek() {
                    Some(b']') => return self.fail_at(self.pos, "trailing comma"),
                    Some(_) => {}
                    None => {
                        if !last {
                            self.pos = save;
                            back(self);
                        }
                        return self.eof(last, "EOF while parsing a value");
                    }
                }
            }
            _ => return self.fail_at(self.pos, "expected `,` or `]`"),
        }
        let n = self.elements;
        let path = vec![Seg::Key("features".to_owned()), Seg::Index(n)];
        let numbers = self.state.numbers;
        let dups = self.state.duplicates.len();
        match self.value(What::Element, last, Ctx::Element, path, 2) {
            Step::Got(out) => {
                let Out::Element(e) = out else {
                    unreachable!("read as an element")
                };
                if n >= MAX_FEATURES {
                    // Where serde_json stood when the old reader's cap failed (its `end_seq`).
                    let q = match self.peek() {
                        Some(b']') => self.pos + 1,
                        Some(b',') => {
                            self.pos += 1;
                            while self.pos < self.ready && ws(self.buf[self.pos - self.base]) {
                                self.pos += 1;
                            }
                            self.pos
                        }
                        Some(_) => self.pos,
                        None if !last => {
                            self.state.numbers = numbers;
                            self.state.duplicates.truncate(dups);
                            self.pos = save;
                            back(self);
                            return Step::More;
                        }
                        None => self.pos,
                    };
                    let cause = too_many(&[Seg::Key("features".to_owned())]);
                    return self.fail(self.position_of(q), &cause);
                }
                self.elements += 1;
                sink.feature(n, *e);
                self.stage = Stage::Elements { first: false };
                Step::Got(())
            }
            Step::More => {
                self.pos = save;
                back(self);
                Step::More
            }
            Step::Failed => Step::Failed,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{newlines, Enc, FileReader};

    /// `mark`'s state after the bytes of `chunks` arrive one chunk at a time.
    fn marked(chunks: &[&[u8]], byte_loop_only: bool) -> Vec<String> {
        let mut r = FileReader::new(Enc::Utf8, usize::MAX, false);
        r.byte_loop_only = byte_loop_only;
        let mut states = Vec::new();
        for (k, c) in chunks.iter().enumerate() {
            r.buf.extend_from_slice(c);
            r.mark(k + 1 == chunks.len());
            states.push(format!(
                "{:?} {:?} {} {} {} {} {}",
                String::from_utf8_lossy(&r.buf),
                r.settled,
                r.scan_depth,
                r.scan,
                r.ready,
                r.in_string,
                r.escape
            ));
        }
        states
    }

    #[test]
    fn marking_eight_bytes_at_a_time_marks_as_byte_by_byte() {
        // Deep coordinates with what the skipping must hand back: exponents (some beyond f64),
        // a 400-digit literal, a long run of spaces, strings holding brackets and escapes,
        // objects, brackets back to depth 2, and bytes no JSON has there.
        let long = "7".repeat(400);
        let spaces = " ".repeat(700);
        let pieces = [
            "[1.5,2.25]",
            "[-3e2,4E-1]",
            "[1e999,-2e400]",
            "[[[0,0]]]",
            "{\"a\":[1,2]}",
            "\"x[y]\\\"z\"",
            ",",
            " ",
            "\n",
            "\u{2}",
            "e",
            "]",
            "[",
            "}",
        ];
        let mut x = 11u32;
        for round in 0..400 {
            let mut text = String::from(
                "{\"type\":\"FeatureCollection\",\"features\":[{\"geometry\":{\"coordinates\":[[",
            );
            for _ in 0..(round % 60) {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                let p = (x >> 16) as usize;
                text.push_str(match p % 40 {
                    0 => &long,
                    1 => &spaces,
                    k if k < 16 => pieces[k - 2],
                    _ => "[123.4567891,41.2345678],",
                });
            }
            text.push_str("]]}}]}");
            let bytes = text.as_bytes();
            // Cut in a few places, at random.
            let mut cuts: Vec<usize> = (0..round % 5)
                .map(|_| {
                    x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                    (x >> 8) as usize % (bytes.len() + 1)
                })
                .collect();
            cuts.extend([0, bytes.len()]);
            cuts.sort_unstable();
            let chunks: Vec<&[u8]> = cuts.windows(2).map(|w| &bytes[w[0]..w[1]]).collect();
            assert_eq!(marked(&chunks, false), marked(&chunks, true), "{text}");
        }
    }

    #[test]
    fn newlines_counted_eight_at_a_time_are_the_newlines() {
        // Every byte value, runs of newlines, neighbours of '\n' (0x0A) and of its high-bit
        // twin 0x8A, at every start and length up to past two words.
        let mut bytes: Vec<u8> = (0..=255u8).collect();
        bytes.extend([b'\n'; 17]);
        bytes.extend([0x09, 0x0B, 0x8A, 0x0A, 0xFF, 0x0A, 0x00, 0x0A, 0x80, 0x7F]);
        let mut x = 7u32;
        for _ in 0..300 {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            bytes.push(if x % 5 == 0 { b'\n' } else { (x >> 16) as u8 });
        }
        for start in 0..bytes.len() {
            for len in 0..=(bytes.len() - start).min(40) {
                let s = &bytes[start..start + len];
                assert_eq!(
                    newlines(s),
                    s.iter().filter(|&&b| b == b'\n').count(),
                    "{s:?}"
                );
            }
        }
        assert_eq!(
            newlines(&bytes),
            bytes.iter().filter(|&&b| b == b'\n').count()
        );
    }
}
