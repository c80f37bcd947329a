//! A large plan's first frame is drawn before polylabel has searched its full outlines (issue
//! 13: on Liaoning that search was most of the projection), with an estimate of each label
//! point; the page then works the label points out a slice at a time. Once they are settled,
//! every label point, outline and frame is exactly what the eager load gives, and an export
//! never shows an estimate. A plan the size of a city has its label points at load.

mod common;
use common::label_boxes;
use planmap::geom::{EstimateText, DEFER_LABELS_OVER};
use planmap::map::PlanView;
use planmap::plan::{load, DirSource, Loaded};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

/// Districts per row and rows of the synthetic province.
const COLUMNS: usize = 10;
const ROWS: usize = 6;
/// Vertices along each of a "C"'s long sides: with its short sides, each district has about
/// 4 × this, so the whole plan is over the deferral threshold.
const SIDE: usize = 260;

/// A FeatureCollection of `COLUMNS × ROWS` C-shaped districts near Shenyang, densely
/// sampled: the middle of a C's bounds (its first, estimated label point) is in its gap, far
/// from its pole of inaccessibility.
fn province() -> String {
    let mut s = String::from(r#"{"type":"FeatureCollection","features":["#);
    for k in 0..COLUMNS * ROWS {
        let (x0, y0) = (
            123.0 + (k % COLUMNS) as f64 * 0.1,
            41.0 + (k / COLUMNS) as f64 * 0.1,
        );
        // The C: outer left side up, top, inner right side down to the gap, the gap's edges,
        // bottom; each long side sampled at SIDE points, slightly wavy so no point is redundant.
        let mut ring: Vec<[f64; 2]> = Vec::new();
        let wave = |i: usize| 0.0004 * ((i as f64) * 0.7).sin();
        for i in 0..SIDE {
            let t = i as f64 / SIDE as f64;
            ring.push([x0 + wave(i), y0 + 0.08 * t]);
        }
        for i in 0..SIDE {
            let t = i as f64 / SIDE as f64;
            ring.push([x0 + 0.08 * t, y0 + 0.08 + wave(i)]);
        }
        ring.push([x0 + 0.08, y0 + 0.06]);
        for i in 0..SIDE {
            let t = i as f64 / SIDE as f64;
            ring.push([x0 + 0.08 - 0.06 * t, y0 + 0.06 + wave(i)]);
        }
        ring.push([x0 + 0.02, y0 + 0.02]);
        for i in 0..SIDE {
            let t = i as f64 / SIDE as f64;
            ring.push([x0 + 0.02 + 0.06 * t, y0 + 0.02 + wave(i)]);
        }
        ring.push([x0 + 0.08, y0]);
        ring.push(ring[0]);
        let coords: Vec<String> = ring
            .iter()
            .map(|[x, y]| format!("[{x:.6},{y:.6}]"))
            .collect();
        if k > 0 {
            s.push(',');
        }
        write!(
            s,
            r#"{{"type":"Feature","properties":{{"id":"d{k}","name":"区{k}"}},"geometry":{{"type":"Polygon","coordinates":[[{}]]}}}}"#,
            coords.join(",")
        )
        .unwrap();
    }
    s.push_str("]}");
    s
}

fn loaded() -> Loaded {
    load("province.geojson", &province(), &HashMap::new()).unwrap()
}

fn vertex_count(l: &Loaded) -> usize {
    l.plan
        .areas
        .iter()
        .flat_map(|a| &a.geometry.0)
        .map(|p| p.exterior().0.len() + p.interiors().iter().map(|r| r.0.len()).sum::<usize>())
        .sum()
}

#[test]
fn a_large_plans_labels_are_estimates_first_and_settle_to_the_eager_ones() {
    let l = loaded();
    assert!(vertex_count(&l) > DEFER_LABELS_OVER, "{}", vertex_count(&l));
    let n = l.plan.areas.len();
    assert_eq!(n, COLUMNS * ROWS);
    let eager = PlanView::new(l.clone(), [1200.0, 800.0]);
    let lazy = PlanView::first_paint(l, [1200.0, 800.0]);
    assert_eq!(eager.proj.labels_pending(), 0);
    assert_eq!(lazy.proj.labels_pending(), n, "every label waits");
    // The estimates are not the label points (or this test would show nothing), but each lies
    // within its district's bounds.
    let mut differ = 0;
    for i in 0..n {
        let (e, p) = (lazy.proj.label_point(i), eager.proj.label_point(i));
        let b = &lazy.proj.area_bounds[i];
        assert!(
            (b.min[0]..=b.max[0]).contains(&e[0]) && (b.min[1]..=b.max[1]).contains(&e[1]),
            "{i}: {e:?} outside {b:?}"
        );
        differ += usize::from(e != p);
    }
    assert_eq!(differ, n, "every C's estimate differs from its pole");
    // The first frame (estimates) and the eager one have the same outlines and label texts.
    let first = lazy.scene(&EstimateText);
    let want = eager.scene(&EstimateText);
    assert_eq!(first.label_texts(), want.label_texts());
    assert_ne!(label_boxes(&lazy), label_boxes(&eager), "the labels moved");

    // Settled a slice at a time, each slice leaves fewer, down to none.
    let mut left = n;
    let mut steps = 0;
    while left > 0 {
        assert_eq!(lazy.settle_labels(0), left, "0 asks, settles none");
        let now = lazy.settle_labels(4 * SIDE * 3);
        assert!(now < left, "a slice settles at least one: {now} of {left}");
        left = now;
        steps += 1;
    }
    assert!(steps > 1, "the work is spread over slices ({steps})");
    assert_eq!(lazy.proj.labels_pending(), 0);
    for i in 0..n {
        assert_eq!(lazy.proj.label_point(i), eager.proj.label_point(i), "{i}");
        for k in [0, 3, 6] {
            assert_eq!(
                lazy.proj.geometry(i, k),
                eager.proj.geometry(i, k),
                "{i} at level {k}"
            );
        }
    }
    assert_eq!(lazy.scene(&EstimateText), eager.scene(&EstimateText));
    assert_eq!(label_boxes(&lazy), label_boxes(&eager));
}

#[test]
fn an_export_before_the_labels_settle_has_the_final_labels() {
    let l = loaded();
    let eager = PlanView::new(l.clone(), [1200.0, 800.0]);
    let lazy = PlanView::first_paint(l, [1200.0, 800.0]);
    assert!(lazy.proj.labels_pending() > 0);
    assert_eq!(
        lazy.export_scene(&EstimateText),
        eager.export_scene(&EstimateText)
    );
    assert_eq!(lazy.proj.labels_pending(), 0, "the export settled them");
    assert_eq!(lazy.to_svg(&EstimateText), eager.to_svg(&EstimateText));
}

#[test]
fn a_city_sized_plan_has_its_labels_at_load() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/huanggu");
    let text = std::fs::read_to_string(dir.join("plan.json")).unwrap();
    let l = load("plan.json", &text, &DirSource(dir)).unwrap();
    assert!(
        vertex_count(&l) <= DEFER_LABELS_OVER,
        "{}",
        vertex_count(&l)
    );
    let eager = PlanView::new(l.clone(), [1200.0, 800.0]);
    let lazy = PlanView::first_paint(l, [1200.0, 800.0]);
    assert_eq!(lazy.proj.labels_pending(), 0);
    for i in 0..lazy.plan.areas.len() {
        assert_eq!(lazy.proj.label_point(i), eager.proj.label_point(i), "{i}");
    }
    assert_eq!(lazy.scene(&EstimateText), eager.scene(&EstimateText));
}
