// Shell word expansion (parameters, command substitution markers, quotes, fields, globs) for
// the interpreter (sim/shell/split.h).
#include <array>
#include <iterator>

#include <fmt/format.h>

#include "sim/shell/chars.h"
#include "sim/shell/split.h"

namespace dfplay::sim::sh {

// ---- expansion ----

bool is_assignment(std::string_view w) {
  if (w.empty() || !is_name_start(w[0])) return false;
  size_t k = 1;
  while (k < w.size() && is_name_char(w[k])) ++k;
  return k < w.size() && w[k] == '=';
}

std::string_view assignment_name(std::string_view w) { return w.substr(0, w.find('=')); }
std::string_view assignment_value(std::string_view w) {
  size_t eq = w.find('=');
  return eq == std::string_view::npos ? std::string_view{} : w.substr(eq + 1);
}

namespace {

bool is_glob_char(char c) { return c == '*' || c == '?' || c == '['; }

// Builds fields. Text from quoted contexts is "protected": no splitting, glob chars escaped.
class Expander {
 public:
  Expander(const Env& env, std::vector<Field>* out) : env_(env), out_(out) {}

  void word(std::string_view w) {
    size_t i = 0;
    // Tilde prefix.
    if (!w.empty() && w[0] == '~') {
      size_t end = 1;
      while (end < w.size() && w[end] != '/') ++end;
      if (end == 1) {
        if (const std::string* home = env_.get("HOME")) {
          append_quoted(*home);
          i = 1;
        }
      }
    }
    while (i < w.size()) {
      char c = w[i];
      if (c == '\\') {
        if (i + 1 < w.size()) append_quoted(std::string_view(&w[i + 1], 1));
        i += 2;
      } else if (c == '\'') {
        size_t e = w.find('\'', i + 1);
        if (e == std::string_view::npos) e = w.size();
        append_quoted(w.substr(i + 1, e - i - 1));
        has_quotes_ = true;
        i = e + 1;
      } else if (c == '"') {
        has_quotes_ = true;
        i = double_quoted(w, i + 1);
      } else if (c == '$') {
        i = dollar(w, i, /*quoted=*/false);
      } else if (c == '`') {
        size_t e = w.find('`', i + 1);
        if (e == std::string_view::npos) e = w.size() - 1;
        dynamic_text(w.substr(i, e + 1 - i), false);
        i = e + 1;
      } else {
        append_unquoted_literal(c);
        ++i;
      }
    }
    finish();
  }

  // Expansion of a here-document body: only $ forms and \$ \` \\ \newline escapes.
  std::string heredoc(std::string_view b) {
    no_split_ = true;
    size_t i = 0;
    while (i < b.size()) {
      char c = b[i];
      if (c == '\\' && i + 1 < b.size() &&
          (b[i + 1] == '$' || b[i + 1] == '`' || b[i + 1] == '\\')) {
        cur_.value += b[i + 1];
        i += 2;
      } else if (c == '\\' && i + 1 < b.size() && b[i + 1] == '\n') {
        i += 2;
      } else if (c == '$') {
        i = dollar(b, i, true);
      } else if (c == '`') {
        size_t e = b.find('`', i + 1);
        if (e == std::string_view::npos) e = b.size() - 1;
        dynamic_text(b.substr(i, e + 1 - i), true);
        i = e + 1;
      } else {
        cur_.value += c;
        ++i;
      }
    }
    return cur_.value;
  }

  bool dynamic() const { return any_dynamic_; }
  void set_no_split() { no_split_ = true; }

 private:
  const Env& env_;
  std::vector<Field>* out_;
  Field cur_;
  bool started_ = false;     // the current field has content (or quotes)
  bool has_quotes_ = false;  // the word had quotes (so an empty result still gives a field)
  bool no_split_ = false;
  int nest_ = 0;  // ${X:-word} nesting (expand_inner)
  static constexpr int kMaxNest = 100;
  bool any_dynamic_ = false;
  std::vector<std::pair<uint32_t, uint32_t>> quoted_;  // quoted byte ranges of cur_.value

  // Quoted text is remembered as byte ranges of the value; the glob pattern (quoted glob
  // characters escaped) is only built for a field that has an unquoted glob character.
  void append_quoted(std::string_view s) {
    if (!s.empty()) {
      auto b = static_cast<uint32_t>(cur_.value.size());
      if (!quoted_.empty() && quoted_.back().second == b)
        quoted_.back().second += static_cast<uint32_t>(s.size());
      else
        quoted_.emplace_back(b, b + static_cast<uint32_t>(s.size()));
      cur_.value.append(s);
    }
    started_ = true;
  }
  void append_unquoted_literal(char c) {
    cur_.value += c;
    if (is_glob_char(c)) cur_.glob = true;
    started_ = true;
  }
  void build_pattern() {
    const std::string& v = cur_.value;
    std::string& p = cur_.pattern;
    p.clear();
    p.reserve(v.size() + 4);
    size_t at = 0;
    for (const auto& [b, e] : quoted_) {
      p.append(v, at, b - at);
      for (size_t k = b; k < e; ++k) {
        if (is_glob_char(v[k]) || v[k] == '\\') p += '\\';
        p += v[k];
      }
      at = e;
    }
    p.append(v, at, std::string::npos);
  }
  // An unquoted expansion result: split on blanks.
  void append_split(std::string_view s) {
    if (no_split_) {
      append_quoted(s);
      return;
    }
    size_t i = 0;
    while (i < s.size()) {
      char c = s[i];
      if (c == ' ' || c == '\t' || c == '\n') {
        if (started_) end_field();
        while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n')) ++i;
        continue;
      }
      append_unquoted_literal(c);
      ++i;
    }
  }
  void end_field() {
    if (cur_.glob) build_pattern();
    if (out_) out_->push_back(std::move(cur_));
    cur_ = Field{};
    quoted_.clear();
    started_ = false;
  }
  void finish() {
    if (started_ || has_quotes_) end_field();
  }
  void dynamic_text(std::string_view raw, bool quoted) {
    any_dynamic_ = true;
    cur_.dynamic = true;
    if (quoted || no_split_)
      append_quoted(raw);
    else {
      cur_.value.append(raw);
      started_ = true;
    }
  }

  size_t double_quoted(std::string_view w, size_t i) {
    started_ = true;
    while (i < w.size()) {
      char c = w[i];
      if (c == '"') return i + 1;
      if (c == '\\' && i + 1 < w.size()) {
        char d = w[i + 1];
        if (d == '$' || d == '`' || d == '"' || d == '\\') {
          append_quoted(std::string_view(&w[i + 1], 1));
        } else if (d != '\n') {
          append_quoted(w.substr(i, 2));
        }
        i += 2;
      } else if (c == '$') {
        i = dollar(w, i, true);
      } else if (c == '`') {
        size_t e = w.find('`', i + 1);
        if (e == std::string_view::npos) e = w.size() - 1;
        dynamic_text(w.substr(i, e + 1 - i), true);
        i = e + 1;
      } else {
        append_quoted(std::string_view(&w[i], 1));
        ++i;
      }
    }
    return i;
  }

  void emit(std::string_view value, bool quoted) {
    if (quoted)
      append_quoted(value);
    else
      append_split(value);
  }

  // Finds the end of a balanced ${...} or $(...) starting at w[i] == open.
  static size_t balanced_end(std::string_view w, size_t i, char open, char close) {
    int level = 0;
    while (i < w.size()) {
      char c = w[i];
      if (c == '\\') {
        i += 2;
        continue;
      }
      if (c == '\'' && open == '(') {
        size_t e = w.find('\'', i + 1);
        i = e == std::string_view::npos ? w.size() : e + 1;
        continue;
      }
      if (c == open)
        ++level;
      else if (c == close && --level == 0)
        return i;
      ++i;
    }
    return w.size();
  }

  // At w[i] == '$'. Returns the index after the expansion.
  size_t dollar(std::string_view w, size_t i, bool quoted) {
    char n = i + 1 < w.size() ? w[i + 1] : '\0';
    if (n == '(') {
      size_t e = balanced_end(w, i + 1, '(', ')');
      dynamic_text(w.substr(i, std::min(e + 1, w.size()) - i), quoted);
      return std::min(e + 1, w.size());
    }
    if (n == '{') {
      size_t e = balanced_end(w, i + 1, '{', '}');
      std::string_view inner = w.substr(i + 2, e > i + 2 ? e - i - 2 : 0);
      braced(inner, quoted);
      return std::min(e + 1, w.size());
    }
    if (is_name_start(n)) {
      size_t e = i + 1;
      while (e < w.size() && is_name_char(w[e])) ++e;
      std::string_view name = w.substr(i + 1, e - i - 1);
      if (const std::string* v = env_.get(name)) emit(*v, quoted);
      else if (quoted) started_ = true;
      return e;
    }
    if (is_digit(n) || n == '?' || n == '$' || n == '!' || n == '#' || n == '@' || n == '*' ||
        n == '-') {
      any_dynamic_ = true;
      cur_.dynamic = true;
      started_ = true;
      if (n == '?') emit("0", quoted);
      return i + 2;
    }
    // A lone '$'.
    if (quoted)
      append_quoted("$");
    else
      append_unquoted_literal('$');
    return i + 1;
  }

  std::string expand_inner(std::string_view word) {
    // The word part of ${X:-word}: expanded without splitting. Nesting is recursion: beyond a
    // depth no real command reaches, the value is unknown (dynamic) instead of a stack overflow
    // (found by fuzz/fuzz_build.cpp with ${a:-${a:-...}} nested thousands deep in a RUN).
    if (nest_ >= kMaxNest) {
      any_dynamic_ = true;
      cur_.dynamic = true;
      return {};
    }
    Expander sub(env_, nullptr);
    sub.nest_ = nest_ + 1;
    sub.no_split_ = true;
    sub.word_no_finish(word);
    if (sub.any_dynamic_) {
      any_dynamic_ = true;
      cur_.dynamic = true;
    }
    return sub.cur_.value;
  }

  void word_no_finish(std::string_view w) {
    size_t i = 0;
    while (i < w.size()) {
      char c = w[i];
      if (c == '\\' && i + 1 < w.size()) {
        append_quoted(w.substr(i + 1, 1));
        i += 2;
      } else if (c == '\'') {
        size_t e = w.find('\'', i + 1);
        if (e == std::string_view::npos) e = w.size();
        append_quoted(w.substr(i + 1, e - i - 1));
        i = e + 1;
      } else if (c == '"') {
        i = double_quoted(w, i + 1);
      } else if (c == '$') {
        i = dollar(w, i, true);
      } else {
        append_quoted(w.substr(i, 1));
        ++i;
      }
    }
  }

  static std::string strip_pattern(std::string_view value, std::string_view pat, bool prefix,
                                   bool longest) {
    size_t n = value.size();
    if (prefix) {
      if (longest) {
        for (size_t k = n + 1; k-- > 0;)
          if (glob_match(pat, value.substr(0, k))) return std::string(value.substr(k));
      } else {
        for (size_t k = 0; k <= n; ++k)
          if (glob_match(pat, value.substr(0, k))) return std::string(value.substr(k));
      }
    } else {
      if (longest) {
        for (size_t k = 0; k <= n; ++k)
          if (glob_match(pat, value.substr(k))) return std::string(value.substr(0, k));
      } else {
        for (size_t k = n + 1; k-- > 0;)
          if (glob_match(pat, value.substr(k))) return std::string(value.substr(0, k));
      }
    }
    return std::string(value);
  }

  void braced(std::string_view inner, bool quoted) {
    if (inner.empty()) return;
    if (inner[0] == '#' && inner.size() > 1) {
      const std::string* v = env_.get(inner.substr(1));
      emit(std::to_string(v ? v->size() : 0), quoted);
      return;
    }
    size_t k = 0;
    while (k < inner.size() && is_name_char(inner[k])) ++k;
    std::string_view name = inner.substr(0, k);
    if (name.empty()) {
      any_dynamic_ = true;
      cur_.dynamic = true;
      started_ = true;
      return;
    }
    const std::string* v = env_.get(name);
    std::string_view rest = inner.substr(k);
    if (rest.empty()) {
      if (v) emit(*v, quoted);
      else if (quoted) started_ = true;
      return;
    }
    bool colon = rest[0] == ':';
    if (colon) rest.remove_prefix(1);
    if (rest.empty()) return;
    char op = rest[0];
    std::string_view arg = rest.substr(1);
    bool set = v && (!colon || !v->empty());
    switch (op) {
      case '-':
      case '=':
        if (set)
          emit(*v, quoted);
        else
          emit(expand_inner(arg), quoted);
        return;
      case '+':
        if (set) emit(expand_inner(arg), quoted);
        else if (quoted) started_ = true;
        return;
      case '?':
        if (v) emit(*v, quoted);
        return;
      case '#':
      case '%': {
        bool longest = !arg.empty() && arg[0] == op;
        if (longest) arg.remove_prefix(1);
        std::string pat = expand_inner(arg);
        emit(strip_pattern(v ? std::string_view(*v) : std::string_view{}, pat, op == '#', longest),
             quoted);
        return;
      }
      default:
        // Substrings, replacements (bash): not modelled.
        any_dynamic_ = true;
        cur_.dynamic = true;
        if (v) emit(*v, quoted);
        return;
    }
  }
};

}  // namespace

namespace {
// Bytes that make a word need the expander: quotes, escapes, expansions and glob characters.
constexpr std::array<bool, 256> kSpecial = [] {
  std::array<bool, 256> t{};
  for (unsigned char c : std::string_view("'\"\\$`*?[")) t[c] = true;
  return t;
}();
bool plain_word(std::string_view w) {
  if (w.empty() || w[0] == '~') return false;
  for (char c : w)
    if (kSpecial[static_cast<unsigned char>(c)]) return false;
  return true;
}
}  // namespace

void expand(std::string_view word, const Env& env, std::vector<Field>& out) {
  // Fast path: a plain word (no quotes, escapes, expansions, tilde or glob characters).
  if (plain_word(word)) {
    Field f;
    f.value.assign(word);
    out.push_back(std::move(f));
    return;
  }
  Expander e(env, &out);
  e.word(word);
}

std::string expand_one(std::string_view word, const Env& env, bool* dynamic) {
  std::vector<Field> fields;
  Expander e(env, &fields);
  e.set_no_split();
  e.word(word);
  if (dynamic) *dynamic = e.dynamic();
  std::string s;
  for (size_t k = 0; k < fields.size(); ++k) {
    if (k) s += ' ';
    s += fields[k].value;
  }
  return s;
}

std::string expand_heredoc(std::string_view body, const Env& env, bool* dynamic) {
  Expander e(env, nullptr);
  std::string s = e.heredoc(body);
  if (dynamic) *dynamic = e.dynamic();
  return s;
}

bool has_glob_magic(std::string_view p) {
  for (size_t i = 0; i < p.size(); ++i) {
    char c = p[i];
    if (c == '\\') {
      ++i;
      continue;
    }
    if (c == '*' || c == '?') return true;
    if (c != '[') continue;
    // The class ends at the first ']' that is not its first member (as in glob_match).
    size_t j = i + 1;
    if (j < p.size() && (p[j] == '!' || p[j] == '^')) ++j;
    bool first = true;
    while (j < p.size() && (p[j] != ']' || first)) {
      first = false;
      if (p[j] == '\\' && j + 1 < p.size()) ++j;
      ++j;
    }
    if (j < p.size()) return true;
  }
  return false;
}

bool glob_match(std::string_view p, std::string_view s) {
  // Iterative matcher with single-star backtracking (linear in practice, no recursion).
  if (!s.empty() && s[0] == '.' && !(p.size() > 0 && p[0] == '.') &&
      !(p.size() > 1 && p[0] == '\\' && p[1] == '.'))
    return false;
  size_t pi = 0, si = 0, star_p = std::string_view::npos, star_s = 0;
  auto match_class = [&](size_t& k, char c) -> bool {
    // p[k] == '['; on return k is past the class. Returns whether c matches.
    size_t j = k + 1;
    bool negate = false;
    if (j < p.size() && (p[j] == '!' || p[j] == '^')) {
      negate = true;
      ++j;
    }
    bool matched = false;
    bool first = true;
    while (j < p.size() && (p[j] != ']' || first)) {
      first = false;
      char lo = p[j];
      if (lo == '\\' && j + 1 < p.size()) lo = p[++j];
      char hi = lo;
      if (j + 2 < p.size() && p[j + 1] == '-' && p[j + 2] != ']') {
        hi = p[j + 2];
        j += 2;
      }
      if (c >= lo && c <= hi) matched = true;
      ++j;
    }
    if (j >= p.size()) {  // no closing bracket: '[' is literal
      k = k + 1;
      return c == '[';
    }
    k = j + 1;
    return matched != negate;
  };
  while (si < s.size()) {
    if (pi < p.size()) {
      char pc = p[pi];
      if (pc == '*') {
        star_p = pi++;
        star_s = si;
        continue;
      }
      if (pc == '?') {
        ++pi;
        ++si;
        continue;
      }
      if (pc == '[') {
        size_t k = pi;
        if (match_class(k, s[si])) {
          pi = k;
          ++si;
          continue;
        }
      } else {
        if (pc == '\\' && pi + 1 < p.size()) pc = p[pi + 1];
        if (pc == s[si]) {
          pi += p[pi] == '\\' && pi + 1 < p.size() ? 2 : 1;
          ++si;
          continue;
        }
      }
    }
    if (star_p != std::string_view::npos) {
      pi = star_p + 1;
      si = ++star_s;
      continue;
    }
    return false;
  }
  while (pi < p.size() && p[pi] == '*') ++pi;
  return pi == p.size();
}

}  // namespace dfplay::sim::sh
