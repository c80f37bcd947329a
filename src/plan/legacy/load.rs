//! Text → [`Plan`]: one loader for the widget, the validator and the tests.
//!
//! The entry file is either a planmap manifest (`plan.json`, naming its layer files) or a bare
//! GeoJSON FeatureCollection. A broken feature or value is skipped with a warning that names
//! file, feature and property; only when nothing at all can be shown is the load an error.

use super::geometry::{self, Shapes, GEOMETRY_TYPES};
use super::json::{self, kind_of, opt_str};
use crate::plan::diagnostic::{Diagnostic, Diagnostics, LoadError};
use crate::plan::model::*;
use crate::plan::text::Text;
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
        crate::plan::source::check_layer_path(name)?;
        let path = self.0.join(name);
        // A symbolic link inside the folder must not lead out of it either.
        if let (Ok(dir), Ok(real)) = (self.0.canonicalize(), path.canonicalize()) {
            if !real.starts_with(&dir) {
                return Err(format!(
                    "\"{name}\" is refused: it leads out of the manifest's folder (a symbolic link)"
                ));
            }
        }
        crate::plan::source::read_file(&path)
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

/// The layer files a manifest names, in load order, so a caller can fetch them before
/// [`load`]; names that [`check_layer_path`](super::check_layer_path) refuses are left out. Empty for a bare GeoJSON or for text that is not a manifest.
pub fn layer_files(text: &str) -> Vec<String> {
    let Ok(Json::Object(root)) = json::parse(text) else {
        return Vec::new();
    };
    let Some(Json::Object(layers)) = root.get("layers") else {
        return Vec::new();
    };
    LAYERS
        .iter()
        .filter_map(|(key, _)| layers.get(*key).and_then(Json::as_str))
        // Only contained paths are fetched; `load` reports the others.
        .filter(|f| crate::plan::source::check_layer_path(f).is_ok())
        .map(str::to_owned)
        .collect()
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
    let mut diags = Diagnostics::default();
    let root = match json::parse_checked(text) {
        Ok((v, dups)) => {
            duplicate_keys(name, &dups, &mut diags);
            v
        }
        Err(m) => {
            return Err(LoadError {
                diagnostics: vec![Diagnostic::error(name, "", m)],
            })
        }
    };
    let mut plan = Plan::default();
    // Every id taken so far, across layers: one hash look-up per feature keeps loading linear.
    let mut ids = HashSet::new();
    let obj = match &root {
        Json::Object(o) => o,
        other => {
            let m = format!(
                "expected a planmap manifest or a GeoJSON object, found {}",
                kind_of(other)
            );
            return Err(LoadError {
                diagnostics: vec![Diagnostic::error(name, "", m)],
            });
        }
    };
    let is_manifest = obj.contains_key("layers");
    if let Some(l) = obj.get("layers").filter(|l| !l.is_object()) {
        diags.push(Diagnostic::warning(
            name,
            "layers",
            format!(
                "expected an object naming each layer's file ({{\"zones\": \"zones.geojson\", …}}), found {}",
                kind_of(l)
            ),
        ));
    }
    if is_manifest {
        read_manifest(name, obj, &mut plan, &mut diags);
        let layers = obj.get("layers").and_then(Json::as_object);
        for (key, role) in LAYERS {
            let Some(file) = layers.and_then(|l| l.get(key)) else {
                continue;
            };
            let Some(file) = file.as_str() else {
                diags.push(Diagnostic::warning(
                    name,
                    format!("layers.{key}"),
                    format!("expected a file name, found {}", kind_of(file)),
                ));
                continue;
            };
            if let Err(m) = crate::plan::source::check_layer_path(file) {
                diags.push(Diagnostic::warning(
                    name,
                    format!("layers.{key}"),
                    format!("{m}; layer skipped"),
                ));
                continue;
            }
            match files.read(file).and_then(|t| json::parse_checked(&t)) {
                Ok((layer, dups)) => {
                    duplicate_keys(file, &dups, &mut diags);
                    let mut ctx = Ctx {
                        file,
                        diags: &mut diags,
                        manifest: true,
                        ids: &mut ids,
                    };
                    ctx.collection(&layer, role, &mut plan);
                }
                Err(m) => diags.push(Diagnostic::warning(
                    file,
                    "",
                    format!("{m}; layer \"{key}\" skipped"),
                )),
            }
        }
    } else {
        plan.title = Text::plain(
            name.rsplit('/')
                .next()
                .unwrap_or(name)
                .trim_end_matches(".geojson")
                .trim_end_matches(".json"),
        );
        plan.crs = "WGS-84".to_owned();
        let mut ctx = Ctx {
            file: name,
            diags: &mut diags,
            manifest: false,
            ids: &mut ids,
        };
        let bare = Layer::Areas(AreaRole::Area);
        match obj.get("type").and_then(Json::as_str) {
            Some("FeatureCollection") => ctx.collection(&root, bare, &mut plan),
            Some("Feature") => {
                let wrapped =
                    serde_json::json!({"type": "FeatureCollection", "features": [root.clone()]});
                ctx.collection(&wrapped, bare, &mut plan)
            }
            // A bare geometry (GIS exports hand these over): checked here so its problems
            // name its own paths (`coordinates[1]`), then loaded as one unnamed feature.
            Some(ty) if GEOMETRY_TYPES.contains(&ty) => {
                if let Err((p, m)) = geometry::parse(&root) {
                    return Err(LoadError {
                        diagnostics: vec![Diagnostic::error(name, p.trim_start_matches('.'), m)],
                    });
                }
                let wrapped = serde_json::json!({"type": "FeatureCollection", "features": [
                    {"type": "Feature", "properties": null, "geometry": root.clone()}]});
                ctx.collection(&wrapped, bare, &mut plan)
            }
            Some(other) => {
                let m = format!("expected \"FeatureCollection\", \"Feature\" or a geometry type, found \"{other}\"");
                return Err(LoadError {
                    diagnostics: vec![Diagnostic::error(name, "type", m)],
                });
            }
            None => {
                let m = "not GeoJSON (no \"type\") and not a planmap manifest (no \"layers\")";
                return Err(LoadError {
                    diagnostics: vec![Diagnostic::error(name, "", m)],
                });
            }
        }
    }
    check_zone_refs(&plan, &mut diags);
    let kept = plan.areas.iter().any(|a| a.role != AreaRole::Context)
        || !plan.points.is_empty()
        || !plan.lines.is_empty();
    if !kept && !diags.is_empty() {
        // Every feature was broken (or the file's structure was): that is no map.
        diags.push(Diagnostic::error(
            name,
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
            name,
            "",
            "nothing to draw: the file has no features",
        ));
    } else if !plan.has_shapes() {
        diags.push(Diagnostic::warning(
            name,
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

/// Warns of each duplicate key: JSON leaves them undefined, JSON.parse keeps the last, and so
/// does planmap, but a file that says two things should hear about it.
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
    diags: &'a mut Diagnostics,
    /// Manifest layers need ids and may carry indicator values; bare files need nothing.
    manifest: bool,
    /// The ids of the plan's features so far (all layers), for the duplicate check.
    ids: &'a mut HashSet<String>,
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
        if !self.ids.contains(&id) {
            self.ids.insert(id.clone());
            return id;
        }
        let id = (2..)
            .map(|n| format!("{id}~{n}"))
            .find(|c| !self.ids.contains(c))
            .expect("some suffix is free");
        let id = self.claim(id);
        id
    }

    fn warn(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.diags
            .push(Diagnostic::warning(self.file, path, message));
    }

    fn collection(&mut self, root: &Json, layer: Layer, plan: &mut Plan) {
        let Some(obj) = root.as_object() else {
            return self.warn(
                "",
                format!(
                    "expected a GeoJSON FeatureCollection, found {}",
                    kind_of(root)
                ),
            );
        };
        match obj.get("type").and_then(Json::as_str) {
            Some("FeatureCollection") => {}
            Some(other) => {
                return self.warn(
                    "type",
                    format!("expected \"FeatureCollection\", found \"{other}\"; file skipped"),
                )
            }
            None => {
                return self.warn(
                    "type",
                    "missing; expected \"FeatureCollection\"; file skipped",
                )
            }
        }
        let features = match obj.get("features") {
            Some(Json::Array(a)) => a,
            Some(other) => {
                return self.warn(
                    "features",
                    format!("expected an array, found {}", kind_of(other)),
                )
            }
            None => return self.warn("features", "missing"),
        };
        for (i, f) in features.iter().enumerate() {
            self.feature(i, f, layer, plan);
        }
    }

    fn feature(&mut self, i: usize, f: &Json, layer: Layer, plan: &mut Plan) {
        let at = format!("features[{i}]");
        let skipped = "; feature skipped";
        let Some(fo) = f.as_object() else {
            return self.warn(
                at,
                format!("expected a Feature object, found {}{skipped}", kind_of(f)),
            );
        };
        match fo.get("type") {
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
        let props = match fo.get("properties") {
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
        let shapes = match fo.get("geometry") {
            None => return self.warn(format!("{at}.geometry"), format!("missing{skipped}")),
            Some(g) => match geometry::parse(g) {
                Ok(g) => g,
                Err((p, m)) => {
                    return self.warn(format!("{at}.geometry{p}"), format!("{m}{skipped}"))
                }
            },
        };
        let shapes = match self.fit_layer(&at, shapes, layer) {
            Some(s) => s,
            None => return,
        };
        let pp = |k: &str| format!("{at}.properties.{k}");
        // Ids: a manifest layer needs them (selection, deep links and values refer to them);
        // a bare file gets one made from its position.
        // Where the id was given: `properties.id` first, then the feature's own `id`.
        let (id_at, given) = match (props.get("id"), fo.get("id")) {
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
        if self.ids.contains(&id) {
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
            self.push_area(id, &common, role, polygons, props, plan, &pp);
        }
        if !lines.0.is_empty() || (only_null && layer == Layer::Lines) {
            let id = next_id("line");
            self.push_line(id, &common, lines, props, &pp, plan);
        }
        if !points.is_empty() {
            let id = next_id("point");
            self.push_points(id, &common, points, props, &pp, plan);
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
        plan: &mut Plan,
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
            self.values(props, plan, pp)
        } else {
            Vec::new()
        };
        let numbers = if self.manifest {
            Vec::new()
        } else {
            numbers(props)
        };
        let id = self.claim(id);
        plan.areas.push(Area {
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
        plan: &mut Plan,
    ) {
        let category = match opt_str(props, "category") {
            Ok(Some(c)) if plan.categories.is_empty() || plan.category(c).is_some() => c.to_owned(),
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
            self.ids.insert(id.clone());
        }
        for (k, p) in pts.into_iter().enumerate() {
            let id = if n == 1 {
                self.claim(id.clone())
            } else {
                self.claim(format!("{id}-{k}"))
            };
            plan.points.push(PointFeature {
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
        plan: &mut Plan,
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
        plan.lines.push(LineFeature {
            id,
            name: c.name.clone(),
            geometry,
            category,
            status: self.string(props, "status", pp),
            zone: self.string(props, "zone", pp),
            schematic,
            location,
            quote: c.quote.clone(),
            priority: self.priority(props, pp),
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

    fn values(
        &mut self,
        props: &Map<String, Json>,
        plan: &Plan,
        pp: &dyn Fn(&str) -> String,
    ) -> Vec<Value> {
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
            match value(v, plan) {
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
