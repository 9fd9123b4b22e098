// ADD's remote sources, recognised as BuildKit's dockerfile2llb does: an http(s) URL, or a Git
// repository (git@..., git://..., or an http(s) URL ending in .git or holding ".git#ref").
// The one implementation (the simulation and the checks both ask).
#pragma once
#include <string_view>

namespace dfplay::context {

inline bool is_url(std::string_view s) { return s.starts_with("http://") || s.starts_with("https://"); }

inline bool is_git_source(std::string_view s) {
  return s.starts_with("git@") || s.starts_with("git://") ||
         (is_url(s) && (s.ends_with(".git") || s.find(".git#") != std::string_view::npos));
}

}  // namespace dfplay::context
