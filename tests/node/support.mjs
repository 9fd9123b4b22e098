// Shared by the Node and browser tests: where the builds are, the example Dockerfile, and the
// native CLI for cross-checks.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const webBuildDir = path.resolve(process.env.DFPLAY_WEB_BUILD || path.join(repoRoot, 'build', 'web'));
export const siteDir = path.join(webBuildDir, 'site');
export const apiModulePath = path.join(siteDir, 'api', 'dfplay-api.js');
export const nativeCli = path.resolve(process.env.DFPLAY_CLI || path.join(repoRoot, 'build', 'native', 'src', 'cli', 'dfplay'));
export const sharedDir = path.resolve(process.env.DFPLAY_SHARED_DIR || path.join(repoRoot, '..', 'shared'));
export const screenshotDir = path.join(repoRoot, 'build', 'screenshots');

export function requireWebBuild() {
  for (const f of [path.join(siteDir, 'index.html'), apiModulePath]) {
    if (!existsSync(f)) throw new Error(`${f} is missing: build the web preset first (script/compile web, or script/test)`);
  }
}

// The app's start-up example: the built-in example node-multistage, the seed's first Dockerfile
// with one correction: the seed's `COPY --from=builder /app/dist ./dist # copy compiled output
// only` would pass `#`, `copy`, ... as COPY sources, so the comment moved to a line of its own
// (examples/node-multistage/Dockerfile, src/core/examples/).
export const EXAMPLE_ID = 'node-multistage';
export const EXAMPLE_DOCKERFILE = readFileSync(path.join(repoRoot, 'examples', EXAMPLE_ID, 'Dockerfile'), 'utf8');
// The line the correction added above the COPY --from line.
export const EXAMPLE_COMMENT_LINE = '# copy compiled output only (a trailing "# ..." here would be read as more COPY sources)';

/** `dfplay ARGS...` of the native CLI: its parsed JSON output (exit status 0 or 1), or null without the CLI. */
export function cliJson(args, options = {}) {
  if (!existsSync(nativeCli)) return null;
  let out;
  try {
    out = execFileSync(nativeCli, args, { encoding: 'utf8', cwd: repoRoot, ...options });
  } catch (e) {
    if (e.status !== 1 || !e.stdout) throw e;
    out = e.stdout;
  }
  return JSON.parse(out);
}

// The first Dockerfile of the seed article: from "# Stage 1: Build" to the first CMD line.
export function seedFirstDockerfile() {
  const seed = path.join(sharedDir, 'seed', 'docker-multi-stage-builds.txt');
  if (!existsSync(seed)) return null;
  const lines = readFileSync(seed, 'utf8').split('\n');
  const start = lines.indexOf('# Stage 1: Build');
  const end = lines.findIndex((l, i) => i > start && l.startsWith('CMD '));
  if (start < 0 || end < 0) return null;
  return lines.slice(start, end + 1).join('\n') + '\n';
}

/** `dfplay analyze --json` on `text` saved as a file named `Dockerfile`; null without the CLI. */
export function cliAnalyze(text) {
  if (!existsSync(nativeCli)) return null;
  const dir = mkdtempSync(path.join(tmpdir(), 'dfplay-'));
  try {
    writeFileSync(path.join(dir, 'Dockerfile'), text);
    let out;
    try {
      out = execFileSync(nativeCli, ['analyze', 'Dockerfile', '--json'], { cwd: dir, encoding: 'utf8' });
    } catch (e) {
      if (e.status !== 1 || !e.stdout) throw e;  // exit 1: the Dockerfile has errors; the JSON is printed
      out = e.stdout;
    }
    return JSON.parse(out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
