//! A surface that remembers what it was asked to draw, for tests that check a frame's content
//! (which areas, which labels, which colours) without pixels.

use super::Surface;
use crate::geom::{stroke_parts, Bounds};
use crate::scene::{Align, AreaStyle, Color, LineStyle, Paint, Symbol};
use geo::{LineString, MultiLineString, MultiPolygon};

/// One recorded call.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// `begin`.
    Begin([f64; 2], Color),
    /// `fill`: the areas filled together, and their paint.
    Fill(Vec<usize>, Paint),
    /// `borders`: the arcs stroked together, how many segments that strokes, and the style.
    Borders {
        /// The arcs, by index into the topology.
        arcs: Vec<usize>,
        /// Segments stroked: every segment of the arcs' stroke parts.
        segments: usize,
        /// How they are stroked.
        style: LineStyle,
    },
    /// `area` (an outline drawn alone, whole), by index.
    Area(usize, AreaStyle),
    /// `line`, by index.
    Line(usize, LineStyle),
    /// `marker`.
    Marker([f64; 2], Symbol, f64, Color),
    /// `text`: anchor, text, size and alignment.
    Text([f64; 2], String, f64, Align),
    /// `tile`: layer, tile, source fractions, destination.
    Tile(u8, crate::basemap::TileId, [f64; 4], Bounds),
    /// `rect`.
    Rect(Bounds, Color),
    /// `polyline`.
    Polyline(Vec<[f64; 2]>, Color),
    /// `polygon`.
    Polygon(Vec<[f64; 2]>, Color),
}

/// Records every call.
#[derive(Clone, Debug, Default)]
pub struct Recorder {
    /// The calls, in order.
    pub commands: Vec<Command>,
}

impl Surface for Recorder {
    fn begin(&mut self, size: [f64; 2], background: Color) {
        self.commands.push(Command::Begin(size, background));
    }
    fn fill(
        &mut self,
        indices: &[usize],
        _: usize,
        _: &dyn Fn() -> MultiPolygon<f64>,
        _: &[f64; 6],
        paint: &Paint,
    ) {
        self.commands
            .push(Command::Fill(indices.to_vec(), paint.clone()));
    }
    fn borders(
        &mut self,
        arcs: &[usize],
        _: usize,
        geometries: &[&LineString<f64>],
        _: &[f64; 6],
        style: &LineStyle,
    ) {
        let segments = geometries
            .iter()
            .flat_map(|a| stroke_parts(a).0)
            .map(|p| p.0.len().saturating_sub(1))
            .sum();
        self.commands.push(Command::Borders {
            arcs: arcs.to_vec(),
            segments,
            style: style.clone(),
        });
    }
    fn area(
        &mut self,
        index: usize,
        _: usize,
        _: &MultiPolygon<f64>,
        _: &[f64; 6],
        style: &AreaStyle,
    ) {
        self.commands.push(Command::Area(index, style.clone()));
    }
    fn line(
        &mut self,
        index: usize,
        _: usize,
        _: &MultiLineString<f64>,
        _: &[f64; 6],
        style: &LineStyle,
        _: Option<&str>,
    ) {
        self.commands.push(Command::Line(index, style.clone()));
    }
    fn marker(&mut self, at: [f64; 2], symbol: Symbol, radius: f64, fill: Color, _: Color, _: f64) {
        self.commands
            .push(Command::Marker(at, symbol, radius, fill));
    }
    fn text(
        &mut self,
        at: [f64; 2],
        text: &str,
        size: f64,
        _: Color,
        _: Option<Color>,
        _: bool,
        align: Align,
    ) {
        self.commands
            .push(Command::Text(at, text.to_owned(), size, align));
    }
    fn tile(&mut self, layer: u8, tile: crate::basemap::TileId, src: [f64; 4], dst: Bounds) {
        self.commands.push(Command::Tile(layer, tile, src, dst));
    }
    fn rect(&mut self, bounds: Bounds, fill: Color, _: Option<Color>) {
        self.commands.push(Command::Rect(bounds, fill));
    }
    fn polyline(&mut self, points: &[[f64; 2]], color: Color, _: f64) {
        self.commands
            .push(Command::Polyline(points.to_vec(), color));
    }
    fn polygon(&mut self, points: &[[f64; 2]], fill: Color) {
        self.commands.push(Command::Polygon(points.to_vec(), fill));
    }
}
