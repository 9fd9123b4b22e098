#include "model/big_text.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "pipeline_limits.h"

namespace dfplay::app {

bool too_big(size_t bytes) { return bytes > limits::kMaxInputBytes; }

size_t size_after_replace(size_t size, uint32_t begin, uint32_t end, size_t inserted) {
  const size_t b = std::min<size_t>(begin, size);
  const size_t e = std::clamp<size_t>(end, b, size);
  return size - (e - b) + inserted;
}

std::string mebibytes(size_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f MiB", static_cast<double>(bytes) / (1 << 20));
  return buf;
}

std::string too_big_message(size_t bytes) {
  return "This Dockerfile is " + mebibytes(bytes) + ": the playground edits and analyses Dockerfiles up to " +
         std::to_string(limits::kMaxInputBytes >> 20) +
         " MiB (see docs/limits.md), so it is shown read-only and not analysed. Undo (Ctrl+Z) goes back; "
         "Clear empties it.";
}

std::string too_big_autosave_notice() {
  return "Not autosaved: above the " + std::to_string(limits::kMaxInputBytes >> 20) +
         " MiB limit (a reload brings back the last save).";
}

void LineIndex::build(std::string_view text) {
  starts.clear();
  starts.push_back(0);
  longest = 0;
  const char* p = text.data();
  const char* end = p + text.size();
  uint32_t start = 0;
  while (p < end) {
    const void* nl = std::memchr(p, '\n', static_cast<size_t>(end - p));
    if (!nl) break;
    const auto at = static_cast<uint32_t>(static_cast<const char*>(nl) - text.data());
    longest = std::max(longest, at - start);
    start = at + 1;
    starts.push_back(start);
    p = static_cast<const char*>(nl) + 1;
  }
  longest = std::max(longest, static_cast<uint32_t>(text.size()) - start);
}

std::pair<uint32_t, uint32_t> LineIndex::line(size_t l, size_t size) const {
  const uint32_t b = starts[l];
  const uint32_t e = l + 1 < starts.size() ? starts[l + 1] - 1 : static_cast<uint32_t>(size);
  return {b, e};
}

std::pair<uint32_t, uint32_t> visible_bytes(std::string_view text, uint32_t begin, uint32_t end, size_t skip, size_t columns) {
  end = std::min<uint32_t>(end, static_cast<uint32_t>(text.size()));
  begin = std::min(begin, end);
  auto back_to_char = [&](uint32_t at) {  // not inside a UTF-8 sequence (at most 3 continuation bytes back)
    for (int k = 0; k < 3 && at > begin && at < end && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80; ++k) --at;
    return at;
  };
  const uint32_t b = back_to_char(static_cast<uint32_t>(std::min<size_t>(begin + skip, end)));
  const uint32_t e = static_cast<uint32_t>(std::min<size_t>(static_cast<size_t>(begin) + skip + columns, end));
  return {b, std::max(b, e == end ? e : back_to_char(e))};
}

}  // namespace dfplay::app
