// window.dfplay: the page API of the app, for embedders, people in the console and the browser tests.
//   await dfplay.ready        resolves (true) once the UI is drawn (after the second frame: some ImGui
//                             widgets size themselves on their first); rejects if the app fails to start
//   dfplay.state()            a JSON-serialisable snapshot: {dockerfile, dockerfile_path, files, example,
//                             analysis, build, cache, checks, options, builds, input_diagnostics,
//                             revision, last_build, ui}. `analysis`/`build`/`cache`/`checks` are the CLI's
//                             JSON (dfplay analyze/build/rebuild/check --json); `cache` previews the next
//                             build against the builds recorded so far; `ui` has the screen rectangles
//                             (CSS pixels) of the editor and of named widgets (ui.widgets["button:build"])
//   dfplay.load({dockerfile, files, options})
//                             replaces the content (absent fields become empty / default); files are
//                             build-context files as {path: content}, a Map, or a list of {path, content}
//                             / [path, content]; the layer cache is kept; returns the new state, throws
//                             on invalid input (unknown fields included)
//   dfplay.setOptions(obj)    merges build options {target, platform, build_args, no_cache, ...}
//   dfplay.build()            "Build": records the current build in the cache; returns its report
//                             (the JSON of `dfplay rebuild --json`)
//   dfplay.clearCache()       the next build is cold again
//   dfplay.loadExample(id)    loads a built-in example (cold cache); returns the new state
//   dfplay.examples()         the built-in examples [{id, title, description, dockerfile, files, ...}]
// Linked as emscripten --post-js: it runs in the module's scope.
(function () {
  var resolveReady, rejectReady, started = false;
  var ready = new Promise(function (resolve, reject) { resolveReady = resolve; rejectReady = reject; });

  Module['dfplayFirstFrame'] = function () {
    if (started) return;
    started = true;
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
      }
    });
  }

  function check(error) {
    if (error) throw new Error(error);
  }

  function state() {
    requireStarted();
    return JSON.parse(guard(function () { return UTF8ToString(_dfplay_app_state()); }));
  }

  function load(content) {
    requireStarted();
    if (content === undefined || content === null) content = {};
    if (typeof content !== 'object' || Array.isArray(content)) {
      throw new TypeError('dfplay.load expects an object {dockerfile, files, options}');
    }
    var copy = {};
    for (var k in content) if (Object.prototype.hasOwnProperty.call(content, k)) copy[k] = content[k];
    if (typeof Map !== 'undefined' && copy['files'] instanceof Map) copy['files'] = Object.fromEntries(copy['files']);
    check(callWithString(_dfplay_app_load, JSON.stringify(copy)));
    return state();
  }

  function setOptions(options) {
    requireStarted();
    if (options === null || typeof options !== 'object' || Array.isArray(options)) {
      throw new TypeError('dfplay.setOptions expects an object, e.g. {target: "builder"}');
    }
    check(callWithString(_dfplay_app_set_options, JSON.stringify(options)));
    return state();
  }

  function build() {
    requireStarted();
    return JSON.parse(guard(function () { return UTF8ToString(_dfplay_app_build()); }));
  }

  function clearCache() {
    requireStarted();
    guard(function () { _dfplay_app_clear_cache(); });
    return state();
  }

  function loadExample(id) {
    requireStarted();
    if (typeof id !== 'string') throw new TypeError('dfplay.loadExample expects an example id (a string)');
    check(callWithString(_dfplay_app_load_example, id));
    return state();
  }

  function examples() {
    return JSON.parse(UTF8ToString(_dfplay_app_examples()));
  }

  // The system clipboard's text, for ImGui's Ctrl+V on the next frame (see clipboard.cpp).
  window.addEventListener('paste', function (e) {
    var text = e.clipboardData ? e.clipboardData.getData('text/plain') : '';
    if (!started || typeof text !== 'string') return;
    callWithString(_dfplay_app_clipboard_paste, text);
    e.preventDefault();
  });

  window['dfplay'] = {
    'ready': ready, 'state': state, 'load': load, 'setOptions': setOptions, 'build': build,
    'clearCache': clearCache, 'loadExample': loadExample, 'examples': examples,
  };
})();
