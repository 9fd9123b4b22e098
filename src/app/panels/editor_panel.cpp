// The Dockerfile editor panel: the text, diagnostics underlined, and a status line computed by the
// core from the text (instructions, stages, problems), updated on every edit.
#include <cfloat>
#include <string>

#include "app.h"
#include "editor.h"
#include "imgui.h"
#include "theme.h"

namespace dfplay::app {
namespace {

constexpr const char* kEditorLabel = "##dockerfile";
Editor editor;
uint64_t seen_load_generation = 0;

std::vector<EditorMark> diagnostic_marks(const AppState& s) {
  std::vector<EditorMark> marks;
  for (const auto& d : s.analysis().dockerfile.diagnostics) {
    std::string tip = std::string(severity_name(d.severity)) + ": " + d.message;
    if (!d.code.empty()) tip += " [" + d.code + "]";
    marks.push_back({d.range.begin.offset, d.range.end.offset, severity_color(d.severity), std::move(tip)});
  }
  return marks;
}

std::string plural(size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

void draw(AppState& s) {
  if (s.load_generation() != seen_load_generation) {
    editor.reset(kEditorLabel);
    seen_load_generation = s.load_generation();
  }
  const float status_h = ImGui::GetFrameHeightWithSpacing();
  EditorFrame f = editor.draw(kEditorLabel, s.dockerfile_buffer(), ImVec2(-FLT_MIN, -status_h), diagnostic_marks(s));
  if (f.changed) s.edited();

  const float dpr = s.ui.device_pixel_ratio;
  s.ui.editor = {f.min.x / dpr, f.min.y / dpr, (f.max.x - f.min.x) / dpr, (f.max.y - f.min.y) / dpr};
  s.ui.editor_line_height = f.line_height / dpr;
  s.ui.editor_active = f.active;

  // Status line.
  const Analysis& a = s.analysis();
  size_t errors = 0, warnings = 0;
  for (const auto& d : a.dockerfile.diagnostics) {
    errors += d.severity == Severity::Error;
    warnings += d.severity == Severity::Warning;
  }
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted((plural(a.instruction_count, "instruction", "instructions") + " \xC2\xB7 " +
                          plural(a.stage_count, "stage", "stages"))
                             .c_str());
  ImGui::SameLine();
  ImGui::TextDisabled("\xC2\xB7");
  ImGui::SameLine();
  if (errors == 0 && warnings == 0) {
    ImGui::TextColored(ImColor(theme::kOk), "\xE2\x9C\x93 no problems");
  } else {
    std::string msg = errors ? plural(errors, "error", "errors") : std::string();
    if (warnings) msg += (msg.empty() ? "" : ", ") + plural(warnings, "warning", "warnings");
    ImGui::TextColored(ImColor(errors ? theme::kError : theme::kWarning), "%s", msg.c_str());
  }
}

const PanelRegistration reg{{"Dockerfile", Slot::Left, 0, draw}};

}  // namespace
}  // namespace dfplay::app
