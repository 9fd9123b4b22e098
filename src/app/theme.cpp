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
  style.TabRounding = 3.0f;
  style.CellPadding = ImVec2(6.0f, 3.0f);
  style.IndentSpacing = 16.0f;
  style.PopupRounding = 3.0f;
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
  c[ImGuiCol_MenuBarBg] = ImVec4(0.13f, 0.14f, 0.165f, 1.0f);
  c[ImGuiCol_Tab] = ImVec4(0.14f, 0.155f, 0.18f, 1.0f);
  c[ImGuiCol_TabHovered] = ImVec4(0.26f, 0.40f, 0.62f, 1.0f);
  c[ImGuiCol_TabActive] = ImVec4(0.20f, 0.32f, 0.50f, 1.0f);
  c[ImGuiCol_TabUnfocused] = c[ImGuiCol_Tab];
  c[ImGuiCol_TabUnfocusedActive] = c[ImGuiCol_TabActive];
  c[ImGuiCol_Header] = ImVec4(0.20f, 0.27f, 0.38f, 0.55f);
  c[ImGuiCol_HeaderHovered] = ImVec4(0.24f, 0.36f, 0.54f, 0.70f);
  c[ImGuiCol_HeaderActive] = ImVec4(0.26f, 0.42f, 0.64f, 0.80f);
  c[ImGuiCol_Button] = ImVec4(0.20f, 0.27f, 0.38f, 1.0f);
  c[ImGuiCol_ButtonHovered] = ImVec4(0.26f, 0.38f, 0.56f, 1.0f);
  c[ImGuiCol_ButtonActive] = ImVec4(0.30f, 0.45f, 0.68f, 1.0f);
  c[ImGuiCol_PopupBg] = ImVec4(0.12f, 0.13f, 0.155f, 0.98f);
  c[ImGuiCol_TableHeaderBg] = ImVec4(0.14f, 0.155f, 0.18f, 1.0f);
  style.ScaleAllSizes(scale);
  ImGui::GetStyle() = style;
}

}  // namespace dfplay::app
