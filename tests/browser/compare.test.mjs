// Compare mode and the Timeline in the app: pin the naive Node image as A with the real button,
// edit B with the keyboard (node:20 -> node:20-alpine), read the Compare panel and the timeline
// through window.dfplay.state(), accept a what-if, and enter compare mode with an explicit A
// through the page API. Screenshots at 1280x800, 800x500 and 390x844 (build/screenshots/compare-*.png,
// timeline-*.png).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';

import { apiModulePath } from '../node/support.mjs';
import { regionStats } from './png.mjs';
import {
  click, clickAt, countColor, openApp as open, screenshot, showTab, startBrowser, state, TIMEOUT, waitForState,
} from './support.mjs';

let env, api;

// Shows a side tab through the View menu (in a small embed the last tabs are scrolled off the tab bar).
async function viewTab(page, title) {
  await click(page, 'menu:View');
  await click(page, `view:${title}`);
  await waitForState(page, (s, t) => s.ui.sideTab === t, title);
}

before(async () => {
  env = await startBrowser();
  api = await (await import(pathToFileURL(apiModulePath).href)).createDfplay();
});

after(async () => {
  if (env) await env.close();
});

const RUN_ORANGE = [250, 158, 64];   // theme::kRun: run bars
const CRITICAL = [245, 115, 158];    // theme::kCritical: the critical path

describe('compare mode', () => {
  test('pin the naive image as A, edit B, read the comparison and the timeline', { timeout: TIMEOUT }, async () => {
    const { page, context, errors } = await open(env, { width: 1280, height: 800 });
    await page.evaluate(() => window.dfplay.loadExample('node-naive'));
    await showTab(page, 'Compare');
    let s = await state(page);
    assert.equal(s.compare, null, 'compare mode is off until pinned');
    await screenshot(page, 'compare-off-1280x800.png');

    await click(page, 'button:compare');  // the real button
    await waitForState(page, (st) => st.compare !== null);
    s = await state(page);
    assert.equal(s.compare.a.dockerfile, s.dockerfile, 'A is what the editor had');
    assert.equal(s.compare.diff.size_delta_bytes, 0);
    assert.equal(s.compare.diff.cache.summary.run, 0, 'B = A: everything is reused from A\'s cache');

    // Edit B with the keyboard: line 4 `FROM node:20` -> `FROM node:20-alpine`.
    const lines = s.dockerfile.split('\n');
    assert.equal(lines[3], 'FROM node:20');
    const e = s.ui.editor, lh = s.ui.editorLineHeight;
    await clickAt(page, e.x + e.width - 20, e.y + 4 + (4 - 0.5) * lh);
    await waitForState(page, (st) => st.ui.editorActive);
    await page.keyboard.press('End');
    await page.keyboard.type('-alpine');
    await waitForState(page, (st) => st.dockerfile.split('\n')[3] === 'FROM node:20-alpine');
    await waitForState(page, (st) => st.compare && st.compare.diff.b.base === 'node:20-alpine');
    s = await state(page);
    const d = s.compare.diff;
    assert.equal(d.a.base, 'node:20');
    assert.ok(d.size_delta_bytes < -500e6, `${d.size_delta_bytes}`);
    assert.equal(d.size_delta_bytes, d.b.size_bytes - d.a.size_bytes);
    assert.ok(d.layers[0].base && d.layers[0].a.image === 'node:20' && d.layers[0].b.image === 'node:20-alpine');
    assert.ok(d.config_changes.some((c) => c.field.startsWith('env.')), 'the base image env differs');
    assert.ok(d.cache.summary.run > 0, 'a new base: B reuses nothing from A');
    // The same comparison as the JS API computes.
    const jsApi = api.compare({ dockerfile: s.compare.a.dockerfile, files: s.compare.a.files },
      { dockerfile: s.dockerfile, files: s.files });
    assert.equal(jsApi.size_delta_bytes, d.size_delta_bytes);
    assert.deepEqual(jsApi.files, d.files);
    // The what-ifs of B (alpine already): the builder stage, the manifest first.
    const ids = s.compare.what_ifs.map((w) => w.id);
    assert.ok(ids.includes('builder-stage') && ids.includes('manifest-first:0'), ids.join(', '));
    assert.ok(!ids.includes('smaller-base:node:20-alpine'));

    // The Compare panel drawn: figures, file diff, layers, what-ifs.
    await page.mouse.move(5, 5);
    const img = await screenshot(page, 'compare-1280x800.png');
    const tab = s.ui.widgets['tab:Compare'];
    assert.ok(regionStats(img, { x: tab.x, y: tab.y + 30, width: 1280 - tab.x - 10, height: 600 }, [27, 29, 34]).differing > 8000,
      'the Compare panel is drawn');
    for (const name of ['button:compare-stop', 'input:compare-filter']) assert.ok(name in s.ui.widgets, name);

    // The timeline: cold, and B's build after A's on the same scale.
    assert.ok(s.timeline.cold.total_seconds > 0);
    assert.equal(s.timeline.cold.estimated, true);
    assert.equal(s.timeline.next_against, 'a');
    assert.deepEqual(s.timeline.cold.lanes.map((l) => l.stage), ['0']);
    assert.deepEqual(s.timeline.cold.critical_path, ['0']);
    for (const bar of s.timeline.cold.lanes[0].bars) assert.ok(bar.source.length > 0, 'every time says where it comes from');
    await showTab(page, 'Timeline');
    s = await state(page);
    assert.ok('timeline:cold' in s.ui.widgets && 'timeline:next' in s.ui.widgets);
    await page.mouse.move(5, 5);
    const tl = await screenshot(page, 'timeline-1280x800.png');
    const cold = s.ui.widgets['timeline:cold'];
    assert.ok(countColor(tl, cold, RUN_ORANGE, 40) + countColor(tl, cold, CRITICAL, 40) > 300, 'run bars are drawn');
    // 800x500: the same two panels fit a small embed.
    await page.setViewportSize({ width: 800, height: 500 });
    await waitForState(page, (st) => st.ui.canvas.width <= 800 * st.ui.devicePixelRatio);
    await page.mouse.move(5, 5);
    await screenshot(page, 'timeline-800x500.png');
    await viewTab(page, 'Compare');
    await screenshot(page, 'compare-800x500.png');

    // 390x844 (a phone): the panels under the editor.
    await page.setViewportSize({ width: 390, height: 844 });
    await waitForState(page, (st) => st.ui.canvas.width <= 390 * st.ui.devicePixelRatio);
    await page.mouse.move(5, 5);
    await screenshot(page, 'compare-390x844.png');
    await viewTab(page, 'Timeline');
    await page.mouse.move(5, 5);
    await screenshot(page, 'timeline-390x844.png');

    // Accept a what-if: one load of its variant; A stays pinned.
    s = await page.evaluate(() => window.dfplay.acceptWhatIf('builder-stage'));
    s = await page.evaluate(() => window.dfplay.analysed());
    assert.ok(s.dockerfile.includes('AS production'));
    assert.equal(s.compare.a.dockerfile.split('\n')[3], 'FROM node:20', 'A is still the naive image');
    assert.ok(s.compare.diff.b.size_bytes < 250e6, `${s.compare.diff.b.size_bytes}`);
    assert.ok(s.compare.diff.files.removed.some((f) => f.path === '/app/src/server.ts'));
    assert.deepEqual(s.timeline.cold.critical_path, ['builder', 'production']);

    // Stop comparing with the real button.
    await page.setViewportSize({ width: 1280, height: 800 });
    await viewTab(page, 'Compare');
    await click(page, 'button:compare-stop');
    await waitForState(page, (st) => st.compare === null);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('the page API enters compare mode with an explicit A and B', { timeout: TIMEOUT }, async () => {
    const { page, context, errors } = await open(env, { width: 1280, height: 800 });
    const ex = Object.fromEntries(api.examples().map((x) => [x.id, x]));
    const naive = ex['node-naive'], multi = ex['node-multistage'];
    const c = await page.evaluate(([a, b]) => window.dfplay.compare({ a: { dockerfile: a.dockerfile, files: a.files },
      b: { dockerfile: b.dockerfile, files: b.files } }), [naive, multi]);
    assert.equal(c.a.dockerfile, naive.dockerfile);
    assert.ok(c.diff.size_delta_bytes < -0.95e9 && c.diff.size_delta_bytes > -1.35e9, `${c.diff.size_delta_bytes}`);
    assert.ok(c.diff.files.removed.some((f) => f.path === '/app/node_modules/.bin/tsc'));
    const s = await state(page);
    assert.equal(s.dockerfile, multi.dockerfile, 'B was loaded into the editor');
    assert.deepEqual(s.timeline.next.critical_path.length > 0, true);
    // Bad input: an error naming the field, nothing changes.
    await assert.rejects(page.evaluate(() => window.dfplay.compare({ a: { dockerfile: 3 } })), /compare\.a/);
    await assert.rejects(page.evaluate(() => window.dfplay.compare({ c: 1 })), /unknown field `c`/);
    await assert.rejects(page.evaluate(() => window.dfplay.acceptWhatIf('nope')), /no what-if `nope`/);
    assert.equal((await state(page)).compare.a.dockerfile, naive.dockerfile);
    // Leave it.
    assert.equal(await page.evaluate(() => window.dfplay.compare(false)), null);

    // Outside compare mode, after a Build and a source edit: the rebuild's timeline against the cold one.
    await page.evaluate(() => window.dfplay.build());
    const edited = { ...multi.files, 'src/server.ts': multi.files['src/server.ts'] + '\n// edited\n' };
    await page.evaluate((files) => window.dfplay.load({ dockerfile: window.dfplay.state().dockerfile, files }), edited);
    const t = (await state(page)).timeline;
    assert.equal(t.next_against, 'cache');
    const bars = t.next.lanes.flatMap((l) => l.bars);
    assert.ok(bars.some((b) => b.status === 'cached' && b.seconds === 0));
    assert.ok(bars.some((b) => b.status === 'run' && b.seconds > 0));
    assert.ok(t.next.total_seconds < t.cold.total_seconds);
    await showTab(page, 'Timeline');
    await page.mouse.move(5, 5);
    await screenshot(page, 'timeline-rebuild-1280x800.png');
    assert.deepEqual(errors, []);
    await context.close();
  });
});
