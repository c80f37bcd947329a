//! Bytes → [`Plan`]: one loader for the widget, the validator and the tests.
//!
//! The entry file is either a planmap manifest (`plan.json`, naming its layer files) or a bare
//! GeoJSON FeatureCollection. A broken feature or value is skipped with a warning that names
//! file, feature and property; only when nothing at all can be shown is the load an error.
//!
//! Files are read as their bytes arrive ([`PlanFeed`]): each feature is read typed and turned
//! into the plan's features as soon as it is complete (see [`super::reader`]); the one-shot
//! [`load`] feeds whole texts through the same path.

use super::diagnostic::{Diagnostic, Diagnostics, LoadError};
use super::geometry::{self, Shapes, GEOMETRY_TYPES};
use super::json::{self, kind_of, opt_str, MAX_FILE_BYTES};
use super::model::*;
use super::raw::{GeomObj, RawElement, RawFeature, RawGeom};
use super::reader::{FeatureSink, Features, FileReader, Root, RootObj};
use super::text::Text;
use serde_json::{Map, Value as Json};
use std::collections::{HashMap, HashSet};

/// The largest magnitude of an indicator value (or a bare file's numeric property) the map
/// reads: a quadrillion, beyond any figure a plan states, and far enough from f64::MAX that
/// scales and charts never overflow.
pub const MAX_VALUE: f64 = 1e15;

/// Where the loader reads the files a manifest names. The web shell fetches them first and
/// hands over a map; the validator and the tests read a folder.
pub trait FileSource {
    /// The text of file `name` (as the manifest spells it), or a message saying why not.
    fn read(&self, name: &str) -> Result<String, String>;
}

impl FileSource for HashMap<String, String> {
    fn read(&self, name: &str) -> Result<String, String> {
        self.get(name)
            .cloned()
            .ok_or_else(|| "file not found".to_owned())
    }
}

/// Reads files relative to a folder on disk (not in the browser, which has no file system).
#[cfg(not(target_arch = "wasm32"))]
#[derive(Debug, Clone)]
pub struct DirSource(pub std::path::PathBuf);

#[cfg(not(target_arch = "wasm32"))]
impl FileSource for DirSource {
    fn read(&self, name: &str) -> Result<String, String> {
        // `load` has checked the name already; this holds for any other caller too.
        super::source::check_layer_path(name)?;
        let path = self.0.join(name);
        // A symbolic link inside the folder must not lead out of it either.
        if let (Ok(dir), Ok(real)) = (self.0.canonicalize(), path.canonicalize()) {
            if !real.starts_with(&dir) {
                return Err(format!(
                    "\"{name}\" is refused: it leads out of the manifest's folder (a symbolic link)"
                ));
            }
        }
        super::source::read_file(&path)
    }
}

/// A plan that can be shown, with the warnings met on the way (skipped features and values).
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The plan.
    pub plan: Plan,
    /// The problems found, none an error: the first `MAX_LISTED` in full, then one line per
    /// kind with its count (see [`Diagnostics`](super::Diagnostics)).
    pub diagnostics: Vec<Diagnostic>,
}

/// The layer files a manifest names, in load order (what [`PlanFeed::end_file`] asks for);
/// names that [`check_layer_path`](super::check_layer_path) refuses are left out. Empty for a
/// bare GeoJSON or for text that is not a manifest.
pub fn layer_files(text: &str) -> Vec<String> {
    let mut feed = PlanFeed::start("plan.json", FileReader::text(MAX_FILE_BYTES));
    feed.feed(text.as_bytes());
    feed.end_file()
}

/// What the features of a layer become.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Layer {
    /// Areas of this role (a bare file's features are `Areas(AreaRole::Area)`, and there
    /// every kind of shape is accepted).
    Areas(AreaRole),
    /// Points (the manifest's `projects`).
    Points,
    /// Lines (the manifest's `lines`).
    Lines,
}

/// The layers of a manifest, in drawing order, and what their features become.
const LAYERS: [(&str, Layer); 5] = [
    ("context", Layer::Areas(AreaRole::Context)),
    ("boundary", Layer::Areas(AreaRole::Boundary)),
    ("zones", Layer::Areas(AreaRole::Zone)),
    ("lines", Layer::Lines),
    ("projects", Layer::Points),
];

/// Loads the plan whose entry file `name` has `text`; layer files come from `files`.
pub fn load(name: &str, text: &str, files: &dyn FileSource) -> Result<Loaded, LoadError> {
    let mut feed = PlanFeed::start(name, FileReader::text(MAX_FILE_BYTES));
    feed.feed_all(text.as_bytes());
    with_layers(feed, files, MAX_FILE_BYTES)
}

/// Loads the plan whose entry file `name` has the bytes `bytes` (decoded as
/// [`decode`](super::decode) does: UTF-8, or UTF-16 with a byte order mark); layer files come
/// from `files`.
pub fn load_bytes(name: &str, bytes: &[u8], files: &dyn FileSource) -> Result<Loaded, LoadError> {
    let mut feed = PlanFeed::new(name);
    feed.feed_all(bytes);
    with_layers(feed, files, MAX_FILE_BYTES)
}

/// Ends the entry file `feed` has read, reads each layer it names from `files` (each capped at
/// `max` bytes; a layer that cannot be read is skipped with its reason), and gives the plan.
fn with_layers(
    mut feed: PlanFeed,
    files: &dyn FileSource,
    max: usize,
) -> Result<Loaded, LoadError> {
    for layer in feed.end_file() {
        match files.read(&layer) {
            Ok(t) => {
                feed.begin(&layer, FileReader::text(max));
                feed.feed_all(t.as_bytes());
                feed.end_file();
            }
            Err(m) => feed.skip_file(&layer, &m),
        }
    }
    feed.finish()
}

/// Loads the plan whose entry file is at `path`, reading it in pieces as it is parsed (the
/// validator: no copy of the whole file in memory); layer files come from its folder. The
/// size cap holds while reading, so `/dev/zero` stops at it.
#[cfg(not(target_arch = "wasm32"))]
pub fn load_path(path: &std::path::Path) -> Result<Loaded, LoadError> {
    load_path_capped(path, MAX_FILE_BYTES)
}

/// [`load_path`] with each file capped at `max` bytes (`cargo xtask validate --max-size`, as a
/// page's `max-size` attribute caps it).
#[cfg(not(target_arch = "wasm32"))]
pub fn load_path_capped(path: &std::path::Path, max: usize) -> Result<Loaded, LoadError> {
    let max = max.min(MAX_FILE_BYTES);
    use std::io::Read;
    let name = path.to_string_lossy().into_owned();
    let fail = |m: String| LoadError {
        diagnostics: vec![Diagnostic::error(&name, "", m)],
    };
    let mut f = std::fs::File::open(path).map_err(|e| {
        fail(match e.kind() {
            std::io::ErrorKind::NotFound => "file not found".to_owned(),
            _ => format!("cannot read {}: {e}", path.display()),
        })
    })?;
    let mut feed = PlanFeed::with_limit(&name, max);
    let mut buf = vec![0; 1 << 20];
    let mut total = 0;
    loop {
        let n = f
            .read(&mut buf)
            .map_err(|e| fail(format!("cannot read {}: {e}", path.display())))?;
        if n == 0 {
            break;
        }
        total += n;
        if total > max {
            return Err(fail(super::source::size_refusal_streaming(max)));
        }
        feed.feed(&buf[..n]);
    }
    let dir = DirSource(
        path.parent()
            .unwrap_or(std::path::Path::new("."))
            .to_path_buf(),
    );
    with_layers(feed, &dir, max)
}

/// What one file's features became, kept apart until the file's end says whether they count
/// (a second `features` member replaces the first; a root that turns out to be a manifest,
/// or a layer whose `type` is wrong, keeps none).
#[derive(Default)]
struct Out {
    areas: Vec<Area>,
    points: Vec<PointFeature>,
    lines: Vec<LineFeature>,
    /// Ids taken in this file.
    ids: HashSet<String>,
    diags: Diagnostics,
}

/// The file being read.
struct Current {
    name: String,
    reader: FileReader,
    out: Out,
    /// A manifest layer's rules (`false` for the entry file: read as a bare GeoJSON until its
    /// end shows whether it is a manifest).
    manifest: bool,
    layer: Layer,
    /// Its place among the manifest's layers (`None` for the entry file).
    slot: Option<usize>,
}

/// A manifest's layer, in load order: a problem with its name, or a file and what it gave.
enum Slot {
    Warning(Diagnostic),
    File {
        key: &'static str,
        name: String,
        layer: Layer,
        /// Its messages once read (`None`: never given, "file not found").
        result: Option<Diagnostics>,
    },
}

/// Reads each element of the `features` array into [`Out`] as the reader hands it over.
struct Sink<'a> {
    file: &'a str,
    manifest: bool,
    layer: Layer,
    plan: &'a Plan,
    ids: &'a HashSet<String>,
    out: &'a mut Out,
    count: &'a mut usize,
}

impl FeatureSink for Sink<'_> {
    fn feature(&mut self, index: usize, element: RawElement) {
        *self.count += 1;
        let mut ctx = Ctx {
            file: self.file,
            manifest: self.manifest,
            ids: self.ids,
            out: self.out,
            plan: self.plan,
        };
        ctx.feature(index, element, self.layer);
    }

    fn reset(&mut self) {
        *self.out = Out::default();
    }
}

/// A plan read as its files arrive: the entry file's bytes in chunks ([`feed`](Self::feed)),
/// then, when it is a manifest, each layer file it names, in the order
/// [`end_file`](Self::end_file) gives ([`begin_file`](Self::begin_file), `feed`, `end_file`),
/// then [`finish`](Self::finish): the same [`Loaded`] and messages as [`load`] on the same
/// files, however the bytes were cut. Pure core: the web shell feeds it from
/// `response.body`, a worker could as well.
///
/// ```
/// use planmap::plan::PlanFeed;
/// let mut feed = PlanFeed::new("a.geojson");
/// let text = br#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"x"},"geometry":{"type":"Point","coordinates":[123.4,41.8]}}]}"#;
/// for chunk in text.chunks(7) {
///     // Features read so far: one cut by a chunk is read once twice its bytes so far have
///     // come (the reader's back-off), at the file's end at the latest.
///     feed.feed(chunk);
/// }
/// assert!(feed.end_file().is_empty()); // a bare GeoJSON names no layers
/// assert_eq!(feed.features_read(), 1);
/// let loaded = feed.finish().unwrap();
/// assert_eq!(loaded.plan.points[0].name.zh, "x");
/// ```
pub struct PlanFeed {
    entry: String,
    plan: Plan,
    /// Every id taken so far, across layers: one hash look-up per feature keeps loading linear.
    ids: HashSet<String>,
    diags: Diagnostics,
    error: Option<LoadError>,
    current: Option<Current>,
    slots: Vec<Slot>,
    next_slot: usize,
    features: usize,
    max_bytes: usize,
    /// Why the entry file's bytes are no text planmap reads, when they are not.
    unreadable: Option<String>,
    /// What was handed out by [`take_pieces`](Self::take_pieces), for the verdict at the end.
    taken: Taken,
}

/// What a streamed load handed out before its end: whether anything was kept and drawable,
/// and the zones its lines and points named (a bare file has none: each is said at the end).
#[derive(Default)]
struct Taken {
    kept: bool,
    shapes: bool,
    refs: Vec<(&'static str, String, String)>,
}

impl PlanFeed {
    /// Starts reading entry file `name` (as bytes: UTF-8, or UTF-16 with a byte order mark),
    /// within the default size cap [`MAX_FILE_BYTES`](super::MAX_FILE_BYTES).
    pub fn new(name: &str) -> PlanFeed {
        Self::with_limit(name, MAX_FILE_BYTES)
    }

    /// As [`new`](Self::new), each file capped at `max_bytes`.
    pub fn with_limit(name: &str, max_bytes: usize) -> PlanFeed {
        let mut f = Self::start(name, FileReader::bytes(max_bytes));
        f.max_bytes = max_bytes;
        f
    }

    fn start(name: &str, reader: FileReader) -> PlanFeed {
        PlanFeed {
            entry: name.to_owned(),
            plan: Plan::default(),
            ids: HashSet::new(),
            diags: Diagnostics::default(),
            error: None,
            current: Some(Current {
                name: name.to_owned(),
                reader,
                out: Out::default(),
                manifest: false,
                layer: Layer::Areas(AreaRole::Area),
                slot: None,
            }),
            slots: Vec::new(),
            next_slot: 0,
            features: 0,
            max_bytes: MAX_FILE_BYTES,
            unreadable: None,
            taken: Taken::default(),
        }
    }

    /// The next bytes of the current file. Returns the features read so far (all files).
    pub fn feed(&mut self, chunk: &[u8]) -> usize {
        let PlanFeed {
            plan,
            ids,
            current,
            features,
            ..
        } = self;
        if let Some(c) = current {
            let mut sink = Sink {
                file: &c.name,
                manifest: c.manifest,
                layer: c.layer,
                plan,
                ids,
                out: &mut c.out,
                count: features,
            };
            c.reader.feed(chunk, &mut sink);
        }
        self.features
    }

    /// A whole file, fed in pieces: the reader then holds a piece at a time, not a copy of
    /// the file.
    fn feed_all(&mut self, bytes: &[u8]) {
        for c in bytes.chunks(1 << 20) {
            self.feed(c);
        }
    }

    /// The features of the entry file read since the last call, for a worker to hand to the
    /// page in batches while the file still arrives (issue 13): they are not kept here, and
    /// [`finish`](Self::finish) gives the plan without them (its title, the warnings, the
    /// verdict counting them). Empty while a manifest's layer is read.
    pub fn take_pieces(&mut self) -> super::batch::Pieces {
        let Some(c) = self.current.as_mut().filter(|c| c.slot.is_none()) else {
            return super::batch::Pieces::default();
        };
        let p = super::batch::Pieces {
            areas: std::mem::take(&mut c.out.areas),
            lines: std::mem::take(&mut c.out.lines),
            points: std::mem::take(&mut c.out.points),
        };
        let t = &mut self.taken;
        t.kept |= !p.areas.is_empty() || !p.lines.is_empty() || !p.points.is_empty();
        t.shapes |= p.areas.iter().any(|a| !a.geometry.0.is_empty())
            || p.lines.iter().any(|l| !l.geometry.0.is_empty())
            || !p.points.is_empty();
        for l in &p.lines {
            if let Some(z) = &l.zone {
                t.refs.push(("lines", l.id.clone(), z.clone()));
            }
        }
        for pt in &p.points {
            if let Some(z) = &pt.zone {
                t.refs.push(("projects", pt.id.clone(), z.clone()));
            }
        }
        p
    }

    /// How many features and positions of the entry file wait for [`take_pieces`](Self::take_pieces).
    pub fn waiting(&self) -> (usize, usize) {
        let Some(c) = self.current.as_ref().filter(|c| c.slot.is_none()) else {
            return (0, 0);
        };
        let o = &c.out;
        (
            o.areas.len() + o.lines.len() + o.points.len(),
            super::batch::positions_in(&o.areas, &o.lines, o.points.len()),
        )
    }

    /// Features read so far, in all files.
    pub fn features_read(&self) -> usize {
        self.features
    }

    /// Bytes of the current file read so far.
    pub fn bytes_read(&self) -> usize {
        self.current.as_ref().map_or(0, |c| c.reader.bytes_read())
    }

    /// `true` once the current file cannot load whatever follows (too big, not UTF-8, broken
    /// JSON): a caller may stop its download (the message may then differ from the whole
    /// file's: the size it names, or a bad byte further on that decoding reports first).
    pub fn file_failed(&self) -> bool {
        self.current.as_ref().is_some_and(|c| c.reader.failed())
    }

    /// Ends the current file. After the entry file: the layer files it names, in the order to
    /// give them (each passes [`check_layer_path`](super::check_layer_path)); empty for a
    /// bare GeoJSON, a broken entry file, and after a layer.
    pub fn end_file(&mut self) -> Vec<String> {
        let Some(mut c) = self.current.take() else {
            return Vec::new();
        };
        let PlanFeed {
            plan,
            ids,
            features,
            ..
        } = self;
        let mut sink = Sink {
            file: &c.name,
            manifest: c.manifest,
            layer: c.layer,
            plan,
            ids,
            out: &mut c.out,
            count: features,
        };
        let read = c.reader.finish(&mut sink);
        match c.slot {
            None => self.end_entry(read, c.out),
            Some(slot) => {
                let mut d = Diagnostics::default();
                match read {
                    Ok(fin) => {
                        duplicate_keys(&c.name, &fin.duplicates, &mut d);
                        if let Some(out) = collection(&c.name, fin.root, c.out, &mut d) {
                            self.commit(out, &mut d);
                        }
                    }
                    Err((m, _)) => {
                        let key = match &self.slots[slot] {
                            Slot::File { key, .. } => *key,
                            Slot::Warning(_) => "",
                        };
                        d.push(Diagnostic::warning(
                            &c.name,
                            "",
                            format!("{m}; layer \"{key}\" skipped"),
                        ));
                    }
                }
                if let Slot::File { result, .. } = &mut self.slots[slot] {
                    *result = Some(d);
                }
                Vec::new()
            }
        }
    }

    /// Starts layer file `name`, the next of those [`end_file`](Self::end_file) gave (layers
    /// not given before it are "not found"). `false` when no layer of that name is left.
    pub fn begin_file(&mut self, name: &str) -> bool {
        let max = self.max_bytes;
        self.begin(name, FileReader::bytes(max))
    }

    fn begin(&mut self, name: &str, reader: FileReader) -> bool {
        if self.current.is_some() {
            self.end_file();
        }
        let found = (self.next_slot..self.slots.len()).find(
            |&i| matches!(&self.slots[i], Slot::File { name: n, result: None, .. } if n == name),
        );
        let Some(i) = found else {
            return false;
        };
        let Slot::File { layer, .. } = &self.slots[i] else {
            return false;
        };
        self.current = Some(Current {
            name: name.to_owned(),
            reader,
            out: Out::default(),
            manifest: true,
            layer: *layer,
            slot: Some(i),
        });
        self.next_slot = i + 1;
        true
    }

    /// Why the entry file's bytes are no text planmap reads (too big, GBK, invalid UTF-8,
    /// UTF-16 without a byte order mark), once it has ended; `finish` fails with it too.
    pub fn unreadable(&self) -> Option<&str> {
        self.unreadable.as_deref()
    }

    /// The current file's download failed (`message` says how): a layer is skipped with that
    /// message, the entry file fails the load.
    pub fn abort_file(&mut self, message: &str) {
        let Some(c) = self.current.take() else {
            return;
        };
        match c.slot {
            None => {
                let name = self.entry.clone();
                self.fatal(&name, "", message);
            }
            Some(i) => {
                if let Slot::File { key, result, .. } = &mut self.slots[i] {
                    let mut d = Diagnostics::default();
                    d.push(Diagnostic::warning(
                        &c.name,
                        "",
                        format!("{message}; layer \"{key}\" skipped"),
                    ));
                    *result = Some(d);
                }
            }
        }
    }

    /// Layer file `name` could not be read (`message` says why): it is skipped with a warning.
    pub fn skip_file(&mut self, name: &str, message: &str) {
        let found = (self.next_slot..self.slots.len()).find(
            |&i| matches!(&self.slots[i], Slot::File { name: n, result: None, .. } if n == name),
        );
        if let Some(i) = found {
            if let Slot::File { key, result, .. } = &mut self.slots[i] {
                let mut d = Diagnostics::default();
                d.push(Diagnostic::warning(
                    name,
                    "",
                    format!("{message}; layer \"{key}\" skipped"),
                ));
                *result = Some(d);
            }
            self.next_slot = i + 1;
        }
    }

    fn commit(&mut self, out: Out, d: &mut Diagnostics) {
        // Moved when there is nothing to add to (a bare file, the first layer): no copy.
        fn add<T>(to: &mut Vec<T>, from: Vec<T>) {
            if to.is_empty() {
                *to = from;
            } else {
                to.extend(from);
            }
        }
        add(&mut self.plan.areas, out.areas);
        add(&mut self.plan.points, out.points);
        add(&mut self.plan.lines, out.lines);
        if self.ids.is_empty() {
            self.ids = out.ids;
        } else {
            self.ids.extend(out.ids);
        }
        d.append(out.diags);
    }

    fn fatal(&mut self, file: &str, path: &str, m: impl Into<String>) {
        self.error = Some(LoadError {
            diagnostics: vec![Diagnostic::error(file, path, m)],
        });
    }

    fn end_entry(
        &mut self,
        read: Result<super::reader::Finished, (String, bool)>,
        out: Out,
    ) -> Vec<String> {
        let name = self.entry.clone();
        let fin = match read {
            Ok(f) => f,
            Err((m, bytes)) => {
                if bytes {
                    self.unreadable = Some(m.clone());
                }
                self.fatal(&name, "", m);
                return Vec::new();
            }
        };
        let root = match fin.root {
            Root::Object(o) => o,
            Root::Other(kind) => {
                self.fatal(
                    &name,
                    "",
                    format!("expected a planmap manifest or a GeoJSON object, found {kind}"),
                );
                return Vec::new();
            }
        };
        let mut diags = std::mem::take(&mut self.diags);
        duplicate_keys(&name, &fin.duplicates, &mut diags);
        let obj = &root.members;
        let is_manifest = obj.contains_key("layers");
        if let Some(l) = obj.get("layers").filter(|l| !l.is_object()) {
            diags.push(Diagnostic::warning(
                &name,
                "layers",
                format!(
                    "expected an object naming each layer's file ({{\"zones\": \"zones.geojson\", …}}), found {}",
                    kind_of(l)
                ),
            ));
        }
        if is_manifest {
            read_manifest(&name, obj, &mut self.plan, &mut diags);
            self.diags = diags;
            let layers = obj.get("layers").and_then(Json::as_object);
            let mut files = Vec::new();
            for (key, layer) in LAYERS {
                let Some(file) = layers.and_then(|l| l.get(key)) else {
                    continue;
                };
                let Some(file) = file.as_str() else {
                    self.slots.push(Slot::Warning(Diagnostic::warning(
                        &name,
                        format!("layers.{key}"),
                        format!("expected a file name, found {}", kind_of(file)),
                    )));
                    continue;
                };
                if let Err(m) = super::source::check_layer_path(file) {
                    self.slots.push(Slot::Warning(Diagnostic::warning(
                        &name,
                        format!("layers.{key}"),
                        format!("{m}; layer skipped"),
                    )));
                    continue;
                }
                files.push(file.to_owned());
                self.slots.push(Slot::File {
                    key,
                    name: file.to_owned(),
                    layer,
                    result: None,
                });
            }
            return files;
        }
        self.plan.title = Text::plain(
            name.rsplit('/')
                .next()
                .unwrap_or(&name)
                .trim_end_matches(".geojson")
                .trim_end_matches(".json"),
        );
        self.plan.crs = "WGS-84".to_owned();
        let ty = obj.get("type").and_then(Json::as_str).map(str::to_owned);
        match ty.as_deref() {
            Some("FeatureCollection") => {
                if let Some(out) = collection(&name, Root::Object(root), out, &mut diags) {
                    self.commit(out, &mut diags);
                }
            }
            Some("Feature") => {
                let RootObj {
                    members, geometry, ..
                } = root;
                let f = RawFeature {
                    ty: members.get("type").cloned(),
                    id: members.get("id").cloned(),
                    properties: members.get("properties").cloned(),
                    geometry,
                };
                let out = self.single(&name, f);
                self.commit(out, &mut diags);
            }
            // A bare geometry (GIS exports hand these over): checked here so its problems
            // name its own paths (`coordinates[1]`), then loaded as one unnamed feature.
            Some(ty) if GEOMETRY_TYPES.contains(&ty) => {
                let RootObj {
                    members,
                    coordinates,
                    geometries,
                    ..
                } = root;
                let g = RawGeom::Object(GeomObj {
                    ty: members.get("type").cloned(),
                    coordinates,
                    geometries,
                });
                match geometry::parse(g) {
                    Err((p, m)) => {
                        self.fatal(&name, p.trim_start_matches('.'), m);
                        return Vec::new();
                    }
                    Ok(shapes) => {
                        let f = RawFeature {
                            ty: Some(Json::String("Feature".to_owned())),
                            id: None,
                            properties: Some(Json::Null),
                            geometry: Some(RawGeom::Parsed(shapes)),
                        };
                        let out = self.single(&name, f);
                        self.commit(out, &mut diags);
                    }
                }
            }
            Some(other) => {
                let m = format!("expected \"FeatureCollection\", \"Feature\" or a geometry type, found \"{other}\"");
                self.fatal(&name, "type", m);
                return Vec::new();
            }
            None => {
                self.fatal(
                    &name,
                    "",
                    "not GeoJSON (no \"type\") and not a planmap manifest (no \"layers\")",
                );
                return Vec::new();
            }
        }
        self.diags = diags;
        Vec::new()
    }

    /// A bare file's one feature (a root Feature or geometry), read as `features[0]`.
    fn single(&mut self, name: &str, f: RawFeature) -> Out {
        let mut out = Out::default();
        let mut ctx = Ctx {
            file: name,
            manifest: false,
            ids: &self.ids,
            out: &mut out,
            plan: &self.plan,
        };
        ctx.feature(0, RawElement::Feature(f), Layer::Areas(AreaRole::Area));
        self.features += 1;
        out
    }

    /// The plan, or why it cannot be shown.
    pub fn finish(mut self) -> Result<Loaded, LoadError> {
        if self.current.is_some() {
            self.end_file();
        }
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        let mut diags = std::mem::take(&mut self.diags);
        for slot in std::mem::take(&mut self.slots) {
            match slot {
                Slot::Warning(d) => diags.push(d),
                Slot::File {
                    result: Some(d), ..
                } => diags.append(d),
                Slot::File {
                    key,
                    name,
                    result: None,
                    ..
                } => diags.push(Diagnostic::warning(
                    &name,
                    "",
                    format!("file not found; layer \"{key}\" skipped"),
                )),
            }
        }
        let mut plan = std::mem::take(&mut self.plan);
        let name = self.entry.clone();
        check_zone_refs(&plan, &mut diags);
        let taken = std::mem::take(&mut self.taken);
        for (layer, id, zone) in taken.refs {
            // A bare file has no zones: every zone named is unknown.
            if plan.area(&zone).is_none_or(|a| a.role != AreaRole::Zone) {
                diags.push(Diagnostic::warning(
                    layer,
                    format!("{id}.zone"),
                    format!("no zone has id \"{zone}\""),
                ));
            }
        }
        let kept = taken.kept
            || plan.areas.iter().any(|a| a.role != AreaRole::Context)
            || !plan.points.is_empty()
            || !plan.lines.is_empty();
        if !kept && !diags.is_empty() {
            // Every feature was broken (or the file's structure was): that is no map.
            diags.push(Diagnostic::error(
                &name,
                "",
                "nothing to show: no valid area, line or point was found",
            ));
            return Err(LoadError {
                diagnostics: diags.into_vec(),
            });
        }
        // Valid GeoJSON with nothing to draw is still valid; say why the map is empty.
        if !kept {
            diags.push(Diagnostic::warning(
                &name,
                "",
                "nothing to draw: the file has no features",
            ));
        } else if !(taken.shapes || plan.has_shapes()) {
            diags.push(Diagnostic::warning(
                &name,
                "",
                "nothing to draw: every feature's geometry is null or empty",
            ));
        }
        // Context goes under everything, whatever order the files came in.
        let rank = |r: AreaRole| match r {
            AreaRole::Context => 0,
            AreaRole::Boundary => 1,
            AreaRole::Area => 2,
            AreaRole::Zone => 3,
        };
        let mut by_layer: [Vec<Area>; 4] = Default::default();
        for a in std::mem::take(&mut plan.areas) {
            by_layer[rank(a.role)].push(a);
        }
        plan.areas = by_layer.into_iter().flatten().collect();
        Ok(Loaded {
            plan,
            diagnostics: diags.into_vec(),
        })
    }
}

/// A FeatureCollection's end: its features (`out`) when its root says it is one, else the
/// warning saying why the file is skipped.
fn collection(file: &str, root: Root, out: Out, d: &mut Diagnostics) -> Option<Out> {
    let warn = |d: &mut Diagnostics, path: &str, m: String| {
        d.push(Diagnostic::warning(file, path, m));
    };
    let obj = match root {
        Root::Object(o) => o,
        Root::Other(kind) => {
            warn(
                d,
                "",
                format!("expected a GeoJSON FeatureCollection, found {kind}"),
            );
            return None;
        }
    };
    match obj.members.get("type").and_then(Json::as_str) {
        Some("FeatureCollection") => {}
        Some(other) => {
            warn(
                d,
                "type",
                format!("expected \"FeatureCollection\", found \"{other}\"; file skipped"),
            );
            return None;
        }
        None => {
            warn(
                d,
                "type",
                "missing; expected \"FeatureCollection\"; file skipped".to_owned(),
            );
            return None;
        }
    }
    match obj.features {
        Some(Features::Streamed) => Some(out),
        Some(Features::Value(v)) => {
            warn(
                d,
                "features",
                format!("expected an array, found {}", kind_of(&v)),
            );
            None
        }
        None => {
            warn(d, "features", "missing".to_owned());
            None
        }
    }
}

fn duplicate_keys(file: &str, paths: &[String], diags: &mut Diagnostics) {
    for p in paths {
        diags.push(Diagnostic::warning(
            file,
            p.as_str(),
            "duplicate key; the last value is used",
        ));
    }
}

fn check_zone_refs(plan: &Plan, diags: &mut Diagnostics) {
    let refs = plan.points.iter().map(|p| ("projects", &p.id, &p.zone));
    let refs = refs.chain(plan.lines.iter().map(|l| ("lines", &l.id, &l.zone)));
    let zones: HashSet<&str> = plan
        .areas
        .iter()
        .filter(|a| a.role == AreaRole::Zone)
        .map(|a| a.id.as_str())
        .collect();
    for (layer, id, zone) in refs {
        if let Some(z) = zone {
            if !zones.contains(z.as_str()) {
                diags.push(Diagnostic::warning(
                    layer,
                    format!("{id}.zone"),
                    format!("no zone has id \"{z}\""),
                ));
            }
        }
    }
}

fn read_manifest(name: &str, obj: &Map<String, Json>, plan: &mut Plan, diags: &mut Diagnostics) {
    let warn = |diags: &mut Diagnostics, path: &str, m: String| {
        diags.push(Diagnostic::warning(name, path, m))
    };
    match obj.get("title").map(json::text) {
        Some(Ok(t)) => plan.title = t,
        Some(Err(m)) => warn(diags, "title", m),
        None => warn(diags, "title", "missing".into()),
    }
    plan.crs = match opt_str(obj, "crs") {
        Ok(Some(c)) => c.to_owned(),
        Ok(None) => "WGS-84".to_owned(),
        Err(m) => {
            warn(diags, "crs", m);
            "WGS-84".to_owned()
        }
    };
    if let Some(Json::Object(doc)) = obj.get("document") {
        let get = |k: &str| {
            doc.get(k)
                .map(json::text)
                .and_then(Result::ok)
                .unwrap_or_default()
        };
        plan.document = Some(Document {
            title: get("title"),
            year: match doc.get("year") {
                None | Some(Json::Null) => None,
                // Checked before narrowing: 4294969296 once read as 2000.
                Some(Json::Number(n)) if n.as_i64().is_some_and(|y| (1900..=2100).contains(&y)) => {
                    n.as_i64().map(|y| y as i32)
                }
                Some(Json::Number(n)) => {
                    warn(
                        diags,
                        "document.year",
                        format!("expected a year from 1900 to 2100, found {n}"),
                    );
                    None
                }
                Some(other) => {
                    warn(
                        diags,
                        "document.year",
                        format!(
                            "expected a year from 1900 to 2100, found {}",
                            kind_of(other)
                        ),
                    );
                    None
                }
            },
            issuer: get("issuer"),
        });
    }
    if let Some(list) = obj.get("credits").and_then(Json::as_array) {
        for (i, c) in list.iter().enumerate() {
            match json::text(c) {
                Ok(t) => plan.credits.push(t),
                Err(m) => warn(diags, &format!("credits[{i}]"), m),
            }
        }
    }
    if let Some(list) = obj.get("indicators") {
        let Some(list) = list.as_array() else {
            return warn(
                diags,
                "indicators",
                format!("expected an array, found {}", kind_of(list)),
            );
        };
        for (i, d) in list.iter().enumerate() {
            let path = format!("indicators[{i}]");
            match indicator_def(d) {
                Ok(def) if plan.indicator(&def.id).is_some() => warn(
                    diags,
                    &format!("{path}.id"),
                    format!("duplicate indicator id \"{}\"", def.id),
                ),
                Ok(def) => plan.indicators.push(def),
                Err((p, m)) => warn(
                    diags,
                    &format!("{path}{p}"),
                    format!("{m}; indicator skipped"),
                ),
            }
        }
    }
    if let Some(list) = obj.get("categories").and_then(Json::as_array) {
        for (i, c) in list.iter().enumerate() {
            let path = format!("categories[{i}]");
            let Some(o) = c.as_object() else {
                warn(
                    diags,
                    &path,
                    format!("expected an object, found {}", kind_of(c)),
                );
                continue;
            };
            let id = o.get("id").and_then(Json::as_str);
            let cat_name = o.get("name").map(json::text);
            match (id, cat_name) {
                (Some(id), Some(Ok(n))) => plan.categories.push(Category {
                    id: id.to_owned(),
                    name: n,
                    symbol: o
                        .get("symbol")
                        .and_then(Json::as_str)
                        .unwrap_or("circle")
                        .to_owned(),
                }),
                _ => warn(
                    diags,
                    &path,
                    "a category needs an id and a name; skipped".into(),
                ),
            }
        }
    }
}

fn indicator_def(v: &Json) -> Result<IndicatorDef, (String, String)> {
    let o = v.as_object().ok_or_else(|| {
        (
            String::new(),
            format!("expected an object, found {}", kind_of(v)),
        )
    })?;
    let id = match o.get("id") {
        Some(Json::String(s)) if !s.is_empty() => s.clone(),
        Some(other) => {
            return Err((
                ".id".into(),
                format!("expected a string, found {}", kind_of(other)),
            ))
        }
        None => return Err((".id".into(), "missing".into())),
    };
    let name = json::text(
        o.get("name")
            .ok_or_else(|| (".name".to_owned(), "missing".to_owned()))?,
    )
    .map_err(|m| (".name".to_owned(), m))?;
    let unit = match o.get("unit") {
        None => Text::default(),
        Some(u) => json::text(u).map_err(|m| (".unit".to_owned(), m))?,
    };
    let higher_is = match o.get("higher_is").and_then(Json::as_str) {
        None | Some("better") => Direction::Better,
        Some("worse") => Direction::Worse,
        Some("neutral") => Direction::Neutral,
        Some(other) => {
            return Err((
                ".higher_is".into(),
                format!("expected \"better\", \"worse\" or \"neutral\", found \"{other}\""),
            ))
        }
    };
    let group = o.get("group").and_then(Json::as_str).map(str::to_owned);
    Ok(IndicatorDef {
        id,
        name,
        unit,
        higher_is,
        group,
    })
}

/// What every kind of feature made from one GeoJSON feature shares.
struct Common {
    id: String,
    name: Text,
    quote: Option<Quote>,
    facts: Vec<Fact>,
    link: Option<String>,
}

/// The finite numeric properties of a bare file's feature (colourable, shown in panels).
fn numbers(props: &Map<String, Json>) -> Vec<(String, f64)> {
    props
        .iter()
        .filter_map(|(k, v)| {
            v.as_f64()
                .filter(|n| n.abs() <= MAX_VALUE)
                .map(|n| (k.clone(), n))
        })
        .collect()
}

/// Reading one layer file: where diagnostics go and whether manifest rules apply.
struct Ctx<'a> {
    file: &'a str,
    /// Manifest layers need ids and may carry indicator values; bare files need nothing.
    manifest: bool,
    /// The ids of the plan's features in earlier files, for the duplicate check.
    ids: &'a HashSet<String>,
    /// This file's features, ids and warnings so far.
    out: &'a mut Out,
    /// The manifest's part of the plan (indicators, categories).
    plan: &'a Plan,
}

impl Ctx<'_> {
    /// A label priority: a whole number from -1000 to 1000 (label placement multiplies it),
    /// 0 when absent; anything else is reported and read as 0.
    fn priority(&mut self, props: &Map<String, Json>, pp: &dyn Fn(&str) -> String) -> i32 {
        match props.get("priority") {
            None | Some(Json::Null) => 0,
            Some(Json::Number(n)) if n.as_i64().is_some_and(|p| (-1000..=1000).contains(&p)) => {
                n.as_i64().unwrap_or(0) as i32
            }
            Some(other) => {
                let found = match other {
                    Json::Number(n) => n.to_string(),
                    _ => kind_of(other).to_owned(),
                };
                self.warn(
                    pp("priority"),
                    format!("expected a whole number from -1000 to 1000, found {found}; read as 0"),
                );
                0
            }
        }
    }

    /// Takes `id` for a feature, or, when a made-up id (`ID-0` of a MultiPoint, `ID-line`)
    /// is taken already, the first free `ID~2`, `ID~3` …: no two features ever share an id.
    fn claim(&mut self, id: String) -> String {
        if !self.taken(&id) {
            self.out.ids.insert(id.clone());
            return id;
        }
        let id = (2..)
            .map(|n| format!("{id}~{n}"))
            .find(|c| !self.taken(c))
            .expect("some suffix is free");
        let id = self.claim(id);
        id
    }

    /// `true` when a feature has id `id` already.
    fn taken(&self, id: &str) -> bool {
        self.ids.contains(id) || self.out.ids.contains(id)
    }

    fn warn(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.out
            .diags
            .push(Diagnostic::warning(self.file, path, message));
    }

    fn feature(&mut self, i: usize, f: RawElement, layer: Layer) {
        let at = format!("features[{i}]");
        let skipped = "; feature skipped";
        let fo = match f {
            RawElement::Feature(f) => f,
            RawElement::Other(kind) => {
                return self.warn(
                    at,
                    format!("expected a Feature object, found {kind}{skipped}"),
                )
            }
        };
        match &fo.ty {
            Some(Json::String(t)) if t == "Feature" => {}
            Some(Json::String(t)) => {
                return self.warn(
                    format!("{at}.type"),
                    format!("expected \"Feature\", found \"{t}\"{skipped}"),
                )
            }
            Some(other) => {
                return self.warn(
                    format!("{at}.type"),
                    format!("expected \"Feature\", found {}{skipped}", kind_of(other)),
                )
            }
            None => return self.warn(format!("{at}.type"), format!("missing{skipped}")),
        }
        let empty = Map::new();
        let props = match &fo.properties {
            None | Some(Json::Null) => &empty,
            Some(Json::Object(p)) => p,
            Some(other) => {
                return self.warn(
                    format!("{at}.properties"),
                    format!(
                        "expected an object or null, found {}{skipped}",
                        kind_of(other)
                    ),
                )
            }
        };
        let shapes = match fo.geometry {
            None => return self.warn(format!("{at}.geometry"), format!("missing{skipped}")),
            Some(g) => match geometry::parse(g) {
                Ok(g) => g,
                Err((p, m)) => {
                    return self.warn(format!("{at}.geometry{p}"), format!("{m}{skipped}"))
                }
            },
        };
        let mut shapes = match self.fit_layer(&at, shapes, layer) {
            Some(s) => s,
            None => return,
        };
        let dropped = std::mem::take(&mut shapes.dropped);
        let pp = |k: &str| format!("{at}.properties.{k}");
        // Ids: a manifest layer needs them (selection, deep links and values refer to them);
        // a bare file gets one made from its position.
        // Where the id was given: `properties.id` first, then the feature's own `id`.
        let (id_at, given) = match (props.get("id"), fo.id.as_ref()) {
            (Some(v), _) if !v.is_null() => (pp("id"), Some(v)),
            (_, Some(v)) if !v.is_null() => (format!("{at}.id"), Some(v)),
            _ => (pp("id"), None),
        };
        let id = match given {
            Some(v @ Json::String(s)) if !s.is_empty() && !json::is_overflow(v) => s.clone(),
            // A bare file's numeric id, written once: `1`, `1.0` and `1e0` are one id.
            Some(Json::Number(n)) if !self.manifest => match n.as_f64() {
                Some(x) if x.fract() == 0.0 && x.abs() < 1e15 => format!("{}", x as i64),
                Some(x) => format!("{x}"),
                None => n.to_string(),
            },
            Some(Json::String(s)) if self.manifest && s.is_empty() => {
                return self.warn(
                    id_at,
                    format!("empty; every feature of a plan layer needs a unique id{skipped}"),
                )
            }
            // A plan's ids are strings: deep links, selection and values name them as text.
            Some(other) if self.manifest => {
                return self.warn(
                    id_at,
                    format!("expected a string, found {}{skipped}", kind_of(other)),
                )
            }
            _ if self.manifest => {
                return self.warn(
                    id_at,
                    format!("missing; every feature of a plan layer needs a unique id{skipped}"),
                )
            }
            _ => format!("f{i}"),
        };
        if self.taken(&id) {
            return self.warn(id_at, format!("duplicate id \"{id}\"{skipped}"));
        }
        let mut name = Text::default();
        for key in ["name", "name_zh", "NAME"] {
            match opt_str(props, key) {
                Ok(Some(s)) => {
                    name.zh = s.to_owned();
                    break;
                }
                Ok(None) => {}
                Err(m) => self.warn(pp(key), m),
            }
        }
        match opt_str(props, "name_en") {
            Ok(en) => name.en = en.map(str::to_owned),
            Err(m) => self.warn(pp("name_en"), m),
        }
        if self.manifest && name.zh.is_empty() {
            self.warn(pp("name"), "missing; the feature is shown without a name");
        }
        for (p, m) in dropped {
            self.warn(format!("{at}.geometry{p}"), m);
        }
        if shapes.empty && !name.zh.is_empty() {
            // RFC 7946 allows it, but a named place without its outline is worth a word (all
            // of China's county file has one: 蓟州区, on which Leaflet stops with "Invalid
            // LatLng").
            self.warn(
                format!("{at}.geometry.coordinates"),
                format!("empty: {} has no outline; listed, not drawn", name.zh),
            );
        }
        let quote = self.quote(props, &pp);
        let facts = self.facts(props, &pp);
        let link = self.string(props, "url", &pp);
        let common = Common {
            id,
            name,
            quote,
            facts,
            link,
        };
        let role = match layer {
            Layer::Areas(role) => role,
            _ => AreaRole::Area,
        };
        // One feature per kind of shape; the first takes the id, the others a suffix (a
        // GeometryCollection of a polygon and a line becomes an area and a line).
        let Shapes {
            points,
            lines,
            polygons,
            ..
        } = shapes;
        let only_null = points.is_empty() && lines.0.is_empty() && polygons.0.is_empty();
        let mut first = true;
        let mut next_id = |suffix: &str| {
            let id = if first {
                common.id.clone()
            } else {
                format!("{}-{suffix}", common.id)
            };
            first = false;
            id
        };
        if !polygons.0.is_empty() || (only_null && matches!(layer, Layer::Areas(_))) {
            let id = next_id("area");
            self.push_area(id, &common, role, polygons, props, &pp);
        }
        if !lines.0.is_empty() || (only_null && layer == Layer::Lines) {
            let id = next_id("line");
            self.push_line(id, &common, lines, props, &pp);
        }
        if !points.is_empty() {
            let id = next_id("point");
            self.push_points(id, &common, points, props, &pp);
        }
    }

    /// Keeps the shapes a layer holds: a manifest's layer holds one kind (zones are
    /// polygons, projects points, lines lines), a bare file every kind. `None` when the
    /// feature has nothing this layer can hold (the warning says what it found).
    fn fit_layer(&mut self, at: &str, mut s: Shapes, layer: Layer) -> Option<Shapes> {
        if !self.manifest {
            return Some(s);
        }
        let skipped = "; feature skipped";
        let found = if !s.polygons.0.is_empty() {
            "a polygon"
        } else if !s.lines.0.is_empty() {
            "a line"
        } else if !s.points.is_empty() {
            "a point"
        } else {
            "null"
        };
        let (expected, has) = match layer {
            Layer::Areas(_) => ("a Polygon or MultiPolygon", !s.polygons.0.is_empty()),
            Layer::Lines => ("a LineString or MultiLineString", !s.lines.0.is_empty()),
            Layer::Points => ("a Point", !s.points.is_empty()),
        };
        if s.is_empty() && layer != Layer::Points {
            return Some(s); // listed without a shape
        }
        if !has {
            self.warn(
                format!("{at}.geometry.type"),
                format!("expected {expected} in this layer, found {found}{skipped}"),
            );
            return None;
        }
        let mut ignored = Vec::new();
        if !matches!(layer, Layer::Areas(_)) && !s.polygons.0.is_empty() {
            ignored.push("polygons");
            s.polygons.0.clear();
        }
        if layer != Layer::Lines && !s.lines.0.is_empty() {
            ignored.push("lines");
            s.lines.0.clear();
        }
        if layer != Layer::Points && !s.points.is_empty() {
            ignored.push("points");
            s.points.clear();
        }
        if !ignored.is_empty() {
            self.warn(
                format!("{at}.geometry"),
                format!(
                    "expected only {expected} in this layer; its {} not drawn",
                    ignored.join(" and ")
                ),
            );
        }
        Some(s)
    }

    #[allow(clippy::too_many_arguments)]
    fn push_area(
        &mut self,
        id: String,
        c: &Common,
        role: AreaRole,
        mp: geo::MultiPolygon<f64>,
        props: &Map<String, Json>,
        pp: &dyn Fn(&str) -> String,
    ) {
        let schematic = match opt_str(props, "geometry") {
            Ok(Some("schematic")) => true,
            Ok(Some("surveyed" | "official")) | Ok(None) => false,
            Ok(Some(other)) => {
                self.warn(pp("geometry"), format!("expected \"schematic\" or \"official\", found \"{other}\"; treated as schematic"));
                true
            }
            Err(m) => {
                self.warn(pp("geometry"), m);
                true
            }
        };
        let values = if self.manifest {
            self.values(props, pp)
        } else {
            Vec::new()
        };
        let numbers = if self.manifest {
            Vec::new()
        } else {
            numbers(props)
        };
        let id = self.claim(id);
        self.out.areas.push(Area {
            id,
            name: c.name.clone(),
            role,
            geometry: mp,
            schematic,
            values,
            facts: c.facts.clone(),
            quote: c.quote.clone(),
            numbers,
            link: c.link.clone(),
        });
    }

    fn push_points(
        &mut self,
        id: String,
        c: &Common,
        pts: Vec<[f64; 2]>,
        props: &Map<String, Json>,
        pp: &dyn Fn(&str) -> String,
    ) {
        let category = match opt_str(props, "category") {
            Ok(Some(c)) if self.plan.categories.is_empty() || self.plan.category(c).is_some() => {
                c.to_owned()
            }
            Ok(Some(c)) => {
                self.warn(
                    pp("category"),
                    format!("unknown category \"{c}\"; shown without one"),
                );
                String::new()
            }
            Ok(None) => String::new(),
            Err(m) => {
                self.warn(pp("category"), m);
                String::new()
            }
        };
        let location = self.location(props, pp);
        let status = self.string(props, "status", pp);
        let zone = self.string(props, "zone", pp);
        let priority = self.priority(props, pp);
        let n = pts.len();
        if n > 1 {
            // The MultiPoint's own id stays reserved: `select(id)` must not find another.
            self.out.ids.insert(id.clone());
        }
        for (k, p) in pts.into_iter().enumerate() {
            let id = if n == 1 {
                self.claim(id.clone())
            } else {
                self.claim(format!("{id}-{k}"))
            };
            self.out.points.push(PointFeature {
                id,
                name: c.name.clone(),
                lonlat: p,
                category: category.clone(),
                status: status.clone(),
                zone: zone.clone(),
                location,
                quote: c.quote.clone(),
                priority,
                facts: c.facts.clone(),
                link: c.link.clone(),
            });
        }
    }

    fn push_line(
        &mut self,
        id: String,
        c: &Common,
        geometry: geo::MultiLineString<f64>,
        props: &Map<String, Json>,
        pp: &dyn Fn(&str) -> String,
    ) {
        // A line's category is free text that picks its style; GIS exports (OpenStreetMap
        // above all) say what a line is with a `waterway`, `railway` or `highway` key instead.
        let category = match self.string(props, "category", pp) {
            Some(c) => c,
            None => ["waterway", "railway", "highway"]
                .into_iter()
                .find(|k| props.get(*k).is_some_and(|v| !v.is_null()))
                .unwrap_or_default()
                .to_owned(),
        };
        let (schematic, location) = match opt_str(props, "geometry") {
            Ok(Some("schematic")) => (true, Location::Approximate),
            Ok(Some("approximate")) => (false, Location::Approximate),
            Ok(Some("surveyed" | "official")) => (false, Location::Surveyed),
            Ok(None) => (false, self.location(props, pp)),
            Ok(Some(other)) => {
                self.warn(pp("geometry"), format!("expected \"schematic\", \"approximate\" or \"surveyed\", found \"{other}\"; treated as schematic"));
                (true, Location::Approximate)
            }
            Err(m) => {
                self.warn(pp("geometry"), m);
                (true, Location::Approximate)
            }
        };
        let id = self.claim(id);
        let status = self.string(props, "status", pp);
        let zone = self.string(props, "zone", pp);
        let priority = self.priority(props, pp);
        self.out.lines.push(LineFeature {
            id,
            name: c.name.clone(),
            geometry,
            category,
            status,
            zone,
            schematic,
            location,
            quote: c.quote.clone(),
            priority,
            facts: c.facts.clone(),
            numbers: if self.manifest {
                Vec::new()
            } else {
                numbers(props)
            },
            link: c.link.clone(),
        });
    }

    fn location(&mut self, props: &Map<String, Json>, pp: &dyn Fn(&str) -> String) -> Location {
        match opt_str(props, "location") {
            Ok(Some("surveyed")) => Location::Surveyed,
            Ok(Some("approximate")) | Ok(None) => Location::Approximate,
            Ok(Some(other)) => {
                self.warn(
                    pp("location"),
                    format!("expected \"surveyed\" or \"approximate\", found \"{other}\""),
                );
                Location::Approximate
            }
            Err(m) => {
                self.warn(pp("location"), m);
                Location::Approximate
            }
        }
    }

    fn string(
        &mut self,
        props: &Map<String, Json>,
        key: &str,
        pp: &dyn Fn(&str) -> String,
    ) -> Option<String> {
        match opt_str(props, key) {
            Ok(s) => s.filter(|s| !s.is_empty()).map(str::to_owned),
            Err(m) => {
                self.warn(pp(key), m);
                None
            }
        }
    }

    fn quote(&mut self, props: &Map<String, Json>, pp: &dyn Fn(&str) -> String) -> Option<Quote> {
        let source = self.string(props, "source", pp)?;
        let section = self.string(props, "section", pp).unwrap_or_default();
        Some(Quote { source, section })
    }

    fn facts(&mut self, props: &Map<String, Json>, pp: &dyn Fn(&str) -> String) -> Vec<Fact> {
        let Some(list) = props.get("facts") else {
            return Vec::new();
        };
        let Some(list) = list.as_array() else {
            self.warn(
                pp("facts"),
                format!("expected an array, found {}", kind_of(list)),
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for (k, f) in list.iter().enumerate() {
            let parsed = f
                .as_object()
                .ok_or_else(|| format!("expected an object, found {}", kind_of(f)))
                .and_then(|o| {
                    let label = json::text(o.get("label").ok_or("label: missing")?)
                        .map_err(|m| format!("label: {m}"))?;
                    let text = json::text(o.get("text").ok_or("text: missing")?)
                        .map_err(|m| format!("text: {m}"))?;
                    Ok(Fact { label, text })
                });
            match parsed {
                Ok(f) => out.push(f),
                Err(m) => self.warn(
                    format!("{}[{k}]", pp("facts")),
                    format!("{m}; fact skipped"),
                ),
            }
        }
        out
    }

    fn values(&mut self, props: &Map<String, Json>, pp: &dyn Fn(&str) -> String) -> Vec<Value> {
        let Some(list) = props.get("indicators") else {
            return Vec::new();
        };
        let Some(list) = list.as_array() else {
            self.warn(
                pp("indicators"),
                format!("expected an array, found {}", kind_of(list)),
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for (k, v) in list.iter().enumerate() {
            let at = format!("{}[{k}]", pp("indicators"));
            match value(v, self.plan) {
                Ok(v) => out.push(v),
                Err((p, m)) => self.warn(format!("{at}{p}"), format!("{m}; value skipped")),
            }
        }
        out
    }
}

fn value(v: &Json, plan: &Plan) -> Result<Value, (String, String)> {
    let o = v.as_object().ok_or_else(|| {
        (
            String::new(),
            format!("expected an object, found {}", kind_of(v)),
        )
    })?;
    let s = |k: &str| -> Result<String, (String, String)> {
        match o.get(k) {
            Some(Json::String(s)) if !s.trim().is_empty() => Ok(s.clone()),
            Some(Json::String(_)) => Err((format!(".{k}"), "empty".into())),
            Some(other) => Err((
                format!(".{k}"),
                format!("expected a string, found {}", kind_of(other)),
            )),
            None => Err((format!(".{k}"), "missing".into())),
        }
    };
    let indicator = s("indicator")?;
    let def = plan.indicator(&indicator).ok_or_else(|| {
        (
            ".indicator".to_owned(),
            format!("unknown indicator id \"{indicator}\""),
        )
    })?;
    let value = match o.get("value") {
        Some(Json::Number(n)) => n
            .as_f64()
            .filter(|x| x.is_finite())
            .ok_or_else(|| (".value".to_owned(), "not a finite number".to_owned()))
            .and_then(|x| {
                if x.abs() <= MAX_VALUE {
                    Ok(x)
                } else {
                    Err((
                        ".value".to_owned(),
                        format!("{x:e} is beyond planmap's limit of ±1e15 for a value"),
                    ))
                }
            })?,
        Some(other) => return Err((".value".into(), json::finite(other).unwrap_err())),
        None => return Err((".value".into(), "missing".into())),
    };
    if let Some(unit) = o.get("unit") {
        let unit = unit.as_str().ok_or_else(|| {
            (
                ".unit".to_owned(),
                format!("expected a string, found {}", kind_of(unit)),
            )
        })?;
        if unit != def.unit.zh && Some(unit) != def.unit.en.as_deref() {
            return Err((
                ".unit".into(),
                format!(
                    "\"{unit}\" differs from the unit of \"{indicator}\", \"{}\"",
                    def.unit.zh
                ),
            ));
        }
    }
    let year = match o.get("year") {
        Some(Json::Number(n)) => n
            .as_i64()
            .filter(|y| (1900..=2100).contains(y))
            .ok_or_else(|| {
                (
                    ".year".to_owned(),
                    format!("expected a year from 1900 to 2100, found {n}"),
                )
            })? as i32,
        Some(other) => {
            return Err((
                ".year".into(),
                format!("expected a number, found {}", kind_of(other)),
            ))
        }
        None => return Err((".year".into(), "missing".into())),
    };
    let kind = match s("kind")?.as_str() {
        "baseline" => ValueKind::Baseline,
        "actual" => ValueKind::Actual,
        "cumulative" => ValueKind::Cumulative,
        "target" => ValueKind::Target,
        other => {
            return Err((
                ".kind".into(),
                format!("expected baseline, actual, cumulative or target, found \"{other}\""),
            ))
        }
    };
    let source = s("source")?;
    let section = s("section")?;
    // Flags are booleans: `"at_least": "yes"` is reported, never read as false or true.
    let flag = |k: &str| match o.get(k) {
        None | Some(Json::Null) => Ok(false),
        Some(Json::Bool(b)) => Ok(*b),
        Some(other) => Err((
            format!(".{k}"),
            format!("expected true or false, found {}", kind_of(other)),
        )),
    };
    let (at_least, at_most, approximately) =
        (flag("at_least")?, flag("at_most")?, flag("approximately")?);
    Ok(Value {
        indicator,
        value,
        year,
        kind,
        source,
        section,
        at_least,
        at_most,
        approximately,
    })
}
