// Build context: the files given with the Dockerfile (window.dfplay.load({files})).
#include "app.h"
#include "imgui.h"

namespace dfplay::app {
namespace {

void draw(AppState& s) {
  const auto& files = s.files();
  if (files.empty()) {
    ImGui::TextDisabled("No build-context files.");
    return;
  }
  if (!ImGui::BeginTable("context", 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_PadOuterX | ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_ScrollY))
    return;
  ImGui::TableSetupColumn("path", ImGuiTableColumnFlags_WidthStretch);
  ImGui::TableSetupColumn("size");
  for (const auto& f : files) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(f.path.c_str());
    ImGui::TableNextColumn();
    ImGui::TextDisabled("%zu B", f.content.size());
  }
  ImGui::EndTable();
}

const PanelRegistration reg{{"Build context", Slot::Right, 20, draw}};

}  // namespace
}  // namespace dfplay::app
