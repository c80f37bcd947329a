//! Levels of detail are simplified lazily, when a frame first draws them (issue 13: simplifying
//! every level at load was most of a province's load time), and come out exactly as the eager
//! ones did: the outline of the full geometry simplified at the level's tolerance, whatever the
//! order in which levels are first asked for.

use geo::{MultiPolygon, Simplify};
use planmap::geom::{EstimateText, ProjectedPlan, LOD_TOLERANCES};
use planmap::map::PlanView;
use planmap::plan::{load, DirSource, Loaded};
use planmap::render::{draw, Recorder};
use planmap::scene::Item;
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

#[test]
fn no_level_is_simplified_before_a_frame_and_a_frame_simplifies_only_what_it_draws() {
    let pv = PlanView::new(huanggu(), [1200.0, 800.0]);
    let areas = pv.proj.areas.len();
    assert_eq!(areas, 13, "8 districts and 5 zones");
    assert_eq!(pv.proj.levels_computed(), 0, "loading simplified a level");

    let scene = pv.scene(&EstimateText);
    let drawn: Vec<(usize, usize)> = scene
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Area { index, lod, .. } => Some((*index, *lod)),
            _ => None,
        })
        .collect();
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
    let proj = ProjectedPlan::new(&loaded.plan);
    // The eager outlines, as every level was made at load before: the full projected outline
    // simplified (Ramer–Douglas–Peucker) at the level's tolerance.
    let eager: Vec<Vec<MultiPolygon<f64>>> = proj
        .areas
        .iter()
        .map(|a| LOD_TOLERANCES.iter().map(|t| a.simplify(*t)).collect())
        .collect();
    // Coarsest first, then finest, then the middle: each level must come from the full outline,
    // never from a coarser level computed earlier.
    let order = [5, 1, 3, 2, 4];
    for k in order {
        for (i, levels) in eager.iter().enumerate() {
            let lazy = proj.geometry(i, k);
            assert_eq!(lazy, &levels[k - 1], "area {i}, level {k}");
        }
    }
    assert_eq!(
        proj.levels_computed(),
        proj.areas.len() * LOD_TOLERANCES.len()
    );
    // The levels mean something here: each is coarser than the one before for the districts.
    let city: usize = (0..proj.areas.len())
        .map(|i| vertices(proj.geometry(i, 0)))
        .sum();
    let coarse: usize = (0..proj.areas.len())
        .map(|i| vertices(proj.geometry(i, 3)))
        .sum();
    assert!(
        coarse * 4 < city,
        "level 3 keeps {coarse} of {city} vertices"
    );
    // A second plan asked in the opposite order gives the same outlines.
    let other = ProjectedPlan::new(&loaded.plan);
    for k in order.iter().rev() {
        for i in (0..other.areas.len()).rev() {
            assert_eq!(other.geometry(i, *k), proj.geometry(i, *k));
        }
    }
}
