// web/server.mjs: the static server behind script/server and the browser tests.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { serve } from '../../web/server.mjs';

let dir, srv;

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'dfplay-site-'));
  mkdirSync(path.join(dir, 'api'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>t</title>');
  writeFileSync(path.join(dir, 'index.js'), 'console.log(1)');
  writeFileSync(path.join(dir, 'index.wasm'), Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
  writeFileSync(path.join(dir, 'api', 'dfplay-api.js'), 'export {}');
  writeFileSync(path.join(tmpdir(), 'dfplay-outside.txt'), 'secret');
  srv = await serve({ root: dir, port: 0 });
});

after(async () => {
  await srv.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(path.join(tmpdir(), 'dfplay-outside.txt'), { force: true });
});

// Raw requests (fetch would normalise `..` away before sending).
function get(rawPath, method = 'GET') {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: srv.port, path: rawPath, method }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, type: res.headers['content-type'], body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('static server', () => {
  test('listens on loopback and reports its URL', () => {
    assert.match(srv.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    assert.ok(srv.port > 0);
  });

  test('serves .wasm as application/wasm and the other types', async () => {
    const wasm = await get('/index.wasm');
    assert.equal(wasm.status, 200);
    assert.equal(wasm.type, 'application/wasm');
    assert.equal(wasm.body.length, 8);
    assert.match((await get('/index.js')).type, /^text\/javascript/);
    assert.match((await get('/api/dfplay-api.js')).type, /^text\/javascript/);
    const index = await get('/');
    assert.equal(index.status, 200);
    assert.match(index.type, /^text\/html/);
    assert.match((await get('/index.html?v=1')).type, /^text\/html/);
  });

  test('missing files are 404, and nothing outside the root is served', async () => {
    assert.equal((await get('/nope.js')).status, 404);
    assert.equal((await get('/../dfplay-outside.txt')).status, 404);
    assert.equal((await get('/%2e%2e/dfplay-outside.txt')).status, 404);
    assert.equal((await get('/api/..%2f..%2fdfplay-outside.txt')).status, 404);
    assert.equal((await get('/%E0%A4%A')).status, 404);
    assert.equal((await get('/index.html%00.js')).status, 404);
  });

  test('HEAD has no body; other methods are refused', async () => {
    const head = await get('/index.js', 'HEAD');
    assert.equal(head.status, 200);
    assert.equal(head.body.length, 0);
    assert.equal((await get('/index.js', 'POST')).status, 405);
  });
});
