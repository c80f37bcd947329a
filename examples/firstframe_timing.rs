//! Where a province's first frame goes natively (issue 13): parse, projection, label points,
//! border network, the view, the first scene and draw. A timing aid, never a test:
//! `cargo run --release --example firstframe_timing -- FILE.geojson`.
use planmap::geom::{EstimateText, ProjectedPlan};
use planmap::map::PlanView;
use planmap::plan::PlanFeed;
use planmap::render::{draw, Recorder};
use std::time::Instant;

fn main() {
    let path = std::env::args().nth(1).expect("a GeoJSON file");
    let bytes = std::fs::read(&path).expect("readable");
    for _ in 0..3 {
        let t = Instant::now();
        let mut feed = PlanFeed::new("x.geojson");
        for c in bytes.chunks(65536) {
            feed.feed(c);
        }
        feed.end_file();
        let fed = t.elapsed();
        let t = Instant::now();
        let loaded = feed.finish().expect("loads");
        let finish = t.elapsed();
        let parse = fed + finish;
        let t = Instant::now();
        let eager = ProjectedPlan::new(&loaded.plan);
        let eager_t = t.elapsed();
        drop(eager);
        let t = Instant::now();
        let proj = ProjectedPlan::deferring_labels(&loaded.plan);
        let projected = t.elapsed();
        let t = Instant::now();
        let pv = PlanView::with_projection(loaded, proj, [1200.0, 800.0]);
        let view = t.elapsed();
        let t = Instant::now();
        let scene = pv.scene(&EstimateText);
        let sc = t.elapsed();
        let t = Instant::now();
        let mut rec = Recorder::default();
        draw(&scene, &pv.proj, &mut rec);
        let dr = t.elapsed();
        let t = Instant::now();
        pv.settle_labels(usize::MAX);
        let settle = t.elapsed();
        println!(
            "parse {parse:?} (finish {finish:?}); projected eagerly {eager_t:?}, deferring labels {projected:?}; \
             view {view:?}; scene {sc:?}; draw {dr:?}; labels after it {settle:?}"
        );
    }
}
