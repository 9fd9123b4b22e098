// The app in the browser with a few pathological inputs (tests/bad-inputs/): it stays alive and
// keeps the text, shows the limit's diagnostic; and when the module aborts anyway, the page
// restarts it with the user's content and says so.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { asText, cases } from '../bad-inputs/cases.mjs';
import { openApp as open, screenshot, startBrowser, state, TIMEOUT, waitFor, waitForState } from './support.mjs';

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

  test('an abort restarts the app with the user\'s content and says so', { timeout: TIMEOUT }, async () => {
    const { page, context } = await open(env);
    const mine = 'FROM alpine:3.19\n# my own text, not an example\nRUN echo kept\n';
    await page.evaluate((d) => window.dfplay.load({ dockerfile: d, files: { 'notes.txt': 'mine' }, options: { target: '' } }), mine);
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
    const note = await page.locator('#dfplay-recovery').textContent();
    assert.match(note, /stopped .* and was restarted: your Dockerfile, files and options were kept/);
    await screenshot(page, 'bad-inputs-recovered.png');
    await context.close();
  });
});
