// The editor's features in the real page: undo/redo by edit groups with the real keyboard,
// find, autosave (a reload, two tabs, a full storage), the light theme and its toggle, the
// accessibility tree, a single tap under touch emulation. Screenshots of both themes at three
// sizes: build/screenshots/editor-*.png.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { EXAMPLE_DOCKERFILE } from '../node/support.mjs';
import { CLEAR_COLOR, click, clickAt, countColor, frames, openApp as open, screenshot, showTab, startBrowser, state,
         TIMEOUT, waitFor, waitForState, widget } from './support.mjs';

let env;

before(async () => {
  env = await startBrowser();
});

after(async () => {
  if (env) await env.close();
});

const openApp = (options) => open(env, options);
const SLOT = 'dfplay:autosave:';

/** Opens the app in an existing browser context (a second tab of the same browser profile). */
async function openTab(context, url = env.srv.url) {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  await page.goto(url);
  await waitFor(page, () => window.dfplay && window.dfplay.ready, null, { timeout: 30_000 });
  await page.evaluate(() => window.dfplay.ready);
  return { page, errors };
}

/** Clicks into the editor and puts the cursor at the end of the text. */
async function focusEditorEnd(page) {
  const e = (await state(page)).ui.editor;
  await clickAt(page, e.x + e.width / 2, e.y + e.height / 2);
  await waitForState(page, (s) => s.ui.editorActive);
  await page.keyboard.press('Control+End');
}

/** Waits until this page's autosave slot holds a Dockerfile ending with `tail`. */
function waitForSave(page, tail) {
  return waitFor(page, ([prefix, t]) => {
    for (let i = 0; i < localStorage.length; i++) {
      const k = localStorage.key(i);
      if (!k.startsWith(prefix)) continue;
      const v = JSON.parse(localStorage.getItem(k));
      if (k === prefix + sessionStorage.getItem('dfplay:tab-id') && v.state.dockerfile.endsWith(t)) return true;
    }
    return false;
  }, [SLOT, tail], { timeout: 30_000 });
}

describe('editor', () => {
  test('undo and redo by words with Ctrl+Z, Ctrl+Shift+Z and Ctrl+Y', { timeout: TIMEOUT }, async () => {
    const { page, context, errors } = await openApp();
    await focusEditorEnd(page);
    await page.keyboard.type('\nRUN echo hello world');
    await waitForState(page, (s) => s.dockerfile.endsWith('\nRUN echo hello world'));
    let s = await state(page);
    assert.equal(s.ui.undo.undoLabel, 'typing');
    await page.keyboard.press('Control+Z');
    await waitForState(page, (s) => s.dockerfile.endsWith('\nRUN echo hello'));
    await page.keyboard.press('Control+Z');
    await waitForState(page, (s) => s.dockerfile.endsWith('\nRUN echo'));
    s = await state(page);
    assert.ok(s.ui.editorActive, 'the editor keeps the focus');
    assert.equal(s.ui.editorSelection.start, Buffer.byteLength(s.dockerfile), 'the cursor is where the undone word was');
    await page.keyboard.press('Control+Shift+Z');
    await waitForState(page, (s) => s.dockerfile.endsWith('\nRUN echo hello'));
    await page.keyboard.press('Control+Y');
    await waitForState(page, (s) => s.dockerfile.endsWith('\nRUN echo hello world'));
    // Typing after an undo continues from there: the redo branch is dropped.
    await page.keyboard.press('Control+Z');
    await waitForState(page, (s) => s.dockerfile.endsWith('\nRUN echo hello'));
    await page.keyboard.type('!');
    await waitForState(page, (s) => s.dockerfile.endsWith('\nRUN echo hello!') && !s.ui.undo.canRedo);
    // Undo all the way back: the example as it loaded, and no further.
    for (let i = 0; i < 8; i++) await page.keyboard.press('Control+Z');
    await waitForState(page, (s, df) => s.dockerfile === df && !s.ui.undo.canUndo, EXAMPLE_DOCKERFILE);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('characters outside the BMP survive typing: an emoji stays itself, typed or loaded', { timeout: TIMEOUT }, async () => {
    const { page, context, errors } = await openApp();
    // With ImGui's 16-bit ImWchar, the first key typed wrote its whole text back with the loaded
    // emoji as U+FFFD and a stray NUL at the end (the UTF-8 length changed by a byte).
    const text = 'FROM alpine:3.20\nLABEL description="rocket \u{1F680} caf\u00e9"\n';
    await page.evaluate((t) => { window.dfplay.load({ dockerfile: t }); }, text);
    await focusEditorEnd(page);
    await page.keyboard.type('#x');
    const typed = await waitForState(page, (s, d) => s.dockerfile === d, text + '#x', { analysing: true });
    assert.equal(typed.dockerfile, text + '#x');
    await page.keyboard.insertText('\u{1F600}');
    await waitForState(page, (s, d) => s.dockerfile === d, text + '#x\u{1F600}', { analysing: true });
    // Backspace takes the whole character (4 bytes of UTF-8), not a part of it.
    await page.keyboard.press('Backspace');
    await waitForState(page, (s, d) => s.dockerfile === d, text + '#x', { analysing: true });
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('an example load and Apply fix are each one undoable step', { timeout: TIMEOUT }, async () => {
    const { page, context, errors } = await openApp();
    await focusEditorEnd(page);
    await page.keyboard.type('\n# my own work');
    await waitForState(page, (s) => s.dockerfile.endsWith('# my own work'));
    // Examples > node-naive replaces the text...
    await click(page, 'menu:Examples');
    await click(page, 'example:node-naive');
    await waitForState(page, (s) => s.example === 'node-naive');
    let s = await state(page);
    assert.equal(s.ui.undo.undoLabel, 'load example');
    assert.ok(!s.dockerfile.includes('# my own work'));
    // ...and Ctrl+Z brings the user's text back, with its example id and files.
    await page.mouse.move(5, 700);
    await page.keyboard.press('Control+Z');
    await waitForState(page, (s) => s.dockerfile.endsWith('# my own work'));
    s = await state(page);
    assert.equal(s.example, 'node-multistage');
    assert.ok('package.json' in s.files);
    await page.keyboard.press('Control+Shift+Z');
    await waitForState(page, (s) => s.example === 'node-naive');

    // Apply fix: one step, undone with the Edit menu.
    s = await page.evaluate((df) => window.dfplay.load({ dockerfile: df, files: window.dfplay.state().files }),
                            EXAMPLE_DOCKERFILE.replace('USER node\n', ''));
    s = await page.evaluate(() => window.dfplay.analysed());
    const i = s.checks.findings.findIndex((f) => f.id === 'RootUser');
    assert.ok(i >= 0);
    await showTab(page, 'Findings');
    await click(page, `fix:${i}`);
    await waitForState(page, (st) => st.dockerfile.includes('USER node\nCMD'));
    assert.equal((await state(page)).ui.undo.undoLabel, 'Apply fix');
    await click(page, 'menu:Edit');
    await click(page, 'menu:Edit/Undo');
    await waitForState(page, (st, df) => st.dockerfile === df, EXAMPLE_DOCKERFILE.replace('USER node\n', ''));
    // dfplay.load was a step too; the page API undoes and redoes like the keys.
    s = await page.evaluate(() => window.dfplay.undo());
    assert.equal(s.example, 'node-naive');
    s = await page.evaluate(() => window.dfplay.redo());
    assert.equal(s.dockerfile, EXAMPLE_DOCKERFILE.replace('USER node\n', ''));
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('Edit > Reset to the example is one undoable step', { timeout: TIMEOUT }, async () => {
    const { page, context, errors } = await openApp();
    await focusEditorEnd(page);
    await page.keyboard.type('\nENV MINE=1');
    await waitForState(page, (s) => s.dockerfile.endsWith('ENV MINE=1'));
    await page.keyboard.press('Escape');
    await click(page, 'menu:Edit');
    await click(page, 'menu:Edit/Reset');
    await waitForState(page, (s, df) => s.dockerfile === df && s.ui.undo.undoLabel === 'Reset', EXAMPLE_DOCKERFILE);
    await page.keyboard.press('Control+Z');
    await waitForState(page, (s) => s.dockerfile.endsWith('ENV MINE=1'));
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('a long line scrolls horizontally to keep the cursor in view', { timeout: TIMEOUT }, async () => {
    const { page, context, errors } = await openApp({ width: 800, height: 500 });
    await focusEditorEnd(page);
    const long = 'RUN echo ' + 'abcdefghij'.repeat(8) + ' END';
    await page.keyboard.type('\n' + long);
    // The view follows the caret to the end of the line: a 93-character line in a 288 px wide
    // editor (the font's advance is about 6.8 px) needs a scroll of about 350 px.
    await waitForState(page, (st, l) => st.dockerfile.endsWith(l) && st.ui.editorScroll.x > 250, long);
    let s = await state(page);
    assert.ok(s.ui.editor.width < 300, JSON.stringify(s.ui.editor));
    // Home goes back to the start of the line, and the view follows.
    await page.keyboard.press('Home');
    await waitForState(page, (st) => st.ui.editorScroll.x === 0);
    s = await state(page);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('find: Ctrl+F, next and previous, the matches highlighted', { timeout: TIMEOUT }, async () => {
    const { page, context, errors } = await openApp();
    await focusEditorEnd(page);
    await page.keyboard.press('Control+F');
    await waitForState(page, (s) => s.ui.find.open);
    await frames(page, 3);
    await page.keyboard.type('copy');
    const expected = EXAMPLE_DOCKERFILE.toLowerCase().split('copy').length - 1;
    await waitForState(page, (s, n) => s.ui.find.matches === n && s.ui.find.current === 0, expected);
    await page.keyboard.press('Enter');
    await waitForState(page, (s) => s.ui.find.current === 1);
    await page.keyboard.press('Shift+Enter');
    await waitForState(page, (s) => s.ui.find.current === 0);
    await click(page, 'find:next');
    await click(page, 'find:next');
    await waitForState(page, (s) => s.ui.find.current === 2);
    await page.mouse.move(5, 700);
    const img = await screenshot(page, 'editor-find.png');
    const e = (await state(page)).ui.editor;
    // The current match's fill (dark theme: #8c610d at 50% over the editor's background).
    const fill = [80, 59, 19];
    const found = countColor(img, e, fill, 12);
    assert.ok(found > 40, `no highlighted match in the editor (${found} px in ${JSON.stringify(e)}, ${img.width}x${img.height})`);
    // Escape closes the bar and selects the current match in the editor.
    await page.keyboard.press('Escape');
    await waitForState(page, (s) => !s.ui.find.open && s.ui.editorActive);
    const s = await state(page);
    const bytes = Buffer.from(s.dockerfile);  // selections are byte offsets
    const sel = bytes.subarray(s.ui.editorSelection.start, s.ui.editorSelection.end).toString();
    assert.equal(sel.toLowerCase(), 'copy');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('autosave: an edit survives a reload; ?example= wins over it', { timeout: TIMEOUT }, async () => {
    const { page, context, errors } = await openApp();
    await focusEditorEnd(page);
    await page.keyboard.type('\nLABEL saved=yes');
    await waitForSave(page, 'LABEL saved=yes');
    // The example has its Dockerfile in the context too: the slot holds the text once.
    const raw = await page.evaluate(() => localStorage.getItem(Object.keys(localStorage).find((k) => k.startsWith('dfplay:autosave:'))));
    assert.equal(raw.split('LABEL saved=yes').length, 2, 'the Dockerfile is written once');
    assert.equal(JSON.parse(raw).state.dockerfile_file, true);
    await showTab(page, 'Image');
    await waitFor(page, () => Object.keys(localStorage).some((k) => k.startsWith('dfplay:autosave:') &&
      JSON.parse(localStorage.getItem(k)).state.tab === 'Image'));
    await page.reload();
    await page.evaluate(() => window.dfplay.ready);
    let s = await state(page);
    assert.ok(s.dockerfile.endsWith('\nLABEL saved=yes'), s.dockerfile);
    assert.equal(s.example, 'node-multistage');
    assert.ok('package.json' in s.files);
    assert.equal(s.files.Dockerfile, s.dockerfile, 'the context file at the Dockerfile\'s path is back');
    await waitForState(page, (st) => st.ui.sideTab === 'Image');
    assert.equal(s.ui.undo.canUndo, false, 'a restored state is the starting point');
    // A link to an example (or a share link) is not overridden by the autosave.
    const other = await context.newPage();
    await other.goto(`${env.srv.url}?example=node-naive`);
    await other.evaluate(() => window.dfplay.ready);
    s = await state(other);
    assert.ok(!s.dockerfile.includes('LABEL saved=yes'));
    // Opening it saves nothing until something changes (it does not become the newest save).
    await other.waitForTimeout(1000);
    const slots = await other.evaluate((prefix) => Object.keys(localStorage).filter((k) => k.startsWith(prefix)).length, SLOT);
    assert.equal(slots, 1);
    // An embed never autosaves (nor restores).
    const embed = await context.newPage();
    await embed.goto(`${env.srv.url}?embed=1`);
    await embed.evaluate(() => window.dfplay.ready);
    assert.ok(!(await state(embed)).dockerfile.includes('LABEL saved=yes'));
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('autosave: two tabs keep their own work', { timeout: TIMEOUT }, async () => {
    const context = await env.browser.newContext({ viewport: { width: 1280, height: 760 }, colorScheme: 'dark' });
    const a = await openTab(context);
    await focusEditorEnd(a.page);
    await a.page.keyboard.type('\nLABEL tab=a');
    await waitForSave(a.page, 'LABEL tab=a');
    // A new tab continues the latest work...
    const b = await openTab(context);
    await b.page.bringToFront();
    assert.ok((await state(b.page)).dockerfile.endsWith('LABEL tab=a'));
    // ...and from its first edit on, saves apart from the first tab.
    await focusEditorEnd(b.page);
    await b.page.keyboard.type('\nLABEL tab=b');
    await waitForSave(b.page, 'LABEL tab=b');
    await a.page.bringToFront();
    await focusEditorEnd(a.page);
    await a.page.keyboard.type('\nLABEL more=a');
    await waitForSave(a.page, 'LABEL more=a');
    const slots = await a.page.evaluate((prefix) => Object.keys(localStorage).filter((k) => k.startsWith(prefix)), SLOT);
    assert.equal(slots.length, 2, JSON.stringify(slots));
    // Every slot is a whole state.
    for (const k of slots) {
      const v = await a.page.evaluate((key) => JSON.parse(localStorage.getItem(key)), k);
      assert.equal(v.v, 1);
      assert.equal(typeof v.state.dockerfile, 'string');
      assert.ok(v.state.files && v.state.options);
    }
    // Reloading each tab brings back its own text, not the other's.
    await a.page.reload();
    await a.page.evaluate(() => window.dfplay.ready);
    let s = await state(a.page);
    assert.ok(s.dockerfile.endsWith('LABEL tab=a\nLABEL more=a'), s.dockerfile);
    await b.page.bringToFront();
    await b.page.reload();
    await b.page.evaluate(() => window.dfplay.ready);
    s = await state(b.page);
    assert.ok(s.dockerfile.endsWith('LABEL tab=a\nLABEL tab=b'), s.dockerfile);
    assert.deepEqual([...a.errors, ...b.errors], []);
    await context.close();
  });

  test('autosave: a full storage shows a warning and the work goes on', { timeout: TIMEOUT }, async () => {
    const context = await env.browser.newContext({ viewport: { width: 1280, height: 760 }, colorScheme: 'dark' });
    await context.addInitScript(() => {
      const setItem = Storage.prototype.setItem;
      Storage.prototype.setItem = function (k, v) {
        if (String(k).startsWith('dfplay:autosave:')) throw new DOMException('full', 'QuotaExceededError');
        return setItem.call(this, k, v);
      };
    });
    const { page } = await openTab(context);
    await focusEditorEnd(page);
    await page.keyboard.type('\nRUN echo still here');
    await waitForState(page, (s) => s.ui.notice.includes('Autosave failed'));
    await page.keyboard.type(' and more');
    await waitForState(page, (s) => s.dockerfile.endsWith('RUN echo still here and more'));
    await page.mouse.move(5, 700);
    await screenshot(page, 'editor-autosave-failed.png');
    await context.close();
  });

  test('the light theme follows prefers-color-scheme; View toggles and remembers it', { timeout: TIMEOUT }, async () => {
    const context = await env.browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
    const { page, errors } = await openTab(context);
    let s = await state(page);
    assert.equal(s.ui.theme, 'light');
    assert.equal(s.ui.themeSetting, 'auto');
    await page.mouse.move(5, 790);
    let img = await screenshot(page, 'editor-light-1280x800.png');
    // The status line's background: the light theme's menu colour, not the dark one's.
    const bar = { x: 0, y: 795, width: 1280, height: 4 };
    assert.ok(countColor(img, bar, [236, 238, 241], 6) > 1000, 'the light status line');
    assert.equal(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(236, 238, 241)');
    // View > Dark.
    await click(page, 'menu:View');
    await click(page, 'theme:dark');
    await waitForState(page, (st) => st.ui.theme === 'dark' && st.ui.themeSetting === 'dark');
    await frames(page, 3);
    img = await screenshot(page);
    assert.ok(countColor(img, { x: 0, y: 0, width: 1280, height: 800 }, CLEAR_COLOR, 2) >= 0);
    assert.ok(countColor(img, bar, [236, 238, 241], 6) < 50, 'the status line turned dark');
    assert.equal(await page.evaluate(() => localStorage.getItem('dfplay:theme')), 'dark');
    await page.reload();
    await page.evaluate(() => window.dfplay.ready);
    assert.equal((await state(page)).ui.theme, 'dark', 'remembered');
    // The page API; an unknown name throws and changes nothing.
    s = await page.evaluate(() => window.dfplay.setTheme('light'));
    assert.equal(s.ui.theme, 'light');
    await assert.rejects(page.evaluate(() => window.dfplay.setTheme('pink')), /setTheme: expected/);
    s = await page.evaluate(() => window.dfplay.setTheme('auto'));
    assert.equal(s.ui.theme, 'light', 'auto follows the system (light here)');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('the accessibility tree holds the Dockerfile and a live summary; Tab enters and leaves', { timeout: TIMEOUT }, async () => {
    const { page, context, errors } = await openApp();
    await waitFor(page, () => document.getElementById('a11y-summary').textContent.includes('stages'));
    const summary = page.locator('#a11y-summary');
    assert.equal(await summary.getAttribute('role'), 'status');
    assert.equal(await summary.getAttribute('aria-live'), 'polite');
    let text = await summary.textContent();
    assert.match(text, /^2 stages, image [\d.]+ MB \(estimated\), cold build: 11 steps run, no problems/);
    // Chromium's own accessibility tree (what a screen reader gets).
    const cdp = await context.newCDPSession(page);
    const { nodes } = await cdp.send('Accessibility.getFullAXTree');
    const snap = JSON.stringify(nodes.filter((n) => !n.ignored).map((n) => [n.role && n.role.value, n.name && n.name.value]));
    assert.ok(snap.includes('FROM node:20-alpine AS builder'), 'the Dockerfile text is in the tree');
    assert.ok(snap.includes('cold build: 11 steps run'), 'the summary is in the tree');
    // An edit updates the summary (a new stage, a problem).
    await focusEditorEnd(page);
    await page.keyboard.type('\nFROM scratch AS extra\nCOPY --from=nowhere /a /b');
    await waitFor(page, () => /^3 stages/.test(document.getElementById('a11y-summary').textContent));
    text = await summary.textContent();
    assert.match(text, /problem/);
    assert.ok((await page.locator('#a11y-dockerfile').textContent()).includes('COPY --from=nowhere'));
    // Escape leaves the editor; Tab moves the focus out of the canvas, Shift+Tab back in.
    await page.keyboard.press('Escape');
    await waitForState(page, (s) => !s.ui.editorActive);
    await page.evaluate(() => document.getElementById('canvas').focus());
    await page.keyboard.press('Tab');
    assert.notEqual(await page.evaluate(() => document.activeElement && document.activeElement.id), 'canvas');
    await page.evaluate(() => document.body.focus());
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Tab');
    assert.ok(await page.evaluate(() => document.getElementById('canvas').tabIndex === 0));
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('a single tap switches a tab under touch emulation', { timeout: TIMEOUT }, async () => {
    const context = await env.browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true,
                                                   deviceScaleFactor: 2 });
    const { page, errors } = await openTab(context);
    for (const tab of ['Image', 'Build', 'Problems']) {
      const r = await widget(page, `tab:${tab}`);
      await page.touchscreen.tap(r.x + r.width / 2, r.y + r.height / 2);
      await waitForState(page, (s, t) => s.ui.sideTab === t, tab);
    }
    // A tap in the editor gives it the focus and the text bridge the DOM focus (on-screen keyboard).
    const e = (await state(page)).ui.editor;
    await page.touchscreen.tap(e.x + e.width / 2, e.y + 10);
    await waitForState(page, (s) => s.ui.editorActive);
    await waitFor(page, () => document.activeElement && document.activeElement.id === 'text-bridge');
    // Text an on-screen keyboard or an IME sends arrives as input / composition events.
    await page.evaluate(() => {
      const t = document.getElementById('text-bridge');
      t.dispatchEvent(new KeyboardEvent('keydown', { key: 'Unidentified', keyCode: 229, bubbles: true }));
      t.value = 'x';
      t.dispatchEvent(new InputEvent('input', { inputType: 'insertText', data: 'x', bubbles: true }));
      t.dispatchEvent(new CompositionEvent('compositionstart', { data: '' }));
      t.dispatchEvent(new CompositionEvent('compositionend', { data: 'é' }));
    });
    await waitForState(page, (s) => s.dockerfile.includes('xé'));
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('screenshots of both themes at three sizes', { timeout: TIMEOUT }, async () => {
    for (const colorScheme of ['dark', 'light']) {
      for (const [width, height] of [[1280, 800], [800, 500], [390, 844]]) {
        const context = await env.browser.newContext({ viewport: { width, height }, colorScheme });
        const { page, errors } = await openTab(context);
        await page.evaluate(() => window.dfplay.loadExample('node-naive'));
        await page.mouse.move(width - 3, 8);  // the menu bar's empty end: nothing hovered
        const img = await screenshot(page, `editor-${colorScheme}-${width}x${height}.png`);
        assert.equal(img.width, width);
        assert.equal((await state(page)).ui.theme, colorScheme);
        assert.deepEqual(errors, []);
        await context.close();
      }
    }
  });
});
