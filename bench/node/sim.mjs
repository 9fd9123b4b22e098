// The core compiled to wasm (the JS API module the app and embedders load), under Node: what an
// edit costs. Per measure, the median and the fastest of the rounds, wall clock, JSON included
// (the API returns plain objects), and the process's CPU time per round (user + system):
//   - big.Dockerfile (132 stages): build(), and a workspace edit (one RUN line changed) + result();
//   - the built-in Node multi-stage example: the same two.
//   node bench/node/sim.mjs [API_MODULE] [SHARED_DIR]
// API_MODULE defaults to build/web/site/api/dfplay-api.js, SHARED_DIR to ../shared.
// The machine's load average is printed first and last: on a shared machine compare modules
// in runs taken in the same minutes, alternating.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
const modulePath = path.resolve(process.argv[2] || path.join(repo, 'build/web/site/api/dfplay-api.js'));
const shared = path.resolve(process.argv[3] || path.join(repo, '../shared'));
const api = await (await import(modulePath)).default();
const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');
console.log(`load average ${load()} (${os.cpus().length} cores)`);

function measure(name, rounds, f) {
  f(0);  // warm-up (caches filled as in an editing session)
  const t = [];
  const cpu = [];
  for (let i = 1; i <= rounds; ++i) {
    const c = process.cpuUsage();
    const a = performance.now();
    f(i);
    t.push(performance.now() - a);
    const d = process.cpuUsage(c);
    cpu.push((d.user + d.system) / 1000);
  }
  t.sort((x, y) => x - y);
  cpu.sort((x, y) => x - y);
  // CPU time of this process (all its threads, GC included) next to the wall clock: on a loaded
  // machine the wall clock includes the time the process waited for a core.
  console.log(`  ${name}: ${t[t.length >> 1].toFixed(2)} ms (fastest ${t[0].toFixed(2)} ms, ${rounds} rounds; ` +
              `CPU median ${cpu[cpu.length >> 1].toFixed(2)} ms, fastest ${cpu[0].toFixed(2)} ms)`);
}

function editing(label, dockerfile, files, rounds) {
  console.log(label);
  measure('build()', rounds, () => api.build({ dockerfile, files }));
  const ws = api.createWorkspace({ dockerfile, files });
  const mid = dockerfile.indexOf('\nRUN ', dockerfile.length >> 1) + 5;
  measure('workspace edit + result()', rounds, (i) => {
    ws.setDockerfile(dockerfile.slice(0, mid) + (i % 2 ? 'true && ' : '') + dockerfile.slice(mid));
    ws.result();
  });
  ws.destroy();
}

const big = path.join(shared, 'bench/big.Dockerfile');
if (fs.existsSync(big)) editing('big.Dockerfile', fs.readFileSync(big, 'utf8'), {}, 15);
else console.log(`big.Dockerfile: skipped (${big} is absent)`);
const ex = api.examples().find((e) => e.id === 'node-multistage');
editing('example node-multistage', ex.dockerfile, ex.files, 200);
console.log(`load average ${load()}`);
