// Problems: every diagnostic of the build (parse, instructions, stages, simulation, .dockerignore)
// and of the options, with line:column; click one to select it in the editor.
#include <algorithm>
#include <string>
#include <vector>

#include "app.h"
#include "imgui.h"
#include "theme.h"
#include "ui.h"

namespace dfplay::app {
namespace {

bool in_dockerfile(const Diagnostic& d) {
  return d.range.begin.line > 0 && d.code.rfind("dockerignore/", 0) != 0 && d.code.rfind("options/", 0) != 0;
}

void draw(AppState& s) {
  const WorkspaceResult& r = s.result();
  std::vector<const Diagnostic*> all, diags;
  for (const auto& d : r.input_diagnostics) all.push_back(&d);
  for (const auto& d : r.build->diagnostics) all.push_back(&d);
  // Options and other files first, then in the Dockerfile's order; equal places keep their order.
  // One key per problem (in the Dockerfile: 1 bit, offset: 32 bits, index: 31 bits) sorted as
  // plain integers (a smaller sort than a stable one over the pointers).
  std::vector<uint64_t> keys;
  for (uint64_t i = 0; i < all.size(); ++i)
    keys.push_back(uint64_t{in_dockerfile(*all[i])} << 63 | uint64_t{all[i]->range.begin.offset} << 31 | i);
  std::sort(keys.begin(), keys.end());
  for (uint64_t k : keys) diags.push_back(all[k & 0x7fffffff]);
  if (diags.empty()) {
    ImGui::TextColored(theme::kOk, "\xE2\x9C\x93 No problems: the Dockerfile parses, its stages resolve and the build succeeds.");
    return;
  }
  ImGui::TextDisabled("%s \xC2\xB7 click one to select it in the editor", ui::plural(diags.size(), "problem", "problems").c_str());
  if (!ImGui::BeginTable("problems", 3, ImGuiTableFlags_RowBg | ImGuiTableFlags_PadOuterX | ImGuiTableFlags_SizingFixedFit))
    return;
  ImGui::TableSetupColumn("where");
  ImGui::TableSetupColumn("severity");
  ImGui::TableSetupColumn("message", ImGuiTableColumnFlags_WidthStretch);
  int i = 0;
  for (const Diagnostic* d : diags) {
    ImGui::PushID(i++);
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    char where[64];
    if (d->code.rfind("dockerignore/", 0) == 0) std::snprintf(where, sizeof where, ".dockerignore:%u", d->range.begin.line);
    else if (!in_dockerfile(*d)) std::snprintf(where, sizeof where, "options");
    else std::snprintf(where, sizeof where, "%u:%u", d->range.begin.line, d->range.begin.column);
    bool clicked = ImGui::Selectable(where, false, ImGuiSelectableFlags_SpanAllColumns | ImGuiSelectableFlags_AllowOverlap);
    publish(s, "problem:" + d->code + "@" + std::to_string(d->range.begin.line));
    if (ImGui::IsItemHovered() && in_dockerfile(*d)) ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
    if (clicked && in_dockerfile(*d)) s.select({d->range.begin.offset, std::max(d->range.end.offset, d->range.begin.offset + 1)});
    ImGui::TableNextColumn();
    ImGui::TextColored(ImColor(severity_color(d->severity)), "%s", std::string(severity_name(d->severity)).c_str());
    ImGui::TableNextColumn();
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(d->message.c_str());
    ImGui::PopTextWrapPos();
    if (!d->code.empty()) ImGui::TextDisabled("%s", d->code.c_str());
    ImGui::PopID();
  }
  ImGui::EndTable();
}

int count(AppState& s) {
  const WorkspaceResult& r = s.result();
  return static_cast<int>(r.build->diagnostics.size() + r.input_diagnostics.size());
}

const PanelRegistration reg{{"Problems", Slot::Side, 40, draw, count}};

}  // namespace
}  // namespace dfplay::app
