#include "model/big_text.h"

#include <doctest/doctest.h>

#include <string>

#include "pipeline_limits.h"

using dfplay::app::LineIndex;
using dfplay::app::size_after_replace;
using dfplay::app::too_big;
using dfplay::app::too_big_autosave_notice;
using dfplay::app::too_big_message;
using dfplay::app::visible_bytes;

TEST_CASE("big text: too_big is the core's input limit, exclusive") {
  constexpr size_t limit = dfplay::limits::kMaxInputBytes;
  CHECK_FALSE(too_big(0));
  CHECK_FALSE(too_big(limit));
  CHECK(too_big(limit + 1));
}

TEST_CASE("big text: the size after a paste replaces the selection") {
  CHECK(size_after_replace(100, 10, 20, 5) == 95);
  CHECK(size_after_replace(100, 20, 10, 5) == 105);  // an empty range (end before begin): an insertion
  CHECK(size_after_replace(100, 100, 100, 7) == 107);
  CHECK(size_after_replace(100, 150, 300, 7) == 107);  // clamped to the text, as the replacement clamps
  CHECK(size_after_replace(100, 0, 100, 0) == 0);
}

TEST_CASE("big text: the messages give the size, the limit and the way back") {
  const std::string m = too_big_message(5'347'738);
  CHECK(m.find("5.1 MiB") != std::string::npos);
  CHECK(m.find("up to 2 MiB") != std::string::npos);
  CHECK(m.find("docs/limits.md") != std::string::npos);
  CHECK(m.find("Undo (Ctrl+Z)") != std::string::npos);
  CHECK(m.find("Clear") != std::string::npos);
  const std::string n = too_big_autosave_notice();
  CHECK(n == "Not autosaved: above the 2 MiB limit (a reload brings back the last save).");
}

TEST_CASE("big text: the line index finds every line start and the longest line") {
  LineIndex ix;
  ix.build("");
  CHECK(ix.lines() == 1);
  CHECK(ix.longest == 0);
  ix.build("FROM a\nRUN long line\n\nx");
  REQUIRE(ix.lines() == 4);
  CHECK(ix.starts[1] == 7);
  CHECK(ix.starts[2] == 21);
  CHECK(ix.starts[3] == 22);
  CHECK(ix.longest == 13);
  const std::string t = "FROM a\nRUN long line\n\nx";
  CHECK(ix.line(1, t.size()) == std::pair<uint32_t, uint32_t>{7, 20});
  CHECK(ix.line(2, t.size()) == std::pair<uint32_t, uint32_t>{21, 21});
  CHECK(ix.line(3, t.size()) == std::pair<uint32_t, uint32_t>{22, 23});
  ix.build("abc\n");  // a final newline: an empty last line
  CHECK(ix.lines() == 2);
  CHECK(ix.longest == 3);
  ix.build(std::string(70000, 'x'));  // one long line, no newline
  CHECK(ix.lines() == 1);
  CHECK(ix.longest == 70000);
}

TEST_CASE("big text: visible_bytes paints the columns in view, never inside a character") {
  const std::string ascii = "0123456789abcdef";
  CHECK(visible_bytes(ascii, 0, 16, 0, 4) == std::pair<uint32_t, uint32_t>{0, 4});
  CHECK(visible_bytes(ascii, 0, 16, 10, 100) == std::pair<uint32_t, uint32_t>{10, 16});
  CHECK(visible_bytes(ascii, 0, 16, 30, 4) == std::pair<uint32_t, uint32_t>{16, 16});  // scrolled past the end
  CHECK(visible_bytes(ascii, 4, 8, 1, 2) == std::pair<uint32_t, uint32_t>{5, 7});     // within a line
  // "aé€b": a(0) é(1,2) €(3,4,5) b(6)
  const std::string utf8 = "a\xC3\xA9\xE2\x82\xAC" "b";
  CHECK(visible_bytes(utf8, 0, 7, 2, 3) == std::pair<uint32_t, uint32_t>{1, 3});  // starts back at é, ends before €
  CHECK(visible_bytes(utf8, 0, 7, 4, 1) == std::pair<uint32_t, uint32_t>{3, 3});  // inside €: nothing whole fits
  CHECK(visible_bytes(utf8, 0, 7, 4, 10) == std::pair<uint32_t, uint32_t>{3, 7});
}
