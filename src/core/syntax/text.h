// Text helpers that reproduce Go's standard-library behaviour where BuildKit depends on it:
// UTF-8 decoding (utf8.DecodeRune), unicode.IsSpace, strings.TrimSpace, strconv.Quote,
// strings.ToLower. Byte-oriented, locale-free, allocation-free unless they build a string.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace dfplay::syntax::text {

inline constexpr char32_t kRuneError = 0xFFFD;

struct Rune {
  char32_t cp;  // kRuneError for an invalid or truncated sequence
  uint32_t width;  // bytes consumed: 1 for an invalid sequence (like Go)
};

// Go's utf8.DecodeRuneInString. `i` must be < s.size().
Rune decode(std::string_view s, size_t i);

// Appends the UTF-8 encoding of `r` (U+FFFD for surrogates and values > U+10FFFF).
void append_rune(std::string& out, char32_t r);

// Go's unicode.IsSpace.
constexpr bool is_space(char32_t r) {
  if (r <= 0xFF) return r == ' ' || (r >= '\t' && r <= '\r') || r == 0x85 || r == 0xA0;
  return r == 0x1680 || (r >= 0x2000 && r <= 0x200A) || r == 0x2028 || r == 0x2029 ||
         r == 0x202F || r == 0x205F || r == 0x3000;
}
// unicode.IsSpace applied to a single byte taken as a rune (Go code that does rune(s[i])).
constexpr bool is_space_byte(unsigned char b) {
  return b == ' ' || (b >= '\t' && b <= '\r') || b == 0x85 || b == 0xA0;
}
// The regexp class [\t\v\f\r ] BuildKit splits on.
constexpr bool is_ws_class(char c) {
  return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r';
}

// Number of leading bytes that are Unicode white space (bytes.TrimLeftFunc(s, unicode.IsSpace)).
size_t space_prefix(std::string_view s);
// Number of trailing bytes that are Unicode white space.
size_t space_suffix(std::string_view s);
inline std::string_view trim_left(std::string_view s) { return s.substr(space_prefix(s)); }
// strings.TrimSpace.
inline std::string_view trim(std::string_view s) {
  s = s.substr(space_prefix(s));
  return s.substr(0, s.size() - space_suffix(s));
}

// Go's strconv.IsPrint (Unicode 15.0 tables).
bool is_print(char32_t r);
// Go's unicode.IsLetter (categories L*) and unicode.IsDigit (category Nd).
bool is_letter(char32_t r);
bool is_digit(char32_t r);
// Go's unicode.ToLower (simple case mapping).
char32_t to_lower(char32_t r);
// Go's strings.ToLower: invalid UTF-8 bytes become U+FFFD.
std::string to_lower(std::string_view s);

// Appends Go's strconv.Quote(s) (also the element format of fmt's %q on a []string).
void append_go_quote(std::string& out, std::string_view s);
inline std::string go_quote(std::string_view s) {
  std::string out;
  append_go_quote(out, s);
  return out;
}

// True when `s` is valid UTF-8 (no surrogates, no overlong forms).
bool valid_utf8(std::string_view s);
// Replaces every invalid byte by U+FFFD (so that JSON serialisers accept the text).
std::string sanitize_utf8(std::string_view s);

}  // namespace dfplay::syntax::text
