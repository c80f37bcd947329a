// Screenshots of the demo and embed pages at phone and desktop sizes, for a person to look at:
//   node shoot.mjs [path ...]   (PLANMAP_URL must point at a dist/ server)
import { launch, open, ready, SHOTS } from './helpers.mjs';
const paths = process.argv.slice(2).length ? process.argv.slice(2) : ['index.html', 'embed.html'];
const browser = await launch();
for (const path of paths) {
  for (const [name, size, dpr, touch] of [['desktop', [1440, 900], 1, false], ['phone', [390, 844], 3, true]]) {
    const { page, errors } = await open(browser, path, { size, dpr, touch });
    await ready(page).catch((e) => console.log('not ready:', e.message));
    await page.waitForTimeout(200);
    const file = `${SHOTS}${path.replace(/[^a-z0-9]+/gi, '_')}-${name}.png`;
    await page.screenshot({ path: file, fullPage: path.startsWith('embed') });
    console.log(file, errors.length ? errors : 'no errors');
  }
}
await browser.close();
