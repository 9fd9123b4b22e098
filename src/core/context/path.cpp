#include "context/path.h"

#include <cstring>

#include "syntax/text.h"

namespace dfplay::context {

std::string clean_path(std::string_view p) {
  if (p.empty()) return ".";
  const bool rooted = p[0] == '/';
  const size_t n = p.size();
  std::string out;
  out.reserve(n);
  size_t r = 0, dotdot = 0;  // dotdot: where ".." backtracking must stop
  if (rooted) {
    out.push_back('/');
    r = 1;
    dotdot = 1;
  }
  while (r < n) {
    if (p[r] == '/') {
      ++r;
    } else if (p[r] == '.' && (r + 1 == n || p[r + 1] == '/')) {
      ++r;  // "." element
    } else if (p[r] == '.' && p[r + 1] == '.' && (r + 2 == n || p[r + 2] == '/')) {
      r += 2;  // ".." element
      if (out.size() > dotdot) {
        size_t w = out.size() - 1;
        while (w > dotdot && out[w] != '/') --w;
        out.resize(w);
      } else if (!rooted) {
        if (!out.empty()) out.push_back('/');
        out += "..";
        dotdot = out.size();
      }
    } else {
      if ((rooted && out.size() != 1) || (!rooted && !out.empty())) out.push_back('/');
      while (r < n && p[r] != '/') out.push_back(p[r++]);
    }
  }
  if (out.empty()) return ".";
  return out;
}

std::string context_relative(std::string_view p, bool* escaped) {
  std::string joined;
  joined.reserve(p.size() + 1);
  joined.push_back('/');
  joined.append(p);
  if (escaped) {
    size_t k = p.find_first_not_of('/');
    *escaped = k != std::string_view::npos && leaves_root(p.substr(k));
  }
  std::string c = clean_path(joined);
  return c == "/" ? std::string() : c.substr(1);
}

bool leaves_root(std::string_view p) {
  std::string c = clean_path(p);
  return c == ".." || (c.size() > 2 && c[0] == '.' && c[1] == '.' && c[2] == '/');
}

int compare_paths(std::string_view a, std::string_view b) {
  const size_t n = a.size() < b.size() ? a.size() : b.size();
  size_t i = 0;
  while (i + 8 <= n) {  // skip the common prefix a word at a time
    uint64_t x, y;
    std::memcpy(&x, a.data() + i, 8);
    std::memcpy(&y, b.data() + i, 8);
    if (x != y) break;
    i += 8;
  }
  for (; i < n; ++i) {
    unsigned char x = static_cast<unsigned char>(a[i]);
    unsigned char y = static_cast<unsigned char>(b[i]);
    if (x == y) continue;
    // '/' sorts first: map it to 0 and shift the bytes below it up by one.
    unsigned kx = x == '/' ? 0u : (x < '/' ? x + 1u : x);
    unsigned ky = y == '/' ? 0u : (y < '/' ? y + 1u : y);
    return kx < ky ? -1 : 1;
  }
  if (a.size() == b.size()) return 0;
  return a.size() < b.size() ? -1 : 1;
}

std::string_view parent_path(std::string_view p) {
  size_t slash = p.rfind('/');
  return slash == std::string_view::npos ? std::string_view() : p.substr(0, slash);
}

std::string_view base_name(std::string_view p) {
  size_t slash = p.rfind('/');
  return slash == std::string_view::npos ? p : p.substr(slash + 1);
}

std::string join_path(std::string_view a, std::string_view b) {
  if (a.empty()) return std::string(b);
  if (b.empty()) return std::string(a);
  std::string out;
  out.reserve(a.size() + 1 + b.size());
  out.append(a).push_back('/');
  out.append(b);
  return out;
}

static size_t space_len_at(std::string_view s, size_t i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  if (c == ' ' || (c >= '\t' && c <= '\r')) return 1;
  if (c == 0xC2 && i + 1 < s.size()) {
    unsigned char d = static_cast<unsigned char>(s[i + 1]);
    if (d == 0x85 || d == 0xA0) return 2;
  }
  return 0;
}

std::string_view trim_space(std::string_view s) {
  size_t b = 0;
  while (b < s.size()) {
    size_t k = space_len_at(s, b);
    if (!k) break;
    b += k;
  }
  size_t e = s.size();
  while (e > b) {
    unsigned char c = static_cast<unsigned char>(s[e - 1]);
    if (c == ' ' || (c >= '\t' && c <= '\r')) {
      --e;
    } else if (e - b >= 2 && static_cast<unsigned char>(s[e - 2]) == 0xC2 && (c == 0x85 || c == 0xA0)) {
      e -= 2;
    } else {
      break;
    }
  }
  return s.substr(b, e - b);
}

char32_t decode_rune(std::string_view s, size_t i, size_t* width) {
  const syntax::text::Rune r = syntax::text::decode(s, i);
  *width = r.width;
  return r.cp;
}

}  // namespace dfplay::context
