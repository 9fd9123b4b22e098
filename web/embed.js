// <dockerfile-playground>: the Dockerfile Playground on any page, with one tag:
//   <script type="module" src="https://PLAYGROUND-HOST/embed.js"></script>
// Before it starts (and without JavaScript) the element is the Dockerfile as a code block; once
// started it holds a frame of the app (index.html?embed=1, on this script's origin) and talks to
// it with postMessage (docs/embedding.md: the attributes, the element API, the protocol).
// `compare` with a second declared Dockerfile (data-variant="b") opens the app in compare mode.
const APP = new URL('./index.html?embed=1', import.meta.url);
const ORIGIN = APP.origin;
const PROTOCOL = 2;  // the newest protocol this element speaks; the frame's hello lists its own
const byWindow = new Map();  // frame window -> element

// One download of the app per page: the first instance that starts loads it alone; the others
// make their frames once its module is loaded (its `loaded`, or any later message), once it
// failed or went away, or after DockerfilePlayground.firstStartTimeout ms, whichever comes first.
// (Frames started at the same moment would each download it: the browser cache serves only
// what is already in it.)
let first = null, gateOpen = false, gateTimer = 0;
const waiting = [];
function openGate() {
  gateOpen = true;
  first = null;
  clearTimeout(gateTimer);
  for (const go of waiting.splice(0)) go();
}
function turn(host, go) {
  if (gateOpen) return go();
  if (!first) {
    first = host;
    gateTimer = setTimeout(openGate, DockerfilePlayground.firstStartTimeout);
    return go();
  }
  waiting.push(go);
}

const css = new CSSStyleSheet();
css.replaceSync(`
:host{display:block;height:var(--h,520px);position:relative;margin:1em 0;border-radius:8px;overflow:hidden;
 background:#121317;color:#d8dee6;border:1px solid #2c323b;font:14px/1.45 system-ui,sans-serif;
 --pad:.5em .8em}
:host([theme=light]){background:#f7f8fa;color:#1d2329;border-color:#d3d8de}
@media (prefers-color-scheme:light){:host(:not([theme=dark])){background:#f7f8fa;color:#1d2329;border-color:#d3d8de}}
.box{display:flex;flex-direction:column;height:100%}
.bar{display:flex;flex-wrap:wrap;align-items:center;gap:.3em .8em;padding:var(--pad);
 border-bottom:1px solid #8883;font-size:.85em}
.name{font-weight:600}.files{opacity:.75;flex:1 1 12em;overflow-wrap:anywhere}
button,a{font:inherit;color:inherit;background:#8882;border:1px solid #8886;border-radius:5px;
 padding:.2em .7em;cursor:pointer;text-decoration:none}
button:hover,a:hover{background:#8884}
.body{position:relative;flex:1;min-height:0;background:inherit}
.cover{position:relative;z-index:1;background:inherit;height:100%;display:flex;flex-wrap:wrap}
.pane{flex:1 1 22em;min-width:0;min-height:0;display:flex;flex-direction:column}
.pane+.pane{border-left:1px solid #8883}
.label{padding:.25em .8em;font-size:.8em;font-weight:600;border-bottom:1px solid #8882;opacity:.85}
pre{flex:1;min-height:0;margin:0;box-sizing:border-box;overflow:auto;padding:var(--pad);
 font:13px/1.5 ui-monospace,"JetBrains Mono",Menlo,Consolas,monospace;white-space:pre;tab-size:4}
iframe{position:absolute;inset:0;width:100%;height:100%;border:0;display:block;background:#121317}
.msg{opacity:.8}
[hidden]{display:none!important}`);

// Text as written in the page: without the first blank line and the indentation common to all lines.
function dedent(text) {
  const lines = text.replace(/\r\n?/g, '\n').replace(/^[ \t]*\n/, '').replace(/\s+$/, '').split('\n');
  let cut = Infinity;
  for (const l of lines) if (l.trim()) cut = Math.min(cut, l.match(/^[ \t]*/)[0].length);
  return lines.map((l) => l.slice(cut === Infinity ? 0 : cut)).join('\n') + '\n';
}

// "12MB", "1.5 GiB", "300kB", "2048": bytes (KB/MB/GB are powers of 1000, KiB/MiB/GiB of 1024).
function parseSize(text) {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmg]i?)?b?\s*$/i.exec(text);
  if (!m) return null;
  const u = (m[2] || '').toLowerCase();
  return Math.round(m[1] * (u ? (u[1] ? 1024 : 1000) ** ('kmg'.indexOf(u[0]) + 1) : 1));
}

function parseArgs(text) {
  const out = {};
  for (const part of (text || '').split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return out;
}

function el(tag, props, ...kids) {
  const e = document.createElement(tag);
  Object.assign(e, props);
  e.append(...kids);
  return e;
}

addEventListener('message', (e) => {
  const host = byWindow.get(e.source);
  const m = e.data;
  if (!host || e.origin !== ORIGIN || !m || !(m.dfplay >= 1 && m.dfplay <= PROTOCOL) || typeof m.type !== 'string') return;
  host._message(m);
});

const starter = typeof IntersectionObserver === 'function' && new IntersectionObserver((entries) => {
  for (const en of entries) if (en.isIntersecting) en.target.start();
}, { rootMargin: '400px 0px' });
const watcher = typeof IntersectionObserver === 'function' && new IntersectionObserver((entries) => {
  for (const en of entries) en.target._post({ type: 'visibility', visible: en.isIntersecting });
});

class DockerfilePlayground extends HTMLElement {
  static observedAttributes = ['target', 'build-args', 'platform', 'tab', 'readonly', 'theme', 'height'];
  /** How long (ms) later instances wait for the first one's app to load before starting anyway. */
  static firstStartTimeout = 20000;

  constructor() {
    super();
    this._calls = new Map();
    this._id = 0;
    this._v = 1;  // the protocol of this instance's frame, from its hello
    this.ready = new Promise((resolve, reject) => { this._ready = [resolve, reject]; });
    this.ready.catch(() => {});
  }

  get compare() { return this.hasAttribute('compare'); }

  // One side as declared: {dockerfile, files, label}. Side a: the <pre> (or data-variant="a"
  // declaration, or the element's own text); side b: the data-variant="b" <pre> or
  // <script type="text/plain"> (absent: A's Dockerfile). Files without data-variant belong to both
  // sides; a file with data-variant="a"/"b" only to that side (and wins over a shared one).
  _side(v) {
    const q = (sel) => this.querySelector(':scope > ' + sel);
    const decl = v === 'a'
      ? q('pre:not([data-variant]), pre[data-variant=a]') || q('script[type="text/plain"][data-variant=a]:not([data-path])')
      : q('pre[data-variant=b]') || q('script[type="text/plain"][data-variant=b]:not([data-path])');
    let text = '';
    if (decl) text = decl.textContent;
    else if (v === 'a') for (const n of this.childNodes) if (n.nodeType === 3) text += n.textContent;
    const files = {};
    const scripts = [...this.querySelectorAll(':scope > script[type="text/plain"][data-path]')];
    for (const own of [false, true]) {
      for (const s of scripts) {
        if (!!s.dataset.variant !== own || (own && s.dataset.variant !== v)) continue;
        const size = s.dataset.size;
        files[s.dataset.path] = size === undefined ? dedent(s.textContent) : { size: parseSize(size) ?? -1 };
      }
    }
    const out = { dockerfile: text.trim() ? dedent(text) : '', files, label: (decl && decl.dataset.label) || v.toUpperCase() };
    if (v === 'b' && !out.dockerfile) out.dockerfile = this._side('a').dockerfile;
    return out;
  }

  /** The declared content: {dockerfile, files}, or {a, b} (each {dockerfile, files}) in a compare embed. */
  content() {
    const side = (v) => { const { dockerfile, files } = this._side(v); return { dockerfile, files }; };
    return this.compare ? { a: side('a'), b: side('b') } : side('a');
  }

  _options() {
    const o = {};
    const t = this.getAttribute('target'), p = this.getAttribute('platform'), a = this.getAttribute('build-args');
    if (t !== null) o.target = t;
    if (p) o.platform = p;
    if (a !== null) o.build_args = parseArgs(a);
    return o;
  }

  connectedCallback() {
    if (this.shadowRoot) return;
    const root = this.attachShadow({ mode: 'open' });
    root.adoptedStyleSheets = [css];
    const ex = this.getAttribute('example');
    const sides = this.compare ? ['a', 'b'].map((v) => this._side(v)) : [this._side('a')];
    const names = [...new Set(sides.flatMap((s) => Object.keys(s.files)))];
    this._button = el('button', { type: 'button', textContent: '\u25B6 Run in the playground' });
    this._button.onclick = () => this.start();
    this._status = el('span', { className: 'msg', hidden: true });
    const open = el('a', { href: new URL('./' + (ex && !this.compare ? '?example=' + encodeURIComponent(ex) : ''), APP).href,
                           target: '_blank', rel: 'noopener', textContent: 'Open in the full playground \u2197' });
    open.onclick = (e) => this._openFull(e);
    // The cover: the declared Dockerfile(s) over the frame until it is ready.
    this._pre = el('div', { className: 'cover' }, ...sides.map((s, i) => {
      const pre = el('pre', { textContent: s.dockerfile || (ex ? `(the built-in example "${ex}")` : ''), tabIndex: 0 });
      return el('div', { className: 'pane' }, ...(this.compare ? [el('div', { className: 'label', textContent: s.label })] : []), pre);
    }));
    this._body = el('div', { className: 'body' }, this._pre);
    root.append(el('div', { className: 'box' },
      this._bar = el('div', { className: 'bar', part: 'bar' },
         el('span', { className: 'name', textContent: this.compare ? 'Compare: ' + sides.map((s) => s.label).join(' \u2192 ') : 'Dockerfile' }),
         el('span', { className: 'files', textContent: names.length ? 'context: ' + names.join(', ') : '' }),
         this._status, this._button, open),
      this._body));
    this._height();
    if (this.getAttribute('start') !== 'click') {
      if (starter) starter.observe(this);
      else this.start();
    }
  }

  disconnectedCallback() {
    if (starter) starter.unobserve(this);
    if (watcher) watcher.unobserve(this);
    if (first === this) openGate();
  }

  _height() {
    const h = this.getAttribute('height');
    if (h) this.style.setProperty('--h', /^\d+$/.test(h) ? h + 'px' : h);
  }

  attributeChangedCallback(name, old, value) {
    if (name === 'height') return this._height();
    if (!this._started || old === value) return;
    this.ready.then(() => {
      if (name === 'tab' && value) return this._call('showTab', value);
      if (name === 'readonly') return this._call('setReadonly', value !== null && value !== 'false');
      if (name === 'theme' && value) return this._call('setTheme', value);
      return this._call('setOptions', this._options());
    }).catch((e) => this._report(e));
  }

  /** Starts the instance (loads the app in a frame); resolves like `ready`. */
  start() {
    if (this._started || !this.shadowRoot) return this.ready;
    this._started = true;
    if (starter) starter.unobserve(this);
    this._button.hidden = true;
    this._say('Starting the playground\u2026');
    turn(this, () => {
      const f = el('iframe', { src: APP.href, title: 'Dockerfile playground' });
      f.setAttribute('allow', 'clipboard-write');
      this._frame = f;  // under the cover until ready (a display:none frame would never draw)
      this._body.append(f);
      byWindow.set(f.contentWindow, this);
      if (watcher) watcher.observe(this);
    });
    return this.ready;
  }

  _say(text) {
    this._status.textContent = text;
    this._status.hidden = !text;
    this._bar.hidden = this._live && !text;  // once live, the app's own menu bar takes over
  }

  _report(e) {
    this._say('Playground: ' + (e && e.message ? e.message : e));
  }

  _post(m) {
    if (m.type === 'visibility' && !this._live) return;
    if (this._frame && this._frame.contentWindow) this._frame.contentWindow.postMessage({ ...m, dfplay: this._v }, ORIGIN);
  }

  _init() {
    const ex = this.getAttribute('example');
    const ro = this.getAttribute('readonly');
    const m = { type: 'init', example: ex || null, content: null, options: this._options(),
                tab: this.getAttribute('tab') || (this.compare ? 'compare' : null), readonly: ro !== null && ro !== 'false',
                theme: this.getAttribute('theme') || null };
    if (this.compare) {
      const { a, b } = this.content();
      if (!ex) m.content = a;
      m.compare = { b };
    } else if (!ex) m.content = this.content();
    return m;
  }

  _message(m) {
    if (first === this && m.type !== 'reply') openGate();  // loaded, hello, ready or failed: the module is in (or never will be)
    if (m.type === 'hello') {
      this._v = Array.isArray(m.protocols) && m.protocols.includes(PROTOCOL) ? PROTOCOL : 1;
      if (this.compare && this._v < 2) {
        this._message({ type: 'failed', message: 'this playground server does not know compare embeds yet' });
        return;
      }
      this._post(this._init());
    } else if (m.type === 'ready') {
      this._live = true;
      this._pre.hidden = true;
      this._say(m.error ? 'Playground: ' + m.error : '');
      this._ready[0](m.summary);
      this._change(m.summary);
    } else if (m.type === 'change') {
      this._change(m.summary);
    } else if (m.type === 'reply' && this._calls.has(m.id)) {
      const [resolve, reject] = this._calls.get(m.id);
      this._calls.delete(m.id);
      if (m.ok) resolve(m.result);
      else reject(new Error(m.error));
    } else if (m.type === 'failed') {
      this._say('The playground could not start: ' + m.message);
      this._ready[1](new Error(m.message));
    }
  }

  _change(summary) {
    this.summary = summary;
    this.dispatchEvent(new CustomEvent('dfplay-change', { detail: summary, bubbles: true }));
  }

  async _call(method, ...args) {
    await this.start();
    const id = ++this._id;
    return new Promise((resolve, reject) => {
      this._calls.set(id, [resolve, reject]);
      this._post({ type: 'call', id, method, args });
    });
  }

  // The state's link (docs/share-links.md): the started instance makes it; before that the
  // declared content does, except a compare embed on an example (only the app knows its files).
  async _openFull(e) {
    const ex = this.getAttribute('example');
    if (!this._started && ex && !this.compare) return;  // the plain link is enough
    e.preventDefault();
    const w = open('about:blank', '_blank');
    try {
      let link;
      if (this._started || ex) link = await this._call('shareURL');
      else {
        const { shareLink } = await import(new URL('./share-link.js', import.meta.url).href);
        const c = this.content(), options = this._options();
        const state = this.compare
          ? { ...c.b, options, tab: this.getAttribute('tab') || 'compare', compare: { a: { ...c.a, options } } }
          : { ...c, options };
        link = await shareLink(state, new URL('./', APP).href);
      }
      if (w) {
        w.opener = null;
        w.location.href = link;
      }
    } catch (err) {
      if (w) w.close();
      this._report(err);
    }
  }

  state() { return this._call('state'); }
  /** {dockerfile, files, options}; or {a, b} (each like that) for both sides of a comparison. */
  load(content) { return this._call('load', content); }
  loadExample(id) { return this._call('loadExample', id); }
  build() { return this._call('build'); }
  clearCache() { return this._call('clearCache'); }
  setOptions(options) { return this._call('setOptions', options); }
  showTab(name) { return this._call('showTab', name); }
  setReadonly(on) { return this._call('setReadonly', !!on); }
  shareURL() { return this._call('shareURL'); }
}

if (!customElements.get('dockerfile-playground')) customElements.define('dockerfile-playground', DockerfilePlayground);
