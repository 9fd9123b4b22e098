// The app's platform layer: a WebGL 2 canvas through emscripten's GLFW, Dear ImGui's GLFW and
// OpenGL 3 (ES 3) backends, the canvas kept at the page's size in device pixels, fonts rebuilt
// for the device pixel ratio, and the main loop.
//
// HiDPI: the canvas backing store is (CSS size x devicePixelRatio). emscripten's GLFW reports
// that as both window and framebuffer size and scales mouse positions to it, so ImGui works in
// device pixels throughout; crisp text comes from rasterising the font at size x ratio and
// scaling the style by the ratio (not from scaling the output).
//
// Draw on demand: there is no emscripten main loop. redraw.js requests a frame only when
// something may have changed (input, resize, visibility, page-API calls, state changes) and calls
// dfplay_app_frame(), which draws one frame and says whether the app needs another one soon.
#include <emscripten/emscripten.h>
#include <emscripten/html5.h>
#include <GLES3/gl3.h>
#include <GLFW/glfw3.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "app.h"
#include "fonts/font_data.h"
#include "imgui.h"
#include "imgui_impl_glfw.h"
#include "imgui_impl_opengl3.h"
#include "imgui_internal.h"  // the caret blink timer (ImGuiInputTextState::CursorAnim)
#include "theme.h"

// Resizes the canvas backing store and lets GLFW know (its resize listener updates the window size).
EM_JS(void, dfplay_set_canvas_size, (int width, int height), { Browser.setCanvasSize(width, height); });
EM_JS(void, dfplay_first_frame, (), {
  if (Module['dfplayFirstFrame']) Module['dfplayFirstFrame']();
});
EM_JS(void, dfplay_wake, (int frames), {
  if (Module['dfplayWake']) Module['dfplayWake'](frames);
});
// GL state reads answered from a copy (gl_state.js).
EM_JS(void, dfplay_shadow_gl_state, (), { Module['dfplayShadowGlState'](GLctx); });
// emscripten's GLFW listens for gamepads being connected; while a page has such a listener,
// Chromium polls the gamepads ~250 times a second in its browser process (~2 % of a core with
// the app idle: bench/results.md, session 13). The app takes no gamepad input (ImGui's gamepad
// navigation is off), so the listeners go once GLFW has added them.
EM_JS(void, dfplay_ignore_gamepads, (), {
  window.removeEventListener('gamepadconnected', GLFW.onGamepadConnected, true);
  window.removeEventListener('gamepaddisconnected', GLFW.onGamepadDisconnected, true);
});
EM_JS(void, dfplay_start_frames, (int frames), { Module['dfplayStart'](frames); });
EM_JS(void, dfplay_wake_in, (double ms), {
  if (!Module['dfplayWake']) return;
  setTimeout(function() { Module['dfplayWake'](1); }, ms);
});
EM_JS(void, dfplay_fail, (const char* message), {
  var text = UTF8ToString(message);
  if (Module['dfplayStatus']) Module['dfplayStatus'](text, true);
  if (Module['onAbort']) Module['onAbort'](text);
});

namespace dfplay::app {
namespace {

GLFWwindow* window = nullptr;
float font_ratio = 0.0f;  // the device pixel ratio the fonts were built for

void sync_canvas_size(AppState& s) {
  double css_w = 0, css_h = 0;
  emscripten_get_element_css_size("#canvas", &css_w, &css_h);
  const double ratio = emscripten_get_device_pixel_ratio();
  int w = static_cast<int>(std::lround(css_w * ratio)), h = static_cast<int>(std::lround(css_h * ratio));
  if (w < 1) w = 1;
  if (h < 1) h = 1;
  int cur_w = 0, cur_h = 0;
  glfwGetWindowSize(window, &cur_w, &cur_h);
  if (w != cur_w || h != cur_h) dfplay_set_canvas_size(w, h);
  s.ui.device_pixel_ratio = static_cast<float>(ratio);
  s.ui.canvas_width = w;
  s.ui.canvas_height = h;
}

void build_fonts(float ratio) {
  ImGuiIO& io = ImGui::GetIO();
  const bool rebuild = font_ratio != 0.0f;
  io.Fonts->Clear();
  ImFontConfig cfg;
  cfg.SizePixels = std::round(theme::kFontSize * ratio);
#if DFPLAY_APP_EMBEDDED_FONT
  cfg.FontDataOwnedByAtlas = false;  // static data
  cfg.OversampleH = 2;
  cfg.OversampleV = 1;
  io.Fonts->AddFontFromMemoryTTF(const_cast<unsigned char*>(fonts::kMonoFont.data),
                                 static_cast<int>(fonts::kMonoFont.size), cfg.SizePixels, &cfg,
                                 fonts::kMonoFont.ranges);
#else
  cfg.SizePixels = std::round(13.0f * ratio);  // ProggyClean is drawn for 13 px
  io.Fonts->AddFontDefault(&cfg);
#endif
  apply_style(ratio);
  if (rebuild) {
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    ImGui_ImplOpenGL3_CreateFontsTexture();
  }
  font_ratio = ratio;
}

// Typed characters still in ImGui's input queue (after a key change it applies them next frame).
bool text_queued() {
  for (const ImGuiInputEvent& e : GImGui->InputEventsQueue)
    if (e.Type == ImGuiInputEventType_Text) return true;
  return false;
}

void frame() {
  AppState& s = state();
  sync_canvas_size(s);
  if (s.ui.device_pixel_ratio != font_ratio) build_fonts(s.ui.device_pixel_ratio);

  ImGui_ImplOpenGL3_NewFrame();
  // ImGui takes the character a key typed one frame after the key itself (it trickles queued
  // input: a key change and text are not applied in the same frame while a text field is
  // active). That next frame's UI is made at once, unrendered, so that this frame already shows
  // the character: a frame presented costs a compositor's Commit (with software WebGL 30-80 ms
  // then, ~20-30 ms since the backgrounds are clears: backdrop.h), and the edit's analysis waited
  // for it too (bench/results.md, session 12).
  for (int pass = 0;; ++pass) {
    ImGui_ImplGlfw_NewFrame();
    ImGui::NewFrame();
    draw_workspace(s);
    if (pass == 3 || !text_queued()) break;
    ImGui::EndFrame();
  }
  ImGui::Render();

  int w = 0, h = 0;
  glfwGetFramebufferSize(window, &w, &h);
  glViewport(0, 0, w, h);
  const Rgba page = theme::palette().page;  // follows the theme (the HTML page's background too)
  glClearColor(page.r, page.g, page.b, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());

  // Some ImGui widgets (tables, auto-fit columns) size themselves on their first frame: the UI is
  // settled from the second one.
  if (++s.ui.frame == 2) dfplay_first_frame();
}

// What the app needs after this frame: -1 the next frame too (input events still queued, or a
// mouse button or a key is held: drags, selection auto-scroll, key repeat), N > 0 a frame in N ms (the caret's next blink edge
// while a text field is active), 0 nothing until something wakes it.
int next_frame_wanted() {
  const ImGuiIO& io = ImGui::GetIO();
  // Input events still queued: ImGui spreads a key's down and up (and the characters typed
  // meanwhile) over several frames, and redraw.js holds settling frames back while an analysis
  // runs: without this, typed characters would wait for it.
  if (GImGui->InputEventsQueue.Size > 0) return -1;
  for (bool down : io.MouseDown)
    if (down) return -1;
  float wait = -1.0f;  // seconds until a frame is due (< 0: none)
  auto due = [&wait](float w) { wait = wait < 0.0f ? w : std::min(wait, w); };
  // A key held: a frame when ImGui's key repeat is next due (its delay, then every rate), not
  // every frame. Between a keystroke's echo and its keyup (~0.1 s of a person's typing) the
  // browser then runs the edit's analysis instead of frames that show nothing new: each frame
  // delayed it by a compositor's Commit (bench/results.md, session 12).
  for (int k = ImGuiKey_NamedKey_BEGIN; k < ImGuiKey_NamedKey_END; ++k) {
    if (k >= ImGuiKey_ReservedForModCtrl) break;  // the modifier aliases, not keys
    const ImGuiKeyData* key = ImGui::GetKeyData(static_cast<ImGuiKey>(k));
    if (!key->Down) continue;
    const float d = key->DownDuration, delay = io.KeyRepeatDelay, rate = io.KeyRepeatRate;
    due(d < delay ? delay - d : rate - std::fmod(d - delay, rate));
  }
  const ImGuiContext& g = *GImGui;
  if (io.ConfigInputTextCursorBlink && g.ActiveId != 0 && g.InputTextState.ID == g.ActiveId) {
    // imgui_widgets.cpp: the caret shows while CursorAnim <= 0 or fmod(CursorAnim, 1.2) <= 0.8.
    const float a = g.InputTextState.CursorAnim;
    if (a <= 0.0f) {
      due(0.8f - a);
    } else {
      const float t = std::fmod(a, 1.2f);
      due(t <= 0.8f ? 0.8f - t : 1.2f - t);
    }
  }
  return wait < 0.0f ? 0 : static_cast<int>(std::ceil(wait * 1000.0f)) + 10;
}

}  // namespace

void request_redraw(int frames) { dfplay_wake(frames); }
void request_redraw_in(double ms) { dfplay_wake_in(ms); }

}  // namespace dfplay::app

// Draws one frame (called by redraw.js); returns next_frame_wanted().
extern "C" EMSCRIPTEN_KEEPALIVE int dfplay_app_frame() {
  dfplay::app::frame();
  return dfplay::app::next_frame_wanted();
}

int main() {
  using namespace dfplay::app;
  if (!glfwInit()) {
    dfplay_fail("could not initialise GLFW");
    return 1;
  }
  dfplay_ignore_gamepads();
  glfwWindowHint(GLFW_CLIENT_API, GLFW_OPENGL_ES_API);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
  window = glfwCreateWindow(1280, 720, "Dockerfile Playground", nullptr, nullptr);
  if (!window) {
    dfplay_fail("this browser cannot create a WebGL 2 context");
    return 1;
  }
  glfwMakeContextCurrent(window);
  dfplay_shadow_gl_state();

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // no imgui.ini: the layout is computed
  io.LogFilename = nullptr;
  io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
  // A steady caret: a blinking one costs two frames per 1.2 s while the editor has focus, each a
  // full redraw of the editor (measured with big.Dockerfile loaded: 9 frames in 5 s, 17 % of a core
  // for the whole browser, against 1.6 % with no frame). next_frame_wanted() still schedules the
  // blink edges should it be turned back on.
  io.ConfigInputTextCursorBlink = false;
  state();  // the start-up example, analysed

  ImGui_ImplGlfw_InitForOpenGL(window, true);
  install_clipboard();
  ImGui_ImplOpenGL3_Init("#version 300 es");
  dfplay_start_frames(kSettleFrames);  // the first frames; main() returns, the runtime stays
  return 0;
}
