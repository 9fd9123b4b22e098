// The app's main thread while it analyses big inputs (issue 13: the keystroke first, the analysis
// never blocking the page). Headless Chromium (Debian's, through playwright-core), the site served
// by web/server.mjs. Prints one JSON object:
//   units      the units of work of one analysis of big.Dockerfile in wasm (PipelineJob: parse,
//              instructions, graph, evaluation, context, each stage, image, cache, checks): count,
//              total and the longest ones (Workspace::last_units, ms);
//   load_big   dfplay.load(big.Dockerfile): the call itself, the longest main-thread task
//              ('longtask' PerformanceObserver: tasks over 50 ms), and the time until the result;
//   typing_big typing N characters into big.Dockerfile: the app's frame times (Module.dfplayFrameTimes:
//              JS + wasm + WebGL of one frame) p50/p95/max, the analysis slices' times
//              (Module.dfplaySliceTimes), the longest task, and the time from the last keystroke
//              until its result: polled from here (state().analysing false; includes this
//              process's round trips) and inside the page (the keydown event's timestamp to the
//              end of the first frame drawn with the result: last_key_to_result_shown_in_page_ms);
//   paste_big  big.Dockerfile pasted over the text (Ctrl+A, Ctrl+V): the longest task, the time
//              until the text is in the state and until its result;
//   paste_5mb  the same with ~5 MB (over the 2 MiB input limit: refused with a message);
//   typing_1k  typing into the first 1,000 lines of big.Dockerfile: the last keystroke until its result;
//   compare_big  the Compare button on big.Dockerfile (View > Compare, "Compare: pin this as A"): the
//              longest task and the time until the comparison is done (state().analysing false);
//   embed_typing_big  a <dockerfile-playground> on a page of another origin (as docs embed it), given
//              big.Dockerfile by the element's load(): the load's round trip, then 20 keys typed into
//              its editor 400 ms apart (each analysed and posted before the next): the frame's long
//              tasks (its main thread: the app and the embed bridge, which posts a summary to the
//              host after each analysis) and the host's dfplay-change events.
// Each scenario also reports the renderer's main-thread Layout, script and task time over it (CDP
// Performance.getMetrics deltas, ms; the typing ones until 1 s after the result, so that the
// accessibility mirror's update after the pause is in), the CPU time of all the browser's
// processes over it (s), and the machine's load average at the start (the machine is shared).
//   node bench/responsiveness.mjs [--site DIR] [--big FILE] [--runs N]
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import os from 'node:os';

import { chromium } from 'playwright-core';

import { serve } from '../web/server.mjs';
import { bigFile, CHROMIUM, CHROMIUM_ARGS, descendantsCpu, opt, pct, round, site, sleep } from './browser-common.mjs';

const runs = Number(opt('--runs', 3));
const median = (xs) => pct(xs, 50);

const big = readFileSync(bigFile, 'utf8');
let five = '';
while (five.length < 5e6) five += big;

const srv = await serve({ root: site, port: 0 });
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });

async function open() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: srv.url });
  const page = await context.newPage();
  await page.goto(srv.url);
  await page.evaluate(async () => {
    for (let i = 0; i < 600 && !(window.dfplay && window.dfplay.ready); ++i) await new Promise((r) => setTimeout(r, 50));
    await window.dfplay.ready;
  });
  // Long tasks from here on (the observer records tasks over 50 ms); the last key event's time.
  await page.evaluate(() => {
    window.__lastKey = 0;
    window.addEventListener('keydown', (e) => { window.__lastKey = e.timeStamp; }, true);
    window.__long = [];
    new PerformanceObserver((list) => { for (const t of list.getEntries()) window.__long.push(t.duration); })
      .observe({ type: 'longtask', buffered: false });
  });
  return { context, page };
}
// Main-thread time by kind, from the renderer's counters (Layout, script, all tasks), in ms.
async function metrics(page) {
  const cdp = page.__cdp || (page.__cdp = await page.context().newCDPSession(page));
  if (!page.__cdpOn) {
    await cdp.send('Performance.enable');
    page.__cdpOn = true;
  }
  const { metrics: m } = await cdp.send('Performance.getMetrics');
  const get = (n) => 1000 * ((m.find((x) => x.name === n) || {}).value || 0);
  return { layout: get('LayoutDuration'), style: get('RecalcStyleDuration'), script: get('ScriptDuration'), task: get('TaskDuration'),
           cpu: descendantsCpu() };
}
const since = async (page, m0) => {
  const m1 = await metrics(page);
  return { layout_ms: round(m1.layout - m0.layout), style_ms: round(m1.style - m0.style), script_ms: round(m1.script - m0.script),
           task_ms: round(m1.task - m0.task), browser_cpu_s: round(m1.cpu - m0.cpu, 2) };
};
const longReset = (page) => page.evaluate(() => { window.__long = []; });
const longRead = async (page) => {
  const l = await page.evaluate(() => window.__long.slice());
  return { longest_task_ms: round(l.length ? Math.max(...l) : 0), long_tasks: l.length };
};
// Polls (each poll a short task of its own) until the app has analysed the current text. An app
// from before the sliced analysis (--site of an older build) analyses in the frame after a change:
// there the next frame drawn is the result.
const analysing = () => (Module.dfplayAnalysing ? Module.dfplayAnalysing() : false);
async function untilAnalysed(page, t0) {
  if (!(await page.evaluate(() => !!Module.dfplayAnalysing))) await page.evaluate(() => window.dfplay.redraw(1));
  while (await page.evaluate(analysing)) await sleep(5);
  return Date.now() - t0;
}
async function focusEnd(page) {
  const e = await page.evaluate(() => window.dfplay.state().ui.editor);
  await page.mouse.click(e.x + e.width / 2, e.y + e.height / 3);
  await page.evaluate(() => window.dfplay.redraw(2));
  await page.keyboard.press('Control+End');
  await page.evaluate(() => window.dfplay.redraw(2));
}
async function paste(page, text) {
  await page.evaluate((t) => navigator.clipboard.writeText(t), text);
  await focusEnd(page);
  await page.evaluate(() => window.dfplay.analysed && window.dfplay.analysed());
  await page.keyboard.press('Control+A');
  await longReset(page);
  const m0 = await metrics(page);
  const t0 = Date.now();
  await page.keyboard.press('Control+V');
  // Cheap probes only: state() of a big Dockerfile is itself a long task (its whole JSON).
  const probe = (n) => (Module.dfplayAnalysing ? Module.dfplayAnalysing() || Module.dfplayTextBytes() === n
                                                : window.dfplay.state().dockerfile.length === n);
  while (!(await page.evaluate(probe, text.length)))
    await sleep(5);
  const inState = Date.now() - t0;
  const analysed = await untilAnalysed(page, t0);
  await sleep(1000);
  return { bytes: text.length, until_in_state_ms: inState, until_result_ms: analysed, ...(await longRead(page)),
           main_thread: await since(page, m0) };
}

// Typing N characters at the end of the text (the page has it loaded and analysed).
async function typing(page) {
  await focusEnd(page);
  await page.evaluate(() => window.dfplay.analysed && window.dfplay.analysed());
  await sleep(1000);  // the accessibility mirror and the autosave after the load
  await page.evaluate(() => { Module.dfplayFrameTimes(true); if (Module.dfplaySliceTimes) Module.dfplaySliceTimes(true); });
  await longReset(page);
  const m0 = await metrics(page);
  const typed = '\nRUN echo typing benchmark';
  let last = 0;
  for (const ch of typed) {
    last = Date.now();
    await page.keyboard.type(ch);
    await page.evaluate(() => window.dfplay.redraw(1));
  }
  const result = await untilAnalysed(page, last);
  await sleep(1000);
  // Inside the page: from the last keydown event (its timestamp) to the end of the first frame
  // that showed the analysis of the text it made (Module.dfplayResultShownAt). No round trips
  // to this process in it, unlike last_key_to_result_ms (which polls from here).
  const inPage = await page.evaluate(() => (Module.dfplayResultShownAt ? Module.dfplayResultShownAt() - window.__lastKey : null));
  const main = await since(page, m0);
  const frames = await page.evaluate(() => Module.dfplayFrameTimes(true));
  const slices = await page.evaluate(() => (Module.dfplaySliceTimes ? Module.dfplaySliceTimes(true) : []));
  const long = await longRead(page);
  const text = await page.evaluate(() => window.dfplay.state().dockerfile.endsWith('RUN echo typing benchmark'));
  return {
    lines: await page.evaluate(() => window.dfplay.state().dockerfile.split('\n').length),
    keystrokes: typed.length, text_arrived: text, frames: frames.length,
    frame_ms: { p50: round(pct(frames, 50)), p95: round(pct(frames, 95)), max: round(Math.max(...frames)) },
    slices: slices.length, slice_ms: { p50: round(pct(slices, 50)), p95: round(pct(slices, 95)), max: slices.length ? round(Math.max(...slices)) : null },
    last_key_to_result_ms: result, last_key_to_result_shown_in_page_ms: inPage == null ? null : round(inPage), ...long,
    main_thread: main,
  };
}

// Clicks a widget the app published (state().ui.widgets) like a person: move, a frame, press, a frame, release.
async function click(page, name) {
  let r = null;
  for (let i = 0; i < 400 && !r; ++i) {
    r = await page.evaluate((n) => window.dfplay.state().ui.widgets[n], name);
    if (!r) await sleep(25);
  }
  if (!r) throw new Error(`no widget ${name}`);
  const x = r.x + r.width / 2, y = r.y + r.height / 2;
  await page.mouse.move(x, y);
  await page.evaluate(() => window.dfplay.redraw(2));
  await page.mouse.down();
  await page.evaluate(() => window.dfplay.redraw(2));
  await page.mouse.up();
  await page.evaluate(() => window.dfplay.redraw(2));
}

// The Compare button with big.Dockerfile in the editor.
async function compare(page) {
  await page.evaluate((text) => { window.dfplay.load({ dockerfile: text }); }, big);
  await untilAnalysed(page, Date.now());
  await click(page, 'menu:View');
  await click(page, 'view:Compare');
  await untilAnalysed(page, Date.now());  // (the what-ifs of the Compare tab, if any)
  await sleep(1000);
  const r = await page.evaluate(() => window.dfplay.state().ui.widgets['button:compare']);
  await longReset(page);
  const m0 = await metrics(page);
  await page.mouse.move(r.x + r.width / 2, r.y + r.height / 2);
  await page.evaluate(() => window.dfplay.redraw(2));
  await page.mouse.down();
  await page.evaluate(() => window.dfplay.redraw(1));
  const t0 = Date.now();
  await page.mouse.up();
  await page.evaluate(() => window.dfplay.redraw(1));
  const result = await untilAnalysed(page, t0);
  await sleep(1000);
  const main = await since(page, m0);
  const s = await page.evaluate(() => { const c = window.dfplay.state().compare; return c && { diff: !!c.diff, run: c.diff && c.diff.cache.summary.run }; });
  return { compared: s, until_result_ms: result, ...(await longRead(page)), main_thread: main };
}

// The embed scenario: a host page of another origin with one instance.
const hostHtml = `<!doctype html><body style="margin:0"><script type="module" src="${srv.url}embed.js"></script>
<dockerfile-playground id="p" height="760"><pre>FROM alpine</pre></dockerfile-playground></body>`;
const hostServer = createServer((req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end(hostHtml));
await new Promise((r) => hostServer.listen(0, '127.0.0.1', r));
async function embedTyping() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(`http://127.0.0.1:${hostServer.address().port}/`);
  await page.evaluate(async () => {
    await customElements.whenDefined('dockerfile-playground');
    const el = document.getElementById('p');
    await el.ready;
    window.__changes = 0;
    el.addEventListener('dfplay-change', () => { window.__changes++; });
  });
  const frame = page.frames().find((f) => f.url().includes('embed=1'));
  await frame.evaluate(() => {
    window.__long = [];
    new PerformanceObserver((list) => { for (const t of list.getEntries()) window.__long.push(t.duration); })
      .observe({ type: 'longtask', buffered: false });
  });
  const t0 = Date.now();
  await page.evaluate(async (text) => { await document.getElementById('p').load({ dockerfile: text }); }, big);
  const load = { round_trip_ms: Date.now() - t0, ...(await longRead(frame)) };
  await sleep(1000);
  const e = await frame.evaluate(() => window.dfplay.state().ui.editor);
  const box = await page.locator('dockerfile-playground iframe').boundingBox();
  await page.mouse.click(box.x + e.x + e.width / 2, box.y + e.y + e.height / 3);
  await page.keyboard.press('Control+End');
  await sleep(1000);
  await longReset(frame);
  await page.evaluate(() => { window.__changes = 0; });
  for (let i = 0; i < 20; ++i) {
    await page.keyboard.type(i % 2 ? 'x' : '#');
    await sleep(400);  // each key analysed and its summary posted before the next
  }
  await sleep(1500);
  const typing = { keystrokes: 20, ...(await longRead(frame)), change_events: await page.evaluate(() => window.__changes) };
  await context.close();
  return { load, typing };
}

const oneK = big.split('\n').slice(0, 1000).join('\n') + '\n';
const out = { runs, big: { bytes: big.length, lines: big.split('\n').length }, load_average_at_start: os.loadavg().map((x) => round(x, 2)) };
const all = { load_big: [], typing_big: [], typing_1k: [], compare_big: [], paste_big: [], paste_5mb: [], embed_typing_big: [], units: [] };
try {
  for (let r = 0; r < runs; ++r) {
    const { context, page } = await open();
    // ---- load ----
    await longReset(page);
    const lm0 = await metrics(page);
    const t0 = Date.now();
    const callMs = await page.evaluate((text) => { const a = performance.now(); window.dfplay.load({ dockerfile: text }); return performance.now() - a; }, big);
    const loadResult = await untilAnalysed(page, t0);
    await sleep(1000);
    all.load_big.push({ call_ms: round(callMs), until_result_ms: loadResult, ...(await longRead(page)), main_thread: await since(page, lm0) });
    all.units.push(await page.evaluate(() => (Module.dfplayAnalysisUnits ? Module.dfplayAnalysisUnits() : [])));

    // ---- typing ----
    all.typing_big.push(await typing(page));
    await context.close();
    // (a fresh page for each scenario below: the layer cache and the Compare state start empty)
    const p1k = await open();
    await p1k.page.evaluate((text) => { window.dfplay.load({ dockerfile: text }); }, oneK);
    await untilAnalysed(p1k.page, Date.now());
    all.typing_1k.push(await typing(p1k.page));
    await p1k.context.close();

    // ---- compare mode ----
    const pc = await open();
    all.compare_big.push(await compare(pc.page));
    await pc.context.close();

    const pp = await open();
    const page2 = pp.page;
    // ---- pastes ----
    all.paste_big.push(await paste(page2, big));
    all.paste_5mb.push(await paste(page2, five));
    await pp.context.close();

    // ---- an embedded instance ----
    all.embed_typing_big.push(await embedTyping());
  }
  // Units: the last run's list, summarised.
  const units = all.units[all.units.length - 1];
  const byKind = {};
  for (const [what, ms] of units) {
    const k = byKind[what] || (byKind[what] = { count: 0, total_ms: 0, max_ms: 0 });
    k.count++;
    k.total_ms += ms;
    k.max_ms = Math.max(k.max_ms, ms);
  }
  for (const k of Object.values(byKind)) { k.total_ms = round(k.total_ms); k.max_ms = round(k.max_ms); }
  out.units = { count: units.length, total_ms: round(units.reduce((a, [, ms]) => a + ms, 0)),
                total_ms_per_run: all.units.map((u) => round(u.reduce((a, [, ms]) => a + ms, 0))), by_kind: byKind };
  out.load_big = all.load_big;
  out.typing_big = all.typing_big;
  out.typing_1k = all.typing_1k;
  out.compare_big = all.compare_big;
  out.paste_big = all.paste_big;
  out.paste_5mb = all.paste_5mb;
  out.embed_typing_big = all.embed_typing_big;
  out.summary = {
    load_big_longest_task_ms: median(all.load_big.map((x) => x.longest_task_ms)),
    typing_frame_p95_ms: median(all.typing_big.map((x) => x.frame_ms.p95)),
    typing_longest_task_ms: median(all.typing_big.map((x) => x.longest_task_ms)),
    typing_last_key_to_result_ms: median(all.typing_big.map((x) => x.last_key_to_result_ms)),
    typing_layout_ms: median(all.typing_big.map((x) => x.main_thread.layout_ms)),
    typing_1k_last_key_to_result_ms: median(all.typing_1k.map((x) => x.last_key_to_result_ms)),
    typing_last_key_to_result_shown_in_page_ms: median(all.typing_big.map((x) => x.last_key_to_result_shown_in_page_ms)),
    typing_1k_last_key_to_result_shown_in_page_ms: median(all.typing_1k.map((x) => x.last_key_to_result_shown_in_page_ms)),
    load_big_layout_ms: median(all.load_big.map((x) => x.main_thread.layout_ms)),
    compare_big_longest_task_ms: median(all.compare_big.map((x) => x.longest_task_ms)),
    compare_big_until_result_ms: median(all.compare_big.map((x) => x.until_result_ms)),
    longest_unit_ms: Math.max(...all.units.flat().map(([, ms]) => ms)),
    paste_big_longest_task_ms: median(all.paste_big.map((x) => x.longest_task_ms)),
    paste_5mb_longest_task_ms: median(all.paste_5mb.map((x) => x.longest_task_ms)),
    paste_5mb_until_in_state_ms: median(all.paste_5mb.map((x) => x.until_in_state_ms)),
    embed_load_big_longest_task_ms: median(all.embed_typing_big.map((x) => x.load.longest_task_ms)),
    embed_typing_longest_task_ms: median(all.embed_typing_big.map((x) => x.typing.longest_task_ms)),
    embed_typing_long_tasks: median(all.embed_typing_big.map((x) => x.typing.long_tasks)),
  };
  out.load_average_at_end = os.loadavg().map((x) => round(x, 2));
} finally {
  await browser.close();
  await srv.close();
  hostServer.close();
}
console.log(JSON.stringify(out, null, 2));
