// The test browser itself (issue 13): the Chromium every browser test and `cargo xtask bench`
// run is started as helpers.mjs says, and loads nothing beside the page under test. A new
// context in headless Chromium 156 used to load the omnibox popup's WebUI in a renderer of its
// own as the page loaded, which on a two-core machine took turns with every first frame
// measured (README, Speed); helpers.mjs turns it off with `--disable-features`, and as Chromium
// keeps only the last such switch, ours has to repeat Playwright's own list.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { launch, open } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/**
 * The command line of the browser's own process (CDP names its pid), as its switches.
 * @returns {Promise<string[]>}
 */
async function browserSwitches() {
  const cdp = await browser.newBrowserCDPSession();
  const { processInfo } = await cdp.send('SystemInfo.getProcessInfo');
  await cdp.detach();
  const main = processInfo.find((p) => p.type === 'browser');
  assert.ok(main, `CDP names the browser process (${JSON.stringify(processInfo)})`);
  return readFileSync(`/proc/${main.id}/cmdline`, 'utf8').split('\0').filter(Boolean);
}

test('Chromium runs with every feature Playwright turns off, and the omnibox popup off too', async () => {
  const lists = (await browserSwitches())
    .filter((s) => s.startsWith('--disable-features='))
    .map((s) => s.slice('--disable-features='.length).split(','));
  assert.ok(lists.length >= 1, 'a --disable-features switch is on the command line');
  // Chromium reads the last one; each earlier one (Playwright's) must be contained in it.
  const used = new Set(lists[lists.length - 1]);
  for (const list of lists.slice(0, -1)) {
    const lost = list.filter((f) => f && !used.has(f));
    assert.deepEqual(lost, [], 'Playwright turns these off too: add them to DISABLED_FEATURES in helpers.mjs');
  }
  for (const f of ['WebUIOmniboxPopup', 'WebUIOmniboxAimPopup']) assert.ok(used.has(f), `${f} is off`);
});

test('a page under test has no browser UI page loading beside it', async () => {
  const { page, context, errors } = await open(browser, 'index.html');
  await page.waitForFunction(() => document.querySelector('plan-map')?.ready);
  await page.evaluate(() => document.querySelector('plan-map').ready);
  const cdp = await browser.newBrowserCDPSession();
  const { targetInfos } = await cdp.send('Target.getTargets');
  await cdp.detach();
  const beside = targetInfos.filter((t) => t.type !== 'page' || !t.url.startsWith('http')).map((t) => `${t.type} ${t.url}`);
  assert.deepEqual(beside, [], 'only the test page is loaded (was: browser_ui chrome://omnibox-popup.top-chrome/ …)');
  assert.ok(targetInfos.some((t) => t.type === 'page' && t.url.endsWith('/index.html')), 'the test page is listed');
  assert.deepEqual(errors, []);
  await context.close();
});
