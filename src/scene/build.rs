//! Plan + view state → [`Scene`]: every shape, marker and label of one frame, styled and placed,
//! in the order they are drawn. The canvas, the SVG export and the tests all draw this.

use super::color::{sequential, Color};
use super::lines::{line_styles, LineStyle};
use super::theme::{Theme, ThemeName};
use crate::geom::{
    centered, place_into, Bounds, Hit, LabelRequest, MeasureText, Occupied, ProjectedPlan, Viewport,
};
use crate::plan::{Area, AreaRole, Lang, LineFeature, Plan, ValueKind};

/// Everything about the view that the user can change.
#[derive(Clone, Debug)]
pub struct ViewState {
    /// What part of the map is shown.
    pub viewport: Viewport,
    /// Light, dark or contrast.
    pub theme: ThemeName,
    /// The language of labels.
    pub lang: Lang,
    /// The selected feature.
    pub selected: Option<Hit>,
    /// The feature under a mouse pointer.
    pub hovered: Option<Hit>,
    /// The feature reached by Tab.
    pub focused: Option<Hit>,
    /// Hidden layers: `zones`, `lines`, or a category id of points.
    pub hidden: Vec<String>,
    /// The indicator colouring the areas (a choropleth), if any.
    pub indicator: Option<String>,
    /// The year shown: values of that year colour the map. `None`: the latest actual value.
    pub year: Option<i32>,
    /// The year shown before the last switch, while the colours move from it to `year`.
    pub year_from: Option<i32>,
    /// How far the move from `year_from` to `year` has gone, 0 to 1 (1: settled).
    pub blend: f64,
    /// Hatch zones as well as colouring them, for print and colour-vision deficiency.
    pub patterns: bool,
    /// Point names show from this zoom on (selected, focused and priority ≥ 3 always).
    pub detail_zoom: f64,
    /// Colours the page set with CSS custom properties.
    pub overrides: super::theme::Overrides,
    /// A basemap is drawn under the plan: the district and its neighbours lose their fills and
    /// zones get lighter, so the streets show through.
    pub basemap: bool,
    /// Device pixels per CSS pixel of the surface drawn on. Levels of detail are chosen in CSS
    /// pixels (device pixels only where those are larger), so every screen draws the same
    /// outline, each at its own resolution.
    pub dpr: f64,
    /// Rectangles of the canvas (CSS pixels) under the element's own buttons, toggles and
    /// notes: no label is placed there, where it would be cut off or hidden (an English zone
    /// name ran under the zoom buttons on a phone).
    pub chrome: Vec<Bounds>,
}

impl ViewState {
    /// A default view of `size` CSS pixels.
    pub fn new(size: [f64; 2]) -> ViewState {
        ViewState {
            viewport: Viewport {
                center: [0.0, 0.0],
                zoom: 2.0,
                size,
            },
            theme: ThemeName::Light,
            lang: Lang::Zh,
            selected: None,
            hovered: None,
            focused: None,
            hidden: Vec::new(),
            indicator: None,
            year: None,
            year_from: None,
            blend: 1.0,
            patterns: false,
            detail_zoom: 0.0,
            overrides: Default::default(),
            basemap: false,
            dpr: 1.0,
            chrome: Vec::new(),
        }
    }

    /// `true` when layer `key` is shown.
    pub fn shows(&self, key: &str) -> bool {
        !self.hidden.iter().any(|h| h == key)
    }

    /// `true` when line `l` is shown: the `lines` layer is on and its status is not hidden.
    pub fn shows_line(&self, l: &LineFeature) -> bool {
        self.shows("lines")
            && l.status
                .as_ref()
                .is_none_or(|s| self.shows(&format!("status:{s}")))
    }

    /// `true` when point `p` is shown: neither its category nor its status (`status:planned`
    /// …) is hidden.
    pub fn shows_point(&self, p: &crate::plan::PointFeature) -> bool {
        self.shows(&p.category)
            && p.status
                .as_ref()
                .is_none_or(|s| self.shows(&format!("status:{s}")))
    }
}

/// How an area is filled.
#[derive(Clone, Debug, PartialEq)]
pub enum Paint {
    /// Not filled.
    None,
    /// One colour.
    Solid(Color),
    /// Parallel lines over a background: the "no data" fill, and the pattern option of zones.
    Hatch {
        /// Under the lines.
        background: Color,
        /// The lines.
        line: Color,
        /// Their angle in degrees.
        angle: f64,
    },
}

/// How an area is drawn.
#[derive(Clone, Debug, PartialEq)]
pub struct AreaStyle {
    /// Its fill.
    pub fill: Paint,
    /// Its outline colour, if outlined.
    pub stroke: Option<Color>,
    /// Outline width in CSS pixels.
    pub stroke_width: f64,
    /// A dashed outline: schematic (示意) boundaries and keyboard focus.
    pub dashed: bool,
}

/// Marker shapes; each category has its own, so markers differ in more than colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Symbol {
    /// ●
    Circle,
    /// ■
    Square,
    /// ◆
    Diamond,
    /// ▲
    Triangle,
    /// ★
    Star,
    /// ✚
    Cross,
}

impl Symbol {
    /// Reads a category's `symbol`.
    pub fn parse(s: &str) -> Symbol {
        match s {
            "square" => Symbol::Square,
            "diamond" => Symbol::Diamond,
            "triangle" => Symbol::Triangle,
            "star" => Symbol::Star,
            "cross" => Symbol::Cross,
            _ => Symbol::Circle,
        }
    }

    /// The outline of the symbol around `c` with "radius" `r`, in screen pixels (a circle
    /// returns no vertices: surfaces draw it natively).
    pub fn outline(self, c: [f64; 2], r: f64) -> Vec<[f64; 2]> {
        let poly = |pts: &[(f64, f64)]| {
            pts.iter()
                .map(|(x, y)| [c[0] + x * r, c[1] + y * r])
                .collect()
        };
        match self {
            Symbol::Circle => Vec::new(),
            Symbol::Square => poly(&[(-0.85, -0.85), (0.85, -0.85), (0.85, 0.85), (-0.85, 0.85)]),
            Symbol::Diamond => poly(&[(0.0, -1.2), (1.2, 0.0), (0.0, 1.2), (-1.2, 0.0)]),
            Symbol::Triangle => poly(&[(0.0, -1.2), (1.1, 0.85), (-1.1, 0.85)]),
            Symbol::Cross => poly(&[
                (-0.35, -1.0),
                (0.35, -1.0),
                (0.35, -0.35),
                (1.0, -0.35),
                (1.0, 0.35),
                (0.35, 0.35),
                (0.35, 1.0),
                (-0.35, 1.0),
                (-0.35, 0.35),
                (-1.0, 0.35),
                (-1.0, -0.35),
                (-0.35, -0.35),
            ]),
            Symbol::Star => (0..10)
                .map(|k| {
                    let a = -std::f64::consts::FRAC_PI_2 + k as f64 * std::f64::consts::PI / 5.0;
                    let rr = if k % 2 == 0 { 1.3 * r } else { 0.55 * r };
                    [c[0] + rr * a.cos(), c[1] + rr * a.sin()]
                })
                .collect(),
        }
    }
}

/// Horizontal alignment of text at its anchor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    /// Anchor at the left end.
    Start,
    /// Anchor in the middle.
    Center,
    /// Anchor at the right end.
    End,
}

/// One drawing instruction of a frame. Areas are in projected metres (drawn through
/// [`Scene::transform`]); everything else is in CSS pixels.
#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    /// `plan.areas[index]`.
    Area {
        /// Index into the plan's areas (and the projected geometry).
        index: usize,
        /// Level of detail to draw it at (0 = full; see `ProjectedPlan::lod_for`).
        lod: usize,
        /// How to draw it.
        style: AreaStyle,
        /// The layer it belongs to (context, boundary, areas, zones), whose areas tile the
        /// plane without overlapping: consecutive items of one layer are drawn together, every
        /// fill of a colour as one path, then every border once (a border between two of them
        /// in the later one's stroke). `None`: drawn alone, its whole ring (highlight outlines).
        layer: Option<u8>,
    },
    /// `plan.lines[index]`, stroked in CSS pixels through [`Scene::transform`]. A line is
    /// two items: its casing, then (after every casing, so crossings read) its stroke.
    Line {
        /// Index into the plan's lines (and the projected geometry).
        index: usize,
        /// Level of detail to draw it at.
        lod: usize,
        /// How to stroke it.
        style: LineStyle,
        /// The line's name on its main stroke (an SVG `<title>`), so an export names it even
        /// where its label had no room.
        title: Option<String>,
    },
    /// A point symbol.
    Marker {
        /// Its centre.
        at: [f64; 2],
        /// Its shape.
        symbol: Symbol,
        /// Its size.
        radius: f64,
        /// Its fill.
        fill: Color,
        /// Its outline.
        stroke: Color,
        /// Outline width.
        stroke_width: f64,
    },
    /// A line of text, vertically centred on `at`.
    Label {
        /// The anchor.
        at: [f64; 2],
        /// The text, drawn as text (never markup).
        text: String,
        /// Font size in CSS pixels.
        size: f64,
        /// Fill colour.
        color: Color,
        /// A halo behind the glyphs for contrast over the map.
        halo: Option<Color>,
        /// Bold.
        bold: bool,
        /// Where the anchor is on the text.
        align: Align,
    },
    /// A basemap tile (or the part of a stretched ancestor standing in for one), under
    /// everything else. The image is the browser's; surfaces without it draw nothing.
    Tile {
        /// The basemap layer (streets 0, labels 1).
        layer: u8,
        /// The tile whose image is drawn.
        tile: crate::basemap::TileId,
        /// The part of the image drawn, as fractions `[x, y, width, height]`.
        src: [f64; 4],
        /// Where, in CSS pixels.
        dst: Bounds,
    },
    /// An open polyline in CSS pixels (the line swatches of an export's legend).
    Polyline {
        /// Its vertices.
        points: Vec<[f64; 2]>,
        /// Its colour.
        color: Color,
        /// Its width.
        width: f64,
    },
    /// A rectangle (legend and caption backgrounds in exports).
    Rect {
        /// Where.
        bounds: Bounds,
        /// Fill.
        fill: Color,
        /// Outline.
        stroke: Option<Color>,
    },
}

/// One frame: the canvas size, its background, the projected → screen transform and the items.
#[derive(Clone, Debug, PartialEq)]
pub struct Scene {
    /// Canvas size in CSS pixels.
    pub size: [f64; 2],
    /// Background colour.
    pub background: Color,
    /// `setTransform` numbers mapping projected metres to CSS pixels.
    pub transform: [f64; 6],
    /// What to draw, in order.
    pub items: Vec<Item>,
    /// What the areas were culled to, in projected metres (borders are culled to it too): the
    /// view with a margin on screen, so small steps keep the same set; exactly the view in an
    /// export, which holds only what shows.
    pub drawn: Bounds,
}

impl Scene {
    /// The texts of all labels, in drawing order (for tests and the accessible summary).
    pub fn label_texts(&self) -> Vec<&str> {
        self.items
            .iter()
            .filter_map(|i| {
                if let Item::Label { text, .. } = i {
                    Some(text.as_str())
                } else {
                    None
                }
            })
            .collect()
    }
}

/// Marker colours per category (Paul Tol's "bright" scheme, colour-blind safe), dark enough
/// for a white outline.
const CATEGORY_COLORS: [u32; 7] = [
    0x4477AA, 0xEE6677, 0x228833, 0xCCBB44, 0x66CCEE, 0xAA3377, 0x555555,
];

/// The marker colour and symbol of category `id` in `plan`.
pub fn category_style(plan: &Plan, id: &str) -> (Color, Symbol) {
    match plan.categories.iter().position(|c| c.id == id) {
        Some(k) => (
            Color::hex(CATEGORY_COLORS[k % CATEGORY_COLORS.len()]),
            Symbol::parse(&plan.categories[k].symbol),
        ),
        None => (Color::hex(CATEGORY_COLORS[0]), Symbol::Circle),
    }
}

/// The colour of zone `index` (its rank among the plan's zones).
pub fn zone_color(plan: &Plan, theme: &Theme, index: usize) -> Color {
    let rank = plan.areas[..index]
        .iter()
        .filter(|a| a.role == AreaRole::Zone)
        .count();
    theme.zones[rank % theme.zones.len()]
}

/// The value an area shows for `indicator` in `year` (`None`: the latest value that is not a
/// target, else the target). Bare GeoJSON areas answer from their numeric properties.
pub fn value_of(area: &Area, indicator: &str, year: Option<i32>) -> Option<f64> {
    if let Some((_, n)) = area.numbers.iter().find(|(k, _)| k == indicator) {
        return Some(*n);
    }
    let mut vals: Vec<_> = area
        .values
        .iter()
        .filter(|v| v.indicator == indicator)
        .collect();
    match year {
        Some(y) => vals.iter().find(|v| v.year == y).map(|v| v.value),
        None => {
            crate::order::sort_by(&mut vals, &|a, b| {
                (a.kind != ValueKind::Target, a.year).cmp(&(b.kind != ValueKind::Target, b.year))
            });
            vals.last().map(|v| v.value)
        }
    }
}

/// The range of `indicator` over the colourable areas, for the legend and the scale.
pub fn value_range(plan: &Plan, indicator: &str, year: Option<i32>) -> Option<(f64, f64)> {
    let vals: Vec<f64> = plan
        .areas
        .iter()
        .filter(|a| colourable(a))
        .filter_map(|a| value_of(a, indicator, year))
        .collect();
    let lo = vals.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = vals.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    (lo <= hi).then_some((lo, hi))
}

/// `b` grown by `m` on every side.
fn expand(b: &Bounds, m: f64) -> Bounds {
    Bounds {
        min: [b.min[0] - m, b.min[1] - m],
        max: [b.max[0] + m, b.max[1] + m],
    }
}

/// Where a line's label may go: points every `step` CSS pixels along the part of the line
/// that is on screen, the middle of the longest visible stretch first, each with whether the
/// line runs across (more horizontal than vertical) there. At most 16.
fn label_spots(
    course: &geo::MultiLineString<f64>,
    vp: &Viewport,
    step: f64,
) -> Vec<([f64; 2], bool)> {
    let step = step.max(24.0);
    let inside =
        |p: [f64; 2]| p[0] >= 0.0 && p[1] >= 0.0 && p[0] <= vp.size[0] && p[1] <= vp.size[1];
    // Runs of consecutive on-screen samples; the longest is where the name reads best.
    let mut runs: Vec<Vec<([f64; 2], bool)>> = Vec::new();
    for part in &course.0 {
        let mut run = Vec::new();
        let mut carry = step / 2.0;
        for seg in part.lines() {
            let a = vp.to_screen([seg.start.x, seg.start.y]);
            let b = vp.to_screen([seg.end.x, seg.end.y]);
            let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
            let len = dx.hypot(dy);
            let mut d = carry;
            while d <= len {
                let p = [a[0] + dx * d / len, a[1] + dy * d / len];
                if inside(p) {
                    run.push((p, dx.abs() >= dy.abs()));
                } else if !run.is_empty() {
                    runs.push(std::mem::take(&mut run));
                }
                d += step;
            }
            carry = d - len;
        }
        if !run.is_empty() {
            runs.push(run);
        }
    }
    let Some(best) = runs.into_iter().max_by_key(Vec::len) else {
        return Vec::new();
    };
    let mid = best.len() / 2;
    let mut order: Vec<usize> = (0..best.len()).collect();
    crate::order::sort_by(&mut order, &|a, b| a.abs_diff(mid).cmp(&b.abs_diff(mid)));
    order.into_iter().take(16).map(|k| best[k]).collect()
}

/// The font sizes an area's name is tried at, largest first (it shrinks to fit among the
/// others), for an area of `role` under a theme's `font_scale`; `None` for a role whose name is
/// never shown. A streamed plan's names are measured at these as the batches arrive, so its
/// first frame measures none (issue 13).
pub fn area_label_sizes(role: AreaRole, font_scale: f64) -> Option<[f64; 3]> {
    let size = match role {
        AreaRole::Zone => 15.0,
        AreaRole::Area => 13.0,
        AreaRole::Context => 12.0,
        AreaRole::Boundary => return None,
    } * font_scale;
    Some([size, size * 0.85, size * 0.72])
}

fn colourable(a: &Area) -> bool {
    matches!(a.role, AreaRole::Zone | AreaRole::Area)
}

/// Builds the frame for `view`.
pub fn build(
    plan: &Plan,
    proj: &ProjectedPlan,
    view: &ViewState,
    measure: &dyn MeasureText,
) -> Scene {
    let theme = Theme::of(view.theme).with(&view.overrides);
    let vp = &view.viewport;
    let visible = vp.visible();
    // Areas are drawn a little beyond the view, so small steps keep the same set (and paths).
    let drawn = visible.snapped_for_culling();
    let mut items = Vec::new();
    let range = view
        .indicator
        .as_deref()
        .and_then(|id| value_range(plan, id, view.year));
    let dpr = if view.dpr.is_finite() && view.dpr > 0.0 {
        view.dpr
    } else {
        1.0
    };
    // Within a CSS pixel (a device pixel where those are larger): see `LOD_MAX_ERROR_PX`.
    let lod = ProjectedPlan::lod_for(vp.scale() * dpr.min(1.0));
    // Over streets a zone's colour must let them through: about a third lighter.
    let zone_alpha = if view.basemap {
        theme.zone_alpha * 0.7
    } else {
        theme.zone_alpha
    };
    let no_data = Paint::Hatch {
        background: theme.background,
        line: theme.muted.alpha(0.6),
        angle: 45.0,
    };

    for (i, a) in plan.areas.iter().enumerate() {
        if !proj.area_bounds[i].intersects(&drawn)
            || (a.role == AreaRole::Zone && !view.shows("zones"))
        {
            continue;
        }
        let style = match a.role {
            AreaRole::Context | AreaRole::Boundary if view.basemap => AreaStyle {
                fill: Paint::None,
                stroke: Some(if a.role == AreaRole::Boundary {
                    theme.boundary_stroke
                } else {
                    theme.context_stroke
                }),
                stroke_width: if a.role == AreaRole::Boundary {
                    2.5
                } else {
                    1.0
                },
                dashed: false,
            },
            AreaRole::Context => AreaStyle {
                fill: Paint::Solid(theme.context_fill),
                stroke: Some(theme.context_stroke),
                stroke_width: 1.0,
                dashed: false,
            },
            AreaRole::Boundary => AreaStyle {
                fill: Paint::Solid(theme.boundary_fill),
                stroke: Some(theme.boundary_stroke),
                stroke_width: 2.0,
                dashed: false,
            },
            AreaRole::Zone | AreaRole::Area => {
                let base = if a.role == AreaRole::Zone {
                    zone_color(plan, &theme, i)
                } else {
                    theme.zones[1]
                };
                let fill = match (&view.indicator, range) {
                    (Some(id), Some((lo, hi))) => {
                        // Halved first: near ±1.8e308 the plain difference overflows to infinity.
                        let t = |v: f64| {
                            if hi > lo {
                                ((v * 0.5 - lo * 0.5) / (hi * 0.5 - lo * 0.5)).clamp(0.0, 1.0)
                            } else {
                                1.0
                            }
                        };
                        match (value_of(a, id, view.year), value_of(a, id, view.year_from)) {
                            (Some(v), Some(w)) if view.blend < 1.0 => Paint::Solid(
                                sequential(t(w)).mix(&sequential(t(v)), view.blend.clamp(0.0, 1.0)),
                            ),
                            (Some(v), _) => Paint::Solid(sequential(t(v))),
                            (None, _) => no_data.clone(),
                        }
                    }
                    (Some(_), None) => no_data.clone(),
                    (None, _) if view.patterns => {
                        let rank = plan.areas[..i].iter().filter(|x| x.role == a.role).count();
                        Paint::Hatch {
                            background: base.alpha(zone_alpha),
                            line: base,
                            angle: [45.0, -45.0, 0.0, 90.0, 22.5, -67.5, 67.5][rank % 7],
                        }
                    }
                    (None, _) => Paint::Solid(base.alpha(zone_alpha)),
                };
                AreaStyle {
                    fill,
                    stroke: Some(base.mix(&theme.text, 0.35)),
                    stroke_width: 1.5,
                    dashed: a.schematic,
                }
            }
        };
        items.push(Item::Area {
            index: i,
            lod,
            style,
            layer: Some(a.role as u8),
        });
    }
    // Highlight outlines go on top of every fill, so a neighbour never hides them.
    for (hit, color, width, dashed) in [
        (view.hovered, theme.text, 2.0, false),
        (view.focused, theme.focus, 3.0, true),
        (view.selected, theme.selection, 3.5, false),
    ] {
        if let Some(Hit::Area(i)) = hit {
            if i < plan.areas.len() {
                items.push(Item::Area {
                    index: i,
                    lod,
                    style: AreaStyle {
                        fill: Paint::None,
                        stroke: Some(color),
                        stroke_width: width,
                        dashed,
                    },
                    layer: None,
                });
            }
        }
    }

    // Lines: above the areas, below the points. Every casing first, then every stroke, then
    // the hovered, focused and selected lines on top of the others.
    let mut shown_lines = Vec::new();
    for (i, l) in plan.lines.iter().enumerate() {
        let b = proj.line_bounds[i];
        if view.shows_line(l) && !b.is_empty() && expand(&b, 10.0 / vp.scale()).intersects(&visible)
        {
            shown_lines.push((i, line_styles(l, &theme)));
        }
    }
    for (i, (casing, _)) in &shown_lines {
        items.push(Item::Line {
            index: *i,
            lod,
            style: casing.clone(),
            title: None,
        });
    }
    for (i, (_, stroke)) in &shown_lines {
        items.push(Item::Line {
            index: *i,
            lod,
            style: stroke.clone(),
            title: Some(plan.lines[*i].name.get(view.lang).to_owned()).filter(|t| !t.is_empty()),
        });
    }
    for (hit, color, extra, dashed) in [
        (view.hovered, theme.text, 2.0, false),
        (view.focused, theme.focus, 3.0, true),
        (view.selected, theme.selection, 4.0, false),
    ] {
        let Some(Hit::Line(i)) = hit else { continue };
        let Some((_, (casing, stroke))) = shown_lines.iter().find(|(k, _)| *k == i) else {
            continue;
        };
        items.push(Item::Line {
            index: i,
            lod,
            style: LineStyle {
                color,
                width: casing.width + extra,
                dash: dashed.then_some([6.0, 4.0]),
            },
            title: None,
        });
        items.push(Item::Line {
            index: i,
            lod,
            style: stroke.clone(),
            title: None,
        });
    }

    // Markers, then labels around them.
    let mut obstacles = Vec::new();
    let mut point_items = Vec::new();
    let mut shown_points = Vec::new();
    for (i, p) in plan.points.iter().enumerate() {
        if !view.shows_point(p) {
            continue;
        }
        let at = vp.to_screen(proj.points[i]);
        if at[0] < -20.0 || at[1] < -20.0 || at[0] > vp.size[0] + 20.0 || at[1] > vp.size[1] + 20.0
        {
            continue;
        }
        let (fill, symbol) = category_style(plan, &p.category);
        let hit = Some(Hit::Point(i));
        let emphasised = view.selected == hit || view.focused == hit || view.hovered == hit;
        let radius = if emphasised { 7.5 } else { 5.5 };
        if view.selected == hit || view.focused == hit {
            let ring = if view.selected == hit {
                theme.selection
            } else {
                theme.focus
            };
            point_items.push(Item::Marker {
                at,
                symbol: Symbol::Circle,
                radius: radius + 5.0,
                fill: ring.alpha(0.0),
                stroke: ring,
                stroke_width: 2.5,
            });
        }
        point_items.push(Item::Marker {
            at,
            symbol,
            radius,
            fill,
            stroke: theme.marker_stroke,
            stroke_width: 1.5,
        });
        obstacles.push(centered(at, 2.0 * radius, 2.0 * radius));
        shown_points.push((i, at, radius, emphasised));
    }

    // Labels: zones first (they matter most), then points by priority, then context names.
    struct Pending {
        text: String,
        sizes: Vec<f64>,
        anchors: Vec<([f64; 2], Align)>,
        color: Color,
        bold: bool,
    }
    let mut pending: Vec<Pending> = Vec::new();
    let mut requests: Vec<LabelRequest> = Vec::new();
    let fs = theme.font_scale;
    let line = |size: f64| size * 1.3;
    for (i, a) in plan.areas.iter().enumerate() {
        let text = a.name.get(view.lang);
        if text.is_empty() || !proj.area_bounds[i].intersects(&visible) {
            continue;
        }
        let (priority, color, bold) = match a.role {
            AreaRole::Zone if view.shows("zones") => (1000, theme.text, true),
            AreaRole::Area => (900, theme.text, false),
            AreaRole::Context => (-100, theme.muted, false),
            _ => continue,
        };
        let Some(tried) = area_label_sizes(a.role, fs) else {
            continue;
        };
        let c = vp.to_screen(proj.label_point(i));
        let mut cands = Vec::new();
        let mut sizes = Vec::new();
        let mut anchors = Vec::new();
        for s in tried {
            let w = measure.width(text, s) + 6.0;
            for dy in [0.0, -line(s), line(s)] {
                let at = [c[0], c[1] + dy];
                cands.push(centered(at, w, line(s)));
                sizes.push(s);
                anchors.push((at, Align::Center));
            }
        }
        requests.push(LabelRequest {
            priority,
            candidates: cands,
        });
        pending.push(Pending {
            text: text.to_owned(),
            sizes,
            anchors,
            color,
            bold,
        });
    }
    for &(i, at, r, emphasised) in &shown_points {
        let p = &plan.points[i];
        let text = p.name.get(view.lang);
        if text.is_empty() || !(emphasised || p.priority >= 3 || vp.zoom >= view.detail_zoom) {
            continue;
        }
        let size = 12.0 * fs;
        let w = measure.width(text, size) + 4.0;
        let h = line(size);
        let gap = r + 4.0;
        let spots = [
            (
                [at[0] + gap, at[1]],
                Align::Start,
                Bounds {
                    min: [at[0] + gap, at[1] - h / 2.0],
                    max: [at[0] + gap + w, at[1] + h / 2.0],
                },
            ),
            (
                [at[0] - gap, at[1]],
                Align::End,
                Bounds {
                    min: [at[0] - gap - w, at[1] - h / 2.0],
                    max: [at[0] - gap, at[1] + h / 2.0],
                },
            ),
            (
                [at[0], at[1] - gap - h / 2.0],
                Align::Center,
                centered([at[0], at[1] - gap - h / 2.0], w, h),
            ),
            (
                [at[0], at[1] + gap + h / 2.0],
                Align::Center,
                centered([at[0], at[1] + gap + h / 2.0], w, h),
            ),
        ];
        let priority = if emphasised { 800 } else { p.priority * 10 };
        requests.push(LabelRequest {
            priority,
            candidates: spots.iter().map(|s| s.2).collect(),
        });
        pending.push(Pending {
            text: text.to_owned(),
            sizes: vec![size; 4],
            anchors: spots.iter().map(|s| (s.0, s.1)).collect(),
            color: theme.text,
            bold: emphasised,
        });
    }
    // Line names beside their line, horizontal, above or below it where it runs across the
    // screen and left or right where it runs up and down, at its middle first.
    for (i, _) in &shown_lines {
        let l = &plan.lines[*i];
        let text = l.name.get(view.lang);
        let hit = Some(Hit::Line(*i));
        let emphasised = view.selected == hit || view.focused == hit || view.hovered == hit;
        if text.is_empty() || !(emphasised || l.priority >= 3 || vp.zoom >= view.detail_zoom) {
            continue;
        }
        let size = 12.0 * fs;
        let (w, h) = (measure.width(text, size) + 4.0, line(size));
        let gap = 6.0;
        let mut cands = Vec::new();
        let mut anchors = Vec::new();
        for (at, across) in label_spots(proj.line(*i, lod), vp, w.max(h)) {
            let spots = if across {
                [
                    ([at[0], at[1] - gap - h / 2.0], Align::Center),
                    ([at[0], at[1] + gap + h / 2.0], Align::Center),
                ]
            } else {
                [
                    ([at[0] + gap, at[1]], Align::Start),
                    ([at[0] - gap, at[1]], Align::End),
                ]
            };
            for (p, align) in spots {
                let x0 = match align {
                    Align::Start => p[0],
                    Align::End => p[0] - w,
                    Align::Center => p[0] - w / 2.0,
                };
                cands.push(Bounds {
                    min: [x0, p[1] - h / 2.0],
                    max: [x0 + w, p[1] + h / 2.0],
                });
                anchors.push((p, align));
            }
        }
        requests.push(LabelRequest {
            priority: if emphasised { 800 } else { 5 + l.priority * 10 },
            candidates: cands,
        });
        pending.push(Pending {
            text: text.to_owned(),
            sizes: vec![size; anchors.len()],
            anchors,
            color: theme.text,
            bold: emphasised,
        });
    }
    // Area names first, on an empty canvas: they name the plan's structure and must not
    // give way to markers. Then point names around the markers and area names; context last.
    let group = |r: &LabelRequest| {
        if r.priority >= 900 {
            0
        } else if r.priority >= 0 {
            1
        } else {
            2
        }
    };
    let mut placed = vec![None; requests.len()];
    let mut taken = Occupied::new(vp.size);
    for b in &view.chrome {
        taken.insert(*b);
    }
    for g in 0..3 {
        if g == 1 {
            for b in &obstacles {
                taken.insert(*b);
            }
        }
        let idx: Vec<usize> = (0..requests.len())
            .filter(|&i| group(&requests[i]) == g)
            .collect();
        let sub: Vec<LabelRequest> = idx.iter().map(|&i| requests[i].clone()).collect();
        for (k, p) in place_into(&sub, vp.size, 2.0, &mut taken)
            .into_iter()
            .enumerate()
        {
            placed[idx[k]] = p;
        }
    }

    items.extend(point_items);
    for (p, k) in pending.iter().zip(placed) {
        if let Some(k) = k {
            let (at, align) = p.anchors[k];
            items.push(Item::Label {
                at,
                text: p.text.clone(),
                size: p.sizes[k],
                color: p.color,
                halo: Some(theme.halo),
                bold: p.bold,
                align,
            });
        }
    }
    Scene {
        size: vp.size,
        background: theme.background,
        transform: vp.transform(),
        items,
        drawn,
    }
}
