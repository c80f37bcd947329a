//! The JSON the element reads for its feature list, legend and details panel.
//!
//! Written as text key by key through [`Out`], a handful of small calls per field.
//! `serde_json::json!` trees (a `Value` built, inserted and dropped per key, one `to_value`
//! per field type) made the map's wasm 2.3 KB gzipped larger (209.5 against 207.2 KB, `cargo
//! xtask dist`), and `#[derive(Serialize)]` structs (one serializer per struct) larger still
//! (210.8 KB). serde_json still writes every string and number, so escaping and float text
//! are its own. Keys go in alphabetical order: the text is
//! byte for byte what the former `Value` maps (sorted by key) printed.

use super::PlanView;
use crate::geom::Hit;
use crate::plan::{AreaRole, Fact, Lang, Quote};
use crate::scene::{category_style, line_styles, zone_color, Theme};
use serde::Serialize;

/// JSON text being written. Every value and key starts with [`Out::sep`], which puts the comma
/// between siblings, so callers only say what comes next.
struct Out(String);

impl Out {
    fn sep(&mut self) {
        if !matches!(self.0.as_bytes().last(), None | Some(b'{' | b'[' | b':')) {
            self.0.push(',');
        }
    }
    /// `"key":` (keys here are plain ASCII literals, nothing to escape).
    fn k(&mut self, key: &str) -> &mut Self {
        self.sep();
        self.0.push('"');
        self.0.push_str(key);
        self.0.push_str("\":");
        self
    }
    fn open(&mut self, c: char) -> &mut Self {
        self.sep();
        self.0.push(c);
        self
    }
    fn close(&mut self, c: char) -> &mut Self {
        self.0.push(c);
        self
    }
    /// A string, number or unit enum, as serde_json writes it (a non-finite float is `null`).
    fn v<T: Serialize + ?Sized>(&mut self, v: &T) -> &mut Self {
        self.sep();
        self.0
            .push_str(&serde_json::to_string(v).unwrap_or_default());
        self
    }
    fn s(&mut self, v: &str) -> &mut Self {
        self.v(v)
    }
    fn os(&mut self, v: Option<&str>) -> &mut Self {
        match v {
            Some(v) => self.s(v),
            None => self.raw("null"),
        }
    }
    fn n(&mut self, v: f64) -> &mut Self {
        self.v(&v)
    }
    fn u(&mut self, v: usize) -> &mut Self {
        self.sep();
        self.0.push_str(&v.to_string());
        self
    }
    fn b(&mut self, v: bool) -> &mut Self {
        self.raw(if v { "true" } else { "false" })
    }
    fn raw(&mut self, text: &str) -> &mut Self {
        self.sep();
        self.0.push_str(text);
        self
    }
    /// `[{"label":…,"text":…},…]`
    fn facts(&mut self, fs: &[Fact], lang: Lang) -> &mut Self {
        self.open('[');
        for x in fs {
            self.open('{')
                .k("label")
                .s(x.label.get(lang))
                .k("text")
                .s(x.text.get(lang))
                .close('}');
        }
        self.close(']')
    }
    /// `{"section":…,"source":…}` or `null`.
    fn quote(&mut self, q: &Option<Quote>) -> &mut Self {
        match q {
            Some(q) => self
                .open('{')
                .k("section")
                .s(&q.section)
                .k("source")
                .s(&q.source)
                .close('}'),
            None => self.raw("null"),
        }
    }
    /// `[[name, value],…]`
    fn numbers(&mut self, ns: &[(String, f64)]) -> &mut Self {
        self.open('[');
        for (k, v) in ns {
            self.open('[').s(k).n(*v).close(']');
        }
        self.close(']')
    }
    /// `[{"id":…,"name":…},…]`
    fn named<'a>(&mut self, items: impl Iterator<Item = (&'a str, &'a str)>) -> &mut Self {
        self.open('[');
        for (id, name) in items {
            self.open('{').k("id").s(id).k("name").s(name).close('}');
        }
        self.close(']')
    }
}

impl PlanView {
    /// The plan's features for the element's accessible list and legend, as JSON text.
    pub fn features_json(&self) -> String {
        let lang = self.view.lang;
        let plan = &self.plan;
        let theme = Theme::of(self.view.theme).with(&self.view.overrides);
        let mut o = Out(String::new());
        o.open('{').k("areas").open('[');
        for (i, a) in plan.areas.iter().enumerate() {
            if a.role == AreaRole::Context {
                continue;
            }
            let f = self.describe(Hit::Area(i));
            let color = if a.role == AreaRole::Zone {
                zone_color(plan, &theme, i).to_string()
            } else {
                String::new()
            };
            o.open('{')
                .k("color")
                .s(&color)
                .k("id")
                .s(&f.id)
                .k("kind")
                .s(f.kind)
                .k("name")
                .s(&f.name)
                .k("schematic")
                .b(a.schematic)
                .k("values")
                .u(a.values.len())
                .close('}');
        }
        o.close(']').k("categories").open('[');
        let mut per_category: std::collections::HashMap<&str, usize> = Default::default();
        for p in &plan.points {
            *per_category.entry(p.category.as_str()).or_default() += 1;
        }
        for c in &plan.categories {
            o.open('{')
                .k("color")
                .s(&category_style(plan, &c.id).0.to_string())
                .k("count")
                .u(per_category.get(c.id.as_str()).copied().unwrap_or(0))
                .k("id")
                .s(&c.id)
                .k("name")
                .s(c.name.get(lang))
                .k("symbol")
                .s(&c.symbol)
                .close('}');
        }
        o.close(']').k("credits").open('[');
        for c in &plan.credits {
            o.s(c.get(lang));
        }
        o.close(']').k("crs").s(&plan.crs).k("document");
        match &plan.document {
            Some(d) => {
                o.open('{')
                    .k("issuer")
                    .s(d.issuer.get(lang))
                    .k("title")
                    .s(d.title.get(lang))
                    .k("year");
                match d.year {
                    Some(y) => o.v(&y),
                    None => o.raw("null"),
                };
                o.close('}');
            }
            None => {
                o.raw("null");
            }
        }
        o.k("drawable")
            .b(plan.has_shapes())
            .k("indicators")
            .open('[');
        for d in &plan.indicators {
            o.open('{')
                .k("group")
                .os(d.group.as_deref())
                .k("id")
                .s(&d.id)
                .k("name")
                .s(d.name.get(lang))
                .k("unit")
                .s(d.unit.get(lang))
                .close('}');
        }
        o.close(']').k("lines").open('[');
        for l in &plan.lines {
            let (casing, stroke) = line_styles(l, &theme);
            o.open('{')
                .k("casing")
                .s(&casing.color.to_string())
                .k("category")
                .s(&l.category)
                .k("class")
                .v(&l.style_class())
                .k("color")
                .s(&stroke.color.to_string())
                .k("dashed")
                .b(stroke.dash.is_some())
                .k("drawn")
                .b(!l.geometry.0.is_empty())
                .k("id")
                .s(&l.id)
                .k("kind")
                .s("line")
                .k("name")
                .s(l.name.get(lang))
                .k("schematic")
                .b(l.schematic)
                .k("status")
                .os(l.status.as_deref())
                .k("zone")
                .os(l.zone.as_deref())
                .close('}');
        }
        o.close(']').k("points").open('[');
        for p in &plan.points {
            o.open('{')
                .k("category")
                .s(&p.category)
                .k("id")
                .s(&p.id)
                .k("kind")
                .s("project")
                .k("name")
                .s(p.name.get(lang))
                .k("status")
                .os(p.status.as_deref())
                .k("zone")
                .os(p.zone.as_deref())
                .close('}');
        }
        o.close(']')
            .k("schematic")
            .b(plan.has_schematic())
            .k("statuses")
            .open('[');
        // Counted in one pass each: 100,000 points with as many statuses must stay linear.
        let mut statuses: Vec<(&str, usize)> = Vec::new();
        let mut at: std::collections::HashMap<&str, usize> = Default::default();
        for s in plan.points.iter().filter_map(|p| p.status.as_deref()) {
            let k = *at.entry(s).or_insert_with(|| {
                statuses.push((s, 0));
                statuses.len() - 1
            });
            statuses[k].1 += 1;
        }
        for (s, n) in statuses {
            o.open('{').k("count").u(n).k("id").s(s).close('}');
        }
        o.close(']')
            .k("title")
            .s(plan.title.get(lang))
            .k("warnings")
            .open('[');
        for w in &self.warnings {
            o.s(w);
        }
        o.close(']').close('}');
        o.0
    }

    /// Everything the details panel shows about a feature, as JSON text.
    pub fn details_json(&self, hit: Hit) -> String {
        let lang = self.view.lang;
        let plan = &self.plan;
        let f = self.describe(hit);
        let zone_name = |z: &Option<String>| {
            z.as_deref()
                .and_then(|z| plan.area(z))
                .map(|a| a.name.get(lang))
        };
        let mut o = Out(String::new());
        o.open('{');
        match hit {
            Hit::Area(i) => {
                let a = &plan.areas[i];
                let in_zone = |z: &Option<String>| z.as_deref() == Some(&a.id);
                o.k("facts")
                    .facts(&a.facts, lang)
                    .k("id")
                    .s(&f.id)
                    .k("kind")
                    .s(f.kind)
                    .k("lines")
                    .named(
                        plan.lines
                            .iter()
                            .filter(|l| in_zone(&l.zone))
                            .map(|l| (l.id.as_str(), l.name.get(lang))),
                    )
                    .k("link")
                    .os(a.link.as_deref())
                    .k("name")
                    .s(&f.name)
                    .k("numbers")
                    .numbers(&a.numbers)
                    .k("projects")
                    .named(
                        plan.points
                            .iter()
                            .filter(|p| in_zone(&p.zone))
                            .map(|p| (p.id.as_str(), p.name.get(lang))),
                    )
                    .k("quote")
                    .quote(&a.quote)
                    .k("schematic")
                    .b(a.schematic)
                    .k("values")
                    .open('[');
                for v in &a.values {
                    let def = plan.indicator(&v.indicator);
                    o.open('{')
                        .k("approximately")
                        .b(v.approximately)
                        .k("at_least")
                        .b(v.at_least)
                        .k("at_most")
                        .b(v.at_most)
                        .k("indicator")
                        .s(&v.indicator)
                        .k("kind")
                        .v(&v.kind)
                        .k("name")
                        .os(def.map(|d| d.name.get(lang)))
                        .k("section")
                        .s(&v.section)
                        .k("source")
                        .s(&v.source)
                        .k("unit")
                        .os(def.map(|d| d.unit.get(lang)))
                        .k("value")
                        .n(v.value)
                        .k("year")
                        .v(&v.year)
                        .close('}');
                }
                o.close(']');
            }
            Hit::Point(i) => {
                let p = &plan.points[i];
                o.k("category")
                    .os(plan.category(&p.category).map(|c| c.name.get(lang)))
                    .k("facts")
                    .facts(&p.facts, lang)
                    .k("id")
                    .s(&f.id)
                    .k("kind")
                    .s(f.kind)
                    .k("link")
                    .os(p.link.as_deref())
                    .k("location")
                    .v(&p.location)
                    .k("lonlat")
                    .open('[')
                    .n(p.lonlat[0])
                    .n(p.lonlat[1])
                    .close(']')
                    .k("name")
                    .s(&f.name)
                    .k("quote")
                    .quote(&p.quote)
                    .k("status")
                    .os(p.status.as_deref())
                    .k("zone")
                    .os(zone_name(&p.zone));
            }
            Hit::Line(i) => {
                let l = &plan.lines[i];
                o.k("category")
                    .s(&l.category)
                    .k("class")
                    .v(&l.style_class())
                    .k("drawn")
                    .b(!l.geometry.0.is_empty())
                    .k("facts")
                    .facts(&l.facts, lang)
                    .k("id")
                    .s(&f.id)
                    .k("kind")
                    .s(f.kind)
                    .k("link")
                    .os(l.link.as_deref())
                    .k("location")
                    .v(&l.location)
                    .k("name")
                    .s(&f.name)
                    .k("numbers")
                    .numbers(&l.numbers)
                    .k("quote")
                    .quote(&l.quote)
                    .k("schematic")
                    .b(l.schematic)
                    .k("status")
                    .os(l.status.as_deref())
                    .k("zone")
                    .os(zone_name(&l.zone));
            }
        }
        o.close('}');
        o.0
    }
}
