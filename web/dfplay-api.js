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

const isNode = typeof process === 'object' && process !== null && typeof process.versions === 'object' &&
  process.versions !== null && typeof process.versions.node === 'string' && typeof window === 'undefined';

async function instantiate(options) {
  const args = {
    print: options.print || ((text) => console.log(text)),
    printErr: options.printErr || ((text) => console.error(text)),
  };
  if (options.wasmBinary) {
    args.wasmBinary = options.wasmBinary;
  } else if (isNode) {
    // The module is linked for web and worker only (see src/web/CMakeLists.txt): under Node it
    // cannot fetch its own .wasm, so hand it the bytes.
    const { readFile } = await import('node:fs/promises');
    args.wasmBinary = await readFile(new URL('./dfplay-wasm.wasm', import.meta.url));
  }
  return createDfplayModule(args);
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
    return JSON.stringify(value === undefined ? null : value);
  } catch (e) {
    throw new TypeError(`${what}: the argument cannot be turned into JSON (${e.message})`);
  }
}

/**
 * Loads the wasm module and returns an API object whose functions are synchronous.
 * options: {wasmBinary?: ArrayBuffer|Uint8Array, print?, printErr?}
 */
export async function createDfplay(options = {}) {
  const m = await instantiate(options);

  function withString(text, fn) {
    const size = m.lengthBytesUTF8(text) + 1;
    const ptr = m._malloc(size);
    try {
      m.stringToUTF8(text, ptr, size);
      return fn(ptr, size - 1);
    } finally {
      m._free(ptr);
    }
  }

  // Unwraps {"result"} / {"error"} envelopes from the C side.
  function unwrap(text) {
    const j = JSON.parse(text);
    if (j.error !== undefined) throw new DfplayError(j.error);
    return j.result;
  }

  function call(op, arg) {
    return unwrap(withString(op, (opPtr) => withString(toJson(arg, op), (ptr, len) =>
      m.UTF8ToString(m._dfplay_call(opPtr, ptr, len)))));
  }

  function analyzeJson(text, { fileName = 'Dockerfile' } = {}) {
    if (typeof text !== 'string') throw new TypeError('analyze: the Dockerfile text must be a string');
    if (typeof fileName !== 'string') throw new TypeError('analyze: fileName must be a string');
    return withString(text, (textPtr, length) =>
      withString(fileName, (namePtr) => m.UTF8ToString(m._dfplay_analyze(textPtr, length, namePtr))));
  }

  let examplesCache = null;
  function examples() {
    if (examplesCache === null) examplesCache = m.UTF8ToString(m._dfplay_examples());
    return JSON.parse(examplesCache);  // a fresh copy each time
  }

  const registry = typeof FinalizationRegistry === 'function'
    ? new FinalizationRegistry((handle) => m._dfplay_ws_destroy(handle)) : null;

  function createWorkspace(input) {
    const handle = m._dfplay_ws_create();
    let alive = true;
    function op(name, arg) {
      if (!alive) throw new DfplayError(`workspace.${name}: this workspace was destroyed`);
      return unwrap(withString(name, (namePtr) => withString(toJson(arg, name), (ptr, len) =>
        m.UTF8ToString(m._dfplay_ws_call(handle, namePtr, ptr, len)))));
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
        m._dfplay_ws_destroy(handle);
      },
      get handle() { return handle; },
    };
    if (registry) registry.register(ws, handle, ws);
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

  return {
    analyze: (text, options) => JSON.parse(analyzeJson(text, options)),
    analyzeJson,
    build: (input) => call('build', normalizeInput(input, 'build')),
    check: (input) => call('check', normalizeInput(input, 'check')),
    rebuild,
    compare,
    whatIfs: (input) => call('whatIfs', normalizeInput(input, 'whatIfs')),
    examples,
    createWorkspace,
    version: m.UTF8ToString(m._dfplay_version()),
  };
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
