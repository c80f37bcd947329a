//! Broken input never panics and never takes the good parts down: each file under
//! tests/broken/ is loaded and its diagnostics must be exactly the lines of its `.expected`
//! file (written by hand from the format's rules, not copied from the loader's output).

use planmap::plan::{load, DirSource, MAX_DEPTH, MAX_FILE_BYTES};
use std::path::{Path, PathBuf};

fn broken_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/broken")
}

/// What loading `entry` (relative to tests/broken) says, one line per diagnostic, then a
/// `result:` line.
fn report(entry: &str) -> String {
    let dir = broken_dir();
    let path = dir.join(entry);
    // Bytes in, as the widget and the validator read them: encodings are part of the cases.
    let text = match planmap::plan::read_file(&path) {
        Ok(t) => t,
        Err(m) => return format!("{entry}: {m}\nresult: error"),
    };
    let source = DirSource(path.parent().unwrap().to_path_buf());
    let mut lines = Vec::new();
    match load(entry, &text, &source) {
        Ok(l) => {
            lines.extend(l.diagnostics.iter().map(ToString::to_string));
            lines.push(format!(
                "result: ok {} areas {} points {} lines",
                l.plan.areas.len(),
                l.plan.points.len(),
                l.plan.lines.len()
            ));
        }
        Err(e) => {
            lines.extend(e.diagnostics.iter().map(ToString::to_string));
            lines.push("result: error".to_owned());
        }
    }
    lines.join("\n")
}

#[test]
fn every_broken_file_gives_exactly_its_expected_messages() {
    let mut checked = 0;
    let mut failures = Vec::new();
    for entry in std::fs::read_dir(broken_dir()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "expected") {
            continue;
        }
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let input = ["geojson", "json"]
            .iter()
            .map(|ext| format!("{stem}.{ext}"))
            .find(|f| broken_dir().join(f).exists())
            .unwrap_or_else(|| format!("{stem}/plan.json"));
        let expected = std::fs::read_to_string(&path).unwrap();
        let got = report(&input);
        if got.trim() != expected.trim() {
            failures.push(format!(
                "--- {input}\nexpected:\n{}\ngot:\n{}",
                expected.trim(),
                got.trim()
            ));
        }
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} cases found");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn absurd_nesting_is_refused_with_the_limit_named() {
    let deep = format!(
        "{{\"type\":\"FeatureCollection\",\"features\":{}{}}}",
        "[".repeat(MAX_DEPTH + 50),
        "]".repeat(MAX_DEPTH + 50)
    );
    let err = load("deep.geojson", &deep, &DirSource(".".into())).unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.starts_with("deep.geojson: invalid JSON at line 1, column"),
        "{msg}"
    );
    assert!(
        msg.ends_with(&format!(
            "nesting deeper than {MAX_DEPTH} levels (planmap's limit)"
        )),
        "{msg}"
    );
}

#[test]
fn oversized_files_are_refused_before_parsing() {
    let big = " ".repeat(MAX_FILE_BYTES + 1);
    let err = load("big.geojson", &big, &DirSource(".".into())).unwrap_err();
    assert_eq!(
        err.to_string(),
        "big.geojson: file is 64.0 MB; planmap reads at most 64 MB per file"
    );
}

#[test]
fn a_missing_manifest_layer_is_named_and_the_rest_loads() {
    let got = report("manifest/plan.json");
    assert!(got.contains("missing-projects.geojson: file not found; layer \"projects\" skipped"));
    assert!(got.ends_with("result: ok 3 areas 0 points 0 lines"));
}

#[test]
fn hostile_text_is_kept_verbatim_as_data() {
    let text = std::fs::read_to_string(broken_dir().join("single-feature.geojson")).unwrap();
    let l = load("single-feature.geojson", &text, &DirSource(".".into())).unwrap();
    assert_eq!(l.plan.points[0].name.zh, "<img src=x onerror=alert(1)>");
}

#[test]
fn bare_geojson_numbers_become_colourable_properties() {
    let text = std::fs::read_to_string(broken_dir().join("mixed.geojson")).unwrap();
    let l = load("mixed.geojson", &text, &DirSource(".".into())).unwrap();
    assert_eq!(l.plan.areas[0].name.zh, "good square");
    assert!(l.plan.points.iter().any(|p| p.name.zh == "good point"));
}

#[test]
fn millions_of_bad_features_give_a_bounded_report() {
    // One good feature followed by 999,999 non-objects (the feature cap is a million) (issue 12: three million gave three
    // million warnings and froze the tab).
    let good = r#"{"type":"Feature","properties":{"name":"good"},"geometry":{"type":"Point","coordinates":[123.4,41.8]}}"#;
    let text = format!(
        "{{\"type\":\"FeatureCollection\",\"features\":[{good}{}]}}",
        ",1".repeat(999_999)
    );
    let l = load("many.geojson", &text, &DirSource(".".into())).unwrap();
    assert_eq!(l.plan.points.len(), 1);
    let lines: Vec<String> = l.diagnostics.iter().map(ToString::to_string).collect();
    assert_eq!(lines.len(), 101, "{:?}", &lines[95..]);
    assert_eq!(
        lines[0],
        "many.geojson: features[1]: expected a Feature object, found a number; feature skipped"
    );
    assert_eq!(
        lines[99],
        "many.geojson: features[100]: expected a Feature object, found a number; feature skipped"
    );
    assert_eq!(
        lines[100],
        "many.geojson: 999899 more warnings like: features[N]: expected a Feature object, found a number; feature skipped"
    );
}

#[test]
fn each_cap_is_named_when_a_file_passes_it() {
    use planmap::plan::{MAX_FEATURES, MAX_NUMBERS, MAX_STRING_BYTES};
    let err = |text: &str| {
        load("cap.geojson", text, &DirSource(".".into()))
            .unwrap_err()
            .to_string()
    };
    let features = format!(
        "{{\"type\":\"FeatureCollection\",\"features\":[{}1]}}",
        "1,".repeat(MAX_FEATURES)
    );
    // 40 columns of prefix, a million `1,`, the last `1`, then the `]` the reader stopped at.
    assert_eq!(
        err(&features),
        format!("cap.geojson: features: more than 1000000 features; planmap reads at most 1000000 (the feature cap) (at line 1, column {})", 42 + 2 * MAX_FEATURES)
    );
    let name = "x".repeat(MAX_STRING_BYTES + 1);
    let strings = format!(
        "{{\"type\":\"FeatureCollection\",\"features\":[{{\"type\":\"Feature\",\"properties\":{{\"name\":\"{name}\"}}}}]}}"
    );
    assert!(
        err(&strings).starts_with("cap.geojson: features[0].properties.name: a string of 65537 bytes; planmap reads strings of at most 64 KB (the string cap) (at line 1, column "),
        "{}", err(&strings)
    );
    let coords = "[123.4,41.8],".repeat(MAX_NUMBERS / 2 / 1000);
    let ring = format!("[{coords}[123.4,41.8]]");
    let rings = vec![ring; 1001].join(",");
    let numbers = format!(
        "{{\"type\":\"Feature\",\"properties\":{{}},\"geometry\":{{\"type\":\"MultiLineString\",\"coordinates\":[{rings}]}}}}"
    );
    assert!(
        err(&numbers).starts_with("cap.geojson: more than 10000000 numbers; planmap reads at most 10000000 per file (about 5000000 positions: the vertex cap) (at line 1, column "),
        "{}", err(&numbers)
    );
}

#[test]
fn duplicate_keys_are_warned_and_the_last_value_is_used() {
    let text = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"a","name":"b"},"geometry":{"type":"Point","coordinates":[123.4,41.8]}}],"features":[{"type":"Feature","properties":{"name":"c"},"geometry":{"type":"Point","coordinates":[123.4,41.8]}}]}"#;
    let l = load("dup.geojson", text, &DirSource(".".into())).unwrap();
    let lines: Vec<String> = l.diagnostics.iter().map(ToString::to_string).collect();
    assert_eq!(
        lines,
        [
            "dup.geojson: features[0].properties.name: duplicate key; the last value is used",
            "dup.geojson: features: duplicate key; the last value is used",
        ]
    );
    assert_eq!(l.plan.points[0].name.zh, "c");
}
