#include "ui.h"

#include <cmath>
#include <cstdio>

#include "imgui_internal.h"
#include "format_fixed.h"
#include "theme.h"
#include "units.h"

namespace dfplay::app::ui {

std::string bytes(uint64_t n) { return format_bytes(n, 1, ByteUnit::TB); }

// format_fixed, not snprintf's %f: in wasm that is ~10 us a number, and a result of a big file
// labels thousands of steps (the editor's gutter tooltips) in one frame.
std::string seconds(double s) {
  if (s > 0 && s < 0.095) return format_fixed(s, 2) + " s";
  if (s < 600) return format_fixed(s, 1) + " s";
  return format_fixed(s / 60.0, 0) + " min";
}

std::string percent(double ratio) { return format_fixed(ratio * 100.0, 1) + "%"; }

std::string first_line(std::string_view text) { return std::string(text.substr(0, text.find('\n'))); }

std::string fit(const std::string& text, float width) {
  if (ImGui::CalcTextSize(text.c_str()).x <= width) return text;
  const float dots = ImGui::CalcTextSize("...").x;
  size_t n = text.size();
  while (n > 0 && ImGui::CalcTextSize(text.c_str(), text.c_str() + n).x + dots > width) {
    --n;
    while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;  // whole UTF-8 characters
  }
  return text.substr(0, n) + "...";
}

std::string plural(size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

bool line_link(AppState& s, uint32_t line, const char* id_suffix) {
  if (line == 0) {
    ImGui::TextDisabled("-");
    return false;
  }
  char label[48];
  std::snprintf(label, sizeof label, "line %u##%s", line, id_suffix);
  ImGui::PushStyleColor(ImGuiCol_Text, theme::kAccent);
  ImVec2 pos = ImGui::GetCursorScreenPos();
  bool clicked = ImGui::Selectable(label, false, ImGuiSelectableFlags_DontClosePopups, ImGui::CalcTextSize(label, nullptr, true));
  ImGui::PopStyleColor();
  if (ImGui::IsItemHovered()) {
    ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
    ImVec2 max = ImGui::GetItemRectMax();
    ImGui::GetWindowDrawList()->AddLine(ImVec2(pos.x, max.y - 1), ImVec2(max.x, max.y - 1),
                                        ImGui::GetColorU32(theme::kAccent));
    ImGui::SetTooltip("Select line %u in the editor", line);
  }
  if (clicked) s.select_line(line);
  return clicked;
}

void estimated(const char* why) {
  ImGui::SameLine(0, em(0.3f));
  // After wrapped text the cursor sits at the right edge of the whole paragraph: start a new
  // line rather than push the panel wider (which showed a horizontal scrollbar).
  if (ImGui::GetContentRegionAvail().x < ImGui::CalcTextSize("(est.)").x) ImGui::NewLine();
  ImGui::TextDisabled("(est.)");
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("%s", why ? why : "Estimated: simulated from the base-image catalog and the effects model, not measured.");
}

void help(const char* text) {
  ImGui::SameLine();
  ImGui::TextDisabled("(?)");
  if (ImGui::IsItemHovered()) {
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(em(28));
    ImGui::TextUnformatted(text);
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
  }
}

const Diagnostic* refusal(const WorkspaceResult& r) {
  if (r.analysis)
    for (const auto& d : r.analysis->dockerfile.diagnostics)
      if (d.code == "limits/input-size") return &d;
  return nullptr;
}

void nothing_to_show(const WorkspaceResult& r, const char* fallback) {
  // A refusal of the whole input (today only the size limit) leaves every panel empty: say why
  // there instead of what an empty Dockerfile would need.
  if (const Diagnostic* d = refusal(r)) {
    colored_wrapped(theme::kError, "Not analysed: " + d->message + ".");
    return;
  }
  ImGui::TextDisabled("%s", fallback);
}

void colored_wrapped(const ImVec4& color, const std::string& text) {
  ImGui::PushStyleColor(ImGuiCol_Text, color);
  ImGui::TextWrapped("%s", text.c_str());
  ImGui::PopStyleColor();
}

bool row_button(const char* id, float height) {
  return ImGui::Selectable(id, false, ImGuiSelectableFlags_SpanAllColumns | ImGuiSelectableFlags_AllowOverlap,
                           ImVec2(0, height));
}

void dot(const ImVec4& color) {
  const float r = em(0.3f);
  ImVec2 p = ImGui::GetCursorScreenPos();
  float h = ImGui::GetTextLineHeight();
  float base = ImGui::GetCurrentWindow()->DC.CurrLineTextBaseOffset;  // after AlignTextToFramePadding
  ImGui::GetWindowDrawList()->AddCircleFilled(ImVec2(p.x + r, p.y + base + h * 0.5f), r, ImGui::GetColorU32(color));
  ImGui::Dummy(ImVec2(r * 2, h));
  ImGui::SameLine(0, em(0.4f));
}

void same_line_if_fits(float width) {
  const float spacing = ImGui::GetStyle().ItemSpacing.x;
  const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
  if (ImGui::GetItemRectMax().x + spacing + width <= right) ImGui::SameLine();
}

void banner(const char* id, const ImVec4& color, const std::string& text) {
  ImVec4 bg = color;
  bg.w = 0.12f;
  ImGui::PushStyleColor(ImGuiCol_ChildBg, bg);
  ImVec4 border = color;
  border.w = 0.5f;
  ImGui::PushStyleColor(ImGuiCol_Border, border);
  ImGui::PushStyleVar(ImGuiStyleVar_ChildRounding, em(0.25f));
  if (ImGui::BeginChild(id, ImVec2(0, 0), ImGuiChildFlags_Border | ImGuiChildFlags_AutoResizeY, ImGuiWindowFlags_NoScrollbar)) {
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(text.c_str());
    ImGui::PopTextWrapPos();
  }
  ImGui::EndChild();
  ImGui::PopStyleVar();
  ImGui::PopStyleColor(2);
}

bool target_combo(AppState& s, const char* label, float width) {
  const WorkspaceResult& r = s.result();
  const sim::BuildResult& b = *r.build;
  const std::string& cur = s.options().target;
  std::string last = b.stages.empty() ? std::string("last stage") : "last stage (" + (b.stages.back().label.empty() ? std::string("0") : b.stages.back().label) + ")";
  std::string preview = cur.empty() ? last : cur;
  bool changed = false;
  ImGui::SetNextItemWidth(width);
  const bool open = ImGui::BeginCombo(label, preview.c_str());
  // A stage name too long for the box: the whole name on hover.
  if (!open && ImGui::IsItemHovered() &&
      ImGui::CalcTextSize(preview.c_str()).x > ImGui::GetItemRectSize().x - ImGui::GetFrameHeight() - ImGui::GetStyle().FramePadding.x * 2)
    ImGui::SetTooltip("Target: %s", preview.c_str());
  if (open) {
    if (ImGui::Selectable(last.c_str(), cur.empty())) {
      auto o = s.options();
      o.target.clear();
      s.set_options(std::move(o));
      changed = true;
    }
    for (size_t i = 0; i < b.analysis->graph.stages.size(); ++i) {
      const auto& node = b.analysis->graph.stages[i];
      std::string name = node.name.empty() ? std::to_string(i) : node.name;
      if (ImGui::Selectable(name.c_str(), cur == name)) {
        auto o = s.options();
        o.target = name;
        s.set_options(std::move(o));
        changed = true;
      }
    }
    ImGui::EndCombo();
  }
  return changed;
}

}  // namespace dfplay::app::ui
