// web/share-link.js under Node (which has the browser's CompressionStream): the link format of
// docs/share-links.md, its caps and its validation. The app's use of it: tests/browser/share.test.mjs.
import assert from 'node:assert/strict';
import { deflateRawSync } from 'node:zlib';
import { describe, test } from 'node:test';

import {
  decodeShareFragment, encodeShareFragment, hasShareFragment, MAX_DECODED_BYTES, MAX_ENCODED_CHARS, shareLink,
  ShareLinkError, validateShareState,
} from '../../web/share-link.js';

const STATE = {
  dockerfile: 'FROM node:20-alpine AS builder\nRUN echo "héllo ✓"\n',
  files: { 'package.json': '{"name": "x"}\n', 'src/server.ts': 'console.log(1)\n', '.dockerignore': 'node_modules\n',
           'assets/model.bin': { size: 12000000 } },
  options: { target: 'builder', platform: 'linux/arm64', build_args: { NODE_VERSION: '22' }, no_cache: true },
  tab: 'image',
  example: 'node-multistage',
};

// A fragment with arbitrary JSON text (or bytes) as its payload.
const fragmentOf = (text, version = 1) =>
  `s=${version}.${deflateRawSync(Buffer.from(text)).toString('base64url')}`;

async function rejects(promise, pattern) {
  await assert.rejects(promise, (e) => {
    assert.ok(e instanceof ShareLinkError, `a ShareLinkError, got ${e}`);
    assert.match(e.message, pattern);
    return true;
  });
}

describe('share links', () => {
  test('round trip: every field comes back exactly, non-ASCII text included', async () => {
    const fragment = await encodeShareFragment(STATE);
    assert.match(fragment, /^s=1\.[A-Za-z0-9_-]+$/);
    assert.ok(hasShareFragment('#' + fragment));
    assert.deepEqual(await decodeShareFragment('#' + fragment), STATE);
  });

  test('a link is the app URL without its query, with the fragment', async () => {
    const link = await shareLink({ example: 'go-distroless', tab: 'stages' }, 'https://play.example/index.html?embed=1#old');
    assert.match(link, /^https:\/\/play\.example\/index\.html#s=1\./);
    assert.deepEqual(await decodeShareFragment(new URL(link).hash), { example: 'go-distroless', tab: 'stages' });
  });

  test('the payload is compressed: a repetitive 100 KB Dockerfile makes a short link', async () => {
    const big = 'RUN echo hello world\n'.repeat(5000);
    const fragment = await encodeShareFragment({ dockerfile: big });
    assert.ok(fragment.length < 2000, `${fragment.length} characters`);
  });

  test('corrupt, truncated and foreign links are refused with a message', async () => {
    const good = await encodeShareFragment(STATE);
    await rejects(decodeShareFragment('#s=1.' + good.slice(4, 40)), /damaged|cut short/);
    await rejects(decodeShareFragment('#s=1.abc$def'), /damaged/);
    await rejects(decodeShareFragment('#s=1.'), /cut short/);
    await rejects(decodeShareFragment('#s=1.AAAAAAAA'), /damaged|cut short/);
    await rejects(decodeShareFragment('#s=hello'), /no format version/);
    await rejects(decodeShareFragment('#s=2.' + good.slice(4)), /newer playground/);
    await rejects(decodeShareFragment('#x=1'), /no playground state/);
    await rejects(decodeShareFragment('#' + fragmentOf('not json')), /not a playground state/);
    await rejects(decodeShareFragment('#' + fragmentOf(Buffer.from([0xff, 0xfe, 0x7b]))), /not a playground state/);
  });

  test('every field is validated', async () => {
    const bad = [
      [{ v: 1, dockerfile: 42 }, /Dockerfile is not text/],
      [{ v: 1, files: ['a'] }, /context files/],
      [{ v: 1, files: { a: 1 } }, /"a" is not text/],
      [{ v: 1, files: { a: { size: -1 } } }, /"a" is not text/],
      [{ v: 1, files: { a: { size: 1, x: 2 } } }, /"a" is not text/],
      [{ v: 1, options: { target: 3 } }, /target is not text/],
      [{ v: 1, options: { build_args: { 'A=B': 'x' } } }, /build arg/],
      [{ v: 1, options: { network: 'host' } }, /unknown build option "network"/],
      [{ v: 1, tab: 'settings' }, /unknown tab/],
      [{ v: 1, example: '../x' }, /invalid example/],
      [{ v: 1, extra: true }, /unknown field "extra"/],
      [{ v: 3 }, /newer playground/],
      [[], /does not hold a playground state/],
    ];
    for (const [state, pattern] of bad) {
      assert.throws(() => validateShareState(state), pattern);
      await rejects(decodeShareFragment('#' + fragmentOf(JSON.stringify(state))), pattern);
    }
  });

  test('caps: the encoded length and the decompressed size (the inflater stops at the cap)', async () => {
    await rejects(decodeShareFragment('#s=1.' + 'A'.repeat(MAX_ENCODED_CHARS + 4)), /too long/);
    // 64 MB of zeros deflate to ~64 KB: refused once MAX_DECODED_BYTES is passed, without
    // inflating the rest.
    const bomb = deflateRawSync(Buffer.alloc(64 * 1024 * 1024)).toString('base64url');
    assert.ok(bomb.length < MAX_ENCODED_CHARS);
    const started = performance.now();
    await rejects(decodeShareFragment('#s=1.' + bomb), /more than 4096 KB/);
    assert.ok(performance.now() - started < 30_000);
    const small = await encodeShareFragment({ dockerfile: 'FROM alpine\n' });
    await rejects(decodeShareFragment(small, { maxDecoded: 10 }), /more than/);
    assert.equal(MAX_DECODED_BYTES, 4 * 1024 * 1024);
  });
});
