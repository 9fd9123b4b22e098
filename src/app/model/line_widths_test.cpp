#include "line_widths.h"

#include "big_text.h"

#include <doctest/doctest.h>

#include <random>
#include <string>
#include <vector>

namespace dfplay::app {
namespace {

// One unit per byte; a tab four (the measure is the caller's: any function of the line's bytes).
float measure(const char* b, const char* e) {
  float w = 0;
  for (; b != e; ++b) w += *b == '\t' ? 4.0f : 1.0f;
  return w;
}

std::vector<uint32_t> starts_of(const std::string& text) {
  LineIndex index;
  index.build(text);
  return index.starts;
}

// The widest line of `text`, measured from scratch.
float widest_of(const std::string& text) {
  LineWidths fresh;
  return fresh.update(text, starts_of(text), 1.0f, measure);
}

float update(LineWidths& w, const std::string& text, float scale = 1.0f) {
  return w.update(text, starts_of(text), scale, measure);
}

TEST_CASE("line widths: the first update and a new scale measure every line; an unchanged text none") {
  LineWidths w;
  CHECK(update(w, "FROM a\nRUN make all\nCOPY . .") == 12.0f);
  CHECK(w.lines_measured() == 3);
  CHECK(update(w, "FROM a\nRUN make all\nCOPY . .") == 12.0f);
  CHECK(w.lines_measured() == 0);
  update(w, "FROM a\nRUN make all\nCOPY . .", 2.0f);
  CHECK(w.lines_measured() == 3);
  LineWidths empty;
  CHECK(update(empty, "") == 0.0f);
  CHECK(empty.lines_measured() == 1);
}

TEST_CASE("line widths: an edit measures only the lines it touched") {
  LineWidths w;
  std::string text = "FROM a\nRUN make\nCOPY . .\nCMD x";
  update(w, text);
  text.insert(10, " all the things");  // inside the RUN line
  CHECK(update(w, text) == 23.0f);
  CHECK(w.lines_measured() == 1);
  text.erase(10, 15);  // the widest line shrinks back
  CHECK(update(w, text) == 8.0f);
  CHECK(w.lines_measured() == 1);
  text.insert(7, "ENV A=1\n");  // a new line before the RUN
  CHECK(update(w, text) == 8.0f);
  CHECK(w.lines_measured() == 2);
  text += "\nEXPOSE 8080 8081 8082";  // a line at the end
  CHECK(update(w, text) == 21.0f);
  CHECK(w.lines_measured() == 2);
  text.erase(0, text.find('\n') + 1);  // the first line
  CHECK(update(w, text) == 21.0f);
  CHECK(w.lines_measured() == 1);
}

TEST_CASE("line widths: any sequence of edits gives the widths of a fresh measure") {
  std::mt19937 rng(7);
  const std::string pieces[] = {"\n", "a", "RUN x", "\t", "\n\n", "long long line\n", "é", ""};
  std::string text = "FROM a\nRUN b\n";
  LineWidths w;
  update(w, text);
  for (int i = 0; i < 2000; ++i) {
    const size_t at = text.empty() ? 0 : rng() % (text.size() + 1);
    const size_t len = std::min<size_t>(rng() % 6, text.size() - at);
    text.replace(at, rng() % 3 == 0 ? len : 0, pieces[rng() % std::size(pieces)]);
    if (text.size() > 400) text.erase(0, 200);
    REQUIRE(update(w, text) == widest_of(text));
  }
}

}  // namespace
}  // namespace dfplay::app
