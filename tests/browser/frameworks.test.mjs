// Issue 9, "npm package" and "frameworks": the tarball that `cargo xtask package` writes
// installs into an empty project from the file, offline; a page importing `planmap` from it
// becomes ready; tiny Vue 3 and React 19 apps built from it with esbuild (no network) show
// the name of the zone a user clicks, which reached them through planmap-select.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { compileTemplate } from 'vue/compiler-sfc';
import { launch, open, ready, events, clearPoint } from './helpers.mjs';

const HERE = new URL('.', import.meta.url).pathname;
const ROOT = new URL('../../', import.meta.url).pathname;
const DIST = process.env.PLANMAP_DIST ?? join(ROOT, 'dist');
const TGZ = process.env.PLANMAP_TGZ ?? join(ROOT, readdirSync(ROOT).find((f) => /^planmap-.*\.tgz$/.test(f)) ?? 'planmap-?.tgz');
// The zone clicked and its name as the plan text writes it (第四章 第一节).
const ZONE = { id: 'beiyunhe', name: '北运河文商旅片区' };

let browser;
let project;
before(async () => {
  browser = await launch();
  project = mkdtempSync(join(tmpdir(), 'planmap-app-'));
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'planmap-app', private: true, type: 'module' }));
  execFileSync('npm', ['install', TGZ, '--offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: project, stdio: 'pipe' });
});
after(async () => {
  await browser?.close();
  if (project) rmSync(project, { recursive: true, force: true });
});

/**
 * Bundles `files[entry]` (written into the temp project, which has planmap installed; the
 * frameworks come from the tests' own npm packages) into dist/apps/<name>/ with the package's
 * wasm files beside it, and an HTML page that loads it. `mode` is the frameworks' build (Vue
 * warns only in development).
 */
async function app(name, files, entry, mode = 'production') {
  const src = join(project, name);
  mkdirSync(src, { recursive: true });
  for (const [f, text] of Object.entries(files)) writeFileSync(join(src, f), text);
  const out = join(DIST, 'apps', name);
  rmSync(out, { recursive: true, force: true });
  await build({
    entryPoints: [join(src, entry)], bundle: true, format: 'esm', outfile: join(out, 'app.js'), logLevel: 'error',
    nodePaths: [join(project, 'node_modules'), join(HERE, 'node_modules')], jsx: 'automatic',
    define: { 'process.env.NODE_ENV': JSON.stringify(mode), __VUE_OPTIONS_API__: 'true', __VUE_PROD_DEVTOOLS__: 'false', __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false' },
  });
  // esbuild does not copy `new URL('x.wasm', import.meta.url)` assets; the package README says so.
  for (const w of ['planmap_core_bg.wasm', 'planmap_charts_bg.wasm']) cpSync(join(project, 'node_modules/planmap', w), join(out, w));
  writeFileSync(join(out, 'index.html'), `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${name}</title>
<link rel="icon" href="/favicon.svg"><link rel="stylesheet" href="/test/fixtures.css">
<script type="module" src="app.js"></script></head>
<body><div id="app"></div></body></html>
`);
  return `apps/${name}/index.html`;
}

/** Clicks the zone on the map and waits for the app to show `ZONE.name` in #picked. */
async function pickZone(page) {
  assert.equal(await ready(page), true);
  const at = await clearPoint(page, ZONE.id, 9);
  assert.ok(at, `${ZONE.id} has a clear point`);
  assert.equal(await page.textContent('#picked'), '', 'nothing picked before the click');
  await page.mouse.click(at[0], at[1]);
  await page.waitForFunction((n) => document.querySelector('#picked')?.textContent === n, ZONE.name, { timeout: 10000 });
  const sel = await events(page, 'planmap-select');
  assert.deepEqual(sel.map((e) => e.detail.id), [ZONE.id]);
}

test('the tarball installs offline into an empty project, with its version and types, and a page importing planmap from it becomes ready', async () => {
  const pkg = JSON.parse(readFileSync(join(project, 'node_modules/planmap/package.json'), 'utf8'));
  const cargo = readFileSync(join(ROOT, 'Cargo.toml'), 'utf8');
  assert.equal(pkg.version, /^\[package\][^[]*?\nversion = "([^"]+)"/m.exec(cargo)[1], 'the version is Cargo.toml\'s');
  assert.equal(pkg.type, 'module');
  assert.equal(pkg.exports['.'].types, './planmap.d.ts');
  for (const f of ['planmap.js', 'planmap.d.ts', 'planmap_core_bg.wasm', 'planmap_charts_bg.wasm', 'planmap.standalone.js', 'CHANGELOG.md']) {
    assert.ok(readdirSync(join(project, 'node_modules/planmap')).includes(f), f);
  }
  const path = await app('plain', {
    'main.js': "import { PlanMapElement } from 'planmap';\nconst el = new PlanMapElement();\nel.setAttribute('src', '/data/huanggu/plan.json');\ndocument.getElementById('app').append(el);\n",
  }, 'main.js');
  const { page, errors, context } = await open(browser, path);
  assert.equal(await ready(page), true);
  assert.equal((await events(page, 'planmap-ready')).length, 1);
  assert.deepEqual(errors, []);
  await context.close();
});

test('Vue 3: plan-map as a custom element (isCustomElement), src as an attribute, @planmap-select into state', async () => {
  const template = `<plan-map :src="src" :lang="lang" @planmap-select="picked = $event.detail.name ?? ''"></plan-map><p id="picked">{{ picked }}</p>`;
  const { code, errors: compileErrors } = compileTemplate({
    source: template, filename: 'App.vue', id: 'app',
    compilerOptions: { isCustomElement: (tag) => tag === 'plan-map' },
  });
  assert.deepEqual(compileErrors, []);
  assert.doesNotMatch(code, /resolveComponent/, 'plan-map compiles to an element, not a component');
  const path = await app('vue', {
    'render.js': code,
    'main.js': `import { createApp, ref } from 'vue';
import 'planmap';
import { render } from './render.js';
createApp({ setup: () => ({ src: '/data/huanggu/plan.json', lang: 'zh-CN', picked: ref('') }), render }).mount('#app');
`,
  }, 'main.js', 'development');
  const { page, errors, context } = await open(browser, path);
  const logs = [];
  page.on('console', (m) => logs.push(m.text()));
  await page.reload(); // Vue's warnings are logged as it mounts: watch from the start
  await pickZone(page);
  assert.equal(await page.evaluate(() => document.querySelector('plan-map').getAttribute('src')), '/data/huanggu/plan.json');
  assert.deepEqual(logs.filter((l) => /Failed to resolve component/.test(l)), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('React 19: attributes and an onplanmap-select listener on the custom element, into state', async () => {
  const path = await app('react', {
    'main.jsx': `import { useState } from 'react';
import { createRoot } from 'react-dom/client';
import 'planmap';
function App() {
  const [picked, setPicked] = useState('');
  return <>
    <plan-map src="/data/huanggu/plan.json" lang="zh-CN" onplanmap-select={(e) => setPicked(e.detail.name ?? '')} />
    <p id="picked">{picked}</p>
  </>;
}
createRoot(document.getElementById('app')).render(<App />);
`,
  }, 'main.jsx');
  const { page, errors, context } = await open(browser, path);
  await pickZone(page);
  assert.deepEqual(errors, []);
  await context.close();
});
