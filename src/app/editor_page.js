// The editor's page features, next to page_api.js (linked as emscripten --post-js: it runs in the
// module's scope). No inline scripts or styles: the markup is in shell/app.html, styles set here.
//   window.dfplay.undo() / redo()   one step of the content (a typed word, a paste, Apply fix, an
//                                   example load, dfplay.load, Reset); returns the new state
//   window.dfplay.setTheme(name)    'light' | 'dark' | 'auto' (follow prefers-color-scheme);
//                                   remembered in localStorage; state().ui.theme says what is shown
//   autosave                        the content (Dockerfile, files, options, example, open tab) is
//                                   saved to localStorage shortly after each change and restored on
//                                   reload, unless the URL has a share link (#s=), ?example= or
//                                   ?embed=1 (embeds never autosave). Each browser tab writes its
//                                   own slot (one JSON value, written at once); see saveNow().
//   accessibility                   the Dockerfile (in blocks: an edit replaces the blocks it touches)
//                                   and a results summary (a polite live region) in
//                                   visually hidden DOM; Tab moves focus out of the canvas unless
//                                   the editor has it (Escape leaves the editor first)
//   touch and text input            a tap is a press and a release in different frames; while the
//                                   editor has the focus, a hidden textarea has the DOM focus so
//                                   that phones show their keyboard and IME composition works
(function () {
  var SLOT_PREFIX = 'dfplay:autosave:';
  var THEME_KEY = 'dfplay:theme';
  var TAB_ID_KEY = 'dfplay:tab-id';
  var MAX_SLOTS = 8;
  var SAVE_DELAY_MS = 400;

  // The app draws on demand (redraw.js): every call below may change what is shown, so each
  // wakes the renderer afterwards.
  function wake() {
    if (Module['dfplayWake']) Module['dfplayWake']();
  }
  // page_api.js's way into the wasm (UTF-8, recovery, and a redraw: the app draws on demand).
  function str(fn, text) {
    return Module['dfplayCallString'](fn, text);
  }
  function strVoid(fn, text) {
    Module['dfplayCallString'](function (ptr, len) { fn(ptr, len); return 0; }, text);
  }
  function storage(kind) {
    try {
      var s = window[kind];
      return s || null;
    } catch (e) {
      return null;  // blocked (privacy settings, sandboxed frames)
    }
  }
  var params = new URLSearchParams(location.search);
  var embedded = params.get('embed') === '1';
  var urlHasContent = /(^#|[#&])s=/.test(location.hash) || params.has('example');
  var runtimeReady = false;

  // ---- Theme ---------------------------------------------------------------------------------
  var media = window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : null;
  function rememberedTheme() {
    var ls = storage('localStorage');
    var t = null;
    try { t = ls && ls.getItem(THEME_KEY); } catch (e) {}
    return t === 'light' || t === 'dark' || t === 'auto' ? t : 'auto';
  }
  var themeChoice = embedded ? 'auto' : rememberedTheme();
  // Called by the wasm (theme.cpp) whenever a theme is applied.
  Module['dfplayThemeShown'] = function (name, choice, r, g, b) {
    var bg = 'rgb(' + r + ',' + g + ',' + b + ')';
    document.documentElement.style.background = bg;
    document.body.style.background = bg;
    document.documentElement.style.colorScheme = name;
    document.documentElement.setAttribute('data-theme', name);
    if (choice !== themeChoice) {
      themeChoice = choice;
      if (!embedded) {
        try { storage('localStorage').setItem(THEME_KEY, choice); } catch (e) {}
      }
    }
  };

  // ---- Autosave --------------------------------------------------------------------------------
  // Each page instance has a nonce; each browser tab an id kept in sessionStorage (which survives
  // a reload of that tab and nothing else). A slot `dfplay:autosave:<tab id>` holds
  // {v, owner: nonce, time, state}: one value, replaced at once, so no reader ever sees half of a
  // state. A duplicated tab starts with the same tab id: the first save where the slot's owner
  // is another live page (seen on save or through a `storage` event) moves this page to a new id.
  var nonce = Math.random().toString(36).slice(2) + Date.now().toString(36);
  var tabId = null;
  var wrote = false;
  // lastSaved: what the slot holds, {rest, text} (the content's JSON without the Dockerfile, and
  // the Dockerfile), or null before the baseline (nothing has changed since the page opened).
  var lastMark = null, dirtySince = 0, lastSaved = null, saveFailed = false;
  var bigNotice = '';  // the notice shown while the Dockerfile is above the size limit (not saved)
  var FORCE_SAVE = { rest: '', text: '' };  // differs from any content: the next save writes
  function newTabId() {
    tabId = 't' + Math.random().toString(36).slice(2, 10);
    try { storage('sessionStorage').setItem(TAB_ID_KEY, tabId); } catch (e) {}
    wrote = false;
  }
  // A slot's {v, owner, time}, read from the head of its value as saveNow() writes it (a slot
  // holds a whole Dockerfile: parsing every slot's JSON after each save would cost milliseconds
  // per 100 KB); anything else is parsed whole. null for a value that is not such an object.
  var HEAD = /^\{"v":(\d+),"owner":("(?:[^"\\]|\\.)*"),"time":(\d+),/;
  function slotHead(raw) {
    if (raw === null) return null;
    var m = HEAD.exec(raw.slice(0, 200));
    if (m) {
      try { return { v: Number(m[1]), owner: JSON.parse(m[2]), time: Number(m[3]) }; } catch (e) {}
    }
    var v = null;
    try { v = JSON.parse(raw); } catch (e) {}
    return v && typeof v === 'object' ? { v: v.v, owner: v.owner, time: v.time } : null;
  }
  function slots(ls) {
    var out = [];
    for (var i = 0; i < ls.length; i++) {
      var k = ls.key(i);
      if (k && k.indexOf(SLOT_PREFIX) === 0) out.push({ key: k, value: slotHead(ls.getItem(k)) });
    }
    out.sort(function (a, b) { return ((b.value && b.value.time) || 0) - ((a.value && a.value.time) || 0); });
    return out;
  }
  function notice(text) {
    if (runtimeReady) strVoid(_dfplay_app_set_notice, text);
  }
  // The slot to restore: this tab's own (a reload), else the newest (a new tab continues the
  // latest work).
  function restore() {
    var ls = storage('localStorage'), ss = storage('sessionStorage');
    if (!ls) return;
    try { tabId = ss && ss.getItem(TAB_ID_KEY); } catch (e) { tabId = null; }
    var all = slots(ls), pick = null;
    for (var i = 0; i < all.length; i++) if (all[i].key === SLOT_PREFIX + tabId && all[i].value) pick = all[i];
    if (!pick) {
      for (var j = 0; j < all.length; j++) if (all[j].value && all[j].value.v === 1) { pick = all[j]; break; }
    }
    if (!tabId) newTabId();
    var saved = null;
    try { saved = pick && JSON.parse(ls.getItem(pick.key)); } catch (e) {}
    if (!saved || !saved.state || typeof saved.state !== 'object') return;
    var err = str(_dfplay_app_restore, JSON.stringify(saved.state));
    if (err) console.warn('dfplay: the autosaved state was not restored: ' + err);
    lastSaved = FORCE_SAVE;  // written back once, in this page's format (as before: the slot's time)
  }
  // The content as the slot holds it, in two parts (comparing them is cheap; no JSON of the
  // Dockerfile is made in the wasm).
  function contentNow() {
    return { rest: UTF8ToString(_dfplay_app_content_rest()), text: dockerfileText() };
  }
  function saveNow() {
    var ls = storage('localStorage');
    if (!ls || !runtimeReady || lastSaved === null) return;  // before the baseline: nothing changed yet
    // Above the size limit: not written (a few MB would be refused by the storage quota after a
    // long write, or fill it); the notice says so and what was saved before stays.
    var big = UTF8ToString(_dfplay_app_too_big_notice());
    if (big) {
      if (big !== bigNotice) notice(big);
      bigNotice = big;
      return;
    }
    if (bigNotice) {
      bigNotice = '';
      saveFailed = false;
      notice('');
    }
    var now = contentNow();
    if (now.rest === lastSaved.rest && now.text === lastSaved.text) return;
    var key = SLOT_PREFIX + tabId;
    var cur = slotHead(ls.getItem(key));
    if (cur && cur.owner !== nonce && wrote) {
      newTabId();  // another page (a duplicated tab) writes this slot: take a new one
      key = SLOT_PREFIX + tabId;
    }
    var content = now.rest.slice(0, -1) + ',"dockerfile":' + JSON.stringify(now.text) + '}';
    var value = '{"v":1,"owner":' + JSON.stringify(nonce) + ',"time":' + Date.now() + ',"state":' + content + '}';
    var ok = false, error = null;
    for (var attempt = 0; attempt < 2 && !ok; attempt++) {
      try {
        ls.setItem(key, value);
        ok = true;
      } catch (e) {
        error = e;
        // Full: drop the other slots (oldest first) and try once more.
        var all = slots(ls);
        for (var i = all.length - 1; i >= 0; i--) if (all[i].key !== key) ls.removeItem(all[i].key);
      }
    }
    if (ok) {
      wrote = true;
      lastSaved = now;
      if (saveFailed) notice('');
      saveFailed = false;
      var rest = slots(ls);
      for (var k = MAX_SLOTS; k < rest.length; k++) if (rest[k].key !== key) ls.removeItem(rest[k].key);
    } else if (!saveFailed) {
      saveFailed = true;
      notice('Autosave failed (' + ((error && error.name) || 'storage error') + ': the browser\'s storage is full or ' +
             'blocked). Your work is kept in this tab only; copy it before closing the tab.');
    }
  }
  window.addEventListener('storage', function (e) {
    // Another page wrote this tab's slot (a duplicated tab): from now on this page saves elsewhere.
    if (!tabId || e.key !== SLOT_PREFIX + tabId || !e.newValue) return;
    try {
      var v = JSON.parse(e.newValue);
      if (v && v.owner !== nonce) {
        newTabId();
        lastSaved = FORCE_SAVE;  // save the whole state into the new slot
        dirtySince = Date.now();
      }
    } catch (err) {}
  });

  // ---- Accessibility -------------------------------------------------------------------------
  function hideVisually(el) {
    var s = el.style;
    s.position = 'absolute';
    s.width = '1px';
    s.height = '1px';
    s.margin = '-1px';
    s.padding = '0';
    s.overflow = 'hidden';
    s.clip = 'rect(0 0 0 0)';
    s.clipPath = 'inset(50%)';
    s.whiteSpace = 'pre';
    s.border = '0';
  }
  var a11yRoot = document.getElementById('a11y');
  var a11yText = document.getElementById('a11y-dockerfile');
  var a11ySummary = document.getElementById('a11y-summary');
  var bridge = document.getElementById('text-bridge');
  var canvas = Module['canvas'] || document.getElementById('canvas');
  if (a11yRoot) hideVisually(a11yRoot);
  if (bridge) {
    hideVisually(bridge);
    bridge.style.opacity = '0';
    bridge.style.fontSize = '16px';  // iOS zooms into smaller inputs
  }
  if (canvas && canvas.getAttribute('tabindex') === null) canvas.setAttribute('tabindex', '0');

  function bytes(n) {
    var units = ['B', 'kB', 'MB', 'GB'], i = 0;
    while (n >= 1000 && i < units.length - 1) { n /= 1000; i++; }
    return (i ? n.toFixed(1) : String(n)) + ' ' + units[i];
  }
  function plural(n, one, many) { return n + ' ' + (n === 1 ? one : many); }
  var lastSummary = '';
  function updateA11y() {
    if (!runtimeReady) return;
    var s = JSON.parse(UTF8ToString(_dfplay_app_summary()));
    var text;
    if (s.refused) {  // over the size limit: nothing counted (not zero stages)
      text = 'Not analysed: ' + s.refused + '.';
    } else {
      var parts = [plural(s.stages, 'stage', 'stages') + (s.built !== s.stages ? ' (' + s.built + ' built)' : '')];
      parts.push('image ' + bytes(s.image_bytes) + ' (estimated)');
      parts.push(s.cold ? 'cold build: ' + plural(s.run, 'step runs', 'steps run')
                        : 'next build: ' + s.cached + ' cached, ' + s.run + ' run');
      parts.push(s.problems ? plural(s.problems, 'problem', 'problems') : 'no problems');
      if (s.findings) parts.push(plural(s.findings, 'finding', 'findings'));
      text = parts.join(', ') + '.';
    }
    if (a11ySummary && text !== lastSummary) a11ySummary.textContent = text;
    lastSummary = text;
    if (a11yText) mirror.update(a11yDockerfileText());
  }
  // What the mirror holds: the Dockerfile, or, above the size limit, its first lines and the
  // editor's message (a screen reader gets no more of it than the read-only view: no megabytes
  // decoded and laid out).
  var A11Y_HEAD_BYTES = 16384;
  function a11yDockerfileText() {
    var n = _dfplay_app_text_bytes();
    if (n <= _dfplay_app_max_input_bytes()) return dockerfileText();
    var p = _dfplay_app_dockerfile();
    var head = HEAPU8.subarray(p, p + Math.min(n, A11Y_HEAD_BYTES));
    var text = decoder ? decoder.decode(head) : UTF8ToString(p, head.length);
    var nl = text.lastIndexOf('\n');
    return (nl >= 0 ? text.slice(0, nl + 1) : '') + '[' + UTF8ToString(_dfplay_app_too_big_message()) + ']\n';
  }

  // The Dockerfile's text as it is in the wasm (invalid UTF-8 as U+FFFD, NUL bytes kept).
  var decoder = typeof TextDecoder === 'function' ? new TextDecoder() : null;
  function dockerfileText() {
    var p = _dfplay_app_dockerfile(), n = _dfplay_app_text_bytes();
    return decoder ? decoder.decode(HEAPU8.subarray(p, p + n)) : UTF8ToString(p, n);
  }

  // The editor's text for screen readers (#a11y-dockerfile): blocks of up to CHUNK_LINES lines,
  // one block-level <span> each, so that an edit replaces only the blocks it touches (the browser then lays
  // out those alone: a whole 10,000-line mirror is ~270 ms of layout at each change, one block a
  // fraction of a millisecond). The blocks' text, in order, is exactly the Dockerfile's
  // (textContent). A big change (a load, a paste) fills the mirror a few blocks per animation
  // frame, CHUNKS_PER_FRAME at a time, so that no task lays out more than those; a newer text
  // meanwhile restarts from what is already there. The mirror lags the editor by the change
  // loop's delay (SAVE_DELAY_MS after typing pauses) and, for big texts, by those frames.
  var mirror = (function () {
    var CHUNK_LINES = 50, CHUNKS_PER_FRAME = 8;
    var blocks = [];      // [{text, el}] in order, as in the DOM
    var target = null;    // the text being mirrored
    var scheduled = false;

    // text[from, end) into at most `max` pieces of up to CHUNK_LINES lines, each with its line
    // breaks; `rest` says whether text was left over.
    function split(text, from, end, max) {
      var out = [];
      while (from < end && out.length < max) {
        var at = from;
        for (var i = 0; i < CHUNK_LINES && at < end; ++i) {
          var nl = text.indexOf('\n', at);
          at = nl < 0 || nl >= end ? end : nl + 1;
        }
        out.push(text.slice(from, at));
        from = at;
      }
      return { pieces: out, rest: from < end };
    }
    function block(text) {
      var el = document.createElement('span');  // (a <pre> holds phrasing content)
      el.style.display = 'block';
      el.textContent = text;
      return { text: text, el: el };
    }
    // One round: keeps the blocks at the start and at the end that the text still has, replaces
    // what lies between by the text's middle in new blocks (at most `budget` of them now).
    function step(budget) {
      var text = target, n = blocks.length;
      var head = 0, pos = 0;
      while (head < n && text.startsWith(blocks[head].text, pos)) pos += blocks[head++].text.length;
      var tail = n, end = text.length;
      while (tail > head && end - blocks[tail - 1].text.length >= pos &&
             text.endsWith(blocks[tail - 1].text, end)) end -= blocks[--tail].text.length;
      if (head === tail && pos === end) return true;  // the mirror holds the text
      var cut = split(text, pos, end, budget);
      var pieces = cut.pieces, done = !cut.rest;  // the rest in the next round (it stays "changed")
      var before = tail < n ? blocks[tail].el : null;
      for (var i = head; i < tail; ++i) a11yText.removeChild(blocks[i].el);
      var added = pieces.map(block);
      for (var j = 0; j < added.length; ++j) a11yText.insertBefore(added[j].el, before);
      blocks = blocks.slice(0, head).concat(added, blocks.slice(tail));
      return done;
    }
    function run() {
      scheduled = false;
      if (!step(CHUNKS_PER_FRAME)) schedule();
    }
    function schedule() {
      if (scheduled) return;
      scheduled = true;
      // One batch per frame (its layout comes before the next); hidden pages get no frames.
      if (document.hidden) setTimeout(run, 50);
      else requestAnimationFrame(run);
    }
    return {
      update: function (text) {
        target = text;
        if (!step(CHUNKS_PER_FRAME)) schedule();
      },
    };
  })();

  // ---- The change loop: autosave and the summary, shortly after each change ---------------------
  var a11yDirty = true;
  function tick() {
    if (!runtimeReady) return;
    var mark = UTF8ToString(_dfplay_app_change_mark());
    var now = Date.now();
    if (mark !== lastMark) {
      lastMark = mark;
      dirtySince = now;
      a11yDirty = true;
    }
    if (dirtySince && now - dirtySince >= SAVE_DELAY_MS) {
      dirtySince = 0;
      if (!embedded && tabId) saveNow();
      if (a11yDirty) {
        a11yDirty = false;
        setTimeout(updateA11y, 0);  // a task of its own: each of the two stays short for big texts
      }
    }
    syncBridgeFocus();
  }
  window.addEventListener('pagehide', function () {
    if (runtimeReady && !embedded && tabId && lastMark !== null) saveNow();
  });
  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'hidden' && runtimeReady && !embedded && tabId) saveNow();
  });

  // ---- Keyboard: Tab leaves the canvas, shortcuts the browser would take ------------------------
  function editorActive() { return runtimeReady && _dfplay_app_editor_active() === 1; }
  // Registered before GLFW's own window listeners (this runs before main), in the capture phase.
  window.addEventListener('keydown', function (e) {
    if (e.key === 'Tab' && !e.ctrlKey && !e.altKey && !e.metaKey && !editorActive()) {
      // Not in the editor: Tab is the browser's (focus moves out of the app, or into it).
      e.stopImmediatePropagation();
      return;
    }
    var t = e.target;
    var ours = t === canvas || t === bridge || t === document.body || t === document.documentElement;
    if (ours && (e.ctrlKey || e.metaKey) && !e.altKey) {
      var k = (e.key || '').toLowerCase();
      if (k === 'f' || k === 'z' || k === 'y') e.preventDefault();  // the app's Find, Undo, Redo
    }
  }, true);

  // ---- Touch: taps as press and release in different frames ---------------------------------
  var touchQueue = [];
  function pumpTouch() {
    if (!touchQueue.length) return;
    var ev = touchQueue.shift();
    _dfplay_app_touch(ev[0], ev[1], ev[2]);
    wake();
    if (touchQueue.length) requestAnimationFrame(function () { requestAnimationFrame(pumpTouch); });
  }
  function queueTouch(phase, x, y) {
    touchQueue.push([phase, x, y]);
    if (touchQueue.length === 1) requestAnimationFrame(pumpTouch);
  }
  function touchPoint(e) {
    var t = (e.changedTouches && e.changedTouches[0]) || (e.touches && e.touches[0]);
    var r = canvas.getBoundingClientRect();
    return t ? [t.clientX - r.left, t.clientY - r.top] : null;
  }
  var touchId = null;
  function onTouch(e) {
    if (!runtimeReady || e.target !== canvas) return;
    // The app handles touches itself (GLFW's handlers would press at the last mouse position, and
    // the browser's emulated mouse events would repeat the tap).
    e.preventDefault();
    e.stopPropagation();
    var p = touchPoint(e);
    if (!p) return;
    if (e.type === 'touchstart') {
      if (touchId !== null) return;  // one finger
      touchId = e.changedTouches[0].identifier;
      queueTouch(0, p[0], p[1]);      // hover first
      queueTouch(1, p[0], p[1]);      // then press
    } else if (e.type === 'touchmove') {
      queueTouch(0, p[0], p[1]);
    } else {
      touchId = null;
      queueTouch(2, p[0], p[1]);      // release, a frame after the press
      queueTouch(3, 0, 0);            // then no hover left behind
      // A tap in the editor: focus the text bridge now, inside the user gesture, so that phones
      // open their on-screen keyboard.
      var r = JSON.parse(UTF8ToString(_dfplay_app_editor_rect()));
      if (bridge && p[0] >= r.x && p[0] < r.x + r.width && p[1] >= r.y && p[1] < r.y + r.height) focusBridge();
    }
  }
  ['touchstart', 'touchmove', 'touchend', 'touchcancel'].forEach(function (type) {
    window.addEventListener(type, onTouch, { capture: true, passive: false });
  });

  // ---- The text bridge: on-screen keyboards and IME composition -------------------------------
  var keyHandled = false, composing = false;
  function focusBridge() {
    if (bridge && document.activeElement !== bridge) bridge.focus({ preventScroll: true });
  }
  function syncBridgeFocus() {
    if (!bridge) return;
    var active = editorActive();
    if (active && document.activeElement !== bridge && (document.activeElement === canvas ||
        document.activeElement === document.body || document.activeElement === null)) {
      focusBridge();
    } else if (!active && document.activeElement === bridge) {
      canvas.focus({ preventScroll: true });
    }
  }
  if (bridge) {
    bridge.addEventListener('keydown', function (e) {
      // A key with a real key code reaches the app through GLFW's own listeners; an on-screen
      // keyboard's (229, "Unidentified") or an IME's ("Process") only as input events here.
      keyHandled = !(e.keyCode === 229 || e.key === 'Unidentified' || e.key === 'Process' || e.isComposing);
    });
    bridge.addEventListener('compositionstart', function () { composing = true; });
    bridge.addEventListener('compositionend', function (e) {
      composing = false;
      if (e.data && runtimeReady) strVoid(_dfplay_app_text_input, e.data);
      bridge.value = '';
      keyHandled = false;
    });
    bridge.addEventListener('input', function (e) {
      if (composing || e.isComposing || e.inputType === 'insertCompositionText') return;
      if (keyHandled) {
        keyHandled = false;
      } else if (runtimeReady) {
        if ((e.inputType === 'insertText' || e.inputType === 'insertReplacementText') && e.data) {
          strVoid(_dfplay_app_text_input, e.data);
        } else if (e.inputType === 'insertLineBreak' || e.inputType === 'insertParagraph') {
          _dfplay_app_key(1);
          wake();
        } else if (e.inputType === 'deleteContentBackward') {
          _dfplay_app_key(0);
          wake();
        } else if (e.inputType === 'deleteContentForward') {
          _dfplay_app_key(2);
          wake();
        }
      }
      bridge.value = '';
    });
  }

  // ---- Start-up: before main() runs (the runtime is ready, nothing is drawn yet) --------------
  addOnPreMain(function () {
    runtimeReady = true;
    if (media) {
      _dfplay_app_set_system_dark(media.matches ? 1 : 0);
      var onChange = function (e) { _dfplay_app_set_system_dark(e.matches ? 1 : 0); wake(); };
      if (media.addEventListener) media.addEventListener('change', onChange);
      else if (media.addListener) media.addListener(onChange);
    } else {
      _dfplay_app_set_system_dark(1);
    }
    var themeParam = params.get('theme');
    str(_dfplay_app_set_theme, themeParam === 'light' || themeParam === 'dark' || themeParam === 'auto' ? themeParam : themeChoice);
    if (!embedded) {
      if (!urlHasContent) {
        try { restore(); } catch (e) { console.warn('dfplay: autosave restore failed: ' + e); }
      }
      if (!tabId) {
        try { tabId = storage('sessionStorage') && storage('sessionStorage').getItem(TAB_ID_KEY); } catch (e) {}
        if (!tabId) newTabId();
      }
    }
    lastMark = UTF8ToString(_dfplay_app_change_mark());
    // Nothing is saved until something changes: opening the app (or a link to an example) never
    // becomes the newest save that a new tab would start from. The baseline is taken once the UI
    // is drawn (the open tab is known then).
    if (window['dfplay'] && window['dfplay']['ready']) {
      window['dfplay']['ready'].then(function () {
        if (lastSaved === null) lastSaved = contentNow();
      }, function () {});
    }
    setInterval(tick, 100);
    a11yDirty = true;
    dirtySince = 1;  // the first summary right away
  });

  function withState(fn) {
    return function () {
      var d = window['dfplay'];
      if (!d || !runtimeReady) throw new Error('dfplay is not ready yet: await window.dfplay.ready first');
      fn.apply(null, arguments);
      wake();
      return d['state']();
    };
  }
  function install() {
    var d = window['dfplay'];
    if (!d) return;
    d['undo'] = withState(function () { _dfplay_app_undo(); });
    d['redo'] = withState(function () { _dfplay_app_redo(); });
    d['setTheme'] = withState(function (name) {
      if (typeof name !== 'string') throw new TypeError("dfplay.setTheme expects 'light', 'dark' or 'auto'");
      var err = str(_dfplay_app_set_theme, name);
      if (err) throw new Error(err);
    });
  }
  install();
})();
