// Share links, URL parameters and the page API's showTab / setReadonly / shareURL (window.dfplay,
// after page_api.js). Linked as emscripten --post-js: it runs in the module's scope.
//   dfplay.showTab(name)      shows a side tab: stages, build, image, findings, problems, context,
//                             compare, timeline (any case); throws on an unknown name
//   dfplay.setReadonly(on)    the editor takes no edits (the page API still replaces the content)
//   dfplay.shareURL()         a Promise of the link to the current state (docs/share-links.md); in
//                             compare mode it carries side A too (format version 2)
//   dfplay.ready              now also waits for the URL's state: #s=<link>, ?example=, ?target=,
//                             ?tab=, ?theme= (a bad link or parameter shows a message and keeps the
//                             default example)
// The menu's Share and Ctrl+S copy the link to the clipboard with a visible confirmation; the
// encoding itself is web/share-link.js (served at /share-link.js, loaded on first use).
(function () {
  var api = window['dfplay'];
  var shareModule = null;

  function loadShareModule() {
    if (!shareModule) shareModule = import(new URL('share-link.js', document.baseURI).href);
    return shareModule;
  }

  // page_api.js's way into the wasm (UTF-8, recovery, and a redraw: the app draws on demand).
  function callString(fn, text) {
    return Module['dfplayCallString'](fn, text);
  }

  function showTab(name) {
    if (typeof name !== 'string') throw new TypeError('dfplay.showTab expects a tab name, e.g. "image"');
    api['state']();  // throws when not started
    var error = callString(_dfplay_app_show_tab, name);
    if (error) throw new Error(error);
  }

  function setReadonly(on) {
    api['state']();
    Module['dfplayCall'](function () { _dfplay_app_set_readonly(on ? 1 : 0); });
  }

  // One side of a link (docs/share-links.md): the content, or only the example's id when the
  // content is the example's (`exampleId`: the one it started from; null: any example with the
  // same content; undefined: none), and the build options that differ from the defaults.
  function sideState(s, exampleId) {
    var out = {};
    var ex = null;
    var all = api['examples']();
    for (var i = 0; i < all.length && !ex; i++) {
      if (exampleId ? all[i]['id'] === exampleId : exampleId !== undefined && sameContent(s, all[i])) ex = all[i];
    }
    if (ex) out['example'] = ex['id'];
    if (!ex || !sameContent(s, ex)) {
      out['dockerfile'] = s['dockerfile'];
      if (s['dockerfile_path'] && s['dockerfile_path'] !== 'Dockerfile') out['dockerfile_path'] = s['dockerfile_path'];
      out['files'] = s['files'];
    }
    var o = s['options'] || {};
    var opts = {};
    if (o['target']) opts['target'] = o['target'];
    if (o['platform'] && o['platform'] !== 'linux/amd64') opts['platform'] = o['platform'];
    var args = o['build_args'] || {};
    if (Object.keys(args).length) opts['build_args'] = args;
    if (o['no_cache']) opts['no_cache'] = true;
    out['options'] = opts;
    return out;
  }

  // The state a link carries: the current content (B in compare mode) and its options, the open
  // tab, and in compare mode the pinned side A (format version 2).
  function shareState() {
    var s = api['state']();
    var out = sideState(s, s['example'] || undefined);
    var tab = (s['ui'] && s['ui']['sideTab'] || '').toLowerCase();
    if (tab) out['tab'] = tab;
    if (s['compare'] && s['compare']['a']) out['compare'] = {'a': sideState(s['compare']['a'], null)};
    return out;
  }

  function sameContent(s, ex) {
    if (s['dockerfile'] !== ex['dockerfile']) return false;
    if ((s['dockerfile_path'] || 'Dockerfile') !== (ex['dockerfile_path'] || 'Dockerfile')) return false;
    var a = s['files'] || {}, b = ex['files'] || {};
    var ka = Object.keys(a), kb = Object.keys(b);
    if (ka.length !== kb.length) return false;
    for (var i = 0; i < ka.length; i++) {
      if (!(ka[i] in b) || JSON.stringify(a[ka[i]]) !== JSON.stringify(b[ka[i]])) return false;
    }
    return true;
  }

  // The app's own URL (no ?embed=1, no fragment): where links point.
  function appBase() {
    var u = new URL(location.href);
    u.search = '';
    u.hash = '';
    return u.href;
  }

  function shareURL() {
    var st;
    try {
      st = shareState();
    } catch (e) {
      return Promise.reject(e);
    }
    return loadShareModule().then(function (m) { return m['shareLink'](st, appBase()); });
  }

  // Side A of a compare link as dfplay.compare takes it: its content, or its example's.
  function sideInput(side) {
    var content = {'dockerfile': side['dockerfile'] || '', 'files': side['files'] || {}, 'options': side['options'] || {}};
    if (side['dockerfile_path']) content['dockerfile_path'] = side['dockerfile_path'];
    if (side['dockerfile'] === undefined && side['files'] === undefined) {
      var all = api['examples'](), ex = null;
      for (var i = 0; i < all.length; i++) if (all[i]['id'] === side['example']) ex = all[i];
      if (!ex) throw new Error('there is no example "' + side['example'] + '" in this playground');
      content['dockerfile'] = ex['dockerfile'];
      content['files'] = ex['files'];
      if (ex['dockerfile_path']) content['dockerfile_path'] = ex['dockerfile_path'];
    }
    return content;
  }

  // Restores a decoded link: the example (when the link names one and carries no content) or the
  // content, then the options, compare mode with side A pinned, and the tab. Returns a problem
  // with the comparison (the rest is shown) or null.
  function applyShared(st) {
    if (st['dockerfile'] === undefined && st['files'] === undefined) {
      if (!st['example']) throw new Error('the link holds no Dockerfile');
      api['loadExample'](st['example']);
      if (st['options']) api['setOptions'](st['options']);
    } else {
      var content = {'dockerfile': st['dockerfile'] || '', 'files': st['files'] || {}, 'options': st['options'] || {}};
      if (st['dockerfile_path']) content['dockerfile_path'] = st['dockerfile_path'];
      api['load'](content);
    }
    var problem = null;
    if (st['compare']) {
      try {
        api['compare']({'a': sideInput(st['compare']['a'])});
      } catch (e) {
        problem = 'The comparison in this link cannot be restored: ' + (e && e.message ? e.message : e) +
                  '. Showing its Dockerfile without it.';
      }
    }
    if (st['tab'] && !(problem && (st['tab'] === 'compare'))) showTab(st['tab']);
    return problem;
  }

  // ---- messages on the page (a DOM toast: visible without a redraw, read by screen readers) ----
  var toast = null, toastTimer = 0;
  function notify(text, opts) {
    opts = opts || {};
    if (!toast) {
      toast = document.createElement('div');
      toast.id = 'dfplay-toast';
      var st = toast.style;
      st.position = 'fixed';
      st.left = '50%';
      st.top = '2.6em';
      st.transform = 'translateX(-50%)';
      st.maxWidth = 'min(90vw, 40em)';
      st.padding = '0.6em 1em';
      st.borderRadius = '6px';
      st.font = '14px/1.4 system-ui, sans-serif';
      st.background = '#26303b';
      st.color = '#e8edf2';
      st.boxShadow = '0 4px 16px rgba(0,0,0,0.4)';
      st.zIndex = '10';
      st.overflowWrap = 'anywhere';
      st.whiteSpace = 'pre-line';
      document.body.appendChild(toast);
    }
    toast.setAttribute('role', opts.error ? 'alert' : 'status');
    toast.style.borderLeft = '4px solid ' + (opts.error ? '#f26d6d' : '#5cc98a');
    toast.textContent = text;
    if (opts.link) {
      var input = document.createElement('input');
      input.type = 'text';
      input.readOnly = true;
      input.value = opts.link;
      input.setAttribute('aria-label', 'Share link');
      input.style.display = 'block';
      input.style.width = '100%';
      input.style.marginTop = '0.4em';
      input.style.boxSizing = 'border-box';
      toast.appendChild(input);
      input.focus();
      input.select();
    }
    toast.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(function () { toast.hidden = true; }, opts.link ? 20000 : opts.error ? 10000 : 4000);
  }
  Module['dfplayNotify'] = notify;

  function share() {
    return shareURL().then(function (link) {
      try {
        history.replaceState(null, '', link);
      } catch (e) {}
      var copied = navigator.clipboard && navigator.clipboard.writeText ? navigator.clipboard.writeText(link) : Promise.reject();
      var both = /#s=2\./.test(link);  // format version 2: compare mode, both sides
      return copied.then(function () {
        notify(both ? 'Link copied to the clipboard: it opens this comparison, both sides with their files and options.'
                    : 'Link copied to the clipboard: it opens this Dockerfile, its files and options.');
      }, function () {
        notify('Copy this link (the browser did not allow the clipboard):', {link: link});
      }).then(function () { return link; });
    }, function (e) {
      notify('Could not make a link: ' + (e && e.message ? e.message : e), {error: true});
    });
  }
  Module['dfplayShare'] = share;

  Module['dfplayOpenFull'] = function () {
    // Opened synchronously (a popup needs the click's user activation), filled in when ready.
    var w = window.open('about:blank', '_blank');
    shareURL().then(function (link) {
      if (w) {
        w.opener = null;
        w.location.href = link;
      } else {
        notify('Open this link in a new tab:', {link: link});
      }
    }, function (e) {
      if (w) w.close();
      notify('Could not make a link: ' + (e && e.message ? e.message : e), {error: true});
    });
  };

  // Ctrl+S / Cmd+S: Share (instead of the browser's "Save page").
  window.addEventListener('keydown', function (e) {
    if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && (e.key === 's' || e.key === 'S')) {
      e.preventDefault();
      e.stopPropagation();
      share();
    }
  }, true);

  // ---- the URL's state, applied once the app has drawn ----
  function applyUrl() {
    var params = new URLSearchParams(location.search);
    var steps = Promise.resolve();
    var problems = [];
    var hash = location.hash || '';
    if (/^#s=/.test(hash)) {
      steps = loadShareModule().then(function (m) {
        return m['decodeShareFragment'](hash);
      }).then(function (st) {
        try {
          var problem = applyShared(st);
          if (problem) problems.push(problem);
        } catch (e) {
          api['loadExample']('node-multistage');
          throw e;
        }
      }).catch(function (e) {
        problems.push('This share link cannot be opened: ' + (e && e.message ? e.message : e) +
                      '. Showing the default example instead.');
      });
    } else if (params.has('example')) {
      try {
        api['loadExample'](params.get('example'));
      } catch (e) {
        problems.push('No example "' + params.get('example') + '": ' + e.message.replace(/^loadExample: /, ''));
      }
    }
    return steps.then(function () {
      if (params.has('target')) {
        try {
          api['setOptions']({'target': params.get('target')});
        } catch (e) {
          problems.push('?target: ' + e.message);
        }
      }
      if (params.has('tab')) {
        try {
          showTab(params.get('tab'));
        } catch (e) {
          problems.push('?tab: ' + e.message.replace(/^showTab: /, ''));
        }
      }
      var theme = params.get('theme');
      if (theme) {
        if (typeof api['setTheme'] === 'function') {
          try {
            api['setTheme'](theme);
          } catch (e) {
            problems.push('?theme: ' + e.message);
          }
        }
      }
      if (problems.length) notify(problems.join('\n'), {error: true});
      return true;
    });
  }

  api['showTab'] = showTab;
  api['setReadonly'] = setReadonly;
  api['shareURL'] = shareURL;
  var drawn = api['ready'];
  api['ready'] = drawn.then(applyUrl);
})();
