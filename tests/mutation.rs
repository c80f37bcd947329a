//! The quick mutation pass of `cargo xtask test`: a small deterministic mutator (fixed seed)
//! turns the seeds from data/ and tests/broken/ into a few thousand broken variants and runs the
//! loader and the whole native widget (`planmap::exercise`) on each. Nothing may panic. The
//! long, coverage-guided runs are `cargo xtask fuzz` (fuzz/, nightly).

mod common;
use common::Rng;
use planmap::exercise;
use std::path::Path;

/// Values that have broken parsers and scales before.
const TOKENS: [&str; 24] = [
    "1e999",
    "-1e999",
    "1.7976931348623157e308",
    "-1.7976931348623157e308",
    "4294969296",
    "-0",
    "180.0000001",
    "-180",
    "90",
    "85.06",
    "null",
    "[]",
    "{}",
    "\"\"",
    "true",
    "\"yes\"",
    "[[[[[[[[",
    "]]]]",
    "\"\\u0000\"",
    "\"\\ud800\"",
    ",",
    "\"id\": 1",
    "\"type\": \"MultiPoint\"",
    "\"coordinates\": [[179.9, 1], [-179.9, 1], [-179.9, 2], [179.9, 1]]",
];

/// One or two edits of `input`: byte flips, a token inserted or replacing a number,
/// a range deleted or duplicated.
fn mutate(input: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut v = input.to_vec();
    for _ in 0..=rng.below(2) {
        let at = rng.below(v.len() + 1);
        match rng.below(6) {
            0 if !v.is_empty() => {
                let i = at.min(v.len() - 1);
                v[i] ^= 1 << rng.below(8);
            }
            1 => {
                let t = TOKENS[rng.below(TOKENS.len())].as_bytes();
                v.splice(at..at, t.iter().copied());
            }
            2 | 5 => {
                // Replace the number starting at or after `at` with a token.
                let Some(s) = (at..v.len()).find(|&i| v[i].is_ascii_digit()) else {
                    continue;
                };
                let e = (s..v.len())
                    .find(|&i| !matches!(v[i], b'0'..=b'9' | b'.' | b'e' | b'E' | b'-' | b'+'))
                    .unwrap_or(v.len());
                let t = TOKENS[rng.below(TOKENS.len())].as_bytes();
                v.splice(s..e, t.iter().copied());
            }
            3 => {
                let end = (at + rng.below(64)).min(v.len());
                v.drain(at..end);
            }
            _ => {
                let end = (at + rng.below(256)).min(v.len());
                let copy = v[at..end].to_vec();
                v.splice(at..at, copy);
            }
        }
    }
    v
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn mutated_bare_geojson_never_panics() {
    let mut seeds = Vec::new();
    for dir in ["tests/broken", "data/huanggu"] {
        for e in std::fs::read_dir(root().join(dir)).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|e| e == "geojson")
                && std::fs::metadata(&p).unwrap().len() < 60_000
            {
                seeds.push(std::fs::read(&p).unwrap());
            }
        }
    }
    seeds.sort();
    assert!(seeds.len() >= 10, "{} seeds", seeds.len());
    let mut rng = Rng(12);
    let mut loaded = 0;
    for round in 0..3000 {
        let seed = &seeds[round % seeds.len()];
        let m = mutate(seed, &mut rng);
        if exercise::geojson(&String::from_utf8_lossy(&m)) {
            loaded += 1;
        }
        if std::env::var_os("MUTATION_VERBOSE").is_some() && round % 500 == 0 {
            eprintln!("{round}: {loaded} loaded");
        }
    }
    // Most mutants still load: the pass reaches the widget, not only the JSON parser.
    assert!(loaded > 300, "only {loaded} of 3000 mutants loaded");
}

#[test]
fn mutated_manifests_never_panic() {
    let seeds: Vec<String> = ["data/huanggu", "tests/broken/manifest"]
        .iter()
        .map(|d| exercise::manifest_case(&root().join(d), 20_000).unwrap())
        .collect();
    let mut rng = Rng(34);
    let mut loaded = 0;
    for round in 0..400 {
        let seed = seeds[round % seeds.len()].as_bytes();
        let m = mutate(seed, &mut rng);
        if exercise::manifest(&String::from_utf8_lossy(&m)) {
            loaded += 1;
        }
    }
    assert!(loaded > 40, "only {loaded} of 400 mutants loaded");
}

#[test]
fn every_broken_case_runs_through_the_whole_widget() {
    // Each fuzz finding lands in tests/broken/ (its messages checked by broken_inputs.rs);
    // here the widget runs on what loads, so the finding stays fixed (sliver.geojson: a
    // polygon 10⁻⁹° wide made the label search run out of memory).
    let mut ran = 0;
    for e in std::fs::read_dir(root().join("tests/broken")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|e| e == "geojson") {
            let text = String::from_utf8_lossy(&std::fs::read(&p).unwrap()).into_owned();
            exercise::geojson(&text);
            ran += 1;
        }
    }
    assert!(ran >= 10, "{ran} cases");
}
