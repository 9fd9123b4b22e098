// The width of each line of the editor's text, kept across edits: after an edit only the lines it
// touched are measured again (a measure of every line is a pass over every glyph: ~10 ms per
// keystroke for big.Dockerfile in the app's wasm). The widest sets the text input's width.
//
// Pure logic (no ImGui; the measure is passed in): unit-tested natively (line_widths_test.cpp).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace dfplay::app {

class LineWidths {
 public:
  // The width of the bytes [begin, end) of one line (no '\n' in them).
  using Measure = float (*)(const char* begin, const char* end);

  // Brings the widths up to `text`, whose lines start at `starts` (LineIndex::starts); returns
  // the widest. A `scale` other than the last one's (the font size) measures every line again.
  float update(const std::string& text, const std::vector<uint32_t>& starts, float scale, Measure measure);

  float widest() const { return widest_; }
  size_t lines_measured() const { return last_measured_; }  // by the last update (tests)

 private:
  std::string text_;           // the text the widths are of
  std::vector<float> widths_;  // one per line
  float scale_ = 0;
  float widest_ = 0;
  size_t last_measured_ = 0;
};

}  // namespace dfplay::app
