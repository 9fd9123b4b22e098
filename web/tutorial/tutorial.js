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
const sizes = {};

function onChange(el, fn) {
  el.addEventListener('dfplay-change', (e) => {
    Promise.resolve(fn(e.detail)).catch((err) => console.warn('tutorial figure:', err));
  });
}

function saving() {
  if (sizes.naive && sizes.multi) set('multi-saving', `${size(sizes.naive - sizes.multi)} (${Math.round(100 * (1 - sizes.multi / sizes.naive))} %)`);
}

const [naive] = bySection('naive');
if (naive) onChange(naive, (s) => { sizes.naive = s.image_size_bytes; set('naive-size', size(s.image_size_bytes)); saving(); });

const [multi] = bySection('node');
if (multi) {
  onChange(multi, (s) => {
    sizes.multi = s.image_size_bytes;
    set('multi-size', size(s.image_size_bytes));
    if (s.single_stage_size_bytes) set('multi-single', size(s.single_stage_size_bytes));
    saving();
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
