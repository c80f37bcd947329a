// A benchmark, never a test (issue 13): the streamed load's wasm work outside the browser, in
// node, on the dist/ build: what the worker does with a large file (FeatureStream.feed and
// takeBatch: the typed parse, then each area prepared and encoded) and what the page does with
// the batches (StreamedPlan.ingest), each timed apart. Compare builds on the same machine:
//   node stream-time.mjs FILE [DIST]   (FILE from bench-data.mjs; DIST defaults to ../../dist)
import { readFileSync, openSync, readSync } from 'node:fs';
import { resolve } from 'node:path';

const [file, distArg] = process.argv.slice(2);
if (!file) throw new Error('usage: node stream-time.mjs FILE [DIST]');
const dist = resolve(distArg ?? new URL('../../dist', import.meta.url).pathname);
const { default: init, FeatureStream, StreamedPlan } = await import(`${dist}/planmap_core.js`);
await init({ module_or_path: readFileSync(`${dist}/planmap_core_bg.wasm`) });

const fd = openSync(file, 'r');
const chunk = Buffer.alloc(1 << 21);
const stream = new FeatureStream('file.geojson', 300 * 1048576, false);
/** @type {Uint8Array[]} */
const batches = [];
let feed = 0;
let take = 0;
let bytes = 0;
for (;;) {
  const n = readSync(fd, chunk, 0, chunk.length, null);
  if (!n) break;
  bytes += n;
  let t = performance.now();
  stream.feed(chunk.subarray(0, n));
  feed += performance.now() - t;
  t = performance.now();
  const b = stream.takeBatch(50_000, 1_000); // as planmap-worker.js
  if (b) batches.push(b);
  take += performance.now() - t;
}
let t = performance.now();
const rest = stream.takeBatch(0, 0);
if (rest) batches.push(rest);
JSON.parse(stream.finish());
const last = stream.lastBatch();
if (last) batches.push(last);
take += performance.now() - t;

const page = new StreamedPlan();
let ingest = 0;
let longest = 0;
for (const b of batches) {
  const a = performance.now();
  page.ingest(b);
  const d = performance.now() - a;
  ingest += d;
  longest = Math.max(longest, d);
}
const mb = (n) => (n / 1e6).toFixed(1);
const size = batches.reduce((s, b) => s + b.length, 0);
console.log(`${file}: ${mb(bytes)} MB, ${page.features} features; worker: parse ${feed.toFixed(0)} ms, prepare and encode ${take.toFixed(0)} ms (${batches.length} batches, ${mb(size)} MB); page: ingest ${ingest.toFixed(0)} ms, longest batch ${longest.toFixed(0)} ms`);
