// The wasm side of the editor's page features (editor_page.js): undo/redo and the theme for
// window.dfplay, autosave (content out and back in), the accessibility summary, touch input and
// the text bridge (a focused DOM textarea that brings up on-screen keyboards and IME
// composition). Strings returned are static, valid until the next call of the same function.
#include <emscripten/emscripten.h>

#include <cfloat>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "app.h"
#include "compare_mode.h"
#include "imgui.h"
#include "model/big_text.h"
#include "pipeline_limits.h"
#include "theme.h"
#include "ui.h"

namespace {
using dfplay::app::state;
std::string_view view(const char* text, size_t length) { return {text, length}; }
}  // namespace

extern "C" {

// Undo / redo one step of the content; 1 when there was one.
EMSCRIPTEN_KEEPALIVE int dfplay_app_undo() { return state().undo() ? 1 : 0; }
EMSCRIPTEN_KEEPALIVE int dfplay_app_redo() { return state().redo() ? 1 : 0; }

// The theme: "auto" (follow the system), "light" or "dark"; "" or an error message.
EMSCRIPTEN_KEEPALIVE const char* dfplay_app_set_theme(const char* name, size_t length) {
  static std::string error;
  dfplay::app::theme::Choice c;
  const std::string n(name, length);
  error.clear();
  if (dfplay::app::theme::choice_from(n.c_str(), c)) dfplay::app::theme::set_choice(c);
  else error = "setTheme: expected 'light', 'dark' or 'auto', not `" + n + "`";
  return error.c_str();
}
// What the system prefers (prefers-color-scheme), for the "auto" theme.
EMSCRIPTEN_KEEPALIVE void dfplay_app_set_system_dark(int dark) { dfplay::app::theme::set_system_dark(dark != 0); }

// Autosave: the content as JSON (with the open tab), and its restoration ("" or an error message).
EMSCRIPTEN_KEEPALIVE const char* dfplay_app_content() {
  static std::string out;
  out = state().content_json();
  return out.c_str();
}
// The same without "dockerfile" (autosave reads the text itself: dfplay_app_dockerfile).
EMSCRIPTEN_KEEPALIVE const char* dfplay_app_content_rest() {
  static std::string out;
  out = state().content_json(/*with_dockerfile=*/false);
  return out.c_str();
}
EMSCRIPTEN_KEEPALIVE const char* dfplay_app_restore(const char* json, size_t length) {
  static std::string error;
  error = state().restore_json(view(json, length));
  return error.c_str();
}
// Changes whenever the content or the open tab changes, and when the content's analysis is done
// (autosave and the summary poll it).
EMSCRIPTEN_KEEPALIVE const char* dfplay_app_change_mark() {
  static std::string out;
  auto& s = state();
  out = std::to_string(s.revision()) + "|" + s.ui.side_tab + (s.analysing() ? "|analysing" : "");
  return out.c_str();
}
// The Dockerfile's bytes (dfplay_app_text_bytes of them; valid until the next edit), for the
// accessibility mirror, which reads them straight from the wasm memory.
EMSCRIPTEN_KEEPALIVE const char* dfplay_app_dockerfile() { return state().dockerfile().data(); }
// A Dockerfile above the size limit (model/big_text.h) is not autosaved and not mirrored whole for
// screen readers: the limit, and the autosave's notice and the editor's banner for the current
// text ("" when it is not above the limit).
EMSCRIPTEN_KEEPALIVE double dfplay_app_max_input_bytes() { return static_cast<double>(dfplay::limits::kMaxInputBytes); }
EMSCRIPTEN_KEEPALIVE const char* dfplay_app_too_big_notice() {
  static std::string out;
  const auto& s = state();
  out = s.too_big() ? dfplay::app::too_big_autosave_notice() : std::string();
  return out.c_str();
}
EMSCRIPTEN_KEEPALIVE const char* dfplay_app_too_big_message() {
  static std::string out;
  const auto& s = state();
  out = s.too_big() ? dfplay::app::too_big_message(s.dockerfile().size()) : std::string();
  return out.c_str();
}
// A warning shown over the editor ("" clears it), e.g. when autosave fails.
EMSCRIPTEN_KEEPALIVE void dfplay_app_set_notice(const char* text, size_t length) { state().ui.notice.assign(text, length); }

// The results in a few numbers, for the accessibility live region and the embed bridge's
// messages (embed_bridge.js): read after every change, so nothing here is made as JSON first
// (state() of a big Dockerfile's results is ~90 ms of it).
EMSCRIPTEN_KEEPALIVE const char* dfplay_app_summary() {
  static std::string out;
  auto& s = state();
  const auto& r = s.result();
  const auto& b = *r.build;
  size_t built = 0, errors = 0, warnings = 0, input_errors = 0, input_warnings = 0;
  for (const auto& st : b.stages) built += st.built;
  for (const auto& d : b.diagnostics) {
    errors += d.severity == dfplay::Severity::Error;
    warnings += d.severity == dfplay::Severity::Warning;
  }
  for (const auto& d : r.input_diagnostics) {
    input_errors += d.severity == dfplay::Severity::Error;
    input_warnings += d.severity == dfplay::Severity::Warning;
  }
  // Written with fmt, not as an nlohmann tree: the smaller code of the two (the app's size budget).
  auto text = [](std::string_view v) { return nlohmann::json(v).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); };
  const auto* refused = dfplay::app::ui::refusal(r);
  out = fmt::format(
      R"({{"stages":{},"built":{},"stage_count":{},"instructions":{},"image_bytes":{},"compressed_bytes":{},)"
      R"("single_stage_bytes":{},"saving_bytes":{},"ok":{},"cold":{},"cached":{},"run":{},"skipped":{},)"
      R"("problems":{},"errors":{},"warnings":{},"input_errors":{},"input_warnings":{},"findings":{},)"
      R"("revision":{},"analysing":{},"comparing":{},"example":{},"target":{},"tab":{}{}{}}})",
      b.stages.size(), built, r.analysis->stage_count, r.analysis->instruction_count, b.size_bytes,
      b.compressed_size_bytes, b.single_stage_size_bytes, b.saving_bytes, b.ok, s.cached_builds() == 0, r.cache.cached,
      r.cache.run, r.cache.skipped, b.diagnostics.size() + r.input_diagnostics.size(), errors, warnings, input_errors,
      input_warnings, r.checks.findings.size(), s.revision(), s.analysing(), dfplay::app::compare_on(),
      text(s.example_id()), text(s.workspace().options().target), text(s.ui.side_tab),
      // Not analysed (over the size limit): the counts above are unknown, not zero.
      refused ? R"(,"refused":)" : "", refused ? text(refused->message) : std::string());
  return out.c_str();
}

// The editor: 1 while it has the keyboard focus; its text area in CSS pixels.
EMSCRIPTEN_KEEPALIVE int dfplay_app_editor_active() { return state().ui.editor_active ? 1 : 0; }
EMSCRIPTEN_KEEPALIVE const char* dfplay_app_editor_rect() {
  static std::string out;
  const auto& e = state().ui.editor;
  out = fmt::format(R"({{"x":{},"y":{},"width":{},"height":{}}})", double{e.x}, double{e.y}, double{e.w}, double{e.h});
  return out.c_str();
}

// Touch input in CSS pixels: phase 0 moves, 1 presses, 2 releases, 3 lifts the pointer away (editor_page.js spaces them
// over frames so that a tap is a press and a release in different frames, as ImGui needs).
EMSCRIPTEN_KEEPALIVE void dfplay_app_touch(int phase, double x, double y) {
  if (!ImGui::GetCurrentContext()) return;
  ImGuiIO& io = ImGui::GetIO();
  const float dpr = state().ui.device_pixel_ratio > 0 ? state().ui.device_pixel_ratio : 1.0f;
  io.AddMouseSourceEvent(ImGuiMouseSource_TouchScreen);
  if (phase == 3) {  // the finger has left: nothing stays hovered (no tooltip left behind)
    io.AddMousePosEvent(-FLT_MAX, -FLT_MAX);
    return;
  }
  io.AddMousePosEvent(static_cast<float>(x) * dpr, static_cast<float>(y) * dpr);
  if (phase == 1 || phase == 2) {
    io.AddMouseSourceEvent(ImGuiMouseSource_TouchScreen);
    io.AddMouseButtonEvent(0, phase == 1);
  }
}

// Text from the bridge textarea (on-screen keyboards, IME composition).
EMSCRIPTEN_KEEPALIVE void dfplay_app_text_input(const char* text, size_t length) {
  if (!ImGui::GetCurrentContext()) return;
  ImGui::GetIO().AddInputCharactersUTF8(std::string(text, length).c_str());
}
// Keys an on-screen keyboard sends as input events: 0 Backspace, 1 Enter, 2 Delete.
EMSCRIPTEN_KEEPALIVE void dfplay_app_key(int which) {
  if (!ImGui::GetCurrentContext()) return;
  const ImGuiKey key = which == 1 ? ImGuiKey_Enter : which == 2 ? ImGuiKey_Delete : ImGuiKey_Backspace;
  ImGuiIO& io = ImGui::GetIO();
  io.AddKeyEvent(key, true);
  io.AddKeyEvent(key, false);
}

}  // extern "C"
