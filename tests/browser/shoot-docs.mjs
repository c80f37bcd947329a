// The README's screenshots (docs/), for a person to look at and commit:
//   node shoot-docs.mjs   (PLANMAP_URL must point at a dist/ server)
// Desktop 1200×750: the plan as it opens. Phone 390×844: the 北运河 canal selected, the sheet at
// its peek height and the canal above it.
import { launch, open, ready } from './helpers.mjs';
const docs = new URL('../../docs/', import.meta.url).pathname;
const browser = await launch();
const desktop = await open(browser, 'index.html', { size: [1200, 750] });
await ready(desktop.page);
await desktop.page.waitForTimeout(200);
await desktop.page.screenshot({ path: `${docs}screenshot-desktop.png` });
const phone = await open(browser, 'index.html', { size: [390, 844], touch: true });
await phone.page.emulateMedia({ reducedMotion: 'reduce' });
await ready(phone.page);
await phone.page.evaluate(() => document.querySelector('plan-map').select('beiyunhe_canal'));
await phone.page.waitForTimeout(300);
await phone.page.screenshot({ path: `${docs}screenshot-phone.png` });
for (const o of [desktop, phone]) if (o.errors.length) console.log(o.errors);
await browser.close();
