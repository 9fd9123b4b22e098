// web/share-link.js under Node (which has the browser's CompressionStream): the link format of
// docs/share-links.md (versions 1 and 2: 2 adds compare mode's side A), its caps and its
// validation. The app's use of it: tests/browser/share.test.mjs.
import assert from 'node:assert/strict';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
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
    await rejects(decodeShareFragment('#s=3.' + good.slice(4)), /newer playground/);
    await rejects(decodeShareFragment('#s=0.' + good.slice(4)), /unknown format/);
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
      [{ v: 1, options: { network: 'host' } }, /build option "network" is unknown/],
      [{ v: 1, tab: 'settings' }, /unknown tab/],
      // found by the share-link fuzzer: String() of this object throws a TypeError
      [{ v: 1, tab: { toString: 1, valueOf: 1 } }, /tab is not text/],
      [{ v: 1, example: '../x' }, /example name is invalid/],
      [{ v: 1, extra: true }, /unknown field "extra"/],
      [{ v: 3 }, /newer playground/],
      [[], /does not hold a playground state/],
    ];
    for (const [state, pattern] of bad) {
      assert.throws(() => validateShareState(state), pattern);
      await rejects(decodeShareFragment('#' + fragmentOf(JSON.stringify(state))), pattern);
    }
  });

  test('version 2: compare mode\'s side A round-trips; a state without compare is still written as version 1', async () => {
    const compare = {
      a: { dockerfile: 'FROM node:20\nCOPY . .\nRUN npm ci\n', dockerfile_path: 'docker/Dockerfile',
           files: { 'package.json': '{"name": "a"}\n', 'big.bin': { size: 5 } },
           options: { target: '', build_args: { X: '1' }, no_cache: false } },
    };
    const state = { ...STATE, tab: 'compare', compare };
    const fragment = await encodeShareFragment(state);
    assert.match(fragment, /^s=2\.[A-Za-z0-9_-]+$/);
    assert.deepEqual(await decodeShareFragment('#' + fragment), state);
    // Side A by example id only (a short link).
    const short = await encodeShareFragment({ example: 'node-multistage', compare: { a: { example: 'node-naive' } }, tab: 'compare' });
    assert.ok(short.length < 120, `${short.length} characters`);
    assert.deepEqual(await decodeShareFragment(short), { example: 'node-multistage', tab: 'compare', compare: { a: { example: 'node-naive' } } });
    // Without compare: version 1, byte for byte what version 1 wrote (old readers open it).
    const plain = await encodeShareFragment(STATE);
    assert.match(plain, /^s=1\./);
    assert.equal(JSON.parse(inflateRawSync(Buffer.from(plain.slice(4), 'base64url'))).v, 1);
    // A "v" in the input is ignored: the version follows the content.
    assert.match(await encodeShareFragment({ v: 1, ...state }), /^s=2\./);
  });

  test('old version 1 links still open', async () => {
    // Written the way version 1 wrote them (JSON with "v": 1 in an "s=1." fragment), not by this encoder.
    const v1 = { v: 1, dockerfile: 'FROM alpine\n', files: { a: 'x\n' }, options: { target: 't' }, tab: 'build', example: 'go-distroless' };
    const { v, ...expected } = v1;
    assert.equal(v, 1);
    assert.deepEqual(await decodeShareFragment('#' + fragmentOf(JSON.stringify(v1))), expected);
    assert.deepEqual(await decodeShareFragment('#' + fragmentOf(JSON.stringify({ v: 1, example: 'node-naive' }))), { example: 'node-naive' });
    // compare is a version 2 field: not in a version 1 state.
    await rejects(decodeShareFragment('#' + fragmentOf(JSON.stringify({ v: 1, compare: { a: { example: 'x' } } }))), /unknown field "compare"/);
    // The fragment's version and the JSON's must agree.
    await rejects(decodeShareFragment('#' + fragmentOf(JSON.stringify({ v: 2, example: 'x' }), 1)), /versions differ/);
    await rejects(decodeShareFragment('#' + fragmentOf(JSON.stringify({ v: 1, example: 'x' }), 2)), /versions differ/);
  });

  test('a bad compare field is refused with a message naming it', async () => {
    const bad = [
      [{ compare: null }, /comparison is not valid/],
      [{ compare: [] }, /comparison is not valid/],
      [{ compare: {} }, /comparison is not valid/],
      [{ compare: { a: 'FROM x' } }, /comparison is not valid/],
      [{ compare: { a: {}, b: {} } }, /comparison has an unknown field "b"/],
      [{ compare: { a: {} } }, /side A holds no Dockerfile/],
      [{ compare: { a: { tab: 'image', dockerfile: '' } } }, /side A has an unknown field "tab"/],
      [{ compare: { a: { compare: {}, dockerfile: '' } } }, /side A has an unknown field "compare"/],
      [{ compare: { a: { dockerfile: 7 } } }, /side A Dockerfile is not text/],
      [{ compare: { a: { files: { x: 1 } } } }, /side A context file "x" is not text/],
      [{ compare: { a: { files: { '': 'x' } } } }, /side A context has a file without a name/],
      [{ compare: { a: { dockerfile: '', options: { target: 1 } } } }, /side A target is not text/],
      [{ compare: { a: { dockerfile: '', options: { build_args: { 'A=B': 'x' } } } } }, /side A build arg "A=B"/],
      [{ compare: { a: { example: 'Bad Name' } } }, /side A example name is invalid/],
    ];
    for (const [state, pattern] of bad) {
      assert.throws(() => validateShareState({ v: 2, ...state }), pattern);
      await rejects(decodeShareFragment('#' + fragmentOf(JSON.stringify({ v: 2, ...state }), 2)), pattern);
      await rejects(encodeShareFragment(state), pattern);
    }
  });

  test('the caps cover both sides: an oversized comparison is refused like any oversized link', async () => {
    // Two sides of incompressible text over the 4 MiB cap once decompressed.
    const noise = (n) => Array.from({ length: n }, (_, i) => ((i * 2654435761) >>> 0).toString(36)).join('\n');
    const huge = { v: 2, dockerfile: noise(250_000), compare: { a: { dockerfile: noise(250_000) } } };
    const fragment = fragmentOf(JSON.stringify(huge), 2);
    assert.ok(JSON.stringify(huge).length > MAX_DECODED_BYTES);
    await rejects(decodeShareFragment('#' + fragment), /more than 4096 KB|too long/);
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
