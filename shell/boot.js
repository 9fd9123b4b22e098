// The app page's start-up script (shell/app.html), run before the emscripten module (index.js):
// the Module object the module reads (canvas, console output, the loading/error overlay).
// A file rather than an inline <script>: the server's Content-Security-Policy allows no inline code.
var Module = (function () {
  var canvas = document.getElementById('canvas');
  var status = document.getElementById('status');
  function show(text, isError) {
    status.textContent = text;
    status.className = isError ? 'error' : '';
    status.hidden = !text;
  }
  canvas.addEventListener('webglcontextlost', function (e) {
    e.preventDefault();
    show('The WebGL context was lost: reload the page.', true);
  });
  canvas.addEventListener('contextmenu', function (e) { e.preventDefault(); });
  window.addEventListener('error', function (e) { show('Error: ' + e.message, true); });
  // The runtime reads only these properties at start-up (src/app/CMakeLists.txt,
  // INCOMING_MODULE_JS_API): a new one must be added there too. The dfplay* ones are the page's own.
  return {
    canvas: canvas,
    print: function (text) { console.log(text); },
    printErr: function (text) { console.error(text); },
    dfplayStatus: show,
    onAbort: function (what) { show('Dockerfile Playground stopped: ' + what, true); },
    onRuntimeInitialized: function () {
      if (window.performance && performance.mark) performance.mark('dfplay-runtime');  // wasm compiled and instantiated
      window.dfplay.ready.then(function () { show(''); }, function () {});
    }
  };
})();
