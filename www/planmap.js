// planmap's entry module, the public contract's one script:
//   <script type="module" src="planmap.js"></script>
// It defines <plan-map> (see README and DESIGN); the element and its parts live in the
// planmap-*.js modules next to it (planmap-element.js lists them).
import { PlanMapElement } from './planmap-element.js';

export { PlanMapElement };
export { safeHref } from './planmap-dom.js';

if (!customElements.get('plan-map')) customElements.define('plan-map', PlanMapElement);
