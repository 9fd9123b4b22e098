// Dockerfile Playground's headless JS API: an ES module for Node (18+) and browsers, wrapping the
// wasm build of the core (dfplay-wasm.js/.wasm, built next to this file in build/web/site/api/).
//
//   import { analyze } from './dfplay-api.js';
//   const result = await analyze('FROM alpine\nRUN echo hi\n');
//   // {file, instruction_count, stage_count, diagnostics}: the JSON of `dfplay analyze --json`
//
//   import { createDfplay } from './dfplay-api.js';
//   const dfplay = await createDfplay();       // load once, then call synchronously
//   dfplay.analyze(text, { fileName: 'Dockerfile' });   // an object
//   dfplay.analyzeJson(text);                           // the same as a JSON string
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

  function analyzeJson(text, { fileName = 'Dockerfile' } = {}) {
    if (typeof text !== 'string') throw new TypeError('analyze: the Dockerfile text must be a string');
    if (typeof fileName !== 'string') throw new TypeError('analyze: fileName must be a string');
    return withString(text, (textPtr, length) =>
      withString(fileName, (namePtr) => m.UTF8ToString(m._dfplay_analyze(textPtr, length, namePtr))));
  }

  return {
    analyze: (text, options) => JSON.parse(analyzeJson(text, options)),
    analyzeJson,
    version: m.UTF8ToString(m._dfplay_version()),
  };
}

let shared = null;

/** analyze(text, {fileName}) -> Promise of the analysis object (loads the module on first use). */
export async function analyze(text, options) {
  if (shared === null) shared = createDfplay();
  return (await shared).analyze(text, options);
}

export default createDfplay;
