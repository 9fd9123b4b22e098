// Command-line argument parsing shared by the tool families (Args, parse_args).
#include <xxhash.h>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <unordered_map>

#include "sim/effects.h"
#include "sim/effects/internal.h"
#include "units.h"

namespace dfplay::sim::detail {

// ====================================================================================
// Helpers
// ====================================================================================

bool Args::has(std::string_view name) const {
  for (const auto& [n, v] : options)
    if (n == name) return true;
  return false;
}

std::optional<std::string_view> Args::value(std::string_view name) const {
  std::optional<std::string_view> out;
  for (const auto& [n, v] : options)
    if (n == name) out = v;
  return out;
}

Args parse_args(const Inv& inv, std::initializer_list<std::string_view> takes_value, size_t first) {
  Args a;
  const auto& av = inv.argv;
  a.positional.reserve(av.size());
  auto takes = [&](std::string_view n) {
    return std::find(takes_value.begin(), takes_value.end(), n) != takes_value.end();
  };
  bool only_positional = false;
  for (size_t i = first; i < av.size(); ++i) {
    std::string_view s = av[i];
    if (only_positional || s.size() < 2 || s[0] != '-') {
      a.positional.push_back(s);
      continue;
    }
    if (s == "--") {
      only_positional = true;
      continue;
    }
    if (s[1] == '-') {
      size_t eq = s.find('=');
      if (eq != std::string_view::npos) {
        a.options.emplace_back(s.substr(0, eq), s.substr(eq + 1));
      } else if (takes(s) && i + 1 < av.size()) {
        a.options.emplace_back(s, av[++i]);
      } else {
        a.options.emplace_back(s, std::string_view{});
      }
      continue;
    }
    // Short options: -o X, -oX, bundles like -xzf FILE.
    if (takes(s.substr(0, 2))) {
      if (s.size() > 2)
        a.options.emplace_back(s.substr(0, 2), s.substr(2));
      else if (i + 1 < av.size())
        a.options.emplace_back(s, av[++i]);
      else
        a.options.emplace_back(s, std::string_view{});
      continue;
    }
    if (takes(s)) {  // e.g. "-ldflags" (Go's single-dash long options)
      if (i + 1 < av.size()) a.options.emplace_back(s, av[++i]);
      continue;
    }
    size_t eq = s.find('=');
    if (eq != std::string_view::npos) {  // -ldflags=..., -o=x
      a.options.emplace_back(s.substr(0, eq), s.substr(eq + 1));
      continue;
    }
    // Bundled flags: each letter is a flag; a letter that takes a value takes the rest or next.
    bool consumed = false;
    for (size_t k = 1; k < s.size() && !consumed; ++k) {
      a.owned.push_front(std::string("-") + s[k]);
      std::string_view fv = a.owned.front();
      if (takes(fv)) {
        if (k + 1 < s.size())
          a.options.emplace_back(fv, s.substr(k + 1));
        else if (i + 1 < av.size())
          a.options.emplace_back(fv, av[++i]);
        consumed = true;
      } else {
        a.options.emplace_back(fv, std::string_view{});
      }
    }
  }
  return a;
}

std::string human_size(uint64_t bytes) { return format_bytes(bytes); }

uint64_t mb(double bytes) { return bytes <= 0 ? 0 : static_cast<uint64_t>(std::llround(bytes)); }

bool mentions_clock(const Inv& inv) {
  for (const auto& a : inv.argv) {
    if (a.find("$(date") != std::string::npos || a.find("`date") != std::string::npos ||
        a.find("$RANDOM") != std::string::npos || a.find("$(uuidgen") != std::string::npos)
      return true;
  }
  return false;
}

}  // namespace dfplay::sim::detail
