// Context: the files of the build context, editable (select a file and edit its content; add,
// rename, delete), with the entries .dockerignore excludes marked (and the line that excludes them).
#include <algorithm>
#include <cfloat>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "app.h"
#include "context/dockerignore.h"
#include "context/filter.h"
#include "context/path.h"
#include "imgui.h"
#include "imgui_stdlib.h"
#include "theme.h"
#include "ui.h"

namespace dfplay::app {
namespace {

std::string selected;     // path of the file being edited
std::string edit_buffer;  // its content, as the multi-line input edits it
std::string path_input;   // the New / Rename popups' text
std::string error;        // the last add/rename error
uint64_t seen_revision = UINT64_MAX;

// Which files .dockerignore excludes (recomputed when the result changes).
struct Ignored {
  std::string ignore_path;  // the ignore file in effect ("" when none)
  std::vector<std::string> excluded;  // sorted paths
  std::vector<std::string> rule;      // the excluding line, same order
};
Ignored ignored;
uint64_t ignored_revision = UINT64_MAX;

// What the build excludes, from its own walk of the context (sim::BuildResult::sent: the
// .dockerignore read and matched once, by the simulation): nothing is re-read or re-matched here.
void compute_ignored(const WorkspaceResult& r) {
  if (ignored_revision == r.revision) return;
  ignored_revision = r.revision;
  ignored = {};
  const context::FilteredContext* view = r.build ? r.build->sent.get() : nullptr;
  if (!view) return;
  if (r.build->ignore) ignored.ignore_path = r.build->ignore->path;
  const context::BuildContext& ctx = view->context();
  for (uint32_t i = 1; i < ctx.size(); ++i) {
    if (view->visibility(i) != context::Visibility::Excluded) continue;
    ignored.excluded.emplace_back(ctx.path(i));
    const context::IgnoreRule* rule = view->rule(i);
    ignored.rule.push_back(rule ? "line " + std::to_string(rule->line) + ": " + rule->line_text : "");
  }
}

// The excluding rule for `path`, or nullptr when the file is sent.
const std::string* excluded_by(const std::string& path) {
  auto it = std::lower_bound(ignored.excluded.begin(), ignored.excluded.end(), path);
  if (it == ignored.excluded.end() || *it != path) return nullptr;
  return &ignored.rule[it - ignored.excluded.begin()];
}

bool path_popup(const char* id, const char* action, std::string& out) {
  bool done = false;
  if (ImGui::BeginPopup(id)) {
    ImGui::TextUnformatted("Path in the context:");
    if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
    ImGui::SetNextItemWidth(ui::em(18));
    bool enter = ImGui::InputText("##path", &path_input, ImGuiInputTextFlags_EnterReturnsTrue);
    if (ImGui::Button(action) || enter) {
      out = path_input;
      done = true;
      ImGui::CloseCurrentPopup();
    }
    ImGui::SameLine();
    if (ImGui::Button("Cancel")) ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
  }
  return done;
}

void draw(AppState& s) {
  const WorkspaceResult& r = s.result();
  compute_ignored(r);
  const auto& files = s.files();
  const std::string& df_path = s.workspace().dockerfile_path();

  // Keep the selection valid and the edit buffer in step with the state.
  auto find = [&](const std::string& p) {
    return std::find_if(files.begin(), files.end(), [&](const WorkspaceFile& f) { return f.path == p; });
  };
  if (find(selected) == files.end()) selected = files.empty() ? "" : files.front().path;
  if (seen_revision != s.revision()) {
    auto it = find(selected);
    if (it != files.end() && it->content != edit_buffer) edit_buffer = it->content;
    seen_revision = s.revision();
  }

  // Toolbar.
  if (ImGui::Button("+ New file")) {
    path_input.clear();
    ImGui::OpenPopup("new");
  }
  publish(s, "button:new-file");
  std::string path;
  if (path_popup("new", "Add", path)) {
    if (find(path) != files.end()) {
      error = "`" + path + "` already exists";
    } else {
      error = s.set_file(path, "");
      if (error.empty()) selected = context::context_relative(path);
    }
  }
  ImGui::SameLine();
  ImGui::BeginDisabled(selected.empty());
  if (ImGui::Button("Rename")) {
    path_input = selected;
    ImGui::OpenPopup("rename");
  }
  if (path_popup("rename", "Rename", path)) {
    error = s.rename_file(selected, path);
    if (error.empty()) selected = context::context_relative(path);
  }
  ImGui::SameLine();
  if (ImGui::Button("Delete")) {
    s.delete_file(selected);
    selected.clear();
  }
  publish(s, "button:delete-file");
  ImGui::EndDisabled();
  ImGui::SameLine();
  uint64_t bytes = 0;
  for (const auto& f : files) bytes += f.size ? *f.size : f.content.size();
  ImGui::TextDisabled("%s, %s", ui::plural(files.size(), "file", "files").c_str(), ui::bytes(bytes).c_str());
  if (!error.empty()) ImGui::TextColored(theme::kError, "%s", error.c_str());
  if (ignored.ignore_path.empty()) ImGui::TextDisabled("No .dockerignore: every file is sent to the builder.");
  else
    ImGui::TextDisabled("%s excludes %s (struck through)", ignored.ignore_path.c_str(),
                        ui::plural(ignored.excluded.size(), "entry", "entries").c_str());

  // The file list (about 40% of the height), then the selected file's content.
  const float avail = ImGui::GetContentRegionAvail().y;
  const float list_h = std::max(ui::em(5), std::floor(avail * 0.4f));
  if (ImGui::BeginTable("files", 3, ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_PadOuterX | ImGuiTableFlags_BordersOuter,
                        ImVec2(0, list_h))) {
    ImGui::TableSetupColumn("path", ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableSetupColumn("size", ImGuiTableColumnFlags_WidthFixed, ui::em(5));
    ImGui::TableSetupColumn("sent", ImGuiTableColumnFlags_WidthFixed, ui::em(4.5f));
    for (const auto& f : files) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      const std::string* rule = excluded_by(f.path);
      if (rule) ImGui::PushStyleColor(ImGuiCol_Text, theme::kDim);
      if (ImGui::Selectable(f.path.c_str(), f.path == selected, ImGuiSelectableFlags_SpanAllColumns)) {
        selected = f.path;
        edit_buffer = f.content;
      }
      publish(s, "file:" + f.path);
      if (rule) {
        ImGui::PopStyleColor();
        ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
        float w = ImGui::CalcTextSize(f.path.c_str()).x;
        float y = (a.y + b.y) * 0.5f;
        ImGui::GetWindowDrawList()->AddLine(ImVec2(a.x, y), ImVec2(a.x + w, y), ImGui::GetColorU32(theme::kDim), 1.0f);
        if (ImGui::IsItemHovered())
          ImGui::SetTooltip("Excluded by %s (%s): COPY and ADD cannot see it", ignored.ignore_path.c_str(), rule->c_str());
      }
      ImGui::TableNextColumn();
      ImGui::TextDisabled("%s", ui::bytes(f.size ? *f.size : f.content.size()).c_str());
      ImGui::TableNextColumn();
      if (rule) ImGui::TextColored(theme::kWarning, "ignored");
    }
    ImGui::EndTable();
  }

  auto it = find(selected);
  if (it == files.end()) {
    ImGui::TextDisabled("Select a file to edit it.");
    return;
  }
  const bool is_dockerfile = selected == df_path;
  ImGui::TextUnformatted(selected.c_str());
  if (is_dockerfile) {
    ImGui::SameLine();
    ImGui::TextDisabled("(the editor's text: edit it on the left)");
  } else if (const std::string* rule = excluded_by(selected)) {
    ImGui::SameLine();
    ImGui::TextColored(theme::kDim, "excluded by %s", rule->c_str());
  }
  if (it->size) {
    // A file known by its size only (an embed's data-size): nothing to edit.
    ImGui::TextDisabled("A %s binary stand-in: known by its size only, no content.", ui::bytes(*it->size).c_str());
    return;
  }
  ImGui::PushID(selected.c_str());
  ImGuiInputTextFlags flags = ImGuiInputTextFlags_AllowTabInput | (is_dockerfile ? ImGuiInputTextFlags_ReadOnly : 0);
  if (ImGui::InputTextMultiline("##content", &edit_buffer, ImVec2(-FLT_MIN, -FLT_MIN), flags) && !is_dockerfile) {
    s.set_file(selected, edit_buffer);
    seen_revision = s.revision();
  }
  publish(s, "input:file-content");
  ImGui::PopID();
}

const PanelRegistration reg{{"Context", Slot::Side, 50, draw}};

}  // namespace
}  // namespace dfplay::app
