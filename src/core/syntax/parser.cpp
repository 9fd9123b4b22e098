// Placeholder so the skeleton links; replaced by the real parser.
#include "syntax/parser.h"

#include <cctype>

namespace dfplay::syntax {

std::string_view keyword_name(Keyword k) {
  static constexpr std::string_view names[] = {
      "", "add", "arg", "cmd", "copy", "entrypoint", "env", "expose", "from", "healthcheck",
      "label", "maintainer", "onbuild", "run", "shell", "stopsignal", "user", "volume", "workdir"};
  return names[static_cast<int>(k)];
}

Keyword keyword_from(std::string_view word) {
  std::string lower;
  for (char c : word) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  for (int i = 1; i <= static_cast<int>(Keyword::Workdir); ++i)
    if (keyword_name(static_cast<Keyword>(i)) == lower) return static_cast<Keyword>(i);
  return Keyword::Unknown;
}

Dockerfile parse(std::string_view text) {
  Dockerfile df;
  uint32_t line = 1, offset = 0;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view l = text.substr(pos, eol - pos);
    size_t i = l.find_first_not_of(" \t");
    if (i != std::string_view::npos && l[i] != '#') {
      size_t j = l.find_first_of(" \t", i);
      std::string_view kw = l.substr(i, j == std::string_view::npos ? l.size() - i : j - i);
      Node n;
      n.keyword = keyword_from(kw);
      n.keyword_text = std::string(kw);
      n.range = {{line, static_cast<uint32_t>(i + 1), offset}, {line, static_cast<uint32_t>(l.size() + 1), offset + static_cast<uint32_t>(l.size())}};
      df.nodes.push_back(std::move(n));
    }
    offset += static_cast<uint32_t>(eol - pos + 1);
    ++line;
    pos = eol + 1;
  }
  return df;
}

std::string dump(const Dockerfile&) { return {}; }

}  // namespace dfplay::syntax
