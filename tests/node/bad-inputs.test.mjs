// The pathological inputs of tests/bad-inputs/ through the JS API (wasm) under Node, and what
// happens when something goes wrong anyway: every call gives a result or a DfplayError, never a
// dead module; a lone surrogate becomes U+FFFD; an abort inside the module is survived.
import assert from 'node:assert/strict';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';

import { asText, cases } from '../bad-inputs/cases.mjs';
import { existsSync } from 'node:fs';

import { apiModulePath } from './support.mjs';

let api;
let dfplay;

before(async () => {
  if (!existsSync(apiModulePath)) throw new Error(`${apiModulePath} is missing: build the web preset first (script/compile web)`);
  api = await import(pathToFileURL(apiModulePath).href);
  dfplay = await api.createDfplay();
});

// The module still answers a small build correctly.
function assertAlive() {
  const r = dfplay.build({ dockerfile: 'FROM alpine:3.19\nRUN echo ok\n' });
  assert.equal(r.ok, true);
  assert.equal(dfplay.analyze('FROM a\nRUN b\n').instruction_count, 2);
}

describe('pathological inputs through the JS API', () => {
  for (const c of cases) {
    test(`${c.name}: ${c.what}`, () => {
      const files = {};
      for (const [p, content] of Object.entries(c.files)) if (p !== 'Dockerfile') files[p] = asText(content);
      const dockerfile = asText(c.files.Dockerfile);
      const cpu0 = process.cpuUsage();
      const r = dfplay.build({ dockerfile, files });
      const cpu = process.cpuUsage(cpu0);
      const ms = (cpu.user + cpu.system) / 1000;
      assert.equal(typeof r.ok, 'boolean');
      if (c.expect.ok !== undefined) assert.equal(r.ok, c.expect.ok);
      if (c.expect.code) {
        const d = r.diagnostics.find((x) => x.code === c.expect.code);
        assert.ok(d, `a ${c.expect.code} diagnostic (got ${JSON.stringify(r.diagnostics.slice(0, 3).map((x) => x.code))})`);
        if (c.expect.line !== undefined) assert.equal(d.line, c.expect.line);
        if (c.expect.column !== undefined) assert.equal(d.column, c.expect.column);
      }
      // A generous bound on the CPU time (wasm is slower than native; CPU time, unlike wall time,
      // does not grow when other processes load the machine): catches a hang or a return to
      // quadratic work, not a slow run.
      assert.ok(ms < c.maxMs * 5, `${ms.toFixed(0)} ms of CPU`);
      // Small inputs also go through a workspace (the app's path).
      if (dockerfile.length < 100000) {
        const ws = dfplay.createWorkspace({ dockerfile, files });
        assert.equal(typeof ws.result().revision, 'number');
        ws.destroy();
      }
      assertAlive();
    });
  }
});

describe('text is text', () => {
  test('lone surrogates become U+FFFD (analyze, build, workspaces), not a JSON error', () => {
    const text = 'FROM alpine:3.19\nLABEL a="\uD800x" b="y\uDC00"\nENV X=\uDBFF\n';
    assert.equal(dfplay.analyze(text).instruction_count, 3);
    const r = dfplay.build({ dockerfile: text, files: { 'f\uD800.txt': 'c\uDFFF' } });
    assert.equal(r.ok, true);
    const labels = r.image.config.labels;
    assert.equal(labels.a, '\uFFFDx');
    assert.equal(labels.b, 'y\uFFFD');
    const ws = dfplay.createWorkspace({ dockerfile: text });
    ws.setDockerfile('FROM alpine:3.19\nLABEL c="\uDC00\uD800"\n');
    const res = ws.result();
    assert.equal(res.dockerfile, 'FROM alpine:3.19\nLABEL c="\uFFFD\uFFFD"\n');
    assert.equal(res.build.image.config.labels.c, '\uFFFD\uFFFD');
    ws.destroy();
  });

  test('a well-formed surrogate pair is kept, and an escaped backslash before "ud800" stays text', () => {
    const r = dfplay.build({ dockerfile: 'FROM alpine:3.19\nLABEL a="\uD83D\uDE00" b="\\\\ud800"\n' });
    assert.equal(r.image.config.labels.a, '\uD83D\uDE00');
    assert.equal(r.image.config.labels.b, '\\ud800');
  });
});

describe('nothing lost when the module fails anyway', () => {
  test('an abort inside a call is a DfplayError, a fresh module takes over, old workspaces say so', async () => {
    const own = await api.createDfplay();
    const ws = own.createWorkspace({ dockerfile: 'FROM alpine:3.19\n' });
    assert.equal(ws.result().analysis.instruction_count, 1);
    assert.equal(own.restarts, 0);
    assert.throws(() => own._abortForTesting(), (e) => {
      assert.ok(e instanceof api.DfplayError, String(e));
      assert.match(e.message, /the wasm module stopped .*a fresh module was started/);
      return true;
    });
    assert.equal(own.restarts, 1);
    // The next calls work on the fresh module.
    assert.equal(own.build({ dockerfile: 'FROM alpine:3.19\nRUN echo ok\n' }).ok, true);
    assert.equal(own.analyze('FROM a\n').instruction_count, 1);
    assert.ok(own.examples().length > 0);
    // The old workspace lived in the dead module.
    assert.throws(() => ws.result(), (e) => e instanceof api.DfplayError && /lost when the wasm module stopped/.test(e.message));
    ws.destroy();  // no throw
    const ws2 = own.createWorkspace({ dockerfile: 'FROM alpine:3.19\nRUN x\n' });
    assert.equal(ws2.result().analysis.instruction_count, 2);
    // Twice in a row is fine too.
    assert.throws(() => own._abortForTesting(), api.DfplayError);
    assert.equal(own.restarts, 2);
    assert.equal(own.analyze('FROM a\nRUN b\n').instruction_count, 2);
  });

  test('input over the size limit is refused with one diagnostic at 1:1', () => {
    const big = 'FROM alpine:3.19\n' + '# comment\n'.repeat(300000);
    const a = dfplay.analyze(big);
    assert.equal(a.diagnostics.length, 1);
    assert.equal(a.diagnostics[0].code, 'limits/input-size');
    assert.equal(a.diagnostics[0].line, 1);
    assert.equal(a.diagnostics[0].column, 1);
    assertAlive();
  });
});
