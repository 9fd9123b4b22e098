// The app in the browser with a few pathological inputs (tests/bad-inputs/): it stays alive and
// keeps the text, shows the limit's diagnostic (a Dockerfile over the size limit read-only, under a
// banner, not autosaved); and when the module aborts anyway, the page
// restarts it with the user's content and says so.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { asText, cases } from '../bad-inputs/cases.mjs';
import { clickAt, frames, openApp as open, screenshot, startBrowser, state, stateNow, TIMEOUT, waitFor, waitForState } from './support.mjs';

let env;
before(async () => { env = await startBrowser(); });
after(async () => { if (env) await env.close(); });

const pick = (name) => cases.find((c) => c.name === name);

describe('app with pathological inputs', () => {
  test('limits and invalid text: the app answers, keeps the text and shows the diagnostic', { timeout: TIMEOUT }, async () => {
    const { page, context, errors } = await open(env);
    for (const name of ['many-args', 'expansion-doubling', 'too-large', 'latin1-bytes']) {
      const c = pick(name);
      const dockerfile = asText(c.files.Dockerfile);
      const files = {};
      for (const [p, v] of Object.entries(c.files)) if (p !== 'Dockerfile') files[p] = asText(v);
      const s = await page.evaluate(async ([d, f]) => {
        const t0 = performance.now();
        window.dfplay.load({ dockerfile: d, files: f });
        const st = await window.dfplay.analysed();  // analysed in slices after the call
        return { dockerfile: st.dockerfile, ok: st.build.ok, codes: st.build.diagnostics.map((x) => x.code), ms: performance.now() - t0 };
      }, [dockerfile, files]);
      assert.equal(s.dockerfile, dockerfile, `${name}: the text is kept`);
      if (c.expect.code) assert.ok(s.codes.includes(c.expect.code), `${name}: ${c.expect.code} in ${s.codes.slice(0, 5)}`);
      assert.ok(s.ms < 20000, `${name}: ${s.ms} ms`);
      await screenshot(page, `bad-inputs-${name}.png`);
    }
    // A lone surrogate typed through the page API becomes U+FFFD.
    const lone = await page.evaluate(() => window.dfplay.load({ dockerfile: 'FROM alpine:3.19\nLABEL a="\uD800"\n' }).dockerfile);
    assert.equal(lone, 'FROM alpine:3.19\nLABEL a="\uFFFD"\n');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('a 3 MB Dockerfile from dfplay.load(): kept, read-only under the limit\'s banner, not autosaved; Clear and Undo', { timeout: TIMEOUT }, async () => {
    const big = asText(pick('too-large').files.Dockerfile);
    for (const [width, height] of [[1280, 800], [800, 500], [390, 844]]) {
      const { page, context, errors } = await open(env, { width, height });
      // A small edit first: the autosave's slot holds it (the big text must not replace it).
      const mine = 'FROM alpine:3.19\n# saved before\n';
      await page.evaluate((d) => window.dfplay.load({ dockerfile: d }), mine);
      await waitFor(page, (d) => Object.keys(localStorage).some((k) => k.startsWith('dfplay:autosave:') && localStorage.getItem(k).includes(d)),
                    '# saved before');
      await page.evaluate((d) => { window.dfplay.load({ dockerfile: d }); }, big);
      await waitForState(page, (st) => 'editor:too-big' in st.ui.widgets && /Not autosaved/.test(st.ui.notice));
      await frames(page, 2);  // (the widgets' places with the notice drawn above the banner)
      const s = await stateNow(page);
      assert.equal(s.dockerfile, big, 'the text is kept');
      assert.equal(s.ui.tooBig, true);
      assert.equal(s.ui.editorActive, false);
      assert.match(s.ui.notice, /^Not autosaved: above the 2 MiB limit \(a reload brings back the last save\)\.$/);
      assert.ok(s.build.diagnostics.some((d) => d.code === 'limits/input-size'), 'the Problems panel keeps the limit\'s diagnostic');
      for (const w of ['button:too-big-undo', 'button:too-big-clear']) assert.ok(w in s.ui.widgets, `${w} at ${width}x${height}`);
      const slots = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('dfplay:autosave:')).map((k) => localStorage.getItem(k)));
      assert.ok(slots.length > 0 && slots.every((v) => v.length < 100000 && v.includes('# saved before')), 'the last save stays');
      // The accessibility mirror holds the first lines and the message, not 3 MB.
      const mirror = await waitFor(page, () => {
        const t = document.getElementById('a11y-dockerfile').textContent;
        return /the playground edits and analyses Dockerfiles up to 2 MiB/.test(t) ? t : null;
      });
      assert.ok(mirror.startsWith('FROM alpine:3.19\n'), 'the first lines');
      assert.ok(mirror.length < 20000, `mirror: ${mirror.length} characters`);
      // Nothing was analysed: the status line and the live summary say so instead of counting
      // zero stages and steps.
      assert.ok('status:not-analysed' in s.ui.widgets, `status line at ${width}x${height}`);
      const summary = await waitFor(page, () => {
        const t = document.getElementById('a11y-summary').textContent;
        return t.startsWith('Not analysed') ? t : null;
      });
      assert.match(summary, /^Not analysed: .*2 MiB.*\.$/);
      assert.ok(!/stage/.test(summary), summary);
      await screenshot(page, `too-big-${width}x${height}.png`);
      // Clear: an empty Dockerfile (the editor again); the notice goes once the autosave writes it.
      const clear = s.ui.widgets['button:too-big-clear'];
      await clickAt(page, clear.x + clear.width / 2, clear.y + clear.height / 2);
      const cleared = await waitForState(page, (st) => st.dockerfile === '' && st.ui.notice === '');
      assert.equal(cleared.ui.tooBig, false);
      // Undo brings the big text back (read-only again).
      await page.evaluate(() => window.dfplay.undo());
      const back = await waitForState(page, (st) => st.ui.tooBig && 'editor:too-big' in st.ui.widgets);
      assert.equal(back.dockerfile, big);
      assert.deepEqual(errors, []);
      await context.close();
    }
  });

  test('an abort restarts the app with the user\'s content and says so', { timeout: TIMEOUT }, async () => {
    const { page, context } = await open(env);
    const mine = 'FROM alpine:3.19\n# my own text, not an example\nRUN echo kept\n';
    // (with a context file at the Dockerfile's path, which the page's copy holds apart: see
    // dfplay_app_load_content_rest)
    await page.evaluate((d) => window.dfplay.load({ dockerfile: d, files: { 'notes.txt': 'mine', Dockerfile: d }, options: { target: '' } }), mine);
    // Let the page's copy of the content catch up (it polls the revision a few times a second).
    await page.waitForTimeout(1000);
    const aborted = await page.evaluate(() => {
      try { window.dfplay._abortForTesting(); return 'no error'; } catch (e) { return String(e && e.message); }
    });
    assert.match(aborted, /Aborted|abort/i);
    // The page reloads itself and the fresh app loads the content.
    await waitFor(page, () => window.dfplay && window.dfplay.state && (() => {
      try { return window.dfplay.state().dockerfile.includes('# my own text'); } catch (e) { return false; }
    })(), null, { timeout: 60_000 });
    // (the dead module still answers state() until the page has reloaded: wait for the fresh app's note)
    await waitFor(page, () => {
      const el = document.getElementById('dfplay-recovery');
      return el && / and was restarted: /.test(el.textContent);
    }, null, { timeout: 60_000 });
    await waitForState(page, (s, d) => s.dockerfile === d, mine);
    const s = await state(page);
    assert.equal(s.files['notes.txt'], 'mine');
    assert.equal(s.files.Dockerfile, mine);
    const note = await page.locator('#dfplay-recovery').textContent();
    assert.match(note, /stopped .* and was restarted: your Dockerfile, files and options were kept/);
    await screenshot(page, 'bad-inputs-recovered.png');
    await context.close();
  });
});
