//! Where layer files may come from and how their bytes become text, the same for the widget
//! and the validator: layer paths stay inside the manifest's folder, files are read with the
//! size cap enforced as the bytes arrive, and UTF-8 (or UTF-16 with a byte order mark) is read;
//! GBK and unmarked UTF-16 are refused by name.

use super::json::MAX_FILE_BYTES;

/// Why a layer path is refused, or `Ok` when it is a plain relative path inside the
/// manifest's folder. Checked before anything is read or fetched (issue 12: `../../etc/passwd`,
/// `/etc/hostname`, `/dev/zero` and `http://…` layers were read or fetched).
///
/// ```
/// use planmap::plan::check_layer_path;
/// assert!(check_layer_path("zones.geojson").is_ok());
/// assert!(check_layer_path("layers/zones.geojson").is_ok());
/// assert!(check_layer_path("../zones.geojson").is_err());
/// ```
pub fn check_layer_path(name: &str) -> Result<(), String> {
    let why = if name.is_empty() {
        "it is empty"
    } else if name.starts_with('/') {
        "it is absolute"
    } else if name.contains(':') {
        "it names a scheme or drive (a URL or C:), not a file beside the manifest"
    } else if name.contains('\\') {
        "it contains a backslash"
    } else if name.split('/').any(|s| s == "..") || name.to_ascii_lowercase().contains("%2e") {
        "it climbs out of the manifest's folder (..)"
    } else if name.chars().any(char::is_control) {
        "it contains a control character"
    } else {
        return Ok(());
    };
    Err(format!(
        "\"{name}\" is refused: {why}; a layer must be a relative path inside the manifest's folder"
    ))
}

/// Bytes → text: UTF-8 (a BOM is dropped by the JSON reader), or UTF-16 that says so with a
/// byte order mark (Windows tools save "Unicode" that way; the mark makes it unambiguous);
/// anything else is refused with the encoding named where it can be recognised (GBK, UTF-16
/// without a mark). The widget and the validator both read through this, so they agree on
/// every file.
///
/// ```
/// use planmap::plan::decode;
/// assert_eq!(decode(b"{}").unwrap(), "{}");
/// assert_eq!(decode(&[0xFF, 0xFE, b'{', 0, b'}', 0]).unwrap(), "{}");
/// assert!(decode(&[b'{', 0, b'}', 0]).unwrap_err().contains("UTF-16"));
/// ```
pub fn decode(bytes: &[u8]) -> Result<String, String> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(too_big(bytes.len()));
    }
    let utf16 = "the file is UTF-16 without a byte order mark; planmap reads UTF-8, or UTF-16 that starts with one: save it as UTF-8";
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return from_utf16(rest, u16::from_le_bytes);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return from_utf16(rest, u16::from_be_bytes);
    }
    // UTF-16 without a BOM: JSON text starts with an ASCII character, so one byte of each pair
    // is zero.
    if bytes.len() >= 4
        && ((bytes[0] == 0) != (bytes[1] == 0))
        && ((bytes[2] == 0) != (bytes[3] == 0))
    {
        return Err(utf16.to_owned());
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_owned()),
        Err(e) => {
            let at = e.valid_up_to();
            let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
            if looks_like_gbk(&bytes[at..]) {
                Err(format!(
                    "the file is not UTF-8: it looks like GBK/GB18030 (a Chinese legacy encoding) from line {line}; planmap reads UTF-8 only: save it as UTF-8"
                ))
            } else {
                Err(format!(
                    "the file is not UTF-8: invalid byte 0x{:02X} at byte {at} (line {line}); planmap reads UTF-8 only",
                    bytes[at]
                ))
            }
        }
    }
}

/// UTF-16 code units (after the byte order mark) as text, or why not.
fn from_utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Result<String, String> {
    if bytes.len() % 2 != 0 {
        return Err("the file is UTF-16 (it starts with a byte order mark) but has an odd number of bytes; save it as UTF-8".to_owned());
    }
    let units = bytes.chunks_exact(2).map(|p| unit([p[0], p[1]]));
    char::decode_utf16(units)
        .collect::<Result<String, _>>()
        .map_err(|e| format!("the file is UTF-16 (it starts with a byte order mark) but holds an unpaired surrogate 0x{:04X}; save it as UTF-8", e.unpaired_surrogate()))
}

/// `true` when the bytes from the first non-UTF-8 one on read as GBK pairs (lead 0x81–0xFE,
/// trail 0x40–0xFE but 0x7F) for a stretch, as Chinese text saved by older Windows tools does.
pub(crate) fn looks_like_gbk(b: &[u8]) -> bool {
    let mut pairs = 0;
    let mut i = 0;
    while i < b.len() && pairs < 4 {
        match b[i] {
            0x00..=0x7F => i += 1,
            0x81..=0xFE if i + 1 < b.len() && matches!(b[i + 1], 0x40..=0x7E | 0x80..=0xFE) => {
                pairs += 1;
                i += 2;
            }
            _ => return false,
        }
    }
    pairs >= 2 || (pairs >= 1 && i >= b.len())
}

pub(crate) fn too_big(n: usize) -> String {
    format!(
        "file is {:.1} MB; planmap reads at most {} MB per file",
        n as f64 / 1_048_576.0,
        MAX_FILE_BYTES / 1_048_576
    )
}

/// Reads a file from disk with the size cap enforced while reading (`/dev/zero` stops at the
/// cap instead of exhausting memory), then decodes it.
#[cfg(not(target_arch = "wasm32"))]
pub fn read_file(path: &std::path::Path) -> Result<String, String> {
    use std::io::Read;
    let f = std::fs::File::open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => "file not found".to_owned(),
        _ => format!("cannot read {}: {e}", path.display()),
    })?;
    let mut bytes = Vec::new();
    f.take(MAX_FILE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    if bytes.len() > MAX_FILE_BYTES {
        return Err(format!(
            "file is larger than {} MB; planmap reads at most {} MB per file",
            MAX_FILE_BYTES / 1_048_576,
            MAX_FILE_BYTES / 1_048_576
        ));
    }
    decode(&bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_paths_are_refused_with_the_reason() {
        for (p, why) in [
            ("../../etc/passwd", "climbs out"),
            ("a/../../b.geojson", "climbs out"),
            ("%2E%2e/x.geojson", "climbs out"),
            ("/etc/hostname", "absolute"),
            ("/dev/zero", "absolute"),
            ("http://example.com/z.geojson", "scheme"),
            ("//example.com/z.geojson", "absolute"),
            ("C:\\z.geojson", "scheme"),
            ("a\\..\\b", "backslash"),
            ("", "empty"),
        ] {
            let m = check_layer_path(p).unwrap_err();
            assert!(m.contains(why), "{p}: {m}");
        }
        for ok in [
            "zones.geojson",
            "layers/zones.geojson",
            "./zones.geojson",
            "a..b.geojson",
        ] {
            assert!(check_layer_path(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn encodings_are_named() {
        assert_eq!(decode("\u{feff}{}".as_bytes()).unwrap(), "\u{feff}{}");
        let utf16le: Vec<u8> = "{\"a\":1}"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(
            decode(&utf16le).unwrap_err(),
            "the file is UTF-16 without a byte order mark; planmap reads UTF-8, or UTF-16 that starts with one: save it as UTF-8"
        );
        // With its byte order mark, either way round, UTF-16 reads (区 is one unit, 𠀀 two).
        let text = "{\"name\":\"皇姑区𠀀\"}";
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert_eq!(decode(&le).unwrap(), text);
        assert_eq!(decode(&be).unwrap(), text);
        assert!(decode(&le[..le.len() - 1])
            .unwrap_err()
            .contains("odd number of bytes"));
        let lone = [0xFF, 0xFE, 0x00, 0xD8, b'{', 0];
        assert!(decode(&lone)
            .unwrap_err()
            .contains("unpaired surrogate 0xD800"));
        // 皇姑区 in GBK.
        let gbk = [b'{', b'"', 0xBB, 0xCA, 0xB9, 0xC3, 0xC7, 0xF8, b'"', b'}'];
        assert_eq!(
            decode(&gbk).unwrap_err(),
            "the file is not UTF-8: it looks like GBK/GB18030 (a Chinese legacy encoding) from line 1; planmap reads UTF-8 only: save it as UTF-8"
        );
        assert_eq!(
            decode(b"{\"a\":\n\"\xFF\"}").unwrap_err(),
            "the file is not UTF-8: invalid byte 0xFF at byte 7 (line 2); planmap reads UTF-8 only"
        );
    }

    #[test]
    fn endless_files_stop_at_the_cap() {
        let m = read_file(std::path::Path::new("/dev/zero")).unwrap_err();
        assert_eq!(
            m,
            "file is larger than 64 MB; planmap reads at most 64 MB per file"
        );
    }
}
