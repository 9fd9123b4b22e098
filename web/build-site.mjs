// The site's post-build step (run by CMake after the app and the JS API are linked):
//   node web/build-site.mjs --app DIR --shell DIR --site DIR
// 1. The app page: shell/app.html becomes SITE/index.html. Every local file it references by
//    src= or href= (the emscripten output index.js and index.wasm from --app, boot.js, app.css,
//    favicon.svg from --shell) is copied into the site under a content-hashed name
//    (index.<16 hex>.js ...) and the reference rewritten. index.js names its wasm as a string
//    literal: that literal is rewritten to the hashed wasm name before index.js is hashed, so a
//    new wasm always gives a new JS name too. Hashed names never change content: the server
//    sends them with a year-long immutable Cache-Control (web/server.mjs, HASHED_NAME).
//    Earlier hashed files of the same assets are removed.
// 2. Every file in the site (whatever put it there: the app, the JS API in api/, the embed
//    script, tutorial pages...) gets precompressed siblings FILE.br (brotli 11) and FILE.gz
//    (gzip 9) when they are smaller than the file; stale or orphaned ones are refreshed/removed.
//    Files with stable names (api/*, embed.js, ...) are left as they are: the server gives them
//    strong ETags.
import { createHash } from 'node:crypto';
import {
  existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { brotliCompressSync, constants as zc, gzipSync } from 'node:zlib';

export const HASH_LENGTH = 16;
export const HASHED_NAME = new RegExp(`\\.[0-9a-f]{${HASH_LENGTH}}\\.[A-Za-z0-9]+$`);
const COMPRESSED = ['.br', '.gz'];
// Already compressed formats: precompressing them again only wastes bytes on disk.
const INCOMPRESSIBLE = new Set(['.png', '.jpg', '.jpeg', '.gif', '.webp', '.woff', '.woff2', '.zip', '.br', '.gz']);

const contentHash = (bytes) => createHash('sha256').update(bytes).digest('hex').slice(0, HASH_LENGTH);

function hashedName(name, bytes) {
  const ext = path.extname(name);
  return `${name.slice(0, name.length - ext.length)}.${contentHash(bytes)}${ext}`;
}

/** Local references (src=/href=) of an HTML text: [{attr, value, start, end}] (value offsets). */
function localReferences(html) {
  const out = [];
  const re = /\s(src|href)\s*=\s*"([^"]*)"/g;
  let m;
  while ((m = re.exec(html))) {
    const value = m[2];
    if (!value || /^[a-z][a-z0-9+.-]*:/i.test(value) || value.startsWith('//') || value.startsWith('#')) continue;
    const start = m.index + m[0].length - 1 - value.length;
    out.push({ attr: m[1], value, start, end: start + value.length });
  }
  return out;
}

/** Writes `bytes` to `file` unless it already holds exactly them (keeps mtimes stable). */
function writeIfChanged(file, bytes) {
  if (existsSync(file)) {
    const old = readFileSync(file);
    if (old.equals(bytes)) return false;
  }
  writeFileSync(file, bytes);
  return true;
}

/**
 * The app's emscripten JavaScript (APP/index.js) minified with terser (npm, pinned in
 * package.json): local and top-level names shortened (but those other scripts use) and dead code
 * dropped, property names kept (the page scripts and the wasm's imports use them). -4.7 KB brotli
 * (29.8 -> 25.1 KB, measured on 2026-12-06), then -1.2 KB with the top-level names. Returns {'index.js': Buffer} for buildAppPage's `overrides`, or {}
 * (with a warning) when terser is not installed (`npm ci`: script/bootstrap).
 */
export async function minifyApp(appDir) {
  let minify;
  try {
    ({ minify } = await import('terser'));
  } catch {
    console.warn('build-site: terser is not installed (npm ci): index.js is not minified (~5 KB brotli more)');
    return {};
  }
  const file = path.join(appDir, 'index.js');
  if (!existsSync(file)) return {};
  const code = readFileSync(file, 'utf8');
  // Top-level names are shortened too, except those other scripts use: Module (shell/boot.js sets
  // it), the exported wasm functions (`_dfplay_*`, `_malloc`, `_free`: tests and benchmarks call
  // some from the page) and the runtime methods the link exports (-1.2 KB brotli, session 10).
  const reserved = ['Module', 'UTF8ToString', 'stringToUTF8', 'lengthBytesUTF8', 'HEAPU8', 'HEAP8', '_malloc', '_free',
                    ...new Set(code.match(/\b_dfplay_[A-Za-z0-9_]+/g) || [])];
  const out = await minify(code, { compress: true, mangle: { toplevel: true, reserved }, module: false, toplevel: false });
  return { 'index.js': Buffer.from(out.code, 'utf8') };
}

/**
 * Builds SITE/index.html and the hashed assets from the app page template. Returns the names
 * written ({'index.js': 'index.<hash>.js', ...}). `overrides`: contents to use instead of a
 * referenced file's (minifyApp's).
 */
export function buildAppPage({ appDir, shellDir, siteDir, overrides = {} }) {
  const template = readFileSync(path.join(shellDir, 'app.html'), 'utf8');
  const source = (name) => {
    for (const dir of [appDir, shellDir]) {
      const f = path.join(dir, name);
      if (existsSync(f) && statSync(f).isFile()) return f;
    }
    throw new Error(`build-site: app.html references ${name}, found in neither ${appDir} nor ${shellDir}`);
  };
  const refs = localReferences(template).filter((r) => r.value !== 'app.html');
  const names = new Set(refs.map((r) => r.value));
  for (const n of names) {
    if (n.includes('/') || n.includes('..')) throw new Error(`build-site: app.html may only reference files beside it (${n})`);
  }
  const hashed = {};
  const contents = {};
  for (const n of names) contents[n] = overrides[n] || readFileSync(source(n));
  // The wasm first: the JS names it.
  const order = [...names].sort((a, b) => (a.endsWith('.wasm') ? -1 : 0) - (b.endsWith('.wasm') ? -1 : 0));
  for (const n of order) {
    let bytes = contents[n];
    if (n.endsWith('.js')) {
      let text = bytes.toString('utf8');
      for (const [from, to] of Object.entries(hashed)) {
        if (!from.endsWith('.wasm')) continue;
        const literal = new RegExp(`(["'])${from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\1`, 'g');
        const count = (text.match(literal) || []).length;
        if (n === 'index.js' && count !== 1) {
          throw new Error(`build-site: expected the wasm name "${from}" once in ${n}, found it ${count} times`);
        }
        text = text.replace(literal, (_, q) => `${q}${to}${q}`);
      }
      bytes = Buffer.from(text, 'utf8');
    }
    hashed[n] = hashedName(n, bytes);
    writeIfChanged(path.join(siteDir, hashed[n]), bytes);
  }
  let html = template;
  for (const r of [...refs].sort((a, b) => b.start - a.start)) {
    html = html.slice(0, r.start) + hashed[r.value] + html.slice(r.end);
  }
  writeIfChanged(path.join(siteDir, 'index.html'), Buffer.from(html, 'utf8'));
  // Earlier builds' hashed copies of the same assets.
  const current = new Set(Object.values(hashed));
  const stems = new Set(Object.keys(hashed).map((n) => n.slice(0, n.length - path.extname(n).length)));
  for (const f of readdirSync(siteDir)) {
    const base = COMPRESSED.includes(path.extname(f)) ? f.slice(0, -3) : f;
    if (!HASHED_NAME.test(base) || current.has(base)) continue;
    const stem = base.replace(HASHED_NAME, '');
    if (stems.has(stem)) rmSync(path.join(siteDir, f), { force: true });
  }
  // The unhashed emscripten outputs must not linger in the site (they would be served stale).
  for (const n of names) {
    if (hashed[n] !== n) for (const f of [n, n + '.br', n + '.gz']) rmSync(path.join(siteDir, f), { force: true });
  }
  return hashed;
}

function* walk(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* walk(p);
    else if (e.isFile()) yield p;
  }
}

/** Writes FILE.br / FILE.gz beside every file of `siteDir`; returns {written, kept, removed}. */
export function precompress(siteDir) {
  const stats = { written: 0, kept: 0, removed: 0 };
  const files = [...walk(siteDir)];
  const present = new Set(files);
  for (const f of files) {
    const ext = path.extname(f);
    if (COMPRESSED.includes(ext)) {
      // An orphan (its file is gone): remove it.
      if (!present.has(f.slice(0, -ext.length))) {
        rmSync(f, { force: true });
        stats.removed++;
      }
      continue;
    }
    const st = statSync(f);
    for (const [cext, compress] of [
      ['.br', (b) => brotliCompressSync(b, {
        params: { [zc.BROTLI_PARAM_QUALITY]: 11, [zc.BROTLI_PARAM_SIZE_HINT]: b.length,
                  [zc.BROTLI_PARAM_MODE]: ext === '.wasm' ? zc.BROTLI_MODE_GENERIC : zc.BROTLI_MODE_TEXT },
      })],
      ['.gz', (b) => gzipSync(b, { level: 9 })],
    ]) {
      const out = f + cext;
      if (INCOMPRESSIBLE.has(ext.toLowerCase())) {
        if (existsSync(out)) rmSync(out);
        continue;
      }
      if (existsSync(out) && statSync(out).mtimeMs + 1 >= st.mtimeMs) {
        stats.kept++;
        continue;
      }
      const packed = compress(readFileSync(f));
      if (packed.length < st.size) {
        writeFileSync(out, packed);
        utimesSync(out, st.atimeMs / 1000, st.mtimeMs / 1000);  // "made from this version" (the server compares mtimes)
        stats.written++;
      } else if (existsSync(out)) {
        rmSync(out);
        stats.removed++;
      }
    }
  }
  return stats;
}

// Command line.
if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const args = process.argv.slice(2);
  const opt = (name) => {
    const i = args.indexOf(name);
    if (i < 0 || i + 1 >= args.length) {
      console.error('usage: node web/build-site.mjs --app DIR --shell DIR --site DIR');
      process.exit(2);
    }
    return path.resolve(args[i + 1]);
  };
  const appDir = opt('--app'), shellDir = opt('--shell'), siteDir = opt('--site');
  try {
    mkdirSync(siteDir, { recursive: true });
    const hashed = buildAppPage({ appDir, shellDir, siteDir, overrides: await minifyApp(appDir) });
    const s = precompress(siteDir);
    console.log(`build-site: ${Object.values(hashed).join(', ')}; precompressed ${s.written} new, ` +
                `${s.kept} up to date, ${s.removed} removed`);
  } catch (e) {
    console.error(e.message);
    process.exit(1);
  }
}
