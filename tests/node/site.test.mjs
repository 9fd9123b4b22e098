// web/build-site.mjs (the site's post-build step) and the built site it produces: content-hashed
// app assets referenced from index.html, precompressed siblings, and nothing the server's
// Content-Security-Policy would block (no inline script or style, no eval in any script).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';

import { buildAppPage, HASHED_NAME, precompress } from '../../web/build-site.mjs';
import { repoRoot, requireWebBuild, siteDir } from './support.mjs';

const shellDir = path.join(repoRoot, 'shell');
const temps = [];
after(() => { for (const d of temps) rmSync(d, { recursive: true, force: true }); });

function fakeBuild(wasmBytes) {
  const root = mkdtempSync(path.join(tmpdir(), 'dfplay-build-site-'));
  temps.push(root);
  const app = path.join(root, 'app'), site = path.join(root, 'site');
  mkdirSync(app);
  mkdirSync(site);
  writeFileSync(path.join(app, 'index.js'), 'var wasmBinaryFile="index.wasm";function f(){return "index.wasm.x"}\n');
  writeFileSync(path.join(app, 'index.wasm'), wasmBytes);
  return { app, site };
}

// The local src/href references of an HTML page.
const references = (html) => [...html.matchAll(/\s(?:src|href)="([^"]+)"/g)].map((m) => m[1]);

describe('build-site', () => {
  test('hashes the app page assets and rewrites their references, the wasm name inside index.js too', () => {
    const { app, site } = fakeBuild(Buffer.from('\0asm-one'));
    const names = buildAppPage({ appDir: app, shellDir, siteDir: site });
    assert.deepEqual(Object.keys(names).sort(), ['app.css', 'boot.js', 'favicon.svg', 'index.js', 'index.wasm']);
    for (const [from, to] of Object.entries(names)) {
      assert.match(to, HASHED_NAME, to);
      assert.equal(to.replace(HASHED_NAME, path.extname(from)), from);
      assert.ok(existsSync(path.join(site, to)), to);
      assert.ok(!existsSync(path.join(site, from)), `the unhashed ${from} is not in the site`);
    }
    const html = readFileSync(path.join(site, 'index.html'), 'utf8');
    assert.deepEqual(references(html).sort(), Object.values(names).concat(names['index.js']).sort(),
      'every reference is hashed (index.js twice: preload + script)');
    const js = readFileSync(path.join(site, names['index.js']), 'utf8');
    assert.ok(js.includes(`"${names['index.wasm']}"`), js);
    assert.ok(js.includes('"index.wasm.x"'), 'only the exact literal is rewritten');

    // Same input, same names; a new wasm gives new wasm and JS names and removes the old files.
    assert.deepEqual(buildAppPage({ appDir: app, shellDir, siteDir: site }), names);
    writeFileSync(path.join(app, 'index.wasm'), Buffer.from('\0asm-two'));
    const next = buildAppPage({ appDir: app, shellDir, siteDir: site });
    assert.notEqual(next['index.wasm'], names['index.wasm']);
    assert.notEqual(next['index.js'], names['index.js']);
    assert.equal(next['boot.js'], names['boot.js']);
    assert.ok(!existsSync(path.join(site, names['index.wasm'])));
    assert.ok(!existsSync(path.join(site, names['index.js'])));
    assert.ok(existsSync(path.join(site, next['index.js'])));
  });

  test('fails when index.js does not name its wasm exactly once', () => {
    const { app, site } = fakeBuild(Buffer.from('\0asm'));
    writeFileSync(path.join(app, 'index.js'), 'var a = 1;\n');
    assert.throws(() => buildAppPage({ appDir: app, shellDir, siteDir: site }), /expected the wasm name "index.wasm" once/);
  });

  test('precompresses every file (any folder), skips what does not shrink, removes orphans', () => {
    const { site } = fakeBuild(Buffer.from('\0asm'));
    mkdirSync(path.join(site, 'tutorial', 'deep'), { recursive: true });
    const text = 'FROM alpine\nRUN echo hello\n'.repeat(500);
    writeFileSync(path.join(site, 'tutorial', 'deep', 'page.html'), text);
    writeFileSync(path.join(site, 'tiny.txt'), 'x');
    writeFileSync(path.join(site, 'gone.js.br'), 'stale');
    const s = precompress(site);
    assert.equal(s.written, 2);
    assert.equal(brotliDecompressSync(readFileSync(path.join(site, 'tutorial', 'deep', 'page.html.br'))).toString(), text);
    assert.equal(gunzipSync(readFileSync(path.join(site, 'tutorial', 'deep', 'page.html.gz'))).toString(), text);
    assert.ok(!existsSync(path.join(site, 'tiny.txt.br')) && !existsSync(path.join(site, 'tiny.txt.gz')));
    assert.ok(!existsSync(path.join(site, 'gone.js.br')));
    assert.deepEqual(precompress(site), { written: 0, kept: 2, removed: 0 }, 'up-to-date siblings are kept');
  });
});

// Every .js file of a folder tree (not the precompressed siblings).
function* scripts(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* scripts(p);
    else if (/\.m?js$/.test(e.name)) yield p;
  }
}

describe('the built site', () => {
  test('index.html: hashed, existing, precompressed assets; no inline script or style', () => {
    requireWebBuild();
    const html = readFileSync(path.join(siteDir, 'index.html'), 'utf8');
    const refs = references(html);
    assert.ok(refs.length >= 5, refs.join(' '));
    for (const r of refs) {
      assert.match(r, HASHED_NAME, `${r} has a content hash`);
      const f = path.join(siteDir, r);
      assert.ok(existsSync(f), `${r} exists`);
      if (statSync(f).size > 1000) {
        assert.ok(existsSync(f + '.br') && existsSync(f + '.gz'), `${r} is precompressed`);
      }
    }
    for (const tag of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
      assert.match(tag[1], /\ssrc="/, `a script without src: ${tag[0]}`);
      assert.equal(tag[2].trim(), '', 'no inline script');
    }
    assert.doesNotMatch(html, /<style\b/i, 'no inline <style>');
    assert.doesNotMatch(html, /\sstyle\s*=/i, 'no style attribute');
    assert.doesNotMatch(html, /\son[a-z]+\s*=/i, 'no inline event handler');
    assert.doesNotMatch(html, /javascript:/i);
  });

  test('no eval or new Function in any script the site serves', () => {
    requireWebBuild();
    const files = [...scripts(siteDir)];
    assert.ok(files.some((f) => /index\.[0-9a-f]+\.js$/.test(f)), 'the app module is among them');
    assert.ok(files.some((f) => f.endsWith('dfplay-wasm.js')), 'the JS API module is among them');
    for (const f of files) {
      const js = readFileSync(f, 'utf8');
      assert.doesNotMatch(js, /(^|[^A-Za-z0-9_$.])eval\s*\(/, `${f} calls eval`);
      assert.doesNotMatch(js, /new\s+Function\s*\(/, `${f} uses new Function`);
      assert.doesNotMatch(js, /(^|[^A-Za-z0-9_$.])Function\s*\(\s*['"]/, `${f} builds a function from text`);
    }
  });
});
