//! Levels of detail are made lazily, when a frame first draws them (issue 13: simplifying every
//! level at load was most of a province's load time), and come out exactly as eager ones do,
//! whatever the order in which levels are first asked for. Each level is the border network's
//! arcs simplified once (so neighbours keep one border between them), and sits within its
//! tolerance of the full outline.

mod common;
use common::drawn_areas;
use geo::{Coord, MultiPolygon};
use planmap::geom::{EstimateText, ProjectedPlan, LOD_TOLERANCES};
use planmap::map::PlanView;
use planmap::plan::{load, DirSource, Loaded};
use planmap::render::{draw, Recorder};
use planmap::scene::Item;
use std::collections::HashSet;
use std::path::Path;

/// The Huanggu plan: the district, its seven neighbours (the context layer), the five zones and
/// the projects.
fn huanggu() -> Loaded {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/huanggu");
    let text = std::fs::read_to_string(dir.join("plan.json")).unwrap();
    load("plan.json", &text, &DirSource(dir)).unwrap()
}

fn vertices(mp: &MultiPolygon<f64>) -> usize {
    mp.iter()
        .map(|p| p.exterior().0.len() + p.interiors().iter().map(|r| r.0.len()).sum::<usize>())
        .sum()
}

fn coords(mp: &MultiPolygon<f64>) -> Vec<Coord<f64>> {
    mp.iter()
        .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
        .flat_map(|r| r.0.iter().copied())
        .collect()
}

#[test]
fn no_level_is_simplified_before_a_frame_and_a_frame_simplifies_only_what_it_draws() {
    let pv = PlanView::new(huanggu(), [1200.0, 800.0]);
    let areas = pv.proj.areas.len();
    assert_eq!(areas, 13, "8 districts and 5 zones");
    assert_eq!(pv.proj.levels_computed(), 0, "loading simplified a level");

    let scene = pv.scene(&EstimateText);
    let drawn = drawn_areas(&scene);
    let lod = drawn[0].1;
    assert!(lod > 0, "the fitted city is drawn simplified");
    draw(&scene, &pv.proj, &mut Recorder::default());
    let mut simplified: Vec<usize> = drawn.iter().map(|(i, _)| *i).collect();
    simplified.sort_unstable();
    simplified.dedup();
    assert_eq!(
        pv.proj.levels_computed(),
        simplified.len(),
        "one level per drawn area, not all {} levels of {areas} areas",
        LOD_TOLERANCES.len()
    );

    // Drawing the same frame again simplifies nothing more.
    draw(&scene, &pv.proj, &mut Recorder::default());
    assert_eq!(pv.proj.levels_computed(), simplified.len());
}

#[test]
fn lazy_levels_are_the_eager_outlines_in_any_order() {
    let loaded = huanggu();
    // Eager: every level of every area, in order, before anything else is asked.
    let eager = ProjectedPlan::new(&loaded.plan);
    let levels = LOD_TOLERANCES.len();
    let outlines: Vec<Vec<MultiPolygon<f64>>> = (0..eager.areas.len())
        .map(|i| (1..=levels).map(|k| eager.geometry(i, k).clone()).collect())
        .collect();
    assert_eq!(eager.levels_computed(), eager.areas.len() * levels);
    // Lazy, coarsest first, then finest, then the middle, areas backwards: the same outlines.
    let lazy = ProjectedPlan::new(&loaded.plan);
    let mut order: Vec<usize> = (1..=levels).rev().step_by(2).collect();
    order.extend((1..=levels).rev().skip(1).step_by(2));
    assert_eq!(order.len(), levels);
    for &k in &order {
        for i in (0..lazy.areas.len()).rev() {
            assert_eq!(
                lazy.geometry(i, k),
                &outlines[i][k - 1],
                "area {i}, level {k}"
            );
        }
    }
    // Each level keeps only vertices of the full outline, and fewer of them as it coarsens.
    for (i, levels) in outlines.iter().enumerate() {
        let full: HashSet<(u64, u64)> = coords(&lazy.areas[i])
            .iter()
            .map(|c| (c.x.to_bits(), c.y.to_bits()))
            .collect();
        for (k, level) in levels.iter().enumerate() {
            assert!(
                coords(level)
                    .iter()
                    .all(|c| full.contains(&(c.x.to_bits(), c.y.to_bits()))),
                "area {i}, level {}: a vertex not in the data",
                k + 1
            );
        }
    }
    let city: usize = (0..lazy.areas.len())
        .map(|i| vertices(lazy.geometry(i, 0)))
        .sum();
    let coarse: usize = (0..lazy.areas.len())
        .map(|i| vertices(lazy.geometry(i, 6)))
        .sum();
    assert!(
        coarse * 4 < city,
        "level 6 (128 m) keeps {coarse} of {city} vertices"
    );
}

#[test]
fn the_level_drawn_follows_css_pixels() {
    // The same CSS view at DPR 1, 2 and 3 draws the same outline (each screen at its own
    // resolution: the borders' raster goes by segments); a zoomed-out browser (DPR 0.5), whose
    // device pixels are larger, a coarser one.
    let mut pv = PlanView::new(huanggu(), [1200.0, 800.0]);
    let lod = |pv: &PlanView| {
        pv.scene(&EstimateText)
            .items
            .iter()
            .find_map(|i| match i {
                Item::Area { lod, .. } => Some(*lod),
                _ => None,
            })
            .unwrap()
    };
    let mut levels = Vec::new();
    for dpr in [1.0, 2.0, 3.0, 0.5] {
        pv.view.dpr = dpr;
        levels.push((dpr, lod(&pv)));
    }
    assert_eq!(levels[0].1, levels[1].1, "{levels:?}");
    assert_eq!(levels[0].1, levels[2].1, "{levels:?}");
    assert!(levels[3].1 > levels[0].1, "{levels:?}");
    // Each within a pixel (CSS, or device where larger) of the data, and the next coarser
    // level would not be.
    let css = pv.view.viewport.scale();
    for (dpr, k) in levels {
        let px = css * f64::min(dpr, 1.0);
        assert!(
            LOD_TOLERANCES[k - 1] * px <= 1.0,
            "DPR {dpr}: level {k} strays"
        );
        assert!(
            LOD_TOLERANCES[k] * px > 1.0,
            "DPR {dpr}: level {k} is finer than needed"
        );
    }
}
