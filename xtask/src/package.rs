//! `cargo xtask package`: the npm package. Writes `pkg/` (the element's modules, the two wasm
//! modules and their glue, the standalone file, `planmap.d.ts`, README, CHANGELOG and a
//! generated `package.json`) and packs it with `npm pack` into `planmap-<version>.tgz` at the
//! repository root. The version is Cargo.toml's, so there is one source of truth.

use crate::{dist, root, run_cmd};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Builds `dist/`, then the package; returns the tarball's path.
pub(crate) fn run() -> Result<PathBuf, String> {
    let dist = dist::build()?;
    build(&dist)
}

/// The package from an existing `dist/`; returns the tarball's path.
pub(crate) fn build(dist: &Path) -> Result<PathBuf, String> {
    let root = root();
    let version = crate_version(
        &std::fs::read_to_string(root.join("Cargo.toml")).map_err(|e| e.to_string())?,
    )?;
    let pkg = root.join("pkg");
    if pkg.exists() {
        std::fs::remove_dir_all(&pkg).map_err(|e| format!("{}: {e}", pkg.display()))?;
    }
    std::fs::create_dir_all(&pkg).map_err(|e| e.to_string())?;
    let mut files = dist::element_modules(dist)?;
    files.extend(
        [
            "planmap_core.js",
            "planmap_core_bg.wasm",
            "planmap_worker_bg.wasm",
            "planmap_charts.js",
            "planmap_charts_bg.wasm",
            crate::standalone::FILE,
        ]
        .map(String::from),
    );
    for f in &files {
        let from = dist.join(f);
        if !from.exists() && f == crate::standalone::FILE {
            return Err(format!(
                "{f} is missing: the package needs Node.js to bundle it"
            ));
        }
        std::fs::copy(&from, pkg.join(f)).map_err(|e| format!("{}: {e}", from.display()))?;
    }
    for (from, to) in [
        ("package/planmap.d.ts", "planmap.d.ts"),
        ("package/README.md", "README.md"),
        ("CHANGELOG.md", "CHANGELOG.md"),
    ] {
        std::fs::copy(root.join(from), pkg.join(to)).map_err(|e| format!("{from}: {e}"))?;
        files.push(to.to_string());
    }
    std::fs::write(pkg.join("package.json"), package_json(&version, &files))
        .map_err(|e| e.to_string())?;
    run_cmd(
        Command::new("npm")
            .current_dir(&pkg)
            .args(["pack", "--silent", "--pack-destination"])
            .arg(&root),
    )?;
    let tgz = root.join(format!("planmap-{version}.tgz"));
    if !tgz.exists() {
        return Err(format!("npm pack did not write {}", tgz.display()));
    }
    println!(
        "package: {} ({} files, {:.1} KB)",
        tgz.display(),
        files.len() + 1,
        std::fs::metadata(&tgz).map_err(|e| e.to_string())?.len() as f64 / 1024.0
    );
    Ok(tgz)
}

/// The `version` of Cargo.toml's `[package]` table.
fn crate_version(cargo_toml: &str) -> Result<String, String> {
    let mut in_package = false;
    for line in cargo_toml.lines().map(str::trim) {
        if line.starts_with('[') {
            in_package = line == "[package]";
        } else if let Some(v) = line.strip_prefix("version").map(str::trim_start) {
            if let (true, Some(v)) = (in_package, v.strip_prefix('=')) {
                return Ok(v.trim().trim_matches('"').to_string());
            }
        }
    }
    Err("Cargo.toml has no [package] version".into())
}

/// package.json: an ES module package whose entry defines `<plan-map>`, with its types; the
/// standalone file as a second entry point.
fn package_json(version: &str, files: &[String]) -> String {
    let list = files
        .iter()
        .map(|f| format!("    \"{f}\""))
        .collect::<Vec<_>>()
        .join(",\n");
    format!(
        r#"{{
  "name": "planmap",
  "version": "{version}",
  "description": "A district development plan on a map: the <plan-map> custom element (Rust compiled to WebAssembly, drawn on a canvas).",
  "license": "MIT",
  "type": "module",
  "main": "./planmap.js",
  "module": "./planmap.js",
  "types": "./planmap.d.ts",
  "exports": {{
    ".": {{
      "types": "./planmap.d.ts",
      "default": "./planmap.js"
    }},
    "./standalone": {{
      "types": "./planmap.d.ts",
      "default": "./planmap.standalone.js"
    }},
    "./package.json": "./package.json"
  }},
  "files": [
{list}
  ],
  "keywords": ["map", "custom-element", "web-component", "webassembly", "geojson", "planning"]
}}
"#
    )
}

#[cfg(test)]
mod tests {
    use super::crate_version;

    #[test]
    fn reads_the_package_version_not_a_dependency_one() {
        let toml = "[package]\nname = \"planmap\"\nversion = \"0.3.1\"\n\n[dependencies]\nserde = { version = \"1\" }\n";
        assert_eq!(crate_version(toml).unwrap(), "0.3.1");
        let later = "[workspace]\nmembers = []\n[package]\nname = \"x\"\nversion=\"1.2.3-rc.1\"\n";
        assert_eq!(crate_version(later).unwrap(), "1.2.3-rc.1");
        assert!(crate_version("[dependencies]\nversion = \"9\"\n").is_err());
    }
}
