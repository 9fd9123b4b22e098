// Source positions. Every token and node carries a Range so the editor can underline exactly.
#pragma once
#include <cstdint>

namespace dfplay {

// A point in the source text. `line` and `column` are 1-based; `column` counts bytes
// (UTF-8 code units) from the start of the line; `offset` is the 0-based byte offset.
struct Position {
  uint32_t line = 1;
  uint32_t column = 1;
  uint32_t offset = 0;
  friend bool operator==(const Position&, const Position&) = default;
};

// A half-open range [begin, end) of source bytes.
struct Range {
  Position begin;
  Position end;
  friend bool operator==(const Range&, const Range&) = default;
};

}  // namespace dfplay
