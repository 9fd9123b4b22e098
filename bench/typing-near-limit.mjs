// Is a Dockerfile just under the size limit (2 MiB, limits::kMaxInputBytes) usable in the app's
// editor, which is Dear ImGui's text input? Loads big.Dockerfile repeated to just under the limit
// (and, for comparison, big.Dockerfile once), puts the cursor at its end, types 20 characters one
// per frame and prints the app's frame times (Module.dfplayFrameTimes: JS + wasm + WebGL of one
// frame, not Chromium's compositing) p50/p95/max, and the time from a key sent to its frame drawn
// (polled from here: includes round trips).
//   node bench/typing-near-limit.mjs [--site DIR] [--big FILE]
import os from 'node:os';
import { readFileSync } from 'node:fs';

import { chromium } from 'playwright-core';

import { serve } from '../web/server.mjs';
import { bigFile, CHROMIUM, CHROMIUM_ARGS, pct, round, site, sleep } from './browser-common.mjs';

const LIMIT = 2 << 20;
const big = readFileSync(bigFile, 'utf8');
let near = '';
while (Buffer.byteLength(near + big) <= LIMIT) near += big;

const srv = await serve({ root: site, port: 0 });
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
const out = { load_average: os.loadavg().map((x) => round(x, 2)), texts: [] };
try {
  for (const text of [big, near]) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(srv.url + '/?example=node-multistage');  // (no autosave of the text)
    await page.evaluate(async () => {
      for (let i = 0; i < 600 && !(window.dfplay && window.dfplay.ready); ++i) await new Promise((r) => setTimeout(r, 50));
      await window.dfplay.ready;
    });
    await page.evaluate((t) => { window.dfplay.load({ dockerfile: t }); }, text);
    await page.evaluate(() => window.dfplay.analysed());
    const e = await page.evaluate(() => window.dfplay.state().ui.editor);
    await page.mouse.click(e.x + e.width / 2, e.y + e.height / 3);
    await page.evaluate(() => window.dfplay.redraw(2));
    await page.keyboard.press('Control+End');
    await page.evaluate(() => window.dfplay.redraw(2));
    await page.evaluate(() => window.dfplay.analysed());
    await sleep(1500);  // the accessibility mirror and the autosave after the load
    await page.evaluate(() => Module.dfplayFrameTimes(true));
    const keyToFrame = [];
    for (const ch of '\nLABEL typed=near-limit') {
      const t0 = Date.now();
      await page.keyboard.type(ch);
      await page.evaluate(() => window.dfplay.redraw(1));
      keyToFrame.push(Date.now() - t0);
    }
    const frames = await page.evaluate(() => Module.dfplayFrameTimes(true));
    const ok = await page.evaluate(() => window.dfplay.state().dockerfile.endsWith('LABEL typed=near-limit'));
    out.texts.push({ bytes: Buffer.byteLength(text), mib: round(Buffer.byteLength(text) / LIMIT * 2, 3), typed_ok: ok, frames: frames.length,
                     frame_ms: { p50: round(pct(frames, 50)), p95: round(pct(frames, 95)), max: round(Math.max(...frames)) },
                     key_to_frame_polled_ms: { p50: round(pct(keyToFrame, 50)), p95: round(pct(keyToFrame, 95)) } });
    await context.close();
  }
} finally {
  await browser.close();
  await srv.close();
}
console.log(JSON.stringify(out, null, 1));
