//! The fast path for a common feature (`src/plan/fast.rs`) reads what the general, serde
//! path reads: the same plan to the bit and the same messages. A feature key written with an
//! escape (`"\u0074ype"`, still `type`) is one the fast path leaves to the general path, so
//! each file is loaded both ways and compared.

use planmap::plan::{load_bytes, DirSource};

/// `text` with every `"type":` key written with an escape, which only the general path reads.
fn general_only(text: &str) -> String {
    text.replace("\"type\":", "\"\\u0074ype\":")
}

/// The plan and messages of a load, as text (`{:?}` of an `f64` tells every bit apart).
fn outcome(name: &str, text: &str) -> String {
    match load_bytes(name, text.as_bytes(), &DirSource("data/huanggu".into())) {
        Ok(l) => format!(
            "{:?}\n{}",
            l.plan,
            l.diagnostics
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        ),
        Err(e) => format!("error: {e}"),
    }
}

fn same_both_ways(name: &str, text: &str) {
    let general = general_only(text);
    assert_ne!(general, text, "{name}: the test must change something");
    assert_eq!(outcome(name, text), outcome(name, &general), "{name}");
}

/// `s` without the numbers of its "line L, column C" (the escape moves what follows it).
fn without_columns(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(k) = rest.find("column ") {
        out.push_str(&rest[..k + 7]);
        rest = rest[k + 7..].trim_start_matches(|c: char| c.is_ascii_digit());
        out.push('C');
    }
    out + rest
}

#[test]
fn the_plans_geojson_files_read_the_same_both_ways() {
    for f in ["boundary", "context", "lines", "projects", "zones"] {
        let path = format!("data/huanggu/{f}.geojson");
        let text = std::fs::read_to_string(&path).unwrap();
        same_both_ways(&path, &text);
    }
}

#[test]
fn numbers_of_every_form_read_as_serde_json_reads_them() {
    // Integers, a negative zero, long fractions, exponents, more digits than a u64 holds:
    // coordinates serde_json reads with its own (not correctly rounded) arithmetic.
    let numbers = [
        "0",
        "-0",
        "5",
        "-7",
        "0.1",
        "-0.5",
        "116.4073963",
        "39.9041999",
        "-0.0",
        "1e1",
        "1.5E-1",
        "2e+1",
        "12345678901234567890",
        "1.23456789012345678901234",
        "0.000000000000000000000001",
        "179.99999999999999999",
        "9999999999999999999",
        "1.0000000000000000001",
        "89.123456789012345",
        "45.678901234567891",
        // Fractions read eight digits at a time: eight exactly, more, up to 19 digits in all
        // and past it, all zeros, an exponent after eight.
        "41.0693359375",
        "-123.1220703125",
        "1.12345678",
        "0.00000000",
        "12345678901.12345678",
        "123456789012.12345678",
        "0.1234567890123456789",
        "0.12345678901234567890",
        "1.12345678e2",
        "7.87654321987",
    ];
    let ring: Vec<String> = numbers
        .windows(2)
        .map(|w| format!("[{}, {}]", w[0], w[1]))
        .chain(std::iter::once(format!("[{}, {}]", numbers[0], numbers[1])))
        .collect();
    let text = format!(
        r#"{{"type":"FeatureCollection","features":[
          {{"type":"Feature","id":"a","properties":{{"name":"甲","n":[1,2.5,-3e2]}},
            "geometry":{{"type":"Polygon","coordinates":[[{}]]}}}},
          {{"type":"Feature","properties":{{"name":"乙"}},
            "geometry":{{"type":"LineString","coordinates":[[116.1,39.2],[116.3,39.4]],"bbox":[1,2,3,4]}}}},
          {{"type":"Feature","geometry":null,"properties":null}},
          {{"type":"Feature","geometry":{{"type":"Point","coordinates":[ 116.25 , 39.5 , 12 ]}},"properties":{{"name":"丙"}}}}
        ]}}"#,
        ring.join(",")
    );
    // Huge or odd values are rejected by the loader with a message: the same one both ways.
    same_both_ways("numbers.geojson", &text);
    // Coordinates in range with fractions of eight digits and more, so the plan has them.
    let ring = [
        "[123.1220703125, 41.0693359375]",
        "[123.52345678, 41.00000000]",
        "[123.9234567890123, 41.87654321]",
        "[123.1234567890123456, 41.91234567890123456]",
        "[123.22345678, 41.5]",
        "[123.1220703125, 41.0693359375]",
    ];
    let text = format!(
        r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{"name":"丁"}},
          "geometry":{{"type":"Polygon","coordinates":[[{}]]}}}}]}}"#,
        ring.join(",")
    );
    let plan = outcome("long-fractions.geojson", &text);
    assert!(plan.contains("丁"), "{plan}");
    same_both_ways("long-fractions.geojson", &text);
}

#[test]
fn broken_features_give_the_same_messages_both_ways() {
    // Each is one feature the fast path gives up on part-way (or reads and the loader
    // refuses); the general path says what is wrong.
    let features = [
        r#"{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[1,2,]}}"#,
        r#"{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[01,2]}}"#,
        r#"{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[1.,2]}}"#,
        r#"{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":["1",2]}}"#,
        r#"{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[1e999,2]}}"#,
        r#"{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[[1,2]]}}"#,
        r#"{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[1,2],"coordinates":[3,4]}}"#,
        r#"{"type":"Feature","properties":{"a":1,"a":2},"geometry":{"type":"Point","coordinates":[1,2]}}"#,
        r#"{"type":"Feature","properties":{},"geometry":{"type":"GeometryCollection","geometries":[]}}"#,
        r#"{"type":"Feature","properties":{},"geometry":[1,2]}"#,
        r#"{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[200,2]}}"#,
        r#"{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[1 2]}}"#,
        r#"{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[1,2]} "x":1}"#,
    ];
    let mut kinds = std::collections::HashSet::new();
    for f in features {
        let text = format!(
            r#"{{"type":"FeatureCollection","features":[{f},
              {{"type":"Feature","properties":{{"name":"好"}},"geometry":{{"type":"Point","coordinates":[116,39]}}}}]}}"#
        );
        let general = general_only(&text);
        let (fast, slow) = (outcome(f, &text), outcome(f, &general));
        assert_eq!(without_columns(&fast), without_columns(&slow), "{f}");
        kinds.insert(if fast.starts_with("error: ") {
            "refused"
        } else {
            "loaded"
        });
    }
    // Broken JSON refuses the file; a bad feature is skipped and the next one drawn.
    assert_eq!(kinds.len(), 2, "both kinds of outcome are compared");
}
