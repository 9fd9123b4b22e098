#include "theme.h"

namespace dfplay::app {

ImU32 severity_color(Severity s) {
  switch (s) {
    case Severity::Error: return ImColor(theme::kError);
    case Severity::Warning: return ImColor(theme::kWarning);
    case Severity::Note: return ImColor(theme::kNote);
  }
  return ImColor(theme::kNote);
}

void apply_style(float scale) {
  ImGuiStyle style;
  ImGui::StyleColorsDark(&style);
  style.WindowRounding = 0.0f;
  style.WindowBorderSize = 1.0f;
  style.FrameRounding = 3.0f;
  style.FramePadding = ImVec2(6.0f, 4.0f);
  style.WindowPadding = ImVec2(10.0f, 8.0f);
  style.ItemSpacing = ImVec2(8.0f, 6.0f);
  style.ScrollbarSize = 12.0f;
  style.ScrollbarRounding = 6.0f;
  ImVec4* c = style.Colors;
  c[ImGuiCol_WindowBg] = ImVec4(0.105f, 0.115f, 0.135f, 1.0f);
  c[ImGuiCol_ChildBg] = ImVec4(0.0f, 0.0f, 0.0f, 0.0f);
  c[ImGuiCol_FrameBg] = ImVec4(0.075f, 0.082f, 0.098f, 1.0f);
  c[ImGuiCol_FrameBgHovered] = ImVec4(0.085f, 0.093f, 0.110f, 1.0f);
  c[ImGuiCol_FrameBgActive] = ImVec4(0.085f, 0.093f, 0.110f, 1.0f);
  c[ImGuiCol_TitleBg] = ImVec4(0.14f, 0.155f, 0.18f, 1.0f);
  c[ImGuiCol_TitleBgActive] = ImVec4(0.16f, 0.21f, 0.30f, 1.0f);
  c[ImGuiCol_Border] = ImVec4(0.22f, 0.24f, 0.28f, 1.0f);
  c[ImGuiCol_Text] = ImVec4(0.88f, 0.90f, 0.92f, 1.0f);
  c[ImGuiCol_TextDisabled] = ImVec4(0.52f, 0.56f, 0.62f, 1.0f);
  c[ImGuiCol_TextSelectedBg] = ImVec4(0.26f, 0.45f, 0.75f, 0.45f);
  c[ImGuiCol_TableRowBgAlt] = ImVec4(1.0f, 1.0f, 1.0f, 0.03f);
  style.ScaleAllSizes(scale);
  ImGui::GetStyle() = style;
}

}  // namespace dfplay::app
