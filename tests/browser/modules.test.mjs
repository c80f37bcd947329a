// The element's modules (issue 9): the entry names every module its imports reach (and the
// glue), so a browser fetches them all in the one round trip after planmap.js rather than a
// level of imports at a time (the wasm download would start later with every level).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';

const WWW = new URL('../../www/', import.meta.url).pathname;

/** The relative modules a www/ module imports statically (dynamic import() excluded). */
function imports(file) {
  const text = readFileSync(`${WWW}${file}`, 'utf8');
  return [...text.matchAll(/^(?:import|export) (?:[^'"]+ from )?'\.\/([\w.-]+\.js)';$/gm)].map((m) => m[1]);
}

test('planmap.js imports directly every module its imports reach', () => {
  const direct = new Set(imports('planmap.js'));
  const reached = new Set();
  const todo = [...direct];
  while (todo.length) {
    const f = todo.pop();
    if (reached.has(f)) continue;
    reached.add(f);
    // The wasm-bindgen glue is built into dist/, not kept in www/.
    if (existsSync(`${WWW}${f}`)) todo.push(...imports(f));
  }
  assert.ok(reached.has('planmap_core.js') && reached.has('planmap-element.js'), [...reached].join(' '));
  assert.deepEqual([...reached].sort(), [...direct].sort());
});
