// A tiny static file server for the built site (script/server and the browser tests).
//   node web/server.mjs [--root DIR] [--port N] [--host 127.0.0.1]
// GET/HEAD only, never outside the root folder. Port 0 picks a free port.
//   - Content-Type by extension (.wasm as application/wasm, for WebAssembly.instantiateStreaming);
//   - precompressed siblings (FILE.br, FILE.gz, written by web/build-site.mjs) by Accept-Encoding,
//     with Vary: Accept-Encoding;
//   - content-hashed names (index.<16 hex>.js ...) cached for a year as immutable; every other
//     file (HTML, /embed.js, /api/*) `no-cache` with a strong ETag, and 304 on If-None-Match;
//   - on every response a strict Content-Security-Policy (CSP below) and X-Content-Type-Options.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createServer } from 'node:http';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { HASHED_NAME } from './build-site.mjs';

export const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.data': 'application/octet-stream',
};

// Scripts other origins load as ES modules (<script type="module" src=".../embed.js"> and its
// dynamic import of share-link.js): module scripts are fetched in CORS mode, so they need this.
export const CROSS_ORIGIN_SCRIPTS = new Set(['/embed.js', '/share-link.js']);

// The Content-Security-Policy of every response: our own scripts (and wasm compilation), our own
// styles, nothing inline, no eval. Frames: our pages may frame our own pages (the tutorial frames
// the app); the app page itself may be framed by any site (embeds), other pages only by ours.
export const CSP_BASE = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; frame-src 'self'";
export const ourCspFor = (framable) => `${CSP_BASE}; frame-ancestors ${framable ? '*' : "'self'"}`;
// The pages other sites may frame: the app page (the embed frame is /?embed=1).
const FRAMABLE = new Set(['index.html']);

export const IMMUTABLE = 'public, max-age=31536000, immutable';

async function resolveFile(root, urlPath) {
  let rel;
  try {
    rel = decodeURIComponent(urlPath.split('?')[0].split('#')[0]);
  } catch {
    return null;
  }
  if (rel.includes('\0')) return null;
  const file = path.resolve(root, '.' + path.posix.normalize('/' + rel));
  if (file !== root && !file.startsWith(root + path.sep)) return null;
  try {
    const s = await stat(file);
    if (s.isDirectory()) {
      const index = path.join(file, 'index.html');
      const si = await stat(index);
      return si.isFile() ? { file: index, stat: si } : null;
    }
    return s.isFile() ? { file, stat: s } : null;
  } catch {
    return null;
  }
}

/** The encodings a request accepts, by preference: ['br', 'gzip'] or fewer (q=0 excluded). */
export function acceptedEncodings(header) {
  const q = {};
  for (const part of String(header || '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    let weight = 1;
    for (const p of params) {
      const m = /^\s*q\s*=\s*([0-9.]+)\s*$/.exec(p);
      if (m) weight = Number(m[1]);
    }
    q[name] = weight;
  }
  const ok = (e) => (e in q ? q[e] > 0 : '*' in q && q['*'] > 0);
  return ['br', 'gzip'].filter(ok);
}

// Strong ETags from the bytes, cached per file and (mtime, size).
const etags = new Map();
function etagOf(file, st) {
  const key = `${st.mtimeMs}:${st.size}`;
  const known = etags.get(file);
  if (known && known.key === key) return Promise.resolve(known.etag);
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(file).on('error', reject).on('data', (c) => h.update(c)).on('end', () => {
      const etag = `"${h.digest('base64url').slice(0, 27)}"`;
      etags.set(file, { key, etag });
      resolve(etag);
    });
  });
}

function matches(ifNoneMatch, etag) {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  // Weak comparison (RFC 9110 13.1.2): W/"x" matches "x".
  return ifNoneMatch.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}

/** Starts serving `root`; resolves to {server, url, port, close()} once listening. */
// `csp` (tests): the policy of every response instead of ours, e.g. a host page on another origin
// with the policy the README asks embedding pages for.
export async function serve({ root, port = 8080, host = '127.0.0.1', log = null, csp = null } = {}) {
  const rootDir = path.resolve(root);
  const cspFor = csp === null ? ourCspFor : () => csp;
  const server = createServer(async (req, res) => {
    const common = { 'X-Content-Type-Options': 'nosniff' };
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { ...common, 'Content-Security-Policy': cspFor(false), Allow: 'GET, HEAD' }).end();
        return;
      }
      const found = await resolveFile(rootDir, req.url || '/');
      if (!found) {
        res.writeHead(404, { ...common, 'Content-Security-Policy': cspFor(false),
                             'Content-Type': 'text/plain; charset=utf-8' }).end('not found\n');
        if (log) log(`404 ${req.url}`);
        return;
      }
      const name = path.basename(found.file);
      const rel = path.relative(rootDir, found.file).split(path.sep).join('/');
      const type = MIME_TYPES[path.extname(name).toLowerCase()] || 'application/octet-stream';
      let file = found.file, st = found.stat, encoding = null;
      for (const enc of acceptedEncodings(req.headers['accept-encoding'])) {
        const candidate = file + (enc === 'br' ? '.br' : '.gz');
        try {
          const cs = await stat(candidate);
          // A sibling older than its file is stale (the file was rebuilt): serve the file.
          // (build-site gives siblings their file's mtime; 1 ms of slack for rounding.)
          if (cs.isFile() && cs.mtimeMs + 1 >= st.mtimeMs) {
            file = candidate;
            st = cs;
            encoding = enc;
            break;
          }
        } catch {
          // no such variant
        }
      }
      const etag = await etagOf(file, st);
      const headers = {
        ...common,
        'Content-Security-Policy': cspFor(FRAMABLE.has(rel)),
        'Content-Type': type,
        'Cache-Control': HASHED_NAME.test(name) ? IMMUTABLE : 'no-cache',
        ETag: etag,
        Vary: 'Accept-Encoding',
      };
      if (CROSS_ORIGIN_SCRIPTS.has('/' + rel)) headers['Access-Control-Allow-Origin'] = '*';
      if (encoding) headers['Content-Encoding'] = encoding;
      if (matches(req.headers['if-none-match'], etag)) {
        res.writeHead(304, headers).end();
        return;
      }
      headers['Content-Length'] = st.size;
      res.writeHead(200, headers);
      if (req.method === 'HEAD') {
        res.end();
        return;
      }
      // Never more than the Content-Length announced: a file rewritten since its stat would
      // otherwise put stray bytes on a kept-alive connection.
      if (st.size === 0) {
        res.end();
        return;
      }
      createReadStream(file, { start: 0, end: st.size - 1 }).on('error', () => res.destroy()).pipe(res);
    } catch (e) {
      if (log) log(`500 ${req.url}: ${e.message}`);
      if (!res.headersSent) res.writeHead(500, { ...common, 'Content-Security-Policy': cspFor(false) });
      res.end();
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const actual = server.address().port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    server,
    port: actual,
    url: `http://${shownHost}:${actual}/`,
    close: () => new Promise((resolve) => {
      server.close(() => resolve());
      if (server.closeAllConnections) server.closeAllConnections();
    }),
  };
}

// Command line.
if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const args = process.argv.slice(2);
  const opt = (name, fallback) => {
    const i = args.indexOf(name);
    return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
  };
  const here = path.dirname(fileURLToPath(import.meta.url));
  const root = opt('--root', path.join(here, '..', 'build', 'web', 'site'));
  const port = Number(opt('--port', process.env.PORT || 8080));
  const host = opt('--host', '127.0.0.1');
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`server: invalid port ${port}`);
    process.exit(2);
  }
  serve({ root, port, host }).then(
    ({ url }) => {
      console.log(`Serving ${path.resolve(root)} at ${url} (Ctrl-C to stop)`);
    },
    (err) => {
      console.error(`server: cannot listen on ${host}:${port}: ${err.message}`);
      process.exit(1);
    });
  const stop = () => process.exit(0);
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
