// The Dockerfile editor panel: the text with every diagnostic underlined, the gutter showing what
// the next build does with each step (cached / run / skipped), and the editor's own status line.
#include <cfloat>
#include <string>

#include "app.h"
#include "editor.h"
#include "examples/examples.h"
#include "imgui.h"
#include "theme.h"
#include "ui.h"

namespace dfplay::app {
namespace {

constexpr const char* kEditorLabel = "##dockerfile";
Editor editor;
uint64_t seen_text_generation = 0;

std::vector<EditorMark> diagnostic_marks(const WorkspaceResult& r) {
  std::vector<EditorMark> marks;
  for (const auto& d : r.build->diagnostics) {
    if (d.range.begin.line == 0) continue;  // not in the Dockerfile (e.g. .dockerignore)
    std::string tip = std::string(severity_name(d.severity)) + ": " + d.message;
    if (!d.code.empty()) tip += " [" + d.code + "]";
    marks.push_back({d.range.begin.offset, d.range.end.offset, severity_color(d.severity), std::move(tip)});
  }
  return marks;
}

std::vector<GutterMark> cache_marks(const WorkspaceResult& r) {
  std::vector<GutterMark> marks;
  const sim::BuildResult& b = *r.build;
  for (const auto& sr : r.cache.steps) {
    const sim::Step& st = b.steps[sr.step];
    GutterMark g;
    g.first_line = st.range.begin.line ? st.range.begin.line : st.line;
    g.last_line = std::max(g.first_line, st.range.end.line);
    switch (sr.status) {
      case cache::Status::Cached:
        g.color = ImGui::GetColorU32(theme::kCached);
        g.message = "CACHED in the next build";
        break;
      case cache::Status::Run:
        g.color = ImGui::GetColorU32(theme::kRun);
        g.message = "runs in the next build (" + ui::seconds(sr.seconds) + ", estimated)";
        if (sr.reason && sr.first_miss) g.message += "\nwhy: " + sr.reason->message;
        break;
      case cache::Status::Skipped:
        g.color = ImGui::GetColorU32(ImVec4(theme::kSkipped.x, theme::kSkipped.y, theme::kSkipped.z, 0.6f));
        g.message = "SKIPPED: stage " + b.stages[st.stage].label + " is not needed for the target";
        break;
    }
    marks.push_back(std::move(g));
  }
  return marks;
}

void draw(AppState& s) {
  if (s.text_generation() != seen_text_generation) {
    editor.reset(kEditorLabel);
    seen_text_generation = s.text_generation();
  }
  // Header: what is being edited.
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(s.workspace().dockerfile_path().c_str());
  if (const examples::Example* ex = examples::find(s.example_id())) {
    ImGui::SameLine();
    ImGui::TextDisabled("\xC2\xB7 example: %s", ex->title.c_str());
  }
  if (s.readonly) {
    ImGui::SameLine();
    ImGui::TextDisabled("\xC2\xB7 read-only");
  }

  const WorkspaceResult& r = s.result();
  auto marks = diagnostic_marks(r);
  auto gutter = cache_marks(r);
  std::optional<std::pair<uint32_t, uint32_t>> select;
  if (auto sel = s.peek_selection()) select = std::make_pair(sel->begin, sel->end);
  const bool had_select = select.has_value();
  const float status_h = ImGui::GetFrameHeightWithSpacing();
  editor.read_only = s.readonly;
  EditorFrame f = editor.draw(kEditorLabel, s.dockerfile_buffer(), ImVec2(-FLT_MIN, -status_h), marks, gutter, select);
  if (had_select && !select) s.take_selection();  // applied
  if (f.changed) s.edited();

  const float dpr = s.ui.device_pixel_ratio;
  s.ui.editor = {f.min.x / dpr, f.min.y / dpr, (f.max.x - f.min.x) / dpr, (f.max.y - f.min.y) / dpr};
  s.ui.editor_line_height = f.line_height / dpr;
  s.ui.editor_active = f.active;
  if (f.selection) {
    s.ui.editor_selection[0] = f.selection->first;
    s.ui.editor_selection[1] = f.selection->second;
  }

  // Status line: problems in the text, and the gutter's legend.
  size_t errors = 0, warnings = 0;
  for (const auto& d : r.build->diagnostics) {
    errors += d.severity == Severity::Error;
    warnings += d.severity == Severity::Warning;
  }
  ImGui::AlignTextToFramePadding();
  if (errors == 0 && warnings == 0) {
    ImGui::TextColored(theme::kOk, "\xE2\x9C\x93 no problems");
  } else {
    std::string msg = errors ? ui::plural(errors, "error", "errors") : std::string();
    if (warnings) msg += (msg.empty() ? "" : ", ") + ui::plural(warnings, "warning", "warnings");
    ImGui::TextColored(errors ? theme::kError : theme::kWarning, "%s", msg.c_str());
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("See the Problems tab");
  }
  ImGui::SameLine(0, ui::em(1.2f));
  ui::dot(theme::kCached);
  ImGui::TextDisabled("cached");
  ImGui::SameLine(0, ui::em(0.8f));
  ui::dot(theme::kRun);
  ImGui::TextDisabled("runs");
  ImGui::SameLine(0, ui::em(0.8f));
  ui::dot(theme::kSkipped);
  ImGui::TextDisabled("skipped");
}

const PanelRegistration reg{{"Dockerfile", Slot::Main, 0, draw}};

}  // namespace
}  // namespace dfplay::app
