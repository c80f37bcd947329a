//! A static file server for `dist/` on loopback. Every HTML page is sent with the strict
//! Content-Security-Policy of the public contract, so the demo itself proves the widget needs
//! nothing more; `?nocsp` turns it off for tests that must see what would run without it.
//! Where the build left a precompressed copy (`f.br`, `f.gz`, see `compress`) and the browser
//! accepts its encoding, that copy is sent with `Content-Encoding` and `Vary: Accept-Encoding`.
//!
//! A basemap needs its tile host in `img-src`. Two ways in, neither loosening a page that does
//! not ask: `cargo xtask demo --basemap …` serves the demo page with the basemap's attributes
//! and its host added (the key stays in memory, never in `dist/`); and for the browser tests, a
//! page URL's `?tiles=http://127.0.0.1:PORT` (loopback origins only, comma-separated) adds that
//! origin, so a test page runs under exactly the strict CSP plus its tile server.
//!
//! Three path prefixes play other servers for the browser tests: `/octet/…` serves the same
//! files with old IIS and nginx defaults (`.wasm` as `application/octet-stream`), `/gbk/…`
//! sends JSON and GeoJSON with `charset=GBK`, as a misconfigured Chinese server does, and
//! `/chunked/…` sends every file chunked, without its length.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// The CSP of the public contract.
pub(crate) const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'";

/// Threads answering requests.
const WORKERS: usize = 4;

/// A server running on background threads.
pub(crate) struct Server {
    /// Its address, e.g. `http://127.0.0.1:41234`.
    pub(crate) url: String,
    server: Arc<tiny_http::Server>,
    stop: Arc<AtomicBool>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        // Each call releases one worker blocked in `recv`.
        for _ in 0..WORKERS {
            self.server.unblock();
        }
    }
}

/// What the demo adds to the strict setup: a basemap on its page and its tile host in the CSP.
#[derive(Clone, Debug, Default)]
pub(crate) struct Options {
    /// Extra `img-src` sources for every page (the demo's tile host).
    pub(crate) img_src: Vec<String>,
    /// Attributes added to the demo page's `<plan-map id="map"`, already escaped.
    pub(crate) demo_attrs: String,
}

/// Serves `dir` on `127.0.0.1:port` (0: any free port) in the background.
pub(crate) fn start(dir: &Path, port: u16) -> Result<Server, String> {
    start_with(dir, port, Options::default())
}

/// [`start`] with demo options.
pub(crate) fn start_with(dir: &Path, port: u16, options: Options) -> Result<Server, String> {
    let options = Arc::new(options);
    let listener = std::net::TcpListener::bind(("127.0.0.1", port))
        .map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e}"))?;
    // Segments go out as written (no Nagle; accepted connections inherit it): tiny_http writes
    // through a 1 KB buffer, and a browser delays its ACKs, so each file of more than a few
    // KB waited 40 ms for one. A module worker's 19 KB glue took 45 ms to load where another
    // server took 5 (issue 13: all of China's two workers start a file each).
    socket2::SockRef::from(&listener)
        .set_nodelay(true)
        .map_err(|e| format!("cannot set TCP_NODELAY: {e}"))?;
    let server = Arc::new(
        tiny_http::Server::from_listener(listener, None)
            .map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e}"))?,
    );
    let url = format!(
        "http://{}",
        server.server_addr().to_ip().ok_or("no IP address")?
    );
    // Several workers: Chromium opens parallel connections, and one slow or stalled response
    // must not hold up every other file of the page (a browser test once timed out on `load`).
    for _ in 0..WORKERS {
        let (s, dir, o) = (server.clone(), dir.to_path_buf(), options.clone());
        std::thread::spawn(move || {
            while let Ok(req) = s.recv() {
                let _ = respond(&dir, &o, req);
            }
        });
    }
    // tiny_http gives each connection a pool thread for as long as the browser keeps it open,
    // and adds a thread only when it counts none idle; a burst of new connections (a page's
    // modules) can count threads already taken and leave a connection queued, unread, until
    // another closes, so a page never fires `load`. A connection that opens and closes at once
    // frees the queue: the pool runs it on a new thread, which then takes the queued one.
    let stop = Arc::new(AtomicBool::new(false));
    let (addr, flag) = (server.server_addr().to_ip(), stop.clone());
    std::thread::spawn(move || {
        while !flag.load(Ordering::Relaxed) {
            std::thread::sleep(Duration::from_millis(100));
            if let Some(addr) = addr {
                let _ = std::net::TcpStream::connect_timeout(&addr, Duration::from_millis(100));
            }
        }
    });
    Ok(Server { url, server, stop })
}

/// Serves until interrupted.
pub(crate) fn serve_forever(dir: &Path, port: u16, options: Options) -> Result<(), String> {
    let server = start_with(dir, port, options)?;
    println!(
        "\nplanmap demo: {}/  (embedded in a page: {}/embed.html)\nCtrl+C to stop.",
        server.url, server.url
    );
    loop {
        std::thread::park();
    }
}

fn mime(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "json" | "geojson" => "application/json; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "csv" => "text/csv; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// The CSP of a page: the strict one, plus `img-src` for the demo's tile host and for loopback
/// tile servers a test page names in `?tiles=`.
pub(crate) fn csp(query: &str, options: &Options) -> String {
    let mut img: Vec<String> = options.img_src.clone();
    for q in query.split('&') {
        if let Some(v) = q.strip_prefix("tiles=") {
            for origin in percent_decode(v).split(',') {
                if is_loopback_origin(origin) {
                    img.push(origin.to_owned());
                }
            }
        }
    }
    if img.is_empty() {
        CSP.to_owned()
    } else {
        format!("{CSP}; img-src 'self' {}", img.join(" "))
    }
}

/// `http://127.0.0.1:PORT` or `http://localhost:PORT`, nothing else (no path, no wildcard).
fn is_loopback_origin(o: &str) -> bool {
    let Some(rest) = o.strip_prefix("http://") else {
        return false;
    };
    let (host, port) = rest.split_once(':').unwrap_or((rest, ""));
    (host == "127.0.0.1" || host == "localhost")
        && !port.is_empty()
        && port.len() <= 5
        && port.bytes().all(|b| b.is_ascii_digit())
}

/// The server a path prefix plays: its Content-Type for a file, given ours.
fn played_mime(profile: Option<&str>, ours: &'static str) -> &'static str {
    match (profile, ours) {
        (Some("octet"), "application/wasm") => "application/octet-stream",
        (Some("gbk"), "application/json; charset=utf-8") => "application/json; charset=GBK",
        _ => ours,
    }
}

fn respond(dir: &Path, options: &Options, req: tiny_http::Request) -> std::io::Result<()> {
    let raw = req.url().to_owned();
    let (path, query) = raw.split_once('?').unwrap_or((&raw, ""));
    let (profile, path) = match path.split_once('/').map(|(_, p)| p.split_once('/')) {
        Some(Some((p @ ("octet" | "gbk" | "chunked"), rest))) => (Some(p), rest),
        _ => (None, path),
    };
    let mut rel = PathBuf::new();
    for part in percent_decode(path).split('/') {
        match part {
            "" | "." => {}
            ".." => return req.respond(tiny_http::Response::empty(400)),
            p => rel.push(p),
        }
    }
    let mut file = dir.join(&rel);
    if file.is_dir() {
        file = file.join("index.html");
    }
    // The demo page with basemap attributes is rewritten (`body`): sent uncompressed.
    let rewritten = !options.demo_attrs.is_empty()
        && (rel.as_os_str().is_empty() || rel == Path::new("index.html"));
    let accepted = req
        .headers()
        .iter()
        .find(|h| h.field.equiv("Accept-Encoding"))
        .map(|h| h.value.as_str().to_owned())
        .unwrap_or_default();
    let Ok((body, len, encoding)) = body(&file, &accepted, rewritten.then_some(options)) else {
        return req.respond(tiny_http::Response::from_string("not found").with_status_code(404));
    };
    // With its length, as static servers send files (tiny_http would otherwise chunk
    // anything over 32 KB): the element shows a large file's progress against it and
    // refuses one over its `max-size` before reading it.
    let mut resp = tiny_http::Response::new(
        tiny_http::StatusCode(200),
        Vec::new(),
        body,
        Some(len),
        None,
    )
    // `/chunked/…` plays a server that does not say the length (a proxy, a
    // generated response): the element then streams the file whatever its size.
    .with_chunked_threshold(if profile == Some("chunked") {
        0
    } else {
        usize::MAX
    })
    .with_header(
        tiny_http::Header::from_bytes("Content-Type", played_mime(profile, mime(&file)))
            .expect("valid header"),
    )
    .with_header(tiny_http::Header::from_bytes("Cache-Control", "no-store").expect("valid header"));
    if crate::compress::compressible(&file) {
        // Caches must not hand a compressed body to a client that did not ask for one.
        resp = resp.with_header(
            tiny_http::Header::from_bytes("Vary", "Accept-Encoding").expect("valid header"),
        );
    }
    if let Some(enc) = encoding {
        resp = resp.with_header(
            tiny_http::Header::from_bytes("Content-Encoding", enc).expect("valid header"),
        );
    }
    if mime(&file).starts_with("text/html") && !query.split('&').any(|q| q == "nocsp") {
        resp = resp.with_header(
            tiny_http::Header::from_bytes("Content-Security-Policy", csp(query, options))
                .expect("valid header"),
        );
    }
    req.respond(resp)
}

/// A response's body, its length and its `Content-Encoding`.
type Body = (Box<dyn Read + Send>, usize, Option<&'static str>);

/// What to send for `file`: the demo page rewritten with `demo`'s attributes, or the
/// precompressed copy the client accepts, from memory (both small); else the file itself,
/// read as it is sent, as static servers send it: read whole first, all of China's 211 MB
/// held its first byte back by 0.1 s, in every library's first frame alike (issue 13's bench).
fn body(file: &Path, accepted: &str, demo: Option<&Options>) -> std::io::Result<Body> {
    let in_memory = |bytes: Vec<u8>, enc: Option<&'static str>| -> Body {
        let len = bytes.len();
        (Box::new(std::io::Cursor::new(bytes)), len, enc)
    };
    if let Some(options) = demo {
        let page = String::from_utf8_lossy(&std::fs::read(file)?).replacen(
            "<plan-map id=\"map\"",
            &format!("<plan-map id=\"map\"{}", options.demo_attrs),
            1,
        );
        return Ok(in_memory(page.into_bytes(), None));
    }
    if let Some((enc, bytes)) = pick_encoding(file, accepted) {
        return Ok(in_memory(bytes, Some(enc)));
    }
    let f = std::fs::File::open(file)?;
    let len = f.metadata()?.len() as usize;
    Ok((Box::new(f), len, None))
}

/// The precompressed copy of `file` to send for an `Accept-Encoding` header: brotli before
/// gzip (smaller), only an encoding the client lists without `q=0`, only a copy that exists.
fn pick_encoding(file: &Path, accept_encoding: &str) -> Option<(&'static str, Vec<u8>)> {
    let accepts = |name: &str| {
        accept_encoding.split(',').any(|part| {
            let mut it = part.split(';');
            let token = it.next().unwrap_or("").trim();
            let refused = it.any(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .and_then(|q| q.trim().parse::<f64>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            token.eq_ignore_ascii_case(name) && !refused
        })
    };
    [("br", "br"), ("gzip", "gz")]
        .into_iter()
        .filter(|(name, _)| accepts(name))
        .find_map(|(name, ext)| {
            let mut copy = file.as_os_str().to_owned();
            copy.push(".");
            copy.push(ext);
            std::fs::read(copy).ok().map(|bytes| (name, bytes))
        })
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};

    /// A raw HTTP/1.0 GET, so the test sees exactly the headers and bytes the server sent.
    fn get(url: &str, path: &str, accept_encoding: Option<&str>) -> (String, Vec<u8>) {
        let addr = url.trim_start_matches("http://");
        let mut s = std::net::TcpStream::connect(addr).unwrap();
        let ae = accept_encoding
            .map(|a| format!("Accept-Encoding: {a}\r\n"))
            .unwrap_or_default();
        write!(s, "GET {path} HTTP/1.0\r\nHost: {addr}\r\n{ae}\r\n").unwrap();
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).unwrap();
        let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
        (
            String::from_utf8_lossy(&raw[..split]).to_lowercase(),
            raw[split + 4..].to_vec(),
        )
    }

    #[test]
    fn sends_the_precompressed_copy_the_browser_accepts() {
        let dir = std::env::temp_dir().join(format!("planmap-serve-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let js = "export const answer = 42;\n".repeat(100);
        std::fs::write(dir.join("a.js"), &js).unwrap();
        crate::compress::precompress(&dir).unwrap();
        let server = start(&dir, 0).unwrap();

        let (head, body) = get(&server.url, "/a.js", Some("gzip, deflate, br, zstd"));
        assert!(head.contains("content-encoding: br"), "{head}");
        assert!(head.contains("vary: accept-encoding"), "{head}");
        assert!(head.contains("content-type: text/javascript"), "{head}");
        assert_eq!(body, std::fs::read(dir.join("a.js.br")).unwrap());

        let (head, body) = get(&server.url, "/a.js", Some("gzip, br;q=0"));
        assert!(head.contains("content-encoding: gzip"), "{head}");
        let mut text = String::new();
        flate2::read::GzDecoder::new(&body[..])
            .read_to_string(&mut text)
            .unwrap();
        assert_eq!(text, js);

        let (head, body) = get(&server.url, "/a.js", None);
        assert!(!head.contains("content-encoding"), "{head}");
        assert!(head.contains("vary: accept-encoding"), "{head}");
        assert_eq!(body, js.as_bytes());
        drop(server);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn sends_a_file_read_from_the_disk_with_its_length_and_a_missing_one_as_404() {
        let dir = std::env::temp_dir().join(format!("planmap-serve-big-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        // Over a megabyte, with no compressed copy: sent from the file as it is read.
        let data: Vec<u8> = (0..3_000_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(dir.join("big.geojson"), &data).unwrap();
        let server = start(&dir, 0).unwrap();
        let (head, body) = get(&server.url, "/big.geojson", Some("gzip, br"));
        assert!(head.contains("content-length: 3000000"), "{head}");
        assert!(!head.contains("content-encoding"), "{head}");
        assert!(body == data, "the body is the file");
        let (head, _) = get(&server.url, "/missing.geojson", None);
        assert!(
            head.starts_with("http/1.1 404") || head.starts_with("http/1.0 404"),
            "{head}"
        );
        drop(server);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn the_demo_page_is_sent_with_its_attributes_uncompressed() {
        let dir = std::env::temp_dir().join(format!("planmap-serve-demo-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let page = format!(
            "<p>{}</p><plan-map id=\"map\" src=\"plan.json\">",
            "x".repeat(2000)
        );
        std::fs::write(dir.join("index.html"), &page).unwrap();
        crate::compress::precompress(&dir).unwrap();
        let options = Options {
            demo_attrs: " basemap=\"tianditu-vec\"".to_owned(),
            ..Options::default()
        };
        let server = start_with(&dir, 0, options).unwrap();
        for path in ["/", "/index.html"] {
            let (head, body) = get(&server.url, path, Some("gzip, br"));
            assert!(!head.contains("content-encoding"), "{head}");
            let text = String::from_utf8(body).unwrap();
            assert!(
                text.ends_with("<plan-map id=\"map\" basemap=\"tianditu-vec\" src=\"plan.json\">"),
                "{path}"
            );
            assert!(
                head.contains(&format!("content-length: {}", text.len())),
                "{head}"
            );
        }
        drop(server);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn tiles_query_adds_only_loopback_origins_to_img_src() {
        let o = Options::default();
        assert_eq!(csp("", &o), CSP);
        assert_eq!(
            csp("tiles=http://127.0.0.1:4100,http://localhost:4101", &o),
            format!("{CSP}; img-src 'self' http://127.0.0.1:4100 http://localhost:4101")
        );
        assert_eq!(
            csp("tiles=http%3A%2F%2F127.0.0.1%3A4100", &o),
            format!("{CSP}; img-src 'self' http://127.0.0.1:4100")
        );
        for bad in [
            "tiles=https://evil.example",
            "tiles=http://127.0.0.1",
            "tiles=http://127.0.0.1:80/x",
            "tiles=*",
            "tiles=http://127.0.0.1:1; script-src *",
        ] {
            assert_eq!(csp(bad, &o), CSP, "{bad}");
        }
        let demo = Options {
            img_src: vec!["https://*.tianditu.gov.cn".into()],
            demo_attrs: String::new(),
        };
        assert_eq!(
            csp("", &demo),
            format!("{CSP}; img-src 'self' https://*.tianditu.gov.cn")
        );
    }
}
