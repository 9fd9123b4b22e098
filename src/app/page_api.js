// window.dfplay: the page API of the app, used by people in the console and by the browser tests.
//   await dfplay.ready        resolves (true) once the UI is drawn (after the second frame: some ImGui
//                             widgets size themselves on their first); rejects if the app fails to start
//   dfplay.state()            {dockerfile, files, analysis, revision, ui}: a JSON-serialisable snapshot;
//                             `analysis` is the same JSON as `dfplay analyze --json`
//   dfplay.load({dockerfile, files})
//                             replaces the content (absent fields become empty); files are build-context
//                             files as {path: content}, a Map, or a list of {path, content} / [path, content];
//                             returns the new state, throws on invalid input
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

  function callWithString(fn, text) {
    var size = lengthBytesUTF8(text) + 1;
    var ptr = _malloc(size);
    try {
      stringToUTF8(text, ptr, size);
      return UTF8ToString(fn(ptr, size - 1));
    } finally {
      _free(ptr);
    }
  }

  function state() {
    requireStarted();
    return JSON.parse(UTF8ToString(_dfplay_app_state()));
  }

  function load(content) {
    requireStarted();
    if (content === undefined || content === null) content = {};
    if (typeof content !== 'object') throw new TypeError('dfplay.load expects an object {dockerfile, files}');
    var files = content['files'];
    if (typeof Map !== 'undefined' && files instanceof Map) files = Object.fromEntries(files);
    var error = callWithString(_dfplay_app_load, JSON.stringify({ 'dockerfile': content['dockerfile'], 'files': files }));
    if (error) throw new Error(error);
    return state();
  }

  // The system clipboard's text, for ImGui's Ctrl+V on the next frame (see clipboard.cpp).
  window.addEventListener('paste', function (e) {
    var text = e.clipboardData ? e.clipboardData.getData('text/plain') : '';
    if (!started || typeof text !== 'string') return;
    callWithString(_dfplay_app_clipboard_paste, text);
    e.preventDefault();
  });

  window['dfplay'] = { 'ready': ready, 'state': state, 'load': load };
})();
