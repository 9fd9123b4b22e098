// The app's panels on the full pipeline, driven like a person would: the real Build button, the
// real keyboard in the editor, tabs, the Examples menu, Apply fix, the context file editor.
// Asserts what the app computed (window.dfplay.state()) and takes a screenshot of every panel
// (build/screenshots/panel-*.png).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';

import { apiModulePath, EXAMPLE_DOCKERFILE, EXAMPLE_ID } from '../node/support.mjs';
import { regionStats } from './png.mjs';
import {
  click, clickAt, countColor, frames, openApp as open, screenshot, showTab, startBrowser, state, TIMEOUT,
  waitForState, widget,
} from './support.mjs';

let env, api;

before(async () => {
  env = await startBrowser();
  api = await (await import(pathToFileURL(apiModulePath).href)).createDfplay();
});

after(async () => {
  if (env) await env.close();
});

const openApp = (options) => open(env, { width: 1280, height: 800, ...options });
const stepsByLine = (cache) => Object.fromEntries(cache.steps.map((s, i) => [s.line, { ...s, n: i + 1 }]));
const sliceBytes = (text, start, end) => Buffer.from(text).subarray(start, end).toString();  // offsets are bytes
const lineStart = (text, line) => text.split('\n').slice(0, line - 1).reduce((n, l) => n + Buffer.byteLength(l) + 1, 0);
const CACHED_GREEN = [102, 199, 120];  // theme::kCached
const RUN_ORANGE = [250, 158, 64];     // theme::kRun

describe('panels', () => {
  test('the default example: its build, stage graph and image', { timeout: TIMEOUT }, async () => {
    const { page, context, errors } = await openApp();
    const s = await state(page);
    assert.equal(s.example, EXAMPLE_ID);
    assert.equal(s.dockerfile, EXAMPLE_DOCKERFILE);
    assert.deepEqual(s.build, api.build({ dockerfile: s.dockerfile, files: s.files }), 'the app and the JS API agree');
    assert.equal(s.build.stages.length, 2);
    assert.deepEqual(s.build.stages.map((x) => x.built), [true, true]);
    assert.ok(s.build.image.size_bytes > 140e6 && s.build.image.size_bytes < 250e6, `${s.build.image.size_bytes}`);
    assert.equal(s.cache_empty, true);
    assert.equal(s.builds, 0);
    assert.equal(s.cache.summary.cached, 0, 'before the first Build everything is a cold build');
    assert.equal(s.ui.sideTab, 'Stages');
    for (const name of ['tab:Stages', 'tab:Build', 'tab:Image', 'tab:Findings', 'tab:Problems', 'tab:Context', 'menu:Examples',
                        'stage:builder', 'stage:production'])
      assert.ok(name in s.ui.widgets, `${name} is published`);

    // The stage graph: two boxes with text; the target's border is the accent blue.
    const img = await screenshot(page, 'panel-stages.png');
    const target = s.ui.widgets['stage:production'];
    assert.ok(regionStats(img, target, [30, 34, 42]).differing > 300, 'the target box has text');
    assert.ok(countColor(img, target, [97, 158, 250], 30) > 100, 'the target is highlighted');

    // Clicking a stage selects its FROM line.
    await click(page, 'stage:production');
    await waitForState(page, (st) => st.ui.editorActive);
    const sel = (await state(page)).ui.editorSelection;
    assert.equal(sel.start, lineStart(s.dockerfile, 9));
    assert.ok(sliceBytes(s.dockerfile, sel.start, sel.end).startsWith('FROM node:20-alpine AS production'));

    await showTab(page, 'Image');
    const imgImage = await screenshot(page, 'panel-image.png');
    const tabs = s.ui.widgets['tab:Stages'];
    const panel = { x: tabs.x, y: tabs.y + 40, width: 1280 - tabs.x - 10, height: 500 };
    assert.ok(regionStats(imgImage, panel, [27, 29, 34]).differing > 5000, 'the Image panel is drawn');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('Build, then a keyboard edit of a RUN line: that step is the first miss, earlier steps cached', { timeout: TIMEOUT }, async () => {
    const { page, context, errors } = await openApp();
    await showTab(page, 'Build');
    await screenshot(page, 'panel-build-cold.png');
    await click(page, 'button:build');  // the real button
    await waitForState(page, (s) => s.builds === 1 && !s.cache_empty);
    let s = await state(page);
    assert.equal(s.last_build.build, 1);
    assert.equal(s.last_build.summary.cached, 0, 'the first build is cold');
    assert.equal(s.cache.summary.run, 0, 'unchanged: the next build is fully cached');

    // Line 12 is `RUN npm ci --omit=dev # only production deps`: select it with the keyboard, retype it.
    const lines = s.dockerfile.split('\n');
    assert.ok(lines[11].startsWith('RUN npm ci --omit=dev'));
    const e = s.ui.editor, lh = s.ui.editorLineHeight;
    await clickAt(page, e.x + e.width - 20, e.y + 4 + (12 - 0.5) * lh);
    await waitForState(page, (st) => st.ui.editorActive);
    await page.keyboard.press('Home');
    await page.keyboard.press('Shift+End');
    await page.keyboard.type('RUN npm ci --omit=dev --no-audit');
    await waitForState(page, (st) => st.dockerfile.split('\n')[11] === 'RUN npm ci --omit=dev --no-audit');
    s = await state(page);
    assert.equal(s.dockerfile.split('\n').length, lines.length, 'only that line changed');
    const steps = stepsByLine(s.cache);
    assert.equal(steps[12].status, 'run');
    assert.equal(steps[12].first_miss, true);
    assert.equal(steps[12].reason.kind, 'instruction-changed');
    for (const line of [2, 3, 4, 5, 6, 7, 9, 10, 11]) assert.equal(steps[line].status, 'cached', `line ${line}`);
    assert.equal(steps[14].reason.kind, 'parent-missed');
    assert.equal(s.files.Dockerfile, s.dockerfile, 'the context\'s Dockerfile follows the editor');

    // The panel shows it: green CACHED and orange RUN statuses; the gutter too.
    await page.mouse.move(5, 790);
    const img = await screenshot(page, 'panel-build.png');
    const step = s.ui.widgets[`step:${steps[12].n}`];
    assert.ok(step, 'the step row is published');
    const tabs = s.ui.widgets['tab:Stages'];
    const list = { x: tabs.x, y: tabs.y, width: 1280 - tabs.x, height: 760 - tabs.y };
    assert.ok(countColor(img, list, CACHED_GREEN, 30) > 200, 'CACHED is drawn in green');
    assert.ok(countColor(img, list, RUN_ORANGE, 30) > 50, 'RUN is drawn in orange');

    // Clicking the step selects its line in the editor.
    await clickAt(page, step.x + step.width / 2, step.y + 6);
    await waitForState(page, (st) => st.ui.editorActive);
    await waitForState(page, (st, start) => st.ui.editorSelection.start === start, lineStart(s.dockerfile, 12));
    const sel = (await state(page)).ui.editorSelection;
    assert.equal(sliceBytes(s.dockerfile, sel.start, sel.end), 'RUN npm ci --omit=dev --no-audit');

    // Clear cache: cold again.
    await showTab(page, 'Build');
    await click(page, 'button:clear-cache');
    await waitForState(page, (st) => st.cache_empty && st.cache.summary.cached === 0);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('the context editor: a source edit keeps npm ci cached', { timeout: TIMEOUT }, async () => {
    const { page, context, errors } = await openApp();
    await page.evaluate(() => window.dfplay.build());
    await showTab(page, 'Context');
    await click(page, 'file:src/app.ts');
    const input = await widget(page, 'input:file-content');
    await clickAt(page, input.x + input.width / 2, input.y + input.height / 2);
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\n// typed in the context panel\n');
    await waitForState(page, (s) => s.files['src/app.ts'].endsWith('// typed in the context panel\n'));
    const s = await state(page);
    const steps = stepsByLine(s.cache);
    assert.equal(steps[5].status, 'cached', 'RUN npm ci');
    assert.equal(steps[6].reason.kind, 'context-files-changed');
    assert.deepEqual(steps[6].reason.paths, ['src/app.ts']);
    assert.equal(steps[14].reason.kind, 'stage-output-changed');
    await page.mouse.move(5, 790);
    await screenshot(page, 'panel-context.png');
    // .dockerignore'd files are marked.
    assert.ok('file:README.md' in s.ui.widgets);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('Apply fix edits the Dockerfile', { timeout: TIMEOUT }, async () => {
    const { page, context, errors } = await openApp();
    const base = await state(page);
    let s = await page.evaluate((args) => window.dfplay.load(args),
                                { dockerfile: EXAMPLE_DOCKERFILE.replace('USER node\n', ''), files: base.files });
    s = await page.evaluate(() => window.dfplay.analysed());
    const i = s.checks.findings.findIndex((f) => f.id === 'RootUser');
    assert.ok(i >= 0, JSON.stringify(s.checks.findings.map((f) => f.id)));
    assert.ok(s.checks.findings[i].replacement);
    await showTab(page, 'Findings');
    await page.mouse.move(5, 790);
    await screenshot(page, 'panel-findings.png');
    await click(page, `fix:${i}`);
    await waitForState(page, (st) => !st.checks.findings.some((f) => f.id === 'RootUser'));
    s = await state(page);
    assert.ok(s.dockerfile.includes('USER node\nCMD'), s.dockerfile);
    assert.equal(s.build.image.config.user, 'node');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('Problems lists the `#` that is not a comment; a click selects it', { timeout: TIMEOUT }, async () => {
    const { page, context, errors } = await openApp();
    const base = await state(page);
    const trap = EXAMPLE_DOCKERFILE.replace('COPY --from=builder /app/dist ./dist',
                                            'COPY --from=builder /app/dist ./dist # copy compiled output only');
    let s = await page.evaluate((args) => window.dfplay.load(args), { dockerfile: trap, files: base.files });
    s = await page.evaluate(() => window.dfplay.analysed());
    const d = s.build.diagnostics.find((x) => x.code === 'build/hash-not-comment');
    assert.ok(d, JSON.stringify(s.build.diagnostics));
    assert.equal(s.build.ok, false);
    await showTab(page, 'Problems');
    await page.mouse.move(5, 790);
    await screenshot(page, 'panel-problems.png');
    await click(page, `problem:${d.code}@${d.range.start.line}`);
    await waitForState(page, (st) => st.ui.editorActive);
    await waitForState(page, (st, start) => st.ui.editorSelection.start === start, d.range.start.offset);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('a target leaves a stage skipped; the graph shows it', { timeout: TIMEOUT }, async () => {
    const { page, context, errors } = await openApp();
    const base = await state(page);
    const dockerfile = [
      'FROM node:20-alpine AS deps', 'WORKDIR /app', 'COPY package*.json ./', 'RUN npm ci',
      'FROM deps AS build', 'COPY . .', 'RUN npm run build',
      'FROM deps AS test', 'COPY . .', 'RUN npm test',
      'FROM node:20-alpine AS final', 'WORKDIR /app', 'COPY --from=deps /app/node_modules ./node_modules',
      'COPY --from=build /app/dist ./dist', 'USER node', 'CMD ["node", "dist/server.js"]', ''].join('\n');
    let s = await page.evaluate((args) => window.dfplay.load(args), { dockerfile, files: base.files });
    s = await page.evaluate(() => window.dfplay.analysed());
    assert.deepEqual(s.build.stages.map((x) => [x.label, x.built, x.level]),
                     [['deps', true, 0], ['build', true, 1], ['test', false, -1], ['final', true, 2]]);
    assert.ok(s.cache.steps.filter((x) => x.stage === 'test').every((x) => x.status === 'skipped'));
    await frames(page, 3);
    await screenshot(page, 'panel-stages-target.png');
    assert.ok((await state(page)).ui.widgets['stage:test'], 'the skipped stage is drawn');
    s = await page.evaluate(() => window.dfplay.setOptions({ target: 'test' }));
    s = await page.evaluate(() => window.dfplay.analysed());
    assert.equal(s.build.target, 'test');
    assert.deepEqual(s.build.stages.map((x) => x.built), [true, false, true, false]);
    assert.equal(s.options.target, 'test');
    // The target combo in the Build panel.
    await showTab(page, 'Build');
    await click(page, 'combo:target');
    await frames(page, 3);
    await page.keyboard.press('Escape');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('examples: via the page API and via the Examples menu', { timeout: TIMEOUT }, async () => {
    const { page, context, errors } = await openApp();
    const list = await page.evaluate(() => window.dfplay.examples());
    assert.deepEqual(list.map((e) => e.id), api.examples().map((e) => e.id));
    let s = await page.evaluate(() => window.dfplay.loadExample('go-distroless'));
    s = await page.evaluate(() => window.dfplay.analysed());
    assert.equal(s.example, 'go-distroless');
    assert.equal(s.dockerfile, list.find((e) => e.id === 'go-distroless').dockerfile);
    assert.equal(s.cache_empty, true);
    assert.ok(s.build.ok);
    await click(page, 'menu:Examples');
    await widget(page, 'example:node-naive');
    await screenshot(page, 'menu-examples.png');
    await click(page, 'example:node-naive');
    await waitForState(page, (st) => st.example === 'node-naive');
    s = await state(page);
    assert.equal(s.dockerfile, list.find((e) => e.id === 'node-naive').dockerfile);
    assert.ok(s.checks.findings.length > 0, 'the naive example has findings');
    const bad = await page.evaluate(() => { try { window.dfplay.loadExample('nope'); return null; } catch (e) { return e.message; } });
    assert.match(bad, /no example `nope`/);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('page API: setOptions, build, clearCache and their errors', { timeout: TIMEOUT }, async () => {
    const { page, context, errors } = await openApp();
    const report = await page.evaluate(() => window.dfplay.build());
    assert.equal(report.build, 1);
    assert.equal(report.summary.cached, 0);
    let s = await state(page);
    assert.equal(s.builds, 1);
    assert.deepEqual(s.last_build, report);
    s = await page.evaluate(() => window.dfplay.setOptions({ build_args: { NODE_ENV: 'production' }, no_cache: true }));
    s = await page.evaluate(() => window.dfplay.analysed());
    assert.deepEqual(s.options.build_args, { NODE_ENV: 'production' });
    assert.equal(s.options.no_cache, true);
    assert.equal(s.cache.summary.cached, 0, '--no-cache');
    s = await page.evaluate(() => window.dfplay.setOptions({ no_cache: false }));
    s = await page.evaluate(() => window.dfplay.analysed());
    assert.deepEqual(s.options.build_args, { NODE_ENV: 'production' }, 'setOptions merges');
    const bad = await page.evaluate(() => [{ platform: 'a/b/c/d' }, { what: 1 }, 'x', null, { no_cache: 1 }].map((o) => {
      try { window.dfplay.setOptions(o); return null; } catch (e) { return e.message; }
    }));
    for (const m of bad) assert.ok(m, 'invalid options throw');
    assert.match(bad[1], /unknown option `what`/);
    const badLoad = await page.evaluate(() => { try { window.dfplay.load({ dockerfile: 'FROM a', typo: 1 }); return null; } catch (e) { return e.message; } });
    assert.match(badLoad, /unknown field `typo`/);
    s = await page.evaluate(() => window.dfplay.clearCache());
    s = await page.evaluate(() => window.dfplay.analysed());
    assert.equal(s.cache_empty, true);
    // load keeps the cache: before/after from outside.
    await page.evaluate(() => window.dfplay.build());
    s = await page.evaluate(() => window.dfplay.load({ dockerfile: 'FROM alpine\nRUN echo 1\n', options: { build_args: { X: '1' } } }));
    s = await page.evaluate(() => window.dfplay.analysed());
    assert.equal(s.options.build_args.X, '1');
    assert.equal(s.example, null);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('a small embed (800x500) stays usable', { timeout: TIMEOUT }, async () => {
    const { page, context, errors } = await openApp({ width: 800, height: 500 });
    await page.evaluate(() => window.dfplay.build());
    const s0 = await state(page);
    await page.evaluate((files) => window.dfplay.load({
      dockerfile: window.dfplay.state().dockerfile, files: { ...files, 'package.json': files['package.json'].replace(/"version": "[^"]*"/, '"version": "9.9.9"') },
    }), s0.files);
    await showTab(page, 'Build');
    await page.mouse.move(5, 495);
    await screenshot(page, 'embed-800x500.png');
    const s = await state(page);
    // Every tab is on screen and the Build button too.
    for (const t of ['Stages', 'Build', 'Image', 'Findings', 'Problems', 'Context']) {
      const r = s.ui.widgets[`tab:${t}`];
      assert.ok(r && r.x >= 0 && r.x + r.width <= 800 && r.height > 10, `tab ${t}: ${JSON.stringify(r)}`);
    }
    const b = s.ui.widgets['button:build'];
    assert.ok(b.x + b.width <= 800 && b.y + b.height <= 500);
    assert.ok(s.ui.editor.width > 250 && s.ui.editor.height > 200, JSON.stringify(s.ui.editor));
    assert.equal(stepsByLine(s.cache)[4].reason.kind, 'context-files-changed');
    await showTab(page, 'Stages');
    await screenshot(page, 'embed-800x500-stages.png');
    // Two levels fit side by side: both boxes are fully on screen.
    let st = await state(page);
    for (const name of ['stage:builder', 'stage:production']) {
      const r = st.ui.widgets[name];
      assert.ok(r && r.x >= 0 && r.x + r.width <= 800, `${name}: ${JSON.stringify(r)}`);
    }
    // Four levels do not: they go top to bottom, still inside the panel's width.
    await page.evaluate(() => window.dfplay.load({ dockerfile: [
      'FROM golang:1.22 AS deps', 'RUN go version', 'FROM deps AS build', 'RUN go build ./...',
      'FROM build AS test', 'RUN go test ./...', 'FROM gcr.io/distroless/static-debian12 AS final',
      'COPY --from=test /etc/hostname /x', ''].join('\n') }));
    await frames(page, 3);
    await screenshot(page, 'embed-800x500-stages-levels.png');
    st = await state(page);
    const boxes = ['deps', 'build', 'test', 'final'].map((n) => st.ui.widgets[`stage:${n}`]);
    for (const r of boxes) assert.ok(r && r.x >= 0 && r.x + r.width <= 800, JSON.stringify(boxes));
    for (let k = 1; k < boxes.length; ++k) assert.ok(boxes[k].y > boxes[k - 1].y, `level ${k} below level ${k - 1}: ${JSON.stringify(boxes)}`);
    assert.deepEqual(errors, []);
    await context.close();
  });
});
