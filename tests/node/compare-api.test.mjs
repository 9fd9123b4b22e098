// compare() and whatIfs() of the JS API under Node: the seed's naive-vs-multi-stage comparison,
// the JSON fields of `dfplay diff --json` (cross-checked with the native CLI when it is built),
// a what-if accepted as the next B, and errors for bad input.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';

import { apiModulePath, cliJson, requireWebBuild } from './support.mjs';

let api;
let dfplay;
let ex;  // examples by id

before(async () => {
  requireWebBuild();
  api = await import(pathToFileURL(apiModulePath).href);
  dfplay = await api.createDfplay();
  ex = Object.fromEntries(dfplay.examples().map((e) => [e.id, e]));
});

const input = (e) => ({ dockerfile: e.dockerfile, files: e.files, options: { target: e.target, build_args: e.build_args } });

describe('compare(a, b, options)', () => {
  test('the seed: naive single-stage Node against multi-stage', () => {
    const c = dfplay.compare(input(ex['node-naive']), input(ex['node-multistage']));
    for (const k of ['a', 'b', 'size_delta_bytes', 'compressed_delta_bytes', 'build_time_delta_s', 'files', 'config_changes',
      'findings', 'cache', 'layers']) assert.ok(k in c, k);
    assert.ok(c.a.size_bytes > 1.1e9 && c.a.size_bytes < 1.5e9, `${c.a.size_bytes}`);
    assert.ok(c.b.size_bytes > 150e6 && c.b.size_bytes < 250e6, `${c.b.size_bytes}`);
    assert.equal(c.size_delta_bytes, c.b.size_bytes - c.a.size_bytes);
    assert.ok(c.size_delta_bytes < -0.95e9 && c.size_delta_bytes > -1.35e9);
    assert.equal(c.compressed_delta_bytes, c.b.compressed_size_bytes - c.a.compressed_size_bytes);
    assert.equal(c.a.base, 'node:20');
    assert.equal(c.b.base, 'node:20-alpine');
    const removed = c.files.removed.map((f) => f.path);
    assert.ok(removed.includes('/app/src/server.ts'), 'the TypeScript sources');
    assert.ok(removed.includes('/app/node_modules/.bin/tsc'), "typescript's bin (a devDependency)");
    const nm = c.files.changed.find((f) => f.path === '/app/node_modules');
    assert.ok(nm && nm.b_size_bytes < nm.a_size_bytes && nm.summary);
    const sizes = c.files.removed.map((f) => f.size_bytes);
    assert.deepEqual(sizes, [...sizes].sort((x, y) => y - x), 'biggest first');
    assert.deepEqual(c.config_changes.find((x) => x.field === 'user'), { field: 'user', a: 'root', b: 'node' });
    assert.ok(c.findings.fixed.some((f) => f.id === 'RootUser'));
    assert.equal(c.cache.summary.run + c.cache.summary.cached + c.cache.summary.skipped, c.cache.steps.length);
    assert.equal(c.layers[0].base, true);
    assert.equal(c.estimated, true);
    // The same JSON as `dfplay diff --json` (when the native CLI is built).
    const cli = cliJson(['diff', 'examples/node-naive', 'examples/node-multistage', '--json']);
    if (cli) {
      assert.equal(cli.size_delta_bytes, c.size_delta_bytes);
      assert.deepEqual(cli.files, c.files);
      assert.deepEqual(cli.config_changes, c.config_changes);
      assert.deepEqual(cli.findings, c.findings);
      assert.deepEqual(cli.cache.summary, c.cache.summary);
    }
  });

  test("B's build after A's: a source edit reuses the dependency install", () => {
    const a = input(ex['node-multistage']);
    const b = { ...a, files: { ...a.files, 'src/server.ts': a.files['src/server.ts'] + '\n// edit\n' } };
    const c = dfplay.compare(a, b);
    const miss = c.cache.steps.find((s) => s.first_miss);
    assert.equal(miss.reason.kind, 'context-files-changed');
    assert.ok(c.cache.summary.cached > 0);
    assert.equal(c.config_changes.length, 0);
  });

  test('options apply to both sides, a side may override them', () => {
    const e = ex['build-arg'];
    const a = { dockerfile: e.dockerfile, files: e.files };
    const b = { ...a, options: { build_args: { NODE_VERSION: '18' } } };
    const c = dfplay.compare(a, b, { build_args: { NODE_VERSION: '22' } });
    assert.equal(c.a.base, 'node:22-alpine');
    assert.equal(c.b.base, 'node:18-alpine');
  });

  test('bad input throws with the field named', () => {
    assert.throws(() => dfplay.compare({ dockerfile: 1 }, {}), /compare\.a/);
    assert.throws(() => dfplay.compare({}, {}, { targt: 'x' }), /targt/);
    assert.throws(() => dfplay.compare({}, [], {}), /compare \(b\)/);
  });

  test('the module-level function gives the same result', async () => {
    const a = input(ex['go-distroless']);
    assert.deepEqual(await api.compare(a, a), dfplay.compare(a, a));
  });
});

describe('whatIfs(input)', () => {
  test('the naive Node image: smaller bases, manifest first, a builder stage, each with its effect', () => {
    const list = dfplay.whatIfs(input(ex['node-naive']));
    const ids = list.map((w) => w.id);
    for (const id of ['smaller-base:node:20-alpine', 'smaller-base:node:20-slim', 'manifest-first:0', 'builder-stage'])
      assert.ok(ids.includes(id), `${id} in ${ids}`);
    for (const w of list) {
      assert.equal(w.effect.ok, true);
      assert.equal(w.effect.estimated, true);
      for (const k of ['size_delta_bytes', 'compressed_delta_bytes', 'build_time_delta_s', 'cache', 'source_edit'])
        assert.ok(k in w.effect, `${w.id}: ${k}`);
      assert.ok(w.variant.dockerfile.length > 0);
    }
    const builder = list.find((w) => w.id === 'builder-stage');
    assert.ok(builder.effect.size_delta_bytes < -0.9e9);
    // Accepting a what-if is loading its variant: comparing against it gives the same effect.
    const c = dfplay.compare(input(ex['node-naive']), builder.variant);
    assert.equal(c.size_delta_bytes, builder.effect.size_delta_bytes);
    const first = list.find((w) => w.id === 'manifest-first:0');
    assert.ok(first.effect.source_edit.b_seconds < first.effect.source_edit.a_seconds);
  });

  test('the multi-stage example has nothing of the kind to offer but its build arg', () => {
    const kinds = dfplay.whatIfs(input(ex['node-multistage'])).map((w) => w.kind);
    assert.ok(!kinds.includes('builder-stage'));
    assert.ok(!kinds.includes('manifest-first'));
    const args = dfplay.whatIfs(input(ex['build-arg'])).filter((w) => w.kind === 'build-arg');
    assert.deepEqual(args.map((w) => w.variant.options.build_args.NODE_VERSION).sort(), ['18', '20']);
  });

  test('bad input throws', () => {
    assert.throws(() => dfplay.whatIfs({ dockerfil: 'FROM x' }), /whatIfs/);
  });
});
