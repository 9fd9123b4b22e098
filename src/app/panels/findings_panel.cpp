// Findings: BuildKit's build checks and dfplay's best practices, with severity, id, message and
// line (click to select it); each expands to why it matters, how to fix it and a documentation
// link, and "Apply fix" edits the Dockerfile when the finding comes with a replacement.
#include <string>

#include "app.h"
#include "imgui.h"
#include "theme.h"
#include "ui.h"

namespace dfplay::app {
namespace {

void draw(AppState& s) {
  const WorkspaceResult& r = s.result();
  const checks::CheckResult& c = r.checks;
  size_t buildkit = c.buildkit_count();
  ImGui::Text("%s", ui::plural(c.findings.size(), "finding", "findings").c_str());
  ImGui::SameLine();
  ImGui::TextDisabled("\xC2\xB7 %zu BuildKit build checks \xC2\xB7 %zu best practices", buildkit, c.findings.size() - buildkit);
  bool best = s.options().best_practices;
  ImGui::SameLine();
  if (ImGui::Checkbox("best practices", &best)) {
    auto o = s.options();
    o.best_practices = best;
    s.set_options(std::move(o));
  }
  if (!c.build_error.empty()) ImGui::TextColored(theme::kError, "docker build --call=check: %s", c.build_error.c_str());
  if (c.findings.empty()) {
    ImGui::TextColored(theme::kOk, "\xE2\x9C\x93 No findings.");
    return;
  }
  ImGui::Separator();
  int apply = -1;
  for (size_t i = 0; i < c.findings.size(); ++i) {
    const checks::Finding& f = c.findings[i];
    ImGui::PushID(static_cast<int>(i));
    ImGui::TextColored(ImColor(severity_color(f.severity)), "%s", std::string(severity_name(f.severity)).c_str());
    ImGui::SameLine();
    ui::line_link(s, f.line(), "f");
    ImGui::SameLine();
    ImGui::TextDisabled("%s%s", f.id.c_str(), f.buildkit ? "" : " (best practice)");
    if (f.replacement) {
      ImGui::SameLine();
      // Its byte range is the analysed text's: not applied to a newer text before that is analysed.
      const bool stale = s.analysing();
      ImGui::BeginDisabled(stale);
      if (ImGui::SmallButton("Apply fix")) apply = static_cast<int>(i);
      ImGui::EndDisabled();
      publish(s, "fix:" + std::to_string(i));
      if (stale && ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) {
        ImGui::SetTooltip("Available once the current text is analysed");
      } else if (ImGui::IsItemHovered()) {
        const auto& rep = *f.replacement;
        if (rep.text.empty()) ImGui::SetTooltip("Delete the text at line %u", rep.range.begin.line);
        else ImGui::SetTooltip("Replace with:\n%s", rep.text.c_str());
      }
    }
    ImGui::Indent(ui::em(0.8f));
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(f.message.c_str());
    ImGui::PopTextWrapPos();
    if (!f.why.empty() || !f.fix.empty() || !f.url.empty()) {
      // With only a couple of findings there is room to show the explanation straight away.
      ImGuiTreeNodeFlags open = c.findings.size() <= 2 ? ImGuiTreeNodeFlags_DefaultOpen : 0;
      if (ImGui::TreeNodeEx("details", ImGuiTreeNodeFlags_SpanAvailWidth | open, "why and how to fix")) {
        ImGui::PushTextWrapPos(0.0f);
        if (!f.why.empty()) {
          ImGui::TextDisabled("Why:");
          ImGui::SameLine();
          ImGui::TextWrapped("%s", f.why.c_str());
        }
        if (!f.fix.empty()) {
          ImGui::TextDisabled("Fix:");
          ImGui::SameLine();
          ImGui::TextWrapped("%s", f.fix.c_str());
        }
        ImGui::PopTextWrapPos();
        if (!f.url.empty()) {
          ImGui::PushStyleColor(ImGuiCol_Text, theme::kAccent);
          if (ImGui::Selectable(f.url.c_str(), false, 0, ImGui::CalcTextSize(f.url.c_str()))) open_url(f.url);
          ImGui::PopStyleColor();
          if (ImGui::IsItemHovered()) {
            ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
            ImGui::SetTooltip("Open the documentation in a new tab");
          }
        }
        ImGui::TreePop();
      }
    }
    ImGui::Unindent(ui::em(0.8f));
    ImGui::PopID();
    ImGui::Spacing();
  }
  if (apply >= 0) {
    const auto& rep = *c.findings[apply].replacement;
    s.replace_text(rep.range.begin.offset, rep.range.end.offset, rep.text);  // invalidates `c`
  }
}

int count(AppState& s) { return static_cast<int>(s.result().checks.findings.size()); }

const PanelRegistration reg{{"Findings", Slot::Side, 30, draw, count}};

}  // namespace
}  // namespace dfplay::app
