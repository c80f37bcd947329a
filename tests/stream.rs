//! The streamed reading of a large file (issue 13: all of China, feature by feature, in a
//! worker) gives the same verdicts, messages and features as the whole-file loader, whatever
//! the sizes of the chunks the network delivers.

use planmap::plan::{load, DirSource, FeatureStream, Finished, Pieces, MAX_FILE_BYTES};

/// What a load came to: the error lines, or the warning lines (sorted: the stream says a
/// feature's duplicate keys with that feature, the whole-file reader all of them first) and
/// every feature's id, name and outline.
fn whole(name: &str, bytes: &[u8]) -> Result<(Vec<String>, String), String> {
    let text = planmap::plan::decode(bytes).map_err(|m| format!("{name}: {m}"))?;
    match load(name, &text, &DirSource(".".into())) {
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

fn streamed(name: &str, bytes: &[u8], chunk: usize) -> Result<(Vec<String>, String), String> {
    let mut s = FeatureStream::new(name, MAX_FILE_BYTES);
    let mut all = Pieces::default();
    let mut take = |s: &mut FeatureStream| {
        let p = s.take();
        all.areas.extend(p.areas);
        all.lines.extend(p.lines);
        all.points.extend(p.points);
    };
    for c in bytes.chunks(chunk.max(1)) {
        if let Err(m) = s.feed(c) {
            // Fatal while reading: said as the loader says it, of the file.
            return Err(format!("{name}: {m}"));
        }
        take(&mut s);
    }
    match s.finish() {
        Ok(Finished::Plan { warnings, .. }) => {
            take(&mut s);
            let mut w: Vec<String> = warnings.iter().map(ToString::to_string).collect();
            w.sort();
            Ok((w, describe(&all)))
        }
        Ok(Finished::Manifest) => Err("manifest".into()),
        Err(e) => Err(e.to_string()),
    }
}

fn describe(p: &Pieces) -> String {
    let mut out = String::new();
    for a in &p.areas {
        out += &format!(
            "area {} {:?} {:?} {:?}\n",
            a.id, a.name, a.geometry, a.numbers
        );
    }
    for l in &p.lines {
        out += &format!("line {} {:?} {:?}\n", l.id, l.name, l.geometry);
    }
    for pt in &p.points {
        out += &format!("point {} {:?} {:?}\n", pt.id, pt.name, pt.lonlat);
    }
    out
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
fn every_file_of_the_corpus_reads_the_same_streamed_in_any_chunks() {
    for path in files() {
        let bytes = std::fs::read(&path).unwrap();
        let name = path.file_name().unwrap().to_str().unwrap();
        let expected = whole(name, &bytes);
        for chunk in [1, 2, 3, 7, 64, 4096, 1 << 20] {
            if chunk < 7 && bytes.len() > 20_000 {
                continue; // byte by byte only where it is quick
            }
            let got = streamed(name, &bytes, chunk);
            assert_eq!(got, expected, "{} in chunks of {chunk}", path.display());
        }
    }
}

#[test]
fn syntax_errors_name_the_files_line_and_column() {
    let text = "{\"type\": \"FeatureCollection\", \"features\": [\n  {\"type\": \"Feature\", \"properties\": {}, \"geometry\": null},\n  {\"type\": \"Feature\", \"properties\": {\"a\": tru}, \"geometry\": null}\n]}";
    let w = whole("s.geojson", text.as_bytes()).unwrap_err();
    assert_eq!(
        w,
        "s.geojson: invalid JSON at line 3, column 46: expected ident" // the `}` after `tru`
    );
    for chunk in [1, 5, 1000] {
        assert_eq!(
            streamed("s.geojson", text.as_bytes(), chunk).unwrap_err(),
            w
        );
    }
    // After a feature, on the same line: the skeleton's columns are the file's.
    let text = "{\"type\": \"FeatureCollection\", \"features\": [{\"type\": \"Feature\", \"properties\": {}, \"geometry\": null} {}]}";
    let w = whole("t.geojson", text.as_bytes()).unwrap_err();
    assert_eq!(
        w,
        "t.geojson: invalid JSON at line 1, column 100: expected `,` or `]`"
    );
    assert_eq!(streamed("t.geojson", text.as_bytes(), 3).unwrap_err(), w);
    // Cut short.
    let cut = &text[..60];
    let w = whole("c.geojson", cut.as_bytes()).unwrap_err();
    assert_eq!(streamed("c.geojson", cut.as_bytes(), 8).unwrap_err(), w);
}

#[test]
fn a_manifest_is_handed_back_and_a_feature_read_whole() {
    let m = std::fs::read("data/huanggu/plan.json").unwrap();
    assert_eq!(streamed("plan.json", &m, 100).unwrap_err(), "manifest");
    let f = r#"{"type": "Feature", "properties": {"name": "甲"}, "geometry": {"type": "Point", "coordinates": [123.4, 41.8]}}"#.as_bytes();
    assert_eq!(streamed("f.geojson", f, 5), whole("f.geojson", f));
}

#[test]
fn the_size_cap_stops_the_stream_as_bytes_arrive() {
    let mut s = FeatureStream::new("big.geojson", 64 << 20);
    let chunk = vec![b' '; 1 << 20];
    let mut err = None;
    for _ in 0..65 {
        if let Err(m) = s.feed(&chunk) {
            err = Some(m);
            break;
        }
    }
    assert_eq!(
        err.as_deref(),
        Some("file is larger than 64 MB; planmap reads at most 64 MB per file")
    );
}
