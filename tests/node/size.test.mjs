// The web app's transfer size budget: index.html + index.js + index.wasm, each gzip -9.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';

import { requireWebBuild, siteDir } from './support.mjs';

const BUDGET = 350 * 1000;  // bytes, gzip

test(`the app's transfer size is under ${BUDGET / 1000} KB gzip`, () => {
  requireWebBuild();
  let total = 0;
  const sizes = {};
  for (const f of ['index.html', 'index.js', 'index.wasm']) {
    sizes[f] = gzipSync(readFileSync(path.join(siteDir, f)), { level: 9 }).length;
    total += sizes[f];
  }
  assert.ok(total < BUDGET, `${total} bytes gzip: ${JSON.stringify(sizes)}`);
});
