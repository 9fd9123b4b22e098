// Two builds of the JS API module side by side in one Node process: big.Dockerfile's build()
// (the stateless call of docs/js-api.md, JSON included) on A and on B in alternating rounds, so
// that both meet the same load on a shared machine. Per module: the median and the fastest of
// the rounds, CPU time of the process (process.cpuUsage(): user + system, V8's helper threads
// included) and wall clock, and the load average before and after.
//   node bench/node/ab.mjs MODULE_A MODULE_B [ROUNDS] [DOCKERFILE]
// MODULE_* are dfplay-api.js files (e.g. a copy of build/web/site/api/ made before a change);
// ROUNDS defaults to 31, DOCKERFILE to ../shared/bench/big.Dockerfile.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
const [a, b, roundsArg, fileArg] = process.argv.slice(2);
if (!a || !b) {
  console.error('usage: node bench/node/ab.mjs MODULE_A MODULE_B [ROUNDS] [DOCKERFILE]');
  process.exit(2);
}
const rounds = Number(roundsArg || 31);
const dockerfile = fs.readFileSync(fileArg || path.join(repo, '../shared/bench/big.Dockerfile'), 'utf8');
const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');

const sides = [];
for (const m of [a, b]) {
  const api = await (await import(pathToFileURL(path.resolve(m)).href)).createDfplay();
  sides.push({ name: m, api, cpu: [], wall: [] });
}
const loadBefore = load();
for (const s of sides) for (let i = 0; i < 3; i++) s.api.build({ dockerfile, files: {} });  // warm-up: V8's tiers
for (let i = 0; i < rounds; i++) {
  for (const s of (i % 2 ? [...sides].reverse() : sides)) {
    const c = process.cpuUsage();
    const t = performance.now();
    s.api.build({ dockerfile, files: {} });
    s.wall.push(performance.now() - t);
    const d = process.cpuUsage(c);
    s.cpu.push((d.user + d.system) / 1000);
  }
}
const med = (x) => [...x].sort((p, q) => p - q)[x.length >> 1];
const min = (x) => Math.min(...x);
console.log(`build() of ${Buffer.byteLength(dockerfile)} bytes, ${rounds} rounds each, alternating; ` +
            `load average ${loadBefore} -> ${load()} (${os.cpus().length} cores)`);
for (const s of sides) {
  console.log(`  ${s.name}: CPU median ${med(s.cpu).toFixed(1)} ms (fastest ${min(s.cpu).toFixed(1)}), ` +
              `wall median ${med(s.wall).toFixed(1)} ms (fastest ${min(s.wall).toFixed(1)})`);
}
