//! The element's feature list and details panel JSON for the Huanggu plan, field by field
//! against the plan's own files (read here as plain JSON, not through the loader), so the
//! hand-written JSON text (src/map/panel_json.rs) is checked for every key the element reads.

use planmap::geom::Hit;
use planmap::map::PlanView;
use planmap::plan::{load, DirSource};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/huanggu")
}

fn file(name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(dir().join(name)).unwrap()).unwrap()
}

/// The `properties` of each feature of a layer.
fn props(layer: &str) -> Vec<Value> {
    file(layer)["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["properties"].clone())
        .collect()
}

fn view() -> PlanView {
    let text = std::fs::read_to_string(dir().join("plan.json")).unwrap();
    PlanView::new(
        load("plan.json", &text, &DirSource(dir())).unwrap(),
        [800.0, 600.0],
    )
}

fn parse(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// The entry of `list` whose `id` is `id`.
fn by_id<'a>(list: &'a Value, id: &Value) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|x| &x["id"] == id)
        .unwrap_or_else(|| panic!("no {id} in {list}"))
}

/// `[{"label": …, "text": …}]` in Chinese, from a feature's `facts`.
fn facts_zh(p: &Value) -> Value {
    Value::Array(
        p["facts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| serde_json::json!({"label": f["label"]["zh"], "text": f["text"]["zh"]}))
            .collect(),
    )
}

fn quote(p: &Value) -> Value {
    serde_json::json!({"section": p["section"], "source": p["source"]})
}

#[test]
fn the_feature_list_has_every_feature_of_the_files() {
    let pv = view();
    let plan = file("plan.json");
    let f = parse(&pv.features_json());
    assert_eq!(f["title"], plan["title"]["zh"]);
    assert_eq!(f["crs"], plan["crs"]);
    assert_eq!(f["document"]["title"], plan["document"]["title"]["zh"]);
    assert_eq!(f["document"]["issuer"], plan["document"]["issuer"]["zh"]);
    assert_eq!(f["document"]["year"], plan["document"]["year"]);
    let credits: Vec<&Value> = plan["credits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| &c["zh"])
        .collect();
    assert_eq!(
        f["credits"].as_array().unwrap().iter().collect::<Vec<_>>(),
        credits
    );
    assert_eq!(f["drawable"], true);
    assert_eq!(f["schematic"], true, "the zones are schematic");
    assert_eq!(f["warnings"], serde_json::json!([]));

    // Areas: the district and its zones, not the context.
    let (boundary, zones) = (props("boundary.geojson"), props("zones.geojson"));
    assert_eq!(
        f["areas"].as_array().unwrap().len(),
        boundary.len() + zones.len()
    );
    for (p, kind) in boundary
        .iter()
        .map(|p| (p, "district"))
        .chain(zones.iter().map(|p| (p, "zone")))
    {
        let a = by_id(&f["areas"], &p["id"]);
        assert_eq!(a["name"], p["name"]);
        assert_eq!(a["kind"], kind);
        assert_eq!(a["schematic"], p["geometry"] == "schematic", "{}", p["id"]);
        assert_eq!(a["values"], p["indicators"].as_array().map_or(0, Vec::len));
        let color = a["color"].as_str().unwrap();
        assert_eq!(
            color.is_empty(),
            kind == "district",
            "only zones have a colour: {color:?}"
        );
    }

    let projects = props("projects.geojson");
    assert_eq!(f["points"].as_array().unwrap().len(), projects.len());
    for p in &projects {
        let x = by_id(&f["points"], &p["id"]);
        assert_eq!(x["kind"], "project");
        for key in ["name", "category", "status", "zone"] {
            assert_eq!(x[key], p[key], "{} {key}", p["id"]);
        }
    }

    let lines = props("lines.geojson");
    assert_eq!(f["lines"].as_array().unwrap().len(), lines.len());
    for p in &lines {
        let x = by_id(&f["lines"], &p["id"]);
        assert_eq!(x["kind"], "line");
        for key in ["name", "category", "status", "zone"] {
            assert_eq!(x[key], p[key], "{} {key}", p["id"]);
        }
        assert_eq!(x["schematic"], p["geometry"] == "schematic");
        assert_eq!(x["drawn"], true);
        assert_eq!(x["dashed"], x["schematic"], "schematic lines are dashed");
        assert!(x["color"].as_str().unwrap().starts_with('#'));
        assert!(x["casing"].as_str().unwrap().starts_with('#'));
    }

    let categories = plan["categories"].as_array().unwrap();
    assert_eq!(f["categories"].as_array().unwrap().len(), categories.len());
    for c in categories {
        let x = by_id(&f["categories"], &c["id"]);
        assert_eq!(x["name"], c["name"]["zh"]);
        assert_eq!(x["symbol"], c["symbol"]);
        let n = projects.iter().filter(|p| p["category"] == c["id"]).count();
        assert_eq!(x["count"], n, "{}", c["id"]);
        assert!(x["color"].as_str().unwrap().starts_with('#'));
    }

    // Statuses in the order first met, each with its count.
    let mut statuses: Vec<(Value, usize)> = Vec::new();
    for p in &projects {
        match statuses.iter_mut().find(|(s, _)| *s == p["status"]) {
            Some((_, n)) => *n += 1,
            None => statuses.push((p["status"].clone(), 1)),
        }
    }
    let expected: Vec<Value> = statuses
        .into_iter()
        .map(|(s, n)| serde_json::json!({"id": s, "count": n}))
        .collect();
    assert_eq!(f["statuses"], Value::Array(expected));

    let indicators = plan["indicators"].as_array().unwrap();
    assert_eq!(f["indicators"].as_array().unwrap().len(), indicators.len());
    for (x, d) in f["indicators"].as_array().unwrap().iter().zip(indicators) {
        assert_eq!(x["id"], d["id"]);
        assert_eq!(x["name"], d["name"]["zh"]);
        assert_eq!(x["unit"], d["unit"]["zh"]);
        assert_eq!(x["group"], d["group"]);
    }
}

#[test]
fn the_details_of_a_zone_a_project_and_a_line_are_those_of_the_files() {
    let pv = view();
    let plan = file("plan.json");
    let (zones, projects, lines) = (
        props("zones.geojson"),
        props("projects.geojson"),
        props("lines.geojson"),
    );
    let id = |p: &Value| p["id"].as_str().unwrap().to_owned();

    for z in &zones {
        let hit = pv.find(&id(z)).unwrap();
        assert!(matches!(hit, Hit::Area(_)));
        let d = parse(&pv.details_json(hit));
        assert_eq!(d["id"], z["id"]);
        assert_eq!(d["kind"], "zone");
        assert_eq!(d["name"], z["name"]);
        assert_eq!(d["schematic"], z["geometry"] == "schematic");
        assert_eq!(d["facts"], facts_zh(z));
        assert_eq!(d["quote"], quote(z));
        assert_eq!(d["link"], Value::Null);
        assert_eq!(d["numbers"], serde_json::json!([]));
        let named = |list: &[Value]| {
            Value::Array(
                list.iter()
                    .filter(|p| p["zone"] == z["id"])
                    .map(|p| serde_json::json!({"id": p["id"], "name": p["name"]}))
                    .collect(),
            )
        };
        assert_eq!(d["projects"], named(&projects));
        assert_eq!(d["lines"], named(&lines));
        let none = Vec::new();
        let values = z["indicators"].as_array().unwrap_or(&none);
        assert_eq!(d["values"].as_array().unwrap().len(), values.len());
        for (x, v) in d["values"].as_array().unwrap().iter().zip(values) {
            let def = by_id(&plan["indicators"], &v["indicator"]);
            assert_eq!(x["indicator"], v["indicator"]);
            assert_eq!(x["name"], def["name"]["zh"]);
            assert_eq!(x["unit"], def["unit"]["zh"]);
            assert_eq!(x["value"].as_f64(), v["value"].as_f64());
            for key in ["year", "kind", "source", "section"] {
                assert_eq!(x[key], v[key], "{} {key}", v["indicator"]);
            }
            for key in ["at_least", "at_most", "approximately"] {
                assert_eq!(x[key], v.get(key).cloned().unwrap_or(Value::Bool(false)));
            }
        }
    }

    let zone_name = |z: &Value| match z {
        Value::Null => Value::Null,
        z => by_id(&Value::Array(zones.clone()), z)["name"].clone(),
    };
    for p in &projects {
        let d = parse(&pv.details_json(pv.find(&id(p)).unwrap()));
        assert_eq!(d["kind"], "project");
        assert_eq!(d["name"], p["name"]);
        assert_eq!(
            d["category"],
            by_id(&plan["categories"], &p["category"])["name"]["zh"]
        );
        assert_eq!(d["status"], p["status"]);
        assert_eq!(d["zone"], zone_name(&p["zone"]), "{}", p["id"]);
        assert_eq!(d["location"], p["location"]);
        assert_eq!(d["facts"], facts_zh(p));
        assert_eq!(d["quote"], quote(p));
        assert_eq!(d["link"], Value::Null);
        let ll = d["lonlat"].as_array().unwrap();
        assert!(ll.len() == 2 && ll.iter().all(Value::is_f64));
    }
    // The coordinates are the file's (the plan is GCJ-02 and so is the panel's lonlat).
    let first = &file("projects.geojson")["features"][0];
    let d = parse(&pv.details_json(pv.find(&id(&first["properties"])).unwrap()));
    assert_eq!(d["lonlat"], first["geometry"]["coordinates"]);

    for p in &lines {
        let hit = pv.find(&id(p)).unwrap();
        let Hit::Line(i) = hit else {
            panic!("{} is no line", p["id"])
        };
        let d = parse(&pv.details_json(hit));
        assert_eq!(d["kind"], "line");
        assert_eq!(d["name"], p["name"]);
        assert_eq!(d["category"], p["category"]);
        assert_eq!(d["status"], p["status"]);
        assert_eq!(d["zone"], zone_name(&p["zone"]));
        assert_eq!(d["schematic"], p["geometry"] == "schematic");
        assert_eq!(d["drawn"], true);
        assert_eq!(d["facts"], facts_zh(p));
        assert_eq!(d["quote"], quote(p));
        assert_eq!(d["numbers"], serde_json::json!([]));
        assert_eq!(
            d["location"],
            serde_json::to_value(pv.plan.lines[i].location).unwrap()
        );
    }
    let canal = parse(&pv.details_json(pv.find("beiyunhe_canal").unwrap()));
    assert_eq!(canal["class"], "water", "a canal is drawn as water");
}

#[test]
fn the_panel_json_follows_the_language() {
    let mut pv = view();
    pv.view.lang = planmap::plan::Lang::En;
    let plan = file("plan.json");
    let f = parse(&pv.features_json());
    assert_eq!(f["title"], plan["title"]["en"]);
    let z = &props("zones.geojson")[0];
    let a = by_id(&f["areas"], &z["id"]);
    assert_eq!(a["name"], z["name_en"]);
    let d = parse(&pv.details_json(pv.find(z["id"].as_str().unwrap()).unwrap()));
    assert_eq!(d["facts"][0]["label"], z["facts"][0]["label"]["en"]);
}
