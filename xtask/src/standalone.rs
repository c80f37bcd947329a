//! `dist/planmap.standalone.js`: the whole element in one ES module, for a CMS that takes one
//! file. It holds one wasm module built from the charts crate with the map's exports turned
//! on, so the map and the extras share their common code (the loader, serde_json, geo, the
//! renderer): two separate wasm modules inside one file would cost 325 KB gzipped, this one
//! 213 KB (2026-11-27, gzip -9 of `target/standalone/bundle/planmap_full_bg.wasm`; `cargo xtask dist`
//! prints the whole file's size against the split build's). The wasm is stored gzipped
//! and base64-encoded and inflated by the browser's `DecompressionStream`; compiling it from
//! bytes needs only `script-src 'wasm-unsafe-eval'`, like the split build.
//!
//! esbuild (from the tests' npm packages) bundles the same element modules dist ships, with
//! two files swapped: the glue (`planmap_core.js` and `planmap_charts.js` both become the
//! combined module's) and `planmap-wasm-source.js` (the inline wasm).

use crate::{dist, root, run_cmd};
use base64::Engine as _;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The standalone file's name in `dist/`.
pub(crate) const FILE: &str = "planmap.standalone.js";

/// Builds `dist/planmap.standalone.js`; `Ok(false)` (with a note) when Node.js or esbuild is
/// missing, so `dist` itself never needs npm.
pub(crate) fn build(dist: &Path) -> Result<bool, String> {
    let root = root();
    let browser_dir = root.join("tests/browser");
    if Command::new("node").arg("--version").output().is_err() {
        println!("note: {FILE} not built: it is bundled with esbuild, which needs Node.js");
        return Ok(false);
    }
    if let Err(e) = crate::test::ensure_node_modules(&browser_dir) {
        println!("note: {FILE} not built: esbuild (tests/browser's npm packages) is missing: {e}");
        return Ok(false);
    }
    println!("building the combined wasm for {FILE}…");
    let target_dir = root.join("target/standalone");
    let mut build = Command::new(env!("CARGO"));
    build
        .current_dir(&root)
        .args([
            "build",
            "--release",
            "--lib",
            "--package",
            "planmap-charts",
            "--features",
            "planmap/exports",
            "--target",
            "wasm32-unknown-unknown",
            "--target-dir",
        ])
        .arg(&target_dir);
    dist::remap_registry_paths(&mut build);
    run_cmd(&mut build)?;
    let src = target_dir.join("bundle");
    if src.exists() {
        std::fs::remove_dir_all(&src).map_err(|e| format!("{}: {e}", src.display()))?;
    }
    std::fs::create_dir_all(&src).map_err(|e| e.to_string())?;
    dist::bindgen(
        &target_dir.join("wasm32-unknown-unknown/release/planmap_charts.wasm"),
        "planmap_full",
        &src,
    )?;
    for name in dist::element_modules(dist)? {
        std::fs::copy(dist.join(&name), src.join(&name)).map_err(|e| format!("{name}: {e}"))?;
    }
    let shim = "export * from './planmap_full.js';\nexport { default } from './planmap_full.js';\n";
    write(&src.join("planmap_core.js"), shim)?;
    write(&src.join("planmap_charts.js"), shim)?;
    let wasm = std::fs::read(src.join("planmap_full_bg.wasm")).map_err(|e| e.to_string())?;
    write(&src.join("planmap-wasm-source.js"), &inline_source(&wasm)?)?;
    let out = dist.join(FILE);
    run_cmd(
        Command::new(browser_dir.join("node_modules/.bin/esbuild"))
            .arg(src.join("planmap.js"))
            .args([
                "--bundle",
                "--format=esm",
                "--minify",
                "--legal-comments=none",
                "--log-level=warning",
            ])
            .arg(format!("--outfile={}", out.display())),
    )?;
    Ok(true)
}

/// `planmap-wasm-source.js` for the standalone file: the wasm gzipped, in base64, inflated
/// once and shared by the map and the extras (one module holds both).
fn inline_source(wasm: &[u8]) -> Result<String, String> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(wasm).map_err(|e| e.to_string())?;
    let gz = enc.finish().map_err(|e| e.to_string())?;
    let b64 = base64::engine::general_purpose::STANDARD.encode(gz);
    Ok(format!(
        "const GZ = \"{b64}\";\n\
         let bytes = null;\n\
         const inflate = () => (bytes ??= new Response(new Blob([Uint8Array.from(atob(GZ), (c) => c.charCodeAt(0))]).stream().pipeThrough(new DecompressionStream('gzip'))).arrayBuffer());\n\
         export const coreWasm = inflate;\n\
         export const chartsWasm = inflate;\n\
         export const workerURL = () => null;\n"
    ))
}

fn write(path: &PathBuf, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}
