// Panel registry and the layout: a menu bar (Examples, Build, View), the editor on the left, the
// side panels as tabs on the right (under the editor on narrow screens), a status line at the bottom.
#include <algorithm>
#include <cmath>

#include "app.h"
#include "backdrop.h"
#include "compare_mode.h"
#include "examples/examples.h"
#include "imgui.h"
#include "theme.h"
#include "ui.h"

namespace dfplay::app {

static std::vector<PanelInfo>& registry() {
  static std::vector<PanelInfo> r;
  return r;
}

PanelRegistration::PanelRegistration(const PanelInfo& info) {
  auto& r = registry();
  // Kept sorted by slot, then order (equal ones in the order they registered): the new one goes
  // after every panel that does not sort after it (an insertion, not a sort: 3 KB less wasm).
  auto at = r.begin();
  while (at != r.end() && (info.slot != at->slot ? info.slot > at->slot : info.order >= at->order)) ++at;
  r.insert(at, info);
}

const std::vector<PanelInfo>& panels() { return registry(); }

namespace {

constexpr ImGuiWindowFlags kPanelFlags = ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize |
                                         ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings |
                                         ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoTitleBar;

void draw_menu_bar(AppState& s) {
  if (!ImGui::BeginMainMenuBar()) return;
  bool open = ImGui::BeginMenu("Examples");
  publish(s, "menu:Examples");
  if (open) {
    for (const auto& ex : examples::builtin()) {
      bool current = ex.id == s.example_id();
      if (ImGui::MenuItem(ex.title.c_str(), nullptr, current)) s.load_example(ex.id);
      publish(s, "example:" + ex.id);
      if (ImGui::IsItemHovered() && !ex.description.empty()) {
        ImGui::BeginTooltip();
        ImGui::PushTextWrapPos(ui::em(30));
        ImGui::TextUnformatted(ex.description.c_str());
        ImGui::PopTextWrapPos();
        ImGui::EndTooltip();
      }
    }
    ImGui::EndMenu();
  }
  open = ImGui::BeginMenu("Edit");
  publish(s, "menu:Edit");
  if (open) {
    const UndoHistory& h = s.history();
    std::string undo = h.can_undo() ? "Undo " + h.undo_label() : std::string("Undo");
    std::string redo = h.can_redo() ? "Redo " + h.redo_label() : std::string("Redo");
    if (ImGui::MenuItem((undo + "###undo").c_str(), "Ctrl+Z", false, h.can_undo())) s.undo();
    publish(s, "menu:Edit/Undo");
    if (ImGui::MenuItem((redo + "###redo").c_str(), "Ctrl+Shift+Z", false, h.can_redo())) s.redo();
    publish(s, "menu:Edit/Redo");
    ImGui::Separator();
    if (ImGui::MenuItem("Find", "Ctrl+F")) open_find();
    publish(s, "menu:Edit/Find");
    ImGui::Separator();
    if (ImGui::MenuItem("Reset to the example", nullptr, false, s.can_reset())) s.reset_example();
    publish(s, "menu:Edit/Reset");
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
      ImGui::SetTooltip("The example's own Dockerfile, files and build options again (undo brings your edits back)");
    ImGui::EndMenu();
  }
  open = ImGui::BeginMenu("Build");
  publish(s, "menu:Build");
  if (open) {
    if (ImGui::MenuItem("Build (record in the cache)")) {
      s.request_build();
      s.show_tab("Build");
    }
    if (ImGui::MenuItem("Clear cache", nullptr, false, s.cached_builds() > 0)) s.clear_cache();
    ImGui::Separator();
    if (ImGui::MenuItem(compare_on() ? "Compare: pin the current one as A" : "Compare: pin this as A")) {
      compare_start(s);
      s.show_tab("Compare");
    }
    if (ImGui::MenuItem("Stop comparing", nullptr, false, compare_on())) compare_stop();
    ImGui::EndMenu();
  }
  open = ImGui::BeginMenu("View");
  publish(s, "menu:View");
  if (open) {
    for (const auto& p : panels()) {
      if (p.slot != Slot::Side) continue;
      if (ImGui::MenuItem(p.title, nullptr, s.ui.side_tab == p.title)) s.show_tab(p.title);
      publish(s, std::string("view:") + p.title);
    }
    ImGui::Separator();
    ImGui::TextDisabled("Theme");
    const theme::Choice c = theme::choice();
    if (ImGui::MenuItem("Follow system", nullptr, c == theme::Choice::Auto)) theme::set_choice(theme::Choice::Auto);
    publish(s, "theme:auto");
    if (ImGui::MenuItem("Light", nullptr, c == theme::Choice::Light)) theme::set_choice(theme::Choice::Light);
    publish(s, "theme:light");
    if (ImGui::MenuItem("Dark", nullptr, c == theme::Choice::Dark)) theme::set_choice(theme::Choice::Dark);
    publish(s, "theme:dark");
    ImGui::EndMenu();
  }
  draw_share_menu(s);
  // The title on the right.
  const char* title = "Dockerfile Playground";
  float w = ImGui::CalcTextSize(title).x;
  float x = ImGui::GetWindowWidth() - w - ImGui::GetStyle().WindowPadding.x * 2;
  if (x > ImGui::GetCursorPosX() + ui::em(1)) {
    ImGui::SetCursorPosX(x);
    ImGui::TextDisabled("%s", title);
  }
  ImGui::EndMainMenuBar();
}

// The status line's items (inside its window).
static void status_items(AppState& s, ImVec2 size) {
  const WorkspaceResult& r = s.result();
  const sim::BuildResult& b = *r.build;
  size_t built = 0;
  for (const auto& st : b.stages) built += st.built;
  // Narrow screens get the short forms; the whole line is the tooltip.
  const bool narrow = size.x < ui::em(62);
  // The results are the previous text's while the current one is analysed (AppState::analyse):
  // said once that has taken longer than a moment.
  s.ui.analysing_shown = s.show_analysing();
  if (s.ui.analysing_shown) {
    // (Only compare mode's comparison left: the editor's own results are current.)
    const bool comparing = !s.workspace().pending();
    const char* wide = comparing ? "analysing\xE2\x80\xA6 (comparing A and B)"
                       : s.build_requested() ? "analysing\xE2\x80\xA6 (the build is recorded once it is done)"
                                             : "analysing\xE2\x80\xA6 (results below: the previous text)";
    ImGui::TextColored(theme::kWarning, "%s", narrow ? "analysing\xE2\x80\xA6" : wide);
    publish(s, "status:analysing");
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("The Dockerfile changed: its analysis is under way. The panels show the previous text's\n"
                        "results until it is done.");
    ImGui::SameLine();
    ImGui::TextDisabled("\xC2\xB7");
    ImGui::SameLine();
  }
  // The core refused the whole input (over the size limit): nothing was counted, so instead of the
  // counts, image size and cache summary (they would read as zeros) what happened (the core's
  // message as the tooltip).
  if (const Diagnostic* refused = ui::refusal(r)) {
    const std::string what = narrow ? std::string("not analysed") : "not analysed: " + refused->message;
    ImGui::TextColored(theme::kError, "%s", what.c_str());
    publish(s, "status:not-analysed");
    if (ImGui::IsWindowHovered()) ImGui::SetTooltip("Not analysed: %s.", refused->message.c_str());
    return;
  }
  std::string text = ui::plural(b.stages.size(), "stage", "stages");
  if (built != b.stages.size()) text += " (" + std::to_string(built) + " built)";
  if (!narrow) text += " \xC2\xB7 " + ui::plural(r.analysis->instruction_count, "instruction", "instructions");
  ImGui::TextUnformatted(text.c_str());
  if (!b.stages.empty()) {
    ImGui::SameLine();
    ImGui::TextDisabled("\xC2\xB7");
    ImGui::SameLine();
    ImGui::Text(narrow ? "%s" : "image %s", ui::bytes(b.size_bytes).c_str());
    ImGui::SameLine(0, ui::em(0.3f));
    ImGui::TextDisabled("(est.)");
  }
  ImGui::SameLine();
  ImGui::TextDisabled("\xC2\xB7");
  ImGui::SameLine();
  const cache::Report& c = r.cache;
  if (s.cached_builds() == 0) {
    ImGui::TextColored(theme::kRun, narrow ? "cold: %zu run" : "cold build: %zu steps run", c.run);
  } else {
    ImGui::TextColored(c.run ? theme::kRun : theme::kCached, narrow ? "%zu cached, %zu run" : "next build: %zu cached, %zu run",
                       c.cached, c.run);
  }
  ImGui::SameLine();
  ImGui::TextDisabled("\xC2\xB7");
  ImGui::SameLine();
  size_t errors = 0, warnings = 0;
  for (const auto& d : b.diagnostics) {
    errors += d.severity == Severity::Error;
    warnings += d.severity == Severity::Warning;
  }
  if (errors) ImGui::TextColored(theme::kError, "%s", ui::plural(errors, "error", "errors").c_str());
  else if (!b.ok) ImGui::TextColored(theme::kError, "the build would fail");
  else ImGui::TextColored(theme::kOk, narrow ? "\xE2\x9C\x93 ok" : "\xE2\x9C\x93 build ok");
  if (narrow && ImGui::IsWindowHovered()) {
    std::string full = ui::plural(b.stages.size(), "stage", "stages") + ", " +
                       ui::plural(r.analysis->instruction_count, "instruction", "instructions") + ", image " +
                       ui::bytes(b.size_bytes) + " (estimated), " +
                       (s.cached_builds() == 0 ? "cold build: " + std::to_string(c.run) + " steps run"
                                               : "next build: " + std::to_string(c.cached) + " cached, " + std::to_string(c.run) + " run") +
                       ", " + ui::plural(r.checks.findings.size(), "finding", "findings");
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(std::min(ui::em(24), size.x * 0.8f));
    ImGui::TextUnformatted(full.c_str());
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
  }
  if (!narrow && (warnings || !r.checks.findings.empty())) {
    ImGui::SameLine();
    ImGui::TextDisabled("\xC2\xB7 %s", ui::plural(r.checks.findings.size(), "finding", "findings").c_str());
  }
}

void draw_status_line(AppState& s, ImVec2 pos, ImVec2 size) {
  ImGui::SetNextWindowPos(pos, ImGuiCond_Always);
  ImGui::SetNextWindowSize(size, ImGuiCond_Always);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(ui::em(0.6f), ImGui::GetStyle().FramePadding.y));
  ImGui::PushStyleColor(ImGuiCol_WindowBg, ImGui::GetStyleColorVec4(ImGuiCol_MenuBarBg));
  if (backdrop::begin_window("##status", kPanelFlags | ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoFocusOnAppearing))
    status_items(s, size);
  ImGui::End();
  ImGui::PopStyleColor();
  ImGui::PopStyleVar();
}

void draw_main(AppState& s, ImVec2 pos, ImVec2 size) {
  ImGui::SetNextWindowPos(pos, ImGuiCond_Always);
  ImGui::SetNextWindowSize(size, ImGuiCond_Always);
  if (backdrop::begin_window("##main", kPanelFlags)) {
    for (const auto& p : panels())
      if (p.slot == Slot::Main) p.draw(s);
  }
  ImGui::End();
}

void draw_side(AppState& s, ImVec2 pos, ImVec2 size) {
  ImGui::SetNextWindowPos(pos, ImGuiCond_Always);
  ImGui::SetNextWindowSize(size, ImGuiCond_Always);
  if (backdrop::begin_window("##side", kPanelFlags | ImGuiWindowFlags_NoFocusOnAppearing | ImGuiWindowFlags_NoScrollbar)) {
    const auto request = s.tab_request();
    if (ImGui::BeginTabBar("##tabs", ImGuiTabBarFlags_FittingPolicyScroll | ImGuiTabBarFlags_NoTooltip)) {
      for (const auto& p : panels()) {
        if (p.slot != Slot::Side) continue;
        ImGuiTabItemFlags flags = request && *request == p.title ? ImGuiTabItemFlags_SetSelected : 0;
        // "Findings 3###Findings": the count changes, the tab's identity does not.
        std::string label = p.title;
        if (int n = p.count ? p.count(s) : 0) label += " " + std::to_string(n);
        label += std::string("###") + p.title;
        bool open = ImGui::BeginTabItem(label.c_str(), nullptr, flags);
        publish(s, std::string("tab:") + p.title);
        if (open) {
          // (while another tab is asked for, this one is its last frame: the state says the next)
          if (!request || *request == p.title) s.ui.side_tab = p.title;
          if (request && *request == p.title) s.tab_shown();
          // Each panel scrolls on its own, below the tabs.
          if (ImGui::BeginChild(p.title, ImVec2(0, 0), false, ImGuiWindowFlags_HorizontalScrollbar)) p.draw(s);
          ImGui::EndChild();
          ImGui::EndTabItem();
        }
      }
      ImGui::EndTabBar();
    }
  }
  ImGui::End();
}

}  // namespace

void handle_shortcuts(AppState& s) {
  const ImGuiIO& io = ImGui::GetIO();
  const bool mod = io.KeyCtrl || io.KeySuper;
  if (!mod || io.KeyAlt) return;
  // Another text field (a context file, a build arg) keeps its own Ctrl+Z.
  const bool other_input = io.WantTextInput && !s.ui.editor_active;
  if (ImGui::IsKeyPressed(ImGuiKey_F, false)) open_find();
  if (other_input) return;
  if (ImGui::IsKeyPressed(ImGuiKey_Z, true)) {
    if (io.KeyShift) s.redo();
    else s.undo();
  } else if (ImGui::IsKeyPressed(ImGuiKey_Y, true)) {
    s.redo();
  }
}

void draw_workspace(AppState& s) {
  theme::begin_frame();
  handle_shortcuts(s);
  s.ui.widgets_next.clear();
  draw_menu_bar(s);
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImVec2 origin = vp->WorkPos, size = vp->WorkSize;  // below the menu bar
  const float status_h = ImGui::GetFrameHeight();
  size.y -= status_h;
  const float css = 1.0f / std::max(0.5f, s.ui.device_pixel_ratio);
  const float css_w = size.x * css;
  if (css_w < 720.0f) {
    // Narrow: the editor on top, the tabs under it. A Dockerfile above the size limit has no
    // results for the tabs (they say "not analysed"): most of the height goes to its view.
    float main_h = std::floor(size.y * (s.too_big() ? 0.72f : 0.42f));
    draw_main(s, origin, ImVec2(size.x, main_h));
    draw_side(s, ImVec2(origin.x, origin.y + main_h), ImVec2(size.x, size.y - main_h));
  } else {
    float main_w = std::floor(size.x * (css_w < 1000.0f ? 0.42f : 0.44f));
    draw_main(s, origin, ImVec2(main_w, size.y));
    draw_side(s, ImVec2(origin.x + main_w, origin.y), ImVec2(size.x - main_w, size.y));
  }
  draw_status_line(s, ImVec2(origin.x, origin.y + size.y), ImVec2(size.x, status_h));
  s.ui.widgets.swap(s.ui.widgets_next);
  share_ui_frame(s);
}

}  // namespace dfplay::app
