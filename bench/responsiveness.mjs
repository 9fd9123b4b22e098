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
//              until its result (state().analysing false);
//   paste_big  big.Dockerfile pasted over the text (Ctrl+A, Ctrl+V): the longest task, the time
//              until the text is in the state and until its result;
//   paste_5mb  the same with ~5 MB (over the 2 MiB input limit: refused with a message).
//   node bench/responsiveness.mjs [--site DIR] [--big FILE] [--runs N]
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

import { serve } from '../web/server.mjs';

const repo = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const site = path.resolve(opt('--site', path.join(repo, 'build/web/site')));
const bigFile = path.resolve(opt('--big', path.join(repo, '../shared/bench/big.Dockerfile')));
const runs = Number(opt('--runs', 3));
const CHROMIUM = process.env.DFPLAY_CHROMIUM || '/usr/bin/chromium';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : null;
};
const round = (x, d = 1) => (x == null ? null : Math.round(x * 10 ** d) / 10 ** d);
const median = (xs) => pct(xs, 50);

const big = readFileSync(bigFile, 'utf8');
let five = '';
while (five.length < 5e6) five += big;

const srv = await serve({ root: site, port: 0 });
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true,
  args: ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });

async function open() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: srv.url });
  const page = await context.newPage();
  await page.goto(srv.url);
  await page.evaluate(async () => {
    for (let i = 0; i < 600 && !(window.dfplay && window.dfplay.ready); ++i) await new Promise((r) => setTimeout(r, 50));
    await window.dfplay.ready;
  });
  // Long tasks from here on (the observer records tasks over 50 ms).
  await page.evaluate(() => {
    window.__long = [];
    new PerformanceObserver((list) => { for (const t of list.getEntries()) window.__long.push(t.duration); })
      .observe({ type: 'longtask', buffered: false });
  });
  return { context, page };
}
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
  const t0 = Date.now();
  await page.keyboard.press('Control+V');
  // Cheap probes only: state() of a big Dockerfile is itself a long task (its whole JSON).
  const probe = (n) => (Module.dfplayAnalysing ? Module.dfplayAnalysing() || Module.dfplayTextBytes() === n
                                                : window.dfplay.state().dockerfile.length === n);
  while (!(await page.evaluate(probe, text.length)))
    await sleep(5);
  const inState = Date.now() - t0;
  const analysed = await untilAnalysed(page, t0);
  await sleep(300);
  return { bytes: text.length, until_in_state_ms: inState, until_result_ms: analysed, ...(await longRead(page)) };
}

const out = { runs, big: { bytes: big.length, lines: big.split('\n').length } };
const all = { load_big: [], typing_big: [], paste_big: [], paste_5mb: [], units: [] };
try {
  for (let r = 0; r < runs; ++r) {
    const { context, page } = await open();
    // ---- load ----
    await longReset(page);
    const t0 = Date.now();
    const callMs = await page.evaluate((text) => { const a = performance.now(); window.dfplay.load({ dockerfile: text }); return performance.now() - a; }, big);
    const loadResult = await untilAnalysed(page, t0);
    await sleep(300);
    all.load_big.push({ call_ms: round(callMs), until_result_ms: loadResult, ...(await longRead(page)) });
    all.units.push(await page.evaluate(() => (Module.dfplayAnalysisUnits ? Module.dfplayAnalysisUnits() : [])));

    // ---- typing ----
    await focusEnd(page);
    await page.evaluate(() => window.dfplay.analysed && window.dfplay.analysed());
    await page.evaluate(() => { Module.dfplayFrameTimes(true); if (Module.dfplaySliceTimes) Module.dfplaySliceTimes(true); });
    await longReset(page);
    const typed = '\nRUN echo typing benchmark';
    let last = 0;
    for (const ch of typed) {
      last = Date.now();
      await page.keyboard.type(ch);
      await page.evaluate(() => window.dfplay.redraw(1));
    }
    const result = await untilAnalysed(page, last);
    await sleep(300);
    const frames = await page.evaluate(() => Module.dfplayFrameTimes(true));
    const slices = await page.evaluate(() => (Module.dfplaySliceTimes ? Module.dfplaySliceTimes(true) : []));
    const long = await longRead(page);
    const text = await page.evaluate(() => window.dfplay.state().dockerfile.endsWith('RUN echo typing benchmark'));
    all.typing_big.push({
      keystrokes: typed.length, text_arrived: text, frames: frames.length,
      frame_ms: { p50: round(pct(frames, 50)), p95: round(pct(frames, 95)), max: round(Math.max(...frames)) },
      slices: slices.length, slice_ms: { p50: round(pct(slices, 50)), p95: round(pct(slices, 95)), max: slices.length ? round(Math.max(...slices)) : null },
      last_key_to_result_ms: result, ...long,
    });

    // ---- pastes ----
    all.paste_big.push(await paste(page, big));
    all.paste_5mb.push(await paste(page, five));
    await context.close();
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
  out.paste_big = all.paste_big;
  out.paste_5mb = all.paste_5mb;
  out.summary = {
    load_big_longest_task_ms: median(all.load_big.map((x) => x.longest_task_ms)),
    typing_frame_p95_ms: median(all.typing_big.map((x) => x.frame_ms.p95)),
    typing_longest_task_ms: median(all.typing_big.map((x) => x.longest_task_ms)),
    typing_last_key_to_result_ms: median(all.typing_big.map((x) => x.last_key_to_result_ms)),
    paste_big_longest_task_ms: median(all.paste_big.map((x) => x.longest_task_ms)),
    paste_5mb_longest_task_ms: median(all.paste_5mb.map((x) => x.longest_task_ms)),
    paste_5mb_until_in_state_ms: median(all.paste_5mb.map((x) => x.until_in_state_ms)),
  };
} finally {
  await browser.close();
  await srv.close();
}
console.log(JSON.stringify(out, null, 2));
