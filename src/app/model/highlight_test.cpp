#include "model/highlight.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

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

TEST_CASE("highlight: a window of the text has the whole text's spans, cut to it") {
  const std::string text =
      "# syntax=docker/dockerfile:1\n"
      "ARG BASE=alpine\n"
      "FROM ${BASE} AS build  \n"
      "# a comment\n"
      "RUN --mount=type=cache,target=/root/.cache \\\n"
      "    echo \"hello $NAME\" 'single $x' && \\\n"
      "  # inside a continuation\n"
      "    ls ${DIR:-/tmp}\n"
      "COPY <<EOF /etc/conf\n"
      "body $VAR line\n"
      "EOF\n"
      "ONBUILD RUN echo \"$HOME\"\n"
      "CMD [\"node\", \"server.js\"]\n";
  auto df = dfplay::syntax::parse(text);
  const auto whole = highlight(text, df);
  const uint32_t n = static_cast<uint32_t>(text.size());
  for (uint32_t b = 0; b <= n; b += 7) {
    for (uint32_t e = b; e <= n + 3; e += 11) {
      std::vector<Span> cut;
      for (Span s : whole) {
        s.begin = std::max(s.begin, b);
        s.end = std::min(s.end, std::min(e, n));
        if (s.begin < s.end) cut.push_back(s);
      }
      CHECK_MESSAGE(highlight(text, df, b, e) == cut, "window [" << b << ", " << e << ")");
    }
  }
  CHECK(highlight(text, df, 0, n) == whole);
  CHECK(highlight(text, df, n, n).empty());
}
