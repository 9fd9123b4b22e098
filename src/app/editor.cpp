#include "editor.h"

#include <algorithm>
#include <cmath>

#include "imgui_internal.h"
#include "imgui_stdlib.h"

namespace dfplay::app {

EditorFrame Editor::draw(const char* label, std::string& text, ImVec2 size, const std::vector<EditorMark>& marks) {
  EditorFrame f;
  ImGuiWindow* parent = ImGui::GetCurrentWindow();
  const ImGuiID id = parent->GetID(label);
  f.changed = ImGui::InputTextMultiline(label, &text, size, ImGuiInputTextFlags_AllowTabInput);
  f.active = ImGui::IsItemActive();
  f.min = ImGui::GetItemRectMin();
  f.max = ImGui::GetItemRectMax();
  f.line_height = ImGui::GetFontSize();
  if (!marks.empty()) draw_marks(label, id, text, marks);
  return f;
}

void Editor::reset(const char* label) {
  ImGuiID id = ImGui::GetCurrentWindow()->GetID(label);
  if (ImGui::GetActiveID() == id) ImGui::ClearActiveID();
}

// InputTextMultiline draws into a child window named "<parent>/<label>_<id>"; the text starts at
// the child's content origin (window padding 0) plus the frame padding, minus its scroll, and,
// while the editor is active, minus the input state's horizontal scroll (ImGui 1.90).
void Editor::draw_marks(const char* label, unsigned id, const std::string& text, const std::vector<EditorMark>& marks) {
  ImGuiWindow* parent = ImGui::GetCurrentWindow();
  char name[512];
  ImFormatString(name, sizeof name, "%s/%s_%08X", parent->Name, label, id);
  ImGuiWindow* child = ImGui::FindWindowByName(name);
  if (!child || child->Hidden) return;
  const ImGuiStyle& style = ImGui::GetStyle();
  ImVec2 origin(child->Pos.x + style.FramePadding.x - child->Scroll.x,
                child->Pos.y + style.FramePadding.y - child->Scroll.y);
  if (ImGuiInputTextState* st = ImGui::GetInputTextState(id)) origin.x -= st->ScrollX;

  // Line starts (byte offsets), to map offsets to (line, column) with a binary search.
  std::vector<uint32_t> starts{0};
  for (uint32_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n') starts.push_back(i + 1);

  ImFont* font = ImGui::GetFont();
  const float fs = ImGui::GetFontSize();
  const float thickness = std::max(1.0f, std::floor(fs / 14.0f));
  const ImRect clip = child->InnerClipRect;
  ImDrawList* dl = child->DrawList;
  dl->PushClipRect(clip.Min, clip.Max, false);
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  const EditorMark* hovered = nullptr;
  ImVector<ImVec2> wave;
  const uint32_t n = static_cast<uint32_t>(text.size());
  const float space_w = font->CalcTextSizeA(fs, FLT_MAX, 0.0f, " ").x;

  for (const auto& m : marks) {
    uint32_t b = std::min(m.begin, n), e = std::min(std::max(m.end, m.begin), n);
    size_t line = std::upper_bound(starts.begin(), starts.end(), b) - starts.begin() - 1;
    while (true) {
      uint32_t ls = starts[line];
      uint32_t le = line + 1 < starts.size() ? starts[line + 1] - 1 : n;  // end of line (before '\n')
      float y = origin.y + fs * static_cast<float>(line);
      if (y > clip.Max.y) break;
      uint32_t sb = std::max(b, ls), se = std::min(e, le);
      if (y + fs >= clip.Min.y) {
        float x0 = origin.x + font->CalcTextSizeA(fs, FLT_MAX, 0.0f, text.data() + ls, text.data() + sb).x;
        float x1 = origin.x + font->CalcTextSizeA(fs, FLT_MAX, 0.0f, text.data() + ls, text.data() + se).x;
        if (x1 - x0 < space_w) x1 = x0 + space_w;  // empty range: one column
        // A wavy underline along the bottom of the line.
        float base = std::floor(y + fs - thickness);
        float amp = std::max(1.0f, std::floor(fs / 10.0f)), step = amp * 2.0f;
        wave.resize(0);
        for (float x = x0; x < x1 + step * 0.5f; x += step)
          wave.push_back(ImVec2(std::min(x, x1), base - ((wave.Size & 1) ? amp : 0.0f)));
        if (wave.Size >= 2) dl->AddPolyline(wave.Data, wave.Size, m.color, ImDrawFlags_None, thickness);
        else dl->AddLine(ImVec2(x0, base), ImVec2(x1, base), m.color, thickness);
        if (!hovered && mouse.x >= x0 && mouse.x < x1 && mouse.y >= y && mouse.y < y + fs && clip.Contains(mouse))
          hovered = &m;
      }
      if (e <= le || line + 1 >= starts.size()) break;
      ++line;
    }
  }
  dl->PopClipRect();
  if (hovered && !hovered->message.empty()) ImGui::SetTooltip("%s", hovered->message.c_str());
}

}  // namespace dfplay::app
