// The multi-stage builds tutorial (/tutorial/multi-stage-builds.html): readable without JavaScript,
// playgrounds that start lazily near the viewport, every one gives a state, they are isolated,
// the figures in the text come from them, nothing but the playground's own assets is fetched.
// Screenshots: build/screenshots/tutorial-{1280x800,800x500,390x844}.png and tutorial-compare-*.png.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { repoRoot } from '../node/support.mjs';
import { screenshot, startBrowser, TIMEOUT, waitFor } from './support.mjs';

let env;
const PAGE = 'tutorial/multi-stage-builds.html';
const exampleDockerfile = (id) => readFileSync(path.join(repoRoot, 'examples', id, 'Dockerfile'), 'utf8');

before(async () => {
  env = await startBrowser();
});

after(async () => {
  if (env) await env.close();
});

async function openTutorial({ width = 1280, height = 800, javaScriptEnabled = true } = {}) {
  const context = await env.browser.newContext({ viewport: { width, height }, javaScriptEnabled });
  const page = await context.newPage();
  const errors = [];
  const requests = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(new URL(PAGE, env.srv.url).href);
  return { page, context, errors, requests };
}

// Which playgrounds have started (hold a frame, or wait for the page's first one to load the
// app before they make theirs: their Run button is gone), and where they are.
const instances = (page) => page.evaluate(() => [...document.querySelectorAll('dockerfile-playground')].map((el) => ({
  example: el.getAttribute('example'),
  compare: el.hasAttribute('compare'),
  started: !!el.shadowRoot?.querySelector('iframe') || !!el.shadowRoot?.querySelector('button')?.hidden,
  top: el.getBoundingClientRect().top,
  bottom: el.getBoundingClientRect().bottom,
})));

// Scrolls every playground into view in turn and waits for each to be ready; returns their summaries.
const startAll = (page) => page.evaluate(async () => {
  const out = [];
  for (const el of document.querySelectorAll('dockerfile-playground')) {
    el.scrollIntoView({ block: 'center' });
    out.push(await el.ready);
  }
  return out;
});

describe('tutorial', () => {
  test('without JavaScript the page shows every Dockerfile as text', { timeout: TIMEOUT }, async () => {
    const { page, context } = await openTutorial({ javaScriptEnabled: false });
    const text = await page.evaluate(() => document.body.innerText);
    const ids = await page.$$eval('dockerfile-playground', (els) => els.map((e) => e.getAttribute('example')));
    assert.ok(ids.length >= 5, `${ids.length} playgrounds`);
    for (const id of new Set(ids)) {
      for (const line of exampleDockerfile(id).split('\n').filter((l) => l.trim())) {
        assert.ok(text.includes(line), `${id}: "${line}" is on the page`);
      }
    }
    // The declared text of each playground is its example's Dockerfile, exactly; the compare
    // playground's B is the multi-stage one. Both of its Dockerfiles are shown, each under its label.
    const pres = await page.$$eval('dockerfile-playground > pre:not([data-variant])', (els) => els.map((e) => e.textContent));
    ids.forEach((id, i) => assert.equal(pres[i] + '\n', exampleDockerfile(id), id));
    const cmp = await page.$eval('#compare dockerfile-playground', (el) => [...el.querySelectorAll(':scope > pre')].map((p) => ({
      text: p.textContent, variant: p.dataset.variant || 'a', label: getComputedStyle(p, '::before').content,
      visible: p.getBoundingClientRect().height > 100,
    })));
    assert.equal(cmp.length, 2);
    assert.equal(cmp[0].text + '\n', exampleDockerfile('node-naive'));
    assert.equal(cmp[1].text + '\n', exampleDockerfile('node-multistage'));
    assert.equal(cmp[1].variant, 'b');
    assert.equal(cmp[0].label, '"A: one stage on node:20"');
    assert.equal(cmp[1].label, '"B: multi-stage, node:20-alpine"');
    assert.ok(cmp.every((p) => p.visible));
    assert.match(text, /start the playground/);
    await context.close();
  });

  test('lazy start, a state from every instance, live figures, one origin, no errors', { timeout: 300_000 }, async () => {
    const { page, context, errors, requests } = await openTutorial();
    await waitFor(page, () => !!customElements.get('dockerfile-playground'));
    await page.evaluate(() => new Promise((r) => setTimeout(r, 1500)));
    // Only instances within the start margin (400 px) of the viewport have started.
    const list = await instances(page);
    for (const i of list) {
      const near = i.top < 800 + 400;
      assert.equal(i.started, near, `${i.example} at ${Math.round(i.top)} px: started=${i.started}`);
    }
    const wasmBefore = requests.filter((u) => u.endsWith('.wasm')).length;
    if (!list.some((i) => i.started)) assert.equal(wasmBefore, 0, 'no wasm before an instance is near');
    assert.ok(list.some((i) => !i.started), 'some instances wait off screen');

    const summaries = await startAll(page);
    assert.equal(summaries.length, list.length);
    const states = await page.evaluate(() => Promise.all([...document.querySelectorAll('dockerfile-playground')].map((el) => el.state())));
    states.forEach((s, i) => {
      if (list[i].compare) {
        // The compare playground: A is its example (node-naive), B the multi-stage Dockerfile on
        // the same files, the Compare tab first.
        assert.equal(s.compare.a.dockerfile, exampleDockerfile('node-naive'));
        assert.equal(s.dockerfile, exampleDockerfile('node-multistage'));
        assert.deepEqual(Object.keys(s.files).sort(), Object.keys(s.compare.a.files).sort());
        return;
      }
      assert.equal(s.compare, null);
      // The caching section's page script records a build and edits src/server.ts: no longer the
      // example as shipped, but the same Dockerfile.
      if (s.files['src/server.ts']?.endsWith('// edited\n')) assert.equal(s.example, null);
      else assert.equal(s.example, list[i].example);
      assert.equal(s.dockerfile, exampleDockerfile(list[i].example));
      assert.ok(s.analysis.stage_count >= 1);
    });
    // The attributes took effect.
    const byExample = (id, k = 0) => states.filter((s, i) => list[i].example === id && !list[i].compare)[k];
    assert.equal(byExample('node-multistage', 1).options.target, 'builder');
    assert.equal(byExample('build-arg').build.stages[0].base, 'node:22-alpine');

    // Every figure in the text is filled in from the playgrounds.
    await waitFor(page, () => document.querySelectorAll('[data-fig].pending').length === 0, null, { timeout: 60_000 });
    const figs = await page.$$eval('[data-fig]', (els) => Object.fromEntries(els.map((e) => [e.dataset.fig, e.textContent])));
    const mb = (t) => parseFloat(t) * (t.includes('GB') ? 1000 : 1);
    assert.ok(mb(figs['naive-size']) > 1000, figs['naive-size']);
    assert.ok(mb(figs['multi-size']) < 300, figs['multi-size']);
    // The comparison, from the one compare playground, in the seed's range: node:20 is 1.1 GB and
    // the naive image 1.2-1.5 GB; the multi-stage one ~200 MB (the issue: ~150-250 MB).
    assert.ok(mb(figs['cmp-a-size']) >= 1100 && mb(figs['cmp-a-size']) <= 1500, figs['cmp-a-size']);
    assert.ok(mb(figs['cmp-b-size']) >= 100 && mb(figs['cmp-b-size']) <= 250, figs['cmp-b-size']);
    assert.equal(figs['cmp-a-size'], figs['naive-size'], 'A is the naive playground\'s image');
    assert.equal(figs['cmp-b-size'], figs['multi-size'], 'B is the multi-stage playground\'s image');
    assert.match(figs['multi-saving'], /^[\d.]+ [GM]B \(est\.\) \(\d\d %\)$/);
    assert.ok(mb(figs['multi-saving']) > 800, figs['multi-saving']);
    assert.ok(mb(figs['cmp-base']) > 800 && mb(figs['cmp-base']) <= mb(figs['multi-saving']), figs['cmp-base']);
    assert.ok(Number(figs['cmp-removed']) >= 5, figs['cmp-removed']);
    assert.match(figs['cmp-removed-list'], /src\/.*\.ts/, 'the TypeScript sources stay behind');
    assert.match(figs['cmp-node-modules'], /^goes from [\d.]+ MB \(est\.\) to [\d.]+ MB/);
    assert.ok(Number(figs['cmp-fixed']) >= 1);
    assert.match(figs['cmp-fixed-list'], /RootUser/);
    assert.ok(mb(figs['go-size']) < 30, figs['go-size']);
    assert.equal(figs['arg-base'], 'node:22-alpine');
    assert.ok(Number(figs['cache-cached']) > Number(figs['naive-cached']), JSON.stringify(figs));
    assert.match(figs['cache-list'], /RUN npm ci/);

    // Isolation: replacing one instance's content leaves the others as they were.
    const iso = await page.evaluate(async () => {
      const els = [...document.querySelectorAll('dockerfile-playground')];
      const before = await Promise.all(els.map((el) => el.state()));
      await els[0].load({ dockerfile: 'FROM alpine\n' });
      const after = await Promise.all(els.map((el) => el.state()));
      return { first: after[0].dockerfile, same: after.slice(1).every((s, i) => s.dockerfile === before[i + 1].dockerfile && s.revision === before[i + 1].revision) };
    });
    assert.equal(iso.first, 'FROM alpine\n');
    assert.ok(iso.same);

    const origins = new Set(requests.map((u) => new URL(u).origin));
    assert.deepEqual([...origins], [new URL(env.srv.url).origin]);
    const allowed = /\/(tutorial\/(multi-stage-builds\.html|tutorial\.(css|js))|embed\.js|share-link\.js|(index\.html)?(\?embed=1)?|(index|boot|app|favicon)\.[0-9a-f]+\.(js|wasm|css|svg))$/;
    for (const u of requests) assert.match(new URL(u).pathname + new URL(u).search, allowed, u);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('the app is downloaded once for the page, and not again by a second page of the site', { timeout: 300_000 }, async () => {
    // Downloads, not requests: every frame asks for the wasm and index.js, and all but the first
    // must be answered by the browser's HTTP cache (content-hashed names, immutable). The DevTools
    // protocol tells the two apart (Network.requestServedFromCache); the page's same-origin frames
    // share its session. embed.js starts the other instances only once the first one's module is
    // loaded: without that, instances starting at the same moment each downloaded it.
    const context = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    const assets = new Map();  // requestId -> {url, cached}
    const isApp = (url) => /\/index\.[0-9a-f]+\.(wasm|js)$/.test(new URL(url).pathname);
    cdp.on('Network.requestWillBeSent', (e) => {
      if (isApp(e.request.url)) assets.set(e.requestId, { url: e.request.url, cached: false });
    });
    cdp.on('Network.requestServedFromCache', (e) => { if (assets.has(e.requestId)) assets.get(e.requestId).cached = true; });
    cdp.on('Network.responseReceived', (e) => {
      const a = assets.get(e.requestId);
      if (a && (e.response.fromDiskCache || e.response.fromPrefetchCache)) a.cached = true;
    });
    const downloads = (ext) => [...assets.values()].filter((a) => a.url.endsWith(ext) && !a.cached).length;
    const requests = (ext) => [...assets.values()].filter((a) => a.url.endsWith(ext)).length;
    await page.goto(new URL(PAGE, env.srv.url).href);
    await startAll(page);
    console.log(`# tutorial: wasm ${requests('.wasm')} requests, ${downloads('.wasm')} downloaded; index.js ${requests('.js')} requests, ${downloads('.js')} downloaded`);
    assert.ok(requests('.wasm') >= 9, `${requests('.wasm')} wasm requests`);
    assert.equal(downloads('.wasm'), 1, `${downloads('.wasm')} wasm downloads of ${requests('.wasm')} requests`);
    assert.equal(downloads('.js'), 1, `${downloads('.js')} index.js downloads of ${requests('.js')} requests`);

    // A second page of the same site: the full app. Its HTML is revalidated (no-cache), its
    // content-hashed assets come from the cache.
    assets.clear();
    await page.goto(env.srv.url);
    await waitFor(page, () => !!(window.dfplay && window.dfplay.ready));
    await page.evaluate(() => window.dfplay.ready);
    console.log(`# second page: wasm ${requests('.wasm')} requests, ${downloads('.wasm')} downloaded`);
    assert.equal(requests('.wasm'), 1);
    assert.equal(downloads('.wasm') + downloads('.js'), 0, 'the second page downloads nothing of the app again');
    await context.close();
  });

  test('idle CPU is near zero with every instance started', { timeout: 300_000 }, async () => {
    const { page, context } = await openTutorial();
    await startAll(page);
    await page.evaluate(() => window.scrollTo(0, 0));
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const task = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration').value;
    await page.evaluate(() => new Promise((r) => setTimeout(r, 1000)));
    const t0 = await task();
    await page.evaluate(() => new Promise((r) => setTimeout(r, 3000)));
    const busy = (await task()) - t0;
    console.log(`# idle: ${(busy / 3 * 100).toFixed(1)} % of one core on the main thread over 3 s`);
    await context.close();
    assert.ok(busy / 3 < 0.05, `main thread busy ${(busy / 3 * 100).toFixed(1)} % while idle`);
  });

  test('screenshots at 1280x800, 800x500 and 390x844, the compare playground too', { timeout: 300_000 }, async () => {
    for (const [width, height] of [[1280, 800], [800, 500], [390, 844]]) {
      const { page, context, errors } = await openTutorial({ width, height });
      for (const [section, name] of [['node', 'tutorial'], ['compare', 'tutorial-compare']]) {
        await page.evaluate(async ({ id, h }) => {
          const el = document.querySelector(`#${id} dockerfile-playground`);
          el.scrollIntoView({ block: 'center' });
          await el.ready;
          window.scrollTo(0, el.getBoundingClientRect().top + scrollY - Math.min(260, h / 3));
        }, { id: section, h: height });
        if (section === 'compare') await waitFor(page, () => !document.querySelector('#compare [data-fig].pending'), null, { timeout: 60_000 });
        await page.evaluate(() => new Promise((r) => setTimeout(r, 500)));
        await screenshot(page, `${name}-${width}x${height}.png`);
      }
      assert.deepEqual(errors, []);
      await context.close();
    }
  });
});
