// The wasm twin of bench/workspace_bench.cpp: the JS API module (what embeds and the app's core
// run) under Node, per built-in example and per given file:
//   analysis   createWorkspace({dockerfile, files}) + result() (+ destroy);
//   edit       setDockerfile() with one RUN line in the middle changed (alternating) + result();
//   build      the stateless build({dockerfile, files}) (its JSON parsed into a JS object).
// result() returns the workspace JSON as a JS object: JSON is included (the native bench reports
// both with and without it). Median of rounds, in ms of the process's CPU time (process.cpuUsage():
// on a shared machine wall-clock rounds also count the waits for a core; V8's helper threads are
// included), >= MIN_TIME s of it and >= 3 rounds.
// One line per input: NAME analysis edit bytes build.
//   node bench/node/workspace.mjs [--min-time S] [--api MODULE] [FILE...]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
const args = process.argv.slice(2);
let minTime = 0.5;
let modulePath = path.join(repo, 'build/web/site/api/dfplay-api.js');
const files = [];
for (let i = 0; i < args.length; ++i) {
  if (args[i] === '--min-time') minTime = Number(args[++i]);
  else if (args[i] === '--api') modulePath = path.resolve(args[++i]);
  else files.push(args[i]);
}
const mod = await import(pathToFileURL(modulePath).href);
const api = await mod.createDfplay();

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

function median(f) {
  f(0);
  const t = [];
  const start = cpuMs();
  for (let i = 1; ; ++i) {
    const a = cpuMs();
    f(i);
    const b = cpuMs();
    t.push(b - a);
    if (t.length >= 3 && (b - start) / 1000 >= minTime) break;
  }
  t.sort((x, y) => x - y);
  return t[t.length >> 1];
}

function edited(text, odd) {
  let mid = text.indexOf('\nRUN ', text.length >> 1);
  if (mid < 0) mid = text.indexOf('\nRUN ');
  if (mid < 0 || !odd) return text;
  return text.slice(0, mid + 5) + 'true && ' + text.slice(mid + 5);
}

function measure(name, dockerfile, context) {
  const analysis = median(() => {
    const ws = api.createWorkspace({ dockerfile, files: context });
    ws.result();
    ws.destroy();
  });
  const ws = api.createWorkspace({ dockerfile, files: context });
  ws.result();
  const edit = median((i) => {
    ws.setDockerfile(edited(dockerfile, i % 2));
    ws.result();
  });
  ws.destroy();
  const build = median(() => api.build({ dockerfile, files: context }));
  console.log(`${name} ${analysis.toFixed(3)} ${edit.toFixed(3)} ${Buffer.byteLength(dockerfile)} ${build.toFixed(3)}`);
}

// Warm-up: V8 compiles wasm in tiers (a baseline first, optimised code later): the first example
// measured would otherwise pay for that.
{
  const ex = api.examples()[0];
  const end = cpuMs() + 1000 * Math.max(0.5, minTime);
  while (cpuMs() < end) {
    const ws = api.createWorkspace({ dockerfile: ex.dockerfile, files: ex.files });
    ws.result();
    ws.destroy();
  }
}
for (const ex of api.examples()) measure(`example:${ex.id}`, ex.dockerfile, ex.files);
for (const f of files) measure(path.basename(f), fs.readFileSync(f, 'utf8'), {});
