// The Dockerfile editor: ImGui's multi-line text input for the editing itself (cursor, selection,
// clipboard, keyboard), drawn with its own text invisible and painted over by the editor: syntax
// colours (model/highlight.h), find matches, wavy underlines for byte ranges (diagnostics) with a
// tooltip, and the caret. Around it: a gutter (line numbers and a coloured bar per line, e.g. the
// cache status of the step written there) and a scrolling frame in both directions, so long
// lines scroll horizontally instead of being clipped.
//
// Text replaced from outside (undo, an example, Apply fix) is pushed into the active input
// through its callback, so the editor keeps the focus and ImGui forgets nothing stale.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "imgui.h"
#include "model/big_text.h"
#include "model/highlight.h"
#include "model/line_widths.h"

struct ImGuiWindow;
struct ImRect;

namespace dfplay::app {

struct EditorMark {
  uint32_t begin = 0, end = 0;  // byte offsets [begin, end) into the text; empty = one column wide
  ImU32 color = IM_COL32(255, 80, 80, 255);
  std::string message;          // tooltip
};

struct GutterMark {
  uint32_t first_line = 0, last_line = 0;  // 1-based, inclusive
  ImU32 color = 0;
  std::string message;  // tooltip over the bar
};

// What the editor paints besides the text.
struct EditorDecor {
  // Syntax colours (sorted) of the bytes [begin, end) of the text: asked for the lines in view
  // only, once per frame.
  const std::vector<Span>& (*spans)(uint32_t begin, uint32_t end) = nullptr;
  ImU32 token_colors[kTokenCount] = {};
  const std::vector<EditorMark>* marks = nullptr;  // underlines
  const std::vector<GutterMark>* gutter = nullptr;
  const std::vector<std::pair<uint32_t, uint32_t>>* matches = nullptr;  // find matches (bytes)
  int current_match = -1;
  ImU32 match_color = 0, current_match_color = 0;
};

struct EditorFrame {
  bool changed = false;   // the text was edited (typed) this frame
  bool active = false;    // the editor has keyboard focus
  ImVec2 min, max;        // the editor's visible text area, screen (device) pixels
  float line_height = 0;  // screen pixels
  ImVec2 scroll;          // the text's scroll offset, screen pixels
  std::optional<std::pair<uint32_t, uint32_t>> selection;  // while active: selected bytes [begin, end)
};

class Editor {
 public:
  // Draws the editor filling `size` (ImGui's sizing rules: 0 = default, negative = fill minus).
  // `generation` changes whenever `text` was replaced from outside. `select`: a byte range to
  // select; the editor takes the keyboard focus, selects it, scrolls to it and resets the
  // optional once done. `reveal`: a byte offset to scroll into view without taking the focus.
  EditorFrame draw(const char* label, std::string& text, uint64_t generation, ImVec2 size, const EditorDecor& decor,
                   std::optional<std::pair<uint32_t, uint32_t>>& select, std::optional<uint32_t> reveal = std::nullopt);

  // A text above the size limit (model/big_text.h), shown read-only without ImGui's text input:
  // the lines in view only (the line index is made once per `revision`), scrolling both ways,
  // the gutter's line numbers. Lines longer than kMeasuredLine bytes are placed one column per
  // byte (the font is monospaced; exact for ASCII), so that a frame never measures a whole
  // megabyte line.
  EditorFrame draw_view(const char* label, const std::string& text, uint64_t revision, ImVec2 size);
  static constexpr uint32_t kMeasuredLine = 4096;

  bool read_only = false;  // the text can be selected and copied, not edited (embeds: readonly)

 private:
  void paint(ImGuiWindow* input_child, const ImRect& frame_clip, ImGuiID id, const std::string& text, ImVec2 origin, const EditorDecor& decor,
             int cursor, bool active);
  void draw_gutter(size_t lines, ImVec2 min, ImVec2 max, float top, const std::vector<GutterMark>* gutter);
  void end_box(EditorFrame& f, ImGuiWindow* child, size_t lines, ImVec2 gutter_min, ImVec2 gutter_max,
               const std::vector<GutterMark>* gutter);
  void scroll_to(const std::string& text, uint32_t offset, ImVec2 visible);

  uint64_t generation_ = 0;
  int last_cursor_ = -1;
  size_t last_size_ = 0;
  // The input's text as lines: where each starts (found for a text of starts_size_ bytes), and
  // each one's width.
  void index_lines(const std::string& text);
  LineIndex input_lines_;
  size_t starts_size_ = SIZE_MAX;
  LineWidths widths_;
  LineIndex view_lines_;                   // draw_view's
  uint64_t view_revision_ = UINT64_MAX;
  size_t view_size_ = SIZE_MAX;
};

}  // namespace dfplay::app
