// <dockerfile-playground> on a page of ANOTHER origin (a second server on another port), as a
// documentation site would use it: one script tag, declared content and attributes, the element's
// promise API, dfplay-change events, isolation of two instances, the wheel and Tab behaviour,
// forged messages ignored; and embed.js's transfer size. Screenshot: build/screenshots/embed-800x500.png.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';

import { serve } from '../../web/server.mjs';
import { screenshotDir, siteDir } from '../node/support.mjs';
import { screenshot, startBrowser, TIMEOUT, waitFor } from './support.mjs';

let env, host, hostDir;

const DOCKERFILE = 'FROM node:20-alpine AS builder\nARG GREETING=hi\nWORKDIR /app\nCOPY . .\nRUN npm ci\n\nFROM node:20-alpine AS production\nCOPY --from=builder /app /app\nCMD ["node", "/app/server.js"]\n';

function hostPage(app) {
  // Indented the way people write HTML: the element removes the common indentation.
  const indented = DOCKERFILE.trimEnd().split('\n').map((l) => (l ? '    ' + l : l)).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>A documentation page on another origin</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="host.css">
<script type="module" src="${app}embed.js"></script>
<script type="module" src="host.js"></script>
</head>
<body>
<h1>Some documentation</h1>
<p>Text before the playground.</p>
<button id="before">before</button>
<dockerfile-playground id="one" target="builder" build-args="GREETING=hello, NODE_VERSION=22" tab="image" height="420">
  <pre>
${indented}
  </pre>
  <script type="text/plain" data-path="package.json">
    {"name": "host-app", "scripts": {"build": "tsc"}}
  </script>
  <script type="text/plain" data-path="src/server.ts">
    console.log("hello");
  </script>
  <script type="text/plain" data-path=".dockerignore">
    node_modules
  </script>
  <script type="text/plain" data-path="assets/model.bin" data-size="12MB"></script>
</dockerfile-playground>
<button id="after">after</button>
<div class="spacer"></div>
<dockerfile-playground id="two" example="go-distroless" start="click" readonly></dockerfile-playground>
</body>
</html>
`;
}

// A compare embed: A and B declared, shared files, a file of B's own, labels; the host's CSS shows
// the labels without JavaScript (the rule docs/embedding.md suggests).
const CMP_A = 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD ["node", "server.js"]\n';
const CMP_B = 'FROM node:20-alpine\nWORKDIR /app\nCOPY . .\nRUN npm ci --omit=dev\nUSER node\nCMD ["node", "server.js"]\n';
function comparePage(app) {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>A comparison</title><link rel="icon" href="data:,">
<link rel="stylesheet" href="compare.css">
<script type="module" src="${app}embed.js"></script></head>
<body><h1>Two base images</h1>
<dockerfile-playground id="cmp" compare height="560">
  <pre data-label="A: node:20">
${CMP_A.trimEnd()}
  </pre>
  <pre data-variant="b" data-label="B: node:20-alpine">
${CMP_B.trimEnd()}
  </pre>
  <script type="text/plain" data-path="package.json">{"name": "cmp", "dependencies": {"express": "^4"}}</script>
  <script type="text/plain" data-path="server.js">console.log("shared");</script>
  <script type="text/plain" data-path=".dockerignore" data-variant="b">node_modules</script>
  <script type="text/plain" data-path="server.js" data-variant="b">console.log("b");</script>
</dockerfile-playground>
<dockerfile-playground id="cmp2" compare start="click" height="300"><pre>FROM alpine:3.20\n</pre><script type="text/plain" data-variant="b">FROM alpine:3.19\n</script></dockerfile-playground>
</body></html>
`;
}
const COMPARE_CSS = 'body{font:16px system-ui;margin:1em}dockerfile-playground>pre[data-label]::before{content:attr(data-label);display:block;font-weight:600}\n';

// Three instances that start only when told to (start="click"), for the one-download gate: the
// page records when each element's frame appears and when messages from the frames arrive.
function gatePage(app) {
  const one = (id) => `<dockerfile-playground id="${id}" start="click" height="200"><pre>FROM alpine:3.20\nRUN echo ${id}\n</pre></dockerfile-playground>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Three instances</title><link rel="icon" href="data:,">
<script src="gate.js"></script><script type="module" src="${app}embed.js"></script></head>
<body>${['g1', 'g2', 'g3'].map(one).join('\n')}</body></html>
`;
}
// A classic script, run before embed.js: its message listener sees each message before embed.js's.
const GATE_JS = `window.log = [];
const t0 = performance.now();
addEventListener('message', (e) => {
  const host = [...document.querySelectorAll('dockerfile-playground')].find((el) => el.shadowRoot.querySelector('iframe')?.contentWindow === e.source);
  if (e.data && e.data.type) window.log.push({ message: e.data.type, from: host && host.id, t: performance.now() - t0 });
});
customElements.whenDefined('dockerfile-playground').then(() => {
  for (const el of document.querySelectorAll('dockerfile-playground')) {
    new MutationObserver(() => {
      if (el.shadowRoot.querySelector('iframe') && !window.log.some((e) => e.frame === el.id)) window.log.push({ frame: el.id, t: performance.now() - t0 });
    }).observe(el.shadowRoot, { childList: true, subtree: true });
  }
  window.gateReady = true;
});
`;

before(async () => {
  env = await startBrowser();
  hostDir = mkdtempSync(path.join(tmpdir(), 'dfplay-host-'));
  writeFileSync(path.join(hostDir, 'index.html'), hostPage(env.srv.url));
  writeFileSync(path.join(hostDir, 'host.css'), 'body{font:16px system-ui;margin:1em}.spacer{height:2500px}\n');
  writeFileSync(path.join(hostDir, 'host.js'), 'window.changes = [];\ndocument.addEventListener("dfplay-change", (e) => window.changes.push(e.detail));\n');
  writeFileSync(path.join(hostDir, 'gate.html'), gatePage(env.srv.url));
  writeFileSync(path.join(hostDir, 'gate.js'), GATE_JS);
  writeFileSync(path.join(hostDir, 'compare.html'), comparePage(env.srv.url));
  writeFileSync(path.join(hostDir, 'compare.css'), COMPARE_CSS);
  // The host page's own policy: what the README asks an embedding page to allow.
  const app = new URL(env.srv.url).origin;
  host = await serve({ root: hostDir, port: 0, csp: `default-src 'self'; script-src 'self' ${app}; frame-src ${app}; img-src 'self' data:` });
});

after(async () => {
  if (host) await host.close();
  if (env) await env.close();
  if (hostDir) rmSync(hostDir, { recursive: true, force: true });
});

async function openHost({ width = 1000, height = 760 } = {}) {
  const context = await env.browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  const errors = [];
  const requests = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(host.url);
  return { page, context, errors, requests };
}

const readyOne = (page) => page.evaluate(async () => {
  const el = document.getElementById('one');
  await customElements.whenDefined('dockerfile-playground');
  return el.ready;
});

describe('embed', () => {
  test('embed.js is at most 6 KB gzip', () => {
    const gz = gzipSync(readFileSync(path.join(siteDir, 'embed.js')), { level: 9 }).length;
    assert.ok(gz <= 6 * 1024, `embed.js: ${gz} bytes gzip`);
  });

  test('a page on another origin embeds an instance with its declared content and reads its state', { timeout: TIMEOUT }, async () => {
    const { page, context, errors, requests } = await openHost();
    assert.notEqual(new URL(host.url).origin, new URL(env.srv.url).origin);
    const summary = await readyOne(page);
    assert.equal(summary.stage_count, 2);
    assert.equal(summary.target, 'builder');
    const s = await page.evaluate(() => document.getElementById('one').state());
    assert.equal(s.dockerfile, DOCKERFILE);
    assert.equal(s.files['package.json'], '{"name": "host-app", "scripts": {"build": "tsc"}}\n');
    assert.equal(s.files['src/server.ts'], 'console.log("hello");\n');
    assert.equal(s.files['.dockerignore'], 'node_modules\n');
    assert.deepEqual(s.files['assets/model.bin'], { size: 12_000_000 }, 'data-size: a binary stand-in');
    assert.ok(summary.image_size_bytes > 12_000_000, 'COPY . . takes the 12 MB file into the image');
    assert.equal(s.options.target, 'builder');
    assert.deepEqual(s.options.build_args, { GREETING: 'hello', NODE_VERSION: '22' });
    assert.equal(s.ui.sideTab, 'Image');
    assert.equal(s.ui.embed, true);
    assert.equal(s.ui.readonly, false);
    // The change event carried the first summary.
    const changes = await page.evaluate(() => window.changes);
    assert.ok(changes.length >= 1 && changes[0].stage_count === 2);
    // The second instance (start="click") has not started: no frame, its pre-start view is there.
    const two = await page.evaluate(() => {
      const el = document.getElementById('two');
      return { frame: !!el.shadowRoot.querySelector('iframe'), text: el.shadowRoot.textContent };
    });
    assert.equal(two.frame, false);
    assert.match(two.text, /Run in the playground/);
    // Only the playground's own assets and the host's files were requested.
    const origins = new Set(requests.map((u) => new URL(u).origin));
    assert.deepEqual([...origins].sort(), [new URL(host.url).origin, new URL(env.srv.url).origin].sort());
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('load, setOptions, build and events through the element; two instances stay isolated', { timeout: TIMEOUT }, async () => {
    const { page, context, errors } = await openHost();
    await readyOne(page);
    const r = await page.evaluate(async () => {
      const one = document.getElementById('one'), two = document.getElementById('two');
      const forged = { dfplay: 1, type: 'ready', summary: { forged: true } };
      window.postMessage(forged, '*');  // not from the playground's frame: ignored
      // A cross-origin frame draws (and so gets ready) only on screen: browsers run no
      // animation frames in off-screen cross-origin frames.
      two.scrollIntoView();
      await two.start();
      const twoBefore = await two.state();
      window.changes = [];
      const loaded = await one.load({ dockerfile: 'FROM alpine\nRUN echo one\n', files: { 'a.txt': 'a\n' } });
      const opts = await one.setOptions({ target: '' });
      const report = await one.build();
      const oneAfter = await one.state();
      const twoAfter = await two.state();
      await new Promise((res) => setTimeout(res, 400));
      let error = null;
      try {
        await one.load({ dockerfile: 1 });
      } catch (e) {
        error = e.message;
      }
      return { loaded, opts, report, oneAfter, twoBefore, twoAfter, error, changes: window.changes,
               summaryTwo: two.summary };
    });
    assert.equal(r.loaded.stage_count, 1);
    assert.equal(r.oneAfter.dockerfile, 'FROM alpine\nRUN echo one\n');
    assert.deepEqual(Object.keys(r.oneAfter.files), ['a.txt']);
    assert.equal(r.oneAfter.cache_empty, false, 'build() recorded a build');
    assert.ok(Array.isArray(r.report.steps));
    assert.equal(r.twoBefore.example, 'go-distroless');
    assert.equal(r.twoAfter.dockerfile, r.twoBefore.dockerfile, 'the other instance is untouched');
    assert.equal(r.twoAfter.revision, r.twoBefore.revision);
    assert.equal(r.twoAfter.ui.readonly, true, 'the readonly attribute');
    assert.equal(r.summaryTwo.forged, undefined);
    assert.match(r.error, /dockerfile/);
    assert.ok(r.changes.some((c) => c.stage_count === 1), 'dfplay-change after load');
    assert.deepEqual(errors, []);
    await context.close();
  });

  // The frame makes its summaries from the app's few numbers (dfplay_app_summary), not from state()
  // (JSON of all the results: ~90 ms on a big Dockerfile, after every change): each figure must
  // still be the one state() has. Declared content, a build that fails with errors and warnings, an
  // example on a second instance.
  test('every figure of the summary is the one state() has', { timeout: TIMEOUT }, async () => {
    const { page, context, errors } = await openHost();
    await readyOne(page);
    const fromState = (s) => {
      const b = s.build, cmp = b.comparison, diags = b.diagnostics.concat(s.input_diagnostics);
      const count = (sev) => diags.filter((d) => d.severity === sev).length;
      return {
        revision: s.revision, example: s.example, target: s.options.target,
        stage_count: s.analysis.stage_count, instruction_count: s.analysis.instruction_count,
        image_size_bytes: b.image.size_bytes, image_compressed_size_bytes: b.image.compressed_size_bytes,
        single_stage_size_bytes: cmp.single_stage_size_bytes, saving_bytes: cmp.saving_bytes,
        cache_empty: s.cache_empty, cached: s.cache.summary.cached, run: s.cache.summary.run,
        skipped: s.cache.summary.skipped, errors: count('error'), warnings: count('warning'),
        findings: s.checks.findings.length, build_ok: b.ok !== false && count('error') === 0,
        tab: s.ui.sideTab.toLowerCase(), compare: null,
      };
    };
    const r = await page.evaluate(async () => {
      const one = document.getElementById('one'), two = document.getElementById('two');
      const out = [[await one.setOptions({}), await one.state()]];
      const bad = 'FROM alpine AS base\nMAINTAINER someone\nCOPY missing.txt /x\nRUN --mount=type=bind,from=nowhere,target=/m true\n' +
                  'FROM base\nCOPY *.nomatch /x/\nARG\nHEALTHCHECK NONE\n';
      out.push([await one.load({ dockerfile: bad, options: { target: '' } }), await one.state()]);
      await one.build();
      out.push([await one.setOptions({ no_cache: true }), await one.state()]);
      two.scrollIntoView();
      out.push([await two.start(), await two.state()]);
      return out;
    });
    for (const [summary, state] of r) assert.deepEqual(summary, fromState(state));
    assert.ok(r[1][0].errors > 0 && r[1][0].warnings > 0 && !r[1][0].build_ok, JSON.stringify(r[1][0]));
    assert.equal(r[2][0].cache_empty, false);
    assert.equal(r[3][0].example, 'go-distroless');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('the wheel scrolls the host page until the user clicks into the instance; Tab enters and leaves', { timeout: TIMEOUT }, async () => {
    const { page, context } = await openHost({ width: 1000, height: 600 });
    await readyOne(page);
    // Keyboard: from the button before, Tab reaches the frame, and Tab leaves it again (the
    // editor keeps Tab for indenting while it is being edited: Escape first, docs/embedding.md).
    await page.focus('#before');
    const path = [];
    for (let i = 0; i < 6; i++) {
      await page.keyboard.press('Tab');
      path.push(await page.evaluate(() => {
        const a = document.activeElement;
        if (a && a.shadowRoot && a.shadowRoot.activeElement) return `${a.id}>${a.shadowRoot.activeElement.tagName}`;
        return a ? a.id || a.tagName : '';
      }));
      if (path.at(-1) === 'after') break;
    }
    assert.ok(path.includes('one>IFRAME'), path.join(', '));
    assert.equal(path.at(-1), "after", path.join(", "));
    const box = await page.locator('#one').boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height * 0.7);
    const y0 = await page.evaluate(() => scrollY);
    await page.mouse.wheel(0, 200);
    await waitFor(page, (y) => scrollY > y, y0, { timeout: 5000 });
    // After a click inside, the wheel belongs to the instance.
    const box2 = await page.locator('#one').boundingBox();
    await page.mouse.click(box2.x + box2.width * 0.75, box2.y + box2.height * 0.6);
    const y1 = await page.evaluate(() => scrollY);
    await page.mouse.wheel(0, 200);
    await page.evaluate(() => new Promise((r) => setTimeout(r, 400)));
    assert.equal(await page.evaluate(() => scrollY), y1);

    await context.close();
  });

  test('"Open in the full playground" opens the app in a new tab with the same state', { timeout: TIMEOUT }, async () => {
    const { page, context, errors } = await openHost();
    await readyOne(page);
    const frame = page.frames().find((f) => f.url().includes('embed=1'));
    await waitFor(frame, () => 'menu:OpenFull' in window.dfplay.state().ui.widgets);
    const r = await frame.evaluate(() => window.dfplay.state().ui.widgets['menu:OpenFull']);
    const box = await page.locator('#one').boundingBox();
    const x = box.x + r.x + r.width / 2, y = box.y + r.y + r.height / 2;
    await page.mouse.move(x, y);
    await page.waitForTimeout(100);
    const opened = context.waitForEvent('page');
    await page.mouse.down();
    await page.waitForTimeout(100);
    await page.mouse.up();
    const full = await opened;
    await waitFor(full, () => /#s=1\./.test(location.hash) && window.dfplay && window.dfplay.ready, null, { timeout: 30_000 });
    await full.evaluate(() => window.dfplay.ready);
    // The tab the link names is shown by the next frame drawn: wait for it.
    await waitFor(full, () => window.dfplay.state().ui.sideTab === 'Image', null, { timeout: 10_000 }).catch(() => {});
    const s = await full.evaluate(() => window.dfplay.state());
    assert.equal(new URL(full.url()).origin, new URL(env.srv.url).origin);
    assert.equal(new URL(full.url()).search, '', 'the full app, not the embed');
    assert.equal(s.dockerfile, DOCKERFILE);
    assert.deepEqual(s.files['assets/model.bin'], { size: 12_000_000 });
    assert.equal(s.options.target, 'builder');
    assert.equal(s.ui.sideTab, 'Image');
    assert.equal(s.ui.embed, false);
    assert.equal(await full.evaluate(() => window.opener), null);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('instances started together: the first loads the app alone, the others start once its module is loaded', { timeout: TIMEOUT }, async () => {
    const context = await env.browser.newContext({ viewport: { width: 1000, height: 760 } });
    const page = await context.newPage();
    await page.goto(new URL('gate.html', host.url).href);
    await waitFor(page, () => window.gateReady);
    const started = await page.evaluate(() => {
      const els = [...document.querySelectorAll('dockerfile-playground')];
      els.forEach((el) => el.start());
      return els.map((el) => !!el.shadowRoot.querySelector('iframe'));
    });
    assert.deepEqual(started, [true, false, false], 'only the first one has a frame at first');
    const summaries = await page.evaluate(() => Promise.all([...document.querySelectorAll('dockerfile-playground')].map((el) => el.ready)));
    assert.equal(summaries.length, 3);
    const log = await page.evaluate(() => window.log);
    const at = (pred) => log.find(pred)?.t;
    const loaded = at((e) => e.message === 'loaded' && e.from === 'g1');
    assert.ok(loaded !== undefined, JSON.stringify(log));
    for (const id of ['g2', 'g3']) {
      const t = at((e) => e.frame === id);
      assert.ok(t !== undefined && t >= loaded, `${id}'s frame at ${t} ms, the first one's module loaded at ${loaded} ms: ${JSON.stringify(log)}`);
    }
    // They are three instances all the same.
    const states = await page.evaluate(() => Promise.all([...document.querySelectorAll('dockerfile-playground')].map((el) => el.state())));
    assert.deepEqual(states.map((s) => s.dockerfile), ['g1', 'g2', 'g3'].map((id) => `FROM alpine:3.20\nRUN echo ${id}\n`));
    await context.close();
  });

  test('the others do not wait forever: they start after the timeout when the first one hangs, at once when it fails', { timeout: TIMEOUT }, async () => {
    for (const mode of ['hang', 'fail']) {
      const context = await env.browser.newContext({ viewport: { width: 1000, height: 760 } });
      const page = await context.newPage();
      // The first frame's wasm requests hang (held until the end) or fail (404); the others' pass.
      let firstFrame = null;
      const held = [];
      page.on('frameattached', (f) => { if (!firstFrame) firstFrame = f; });
      await page.route(/\/index\.[0-9a-f]+\.wasm$/, (route) => {
        if (route.request().frame() !== firstFrame) return route.continue();
        if (mode === 'fail') return route.fulfill({ status: 404, body: 'gone' });
        held.push(route);
      });
      await page.goto(new URL('gate.html', host.url).href);
      await waitFor(page, () => window.gateReady);
      const timeout = mode === 'hang' ? 1500 : 600_000;
      const r = await page.evaluate(async (ms) => {
        customElements.get('dockerfile-playground').firstStartTimeout = ms;
        const [g1, g2] = document.querySelectorAll('dockerfile-playground');
        const t0 = performance.now();
        const first = g1.start().then(() => 'ready', (e) => `failed: ${e.message}`);
        await new Promise((res) => setTimeout(res, 50));
        const secondFramed = () => !!g2.shadowRoot.querySelector('iframe');
        const early = secondFramed();
        const summary = await g2.start();
        const firstOutcome = await Promise.race([first, new Promise((res) => setTimeout(() => res('pending'), 100))]);
        return { early, waited: performance.now() - t0, stages: summary.stage_count, firstOutcome,
                 firstStatus: g1.shadowRoot.querySelector('.msg').textContent };
      }, timeout);
      console.log(`# ${mode}: the second instance was ready ${Math.round(r.waited)} ms after the first one started (${r.firstOutcome})`);
      assert.equal(r.early, false, 'the second waits for the first');
      assert.equal(r.stages, 1, 'the second instance started and works');
      if (mode === 'hang') {
        assert.ok(r.waited >= 1400, `${r.waited} ms`);
        assert.equal(r.firstOutcome, 'pending');
        // Released, the first one starts as well.
        for (const route of held) await route.continue();
        await page.evaluate(() => document.querySelector('#g1').ready);
      } else {
        assert.match(r.firstOutcome, /^failed/);
        assert.match(r.firstStatus, /could not start/);
        assert.ok(r.waited < 60_000, `${r.waited} ms`);
      }
      await context.close();
    }
  });

  test('a compare embed opens in compare mode with both sides; load({a, b}); the Compare tab first', { timeout: TIMEOUT }, async () => {
    const context = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
    await page.goto(new URL('compare.html', host.url).href);
    // Before it starts: both Dockerfiles, under their labels.
    const cover = await page.evaluate(async () => {
      await customElements.whenDefined('dockerfile-playground');
      const el = document.getElementById('cmp2');
      return { labels: [...el.shadowRoot.querySelectorAll('.label')].map((l) => l.textContent),
               pres: [...el.shadowRoot.querySelectorAll('pre')].map((p) => p.textContent),
               name: el.shadowRoot.querySelector('.name').textContent };
    });
    assert.deepEqual(cover.labels, ['A', 'B']);
    assert.deepEqual(cover.pres, ['FROM alpine:3.20\n', 'FROM alpine:3.19\n']);
    assert.match(cover.name, /Compare/);
    const summary = await page.evaluate(() => document.getElementById('cmp').ready);
    assert.ok(summary.compare, 'the summary has the comparison (protocol 2)');
    assert.ok(summary.compare.size_delta_bytes < 0, 'alpine is smaller');
    assert.equal(summary.compare.b_image_size_bytes, summary.image_size_bytes);
    // (state().ui.sideTab is the tab drawn last: the one asked for shows with the next frame)
    await waitFor(page, async () => (await document.getElementById('cmp').state()).ui.sideTab === 'Compare', null, { timeout: 10_000 });
    const s = await page.evaluate(() => document.getElementById('cmp').state());
    assert.equal(s.ui.sideTab, 'Compare', 'compare embeds show the Compare tab first');
    assert.equal(s.compare.a.dockerfile, CMP_A);
    assert.equal(s.dockerfile, CMP_B);
    // Files without data-variant belong to both sides; B's own ones are added or win.
    assert.deepEqual(s.compare.a.files, { 'package.json': '{"name": "cmp", "dependencies": {"express": "^4"}}\n', 'server.js': 'console.log("shared");\n' });
    assert.deepEqual(s.files, { '.dockerignore': 'node_modules\n', 'package.json': '{"name": "cmp", "dependencies": {"express": "^4"}}\n', 'server.js': 'console.log("b");\n' });
    assert.deepEqual(s.compare.diff.config_changes.find((c) => c.field === 'user'), { field: 'user', a: 'root', b: 'node' });
    // load({a, b}) replaces both sides; a plain load replaces B and keeps A pinned.
    const r = await page.evaluate(async () => {
      const el = document.getElementById('cmp');
      const both = await el.load({ a: { dockerfile: 'FROM debian:12\n' }, b: { dockerfile: 'FROM debian:12-slim\n' } });
      const s1 = await el.state();
      await el.load({ dockerfile: 'FROM alpine:3.20\n' });
      const s2 = await el.state();
      let error = null;
      try { await el.load({ a: { dockerfile: 3 } }); } catch (e) { error = e.message; }
      return { both, a1: s1.compare.a.dockerfile, b1: s1.dockerfile, a2: s2.compare.a.dockerfile, b2: s2.dockerfile, error };
    });
    assert.ok(r.both.compare && r.both.compare.size_delta_bytes < 0);
    assert.deepEqual([r.a1, r.b1, r.a2, r.b2], ['FROM debian:12\n', 'FROM debian:12-slim\n', 'FROM debian:12\n', 'FROM alpine:3.20\n']);
    assert.match(r.error, /compare\.a/);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('"Open in the full playground" from a compare embed carries both sides, before and after it starts', { timeout: TIMEOUT }, async () => {
    const context = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(new URL('compare.html', host.url).href);
    const openFrom = async (fn) => {
      const opened = context.waitForEvent('page');
      await fn();
      const full = await opened;
      await waitFor(full, () => /#s=2\./.test(location.hash) && window.dfplay && window.dfplay.ready, null, { timeout: 30_000 });
      await full.evaluate(() => window.dfplay.ready);
      // The tab the link names is shown by the next frame drawn: wait for it.
      await waitFor(full, () => window.dfplay.state().ui.sideTab === 'Compare', null, { timeout: 10_000 }).catch(() => {});
      const st = await full.evaluate(() => window.dfplay.state());
      await full.close();
      return st;
    };
    // Not started (start="click"): the element makes the link from the declared content.
    await page.evaluate(() => customElements.whenDefined('dockerfile-playground'));
    const before = await openFrom(() => page.evaluate(() => document.getElementById('cmp2').shadowRoot.querySelector('a').click()));
    assert.equal(before.compare.a.dockerfile, 'FROM alpine:3.20\n');
    assert.equal(before.dockerfile, 'FROM alpine:3.19\n');
    assert.equal(before.ui.sideTab, 'Compare');
    assert.equal(before.ui.embed, false);
    assert.equal(await page.evaluate(() => !!document.getElementById('cmp2').shadowRoot.querySelector('iframe')), false, 'still not started');
    // Started: the app's own menu item, through the frame (a click in the app's menu bar).
    await page.evaluate(() => document.getElementById('cmp').ready);
    const frame = page.frames().find((f) => f.url().includes('embed=1'));
    await waitFor(frame, () => 'menu:OpenFull' in window.dfplay.state().ui.widgets);
    const w = await frame.evaluate(() => window.dfplay.state().ui.widgets['menu:OpenFull']);
    const box = await page.locator('#cmp').boundingBox();
    const after = await openFrom(async () => {
      await page.mouse.move(box.x + w.x + w.width / 2, box.y + w.y + w.height / 2);
      await page.waitForTimeout(100);
      await page.mouse.down();
      await page.waitForTimeout(100);
      await page.mouse.up();
    });
    assert.equal(after.compare.a.dockerfile, CMP_A);
    assert.equal(after.dockerfile, CMP_B);
    assert.equal(after.files['server.js'], 'console.log("b");\n');
    assert.equal(after.compare.a.files['server.js'], 'console.log("shared");\n');
    assert.equal(after.ui.sideTab, 'Compare');
    await context.close();
  });

  test('a compare embed without JavaScript shows both Dockerfiles, labelled; screenshots at three sizes', { timeout: TIMEOUT }, async () => {
    const context = await env.browser.newContext({ viewport: { width: 800, height: 500 }, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(new URL('compare.html', host.url).href);
    const text = await page.evaluate(() => document.body.innerText);
    for (const line of [...CMP_A.split('\n'), ...CMP_B.split('\n')].filter(Boolean)) assert.ok(text.includes(line), line);
    const labels = await page.$$eval('#cmp > pre', (els) => els.map((p) => getComputedStyle(p, '::before').content));
    assert.deepEqual(labels, ['"A: node:20"', '"B: node:20-alpine"']);
    writeFileSync(path.join(screenshotDir, 'embed-compare-nojs-800x500.png'), await page.screenshot());  // (no frames to wait for)
    await context.close();
    for (const [width, height] of [[1280, 800], [800, 500], [390, 844]]) {
      const ctx = await env.browser.newContext({ viewport: { width, height } });
      const p = await ctx.newPage();
      await p.goto(new URL('compare.html', host.url).href);
      await p.evaluate(() => document.getElementById('cmp').ready);
      await p.locator('#cmp').scrollIntoViewIfNeeded();
      await p.evaluate(() => new Promise((r) => setTimeout(r, 400)));
      await screenshot(p, `embed-compare-${width}x${height}.png`);
      await ctx.close();
    }
  });

  test('screenshot of one embed at 800x500', { timeout: TIMEOUT }, async () => {
    const { page, context, errors } = await openHost({ width: 800, height: 500 });
    await readyOne(page);
    await page.locator('#one').scrollIntoViewIfNeeded();
    await page.evaluate(() => new Promise((r) => setTimeout(r, 300)));
    await screenshot(page, 'embed-800x500.png');
    assert.deepEqual(errors, []);
    await context.close();
  });
});
