// The app in headless Chromium (Debian's, through playwright-core), served by web/server.mjs as
// script/server does (precompressed files, caching headers, CSP). Prints one JSON object:
//   ready      time to window.dfplay.ready after navigation (performance.now() in the page, i.e.
//              from the navigation's start), median/min/max of N runs: cold (a new browser
//              context: empty HTTP cache) and warm (the same context navigated again), taken from
//              the 'dfplay-ready' performance mark; *_seen: when the polling script saw it resolved
//              (what sessions 4-5 reported); the phases of both (resource timing and marks);
//   idle       CPU time of the whole browser (every process under this one: browser, renderers,
//              GPU) over a window with nothing happening, as % of one core: one app, three app
//              embeds in one page, and the same page scrolled so that the embeds are off screen,
//              and a hidden tab; plus the frames drawn in that window (state().ui.frame); and an
//              empty page (about:blank) in the same browser: what the browser costs by itself;
//   typing     the app's frame times (JS + wasm + WebGL calls of one frame, Module.dfplayFrameTimes)
//              while typing into big.Dockerfile: p50/p95/max, and the keystroke count;
//   paced      typing at the end of big.Dockerfile at a person's pace (each key after the previous
//              one's result was shown, then 150 ms): each key's keydown to the end of the first
//              frame drawn with its result (Module.dfplayResultShownAt), median/max, and the
//              longest main-thread task over it;
//   paste      the longest main-thread task ('longtask' PerformanceObserver) while pasting a
//              ~5 MB Dockerfile into the editor, and how long until the text was in the state;
//   heap       the wasm memory's size at the end (memory only grows: its high-water mark).
//   node bench/browser.mjs [--site DIR] [--runs N] [--big FILE] [--idle-seconds S] [--ready-only]
// --ready-only measures the time to ready alone (e.g. two builds side by side: --site A, --site B).
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

import { chromium } from 'playwright-core';

import { serve } from '../web/server.mjs';
import { args, bigFile, CHROMIUM, CHROMIUM_ARGS, descendantsCpu, median, opt, pct, round, site, sleep } from './browser-common.mjs';

const runs = Number(opt('--runs', 7));
const idleSeconds = Number(opt('--idle-seconds', 5));
// Progress on stderr (stdout is the JSON): which part is running.
const step = (what) => process.stderr.write(`bench/browser: ${what}\n`);

async function idleCpu(pages, seconds) {
  await sleep(1000);  // let the last frames, timers and GC of the set-up settle
  const frames0 = await Promise.all(pages.map(framesOf));
  const c0 = descendantsCpu(), t0 = performance.now();
  await sleep(seconds * 1000);
  const c1 = descendantsCpu(), t1 = performance.now();
  const frames1 = await Promise.all(pages.map(framesOf));
  return {
    cpu_percent: round((100 * (c1 - c0)) / ((t1 - t0) / 1000)),
    frames: frames1.reduce((n, f, i) => n + f - frames0[i], 0),
  };
}

// Frames drawn by every app instance of a page (main frame and iframes).
async function framesOf(page) {
  let n = 0;
  for (const f of page.frames()) {
    n += await f.evaluate(() => (window.dfplay && window.Module && Module.dfplayFrames ? Module.dfplayFrames() : 0))
      .catch(() => 0);
  }
  return n;
}

// Main-thread tasks over 50 ms ('longtask' PerformanceObserver): watchLongTasks starts counting in
// a page; longTasks returns {count, longest} since the last call and starts again.
async function watchLongTasks(page) {
  await page.evaluate(() => {
    window.__long = { count: 0, longest: 0 };
    new PerformanceObserver((list) => {
      for (const t of list.getEntries()) {
        window.__long.count++;
        window.__long.longest = Math.max(window.__long.longest, t.duration);
      }
    }).observe({ type: 'longtask', buffered: false });
  });
}
function longTasks(page) {
  return page.evaluate(() => {
    const r = window.__long;
    window.__long = { count: 0, longest: 0 };
    return r;
  });
}

async function waitReady(target) {
  return target.evaluate(async () => {
    for (let i = 0; i < 600 && !(window.dfplay && window.dfplay.ready); ++i) await new Promise((r) => setTimeout(r, 50));
    await window.dfplay.ready;
    // The 'dfplay-ready' mark is set right before the promise resolves (page_api.js): the time
    // seen here after polling also counts the poll interval, the protocol round trip and the
    // frame the page is busy with, ~100-170 ms under load. Both are reported.
    const mark = performance.getEntriesByName('dfplay-ready')[0];
    return { mark: mark ? mark.startTime : performance.now(), seen: performance.now() };
  });
}

const srv = await serve({ root: site, port: 0 });
// The embedding page: another origin (another port), no CSP of its own.
const hostPage = `<!doctype html><body style="margin:0">${
  [1, 2, 3].map(() => `<iframe src="${srv.url}?embed=1" width="800" height="500" style="border:0;display:block"></iframe>`)
    .join('')}<div style="height:4000px"></div></body>`;
const hostServer = createServer((req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end(hostPage));
await new Promise((r) => hostServer.listen(0, '127.0.0.1', r));
const host = { url: `http://127.0.0.1:${hostServer.address().port}/` };
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
const out = { runs };
try {
  // ---- time to ready ----
  const cold = [], warm = [], phases = [], warmPhases = [];
  const phasesOf = (page) => page.evaluate(() => {
    const mark = (n) => (performance.getEntriesByName(n)[0] || {}).startTime;
    const res = (re) => (performance.getEntriesByType('resource').find((e) => re.test(e.name)) || {}).responseEnd;
    return { 'js loaded': res(/index\.[0-9a-f]+\.js$/), 'wasm loaded': res(/\.wasm$/),
             'wasm instantiated': mark('dfplay-runtime'), 'main() done': mark('dfplay-main'), ready: mark('dfplay-ready') };
  });
  for (let i = 0; i < runs; ++i) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(srv.url);
    cold.push(await waitReady(page));
    phases.push(await phasesOf(page));
    await page.goto('about:blank');
    await page.goto(srv.url);
    warm.push(await waitReady(page));
    warmPhases.push(await phasesOf(page));
    await context.close();
  }
  const stats = (xs) => ({ median: round(median(xs)), min: round(Math.min(...xs)), max: round(Math.max(...xs)) });
  const medians = (list) => {
    const m = {};
    for (const k of Object.keys(list[0])) {
      const xs = list.map((p) => p[k]).filter((x) => typeof x === 'number');
      if (xs.length) m[k] = round(median(xs));
    }
    return m;
  };
  out.ready_ms = {
    phases: medians(phases),
    warm_phases: medians(warmPhases),
    cold: stats(cold.map((r) => r.mark)),
    warm: stats(warm.map((r) => r.mark)),
    // As measured before session 6: when the polling script saw dfplay.ready resolved.
    cold_seen: stats(cold.map((r) => r.seen)),
    warm_seen: stats(warm.map((r) => r.seen)),
  };

  if (args.includes('--ready-only')) throw Object.assign(new Error('done'), { readyOnly: true });

  // ---- idle ----
  step('idle, one app');
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: srv.url });
  const page = await context.newPage();
  // The browser's own idle cost, for comparison: the same browser with one empty page.
  await page.goto('about:blank');
  out.idle = { blank_page: await idleCpu([page], idleSeconds) };
  await page.goto(srv.url);
  await waitReady(page);
  out.idle.one_app = await idleCpu([page], idleSeconds);

  // A host page on another origin (as a docs site embedding the app), with three app frames.
  step('idle, three embeds');
  const embeds = await context.newPage();
  await embeds.goto(host.url);
  await sleep(500);
  for (const f of embeds.frames().slice(1)) await waitReady(f);
  await page.close();
  out.idle.three_embeds = await idleCpu([embeds], idleSeconds);
  await embeds.mouse.wheel(0, 3000);
  await sleep(300);
  out.idle.three_embeds_scrolled_away = await idleCpu([embeds], idleSeconds);
  await embeds.close();

  // ---- typing into big.Dockerfile ----
  step('typing into big.Dockerfile');
  const app = await context.newPage();
  await app.goto(srv.url);
  await waitReady(app);
  const big = readFileSync(bigFile, 'utf8');
  await app.evaluate((text) => { window.dfplay.load({ dockerfile: text }); }, big);
  await app.evaluate(() => window.dfplay.redraw(4));
  const e = (await app.evaluate(() => window.dfplay.state().ui.editor));
  await app.mouse.click(e.x + e.width / 2, e.y + e.height / 3);
  await app.evaluate(() => window.dfplay.redraw(2));
  await app.evaluate(() => Module.dfplayFrameTimes(true));
  const typed = 'RUN echo typing benchmark';
  for (const ch of typed) {
    await app.keyboard.type(ch);
    await app.evaluate(() => window.dfplay.redraw(1));
  }
  const times = await app.evaluate(() => Module.dfplayFrameTimes(true));
  const st = await app.evaluate(() => ({ hasText: window.dfplay.state().dockerfile.includes('typing benchmark') }));
  out.typing_big = {
    keystrokes: typed.length, frames: times.length, typed_text_arrived: st.hasText,
    frame_ms: { p50: round(pct(times, 50)), p95: round(pct(times, 95)), max: round(Math.max(...times)) },
  };

  // ---- typing at a person's pace: each key's result ----
  step('typing into big.Dockerfile at a person\'s pace');
  await app.evaluate(() => Module.dfplayAnalysed());
  await app.keyboard.press('Control+End');
  await app.evaluate(() => window.dfplay.redraw(2));
  await app.evaluate(() => Module.dfplayAnalysed());
  await app.evaluate(() => {
    window.__keys = [];
    window.addEventListener('keydown', (ev) => window.__keys.push(ev.timeStamp), true);
  });
  await watchLongTasks(app);
  await sleep(1000);  // the autosave and the accessibility mirror after the previous typing
  await longTasks(app);  // (from here on)
  const keyToResult = [];
  for (const key of ['Enter', ...'run echo paced']) {
    await app.keyboard.press(key === ' ' ? 'Space' : key);
    keyToResult.push(await app.evaluate(async () => {
      await Module.dfplayAnalysed();
      const k = window.__keys[window.__keys.length - 1];
      for (let i = 0; i < 400 && Module.dfplayResultShownAt() < k; ++i) await new Promise((r) => setTimeout(r, 5));
      return Module.dfplayResultShownAt() - k;
    }));
    await sleep(150);
  }
  const pacedTasks = await longTasks(app);
  out.typing_paced = {
    keystrokes: keyToResult.length,
    key_to_result_shown_ms: { median: round(median(keyToResult)), max: round(Math.max(...keyToResult)), all: keyToResult.map((x) => round(x)) },
    longest_task_ms: round(pacedTasks.longest), long_tasks: pacedTasks.count,
  };

  // ---- a hidden tab (another tab in front) ----
  step('idle, hidden tab');
  // The typing's own work first: the last analysis, the autosave of the 0.5 MB text (400 ms after
  // the last key), the collection of the garbage it made; the window then measures idleness.
  await app.evaluate(() => Module.dfplayAnalysed());
  await sleep(2000);
  // Headless pages are all "visible"; document.hidden is emulated through the CDP.
  const cdp = await context.newCDPSession(app);
  await cdp.send('Emulation.setFocusEmulationEnabled', { enabled: false }).catch(() => {});
  await app.evaluate(() => Object.defineProperty(document, 'hidden', { configurable: true, get: () => true }))
    .then(() => app.evaluate(() => document.dispatchEvent(new Event('visibilitychange'))));
  out.idle.hidden_tab_with_big = await idleCpu([app], idleSeconds);
  await app.evaluate(() => { delete document.hidden; document.dispatchEvent(new Event('visibilitychange')); });
  out.idle.one_app_with_big = await idleCpu([app], idleSeconds);

  // ---- pasting ~5 MB ----
  step('pasting 5 MB');
  let five = '';
  while (five.length < 5e6) five += big;
  await longTasks(app);  // (from here on)
  await app.evaluate((text) => navigator.clipboard.writeText(text), five);
  await app.keyboard.press('Control+A');
  const t0 = Date.now();
  await app.keyboard.press('Control+V');
  let arrived = false;
  for (let i = 0; i < 600 && !arrived; ++i) {
    arrived = await app.evaluate((n) => window.dfplay.state().dockerfile.length === n, five.length);
    if (!arrived) await sleep(100);
  }
  const pasteMs = Date.now() - t0;
  await sleep(500);
  const lt = await longTasks(app);
  out.paste_5mb = { bytes: five.length, in_state: arrived, until_in_state_ms: pasteMs,
                    longest_task_ms: round(lt.longest), long_tasks: lt.count };
  out.heap_bytes = await app.evaluate(() => Module.HEAP8.buffer.byteLength);
  await context.close();
} catch (e) {
  if (!e.readyOnly) throw e;
} finally {
  await browser.close();
  await srv.close();
  hostServer.close();
}
console.log(JSON.stringify(out, null, 2));
