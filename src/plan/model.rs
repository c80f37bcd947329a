//! The validated plan: what the rest of the crate draws. Nothing here can be malformed: the
//! loader has already rejected or skipped whatever was.

use super::text::Text;
use geo::{MultiLineString, MultiPolygon};
use serde::{Deserialize, Serialize};

/// A whole plan: its areas (district, zones, context), its points (projects, places), and the
/// definitions of the indicators whose values the areas carry.
#[derive(Clone, Debug, Default)]
pub struct Plan {
    /// The plan's title.
    pub title: Text,
    /// The document the plan's numbers come from, when a manifest names one.
    pub document: Option<Document>,
    /// The coordinate system every file uses (e.g. `GCJ-02`, `WGS-84`).
    pub crs: String,
    /// Credits to show wherever the map is shown or exported.
    pub credits: Vec<Text>,
    /// Indicator definitions, in the manifest's order.
    pub indicators: Vec<IndicatorDef>,
    /// Project categories, in the manifest's order (for a bare GeoJSON: none).
    pub categories: Vec<Category>,
    /// Polygonal features, drawn in order: context first, then the boundary, then zones.
    pub areas: Vec<Area>,
    /// Point features.
    pub points: Vec<PointFeature>,
    /// Line features (roads, rivers, corridors), drawn above the areas and below the points.
    pub lines: Vec<LineFeature>,
}

/// The source document of a plan.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Document {
    /// Its title.
    pub title: Text,
    /// The year of the version used.
    pub year: Option<i32>,
    /// Who issued it.
    pub issuer: Text,
}

/// What a larger value of an indicator means, so colour scales and progress bars read right.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// More is better (enterprises, green space).
    Better,
    /// Less is better (approval time, unemployment rate).
    Worse,
    /// Neither; just a quantity.
    Neutral,
}

/// The definition of one indicator.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct IndicatorDef {
    /// Stable id, used in values and in `setIndicator(id)`.
    pub id: String,
    /// Its name.
    pub name: Text,
    /// Its unit (e.g. 家, 亿元, 万平方米).
    pub unit: Text,
    /// What a larger value means.
    pub higher_is: Direction,
    /// A group for the panel (economy, innovation, livelihood …), when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
}

/// A category of points (a park, a heritage site …), with its map symbol.
#[derive(Clone, Debug, Serialize)]
pub struct Category {
    /// Stable id used by points.
    pub id: String,
    /// Its name in the legend.
    pub name: Text,
    /// The marker shape: `circle`, `square`, `diamond`, `triangle`, `star`, `cross`.
    pub symbol: String,
}

/// What an area is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AreaRole {
    /// Neighbouring districts: drawn quietly, not selectable.
    Context,
    /// The district itself; carries the district-wide indicator values.
    Boundary,
    /// A development zone of the plan.
    Zone,
    /// A polygon of a bare GeoJSON file.
    Area,
}

/// When a value was, and in which sense.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueKind {
    /// The value at the start (e.g. end of the 12th plan, 2015).
    Baseline,
    /// The value reached (e.g. 2020).
    Actual,
    /// A total over a period ending in `year`.
    Cumulative,
    /// The value planned for `year`.
    Target,
}

/// One number of the plan with its provenance.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Value {
    /// The indicator id (defined in the manifest).
    pub indicator: String,
    /// The number.
    pub value: f64,
    /// The year it refers to (the end year of a cumulative period).
    pub year: i32,
    /// Baseline, actual, cumulative or target.
    pub kind: ValueKind,
    /// The verbatim sentence of the plan that states it.
    pub source: String,
    /// The chapter and section of the plan, e.g. `第一章 第一节`.
    pub section: String,
    /// `true` when the plan gives it as a lower bound ("以上", "突破", "超").
    #[serde(default)]
    pub at_least: bool,
    /// `true` when the plan gives it as an upper bound ("以内", "控制在").
    #[serde(default)]
    pub at_most: bool,
    /// `true` when the plan says "约" (about).
    #[serde(default)]
    pub approximately: bool,
}

/// A fact about a feature shown in its panel: a label and a text (e.g. 主导产业 → quote).
#[derive(Clone, Debug, Serialize)]
pub struct Fact {
    /// What the fact is.
    pub label: Text,
    /// The fact itself.
    pub text: Text,
}

/// Provenance of a feature as a whole.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Quote {
    /// The verbatim text.
    pub source: String,
    /// Chapter and section.
    pub section: String,
}

/// A polygonal feature.
#[derive(Clone, Debug)]
pub struct Area {
    /// Stable id.
    pub id: String,
    /// Its name (may be empty for an unnamed polygon of a bare file).
    pub name: Text,
    /// What it is for.
    pub role: AreaRole,
    /// Its outline in lon/lat of the plan's coordinate system.
    pub geometry: MultiPolygon<f64>,
    /// `true` when the outline is a sketch (示意), not a published boundary.
    pub schematic: bool,
    /// Indicator values.
    pub values: Vec<Value>,
    /// Facts for its panel.
    pub facts: Vec<Fact>,
    /// Where the plan names it.
    pub quote: Option<Quote>,
    /// Numeric properties of a bare GeoJSON, colourable by `setIndicator(property)`.
    pub numbers: Vec<(String, f64)>,
    /// A `url` property: shown as a link only if it is http(s) (the element checks).
    pub link: Option<String>,
}

/// How well a point's position is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Location {
    /// Taken from a credited source.
    Surveyed,
    /// Placed by address or description; not to be read as a survey.
    Approximate,
}

/// A point feature (a project, park, heritage site …).
#[derive(Clone, Debug)]
pub struct PointFeature {
    /// Stable id.
    pub id: String,
    /// Its name.
    pub name: Text,
    /// Its position in lon/lat.
    pub lonlat: [f64; 2],
    /// A category id (empty when the data has none).
    pub category: String,
    /// Its status as the plan states it (建成运营 / 在建 / 规划 …), as a code.
    pub status: Option<String>,
    /// The zone it belongs to, when it lies in one.
    pub zone: Option<String>,
    /// How well its position is known.
    pub location: Location,
    /// Where the plan names it.
    pub quote: Option<Quote>,
    /// Label priority: higher shows first when labels collide.
    pub priority: i32,
    /// Facts for its panel.
    pub facts: Vec<Fact>,
    /// A `url` property: shown as a link only if it is http(s) (the element checks).
    pub link: Option<String>,
}

/// A linear feature: a road, a bridge, a canal, a corridor's axis (LineString,
/// MultiLineString, or the lines of a GeometryCollection).
#[derive(Clone, Debug)]
pub struct LineFeature {
    /// Stable id.
    pub id: String,
    /// Its name.
    pub name: Text,
    /// Its course in lon/lat; empty when the feature's geometry is null (listed, not drawn).
    pub geometry: MultiLineString<f64>,
    /// What it is, for its style: `road`, `water`, `rail` … (see [`LineFeature::style_class`]);
    /// empty when the data has none.
    pub category: String,
    /// Its status as the plan states it (`planned`, `under_construction` …), as a code.
    pub status: Option<String>,
    /// The zone it belongs to, only where the plan's text says so.
    pub zone: Option<String>,
    /// `true` when the course is a sketch (示意): drawn dashed.
    pub schematic: bool,
    /// How well its course is known.
    pub location: Location,
    /// Where the plan names it.
    pub quote: Option<Quote>,
    /// Label priority: higher shows first when labels collide.
    pub priority: i32,
    /// Facts for its panel.
    pub facts: Vec<Fact>,
    /// Numeric properties of a bare GeoJSON, shown in its panel.
    pub numbers: Vec<(String, f64)>,
    /// A `url` property: shown as a link only if it is http(s) (the element checks).
    pub link: Option<String>,
}

/// The style classes of lines: each drawn differently, so a river never reads as a road.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LineClass {
    /// Streets, roads, bridges, underpasses, tunnels.
    Road,
    /// Rivers, canals, streams.
    Water,
    /// Railways, metro lines.
    Rail,
    /// Anything else (a corridor's axis, a boundary line).
    Other,
}

impl LineFeature {
    /// The style class of its category: `road` `street` `bridge` `underpass` `tunnel` →
    /// road; `water` `river` `canal` `stream` → water; `rail` `railway` `metro` → rail.
    pub fn style_class(&self) -> LineClass {
        match self.category.as_str() {
            "road" | "street" | "bridge" | "underpass" | "tunnel" | "highway" => LineClass::Road,
            "water" | "river" | "canal" | "stream" | "waterway" => LineClass::Water,
            "rail" | "railway" | "metro" => LineClass::Rail,
            _ => LineClass::Other,
        }
    }

    /// `true` when it is drawn dashed: a sketched course or a line not yet built.
    pub fn dashed(&self) -> bool {
        self.schematic || self.status.as_deref() == Some("planned")
    }
}

impl Plan {
    /// The definition of indicator `id`.
    pub fn indicator(&self, id: &str) -> Option<&IndicatorDef> {
        self.indicators.iter().find(|d| d.id == id)
    }

    /// The area with `id`.
    pub fn area(&self, id: &str) -> Option<&Area> {
        self.areas.iter().find(|a| a.id == id)
    }

    /// The point with `id`.
    pub fn point(&self, id: &str) -> Option<&PointFeature> {
        self.points.iter().find(|p| p.id == id)
    }

    /// The line with `id`.
    pub fn line(&self, id: &str) -> Option<&LineFeature> {
        self.lines.iter().find(|l| l.id == id)
    }

    /// `true` when anything has a shape to draw (a file of null geometries has none).
    pub fn has_shapes(&self) -> bool {
        self.areas
            .iter()
            .any(|a| a.role != AreaRole::Context && !a.geometry.0.is_empty())
            || !self.points.is_empty()
            || self.lines.iter().any(|l| !l.geometry.0.is_empty())
    }

    /// The category with `id`.
    pub fn category(&self, id: &str) -> Option<&Category> {
        self.categories.iter().find(|c| c.id == id)
    }

    /// Every value of the plan with the id of the area that carries it, boundary first.
    pub fn all_values(&self) -> impl Iterator<Item = (&Area, &Value)> {
        self.areas
            .iter()
            .flat_map(|a| a.values.iter().map(move |v| (a, v)))
    }

    /// `true` when any area is marked schematic, so the map must say 示意.
    pub fn has_schematic(&self) -> bool {
        self.areas.iter().any(|a| a.schematic) || self.lines.iter().any(|l| l.schematic)
    }
}
