//! A GeoJSON FeatureCollection read as its bytes arrive, one feature at a time (issue 13):
//! all of China's counties are 201 MB, which the whole-file loader would hold as text and then
//! as a `serde_json::Value` tree of several times that. Here only the feature being read is a
//! `Value`; each is checked by the same [`Ctx::feature`](super::load) as the whole-file loader
//! (so the verdicts and messages are the same, lines and columns counted in the whole file),
//! and handed out as model types, ready to be batched to the page ([`super::batch`]).
//!
//! What is streamed: the elements of the root object's `features` array. Everything else of
//! the file (its `type`, `name`, `bbox`, the array's brackets and commas) is kept as a small
//! skeleton, with a `0` for each feature, and read at the end, so the file's syntax and its
//! `type` are judged as the whole-file loader judges them. A file whose root holds no
//! `features` array (a Feature, a bare geometry, a manifest) is kept whole and read by
//! [`load`](super::load) at the end; a manifest is handed back ([`Finished::Manifest`]), since
//! its layers are fetched by the page. UTF-16 files (rare, and only with a byte order mark) are
//! kept whole too.

use super::diagnostic::{Diagnostic, Diagnostics, LoadError};
use super::json::{self, JsonError};
use super::load::{bare_plan, conclude, duplicate_keys, Ctx, Layer};
use super::model::Area;
use super::model::{AreaRole, LineFeature, Plan, PointFeature};
use super::source::size_refusal_streaming;
use std::collections::HashSet;

/// The most positions a streamed file may hold: 20 million, three times every county of
/// China. The page keeps each position twice (lon/lat and projected, 32 bytes), so this bounds
/// a streamed plan near 640 MB of memory.
pub const MAX_STREAM_POSITIONS: usize = 20_000_000;

/// The features read so far and not yet taken.
#[derive(Debug, Default)]
pub struct Pieces {
    /// Areas (a bare file's polygons).
    pub areas: Vec<Area>,
    /// Lines.
    pub lines: Vec<LineFeature>,
    /// Points.
    pub points: Vec<PointFeature>,
}

impl Pieces {
    /// How many positions (vertices) the pieces hold.
    pub fn positions(&self) -> usize {
        let areas: usize = self
            .areas
            .iter()
            .flat_map(|a| &a.geometry.0)
            .map(|p| p.exterior().0.len() + p.interiors().iter().map(|r| r.0.len()).sum::<usize>())
            .sum();
        let lines: usize = self
            .lines
            .iter()
            .flat_map(|l| &l.geometry.0)
            .map(|l| l.0.len())
            .sum();
        areas + lines + self.points.len()
    }

    /// `true` when nothing is waiting.
    pub fn is_empty(&self) -> bool {
        self.areas.is_empty() && self.lines.is_empty() && self.points.is_empty()
    }
}

/// How a stream ended.
#[derive(Debug)]
pub enum Finished {
    /// The plan's features were all handed out ([`FeatureStream::take`]); these are its title,
    /// coordinate system and the warnings, bounded as the whole-file loader bounds them.
    Plan {
        /// The plan without its features (title, crs).
        plan: Plan,
        /// Warnings as lines (`file: path: message`).
        warnings: Vec<Diagnostic>,
    },
    /// The file is a planmap manifest: its layers must be fetched, which the stream does not
    /// do; read it with [`load`](super::load).
    Manifest,
}

/// Where the reader is in the file's structure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    /// Before the first byte that is not whitespace or a byte order mark.
    Start,
    /// Reading a root object, looking for its `features` array.
    Root,
    /// Keeping every byte for a whole-file read at the end.
    Whole,
}

/// A place in the file: 1-based line, and the byte offset where that line starts.
#[derive(Clone, Copy, Debug, Default)]
struct Place {
    line: usize,
    line_start: usize,
}

/// A FeatureCollection read chunk by chunk: [`feed`](Self::feed) the bytes as they arrive,
/// [`take`](Self::take) the features read so far whenever convenient, then
/// [`finish`](Self::finish).
#[derive(Debug)]
pub struct FeatureStream {
    name: String,
    max_bytes: usize,
    mode: Mode,
    /// Bytes received in all.
    received: usize,
    /// Bytes not yet consumed; `buf[0]` is at file offset `base`.
    buf: Vec<u8>,
    base: usize,
    /// Next byte of `buf` to scan.
    pos: usize,
    /// Bytes dropped at the start (a UTF-8 byte order mark), which columns do not count.
    bom: usize,
    depth: usize,
    in_string: bool,
    escape: bool,
    /// Where a string at depth 1 began (buf index), to know the key before a `:`.
    string_start: Option<usize>,
    last_string: Vec<u8>,
    /// The root key whose value comes next.
    pending_key: Option<Vec<u8>>,
    /// Inside the `features` array (at depth 2).
    in_features: bool,
    /// How many `features` arrays were streamed (a second one is refused: its features could
    /// not be taken back).
    arrays: usize,
    /// The element being read: its buf index, place and column.
    element: Option<(usize, Place, usize)>,
    /// The root object has a `layers` key: a planmap manifest.
    saw_layers: bool,
    /// Positions read since the last [`take`](FeatureStream::take).
    pending_positions: usize,
    /// Zones named by lines and points (`layer`, id, zone): a bare file has no zones, so
    /// each is said at the end, as the whole-file loader says it.
    zone_refs: Vec<(&'static str, String, String)>,
    /// The place of `buf[pos]`'s line.
    place: Place,
    /// The file outside the streamed features.
    skeleton: Vec<u8>,
    /// For each streamed feature, where it ended: (line, skeleton column after its `0`, file
    /// column after it), so skeleton errors name the file's columns.
    marks: Vec<(usize, usize, usize)>,
    /// Column (bytes) of the skeleton's current line.
    skeleton_col: usize,
    /// Features (elements of the array) seen.
    index: usize,
    positions: usize,
    diags: Diagnostics,
    ids: HashSet<String>,
    out: Plan,
    kept: bool,
    has_shapes: bool,
    /// The first fatal error; later bytes are ignored.
    error: Option<String>,
}

impl FeatureStream {
    /// A stream for the file `name`, refused past `max_bytes`.
    pub fn new(name: &str, max_bytes: usize) -> FeatureStream {
        FeatureStream {
            name: name.to_owned(),
            max_bytes,
            mode: Mode::Start,
            received: 0,
            buf: Vec::new(),
            base: 0,
            pos: 0,
            bom: 0,
            depth: 0,
            in_string: false,
            escape: false,
            string_start: None,
            last_string: Vec::new(),
            pending_key: None,
            in_features: false,
            arrays: 0,
            element: None,
            saw_layers: false,
            pending_positions: 0,
            zone_refs: Vec::new(),
            place: Place {
                line: 1,
                line_start: 0,
            },
            skeleton: Vec::new(),
            marks: Vec::new(),
            skeleton_col: 0,
            index: 0,
            positions: 0,
            diags: Diagnostics::default(),
            ids: HashSet::new(),
            out: Plan::default(),
            kept: false,
            has_shapes: false,
            error: None,
        }
    }

    /// Bytes received so far.
    pub fn received(&self) -> usize {
        self.received
    }

    /// Features read so far (good or skipped).
    pub fn features(&self) -> usize {
        self.index
    }

    /// Positions read so far.
    pub fn positions(&self) -> usize {
        self.positions
    }

    /// Reads `chunk`, the next bytes of the file: every feature it completes is checked and
    /// kept for [`take`](Self::take). An error ends the stream (the file cannot be shown).
    pub fn feed(&mut self, chunk: &[u8]) -> Result<(), String> {
        if let Some(e) = &self.error {
            return Err(e.clone());
        }
        self.received += chunk.len();
        if self.received > self.max_bytes {
            return self.fail(size_refusal_streaming(self.max_bytes));
        }
        self.buf.extend_from_slice(chunk);
        let r = self.scan();
        if let Err(m) = r {
            return self.fail(m);
        }
        Ok(())
    }

    fn fail(&mut self, m: String) -> Result<(), String> {
        self.error = Some(m.clone());
        self.buf = Vec::new();
        Err(m)
    }

    /// The features read since the last call.
    pub fn take(&mut self) -> Pieces {
        self.pending_positions = 0;
        Pieces {
            areas: std::mem::take(&mut self.out.areas),
            lines: std::mem::take(&mut self.out.lines),
            points: std::mem::take(&mut self.out.points),
        }
    }

    /// How many features and positions wait to be taken.
    pub fn waiting(&self) -> (usize, usize) {
        let n = self.out.areas.len() + self.out.lines.len() + self.out.points.len();
        (n, self.pending_positions)
    }

    fn scan(&mut self) -> Result<(), String> {
        if self.mode == Mode::Start {
            let Some(i) = self.buf.iter().position(|b| !b" \t\r\n".contains(b)) else {
                return Ok(());
            };
            if self.base == 0 && self.buf.starts_with(&[0xEF, 0xBB, 0xBF]) {
                // A UTF-8 byte order mark: dropped, as the whole-file reader drops it.
                self.buf.drain(..3);
                self.base = 3;
                self.bom = 3;
                self.place.line_start = 3;
                return self.scan();
            }
            if self.base == 0 && self.buf.len() < 3 && self.buf[0] == 0xEF {
                return Ok(()); // wait for the rest of a possible byte order mark
            }
            let b = self.buf[i];
            // UTF-16 (a zero byte in the first pair, or its byte order mark): read whole.
            let utf16 = self.buf.len() >= 2 && (self.buf[..2].contains(&0) || b >= 0xFE);
            self.mode = if b == b'{' && !utf16 {
                Mode::Root
            } else {
                Mode::Whole
            };
        }
        if self.mode == Mode::Whole {
            self.pos = self.buf.len();
            return Ok(());
        }
        let mut i = self.pos;
        while i < self.buf.len() {
            let c = self.buf[i];
            if c == b'\n' {
                self.place = Place {
                    line: self.place.line + 1,
                    line_start: self.base + i + 1,
                };
            }
            if self.in_string {
                if self.escape {
                    self.escape = false;
                } else if c == b'\\' {
                    self.escape = true;
                } else if c == b'"' {
                    self.in_string = false;
                    if self.depth == 1 {
                        if let Some(s) = self.string_start.take() {
                            self.last_string = self.buf[s + 1..i].to_vec();
                        }
                    }
                }
                if self.element.is_none() {
                    self.keep(c);
                }
                i += 1;
                continue;
            }
            if self.in_features && self.depth == 2 {
                match (c, self.element) {
                    (b',' | b']', Some((start, place, col))) => {
                        self.element = None;
                        self.read_element(start, i, place, col)?;
                        // `buf` was drained up to `i`.
                        i = 0;
                        self.pos = 0;
                        continue;
                    }
                    (b' ' | b'\t' | b'\r' | b'\n', _) | (_, Some(_)) => {}
                    (b',' | b']', None) => {}
                    (_, None) => {
                        let col = self.base + i - self.place.line_start + 1;
                        self.element = Some((i, self.place, col));
                        self.keep_element_start();
                    }
                }
            }
            match c {
                b'"' => {
                    self.in_string = true;
                    if self.depth == 1 {
                        self.string_start = Some(i);
                    }
                }
                b'{' | b'[' => {
                    if self.depth == 1 && c == b'[' && self.element.is_none() {
                        if self.pending_key.as_deref() == Some(b"features") {
                            self.arrays += 1;
                            if self.arrays > 1 {
                                return Err(self.at_here(
                                    i,
                                    "a second \"features\" array; a streamed file must have one",
                                ));
                            }
                            self.in_features = true;
                        }
                    }
                    if self.depth == 1 {
                        self.pending_key = None;
                    }
                    self.depth += 1;
                    if self.depth > json::MAX_DEPTH + 2 {
                        // The feature's own reading says it with its place; this only stops
                        // a runaway nesting from growing the buffer without end.
                        return Err(self.at_here(
                            i,
                            &format!(
                                "nesting deeper than {} levels (planmap's limit)",
                                json::MAX_DEPTH
                            ),
                        ));
                    }
                }
                b'}' | b']' => {
                    if self.depth == 2 && self.in_features && c == b']' {
                        self.in_features = false;
                    }
                    self.depth = self.depth.saturating_sub(1);
                }
                b':' if self.depth == 1 => {
                    let key = std::mem::take(&mut self.last_string);
                    self.saw_layers |= key == b"layers";
                    self.pending_key = Some(key);
                }
                b',' if self.depth == 1 => self.pending_key = None,
                _ => {}
            }
            if self.element.is_none() {
                self.keep(c);
            }
            i += 1;
        }
        // Keep only what an element still needs.
        let keep_from = self.element.map_or(i, |(s, _, _)| s);
        let keep_from = keep_from.min(self.string_start.unwrap_or(usize::MAX));
        self.drain(keep_from);
        self.pos = i - keep_from;
        Ok(())
    }

    /// Drops `buf[..n]`, moving the indices that point into it.
    fn drain(&mut self, n: usize) {
        if n == 0 {
            return;
        }
        self.buf.drain(..n);
        self.base += n;
        if let Some((s, p, c)) = self.element {
            self.element = Some((s - n, p, c));
        }
        if let Some(s) = self.string_start {
            self.string_start = Some(s - n);
        }
    }

    /// Adds a byte outside the streamed features to the skeleton.
    fn keep(&mut self, c: u8) {
        self.skeleton.push(c);
        if c == b'\n' {
            self.skeleton_col = 0;
        } else {
            self.skeleton_col += 1;
        }
    }

    fn keep_element_start(&mut self) {
        self.skeleton.push(b'0');
        self.skeleton_col += 1;
    }

    /// A message at buf index `i`, with the file's line and column.
    fn at_here(&self, i: usize, cause: &str) -> String {
        let column = self.base + i - self.place.line_start + 1;
        format!("{cause} (at line {}, column {column})", self.place.line)
    }

    /// Reads the element `buf[start..end]` (its first byte at `place`, column `col`): one
    /// feature, checked as the whole-file loader checks it.
    fn read_element(
        &mut self,
        start: usize,
        end: usize,
        place: Place,
        col: usize,
    ) -> Result<(), String> {
        let bytes = &self.buf[start..end];
        let newlines = bytes.iter().filter(|&&b| b == b'\n').count();
        // The skeleton keeps the element's lines, so its errors name the file's lines.
        for _ in 0..newlines {
            self.skeleton.push(b'\n');
        }
        if newlines > 0 {
            self.skeleton_col = 0;
        }
        // The column right after the element, in the file and in the skeleton.
        let file_col_after = self.base + end - self.place.line_start + 1;
        self.marks
            .push((self.place.line, self.skeleton_col + 1, file_col_after));
        let text = match std::str::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                let at = self.base + start + e.valid_up_to();
                let line = place.line
                    + bytes[..e.valid_up_to()]
                        .iter()
                        .filter(|&&b| b == b'\n')
                        .count();
                return Err(super::source::not_utf8(&bytes[e.valid_up_to()..], at, line));
            }
        };
        // Wrapped two levels deep, as in the file (root object, features array), so the depth
        // cap counts the same.
        let wrapped = format!("[[{}]]", text.trim_end());
        let (value, dups, _numbers) = json::parse_located(&wrapped).map_err(|e| match e {
            JsonError::File(m) => m,
            JsonError::At {
                line,
                column,
                cap,
                cause,
            } => {
                let (line, column) = if line == 1 {
                    (place.line, col + column.saturating_sub(3))
                } else {
                    (place.line + line - 1, column)
                };
                JsonError::At {
                    line,
                    column,
                    cap,
                    cause: cause.replace("[0][0]", &format!("features[{}]", self.index)),
                }
                .to_string()
            }
        })?;
        let i = self.index;
        self.index += 1;
        if self.index > json::MAX_FEATURES {
            return Err(format!(
                "features: more than {0} features; planmap reads at most {0} (the feature cap) (at line {1}, column {col})",
                json::MAX_FEATURES, place.line
            ));
        }
        let dups: Vec<String> = dups
            .iter()
            .map(|p| p.replacen("[0][0]", &format!("features[{i}]"), 1))
            .collect();
        duplicate_keys(&self.name, &dups, &mut self.diags);
        let feature = match value {
            serde_json::Value::Array(mut a) => match a.pop() {
                Some(serde_json::Value::Array(mut b)) => b.pop().unwrap_or_default(),
                _ => serde_json::Value::Null,
            },
            _ => serde_json::Value::Null,
        };
        let before = (
            self.out.areas.len(),
            self.out.lines.len(),
            self.out.points.len(),
        );
        let mut ctx = Ctx {
            file: &self.name,
            diags: &mut self.diags,
            manifest: false,
            ids: &mut self.ids,
        };
        ctx.feature(i, &feature, Layer::Areas(AreaRole::Area), &mut self.out);
        let mut n = 0;
        for a in &self.out.areas[before.0..] {
            self.kept = true;
            if !a.geometry.0.is_empty() {
                self.has_shapes = true;
            }
            n += a
                .geometry
                .0
                .iter()
                .map(|p| {
                    p.exterior().0.len() + p.interiors().iter().map(|r| r.0.len()).sum::<usize>()
                })
                .sum::<usize>();
        }
        for l in &self.out.lines[before.1..] {
            if let Some(z) = &l.zone {
                self.zone_refs.push(("lines", l.id.clone(), z.clone()));
            }
            self.kept = true;
            if !l.geometry.0.is_empty() {
                self.has_shapes = true;
            }
            n += l.geometry.0.iter().map(|l| l.0.len()).sum::<usize>();
        }
        for p in &self.out.points[before.2..] {
            if let Some(z) = &p.zone {
                self.zone_refs.push(("projects", p.id.clone(), z.clone()));
            }
            self.kept = true;
            self.has_shapes = true;
            n += 1;
        }
        self.positions += n;
        self.pending_positions += n;
        if self.positions > MAX_STREAM_POSITIONS {
            return Err(format!(
                "features[{i}]: more than {MAX_STREAM_POSITIONS} positions; planmap reads at most {MAX_STREAM_POSITIONS} per file (the vertex cap)"
            ));
        }
        self.drain(end);
        Ok(())
    }

    /// Ends the stream: the file's structure is judged, and the plan's title and warnings
    /// returned (its features were handed out by [`take`](Self::take); take once more after
    /// this for the last ones). An error means nothing of the file can be shown.
    pub fn finish(&mut self) -> Result<Finished, LoadError> {
        let name = self.name.clone();
        let err = |m: String| LoadError {
            diagnostics: vec![Diagnostic::error(&name, "", m)],
        };
        if let Some(e) = &self.error {
            return Err(err(e.clone()));
        }
        if self.mode != Mode::Root || self.arrays == 0 {
            // Kept whole: read by the whole-file loader.
            let mut bytes = std::mem::take(&mut self.skeleton);
            if self.mode != Mode::Root {
                bytes = std::mem::take(&mut self.buf);
                if self.bom > 0 {
                    bytes.splice(0..0, [0xEF, 0xBB, 0xBF]);
                }
            }
            let text = super::source::decode(&bytes).map_err(err)?;
            drop(bytes);
            if self.saw_layers {
                return Ok(Finished::Manifest);
            }
            if self.mode == Mode::Whole {
                if let Ok((serde_json::Value::Object(o), _, _)) = json::parse_located(&text) {
                    if o.contains_key("layers") {
                        return Ok(Finished::Manifest);
                    }
                }
            }
            let loaded = super::load::load(&name, &text, &NoFiles)?;
            let mut plan = loaded.plan;
            self.out.areas = std::mem::take(&mut plan.areas);
            self.out.lines = std::mem::take(&mut plan.lines);
            self.out.points = std::mem::take(&mut plan.points);
            return Ok(Finished::Plan {
                plan,
                warnings: loaded.diagnostics,
            });
        }
        if let Some((start, place, col)) = self.element.take() {
            // The file ended inside a feature: its bytes go in the skeleton in place of its
            // `0`, whose reading then says where.
            self.skeleton.pop();
            self.marks.push((place.line, self.skeleton_col, col));
            self.skeleton.extend_from_slice(&self.buf[start..]);
        }
        let skeleton = std::str::from_utf8(&self.skeleton).map_err(|e| {
            err(super::source::not_utf8(
                &self.skeleton[e.valid_up_to()..],
                e.valid_up_to(),
                1,
            ))
        })?;
        let root = match json::parse_located(skeleton) {
            Ok((v, dups, _)) => {
                duplicate_keys(&name, &dups, &mut self.diags);
                v
            }
            Err(JsonError::At {
                line,
                column,
                cap,
                cause,
            }) => {
                let column = self
                    .marks
                    .iter()
                    .rev()
                    .find(|(l, s, _)| *l == line && *s <= column)
                    .map_or(column, |(_, s, f)| column - s + f);
                return Err(err(JsonError::At {
                    line,
                    column,
                    cap,
                    cause,
                }
                .to_string()));
            }
            Err(e) => return Err(err(e.to_string())),
        };
        let obj = root.as_object();
        if obj.is_some_and(|o| o.contains_key("layers")) {
            return Ok(Finished::Manifest);
        }
        match obj.and_then(|o| o.get("type")).and_then(serde_json::Value::as_str) {
            Some("FeatureCollection") => {}
            Some(other) => {
                return Err(LoadError {
                    diagnostics: vec![Diagnostic::error(
                        &name,
                        "type",
                        format!("expected \"FeatureCollection\", \"Feature\" or a geometry type, found \"{other}\""),
                    )],
                })
            }
            None => {
                return Err(err(
                    "not GeoJSON (no \"type\") and not a planmap manifest (no \"layers\")".into(),
                ))
            }
        }
        for (layer, id, zone) in std::mem::take(&mut self.zone_refs) {
            self.diags.push(Diagnostic::warning(
                layer,
                format!("{id}.zone"),
                format!("no zone has id \"{zone}\""),
            ));
        }
        if !conclude(&name, self.kept, self.has_shapes, &mut self.diags) {
            return Err(LoadError {
                diagnostics: std::mem::take(&mut self.diags).into_vec(),
            });
        }
        Ok(Finished::Plan {
            plan: bare_plan(&name),
            warnings: std::mem::take(&mut self.diags).into_vec(),
        })
    }
}

/// No layer files: a manifest is never read by the stream.
struct NoFiles;

impl super::load::FileSource for NoFiles {
    fn read(&self, _name: &str) -> Result<String, String> {
        Err("file not found".to_owned())
    }
}
