// web/server.mjs: the static server behind script/server and the browser tests.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';

import { precompress } from '../../web/build-site.mjs';
import { acceptedEncodings, serve } from '../../web/server.mjs';

const CSP_APP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; frame-src 'self'; frame-ancestors *";
const CSP_OTHER = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; frame-src 'self'; frame-ancestors 'self'";
const HASHED = 'index.0123456789abcdef.js';
const BIG_JS = 'export const text = ' + JSON.stringify('let x = 1; '.repeat(2000)) + ';\n';

let dir, srv;

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'dfplay-site-'));
  mkdirSync(path.join(dir, 'api'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>t</title>');
  writeFileSync(path.join(dir, 'index.js'), 'console.log(1)');
  writeFileSync(path.join(dir, 'index.wasm'), Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
  writeFileSync(path.join(dir, 'api', 'dfplay-api.js'), BIG_JS);
  writeFileSync(path.join(dir, HASHED), BIG_JS);
  writeFileSync(path.join(dir, 'embed.js'), BIG_JS);
  mkdirSync(path.join(dir, 'tutorial'));
  writeFileSync(path.join(dir, 'tutorial', 'index.html'), '<!doctype html><title>tutorial</title>');
  precompress(dir);
  writeFileSync(path.join(tmpdir(), 'dfplay-outside.txt'), 'secret');
  srv = await serve({ root: dir, port: 0 });
});

after(async () => {
  await srv.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(path.join(tmpdir(), 'dfplay-outside.txt'), { force: true });
});

// Raw requests (fetch would normalise `..` away before sending).
function get(rawPath, method = 'GET', headers = {}) {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: srv.port, path: rawPath, method, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({
        status: res.statusCode, type: res.headers['content-type'], headers: res.headers, body: Buffer.concat(chunks),
      }));
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

  test('every response has the CSP and nosniff; only the app page may be framed by other sites', async () => {
    const responses = {
      '/': await get('/'),
      '/index.html': await get('/index.html'),
      '/?embed=1': await get('/?embed=1'),
      '/index.js': await get('/index.js'),
      '/tutorial/': await get('/tutorial/'),
      '/nope': await get('/nope'),
      'POST /': await get('/', 'POST'),
      '304': await get('/index.js', 'GET', { 'If-None-Match': (await get('/index.js')).headers.etag }),
    };
    for (const [what, r] of Object.entries(responses)) {
      assert.equal(r.headers['x-content-type-options'], 'nosniff', what);
      const framable = what === '/' || what === '/index.html' || what === '/?embed=1';
      assert.equal(r.headers['content-security-policy'], framable ? CSP_APP : CSP_OTHER, what);
    }
    assert.equal(responses['304'].status, 304);
  });

  test('precompressed variants by Accept-Encoding, with Vary', async () => {
    const plain = await get('/embed.js');
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal(plain.body.toString(), BIG_JS);
    assert.equal(plain.headers.vary, 'Accept-Encoding');
    assert.equal(Number(plain.headers['content-length']), Buffer.byteLength(BIG_JS));

    const br = await get('/embed.js', 'GET', { 'Accept-Encoding': 'gzip, deflate, br' });
    assert.equal(br.headers['content-encoding'], 'br');
    assert.equal(br.headers.vary, 'Accept-Encoding');
    assert.match(br.type, /^text\/javascript/);
    assert.ok(br.body.length < BIG_JS.length / 10, `${br.body.length} bytes`);
    assert.equal(Number(br.headers['content-length']), br.body.length);
    assert.equal(brotliDecompressSync(br.body).toString(), BIG_JS);

    const gz = await get('/api/dfplay-api.js', 'GET', { 'Accept-Encoding': 'gzip' });
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.equal(gunzipSync(gz.body).toString(), BIG_JS);

    const refused = await get('/embed.js', 'GET', { 'Accept-Encoding': 'br;q=0, gzip;q=0.5' });
    assert.equal(refused.headers['content-encoding'], 'gzip');
    const none = await get('/embed.js', 'GET', { 'Accept-Encoding': 'identity' });
    assert.equal(none.headers['content-encoding'], undefined);
    assert.equal(none.body.toString(), BIG_JS);

    // Files too small to gain have no variant: served as they are.
    const wasm = await get('/index.wasm', 'GET', { 'Accept-Encoding': 'br, gzip' });
    assert.equal(wasm.headers['content-encoding'], undefined);
    assert.equal(wasm.type, 'application/wasm');

    // HEAD tells the same headers as GET.
    const head = await get('/embed.js', 'HEAD', { 'Accept-Encoding': 'br' });
    assert.equal(head.headers['content-encoding'], 'br');
    assert.equal(head.headers['content-length'], br.headers['content-length']);
    assert.equal(head.body.length, 0);
  });

  test('Accept-Encoding parsing', () => {
    assert.deepEqual(acceptedEncodings('gzip, deflate, br'), ['br', 'gzip']);
    assert.deepEqual(acceptedEncodings('gzip;q=1.0, br;q=0'), ['gzip']);
    assert.deepEqual(acceptedEncodings('*'), ['br', 'gzip']);
    assert.deepEqual(acceptedEncodings('*;q=0, gzip'), ['gzip']);
    assert.deepEqual(acceptedEncodings(''), []);
    assert.deepEqual(acceptedEncodings(undefined), []);
    assert.deepEqual(acceptedEncodings('BR'), ['br']);
  });

  test('hashed names are immutable; HTML and stable names are revalidated with strong ETags', async () => {
    const hashed = await get('/' + HASHED, 'GET', { 'Accept-Encoding': 'br' });
    assert.equal(hashed.headers['cache-control'], 'public, max-age=31536000, immutable');
    for (const p of ['/', '/index.html', '/embed.js', '/api/dfplay-api.js', '/index.wasm', '/tutorial/']) {
      const r = await get(p);
      assert.equal(r.status, 200, p);
      assert.equal(r.headers['cache-control'], 'no-cache', p);
      assert.match(r.headers.etag, /^"[A-Za-z0-9_-]{20,}"$/, `${p}: a strong ETag`);
    }
  });

  test('If-None-Match gives 304 per representation; a changed file gets a new ETag', async () => {
    const plain = await get('/embed.js');
    const br = await get('/embed.js', 'GET', { 'Accept-Encoding': 'br' });
    assert.notEqual(plain.headers.etag, br.headers.etag, 'each encoding has its own strong ETag');
    const again = await get('/embed.js', 'GET', { 'If-None-Match': plain.headers.etag });
    assert.equal(again.status, 304);
    assert.equal(again.body.length, 0);
    assert.equal(again.headers.etag, plain.headers.etag);
    assert.equal(again.headers['cache-control'], 'no-cache');
    const brAgain = await get('/embed.js', 'GET', { 'Accept-Encoding': 'br', 'If-None-Match': `"x", ${br.headers.etag}` });
    assert.equal(brAgain.status, 304);
    assert.equal(brAgain.headers['content-encoding'], 'br');
    // The other representation's ETag does not match.
    assert.equal((await get('/embed.js', 'GET', { 'If-None-Match': br.headers.etag })).status, 200);
    assert.equal((await get('/embed.js', 'GET', { 'If-None-Match': 'W/' + plain.headers.etag })).status, 304);
    assert.equal((await get('/embed.js', 'GET', { 'If-None-Match': '"nope"' })).status, 200);

    const f = path.join(dir, 'tutorial', 'index.html');
    const before = await get('/tutorial/');
    writeFileSync(f, '<!doctype html><title>tutorial, edited</title>');
    const future = new Date(Date.now() + 5000);
    utimesSync(f, future, future);
    const changed = await get('/tutorial/', 'GET', { 'If-None-Match': before.headers.etag });
    assert.equal(changed.status, 200);
    assert.notEqual(changed.headers.etag, before.headers.etag);
    assert.match(changed.body.toString(), /edited/);
  });

  test('a precompressed sibling older than its file is not served', async () => {
    const f = path.join(dir, 'embed.js');
    const edited = BIG_JS.replace('let x = 1;', 'let y = 2;');
    writeFileSync(f, edited);
    const future = new Date(Date.now() + 10_000);
    utimesSync(f, future, future);
    const r = await get('/embed.js', 'GET', { 'Accept-Encoding': 'br, gzip' });
    assert.equal(r.headers['content-encoding'], undefined);
    assert.equal(r.body.toString(), edited);
    precompress(dir);  // rewrites the stale siblings
    const again = await get('/embed.js', 'GET', { 'Accept-Encoding': 'br, gzip' });
    assert.equal(again.headers['content-encoding'], 'br');
    assert.equal(brotliDecompressSync(again.body).toString(), edited);
  });
});

