// The share-link fuzz driver (fuzz/share_link.mjs, issue 15) in a short, deterministic run: its
// regression inputs (fuzz/regressions/share_link/, each once a finding) are replayed first, then
// a fixed number of mutated links from a fixed seed. Long runs: script/fuzz share_link SECONDS.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

test('share-link fuzzer: the regressions and 1,000 mutated links decode or are refused with a ShareLinkError', () => {
  const findings = mkdtempSync(path.join(tmpdir(), 'dfplay-share-fuzz-'));
  try {
    const r = spawnSync(process.execPath, ['--no-warnings', path.join(root, 'fuzz/share_link.mjs'), '--runs', '1000', '--seed', '15',
                                           '--findings', findings], { encoding: 'utf8', timeout: 240000 });
    assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
    const regressions = readdirSync(path.join(root, 'fuzz/regressions/share_link')).length;
    assert.match(r.stdout, new RegExp(`^fuzz share_link: 1000 runs in \\d+ s, 0 findings .*${regressions} regressions replayed`, 'm'));
    assert.deepEqual(readdirSync(findings), []);
  } finally {
    rmSync(findings, { recursive: true, force: true });
  }
});

test('share-link fuzzer: a decoder that throws anything but a ShareLinkError is a finding, with the input saved', () => {
  // The real module with one bug put in: a link whose version is 1 but whose payload starts with
  // "A" throws a TypeError. The driver must stop, say so and save that input.
  const dir = mkdtempSync(path.join(tmpdir(), 'dfplay-share-fuzz-'));
  try {
    const real = readFileSync(path.join(root, 'web/share-link.js'), 'utf8');
    const broken = real.replace('export async function decodeShareFragment(hash, ',
      'export async function decodeShareFragment(hash, ...rest) {\n' +
      '  if (/^#?s=1\\.A/.test(String(hash))) throw new TypeError("planted bug");\n' +
      '  return realDecode(hash, ...rest);\n}\nasync function realDecode(hash, ');
    assert.notEqual(broken, real);
    writeFileSync(path.join(dir, 'share-link.js'), broken);
    const findings = path.join(dir, 'findings');
    const r = spawnSync(process.execPath, ['--no-warnings', path.join(root, 'fuzz/share_link.mjs'), '--runs', '20000', '--seed', '7',
                                           '--findings', findings, '--module', path.join(dir, 'share-link.js')],
                        { encoding: 'utf8', timeout: 240000 });
    assert.equal(r.status, 1, `${r.stdout}${r.stderr}`);
    assert.match(r.stderr, /FINDING .*throw not a ShareLinkError: TypeError: planted bug/);
    const saved = readdirSync(findings);
    assert.equal(saved.length, 1);
    assert.match(readFileSync(path.join(findings, saved[0]), 'utf8'), /^#?s=1\.A/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
