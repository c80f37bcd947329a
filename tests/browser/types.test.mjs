// planmap.d.ts, the types the npm package ships: a usage file that calls every method and
// listens to every event compiles; the implementation has every declared member; and a file
// of mistakes fails exactly on the lines it marks (a wrong method name among them).
// No browser needed: tsc from the tests' npm packages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';

const TSC = new URL('./node_modules/typescript/bin/tsc', import.meta.url).pathname;
const TYPES = new URL('../types/', import.meta.url).pathname;

/** Runs tsc on a config; resolves with its exit code and output lines. */
function tsc(config) {
  return new Promise((resolve) => {
    execFile('node', [TSC, '-p', `${TYPES}${config}`, '--pretty', 'false'], (err, stdout, stderr) => {
      resolve({ code: err ? err.code : 0, lines: `${stdout}${stderr}`.split('\n').filter(Boolean) });
    });
  });
}

test('planmap.d.ts compiles against a usage file that calls every method and listens to every event, and matches the implementation', async () => {
  const { code, lines } = await tsc('tsconfig.json');
  assert.deepEqual(lines, []);
  assert.equal(code, 0);
});

test('a wrong method name, argument, event detail or return type fails the check, on exactly the marked lines', async () => {
  const { code, lines } = await tsc('tsconfig.wrong.json');
  assert.notEqual(code, 0);
  const marked = readFileSync(`${TYPES}wrong.ts`, 'utf8').split('\n')
    .map((l, i) => (/; \/\/ error:/.test(l) ? i + 1 : 0)).filter(Boolean);
  const failed = [...new Set(lines.map((l) => Number(/wrong\.ts\((\d+),/.exec(l)?.[1])).filter(Boolean))];
  assert.deepEqual(failed, marked, lines.join('\n'));
  assert.ok(lines.some((l) => l.includes("Property 'selectt' does not exist on type 'PlanMapElement'")), lines.join('\n'));
});
