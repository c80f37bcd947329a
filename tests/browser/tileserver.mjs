// A tile server for the basemap tests, on loopback: every tile is a real PNG (encoded here with
// zlib) showing its z/x/y, a 32 px grid and a magenta ring around one known WGS-84 point, so a
// test can check by pixels where tiles land. Two ports: one sends CORS headers, one does not.
// The test switches behaviour at run time: `slow` (zooms answered late), `missing` (404s).
import http from 'node:http';
import { deflateSync } from 'node:zlib';

/** The tile background, grid and ring colours (distinct from every planmap theme colour). */
export const TILE_BG = [236, 226, 198];
export const GRID = [150, 140, 120];
export const RING = [255, 0, 255];
export const RING_RADIUS = 24;

const CRC = new Int32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});
function crc32(buf) {
  let c = -1;
  for (const b of buf) c = CRC[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}
function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** An RGBA image `w`×`h` as PNG bytes. */
export function encodePng(w, h, rgba) {
  const raw = Buffer.alloc((w * 4 + 1) * h);
  for (let y = 0; y < h; y++) {
    raw[y * (w * 4 + 1)] = 0;
    Buffer.from(rgba.buffer, rgba.byteOffset + y * w * 4, w * 4).copy(raw, y * (w * 4 + 1) + 1);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/** 3×5 glyphs for the tile's label. */
const FONT = {
  0: '111101101101111', 1: '010110010010111', 2: '111001111100111', 3: '111001111001111', 4: '101101111001001',
  5: '111100111001111', 6: '111100111101111', 7: '111001001001001', 8: '111101111101111', 9: '111101111001111',
  '/': '001001010100100',
};

/** Web Mercator pixel of a lon/lat at zoom z (256 px tiles), as the OSM wiki gives it. */
export function worldPixel(lon, lat, z) {
  const n = 256 * 2 ** z;
  const r = (lat * Math.PI) / 180;
  return [((lon + 180) / 360) * n, ((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n];
}

/**
 * Draws tile z/x/y at `scale` (2 for @2x): background, grid, border, its label, and the ring
 * around `mark` (WGS-84 lon/lat).
 */
export function drawTile(z, x, y, { scale = 1, mark }) {
  const size = 256 * scale;
  const px = new Uint8Array(size * size * 4);
  const set = (i, j, c) => {
    if (i < 0 || j < 0 || i >= size || j >= size) return;
    const k = (j * size + i) * 4;
    px[k] = c[0]; px[k + 1] = c[1]; px[k + 2] = c[2]; px[k + 3] = 255;
  };
  for (let j = 0; j < size; j++) for (let i = 0; i < size; i++) {
    const grid = (i % (32 * scale) === 0 || j % (32 * scale) === 0);
    set(i, j, grid ? GRID : TILE_BG);
  }
  const label = `${z}/${x}/${y}`;
  const u = 3 * scale;
  [...label].forEach((ch, n) => {
    const g = FONT[ch];
    for (let r = 0; r < 5; r++) for (let c = 0; c < 3; c++) {
      if (g[r * 3 + c] !== '1') continue;
      for (let a = 0; a < u; a++) for (let b = 0; b < u; b++) set(6 * scale + (n * 4 + c) * u + a, 6 * scale + r * u + b, [40, 40, 40]);
    }
  });
  if (mark) {
    const [mx, my] = worldPixel(mark[0], mark[1], z);
    for (let j = 0; j < size; j++) for (let i = 0; i < size; i++) {
      const gx = x * 256 + (i + 0.5) / scale;
      const gy = y * 256 + (j + 0.5) / scale;
      const d = Math.hypot(gx - mx, gy - my);
      if (Math.abs(d - RING_RADIUS) <= 2) set(i, j, RING);
    }
  }
  return encodePng(size, size, px);
}

/**
 * Starts the two tile servers. `/t/{z}/{x}/{y}{r}.png` answers a tile (`{r}` = `@2x` for 512 px).
 * @param {{mark: [number, number]}} o
 */
export async function startTiles(o) {
  const state = {
    /** Every request path, in order, per server. */
    log: { cors: [], plain: [] },
    /** (z, x, y) => milliseconds to wait before answering. */
    delay: () => 0,
    /** (z, x, y) => true to answer 404. */
    missing: () => false,
  };
  const make = (cors) => http.createServer((req, res) => {
    state.log[cors ? 'cors' : 'plain'].push(req.url);
    const m = /^\/t\/(\d+)\/(\d+)\/(\d+)(@2x)?\.png$/.exec(req.url.split('?')[0]);
    const headers = { 'Cache-Control': 'no-store' };
    if (cors) headers['Access-Control-Allow-Origin'] = '*';
    if (!m) { res.writeHead(404, headers); res.end(); return; }
    const [z, x, y] = [1, 2, 3].map((k) => Number(m[k]));
    const wait = state.delay(z, x, y);
    const answer = () => {
      if (res.destroyed) return;
      if (state.missing(z, x, y)) { res.writeHead(404, headers); res.end('no such tile'); return; }
      res.writeHead(200, { ...headers, 'Content-Type': 'image/png' });
      res.end(drawTile(z, x, y, { scale: m[4] ? 2 : 1, mark: o.mark }));
    };
    if (wait > 0) setTimeout(answer, wait); else answer();
  });
  const listen = (s) => new Promise((resolve) => s.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${s.address().port}`)));
  const corsServer = make(true);
  const plainServer = make(false);
  const [corsUrl, plainUrl] = [await listen(corsServer), await listen(plainServer)];
  return {
    state,
    corsUrl,
    plainUrl,
    close: () => Promise.all([corsServer, plainServer].map((s) => new Promise((r) => { s.closeAllConnections?.(); s.close(r); }))),
  };
}
