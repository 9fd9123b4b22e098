// The JS API's full pipeline under Node: build, check, rebuild, examples and stateful workspaces,
// their JSON shapes, errors for bad input, and the seed's cache story on the start-up example.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';

import { apiModulePath, cliJson, EXAMPLE_DOCKERFILE, EXAMPLE_ID, requireWebBuild } from './support.mjs';

let api;     // the module's exports
let dfplay;  // a loaded instance
let example; // the start-up example {id, dockerfile, files, ...}

before(async () => {
  requireWebBuild();
  api = await import(pathToFileURL(apiModulePath).href);
  dfplay = await api.createDfplay();
  example = dfplay.examples().find((e) => e.id === EXAMPLE_ID);
});

const input = (files = example.files, dockerfile = example.dockerfile) => ({ dockerfile, files });
const withFile = (path, content) => ({ ...example.files, [path]: content });
const byLine = (report) => Object.fromEntries(report.steps.map((s) => [s.line, s]));

// package.json with one more dependency.
function addDependency(text) {
  const pkg = JSON.parse(text);
  pkg.dependencies = { ...pkg.dependencies, 'left-pad': '^1.3.0' };
  return JSON.stringify(pkg, null, 2) + '\n';
}

describe('examples()', () => {
  test('lists the built-in examples with their whole context', () => {
    const list = dfplay.examples();
    assert.ok(list.length >= 5);
    for (const e of list) {
      for (const k of ['id', 'title', 'description', 'dockerfile', 'files', 'target', 'build_args']) assert.ok(k in e, `${e.id}: ${k}`);
      assert.equal(typeof e.files, 'object');
      assert.equal(e.files[e.dockerfile_path], e.dockerfile, `${e.id}: the Dockerfile is part of its context`);
    }
    assert.equal(list[0].id, EXAMPLE_ID, 'the start-up example comes first');
    assert.equal(example.dockerfile, EXAMPLE_DOCKERFILE);
    assert.ok('package.json' in example.files && '.dockerignore' in example.files);
    // A fresh copy every time: callers may mutate it.
    list[0].title = 'changed';
    assert.notEqual(dfplay.examples()[0].title, 'changed');
  });

  test('the module-level function gives the same list', async () => {
    assert.deepEqual(await api.examples(), dfplay.examples());
  });
});

describe('build()', () => {
  test('the start-up example: two stages, the final image in 140-250 MB, estimates flagged', () => {
    const b = dfplay.build(input());
    assert.equal(b.ok, true);
    assert.equal(b.target, 'production');
    assert.deepEqual(b.stages.map((s) => [s.label, s.built, s.level, s.depends_on]), [['builder', true, 0, []], ['production', true, 1, [0]]]);
    assert.ok(b.image.size_bytes > 140e6 && b.image.size_bytes < 250e6, `${b.image.size_bytes}`);
    assert.ok(b.image.compressed_size_bytes < b.image.size_bytes);
    assert.equal(b.image.compressed_estimated, true);
    assert.equal(b.time.estimated, true);
    assert.ok(b.estimates.length > 0);
    assert.equal(b.image.config.user, 'node');
    assert.deepEqual(b.image.config.exposed_ports, ['3000/tcp']);
    assert.deepEqual(b.image.config.cmd, ['node', 'dist/server.js']);
    assert.ok(b.image.files.some((f) => f.path.startsWith('/app/dist/')), 'the compiled output is in the image');
    assert.equal(b.comparison.single_stage, 'builder');
    assert.ok(b.comparison.saving_bytes > 0, 'multi-stage saves something');
    assert.equal(b.comparison.final_size_bytes + b.comparison.saving_bytes, b.comparison.single_stage_size_bytes);
    assert.equal(b.steps.length, 11);
    assert.deepEqual(b.diagnostics, []);
  });

  test('the same JSON as `dfplay build DIR --json` for every built-in example', (t) => {
    if (cliJson(['build', `examples/${EXAMPLE_ID}`, '--json']) === null) {
      t.skip('the native CLI is not built (build/native/src/cli/dfplay)');
      return;
    }
    for (const e of dfplay.examples()) {
      const args = ['build', `examples/${e.id}`, '--json'];
      if (e.target) args.push('--target', e.target);
      for (const [k, v] of Object.entries(e.build_args)) args.push('--build-arg', `${k}=${v}`);
      const options = { target: e.target, build_args: e.build_args };
      assert.deepEqual(dfplay.build({ dockerfile: e.dockerfile, files: e.files, options }), cliJson(args), e.id);
    }
  });

  test('options: target, build args, platform', () => {
    const builder = dfplay.build({ ...input(), options: { target: 'builder' } });
    assert.equal(builder.target, 'builder');
    assert.deepEqual(builder.stages.map((s) => s.built), [true, false]);
    assert.ok(builder.steps.filter((s) => s.stage === 'production').every((s) => !s.built));
    const text = 'ARG VERSION=20\nFROM node:${VERSION}-alpine\nRUN echo hi\n';
    assert.equal(dfplay.build({ dockerfile: text, options: { build_args: { VERSION: '22' } } }).image.base, 'node:22-alpine');
    assert.equal(dfplay.build({ dockerfile: text, options: { buildArgs: ['VERSION=18'] } }).image.base, 'node:18-alpine');
    const arm = dfplay.build({ ...input(), options: { platform: 'linux/arm64' } });
    assert.equal(arm.ok, true);
  });

  test('a broken Dockerfile gives diagnostics with positions, not an exception', () => {
    const b = dfplay.build({ dockerfile: 'FROM alpine\nCOPY --from=nowhere /x /y\nRUN <<EOF\nnever closed\n' });
    assert.ok(b.diagnostics.length > 0);
    for (const d of b.diagnostics) {
      assert.equal(typeof d.message, 'string');
      assert.ok(d.range && d.range.start && d.range.start.line >= 1, JSON.stringify(d));
    }
    // The seed's trap: `#` after an instruction is not a comment.
    const trap = dfplay.build(input(example.files, example.dockerfile.replace(
      'COPY --from=builder /app/dist ./dist', 'COPY --from=builder /app/dist ./dist # copy compiled output only')));
    assert.equal(trap.ok, false);
    assert.ok(trap.diagnostics.some((d) => d.code === 'build/hash-not-comment'), JSON.stringify(trap.diagnostics));
  });

  test('bad input is an error that names the field', () => {
    const cases = [
      [{ dockerfile: 1 }, /dockerfile/],
      [{ files: 5 }, /files/],
      [{ files: { a: 1 } }, /file `a`/],
      [{ files: [{ path: 'a' }] }, /path, content/],
      [{ files: { '../escape': 'x' } }, /leaves the build context/],
      [{ dockerfil: 'typo' }, /unknown field `dockerfil`/],
      [{ options: { targt: 'x' } }, /unknown option `targt`/],
      [{ options: { no_cache: 'yes' } }, /no_cache must be true or false/],
      [{ options: { platform: 'linux/arm/v7/extra' } }, /not a platform/],
      [{ options: { build_args: ['NOVALUE'] } }, /NAME=VALUE/],
    ];
    for (const [arg, re] of cases) {
      assert.throws(() => dfplay.build(arg), (e) => e instanceof api.DfplayError && re.test(e.message), JSON.stringify(arg));
    }
    assert.throws(() => dfplay.build('FROM alpine'), TypeError);
    assert.throws(() => dfplay.build([]), TypeError);
    const cyclic = {};
    cyclic.self = cyclic;
    assert.throws(() => dfplay.build({ dockerfile: 'FROM a\n', options: cyclic }), TypeError);
  });

  test('files as a Map or a list; absent fields are empty', () => {
    const a = dfplay.build({ dockerfile: 'FROM alpine\nCOPY a.txt /\n', files: new Map([['a.txt', 'x']]) });
    const b = dfplay.build({ dockerfile: 'FROM alpine\nCOPY a.txt /\n', files: [{ path: 'a.txt', content: 'x', mode: 0o755 }] });
    assert.deepEqual(a.diagnostics, []);
    assert.equal(b.image.files.find((f) => f.path === '/a.txt').mode, '0755');
    const empty = dfplay.build({});
    assert.equal(empty.stages.length, 0);
    assert.equal(dfplay.build().stages.length, 0);
  });

  test('the Dockerfile text, which crosses apart from the JSON, gives the report a workspace gives', () => {
    const files = { 'a.txt': 'x', 'caf\u00e9.txt': 'y' };
    const texts = [
      '', '\u0000', 'FROM alpine\r\nRUN echo "a\\"b\\\\c \t \u0001 \u007f"\r\n',
      'FROM alpine\nLABEL x="caf\u00e9 \u20ac \u{1F600}"\nCOPY caf\u00e9.txt a.txt /\n',
      'FROM alpine\nRUN echo \ud800 lone \udfff\n',  // lone surrogates read as U+FFFD
      example.dockerfile,
    ];
    for (const dockerfile of texts) {
      const ws = dfplay.createWorkspace({ dockerfile, files });
      const r = ws.result();
      assert.deepEqual(dfplay.build({ dockerfile, files }), r.build, JSON.stringify(dockerfile));
      assert.deepEqual(dfplay.check({ dockerfile, files }), r.checks, JSON.stringify(dockerfile));
      ws.destroy();
    }
    assert.equal(dfplay.build({ dockerfile: 'FROM a\nRUN \ud800\n' }).steps[1].instruction, 'RUN \ufffd');
    // not a string: the JSON way, with its own message (null is an empty Dockerfile)
    assert.equal(dfplay.build({ dockerfile: null, files }).stages.length, 0);
    assert.throws(() => dfplay.check({ dockerfile: ['FROM a'] }), (e) => e instanceof api.DfplayError && /dockerfile/.test(e.message));
  });

  test('odd and large inputs stay bounded', () => {
    for (const text of ['', '\u0000', 'FROM \uFFFF\n', 'FROM a\n'.repeat(2000), 'RUN x\n'.repeat(100)]) {
      const b = dfplay.build({ dockerfile: text });
      assert.ok(Array.isArray(b.steps));
    }
    const big = ['FROM alpine AS s0'];
    for (let i = 1; i < 300; i++) big.push(`FROM s${i - 1} AS s${i}`, `RUN echo ${i} > /f${i}`);
    const t = performance.now();
    const b = dfplay.build({ dockerfile: big.join('\n') + '\n' });
    assert.equal(b.stages.length, 300);
    assert.ok(performance.now() - t < 5000);
  });
});

describe('check()', () => {
  test('BuildKit checks and best practices, with a replacement where there is one', () => {
    const c = dfplay.check({ dockerfile: 'FROM node:20 as build\nRUN npm install\nCMD node server.js\n' });
    assert.equal(c.file, 'Dockerfile');
    const ids = c.findings.map((f) => f.id);
    assert.ok(ids.includes('FromAsCasing'), ids.join());
    assert.ok(ids.includes('JSONArgsRecommended'), ids.join());
    assert.ok(ids.includes('RootUser'), ids.join());
    for (const f of c.findings) {
      assert.ok(['error', 'warning', 'note', 'info'].includes(f.severity), f.severity);
      assert.ok(f.line >= 1);
      assert.equal(typeof f.message, 'string');
    }
    const root = c.findings.find((f) => f.id === 'RootUser');
    assert.ok(root.replacement && typeof root.replacement.text === 'string');
    assert.equal(c.exit_status, 1);
    // best_practices: false leaves BuildKit's checks only.
    const bk = dfplay.check({ dockerfile: 'FROM node:20 as build\nRUN npm install\nCMD node server.js\n', options: { best_practices: false } });
    assert.ok(bk.findings.every((f) => f.buildkit));
    assert.throws(() => dfplay.check({ options: 3 }), /options must be an object/);
  });

  test('the start-up example is clean', () => {
    assert.deepEqual(dfplay.check(input()).findings, []);
  });
});

describe('rebuild(before, after, options)', () => {
  test('the seed\'s cache story: a source edit keeps npm ci cached', () => {
    const r = dfplay.rebuild(input(), input(withFile('src/app.ts', example.files['src/app.ts'] + '\n// edited\n')));
    assert.equal(r.ok, true);
    assert.equal(r.before_ok, true);
    assert.equal(r.build, 2);
    const s = byLine(r);
    assert.equal(s[5].status, 'cached', 'RUN npm ci (builder)');
    assert.equal(s[12].status, 'cached', 'RUN npm ci --omit=dev (production)');
    assert.equal(s[6].status, 'run');
    assert.equal(s[6].first_miss, true);
    assert.equal(s[6].reason.kind, 'context-files-changed');
    assert.deepEqual(s[6].reason.paths, ['src/app.ts']);
    assert.equal(s[7].reason.kind, 'parent-missed');
    assert.equal(s[7].reason.follows.line, 6);
    assert.equal(s[14].status, 'run', 'the compiled output changed');
    assert.equal(s[14].reason.kind, 'stage-output-changed');
    assert.ok(r.summary.saved_seconds > 0 && r.summary.seconds < r.summary.cold_seconds);
  });

  test('editing package.json re-runs npm ci', () => {
    const r = dfplay.rebuild(input(), input(withFile('package.json', addDependency(example.files['package.json']))));
    const s = byLine(r);
    assert.equal(s[3].status, 'cached', 'WORKDIR');
    assert.equal(s[4].status, 'run');
    assert.equal(s[4].reason.kind, 'context-files-changed');
    assert.deepEqual(s[4].reason.paths, ['package.json']);
    assert.equal(s[5].status, 'run', 'RUN npm ci');
    assert.equal(s[12].status, 'run', 'RUN npm ci --omit=dev');
  });

  test('COPY --from stays cached when the builder\'s output is identical', () => {
    // A test file: COPY . . and the build re-run, but tsc excludes tests, so dist/ is the same.
    const r = dfplay.rebuild(input(), input(withFile('src/app.test.ts', example.files['src/app.test.ts'] + '\n// more\n')));
    const s = byLine(r);
    assert.equal(s[6].status, 'run');
    assert.equal(s[7].status, 'run');
    assert.equal(s[14].status, 'cached', 'COPY --from=builder /app/dist ./dist');
  });

  test('a .dockerignored file changes nothing; a changed line is instruction-changed', () => {
    const ignored = dfplay.rebuild(input(), input(withFile('README.md', 'changed\n')));
    assert.equal(ignored.summary.run, 0);
    const edited = example.dockerfile.replace('RUN npm ci --omit=dev # only production deps', 'RUN npm ci --omit=dev --no-audit');
    const r = dfplay.rebuild(input(), input(example.files, edited));
    const s = byLine(r);
    assert.equal(s[12].reason.kind, 'instruction-changed');
    assert.equal(s[12].first_miss, true);
    for (const line of [2, 3, 4, 5, 6, 7, 9, 10, 11]) assert.equal(s[line].status, 'cached', `line ${line}`);
  });

  test('options apply to both sides; a side may give its own; bad input names the side', () => {
    const text = 'FROM alpine\nARG V\nRUN echo $V\n';
    const r = dfplay.rebuild({ dockerfile: text, options: { build_args: { V: '1' } } }, { dockerfile: text, options: { build_args: { V: '2' } } });
    assert.equal(byLine(r)[3].reason.kind, 'build-arg-changed');
    assert.equal(byLine(r)[3].reason.name, 'V');
    const same = dfplay.rebuild({ dockerfile: text }, { dockerfile: text }, { build_args: { V: '1' } });
    assert.equal(same.summary.run, 0);
    const nc = dfplay.rebuild({ dockerfile: text }, { dockerfile: text }, { no_cache: true });
    assert.equal(nc.summary.cached, 0);
    assert.throws(() => dfplay.rebuild({ dockerfile: 1 }, {}), /rebuild.before/);
    assert.throws(() => dfplay.rebuild({}, { files: 2 }), /rebuild.after/);
    assert.throws(() => dfplay.rebuild({}, {}, 'x'), TypeError);
  });

  test('the same statuses as `dfplay rebuild`', (t) => {
    if (cliJson(['rebuild', `examples/${EXAMPLE_ID}`, `examples/${EXAMPLE_ID}`, '--json']) === null) {
      t.skip('the native CLI is not built');
      return;
    }
    const cli = cliJson(['rebuild', `examples/${EXAMPLE_ID}`, `examples/${EXAMPLE_ID}`, '--json']);
    assert.deepEqual(dfplay.rebuild(input(), input()), cli);
  });
});

describe('createWorkspace()', () => {
  test('a session: preview, build, edit, preview against the cache, clear', () => {
    const ws = dfplay.createWorkspace(input());
    let r = ws.result();
    for (const k of ['analysis', 'build', 'cache', 'checks', 'options', 'builds', 'revision', 'input_diagnostics', 'dockerfile', 'files'])
      assert.ok(k in r, k);
    assert.equal(r.builds, 0);
    assert.equal(r.cache_empty, true);
    assert.equal(r.cache.summary.cached, 0, 'before the first build everything runs');
    assert.equal(r.analysis.stage_count, 2);
    const first = ws.build();
    assert.equal(first.build, 1);
    assert.equal(first.summary.cached, 0);
    r = ws.result();
    assert.equal(r.builds, 1);
    assert.equal(r.cache.summary.run, 0, 'nothing changed: fully cached');
    ws.setFiles(withFile('src/app.ts', '// new\n'));
    r = ws.result();
    assert.equal(byLine(r.cache)[6].reason.kind, 'context-files-changed');
    assert.equal(byLine(r.cache)[5].status, 'cached');
    ws.setDockerfile(example.dockerfile.replace('EXPOSE 3000', 'EXPOSE 8080'));
    r = ws.result();
    assert.deepEqual(r.build.image.config.exposed_ports, ['8080/tcp']);
    assert.equal(r.files.Dockerfile, r.dockerfile, 'the Dockerfile in the context follows the text');
    ws.setOptions({ target: 'builder' });
    r = ws.result();
    assert.equal(r.options.target, 'builder');
    assert.equal(r.build.target, 'builder');
    ws.setOptions({ no_cache: true });
    assert.equal(ws.result().options.target, 'builder', 'setOptions merges');
    assert.equal(ws.result().cache.summary.cached, 0);
    ws.setOptions({ no_cache: false });
    ws.clearCache();
    r = ws.result();
    assert.equal(r.cache_empty, true);
    assert.equal(r.cache.summary.cached, 0, 'a cleared cache: cold again');
    ws.destroy();
    ws.destroy();  // twice is fine
    assert.throws(() => ws.result(), /destroyed/);
  });

  test('errors leave the workspace as it was', () => {
    const ws = dfplay.createWorkspace(input());
    const before = ws.result();
    assert.throws(() => ws.setOptions({ bogus: 1 }), /unknown option/);
    assert.throws(() => ws.setFiles(3), /files/);
    assert.throws(() => ws.setDockerfile(3), TypeError);
    assert.throws(() => ws.load({ dockerfile: [] }), /dockerfile/);
    assert.deepEqual(ws.result(), before);
    assert.throws(() => dfplay.createWorkspace({ files: 1 }), /files/);
    ws.destroy();
  });

  test('user images: addImages returns diagnostics and is used by FROM', () => {
    const ws = dfplay.createWorkspace({ dockerfile: 'FROM registry.example.com/team/base:1\nRUN true\n' });
    const unknown = ws.result().build.stages[0];
    assert.equal(unknown.base_estimated, true);
    const diags = ws.addImages({ images: [{ ref: 'registry.example.com/team/base:1', size_bytes: 123456789, compressed_size_bytes: 45678901, os: 'debian' }] });
    assert.ok(Array.isArray(diags));
    const bad = ws.addImages('{not json');
    assert.ok(bad.length > 0 && bad[0].severity === 'error', JSON.stringify(bad));
    ws.clearImages();
    assert.equal(ws.result().build.stages[0].base_estimated, true);
    ws.destroy();
  });

  test('many workspaces are independent', () => {
    const a = dfplay.createWorkspace(input());
    const b = dfplay.createWorkspace(input());
    a.build();
    assert.equal(a.result().builds, 1);
    assert.equal(b.result().builds, 0);
    assert.notEqual(a.handle, b.handle);
    a.destroy();
    b.destroy();
  });

  test('module-level helpers', async () => {
    const ws = await api.createWorkspace(input());
    assert.equal(ws.result().analysis.stage_count, 2);
    ws.destroy();
    assert.equal((await api.build(input())).target, 'production');
    assert.deepEqual((await api.check(input())).findings, []);
    assert.equal((await api.rebuild(input(), input())).summary.run, 0);
  });
});
