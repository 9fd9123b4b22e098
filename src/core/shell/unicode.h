// UTF-8 and Unicode helpers with Go's exact semantics, for code that must behave like BuildKit
// (which is written in Go): decoding (invalid bytes become U+FFFD, one byte at a time), the
// unicode.IsLetter / IsDigit / IsSpace / IsPrint classes (Unicode 15.0.0, as in Go 1.21+), and
// strconv.Quote (Go's %q), which BuildKit uses in messages and in its AST dump.
//
// The shell module's names for the one implementation in syntax/text.h (which the parser, the
// build context and the checks use too).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "syntax/text.h"

namespace dfplay::shell {

inline constexpr char32_t kRuneError = syntax::text::kRuneError;

struct DecodedRune {
  char32_t rune = 0;
  uint32_t width = 0;  // bytes consumed; 0 only at the end of the input
};

// Go's utf8.DecodeRuneInString(s[i:]): a valid sequence gives its code point; an invalid or
// truncated one (including surrogates and overlong forms) gives (U+FFFD, 1).
inline DecodedRune decode_rune(std::string_view s, size_t i) {
  if (i >= s.size()) return {kRuneError, 0};
  const syntax::text::Rune r = syntax::text::decode(s, i);
  return {r.cp, r.width};
}

// Go's WriteRune / string(rune): UTF-8 encoding; surrogates and values above U+10FFFF are
// written as U+FFFD.
inline void append_rune(std::string& out, char32_t r) { syntax::text::append_rune(out, r); }
inline std::string rune_string(char32_t r) {
  std::string s;
  append_rune(s, r);
  return s;
}

inline bool is_letter(char32_t r) { return syntax::text::is_letter(r); }  // unicode.IsLetter (L*)
inline bool is_digit(char32_t r) { return syntax::text::is_digit(r); }    // unicode.IsDigit (Nd)
inline bool is_space(char32_t r) { return syntax::text::is_space(r); }    // unicode.IsSpace
inline bool is_print(char32_t r) { return syntax::text::is_print(r); }    // strconv.IsPrint

// Go's strconv.Quote: double-quoted, `"` and `\` escaped, printable runes kept, control and
// non-printable runes as \a \b \f \n \r \t \v \xNN \uNNNN \UNNNNNNNN, invalid bytes as \xNN.
inline std::string go_quote(std::string_view s) { return syntax::text::go_quote(s); }

// Go's strings.TrimSpace (Unicode white space on both ends).
inline std::string_view go_trim_space(std::string_view s) { return syntax::text::trim(s); }

}  // namespace dfplay::shell
