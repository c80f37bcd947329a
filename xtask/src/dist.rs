//! Builds `dist/`: a folder any static server can serve as is.

use crate::{root, run_cmd as run};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

const WASM_OPT_FLAGS: [&str; 4] = [
    "--enable-bulk-memory",
    "--enable-reference-types",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
];

/// Builds the release wasm, its bindings and the pages into `dist/`; returns its path.
pub(crate) fn build() -> Result<PathBuf, String> {
    let root = root();
    ensure_wasm_target()?;
    println!("building the wasm (release)…");
    run(Command::new(env!("CARGO")).current_dir(&root).args([
        "build",
        "--release",
        "--lib",
        "--package",
        "planmap",
        "--target",
        "wasm32-unknown-unknown",
    ]))?;
    let wasm = root.join("target/wasm32-unknown-unknown/release/planmap.wasm");
    let dist = root.join("dist");
    if dist.exists() {
        std::fs::remove_dir_all(&dist)
            .map_err(|e| format!("cannot clear {}: {e}", dist.display()))?;
    }
    std::fs::create_dir_all(&dist).map_err(|e| e.to_string())?;
    // wasm-opt runs on rustc's output, before wasm-bindgen: binaryen 108 (Debian's) rewrites
    // the externref table of wasm-bindgen's output into one the browser rejects
    // ("WebAssembly.Table.set(): Argument 1 is invalid for table"); wasm-bindgen keeps the
    // optimised code as it is and only adds its glue.
    let input = match Command::new("wasm-opt").arg("--version").output() {
        Ok(_) => {
            let out = root.join("target/wasm32-unknown-unknown/release/planmap.opt.wasm");
            run(Command::new("wasm-opt")
                .args(WASM_OPT_FLAGS)
                .args(["-Oz", "--strip-debug", "--strip-producers"])
                .arg(&wasm)
                .arg("-o")
                .arg(&out))?;
            out
        }
        Err(_) => {
            println!("note: wasm-opt not found (apt-get install binaryen); the wasm is larger than it need be");
            wasm
        }
    };
    // Bindings at exactly the wasm-bindgen crate's version: the library is pinned to it in
    // xtask/Cargo.toml, so there is no CLI to install or to drift.
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(&input)
        .out_name("planmap_core")
        .web(true)
        .map_err(|e| e.to_string())?
        .typescript(false)
        .remove_name_section(true)
        .remove_producers_section(true)
        .generate(&dist)
        .map_err(|e| format!("wasm-bindgen: {e}"))?;
    copy_dir(&root.join("www"), &dist)?;
    copy_dir(&root.join("data"), &dist.join("data"))?;
    report_sizes(&dist)?;
    Ok(dist)
}

fn ensure_wasm_target() -> Result<(), String> {
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map_err(|e| format!("cannot run rustup: {e}"))?;
    if !String::from_utf8_lossy(&installed.stdout)
        .lines()
        .any(|l| l.trim() == "wasm32-unknown-unknown")
    {
        println!("installing the wasm32-unknown-unknown target…");
        run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
    }
    Ok(())
}

pub(crate) fn copy_dir(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::create_dir_all(to).map_err(|e| e.to_string())?;
    for entry in std::fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))? {
        let entry = entry.map_err(|e| e.to_string())?;
        let (src, dst) = (entry.path(), to.join(entry.file_name()));
        if src.is_dir() {
            copy_dir(&src, &dst)?;
        } else if src.extension().is_none_or(|e| e != "md") {
            std::fs::copy(&src, &dst).map_err(|e| format!("{}: {e}", src.display()))?;
        }
    }
    Ok(())
}

/// Gzip -9 size of a file, the number a slow connection pays.
pub(crate) fn gzipped(path: &Path) -> Result<usize, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(&bytes).map_err(|e| e.to_string())?;
    Ok(enc.finish().map_err(|e| e.to_string())?.len())
}

fn report_sizes(dist: &Path) -> Result<(), String> {
    let files = ["planmap.js", "planmap_core.js", "planmap_core_bg.wasm"];
    let (mut raw, mut gz) = (0, 0);
    println!("bundle (what a page loads before any data):");
    for f in files {
        let p = dist.join(f);
        let r = std::fs::metadata(&p)
            .map_err(|e| format!("{}: {e}", p.display()))?
            .len() as usize;
        let g = gzipped(&p)?;
        println!(
            "  {f:<24} {:>8.1} KB raw {:>8.1} KB gzipped",
            r as f64 / 1024.0,
            g as f64 / 1024.0
        );
        raw += r;
        gz += g;
    }
    println!(
        "  {:<24} {:>8.1} KB raw {:>8.1} KB gzipped (budget 150 KB gzipped)",
        "total",
        raw as f64 / 1024.0,
        gz as f64 / 1024.0
    );
    Ok(())
}
