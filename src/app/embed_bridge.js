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

  function count(list, severity) {
    var n = 0;
    for (var i = 0; list && i < list.length; i++) if (!severity || list[i]['severity'] === severity) n++;
    return n;
  }

  // What a host page shows as live figures (docs/embedding.md).
  function summary(s) {
    var b = s['build'] || {};
    var image = b['image'] || {};
    var cmp = b['comparison'] || null;
    var cache = (s['cache'] && s['cache']['summary']) || {};
    var diags = (b['diagnostics'] || []).concat(s['input_diagnostics'] || []);
    var checks = s['checks'] || {};
    var out = {
      'revision': s['revision'],
      'example': s['example'],
      'target': (s['options'] || {})['target'] || '',
      'stage_count': (s['analysis'] || {})['stage_count'] || 0,
      'instruction_count': (s['analysis'] || {})['instruction_count'] || 0,
      'image_size_bytes': image['size_bytes'] || 0,
      'image_compressed_size_bytes': image['compressed_size_bytes'] || 0,
      'single_stage_size_bytes': cmp ? cmp['single_stage_size_bytes'] : null,
      'saving_bytes': cmp ? cmp['saving_bytes'] : null,
      'cache_empty': !!s['cache_empty'],
      'cached': cache['cached'] || 0,
      'run': cache['run'] || 0,
      'skipped': cache['skipped'] || 0,
      'errors': count(diags, 'error'),
      'warnings': count(diags, 'warning'),
      'findings': count(checks['findings']),
      'build_ok': b['ok'] !== false && count(diags, 'error') === 0,
      'tab': ((s['ui'] || {})['sideTab'] || '').toLowerCase(),
    };
    if (version >= 2) out['compare'] = compareSummary(s['compare']);
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
  // message per revision. In compare mode state() also evaluates the ready what-ifs (several
  // builds each): then the message waits until typing has paused as long as the Compare panel
  // waits before it evaluates them (0.6 s), so that they are evaluated once, not per keystroke.
  var changeTimer = 0, postedRevision = -1, comparing = false;
  function changed() {
    if (!initialised) return;
    clearTimeout(changeTimer);
    changeTimer = setTimeout(function () {
      try {
        var s = api['state']();
        comparing = !!s['compare'];
        if (s['analysing']) return;  // its results are the previous input's: posted once analysed
        if (s['revision'] === postedRevision) return;
        postedRevision = s['revision'];
        post({'type': 'change', 'summary': summary(s)});
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
      api['loadExample'](m['example']);
    } else if (m['content'] != null) {
      api['load'](m['content']);
    }
    if (m['options'] != null) api['setOptions'](m['options']);
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

  // Replies carry the current content's results: they wait for its analysis (dfplay.analysed()).
  function analysedSummary() { return api['analysed']().then(summary); }
  var METHODS = {
    'state': function () { return api['analysed'](); },
    'summary': analysedSummary,
    'load': function (c) {
      // version 2: {a?, b?} loads the sides of a comparison (dfplay.compare)
      if (version >= 2 && isObject(c) && ('a' in c || 'b' in c)) api['compare'](c);
      else api['load'](c);
      return analysedSummary();
    },
    'loadExample': function (id) { api['loadExample'](id); return analysedSummary(); },
    'build': function () { return api['build'](); },
    'clearCache': function () { api['clearCache'](); return analysedSummary(); },
    'setOptions': function (o) { api['setOptions'](o); return analysedSummary(); },
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
    api['analysed']().then(function (s) {
      postedRevision = s['revision'];
      post({'type': 'ready', 'summary': summary(s), 'error': error});
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
      editing = !!api['state']()['ui']['editorActive'];
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
