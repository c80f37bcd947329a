//! [`Scene`] → a [`Surface`]. One drawing routine serves the canvas in the page, the SVG
//! export and the tests, so what is tested is what users see.

mod decimal;
mod hairline;
mod recorder;
mod svg;

pub use hairline::{brush, DIRECTIONS, MOST_HAIRLINES};
pub use recorder::{Command, Recorder};
pub use svg::{escape, SvgSurface};

use crate::geom::{Bounds, ProjectedPlan};
use crate::scene::{Align, AreaStyle, Color, Item, LineStyle, Paint, Scene, Symbol};
use geo::{Coord, LineString, MultiLineString, MultiPolygon};

/// The CSS font list for every label: system CJK fonts first (macOS, Windows, Linux), so Chinese
/// is never drawn as boxes where any CJK font exists.
pub const FONT_FAMILY: &str = "\"PingFang SC\",\"Microsoft YaHei\",\"Noto Sans CJK SC\",\"Source Han Sans SC\",\"WenQuanYi Micro Hei\",sans-serif";

/// Something that can draw a scene's primitives.
pub trait Surface {
    /// Starts a frame of `size` CSS pixels filled with `background`.
    fn begin(&mut self, size: [f64; 2], background: Color);
    /// Fills areas `indices` at level of detail `lod` together with `paint`, through
    /// `transform`: `outline()` is their outline, rings for a nonzero fill (asked for only
    /// when needed: the indices and `lod` let a surface cache what it builds from it).
    fn fill(
        &mut self,
        indices: &[usize],
        lod: usize,
        outline: &dyn Fn() -> MultiPolygon<f64>,
        transform: &[f64; 6],
        paint: &Paint,
    );
    /// Strokes the border arcs `arcs` at level of detail `lod` as one path, in CSS pixels
    /// through `transform`: `geometries[k]` is arc `arcs[k]` (see [`crate::geom::Topology`]),
    /// each drawn by its [`crate::geom::stroke_parts`], so no segment is stroked twice.
    fn borders(
        &mut self,
        arcs: &[usize],
        lod: usize,
        geometries: &[&LineString<f64>],
        transform: &[f64; 6],
        style: &LineStyle,
    );
    /// Draws area `index` at level of detail `lod`, whose projected outline is `geometry`,
    /// through `transform`, on its own and with its whole ring stroked (highlight outlines;
    /// `index` and `lod` let a surface cache what it builds from it).
    fn area(
        &mut self,
        index: usize,
        lod: usize,
        geometry: &MultiPolygon<f64>,
        transform: &[f64; 6],
        style: &AreaStyle,
    );
    /// Strokes line `index` at level of detail `lod`, whose projected course is `geometry`,
    /// through `transform`, with widths and dashes in CSS pixels; `title` names it (SVG).
    fn line(
        &mut self,
        index: usize,
        lod: usize,
        geometry: &MultiLineString<f64>,
        transform: &[f64; 6],
        style: &LineStyle,
        title: Option<&str>,
    );
    /// Draws a marker.
    fn marker(
        &mut self,
        at: [f64; 2],
        symbol: Symbol,
        radius: f64,
        fill: Color,
        stroke: Color,
        stroke_width: f64,
    );
    /// Draws one line of text vertically centred on `at`.
    fn text(
        &mut self,
        at: [f64; 2],
        text: &str,
        size: f64,
        color: Color,
        halo: Option<Color>,
        bold: bool,
        align: Align,
    );
    /// Draws the `src` part (fractions of the image) of basemap tile `tile` of `layer` into
    /// `dst` (CSS pixels). Only the canvas holds tile images; other surfaces skip them.
    fn tile(&mut self, layer: u8, tile: crate::basemap::TileId, src: [f64; 4], dst: Bounds) {
        let _ = (layer, tile, src, dst);
    }
    /// Draws a rectangle.
    fn rect(&mut self, bounds: Bounds, fill: Color, stroke: Option<Color>);
    /// Draws an open polyline in screen pixels (chart axes and grid lines).
    fn polyline(&mut self, points: &[[f64; 2]], color: Color, width: f64);
    /// Fills a polygon in screen pixels.
    fn polygon(&mut self, points: &[[f64; 2]], fill: Color);
    /// Ends the frame.
    fn end(&mut self) {}
}

/// Draws `scene` on `surface`; `proj` supplies the projected geometry the scene refers to.
pub fn draw(scene: &Scene, proj: &ProjectedPlan, surface: &mut dyn Surface) {
    surface.begin(scene.size, scene.background);
    let mut k = 0;
    while k < scene.items.len() {
        let item = &scene.items[k];
        k += 1;
        match item {
            Item::Area {
                layer: Some(layer), ..
            } => {
                let start = k - 1;
                while matches!(&scene.items.get(k), Some(Item::Area { layer: Some(l), .. }) if l == layer)
                {
                    k += 1;
                }
                draw_layer(&scene.items[start..k], scene, proj, surface);
            }
            Item::Area {
                index,
                lod,
                style,
                layer: None,
            } => {
                if *index < proj.areas.len() {
                    surface.area(
                        *index,
                        *lod,
                        proj.geometry(*index, *lod),
                        &scene.transform,
                        style,
                    )
                }
            }
            Item::Line {
                index,
                lod,
                style,
                title,
            } => {
                if *index < proj.lines.len() {
                    surface.line(
                        *index,
                        *lod,
                        proj.line(*index, *lod),
                        &scene.transform,
                        style,
                        title.as_deref(),
                    )
                }
            }
            Item::Marker {
                at,
                symbol,
                radius,
                fill,
                stroke,
                stroke_width,
            } => surface.marker(*at, *symbol, *radius, *fill, *stroke, *stroke_width),
            Item::Label {
                at,
                text,
                size,
                color,
                halo,
                bold,
                align,
            } => surface.text(*at, text, *size, *color, *halo, *bold, *align),
            Item::Tile {
                layer,
                tile,
                src,
                dst,
            } => surface.tile(*layer, *tile, *src, *dst),
            Item::Polyline {
                points,
                color,
                width,
            } => surface.polyline(points, *color, *width),
            Item::Rect {
                bounds,
                fill,
                stroke,
            } => surface.rect(*bounds, *fill, *stroke),
        }
    }
    surface.end();
}

/// Draws one layer's areas (`items`, all `Item::Area` of one layer): every area of one fill
/// as one path, then every border as one path per stroke style, each arc once in the style
/// of the last area that runs along it (as when each area was stroked over the one before).
/// Fills first: each border is then whole, never half under a neighbour's fill.
fn draw_layer(items: &[Item], scene: &Scene, proj: &ProjectedPlan, surface: &mut dyn Surface) {
    let areas: Vec<(usize, usize, &AreaStyle)> = items
        .iter()
        .filter_map(|i| match i {
            Item::Area {
                index, lod, style, ..
            } if *index < proj.areas.len() => Some((*index, *lod, style)),
            _ => None,
        })
        .collect();
    let t = &scene.transform;
    // Fills, grouped by paint and level, in the order each first appears.
    let mut fills: Vec<(&Paint, usize, Vec<usize>)> = Vec::new();
    for &(i, lod, style) in &areas {
        if style.fill == Paint::None {
            continue;
        }
        match fills
            .iter_mut()
            .find(|(p, l, _)| **p == style.fill && *l == lod)
        {
            Some((_, _, ids)) => ids.push(i),
            None => fills.push((&style.fill, lod, vec![i])),
        }
    }
    for (paint, lod, ids) in &fills {
        surface.fill(ids, *lod, &|| proj.outline(ids, *lod), t, paint);
    }
    // Borders: the last stroked area along each arc owns it.
    let mut owner: Vec<u32> = vec![u32::MAX; proj.topology.arcs.len()];
    for (pos, &(i, lod, style)) in areas.iter().enumerate() {
        if style.stroke.is_some() {
            for &a in proj.area_arcs(i, lod) {
                owner[a as usize] = pos as u32;
            }
        }
    }
    let visible = scene.drawn;
    let mut strokes: Vec<(LineStyle, usize, Vec<usize>)> = Vec::new();
    // Two arcs between the same two junctions (a sliver between neighbours) can both simplify
    // to the straight line between them: that line is stroked once.
    let mut chords = std::collections::HashSet::new();
    for (a, &pos) in owner.iter().enumerate() {
        if pos == u32::MAX {
            continue;
        }
        let (_, lod, style) = areas[pos as usize];
        let Some(color) = style.stroke else { continue };
        if let [p, q] = proj.arc(a, lod).0[..] {
            let (p, q) = (
                (p.x.to_bits(), p.y.to_bits()),
                (q.x.to_bits(), q.y.to_bits()),
            );
            if !chords.insert((p.min(q), p.max(q))) {
                continue;
            }
        }
        let margin = style.stroke_width / t[0].abs().max(1e-12);
        let b = proj.arc_bounds[a];
        let grown = Bounds {
            min: [b.min[0] - margin, b.min[1] - margin],
            max: [b.max[0] + margin, b.max[1] + margin],
        };
        if !grown.intersects(&visible) {
            continue;
        }
        let line = LineStyle {
            color,
            width: style.stroke_width,
            dash: style.dashed.then_some([6.0, 4.0]),
        };
        match strokes.iter_mut().find(|(s, l, _)| *s == line && *l == lod) {
            Some((_, _, arcs)) => arcs.push(a),
            None => strokes.push((line, lod, vec![a])),
        }
    }
    for (style, lod, arcs) in &strokes {
        let geometries: Vec<&LineString<f64>> = arcs.iter().map(|&a| proj.arc(a, *lod)).collect();
        surface.borders(arcs, *lod, &geometries, t, style);
    }
}

/// Applies a `setTransform` matrix to a point.
pub fn apply(t: &[f64; 6], p: [f64; 2]) -> [f64; 2] {
    [
        t[0] * p[0] + t[2] * p[1] + t[4],
        t[1] * p[0] + t[3] * p[1] + t[5],
    ]
}

/// An SVG path `d` for `geometry` mapped through `t`, with coordinates rounded to `decimals`.
/// The canvas uses the same string (untransformed, full precision) to build its cached Path2D.
pub fn path_data(geometry: &MultiPolygon<f64>, t: Option<&[f64; 6]>, decimals: usize) -> String {
    let mut d = String::new();
    for poly in geometry {
        for ring in std::iter::once(poly.exterior()).chain(poly.interiors()) {
            let n = ring.0.len().saturating_sub(1);
            push_polyline(&mut d, &ring.0[..n], t, decimals);
            if n > 0 {
                d.push('Z');
            }
        }
    }
    d
}

/// An SVG path `d` for the open polylines of `geometry` mapped through `t` (no `Z`: a line is
/// not a ring), with coordinates rounded to `decimals`.
pub fn line_path_data(
    geometry: &MultiLineString<f64>,
    t: Option<&[f64; 6]>,
    decimals: usize,
) -> String {
    let mut d = String::new();
    for part in geometry {
        push_polyline(&mut d, &part.0, t, decimals);
    }
    d
}

/// SVG path `d`s of the segments of `lines` in each direction d (see `hairline::direction`):
/// their runs of consecutive such segments as open polylines, mapped through `t` and rounded to
/// `decimals`, the lines one after the other. One pass over their segments: each string is what
/// joining the lines' own paths of that direction would hold, in the same order. A first frame writes
/// a layer's borders so, four paths in all rather than four for each arc (issue 13).
pub fn direction_paths_data<'a>(
    lines: impl IntoIterator<Item = &'a MultiLineString<f64>>,
    t: Option<&[f64; 6]>,
    decimals: usize,
) -> [String; DIRECTIONS] {
    let mut d: [String; DIRECTIONS] = Default::default();
    for geometry in lines {
        for part in geometry {
            hairline::for_each_run(&part.0, |k, run| push_polyline(&mut d[k], run, t, decimals));
        }
    }
    d
}

/// Appends `M x y L x y …` for `coords` mapped through `t`, rounded to `decimals`: the one
/// writer behind closed rings and open lines.
fn push_polyline(d: &mut String, coords: &[Coord<f64>], t: Option<&[f64; 6]>, decimals: usize) {
    for (k, c) in coords.iter().enumerate() {
        let p = t.map_or([c.x, c.y], |t| apply(t, [c.x, c.y]));
        d.push(if k == 0 { 'M' } else { 'L' });
        decimal::push_fixed(d, p[0], decimals);
        d.push(' ');
        decimal::push_fixed(d, p[1], decimals);
    }
}
