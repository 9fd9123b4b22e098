// ASCII case folding, the one implementation (keywords, flags, stage names, image references and
// the like are ASCII in BuildKit's rules; Go's strings.ToLower for any text is syntax/text.h's
// to_lower).
#pragma once
#include <string>
#include <string_view>

namespace dfplay::syntax {

inline char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

inline std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

}  // namespace dfplay::syntax
