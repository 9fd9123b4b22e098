// The Dockerfile editor: ImGui's multi-line text input over a std::string, with a gutter (line
// numbers and a coloured bar per line, e.g. the cache status of the step written there),
// underlines for byte ranges (diagnostics) with a tooltip for the one under the mouse, and
// programmatic selection (a click on a step, a finding or a problem selects its line).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "imgui.h"

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

struct EditorFrame {
  bool changed = false;   // the text was edited this frame
  bool active = false;    // the editor has keyboard focus
  ImVec2 min, max;        // the editor's text frame, screen (device) pixels
  float line_height = 0;  // screen pixels
  std::optional<std::pair<uint32_t, uint32_t>> selection;  // while active: selected bytes [begin, end)
};

class Editor {
 public:
  // Draws the editor filling `size` (ImGui's sizing rules: 0 = default, negative = fill minus).
  // `select`: a byte range to select; the editor takes the keyboard focus, selects it, scrolls
  // to it and resets the optional once done.
  EditorFrame draw(const char* label, std::string& text, ImVec2 size, const std::vector<EditorMark>& marks,
                   const std::vector<GutterMark>& gutter, std::optional<std::pair<uint32_t, uint32_t>>& select);
  // The text was replaced from outside: drop keyboard focus so ImGui forgets its copy of the text.
  void reset(const char* label);

  bool read_only = false;  // the text can be selected and copied, not edited (embeds: readonly)

 private:
  void draw_marks(const char* label, unsigned id, const std::string& text, const std::vector<EditorMark>& marks);
  void draw_gutter(const char* label, unsigned id, const std::string& text, ImVec2 min, ImVec2 max,
                   const std::vector<GutterMark>& gutter);
};

}  // namespace dfplay::app
