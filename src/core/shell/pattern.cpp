#include "shell/pattern.h"

#include <algorithm>
#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>

#include "shell/unicode.h"

namespace dfplay::shell {
namespace {

constexpr int32_t kEof = -1;

// Go's text/scanner reading of a string: runes, invalid bytes as U+FFFD, leading BOM skipped.
class RuneScanner {
 public:
  explicit RuneScanner(std::string_view s) : s_(s) {
    const DecodedRune d = decode_rune(s_, 0);
    if (d.width > 0 && d.rune == 0xFEFF) pos_ = d.width;
  }
  int32_t peek() const {
    if (pos_ >= s_.size()) return kEof;
    return static_cast<int32_t>(decode_rune(s_, pos_).rune);
  }
  int32_t next() {
    if (pos_ >= s_.size()) return kEof;
    const DecodedRune d = decode_rune(s_, pos_);
    pos_ += d.width;
    return static_cast<int32_t>(d.rune);
  }

 private:
  std::string_view s_;
  size_t pos_ = 0;
};

struct Atom {
  bool any = false;  // `?` (any rune but '\n'); otherwise the literal `rune`
  char32_t rune = 0;
};

// The pattern as segments of fixed-width atoms separated by stars: S0 * S1 * ... * Sk.
struct Compiled {
  std::vector<std::vector<Atom>> segments{1};
};

bool compile(std::string_view pattern, Compiled& out, std::string& error) {
  RuneScanner sc(pattern);
  for (int32_t tok = sc.next(); tok != kEof; tok = sc.next()) {
    switch (tok) {
      case '*':
        out.segments.emplace_back();
        continue;
      case '?':
        out.segments.back().push_back({true, 0});
        continue;
      case '\\': {
        const int32_t p = sc.peek();
        if (p == '}' || p == '/') continue;  // the escape is not part of the pattern
        tok = sc.next();
        if (tok != '*' && tok != '?' && tok != '\\') {
          error = "invalid escape '\\" + rune_string(tok < 0 ? kRuneError : char32_t(tok)) + "'";
          return false;
        }
        break;
      }
      default:
        break;
    }
    out.segments.back().push_back({false, static_cast<char32_t>(tok)});
  }
  return true;
}

// The subject of a match: runes with their byte offsets (ASCII text is used as is).
class Text {
 public:
  explicit Text(std::string_view s) : s_(s) {
    ascii_ = std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
    if (!ascii_) {
      for (size_t i = 0; i < s.size();) {
        const DecodedRune d = decode_rune(s, i);
        runes_.push_back(d.rune);
        offs_.push_back(static_cast<uint32_t>(i));
        i += d.width;
      }
      offs_.push_back(static_cast<uint32_t>(s.size()));
    }
    const size_t n = size();
    for (size_t i = 0; i < n; ++i)
      if (at(i) == '\n') newlines_.push_back(i);
  }
  size_t size() const { return ascii_ ? s_.size() : runes_.size(); }
  char32_t at(size_t i) const { return ascii_ ? static_cast<unsigned char>(s_[i]) : runes_[i]; }
  size_t offset(size_t i) const { return ascii_ ? i : offs_[i]; }
  // Index of the first '\n' at or after i, or size(): a star starting at i can end anywhere
  // in [i, line_end(i)].
  size_t line_end(size_t i) const {
    auto it = std::lower_bound(newlines_.begin(), newlines_.end(), i);
    return it == newlines_.end() ? size() : *it;
  }

 private:
  std::string_view s_;
  bool ascii_ = true;
  std::vector<char32_t> runes_;
  std::vector<uint32_t> offs_;
  std::vector<size_t> newlines_;
};

// Leftmost-first matching of a Compiled pattern (all stars greedy or all lazy), equivalent to
// a backtracking regexp engine, with failures memoised: for star j (the one before segment
// j) and a line, the candidate end positions already known to fail form a suffix
// [lo, line_end], so each (star, position) is tried at most once per matcher.
class Matcher {
 public:
  Matcher(const Compiled& c, const Text& t, bool greedy, WorkBudget& budget)
      : segs_(c.segments), text_(t), greedy_(greedy), budget_(budget) {}

  std::optional<size_t> match_at(size_t start) {
    if (!segment_matches(0, start)) return std::nullopt;
    const size_t p0 = start + segs_[0].size();
    const size_t k = segs_.size() - 1;
    if (k == 0) return p0;
    stack_.clear();
    push(1, p0);
    while (!stack_.empty()) {
      if (budget_.exceeded) return std::nullopt;
      Iter& it = stack_.back();
      size_t q;
      if (greedy_) {
        if (it.next == it.p) {
          exhausted(it);
          continue;
        }
        q = --it.next;
      } else {
        if (it.next == it.hi) {
          exhausted(it);
          continue;
        }
        q = it.next++;
      }
      if (!segment_matches(it.j, q)) continue;
      const size_t e = q + segs_[it.j].size();
      if (it.j == k) {
        if (greedy_) {  // candidates above the successful one failed: remember them
          for (const Iter& s : stack_) set_lo(s.j, s.line_end, s.next + 1);
        }
        return e;
      }
      push(it.j + 1, e);
    }
    return std::nullopt;
  }

  // Leftmost match starting at or after `from` (rune index).
  std::optional<std::pair<size_t, size_t>> find(size_t from) {
    for (size_t s = from; s <= text_.size(); ++s) {
      if (!budget_.spend(1)) return std::nullopt;
      if (auto e = match_at(s)) return std::make_pair(s, *e);
      if (budget_.exceeded) return std::nullopt;
    }
    return std::nullopt;
  }

 private:
  struct Iter {
    size_t j;         // the segment after this star
    size_t p;         // first candidate end of the star
    size_t hi;        // candidates are [p, hi)
    size_t next;      // cursor (greedy: exclusive upper bound going down; lazy: going up)
    size_t line_end;  // the star cannot pass this position
  };

  static uint64_t key(size_t j, size_t line_end) {
    return (static_cast<uint64_t>(j) << 40) ^ static_cast<uint64_t>(line_end);
  }
  size_t lo(size_t j, size_t line_end) const {
    auto it = tried_.find(key(j, line_end));
    return it == tried_.end() ? line_end + 1 : it->second;
  }
  void set_lo(size_t j, size_t line_end, size_t lo) {
    auto [it, inserted] = tried_.emplace(key(j, line_end), lo);
    if (!inserted) it->second = std::min(it->second, lo);
  }

  void push(size_t j, size_t p) {
    budget_.spend(1);
    const size_t le = text_.line_end(p);
    const size_t hi = std::min(lo(j, le), le + 1);
    if (p >= hi) return;  // every candidate is known to fail
    stack_.push_back({j, p, hi, greedy_ ? hi : p, le});
  }

  void exhausted(const Iter& it) {
    set_lo(it.j, it.line_end, it.p);
    stack_.pop_back();
  }

  bool segment_matches(size_t j, size_t q) {
    const auto& seg = segs_[j];
    if (q + seg.size() > text_.size()) return false;
    if (!budget_.spend(seg.size() + 1)) return false;
    for (size_t i = 0; i < seg.size(); ++i) {
      const char32_t c = text_.at(q + i);
      if (seg[i].any ? c == '\n' : c != seg[i].rune) return false;
    }
    return true;
  }

  const std::vector<std::vector<Atom>>& segs_;
  const Text& text_;
  bool greedy_;
  WorkBudget& budget_;
  std::vector<Iter> stack_;
  std::unordered_map<uint64_t, size_t> tried_;
};

std::string invalid_pattern(std::string_view pattern, const std::string& why) {
  return "invalid pattern (" + std::string(pattern) + ") in substitution: " + why;
}

std::vector<char32_t> runes_of(std::string_view s) {
  std::vector<char32_t> r;
  r.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    const DecodedRune d = decode_rune(s, i);
    r.push_back(d.rune);
    i += d.width;
  }
  return r;
}

std::string string_of(const std::vector<char32_t>& runes) {
  std::string s;
  s.reserve(runes.size());
  for (char32_t r : runes) append_rune(s, r);
  return s;
}

// Go's regexp.extract for `$name` / `${name}` in a replacement template.
bool extract_template_ref(std::string_view str, std::string_view& name, int& num,
                          size_t& consumed) {
  if (str.empty()) return false;
  bool brace = false;
  size_t i = 0;
  if (str[0] == '{') {
    brace = true;
    i = 1;
  }
  const size_t name_start = i;
  while (i < str.size()) {
    const DecodedRune d = decode_rune(str, i);
    if (!is_letter(d.rune) && !is_digit(d.rune) && d.rune != '_') break;
    i += d.width;
  }
  if (i == name_start) return false;
  name = str.substr(name_start, i - name_start);
  if (brace) {
    if (i >= str.size() || str[i] != '}') return false;
    ++i;
  }
  num = 0;
  for (char c : name) {
    if (c < '0' || c > '9' || num >= 100000000) {
      num = -1;
      break;
    }
    num = num * 10 + (c - '0');
  }
  if (name[0] == '0' && name.size() > 1) num = -1;
  consumed = i;
  return true;
}

// Go's Regexp.expand for a pattern without capture groups: only group 0 (the match) exists.
void expand_template(std::string& dst, std::string_view tmpl, std::string_view match) {
  while (!tmpl.empty()) {
    const size_t dollar = tmpl.find('$');
    if (dollar == std::string_view::npos) break;
    dst.append(tmpl.substr(0, dollar));
    tmpl.remove_prefix(dollar + 1);
    if (!tmpl.empty() && tmpl[0] == '$') {
      dst.push_back('$');
      tmpl.remove_prefix(1);
      continue;
    }
    std::string_view name;
    int num = 0;
    size_t consumed = 0;
    if (!extract_template_ref(tmpl, name, num, consumed)) {
      dst.push_back('$');
      continue;
    }
    tmpl.remove_prefix(consumed);
    if (num == 0) dst.append(match);
    // Any other number or name refers to a group that does not exist: nothing.
  }
  dst.append(tmpl);
}

}  // namespace

std::string reverse_pattern(std::string_view pattern) {
  const std::vector<char32_t> in = runes_of(pattern);
  std::vector<char32_t> out(in.size());
  if (in.empty()) return {};
  const size_t last = in.size() - 1;
  for (size_t i = 0; i <= last;) {
    const size_t o = last - i;
    if (in[i] == '\\' && i != last) {
      out[o - 1] = in[i];
      out[o] = in[i + 1];
      i += 2;
    } else {
      out[o] = in[i];
      i += 1;
    }
  }
  return string_of(out);
}

PatternResult trim_prefix(std::string_view pattern, std::string_view value, bool greedy,
                          WorkBudget& budget) {
  PatternResult r;
  Compiled c;
  std::string why;
  if (!compile(pattern, c, why)) {
    r.message = invalid_pattern(pattern, why);
    return r;
  }
  if (!budget.spend(value.size() + pattern.size() + 1)) return r;
  const Text text(value);
  Matcher m(c, text, greedy, budget);
  const auto end = m.match_at(0);
  if (budget.exceeded) return r;
  r.ok = true;
  r.value = end ? std::string(value.substr(text.offset(*end))) : std::string(value);
  return r;
}

PatternResult trim_suffix(std::string_view pattern, std::string_view value, bool greedy,
                          WorkBudget& budget) {
  const std::string rpattern = reverse_pattern(pattern);
  std::vector<char32_t> runes = runes_of(value);
  std::reverse(runes.begin(), runes.end());
  PatternResult r = trim_prefix(rpattern, string_of(runes), greedy, budget);
  if (!r.ok) return r;
  runes = runes_of(r.value);
  std::reverse(runes.begin(), runes.end());
  r.value = string_of(runes);
  return r;
}

PatternResult replace(std::string_view pattern, std::string_view value,
                      std::string_view replacement, bool all, WorkBudget& budget) {
  PatternResult r;
  Compiled c;
  std::string why;
  if (!compile(pattern, c, why)) {
    r.message = invalid_pattern(pattern, why);
    return r;
  }
  if (!budget.spend(value.size() + pattern.size() + replacement.size() + 1)) return r;
  const Text text(value);
  Matcher m(c, text, /*greedy=*/true, budget);
  if (!all) {
    const auto found = m.find(0);
    if (budget.exceeded) return r;
    r.ok = true;
    if (!found) {
      r.value = std::string(value);
    } else {
      const size_t a = text.offset(found->first), b = text.offset(found->second);
      r.value.reserve(value.size() + replacement.size());
      r.value.append(value.substr(0, a)).append(replacement).append(value.substr(b));
    }
    return r;
  }
  // Go's Regexp.replaceAll.
  std::string out;
  const size_t n = text.size();
  size_t last_end = 0;  // bytes
  size_t search = 0;    // runes
  while (search <= n) {
    const auto found = m.find(search);
    if (budget.exceeded) return r;
    if (!found) break;
    const size_t a = text.offset(found->first), b = text.offset(found->second);
    out.append(value.substr(last_end, a - last_end));
    if (b > last_end || a == 0) {
      const size_t before = out.size();
      expand_template(out, replacement, value.substr(a, b - a));
      if (!budget.spend(out.size() - before + 1)) return r;
    }
    last_end = b;
    if (search < n && text.offset(search + 1) > b) {
      search += 1;
    } else if (search >= n) {
      search += 1;
    } else {
      search = found->second;
    }
  }
  out.append(value.substr(last_end));
  r.ok = true;
  r.value = std::move(out);
  return r;
}

}  // namespace dfplay::shell
