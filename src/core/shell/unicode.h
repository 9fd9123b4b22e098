// UTF-8 and Unicode helpers with Go's exact semantics, for code that must behave like BuildKit
// (which is written in Go): decoding (invalid bytes become U+FFFD, one byte at a time), the
// unicode.IsLetter / IsDigit / IsSpace / IsPrint classes (Unicode 15.0.0, as in Go 1.21+), and
// strconv.Quote (Go's %q), which BuildKit uses in messages and in its AST dump.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace dfplay::shell {

inline constexpr char32_t kRuneError = 0xFFFD;

struct DecodedRune {
  char32_t rune = 0;
  uint32_t width = 0;  // bytes consumed; 0 only at the end of the input
};

// Go's utf8.DecodeRuneInString(s[i:]): a valid sequence gives its code point; an invalid or
// truncated one (including surrogates and overlong forms) gives (U+FFFD, 1).
DecodedRune decode_rune(std::string_view s, size_t i);

// Go's WriteRune / string(rune): UTF-8 encoding; surrogates and values above U+10FFFF are
// written as U+FFFD.
void append_rune(std::string& out, char32_t r);
std::string rune_string(char32_t r);

bool is_letter(char32_t r);  // unicode.IsLetter (categories L*)
bool is_digit(char32_t r);   // unicode.IsDigit (category Nd)
bool is_space(char32_t r);   // unicode.IsSpace (White_Space)
bool is_print(char32_t r);   // unicode.IsPrint / strconv.IsPrint (L, M, N, P, S and ' ')

// Go's strconv.Quote: double-quoted, `"` and `\` escaped, printable runes kept, control and
// non-printable runes as \a \b \f \n \r \t \v \xNN \uNNNN \UNNNNNNNN, invalid bytes as \xNN.
std::string go_quote(std::string_view s);

// Go's strings.TrimSpace (Unicode white space on both ends).
std::string_view go_trim_space(std::string_view s);

}  // namespace dfplay::shell
