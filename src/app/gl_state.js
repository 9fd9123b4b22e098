// The GL state ImGui's OpenGL 3 backend reads back in every frame, answered from a copy.
// Linked as emscripten --post-js; main() calls Module.dfplayShadowGlState(GLctx) once the WebGL 2
// context exists.
//
// The backend saves the GL state it changes before it draws (glGetIntegerv, glIsEnabled...) and
// puts it back after. Most of those reads are answered inside the page, but in Chromium
// getParameter(SCISSOR_BOX) and the six blend parameters (BLEND_SRC/DST_RGB/ALPHA,
// BLEND_EQUATION_RGB/ALPHA) each wait for the GPU process: ~2.6 ms of every frame here, the
// most expensive GL calls of a frame (bench/results.md, session 11). This module is the
// context's only user, so the values it last set are the values the context holds: the setters
// of those parameters are wrapped to remember them, and getParameter answers a remembered one
// without the round trip. A parameter not set yet is read from the context; a lost context
// forgets them all (a restored context starts from the defaults).
Module['dfplayShadowGlState'] = function (gl) {
  var known = {};
  var read = gl.getParameter;
  // A setter, and the parameters it sets: [parameter, index of the argument it takes, ...].
  function remember(name, params) {
    var call = gl[name];
    gl[name] = function () {
      call.apply(gl, arguments);
      for (var i = 0; i < params.length; i += 2) known[params[i]] = arguments[params[i + 1]];
    };
  }
  // BLEND_SRC_RGB 0x80C9, BLEND_DST_RGB 0x80C8, BLEND_SRC_ALPHA 0x80CB, BLEND_DST_ALPHA 0x80CA,
  // BLEND_EQUATION_RGB 0x8009, BLEND_EQUATION_ALPHA 0x883D.
  remember('blendFuncSeparate', [0x80C9, 0, 0x80C8, 1, 0x80CB, 2, 0x80CA, 3]);
  remember('blendFunc', [0x80C9, 0, 0x80C8, 1, 0x80CB, 0, 0x80CA, 1]);
  remember('blendEquationSeparate', [0x8009, 0, 0x883D, 1]);
  remember('blendEquation', [0x8009, 0, 0x883D, 0]);
  // SCISSOR_BOX 0x0C10: the four arguments (a negative size is an error that changes nothing).
  var scissor = gl.scissor;
  gl.scissor = function (x, y, w, h) {
    scissor.apply(gl, arguments);
    if (w >= 0 && h >= 0) known[0x0C10] = [x, y, w, h];
  };
  gl.getParameter = function (name) {
    var v = known[name];
    return v === undefined ? read.call(gl, name) : name === 0x0C10 ? new Int32Array(v) : v;
  };
  gl.canvas.addEventListener('webglcontextlost', function () { known = {}; });
};
