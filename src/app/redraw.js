// Draw on demand: the app draws a frame only when something may have changed what it shows.
// Linked as emscripten --post-js (before page_api.js): it runs in the module's scope.
//
// What wakes it (each wake draws SETTLE_FRAMES frames: ImGui reacts to an input over the next
// frames, e.g. a click changes the state in one frame and the layout follows in the next):
//   - input on the page: mouse, wheel, keys, touch, pointer, focus, paste/copy/cut, text input;
//   - a resize of the canvas or a device-pixel-ratio change (zoom, moving to another screen);
//   - the page becoming visible again, or the canvas scrolling back on screen;
//   - every page-API call that may change something (page_api.js's call helpers) and every
//     change of the app's state (AppState::changed() -> dfplay::app::request_redraw());
//   - the app itself after a frame: while a mouse button or key is held it keeps drawing (drags,
//     selection auto-scroll, key repeat); while a text field is focused it asks for one frame at
//     each caret blink edge (two frames per 1.2 s).
// A hidden page (visibilitychange) or a canvas out of the viewport (IntersectionObserver: inside
// an iframe this is relative to the top-level viewport) draws nothing; the start-up frames are
// drawn regardless, so that window.dfplay.ready resolves for embeds below the fold too.
//
//   Module.dfplayStart(n)    main(): the app is set up, draw the first n frames
//   Module.dfplayWake(n)     draw at least n more frames (default SETTLE_FRAMES)
//   Module.dfplayRedraw(n)   a Promise resolving (with the frame number) once n more frames are drawn
//   Module.dfplayFrames()    frames drawn so far
//   Module.dfplayFrameTimes(reset)  the durations (ms) of the last frames drawn (up to 600), for
//                            bench/browser.mjs; `reset` empties the list after reading it
//   Module.dfplaySliceTimes(reset)  the same for the analysis slices (below)
//   Module.dfplaySliceMs(ms)  the slices' budget (default SLICE_MS): tests make work under way
//                            last more slices and frames with a smaller one
//   Module.dfplayPauseAnalysis(paused)  tests: no slice starts while paused (the work waits,
//                            frames go on), so that what a stale result allows can be tried
//   Module.dfplayPasteWait(on)  page_api.js: no frame while a big paste's text is on its way (below)
//   Module.dfplayAnalysed()  a Promise resolving once the current input is analysed (below)
//   Module.dfplayResultShownAt()  when (performance.now()) the last finished analysis was first
//                            drawn: the end of the frame after it (benchmarks: input -> result)
//   Module.dfplayAnalysing() whether work is pending: the input's analysis, in compare mode the
//                            comparison, and the what-ifs the Compare tab asked for (the three run
//                            in the slices below, in that order); Module.dfplayAnalysisUnits() what the
//                            last analysis did, unit by unit, and how long each took;
//                            Module.dfplayTextBytes() the Dockerfile's size (benchmarks)
//
// Echo first, analyse after: an edit is drawn in the next frame with the previous results (the
// app's AppState::result() is the last analysis made); after the frame, the current input is
// analysed in slices of about SLICE_MS (AppState::analyse -> Workspace::step -> PipelineJob),
// each in a task of its own (a MessageChannel message: it runs after the frame is presented,
// and input events and frames get in between two slices). An edit meanwhile drops the analysis
// under way: the next slice starts on the latest input. The app wakes the renderer when the
// results are current, and once when "analysing…" is due (results older than 150 ms).
// While the input's analysis runs (not the comparison or the what-ifs after it, whose progress the
// Compare tab draws), the frames that only let ImGui settle after a wake wait for it (at most
// HOLD_MS): the first frame after an input is drawn at once (the echo), the slices then run back
// to back instead of one per frame, and any new input, the app's own wake ("analysing…" due) or
// the result draws again. Where the compositor is slow (software WebGL: 60-80 ms a frame), a
// frame between every two slices made big.Dockerfile's result come ~1 s after the last key
// instead of ~0.3 s (bench/results.md, session 9).
(function () {
  var SETTLE_FRAMES = 4;
  var START_FRAMES = 2;     // drawn even when hidden or off screen (dfplay.ready comes after the 2nd)
  var START_FALLBACK_MS = 250;  // a start-up frame asked of requestAnimationFrame comes by then
  var pending = 0;          // frames still wanted
  var scheduled = false;    // a frame callback is requested
  var timer = 0;            // a delayed wake asked for by the app (caret blink)
  var drawn = 0;            // frames drawn
  var waiters = [];         // [{at, resolve}] for dfplayRedraw
  var pageVisible = typeof document === 'undefined' || !document.hidden;
  var onScreen = true;
  var stopped = false;
  var started = false;      // main() has set the app up (Module.dfplayStart): frames may be drawn
  var frameTimes = [];
  var SLICE_MS = 8;         // the analysis's work per task (one unit of work may take longer)
  var analysisPosted = false;
  var paused = false;       // dfplayPauseAnalysis (tests)
  var sliceTimes = [];
  var analysedWaiters = [];
  var resultDue = false;    // an analysis finished: the next frame shows it
  var resultShownAt = 0;
  var channel = typeof MessageChannel === 'function' ? new MessageChannel() : null;
  var HOLD_MS = 500;        // the longest the settling frames wait for an analysis under way
  var held = 0;             // the timer of frames held back (0: none)
  var inTick = false;       // a frame is being drawn: it schedules the next one itself when it ends
  var pasteWait = false;    // dfplayPasteWait: no frame until a paste's text is in (page_api.js)

  function canDraw() { return pageVisible && onScreen; }

  function schedule() {
    if (scheduled || held || inTick || pasteWait || stopped || !started || pending <= 0) return;
    if (canDraw()) {
      scheduled = true;
      requestAnimationFrame(tick);
      // An off-screen frame of another origin (an embed below the fold) gets no animation frames
      // at all, and the IntersectionObserver may say so only after this request: the start-up
      // frames come anyway (whichever of the two fires first draws; the other finds nothing
      // scheduled). Without this, 5 in 12 page loads left such an embed without a frame, and its
      // dfplay.ready unresolved, until it was scrolled into view (bench/results.md, session 14).
      if (drawn < START_FRAMES) setTimeout(startupFallback, START_FALLBACK_MS);
    } else if (drawn < START_FRAMES) {
      scheduled = true;
      setTimeout(tick, 0);  // no animation frames while hidden: the start-up frames still come
    }
  }
  function startupFallback() {
    if (scheduled && drawn < START_FRAMES) tick();
  }

  function tick() {
    if (!scheduled) return;  // (the start-up fallback's timer or frame came second)
    scheduled = false;
    if (stopped || typeof ABORT !== 'undefined' && ABORT) return;
    if (!canDraw() && drawn >= START_FRAMES) return;  // resumes on the next wake once visible
    if (pasteWait) return;  // (asked for before the paste came) drawn once its text is in
    var next, t0 = performance.now();
    inTick = true;
    try {
      next = _dfplay_app_frame();
    } catch (e) {
      stopped = true;
      throw e;
    } finally {
      inTick = false;
    }
    if (frameTimes.length >= 600) frameTimes.shift();
    frameTimes.push(performance.now() - t0);
    if (resultDue) {
      resultDue = false;
      resultShownAt = performance.now();
      // The result it replaced is freed after this frame (Workspace::release_previous: ~10 % of a
      // big file's edit), not before the new one is shown.
      setTimeout(releasePrevious, 0);
    }
    ++drawn;
    --pending;
    if (waiters.length) {
      var left = [];
      for (var i = 0; i < waiters.length; ++i) {
        if (drawn >= waiters[i].at) waiters[i].resolve(drawn); else left.push(waiters[i]);
      }
      waiters = left;
    }
    kickAnalysis();  // after the frame: an edit it took is analysed in the tasks that follow
    if (next < 0 && pending < 1) pending = 1;  // the app needs the next frame too
    if (pending > 0) {
      // Settling frames after the slices; frames someone waits for (dfplayRedraw) are drawn anyway.
      if (next >= 0 && analysisPosted && canDraw() && !waiters.length && _dfplay_app_input_pending()) hold();
      else schedule();
    } else if (next > 0) {
      clearTimeout(timer);
      timer = setTimeout(function () { timer = 0; wake(1); }, next);
    }
  }

  function releasePrevious() {
    if (!stopped && !(typeof ABORT !== 'undefined' && ABORT)) _dfplay_app_release_previous();
  }

  function hold() {
    if (!held) held = setTimeout(release, HOLD_MS);
  }
  function release() {
    if (!held) return;
    clearTimeout(held);
    held = 0;
    schedule();
  }

  function wake(n) {
    n = n === undefined ? SETTLE_FRAMES : n;
    if (n > pending) pending = n;
    if (held) release();
    else schedule();
    kickAnalysis();
  }

  function analyseSlice() {
    analysisPosted = false;
    if (stopped || typeof ABORT !== 'undefined' && ABORT) return;
    var more, t0 = performance.now();
    try {
      more = _dfplay_app_analyse(SLICE_MS);
    } catch (e) {
      stopped = true;
      throw e;
    }
    if (sliceTimes.length >= 2000) sliceTimes.shift();
    sliceTimes.push(performance.now() - t0);
    if (more) {
      postAnalysis();
      return;
    }
    resultDue = true;
    release();  // the frames held back for the analysis
    if (Module['dfplayChanged']) Module['dfplayChanged']();  // the results are in (embeds: `change`)
    var waiters = analysedWaiters;
    analysedWaiters = [];
    for (var i = 0; i < waiters.length; ++i) waiters[i]();
  }
  function postAnalysis() {
    if (analysisPosted || stopped || !started || paused) return;
    analysisPosted = true;
    if (channel) channel.port2.postMessage(0);
    else setTimeout(analyseSlice, 0);
  }
  function kickAnalysis() {
    if (started && !analysisPosted && !stopped && _dfplay_app_analysing()) postAnalysis();
  }
  if (channel) channel.port1.onmessage = analyseSlice;

  Module['dfplayWake'] = wake;
  // Called by main() once ImGui and the GL context exist: wakes before that only count.
  Module['dfplayStart'] = function (n) {
    if (typeof performance !== 'undefined' && performance.mark) performance.mark('dfplay-main');  // main() done
    started = true;
    wake(n);
  };
  Module['dfplayFrames'] = function () { return drawn; };
  // A big paste's text reaches the app a chunk per task (page_api.js): until it is in, no frame is
  // drawn, so that the Ctrl+V that ImGui handles in the next frame pastes that text. Input
  // meanwhile waits in ImGui's queue; the analysis slices go on.
  Module['dfplayPasteWait'] = function (on) {
    pasteWait = !!on;
    if (!pasteWait) schedule();
  };
  Module['dfplayFrameTimes'] = function (reset) {
    var t = frameTimes.slice();
    if (reset) frameTimes = [];
    return t;
  };
  Module['dfplayAnalysed'] = function () {
    return new Promise(function (resolve) {
      if (!started || !_dfplay_app_analysing()) {
        resolve();
        return;
      }
      analysedWaiters.push(resolve);
      kickAnalysis();
    });
  };
  Module['dfplayAnalysing'] = function () { return started && _dfplay_app_analysing() === 1; };
  Module['dfplayTextBytes'] = function () { return _dfplay_app_text_bytes(); };
  Module['dfplayResultShownAt'] = function () { return resultShownAt; };
  // The units of work of the last finished analysis, [[what, ms], ...] (bench/responsiveness.mjs).
  Module['dfplayAnalysisUnits'] = function () { return JSON.parse(UTF8ToString(_dfplay_app_analysis_units())); };
  Module['dfplaySliceMs'] = function (ms) { SLICE_MS = ms; };
  Module['dfplayPauseAnalysis'] = function (p) {
    paused = !!p;
    kickAnalysis();
  };
  Module['dfplaySliceTimes'] = function (reset) {
    var t = sliceTimes.slice();
    if (reset) sliceTimes = [];
    return t;
  };
  Module['dfplayRedraw'] = function (n) {
    n = n === undefined ? 1 : n;
    return new Promise(function (resolve) {
      waiters.push({ at: drawn + n, resolve: resolve });
      wake(n);
    });
  };

  if (typeof window === 'undefined') return;
  // A key released while frames are held for the analysis (the key's own frame, the echo, is
  // drawn) is drawn with the result: its frame would show nothing new, and where the compositor
  // is slow it cost the result ~40 ms (bench/results.md, session 12). Any other input draws.
  var wakeOnEvent = function (e) {
    if (held && e.type === 'keyup') {
      if (pending < SETTLE_FRAMES) pending = SETTLE_FRAMES;
      return;
    }
    wake();
  };
  ['mousedown', 'mouseup', 'mousemove', 'mouseout', 'wheel', 'keydown', 'keyup', 'keypress', 'touchstart',
   'touchmove', 'touchend', 'touchcancel', 'pointerdown', 'pointerup', 'pointermove', 'pointercancel', 'focus',
   'blur', 'focusin', 'focusout', 'paste', 'copy', 'cut', 'input', 'beforeinput', 'compositionstart',
   'compositionupdate', 'compositionend', 'resize', 'orientationchange'].forEach(function (type) {
    window.addEventListener(type, wakeOnEvent, { capture: true, passive: true });
  });
  document.addEventListener('visibilitychange', function () {
    pageVisible = !document.hidden;
    if (pageVisible) wake();
  });
  // Device pixel ratio changes (browser zoom, another screen) do not always fire `resize`.
  (function watchRatio() {
    if (!window.matchMedia) return;
    var mq = window.matchMedia('(resolution: ' + window.devicePixelRatio + 'dppx)');
    var onChange = function () {
      if (mq.removeEventListener) mq.removeEventListener('change', onChange);
      wake();
      watchRatio();
    };
    if (mq.addEventListener) mq.addEventListener('change', onChange);
  })();
  var canvas = Module['canvas'];
  if (canvas && typeof IntersectionObserver === 'function') {
    new IntersectionObserver(function (entries) {
      var e = entries[entries.length - 1];
      onScreen = e.isIntersecting;
      if (onScreen) wake();
    }).observe(canvas);
  }
  if (canvas && typeof ResizeObserver === 'function') {
    new ResizeObserver(function () { wake(); }).observe(canvas);
  }
})();
