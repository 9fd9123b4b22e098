// The embed bridge: when the app runs inside a <dockerfile-playground> frame (index.html?embed=1),
// it answers the host element's messages by calling window.dfplay and tells it about changes.
// Linked as emscripten --post-js after page_api.js and page_share.js. The protocol (versions 1
// and 2, docs/embedding.md): every message is an object {dfplay: VERSION, type, ...};
//   frame -> host: loaded, hello {protocols} and failed {message} (to any origin, as version 1,
//                  no state), then in the host's version: ready {summary}, change {summary},
//                  reply {id, ok, result | error}
//   host -> frame: init {content, example, options, tab, readonly, theme; v2: compare {b}},
//                  call {id, method, args}, visibility {visible}
// Only messages from window.parent are read; the origin and version of the first `init` are the
// only ones accepted (and answered) afterwards.
(function () {
  var params = new URLSearchParams(location.search);
  if (params.get('embed') !== '1') return;
  var api = window['dfplay'];
  var PROTOCOLS = [1, 2];
  var version = 1;        // the host's, set by init
  var hostOrigin = null;  // set by init
  var initialised = false;
  var readyToInit = false;
  var pendingInit = null;

  function post(msg, anyOrigin) {
    if (window.parent === window) return;
    msg['dfplay'] = anyOrigin ? 1 : version;
    var target = anyOrigin ? '*' : hostOrigin;
    if (!target) return;
    if (target === 'null') target = '*';  // a file: or sandboxed host has an opaque origin
    window.parent.postMessage(msg, target);
  }

  // The app's results in a few numbers (dfplay_app_summary; not state(): a big Dockerfile's
  // snapshot is ~90 ms of JSON, and this is read after every change).
  function appSummary() {
    return JSON.parse(UTF8ToString(_dfplay_app_summary()));
  }

  // What a host page shows as live figures (docs/embedding.md), from appSummary().
  function summary(m) {
    var errors = m['errors'] + m['input_errors'];
    var out = {
      'revision': m['revision'],
      'example': m['example'] || null,
      'target': m['target'],
      'stage_count': m['stage_count'],
      'instruction_count': m['instructions'],
      'image_size_bytes': m['image_bytes'],
      'image_compressed_size_bytes': m['compressed_bytes'],
      'single_stage_size_bytes': m['single_stage_bytes'],
      'saving_bytes': m['saving_bytes'],
      'cache_empty': m['cold'],
      'cached': m['cached'],
      'run': m['run'],
      'skipped': m['skipped'],
      'errors': errors,
      'warnings': m['warnings'] + m['input_warnings'],
      'findings': m['findings'],
      'build_ok': m['ok'] && errors === 0,
      'tab': m['tab'].toLowerCase(),
    };
    if (version >= 2) out['compare'] = m['comparing'] ? compareSummary(api['state']()['compare']) : null;
    return out;
  }

  // Version 2: the comparison's figures in compare mode (null otherwise); B minus A.
  function compareSummary(c) {
    var d = c && c['diff'];
    if (!d) return null;
    var f = d['files'] || {}, fi = d['findings'] || {};
    var n = function (list) { return (list || []).length; };
    return {
      'a_image_size_bytes': (d['a'] || {})['size_bytes'] || 0,
      'b_image_size_bytes': (d['b'] || {})['size_bytes'] || 0,
      'size_delta_bytes': d['size_delta_bytes'] || 0,
      'compressed_delta_bytes': d['compressed_delta_bytes'] || 0,
      'build_time_delta_s': d['build_time_delta_s'] || 0,
      'files_added': n(f['added']),
      'files_removed': n(f['removed']),
      'files_changed': n(f['changed']),
      'findings_fixed': n(fi['fixed']),
      'findings_introduced': n(fi['introduced']),
    };
  }

  // `change` after each analysis: from the app's frame hook (share_ui_frame, e.g. typing) and
  // right after each call that changes the state (an off-screen frame draws no frames). One
  // message per revision. In compare mode the summary reads state().compare: then the message
  // waits until typing has paused as long as the Compare panel waits before it evaluates the
  // what-ifs (0.6 s), so that it is made once, not per keystroke.
  var changeTimer = 0, postedRevision = -1, comparing = false;
  function changed() {
    if (!initialised) return;
    clearTimeout(changeTimer);
    changeTimer = setTimeout(function () {
      try {
        var m = appSummary();
        comparing = m['comparing'];
        if (m['analysing']) return;  // its results are the previous input's: posted once analysed
        if (m['revision'] === postedRevision) return;
        postedRevision = m['revision'];
        post({'type': 'change', 'summary': summary(m)});
      } catch (e) {}
    }, comparing ? 650 : 80);
  }
  Module['dfplayChanged'] = changed;

  function errorText(e) {
    return e && e.message ? String(e.message) : String(e);
  }

  function isObject(v) {
    return v !== null && typeof v === 'object' && !Array.isArray(v);
  }

  // init.compare (version 2): {b: {dockerfile, files}}: the content loaded as A, B is compared
  // with it. With an example, B's files are the example's with B's own on top, and an empty B
  // Dockerfile is the example's.
  function checkCompare(c) {
    if (c == null) return null;
    if (version < 2) throw new TypeError('init: compare needs protocol version 2');
    if (!isObject(c) || !isObject(c['b'])) throw new TypeError('init: compare must be {b: {dockerfile, files}}');
    for (var k in c) if (k !== 'b') throw new TypeError('init: compare has an unknown field `' + k + '`');
    return c['b'];
  }

  function applyInit(m) {
    var b = checkCompare(m['compare']);
    if (m['example'] != null) {
      if (typeof m['example'] !== 'string') throw new TypeError('init: example must be a string');
      change['loadExample'](m['example']);
    } else if (m['content'] != null) {
      change['load'](m['content']);
    }
    if (m['options'] != null) change['setOptions'](m['options']);
    if (b) {
      var side = {};
      for (var k in b) if (Object.prototype.hasOwnProperty.call(b, k)) side[k] = b[k];
      var a = api['state']();
      if (m['example'] != null) {
        var files = {};
        for (var p in a['files']) files[p] = a['files'][p];
        for (var q in (isObject(side['files']) ? side['files'] : {})) files[q] = side['files'][q];
        side['files'] = files;
        if (!side['dockerfile']) side['dockerfile'] = a['dockerfile'];
      }
      if (!('options' in side)) side['options'] = m['options'] || {};
      api['compare']({'b': side});
    }
    if (m['tab']) api['showTab'](m['tab']);
    if (m['readonly'] != null) api['setReadonly'](!!m['readonly']);
    if (m['theme'] && typeof api['setTheme'] === 'function') api['setTheme'](m['theme']);
  }

  // Replies carry the current content's results: they wait for its analysis. The changes are
  // made without the snapshot window.dfplay's calls return (Module.dfplayChange, page_api.js).
  var change = Module['dfplayChange'];
  function analysedSummary() {
    return Module['dfplayAnalysed']().then(function () { return summary(appSummary()); });
  }
  var METHODS = {
    'state': function () { return api['analysed'](); },
    'summary': analysedSummary,
    'load': function (c) {
      // version 2: {a?, b?} loads the sides of a comparison (dfplay.compare)
      if (version >= 2 && isObject(c) && ('a' in c || 'b' in c)) api['compare'](c);
      else change['load'](c);
      return analysedSummary();
    },
    'loadExample': function (id) { change['loadExample'](id); return analysedSummary(); },
    'build': function () { return api['build'](); },
    'clearCache': function () { change['clearCache'](); return analysedSummary(); },
    'setOptions': function (o) { change['setOptions'](o); return analysedSummary(); },
    'showTab': function (t) { api['showTab'](t); return true; },
    'setReadonly': function (on) { api['setReadonly'](!!on); return true; },
    'setTheme': function (t) {
      if (typeof api['setTheme'] !== 'function') throw new Error('setTheme: this playground has no themes yet');
      api['setTheme'](t);
      return true;
    },
    'shareURL': function () { return api['shareURL'](); },
  };

  function onInit(m, origin) {
    hostOrigin = origin;
    version = m['dfplay'];
    initialised = true;
    var error = null;
    try {
      applyInit(m);
    } catch (e) {
      error = errorText(e);
      if (Module['dfplayNotify']) Module['dfplayNotify']('The page gave this playground content it cannot show: ' + error, {error: true});
    }
    Module['dfplayAnalysed']().then(function () {
      var m = appSummary();
      postedRevision = m['revision'];
      post({'type': 'ready', 'summary': summary(m), 'error': error});
    });
  }

  window.addEventListener('message', function (event) {
    if (event.source !== window.parent || window.parent === window) return;
    var m = event.data;
    if (!m || typeof m !== 'object' || PROTOCOLS.indexOf(m['dfplay']) < 0 || typeof m['type'] !== 'string') return;
    if (m['type'] === 'init') {
      if (initialised) return;  // one host, once
      if (!readyToInit) {
        pendingInit = {m: m, origin: event.origin};
        return;
      }
      onInit(m, event.origin);
      return;
    }
    if (!initialised || event.origin !== hostOrigin || m['dfplay'] !== version) return;
    if (m['type'] === 'visibility') {
      // The app draws on demand and not at all while its canvas is off screen (redraw.js); a frame
      // coming into view draws once so that what it shows is current.
      if (m['visible'] === true && Module['dfplayWake']) Module['dfplayWake']();
      return;
    }
    if (m['type'] !== 'call') return;
    var id = m['id'];
    if (typeof id !== 'number') return;
    var fn = Object.prototype.hasOwnProperty.call(METHODS, m['method']) ? METHODS[m['method']] : null;
    var args = Array.isArray(m['args']) ? m['args'] : [];
    Promise.resolve().then(function () {
      if (!fn) throw new Error('unknown method `' + String(m['method']) + '`');
      return fn.apply(null, args);
    }).then(function (result) {
      post({'type': 'reply', 'id': id, 'ok': true, 'result': result});
      changed();
    }, function (e) {
      post({'type': 'reply', 'id': id, 'ok': false, 'error': errorText(e)});
    });
  });

  // The mouse wheel scrolls the host page until the user clicks into the playground: while not
  // activated, wheel events never reach GLFW (no preventDefault, so the scroll chains to the page).
  var activated = false;
  window.addEventListener('wheel', function (e) {
    if (!activated) e.stopImmediatePropagation();
  }, {capture: true, passive: true});
  window.addEventListener('pointerdown', function () { activated = true; }, true);
  // Tab and Shift+Tab move the focus out of the frame (GLFW would keep them for ImGui), except
  // while the editor has the keyboard: there Tab indents; Escape leaves the editor first.
  window.addEventListener('keydown', function (e) {
    if (e.key !== 'Tab' || e.ctrlKey || e.altKey || e.metaKey) return;
    var editing = false;
    try {
      editing = _dfplay_app_editor_active() === 1;  // (not state(): JSON of all the results)
    } catch (err) {}
    if (!editing) e.stopImmediatePropagation();
  }, true);
  window.addEventListener('blur', function () { activated = false; });

  // `loaded` as soon as the module is compiled and instantiated (before the first frame, which an
  // off-screen cross-origin frame may not draw for a while): the element then starts the page's
  // other instances, whose frames find the app's files in the browser cache.
  addOnPreMain(function () { post({'type': 'loaded'}, true); });

  api['ready'].then(function () {
    Module['dfplayCall'](function () { _dfplay_app_set_embed(1); });
    readyToInit = true;
    if (pendingInit) onInit(pendingInit.m, pendingInit.origin);
    else post({'type': 'hello', 'protocols': PROTOCOLS}, true);
  }, function (e) {
    post({'type': 'failed', 'message': errorText(e)}, true);
  });
})();
