// Nothing lost when the app fails anyway (issue 15). Linked as emscripten --post-js after
// page_api.js, in the module's scope.
//
// - Keeps a JavaScript copy of the user's content ({dockerfile, dockerfile_path, files, options},
//   dfplay_app_load_content_rest and the Dockerfile read from the wasm memory) refreshed after
//   every change (the state's revision is polled a few times a second and after each key or
//   pointer release: a cheap call when nothing changed).
// - If the module aborts (or a call into it throws), it shows what happened, saves that copy in
//   sessionStorage and reloads the page: the fresh app loads the copy and says so. If the fresh
//   app fails again right away (twice within 30 s), it stops restarting and shows the text
//   instead, so that it can still be copied: nothing is lost either way.
// Everything shown is text (textContent), styled from JavaScript (no inline style attributes:
// the CSP allows element.style, not style="...").
(function () {
  var KEY = 'dfplay.recovery';            // the content to restore, removed once restored
  var LAST = 'dfplay.recovery.last';      // {at, count} of the last restarts (loop guard)
  // The copy: {rest, bytes} (the content's JSON without the Dockerfile, and the Dockerfile's UTF-8
  // bytes: a copy of the wasm memory, no decoding of megabytes after each change), made into
  // dfplay.load()'s JSON only when needed (contentJson). Without TextDecoder: {rest, text}.
  var copy = null, revision = -1, started = false, stopped = false;
  var decoder = typeof TextDecoder === 'function' ? new TextDecoder() : null;
  function contentJson() {
    if (!copy) return null;
    // (invalid UTF-8 as U+FFFD, as the JSON the wasm writes has it)
    var text = copy.bytes ? decoder.decode(copy.bytes) : copy.text;
    var c = JSON.parse(copy.rest);
    if (c['dockerfile_file']) c['files'][c['dockerfile_path']] = text;  // (see dfplay_app_load_content_rest)
    delete c['dockerfile_file'];
    c['dockerfile'] = text;
    return JSON.stringify(c);
  }

  function storage() {
    try { return window.sessionStorage; } catch (e) { return null; }
  }
  function readJson(key) {
    var s = storage();
    if (!s) return null;
    try { var v = s.getItem(key); return v ? JSON.parse(v) : null; } catch (e) { return null; }
  }

  function banner(message, text) {
    var old = document.getElementById('dfplay-recovery');
    if (old) old.remove();
    var box = document.createElement('div');
    box.id = 'dfplay-recovery';
    box.setAttribute('role', 'alert');
    var st = box.style;
    st.position = 'fixed'; st.left = '8px'; st.right = '8px'; st.top = '8px'; st.zIndex = '1000';
    st.padding = '10px 14px'; st.borderRadius = '6px'; st.font = '14px system-ui, sans-serif';
    st.background = '#fff4d6'; st.color = '#3b2f00'; st.border = '1px solid #c9a227';
    st.boxShadow = '0 2px 8px rgba(0,0,0,0.3)'; st.maxHeight = '80vh'; st.overflow = 'auto';
    var p = document.createElement('span');
    p.textContent = message;
    box.appendChild(p);
    var close = document.createElement('button');
    close.type = 'button';
    close.textContent = 'Dismiss';
    close.style.marginLeft = '12px';
    close.addEventListener('click', function () { box.remove(); });
    box.appendChild(close);
    if (text) {
      var details = document.createElement('details');
      details.open = true;
      var summary = document.createElement('summary');
      summary.textContent = 'Your Dockerfile (copy it from here)';
      details.appendChild(summary);
      var pre = document.createElement('pre');
      pre.textContent = text;
      pre.style.whiteSpace = 'pre-wrap';
      pre.style.userSelect = 'text';
      details.appendChild(pre);
      box.appendChild(details);
    }
    (document.body || document.documentElement).appendChild(box);
    return box;
  }

  function dockerfileOf(json) {
    try { return JSON.parse(json).dockerfile || ''; } catch (e) { return ''; }
  }

  function snapshot() {
    if (!started || stopped) return;
    try {
      var rev = _dfplay_app_revision();
      if (rev === revision) return;
      var rest = UTF8ToString(_dfplay_app_load_content_rest());
      var p = _dfplay_app_dockerfile(), n = _dfplay_app_text_bytes();
      copy = decoder ? { rest: rest, bytes: HEAPU8.slice(p, p + n) } : { rest: rest, text: UTF8ToString(p, n) };
      revision = rev;
    } catch (e) {
      recover(typeof e === 'number' ? 'an uncaught C++ exception' : e && e.message ? e.message : String(e));
    }
  }

  function recover(reason) {
    if (stopped) return;
    stopped = true;
    reason = String(reason || 'unknown error').replace(/^Aborted\((.*)\)$/s, '$1');
    var now = Date.now();
    var last = readJson(LAST);
    var count = last && now - last.at < 30000 ? last.count + 1 : 1;
    var s = storage();
    var content = contentJson();
    if (!content) {
      banner('The app stopped (' + reason + '). Reload the page to start it again.');
      return;
    }
    if (count > 2 || !s) {
      banner('The app stopped again (' + reason + '). It is not restarted automatically this time: ' +
             'your Dockerfile is below; reload the page to try again.', dockerfileOf(content));
      return;
    }
    try {
      s.setItem(KEY, JSON.stringify({ content: content, reason: reason }));
      s.setItem(LAST, JSON.stringify({ at: now, count: count }));
    } catch (e) {
      banner('The app stopped (' + reason + ') and your content could not be saved for a restart: ' +
             'your Dockerfile is below.', dockerfileOf(content));
      return;
    }
    banner('The app stopped (' + reason + '). Restarting it with your Dockerfile and files...');
    setTimeout(function () { window.location.reload(); }, 200);
  }
  Module['dfplayRecover'] = recover;

  var previousAbort = Module['onAbort'];
  Module['onAbort'] = function (what) {
    if (previousAbort) previousAbort(what);
    if (started) recover(what);
    else if (pending) banner('The app could not restart (' + what + '): your Dockerfile is below.', dockerfileOf(pending.content));
  };

  // A restart: the content saved by the app that stopped.
  var pending = readJson(KEY);
  if (pending) {
    var s = storage();
    if (s) s.removeItem(KEY);
  }

  window['dfplay']['ready'].then(function () {
    started = true;
    if (pending && typeof pending.content === 'string') {
      try {
        window['dfplay']['load'](JSON.parse(pending.content));
        banner('The app stopped (' + pending.reason + ') and was restarted: your Dockerfile, files and ' +
               'options were kept (the layer cache starts cold).');
      } catch (e) {
        banner('The app stopped (' + pending.reason + ') and your content could not be restored (' +
               (e && e.message ? e.message : e) + '): your Dockerfile is below.', dockerfileOf(pending.content));
      }
      pending = null;
    }
    snapshot();
    setInterval(snapshot, 400);
    var soon = function () { setTimeout(snapshot, 60); };
    window.addEventListener('keyup', soon, true);
    window.addEventListener('pointerup', soon, true);
    window.addEventListener('paste', soon, true);
  }, function () {});

  // For the browser test of this recovery only: makes the module abort.
  Object.defineProperty(window['dfplay'], '_abortForTesting', {
    enumerable: false,
    value: function () { _dfplay_app_abort_for_testing(); },
  });
})();
