//! Preload links for the pages of `dist/`: where a page says `<!-- planmap:preload -->`, the
//! build writes one `<link>` for everything its first frame needs, so the browser asks for all
//! of it at once. Without them the requests chain, one round trip per step: the page, then
//! planmap.js, then each level of its imports down to the wasm-bindgen glue, then the wasm;
//! and the manifest, then its layers (issue 13: ≈ 6 s to `ready` on a throttled phone).
//!
//! The links name: each module planmap.js imports statically (not the charts or other
//! on-demand modules, which `import()` loads later), the map's wasm, and the `src` of the
//! page's first `<plan-map>` with the layer files its manifest names.

use std::collections::BTreeSet;
use std::path::Path;

/// The marker a page puts in its `<head>`.
pub(crate) const MARKER: &str = "<!-- planmap:preload -->";

/// Modules reached from `entry` (a file name in `dir`) through static `import … from './x.js'`,
/// `import './x.js'` and `export … from './x.js'`, written out or minified
/// (`import{a as b}from"./x.js";`), the entry first, then in file-name order.
pub(crate) fn static_imports(dir: &Path, entry: &str) -> Result<Vec<String>, String> {
    let mut seen = BTreeSet::new();
    let mut todo = vec![entry.to_string()];
    while let Some(name) = todo.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        let path = dir.join(&name);
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        todo.extend(specifiers(&text).filter_map(local));
    }
    seen.remove(entry);
    let mut out = vec![entry.to_string()];
    out.extend(seen);
    Ok(out)
}

/// The quoted specifier after each `from` and each `import` that a quote follows (a dynamic
/// `import(…)` has a parenthesis there, `import.meta` a dot): every static import and
/// re-export, whether or not a minifier dropped the spaces.
fn specifiers(js: &str) -> impl Iterator<Item = &str> {
    let is_ident = |c: char| c.is_alphanumeric() || c == '_' || c == '$' || c == '.';
    ["from", "import"].into_iter().flat_map(move |word| {
        js.match_indices(word).filter_map(move |(at, _)| {
            if js[..at].chars().next_back().is_some_and(is_ident) {
                return None;
            }
            quoted(&js[at + word.len()..])
        })
    })
}

/// The text between the first pair of matching quotes.
fn quoted(s: &str) -> Option<&str> {
    let s = s.trim_start();
    let q = s.chars().next().filter(|c| *c == '\'' || *c == '"')?;
    let rest = &s[1..];
    rest.find(q).map(|end| &rest[..end])
}

/// A same-folder module specifier (`./x.js`) as a file name.
fn local(spec: &str) -> Option<String> {
    spec.strip_prefix("./")
        .filter(|n| !n.contains('/') && n.ends_with(".js"))
        .map(str::to_string)
}

/// The `src` of the first `<plan-map …>` tag in `html`.
fn plan_map_src(html: &str) -> Option<&str> {
    let tag = &html[html.find("<plan-map")?..];
    let tag = &tag[..tag.find('>')?];
    let at = tag.find(" src=")?;
    quoted(&tag[at + 5..])
}

/// The links for `page` (an HTML file directly in `dist`).
fn links(dist: &Path, html: &str) -> Result<Vec<String>, String> {
    let mut out: Vec<String> = static_imports(dist, "planmap.js")?
        .into_iter()
        .skip(1) // the page's own <script> asks for planmap.js
        .map(|m| format!(r#"<link rel="modulepreload" href="{m}">"#))
        .collect();
    // `crossorigin` makes the preload's request the same as the fetch that uses it (CORS mode,
    // same-origin credentials): wasm-bindgen's `fetch` of the wasm and the element's of `src`.
    let fetch =
        |href: &str| format!(r#"<link rel="preload" href="{href}" as="fetch" crossorigin>"#);
    out.push(fetch("planmap_core_bg.wasm"));
    if let Some(src) = plan_map_src(html).filter(|s| !s.contains(':') && !s.starts_with('/')) {
        if let Ok(text) = std::fs::read_to_string(dist.join(src)) {
            out.push(fetch(src));
            let folder = src.rsplit_once('/').map_or("", |(d, _)| d);
            for layer in planmap::plan::layer_files(&text) {
                if !layer.contains(':') && !layer.starts_with('/') && !layer.contains("..") {
                    let href = if folder.is_empty() {
                        layer
                    } else {
                        format!("{folder}/{layer}")
                    };
                    if dist.join(&href).is_file() {
                        out.push(fetch(&href));
                    }
                }
            }
        }
    }
    Ok(out)
}

/// Replaces the marker in every HTML page directly in `dist` with its links.
pub(crate) fn write_links(dist: &Path) -> Result<(), String> {
    for entry in std::fs::read_dir(dist).map_err(|e| format!("{}: {e}", dist.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        if !html.contains(MARKER) {
            continue;
        }
        let links = links(dist, &html)?.join("\n");
        std::fs::write(&path, html.replace(MARKER, &links))
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follows_static_imports_only_and_reads_the_page_src_and_its_layers() {
        let dir = std::env::temp_dir().join(format!("planmap-preload-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("data")).unwrap();
        let w = |n: &str, t: &str| std::fs::write(dir.join(n), t).unwrap();
        w(
            "planmap.js",
            "import { A } from './planmap-a.js';\nexport { B } from './planmap-b.js';\n",
        );
        w(
            "planmap-a.js",
            "import init from './planmap_core.js';\nconst charts = () => import('./planmap_charts.js');\n",
        );
        w("planmap-b.js", "import { A } from './planmap-a.js';\n");
        w("planmap_core.js", "export default 1;\n");
        w(
            "data/plan.json",
            r#"{"planmap": 1, "layers": {"zones": "zones.geojson", "projects": "gone.geojson"}}"#,
        );
        w(
            "data/zones.geojson",
            r#"{"type": "FeatureCollection", "features": []}"#,
        );
        w(
            "index.html",
            "<head>\n<!-- planmap:preload -->\n</head><plan-map id=\"m\" src=\"data/plan.json\"></plan-map>",
        );
        // Each module once, the entry first, then in the order they are reached.
        let reached = [
            "planmap.js",
            "planmap-a.js",
            "planmap-b.js",
            "planmap_core.js",
        ];
        assert_eq!(static_imports(&dir, "planmap.js").unwrap(), reached);
        // The same modules minified (what dist ships), and a name that merely ends in "from".
        w(
            "planmap.js",
            "import{A as a}from\"./planmap-a.js\";export{B}from\"./planmap-b.js\";",
        );
        w(
            "planmap-a.js",
            "import o from\"./planmap_core.js\";const c=()=>import(\"./planmap_charts.js\"),m=import.meta.url,n=Array.from('./planmap-x.js');",
        );
        w("planmap-b.js", "import\"./planmap-a.js\";");
        assert_eq!(static_imports(&dir, "planmap.js").unwrap(), reached);
        w(
            "planmap.js",
            "import { A } from './planmap-a.js';\nexport { B } from './planmap-b.js';\n",
        );
        w(
            "planmap-a.js",
            "import init from './planmap_core.js';\nconst charts = () => import('./planmap_charts.js');\n",
        );
        w("planmap-b.js", "import { A } from './planmap-a.js';\n");
        write_links(&dir).unwrap();
        let html = std::fs::read_to_string(dir.join("index.html")).unwrap();
        assert_eq!(
            html,
            "<head>\n\
             <link rel=\"modulepreload\" href=\"planmap-a.js\">\n\
             <link rel=\"modulepreload\" href=\"planmap-b.js\">\n\
             <link rel=\"modulepreload\" href=\"planmap_core.js\">\n\
             <link rel=\"preload\" href=\"planmap_core_bg.wasm\" as=\"fetch\" crossorigin>\n\
             <link rel=\"preload\" href=\"data/plan.json\" as=\"fetch\" crossorigin>\n\
             <link rel=\"preload\" href=\"data/zones.geojson\" as=\"fetch\" crossorigin>\n\
             </head><plan-map id=\"m\" src=\"data/plan.json\"></plan-map>"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
