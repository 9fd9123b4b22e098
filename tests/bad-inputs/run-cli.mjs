#!/usr/bin/env node
// Runs every pathological input of cases.mjs through the native CLI (`dfplay build DIR --json`,
// then `dfplay check DIR --json`) and checks: the exit status is 0 or 1 (never a crash), the
// output is valid JSON, the expected diagnostic is there, and the CPU time (user + system, GNU
// time's %U + %S: unlike the wall time, it does not grow when other processes load the machine)
// and peak memory (%M) stay under the case's bounds. Registered as the ctest test
// `bad-inputs.cli`; run by hand with
//   node tests/bad-inputs/run-cli.mjs [path/to/dfplay] [case-name...]
// Prints one line per case with the measured time and memory. DFPLAY_BAD_INPUTS_NO_BOUNDS=1
// skips the time and memory bounds (sanitizer builds).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { cases } from './cases.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const cli = path.resolve(args[0] && !/^[a-z0-9-]+$/.test(args[0]) ? args.shift() : path.join(here, '..', '..', 'build', 'native', 'src', 'cli', 'dfplay'));
const only = new Set(args);
const timeBin = '/usr/bin/time';  // GNU time (Debian package `time`)
const noBounds = process.env.DFPLAY_BAD_INPUTS_NO_BOUNDS === '1';  // sanitizer builds: slower, bigger

if (!existsSync(cli)) {
  console.error(`bad-inputs: ${cli} is missing (build the native preset first)`);
  process.exit(2);
}

function writeContext(dir, files) {
  for (const [p, content] of Object.entries(files)) {
    const full = path.join(dir, p);  // Latin-1 names stay single bytes (a case's invalid UTF-8)
    mkdirSync(Buffer.from(path.dirname(full), 'latin1'), { recursive: true });
    writeFileSync(Buffer.from(full, 'latin1'), typeof content === 'string' ? content : Buffer.from(content));
  }
}

function run(cmd, dir) {
  const stats = path.join(dir, '..', 'time.txt');
  const hasTime = existsSync(timeBin);
  const argv = hasTime ? [timeBin, '-f', '%U %S %M', '-o', stats, cli, cmd, dir, '--json'] : [cli, cmd, dir, '--json'];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', maxBuffer: 1 << 30, timeout: Number(process.env.BAD_INPUTS_TIMEOUT_MS || 120000) });
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  let mb = NaN, cpuMs = wallMs;
  if (hasTime && existsSync(stats)) {
    const [user, sys, kb] = readFileSync(stats, 'utf8').trim().split('\n').pop().split(' ');
    mb = Number(kb) / 1024;
    cpuMs = (Number(user) + Number(sys)) * 1000;
  }
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, wallMs, ms: cpuMs, mb };
}

let failures = 0;
for (const c of cases) {
  if (only.size && !only.has(c.name)) continue;
  const root = mkdtempSync(path.join(tmpdir(), `dfplay-bad-${c.name}-`));
  const dir = path.join(root, 'ctx');
  mkdirSync(dir);
  const problems = [];
  const line = [];
  try {
    writeContext(dir, c.files);
    for (const cmd of ['build', 'check']) {
      const r = run(cmd, dir);
      line.push(`${cmd} ${r.ms.toFixed(0)} ms cpu (${r.wallMs.toFixed(0)} wall) ${r.mb.toFixed(0)} MB`);
      if (r.signal || (r.status !== 0 && r.status !== 1)) {
        problems.push(`${cmd}: exit ${r.status} signal ${r.signal}: ${r.stderr.slice(0, 400)}`);
        continue;
      }
      let j;
      try {
        j = JSON.parse(r.stdout);
      } catch (e) {
        problems.push(`${cmd}: the output is not JSON (${e.message})`);
        continue;
      }
      if (!noBounds && r.ms > c.maxMs) problems.push(`${cmd}: ${r.ms.toFixed(0)} ms of CPU, over the bound of ${c.maxMs} ms`);
      if (!noBounds && r.mb > c.maxMB) problems.push(`${cmd}: ${r.mb.toFixed(0)} MB, over the bound of ${c.maxMB} MB`);
      if (cmd !== 'build') continue;
      if (c.expect.ok !== undefined && j.ok !== c.expect.ok) problems.push(`build: ok is ${j.ok}, expected ${c.expect.ok}`);
      if (c.expect.code) {
        const d = (j.diagnostics || []).find((x) => x.code === c.expect.code);
        if (!d) {
          problems.push(`build: no ${c.expect.code} diagnostic (got ${JSON.stringify((j.diagnostics || []).slice(0, 3).map((x) => [x.code, x.message]))})`);
        } else {
          if (c.expect.line !== undefined && d.line !== c.expect.line) problems.push(`build: ${c.expect.code} at line ${d.line}, expected ${c.expect.line}`);
          if (c.expect.column !== undefined && d.column !== c.expect.column) problems.push(`build: ${c.expect.code} at column ${d.column}, expected ${c.expect.column}`);
          if (c.expect.message && !d.message.includes(c.expect.message)) problems.push(`build: message "${d.message}" lacks "${c.expect.message}"`);
        }
      }
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  console.log(`${problems.length ? 'FAIL' : 'ok  '} ${c.name.padEnd(26)} ${line.join(', ')}`);
  for (const p of problems) console.log(`     ${p}`);
  if (problems.length) failures++;
}
console.log(failures ? `bad-inputs: ${failures} case(s) failed` : 'bad-inputs: all cases passed');
process.exit(failures ? 1 : 0);
