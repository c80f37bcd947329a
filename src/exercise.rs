//! The whole native widget run on one loaded plan, for the fuzz targets (`fuzz/`) and the
//! quick mutation pass of `cargo xtask test` (tests/mutation.rs): whatever loads must survive
//! every operation the element offers — fit, frames at several zooms, SVG export, picks,
//! keyboard steps, zoom to a feature, colour by indicator in every year, other themes and
//! languages, the details, the charts and the table. Nothing here may panic.

use crate::chart::{draw_chart, draw_progress, progress_pair, series, ChartStyle};
use crate::geom::EstimateText;
use crate::map::PlanView;
use crate::plan::{layer_files, load, Lang, Loaded};
use crate::render::{draw, Recorder};
use crate::scene::{value_range, Theme, ThemeName};
use std::collections::HashMap;

/// Loads a bare GeoJSON (or a manifest without layers) and, if it loads, runs the widget on it.
/// Returns whether it loaded.
pub fn geojson(text: &str) -> bool {
    match load("fuzz.geojson", text, &HashMap::new()) {
        Ok(l) => {
            widget(l);
            true
        }
        Err(_) => false,
    }
}

/// The byte sequence between the manifest and each layer in a manifest case.
pub const SEPARATOR: &str = "\n\u{1}--layer--\u{1}\n";

/// Loads a manifest and its layers, given as `manifest SEPARATOR layer SEPARATOR layer …`:
/// the layers take the names the manifest gives, in its order, so a mutated name still finds
/// its file. Runs the widget on what loads; returns whether it loaded.
pub fn manifest(input: &str) -> bool {
    let mut parts = input.split(SEPARATOR);
    let entry = parts.next().unwrap_or_default();
    let files: HashMap<String, String> = layer_files(entry)
        .into_iter()
        .zip(parts.map(str::to_owned))
        .collect();
    match load("plan.json", entry, &files) {
        Ok(l) => {
            widget(l);
            true
        }
        Err(_) => false,
    }
}

/// Every operation of the widget on `loaded`.
pub fn widget(loaded: Loaded) {
    let m = EstimateText;
    let mut pv = PlanView::new(loaded, [640.0, 480.0]);
    frame(&pv);
    let _ = pv.to_svg(&m);
    let _ = pv.features_json();
    for y in 0..5 {
        for x in 0..5 {
            let px = [x as f64 * 160.0, y as f64 * 120.0];
            if let Some(h) = pv.pick(px, 8.0) {
                let _ = pv.describe(h);
                let _ = pv.details_json(h);
                pv.view.selected = Some(h);
            }
        }
    }
    for forward in [true, true, true, false] {
        pv.focus_step(forward);
    }
    frame(&pv);
    pv.zoom_at(4.0, [320.0, 240.0]);
    pv.pan_by(150.0, -90.0);
    frame(&pv);
    pv.zoom_at(-30.0, [0.0, 0.0]);
    frame(&pv);
    let order = pv.focus_order();
    for &h in order.iter().take(3).chain(order.last()) {
        pv.zoom_to(h);
        pv.view.selected = Some(h);
        let _ = pv.details_json(h);
        frame(&pv);
    }
    // Colour by the plan's indicators and a bare file's numeric properties, in every year.
    let mut ids: Vec<String> = pv
        .plan
        .indicators
        .iter()
        .take(3)
        .map(|d| d.id.clone())
        .collect();
    ids.extend(
        pv.plan
            .areas
            .iter()
            .flat_map(|a| a.numbers.iter().map(|(k, _)| k.clone()))
            .take(2),
    );
    for id in ids {
        pv.view.indicator = Some(id.clone());
        for year in [None, Some(2015), Some(2020), Some(2025)] {
            pv.view.year = year;
            let _ = value_range(&pv.plan, &id, year);
            frame(&pv);
        }
        pv.view.year_from = Some(2015);
        pv.view.blend = 0.5;
        frame(&pv);
    }
    pv.view.lang = Lang::En;
    pv.view.patterns = true;
    for theme in [ThemeName::Dark, ThemeName::Contrast] {
        pv.view.theme = theme;
        frame(&pv);
    }
    let _ = pv.to_svg(&m);
    pv.view.hidden.push("zones".to_owned());
    let _ = pv.focus_order();
    pv.resize([0.0, 0.0]);
    frame(&pv);
    pv.resize([390.0, 844.0]);
    frame(&pv);
    // The details panel's charts and the table.
    let style = ChartStyle::of(&Theme::of(ThemeName::Light), 2.0);
    let mut rec = Recorder::default();
    for a in pv.plan.areas.iter().take(5) {
        for def in pv.plan.indicators.iter().take(5) {
            let vals = series(a, &def.id);
            draw_chart(
                &mut rec,
                &m,
                [600.0, 300.0],
                [0.0, 0.0],
                &vals,
                Lang::Zh,
                &style,
            );
            if let Some((latest, target)) = progress_pair(a, def) {
                draw_progress(
                    &mut rec,
                    [600.0, 60.0],
                    [0.0, 0.0],
                    def,
                    latest,
                    target,
                    Lang::En,
                    &style,
                );
            }
        }
    }
    let rows = crate::table::rows(&pv.plan, Lang::Zh);
    let _ = crate::table::csv(&rows, Lang::Zh);
}

/// Builds and draws the current frame.
fn frame(pv: &PlanView) {
    let scene = pv.scene(&EstimateText);
    let mut rec = Recorder::default();
    draw(&scene, &pv.proj, &mut rec);
}

/// A manifest case for [`manifest`] from a plan folder on disk: its `plan.json` and the layer
/// files it names (a missing one becomes an empty part), each layer cut to `max_layer` bytes
/// (at a character boundary) so seeds stay small enough to mutate quickly.
pub fn manifest_case(dir: &std::path::Path, max_layer: usize) -> std::io::Result<String> {
    let entry = std::fs::read_to_string(dir.join("plan.json"))?;
    let mut out = entry.clone();
    for name in layer_files(&entry) {
        let mut text = std::fs::read_to_string(dir.join(&name)).unwrap_or_default();
        if text.len() > max_layer {
            let mut cut = max_layer;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            text.truncate(cut);
        }
        out.push_str(SEPARATOR);
        out.push_str(&text);
    }
    Ok(out)
}
