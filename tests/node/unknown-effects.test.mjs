// "Unknown is not absent" through the JS API (issue 16): the real-world patterns that used to end
// in a false `source ... not found` build with the unknown parts labelled in the JSON, and the
// real errors stay errors.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';

import { apiModulePath, requireWebBuild } from './support.mjs';

let dfplay;

before(async () => {
  requireWebBuild();
  const api = await import(pathToFileURL(apiModulePath).href);
  dfplay = await api.createDfplay();
});

const errors = (r) => r.diagnostics.filter((d) => d.severity === 'error');

describe('build() with steps the simulation does not model', () => {
  test('an installer run through curl | bash, then its tool writes what COPY --from takes', () => {
    const r = dfplay.build({
      dockerfile: [
        'FROM debian:bookworm-slim AS build',
        'RUN curl -fsSL https://example.com/install.sh | bash',
        'RUN /root/.tool/bin/tool compile -o /out/app.bin',
        'FROM debian:bookworm-slim',
        'COPY --from=build /out/app.bin /usr/local/bin/app',
        '',
      ].join('\n'),
      files: {},
    });
    assert.equal(r.ok, true);
    assert.deepEqual(errors(r), []);
    assert.ok(r.diagnostics.some((d) => d.code === 'build/source-unverified' && d.severity === 'warning'));
    const f = r.image.files.find((x) => x.path === '/usr/local/bin/app');
    assert.ok(f, 'the copied file is in the image');
    assert.equal(f.unknown, true);
    assert.match(f.source, /unmodelled step \(line 3: RUN \/root\/\.tool\/bin\/tool/);
    assert.ok(r.image.unknown.files >= 1);
    assert.deepEqual(r.stages[0].unmodelled_lines, [2, 3]);
    assert.equal(r.steps.find((s) => s.line === 3).unmodelled, true);
    assert.equal(r.steps.find((s) => s.line === 5).unmodelled, true);
  });

  test('real errors stay errors: a missing context file, a path no step could create', () => {
    const ctx = dfplay.build({ dockerfile: 'FROM alpine:3.20\nRUN some-tool\nCOPY missing.txt /x\n', files: {} });
    assert.equal(ctx.ok, false);
    assert.ok(errors(ctx).length > 0);
    const stage = dfplay.build({
      dockerfile: 'FROM alpine:3.20 AS build\nRUN mkdir -p /out\nFROM alpine:3.20\nCOPY --from=build /out/app.bin /app\n',
      files: {},
    });
    assert.equal(stage.ok, false);
    assert.ok(stage.diagnostics.some((d) => d.code === 'build/source-not-found'));
    assert.deepEqual(stage.image.unknown, { steps: [], files: 0 });
  });
});
