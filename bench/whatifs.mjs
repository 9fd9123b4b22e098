// The app's main thread while the Compare tab's what-ifs are made (each runs several whole
// simulated builds). Headless Chromium (Debian's, through playwright-core), the site served by
// web/server.mjs, a fresh page per scenario. Prints one JSON object:
//   tab_seed    the seed tutorial's naive Node image (node-naive: four what-ifs) loaded, then the
//               Compare tab opened with the real menu (View > Compare): the longest main-thread task
//               ('longtask' PerformanceObserver: tasks over 50 ms), the longest frame
//               (Module.dfplayFrameTimes) and analysis slice (Module.dfplaySliceTimes), and the time
//               from the click until the what-ifs are made (Module.dfplayAnalysing() false after the
//               tab is drawn: it covers the what-ifs the tab asked for);
//   tab_big     the same with ../shared/bench/big.Dockerfile;
//   typing_seed typing 12 characters into node-naive with the Compare tab open (a comment line at
//               the end): the longest task, frame and slice, and the time from the last keystroke
//               until the what-ifs are the new text's;
//   compare_seed the Compare button on node-naive with the Compare tab open: the comparison, then
//               the what-ifs (unchanged input: none to make) - the longest task and until done.
// Each scenario reports the what-ifs made (dfplay.whatIfs(), read after it is done: the list is
// current, nothing is computed) and the machine's load average at its start (the machine is shared).
// An app from before the what-ifs were stepped (--site of an older build) makes them inside the
// frame that draws the tab: there too the end is Module.dfplayAnalysing() false after that frame.
//   node bench/whatifs.mjs [--site DIR] [--big FILE] [--runs N]
import { readFileSync } from 'node:fs';
import os from 'node:os';

import { chromium } from 'playwright-core';

import { serve } from '../web/server.mjs';
import { bigFile, CHROMIUM, CHROMIUM_ARGS, opt, pct, round, site, sleep } from './browser-common.mjs';

const runs = Number(opt('--runs', 3));
const median = (xs) => pct(xs, 50);
const big = readFileSync(bigFile, 'utf8');

const srv = await serve({ root: site, port: 0 });
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });

async function open() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(srv.url);
  await page.evaluate(async () => {
    for (let i = 0; i < 600 && !(window.dfplay && window.dfplay.ready); ++i) await new Promise((r) => setTimeout(r, 50));
    await window.dfplay.ready;
    window.__long = [];
    new PerformanceObserver((list) => { for (const t of list.getEntries()) window.__long.push(t.duration); })
      .observe({ type: 'longtask', buffered: false });
  });
  return { context, page };
}

const busy = () => Module.dfplayAnalysing();
async function idle(page) {
  await page.evaluate(() => window.dfplay.redraw(2));
  while (await page.evaluate(busy)) await sleep(5);
}
async function reset(page) {
  await page.evaluate(() => { window.__long = []; Module.dfplayFrameTimes(true); Module.dfplaySliceTimes(true); });
}
async function readTimes(page) {
  const { long, frames, slices } = await page.evaluate(() => ({
    long: window.__long.slice(), frames: Module.dfplayFrameTimes(true), slices: Module.dfplaySliceTimes(true),
  }));
  return {
    longest_task_ms: round(long.length ? Math.max(...long) : 0), long_tasks: long.length,
    frames: frames.length, frame_max_ms: round(frames.length ? Math.max(...frames) : 0),
    slices: slices.length, slice_max_ms: round(slices.length ? Math.max(...slices) : 0),
  };
}
// The what-ifs made (after the scenario: the list is the current content's, nothing is computed).
const whatIfs = (page) => page.evaluate(() => window.dfplay.whatIfs().map((w) => w.id));

// Clicks a widget the app published (state().ui.widgets) like a person: move, a frame, press, a frame, release.
async function widget(page, name) {
  let r = null;
  for (let i = 0; i < 400 && !r; ++i) {
    r = await page.evaluate((n) => window.dfplay.state().ui.widgets[n], name);
    if (!r) await sleep(25);
  }
  if (!r) throw new Error(`no widget ${name}`);
  return r;
}
async function click(page, name, measure) {
  const r = await widget(page, name);
  await page.mouse.move(r.x + r.width / 2, r.y + r.height / 2);
  await page.evaluate(() => window.dfplay.redraw(2));
  await page.mouse.down();
  await page.evaluate(() => window.dfplay.redraw(1));
  if (measure) await measure();
  const t0 = Date.now();
  await page.mouse.up();
  await page.evaluate(() => window.dfplay.redraw(2));
  return t0;
}

// The Compare tab opened with `load` in the editor.
async function openTab(load) {
  const { context, page } = await open();
  const loadAverage = os.loadavg()[0];
  await load(page);
  await idle(page);
  await sleep(500);
  await click(page, 'menu:View');
  const t0 = await click(page, 'view:Compare', () => reset(page));
  await idle(page);
  const untilDone = Date.now() - t0;
  await sleep(500);
  const out = { until_done_ms: untilDone, ...(await readTimes(page)), what_ifs: await whatIfs(page), load_average: round(loadAverage, 2) };
  await context.close();
  return out;
}

async function typingSeed() {
  const { context, page } = await open();
  const loadAverage = os.loadavg()[0];
  await page.evaluate(() => window.dfplay.loadExample('node-naive'));
  await page.evaluate(() => window.dfplay.showTab('compare'));
  await idle(page);
  const e = await page.evaluate(() => window.dfplay.state().ui.editor);
  await page.mouse.click(e.x + e.width / 2, e.y + e.height / 3);
  await page.keyboard.press('Control+End');
  await idle(page);
  await sleep(500);
  await reset(page);
  let last = 0;
  for (const ch of '\n# a comment') {
    last = Date.now();
    await page.keyboard.type(ch);
    await page.evaluate(() => window.dfplay.redraw(1));
  }
  await idle(page);
  const untilDone = Date.now() - last;
  await sleep(500);
  const out = { until_done_ms: untilDone, ...(await readTimes(page)), what_ifs: await whatIfs(page), load_average: round(loadAverage, 2) };
  await context.close();
  return out;
}

async function compareSeed() {
  const { context, page } = await open();
  const loadAverage = os.loadavg()[0];
  await page.evaluate(() => window.dfplay.loadExample('node-naive'));
  await page.evaluate(() => window.dfplay.showTab('compare'));
  await idle(page);
  await sleep(500);
  const t0 = await click(page, 'button:compare', () => reset(page));
  await idle(page);
  const untilDone = Date.now() - t0;
  await sleep(500);
  const compared = await page.evaluate(() => !!window.dfplay.state().compare.diff);
  const out = { compared, until_done_ms: untilDone, ...(await readTimes(page)), what_ifs: await whatIfs(page), load_average: round(loadAverage, 2) };
  await context.close();
  return out;
}

const out = { runs, site, big: { bytes: big.length, lines: big.split('\n').length } };
const all = { tab_seed: [], tab_big: [], typing_seed: [], compare_seed: [] };
try {
  for (let r = 0; r < runs; ++r) {
    all.tab_seed.push(await openTab((page) => page.evaluate(() => window.dfplay.loadExample('node-naive'))));
    all.tab_big.push(await openTab((page) => page.evaluate((text) => { window.dfplay.load({ dockerfile: text }); }, big)));
    all.typing_seed.push(await typingSeed());
    all.compare_seed.push(await compareSeed());
  }
  Object.assign(out, all);
  out.summary = {};
  for (const [k, v] of Object.entries(all)) {
    out.summary[k] = {
      longest_task_ms: median(v.map((x) => x.longest_task_ms)), frame_max_ms: median(v.map((x) => x.frame_max_ms)),
      slice_max_ms: median(v.map((x) => x.slice_max_ms)), until_done_ms: median(v.map((x) => x.until_done_ms)),
      what_ifs: v[0].what_ifs.length,
    };
  }
} finally {
  await browser.close();
  await srv.close();
}
console.log(JSON.stringify(out, null, 2));
