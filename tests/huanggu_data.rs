//! The default dataset: it loads with no warnings, and every number and every feature carries
//! a quote that stands verbatim in the plan's text (../shared/plan/).

use geo::{Contains, Distance, Euclidean, Point};
use planmap::plan::{load, AreaRole, DirSource, Loaded, Location};
use std::collections::HashSet;
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn huanggu() -> Loaded {
    let dir = root().join("data/huanggu");
    let text = std::fs::read_to_string(dir.join("plan.json")).unwrap();
    load("plan.json", &text, &DirSource(dir)).expect("the default plan loads")
}

fn plan_text() -> String {
    // A git worktree sits elsewhere than the main checkout: PLANMAP_SHARED names the folder.
    let shared = std::env::var_os("PLANMAP_SHARED")
        .map_or_else(|| root().join("../shared"), std::path::PathBuf::from);
    let path = shared.join("plan/huanggu-14th-five-year-plan-2022.txt");
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "the plan text must be beside the repository at {}: {e}",
            path.display()
        )
    })
}

#[test]
fn loads_without_warnings() {
    let l = huanggu();
    let lines: Vec<String> = l.diagnostics.iter().map(ToString::to_string).collect();
    assert!(lines.is_empty(), "{}", lines.join("\n"));
    assert_eq!(l.plan.crs, "GCJ-02");
}

#[test]
fn has_the_five_zones_of_chapter_four_marked_schematic() {
    let l = huanggu();
    let zones: Vec<(&str, &str)> = l
        .plan
        .areas
        .iter()
        .filter(|a| a.role == AreaRole::Zone)
        .map(|a| (a.id.as_str(), a.name.zh.as_str()))
        .collect();
    assert_eq!(
        zones,
        [
            ("c6", "C6科创走廊片区"),
            ("beiyunhe", "北运河文商旅片区"),
            ("beizhanbei", "北站北现代金融片区"),
            ("changjiangjie", "长江街现代商贸片区"),
            ("daxuecheng", "北部大学城双创片区")
        ]
    );
    assert!(l
        .plan
        .areas
        .iter()
        .filter(|a| a.role == AreaRole::Zone)
        .all(|a| a.schematic && a.name.en.is_some()));
    let text = plan_text();
    // The zone names as the plan writes them ("C6 科创走廊片区" has a space in the text).
    for name in [
        "C6 科创走廊片区",
        "北运河文商旅片区",
        "北站北现代金融片区",
        "长江街现代商贸片区",
        "北部大学城双创片区",
    ] {
        assert!(text.contains(name), "{name}");
    }
}

#[test]
fn every_quote_is_verbatim_in_the_plan_text() {
    let l = huanggu();
    let text = plan_text();
    let mut checked = 0;
    let mut missing = Vec::new();
    let mut check = |what: String, quote: &str| {
        checked += 1;
        if !text.contains(quote) {
            missing.push(format!("{what}: {quote}"));
        }
    };
    for a in &l.plan.areas {
        if let Some(q) = &a.quote {
            check(format!("area {}", a.id), &q.source);
        }
        for v in &a.values {
            check(format!("{} {} {}", a.id, v.indicator, v.year), &v.source);
        }
    }
    for p in &l.plan.points {
        check(
            format!("point {}", p.id),
            &p.quote
                .as_ref()
                .expect("every project has its quote")
                .source,
        );
    }
    for line in &l.plan.lines {
        check(
            format!("line {}", line.id),
            &line
                .quote
                .as_ref()
                .expect("every line has its quote")
                .source,
        );
    }
    assert!(
        missing.is_empty(),
        "not in the plan text:\n{}",
        missing.join("\n")
    );
    assert!(checked > 100, "{checked}");
}

#[test]
fn every_value_states_its_number_in_its_quote() {
    // A quote must state the value it backs, as the plan writes numbers ("15 家", "569.7 亿元").
    let l = huanggu();
    for (a, v) in l.plan.all_values() {
        let n = if v.value.fract() == 0.0 {
            format!("{}", v.value as i64)
        } else {
            format!("{}", v.value)
        };
        assert!(
            v.source.contains(&n),
            "{} {}: {} not in \"{}\"",
            a.id,
            v.indicator,
            n,
            v.source
        );
        assert!(
            v.section.starts_with('第'),
            "{}: section {}",
            v.indicator,
            v.section
        );
    }
}

#[test]
fn sections_name_the_heading_above_the_quote() {
    let l = huanggu();
    let text = plan_text();
    for (a, v) in l.plan.all_values() {
        let at = text.find(&v.source).unwrap();
        let before = &text[..at];
        let chapter = v.section.split(' ').next().unwrap();
        let chapter_at = before
            .rfind(&format!("\n{chapter}"))
            .unwrap_or_else(|| panic!("{} {}: {chapter} not above its quote", a.id, v.indicator));
        if let Some(section) = v.section.split(' ').nth(1) {
            assert!(
                before[chapter_at..].contains(&format!("\n{section}")),
                "{} {}: {} not in {chapter}",
                a.id,
                v.indicator,
                section
            );
        }
    }
}

#[test]
fn counts_meet_the_issue() {
    let l = huanggu();
    let values: usize = l.plan.areas.iter().map(|a| a.values.len()).sum();
    assert!(values >= 40, "{values} values");
    assert!(l.plan.points.len() >= 40, "{} points", l.plan.points.len());
    let years: HashSet<i32> = l.plan.all_values().map(|(_, v)| v.year).collect();
    assert!(years.contains(&2015) && years.contains(&2020) && years.contains(&2025));
    // The headline series: high-tech enterprises 15 → 170 → 500.
    let series: Vec<f64> = l
        .plan
        .area("huanggu")
        .unwrap()
        .values
        .iter()
        .filter(|v| v.indicator == "high_tech_enterprises")
        .map(|v| v.value)
        .collect();
    assert_eq!(series, [15.0, 170.0, 500.0]);
}

#[test]
fn every_point_lies_in_the_district_and_says_how_it_was_placed() {
    let l = huanggu();
    let district = &l.plan.area("huanggu").unwrap().geometry;
    for p in &l.plan.points {
        assert!(
            district.contains(&Point::new(p.lonlat[0], p.lonlat[1])),
            "{} at {:?} is outside 皇姑区",
            p.id,
            p.lonlat
        );
        assert!(
            p.facts.iter().any(|f| f.label.zh == "位置"),
            "{} has no note on its position",
            p.id
        );
        assert!(
            l.plan.category(&p.category).is_some(),
            "{}: category {}",
            p.id,
            p.category
        );
    }
    let surveyed = l
        .plan
        .points
        .iter()
        .filter(|p| p.location == Location::Surveyed)
        .count();
    assert!(
        surveyed <= 3,
        "only positions from a credited source may be 'surveyed'"
    );
}

#[test]
fn zones_lie_within_the_district() {
    let l = huanggu();
    let district = &l.plan.area("huanggu").unwrap().geometry;
    for z in l.plan.areas.iter().filter(|a| a.role == AreaRole::Zone) {
        for poly in &z.geometry {
            // Clipped outlines share the district's edge; coordinates rounded to 1e-6° may land
            // a hair outside it. More than about a metre out is a drawing error.
            for c in poly.exterior().coords() {
                let p = Point::new(c.x, c.y);
                let off = if district.contains(&p) {
                    0.0
                } else {
                    district
                        .iter()
                        .map(|d| Euclidean.distance(&p, d.exterior()))
                        .fold(f64::INFINITY, f64::min)
                };
                assert!(
                    off < 1e-5,
                    "{}: vertex {:?} is {:.6}° outside 皇姑区",
                    z.id,
                    (c.x, c.y),
                    off
                );
            }
        }
    }
}

#[test]
fn every_line_lies_in_the_district_says_how_it_was_drawn_and_sits_under_its_heading() {
    let l = huanggu();
    let text = plan_text();
    let district = &l.plan.area("huanggu").unwrap().geometry;
    assert!(
        l.plan.line("beiyunhe_canal").is_some(),
        "the canal the 北运河 zone is named after"
    );
    for line in &l.plan.lines {
        assert!(!line.geometry.0.is_empty(), "{} has no course", line.id);
        for c in line.geometry.0.iter().flat_map(|p| p.coords()) {
            assert!(
                district.contains(&Point::new(c.x, c.y)),
                "{} at {c:?} is outside 皇姑区",
                line.id
            );
        }
        // No street course was surveyed here: each is a sketch or an approximation, and says how.
        assert_eq!(line.location, Location::Approximate, "{}", line.id);
        assert!(
            line.facts
                .iter()
                .any(|f| f.label.zh == "位置" && f.text.zh.len() > 30),
            "{} does not say how its course was drawn",
            line.id
        );
        let q = line.quote.as_ref().unwrap();
        let at = text.find(&q.source).unwrap();
        let before = &text[..at];
        let mut parts = q.section.split(' ');
        let chapter = parts.next().unwrap();
        let chapter_at = before
            .rfind(&format!("\n{chapter}"))
            .unwrap_or_else(|| panic!("{}: {chapter} not above its quote", line.id));
        if let Some(section) = parts.next() {
            assert!(
                before[chapter_at..].contains(&format!("\n{section}")),
                "{}: {section} not in {chapter}",
                line.id
            );
        }
        if let Some(z) = &line.zone {
            let zone = l.plan.area(z).expect("a zone of the plan");
            // Tied to a zone only where the plan's text does: its quote names the zone.
            assert!(
                q.source.contains(&zone.name.zh),
                "{}: {} not in its quote",
                line.id,
                zone.name.zh
            );
        }
    }
}
