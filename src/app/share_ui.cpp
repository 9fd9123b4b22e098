// Sharing and embedding, the C++ side: the menu bar's Share and Help entries, "Open in the full
// playground" when the page runs in an embed frame, and the page API's showTab / setReadonly /
// embed-mode exports. The links themselves are built in JavaScript (page_share.js with
// web/share-link.js): the menu only asks the page to do it.
#include <emscripten/emscripten.h>

#include <algorithm>
#include <cctype>
#include <string>

#include "app.h"
#include "imgui.h"
#include "syntax/ascii.h"

// Module.dfplayShare(): builds the share link, copies it, confirms (page_share.js).
EM_JS(void, dfplay_share_request, (), {
  if (Module['dfplayShare']) Module['dfplayShare']();
});
// Opens the full playground in a new tab with the current state (page_share.js).
EM_JS(void, dfplay_open_full_request, (), {
  if (Module['dfplayOpenFull']) Module['dfplayOpenFull']();
});
// Opens a page of the site (relative to the app's URL) in a new tab.
EM_JS(void, dfplay_open_site_page, (const char* path), {
  try {
    window.open(new URL(UTF8ToString(path), document.baseURI).href, "_blank", "noopener");
  } catch (e) {
  }
});
// The state changed (revision): the embed bridge posts a `change` message (embed_bridge.js).
EM_JS(void, dfplay_state_changed, (double revision), {
  if (Module['dfplayChanged']) Module['dfplayChanged'](revision);
});

namespace dfplay::app {

void draw_share_menu(AppState& s) {
  if (s.embed) {
    // In a frame the menu bar is short: the way out comes first (shorter on a phone-sized frame).
    const bool narrow = ImGui::GetMainViewport()->Size.x / std::max(0.5f, s.ui.device_pixel_ratio) < 600.0f;
    if (ImGui::MenuItem(narrow ? "Full playground" : "Open in the full playground")) dfplay_open_full_request();
    publish(s, "menu:OpenFull");
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Opens this Dockerfile in the playground in a new tab");
  } else {
    if (ImGui::MenuItem("Share")) dfplay_share_request();
    publish(s, "menu:Share");
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Copies a link to this state (Ctrl+S)");
  }
  bool open = ImGui::BeginMenu("Help");
  publish(s, "menu:Help");
  if (open) {
    if (ImGui::MenuItem("Tutorial: multi-stage builds")) dfplay_open_site_page("tutorial/multi-stage-builds.html");
    publish(s, "menu:Tutorial");
    if (s.embed && ImGui::MenuItem("Share link (copy)")) dfplay_share_request();
    ImGui::EndMenu();
  }
}

void share_ui_frame(AppState& s) {
  static uint64_t notified = ~uint64_t{0};
  static bool was_analysing = false;
  // Also once the analysis is done: the bridge posts the results then (not while analysing).
  if (s.revision() != notified || s.analysing() != was_analysing) {
    notified = s.revision();
    was_analysing = s.analysing();
    dfplay_state_changed(static_cast<double>(notified));
  }
}

}  // namespace dfplay::app

namespace {


}  // namespace

extern "C" {

// dfplay.showTab(name): the side panel whose title is `name` (any case: "image", "Build");
// returns "" or an error message naming the panels.
EMSCRIPTEN_KEEPALIVE const char* dfplay_app_show_tab(const char* name, size_t length) {
  static std::string error;
  using namespace dfplay::app;
  const std::string wanted = dfplay::syntax::ascii_lower(std::string_view(name, length));
  std::string known;
  for (const auto& p : panels()) {
    if (p.slot != Slot::Side) continue;
    if (dfplay::syntax::ascii_lower(p.title) == wanted) {
      state().show_tab(p.title);
      error.clear();
      return error.c_str();
    }
    known += (known.empty() ? "" : ", ") + dfplay::syntax::ascii_lower(p.title);
  }
  error = "showTab: no tab `" + std::string(name, length) + "` (tabs: " + known + ")";
  return error.c_str();
}

// dfplay.setReadonly(bool)
EMSCRIPTEN_KEEPALIVE void dfplay_app_set_readonly(int on) { dfplay::app::state().readonly = on != 0; }

// The page runs in an embed frame (embed_bridge.js, ?embed=1).
EMSCRIPTEN_KEEPALIVE void dfplay_app_set_embed(int on) { dfplay::app::state().embed = on != 0; }

}  // extern "C"
