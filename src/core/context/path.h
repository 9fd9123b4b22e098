// Path helpers for the build context: Go's path.Clean, the order the context is sorted in,
// and small string utilities shared by the matchers.
//
// Context paths are relative, '/'-separated and clean: no leading '/', no "." or ".."
// components, no empty components. The root of the context is the empty path "".
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace dfplay::context {

// Go's path.Clean (and filepath.Clean on Unix): lexical processing only.
//   "a//b/./c/.." -> "a/b", "/../x" -> "/x", "../x" -> "../x", "" -> ".", "a/" -> "a".
std::string clean_path(std::string_view p);

// A context-relative path from user input: cleaned as if joined to "/" (so ".." can never
// leave the root, like BuildKit's path.Join("/", src)), then the leading '/' removed.
//   "./a/../b/" -> "b", "../../x" -> "x", "/" -> "", "." -> "".
// `escaped` (optional) is set when a ".." had to be dropped at the root.
std::string context_relative(std::string_view p, bool* escaped = nullptr);

// True when cleaning `p` relative to "." would leave it (a leading ".." component).
bool leaves_root(std::string_view p);

// The order of entries in a BuildContext: byte order with '/' sorting before every other
// byte. It equals comparing component by component, so a directory's descendants follow it
// contiguously ("a", "a/b", "a/c", "a.txt") and any string prefix selects one range.
int compare_paths(std::string_view a, std::string_view b);
inline bool path_less(std::string_view a, std::string_view b) { return compare_paths(a, b) < 0; }

// Parent directory ("" for a top-level entry) and last component of a clean relative path.
std::string_view parent_path(std::string_view p);
std::string_view base_name(std::string_view p);

// Joins two clean relative paths ("" is the root).
std::string join_path(std::string_view a, std::string_view b);

// Go's strings.TrimSpace for the whitespace a text file can hold (ASCII space, \t \n \v \f \r,
// U+0085 and U+00A0).
std::string_view trim_space(std::string_view s);

// Decodes one UTF-8 code point at s[i]; invalid bytes decode as U+FFFD of width 1 (like Go).
char32_t decode_rune(std::string_view s, size_t i, size_t* width);

}  // namespace dfplay::context
