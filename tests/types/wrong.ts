// Mistakes the types must catch. Each line marked `// error:` must fail the check, and no
// other line may: tests/browser/types.test.mjs compares tsc's error lines with the marks.
import 'planmap';

const el = document.querySelector('plan-map')!;
el.selectt('c6'); // error: no such method
el.select(42); // error: an id is a string or null
el.setYear(2020, 'fade'); // error: one argument
el.addEventListener('planmap-select', (e) => e.detail.nam); // error: the detail has no `nam`
el.addEventListener('planmap-error', (e) => e.detail.message.toFixed()); // error: message is a string
const z: number = el.view!.zoom; // fine
el.toPNG().then((b) => b.size); // fine
const s: number = el.toSVG(); // error: toSVG returns a string
void [z, s];
