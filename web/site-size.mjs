// What a browser downloads from the built site (build/web/site), as web/server.mjs sends it:
// the app page (index.html and every file it references), the JS API module (api/), and
// /embed.js when present. Per file: raw bytes, and the precompressed .br / .gz siblings that the
// server sends (the file itself when it has none). Used by script/size, tests/node/size.test.mjs
// and bench/run.
//   node web/site-size.mjs [SITE_DIR] [--json]
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { brotliCompressSync, constants as zc, gzipSync } from 'node:zlib';

/** The files of the app page: index.html and its local src/href references (each once). */
export function appFiles(siteDir) {
  const html = readFileSync(path.join(siteDir, 'index.html'), 'utf8');
  const refs = [...html.matchAll(/\s(?:src|href)="([^"]+)"/g)].map((m) => m[1])
    .filter((v) => !/^[a-z][a-z0-9+.-]*:/i.test(v) && !v.startsWith('//') && !v.startsWith('#'));
  return ['index.html', ...new Set(refs)];
}

function sizeOf(siteDir, rel) {
  const f = path.join(siteDir, rel);
  const bytes = readFileSync(f);
  const variant = (ext, make) => (existsSync(f + ext) ? statSync(f + ext).size : Math.min(bytes.length, make(bytes)));
  return {
    file: rel,
    raw: bytes.length,
    br: variant('.br', (b) => brotliCompressSync(b, { params: { [zc.BROTLI_PARAM_QUALITY]: 11 } }).length),
    gzip: variant('.gz', (b) => gzipSync(b, { level: 9 }).length),
  };
}

function group(siteDir, files) {
  const list = files.filter((f) => existsSync(path.join(siteDir, f))).map((f) => sizeOf(siteDir, f));
  const sum = (k) => list.reduce((n, x) => n + x[k], 0);
  return { files: list, raw: sum('raw'), br: sum('br'), gzip: sum('gzip') };
}

/** {app, api, embed}: each {files: [{file, raw, br, gzip}], raw, br, gzip} (bytes). */
export function transferSizes(siteDir) {
  return {
    app: group(siteDir, appFiles(siteDir)),
    api: group(siteDir, ['api/dfplay-api.js', 'api/dfplay-wasm.js', 'api/dfplay-wasm.wasm']),
    embed: group(siteDir, ['embed.js']),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const args = process.argv.slice(2);
  const here = path.dirname(fileURLToPath(import.meta.url));
  const site = path.resolve(args.find((a) => !a.startsWith('--')) || path.join(here, '..', 'build', 'web', 'site'));
  const t = transferSizes(site);
  if (args.includes('--json')) {
    console.log(JSON.stringify(t, null, 2));
  } else {
    const kb = (n) => `${(n / 1000).toFixed(1)} KB`;
    for (const [name, g] of Object.entries(t)) {
      if (!g.files.length) continue;
      for (const f of g.files) {
        console.log(`  ${f.file.padEnd(34)} ${String(f.raw).padStart(9)} raw ${String(f.br).padStart(8)} br ${String(f.gzip).padStart(8)} gzip`);
      }
      console.log(`${name}: ${kb(g.br)} brotli, ${kb(g.gzip)} gzip, ${kb(g.raw)} raw`);
    }
  }
}
