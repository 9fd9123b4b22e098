// The Dockerfile editor: ImGui's multi-line text input over a std::string, plus underlines for
// byte ranges (diagnostics) with a tooltip for the one under the mouse.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "imgui.h"

namespace dfplay::app {

struct EditorMark {
  uint32_t begin = 0, end = 0;  // byte offsets [begin, end) into the text; empty = one column wide
  ImU32 color = IM_COL32(255, 80, 80, 255);
  std::string message;          // tooltip
};

struct EditorFrame {
  bool changed = false;   // the text was edited this frame
  bool active = false;    // the editor has keyboard focus
  ImVec2 min, max;        // the editor's frame, screen (device) pixels
  float line_height = 0;  // screen pixels
};

class Editor {
 public:
  // Draws the editor filling `size` (ImGui's sizing rules: 0 = default, negative = fill minus).
  EditorFrame draw(const char* label, std::string& text, ImVec2 size, const std::vector<EditorMark>& marks);
  // The text was replaced from outside: drop keyboard focus so ImGui forgets its copy of the text.
  void reset(const char* label);

 private:
  void draw_marks(const char* label, unsigned id, const std::string& text, const std::vector<EditorMark>& marks);
};

}  // namespace dfplay::app
