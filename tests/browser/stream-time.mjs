// A benchmark, never a test (issue 13): the streamed load's wasm work outside the browser, in
// node, on the dist/ build: what the worker does with a large file (FeatureStream.feed and
// takeBatch: the typed parse, then each area prepared and encoded) and what the page does with
// the batches (StreamedPlan.ingest), each timed apart, in wall time and in the process's CPU
// time (the machine is shared: CPU time says more; it includes V8's compiler threads). Compare
// builds on the same machine:
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
let feedCpu = 0;
let takeCpu = 0;
/** The process's CPU time in ms. */
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
let bytes = 0;
for (;;) {
  const n = readSync(fd, chunk, 0, chunk.length, null);
  if (!n) break;
  bytes += n;
  let t = performance.now();
  let c = cpu();
  stream.feed(chunk.subarray(0, n));
  feed += performance.now() - t;
  feedCpu += cpu() - c;
  t = performance.now();
  c = cpu();
  const b = stream.takeBatch(50_000, 1_000); // as planmap-worker.js
  if (b) batches.push(b);
  take += performance.now() - t;
  takeCpu += cpu() - c;
}
let t = performance.now();
let c = cpu();
const rest = stream.takeBatch(0, 0);
if (rest) batches.push(rest);
JSON.parse(stream.finish());
const last = stream.lastBatch();
if (last) batches.push(last);
take += performance.now() - t;
takeCpu += cpu() - c;

const page = new StreamedPlan();
let ingest = 0;
let longest = 0;
c = cpu();
for (const b of batches) {
  const a = performance.now();
  page.ingest(b);
  const d = performance.now() - a;
  ingest += d;
  longest = Math.max(longest, d);
}
const ingestCpu = cpu() - c;
const mb = (n) => (n / 1e6).toFixed(1);
const size = batches.reduce((s, b) => s + b.length, 0);
const ms = (wall, cpu) => `${wall.toFixed(0)} ms (CPU ${cpu.toFixed(0)})`;
console.log(`${file}: ${mb(bytes)} MB, ${page.features} features; worker: parse ${ms(feed, feedCpu)}, prepare and encode ${ms(take, takeCpu)} (${batches.length} batches, ${mb(size)} MB); page: ingest ${ms(ingest, ingestCpu)}, longest batch ${longest.toFixed(0)} ms`);
