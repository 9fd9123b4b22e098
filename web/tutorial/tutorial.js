// The tutorial's figures, filled in from its playgrounds (the <dockerfile-playground> elements'
// dfplay-change events and state()), never typed into the text. Until a playground starts, its
// figures keep the page's own "(start the playground)" text.
const MB = 1e6;
const size = (bytes) => (bytes >= 1e9 ? `${(bytes / 1e9).toFixed(2)} GB` : `${(bytes / MB).toFixed(1)} MB`) + ' (est.)';
const values = {};

function set(name, text) {
  values[name] = text;
  for (const el of document.querySelectorAll(`[data-fig="${name}"]`)) {
    el.textContent = text;
    el.classList.remove('pending');
  }
}

for (const el of document.querySelectorAll('[data-fig]')) el.classList.add('pending');

const playgrounds = [...document.querySelectorAll('dockerfile-playground')];
const bySection = (id) => playgrounds.filter((p) => p.closest('section')?.id === id);
const stageSize = (s, name) => s.build?.stages?.find((st) => st.name === name)?.size_bytes;

function onChange(el, fn) {
  el.addEventListener('dfplay-change', (e) => {
    Promise.resolve(fn(e.detail)).catch((err) => console.warn('tutorial figure:', err));
  });
}

const [naive] = bySection('naive');
if (naive) onChange(naive, (s) => set('naive-size', size(s.image_size_bytes)));

const [multi] = bySection('node');
if (multi) {
  onChange(multi, (s) => {
    set('multi-size', size(s.image_size_bytes));
    if (s.single_stage_size_bytes) set('multi-single', size(s.single_stage_size_bytes));
  });
}

// The comparison (A: one stage, B: multi-stage, in one compare-mode playground): the summary's
// figures, and the file diff and findings from its state (docs/diff-json.md).
const [cmp] = bySection('compare');
const list = (items, n = 4) => items.slice(0, n).join(', ') + (items.length > n ? ` and ${items.length - n} more` : '');
if (cmp) {
  onChange(cmp, async (s) => {
    const c = s.compare;
    if (!c) return;
    set('cmp-a-size', size(c.a_image_size_bytes));
    set('cmp-b-size', size(c.b_image_size_bytes));
    set('multi-saving', c.size_delta_bytes < 0
      ? `${size(-c.size_delta_bytes)} (${Math.round(-100 * c.size_delta_bytes / c.a_image_size_bytes)} %)`
      : `nothing (B is ${size(c.size_delta_bytes)} bigger)`);
    const d = (await cmp.state()).compare?.diff;
    if (!d) return;
    const base = d.layers.find((l) => l.base);
    if (base) set('cmp-base', base.delta_bytes <= 0 ? size(-base.delta_bytes) : `none (B's base is ${size(base.delta_bytes)} bigger)`);
    const removed = d.files.removed.map((f) => f.path.replace(/^\/app\//, ''));
    set('cmp-removed', String(removed.length));
    set('cmp-removed-list', removed.length ? list(removed, 6) : 'none');
    const nm = d.files.changed.find((f) => /\/node_modules$/.test(f.path));
    set('cmp-node-modules', nm ? `goes from ${size(nm.a_size_bytes)} to ${size(nm.b_size_bytes)}, the development dependencies left behind`
                              : 'is the same on both sides');
    set('cmp-fixed', String(d.findings.fixed.length));
    set('cmp-fixed-list', d.findings.fixed.length ? list([...new Set(d.findings.fixed.map((f) => f.id))], 5) : 'none');
  });
}

const [dotnet] = bySection('dotnet');
if (dotnet) {
  onChange(dotnet, async (s) => {
    set('dotnet-size', size(s.image_size_bytes));
    const b = stageSize(await dotnet.state(), 'builder');
    if (b) set('dotnet-builder', size(b));
  });
}

const [nginx] = bySection('nginx');
if (nginx) onChange(nginx, (s) => set('nginx-size', size(s.image_size_bytes)));

const [go] = bySection('go');
if (go) {
  onChange(go, async (s) => {
    set('go-size', size(s.image_size_bytes));
    const b = stageSize(await go.state(), 'builder');
    if (b) set('go-builder', size(b));
  });
}

const [target] = bySection('target');
if (target) onChange(target, (s) => { set('target-size', size(s.image_size_bytes)); set('target-skipped', String(s.skipped)); });

const [arg] = bySection('build-arg');
if (arg) {
  onChange(arg, async (s) => {
    set('arg-size', size(s.image_size_bytes));
    const st = await arg.state();
    const base = st.build?.stages?.[0]?.base;
    if (base) set('arg-base', base);
  });
}

// The cache demonstration: record a build, append a line to src/server.ts, read the preview of
// the next build (which steps stay CACHED). Done once per playground, right after it starts.
async function editAfterBuild(el, prefix) {
  await el.ready;
  await el.build();
  const st = await el.state();
  const files = { ...st.files, 'src/server.ts': `${st.files['src/server.ts'] || ''}// edited\n` };
  await el.load({ dockerfile: st.dockerfile, files, options: st.options });
  const after = await el.state();
  const summary = after.cache.summary;
  set(`${prefix}-cached`, String(summary.cached));
  set(`${prefix}-run`, String(summary.run));
  if (prefix === 'cache') {
    const cached = after.cache.steps.filter((x) => x.status === 'cached').map((x) => x.instruction.split('\n')[0]);
    set('cache-list', cached.length ? `CACHED: ${cached.join(' · ')}` : 'nothing stays cached');
  }
}

const [order, orderNaive] = bySection('cache');
if (order) editAfterBuild(order, 'cache').catch((err) => console.warn('tutorial cache figures:', err));
if (orderNaive) editAfterBuild(orderNaive, 'naive').catch((err) => console.warn('tutorial cache figures:', err));
