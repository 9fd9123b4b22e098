// Echo first, analyse after (src/app/redraw.js, AppState::analyse): a keystroke is in the state
// (and drawn) before its analysis, which follows in slices between frames; "analysing…" shows
// once a result takes longer than 150 ms and goes away with the result; a 5 MB paste leaves the
// page answering and ends with the size limit's message. No timings here (bench/responsiveness.mjs
// measures them); screenshots of the indicator and of big.Dockerfile under build/screenshots/.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { sharedDir } from '../node/support.mjs';
import { clickAt, frames, openApp as open, screenshot, startBrowser, state, stateNow, TIMEOUT, waitFor, waitForState } from './support.mjs';

let env;
before(async () => { env = await startBrowser(); });
after(async () => { if (env) await env.close(); });

const BIG = readFileSync(path.join(sharedDir, 'bench', 'big.Dockerfile'), 'utf8');
const openApp = (options) => open(env, options);

/** Clicks into the editor and puts the cursor at the end of the text. */
async function focusEditorEnd(page) {
  const e = (await state(page)).ui.editor;
  await clickAt(page, e.x + e.width / 2, e.y + e.height / 2);
  await waitForState(page, (s) => s.ui.editorActive, undefined, { analysing: true });
  await page.keyboard.press('Control+End');
  await frames(page);
}

describe('typing: the keystroke first, the analysis after', () => {
  test('text typed into big.Dockerfile is in state() before its analysis; the result follows', { timeout: TIMEOUT }, async () => {
    const { page, context, errors } = await openApp();
    await page.evaluate((text) => { window.dfplay.load({ dockerfile: text }); }, BIG);
    const before = await state(page);
    assert.equal(before.analysing, false);
    assert.equal(before.dockerfile, BIG);
    const count = before.analysis.instruction_count;
    await focusEditorEnd(page);
    // Watched from inside the page (state() of big.Dockerfile is a large JSON: polling it from
    // here could miss the moment): the first time the typed text is in the content, is it still
    // being analysed, and how many instructions do the results shown have?
    await page.evaluate(() => {
      window.__seen = null;
      const check = () => {
        const content = JSON.parse(UTF8ToString(_dfplay_app_content()));
        if (!content.dockerfile.endsWith('LABEL typed=yes')) return void setTimeout(check, 1);
        window.__seen = { analysing: Module.dfplayAnalysing(),
                          instructions: JSON.parse(UTF8ToString(_dfplay_app_summary())).instructions };
      };
      check();
    });
    await page.keyboard.type('\nLABEL typed=yes');
    // The text is there first, with the previous results (an instruction fewer).
    const seen = await waitFor(page, () => window.__seen);
    assert.equal(seen.analysing, true, 'the typed text was in the state before its analysis');
    assert.equal(seen.instructions, count, 'with the previous results');
    const typed = await stateNow(page);
    assert.ok(typed.dockerfile.endsWith('LABEL typed=yes'));
    // Then the result of the latest text (the intermediate ones were dropped, never shown).
    const done = await state(page);
    assert.equal(done.analysing, false);
    assert.ok(done.dockerfile.endsWith('LABEL typed=yes'));
    assert.equal(done.analysis.instruction_count, count + 1);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('"analysing…" shows for a slow analysis and goes away with the result', { timeout: TIMEOUT }, async () => {
    for (const [width, height] of [[1280, 800], [800, 500], [390, 844]]) {
      const { page, context, errors } = await openApp({ width, height });
      const small = await state(page);
      assert.equal(small.analysing, false);
      assert.equal(small.ui.analysingShown, false);
      assert.ok(!('status:analysing' in small.ui.widgets));
      // Two copies of big.Dockerfile (1 MB, under the 2 MiB limit): an analysis of seconds in wasm.
      await page.evaluate((text) => { window.dfplay.load({ dockerfile: text }); }, BIG + BIG);
      const shown = await waitForState(page, (s) => s.ui.analysingShown, undefined, { analysing: true });
      assert.equal(shown.analysing, true);
      assert.ok('status:analysing' in shown.ui.widgets, 'the status line says it');
      // The page answers while it analyses: the renderer draws frames in between.
      await frames(page, 1);
      await screenshot(page, `typing-analysing-${width}x${height}.png`);
      const done = await waitForState(page, (s) => !s.ui.analysingShown);
      assert.equal(done.analysing, false);
      assert.ok(!('status:analysing' in done.ui.widgets));
      assert.equal(done.dockerfile.length, 2 * BIG.length);
      assert.ok(done.analysis.instruction_count > small.analysis.instruction_count);
      // big.Dockerfile once, analysed.
      await page.evaluate((text) => { window.dfplay.load({ dockerfile: text }); }, BIG);
      await state(page);
      await screenshot(page, `typing-big-${width}x${height}.png`);
      assert.deepEqual(errors, []);
      await context.close();
    }
  });

  test('a 5 MB paste: the page keeps answering, the editor takes it, the size limit says why', { timeout: TIMEOUT }, async () => {
    const { page, context, errors } = await openApp();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.srv.url });
    let five = '';
    while (five.length < 5e6) five += BIG;
    await page.evaluate((text) => navigator.clipboard.writeText(text), five);
    await focusEditorEnd(page);
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Control+V');
    // state() answers meanwhile (each poll is a task between the app's own).
    const pasted = await waitForState(page, (s, n) => s.dockerfile.length === n, five.length, { analysing: true, timeout: 60_000 });
    assert.equal(pasted.dockerfile.length, five.length);
    const done = await state(page);
    assert.equal(done.analysing, false);
    const codes = done.build.diagnostics.map((d) => d.code);
    assert.ok(codes.includes('limits/input-size'), `diagnostics: ${codes.join(', ')}`);
    const limit = done.build.diagnostics.find((d) => d.code === 'limits/input-size');
    assert.match(limit.message, /2 MiB/);
    await frames(page, 1);  // the renderer still draws
    assert.deepEqual(errors, []);
    await context.close();
  });
});
