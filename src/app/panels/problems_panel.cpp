// Problems: every diagnostic of the current text, by position.
#include "app.h"
#include "imgui.h"
#include "theme.h"

namespace dfplay::app {
namespace {

void draw(AppState& s) {
  const auto& diags = s.analysis().dockerfile.diagnostics;
  if (diags.empty()) {
    ImGui::TextDisabled("No problems found.");
    return;
  }
  if (!ImGui::BeginTable("problems", 3, ImGuiTableFlags_RowBg | ImGuiTableFlags_PadOuterX | ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_ScrollY))
    return;
  ImGui::TableSetupColumn("where");
  ImGui::TableSetupColumn("severity");
  ImGui::TableSetupColumn("message", ImGuiTableColumnFlags_WidthStretch);
  for (const auto& d : diags) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextDisabled("%u:%u", d.range.begin.line, d.range.begin.column);
    ImGui::TableNextColumn();
    ImGui::TextColored(ImColor(severity_color(d.severity)), "%s", std::string(severity_name(d.severity)).c_str());
    ImGui::TableNextColumn();
    ImGui::TextWrapped("%s", d.message.c_str());
    if (ImGui::IsItemHovered() && !d.code.empty()) ImGui::SetTooltip("%s", d.code.c_str());
  }
  ImGui::EndTable();
}

const PanelRegistration reg{{"Problems", Slot::Right, 10, draw}};

}  // namespace
}  // namespace dfplay::app
