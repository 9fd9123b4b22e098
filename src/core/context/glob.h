// Go's filepath.Match (Unix flavour), the matcher BuildKit uses for COPY/ADD source wildcards
// and for the syntax check of .dockerignore patterns.
//
//   pattern: { term }
//   term:    '*'         any sequence of non-'/' characters
//            '?'         any single non-'/' character
//            '[' [ '^' ] { character-range } ']'   a class (it may match '/'); no '!' negation
//            '\\' c      the character c
//            c           the character c (c != '*', '?', '\\', '[')
//   character-range: c [ '-' c ],  c: any character but '\\', '-', ']' (unless escaped)
//
// There is no "**": two stars are just two stars (one path component). Matching is linear in
// the length of the name times the length of the pattern; there is no backtracking blow-up.
#pragma once
#include <string>
#include <string_view>

namespace dfplay::context {

// True when `pattern` is well formed. Otherwise `why` (optional) gets a lower-case reason;
// BuildKit itself only says "syntax error in pattern" (Go's filepath.ErrBadPattern).
bool glob_valid(std::string_view pattern, std::string* why = nullptr);

// Go's filepath.Match(pattern, name) for a pattern that passed glob_valid (for a malformed
// pattern the result is unspecified; Go returns an error).
bool glob_match(std::string_view pattern, std::string_view name);

// BuildKit's containsWildcards: an unescaped '*', '?' or '['. A backslash escapes the next
// byte (so "a\*" has none).
bool has_wildcards(std::string_view s);

}  // namespace dfplay::context
