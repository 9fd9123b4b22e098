// What the app's long main-thread tasks are made of (issue 13: no task over 50 ms). Loads the app
// in headless Chromium, records a Chrome trace (devtools.timeline) over one scenario, and prints
// every renderer main-thread task over --min ms (default 30) with what ran inside it: the JS entry
// (animation frame, message, timer, event of type X) and the longest JS functions called.
//   node bench/trace-long-tasks.mjs [--site DIR] [--big FILE] [--scenario load|paste|paste5mb|type1k] [--min MS] [--out trace.json]
import { readFileSync, writeFileSync } from 'node:fs';

import { chromium } from 'playwright-core';

import { serve } from '../web/server.mjs';
import { bigFile, CHROMIUM, CHROMIUM_ARGS, opt, round, site, sleep } from './browser-common.mjs';

const scenario = opt('--scenario', 'load');
const minMs = Number(opt('--min', 30));
const big = readFileSync(bigFile, 'utf8');

const srv = await serve({ root: site, port: 0 });
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: srv.url });
  const page = await context.newPage();
  await page.goto(srv.url);
  await page.evaluate(async () => {
    for (let i = 0; i < 600 && !(window.dfplay && window.dfplay.ready); ++i) await new Promise((r) => setTimeout(r, 50));
    await window.dfplay.ready;
  });
  const analysed = async () => {
    await page.evaluate(() => window.dfplay.redraw(1));
    while (await page.evaluate(() => Module.dfplayAnalysing())) await sleep(5);
  };
  const focusEnd = async () => {
    const e = await page.evaluate(() => window.dfplay.state().ui.editor);
    await page.mouse.click(e.x + e.width / 2, e.y + e.height / 3);
    await page.evaluate(() => window.dfplay.redraw(2));
    await page.keyboard.press('Control+End');
    await page.evaluate(() => window.dfplay.redraw(2));
  };
  let text = big;
  if (scenario === 'paste5mb') while (text.length < 5e6) text += big;
  if (scenario === 'type1k') {
    await page.evaluate((t) => window.dfplay.load({ dockerfile: t }), big.split('\n').slice(0, 1000).join('\n') + '\n');
    await analysed();
  }
  if (scenario.startsWith('paste')) {
    await page.evaluate((t) => navigator.clipboard.writeText(t), text);
    await focusEnd();
    await page.keyboard.press('Control+A');
  }
  if (scenario === 'type1k') await focusEnd();
  await sleep(1500);
  await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'blink.user_timing'] });
  const t0 = Date.now();
  if (scenario === 'load') await page.evaluate((t) => window.dfplay.load({ dockerfile: t }), big);
  else if (scenario.startsWith('paste')) await page.keyboard.press('Control+V');
  else if (scenario === 'type1k') {
    for (const ch of '\nRUN echo hi') await page.keyboard.type(ch);
  }
  await sleep(300);
  await analysed();
  const until = Date.now() - t0;
  await sleep(1500);
  const buf = await browser.stopTracing();
  const out = opt('--out', null);
  if (out) writeFileSync(out, buf);
  const events = JSON.parse(buf.toString()).traceEvents;
  // The renderer's main thread: the thread named CrRendererMain of the page's process.
  const main = events.find((e) => e.name === 'thread_name' && e.args && e.args.name === 'CrRendererMain' &&
    events.some((x) => x.pid === e.pid && x.name === 'FunctionCall'));
  const mine = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.dur != null);
  const tasks = mine.filter((e) => e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask').sort((a, b) => a.ts - b.ts);
  const report = [];
  for (const t of tasks) {
    if (t.dur / 1000 < minMs) continue;
    const inside = mine.filter((e) => e !== t && e.ts >= t.ts && e.ts + e.dur <= t.ts + t.dur && e.dur / 1000 >= 2);
    const parts = inside.map((e) => {
      const d = e.args && e.args.data || {};
      const what = [e.name, d.type, d.functionName, d.url && d.url.split('/').pop() + ':' + d.lineNumber].filter(Boolean).join(' ');
      return `${round(e.dur / 1000)} ms ${what}`;
    });
    report.push({ at_ms: round((t.ts - tasks[0].ts) / 1000), task_ms: round(t.dur / 1000), inside: [...new Set(parts)].slice(0, 14) });
  }
  console.log(JSON.stringify({ scenario, until_result_ms: until, tasks_over_min: report }, null, 1));
} finally {
  await browser.close();
  await srv.close();
}
