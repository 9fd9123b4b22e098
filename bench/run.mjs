// The second half of bench/run (which builds what is needed first): runs every benchmark, prints
// one table and writes it to bench/results/latest.md with the date, CPU model and core count.
//   node bench/run.mjs [--quick] [--no-browser] [--no-parse]
// Sources of the figures:
//   parse            bench/run-parse-bench --no-callgrind (native parse_bench; the parser in wasm
//                    and dockerfile-ast 0.7.1 under Node, same run)
//   dfplay parse     the whole CLI process on big.Dockerfile (median of runs) against the parse
//                    alone in-process (parse_bench's MB/s) plus process start (`dfplay --version`)
//   analysis, edit   bench/workspace_bench (native) and bench/node/workspace.mjs (wasm JS API)
//   JS API build()   bench/node/workspace.mjs (the stateless build() of the JS API module)
//   sizes            web/site-size.mjs on build/web/site (what web/server.mjs sends)
//   browser          bench/browser.mjs (headless Chromium); the app's one-line edit bench/app-edit.mjs
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { transferSizes } from '../web/site-size.mjs';

const repo = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const shared = path.resolve(process.env.DFPLAY_SHARED_DIR || path.join(repo, '..', 'shared'));
const big = path.join(shared, 'bench', 'big.Dockerfile');
const inputs = path.join(repo, 'build', 'bench-inputs');
const native = path.join(repo, 'build', 'native');
const site = path.join(repo, 'build', 'web', 'site');
const minTime = quick ? '0.2' : '0.5';

const load = () => os.loadavg().map((x) => x.toFixed(1)).join(' ');
const cpuModel = (() => {
  try {
    const m = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    return m ? m[1].trim() : os.cpus()[0].model;
  } catch {
    return os.cpus()[0]?.model || 'unknown';
  }
})();
const started = new Date();
const loadStart = load();
const log = (s) => process.stderr.write(`bench/run: ${s}\n`);
const run = (cmd, argv, opts = {}) => execFileSync(cmd, argv, { encoding: 'utf8', maxBuffer: 64 << 20, cwd: repo, ...opts });
const ms = (x, d = 2) => (x === undefined || x === null || Number.isNaN(x) ? 'n/a' : `${x.toFixed(d)} ms`);
const kb = (n) => `${(n / 1000).toFixed(1)} KB`;
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

const rows = [];  // [section, measure, value, note]
const row = (section, measure, value, note = '') => rows.push([section, measure, value, note]);

if (!existsSync(big)) {
  console.error(`bench/run: ${big} is absent: the benchmarks need ../shared/bench`);
  process.exit(1);
}
mkdirSync(inputs, { recursive: true });
const gen = {};
for (const n of [1000, 10000, 100000]) {
  gen[n] = path.join(inputs, `gen-${n}.Dockerfile`);
  if (!existsSync(gen[n])) run('python3', [path.join(shared, 'bench', 'gen_big.py'), '-o', gen[n], '--lines', String(n), '--seed', '1']);
}

// Inputs the core refuses whole (over the input size limit, docs/limits.md): their figures time
// the refusal, not an analysis, and the table says so instead of giving them.
const cliPath = path.join(native, 'src', 'cli', 'dfplay');
const refusal = {};
for (const f of [big, ...Object.values(gen)]) {
  const r = spawnSync(cliPath, ['parse', f], { encoding: 'utf8' });
  const m = /error: (the Dockerfile is [\d.]+ MiB: the playground analyses Dockerfiles up to [\d.]+ MiB)/.exec(`${r.stdout}${r.stderr}`);
  if (m) refusal[path.basename(f)] = `refused: ${m[1]} (docs/limits.md)`;
}

// ---- parse throughput ----
let bigParseMBs = null;
if (!args.includes('--no-parse')) {
  log('parse (bench/run-parse-bench)');
  const r = spawnSync(path.join(repo, 'bench', 'run-parse-bench'), ['--no-callgrind'], { encoding: 'utf8', cwd: repo, maxBuffer: 64 << 20 });
  const out = `${r.stdout}\n${r.stderr}`;
  const grab = (re) => (re.exec(out) || [])[1];
  bigParseMBs = Number(grab(/native big\.Dockerfile: \d+ bytes, ([\d.]+) MB\/s/));
  row('parse', 'native, big.Dockerfile', `${grab(/native big\.Dockerfile: \d+ bytes, ([\d.]+) MB\/s/)} MB/s`);
  row('parse', 'native, real-world set', `${grab(/native real-world set: .*?([\d.]+) MB\/s/)} MB/s`);
  for (const m of out.matchAll(/native scale \S*(gen-(\d+)\.Dockerfile): \d+ lines, \d+ bytes, ([\d.]+) MB\/s/g)) {
    row('parse', `native, generated ${Number(m[2]) / 1000}k lines`, refusal[m[1]] ? 'not parsed' : `${m[3]} MB/s`, refusal[m[1]] || '');
  }
  for (const m of out.matchAll(/node (\S+(?: set)?): \d+ files, \d+ bytes: wasm ([\d.]+) MB\/s.*?dockerfile-ast 0\.7\.1 ([\d.]+) MB\/s, ratio ([\d.]+)x/g)) {
    row('parse', `wasm (Node), ${m[1]}`, `${m[2]} MB/s`, `dockerfile-ast 0.7.1: ${m[3]} MB/s (wasm ${m[4]}x faster)`);
  }
  if (!/node .*dockerfile-ast/.test(out)) row('parse', 'wasm and dockerfile-ast', 'not run', (out.match(/wasm bench: .*|npm .*/) || ['see bench/run-parse-bench'])[0]);
}

// ---- dfplay parse FILE, whole process ----
{
  log('dfplay parse (whole process)');
  // The three commands take turns (one run of each per round), so that a slower minute of a
  // shared machine falls on all of them; the medians of the rounds.
  const once = (argv) => {
    const a = performance.now();
    spawnSync(cliPath, argv, { stdio: 'ignore' });
    return performance.now() - a;
  };
  const commands = [['--version'], ['parse', big], ['parse', big, '--dump']];
  const times = commands.map(() => []);
  for (const argv of commands) once(argv);
  for (let i = 0, n = quick ? 9 : 25; i < n; ++i) commands.forEach((argv, k) => times[k].push(once(argv)));
  const [start, whole, dump] = times.map(median);
  const inProcess = bigParseMBs ? readFileSync(big).length / 1e6 / bigParseMBs * 1000 : null;
  row('dfplay parse', 'process start (`dfplay --version`)', ms(start));
  row('dfplay parse', '`dfplay parse big.Dockerfile` (whole process)', ms(whole),
      inProcess ? `in-process parse ${ms(inProcess)} + start = ${ms(inProcess + start)}: ratio ${(whole / (inProcess + start)).toFixed(2)} (goal <= 2)` : '');
  row('dfplay parse', '`dfplay parse big.Dockerfile --dump`', ms(dump));
}

// ---- analysis and one-line edit, native and wasm ----
const files = [big, gen[1000], gen[10000], gen[100000]];
log('workspace (native)');
const nativeWs = {};
for (const line of run(path.join(native, 'bench', 'workspace_bench'), ['--min-time', minTime, ...files]).trim().split('\n')) {
  const [name, a, e, aj, ej] = line.split(' ');
  nativeWs[name] = { analysis: Number(a), edit: Number(e), analysis_json: Number(aj), edit_json: Number(ej) };
}
log('workspace (wasm, Node)');
const wasmWs = {};
for (const line of run('node', [path.join(repo, 'bench', 'node', 'workspace.mjs'), '--min-time', minTime, ...files]).trim().split('\n')) {
  const [name, a, e, , b] = line.split(' ');
  wasmWs[name] = { analysis: Number(a), edit: Number(e), build: Number(b) };
}
for (const name of Object.keys(nativeWs)) {
  const n = nativeWs[name], w = wasmWs[name] || {};
  const label = name.replace(/^example:/, 'example ').replace(/^gen-(\d+)000\.Dockerfile$/, 'generated $1k lines');
  if (refusal[name]) {
    row('analysis', label, 'not analysed', `${refusal[name]}: native ${ms(n.analysis)}, wasm ${ms(w.analysis)} to say so`);
    continue;
  }
  row('analysis', label, `native ${ms(n.analysis)} (+JSON ${ms(n.analysis_json)}), wasm ${ms(w.analysis)}`,
      'new workspace + result(); CPU time; wasm includes JSON');
  row('one-line edit', label, `native ${ms(n.edit)} (+JSON ${ms(n.edit_json)}), wasm ${ms(w.edit)}`,
      'setDockerfile + result(); CPU time');
  row('JS API build()', label, `wasm ${ms(w.build)}`, 'build({dockerfile, files}) under Node, JSON included; CPU time');
}

// ---- transfer sizes ----
const sizes = transferSizes(site);
row('transfer', 'app page (index.html + its assets)', `${kb(sizes.app.br)} brotli, ${kb(sizes.app.gzip)} gzip`, `${kb(sizes.app.raw)} raw, ${sizes.app.files.length} files`);
row('transfer', 'JS API module (api/)', `${kb(sizes.api.br)} brotli, ${kb(sizes.api.gzip)} gzip`, `${kb(sizes.api.raw)} raw`);
row('transfer', 'embed.js', sizes.embed.files.length ? `${kb(sizes.embed.br)} brotli, ${kb(sizes.embed.gzip)} gzip` : 'absent');

// ---- browser ----
if (!args.includes('--no-browser')) {
  log('headless Chromium (bench/browser.mjs)');
  const b = JSON.parse(run('node', [path.join(repo, 'bench', 'browser.mjs'), '--runs', quick ? '3' : '7', '--big', big]));
  const r = b.ready_ms;
  row('browser', 'time to dfplay.ready, cold cache', `${ms(r.cold.median, 0)} median`, `min ${ms(r.cold.min, 0)}, max ${ms(r.cold.max, 0)}, ${b.runs} runs`);
  row('browser', 'time to dfplay.ready, warm cache', `${ms(r.warm.median, 0)} median`, `min ${ms(r.warm.min, 0)}, max ${ms(r.warm.max, 0)}`);
  if (r.phases) row('browser', 'cold start phases (median)', Object.entries(r.phases).map(([k, v]) => `${k} ${ms(v, 0)}`).join(', '));
  if (r.warm_phases) row('browser', 'warm start phases (median)', Object.entries(r.warm_phases).map(([k, v]) => `${k} ${ms(v, 0)}`).join(', '));
  const idle = (k, what) => b.idle[k] && row('browser', `idle CPU, ${what}`, `${b.idle[k].cpu_percent} % of a core`,
    `${b.idle[k].frames} frames drawn in the window`);
  idle('blank_page', 'the same browser with an empty page (about:blank), for comparison');
  idle('one_app', 'one app (example loaded)');
  idle('one_app_with_big', 'one app, big.Dockerfile loaded, editor focused');
  idle('three_embeds', 'a page with three app embeds');
  idle('three_embeds_scrolled_away', 'the same page scrolled so the embeds are off screen');
  idle('hidden_tab_with_big', 'hidden tab (emulated visibilitychange)');
  const t = b.typing_big;
  row('browser', 'frame times typing into big.Dockerfile', `p50 ${ms(t.frame_ms.p50, 1)}, p95 ${ms(t.frame_ms.p95, 1)}`,
      `max ${ms(t.frame_ms.max, 1)}, ${t.keystrokes} keystrokes, ${t.frames} frames (analysis on the main thread)`);
  const tp = b.typing_paced;
  if (tp) row('browser', 'typing at the end of big.Dockerfile at a person\'s pace: key -> its result shown',
      `${ms(tp.key_to_result_shown_ms.median, 0)} median`,
      `max ${ms(tp.key_to_result_shown_ms.max, 0)}, ${tp.keystrokes} keys, each after the previous result + 150 ms (goal <= 100 ms); ` +
      `longest task ${ms(tp.longest_task_ms, 0)}, ${tp.long_tasks} over 50 ms`);
  const p = b.paste_5mb;
  row('browser', `longest main-thread task pasting ${(p.bytes / 1e6).toFixed(1)} MB`, ms(p.longest_task_ms, 0),
      `${p.long_tasks} long tasks; text in the state after ${ms(p.until_in_state_ms, 0)}${p.in_state ? '' : ' (never arrived)'}`);
  row('browser', 'wasm heap high-water mark (after the paste)', `${(b.heap_bytes / 1048576).toFixed(1)} MiB`);
  log('the app\'s one-line edit (bench/app-edit.mjs)');
  const e = JSON.parse(run('node', [path.join(repo, 'bench', 'app-edit.mjs'), '--edits', quick ? '5' : '15', '--big', big]));
  row('browser', 'one-line edit of big.Dockerfile in the app (its analysis)', `${ms(e.total_ms.median, 1)} median`,
      `slices ${ms(e.slices_ms.median, 1)}; min ${ms(e.total_ms.min, 1)}, max ${ms(e.total_ms.max, 1)}, ${e.edits} edits; ` +
      Object.entries(e.by_kind).map(([k, v]) => `${k} ${ms(v, 1)}`).join(', '));
}

// ---- output ----
const loadEnd = load();
const header = [
  `# bench/run results`,
  '',
  `Date: ${started.toISOString()} (UTC). CPU: ${cpuModel}, ${os.cpus().length} cores. Node ${process.version}.`,
  `Load average (1/5/15 min) at the start: ${loadStart}; at the end: ${loadEnd}. The machine may be shared:`,
  'timings move with the load; sizes and counts do not. Analysis and edit figures are CPU time (robust to',
  'waiting for a core); the rest is wall clock (medians unless said otherwise).',
  '',
];
const table = ['| section | measure | result | notes |', '| --- | --- | --- | --- |',
               ...rows.map((r) => `| ${r.join(' | ')} |`)];
const text = [...header, ...table, ''].join('\n');
console.log(text);
mkdirSync(path.join(repo, 'bench', 'results'), { recursive: true });
writeFileSync(path.join(repo, 'bench', 'results', 'latest.md'), text);
log('wrote bench/results/latest.md');
