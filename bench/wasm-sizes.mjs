// Where the bytes of a wasm module go: section sizes, and code size by function grouped by name
// (needs a build with function names: emcc --profiling-funcs; see bench/run --size-profile).
//   node bench/wasm-sizes.mjs FILE.wasm [--top N] [--json]
// Groups: a function's group is the first rule in GROUPS its (demangled) name matches. Each group
// shows raw bytes and the gzip -9 / brotli of its functions' bodies compressed together (an
// approximation of its share of the transfer: compression works across function boundaries).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { brotliCompressSync, constants as zc, gzipSync } from 'node:zlib';

const GROUPS = [
  ['nlohmann::json', /nlohmann/],
  ['fmt', /\bfmt::/],
  ['ImGui', /ImGui|ImDraw|ImFont|ImGuiTextBuffer|stb_|STB_|ImStb|ImVector|ImPool|ImChunk|ImSpan|ImBitVector|ImTriangle|ImRect|ImTextStr|ImHash|ImFormat|ImStr|ImFile|ImParse|ImUpperPower|glfw|_glfw|ImGui_Impl/],
  ['app (src/app)', /dfplay::app::|dfplay_app_/],
  ['core: sim', /dfplay::sim::/],
  ['core: syntax', /dfplay::syntax::/],
  ['core: shell', /dfplay::shell::/],
  ['core: instructions', /dfplay::ins::|dfplay::instructions::/],
  ['core: stages', /dfplay::stages::/],
  ['core: context', /dfplay::context::/],
  ['core: catalog', /dfplay::catalog::/],
  ['core: cache', /dfplay::cache::/],
  ['core: checks', /dfplay::checks::/],
  ['core: report', /dfplay::report::/],
  ['core: examples', /dfplay::examples::/],
  ['core: other', /dfplay::/],
  ['std (libc++)', /std::|__cxxabiv1|__cxa_|operator new|operator delete/],
  ['libc / runtime', /^(__|_?mem|str|malloc|free|dlmalloc|printf|snprintf|vfprintf|qsort|emscripten|sbrk|fmt_|pop_arg|__stdio|__towrite|__fwrite|wcrtomb|frexp|fmod|log|exp|pow|sin|cos|floor|ceil|strto|atof|__lctrans|getenv|dispose_chunk|realloc|calloc|posix_memalign|abort|setThrew|stackAlloc|stackSave|stackRestore)/],
];

const file = process.argv[2];
if (!file) {
  console.error('usage: node bench/wasm-sizes.mjs FILE.wasm [--top N] [--json]');
  process.exit(2);
}
const topN = Number(process.argv.includes('--top') ? process.argv[process.argv.indexOf('--top') + 1] : 25);
const bytes = readFileSync(file);

let i = 8;
const leb = () => {
  let r = 0, shift = 0, b;
  do {
    b = bytes[i++];
    r += (b & 0x7f) * 2 ** shift;
    shift += 7;
  } while (b & 0x80);
  return r;
};
const SECTION = ['custom', 'type', 'import', 'function', 'table', 'memory', 'global', 'export', 'start', 'element',
                 'code', 'data', 'datacount'];
const sections = [];
let importedFuncs = 0;
const bodies = [];  // [start, end] per defined function
const names = new Map();
const dataSegments = [];
while (i < bytes.length) {
  const id = bytes[i++];
  const size = leb();
  const start = i, end = i + size;
  let name = SECTION[id] || `id${id}`;
  if (id === 0) {
    const len = leb();
    name = 'custom:' + bytes.subarray(i, i + len).toString('utf8');
    if (name === 'custom:name') {
      i += len;
      while (i < end) {
        const sub = bytes[i++];
        const subSize = leb();
        const subEnd = i + subSize;
        if (sub === 1) {
          const n = leb();
          for (let k = 0; k < n; ++k) {
            const idx = leb();
            const l = leb();
            names.set(idx, bytes.subarray(i, i + l).toString('utf8'));
            i += l;
          }
        }
        i = subEnd;
      }
    }
  } else if (id === 2) {
    const n = leb();
    for (let k = 0; k < n; ++k) {
      const ml = leb(); i += ml;
      const fl = leb(); i += fl;
      const kind = bytes[i++];
      if (kind === 0) { leb(); importedFuncs++; } else if (kind === 1) { i++; const f = bytes[i++]; leb(); if (f & 1) leb(); }
      else if (kind === 2) { const f = bytes[i++]; leb(); if (f & 1) leb(); } else if (kind === 3) { i += 2; }
    }
  } else if (id === 10) {
    const n = leb();
    for (let k = 0; k < n; ++k) {
      const s = leb();
      bodies.push([i, i + s]);
      i += s;
    }
  } else if (id === 11) {
    const n = leb();
    for (let k = 0; k < n; ++k) {
      const flags = leb();
      if (flags === 2) leb();
      if (flags !== 1) { while (bytes[i] !== 0x0b) i++; i++; }
      const s = leb();
      dataSegments.push([i, i + s]);
      i += s;
    }
  }
  sections.push({ name, size, start, end });
  i = end;
}

let demangled = [...names.values()];
try {
  // c++filt from binutils, if present: one name per line.
  const input = [...names.values()].join('\n');
  demangled = execFileSync('c++filt', { input, maxBuffer: 256 << 20 }).toString().split('\n');
} catch {
  // mangled names still group well enough for dfplay:: (the namespaces are in the mangling)
}
const nameOf = new Map([...names.keys()].map((k, n) => [k, demangled[n] || names.get(k)]));

const gz = (b) => gzipSync(b, { level: 9 }).length;
const br = (b) => brotliCompressSync(b, { params: { [zc.BROTLI_PARAM_QUALITY]: 11 } }).length;
const groups = new Map();
const funcs = [];
bodies.forEach(([s, e], k) => {
  const name = nameOf.get(importedFuncs + k) || `func${importedFuncs + k}`;
  const group = (GROUPS.find(([, re]) => re.test(name)) || ['other'])[0];
  if (!groups.has(group)) groups.set(group, { raw: 0, parts: [], count: 0 });
  const g = groups.get(group);
  g.raw += e - s;
  g.count++;
  g.parts.push(bytes.subarray(s, e));
  funcs.push({ name, size: e - s, group });
});
const total = bytes.length;
const result = {
  file, total, gzip: gz(bytes), brotli: br(bytes),
  sections: sections.map((s) => ({ name: s.name, size: s.size })),
  data_segments: dataSegments.map(([s, e]) => e - s).sort((a, b) => b - a).slice(0, 10),
  groups: [...groups.entries()].map(([name, g]) => {
    const all = Buffer.concat(g.parts);
    return { name, functions: g.count, raw: g.raw, gzip: gz(all), brotli: br(all) };
  }).sort((a, b) => b.raw - a.raw),
  top: funcs.sort((a, b) => b.size - a.size).slice(0, topN),
};
const data = Buffer.concat(dataSegments.map(([s, e]) => bytes.subarray(s, e)));
result.data = { raw: data.length, gzip: gz(data), brotli: br(data) };

if (process.argv.includes('--json')) {
  console.log(JSON.stringify(result, null, 2));
} else {
  const kb = (n) => (n / 1000).toFixed(1).padStart(8);
  console.log(`${file}: ${kb(total)} KB raw, ${kb(result.gzip)} KB gzip, ${kb(result.brotli)} KB brotli`);
  console.log('sections:', result.sections.map((s) => `${s.name} ${kb(s.size).trim()} KB`).join(', '));
  console.log(`data (all segments): ${kb(result.data.raw)} KB raw, ${kb(result.data.gzip)} KB gzip, ${kb(result.data.brotli)} KB brotli`);
  console.log('\ncode by group                   funcs     raw KB    gzip KB  brotli KB');
  for (const g of result.groups) {
    console.log(`${g.name.padEnd(30)} ${String(g.functions).padStart(6)} ${kb(g.raw)}   ${kb(g.gzip)}   ${kb(g.brotli)}`);
  }
  console.log(`\nlargest functions:`);
  for (const f of result.top) console.log(`${String(f.size).padStart(8)}  ${f.group.padEnd(18)} ${f.name.slice(0, 150)}`);
}
