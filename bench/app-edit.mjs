// The app's own analysis of a one-line edit (issue 13: "a one-line edit in the app at most 50 ms"),
// in headless Chromium: big.Dockerfile loaded, then --edits edits, each changing the RUN line
// nearest the middle into a text not seen before (as typing does: the RUN's effect is simulated
// again, the rest comes from the run cache), each waited for (dfplay.analysed()). Per edit: the
// units of work of its analysis (Module.dfplayAnalysisUnits: the core's PipelineJob in the app's
// -Os wasm, the time inside the slices, not the frames between them) summed, and by kind; and the
// analysis slices' whole time (Module.dfplaySliceTimes: the units, installing the result and the
// app's work per slice).
// With several --site folders the edits alternate between them, one page each (A/B in the same
// minutes). Prints one JSON object per site: {site, edits, total_ms, slices_ms ({median, min, max}), by_kind}.
//   node bench/app-edit.mjs [--site DIR]... [--big FILE] [--edits N]
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { chromium } from 'playwright-core';

import { serve } from '../web/server.mjs';
import { args, bigFile, CHROMIUM, CHROMIUM_ARGS, median, opt, repo, round } from './browser-common.mjs';

const sites = [];
for (let i = 0; i < args.length; ++i) if (args[i] === '--site' && i + 1 < args.length) sites.push(path.resolve(args[++i]));
if (!sites.length) sites.push(path.join(repo, 'build/web/site'));
const edits = Number(opt('--edits', 15));
const big = readFileSync(bigFile, 'utf8');
const mid = big.indexOf('\nRUN ', big.length >> 1);
const edited = (i) => (mid < 0 ? `${big}\n# edit ${i}` : `${big.slice(0, mid + 5)}true ${i} && ${big.slice(mid + 5)}`);

const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
const apps = [];
try {
  for (const dir of sites) {
    const srv = await serve({ root: dir, port: 0, quiet: true });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(srv.url);
    await page.evaluate(() => window.dfplay.ready);
    await page.evaluate(async (text) => { window.dfplay.load({ dockerfile: text }); await window.dfplay.analysed(); }, big);
    apps.push({ dir, srv, page, totals: [], slices: [], kinds: {} });
  }
  // Two warm-up edits each (the first edits after a load are slower: the heap grows).
  for (let i = -2; i < edits; ++i) {
    for (const app of apps) {
      const { units, slices } = await app.page.evaluate(async (text) => {
        Module.dfplaySliceTimes(true);
        window.dfplay.load({ dockerfile: text });
        await window.dfplay.analysed();
        return { units: Module.dfplayAnalysisUnits(), slices: Module.dfplaySliceTimes() };
      }, edited(i + 3));
      if (i < 0) continue;
      const by = {};
      for (const [what, ms] of units) by[what] = (by[what] || 0) + ms;
      app.totals.push(units.reduce((a, [, ms]) => a + ms, 0));
      app.slices.push(slices.reduce((a, ms) => a + ms, 0));
      for (const [k, v] of Object.entries(by)) (app.kinds[k] ||= []).push(v);
    }
  }
} finally {
  await browser.close();
  for (const app of apps) await app.srv.close();
}
const out = apps.map((a) => ({
  site: a.dir,
  edits,
  total_ms: { median: round(median(a.totals)), min: round(Math.min(...a.totals)), max: round(Math.max(...a.totals)) },
  slices_ms: { median: round(median(a.slices)), min: round(Math.min(...a.slices)), max: round(Math.max(...a.slices)) },
  by_kind: Object.fromEntries(Object.entries(a.kinds).map(([k, v]) => [k, round(median(v))])),
}));
console.log(JSON.stringify(out.length === 1 ? out[0] : out, null, 1));
