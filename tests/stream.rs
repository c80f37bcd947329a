//! A large file streamed to the page (issue 13): the core's incremental reader (`PlanFeed`)
//! hands its features out in batches while the file still arrives (`take_pieces`), a batch
//! crosses to the page as bytes (`plan::batch`), and the page assembles the projection from
//! what the worker prepared. Each step gives what loading the whole file gives.

use planmap::geom::{prepare, prepared_label, project_area, ProjectedPlan, PREPARED_LEVELS};
use planmap::plan::batch::{decode, encode, Pieces, Prepared};
use planmap::plan::{load_bytes, DirSource, PlanFeed};

/// What a load came to: the error, or the warnings (sorted: the streamed load says the zones
/// its handed-out lines name after the others) and every feature.
type Outcome = Result<(Vec<String>, String), String>;

fn describe(p: &Pieces) -> String {
    let mut out = String::new();
    for a in &p.areas {
        out += &format!(
            "area {} {:?} {:?} {:?}\n",
            a.id, a.name, a.geometry, a.numbers
        );
    }
    for l in &p.lines {
        out += &format!("line {} {:?} {:?} {:?}\n", l.id, l.name, l.geometry, l.zone);
    }
    for pt in &p.points {
        out += &format!("point {} {:?} {:?}\n", pt.id, pt.name, pt.lonlat);
    }
    out
}

fn whole(name: &str, bytes: &[u8]) -> Outcome {
    match load_bytes(name, bytes, &DirSource(".".into())) {
        Ok(l) => {
            let mut w: Vec<String> = l.diagnostics.iter().map(ToString::to_string).collect();
            w.sort();
            let p = Pieces {
                areas: l.plan.areas,
                lines: l.plan.lines,
                points: l.plan.points,
            };
            Ok((w, describe(&p)))
        }
        Err(e) => Err(e.to_string()),
    }
}

/// Fed in chunks of `chunk` bytes, the features taken after every chunk (as the worker does).
fn streamed(name: &str, bytes: &[u8], chunk: usize) -> Outcome {
    let mut feed = PlanFeed::new(name);
    let mut all = Pieces::default();
    let mut take = |p: Pieces| {
        all.areas.extend(p.areas);
        all.lines.extend(p.lines);
        all.points.extend(p.points);
    };
    for c in bytes.chunks(chunk) {
        feed.feed(c);
        take(feed.take_pieces());
    }
    assert!(
        feed.end_file().is_empty(),
        "{name}: a bare file names no layers"
    );
    take(feed.take_pieces());
    match feed.finish() {
        Ok(l) => {
            take(Pieces {
                areas: l.plan.areas,
                lines: l.plan.lines,
                points: l.plan.points,
            });
            let mut w: Vec<String> = l.diagnostics.iter().map(ToString::to_string).collect();
            w.sort();
            Ok((w, describe(&all)))
        }
        Err(e) => Err(e.to_string()),
    }
}

fn files() -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = ["tests/broken", "data/huanggu", "../shared/geodata"]
        .iter()
        .flat_map(|d| std::fs::read_dir(d).into_iter().flatten())
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "geojson"))
        .collect();
    v.sort();
    assert!(v.len() >= 25, "the corpus is there: {v:?}");
    v
}

#[test]
fn features_handed_out_while_the_file_arrives_are_those_of_the_whole_file() {
    for path in files() {
        let bytes = std::fs::read(&path).unwrap();
        let name = path.file_name().unwrap().to_str().unwrap();
        let expected = whole(name, &bytes);
        for chunk in [1, 7, 4096, 1 << 20] {
            if chunk < 7 && bytes.len() > 20_000 {
                continue; // byte by byte only where it is quick
            }
            assert_eq!(
                streamed(name, &bytes, chunk),
                expected,
                "{} in chunks of {chunk}",
                path.display()
            );
        }
    }
}

#[test]
fn a_feature_taken_out_still_counts_for_the_verdict() {
    // Everything taken before the end: the plan is not "nothing to show".
    let text = br#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"a"},"geometry":{"type":"Point","coordinates":[123.4,41.8]}}]}"#;
    let mut feed = PlanFeed::new("a.geojson");
    feed.feed(text);
    assert_eq!(feed.waiting(), (1, 1));
    assert_eq!(feed.take_pieces().points.len(), 1);
    assert_eq!(feed.waiting(), (0, 0));
    feed.end_file();
    let l = feed.finish().unwrap();
    assert!(l.plan.points.is_empty());
    assert!(l.diagnostics.is_empty(), "{:?}", l.diagnostics);
}

#[test]
fn batches_give_back_exactly_the_features_they_were_made_of() {
    let mut n = 0;
    // The Huanggu plan too: its zones carry values, facts and quotes.
    let mut paths = files();
    paths.push("data/huanggu/plan.json".into());
    for path in paths {
        let Ok(l) = planmap::plan::load_path(&path) else {
            continue;
        };
        let pieces = Pieces {
            areas: l.plan.areas,
            lines: l.plan.lines,
            points: l.plan.points,
        };
        // Something prepared for each area: its outline as a level, a label point.
        let prepared: Vec<Prepared> = pieces
            .areas
            .iter()
            .enumerate()
            .map(|(i, a)| Prepared {
                label: [i as f64, -0.5],
                levels: vec![(5, a.geometry.clone())],
            })
            .collect();
        let batch = encode(&pieces, &prepared);
        let (back, prep) = decode(&batch).unwrap();
        assert_eq!(
            format!("{back:?}"),
            format!("{pieces:?}"),
            "{}",
            path.display()
        );
        assert_eq!(prep, prepared);
        n += pieces.areas.len() + pieces.lines.len() + pieces.points.len();
        // A cut batch is refused, never read as fewer features.
        assert!(decode(&batch[..batch.len() - 1]).is_err());
    }
    assert!(n > 120, "{n} features went through");
}

#[test]
fn a_projection_assembled_from_prepared_areas_draws_what_the_eager_one_draws() {
    use geo::{Contains, Point};
    let l =
        planmap::plan::load_path("../shared/geodata/shenyang-districts.geojson".as_ref()).unwrap();
    let eager = ProjectedPlan::new(&l.plan);
    let areas = l
        .plan
        .areas
        .iter()
        .map(|a| project_area(&a.geometry))
        .collect();
    let prepared = l.plan.areas.iter().map(|a| prepare(&a.geometry)).collect();
    let streamed = ProjectedPlan::assemble(&l.plan, areas, prepared);
    let rings: usize = streamed
        .topology
        .rings
        .iter()
        .flatten()
        .flatten()
        .filter(|r| !r.is_empty())
        .count();
    assert_eq!(
        streamed.arc_levels_computed(),
        rings * PREPARED_LEVELS.len(),
        "each ring's prepared levels are there before any frame"
    );
    let vertices = |m: &geo::MultiPolygon<f64>| -> Vec<(u64, u64)> {
        m.0.iter()
            .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
            .flat_map(|r| r.0.iter().map(|c| (c.x.to_bits(), c.y.to_bits())))
            .collect()
    };
    let finest = usize::from(PREPARED_LEVELS[0]);
    for i in 0..l.plan.areas.len() {
        // Full detail is exactly the eager one.
        assert_eq!(
            format!("{:?}", streamed.geometry(i, 0)),
            format!("{:?}", eager.geometry(i, 0)),
            "area {i} at full detail"
        );
        // Every level keeps only vertices of the outline, fewer of them; the prepared ones
        // coarser than the finest are simplified from it (its vertices only).
        let full: std::collections::HashSet<_> =
            vertices(streamed.geometry(i, 0)).into_iter().collect();
        let fine: std::collections::HashSet<_> =
            vertices(streamed.geometry(i, finest)).into_iter().collect();
        assert!(
            fine.len() < full.len(),
            "area {i}: the finest prepared level drops vertices"
        );
        for k in 1..planmap::geom::LEVELS {
            let v = vertices(streamed.geometry(i, k));
            assert!(!v.is_empty() || k > finest, "area {i} level {k} is drawn");
            let within = if k > finest { &fine } else { &full };
            assert!(v.iter().all(|p| within.contains(p)), "area {i} level {k}");
        }
        assert_eq!(streamed.area_bounds[i], eager.area_bounds[i]);
        // The label point lies inside the district.
        let [x, y] = streamed.label_point(i);
        assert!(
            streamed.areas[i].contains(&Point::new(x, y)),
            "area {i}'s label point"
        );
    }
    assert_eq!(streamed.extent, eager.extent);
}

#[test]
fn the_worker_sends_each_outline_projected_as_the_page_would_project_it() {
    use planmap::geom::prepare_with_outline;
    let l =
        planmap::plan::load_path("../shared/geodata/shenyang-districts.geojson".as_ref()).unwrap();
    for a in &l.plan.areas {
        let with = prepare_with_outline(&a.geometry);
        let (k, full) = &with.levels[0];
        assert_eq!(*k, 0, "{}: level 0 first", a.id);
        // To the bit: the page takes it instead of projecting the outline itself.
        assert_eq!(
            format!("{full:?}"),
            format!("{:?}", project_area(&a.geometry))
        );
        let plain = prepare(&a.geometry);
        // The worker leaves the label point to the page (after the first frame), which works
        // it out on the same level of the outline.
        assert!(with.label.iter().all(|c| c.is_nan()), "{}", a.id);
        assert_eq!(prepared_label(&with.levels), plain.label, "{}", a.id);
        assert_eq!(with.levels[1..], plain.levels[..], "{}", a.id);
    }
}

/// Shenyang's districts twice over (the second copy moved a degree east): more vertices than
/// a plan whose label points wait for the first frame (`DEFER_LABELS_OVER`).
fn two_shenyangs() -> planmap::plan::Plan {
    let l =
        planmap::plan::load_path("../shared/geodata/shenyang-districts.geojson".as_ref()).unwrap();
    let mut plan = l.plan;
    let mut more = plan.areas.clone();
    for a in &mut more {
        a.id += "-east";
        a.geometry.0.iter_mut().for_each(|p| {
            p.exterior_mut(|r| r.0.iter_mut().for_each(|c| c.x += 1.0));
            p.interiors_mut(|rs| {
                rs.iter_mut()
                    .for_each(|r| r.0.iter_mut().for_each(|c| c.x += 1.0))
            });
        });
    }
    plan.areas.extend(more);
    plan
}

/// An area prepared as the worker sends it: its outline projected (level 0, taken off), no
/// label point.
fn as_the_worker_sends(geometry: &geo::MultiPolygon<f64>) -> Prepared {
    let mut p = planmap::geom::prepare_with_outline(geometry);
    p.levels.remove(0);
    p
}

#[test]
fn label_points_the_worker_leaves_to_the_page_are_the_ones_it_would_have_worked_out() {
    use planmap::geom::DEFER_LABELS_OVER;
    let plan = two_shenyangs();
    let vertices: usize = plan
        .areas
        .iter()
        .flat_map(|a| &a.geometry.0)
        .map(|p| p.exterior().0.len() + p.interiors().iter().map(|r| r.0.len()).sum::<usize>())
        .sum();
    assert!(vertices > DEFER_LABELS_OVER, "{vertices} vertices");
    let project = |plan: &planmap::plan::Plan| -> Vec<_> {
        plan.areas
            .iter()
            .map(|a| project_area(&a.geometry))
            .collect()
    };
    let deferred: Vec<Prepared> = plan
        .areas
        .iter()
        .map(|a| as_the_worker_sends(&a.geometry))
        .collect();
    let eager: Vec<Prepared> = plan.areas.iter().map(|a| prepare(&a.geometry)).collect();
    let page = ProjectedPlan::assemble(&plan, project(&plan), deferred);
    let worked_out = ProjectedPlan::assemble(&plan, project(&plan), eager.clone());
    assert_eq!(worked_out.labels_pending(), 0);
    // The first frame's: the middle of each area's bounds.
    assert_eq!(page.labels_pending(), plan.areas.len());
    for i in 0..plan.areas.len() {
        assert_eq!(
            page.label_point(i),
            page.area_bounds[i].center(),
            "area {i}"
        );
    }
    // Settled a few areas at a time, as the page does between frames.
    let mut left = page.labels_pending();
    while left > 0 {
        let now = page.settle_labels(3_000);
        assert!(now < left, "each step settles at least one");
        left = now;
    }
    for (i, p) in eager.iter().enumerate() {
        assert_eq!(page.label_point(i), p.label, "area {i}");
        assert_eq!(worked_out.label_point(i), p.label, "area {i}");
    }
    // A small streamed plan's are worked out at once, as a small plan fed on the page.
    let l =
        planmap::plan::load_path("../shared/geodata/shenyang-districts.geojson".as_ref()).unwrap();
    let small: Vec<Prepared> = l
        .plan
        .areas
        .iter()
        .map(|a| as_the_worker_sends(&a.geometry))
        .collect();
    let small = ProjectedPlan::assemble(&l.plan, project(&l.plan), small);
    assert_eq!(small.labels_pending(), 0);
    for (i, a) in l.plan.areas.iter().enumerate() {
        assert_eq!(small.label_point(i), prepare(&a.geometry).label, "{}", a.id);
    }
}

#[test]
fn an_assembled_area_is_bounded_as_the_eager_one_even_where_an_exterior_makes_no_border() {
    // Three areas: one of two polygons (both drawn), one whose second polygon's exterior is
    // a sliver of two distinct vertices (no border arc: its bounds come from the outline),
    // and one with a repeated vertex and a hole.
    let text = r#"{"type":"FeatureCollection","features":[
      {"type":"Feature","properties":{"name":"甲"},"geometry":{"type":"MultiPolygon","coordinates":[
        [[[123.0,41.0],[123.5,41.0],[123.5,41.5],[123.0,41.0]]],
        [[[124.0,42.0],[124.2,42.0],[124.2,42.3],[124.0,42.0]]]]}},
      {"type":"Feature","properties":{"name":"乙"},"geometry":{"type":"MultiPolygon","coordinates":[
        [[[122.0,40.0],[122.4,40.0],[122.4,40.4],[122.0,40.0]]],
        [[[125.0,43.0],[125.9,43.8],[125.9,43.8],[125.0,43.0]]]]}},
      {"type":"Feature","properties":{"name":"丙"},"geometry":{"type":"Polygon","coordinates":[
        [[121.0,39.0],[121.0,39.0],[121.8,39.0],[121.8,39.6],[121.0,39.6],[121.0,39.0]],
        [[121.2,39.2],[121.4,39.2],[121.4,39.4],[121.2,39.2]]]}}]}"#;
    let l = load_bytes("bounds.geojson", text.as_bytes(), &DirSource(".".into())).unwrap();
    assert_eq!(l.plan.areas.len(), 3, "{:?}", l.diagnostics);
    let eager = ProjectedPlan::new(&l.plan);
    // As the page takes them: each outline through a batch, projected by the worker.
    let pieces = Pieces {
        areas: l.plan.areas.clone(),
        ..Pieces::default()
    };
    let prepared: Vec<Prepared> = l
        .plan
        .areas
        .iter()
        .map(|a| planmap::geom::prepare_with_outline(&a.geometry))
        .collect();
    let (back, prepared) = decode(&encode(&pieces, &prepared)).unwrap();
    let areas = prepared.iter().map(|p| p.levels[0].1.clone()).collect();
    let prepared = prepared
        .into_iter()
        .map(|mut p| {
            p.levels.remove(0);
            p
        })
        .collect();
    let plan = planmap::plan::Plan {
        areas: back.areas,
        ..planmap::plan::Plan::default()
    };
    let streamed = ProjectedPlan::assemble(&plan, areas, prepared);
    for i in 0..3 {
        assert_eq!(streamed.area_bounds[i], eager.area_bounds[i], "area {i}");
        assert!(!streamed.area_bounds[i].is_empty(), "area {i}");
    }
    // The sliver's corner is in its area's bounds: they were not taken from the arcs alone.
    let far = planmap::geom::project_area(&geo::MultiPolygon(vec![geo::Polygon::new(
        geo::LineString::from(vec![(125.9, 43.8), (125.9, 43.8), (125.9, 43.8)]),
        vec![],
    )]));
    let corner = far.0[0].exterior().0[0];
    assert_eq!(streamed.area_bounds[1].max, [corner.x, corner.y]);
    assert_eq!(streamed.extent, eager.extent);
}
