// What bench/browser.mjs and bench/responsiveness.mjs share: the command line (--site, --big), the
// Chromium to launch, small statistics, and the CPU time of the browser's processes.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repo = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
export const args = process.argv.slice(2);
export const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
export const site = path.resolve(opt('--site', path.join(repo, 'build/web/site')));
export const bigFile = path.resolve(opt('--big', path.join(repo, '../shared/bench/big.Dockerfile')));
export const CHROMIUM = process.env.DFPLAY_CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking',
                              '--disable-component-update', '--disable-sync'];

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// The p-th percentile (nearest rank below; null for no values).
export const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : null;
};
export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return null;
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
export const round = (x, d = 1) => (x == null ? null : Math.round(x * 10 ** d) / 10 ** d);

// CPU time (user + system, seconds) of every process descended from this one (the browser's).
const TICK = 100;  // USER_HZ on Linux
export function descendantsCpu() {
  const parent = new Map();
  const cpu = new Map();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parent.set(Number(d), Number(f[1]));
      cpu.set(Number(d), (Number(f[11]) + Number(f[12])) / TICK);
    } catch {
      // gone
    }
  }
  let total = 0;
  for (const [pid, t] of cpu) {
    let p = pid;
    for (let i = 0; i < 64 && p > 1; ++i) {
      p = parent.get(p);
      if (p === process.pid) {
        total += t;
        break;
      }
    }
  }
  return total;
}
