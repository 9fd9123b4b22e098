#include "editor.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <utility>

#include "backdrop.h"
#include "imgui_internal.h"
#include "imgui_stdlib.h"

namespace dfplay::app {

namespace {

struct CallbackRequest {
  std::optional<std::pair<uint32_t, uint32_t>>* range = nullptr;
  const std::string* sync = nullptr;   // replace the input's buffer with this text
  int cursor = -1;                     // the cursor while active (bytes)
  int sel_begin = -1, sel_end = -1;    // the selection while active (bytes)
};

// Called while the editor is active in the frames that have text replaced from outside or a
// selection to apply (Editor::draw): applies them, reports the cursor and the selection.
int editor_callback(ImGuiInputTextCallbackData* data) {
  auto* req = static_cast<CallbackRequest*>(data->UserData);
  if (!req) return 0;
  if (req->sync) {
    const std::string& t = *req->sync;
    if (static_cast<size_t>(data->BufTextLen) != t.size() || t.compare(0, t.size(), data->Buf, data->BufTextLen) != 0) {
      data->DeleteChars(0, data->BufTextLen);
      data->InsertChars(0, t.data(), t.data() + t.size());
    }
    const int n = data->BufTextLen;
    data->CursorPos = std::min(data->CursorPos, n);
    data->SelectionStart = data->SelectionEnd = data->CursorPos;
    req->sync = nullptr;
  }
  if (req->range && *req->range) {
    auto [b, e] = **req->range;
    const int n = data->BufTextLen;
    int begin = std::min(static_cast<int>(b), n), end = std::clamp(static_cast<int>(e), begin, n);
    data->SelectionStart = begin;
    data->SelectionEnd = end;
    data->CursorPos = end;
    req->range->reset();
  }
  req->cursor = data->CursorPos;
  if (data->SelectionStart == data->SelectionEnd) {
    req->sel_begin = req->sel_end = data->CursorPos;  // no selection: the cursor
  } else {
    req->sel_begin = std::min(data->SelectionStart, data->SelectionEnd);
    req->sel_end = std::max(data->SelectionStart, data->SelectionEnd);
  }
  return 0;
}

// The cursor and the selection (bytes) from the active input's state (characters).
void read_cursor(const ImGuiInputTextState* st, CallbackRequest& req) {
  if (!st) return;
  auto bytes = [st](int chars) {
    chars = std::clamp(chars, 0, st->CurLenW);
    // As many bytes as characters when the text is ASCII; else counted as ImGui would.
    return st->CurLenA == st->CurLenW ? chars : ImTextCountUtf8BytesFromStr(st->TextW.Data, st->TextW.Data + chars);
  };
  req.cursor = bytes(st->Stb.cursor);
  if (st->Stb.select_start == st->Stb.select_end) {
    req.sel_begin = req.sel_end = req.cursor;
  } else {
    req.sel_begin = bytes(std::min(st->Stb.select_start, st->Stb.select_end));
    req.sel_end = bytes(std::max(st->Stb.select_start, st->Stb.select_end));
  }
}

float text_width(const char* b, const char* e) {
  return ImGui::GetFont()->CalcTextSizeA(ImGui::GetFontSize(), FLT_MAX, 0.0f, b, e).x;
}

}  // namespace

// The editor's frame, for the input (draw) and the read-only view (draw_view) alike: the gutter's
// room (as many digits as the last line needs, at least 2), then a scrolling child window named
// label + suffix beside it, begun (the caller ends it and draws the gutter into `gutter`).
struct EditorBox {
  ImVec2 start;     // the gutter's top left
  float gutter_w;
  ImVec2 box;       // the whole editor's size
};
static EditorBox begin_editor_box(const char* label, const char* suffix, size_t lines, ImVec2 size) {
  const ImGuiStyle& style = ImGui::GetStyle();
  const float fs = ImGui::GetFontSize();
  EditorBox b;
  char digits[24];
  ImFormatString(digits, sizeof digits, "%zu", std::max<size_t>(lines, 10));
  b.gutter_w = ImGui::CalcTextSize(digits).x + fs * 0.9f;
  b.start = ImGui::GetCursorScreenPos();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  b.box = ImGui::CalcItemSize(size, avail.x, avail.y);
  ImGui::Dummy(ImVec2(b.gutter_w, b.box.y));
  ImGui::SameLine(0, 0);
  ImGui::PushStyleColor(ImGuiCol_ChildBg, style.Colors[ImGuiCol_FrameBg]);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
  char name[128];
  ImFormatString(name, sizeof name, "%s%s", label, suffix);
  backdrop::begin_child(name, ImVec2(b.box.x - b.gutter_w, b.box.y), ImGuiWindowFlags_HorizontalScrollbar);
  ImGui::PopStyleVar();
  ImGui::PopStyleColor();
  return b;
}

void Editor::index_lines(const std::string& text) {
  input_lines_.build(text);
  starts_size_ = text.size();
}

EditorFrame Editor::draw(const char* label, std::string& text, uint64_t generation, ImVec2 size, const EditorDecor& decor,
                         std::optional<std::pair<uint32_t, uint32_t>>& select, std::optional<uint32_t> reveal) {
  EditorFrame f;
  ImGuiContext& g = *GImGui;
  const ImGuiStyle& style = ImGui::GetStyle();
  const float fs = ImGui::GetFontSize();
  // The lines are found again only when the text changed: replaced from outside (a new
  // generation) or by the input below (a pass over the whole text: ~2 ms per frame for big.Dockerfile).
  if (generation != generation_ || text.size() != starts_size_) index_lines(text);
  const size_t lines = input_lines_.lines();

  // The gutter (line numbers) and the scrolling frame around the input, which is as large as its text.
  const auto [start, gutter_w, box] = begin_editor_box(label, "_scroll", lines, size);
  ImGuiWindow* frame = ImGui::GetCurrentWindow();
  const ImGuiID id = frame->GetID(label);

  // The widest line sets the input's width (only the lines an edit touched are measured again).
  const float widest = widths_.update(text, input_lines_.starts, fs, text_width);
  const ImVec2 inner = ImGui::GetContentRegionAvail();
  const ImVec2 input_size(std::max(inner.x, widest + style.FramePadding.x * 2 + fs * 2),
                          std::max(inner.y, fs * static_cast<float>(lines + 1) + style.FramePadding.y * 2));

  CallbackRequest req;
  req.range = &select;
  if (generation != generation_) {
    generation_ = generation;
    // Never re-apply the text the input had before it was replaced (ImGui does on deactivation).
    if (g.InputTextDeactivatedState.ID == id) g.InputTextDeactivatedState.ID = 0;
    if (g.ActiveId == id) req.sync = &text;
  }
  if (select && g.ActiveId != id) {
    // Activate the text input on the next frame as if by keyboard navigation (ActivateItemByID
    // without PreferInput would only focus it when the mouse was the last input).
    g.NavNextActivateId = id;
    g.NavNextActivateFlags = ImGuiActivateFlags_PreferInput;
  }
  // Escape leaves the editor (ImGui's own Escape would also revert every edit since it was focused).
  if (g.ActiveId == id && ImGui::IsKeyPressed(ImGuiKey_Escape, false)) ImGui::ClearActiveID();
  // The input draws its frame, selection and (invisible) text; the editor paints the text.
  ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0, 0, 0, 0));
  ImGui::PushStyleColor(ImGuiCol_FrameBg, ImVec4(0, 0, 0, 0));
  // The callback runs only in the frames it has work in (text replaced from outside, a selection
  // to apply): before calling it ImGui converts the cursor and the selection to byte offsets,
  // three passes over the text before the cursor. Otherwise they are read from the input's state
  // below, at no cost for ASCII text.
  const bool callback = req.sync || select;
  f.changed = ImGui::InputTextMultiline(label, &text, input_size,
                                        ImGuiInputTextFlags_AllowTabInput | ImGuiInputTextFlags_NoUndoRedo |
                                            ImGuiInputTextFlags_NoHorizontalScroll |
                                            (callback ? ImGuiInputTextFlags_CallbackAlways : 0) |
                                            (read_only ? ImGuiInputTextFlags_ReadOnly : 0),
                                        editor_callback, &req);
  ImGui::PopStyleColor(2);
  f.active = ImGui::IsItemActive();
  if (f.active && req.cursor < 0) read_cursor(ImGui::GetInputTextState(id), req);
  if (f.active && req.sel_begin >= 0) f.selection = {static_cast<uint32_t>(req.sel_begin), static_cast<uint32_t>(req.sel_end)};
  if (f.changed) index_lines(text);
  const ImVec2 item_min = ImGui::GetItemRectMin();
  const ImVec2 origin(item_min.x + style.FramePadding.x, item_min.y + style.FramePadding.y);

  char name[512];
  ImFormatString(name, sizeof name, "%s/%s_%08X", frame->Name, label, id);
  if (ImGuiWindow* child = ImGui::FindWindowByName(name); child && !child->Hidden)
    paint(child, frame->InnerClipRect, id, text, origin, decor, f.active ? req.cursor : -1, f.active);

  // Keep the cursor in view when it moved or the text changed; reveal a find match.
  const ImVec2 visible = frame->InnerRect.GetSize();
  if (f.active && req.cursor >= 0 && (req.cursor != last_cursor_ || text.size() != last_size_))
    scroll_to(text, static_cast<uint32_t>(req.cursor), visible);
  else if (reveal)
    scroll_to(text, *reveal, visible);
  last_cursor_ = f.active ? req.cursor : -1;
  last_size_ = text.size();

  end_box(f, frame, input_lines_.lines(), start, ImVec2(start.x + gutter_w, start.y + box.y), decor.gutter);
  return f;
}

EditorFrame Editor::draw_view(const char* label, const std::string& text, uint64_t revision, ImVec2 size) {
  EditorFrame f;
  const ImGuiStyle& style = ImGui::GetStyle();
  const float fs = ImGui::GetFontSize();
  if (revision != view_revision_ || text.size() != view_size_) {
    view_lines_.build(text);
    view_revision_ = revision;
    view_size_ = text.size();
  }
  const size_t lines = view_lines_.lines();
  const auto [start, gutter_w, box] = begin_editor_box(label, "_view", lines, size);
  ImGuiWindow* w = ImGui::GetCurrentWindow();
  static const char kM[] = "M";
  const float column = text_width(kM, kM + 1);
  // The content's size: every line, the longest one's width (capped where floats stay exact
  // to a pixel: a longer line's end is out of reach, its start and the rest are shown).
  const float width = std::min(column * static_cast<float>(view_lines_.longest), 16777216.0f - fs * 4);
  const ImVec2 origin(w->Pos.x + style.FramePadding.x - w->Scroll.x, w->Pos.y + style.FramePadding.y - w->Scroll.y);
  ImGui::Dummy(ImVec2(width + style.FramePadding.x * 2 + fs * 2, fs * static_cast<float>(lines + 1) + style.FramePadding.y * 2));

  const ImRect clip = w->InnerClipRect;
  const ImVec4 clip4 = clip.ToVec4();
  ImDrawList* dl = w->DrawList;
  const ImU32 col = ImGui::GetColorU32(ImGuiCol_Text);
  ImFont* font = ImGui::GetFont();
  const size_t first = static_cast<size_t>(std::clamp((clip.Min.y - origin.y) / fs, 0.0f, static_cast<float>(lines)));
  const size_t last = static_cast<size_t>(std::clamp((clip.Max.y - origin.y) / fs + 1.0f, 0.0f, static_cast<float>(lines)));
  const size_t skip = static_cast<size_t>(std::max(0.0f, (clip.Min.x - origin.x) / column));
  const size_t columns = static_cast<size_t>((clip.Max.x - clip.Min.x) / column) + 2;
  for (size_t l = first; l < last; ++l) {
    auto [b, e] = view_lines_.line(l, text.size());
    const float y = origin.y + fs * static_cast<float>(l);
    float x = origin.x;
    if (e - b > kMeasuredLine) {
      auto [vb, ve] = visible_bytes(text, b, e, skip, columns);
      x += column * static_cast<float>(vb - b);
      b = vb;
      e = ve;
    }
    if (e > b) dl->AddText(font, fs, ImVec2(x, y), col, text.data() + b, text.data() + e, 0.0f, &clip4);
  }

  end_box(f, w, lines, start, ImVec2(start.x + gutter_w, start.y + box.y), nullptr);
  return f;
}

// The end of begin_editor_box, for both: the frame's figures from its scrolling child `child`,
// the child ended, the gutter [gutter_min, gutter_max) drawn beside it.
void Editor::end_box(EditorFrame& f, ImGuiWindow* child, size_t lines, ImVec2 gutter_min, ImVec2 gutter_max,
                     const std::vector<GutterMark>* gutter) {
  f.min = child->InnerRect.Min;
  f.max = child->InnerRect.Max;
  f.line_height = ImGui::GetFontSize();
  f.scroll = child->Scroll;
  const float top = child->Pos.y + ImGui::GetStyle().FramePadding.y - child->Scroll.y;
  ImGui::EndChild();
  draw_gutter(lines, gutter_min, gutter_max, top, gutter);
}

void Editor::scroll_to(const std::string& text, uint32_t offset, ImVec2 visible) {
  const ImGuiStyle& style = ImGui::GetStyle();
  const float fs = ImGui::GetFontSize();
  offset = std::min<uint32_t>(offset, static_cast<uint32_t>(text.size()));
  const std::vector<uint32_t>& starts = input_lines_.starts;
  const size_t line = std::upper_bound(starts.begin(), starts.end(), offset) - starts.begin() - 1;
  const float y = style.FramePadding.y + fs * static_cast<float>(line);
  const float x = style.FramePadding.x + text_width(text.data() + starts[line], text.data() + offset);
  const float sx = ImGui::GetScrollX(), sy = ImGui::GetScrollY();
  if (y < sy) ImGui::SetScrollY(std::max(0.0f, y - style.FramePadding.y));
  else if (y + fs > sy + visible.y) ImGui::SetScrollY(y + fs + style.FramePadding.y - visible.y);
  const float margin = fs * 2;
  if (x < sx + margin) ImGui::SetScrollX(std::max(0.0f, x - margin * 2));
  else if (x > sx + visible.x - margin) ImGui::SetScrollX(x - visible.x + margin * 2);
}

void Editor::paint(ImGuiWindow* child, const ImRect& frame_clip, ImGuiID id, const std::string& text, ImVec2 origin,
                   const EditorDecor& decor, int cursor, bool active) {
  const float fs = ImGui::GetFontSize();
  ImFont* font = ImGui::GetFont();
  ImRect clip = child->InnerClipRect;
  clip.ClipWithFull(frame_clip);  // not over the frame's scrollbars
  ImDrawList* dl = child->DrawList;
  dl->PushClipRect(clip.Min, clip.Max, false);
  const uint32_t n = static_cast<uint32_t>(text.size());
  const std::vector<uint32_t>& starts = input_lines_.starts;
  const size_t lines = starts.size();
  const size_t first = static_cast<size_t>(std::clamp((clip.Min.y - origin.y) / fs, 0.0f, static_cast<float>(lines)));
  const size_t last = static_cast<size_t>(std::clamp((clip.Max.y - origin.y) / fs + 1.0f, 0.0f, static_cast<float>(lines)));
  auto line_end = [&](size_t l) { return l + 1 < lines ? starts[l + 1] - 1 : n; };
  auto line_of = [&](uint32_t off) {
    return static_cast<size_t>(std::upper_bound(starts.begin(), starts.end(), off) - starts.begin() - 1);
  };
  auto x_at = [&](size_t l, uint32_t off) { return origin.x + text_width(text.data() + starts[l], text.data() + off); };
  static const char kSpace[] = " ";
  const float space_w = text_width(kSpace, kSpace + 1);

  // Find matches, behind the text.
  if (decor.matches) {
    for (size_t i = 0; i < decor.matches->size(); ++i) {
      auto [b, e] = (*decor.matches)[i];
      b = std::min(b, n);
      e = std::clamp(e, b, n);
      for (size_t l = line_of(b); l < lines && starts[l] <= e; ++l) {
        if (l < first || l >= last) {
          if (l >= last) break;
          continue;
        }
        uint32_t sb = std::max(b, starts[l]), se = std::min(e, line_end(l));
        float x0 = x_at(l, sb), x1 = std::max(x_at(l, se), x0 + space_w * 0.5f);
        float y = origin.y + fs * static_cast<float>(l);
        const bool current = static_cast<int>(i) == decor.current_match;
        dl->AddRectFilled(ImVec2(x0, y), ImVec2(x1, y + fs), current ? decor.current_match_color : decor.match_color, 2.0f);
        if (current) dl->AddRect(ImVec2(x0, y), ImVec2(x1, y + fs), decor.token_colors[0], 2.0f);
      }
    }
  }

  // The text, coloured by token.
  static const std::vector<Span> none;
  const std::vector<Span>& spans = decor.spans && first < last ? decor.spans(starts[first], line_end(last - 1)) : none;
  for (size_t l = first; l < last; ++l) {
    const uint32_t ls = starts[l], le = line_end(l);
    float x = origin.x;
    const float y = origin.y + fs * static_cast<float>(l);
    auto it = std::upper_bound(spans.begin(), spans.end(), ls, [](uint32_t v, const Span& s) { return v < s.end; });
    uint32_t pos = ls;
    auto segment = [&](uint32_t b, uint32_t e, ImU32 col) {
      if (e <= b) return;
      dl->AddText(font, fs, ImVec2(x, y), col, text.data() + b, text.data() + e);
      x += text_width(text.data() + b, text.data() + e);
    };
    while (pos < le) {
      if (it == spans.end() || it->begin >= le) {
        segment(pos, le, decor.token_colors[0]);
        break;
      }
      if (it->begin > pos) {
        segment(pos, it->begin, decor.token_colors[0]);
        pos = it->begin;
      }
      const uint32_t e = std::min(it->end, le);
      segment(pos, e, decor.token_colors[static_cast<int>(it->token)]);
      pos = e;
      if (it->end <= le) ++it;
    }
  }

  // Wavy underlines (diagnostics), with a tooltip for the one under the mouse.
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  const EditorMark* hovered = nullptr;
  if (decor.marks) {
    const float thickness = std::max(1.0f, std::floor(fs / 14.0f));
    ImVector<ImVec2> wave;
    for (const auto& m : *decor.marks) {
      uint32_t b = std::min(m.begin, n), e = std::min(std::max(m.end, m.begin), n);
      for (size_t l = line_of(b); l < lines; ++l) {
        const uint32_t ls = starts[l], le = line_end(l);
        const float y = origin.y + fs * static_cast<float>(l);
        if (y > clip.Max.y) break;
        const uint32_t sb = std::max(b, ls), se = std::min(e, le);
        if (y + fs >= clip.Min.y) {
          float x0 = x_at(l, sb), x1 = x_at(l, se);
          if (x1 - x0 < space_w) x1 = x0 + space_w;  // empty range: one column
          const float base = std::floor(y + fs - thickness);
          const float amp = std::max(1.0f, std::floor(fs / 10.0f)), step = amp * 2.0f;
          wave.resize(0);
          for (float x = x0; x < x1 + step * 0.5f; x += step)
            wave.push_back(ImVec2(std::min(x, x1), base - ((wave.Size & 1) ? amp : 0.0f)));
          if (wave.Size >= 2) dl->AddPolyline(wave.Data, wave.Size, m.color, ImDrawFlags_None, thickness);
          else dl->AddLine(ImVec2(x0, base), ImVec2(x1, base), m.color, thickness);
          if (!hovered && mouse.x >= x0 && mouse.x < x1 && mouse.y >= y && mouse.y < y + fs && clip.Contains(mouse))
            hovered = &m;
        }
        if (e <= le) break;
      }
    }
  }

  // The caret (the input's own is invisible with its text), blinking as ImGui's does.
  if (active && cursor >= 0) {
    bool on = true;
    if (ImGuiInputTextState* st = ImGui::GetInputTextState(id); st && ImGui::GetIO().ConfigInputTextCursorBlink)
      on = st->CursorAnim <= 0.0f || ImFmod(st->CursorAnim, 1.20f) <= 0.80f;
    if (on) {
      const uint32_t c = std::min<uint32_t>(static_cast<uint32_t>(cursor), n);
      const size_t l = line_of(c);
      const float x = std::floor(x_at(l, c)), y = origin.y + fs * static_cast<float>(l);
      dl->AddRectFilled(ImVec2(x, y), ImVec2(x + std::max(1.0f, std::floor(fs / 12.0f)), y + fs), decor.token_colors[0]);
    }
  }
  dl->PopClipRect();
  if (hovered && !hovered->message.empty()) ImGui::SetTooltip("%s", hovered->message.c_str());
}

void Editor::draw_gutter(size_t lines, ImVec2 min, ImVec2 max, float top, const std::vector<GutterMark>* gutter) {
  const float fs = ImGui::GetFontSize();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(min, max, ImGui::GetColorU32(ImGuiCol_FrameBg, 0.6f));
  dl->PushClipRect(min, max, true);
  const size_t first = static_cast<size_t>(std::max(0.0f, std::floor((min.y - top) / fs)));
  const ImU32 num_col = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  const float bar_w = std::max(2.0f, std::floor(fs * 0.22f));
  const float bar_x = max.x - bar_w - std::floor(fs * 0.2f);
  for (size_t i = first; i < lines; ++i) {
    const float y = top + fs * static_cast<float>(i);
    if (y > max.y) break;
    char buf[16];
    ImFormatString(buf, sizeof buf, "%zu", i + 1);
    dl->AddText(ImVec2(bar_x - fs * 0.3f - ImGui::CalcTextSize(buf).x, y), num_col, buf);
  }
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  const GutterMark* hovered = nullptr;
  if (gutter) {
    for (const auto& gm : *gutter) {
      if (gm.first_line == 0) continue;
      const float y0 = top + fs * static_cast<float>(gm.first_line - 1) + 1.0f;
      const float y1 = top + fs * static_cast<float>(std::max(gm.first_line, gm.last_line)) - 1.0f;
      if (y1 < min.y || y0 > max.y) continue;
      dl->AddRectFilled(ImVec2(bar_x, y0), ImVec2(bar_x + bar_w, y1), gm.color, bar_w * 0.5f);
      if (!hovered && mouse.y >= y0 && mouse.y < y1 && mouse.x >= min.x && mouse.x < max.x) hovered = &gm;
    }
  }
  dl->PopClipRect();
  if (hovered && !hovered->message.empty() && ImGui::IsWindowHovered()) ImGui::SetTooltip("%s", hovered->message.c_str());
}

}  // namespace dfplay::app
