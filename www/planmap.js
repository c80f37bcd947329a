// planmap's entry module, the public contract's one script:
//   <script type="module" src="planmap.js"></script>
// It defines <plan-map> (see README and DESIGN); the element and its parts live in the
// planmap-*.js modules next to it (planmap-element.js lists them).
//
// Every module is named here, not only the element: the browser then fetches them all in
// the one round trip after this file instead of discovering them a level at a time
// (element → wasm loader → wasm source and glue), so the wasm starts downloading as early
// as it did when the element was one file. A browser test checks the list is complete.
// (The table, presentation mode, the basemap, the large-file reader and the warm-up are not
// named: the element import()s them when first used, so a page that never needs them never
// downloads them.)
import { PlanMapElement } from './planmap-element.js';
import './planmap-chrome.js';
import './planmap-dom.js';
import './planmap-export.js';
import './planmap-extras.js';
import './planmap-hash.js';
import './planmap-inview.js';
import './planmap-keys.js';
import './planmap-legend.js';
import './planmap-list.js';
import './planmap-load.js';
import './planmap-panel.js';
import './planmap-pointer.js';
import './planmap-resize.js';
import './planmap-select.js';
import './planmap-sprites.js';
import './planmap-strings.js';
import './planmap-style.js';
import './planmap-wasm-source.js';
import './planmap-wasm.js';
import './planmap_core.js';

export { PlanMapElement };
export { safeHref } from './planmap-dom.js';

if (!customElements.get('plan-map')) customElements.define('plan-map', PlanMapElement);
