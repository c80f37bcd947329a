//! Issue 14: what is selected stays in view. The element tells the map which screen rectangles
//! its bottom sheet or side panel cover; a selection then eases the feature into the rest (the
//! free area), zooming out when it does not fit and never zooming in past the user's zoom.

use planmap::geom::{Bounds, Hit, Viewport};
use planmap::map::PlanView;
use planmap::plan::{load, DirSource};
use std::path::Path;

const PHONE: [f64; 2] = [390.0, 844.0];
const DESKTOP: [f64; 2] = [1440.0, 900.0];

fn huanggu(size: [f64; 2]) -> PlanView {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/huanggu");
    let text = std::fs::read_to_string(dir.join("plan.json")).unwrap();
    PlanView::new(load("plan.json", &text, &DirSource(dir)).unwrap(), size)
}

fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> Bounds {
    Bounds {
        min: [x0, y0],
        max: [x1, y1],
    }
}

/// A bottom sheet whose top edge is at `top`.
fn sheet(top: f64) -> Bounds {
    rect(0.0, top, PHONE[0], PHONE[1])
}

/// The desktop details panel as the element lays it out (left 10, top 56, 360 wide).
fn side_panel() -> Bounds {
    rect(10.0, 56.0, 370.0, DESKTOP[1] - 10.0)
}

/// A feature's box on screen.
fn on_screen(pv: &PlanView, hit: Hit) -> Bounds {
    let b = pv.bounds_of(hit);
    let vp = pv.viewport();
    let a = vp.to_screen(b.min);
    let c = vp.to_screen(b.max);
    rect(
        a[0].min(c[0]),
        a[1].min(c[1]),
        a[0].max(c[0]),
        a[1].max(c[1]),
    )
}

/// Selects and finishes the easing at once, as under prefers-reduced-motion.
fn select_now(pv: &mut PlanView, id: &str, zoom: bool) -> Hit {
    let hit = pv
        .find(id)
        .unwrap_or_else(|| panic!("{id} not in the plan"));
    pv.select(Some(hit), zoom);
    pv.ease(1.0);
    assert!(!pv.moving());
    hit
}

fn ids(pv: &PlanView) -> Vec<String> {
    let mut v: Vec<String> = pv
        .focus_order()
        .into_iter()
        .map(|h| pv.describe(h).id)
        .collect();
    v.sort();
    v
}

#[test]
fn every_feature_selected_on_a_phone_lies_above_the_sheet_peek_or_full() {
    let mut pv = huanggu(PHONE);
    for top in [PHONE[1] - 170.0, PHONE[1] * 0.3] {
        for id in ids(&pv) {
            // Each from the plan fitted to the whole canvas, then the sheet opens over it.
            pv.select(None, false);
            pv.set_covered(Vec::new());
            pv.fit();
            pv.set_covered(vec![sheet(top)]);
            assert_eq!(pv.free_area(), rect(0.0, 0.0, PHONE[0], top));
            let zoom_before = pv.viewport().zoom;
            let hit = select_now(&mut pv, &id, false);
            let b = on_screen(&pv, hit);
            assert!(
                rect(0.0, 0.0, PHONE[0], top).contains(&b),
                "{id} with the sheet's top at {top}: {b:?}"
            );
            assert!(
                pv.viewport().zoom <= zoom_before + 1e-9,
                "{id}: zoomed in from {zoom_before} to {}",
                pv.viewport().zoom
            );
        }
    }
}

#[test]
fn every_feature_selected_on_a_desktop_lies_right_of_the_panel() {
    let mut pv = huanggu(DESKTOP);
    pv.set_covered(vec![side_panel()]);
    assert_eq!(pv.free_area(), rect(370.0, 0.0, DESKTOP[0], DESKTOP[1]));
    for id in ids(&pv) {
        for zoom in [false, true] {
            let hit = select_now(&mut pv, &id, zoom);
            let b = on_screen(&pv, hit);
            assert!(
                b.min[0] >= 370.0
                    && b.max[0] <= DESKTOP[0]
                    && b.min[1] >= 0.0
                    && b.max[1] <= DESKTOP[1],
                "{id} (zoom {zoom}): {b:?}"
            );
        }
    }
}

#[test]
fn a_selection_never_zooms_in_past_the_users_zoom_but_zooms_out_to_fit() {
    let mut pv = huanggu(PHONE);
    pv.set_covered(vec![sheet(500.0)]);
    let c6 = pv.find("c6").unwrap();
    // Zoomed far in, elsewhere: C6 does not fit above the sheet, so the map zooms out to it.
    pv.zoom_at(4.0, [195.0, 250.0]);
    let z_in = pv.viewport().zoom;
    select_now(&mut pv, "c6", false);
    assert!(pv.viewport().zoom < z_in, "zooms out to fit");
    let b = on_screen(&pv, c6);
    assert!(rect(0.0, 0.0, 390.0, 500.0).contains(&b), "{b:?}");
    // Fitted to the free part: one side fills it, less the padding (32 px, or a tenth of 390).
    let [w, h] = b.size();
    assert!(
        (w - (390.0 - 2.0 * 32.0)).abs() < 0.5 || (h - (500.0 - 2.0 * 32.0)).abs() < 0.5,
        "{w}×{h}"
    );
    // Zoomed far out: selecting pans but keeps that zoom.
    pv.select(None, false);
    let fitted_zoom = {
        pv.fit();
        pv.viewport().zoom
    };
    pv.zoom_at(-1.0, [195.0, 250.0]);
    let z_out = pv.viewport().zoom;
    assert!(z_out < fitted_zoom);
    pv.pan_by(150.0, 300.0);
    select_now(&mut pv, "c6", false);
    assert!((pv.viewport().zoom - z_out).abs() < 1e-9);
    assert!(rect(0.0, 0.0, 390.0, 500.0).contains(&on_screen(&pv, c6)));
}

#[test]
fn select_with_zoom_fits_the_area_to_the_free_part_and_may_zoom_in() {
    let mut pv = huanggu(DESKTOP);
    pv.set_covered(vec![side_panel()]);
    let before = pv.viewport().zoom;
    let hit = select_now(&mut pv, "beizhanbei", true);
    assert!(
        pv.viewport().zoom > before,
        "zoom: true zooms in on a small zone"
    );
    let b = on_screen(&pv, hit);
    let free = rect(370.0, 0.0, 1440.0, 900.0);
    assert!(free.contains(&b), "{b:?}");
    let [w, h] = b.size();
    assert!(
        (w - (1070.0 - 64.0)).abs() < 0.5 || (h - (900.0 - 64.0)).abs() < 0.5,
        "one side fills the free part: {w}×{h}"
    );
    // Its middle is the free part's middle.
    let c = b.center();
    assert!((c[0] - free.center()[0]).abs() < 0.5 && (c[1] - 450.0).abs() < 0.5);
}

#[test]
fn a_feature_already_in_the_free_part_does_not_move_the_map() {
    let mut pv = huanggu(DESKTOP);
    // Nothing covers the fitted desktop view: every zone is in it.
    let before = *pv.viewport();
    assert!(!pv.select(pv.find("c6"), false));
    assert_eq!(*pv.viewport(), before);
    // With the panel on the left a zone there must move; one on the right need not.
    pv.set_covered(vec![side_panel()]);
    let moves: Vec<(String, bool)> = [
        "c6",
        "beiyunhe",
        "beizhanbei",
        "changjiangjie",
        "daxuecheng",
    ]
    .iter()
    .map(|id| {
        let hit = pv.find(id).unwrap();
        let inside = rect(378.0, 8.0, 1432.0, 892.0).contains(&on_screen(&pv, hit));
        let mut probe = huanggu(DESKTOP);
        probe.set_covered(vec![side_panel()]);
        (id.to_string(), probe.select(Some(hit), false) != inside)
    })
    .collect();
    assert!(
        moves.iter().all(|(_, ok)| *ok),
        "moves exactly when outside: {moves:?}"
    );
}

#[test]
fn closing_the_sheet_leaves_the_map_where_it_is_and_fit_uses_the_free_part() {
    let mut pv = huanggu(PHONE);
    pv.set_covered(vec![sheet(500.0)]);
    select_now(&mut pv, "c6", false);
    let there = *pv.viewport();
    pv.select(None, false);
    pv.set_covered(Vec::new());
    pv.ease(1.0);
    assert_eq!(*pv.viewport(), there, "no move back on close");
    // fit() with the sheet open shows the whole plan above it.
    pv.set_covered(vec![sheet(500.0)]);
    pv.fit();
    let vp = pv.viewport();
    let e = pv.proj.extent;
    let a = vp.to_screen(e.min);
    let c = vp.to_screen(e.max);
    assert!(a[1] <= 500.0 - 15.999 && c[1] >= 15.999, "{a:?} {c:?}");
    pv.set_covered(Vec::new());
    pv.fit();
    let a = pv.viewport().to_screen(e.min);
    assert!(
        a[1] > 500.0,
        "without the sheet fit uses the whole height: {a:?}"
    );
}

#[test]
fn easing_goes_from_the_old_view_to_the_new_and_a_drag_stops_it() {
    let mut pv = huanggu(PHONE);
    pv.set_covered(vec![sheet(500.0)]);
    let from: Viewport = *pv.viewport();
    assert!(pv.select(pv.find("daxuecheng"), true));
    assert_eq!(*pv.viewport(), from, "select alone does not jump");
    assert!(pv.ease(0.5));
    let mid = *pv.viewport();
    assert!(mid != from);
    assert!(!pv.ease(1.0));
    let to = *pv.viewport();
    assert!((mid.zoom - (from.zoom + to.zoom) / 2.0).abs() < 1e-9);
    // A second transition, interrupted by a drag: the drag wins and the easing ends.
    assert!(pv.select(pv.find("c6"), true));
    pv.ease(0.3);
    pv.pan_by(10.0, 0.0);
    assert!(!pv.moving());
    let after_drag = *pv.viewport();
    assert!(!pv.ease(1.0));
    assert_eq!(*pv.viewport(), after_drag);
}

#[test]
fn tab_brings_the_focused_feature_into_the_free_part() {
    let mut pv = huanggu(PHONE);
    pv.zoom_at(2.0, [195.0, 100.0]);
    pv.set_covered(vec![sheet(400.0)]);
    for _ in 0..5 {
        let hit = pv.focus_step(true).unwrap();
        let p = pv.viewport().to_screen(pv.anchor(hit));
        assert!(
            p[1] <= 400.0 && p[1] >= 0.0 && p[0] >= 0.0 && p[0] <= 390.0,
            "{p:?}"
        );
    }
}
