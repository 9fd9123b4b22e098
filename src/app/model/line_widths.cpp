#include "line_widths.h"

#include <algorithm>

#include "undo_history.h"

namespace dfplay::app {

float LineWidths::update(const std::string& text, const std::vector<uint32_t>& starts, float scale, Measure measure) {
  const size_t lines = starts.size(), n = text.size();
  auto width = [&](size_t i) {
    const uint32_t b = starts[i], e = i + 1 < lines ? starts[i + 1] - 1 : static_cast<uint32_t>(n);
    return measure(text.data() + b, text.data() + e);
  };
  last_measured_ = 0;
  if (scale != scale_ || widths_.empty()) {  // every line
    widths_.resize(lines);
    for (size_t i = 0; i < lines; ++i) widths_[i] = width(i);
    last_measured_ = lines;
  } else if (text != text_) {
    // The texts differ between a common prefix and a common suffix (diff_text, the undo
    // history's). Unchanged: the lines before the one holding the prefix's end, and the lines
    // starting after the suffix's first byte (a '\n' of the suffix starts each: as many in both
    // texts, the last ones of each).
    const TextEdit d = diff_text(text_, text);
    const size_t suffix_begin = size_t{d.pos} + d.inserted;  // in the new text
    size_t tail = 0;
    while (tail < lines && starts[lines - 1 - tail] > suffix_begin) ++tail;
    const auto first = static_cast<size_t>(std::upper_bound(starts.begin(), starts.end(), d.pos) - starts.begin()) - 1;
    std::vector<float> widths(lines);
    std::copy_n(widths_.begin(), first, widths.begin());
    std::copy_n(widths_.end() - static_cast<std::ptrdiff_t>(tail), tail, widths.end() - static_cast<std::ptrdiff_t>(tail));
    for (size_t i = first; i < lines - tail; ++i) widths[i] = width(i);
    widths_.swap(widths);
    last_measured_ = lines - tail - first;
  } else {
    return widest_;
  }
  text_ = text;
  scale_ = scale;
  widest_ = 0;
  for (float w : widths_) widest_ = std::max(widest_, w);
  return widest_;
}

}  // namespace dfplay::app
