// A tiny static file server for the built site (script/server and the browser tests).
//   node web/server.mjs [--root DIR] [--port N] [--host 127.0.0.1]
// Serves .wasm as application/wasm (needed for WebAssembly.instantiateStreaming), never leaves
// the root folder, and answers GET/HEAD only. Port 0 picks a free port.
import { createServer } from 'node:http';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

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
  '.data': 'application/octet-stream',
};

// Scripts other origins load as ES modules (<script type="module" src=".../embed.js"> and its
// dynamic import of share-link.js): module scripts are fetched in CORS mode, so they need this.
export const CROSS_ORIGIN_SCRIPTS = new Set(['/embed.js', '/share-link.js']);

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
      return si.isFile() ? { file: index, size: si.size } : null;
    }
    return s.isFile() ? { file, size: s.size } : null;
  } catch {
    return null;
  }
}

/** Starts serving `root`; resolves to {server, url, port, close()} once listening. */
export async function serve({ root, port = 8080, host = '127.0.0.1', log = null } = {}) {
  const rootDir = path.resolve(root);
  const server = createServer(async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    const found = await resolveFile(rootDir, req.url || '/');
    if (!found) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found\n');
      if (log) log(`404 ${req.url}`);
      return;
    }
    const type = MIME_TYPES[path.extname(found.file).toLowerCase()] || 'application/octet-stream';
    const headers = { 'Content-Type': type, 'Content-Length': found.size, 'Cache-Control': 'no-cache' };
    if (CROSS_ORIGIN_SCRIPTS.has((req.url || '/').split(/[?#]/)[0])) headers['Access-Control-Allow-Origin'] = '*';
    res.writeHead(200, headers);
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(found.file).on('error', () => res.destroy()).pipe(res);
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
    close: () => new Promise((resolve) => server.close(() => resolve())),
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
