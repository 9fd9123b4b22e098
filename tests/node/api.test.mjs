// The headless JS API module (wasm) under Node: load it, call analyze(text).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';

import { apiModulePath, cliAnalyze, EXAMPLE_COMMENT_LINE, EXAMPLE_DOCKERFILE, repoRoot, requireWebBuild, seedFirstDockerfile } from './support.mjs';

let api;     // the module's exports
let dfplay;  // a loaded instance

before(async () => {
  requireWebBuild();
  api = await import(pathToFileURL(apiModulePath).href);
  dfplay = await api.createDfplay();
});

describe('JS API module', () => {
  test('analyze(text) counts the instructions and stages of the example', async () => {
    const result = await api.analyze(EXAMPLE_DOCKERFILE);
    assert.equal(result.file, 'Dockerfile');
    assert.equal(result.instruction_count, 14);
    assert.equal(result.stage_count, 2);
    assert.deepEqual(result.diagnostics, []);
  });

  test('the loaded instance is synchronous and analyzeJson returns the same document as text', () => {
    const json = dfplay.analyzeJson('FROM alpine AS a\nRUN echo hi\n\nFROM scratch\nCOPY --from=a / /\n');
    assert.equal(typeof json, 'string');
    const result = JSON.parse(json);
    assert.equal(result.instruction_count, 4);
    assert.equal(result.stage_count, 2);
    assert.deepEqual(dfplay.analyze('FROM alpine AS a\nRUN echo hi\n\nFROM scratch\nCOPY --from=a / /\n'), result);
  });

  test('the file name option is reported', () => {
    assert.equal(dfplay.analyze('FROM a\n', { fileName: 'web/Dockerfile.dev' }).file, 'web/Dockerfile.dev');
  });

  test('empty and odd inputs give a result, not a crash', () => {
    assert.equal(dfplay.analyze('').instruction_count, 0);
    assert.equal(dfplay.analyze('').stage_count, 0);
    for (const text of ['\n\n\n', '# only a comment', 'FROM a\u0000b\n', '\uFFFF\uD800 broken surrogate\n',
                        'FROM \u00e9t\u00e9\n', '\\\n\\\n\\', 'RUN <<EOF\nnever closed\n']) {
      const r = dfplay.analyze(text);
      assert.equal(typeof r.instruction_count, 'number', JSON.stringify(text));
      assert.ok(Array.isArray(r.diagnostics));
    }
  });

  test('a large Dockerfile is analysed quickly', () => {
    const lines = ['FROM alpine AS base'];
    for (let i = 0; i < 20000; i++) lines.push(i % 1000 === 0 ? `FROM base AS s${i}` : `RUN echo ${i} && true`);
    const t = performance.now();
    const r = dfplay.analyze(lines.join('\n') + '\n');
    const ms = performance.now() - t;
    // Over the instruction limit (docs/limits.md): the first 10,000 are analysed, the rest refused.
    assert.equal(r.instruction_count, 10000);
    assert.equal(r.stage_count, 11);
    assert.deepEqual(r.diagnostics.map((d) => [d.code, d.line]), [['limits/instructions', 10001]]);
    assert.ok(ms < 5000, `took ${ms.toFixed(0)} ms`);
  });

  test('non-string input is a TypeError', () => {
    assert.throws(() => dfplay.analyze(42), TypeError);
    assert.throws(() => dfplay.analyze(undefined), TypeError);
    assert.throws(() => dfplay.analyze('FROM a', { fileName: 3 }), TypeError);
  });

  test('version is the project version', () => {
    const cmake = readFileSync(path.join(repoRoot, 'CMakeLists.txt'), 'utf8');
    const version = /project\(dfplay VERSION ([0-9.]+)/.exec(cmake)[1];
    assert.equal(dfplay.version, version);
  });

  test('several instances can be loaded side by side', async () => {
    const other = await api.createDfplay();
    assert.deepEqual(other.analyze(EXAMPLE_DOCKERFILE), dfplay.analyze(EXAMPLE_DOCKERFILE));
  });

  test('the same JSON as the native CLI (dfplay analyze --json)', (t) => {
    const texts = [EXAMPLE_DOCKERFILE, '', 'FROM a\nFORM b\n', 'from alpine\nrun echo \\\n  hi\n',
                   'FROM a\nRUN <<EOF\nx\nEOF\n', 'ARG X=1\nFROM a:${X}\n'];
    if (cliAnalyze('') === null) {
      t.skip('the native CLI is not built (build/native/src/cli/dfplay)');
      return;
    }
    for (const text of texts) assert.deepEqual(dfplay.analyze(text), cliAnalyze(text), JSON.stringify(text));
  });

  test('the example is the seed\'s first Dockerfile with the COPY comment on a line of its own', (t) => {
    const seed = seedFirstDockerfile();
    if (seed === null) {
      t.skip('../shared/seed is absent');
      return;
    }
    const fixed = seed.replace('COPY --from=builder /app/dist ./dist # copy compiled output only',
                               `${EXAMPLE_COMMENT_LINE}\nCOPY --from=builder /app/dist ./dist`);
    assert.notEqual(fixed, seed, 'the seed still has the line to fix');
    assert.equal(fixed, EXAMPLE_DOCKERFILE);
    assert.equal(dfplay.analyze(EXAMPLE_DOCKERFILE).instruction_count, 14);
  });
});
