// A Dockerfile above the core's size limit (limits::kMaxInputBytes, docs/limits.md) in the app:
// it is kept (nothing is lost) but not edited through ImGui's text input, which converts and scans
// the whole buffer on every edit and frame (tens to hundreds of ms per frame for megabytes). The
// editor shows it read-only, painting only the lines in view (Editor::draw_view), under a banner
// with this file's message; a paste that would take the text over the limit is applied by the app
// itself (AppState::paste) instead of by the input.
//
// Pure logic (no ImGui): unit-tested natively (big_text_test.cpp).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dfplay::app {

// The text is above the limit: shown read-only, not analysed.
bool too_big(size_t bytes);

// The size of a text of `size` bytes once bytes [begin, end) are replaced by `inserted` bytes
// (begin and end clamped to the text, as the replacement clamps them).
size_t size_after_replace(size_t size, uint32_t begin, uint32_t end, size_t inserted);

// "5.1 MiB" (binary units, one decimal: as the core's limits/input-size message says it).
std::string mebibytes(size_t bytes);

// The banner over the read-only view: what happened, the limit, what to do.
std::string too_big_message(size_t bytes);
// The autosave's notice for such a text: it is not saved, the last save stays (short: it is shown
// above the banner, which gives the size).
std::string too_big_autosave_notice();

// Where each line starts, and the longest line (bytes), made in one pass.
struct LineIndex {
  std::vector<uint32_t> starts;  // the first is 0
  uint32_t longest = 0;          // the longest line's length in bytes, without its '\n'
  void build(std::string_view text);
  size_t lines() const { return starts.size(); }
  // Line `l`'s bytes [begin, end), without its '\n' (`size` is the text's).
  std::pair<uint32_t, uint32_t> line(size_t l, size_t size) const;
};

// The part of a line [begin, end) to paint when `skip` columns are scrolled out on the left and
// `columns` fit in view, one column per byte (exact for ASCII, the common case; a line with
// multi-byte characters is painted a little to the right of where its columns would be, never
// cut inside a character): both ends moved back to the start of a UTF-8 character. For lines too
// long to measure in every frame.
std::pair<uint32_t, uint32_t> visible_bytes(std::string_view text, uint32_t begin, uint32_t end, size_t skip, size_t columns);

}  // namespace dfplay::app
