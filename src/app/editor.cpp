#include "editor.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <utility>

#include "imgui_internal.h"
#include "imgui_stdlib.h"

namespace dfplay::app {

namespace {

struct SelectRequest {
  std::optional<std::pair<uint32_t, uint32_t>>* range;
  int sel_begin = -1, sel_end = -1;  // the selection while active (bytes)
};

// Called every frame while the editor is active: applies a pending selection, reports the current one.
int apply_selection(ImGuiInputTextCallbackData* data) {
  auto* req = static_cast<SelectRequest*>(data->UserData);
  if (!req) return 0;
  if (req->range && *req->range) {
    auto [b, e] = **req->range;
    const int n = data->BufTextLen;
    int begin = std::min(static_cast<int>(b), n), end = std::clamp(static_cast<int>(e), begin, n);
    data->SelectionStart = begin;
    data->SelectionEnd = end;
    data->CursorPos = end;
    req->range->reset();
  }
  req->sel_begin = std::min(data->SelectionStart, data->SelectionEnd);
  req->sel_end = std::max(data->SelectionStart, data->SelectionEnd);
  return 0;
}

// Lines in the text (a final line without '\n' counts; an empty text has one line).
size_t count_lines(const std::string& text) { return static_cast<size_t>(std::count(text.begin(), text.end(), '\n')) + 1; }

}  // namespace

EditorFrame Editor::draw(const char* label, std::string& text, ImVec2 size, const std::vector<EditorMark>& marks,
                         const std::vector<GutterMark>& gutter, std::optional<std::pair<uint32_t, uint32_t>>& select) {
  EditorFrame f;
  ImGuiWindow* parent = ImGui::GetCurrentWindow();
  const ImGuiID id = parent->GetID(label);
  // The gutter: line numbers (as many digits as the last line needs, at least 2) and a status bar.
  char digits[16];
  ImFormatString(digits, sizeof digits, "%zu", std::max<size_t>(count_lines(text), 10));
  const float gutter_w = ImGui::CalcTextSize(digits).x + ImGui::GetFontSize() * 0.9f;
  const ImVec2 start = ImGui::GetCursorScreenPos();
  ImVec2 avail = ImGui::GetContentRegionAvail();
  ImVec2 box = ImGui::CalcItemSize(size, avail.x, avail.y);
  ImGui::Dummy(ImVec2(gutter_w, box.y));
  ImGui::SameLine(0, 0);
  if (select && ImGui::GetActiveID() != id) {
    // Activate the text input on the next frame as if by keyboard navigation (ActivateItemByID
    // without PreferInput would only focus it when the mouse was the last input).
    ImGuiContext& g = *ImGui::GetCurrentContext();
    g.NavNextActivateId = id;
    g.NavNextActivateFlags = ImGuiActivateFlags_PreferInput;
  }
  SelectRequest req{&select};
  f.changed = ImGui::InputTextMultiline(label, &text, ImVec2(box.x - gutter_w, box.y),
                                        ImGuiInputTextFlags_AllowTabInput | ImGuiInputTextFlags_CallbackAlways |
                                            (read_only ? ImGuiInputTextFlags_ReadOnly : 0),
                                        apply_selection, &req);
  f.active = ImGui::IsItemActive();
  if (f.active && req.sel_begin >= 0) f.selection = {static_cast<uint32_t>(req.sel_begin), static_cast<uint32_t>(req.sel_end)};
  f.min = ImGui::GetItemRectMin();
  f.max = ImGui::GetItemRectMax();
  f.line_height = ImGui::GetFontSize();
  if (!marks.empty()) draw_marks(label, id, text, marks);
  draw_gutter(label, id, text, start, ImVec2(start.x + gutter_w, f.max.y), gutter);
  return f;
}

void Editor::draw_gutter(const char* label, unsigned id, const std::string& text, ImVec2 min, ImVec2 max,
                         const std::vector<GutterMark>& gutter) {
  ImGuiWindow* parent = ImGui::GetCurrentWindow();
  char name[512];
  ImFormatString(name, sizeof name, "%s/%s_%08X", parent->Name, label, id);
  ImGuiWindow* child = ImGui::FindWindowByName(name);
  const float scroll = child ? child->Scroll.y : 0.0f;
  const ImGuiStyle& style = ImGui::GetStyle();
  const float fs = ImGui::GetFontSize();
  ImDrawList* dl = parent->DrawList;
  dl->AddRectFilled(min, max, ImGui::GetColorU32(ImGuiCol_FrameBg, 0.6f));
  dl->PushClipRect(min, max, true);
  const float top = min.y + style.FramePadding.y - scroll;
  const size_t lines = count_lines(text);
  const size_t first = static_cast<size_t>(std::max(0.0f, std::floor((min.y - top) / fs)));
  const ImU32 num_col = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  const float bar_w = std::max(2.0f, std::floor(fs * 0.22f));
  const float bar_x = max.x - bar_w - std::floor(fs * 0.2f);
  for (size_t i = first; i < lines; ++i) {
    float y = top + fs * static_cast<float>(i);
    if (y > max.y) break;
    char buf[16];
    ImFormatString(buf, sizeof buf, "%zu", i + 1);
    float w = ImGui::CalcTextSize(buf).x;
    dl->AddText(ImVec2(bar_x - fs * 0.3f - w, y), num_col, buf);
  }
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  const GutterMark* hovered = nullptr;
  for (const auto& g : gutter) {
    if (g.first_line == 0) continue;
    float y0 = top + fs * static_cast<float>(g.first_line - 1) + 1.0f;
    float y1 = top + fs * static_cast<float>(std::max(g.first_line, g.last_line)) - 1.0f;
    if (y1 < min.y || y0 > max.y) continue;
    dl->AddRectFilled(ImVec2(bar_x, y0), ImVec2(bar_x + bar_w, y1), g.color, bar_w * 0.5f);
    if (!hovered && mouse.y >= y0 && mouse.y < y1 && mouse.x >= min.x && mouse.x < max.x) hovered = &g;
  }
  dl->PopClipRect();
  if (hovered && !hovered->message.empty() && ImGui::IsWindowHovered()) ImGui::SetTooltip("%s", hovered->message.c_str());
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
