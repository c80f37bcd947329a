
test('after a trap every later call returns quietly or rejects with a clear error, keys and pointer throw nothing, and a new src brings it all back', { timeout: 180000 }, async () => {
  const { page, context, errors } = await open(browser, 'test/keyboard.html');
  await ready(page);
  const after = await page.evaluate(async () => {
    const el = document.getElementById('map');
    el._call(() => el._core.__testPanic());
    /** What each call did: its value, or the message it threw or rejected with. */
    const out = {};
    const run = async (name, f) => {
      try {
        const v = await f();
        out[name] = v instanceof Blob ? `Blob ${v.type}` : v ?? null;
      } catch (e) {
        out[name] = `threw ${e.message}`;
      }
    };
    await run('render', () => el.render());
    await run('select', () => el.select('c6'));
    await run('view', () => el.view);
    await run('setView', () => { el.view = { center: [123.4, 41.8], zoom: 3 }; });
    await run('fit', () => el.fit());
    await run('setIndicator', () => el.setIndicator('gdp'));
    await run('setYear', () => el.setYear(2020));
    await run('present', () => { el.present(); el.next(); el.prev(); });
    await run('refreshStyle', () => el.refreshStyle());
    await run('lang', () => el.setAttribute('lang', 'en'));
    await run('toSVG', () => el.toSVG());
    await run('toPNG', () => el.toPNG());
    await run('showTable', () => el.showTable());
    await run('downloadCSV', () => el.downloadCSV());
    return out;
  });
  const stopped = 'threw planmap: the map stopped after an internal error (see planmap-error); set src to load it again';
  assert.deepEqual(after, {
    render: false, select: null, view: null, setView: null, fit: null, setIndicator: null, setYear: null, present: null,
    refreshStyle: null, lang: null, toSVG: '', toPNG: stopped, showTable: stopped, downloadCSV: stopped,
  });
  // The keyboard and the pointer on the canvas throw nothing either.
  await page.focus('#before');
  await page.keyboard.press('Tab');
  for (const k of [']', 'Enter', 'ArrowLeft', '+', '0', 'Escape']) await page.keyboard.press(k);
  const box = await page.evaluate(() => { const r = document.getElementById('map').getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2]; });
  await page.mouse.move(box[0], box[1]);
  await page.mouse.move(box[0] + 20, box[1] + 10);
  await page.mouse.click(box[0], box[1]);
  await page.mouse.wheel(0, -200);
  await page.setViewportSize({ width: 1000, height: 700 });
  await page.waitForTimeout(300);
  assert.equal((await events(page, 'planmap-error')).length, 1);
  assert.deepEqual(errors.filter((e) => !/^console: planmap: (internal error: panicked|The map hit an internal error|地图出现内部错误)/.test(e)), []);
  // A new src: every call works again.
  await page.evaluate(() => document.getElementById('map').setAttribute('src', '../data/huanggu/plan.json?again'));
  assert.equal(await ready(page, '#map'), true);
  const again = await page.evaluate(async () => {
    const el = document.getElementById('map');
    const png = await el.toPNG(1);
    await el.showTable();
    const csv = await el.downloadCSV();
    return {
      select: el.select('c6')?.id ?? el.selected?.id, render: el.render(), svg: el.toSVG().startsWith('<svg'),
      png: [png.type, png.size > 1000], rows: el.shadowRoot.querySelectorAll('.datatable tbody tr').length > 60, csv: csv.size > 1000,
    };
  });
  assert.deepEqual(again, { select: 'c6', render: true, svg: true, png: ['image/png', true], rows: true, csv: true });
  await context.close();
});

test('a trap while the table fills is one planmap-error, said in the table; the next opening fills it', { timeout: 180000 }, async () => {
  const { page, context, errors } = await open(browser, 'test/keyboard.html');
  await ready(page);
  const r = await page.evaluate(async () => {
    const el = document.getElementById('map');
    const { loadCharts } = await import(new URL('../planmap-wasm.js', location.href).href);
    (await loadCharts()).__testTrapNextCall('panic');
    const first = await el.showTable().then(() => 'resolved', (e) => `rejected ${e.message}`);
    const table = el.shadowRoot.querySelector('.datatable');
    const shown = { hidden: table.hidden, text: table.querySelector('p')?.textContent };
    table.hidden = true;
    await el.showTable();
    return { first, shown, rows: table.querySelectorAll('tbody tr').length };
  });
  assert.deepEqual(r.first, 'rejected 生成数据表时出现内部错误');
  assert.deepEqual(r.shown, { hidden: false, text: '生成数据表时出现内部错误' });
  assert.ok(r.rows >= 60, `${r.rows} rows on the fresh instance`);
  const errs = await events(page, 'planmap-error');
  assert.equal(errs.length, 1);
  assert.match(errs[0].detail.message, /^生成数据表时出现内部错误 \(planmap: internal error: panicked at [^]*forced by __testTrapNextCall\)$/);
  assert.ok(errors.every((e) => /^console: planmap/.test(e)), errors.join('\n'));
  await context.close();
});
