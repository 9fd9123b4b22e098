// The Compare tab's what-ifs are made in slices between frames, after the editor's analysis and
// the comparison (never inside a frame): the tab asks for the current content's, the last list
// stays drawn meanwhile, marked as updating, its Accept buttons disabled; state().compare.what_ifs
// is the last list made and what_ifs_current says whether it is the current content's (state()
// makes none); dfplay.whatIfs() makes them at once. Screenshots at 1280x800, 800x500 and 390x844
// while updating and after (build/screenshots/compare-whatifs-*.png).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';

import { apiModulePath } from '../node/support.mjs';
import {
  click, clickAt, frames, openApp as open, screenshot, startBrowser, state, stateNow, TIMEOUT, waitForState,
} from './support.mjs';

let env, api, naive;

before(async () => {
  env = await startBrowser();
  api = await (await import(pathToFileURL(apiModulePath).href)).createDfplay();
  naive = api.examples().find((x) => x.id === 'node-naive');
});

after(async () => {
  if (env) await env.close();
});

// node-naive with `n` more RUN steps before its build: the same what-ifs, each one's builds longer.
function heavy(n) {
  let extra = '';
  for (let i = 0; i < n; ++i) extra += `RUN echo ${i} > /tmp/step${i}\n`;
  return naive.dockerfile.replace('RUN npm run build', `${extra}RUN npm run build`);
}

const UPDATING = 'status:whatifs-updating';
// The state once analysed (the what-ifs the tab asked for included) and drawn (ui.widgets are the
// last frame's: the frames after the result).
async function drawn(page) {
  await state(page);
  await frames(page, 2);
  return stateNow(page);
}
const whatIfWidgets = (s) => Object.keys(s.ui.widgets).filter((k) => k.startsWith('whatif:')).sort();

async function viewTab(page, title) {
  await click(page, 'menu:View');
  await click(page, `view:${title}`);
  await waitForState(page, (s, t) => s.ui.sideTab === t, title, { analysing: true });
}

async function focusEditorEnd(page) {
  const e = (await stateNow(page)).ui.editor;
  await clickAt(page, e.x + e.width / 2, e.y + e.height / 2);
  await waitForState(page, (s) => s.ui.editorActive, undefined, { analysing: true });
  await page.keyboard.press('Control+End');
  await frames(page);
}

describe('the Compare tab\'s what-ifs', () => {
  test('made in slices after the analysis; the last list drawn as updating meanwhile, not acceptable', { timeout: 3 * TIMEOUT }, async () => {
    const { page, context, errors } = await open(env, { width: 1280, height: 800 });
    await page.evaluate(() => window.dfplay.loadExample('node-naive'));
    await state(page);
    await page.evaluate(() => Module.dfplaySliceTimes(true));
    await viewTab(page, 'Compare');
    // dfplay.analysed() also waits for the what-ifs the tab asked for.
    let s = await drawn(page);
    const ids = (await page.evaluate(() => window.dfplay.whatIfs())).map((w) => w.id);
    assert.deepEqual(ids.sort(), ['builder-stage', 'manifest-first:0', 'smaller-base:node:20-alpine', 'smaller-base:node:20-slim']);
    assert.deepEqual(whatIfWidgets(s), ids.map((id) => `whatif:${id}`).sort(), 'the list is drawn');
    assert.ok(!(UPDATING in s.ui.widgets));

    // A content whose what-ifs take many slices: the previous list stays drawn, marked as updating.
    const text = heavy(300);
    await page.evaluate((t) => {
      Module.dfplaySliceTimes(true);
      window.dfplay.load({ dockerfile: t, files: window.dfplay.state().files });
    }, text);
    const updating = await waitForState(page, (st) => UPDATING in st.ui.widgets, undefined, { analysing: true });
    assert.deepEqual(whatIfWidgets(updating), ids.map((id) => `whatif:${id}`).sort(), 'the previous list, drawn meanwhile');
    await page.mouse.move(5, 5);
    await screenshot(page, 'compare-whatifs-updating-1280x800.png');
    s = await drawn(page);
    assert.ok(!(UPDATING in s.ui.widgets), 'updated');
    const slices = await page.evaluate(() => Module.dfplaySliceTimes(true).length);
    assert.ok(slices > 4 * ids.length, `the analysis and the what-ifs in slices: ${slices}`);
    const heavyIds = (await page.evaluate(() => window.dfplay.whatIfs())).map((w) => w.id).sort();
    assert.deepEqual(heavyIds, ids, 'the same what-ifs for the longer Dockerfile');
    await screenshot(page, 'compare-whatifs-1280x800.png');

    // An edit: the list is the previous content's until the new one is made; its Accept buttons
    // do nothing meanwhile (their variants would undo the edit). The analysis is paused while it
    // clicks (Module.dfplayPauseAnalysis: frames go on, no slice runs), so the list stays stale
    // however fast this machine makes it.
    await focusEditorEnd(page);
    await page.evaluate(() => Module.dfplayPauseAnalysis(true));
    await page.keyboard.type('\n# edit 1');
    const during = await waitForState(page, (st) => st.dockerfile.endsWith('# edit 1') && UPDATING in st.ui.widgets,
      undefined, { analysing: true });
    const r = during.ui.widgets['whatif:builder-stage'];
    await page.mouse.move(r.x + r.width / 2, r.y + r.height / 2);
    await frames(page, 1);
    await page.mouse.down();
    await frames(page, 1);
    await page.mouse.up();
    await frames(page, 2);
    const now = await stateNow(page);
    assert.ok(UPDATING in now.ui.widgets, 'still the stale list');
    assert.ok(now.dockerfile.endsWith('# edit 1'), 'a stale what-if is not accepted');
    assert.equal(now.compare, null, 'nor compare mode entered');
    await page.evaluate(() => Module.dfplayPauseAnalysis(false));
    s = await drawn(page);
    assert.ok(!(UPDATING in s.ui.widgets));
    const edited = s.dockerfile;
    // Now current: Accept pins the content as A and loads the variant of the edited content.
    await click(page, 'whatif:builder-stage');
    s = await state(page);
    assert.ok(s.dockerfile.includes('AS production'), 'accepted');
    assert.ok(s.dockerfile.includes('# edit '), 'the variant of the edited content');
    assert.equal(s.compare.a.dockerfile, edited, 'A: the content before');

    // Compare mode: state().compare.what_ifs is the last list made; what_ifs_current says whose.
    assert.equal(s.compare.what_ifs_current, true);
    const list = s.compare.what_ifs.map((w) => w.id);
    assert.ok(!list.includes('builder-stage'), list.join(' '));
    assert.ok(s.compare.what_ifs.every((w) => !('variant' in w)));
    await focusEditorEnd(page);
    await page.keyboard.type('\n# b');
    const stale = await waitForState(page, (st) => st.dockerfile.endsWith('# b') && !st.compare.what_ifs_current,
      undefined, { analysing: true });
    assert.deepEqual(stale.compare.what_ifs.map((w) => w.id), list, 'the last list, kept meanwhile');
    s = await state(page);
    assert.equal(s.compare.what_ifs_current, true);
    assert.equal(s.compare.a.dockerfile, edited, 'A stays pinned');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('while updating and after, at 800x500 and 390x844', { timeout: 3 * TIMEOUT }, async () => {
    for (const [width, height] of [[800, 500], [390, 844]]) {
      const { page, context, errors } = await open(env, { width, height });
      await page.evaluate(() => window.dfplay.loadExample('node-naive'));
      await state(page);
      await viewTab(page, 'Compare');
      await state(page);
      await page.evaluate((t) => window.dfplay.load({ dockerfile: t, files: window.dfplay.state().files }), heavy(300));
      await waitForState(page, (st) => UPDATING in st.ui.widgets, undefined, { analysing: true });
      await page.mouse.move(5, 5);
      await screenshot(page, `compare-whatifs-updating-${width}x${height}.png`);
      const s = await drawn(page);
      assert.ok(!(UPDATING in s.ui.widgets));
      assert.ok(whatIfWidgets(s).includes('whatif:builder-stage'), whatIfWidgets(s).join(' '));
      await screenshot(page, `compare-whatifs-${width}x${height}.png`);
      assert.deepEqual(errors, []);
      await context.close();
    }
  });
});
