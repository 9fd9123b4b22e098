// Fuzz driver for the share-link decoder (web/share-link.js, JavaScript: not a libFuzzer target).
//
//   node fuzz/share_link.mjs [--seconds N | --runs N] [--seed N] [--findings DIR] [--timeout S] [--module M]
//   (--module: another implementation of web/share-link.js's exports, for the driver's own test)
//   (script/fuzz share_link SECONDS runs it; tests/node/fuzz-share-link.test.mjs runs it briefly)
//
// Inputs are mutated from a seed corpus of real links (every built-in example encoded with
// encodeShareFragment, as the app does, plus a few hand-made states) and from the regression
// inputs in fuzz/regressions/share_link/ (replayed first), at four levels: the fragment text, the
// compressed bytes, the JSON text inside, and the JSON structure (values of other types, unknown
// and dangerous keys). There is no coverage feedback in JavaScript; an input whose outcome (the
// error message with names and numbers taken out, or the shape of the decoded state) was not seen
// before joins the corpus, which steers mutation towards the decoder's deeper checks.
//
// A finding: decodeShareFragment throws anything but a ShareLinkError (or one without a message),
// returns something that is not a plain JSON object (any object with another prototype
// included), drops or renames a file or build-arg name, a decoded state does not survive
// encode -> decode unchanged, one decode takes over 5 s, or no decode finishes for --timeout seconds (a hang: the
// decoding runs in a worker thread, watched from the main thread). The input goes to
// FINDINGS/<kind>-<hash> (default build/fuzz/findings/share_link) and the exit status is 1.
// Prints `fuzz share_link: N runs in S s, 0 findings (corpus: N inputs)`.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MAX_INPUT = 1 << 20;  // the longest input kept in the shared buffer for a hang report
const SLOW_MS = 5000;       // one decode taking longer is a finding (generous: CI machines are shared)

function parseArgs(argv) {
  const opts = { seconds: 0, runs: 0, seed: Date.now() % 2147483647, findings: path.join(root, 'build/fuzz/findings/share_link'),
                 timeout: 10, module: path.join(root, 'web/share-link.js') };
  for (let i = 0; i < argv.length; i++) {
    const [k, v] = [argv[i], argv[i + 1]];
    if (k === '--seconds') opts.seconds = Number(v), i++;
    else if (k === '--runs') opts.runs = Number(v), i++;
    else if (k === '--seed') opts.seed = Number(v), i++;
    else if (k === '--findings') opts.findings = path.resolve(v), i++;
    else if (k === '--timeout') opts.timeout = Number(v), i++;
    else if (k === '--module') opts.module = path.resolve(v), i++;
    else throw new Error(`share_link fuzzer: unknown argument ${k}`);
  }
  if (!opts.seconds && !opts.runs) opts.seconds = 60;
  return opts;
}

// ---- main thread: the watchdog ---------------------------------------------------------------
if (isMainThread) {
  const opts = parseArgs(process.argv.slice(2));
  const shared = new SharedArrayBuffer(8 + MAX_INPUT);
  const head = new Int32Array(shared, 0, 2);  // [runs finished, length of the current input]
  const current = new Uint8Array(shared, 8);
  const worker = new Worker(fileURLToPath(import.meta.url), { workerData: { opts, shared } });
  const started = Date.now();
  let lastRuns = -1, lastChange = Date.now(), ended = false;
  const save = (kind, bytes) => {
    fs.mkdirSync(opts.findings, { recursive: true });
    const file = path.join(opts.findings, `${kind}-${createHash('sha1').update(bytes).digest('hex').slice(0, 16)}`);
    fs.writeFileSync(file, bytes);
    return file;
  };
  const end = (status, line) => {
    if (ended) return;
    ended = true;
    clearInterval(watch);
    (status === 0 ? console.log : console.error)(line);
    worker.terminate().finally(() => process.exit(status));
  };
  let ready = false;  // the watchdog starts once the worker has its seeds (start-up at nice 19 can be slow)
  const watch = setInterval(() => {
    if (!ready) { lastChange = Date.now(); return; }
    const runs = Atomics.load(head, 0);
    if (runs !== lastRuns) { lastRuns = runs; lastChange = Date.now(); return; }
    if (Date.now() - lastChange > opts.timeout * 1000) {
      const input = Buffer.from(current.slice(0, Atomics.load(head, 1)));
      end(1, `fuzz share_link: FINDING after ${runs} runs: no decode finished for ${opts.timeout} s (a hang): ${save('hang', input)}`);
    }
  }, 250);
  worker.on('message', (m) => {
    if (m.kind === 'ready') {
      ready = true;
    } else if (m.kind === 'finding') {
      end(1, `fuzz share_link: FINDING after ${m.runs} runs (seed ${opts.seed}): ${m.what}: ${save(m.what.split(' ')[0], Buffer.from(m.input))}`);
    } else if (m.kind === 'done') {
      const s = ((Date.now() - started) / 1000).toFixed(0);
      end(0, `fuzz share_link: ${m.runs} runs in ${s} s, 0 findings (corpus: ${m.corpus} inputs, ${m.replayed} regressions replayed, ` +
             `${m.decoded} decoded, slowest ${m.slowestMs.toFixed(0)} ms, seed ${opts.seed})`);
    }
  });
  worker.on('error', (e) => end(1, `fuzz share_link: FINDING: the worker died: ${e?.stack || e}`));
  worker.on('exit', (code) => end(1, `fuzz share_link: the worker exited (${code}) without a result`));
} else {
  await fuzz(workerData.opts, workerData.shared);
}

// ---- worker: the fuzzing loop ----------------------------------------------------------------
async function fuzz(opts, shared) {
  const { decodeShareFragment, encodeShareFragment, ShareLinkError } = await import(pathToFileURL(opts.module).href);
  const head = new Int32Array(shared, 0, 2);
  const current = new Uint8Array(shared, 8);
  const encoder = new TextEncoder();
  const rng = mulberry32(opts.seed);
  const pick = (a) => a[Math.floor(rng() * a.length)];
  const int = (n) => Math.floor(rng() * n);

  const finding = (what, input) => {
    parentPort.postMessage({ kind: 'finding', what, input: encoder.encode(input), runs: Atomics.load(head, 0) });
    return new Promise(() => {});  // the main thread ends everything
  };

  // One decode, checked. Returns the outcome's signature (for the corpus).
  let decoded = 0, slowestMs = 0;
  async function check(input) {
    const { written } = encoder.encodeInto(input, current);
    Atomics.store(head, 1, written);
    const t = performance.now();
    let state;
    try {
      state = await decodeShareFragment(input);
    } catch (e) {
      const ms = performance.now() - t;
      slowestMs = Math.max(slowestMs, ms);
      if (!(e instanceof ShareLinkError)) return finding(`throw not a ShareLinkError: ${e?.stack || e}`, input);
      if (typeof e.message !== 'string' || !e.message) return finding('throw a ShareLinkError without a message', input);
      if (ms > SLOW_MS) return finding(`slow: a refusal took ${ms.toFixed(0)} ms`, input);
      return 'error:' + e.message.replace(/"[^"]*"/g, '""').replace(/[0-9]+/g, 'N');
    }
    const ms = performance.now() - t;
    slowestMs = Math.max(slowestMs, ms);
    if (ms > SLOW_MS) return finding(`slow: a decode took ${ms.toFixed(0)} ms`, input);
    decoded++;
    if (state === null || typeof state !== 'object' || Array.isArray(state) || Object.getPrototypeOf(state) !== Object.prototype) {
      return finding(`result not a plain object: ${String(state)}`, input);
    }
    const odd = strangeObject(state);
    if (odd) return finding(`result holds ${odd}`, input);
    // The maps of the format keep every name they were given (a path or build-arg name that the
    // decoder drops or turns into something else is lost data).
    let raw;
    try { raw = JSON.parse(inflateRawSync(Buffer.from(input.replace(/^#?s=[^.]*\./, ''), 'base64url')).toString('utf8')); } catch { raw = null; }
    for (const [name, from, to] of [['files', raw?.files, state.files], ['build_args', raw?.options?.build_args, state.options?.build_args]]) {
      if (from && to && JSON.stringify(Object.keys(from)) !== JSON.stringify(Object.keys(to))) {
        return finding(`lost names: ${name} ${JSON.stringify(Object.keys(from)).slice(0, 200)} became ${JSON.stringify(Object.keys(to)).slice(0, 200)}`, input);
      }
    }
    let again;
    try {
      again = await decodeShareFragment(await encodeShareFragment(state));
    } catch (e) {
      if (!(e instanceof ShareLinkError)) return finding(`roundtrip threw: ${e?.stack || e}`, input);
      return 'ok-unencodable:' + e.message.replace(/[0-9]+/g, 'N');
    }
    const a = JSON.stringify(state), b = JSON.stringify(again);
    if (a !== b) return finding(`roundtrip changed the state: ${a.slice(0, 300)} -> ${b.slice(0, 300)}`, input);
    return 'ok:' + shape(state);
  }

  // Seeds: real links from the built-in examples, a few hand-made states, the regressions.
  const seeds = [];
  const examples = path.join(root, 'examples');
  for (const id of fs.existsSync(examples) ? fs.readdirSync(examples).sort() : []) {
    const dir = path.join(examples, id);
    const files = {};
    let dockerfile = '';
    for (const rel of listFiles(dir)) {
      const text = fs.readFileSync(path.join(dir, rel), 'utf8');
      if (rel === 'Dockerfile') dockerfile = text;
      else if (rel !== 'README.md') files[rel] = text;
    }
    seeds.push(await encodeShareFragment({ example: id, options: { target: '', build_args: {} }, tab: 'build' }));
    seeds.push(await encodeShareFragment({ example: id, dockerfile, files }));
    seeds.push(await encodeShareFragment({ dockerfile, files: { ...files, 'big.bin': { size: 123456789 } },
                                           options: { platform: 'linux/arm64', no_cache: true, build_args: { A: '1' } }, tab: 'image' }));
  }
  seeds.push(await encodeShareFragment({ dockerfile: 'FROM alpine\nRUN echo "héllo ✓ \u{1F433}"\n', dockerfile_path: 'docker/Dockerfile.dev' }));
  seeds.push(await encodeShareFragment({}));
  const regressionsDir = path.join(root, 'fuzz/regressions/share_link');
  const regressions = fs.existsSync(regressionsDir) ? fs.readdirSync(regressionsDir).sort().map((f) => fs.readFileSync(path.join(regressionsDir, f), 'utf8')) : [];

  parentPort.postMessage({ kind: 'ready' });
  const corpus = [];
  const seen = new Set();
  let runs = 0;
  const run = async (input) => {
    const sig = await check(input);
    Atomics.store(head, 0, ++runs);
    if (!seen.has(sig)) { seen.add(sig); if (input.length <= 200000 && corpus.length < 10000) corpus.push(input); }
  };
  for (const input of regressions) await run(input);
  for (const input of seeds) await run(input);
  for (const input of seeds) if (!corpus.includes(input)) corpus.push(input);

  // Mutators. Each takes a link from the corpus and returns a new input string.
  const DICT = ['"v":1', '"v":2', '"v":"1"', '"dockerfile":', '"files":', '"options":', '"tab":', '"example":', '"dockerfile_path":',
    '"build_args":', '"no_cache":', '"target":', '"platform":', '{"size":', '"size":-1', '"size":1e309', '9007199254740993', '-0',
    '1e999', 'null', 'true', '[]', '{}', '""', '"__proto__":', '"constructor":', '"prototype":', '"toString":', '"hasOwnProperty":',
    '"\\ud800"', '"\\udc00x"', '"\\u0000"', '"a=b":', '"compare":', '"b":', '"a":', ',', ':', '{', '}', '[', ']', '"', '\\'];
  const KEYS = ['v', 'dockerfile', 'dockerfile_path', 'files', 'options', 'tab', 'example', 'target', 'platform', 'build_args',
    'no_cache', 'size', '__proto__', 'constructor', 'toString', 'valueOf', 'compare', 'a', 'b', '', 'x=y', '\ud800', 'Dockerfile'];
  const VALUES = [null, true, false, 0, -1, 1, 1.5, 2 ** 53, -(2 ** 53), 1e308, '', 'x', '\ud800', '\u0000', 'image', 'build',
    'node-multistage', 'Bad Id', [], [1], {}, { size: 5 }, { size: -5 }, { size: 1.5 }, { size: 5, x: 1 }, { __proto__: null }];
  const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const OTHER = ['=', '.', '#', '+', '/', ' ', '%', '\n', '\u00e9', '\ud800', '\u{1F433}', '\0'];
  const prefixOf = (link) => { const m = /^(#?s=[^.]*\.)/.exec(link); return m ? m[1] : ''; };
  const payloadOf = (link) => link.slice(prefixOf(link).length);
  const jsonOf = (link) => {
    try { return inflateRawSync(Buffer.from(payloadOf(link), 'base64url'), { maxOutputLength: 8 << 20 }).toString('latin1'); } catch { return null; }
  };
  const linkOf = (bytes, prefix = 's=1.') => prefix + deflateRawSync(Buffer.from(bytes, 'latin1')).toString('base64url');
  const linkOfJson = (value) => 's=1.' + deflateRawSync(Buffer.from(JSON.stringify(value))).toString('base64url');

  function mutateText(s, alphabet) {
    const ops = 1 + int(4);
    for (let k = 0; k < ops; k++) {
      const at = int(s.length + 1);
      switch (int(7)) {
        case 0: s = s.slice(0, at) + s.slice(at + 1 + int(8)); break;                                 // delete
        case 1: s = s.slice(0, at) + pick(alphabet) + s.slice(at); break;                               // insert
        case 2: s = s.slice(0, at) + pick(alphabet) + s.slice(at + 1); break;                           // replace
        case 3: { const from = int(s.length), len = 1 + int(64); s = s.slice(0, at) + s.slice(from, from + len) + s.slice(at); break; }  // copy
        case 4: s = s.slice(0, at); break;                                                              // truncate
        case 5: { const o = pick(corpus); const cut = int(o.length); s = s.slice(0, at) + o.slice(cut); break; }  // splice
        default: s = s.slice(0, at) + String.fromCharCode(int(256)) + s.slice(at + 1);                // any byte
      }
    }
    return s;
  }
  function mutateValue(v, depth = 0) {
    if (depth > 6 || v === null || typeof v !== 'object') return rng() < 0.5 ? structuredClone(pick(VALUES)) : v;
    const keys = Object.keys(v);
    const r = rng();
    if (Array.isArray(v) || keys.length === 0 || r < 0.2) {
      const k = pick(KEYS);
      if (k === '__proto__') Object.defineProperty(v, k, { value: pick(VALUES), enumerable: true, writable: true, configurable: true });
      else v[k] = structuredClone(pick(VALUES));
    } else if (r < 0.3) delete v[pick(keys)];
    else { const k = pick(keys); v[k] = mutateValue(v[k], depth + 1); }
    return v;
  }
  const mutators = [
    (l) => mutateText(l, B64.split('').concat(OTHER)),                                                // the fragment text
    (l) => prefixOf(l) + payloadOf(l).slice(0, int(payloadOf(l).length + 1)),                          // cut short
    (l) => { const j = jsonOf(l); return j === null ? mutateText(l, B64.split('')) : linkOf(mutateText(j, DICT)); },  // JSON text
    (l) => {                                                                                           // compressed bytes
      const b = Buffer.from(payloadOf(l), 'base64url');
      for (let k = 1 + int(4); k > 0 && b.length; k--) b[int(b.length)] ^= 1 << int(8);
      return prefixOf(l) + b.toString('base64url');
    },
    (l) => {                                                                                           // JSON structure
      const j = jsonOf(l);
      let v;
      try { v = JSON.parse(j); } catch { return linkOfJson(mutateValue({ v: 1 })); }
      for (let k = 1 + int(3); k > 0; k--) v = mutateValue(v);
      return linkOfJson(v);
    },
    (l) => ['', '#', 's=', 's=1', 's=1.', 's=01.', 's=2.', 's=999999.', 's=1e0.', 's=-1.', 's=1.1.', '#s=1.'][int(12)] + payloadOf(l),  // versions
    (l) => {                                                                                           // bombs and long links (rarely: each costs a few ms)
      if (rng() < 0.9) return mutateText(l, DICT);
      const big = 'A'.repeat([1000, 4 << 20, (4 << 20) + 1, 5 << 20][int(4)]);
      return rng() < 0.5 ? linkOf(`{"v":1,"dockerfile":"${big}"}`) : 's=1.' + pick(B64).repeat([999999, 1000000, 1000001][int(3)]);
    },
  ];

  const deadline = opts.seconds ? Date.now() + opts.seconds * 1000 : Infinity;
  const maxRuns = opts.runs || Infinity;
  while (runs < maxRuns && Date.now() < deadline) {
    let input = pick(corpus);
    for (let k = 1 + int(2); k > 0; k--) input = pick(mutators)(input);
    if (input.length > MAX_INPUT) input = input.slice(0, MAX_INPUT);
    await run(input);
  }
  parentPort.postMessage({ kind: 'done', runs, corpus: corpus.length, replayed: regressions.length, decoded, slowestMs });
}

// Anything in a decoded state that JSON.parse alone would not make: an object whose prototype is
// not Object.prototype (a "__proto__" name assigned instead of defined), a function, undefined.
function strangeObject(v, where = 'state') {
  if (v === undefined || typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint') return `${typeof v} at ${where}`;
  if (v === null || typeof v !== 'object') return null;
  if (!Array.isArray(v) && Object.getPrototypeOf(v) !== Object.prototype) return `an object with another prototype at ${where}`;
  for (const [k, x] of Object.entries(v)) {
    const odd = strangeObject(x, `${where}.${k}`);
    if (odd) return odd;
  }
  return null;
}

// The shape of a decoded state: its keys and the types of their values, two levels deep.
function shape(v, depth = 0) {
  if (v === null || typeof v !== 'object') return typeof v;
  if (depth >= 2) return 'object';
  const known = ['v', 'dockerfile', 'dockerfile_path', 'files', 'options', 'tab', 'example', 'target', 'platform', 'build_args',
                 'no_cache', 'size', 'compare', 'a', 'b'];
  const parts = new Set(Object.keys(v).map((k) => known.includes(k) ? `${k}:${shape(v[k], depth + 1)}` : `?:${shape(v[k], 2)}`));
  return '{' + [...parts].sort().join(',') + '}';
}

function listFiles(dir, prefix = '') {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix + e.name;
    if (e.isDirectory()) out.push(...listFiles(path.join(dir, e.name), rel + '/'));
    else if (e.isFile()) out.push(rel);
  }
  return out.sort();
}

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
