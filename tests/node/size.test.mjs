// The web app's transfer size budget: what a browser downloads for the app page (index.html and
// every file it references, see web/site-size.mjs) as web/server.mjs sends it: the precompressed
// brotli siblings (every current browser accepts br); gzip is checked too, for clients without
// brotli. The release build carries no debug info or assertions.
//
// Measured (the full app: ImGui panels, the whole core with the base-image catalog and the
// built-in examples compiled in, the embedded font subset; emscripten 3.1.6), see bench/results.md:
//   session 3: index.html + index.js + index.wasm = 714 KB gzip (brotli was not served);
//   session 4 (perf), same build flags, served precompressed: 556.2 KB brotli / 723.3 KB gzip;
//   then fmt without std::locale (FMT_STATIC_THOUSANDS_SEPARATOR: libc++'s locale machinery
//   left the wasm) and a leaner emscripten JS runtime: 535.7 KB brotli / 696.2 KB gzip
//   (wasm 514.8 KB br, index.js 19.5 KB br, the rest 1.4 KB).
//   session 4 after merging every branch (compare and timeline panels, the editor's colouring,
//   undo, find and themes, embeds and share links, recovery): 598.1 KB brotli / 779.0 KB gzip
//   (wasm 568.8 KB br, index.js 27.7 KB br), measured in a fresh clone.
//   session 5 (perf): the base-image catalog compiled to data at build time instead of JSON
//   text: 591.3 KB brotli / 758.9 KB gzip.
//   session 6 (size): the web build with LTO and without RTTI (-flto -fno-rtti): 557.5 KB brotli /
//   711.5 KB gzip (wasm 527.5 KB br, index.js 28.4 KB br).
//   session 7 (size4): ImGui's unused ProggyClean font left out (wasm-ld --wrap of
//   ImFontAtlas::AddFontDefault, src/app/fonts/default_font.cpp) and emscripten's emmalloc:
//   548.9 KB brotli / 700.4 KB gzip (wasm 518.4 KB br, index.js 28.8 KB br).
// Budgets: the goal, 550 KB brotli, and the gzip figure measured with ~1 % headroom.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { transferSizes } from '../../web/site-size.mjs';
import { requireWebBuild, siteDir } from './support.mjs';

const BUDGET_BR = 550 * 1000;    // bytes, brotli as served
const BUDGET_GZIP = 708 * 1000;  // bytes, gzip as served

test(`the app's transfer size is under ${BUDGET_BR / 1000} KB brotli and ${BUDGET_GZIP / 1000} KB gzip`, () => {
  requireWebBuild();
  const { app } = transferSizes(siteDir);
  const detail = JSON.stringify(app.files);
  assert.ok(app.files.some((f) => f.file.endsWith('.wasm')), `the page references its wasm: ${detail}`);
  assert.ok(app.br < BUDGET_BR, `${app.br} bytes brotli: ${detail}`);
  assert.ok(app.gzip < BUDGET_GZIP, `${app.gzip} bytes gzip: ${detail}`);
});

// The custom sections of a wasm binary (name -> size): debug info lives in ".debug_*", function
// names in "name".
function customSections(bytes) {
  const out = {};
  let i = 8;
  const leb = () => {
    let r = 0, shift = 0, b;
    do {
      b = bytes[i++];
      r += (b & 0x7f) * 2 ** shift;
      shift += 7;
    } while (b & 0x80);
    return r;
  };
  while (i < bytes.length) {
    const id = bytes[i++];
    const size = leb();
    const end = i + size;
    if (id === 0) {
      const len = leb();
      out[Buffer.from(bytes.subarray(i, i + len)).toString('utf8')] = size;
    }
    i = end;
  }
  return out;
}

test('the release wasm has no debug info, no names and no assertion messages', () => {
  requireWebBuild();
  const { app } = transferSizes(siteDir);
  const appWasm = app.files.find((f) => f.file.endsWith('.wasm')).file;
  for (const f of [appWasm, path.join('api', 'dfplay-wasm.wasm')]) {
    const bytes = readFileSync(path.join(siteDir, f));
    const custom = Object.keys(customSections(bytes));
    assert.deepEqual(custom.filter((n) => n === 'name' || n.startsWith('.debug')), [], `${f}: ${custom}`);
    // An enabled assert() embeds its file name and expression: none of our sources may appear.
    const text = bytes.toString('latin1');
    for (const marker of ['imgui.cpp', 'imgui_widgets.cpp', 'workspace.cpp', 'build.cpp', 'Assertion failed']) {
      assert.equal(text.includes(marker), false, `${f} contains "${marker}": assertions are compiled in`);
    }
  }
});
