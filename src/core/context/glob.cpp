#include "context/glob.h"

#include "context/path.h"

namespace dfplay::context {
namespace {

constexpr char32_t kRuneError = 0xFFFD;

// Splits the next chunk off `pattern`: leading stars, then everything up to the next star that
// is not inside a character class.
struct Chunk {
  bool star = false;
  std::string_view text;
};

Chunk scan_chunk(std::string_view& pattern) {
  Chunk c;
  while (!pattern.empty() && pattern[0] == '*') {
    pattern.remove_prefix(1);
    c.star = true;
  }
  bool in_class = false;
  size_t i = 0;
  for (; i < pattern.size(); ++i) {
    char ch = pattern[i];
    if (ch == '\\') {
      if (i + 1 < pattern.size()) ++i;
    } else if (ch == '[') {
      in_class = true;
    } else if (ch == ']') {
      in_class = false;
    } else if (ch == '*' && !in_class) {
      break;
    }
  }
  c.text = pattern.substr(0, i);
  pattern.remove_prefix(i);
  return c;
}

// One character of a class range; false on a syntax error.
bool class_char(std::string_view& chunk, char32_t& out, std::string* why) {
  if (chunk.empty() || chunk[0] == '-' || chunk[0] == ']') {
    if (why) *why = chunk.empty() ? "unterminated character class" : "empty or malformed character range";
    return false;
  }
  if (chunk[0] == '\\') {
    chunk.remove_prefix(1);
    if (chunk.empty()) {
      if (why) *why = "unterminated character class";
      return false;
    }
  }
  size_t w = 0;
  char32_t r = decode_rune(chunk, 0, &w);
  if (r == kRuneError && w == 1) {
    if (why) *why = "invalid UTF-8 in character class";
    return false;
  }
  chunk.remove_prefix(w);
  if (chunk.empty()) {
    if (why) *why = "unterminated character class";
    return false;
  }
  out = r;
  return true;
}

enum class ChunkResult { Match, NoMatch, Error };

// Matches `chunk` (no stars outside classes) at the start of `s`. After a mismatch the chunk is
// still parsed to the end, so syntax errors are always reported.
ChunkResult match_chunk(std::string_view chunk, std::string_view s, std::string_view* rest, std::string* why) {
  bool failed = false;
  while (!chunk.empty()) {
    if (!failed && s.empty()) failed = true;
    const char ch = chunk[0];
    if (ch == '[') {
      char32_t r = 0;
      if (!failed) {
        size_t w = 0;
        r = decode_rune(s, 0, &w);
        s.remove_prefix(w);
      }
      chunk.remove_prefix(1);
      bool negated = false;
      if (!chunk.empty() && chunk[0] == '^') {
        negated = true;
        chunk.remove_prefix(1);
      }
      bool match = false;
      int nrange = 0;
      for (;;) {
        if (!chunk.empty() && chunk[0] == ']' && nrange > 0) {
          chunk.remove_prefix(1);
          break;
        }
        char32_t lo = 0, hi = 0;
        if (!class_char(chunk, lo, why)) return ChunkResult::Error;
        hi = lo;
        if (chunk[0] == '-') {
          chunk.remove_prefix(1);
          if (!class_char(chunk, hi, why)) return ChunkResult::Error;
        }
        if (lo <= r && r <= hi) match = true;
        ++nrange;
      }
      if (match == negated) failed = true;
    } else if (ch == '?') {
      if (!failed) {
        if (s[0] == '/') failed = true;
        size_t w = 0;
        decode_rune(s, 0, &w);
        s.remove_prefix(w);
      }
      chunk.remove_prefix(1);
    } else {
      if (ch == '\\') {
        chunk.remove_prefix(1);
        if (chunk.empty()) {
          if (why) *why = "trailing backslash";
          return ChunkResult::Error;
        }
      }
      if (!failed) {
        if (chunk[0] != s[0]) failed = true;
        s.remove_prefix(1);
      }
      chunk.remove_prefix(1);
    }
  }
  if (failed) return ChunkResult::NoMatch;
  *rest = s;
  return ChunkResult::Match;
}

}  // namespace

bool glob_valid(std::string_view pattern, std::string* why) {
  std::string_view p = pattern, rest;
  while (!p.empty()) {
    Chunk c = scan_chunk(p);
    if (match_chunk(c.text, std::string_view(), &rest, why) == ChunkResult::Error) return false;
  }
  return true;
}

bool glob_match(std::string_view pattern, std::string_view name) {
  std::string_view p = pattern;
  while (!p.empty()) {
    Chunk c = scan_chunk(p);
    if (c.star && c.text.empty()) {
      // A trailing star matches the rest of the name unless it has a '/'.
      return name.find('/') == std::string_view::npos;
    }
    std::string_view t;
    ChunkResult r = match_chunk(c.text, name, &t, nullptr);
    if (r == ChunkResult::Match && (t.empty() || !p.empty())) {
      name = t;
      continue;
    }
    if (r == ChunkResult::Error) return false;
    bool advanced = false;
    if (c.star) {
      // A star may swallow non-'/' bytes; each chunk has a fixed length, so the leftmost match
      // is the right one (except for the last chunk, which must end the name).
      for (size_t i = 0; i < name.size() && name[i] != '/'; ++i) {
        r = match_chunk(c.text, name.substr(i + 1), &t, nullptr);
        if (r == ChunkResult::Match) {
          if (p.empty() && !t.empty()) continue;
          name = t;
          advanced = true;
          break;
        }
        if (r == ChunkResult::Error) return false;
      }
    }
    if (advanced) continue;
    return false;
  }
  return name.empty();
}

bool has_wildcards(std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i) {
    char ch = s[i];
    if (ch == '\\') {
      ++i;
    } else if (ch == '*' || ch == '?' || ch == '[') {
      return true;
    }
  }
  return false;
}

}  // namespace dfplay::context
