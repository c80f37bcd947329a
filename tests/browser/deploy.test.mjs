// Issue 9, "any server" and "one file": the standalone file alone next to the data works under
// the strict CSP; the split build works when .wasm comes as application/octet-stream (old IIS
// and nginx defaults) with nothing logged; data with a charset=GBK header, a BOM or in GBK
// loads, or fails with a message saying why.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { launch, open, ready, colourCount, events, SHOTS } from './helpers.mjs';

const DIST = process.env.PLANMAP_DIST ?? new URL('../../dist/', import.meta.url).pathname;
const ZONES = ['C6科创走廊片区', '北运河文商旅片区', '北站北现代金融片区', '长江街现代商贸片区', '北部大学城双创片区'];
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** Console messages of every type, and the URLs the page requested. */
function watch(page) {
  const log = [];
  const requests = [];
  page.on('console', (m) => log.push(`${m.type()}: ${m.text()}`));
  page.on('request', (r) => requests.push(new URL(r.url()).pathname));
  return { log, requests };
}

test('the standalone file alone next to the data, under the strict CSP, becomes ready, draws the five zones and opens the table', async () => {
  const dir = `${DIST}/alone`;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
  cpSync(`${DIST}/planmap.standalone.js`, `${dir}/planmap.standalone.js`);
  cpSync(`${DIST}/test/alone.html`, `${dir}/index.html`);
  cpSync(`${DIST}/test/fixtures.css`, `${dir}/fixtures.css`);
  cpSync(`${DIST}/favicon.svg`, `${dir}/favicon.svg`);
  cpSync(`${DIST}/data`, `${dir}/data`, { recursive: true });
  assert.deepEqual(readdirSync(dir).filter((f) => /\.(js|wasm)$/.test(f)), ['planmap.standalone.js']);
  const { page, errors, context } = await open(browser, 'alone/index.html', { size: [1440, 900] });
  const { requests } = watch(page);
  await page.reload(); // watched from the first request
  const res = await page.request.get(page.url());
  assert.match(res.headers()['content-security-policy'], /script-src 'self' 'wasm-unsafe-eval'/);
  assert.equal(await ready(page), true);
  assert.ok(await colourCount(page) > 20, 'the canvas shows a picture');
  const labels = await page.evaluate(() => document.querySelector('plan-map')._map.labelTexts());
  for (const z of ZONES) assert.ok(labels.includes(z), `${z} is labelled (${labels.join(', ')})`);
  // The extras (table rows from the chart module's code) come from the same file.
  const rows = await page.evaluate(async () => {
    const el = document.querySelector('plan-map');
    await el.showTable();
    return el.shadowRoot.querySelectorAll('.datatable tbody tr').length;
  });
  assert.ok(rows >= 60, `the table lists the plan's figures (${rows})`);
  assert.deepEqual(requests.filter((p) => /\.(js|wasm)$/.test(p)), ['/alone/planmap.standalone.js'], 'one script, no wasm file');
  assert.deepEqual(await page.evaluate(() => window.__cspViolations), []);
  await page.screenshot({ path: `${SHOTS}standalone.png` });
  assert.deepEqual(errors, []);
  await context.close();
});

test('the split build works when the server sends .wasm as application/octet-stream, with nothing logged', async () => {
  const { page, errors, context } = await open(browser, 'octet/index.html', { size: [1440, 900] });
  const { log, requests } = watch(page);
  await page.reload(); // watched from the first request
  const wasm = await page.request.get(new URL('/octet/planmap_core_bg.wasm', page.url()).href);
  assert.equal(wasm.headers()['content-type'], 'application/octet-stream', 'the test server plays an old server');
  assert.equal(await ready(page), true);
  assert.ok(await colourCount(page) > 20);
  const rows = await page.evaluate(async () => {
    const el = document.querySelector('plan-map');
    await el.showTable(); // the chart module's wasm comes the same way
    return el.shadowRoot.querySelectorAll('.datatable tbody tr').length;
  });
  assert.ok(rows >= 60, `the table lists the plan's figures (${rows})`);
  assert.ok(requests.includes('/octet/planmap_charts_bg.wasm'), requests.join(' '));
  assert.deepEqual(log.filter((l) => /instantiateStreaming|MIME|wasm/i.test(l)), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('data with a charset=GBK header or a BOM loads; GBK bytes fail with a message naming GBK, whatever the server says', async () => {
  const { page, context } = await open(browser, 'test/charset.html', { size: [800, 600] });
  // The core decodes for the widget and the validator alike (issue 12): UTF-8 whatever the
  // header claims, UTF-16 with a byte order mark; GBK is named and refused, never guessed.
  const loaded = ['utf8-said-gbk', 'bom-utf8', 'bom-utf16'];
  for (const id of loaded) assert.equal(await ready(page, `#${id}`), true, id);
  const names = await page.evaluate((ids) => ids.map((id) => JSON.parse(document.getElementById(id)._map.features()).areas.map((a) => a.name)), loaded);
  for (const [i, id] of loaded.entries()) assert.deepEqual(names[i], ['编码测试区'], id);
  await page.waitForFunction(() => window.__events.filter((e) => e.type === 'planmap-error').length >= 2);
  const errs = await events(page, 'planmap-error');
  assert.deepEqual(errs.map((e) => e.target).sort(), ['gbk-said-gbk', 'gbk-said-utf8']);
  for (const e of errs) assert.match(e.detail.message, /charset\/gbk\.geojson: the file is not UTF-8: it looks like GBK\/GB18030 .*save it as UTF-8/);
  const shown = await page.evaluate(() => document.getElementById('gbk-said-utf8').shadowRoot.querySelector('.message').textContent);
  assert.match(shown, /GBK/);
  await context.close();
});
