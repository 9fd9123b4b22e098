// window.dfplay: the page API of the app, for embedders, people in the console and the browser tests.
//   await dfplay.ready        resolves (true) once the UI is drawn (after the second frame: some ImGui
//                             widgets size themselves on their first); rejects if the app fails to start
//   dfplay.state()            a JSON-serialisable snapshot: {dockerfile, dockerfile_path, files, example,
//                             analysis, build, cache, checks, options, builds, input_diagnostics,
//                             revision, analysing, last_build, ui}. `analysis`/`build`/`cache`/`checks` are
//                             the CLI's JSON (dfplay analyze/build/rebuild/check --json); `cache` previews
//                             the next build against the builds recorded so far; `ui` has the screen
//                             rectangles (CSS pixels) of the editor and of named widgets
//                             (ui.widgets["button:build"]). `analysing` is true while the current content
//                             is being analysed (after every change, in slices between frames): the
//                             results are then the previous content's (ui.analysingShown: the status line
//                             says "analysing…", once that has taken 150 ms); in compare mode it is also
//                             true while A and B are being compared (compare.analysing). `build_requested`:
//                             the Build button was pressed while analysing, the build is recorded once the
//                             analysis is done
//   await dfplay.analysed()   state() once the current content is analysed (analysing false), and the
//                             what-ifs the Compare tab asked for are made (compare.what_ifs_current)
//   dfplay.load({dockerfile, files, options})
//                             replaces the content (absent fields become empty / default); files are
//                             build-context files as {path: content}, a Map, or a list of {path, content}
//                             / [path, content]; the layer cache is kept; returns the new state (with
//                             analysing true: its results follow, see analysed()), throws on invalid
//                             input (unknown fields included)
//   dfplay.setOptions(obj)    merges build options {target, platform, build_args, no_cache, ...}
//   dfplay.build()            "Build": records the current build in the cache; returns its report
//                             (the JSON of `dfplay rebuild --json`). It finishes the current content's
//                             analysis at once to return it (the app's Build button waits for the sliced one)
//   dfplay.clearCache()       the next build is cold again
//   dfplay.loadExample(id)    loads a built-in example (cold cache); returns the new state
//   dfplay.examples()         the built-in examples [{id, title, description, dockerfile, files, ...}]
//   dfplay.compare(arg)       compare mode: () / true / {} pins the current content as A; {a: {dockerfile, files,
//                             options}} pins that A; {b: ...} also loads B as dfplay.load does; false / null /
//                             {off: true} leaves it. Returns state().compare ({a, diff, analysing, what_ifs,
//                             what_ifs_current}, null when off), with the comparison made at once (the app's
//                             Compare button makes it in slices between frames: state().compare.diff is then the
//                             last comparison made, null before the first, and compare.analysing true until it is
//                             current). compare.what_ifs is the last list of what-ifs made (state() makes none:
//                             the Compare tab has them made in slices after the comparison), what_ifs_current
//                             whether it is the current content's
//   dfplay.whatIfs()          the ready what-ifs of the current content [{id, kind, title, description, line,
//                             variant, effect}]; made at once when they are not yet (it returns them: several
//                             simulated builds per what-if, seconds on a big Dockerfile)
//   dfplay.acceptWhatIf(id)   loads the what-if's variant (entering compare mode first: A = the content before);
//                             returns the new state. The id is one of the current content's what-ifs (made at
//                             once, as whatIfs() does, when they are not yet)
//   dfplay.redraw(n = 1)      the app draws only when something changes (redraw.js): wakes it and
//                             resolves (with state().ui.frame's count) once n more frames are drawn
// Linked as emscripten --post-js (after redraw.js): it runs in the module's scope.
//
// Redraw on demand: every call into the wasm that may change what is shown goes through
// callWithString() or call() below, which wake the renderer afterwards; new page-API functions
// get that for free by using them. Read-only calls (state, examples) use read().
(function () {
  var resolveReady, rejectReady, started = false;
  var ready = new Promise(function (resolve, reject) { resolveReady = resolve; rejectReady = reject; });

  Module['dfplayFirstFrame'] = function () {
    if (started) return;
    started = true;
    if (typeof performance !== 'undefined' && performance.mark) performance.mark('dfplay-ready');
    resolveReady(true);
  };
  var previousAbort = Module['onAbort'];
  Module['onAbort'] = function (what) {
    rejectReady(new Error('dfplay: the app stopped: ' + what));
    if (previousAbort) previousAbort(what);
  };

  function requireStarted() {
    if (!started) throw new Error('dfplay is not ready yet: await window.dfplay.ready first');
  }

  function wake() {
    if (Module['dfplayWake']) Module['dfplayWake']();
  }

  // Runs fn() (calls into the wasm module). Anything it throws means the module may be dead or
  // inconsistent (an abort, a C++ exception, memory exhausted): page_recovery.js restarts the app
  // with the user's content, and the caller gets an Error saying so.
  function guard(fn) {
    try {
      return fn();
    } catch (e) {
      // (without exception catching, emscripten throws a C++ exception to JavaScript as a number)
      var reason = typeof e === 'number' ? 'an uncaught C++ exception' : e && e.message ? e.message : String(e);
      if (Module['dfplayRecover']) Module['dfplayRecover'](reason);
      throw new Error('dfplay: the app stopped (' + reason + '); it restarts with your content');
    }
  }

  // Lone UTF-16 surrogates cannot be encoded as UTF-8: they become U+FFFD (text is text). (In
  // JSON.stringify's output they are \udXXX escapes, which the core reads as U+FFFD itself.)
  function wellFormed(text) {
    if (typeof text.toWellFormed === 'function') return text.toWellFormed();
    var out = '', from = 0;
    for (var i = 0; i < text.length; i++) {
      var c = text.charCodeAt(i);
      if (c < 0xD800 || c > 0xDFFF) continue;
      var d = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
      if (c <= 0xDBFF && d >= 0xDC00 && d <= 0xDFFF) { i++; continue; }
      out += text.slice(from, i) + '\uFFFD';
      from = i + 1;
    }
    return from === 0 ? text : out + text.slice(from);
  }

  function callWithString(fn, text) {
    text = wellFormed(text);
    return guard(function () {
      var size = lengthBytesUTF8(text) + 1;
      var ptr = _malloc(size);
      try {
        stringToUTF8(text, ptr, size);
        return UTF8ToString(fn(ptr, size - 1));
      } finally {
        _free(ptr);
        wake();
      }
    });
  }

  // fn(json, jsonLength, text, textLength) with a long text as UTF-8 bytes beside a small JSON
  // (TextEncoder writes them: no JSON string for the wasm to parse, no per-character copy loop).
  var encoder = typeof TextEncoder === 'function' ? new TextEncoder() : null;
  function callWithText(fn, json, text) {
    json = wellFormed(json);
    return guard(function () {
      var bytes = encoder ? encoder.encode(text) : null;  // (lone surrogates: U+FFFD)
      if (!bytes) text = wellFormed(text);
      var size = lengthBytesUTF8(json) + 1, textSize = bytes ? bytes.length : lengthBytesUTF8(text);
      var ptr = _malloc(size), textPtr = _malloc(textSize + 1);
      try {
        stringToUTF8(json, ptr, size);
        if (bytes) HEAPU8.set(bytes, textPtr);  // (HEAPU8 read after the mallocs: memory may have grown)
        else stringToUTF8(text, textPtr, textSize + 1);
        return UTF8ToString(fn(ptr, size - 1, textPtr, textSize));
      } finally {
        _free(ptr);
        _free(textPtr);
        wake();
      }
    });
  }

  // fn(text, length) with the text as UTF-8 bytes written by TextEncoder (a paste of megabytes:
  // no per-character loops in JavaScript); returns fn's raw result and wakes the renderer.
  function callWithBytes(fn, text) {
    if (!encoder) return callWithString(fn, text);
    return guard(function () {
      var bytes = encoder.encode(text);  // (lone surrogates: U+FFFD)
      var ptr = _malloc(bytes.length + 1);
      try {
        HEAPU8.set(bytes, ptr);  // (HEAPU8 read after the malloc: memory may have grown)
        return fn(ptr, bytes.length);
      } finally {
        _free(ptr);
        wake();
      }
    });
  }

  // fn() (no arguments); returns its raw result and wakes the renderer.
  function call(fn) {
    return guard(function () {
      try {
        return fn();
      } finally {
        wake();
      }
    });
  }

  // fn() returning a string, for calls that change nothing.
  function read(fn) {
    return guard(function () { return UTF8ToString(fn()); });
  }

  // For the other page scripts (page_share.js, editor_page.js): one way into the wasm, with the
  // same surrogate handling, failure recovery and redraw as the page API's own calls.
  Module['dfplayCallString'] = callWithString;
  Module['dfplayCall'] = call;

  function check(error) {
    if (error) throw new Error(error);
  }

  function state() {
    requireStarted();
    return JSON.parse(read(_dfplay_app_state));
  }

  function analysed() {
    requireStarted();
    return Module['dfplayAnalysed']().then(state);
  }

  // The changes below return state(); the embed bridge calls them through Module.dfplayChange,
  // which returns nothing (a big Dockerfile's snapshot is ~90 ms of JSON it would not read).
  function load(content) {
    loadContent(content);
    return state();
  }
  function loadContent(content) {
    requireStarted();
    if (content === undefined || content === null) content = {};
    if (typeof content !== 'object' || Array.isArray(content)) {
      throw new TypeError('dfplay.load expects an object {dockerfile, files, options}');
    }
    var copy = {};
    for (var k in content) if (Object.prototype.hasOwnProperty.call(content, k)) copy[k] = content[k];
    if (typeof Map !== 'undefined' && copy['files'] instanceof Map) copy['files'] = Object.fromEntries(copy['files']);
    var text = copy['dockerfile'];
    if (typeof text === 'string') {
      delete copy['dockerfile'];
      check(callWithText(_dfplay_app_load_text, JSON.stringify(copy), text));
    } else {
      check(callWithString(_dfplay_app_load, JSON.stringify(copy)));
    }
  }

  function setOptions(options) {
    changeOptions(options);
    return state();
  }
  function changeOptions(options) {
    requireStarted();
    if (options === null || typeof options !== 'object' || Array.isArray(options)) {
      throw new TypeError('dfplay.setOptions expects an object, e.g. {target: "builder"}');
    }
    check(callWithString(_dfplay_app_set_options, JSON.stringify(options)));
  }

  function build() {
    requireStarted();
    return JSON.parse(UTF8ToString(call(_dfplay_app_build)));
  }

  function clearCache() {
    emptyCache();
    return state();
  }
  function emptyCache() {
    requireStarted();
    call(_dfplay_app_clear_cache);
  }

  function loadExample(id) {
    loadExampleContent(id);
    return state();
  }
  function loadExampleContent(id) {
    requireStarted();
    if (typeof id !== 'string') throw new TypeError('dfplay.loadExample expects an example id (a string)');
    check(callWithString(_dfplay_app_load_example, id));
  }
  Module['dfplayChange'] = {'load': loadContent, 'setOptions': changeOptions, 'clearCache': emptyCache,
                            'loadExample': loadExampleContent};

  function compare(arg) {
    requireStarted();
    if (arg === undefined) arg = true;
    if (arg !== null && typeof arg !== 'boolean' && (typeof arg !== 'object' || Array.isArray(arg))) {
      throw new TypeError('dfplay.compare expects {a?, b?}, true, or false to leave compare mode');
    }
    var copy = arg;
    if (arg && typeof arg === 'object') {
      copy = {};
      for (var k in arg) if (Object.prototype.hasOwnProperty.call(arg, k)) copy[k] = arg[k];
      ['a', 'b'].forEach(function (side) {
        var v = copy[side];
        if (v && typeof Map !== 'undefined' && v['files'] instanceof Map) {
          var c = {};
          for (var key in v) if (Object.prototype.hasOwnProperty.call(v, key)) c[key] = v[key];
          c['files'] = Object.fromEntries(v['files']);
          copy[side] = c;
        }
      });
    }
    check(callWithString(_dfplay_app_compare, JSON.stringify(copy)));
    return state()['compare'];
  }

  function whatIfs() {
    requireStarted();
    return JSON.parse(read(_dfplay_app_what_ifs));
  }

  function acceptWhatIf(id) {
    requireStarted();
    if (typeof id !== 'string') throw new TypeError('dfplay.acceptWhatIf expects a what-if id (a string)');
    check(callWithString(_dfplay_app_accept_what_if, id));
    return state();
  }

  function examples() {
    return JSON.parse(read(_dfplay_app_examples));
  }

  // The system clipboard's text, for ImGui's Ctrl+V on the next frame (see clipboard.cpp); a paste
  // that takes the Dockerfile over the size limit is applied by the app itself, not by ImGui's input.
  // A text of more than PASTE_CHUNK characters is encoded a chunk per task: in the paste event's
  // own task, reading the clipboard (getData) and encoding 5 MB took ~40 ms each here, ~90 ms
  // together (bench/results.md, session 15). Until the text is in, the app draws no frame
  // (redraw.js: dfplayPasteWait), so the Ctrl+V waiting in ImGui's input queue pastes it.
  var PASTE_CHUNK = 1 << 18;  // characters: ~2-3 ms of TextEncoder here
  var paste = null;           // {text, at, parts, size}: a paste being encoded
  var pasteChannel = typeof MessageChannel === 'function' ? new MessageChannel() : null;
  window.addEventListener('paste', function (e) {
    var text = e.clipboardData ? e.clipboardData.getData('text/plain') : '';
    if (!started || typeof text !== 'string') return;
    e.preventDefault();
    if (text.length <= PASTE_CHUNK || !encoder || !pasteChannel) {
      if (paste) {  // a paste under way is superseded: the clipboard holds this one
        paste = null;
        Module['dfplayPasteWait'](false);
      }
      callWithBytes(_dfplay_app_clipboard_paste, text);
      return;
    }
    var first = !paste;
    paste = { text: text, at: 0, parts: [], size: 0 };
    Module['dfplayPasteWait'](true);
    if (first) pasteChannel.port2.postMessage(0);
  });
  if (pasteChannel) pasteChannel.port1.onmessage = function () {
    var p = paste;
    if (!p) return;
    var end = Math.min(p.at + PASTE_CHUNK, p.text.length);
    var c = p.text.charCodeAt(end - 1);
    if (end < p.text.length && c >= 0xD800 && c <= 0xDBFF) ++end;  // a surrogate pair stays whole
    var bytes = encoder.encode(p.text.slice(p.at, end));  // (lone surrogates: U+FFFD)
    p.parts.push(bytes);
    p.size += bytes.length;
    p.at = end;
    if (end < p.text.length) {
      pasteChannel.port2.postMessage(0);
      return;
    }
    paste = null;
    try {
      guard(function () {
        var ptr = _malloc(p.size + 1);
        try {
          for (var i = 0, at = ptr; i < p.parts.length; at += p.parts[i].length, ++i) HEAPU8.set(p.parts[i], at);
          _dfplay_app_clipboard_paste(ptr, p.size);
        } finally {
          _free(ptr);
        }
      });
    } finally {
      Module['dfplayPasteWait'](false);
      wake();
    }
  };
  Module['dfplayPasting'] = function () { return !!paste; };  // tests: a paste's text is on its way

  function redraw(n) {
    if (n !== undefined && (typeof n !== 'number' || !(n >= 1))) throw new TypeError('dfplay.redraw expects a frame count >= 1');
    return Module['dfplayRedraw'](n === undefined ? 1 : Math.floor(n));
  }

  window['dfplay'] = {
    'redraw': redraw,
    'ready': ready, 'state': state, 'load': load, 'setOptions': setOptions, 'build': build,
    'clearCache': clearCache, 'loadExample': loadExample, 'examples': examples,
    'compare': compare, 'whatIfs': whatIfs, 'acceptWhatIf': acceptWhatIf, 'analysed': analysed,
  };
})();
