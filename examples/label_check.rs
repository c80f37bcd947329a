//! How many of a file's areas get a streamed label point outside their own outline
//! (`geom::prepare` works it out on a simplified outline): `cargo run --release --example
//! label_check -- FILE`.

use geo::{Contains, Point};
use planmap::geom::{prepare, project_area};
use planmap::plan::load_path_capped;

fn main() {
    let path = std::env::args().nth(1).expect("usage: label_check FILE");
    let l = load_path_capped(path.as_ref(), 1 << 30).expect("load");
    let mut outside = Vec::new();
    for a in &l.plan.areas {
        let [x, y] = prepare(&a.geometry).label;
        if !project_area(&a.geometry).contains(&Point::new(x, y)) {
            outside.push(a.id.clone());
        }
    }
    println!(
        "{} areas, {} label points outside their outline: {outside:?}",
        l.plan.areas.len(),
        outside.len()
    );
}
