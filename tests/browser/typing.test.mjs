// Echo first, analyse after (src/app/redraw.js, AppState::analyse): a keystroke is in the state
// (and drawn) before its analysis, which follows in slices between frames; "analysing…" shows
// once a result takes longer than 150 ms and goes away with the result; a 5 MB paste leaves the
// page answering and is kept, shown read-only under the size limit's banner (Undo, Clear); the Build button and the Compare button
// go through the same sliced analysis (a Build pressed while analysing is recorded once the result
// is in; compare mode analyses A and B between frames, the panel says so meanwhile); the
// accessibility mirror follows the text. No timings here (bench/responsiveness.mjs
// measures them); screenshots of the indicator and of big.Dockerfile under build/screenshots/.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { sharedDir } from '../node/support.mjs';
import { click, clickAt, frames, openApp as open, screenshot, showTab, startBrowser, state, stateNow, TIMEOUT, waitFor, waitForState } from './support.mjs';

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

  // ImGui applies a typed character one frame after its key (it trickles queued input); the app
  // makes that frame's UI at once, so the first frame drawn after the key shows the character.
  // While a key is held the app asks for frames only when ImGui's key repeat is due, not every
  // frame: a held Backspace still repeats.
  test('a typed character is in the first frame after its key; a held key repeats', { timeout: TIMEOUT }, async () => {
    const { page, context, errors } = await openApp();
    await page.evaluate((text) => { window.dfplay.load({ dockerfile: text }); }, BIG);
    await state(page);
    await focusEditorEnd(page);
    await state(page);
    await page.evaluate(() => {
      window.__bytes = [];  // the Dockerfile's size after each frame
      const draw = window._dfplay_app_frame;
      window._dfplay_app_frame = () => {
        const next = draw();
        window.__bytes.push(_dfplay_app_text_bytes());
        return next;
      };
    });
    const before = await page.evaluate(() => _dfplay_app_text_bytes());
    await page.keyboard.type('x');
    await frames(page, 2);
    const bytes = await page.evaluate(() => window.__bytes);
    assert.equal(bytes[0], before + 1, `the first frame after the key shows it: ${bytes}`);
    await state(page);
    await page.keyboard.down('Backspace');
    await new Promise((r) => setTimeout(r, 900));
    await page.keyboard.up('Backspace');
    const after = await state(page);
    // ImGui's repeat: after 0.275 s, every 0.05 s (about 13 in 0.9 s; fewer on a loaded machine).
    assert.ok(after.dockerfile.length <= before - 4, `a held Backspace deleted ${before + 1 - after.dockerfile.length} characters`);
    assert.ok(BIG.startsWith(after.dockerfile), 'it deleted from the end');
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

  test('a 5 MB paste: kept, shown read-only under the size limit\'s banner (no ImGui input); the page keeps answering; Undo and Clear', { timeout: TIMEOUT }, async () => {
    const { page, context, errors } = await openApp();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.srv.url });
    let five = '';
    while (five.length < 5e6) five += BIG;
    await page.evaluate((text) => navigator.clipboard.writeText(text), five);
    const before = (await state(page)).dockerfile;
    await focusEditorEnd(page);
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Control+V');
    // state() answers meanwhile (each poll is a task between the app's own).
    const pasted = await waitForState(page, (s, n) => s.dockerfile.length === n, five.length, { analysing: true, timeout: 60_000 });
    assert.equal(pasted.dockerfile, five, 'the pasted text replaced the selection (all of it), kept whole');
    // (The autosave's notice comes after its delay, above the banner: the buttons move down then.)
    const shown = (s) => 'editor:too-big' in s.ui.widgets && /Not autosaved/.test(s.ui.notice);
    await waitForState(page, shown);
    await frames(page, 2);  // (the widgets' places with the notice drawn above the banner)
    const done = await stateNow(page);
    assert.equal(done.analysing, false);
    assert.equal(done.ui.tooBig, true);
    assert.equal(done.ui.editorActive, false, 'no text input holds it');
    for (const w of ['button:too-big-undo', 'button:too-big-clear']) assert.ok(w in done.ui.widgets, w);
    assert.equal(done.ui.undo.undoLabel, 'paste', 'the paste is one undo step');
    const codes = done.build.diagnostics.map((d) => d.code);
    assert.ok(codes.includes('limits/input-size'), `diagnostics: ${codes.join(', ')}`);
    const limit = done.build.diagnostics.find((d) => d.code === 'limits/input-size');
    assert.match(limit.message, /2 MiB/);
    // The read-only view scrolls (the wheel over it).
    const e = done.ui.editor;
    await page.mouse.move(e.x + e.width / 2, e.y + e.height / 2);
    await page.mouse.wheel(0, 2000);
    const scrolled = await waitForState(page, (s) => s.ui.editorScroll.y > 0);
    assert.ok(scrolled.ui.editorScroll.y > 0, 'scrolled down');
    await frames(page, 1);  // the renderer still draws
    // Undo (the banner's button) restores the text before the paste, in the editor again.
    const undo = done.ui.widgets['button:too-big-undo'];
    await clickAt(page, undo.x + undo.width / 2, undo.y + undo.height / 2);
    const undone = await waitForState(page, (s, d) => s.dockerfile === d && !('editor:too-big' in s.ui.widgets), before);
    assert.equal(undone.ui.tooBig, false);
    // Redo (Ctrl+Shift+Z) brings it back; Clear empties it as one step, which Ctrl+Z undoes.
    await page.keyboard.press('Control+Shift+Z');
    await waitForState(page, shown);
    await frames(page, 2);
    const again = await stateNow(page);
    assert.equal(again.dockerfile.length, five.length);
    const clear = again.ui.widgets['button:too-big-clear'];
    await clickAt(page, clear.x + clear.width / 2, clear.y + clear.height / 2);
    const cleared = await waitForState(page, (s) => s.dockerfile === '' && !s.ui.tooBig);
    assert.equal(cleared.ui.undo.undoLabel, 'Clear');
    await page.keyboard.press('Control+Z');
    const back = await waitForState(page, (s, n) => s.dockerfile.length === n && s.ui.tooBig, five.length);
    assert.equal(back.dockerfile, five);
    // (Chromium logs emscripten's GLFW wheel handler calling preventDefault in a passive listener,
    // for any wheel over the canvas: not this view's doing.)
    assert.deepEqual(errors.filter((e) => !/passive event listener/.test(e)), []);
    await context.close();
  });

  test('a paste that stays under the limit still goes through the editor (typing, undo as before)', { timeout: TIMEOUT }, async () => {
    const { page, context, errors } = await openApp();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.srv.url });
    const before = (await state(page)).dockerfile;
    await page.evaluate((text) => navigator.clipboard.writeText(text), '\nLABEL pasted=yes');
    await focusEditorEnd(page);
    await page.keyboard.press('Control+V');
    const pasted = await waitForState(page, (s, d) => s.dockerfile === d, before + '\nLABEL pasted=yes');
    assert.equal(pasted.ui.tooBig, false);
    assert.equal(pasted.ui.editorActive, true);
    assert.equal(pasted.ui.undo.undoLabel, 'paste');
    await page.keyboard.press('Control+Z');
    await waitForState(page, (s, d) => s.dockerfile === d, before);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('a paste of more than a chunk reaches the editor whole: encoded after the paste event, the frames wait for it', { timeout: TIMEOUT }, async () => {
    const { page, context, errors } = await openApp();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.srv.url });
    // 600,000 characters (page_api.js encodes 262,144 per task) with non-ASCII text throughout and a
    // surrogate pair across the first chunk's end; under the 2 MiB limit, so ImGui's Ctrl+V pastes it.
    const CHUNK = 1 << 18;
    let text = '';
    while (text.length < 600_000) text += '\nRUN echo h\u00e9llo w\u00f6rld ' + '\u00e9'.repeat(150);
    text = text.slice(0, CHUNK - 1) + '\u{1F600}' + text.slice(0, 600_000 - CHUNK - 1);
    assert.equal(text.length, 600_000);
    assert.equal(text.charCodeAt(CHUNK - 1) >= 0xD800 && text.charCodeAt(CHUNK - 1) <= 0xDBFF, true);
    await page.evaluate((t) => navigator.clipboard.writeText(t), text);
    await page.evaluate(() => {
      // After the app's own listener: is the text still on its way?
      window.addEventListener('paste', () => { window.__paste = { pasting: Module.dfplayPasting() }; });
    });
    const before = (await state(page)).dockerfile;
    await focusEditorEnd(page);
    await page.keyboard.press('Control+V');
    const pasted = await waitForState(page, (s, n) => s.dockerfile.length === n, before.length + text.length, { analysing: true, timeout: 60_000 });
    assert.equal(pasted.dockerfile, before + text, 'pasted whole, the pair across the chunks intact');
    assert.equal(pasted.ui.tooBig, false);
    assert.equal(pasted.ui.undo.undoLabel, 'paste');
    const seen = await page.evaluate(() => window.__paste);
    assert.equal(seen.pasting, true, 'the paste event returned before the text was encoded');
    assert.equal(await page.evaluate(() => Module.dfplayPasting()), false);
    // Then a small paste: in the event's own task, as before (a character outside the BMP is kept:
    // ImGui's 32-bit ImWchar; with its 16-bit default it became U+FFFD).
    await page.evaluate((t) => navigator.clipboard.writeText(t), '\nLABEL small=\u{1F680}');
    await page.keyboard.press('Control+V');
    await waitForState(page, (s, d) => s.dockerfile === d, before + text + '\nLABEL small=\u{1F680}', { analysing: true, timeout: 60_000 });
    assert.equal((await page.evaluate(() => window.__paste)).pasting, false);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('the Build button while analysing: recorded once the result is in, for the latest text', { timeout: TIMEOUT }, async () => {
    const { page, context, errors } = await openApp();
    await showTab(page, 'Build');
    const start = await state(page);
    assert.equal(start.builds, 0);
    const button = start.ui.widgets['button:build'];
    assert.ok(button, 'the Build tab is shown');
    // Three copies of big.Dockerfile (9,195 instructions, under the 10,000 limit): about a second of
    // analysis in wasm, in slices that run back to back between frames. The press and the release
    // come in the same task as the load (ImGui spreads them over the next two frames), so that the
    // click is seen while the analysis has barely begun, however slow this process's round trips are.
    const x = button.x + button.width / 2, y = button.y + button.height / 2;
    await page.mouse.move(x, y);
    await frames(page);
    await page.evaluate(([text, px, py]) => {
      window.dfplay.load({ dockerfile: text });
      const canvas = document.getElementById('canvas');
      const at = { clientX: px, clientY: py, button: 0, bubbles: true, cancelable: true, view: window };
      canvas.dispatchEvent(new MouseEvent('mousedown', { ...at, buttons: 1 }));
      canvas.dispatchEvent(new MouseEvent('mouseup', { ...at, buttons: 0 }));
    }, [BIG.repeat(3), x, y]);
    await frames(page, 3);  // (ImGui sees the press and the release over two frames: its input queue trickles)
    const waiting = await stateNow(page);
    assert.equal(waiting.analysing, true, 'still analysing after the click (the click did not analyse)');
    assert.equal(waiting.build_requested, true, 'the build waits for the analysis');
    assert.equal(waiting.builds, 0);
    // A change meanwhile drops the analysis under way: the build is the latest text's.
    await page.evaluate((text) => { window.dfplay.load({ dockerfile: text }); }, BIG);
    const done = await state(page);
    assert.equal(done.build_requested, false);
    assert.equal(done.builds, 1, 'one build recorded');
    assert.equal(done.cache_empty, false);
    assert.equal(done.dockerfile, BIG);
    assert.ok(done.last_build, 'its report');
    assert.equal(done.cache.summary.run, 0, 'the recorded build is the current text\'s: all of it is cached now');
    // With the results current the button records at once.
    await clickAt(page, button.x + button.width / 2, button.y + button.height / 2);
    const again = await stateNow(page);
    assert.equal(again.builds, 2);
    assert.equal(again.build_requested, false);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('the Compare button on big.Dockerfile: A and B compared between frames, the panel says so', { timeout: 5 * TIMEOUT }, async () => {
    // Two copies of big.Dockerfile: the comparison (three analyses) takes seconds in wasm.
    const TWO = BIG + BIG;
    for (const [width, height] of [[1280, 800], [800, 500], [390, 844]]) {
      const { page, context, errors } = await openApp({ width, height });
      await page.evaluate((text) => { window.dfplay.load({ dockerfile: text }); }, TWO);
      await state(page);
      await click(page, 'menu:View');
      await click(page, 'view:Compare');
      await waitForState(page, (s) => s.ui.sideTab === 'Compare');
      const r = (await state(page)).ui.widgets['button:compare'];
      await clickAt(page, r.x + r.width / 2, r.y + r.height / 2);
      const now = await stateNow(page);
      await screenshot(page, `compare-analysing-${width}x${height}.png`);  // (after the state: the comparison takes ~1 s)
      assert.ok(now.compare, 'compare mode is on at once');
      assert.equal(now.compare.a.dockerfile, TWO);
      assert.equal(now.compare.analysing, true, 'the comparison is made after the click, in slices');
      assert.equal(now.compare.diff, null, 'no comparison yet');
      assert.equal(now.analysing, true);
      // The panel says so (drawn in the frames after the click); the page answers meanwhile.
      assert.ok('status:compare-analysing' in now.ui.widgets, Object.keys(now.ui.widgets).join(' '));
      const done = await state(page);
      assert.equal(done.compare.analysing, false);
      assert.equal(done.compare.diff.size_delta_bytes, 0, 'B = A');
      assert.equal(done.compare.diff.cache.summary.run, 0, 'B reuses all of A\'s cache');
      assert.ok(!('status:compare-analysing' in done.ui.widgets));
      assert.equal(done.timeline.next_against, 'a');
      if (width === 1280) {
        // An edit of B: the previous comparison stays shown while the new one is made.
        await focusEditorEnd(page);
        await page.keyboard.type('\nRUN echo b');
        const editing = await waitForState(page, (s) => s.dockerfile.endsWith('RUN echo b'), undefined, { analysing: true });
        if (editing.analysing) assert.ok(editing.compare.diff, 'the last comparison is kept meanwhile');
        const after = await state(page);
        assert.equal(after.compare.analysing, false);
        assert.ok(after.compare.diff.layer_count_delta >= 0);
        assert.ok(after.compare.diff.cache.summary.run >= 1, 'the new RUN is not in A\'s cache');
      }
      assert.deepEqual(errors, []);
      await context.close();
    }
  });

  test('the accessibility mirror holds the text of big.Dockerfile and follows an edit in its middle', { timeout: TIMEOUT }, async () => {
    const { page, context, errors } = await openApp();
    await page.evaluate((text) => { window.dfplay.load({ dockerfile: text }); }, BIG);
    await state(page);
    await waitFor(page, (n) => document.getElementById('a11y-dockerfile').textContent.length === n, BIG.length, { timeout: 60_000 });
    assert.equal(await page.evaluate(() => document.getElementById('a11y-dockerfile').textContent), BIG);
    const blocks = await page.evaluate(() => document.getElementById('a11y-dockerfile').children.length);
    assert.ok(blocks > 100, `in blocks (${blocks})`);
    // An edit in the middle: the mirror has the new text, and only the blocks around it changed.
    await page.evaluate(() => {
      window.__kept = Array.from(document.getElementById('a11y-dockerfile').children);
    });
    const mid = BIG.indexOf('\n', BIG.length >> 1) + 1;
    const edited = BIG.slice(0, mid) + 'LABEL middle=yes\n' + BIG.slice(mid);
    await page.evaluate((text) => { window.dfplay.load({ dockerfile: text }); }, edited);
    await waitFor(page, (t) => document.getElementById('a11y-dockerfile').textContent === t, edited, { timeout: 60_000 });
    const kept = await page.evaluate(() => {
      const now = new Set(document.getElementById('a11y-dockerfile').children);
      return window.__kept.filter((el) => now.has(el)).length;
    });
    assert.ok(kept >= blocks - 2, `${kept} of ${blocks} blocks kept`);
    // Chromium's accessibility tree has the edited line (what a screen reader reads).
    const cdp = await context.newCDPSession(page);
    const { nodes } = await cdp.send('Accessibility.getFullAXTree');
    assert.ok(nodes.some((n) => !n.ignored && n.name && String(n.name.value).includes('LABEL middle=yes')));
    assert.deepEqual(errors, []);
    await context.close();
  });
});
