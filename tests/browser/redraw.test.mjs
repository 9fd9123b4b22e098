// Draw on demand (src/app/redraw.js): the app draws nothing while nothing changes; input, page-API
// calls and becoming visible wake it; hidden or off screen it draws nothing. Counts frames
// (Module.dfplayFrames(), state().ui.frame), never timings. Also: the page runs under the server's
// CSP without a violation.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, describe, test } from 'node:test';

import { frames, openApp as open, startBrowser, state, TIMEOUT, waitFor, waitForState } from './support.mjs';

let env;
before(async () => { env = await startBrowser(); });
after(async () => { if (env) await env.close(); });

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const drawn = (page) => page.evaluate(() => Module.dfplayFrames());
// Frames drawn during `ms` of doing nothing.
async function idleFrames(page, ms = 700) {
  const a = await drawn(page);
  await sleep(ms);
  return (await drawn(page)) - a;
}
// Waits until the app stops drawing (the frames of the last wake are done).
async function settle(page) {
  for (let i = 0; i < 50; ++i) if ((await idleFrames(page, 200)) === 0) return;
  throw new Error('the app never stopped drawing');
}

describe('the page under the CSP', () => {
  test('requests nothing but its own assets, and the CSP reports no violation', { timeout: TIMEOUT }, async () => {
    const context = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const urls = [], violations = [], errors = [];
    page.on('request', (r) => urls.push(r.url()));
    page.on('console', (m) => { if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text()); });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(env.srv.url);
    await page.evaluate(async () => {
      while (!window.dfplay) await new Promise((r) => setTimeout(r, 20));
      await window.dfplay.ready;
    });
    // Use it a little: a build, an example, a tab.
    await page.evaluate(() => { window.dfplay.build(); window.dfplay.loadExample('go-distroless'); });
    await frames(page, 4);
    const own = new URL(env.srv.url).origin;
    const foreign = urls.filter((u) => new URL(u).origin !== own);
    assert.deepEqual(foreign, [], 'no request leaves our origin');
    assert.ok(urls.some((u) => /\/index\.[0-9a-f]{16}\.wasm$/.test(u)), 'the hashed wasm is loaded');
    assert.deepEqual(violations, []);
    assert.deepEqual(errors, []);
    await context.close();
  });
});

describe('draw on demand', () => {
  test('idle: no frames; input, page-API calls and redraw() wake it', { timeout: TIMEOUT }, async () => {
    const { page, context, errors } = await open(env);
    const violations = [];
    page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) violations.push(m.text()); });
    await settle(page);
    assert.equal(await idleFrames(page), 0, 'an idle app draws nothing');

    // A page-API call that changes the content wakes it, and the new content is drawn.
    const before = await drawn(page);
    await page.evaluate(() => window.dfplay.load({ dockerfile: 'FROM alpine\nRUN echo woken\n' }));
    await settle(page);
    const after = await drawn(page);
    assert.ok(after - before >= 2, `a load draws frames (${after - before})`);
    assert.equal((await state(page)).ui.frame, after, 'state().ui.frame counts the same frames');
    assert.equal(await idleFrames(page), 0, 'and then it sleeps again');

    // Reading the state changes nothing and draws nothing.
    await state(page);
    assert.equal(await idleFrames(page, 300), 0);

    // Input wakes it: a mouse move over a tab shows its hover in the next frames.
    const a = await drawn(page);
    await page.mouse.move(300, 300);
    await page.mouse.move(310, 305);
    await settle(page);
    assert.ok((await drawn(page)) > a, 'mouse input draws frames');

    // dfplay.redraw(n) resolves after n more frames.
    const b = await drawn(page);
    const at = await frames(page, 3);
    assert.ok(at >= b + 3, `redraw(3) resolved at frame ${at}, from ${b}`);
    await assert.rejects(page.evaluate(() => window.dfplay.redraw(0)), /frame count/);
    assert.deepEqual(errors, []);
    assert.deepEqual(violations, []);
    await context.close();
  });

  test('no gamepad listener: Chromium polls gamepads for a page that has one, idle or not', { timeout: TIMEOUT }, async () => {
    const { page, context, errors } = await open(env);
    const cdp = await context.newCDPSession(page);
    const { result } = await cdp.send('Runtime.evaluate', { expression: 'window' });
    const { listeners } = await cdp.send('DOMDebugger.getEventListeners', { objectId: result.objectId });
    const types = new Set(listeners.map((l) => l.type));
    assert.ok(types.has('keydown'), `the app's own window listeners are seen (${[...types].join(', ')})`);
    assert.deepEqual([...types].filter((t) => /gamepad/.test(t)), []);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('a hidden page draws nothing, even when woken; it draws again once visible', { timeout: TIMEOUT }, async () => {
    const { page, context, errors } = await open(env);
    await settle(page);
    // Headless pages are always visible: emulate a hidden tab as the browser reports one.
    await page.evaluate(() => {
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    const a = await drawn(page);
    await page.evaluate(() => window.dfplay.load({ dockerfile: 'FROM alpine\nRUN echo hidden\n' }));
    await page.mouse.move(200, 200);
    assert.equal(await idleFrames(page, 500), 0, 'hidden: no frame');
    assert.equal(await drawn(page), a);
    // The change was made (state is not drawing): it shows once visible.
    assert.equal((await state(page)).dockerfile, 'FROM alpine\nRUN echo hidden\n');
    await page.evaluate(() => {
      delete document.hidden;
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await settle(page);
    assert.ok((await drawn(page)) > a, 'visible again: it draws the pending change');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('a canvas scrolled off screen draws nothing (IntersectionObserver)', { timeout: TIMEOUT }, async () => {
    const { page, context, errors } = await open(env);
    await settle(page);
    // Move the canvas out of the viewport (as an embed scrolled away would be).
    await page.evaluate(() => {
      const c = document.getElementById('canvas');
      c.style.top = '5000px';
    });
    await sleep(300);
    const a = await drawn(page);
    await page.evaluate(() => window.dfplay.load({ dockerfile: 'FROM alpine\nRUN echo away\n' }));
    assert.equal(await idleFrames(page, 500), 0, 'off screen: no frame');
    assert.equal(await drawn(page), a);
    await page.evaluate(() => { document.getElementById('canvas').style.top = ''; });
    await waitForState(page, (s, n) => s.ui.frame > n, a);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('an app frame below the fold on another origin draws its start-up frames and gets ready unscrolled', { timeout: TIMEOUT }, async () => {
    // Chromium gives an off-screen frame of another origin no animation frames; when the
    // IntersectionObserver said so only after the first frame was asked of requestAnimationFrame,
    // that frame never came and dfplay.ready never resolved (5 page loads in 12 before the fix).
    const page = `<!doctype html><body style="margin:0">${[1, 2, 3].map(() =>
      `<iframe src="${env.srv.url}?embed=1" width="800" height="500" style="border:0;display:block"></iframe>`).join('')}</body>`;
    const host = createServer((req, res) => { res.writeHead(200, { 'content-type': 'text/html' }); res.end(page); });
    await new Promise((r) => host.listen(0, '127.0.0.1', r));
    try {
      for (let load = 0; load < 6; ++load) {
        const context = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
        const p = await context.newPage();
        await p.goto(`http://127.0.0.1:${host.address().port}/`);
        assert.ok(await p.evaluate(() => document.querySelectorAll('iframe')[2].getBoundingClientRect().top >= innerHeight),
                  'the third frame is below the fold');
        const third = await (await p.$$('iframe'))[2].contentFrame();
        await waitFor(third, () => !!(window.dfplay && window.dfplay.ready));
        const ready = await third.evaluate(() => Promise.race([window.dfplay.ready.then(() => true),
                                                               new Promise((r) => setTimeout(() => r(false), 15000))]));
        assert.equal(ready, true, `load ${load}: the third frame's dfplay.ready resolved`);
        assert.ok(await third.evaluate(() => Module.dfplayFrames()) >= 2, 'its start-up frames drawn');
        await context.close();
      }
    } finally {
      host.close();
    }
  });
});

// src/app/gl_state.js: the GL state ImGui's backend reads back in every frame is answered from a
// copy; the copy must always be what the context itself holds.
describe('the GL state copy', () => {
  test('getParameter answers the scissor box and the blend state as the context holds them', { timeout: TIMEOUT }, async () => {
    const { page, context, errors } = await open(env);
    const compare = () => page.evaluate(() => {
      const gl = Module.canvas.getContext('webgl2');
      const real = (p) => WebGL2RenderingContext.prototype.getParameter.call(gl, p);
      const out = [];
      for (const p of [gl.SCISSOR_BOX, gl.BLEND_SRC_RGB, gl.BLEND_DST_RGB, gl.BLEND_SRC_ALPHA, gl.BLEND_DST_ALPHA,
                       gl.BLEND_EQUATION_RGB, gl.BLEND_EQUATION_ALPHA, gl.VIEWPORT]) {
        const a = gl.getParameter(p), b = real(p);
        out.push([p, ArrayBuffer.isView(a) ? Array.from(a) : a, ArrayBuffer.isView(b) ? Array.from(b) : b]);
      }
      return { shadowed: gl.getParameter !== WebGL2RenderingContext.prototype.getParameter, out };
    });
    await frames(page, 3);
    let r = await compare();
    assert.ok(r.shadowed, 'the context answers from the copy');
    for (const [p, copy, real] of r.out) assert.deepEqual(copy, real, `parameter 0x${p.toString(16)}`);
    // After frames that draw more (a new file, a tab), and after calls of every wrapped setter.
    await page.evaluate(() => window.dfplay.loadExample('go-distroless'));
    await frames(page, 3);
    await page.evaluate(() => {
      const gl = Module.canvas.getContext('webgl2');
      gl.blendFunc(gl.ONE, gl.ZERO);
      gl.blendEquation(gl.FUNC_SUBTRACT);
      gl.scissor(1, 2, 3, 4);
      gl.scissor(5, 6, -1, 4);  // an error: nothing changes
    });
    r = await compare();
    for (const [p, copy, real] of r.out) assert.deepEqual(copy, real, `parameter 0x${p.toString(16)} after the setters`);
    await frames(page, 2);
    r = await compare();
    for (const [p, copy, real] of r.out) assert.deepEqual(copy, real, `parameter 0x${p.toString(16)} after more frames`);
    assert.deepEqual(errors.filter((e) => !/INVALID_VALUE|WebGL/.test(e)), []);
    await context.close();
  });
});
