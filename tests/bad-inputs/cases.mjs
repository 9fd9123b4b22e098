// Pathological inputs (issue 15), generated here so that the repository holds no megabyte files.
// One list for the three runners: the native CLI (run-cli.mjs, a ctest test), the JS API under
// Node (tests/node/bad-inputs.test.mjs) and the app in the browser (a few of them).
//
// A case: {name, what, files: {path: string | Uint8Array}, expect, maxMs, maxMB}
//   files     the build context; `Dockerfile` is the Dockerfile (bytes when invalid UTF-8 matters)
//   expect    {ok: bool} the build's `ok`, and optionally {code, line, column, message}: one
//             diagnostic the build JSON must hold (message: a substring)
//   maxMs     a generous bound on the native CLI's CPU time (user + system; several times what was
//             measured, so that it catches a regression to quadratic work, not a slow machine)
//   maxMB     a bound on the native CLI's peak resident memory
// Sizes are chosen so that each input is close to 1 MB (the target: any input up to 1 MB analysed
// within 1 s and 256 MB) unless the case is about a limit.

const repeat = (n, f) => Array.from({ length: n }, (_, i) => f(i)).join('');
const latin1 = (s) => Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff);

export const cases = [
  {
    name: 'latin1-bytes',
    what: 'invalid UTF-8 (Latin-1 bytes) in a comment, a LABEL and an ENV value',
    files: {
      Dockerfile: latin1('FROM alpine:3.19\n# caf\xe9 cr\xe8me\nLABEL description="caf\xe9"\nENV GREETING=\xe9t\xe9 NAME=\xff\xfe\nRUN echo "$GREETING" > /greeting\nCOPY caf\xe9.txt /\n'),
      'caf\xe9.txt': 'x\n',
    },
    expect: { ok: true },
    maxMs: 2000, maxMB: 200,
  },
  {
    name: 'deep-workdir',
    what: 'WORKDIR /a/a/a/... 5,000 levels deep',
    files: { Dockerfile: `FROM alpine:3.19\nWORKDIR ${repeat(5000, () => '/a')}\nRUN touch x\n` },
    expect: { ok: false, code: 'limits/path-length', line: 2, column: 9 },
    maxMs: 2000, maxMB: 200,
  },
  {
    name: 'deep-workdir-relative',
    what: '3,000 WORKDIR a lines, each one level deeper',
    files: { Dockerfile: `FROM alpine:3.19\n${repeat(3000, () => 'WORKDIR a\n')}RUN touch x\n` },
    expect: { ok: false, code: 'limits/path-length' },
    maxMs: 3000, maxMB: 300,
  },
  {
    name: 'many-args',
    what: '20,000 ARG lines in one stage',
    files: { Dockerfile: `FROM alpine:3.19\n${repeat(20000, (i) => `ARG A${i}=${i}\n`)}RUN echo done\n` },
    expect: { ok: false, code: 'limits/variables' },
    maxMs: 3000, maxMB: 300,
  },
  {
    name: 'env-one-line',
    what: '50,000 ENV pairs on one line',
    files: { Dockerfile: `FROM alpine:3.19\nENV ${repeat(50000, (i) => `E${i}=${i} `)}\nRUN echo done\n` },
    expect: { ok: false, code: 'limits/variables' },
    maxMs: 3000, maxMB: 300,
  },
  {
    name: 'env-continued',
    what: '50,000 ENV pairs on continued lines',
    files: { Dockerfile: `FROM alpine:3.19\nENV ${repeat(50000, (i) => `E${i}=${i} \\\n  `)}LAST=1\nRUN echo done\n` },
    expect: { ok: false, code: 'limits/variables' },
    maxMs: 3000, maxMB: 300,
  },
  {
    name: 'nested-defaults',
    what: '${a:-${a:-...}} nested 10,000 deep (the expander does not recurse)',
    files: { Dockerfile: `FROM alpine:3.19\nENV X=${repeat(10000, () => '${a:-')}x${repeat(10000, () => '}')}\nRUN echo $X\n` },
    expect: { ok: true },
    maxMs: 3000, maxMB: 300,
  },
  {
    name: 'expansion-doubling',
    what: 'ENV V1=$V0$V0, V2=$V1$V1, ...: each line doubles the text',
    files: { Dockerfile: `FROM alpine:3.19\nENV V0=xxxxxxxxxxxxxxxx\n${repeat(40, (i) => `ENV V${i + 1}=$V${i}$V${i}\n`)}RUN echo $V40\n` },
    expect: { ok: false, code: 'limits/expansion' },
    maxMs: 3000, maxMB: 300,
  },
  {
    name: 'nested-growth',
    what: '${a:-${b:-...}} defaults that repeat a large variable at every level',
    files: { Dockerfile: `FROM alpine:3.19\nENV B=${'y'.repeat(100000)}\nENV X=${repeat(2000, () => '${a:-$B$B')}${repeat(2000, () => '}')}\n` },
    expect: { ok: false, code: 'limits/expansion' },
    maxMs: 3000, maxMB: 300,
  },
  {
    name: 'global-args',
    what: '50,000 global ARG pairs before the first FROM, then ARGs that use them in 400 stages',
    files: { Dockerfile: `ARG ${repeat(50000, (i) => `G${i}=${i} `)}\n${repeat(400, (i) => `FROM alpine:3.19 AS s${i}\nARG ${repeat(20, (j) => `G${j * 2000} `)}\nRUN echo $G0\n`)}` },
    expect: {},
    maxMs: 3000, maxMB: 300,
  },
  {
    name: 'global-doubling',
    what: 'global ARG V1=$V0$V0, V2=$V1$V1, ... and FROM $V40',
    files: { Dockerfile: `ARG V0=xxxxxxxxxxxxxxxx\n${repeat(40, (i) => `ARG V${i + 1}=$V${i}$V${i}\n`)}FROM alpine:3.19$V40\nRUN echo $V40\n` },
    expect: { ok: false },
    maxMs: 3000, maxMB: 300,
  },
  {
    name: 'big-env-many-steps',
    what: 'a 1.5 MB ENV value, then 200 RUN steps that carry it',
    files: { Dockerfile: `FROM alpine:3.19\nENV BIG=${'b'.repeat(1500000)}\n${repeat(200, (i) => `RUN echo ${i}\n`)}` },
    expect: { ok: false, code: 'parse/line-too-long' },
    maxMs: 3000, maxMB: 300,
  },
  {
    name: 'env-volume',
    what: '900 ENV values of 1 KB, then 2,000 RUN steps that carry them all',
    files: { Dockerfile: `FROM alpine:3.19\n${repeat(900, (i) => `ENV V${i}=${'v'.repeat(1000)}\n`)}${repeat(2000, (i) => `RUN echo ${i}\n`)}` },
    expect: { ok: false, code: 'limits/environment' },
    maxMs: 3000, maxMB: 300,
  },
  {
    name: 'many-runs',
    what: '9,000 RUN steps, each making files',
    files: { Dockerfile: `FROM alpine:3.19\n${repeat(9000, (i) => `RUN mkdir -p /d${i}/x && touch /d${i}/x/f && echo ${i} > /e${i}\n`)}` },
    expect: { ok: true },
    maxMs: 4000, maxMB: 400,
  },
  {
    name: 'many-copies',
    what: '9,000 COPY steps',
    files: { Dockerfile: `FROM alpine:3.19\n${repeat(9000, (i) => `COPY f /d${i}/\n`)}`, f: 'x' },
    expect: { ok: true },
    maxMs: 3000, maxMB: 300,
  },
  {
    name: 'many-stages',
    what: '5,000 stages',
    files: { Dockerfile: repeat(5000, (i) => `FROM alpine:3.19 AS s${i}\nRUN echo ${i} > /f\n`) },
    expect: { ok: false, code: 'limits/stages' },
    maxMs: 3000, maxMB: 300,
  },
  {
    name: 'from-chain',
    what: '2,000 stages, each FROM the previous one with a COPY --from the one before',
    files: { Dockerfile: `FROM alpine:3.19 AS s0\nRUN echo 0 > /f0\n${repeat(1999, (i) => `FROM s${i} AS s${i + 1}\nCOPY --from=s${i} /f${i} /f${i + 1}\n`)}` },
    expect: { ok: false, code: 'limits/stages' },
    maxMs: 3000, maxMB: 300,
  },
  {
    name: 'from-chain-under-limit',
    what: '200 stages, each FROM the previous one with a COPY --from the one before',
    files: { Dockerfile: `FROM alpine:3.19 AS s0\nRUN echo 0 > /f0\n${repeat(199, (i) => `FROM s${i} AS s${i + 1}\nCOPY --from=s${i} /f${i} /f${i + 1}\n`)}` },
    expect: { ok: true },
    maxMs: 3000, maxMB: 300,
  },
  {
    name: 'huge-copy-list',
    what: 'one COPY with 50,000 sources',
    files: { Dockerfile: `FROM alpine:3.19\nCOPY ${repeat(50000, (i) => `f${i} `)}/dst/\n`, f0: 'x' },
    expect: { ok: false },
    maxMs: 3000, maxMB: 300,
  },
  {
    name: 'glob-backtracking',
    what: 'COPY a*a*a*...*b against long file names of a',
    files: {
      Dockerfile: `FROM alpine:3.19\nCOPY ${'a*'.repeat(200)}b /dst/\n`,
      ...Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`${'a'.repeat(200 + i)}`, 'x'])),
    },
    expect: {},
    maxMs: 3000, maxMB: 300,
  },
  {
    name: 'dockerignore-backtracking',
    what: '.dockerignore **/a*a*a*... against deep paths',
    files: {
      Dockerfile: 'FROM alpine:3.19\nCOPY . /app/\n',
      '.dockerignore': `${repeat(200, () => '**/')}${'a*'.repeat(100)}b\n${repeat(500, (i) => `!**/x${i}/**\n`)}`,
      ...Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`${repeat(20, () => 'a/')}${'a'.repeat(100 + (i % 150))}`, 'x'])),
    },
    expect: { ok: true },
    maxMs: 3000, maxMB: 300,
  },
  {
    name: 'many-context-files',
    what: '20,000 context files, COPY . .',
    files: {
      Dockerfile: 'FROM alpine:3.19\nCOPY . /app/\nRUN ls /app\n',
      ...Object.fromEntries(Array.from({ length: 20000 }, (_, i) => [`d${i % 100}/f${i}.txt`, `${i}`])),
    },
    expect: { ok: true },
    maxMs: 5000, maxMB: 300,
  },
  {
    name: 'too-many-context-files',
    what: '50,100 context files (over the 50,000-entry limit), COPY . .',
    files: {
      Dockerfile: 'FROM alpine:3.19\nCOPY . /app/\n',
      ...Object.fromEntries(Array.from({ length: 50100 }, (_, i) => [`f${i}`, ''])),
    },
    expect: { ok: false, code: 'limits/context-files' },
    maxMs: 5000, maxMB: 400,
  },
  {
    name: 'dockerignore-many-patterns',
    what: 'a .dockerignore of 50,000 patterns (over the 1,000-pattern limit) against 5,000 files',
    files: {
      Dockerfile: 'FROM alpine:3.19\nCOPY . /app/\n',
      '.dockerignore': `# generated\n${repeat(50000, (i) => `${i % 3 ? '**/' : ''}d${i}/*${i % 7 ? '' : '.tmp'}\n`)}`,
      ...Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`d${i % 100}/s${i % 10}/f${i}.txt`, ''])),
    },
    expect: { ok: false, code: 'limits/dockerignore-patterns', line: 1002, column: 1 },
    maxMs: 5000, maxMB: 300,
  },
  {
    name: 'dockerignore-many-globs',
    what: '1,000 patterns **/*.tmpN (each run as a DFA on every path) against 30,000 files',
    files: {
      Dockerfile: 'FROM alpine:3.19\nCOPY . /app/\n',
      '.dockerignore': repeat(1000, (i) => `**/*.tmp${i}\n`),
      ...Object.fromEntries(Array.from({ length: 30000 }, (_, i) => [`m${i % 100}/f${i}.tmp${i % 1200}`, ''])),
    },
    expect: { ok: false, code: 'limits/dockerignore-work' },
    maxMs: 5000, maxMB: 300,
  },
  {
    name: 'dockerignore-many-slow-patterns',
    what: '1,000 patterns of 70 **/ and 60 a* each (too big for a DFA: Pike VM) against 2,000 files (found by fuzzing)',
    files: {
      Dockerfile: 'FROM alpine:3.19\nCOPY . /app/\n',
      '.dockerignore': repeat(1000, (i) => `${'**/'.repeat(70)}${'a*'.repeat(60)}b${i}\n`),
      ...Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`d${i % 20}/${'a'.repeat(20 + (i % 30))}b${i}`, 'x'])),
    },
    expect: { ok: false, code: 'limits/dockerignore-work' },
    maxMs: 5000, maxMB: 300,
  },
  {
    name: 'dockerignore-long-pattern',
    what: 'a .dockerignore pattern of 60,000 bytes (over the 4,096-byte limit) among short ones',
    files: {
      Dockerfile: 'FROM alpine:3.19\nCOPY . /app/\n',
      '.dockerignore': `node_modules\n**/${'a*'.repeat(30000)}b\n*.log\n`,
      ...Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`${repeat(20, () => 'a/')}${'a'.repeat(100 + (i % 150))}`, 'x'])),
      'x.log': 'log',
    },
    expect: { ok: false, code: 'limits/dockerignore-pattern-length', line: 2, column: 1 },
    maxMs: 3000, maxMB: 300,
  },
  {
    name: 'big-heredoc',
    what: 'a RUN heredoc of 1 MB',
    files: { Dockerfile: `FROM alpine:3.19\nRUN <<EOF\n${repeat(50000, (i) => `echo line ${i} >> /f\n`)}EOF\n` },
    expect: { ok: true },
    maxMs: 3000, maxMB: 300,
  },
  {
    name: 'long-line',
    what: 'one RUN line of 1 MB (over BuildKit\'s 64 KiB line limit)',
    files: { Dockerfile: `FROM alpine:3.19\nRUN ${repeat(100000, () => 'echo x && ')}true\n` },
    expect: { ok: false, code: 'parse/line-too-long', line: 2, column: 1 },
    maxMs: 3000, maxMB: 300,
  },
  {
    name: 'long-continued-run',
    what: 'one RUN of 1 MB on 100,000 continued lines',
    files: { Dockerfile: `FROM alpine:3.19\nRUN ${repeat(100000, () => 'echo x && \\\n')}true\n` },
    expect: { ok: true },
    maxMs: 3000, maxMB: 300,
  },
  {
    name: 'many-instructions',
    what: '100,000 LABEL lines',
    files: { Dockerfile: `FROM alpine:3.19\n${repeat(100000, (i) => `LABEL l=${i}\n`)}` },
    expect: { ok: false, code: 'limits/instructions' },
    maxMs: 3000, maxMB: 300,
  },
  {
    name: 'nul-bytes',
    what: 'NUL bytes and control characters everywhere',
    files: { Dockerfile: 'FROM alpine:3.19\nRUN echo \0\x01\x02\nLABEL a="\0"\nENV \0=\0\n' },
    expect: {},
    maxMs: 2000, maxMB: 200,
  },
  {
    name: 'too-large',
    what: 'a 3 MB Dockerfile: refused as a whole',
    files: { Dockerfile: `FROM alpine:3.19\n${repeat(100000, (i) => `# ${'c'.repeat(24)} ${String(i).padStart(6, '0')}\n`)}` },
    expect: { ok: false, code: 'limits/input-size', line: 1, column: 1 },
    maxMs: 2000, maxMB: 200,
  },
];

/** The Dockerfile of a case as a string (Latin-1 bytes read as the characters of the same code). */
export function asText(content) {
  return typeof content === 'string' ? content : String.fromCharCode(...content);
}
