#include "context/pattern.h"

#include <algorithm>
#include <map>
#include <utility>

#include "context/glob.h"
#include "context/path.h"
#include "context/regexp.h"
#include "syntax/text.h"

namespace dfplay::context {

// ---------------------------------------------------------------------------------------------
// Pattern
// ---------------------------------------------------------------------------------------------

namespace {

bool should_escape(char32_t c) {
  switch (c) {
    case '.': case '+': case '(': case ')': case '|': case '{': case '}': case '$': return true;
    default: return false;
  }
}

using syntax::text::append_rune;

// BuildKit's Pattern.compile: the kind and the regular expression for a cleaned pattern.
Pattern::Kind translate(std::string_view p, std::string& re) {
  using Kind = Pattern::Kind;
  Kind kind = Kind::Exact;
  re.clear();
  re.push_back('^');
  size_t pos = 0;
  auto peek = [&](char32_t* r) -> bool {
    if (pos >= p.size()) return false;
    size_t w = 0;
    *r = decode_rune(p, pos, &w);
    return true;
  };
  auto next = [&]() -> char32_t {
    size_t w = 0;
    char32_t r = decode_rune(p, pos, &w);
    pos += w;
    return r;
  };
  for (int i = 0; pos < p.size(); ++i) {
    char32_t ch = next();
    char32_t pk = 0;
    if (ch == '*') {
      if (peek(&pk) && pk == '*') {
        next();
        if (peek(&pk) && pk == '/') next();
        if (!peek(&pk)) {
          if (kind == Kind::Exact) {
            kind = Kind::Prefix;
          } else {
            re += ".*";
            kind = Kind::Regexp;
          }
        } else {
          re += "(.*/)?";
          kind = Kind::Regexp;
        }
        if (i == 0) kind = Kind::Suffix;
      } else {
        re += "[^/]*";
        kind = Kind::Regexp;
      }
    } else if (ch == '?') {
      re += "[^/]";
      kind = Kind::Regexp;
    } else if (should_escape(ch)) {
      re += '\\';
      append_rune(re, ch);
    } else if (ch == '\\') {
      if (peek(&pk)) {
        re += '\\';
        append_rune(re, next());
        kind = Kind::Regexp;
      } else {
        re += "\\";
      }
    } else if (ch == '[' || ch == ']') {
      append_rune(re, ch);
      kind = Kind::Regexp;
    } else {
      append_rune(re, ch);
    }
  }
  if (kind == Kind::Regexp) re += "$";
  return kind;
}

}  // namespace

std::optional<Pattern> Pattern::compile(std::string_view cleaned, bool exclusion, std::string* error,
                                        uint64_t* dfa_budget) {
  Pattern pat;
  pat.text_ = std::string(cleaned);
  pat.exclusion_ = exclusion;
  std::string why;
  if (!glob_valid(cleaned, &why)) {
    if (error) *error = "syntax error in pattern (" + why + ")";
    return std::nullopt;
  }
  pat.kind_ = translate(cleaned, pat.regexp_);
  if (pat.kind_ == Kind::Regexp) {
    auto* prog = new detail::Program();
    std::string rerr;
    if (!detail::compile_regexp(pat.regexp_, *prog, &rerr, dfa_budget)) {
      delete prog;
      if (error) *error = "syntax error in pattern (BuildKit's regular expression `" + pat.regexp_ + "`: " + rerr + ")";
      return std::nullopt;
    }
    pat.program_ = prog;
  }
  return pat;
}

uint64_t Pattern::cost_per_byte() const {
  if (kind_ != Kind::Regexp || !program_) return 0;
  if (program_->dfa.ok && detail::dfa_enabled()) return 1;
  return std::max<uint64_t>(1, program_->code.size());
}

bool Pattern::match(std::string_view path) const {
  switch (kind_) {
    case Kind::Exact: return path == text_;
    case Kind::Prefix: {
      std::string_view prefix = std::string_view(text_).substr(0, text_.size() - 2);
      return path.substr(0, prefix.size()) == prefix;
    }
    case Kind::Suffix: {
      std::string_view suffix = std::string_view(text_).substr(2);
      if (path.size() >= suffix.size() && path.substr(path.size() - suffix.size()) == suffix) return true;
      // "**/foo" matches "foo"
      return !suffix.empty() && suffix[0] == '/' && path == suffix.substr(1);
    }
    case Kind::Regexp: return program_ && detail::run_program(*program_, path);
  }
  return false;
}

Pattern::Pattern(Pattern&& o) noexcept
    : text_(std::move(o.text_)), regexp_(std::move(o.regexp_)), exclusion_(o.exclusion_), kind_(o.kind_),
      program_(o.program_) {
  o.program_ = nullptr;
}
Pattern& Pattern::operator=(Pattern&& o) noexcept {
  if (this != &o) {
    delete program_;
    text_ = std::move(o.text_);
    regexp_ = std::move(o.regexp_);
    exclusion_ = o.exclusion_;
    kind_ = o.kind_;
    program_ = o.program_;
    o.program_ = nullptr;
  }
  return *this;
}
Pattern::Pattern(const Pattern& o)
    : text_(o.text_), regexp_(o.regexp_), exclusion_(o.exclusion_), kind_(o.kind_),
      program_(o.program_ ? new detail::Program(*o.program_) : nullptr) {}
Pattern& Pattern::operator=(const Pattern& o) {
  if (this != &o) *this = Pattern(o);
  return *this;
}
Pattern::~Pattern() { delete program_; }

// ---------------------------------------------------------------------------------------------
// PatternMatcher
// ---------------------------------------------------------------------------------------------

PatternMatcher PatternMatcher::build(const std::vector<std::string>& patterns, std::vector<Error>* errors) {
  PatternMatcher pm;
  uint64_t dfa_budget = kMaxDfaWork;
  for (size_t idx = 0; idx < patterns.size(); ++idx) {
    std::string_view p = trim_space(patterns[idx]);
    if (p.empty()) continue;
    std::string cleaned = clean_path(p);
    bool exclusion = false;
    std::string_view body = cleaned;
    if (body[0] == '!') {
      if (body.size() == 1) {
        if (errors) errors->push_back({idx, "illegal exclusion pattern: \"!\""});
        continue;
      }
      exclusion = true;
      body.remove_prefix(1);
    }
    std::string why;
    auto pat = Pattern::compile(body, exclusion, &why, &dfa_budget);
    if (!pat) {
      if (errors) errors->push_back({idx, why});
      continue;
    }
    pm.patterns_.push_back(std::move(*pat));
    pm.source_.push_back(idx);
    pm.note_exclusion(pm.patterns_.back());
  }
  return pm;
}

void PatternMatcher::note_exclusion(const Pattern& p) {
  if (!p.exclusion()) return;
  has_exclusions_ = true;
  // fsutil: an exception with pattern characters (besides a trailing "/**" or "/*") may
  // match anywhere, so excluded directories must always be walked.
  std::string_view s = p.text();
  if (s.size() >= 3 && s.substr(s.size() - 3) == "/**") s.remove_suffix(3);
  else if (s.size() >= 2 && s.substr(s.size() - 2) == "/*") s.remove_suffix(2);
  if (s.find_first_of("*[]?^\\") != std::string_view::npos) only_prefix_exceptions_ = false;
}

void PatternMatcher::truncate(size_t n) {
  if (n >= patterns_.size()) return;
  patterns_.erase(patterns_.begin() + static_cast<std::ptrdiff_t>(n), patterns_.end());
  source_.resize(n);
  has_exclusions_ = false;
  only_prefix_exceptions_ = true;
  for (const Pattern& p : patterns_) note_exclusion(p);
}

bool PatternMatcher::matches_exact(std::string_view path) const {
  bool matched = false;
  for (const auto& p : patterns_) {
    if (p.exclusion() != matched) continue;
    if (p.match(path)) matched = !p.exclusion();
  }
  return matched;
}

bool PatternMatcher::matches_or_parent_matches(std::string_view path, int* decided_by) const {
  bool matched = false;
  int decided = -1;
  for (size_t i = 0; i < patterns_.size(); ++i) {
    const auto& p = patterns_[i];
    if (p.exclusion() != matched) continue;
    bool m = p.match(path);
    if (!m) {
      // any parent directory: "a", "a/b", ... (not the path itself)
      for (size_t slash = path.find('/'); slash != std::string_view::npos; slash = path.find('/', slash + 1)) {
        if (p.match(path.substr(0, slash))) {
          m = true;
          break;
        }
      }
    }
    if (m) {
      matched = !p.exclusion();
      decided = static_cast<int>(i);
    }
  }
  if (decided_by) *decided_by = decided;
  return matched;
}

bool PatternMatcher::match_in_walk(std::string_view path, const uint64_t* parent, uint64_t* out,
                                   int* decided_by) const {
  const size_t nw = words();
  for (size_t w = 0; w < nw; ++w) out[w] = 0;
  bool matched = false;
  int decided = -1;
  for (size_t i = 0; i < patterns_.size(); ++i) {
    const auto& p = patterns_[i];
    bool m = parent && ((parent[i / 64] >> (i % 64)) & 1u);
    if (!m) {
      // Skip evaluation when the pattern could not change the result; a skipped pattern is
      // recorded as "not matched" for the children (fsutil's behaviour, see pattern.h).
      if (p.exclusion() != matched) continue;
      m = p.match(path);
      if (!m && !parent) {
        for (size_t slash = path.find('/'); slash != std::string_view::npos; slash = path.find('/', slash + 1)) {
          if (p.match(path.substr(0, slash))) {
            m = true;
            break;
          }
        }
      }
    }
    if (m) {
      out[i / 64] |= uint64_t(1) << (i % 64);
      matched = !p.exclusion();
      decided = static_cast<int>(i);
    }
  }
  if (decided_by) *decided_by = decided;
  return matched;
}

bool PatternMatcher::exception_may_match_below(std::string_view dir) const {
  if (!has_exclusions_) return false;
  if (!only_prefix_exceptions_) return true;
  std::string dir_slash = std::string(dir) + "/";
  for (const auto& p : patterns_) {
    if (!p.exclusion()) continue;
    std::string_view s = p.text();
    if (s.size() >= 3 && s.substr(s.size() - 3) == "/**") s.remove_suffix(3);
    else if (s.size() >= 2 && s.substr(s.size() - 2) == "/*") s.remove_suffix(2);
    std::string with_slash = std::string(s) + "/";
    if (with_slash.compare(0, dir_slash.size(), dir_slash) == 0) return true;
  }
  return false;
}

}  // namespace dfplay::context
