// Dockerfile Playground's headless JS API: an ES module for Node (18+) and browsers, wrapping the
// wasm build of the core (dfplay-wasm.js/.wasm, built next to this file in build/web/site/api/).
// Reference and examples: docs/js-api.md.
//
//   import { createDfplay } from './dfplay-api.js';
//   const dfplay = await createDfplay();            // load once, then call synchronously
//   dfplay.analyze(text)                            // `dfplay analyze --json`
//   dfplay.build({dockerfile, files, options})      // `dfplay build --json`
//   dfplay.check({dockerfile, files, options})      // `dfplay check --json`
//   dfplay.rebuild(before, after, options)          // `dfplay rebuild --json`
//   dfplay.compare(a, b, options)                   // `dfplay diff --json`: A and B side by side
//   dfplay.whatIfs({dockerfile, files, options})    // ready what-ifs with their measured effects
//   dfplay.examples()                               // the built-in examples
//   const ws = dfplay.createWorkspace({dockerfile, files, options});
//   ws.result(); ws.build(); ws.setFiles({...}); ws.result().cache; ws.destroy();
//
// The module-level functions (analyze, build, check, rebuild, examples, createWorkspace) load a
// shared instance on first use and return promises.
import createDfplayModule from './dfplay-wasm.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();  // UTF-8; the core's JSON is valid UTF-8 (invalid bytes were replaced)

const isNode = typeof process === 'object' && process !== null && typeof process.versions === 'object' &&
  process.versions !== null && typeof process.versions.node === 'string' && typeof window === 'undefined';

// The module's bytes and their compiled form, kept so that a fresh instance can be made
// synchronously after a failure (see `restart` in createDfplay).
async function loadCompiled(options) {
  let bytes = options.wasmBinary;
  if (!bytes && isNode) {
    // The module is linked for web and worker only (see src/web/CMakeLists.txt): under Node it
    // cannot fetch its own .wasm, so read the bytes.
    const { readFile } = await import('node:fs/promises');
    bytes = await readFile(new URL('./dfplay-wasm.wasm', import.meta.url));
  }
  if (!bytes) {
    const response = await fetch(new URL('./dfplay-wasm.wasm', import.meta.url));
    if (!response.ok) throw new Error(`dfplay: cannot load dfplay-wasm.wasm (HTTP ${response.status})`);
    bytes = await response.arrayBuffer();
  }
  return WebAssembly.compile(bytes);
}

// A new instance of the compiled module, ready when this returns: emscripten's instantiateWasm
// hook receives the instance synchronously, so the runtime starts within createDfplayModule().
function instantiateSync(compiled, options) {
  const args = {
    print: options.print || ((text) => console.log(text)),
    printErr: options.printErr || ((text) => console.error(text)),
    instantiateWasm(imports, receive) {
      receive(new WebAssembly.Instance(compiled, imports), compiled);
      return {};
    },
  };
  let failed = null;
  args.onAbort = (what) => { failed = what; };
  createDfplayModule(args).catch(() => {});
  if (failed !== null || typeof args._dfplay_version !== 'function') {
    throw new Error(`dfplay: the wasm module did not start${failed !== null ? ` (${failed})` : ''}`);
  }
  return args;
}

// Lone UTF-16 surrogates cannot be encoded as UTF-8: they become U+FFFD before reaching the core
// (Text is text: nothing is rejected for them). JSON.stringify writes them as \udXXX escapes,
// which the core's JSON reader rightly refuses, so those escapes become \ufffd.
function wellFormed(text) {
  if (typeof text.toWellFormed === 'function') return text.toWellFormed();
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0xD800 || c > 0xDFFF) continue;
    const d = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
    if (c <= 0xDBFF && d >= 0xDC00 && d <= 0xDFFF) { i++; continue; }
    out += `${text.slice(from, i)}\uFFFD`;
    from = i + 1;
  }
  return from === 0 ? text : out + text.slice(from);
}
function wellFormedJson(json) {
  if (!json.includes('\\ud') && !json.includes('\\uD')) return json;
  return json.replace(/\\(?:\\|u[dD][89a-fA-F][0-9a-fA-F]{2})/g, (m) => (m.length === 2 ? m : '\\ufffd'));
}

/** An error from the core: bad input (the message says which field and why). */
export class DfplayError extends Error {
  constructor(message) {
    super(message);
    this.name = 'DfplayError';
  }
}

// Plain data for JSON: a Map of files becomes an object.
function normalizeInput(input, what) {
  if (input === undefined || input === null) input = {};
  if (typeof input !== 'object' || Array.isArray(input)) {
    throw new TypeError(`${what}: expected an object {dockerfile, files, options}`);
  }
  const out = { ...input };
  if (out.files instanceof Map) out.files = Object.fromEntries(out.files);
  return out;
}

function toJson(value, what) {
  try {
    return wellFormedJson(JSON.stringify(value === undefined ? null : value));
  } catch (e) {
    throw new TypeError(`${what}: the argument cannot be turned into JSON (${e.message})`);
  }
}

/**
 * Loads the wasm module and returns an API object whose functions are synchronous.
 * options: {wasmBinary?: ArrayBuffer|Uint8Array, print?, printErr?}
 *
 * Nothing is lost when the module fails anyway: if a call ends in an abort or any error from
 * inside the wasm module (a C++ exception, memory exhausted, a trap), that call throws a
 * DfplayError saying so, and a fresh module replaces the dead one at once, so the next call works.
 * Workspaces lived in the dead module: their later calls throw a DfplayError saying they were lost.
 */
export async function createDfplay(options = {}) {
  const compiled = await loadCompiled(options);
  let m = instantiateSync(compiled, options);
  let generation = 1;  // bumps with every fresh module
  let restarts = 0;

  function restart() {
    generation += 1;
    restarts += 1;
    m = instantiateSync(compiled, options);
  }

  // Runs fn(m) on the live module. Anything thrown from inside the module (not our own
  // DfplayError/TypeError) means the module may be dead or inconsistent: start a fresh one.
  function guarded(what, fn) {
    try {
      return fn(m);
    } catch (e) {
      if (e instanceof DfplayError || e instanceof TypeError) throw e;
      // (emscripten without exception catching throws a C++ exception to JavaScript as a number)
      const reason = typeof e === 'number' ? 'an uncaught C++ exception' : e && e.message ? e.message : String(e);
      try {
        restart();
      } catch (e2) {
        throw new DfplayError(`${what}: the wasm module stopped (${reason}) and a fresh one could not be started (${e2.message})`);
      }
      throw new DfplayError(`${what}: the wasm module stopped (${reason}); a fresh module was started, so later calls work (workspaces made before are lost)`);
    }
  }

  // Text crosses as UTF-8 through TextEncoder/TextDecoder (native code) rather than emscripten's
  // per-character JavaScript loops: arguments and results reach ~1 MB (big.Dockerfile's build()).
  // Arguments are well-formed already (wellFormed/wellFormedJson), so both encode the same bytes.
  function withString(text, fn) {
    const bytes = encoder.encode(text);
    const size = bytes.length + 1;
    const ptr = m._malloc(size);
    if (!ptr) throw new RangeError(`out of memory for an argument of ${size} bytes`);
    try {
      m.HEAPU8.set(bytes, ptr);  // HEAPU8 read after _malloc: the heap may have grown
      m.HEAPU8[ptr + bytes.length] = 0;
      return fn(ptr, bytes.length);
    } finally {
      m._free(ptr);
    }
  }

  // The text a call returned: its byte length comes from the module (dfplay_last_length), so it is
  // decoded in one go instead of scanned for its NUL.
  function result(ptr) {
    return decoder.decode(m.HEAPU8.subarray(ptr, ptr + m._dfplay_last_length()));
  }

  // Unwraps {"result"} / {"error"} envelopes from the C side.
  function unwrap(text) {
    const j = JSON.parse(text);
    if (j.error !== undefined) throw new DfplayError(j.error);
    return j.result;
  }

  function call(op, arg) {
    const json = toJson(arg, op);
    return unwrap(guarded(op, () => withString(op, (opPtr) => withString(json, (ptr, len) =>
      result(m._dfplay_call(opPtr, ptr, len))))));
  }

  // build and check: the input's Dockerfile text crosses as UTF-8 bytes of its own
  // (dfplay_call_input) instead of inside the argument's JSON, which JavaScript would escape and
  // the core's JSON reader read back character by character (~0.5 MB for big.Dockerfile). The
  // core sees the same input either way; a `dockerfile` that is not a string goes the JSON way
  // (and gets its error message there).
  function callInput(op, input) {
    if (typeof input.dockerfile !== 'string') return call(op, input);
    const { dockerfile, ...rest } = input;
    const json = toJson(rest, op);
    const text = wellFormed(dockerfile);
    return unwrap(guarded(op, () => withString(op, (opPtr) => withString(json, (ptr, len) =>
      withString(text, (textPtr, textLength) => result(m._dfplay_call_input(opPtr, ptr, len, textPtr, textLength)))))));
  }

  function analyzeJson(text, { fileName = 'Dockerfile' } = {}) {
    if (typeof text !== 'string') throw new TypeError('analyze: the Dockerfile text must be a string');
    if (typeof fileName !== 'string') throw new TypeError('analyze: fileName must be a string');
    const clean = wellFormed(text), name = wellFormed(fileName);
    return guarded('analyze', () => withString(clean, (textPtr, length) =>
      withString(name, (namePtr) => result(m._dfplay_analyze(textPtr, length, namePtr)))));
  }

  let examplesCache = null;
  function examples() {
    if (examplesCache === null) examplesCache = guarded('examples', () => result(m._dfplay_examples()));
    return JSON.parse(examplesCache);  // a fresh copy each time
  }

  // Handles are per module: the registry frees a handle only in the module that made it.
  const registry = typeof FinalizationRegistry === 'function'
    ? new FinalizationRegistry(({ handle, gen }) => { if (gen === generation) guarded('destroy', () => m._dfplay_ws_destroy(handle)); }) : null;

  function createWorkspace(input) {
    const gen = generation;
    const handle = guarded('createWorkspace', () => m._dfplay_ws_create());
    let alive = true;
    function op(name, arg) {
      if (!alive) throw new DfplayError(`workspace.${name}: this workspace was destroyed`);
      if (gen !== generation) {
        throw new DfplayError(`workspace.${name}: this workspace was lost when the wasm module stopped after an earlier failure; create a new one`);
      }
      const json = toJson(arg, name);
      return unwrap(guarded(`workspace.${name}`, () => withString(name, (namePtr) => withString(json, (ptr, len) =>
        result(m._dfplay_ws_call(handle, namePtr, ptr, len))))));
    }
    const ws = {
      /** Replaces everything: {dockerfile, files, options} (the cache is kept). */
      load(content) { op('load', normalizeInput(content, 'load')); return ws; },
      setDockerfile(text) {
        if (typeof text !== 'string') throw new TypeError('setDockerfile: the Dockerfile text must be a string');
        op('setDockerfile', text);
        return ws;
      },
      setFiles(files) {
        op('setFiles', files instanceof Map ? Object.fromEntries(files) : files);
        return ws;
      },
      /** Merges options: {target, platform, build_args, no_cache, no_cache_filter, network, best_practices}. */
      setOptions(options) { op('setOptions', options); return ws; },
      /** Adds base images (catalog JSON, docs/catalog.md); returns their diagnostics. */
      addImages(images) { return op('addImages', images); },
      clearImages() { op('clearImages', null); return ws; },
      /** {analysis, build, cache, checks, options, builds, revision, input_diagnostics, dockerfile, files}. */
      result() { return op('result', null); },
      /** Records the current build in the cache; returns its report (`dfplay rebuild --json`). */
      build() { return op('build', null); },
      clearCache() { op('clearCache', null); return ws; },
      /** Frees the workspace (also done by the garbage collector when supported). */
      destroy() {
        if (!alive) return;
        alive = false;
        if (registry) registry.unregister(ws);
        if (gen === generation) guarded('destroy', () => m._dfplay_ws_destroy(handle));
      },
      get handle() { return handle; },
    };
    if (registry) registry.register(ws, { handle, gen }, ws);
    if (input !== undefined) {
      try {
        ws.load(input);
      } catch (e) {
        ws.destroy();
        throw e;
      }
    }
    return ws;
  }

  function rebuild(before, after, options) {
    if (options !== undefined && (options === null || typeof options !== 'object' || Array.isArray(options))) {
      throw new TypeError('rebuild: options must be an object');
    }
    const arg = { before: normalizeInput(before, 'rebuild (before)'), after: normalizeInput(after, 'rebuild (after)') };
    if (options !== undefined) arg.options = options;
    return call('rebuild', arg);
  }

  function compare(a, b, options) {
    if (options !== undefined && (options === null || typeof options !== 'object' || Array.isArray(options))) {
      throw new TypeError('compare: options must be an object');
    }
    const arg = { a: normalizeInput(a, 'compare (a)'), b: normalizeInput(b, 'compare (b)') };
    if (options !== undefined) arg.options = options;
    return call('compare', arg);
  }

  const api = {
    analyze: (text, options) => JSON.parse(analyzeJson(text, options)),
    analyzeJson,
    build: (input) => callInput('build', normalizeInput(input, 'build')),
    check: (input) => callInput('check', normalizeInput(input, 'check')),
    rebuild,
    compare,
    whatIfs: (input) => call('whatIfs', normalizeInput(input, 'whatIfs')),
    examples,
    createWorkspace,
    version: m.UTF8ToString(m._dfplay_version()),
    /** How many times a fresh module replaced a failed one. */
    get restarts() { return restarts; },
  };
  // For the tests of the recovery path only: makes the module abort inside its next call.
  Object.defineProperty(api, '_abortForTesting', {
    enumerable: false,
    value: () => guarded('abortForTesting', () => m._dfplay_abort_for_testing()),
  });
  return api;
}

let shared = null;
async function instance() {
  if (shared === null) shared = createDfplay();
  return shared;
}

/** analyze(text, {fileName}) -> Promise of the analysis object (loads the module on first use). */
export async function analyze(text, options) { return (await instance()).analyze(text, options); }
/** build({dockerfile, files, options}) -> Promise of the build JSON. */
export async function build(input) { return (await instance()).build(input); }
/** check({dockerfile, files, options}) -> Promise of the checks JSON. */
export async function check(input) { return (await instance()).check(input); }
/** rebuild(before, after, options) -> Promise of the rebuild JSON. */
export async function rebuild(before, after, options) { return (await instance()).rebuild(before, after, options); }
/** compare(a, b, options) -> Promise of the comparison JSON (`dfplay diff --json`). */
export async function compare(a, b, options) { return (await instance()).compare(a, b, options); }
/** whatIfs({dockerfile, files, options}) -> Promise of the ready what-ifs with their effects. */
export async function whatIfs(input) { return (await instance()).whatIfs(input); }
/** examples() -> Promise of the built-in examples. */
export async function examples() { return (await instance()).examples(); }
/** createWorkspace(input?) -> Promise of a workspace object (see createDfplay). */
export async function createWorkspace(input) { return (await instance()).createWorkspace(input); }

export default createDfplay;
