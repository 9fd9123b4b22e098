// The system clipboard for ImGui. emscripten's GLFW keeps its clipboard inside the page, so:
//   paste: the page's `paste` event hands the text over (page_api.js -> dfplay_app_clipboard_paste)
//          before ImGui handles the Ctrl+V key on the next frame (unless it would take the
//          Dockerfile over the size limit: then the editor applies it, AppState::take_big_paste);
//   copy/cut: ImGui's text goes to navigator.clipboard.writeText (when the browser allows it).
// Also: documentation links open in a new tab (open_url).
#include <emscripten/emscripten.h>

#include <string>

#include "app.h"
#include "imgui.h"

EM_JS(void, dfplay_open_url, (const char* url), {
  try {
    var u = UTF8ToString(url);
    if (u.indexOf("https:") === 0 || u.indexOf("http:") === 0) window.open(u, "_blank", "noopener");
  } catch (e) {
  }
});

EM_JS(void, dfplay_write_system_clipboard, (const char* text), {
  try {
    var t = UTF8ToString(text);
    if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(t).catch(function() {});
  } catch (e) {
  }
});

namespace dfplay::app {
namespace {

std::string& clipboard() {
  static std::string text;
  return text;
}

const char* get_clipboard(void*) { return clipboard().c_str(); }

void set_clipboard(void*, const char* text) {
  clipboard() = text ? text : "";
  dfplay_write_system_clipboard(clipboard().c_str());
}

}  // namespace

void open_url(const std::string& url) { dfplay_open_url(url.c_str()); }

void clipboard_paste(std::string text) {
  // A paste that takes the Dockerfile over the size limit is the app's to apply (AppState::take_big_paste):
  // ImGui's Ctrl+V then pastes nothing, its input never converts megabytes.
  if (state().take_big_paste(text)) clipboard().clear();
  else clipboard() = std::move(text);
}

void install_clipboard() {
  ImGuiIO& io = ImGui::GetIO();
  io.GetClipboardTextFn = get_clipboard;
  io.SetClipboardTextFn = set_clipboard;
  io.ClipboardUserData = nullptr;
}

}  // namespace dfplay::app

extern "C" EMSCRIPTEN_KEEPALIVE void dfplay_app_clipboard_paste(const char* text, size_t length) {
  dfplay::app::clipboard_paste(std::string(text, length));
}
