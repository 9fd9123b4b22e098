// Share links and URL parameters of the app page (docs/share-links.md): dfplay.shareURL(), the
// Share menu / Ctrl+S, opening a link in a fresh browser context, a corrupt link, ?example=,
// ?tab=, ?target=; and the page API's showTab / setReadonly.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { click, openApp as open, startBrowser, state, TIMEOUT, waitFor, waitForState } from './support.mjs';

let env;

before(async () => {
  env = await startBrowser();
});

after(async () => {
  if (env) await env.close();
});

/** Opens `url` (relative to the server) in a fresh context and waits for the app and its URL state. */
async function openAt(url, { width = 1280, height = 760 } = {}) {
  const context = await env.browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  await page.goto(new URL(url, env.srv.url).href);
  await waitFor(page, () => window.dfplay && window.dfplay.ready, null, { timeout: 30_000 });
  await page.evaluate(() => window.dfplay.ready);
  return { page, context, errors };
}

const toast = (page) => page.evaluate(() => {
  const t = document.getElementById('dfplay-toast');
  return t && !t.hidden ? { role: t.getAttribute('role'), text: t.textContent } : null;
});

const CONTENT = {
  dockerfile: 'FROM node:20-alpine AS builder\nARG GREETING=hi\nWORKDIR /app\nCOPY . .\nRUN npm ci\n\nFROM builder AS test\nRUN echo "héllo ✓ $GREETING"\n',
  files: { 'package.json': '{"name": "shared"}\n', 'src/a b.ts': 'export const x = 1;\n', '.dockerignore': 'node_modules\n' },
  options: { target: 'builder', platform: 'linux/arm64', build_args: { GREETING: 'hello', NODE_VERSION: '22' } },
};

describe('share links', () => {
  test('a link restores the Dockerfile, files, options and tab in a fresh browser context', { timeout: TIMEOUT }, async () => {
    const { page, context, errors } = await open(env);
    await page.evaluate((c) => { window.dfplay.load(c); window.dfplay.showTab('image'); }, CONTENT);
    await waitForState(page, (s) => s.ui.sideTab === 'Image');
    const link = await page.evaluate(() => window.dfplay.shareURL());
    assert.match(link, /\/#s=1\.[A-Za-z0-9_-]+$/);
    const before = await state(page);
    await context.close();

    const fresh = await openAt(link);
    await waitForState(fresh.page, (s) => s.ui.sideTab === 'Image');
    const s = await state(fresh.page);
    assert.equal(s.dockerfile, CONTENT.dockerfile);
    assert.deepEqual(s.files, before.files);
    assert.equal(s.options.target, 'builder');
    assert.equal(s.options.platform, 'linux/arm64');
    assert.deepEqual(s.options.build_args, CONTENT.options.build_args);
    assert.deepEqual(s.analysis, before.analysis);
    assert.equal(await toast(fresh.page), null, 'no message on a good link');
    assert.deepEqual([...errors, ...fresh.errors], []);
    await fresh.context.close();
  });

  test('an unchanged example travels as its id; its options and tab too', { timeout: TIMEOUT }, async () => {
    const { page, context } = await open(env);
    await page.evaluate(() => {
      window.dfplay.loadExample('build-arg');
      window.dfplay.setOptions({ build_args: { NODE_VERSION: '22' } });
      window.dfplay.showTab('stages');
    });
    await waitForState(page, (s) => s.ui.sideTab === 'Stages');
    const link = await page.evaluate(() => window.dfplay.shareURL());
    assert.ok(link.length < 300, `an example link is short (${link.length} characters)`);
    await context.close();
    const fresh = await openAt(link);
    await waitForState(fresh.page, (s) => s.ui.sideTab === 'Stages');
    const s = await state(fresh.page);
    assert.equal(s.example, 'build-arg');
    assert.deepEqual(s.options.build_args, { NODE_VERSION: '22' });
    assert.equal(s.build.stages[0].base, 'node:22-alpine');
    await fresh.context.close();
  });

  test('compare mode: the link carries both sides and opens in compare mode with the same comparison', { timeout: TIMEOUT }, async () => {
    const { page, context, errors } = await open(env);
    const B = { ...CONTENT, dockerfile: CONTENT.dockerfile.replace('node:20-alpine', 'node:20'),
                files: { ...CONTENT.files, 'assets/model.bin': { size: 3_000_000 } } };
    const A = { ...CONTENT, options: { build_args: { GREETING: 'a-side' } } };
    await page.evaluate(([a, b]) => { window.dfplay.compare({ a, b }); window.dfplay.showTab('compare'); }, [A, B]);
    const before = await waitForState(page, (s) => s.compare && s.ui.sideTab === 'Compare');
    const link = await page.evaluate(() => window.dfplay.shareURL());
    assert.match(link, /\/#s=2\.[A-Za-z0-9_-]+$/, 'compare mode: format version 2');
    // Share (Ctrl+S) copies the same link and says it holds the comparison.
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.srv.url });
    await page.locator('#canvas').focus();
    await page.keyboard.press('Control+s');
    await waitFor(page, () => /#s=2\./.test(location.hash), null, { timeout: 10_000 });
    await waitFor(page, () => /comparison/.test(document.getElementById('dfplay-toast')?.textContent || ''), null, { timeout: 10_000 });
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), link);
    await context.close();

    const fresh = await openAt(link);
    const s = await waitForState(fresh.page, (st) => st.compare && st.ui.sideTab === 'Compare');
    // B: the content being edited.
    assert.equal(s.dockerfile, B.dockerfile);
    assert.deepEqual(s.files, before.files);
    assert.deepEqual(s.files['assets/model.bin'], { size: 3_000_000 });
    assert.deepEqual(s.options.build_args, B.options.build_args);
    assert.equal(s.options.target, 'builder');
    // A: pinned as it was, and the comparison is the same.
    assert.deepEqual(s.compare.a, before.compare.a);
    assert.equal(s.compare.a.dockerfile, A.dockerfile);
    assert.deepEqual(s.compare.a.options.build_args, { GREETING: 'a-side' });
    assert.equal(s.compare.diff.size_delta_bytes, before.compare.diff.size_delta_bytes);
    assert.ok(s.compare.diff.size_delta_bytes > 0, 'node:20 is bigger than node:20-alpine');
    assert.equal(await toast(fresh.page), null);
    // An unchanged example as A travels as its id (B, edited, as its content).
    await fresh.page.evaluate(() => { window.dfplay.compare(false); window.dfplay.loadExample('node-naive'); window.dfplay.compare(); });
    await fresh.page.evaluate(() => {
      const ex = window.dfplay.examples().find((e) => e.id === 'node-multistage');
      window.dfplay.load({ dockerfile: ex.dockerfile.replace('EXPOSE 3000', 'EXPOSE 8080'), files: ex.files });
    });
    const short = await fresh.page.evaluate(() => window.dfplay.shareURL());
    const { decodeShareFragment } = await import('../../web/share-link.js');
    const decoded = await decodeShareFragment(new URL(short).hash);
    assert.deepEqual(decoded.compare, { a: { example: 'node-naive', options: {} } });
    await fresh.context.close();
    const third = await openAt(short);
    const t = await waitForState(third.page, (st) => st.compare);
    assert.equal(t.compare.a.dockerfile, (await third.page.evaluate(() => window.dfplay.examples().find((e) => e.id === 'node-naive'))).dockerfile);
    assert.ok(t.compare.diff.size_delta_bytes < -800e6, `naive -> multi-stage: ${t.compare.diff.size_delta_bytes}`);
    assert.deepEqual([...errors, ...fresh.errors, ...third.errors], []);
    await third.context.close();
  });

  test('a compare link with a bad side A: refused with a message naming it, or B shown without the comparison', { timeout: TIMEOUT }, async () => {
    const { deflateRawSync } = await import('node:zlib');
    const link = (json) => `/#s=2.${deflateRawSync(Buffer.from(JSON.stringify(json))).toString('base64url')}`;
    // Invalid in the format: the whole link is refused (the default example, a message).
    const bad = await openAt(link({ v: 2, dockerfile: 'FROM alpine\n', compare: { a: { dockerfile: 1 } } }));
    let t = await toast(bad.page);
    assert.equal(t.role, 'alert');
    assert.match(t.text, /This share link cannot be opened: the link's side A Dockerfile is not text/);
    let s = await state(bad.page);
    assert.equal(s.example, 'node-multistage');
    assert.equal(s.compare, null);
    await bad.context.close();
    // Valid, but side A cannot be restored here (an example this playground does not have): B is
    // shown, without the comparison, and the message says so.
    const partial = await openAt(link({ v: 2, dockerfile: 'FROM alpine\nRUN echo b\n', tab: 'compare', compare: { a: { example: 'no-such-example' } } }));
    t = await toast(partial.page);
    assert.equal(t.role, 'alert');
    assert.match(t.text, /The comparison in this link cannot be restored: there is no example "no-such-example"/);
    s = await state(partial.page);
    assert.equal(s.dockerfile, 'FROM alpine\nRUN echo b\n');
    assert.equal(s.compare, null);
    assert.ok(s.ui.frame >= 2 && s.analysis.stage_count === 1, 'the app works');
    await partial.context.close();
  });

  test('Ctrl+S and the Share menu copy the link with a visible confirmation', { timeout: TIMEOUT }, async () => {
    const { page, context, errors } = await open(env);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.srv.url });
    await page.evaluate(() => window.dfplay.loadExample('go-distroless'));
    await page.locator('#canvas').focus();
    await page.keyboard.press('Control+s');
    await waitFor(page, () => /#s=1\./.test(location.hash), null, { timeout: 10_000 });
    const t = await toast(page);
    assert.equal(t.role, 'status');
    assert.match(t.text, /Link copied/);
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.equal(copied, await page.evaluate(() => location.href));
    assert.equal(copied, await page.evaluate(() => window.dfplay.shareURL()));

    await page.evaluate(() => { window.dfplay.loadExample('static-nginx'); navigator.clipboard.writeText(''); });
    await click(page, 'menu:Share');
    await waitFor(page, async () => (await navigator.clipboard.readText()).includes('#s=1.'), null, { timeout: 10_000 });
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), await page.evaluate(() => window.dfplay.shareURL()));
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('a corrupt, truncated or oversized link shows a message and the default example', { timeout: TIMEOUT }, async () => {
    const { page, context } = await open(env);
    await page.evaluate((c) => window.dfplay.load(c), CONTENT);
    const good = await page.evaluate(() => window.dfplay.shareURL());
    await context.close();
    const bomb = await (async () => {
      const { deflateRawSync } = await import('node:zlib');
      const json = JSON.stringify({ v: 1, dockerfile: 'FROM alpine\n' + '#'.repeat(8 * 1024 * 1024) });
      return `/#s=1.${deflateRawSync(Buffer.from(json)).toString('base64url')}`;
    })();
    for (const [url, pattern] of [
      ['/#s=1.%%%garbage', /damaged/],
      [good.slice(0, good.indexOf('#') + 30), /damaged|cut short/],
      ['/#s=9.abc', /newer playground/],
      [bomb, /more than 4096 KB/],
    ]) {
      const fresh = await openAt(url);
      const t = await toast(fresh.page);
      assert.ok(t, `a message for ${url.slice(0, 40)}`);
      assert.equal(t.role, 'alert');
      assert.match(t.text, /This share link cannot be opened/);
      assert.match(t.text, pattern);
      const s = await state(fresh.page);
      assert.equal(s.example, 'node-multistage');
      assert.ok(s.ui.frame >= 2);
      await fresh.context.close();
    }
  });

  test('a link whose Dockerfile is above the size limit opens it kept, read-only and not analysed', { timeout: TIMEOUT }, async () => {
    // 2.6 MB of Dockerfile (over the 2 MiB limit, under the link's 4 MiB): a few KB as a link.
    const big = 'FROM alpine:3.19\n' + 'RUN echo "a line of a very big Dockerfile"\n'.repeat(60_000);
    const { deflateRawSync } = await import('node:zlib');
    const link = `/#s=1.${deflateRawSync(Buffer.from(JSON.stringify({ v: 1, dockerfile: big }))).toString('base64url')}`;
    assert.ok(link.length < 100_000, `link: ${link.length} characters`);
    const fresh = await openAt(link);
    // (ui.widgets are the last frame's: the banner and the status line's refusal may come a frame apart.)
    const s = await waitForState(fresh.page, (st) => st.dockerfile.length === big.length && 'editor:too-big' in st.ui.widgets &&
                                                     'status:not-analysed' in st.ui.widgets);
    assert.equal(s.dockerfile, big, 'the text is kept');
    assert.equal(s.ui.tooBig, true);
    assert.ok(s.build.diagnostics.some((d) => d.code === 'limits/input-size'), 'the limit\'s diagnostic');
    assert.equal(await toast(fresh.page), null, 'a good link: no error message');
    assert.deepEqual(fresh.errors, []);
    await fresh.context.close();
  });

  test('?example=, ?tab= and ?target= open the app on that example, tab and target', { timeout: TIMEOUT }, async () => {
    const { page, context, errors } = await openAt('/?example=static-nginx&tab=image&target=builder');
    await waitForState(page, (s) => s.ui.sideTab === 'Image');
    const s = await state(page);
    assert.equal(s.example, 'static-nginx');
    assert.equal(s.options.target, 'builder');
    assert.equal(s.build.target, 'builder');
    assert.equal(await toast(page), null);
    assert.deepEqual(errors, []);
    await context.close();

    const bad = await openAt('/?example=no-such&tab=nope');
    const t = await toast(bad.page);
    assert.equal(t.role, 'alert');
    assert.match(t.text, /No example "no-such"/);
    assert.match(t.text, /\?tab: no tab `nope`/);
    assert.equal((await state(bad.page)).example, 'node-multistage');
    await bad.context.close();
  });

  test('Help > Tutorial opens the tutorial page in a new tab', { timeout: TIMEOUT }, async () => {
    const { page, context, errors } = await open(env);
    await click(page, 'menu:Help');
    const opened = context.waitForEvent('page');
    await click(page, 'menu:Tutorial');
    const tab = await opened;
    await tab.waitForLoadState();
    assert.equal(new URL(tab.url()).pathname, '/tutorial/multi-stage-builds.html');
    assert.match(await tab.title(), /Multi-stage builds/);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('dfplay.showTab and dfplay.setReadonly', { timeout: TIMEOUT }, async () => {
    const { page, context } = await open(env);
    for (const [name, title] of [['image', 'Image'], ['Findings', 'Findings'], ['problems', 'Problems'], ['context', 'Context'], ['stages', 'Stages'], ['build', 'Build']]) {
      await page.evaluate((n) => window.dfplay.showTab(n), name);
      await waitForState(page, (s, t) => s.ui.sideTab === t, title);
    }
    await assert.rejects(page.evaluate(() => window.dfplay.showTab('settings')), /no tab `settings`/);

    await page.evaluate(() => window.dfplay.setReadonly(true));
    await waitForState(page, (s) => s.ui.readonly === true);
    const before = (await state(page)).dockerfile;
    const e = (await state(page)).ui.editor;
    await page.mouse.click(e.x + e.width / 2, e.y + e.height / 2);
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\nRUN echo typed');
    await page.evaluate(() => new Promise((r) => setTimeout(r, 300)));
    assert.equal((await state(page)).dockerfile, before, 'read-only: typing changes nothing');
    // The page API still replaces the content.
    await page.evaluate(() => window.dfplay.load({ dockerfile: 'FROM alpine\n' }));
    assert.equal((await state(page)).dockerfile, 'FROM alpine\n');
    await page.evaluate(() => window.dfplay.setReadonly(false));
    await page.mouse.click(e.x + e.width / 2, e.y + e.height / 2);
    await page.keyboard.press('Control+End');
    await page.keyboard.type('RUN true');
    await waitForState(page, (s) => s.dockerfile.endsWith('RUN true'));
    await context.close();
  });
});
