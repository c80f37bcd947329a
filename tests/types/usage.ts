// What a TypeScript page writes with planmap: every method, every event, the tag name map.
import 'planmap';
import { PlanMapElement, safeHref, type PlanMapSelectDetail, type PlanMapAttributes } from 'planmap';

const el = document.querySelector('plan-map');
if (el) {
  const same: PlanMapElement = el; // the tag map gives the element's own type
  el.setAttribute('src', 'data/huanggu/plan.json');
  const attrs: PlanMapAttributes = { src: 'plan.json', lang: 'en', theme: 'contrast', hash: true };
  void attrs;
  el.ready.then((m: PlanMapElement) => m.fit());
  const f = el.select('c6', { zoom: true });
  if (f) console.log(f.id.toUpperCase(), f.kind, f.name);
  el.select(null);
  const sel = el.selected;
  console.log(sel?.name);
  const v = el.view;
  if (v) el.view = { center: [123.4, 41.8], zoom: v.zoom + 1 };
  const drawn: boolean = el.render();
  el.invalidate();
  el.setIndicator('gdp');
  el.setIndicator(null);
  el.setYear(2020);
  el.present();
  el.next();
  el.prev();
  el.toPNG(3).then((b: Blob) => b.size);
  const svg: string = el.toSVG();
  el.showTable().then(() => el.downloadCSV()).then((b: Blob) => b.type);
  el.refreshStyle();
  const w: string[] | undefined = el.warnings;
  el.destroy();
  el.addEventListener('planmap-ready', (e) => console.log(e.detail.warnings.length));
  el.addEventListener('planmap-select', (e) => {
    const d: PlanMapSelectDetail = e.detail;
    if (d.id !== null) console.log(d.id, d.kind, d.name?.length);
  });
  el.addEventListener('planmap-error', (e) => console.error(e.detail.message.trim()));
  el.addEventListener('planmap-charts', (e) => console.log(e.detail.area, e.detail.count + 1));
  el.addEventListener('click', (e) => console.log(e.clientX)); // ordinary events keep their types
  void [same, drawn, svg, w];
}
const made = document.createElement('plan-map');
made.select('beiyunhe');
const href: string | null = safeHref('https://example.org');
void [made, href, PlanMapElement.observedAttributes];
