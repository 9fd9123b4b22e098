#include "model/highlight.h"

#include <doctest/doctest.h>

#include <string>

#include "syntax/parser.h"

using dfplay::app::highlight;
using dfplay::app::Span;
using dfplay::app::Token;

namespace {

// The token of every byte of `text`, one letter each: . plain, K keyword, F flag, S string,
// V variable, C comment, H heredoc, D directive.
std::string classes(const std::string& text) {
  auto df = dfplay::syntax::parse(text);
  std::string out(text.size(), '.');
  const char* letters = ".KFSVCHD";
  for (const Span& s : highlight(text, df))
    for (uint32_t i = s.begin; i < s.end; ++i) out[i] = letters[static_cast<int>(s.token)];
  for (size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n') out[i] = '\n';
  return out;
}

}  // namespace

TEST_CASE("highlight: keywords, flags, strings, variables") {
  const std::string text = "FROM node:20 AS build\nCOPY --from=build /a \"/b c\"\nRUN echo $HOME '${X}' \"v=${V:-1}\"\n";
  CHECK(classes(text) ==
        "KKKK.........KK......\n"
        "KKKK.FFFFFFF.........SSSSSS\n"
        "KKK......VVVVV.SSSSSS.SSSVVVVVVVS\n");
}

TEST_CASE("highlight: comments, directives, heredocs, exec form") {
  const std::string text =
      "# syntax=docker/dockerfile:1\n"
      "# a comment\n"
      "FROM alpine\n"
      "RUN <<EOF\n"
      "# not a comment\n"
      "EOF\n"
      "CMD [\"sh\", \"-c\"]\n";
  CHECK(classes(text) ==
        "DDDDDDDDDDDDDDDDDDDDDDDDDDDD\n"
        "CCCCCCCCCCC\n"
        "KKKK.......\n"
        "KKK.HHHHH\n"
        "HHHHHHHHHHHHHHH\n"
        "HHH\n"
        "KKK..SSSS..SSSS.\n");
}

TEST_CASE("highlight: a comment between continuation lines, a broken instruction, an empty text") {
  const std::string text = "RUN a \\\n  # note's\n  b\nFROM\n";
  const std::string c = classes(text);
  CHECK(c.substr(0, 3) == "KKK");
  CHECK(c.substr(10, 8) == "CCCCCCCC");
  CHECK(classes("").empty());
  CHECK(classes("FROM \"unterminated\nRUN x").size() == 24);  // no crash, sizes kept
}
