//! Precompressed copies of `dist/`: next to each text or wasm file a `.gz` (gzip -9) and a `.br`
//! (brotli, quality 11), written once at build time, so the demo server, and any static server
//! set up for it (nginx `gzip_static` / `brotli_static`, Caddy `precompressed`), sends a phone
//! a third of the bytes without compressing per request (issue 13: ≈ 840 KB went uncompressed).

use std::io::Write;
use std::path::Path;

/// Extensions worth compressing: text and wasm. PNGs and the like are compressed already.
const COMPRESSIBLE: [&str; 9] = [
    "html", "js", "mjs", "css", "json", "geojson", "wasm", "svg", "csv",
];

/// Whether a file of this name gets precompressed copies.
pub(crate) fn compressible(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| COMPRESSIBLE.contains(&e))
}

/// Gzip at level 9.
pub(crate) fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(bytes).expect("writing to a Vec cannot fail");
    enc.finish().expect("writing to a Vec cannot fail")
}

/// Brotli at quality 11 with a 4 MB window (lgwin 22), what `brotli -q 11` does.
pub(crate) fn brotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut w = brotli::CompressorWriter::new(&mut out, 4096, 11, 22);
        w.write_all(bytes).expect("writing to a Vec cannot fail");
    }
    out
}

/// Writes `f.gz` and `f.br` beside every compressible file `f` under `dir`, recursively; a copy
/// that would not be smaller is not written.
pub(crate) fn precompress(dir: &Path) -> Result<(), String> {
    for entry in std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            precompress(&path)?;
            continue;
        }
        if !compressible(&path) {
            continue;
        }
        let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        for (ext, packed) in [("gz", gzip(&bytes)), ("br", brotli(&bytes))] {
            if packed.len() < bytes.len() {
                let mut name = path.clone().into_os_string();
                name.push(".");
                name.push(ext);
                std::fs::write(&name, packed).map_err(|e| format!("{name:?}: {e}"))?;
            }
        }
    }
    Ok(())
}

/// Prints what the up-front files weigh as the served `.br` copies (their gzip sizes are in
/// the bundle report above it).
pub(crate) fn report(dist: &Path, element: &[String]) -> Result<(), String> {
    let mut files: Vec<String> = element.to_vec();
    files.extend(["planmap_core.js".into(), "planmap_core_bg.wasm".into()]);
    let mut total = 0;
    for f in &files {
        let p = dist.join(format!("{f}.br"));
        total += std::fs::metadata(&p)
            .map_err(|e| format!("{}: {e}", p.display()))?
            .len();
    }
    println!(
        "  up front as served with brotli (the .br copies): {:.1} KB",
        total as f64 / 1024.0
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn both_copies_decompress_to_the_original() {
        let text = "皇姑区 plan ".repeat(500);
        let gz = gzip(text.as_bytes());
        let mut back = String::new();
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_string(&mut back)
            .unwrap();
        assert_eq!(back, text);
        let br = brotli(text.as_bytes());
        let mut back = String::new();
        brotli::Decompressor::new(&br[..], 4096)
            .read_to_string(&mut back)
            .unwrap();
        assert_eq!(back, text);
        assert!(br.len() < text.len() / 10 && gz.len() < text.len() / 10);
    }

    #[test]
    fn only_text_and_wasm_are_compressed() {
        assert!(compressible(Path::new("dist/planmap_core_bg.wasm")));
        assert!(compressible(Path::new("data/huanggu/zones.geojson")));
        assert!(!compressible(Path::new("docs/screenshot-phone.png")));
        assert!(!compressible(Path::new("planmap.js.gz")));
    }
}
