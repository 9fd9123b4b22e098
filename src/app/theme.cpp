#include "theme.h"

#include <cstring>

#ifdef __EMSCRIPTEN__
#include <emscripten/emscripten.h>
// Tells the page which theme is shown (page background, color-scheme) and what was chosen (kept
// in localStorage by editor_page.js).
EM_JS(void, dfplay_theme_shown, (const char* name, const char* choice, int r, int g, int b), {
  if (Module['dfplayThemeShown']) Module['dfplayThemeShown'](UTF8ToString(name), UTF8ToString(choice), r, g, b);
});
#endif

namespace dfplay::app {

namespace theme {
namespace {
Choice chosen = Choice::Auto;
bool system_dark = true;
bool pending = true;
float style_scale = 0.0f;  // 0 until apply_style ran
}  // namespace

const char* choice_name(Choice c) {
  switch (c) {
    case Choice::Auto: return "auto";
    case Choice::Dark: return "dark";
    case Choice::Light: return "light";
  }
  return "auto";
}

bool choice_from(const char* name, Choice& out) {
  for (Choice c : {Choice::Auto, Choice::Dark, Choice::Light})
    if (std::strcmp(name, choice_name(c)) == 0) {
      out = c;
      return true;
    }
  return false;
}

void set_choice(Choice c) {
  if (c != chosen) pending = true;
  chosen = c;
}
Choice choice() { return chosen; }
void set_system_dark(bool dark) {
  if (dark != system_dark) pending = true;
  system_dark = dark;
}
bool light() { return chosen == Choice::Light || (chosen == Choice::Auto && !system_dark); }
const Palette& palette() { return light() ? light_palette() : dark_palette(); }

void begin_frame() {
  if (!pending || style_scale == 0.0f) return;
  apply_style(style_scale);
}
}  // namespace theme

ImU32 severity_color(Severity s) {
  switch (s) {
    case Severity::Error: return ImColor(theme::kError);
    case Severity::Warning: return ImColor(theme::kWarning);
    case Severity::Note: return ImColor(theme::kNote);
  }
  return ImColor(theme::kNote);
}

void apply_style(float scale) {
  const Palette& p = theme::palette();
  using theme::vec;
  theme::kOk = vec(p.ok);
  theme::kError = vec(p.error);
  theme::kWarning = vec(p.warning);
  theme::kNote = vec(p.note);
  theme::kCached = vec(p.cached);
  theme::kRun = vec(p.run);
  theme::kSkipped = vec(p.skipped);
  theme::kAccent = vec(p.accent);
  theme::kCritical = vec(p.critical);
  theme::kDim = vec(p.dim);

  ImGuiStyle style;
  if (theme::light()) ImGui::StyleColorsLight(&style);
  else ImGui::StyleColorsDark(&style);
  style.WindowRounding = 0.0f;
  style.WindowBorderSize = 1.0f;
  style.FrameRounding = 3.0f;
  style.FramePadding = ImVec2(6.0f, 4.0f);
  style.WindowPadding = ImVec2(10.0f, 8.0f);
  style.ItemSpacing = ImVec2(8.0f, 6.0f);
  style.ScrollbarSize = 12.0f;
  style.ScrollbarRounding = 6.0f;
  style.TabRounding = 3.0f;
  style.CellPadding = ImVec2(6.0f, 3.0f);
  style.IndentSpacing = 16.0f;
  style.PopupRounding = 3.0f;
  ImVec4* c = style.Colors;
  c[ImGuiCol_WindowBg] = vec(p.window);
  c[ImGuiCol_ChildBg] = ImVec4(0.0f, 0.0f, 0.0f, 0.0f);
  c[ImGuiCol_FrameBg] = vec(p.frame);
  c[ImGuiCol_FrameBgHovered] = vec(p.frame);
  c[ImGuiCol_FrameBgActive] = vec(p.frame);
  c[ImGuiCol_TitleBg] = vec(p.table_header);
  c[ImGuiCol_TitleBgActive] = vec(p.tab_active);
  c[ImGuiCol_Border] = vec(p.border);
  c[ImGuiCol_Separator] = vec(p.border);
  c[ImGuiCol_Text] = vec(p.text);
  c[ImGuiCol_TextDisabled] = vec(p.text_disabled);
  c[ImGuiCol_TextSelectedBg] = vec(p.selection);
  c[ImGuiCol_TableRowBgAlt] = theme::light() ? ImVec4(0.0f, 0.0f, 0.0f, 0.03f) : ImVec4(1.0f, 1.0f, 1.0f, 0.03f);
  c[ImGuiCol_TableBorderLight] = vec(p.border);
  c[ImGuiCol_TableBorderStrong] = vec(p.border);
  c[ImGuiCol_MenuBarBg] = vec(p.menu);
  c[ImGuiCol_Tab] = vec(p.tab);
  c[ImGuiCol_TabHovered] = vec(p.tab_hovered);
  c[ImGuiCol_TabActive] = vec(p.tab_active);
  c[ImGuiCol_TabUnfocused] = c[ImGuiCol_Tab];
  c[ImGuiCol_TabUnfocusedActive] = c[ImGuiCol_TabActive];
  c[ImGuiCol_Header] = vec(p.header);
  c[ImGuiCol_HeaderHovered] = vec(p.header_hovered);
  c[ImGuiCol_HeaderActive] = vec(p.header_active);
  c[ImGuiCol_Button] = vec(p.button);
  c[ImGuiCol_ButtonHovered] = vec(p.button_hovered);
  c[ImGuiCol_ButtonActive] = vec(p.button_active);
  c[ImGuiCol_PopupBg] = vec(p.popup);
  c[ImGuiCol_TableHeaderBg] = vec(p.table_header);
  c[ImGuiCol_CheckMark] = vec(p.accent);
  c[ImGuiCol_NavHighlight] = vec(p.accent);
  style.ScaleAllSizes(scale);
  ImGui::GetStyle() = style;
  theme::style_scale = scale;
  theme::pending = false;
#ifdef __EMSCRIPTEN__
  auto byte = [](float v) { return static_cast<int>(v * 255.0f + 0.5f); };
  dfplay_theme_shown(p.name, theme::choice_name(theme::choice()), byte(p.page.r), byte(p.page.g), byte(p.page.b));
#endif
}

}  // namespace dfplay::app
