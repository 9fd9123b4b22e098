// Reading /etc/passwd and /etc/group as they appear in a stage filesystem: one line parser for
// the build engine (USER, --chown) and the RUN effects (useradd, chown, the RUN's user).
//   passwd: name:password:uid:gid:gecos:home:shell      group: name:password:gid:members
#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace dfplay::sim {

struct AccountLine {
  std::string_view fields[7];
  size_t count = 0;  // fields present (at most 7 are kept)

  std::string_view name() const { return fields[0]; }
  // Field 2 (uid in passwd, gid in group) and field 3 (the primary gid in passwd) as numbers;
  // false when absent or not a decimal number.
  bool id(uint32_t& out) const { return count > 2 && parse_id(fields[2], out); }
  bool gid(uint32_t& out) const { return count > 3 && parse_id(fields[3], out); }

  static bool parse_id(std::string_view s, uint32_t& out) {
    if (s.empty() || s.size() > 10) return false;
    uint64_t v = 0;
    for (char c : s) {
      if (c < '0' || c > '9') return false;
      v = v * 10 + static_cast<uint64_t>(c - '0');
    }
    if (v > UINT32_MAX) return false;
    out = static_cast<uint32_t>(v);
    return true;
  }
};

// Visits every line of `text` split at ':' (comments and blank lines included: callers check
// `count`); stops when `f` returns false.
template <class F>
void for_each_account_line(std::string_view text, F f) {
  size_t pos = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view line = text.substr(pos, eol - pos);
    pos = eol + 1;
    AccountLine a;
    size_t start = 0;
    for (size_t i = 0; i <= line.size() && a.count < 7; ++i)
      if (i == line.size() || line[i] == ':') {
        a.fields[a.count++] = line.substr(start, i - start);
        start = i + 1;
      }
    if (!f(static_cast<const AccountLine&>(a))) return;
  }
}

}  // namespace dfplay::sim
