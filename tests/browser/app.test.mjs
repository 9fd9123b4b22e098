// The app in Debian's Chromium (headless, WebGL 2 through SwiftShader), driven by playwright-core.
// Asserts what the app computed (window.dfplay.state()) and what it drew (screenshot pixels), and
// types with the real keyboard. Screenshots: build/screenshots/*.png.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';

import { apiModulePath, cliAnalyze, EXAMPLE_DOCKERFILE } from '../node/support.mjs';
import { dominantColor, regionStats } from './png.mjs';
import { CLEAR_COLOR, countColor, openApp as open, screenshot, startBrowser, state, TIMEOUT, waitFor, waitForState } from './support.mjs';

let env, api, srv;

before(async () => {
  env = await startBrowser();
  srv = env.srv;
  api = await (await import(pathToFileURL(apiModulePath).href)).createDfplay();
});

after(async () => {
  if (env) await env.close();
});

const openApp = (options) => open(env, options);

describe('app', () => {
  test('starts with the example, analysed like the JS API and the CLI do', { timeout: TIMEOUT }, async () => {
    const { page, context, errors } = await openApp();
    const s = await state(page);
    assert.equal(s.dockerfile, EXAMPLE_DOCKERFILE);
    assert.equal(s.analysis.instruction_count, 14);
    assert.equal(s.analysis.stage_count, 2);
    assert.deepEqual(s.analysis, api.analyze(s.dockerfile));
    const cli = cliAnalyze(s.dockerfile);
    if (cli !== null) assert.deepEqual(s.analysis, cli);
    assert.ok('package.json' in s.files, 'the example comes with a build context');
    assert.ok(s.ui.frame >= 2);
    assert.equal(await page.locator('#status').isHidden(), true, 'the loading overlay is gone');
    const img = await screenshot(page, 'app-start.png');
    const all = regionStats(img, undefined, CLEAR_COLOR);
    assert.ok(all.colors > 20, `the canvas looks blank (${all.colors} colours)`);
    const e = s.ui.editor;
    const text = regionStats(img, e, dominantColor(img, e));
    assert.ok(text.differing > 500, `no text drawn in the editor (${text.differing} pixels)`);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('typing with the keyboard edits the Dockerfile and updates the status', { timeout: TIMEOUT }, async () => {
    const { page, context, errors } = await openApp();
    const before = await state(page);
    const e = before.ui.editor;
    const imgBefore = await screenshot(page);
    await page.mouse.click(e.x + e.width / 2, e.y + e.height / 2);
    await waitForState(page, (s) => s.ui.editorActive);
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\nRUN echo hello');
    await waitForState(page, (s, typed) => s.dockerfile.endsWith(typed), '\nRUN echo hello');
    let s = await state(page);
    assert.equal(s.dockerfile, EXAMPLE_DOCKERFILE + '\nRUN echo hello');
    assert.equal(s.analysis.instruction_count, 15);
    assert.equal(s.analysis.stage_count, 2);

    await page.keyboard.type('\nFROM scratch AS final\nCOPY --from=production /app /app');
    await waitForState(page, (s) => s.analysis.stage_count === 3 && s.dockerfile.endsWith('/app /app'));
    s = await state(page);
    assert.equal(s.analysis.instruction_count, 17);
    assert.deepEqual(s.analysis, api.analyze(s.dockerfile));

    // Backspace removes what was typed last.
    for (let i = 0; i < 4; i++) await page.keyboard.press('Backspace');
    await waitForState(page, (s) => s.dockerfile.endsWith('/app '));

    const img = await screenshot(page, 'app.png');
    let changed = 0;
    for (let y = Math.floor(e.y); y < e.y + e.height; y++) {
      for (let x = Math.floor(e.x); x < e.x + e.width; x++) {
        const o = (y * img.width + x) * 4;
        if (img.data[o] !== imgBefore.data[o] || img.data[o + 1] !== imgBefore.data[o + 1]) changed++;
      }
    }
    assert.ok(changed > 200, `the typed text was not drawn (${changed} pixels changed)`);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('dfplay.load() replaces the content and keeps the build-context files', { timeout: TIMEOUT }, async () => {
    const { page, context, errors } = await openApp();
    let s = await page.evaluate(() => window.dfplay.load({
      dockerfile: 'FROM alpine AS a\nRUN echo hi\nFROM scratch\nCOPY --from=a /etc/os-release /\n',
      files: { 'b.txt': 'bee', 'a/c.txt': 'sea' },
    }));
    s = await page.evaluate(() => window.dfplay.analysed());
    assert.equal(s.analysis.stage_count, 2);
    assert.equal(s.analysis.instruction_count, 4);
    assert.deepEqual(s.files, { 'a/c.txt': 'sea', 'b.txt': 'bee' });
    assert.deepEqual((await state(page)).files, s.files);

    s = await page.evaluate(() => window.dfplay.load({ dockerfile: 'FROM a\n', files: [{ path: 'x', content: '1' }, ['y', '2']] }));
    s = await page.evaluate(() => window.dfplay.analysed());
    assert.deepEqual(s.files, { x: '1', y: '2' });
    s = await page.evaluate(() => window.dfplay.load({ dockerfile: 'FROM a\n', files: new Map([['m', '3']]) }));
    s = await page.evaluate(() => window.dfplay.analysed());
    assert.deepEqual(s.files, { m: '3' });
    s = await page.evaluate(() => window.dfplay.load({}));
    s = await page.evaluate(() => window.dfplay.analysed());
    assert.equal(s.dockerfile, '');
    assert.deepEqual(s.files, {});

    const bad = await page.evaluate(() => ['x', { dockerfile: 1 }, { files: 5 }, { files: [{ path: 'a' }] }, { files: { a: 1 } }].map((arg) => {
      try { window.dfplay.load(arg); return null; } catch (err) { return err.message; }
    }));
    for (const message of bad) assert.ok(message, 'invalid input must throw');
    assert.equal((await state(page)).dockerfile, '', 'a failed load leaves the state alone');

    // A load while the editor has focus: the new text wins over ImGui's copy.
    const e = (await state(page)).ui.editor;
    await page.mouse.click(e.x + 40, e.y + 10);
    await waitForState(page, (s) => s.ui.editorActive);
    await page.evaluate(() => window.dfplay.load({ dockerfile: 'FROM busybox\n' }));
    await page.keyboard.press('Control+End');
    await page.mouse.click(e.x + 40, e.y + 10);
    await page.keyboard.press('Control+End');
    await page.keyboard.type('RUN true');
    await waitForState(page, (s) => s.dockerfile === 'FROM busybox\nRUN true');
    assert.equal((await state(page)).analysis.instruction_count, 2);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('diagnostics are underlined in the editor at their range', { timeout: TIMEOUT }, async () => {
    const { page, context, errors } = await openApp({ width: 1000, height: 480 });
    const text = 'FROM alpine\nRUN echo ok\nRUN <<EOF\necho never closed\n';
    let s = await page.evaluate((t) => window.dfplay.load({ dockerfile: t }), text);
    s = await page.evaluate(() => window.dfplay.analysed());
    const errorsFound = s.analysis.diagnostics.filter((d) => d.severity === 'error');
    assert.ok(errorsFound.length > 0, `expected a diagnostic for an unterminated heredoc: ${JSON.stringify(s.analysis)}`);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const img = await screenshot(page, 'app-diagnostics.png');
    const e = s.ui.editor, lh = s.ui.editorLineHeight;
    const redOnLine = (line) => {
      let n = 0;
      const top = Math.floor(e.y + (line - 1) * lh), bottom = Math.ceil(e.y + (line + 1) * lh);
      for (let y = top; y < bottom; y++) {
        for (let x = Math.floor(e.x); x < e.x + e.width; x++) {
          const o = (y * img.width + x) * 4;
          if (img.data[o] > 200 && img.data[o + 1] < 140 && img.data[o + 2] < 140) n++;
        }
      }
      return n;
    };
    for (const d of errorsFound) assert.ok(redOnLine(d.range.start.line) > 5, `no underline on line ${d.range.start.line}`);
    assert.equal(redOnLine(1), 0, 'nothing underlined on a correct line');

    s = await page.evaluate(() => window.dfplay.load({ dockerfile: 'FROM alpine\n' }));
    s = await page.evaluate(() => window.dfplay.analysed());
    assert.deepEqual(s.analysis.diagnostics, []);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const clean = await screenshot(page);
    let red = 0;
    for (let y = Math.floor(e.y); y < e.y + e.height; y++) {
      for (let x = Math.floor(e.x); x < e.x + e.width; x++) {
        const o = (y * clean.width + x) * 4;
        if (clean.data[o] > 200 && clean.data[o + 1] < 140 && clean.data[o + 2] < 140) red++;
      }
    }
    assert.equal(red, 0, 'the underline goes away with the error');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('the editor pastes from and copies to the system clipboard', { timeout: TIMEOUT }, async () => {
    const { page, context, errors } = await openApp();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: srv.url });
    await page.evaluate(() => window.dfplay.load({ dockerfile: 'FROM alpine\n' }));
    const e = (await state(page)).ui.editor;
    await page.mouse.click(e.x + e.width / 2, e.y + e.height / 2);
    await waitForState(page, (s) => s.ui.editorActive);
    await page.keyboard.press('Control+End');
    await page.evaluate(() => navigator.clipboard.writeText('LABEL pasted=yes\nRUN true\n'));
    await page.keyboard.press('Control+V');
    await waitForState(page, (s) => s.dockerfile === 'FROM alpine\nLABEL pasted=yes\nRUN true\n');
    assert.equal((await state(page)).analysis.instruction_count, 3);

    await page.keyboard.press('Control+A');
    await page.keyboard.press('Control+C');
    await waitFor(page, async () => (await navigator.clipboard.readText()).startsWith('FROM alpine'), undefined, { timeout: 10_000 });
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), 'FROM alpine\nLABEL pasted=yes\nRUN true\n');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('the canvas fills the page and follows window resizes', { timeout: TIMEOUT }, async () => {
    const { page, context, errors } = await openApp({ width: 1280, height: 760 });
    const canvasSize = () => page.evaluate(() => {
      const c = document.getElementById('canvas');
      return { width: c.width, height: c.height, cssWidth: c.clientWidth, cssHeight: c.clientHeight };
    });
    assert.deepEqual(await canvasSize(), { width: 1280, height: 760, cssWidth: 1280, cssHeight: 760 });
    await page.setViewportSize({ width: 900, height: 600 });
    await waitForState(page, (s) => s.ui.canvas.width === 900 && s.ui.canvas.height === 600);
    assert.deepEqual(await canvasSize(), { width: 900, height: 600, cssWidth: 900, cssHeight: 600 });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const img = await screenshot(page, 'app-900x600.png');
    assert.equal(img.width, 900);
    // The panels cover the whole canvas, up to the bottom-right corner.
    assert.notDeepEqual(dominantColor(img, { x: 880, y: 580, width: 16, height: 16 }), CLEAR_COLOR);
    assert.ok((await state(page)).ui.editor.width < 900);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('the panels paint their backgrounds with clears, in ImGui\'s colours, borders kept', { timeout: TIMEOUT }, async () => {
    // Software WebGL fills a blended, textured quad 15-35 times slower than a clear: the panels'
    // backgrounds as quads were ~17 ms of a 1280x800 frame (src/app/backdrop.h).
    const { page, context, errors } = await openApp();
    const calls = await page.evaluate(async () => {
      const gl = document.getElementById('canvas').getContext('webgl2');
      const n = { clear: 0, draw: 0 };
      const clear = gl.clear, draw = gl.drawElements;
      gl.clear = function (mask) { ++n.clear; return clear.call(gl, mask); };
      gl.drawElements = function (...a) { ++n.draw; return draw.apply(gl, a); };
      await window.dfplay.redraw(1);
      gl.clear = clear;
      gl.drawElements = draw;
      return n;
    });
    // The page, then the editor panel, the side panel, the status line and the editor's text box.
    assert.equal(calls.clear, 5, JSON.stringify(calls));
    const s = await state(page);
    const img = await screenshot(page, 'app-backgrounds.png');
    // The palette's colours (src/app/model/palette.cpp, dark), as ImGui rounds them to bytes.
    const WINDOW = [27, 29, 34], FRAME = [19, 21, 25], BORDER = [56, 61, 71];
    assert.deepEqual(dominantColor(img, { x: img.width / 2, y: 0, width: img.width / 2, height: img.height }), WINDOW);
    assert.deepEqual(dominantColor(img, s.ui.editor), FRAME);
    // The two panels' borders meet between them from the menu bar to the status line.
    const borders = countColor(img, { x: 0, y: 0, width: img.width, height: img.height }, BORDER, 0);
    assert.ok(borders >= 2 * (img.height - 60), `${borders} border pixels`);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('HiDPI: the backing store follows devicePixelRatio and text keeps its CSS size', { timeout: TIMEOUT }, async () => {
    const { page, context, errors } = await openApp({ width: 1000, height: 640, deviceScaleFactor: 2 });
    const s = await state(page);
    assert.equal(s.ui.devicePixelRatio, 2);
    assert.deepEqual(s.ui.canvas, { width: 2000, height: 1280 });
    const canvas = await page.evaluate(() => {
      const c = document.getElementById('canvas');
      return { width: c.width, height: c.height, cssWidth: c.clientWidth };
    });
    assert.deepEqual(canvas, { width: 2000, height: 1280, cssWidth: 1000 });
    assert.equal(s.ui.editorLineHeight, 15, 'the font is rasterised at 2x, shown at 15 CSS px');
    const img = await screenshot(page, 'app-hidpi.png');
    assert.equal(img.width, 2000);
    const e = s.ui.editor;
    const rect = { x: e.x * 2, y: e.y * 2, width: e.width * 2, height: e.height * 2 };
    const text = regionStats(img, rect, dominantColor(img, rect));
    assert.ok(text.differing > 2000, `no text drawn in the editor (${text.differing} pixels)`);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('the JS API module also works in the browser', { timeout: TIMEOUT }, async () => {
    const { page, context, errors } = await openApp({ width: 800, height: 500 });
    const [result, built] = await page.evaluate(async (text) => {
      const mod = await import('/api/dfplay-api.js');
      return [await mod.analyze(text), await mod.build({ dockerfile: `${text}# caf\u00e9 \ud800\n` })];
    }, EXAMPLE_DOCKERFILE);
    assert.deepEqual(result, api.analyze(EXAMPLE_DOCKERFILE));
    assert.deepEqual(built, api.build({ dockerfile: `${EXAMPLE_DOCKERFILE}# caf\u00e9 \ud800\n` }));
    assert.deepEqual(errors, []);
    await context.close();
  });
});
