// Share links: the playground's whole state in the URL fragment, `#s=<version>.<payload>`.
// payload = base64url(deflate-raw(UTF-8(JSON))), the JSON being
//   {"v": 1, "dockerfile": "...", "dockerfile_path": "Dockerfile", "files": {"path": "content"},
//    "options": {"target": "", "platform": "linux/amd64", "build_args": {"NAME": "value"}, "no_cache": false},
//    "tab": "image", "example": "node-multistage"}
// (a context file known by its size only, a binary stand-in, is {"size": bytes} instead of text)
// Version 2 is version 1 plus "compare": {"a": {example, dockerfile, dockerfile_path, files,
// options}}, compare mode with that side pinned as A (the rest of the state is B, the side being
// edited). A link is written in the lowest version that holds its state (1 without compare), and
// both versions are read. Every field but "v" is optional. docs/share-links.md is the reference.
// Used by the app page (src/app/page_share.js) and by anyone who wants to build a link (an ES
// module, no dependencies: the browser's CompressionStream / DecompressionStream).

export const SHARE_VERSION = 2;  // the newest version written and read
export const SHARE_VERSIONS = [1, 2];
export const SHARE_PREFIX = 's=';
// Caps on what a link may cost to open (docs/share-links.md).
export const MAX_ENCODED_CHARS = 1_000_000;      // the payload, in base64url characters
export const MAX_DECODED_BYTES = 4 * 1024 * 1024; // the JSON after decompression, in bytes
export const TABS = ['stages', 'build', 'image', 'findings', 'problems', 'context', 'compare', 'timeline'];
const OPTION_KEYS = ['target', 'platform', 'build_args', 'no_cache'];
const SIDE_KEYS = ['example', 'dockerfile', 'dockerfile_path', 'files', 'options'];
const TOP_KEYS = ['v', 'tab', 'compare', ...SIDE_KEYS];

/** A share link that cannot be opened; `message` says why in words a user understands. */
export class ShareLinkError extends Error {
  constructor(message) {
    super(message);
    this.name = 'ShareLinkError';
  }
}

function bytesToBase64url(bytes) {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function base64urlToBytes(text) {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new ShareLinkError('the link is damaged (characters that do not belong in it)');
  if (text.length % 4 === 1) throw new ShareLinkError('the link is cut short (its data ends mid-character)');
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((text.length + 3) % 4);
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

async function compress(bytes) {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

// Inflates `bytes`, stopping (and cancelling the stream) as soon as the output passes `cap`.
async function decompress(bytes, cap) {
  const reader = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw')).getReader();
  const chunks = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > cap) {
        reader.cancel().catch(() => {});
        throw new ShareLinkError(`the link holds more than ${Math.round(cap / 1024)} KB of data, more than a playground link may carry`);
      }
      chunks.push(value);
    }
  } catch (e) {
    if (e instanceof ShareLinkError) throw e;
    throw new ShareLinkError('the link is damaged or cut short (its data does not decompress)');
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function isPlainObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

// Sets a name of a {name: value} map as an own property: `map[name] = value` would set the
// prototype instead for the name "__proto__" (a valid path or build-arg name), losing it.
function put(map, name, value) {
  Object.defineProperty(map, name, { value, enumerable: true, writable: true, configurable: true });
}

const newer = (v) => `the link was made by a newer playground (format ${v}; this one reads ${SHARE_VERSIONS.join(' and ')})`;

// One side's fields (the whole state's, or compare.a's) into `out`; `of` names it in messages
// ("the link's" or "the link's side A").
function validateSide(j, out, of) {
  if ('dockerfile' in j) {
    if (typeof j.dockerfile !== 'string') throw new ShareLinkError(`${of} Dockerfile is not text`);
    out.dockerfile = j.dockerfile;
  }
  if ('dockerfile_path' in j) {
    if (typeof j.dockerfile_path !== 'string' || !j.dockerfile_path) throw new ShareLinkError(`${of} Dockerfile path is not valid`);
    out.dockerfile_path = j.dockerfile_path;
  }
  if ('files' in j) {
    if (!isPlainObject(j.files)) throw new ShareLinkError(`${of} context files are not a list of files`);
    const files = {};
    for (const [path, content] of Object.entries(j.files)) {
      if (!path) throw new ShareLinkError(`${of} context has a file without a name`);
      if (isPlainObject(content) && Object.keys(content).length === 1 && Number.isSafeInteger(content.size) && content.size >= 0) {
        put(files, path, { size: content.size });  // a file known by its size only
        continue;
      }
      if (typeof content !== 'string') throw new ShareLinkError(`${of} context file "${path}" is not text`);
      put(files, path, content);
    }
    out.files = files;
  }
  if ('options' in j) {
    const o = j.options;
    if (!isPlainObject(o)) throw new ShareLinkError(`${of} build options are not valid`);
    const opts = {};
    for (const k of Object.keys(o)) if (!OPTION_KEYS.includes(k)) throw new ShareLinkError(`${of} build option "${k}" is unknown`);
    for (const k of ['target', 'platform']) {
      if (k in o) {
        if (typeof o[k] !== 'string') throw new ShareLinkError(`${of} ${k} is not text`);
        opts[k] = o[k];
      }
    }
    if ('build_args' in o) {
      if (!isPlainObject(o.build_args)) throw new ShareLinkError(`${of} build args are not NAME=value pairs`);
      const args = {};
      for (const [name, value] of Object.entries(o.build_args)) {
        if (!name || name.includes('=') || typeof value !== 'string') throw new ShareLinkError(`${of} build arg "${name}" is not valid`);
        put(args, name, value);
      }
      opts.build_args = args;
    }
    if ('no_cache' in o) {
      if (typeof o.no_cache !== 'boolean') throw new ShareLinkError(`${of} no_cache is not true or false`);
      opts.no_cache = o.no_cache;
    }
    out.options = opts;
  }
  if ('example' in j) {
    if (typeof j.example !== 'string' || !/^[a-z0-9][a-z0-9-]{0,63}$/.test(j.example)) throw new ShareLinkError(`${of} example name is invalid`);
    out.example = j.example;
  }
  return out;
}

/**
 * Checks a decoded state and returns a clean copy: {dockerfile?, dockerfile_path?, files?, options?,
 * tab?, example?, compare?: {a: {example?, dockerfile?, dockerfile_path?, files?, options?}}} (without
 * "v"). Version 1 states have no compare. Throws ShareLinkError naming the field.
 */
export function validateShareState(j) {
  if (!isPlainObject(j)) throw new ShareLinkError('the link does not hold a playground state');
  if (!SHARE_VERSIONS.includes(j.v)) {
    throw new ShareLinkError(typeof j.v === 'number' && j.v > SHARE_VERSION ? newer(j.v) : 'the link has no valid format version');
  }
  for (const k of Object.keys(j)) {
    if (!TOP_KEYS.includes(k) || (k === 'compare' && j.v < 2)) throw new ShareLinkError(`the link has an unknown field "${k}"`);
  }
  const out = validateSide(j, {}, 'the link\'s');
  if ('tab' in j) {
    // (String() of a decoded object can throw: {"toString": 1} has no usable conversion)
    if (typeof j.tab !== 'string') throw new ShareLinkError('the link\'s tab is not text');
    if (!TABS.includes(j.tab)) throw new ShareLinkError(`the link names an unknown tab "${j.tab.slice(0, 40)}"`);
    out.tab = j.tab;
  }
  if ('compare' in j) {
    const c = j.compare;
    if (!isPlainObject(c) || !isPlainObject(c.a)) throw new ShareLinkError('the link\'s comparison is not valid (it needs a side A)');
    for (const k of Object.keys(c)) if (k !== 'a') throw new ShareLinkError(`the link's comparison has an unknown field "${k}"`);
    for (const k of Object.keys(c.a)) if (!SIDE_KEYS.includes(k)) throw new ShareLinkError(`the link's side A has an unknown field "${k}"`);
    const a = validateSide(c.a, {}, 'the link\'s side A');
    if (!('dockerfile' in a) && !('files' in a) && !('example' in a)) throw new ShareLinkError('the link\'s side A holds no Dockerfile');
    out.compare = { a };
  }
  return out;
}

/** The fragment (without '#') for a state: "s=1.<payload>", or "s=2.<payload>" with compare. */
export async function encodeShareFragment(state) {
  const { v: _, ...rest } = state || {};
  const v = rest.compare !== undefined ? 2 : 1;
  const clean = validateShareState({ ...rest, v });
  const json = JSON.stringify({ v, ...clean });
  const payload = bytesToBase64url(await compress(new TextEncoder().encode(json)));
  if (payload.length > MAX_ENCODED_CHARS) {
    throw new ShareLinkError(`this state is too big for a link (${payload.length} characters; at most ${MAX_ENCODED_CHARS})`);
  }
  return `${SHARE_PREFIX}${v}.${payload}`;
}

/** A full link: `base` (the app's URL; query and fragment dropped) + "#s=1.<payload>". */
export async function shareLink(state, base) {
  const url = new URL(base);
  url.search = '';
  url.hash = await encodeShareFragment(state);
  return url.href;
}

/** Is there a share fragment in this hash ("#s=..." or "s=...")? */
export function hasShareFragment(hash) {
  return String(hash || '').replace(/^#/, '').startsWith(SHARE_PREFIX);
}

/** Decodes "#s=1.<payload>" (or without '#') into a validated state; throws ShareLinkError. */
export async function decodeShareFragment(hash, { maxEncoded = MAX_ENCODED_CHARS, maxDecoded = MAX_DECODED_BYTES } = {}) {
  const text = String(hash || '').replace(/^#/, '');
  if (!text.startsWith(SHARE_PREFIX)) throw new ShareLinkError('the link has no playground state (#s=...)');
  const body = text.slice(SHARE_PREFIX.length);
  const dot = body.indexOf('.');
  if (dot <= 0) throw new ShareLinkError('the link is damaged (no format version)');
  const version = body.slice(0, dot);
  if (!/^[0-9]{1,6}$/.test(version)) throw new ShareLinkError('the link is damaged (no format version)');
  if (!SHARE_VERSIONS.includes(Number(version))) {
    throw new ShareLinkError(Number(version) > SHARE_VERSION ? newer(version) : `the link has an unknown format (${version})`);
  }
  const payload = body.slice(dot + 1);
  if (payload.length > maxEncoded) {
    throw new ShareLinkError(`the link is too long (${payload.length} characters; at most ${maxEncoded})`);
  }
  if (!payload) throw new ShareLinkError('the link is cut short (no data after the version)');
  const bytes = await decompress(base64urlToBytes(payload), maxDecoded);
  let json;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new ShareLinkError('the link is damaged (its data is not a playground state)');
  }
  if (isPlainObject(json) && json.v !== Number(version) && SHARE_VERSIONS.includes(json.v)) {
    throw new ShareLinkError('the link is damaged (its two format versions differ)');
  }
  return validateShareState(json);
}
