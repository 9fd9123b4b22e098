// An iterative version of BuildKit's shell lexer (frontend/dockerfile/shell/lex.go): the Go
// code recurses (processStopOn -> processDollar -> processStopOn ...); here the recursion is an
// explicit stack of frames, so nesting depth costs heap, not call stack.
//
// All frames write into one output buffer: a frame's text is the tail of the buffer that
// starts where the frame started, so a nested ${...} that keeps its word (`${X:-word}` with X
// unset) costs nothing to hand back to its parent, and the cost stays linear in the input.
#include "shell/expand.h"

#include <unordered_set>

#include "shell/pattern.h"
#include "shell/unicode.h"

namespace dfplay::shell {

// ---------------------------------------------------------------------------------------------
// Env

Env::Env(std::initializer_list<std::pair<std::string_view, std::string_view>> vars) {
  for (const auto& [name, value] : vars) set(name, value);
}

Env Env::from_strings(const std::vector<std::string>& entries) {
  Env env;
  for (const auto& e : entries) {
    const size_t eq = e.find('=');
    if (eq == std::string::npos) env.set(e, "");
    else env.set(std::string_view(e).substr(0, eq), std::string_view(e).substr(eq + 1));
  }
  return env;
}

void Env::set(std::string_view name, std::string_view value) {
  if (auto it = index_.find(name); it != index_.end()) {
    entries_[it->second].second.assign(value);
    return;
  }
  index_.emplace(std::string(name), entries_.size());
  entries_.emplace_back(std::string(name), std::string(value));
}

bool Env::erase(std::string_view name) {
  auto it = index_.find(name);
  if (it == index_.end()) return false;
  entries_.erase(entries_.begin() + static_cast<std::ptrdiff_t>(it->second));
  index_.clear();
  for (size_t i = 0; i < entries_.size(); ++i) index_.emplace(entries_[i].first, i);
  return true;
}

const std::string* Env::find(std::string_view name) const {
  auto it = index_.find(name);
  return it == index_.end() ? nullptr : &entries_[it->second].second;
}

bool Expansion::is_undefined(std::string_view name) const {
  for (const auto& u : undefined)
    if (u == name) return true;
  return false;
}

std::string buildkit_error(std::string_view input, const Expansion& e) {
  return "failed to process " + go_quote(input) + ": " + e.error;
}

// ---------------------------------------------------------------------------------------------
// The lexer

namespace {

constexpr int32_t kEof = -1;

std::string rune_or_error(int32_t ch) { return rune_string(ch < 0 ? kRuneError : char32_t(ch)); }

bool is_special_param(int32_t ch) {
  switch (ch) {
    case '@': case '*': case '#': case '?': case '-': case '$': case '!': case '0':
      return true;
    default:
      return false;
  }
}

// Go's text/scanner over the input: runes, an invalid byte reads as U+FFFD, a leading BOM is
// skipped. Offsets are byte offsets into the original input.
class Scanner {
 public:
  explicit Scanner(std::string_view s) : s_(s) {
    const DecodedRune d = decode_rune(s_, 0);
    if (d.width > 0 && d.rune == 0xFEFF) pos_ = d.width;
  }
  int32_t peek() const {
    if (pos_ >= s_.size()) return kEof;
    const auto b = static_cast<unsigned char>(s_[pos_]);
    if (b < 0x80) return b;
    return static_cast<int32_t>(decode_rune(s_, pos_).rune);
  }
  int32_t next() {
    if (pos_ >= s_.size()) return kEof;
    const auto b = static_cast<unsigned char>(s_[pos_]);
    if (b < 0x80) {
      ++pos_;
      return b;
    }
    const DecodedRune d = decode_rune(s_, pos_);
    pos_ += d.width;
    return static_cast<int32_t>(d.rune);
  }
  size_t offset() const { return pos_; }
  // Consumes the ASCII bytes for which plain(byte) holds, from the cursor on; returns them.
  template <class Plain>
  std::string_view take_ascii_run(Plain plain) {
    size_t b = pos_;
    while (pos_ < s_.size() && static_cast<unsigned char>(s_[pos_]) < 0x80 &&
           plain(static_cast<unsigned char>(s_[pos_])))
      ++pos_;
    return s_.substr(b, pos_ - b);
  }

 private:
  std::string_view s_;
  size_t pos_ = 0;
};

// BuildKit's wordsStruct: the word splitter fed alongside the result.
struct Words {
  std::string buf;
  std::vector<std::string> words;
  bool in_word = false;

  void add_char(char32_t ch) {
    const bool space = is_space(ch);
    if (space && in_word) {
      if (!buf.empty()) {
        words.push_back(std::move(buf));
        buf.clear();
        in_word = false;
      }
    } else if (!space) {
      add_raw_char(ch);
    }
  }
  void add_raw_char(char32_t ch) {
    append_rune(buf, ch);
    in_word = true;
  }
  void add_string(std::string_view s) {
    for (size_t i = 0; i < s.size();) {
      const DecodedRune d = decode_rune(s, i);
      add_char(d.rune);
      i += d.width;
    }
  }
  void add_raw_string(std::string_view s) {
    buf.append(s);
    in_word = true;
  }
  std::vector<std::string> take() {
    if (!buf.empty()) {
      words.push_back(std::move(buf));
      buf.clear();
      in_word = false;
    }
    return std::move(words);
  }
};

enum class Kind : uint8_t { Word, DQuote, Dollar };

struct Frame {
  Kind kind = Kind::Word;
  // Word: processStopOn(stop, raw). DQuote: processDoubleQuote with `raw` escapes in effect.
  int32_t stop = kEof;
  bool raw = false;
  size_t start = 0;  // Word/DQuote: where this frame's text starts in the output buffer
  size_t open = 0;   // DQuote: input offset of the opening quote
  // Dollar: a ${NAME<op>...} waiting for its word(s).
  size_t dollar = 0;       // input offset of the '$'
  size_t value_start = 0;  // where the expansion's text starts in the output buffer
  std::string name, chs;   // chs: the modifier as read (e.g. ":-"), for messages
  int32_t op = 0;
  bool null_is_unset = false;
  bool replace_all = false;
  bool keep = false;  // skip_unset and NAME unset: the expansion is kept as written
  uint8_t stage = 0;  // 0: modifier word; 1: pattern (up to '/'); 2: replacement
  std::string pattern;
};

class Expander {
 public:
  Expander(std::string_view input, const Env& env, const Options& opt, bool want_words)
      : sc_(input), env_(env), opt_(opt), want_words_(want_words),
        escape_(static_cast<unsigned char>(opt.escape)) {
    budget_.remaining = opt.work_limit;
  }

  uint64_t work_left() const { return budget_.remaining; }

  Expansion run() {
    Frame top;
    top.kind = Kind::Word;
    top.stop = kEof;
    top.raw = opt_.raw_escapes;
    stack_.push_back(std::move(top));
    while (!failed_ && !done_) {
      if (stack_.back().kind == Kind::Word) step_word();
      else step_dquote();
    }
    Expansion e;
    e.referenced = std::move(referenced_);
    e.undefined = std::move(undefined_);
    if (failed_) {
      e.ok = false;
      e.error = std::move(error_);
      e.error_offset = error_offset_;
      e.error_end = error_end_;
      return e;
    }
    e.word = std::move(out_);
    if (want_words_) e.words = words_.take();
    return e;
  }

 private:
  bool top_level() const { return stack_.size() == 1; }

  void fail(std::string message, size_t offset) {
    failed_ = true;
    error_ = std::move(message);
    error_offset_ = offset;
    error_end_ = sc_.offset();
    // processDollar replaces any error of its nested word with its own when the input is
    // exhausted; the outermost pending ${ has the last word.
    if (sc_.peek() == kEof) {
      for (const Frame& f : stack_) {
        if (f.kind != Kind::Dollar) continue;
        error_ = f.stage == 1 ? "syntax error: missing '/' in ${}" : "syntax error: missing '}'";
        error_offset_ = f.dollar;
        break;
      }
    }
  }

  void fail_budget(size_t offset) {
    fail("expansion too large (more than " + std::to_string(opt_.work_limit) +
             " units of work)",
         offset);
  }

  const std::string* lookup(const std::string& name) {
    const std::string* v = env_.find(name);
    if (seen_.insert(name).second) {
      referenced_.push_back(name);
      if (!v) undefined_.push_back(name);
    }
    return v;
  }

  void push_word(int32_t stop, bool raw) {
    Frame w;
    w.kind = Kind::Word;
    w.stop = stop;
    w.raw = raw;
    w.start = out_.size();
    stack_.push_back(std::move(w));
    // BuildKit shares one word buffer between processStopOn calls and resets it on entry:
    // the top-level word in progress is lost (see expand.h).
    if (want_words_) words_.buf.clear();
  }

  // A finished expansion value now sits at out_[from..]: tell the top-level word splitter.
  void value_added(size_t from) {
    if (want_words_ && top_level()) words_.add_string(std::string_view(out_).substr(from));
  }

  bool append_value(std::string_view v, size_t dollar) {
    if (!budget_.spend(v.size())) {
      fail_budget(dollar);
      return false;
    }
    out_.append(v);
    return true;
  }

  // --- processStopOn -------------------------------------------------------------------------
  void step_word() {
    Frame& f = stack_.back();
    int32_t ch = sc_.peek();
    if (ch == kEof) {
      end_of_word(f);
      return;
    }
    if (f.stop != kEof && ch == f.stop) {
      sc_.next();
      word_completed();
      return;
    }
    if (ch == '$') {
      dollar();
      return;
    }
    if (!opt_.skip_process_quotes) {
      if (ch == '\'') {
        single_quote();
        return;
      }
      if (ch == '"') {
        open_double_quote(f.raw);
        return;
      }
    }
    const bool words = want_words_ && top_level();
    if (!words && ch < 0x80 && ch != escape_) {
      // A run of ordinary ASCII characters, appended at once (the same as one step each).
      const int32_t stop = f.stop;
      const bool quotes = !opt_.skip_process_quotes;
      out_.append(sc_.take_ascii_run([&](unsigned char b) {
        return b != '$' && b != escape_ && b != stop && !(quotes && (b == '\'' || b == '"'));
      }));
      return;
    }
    ch = sc_.next();
    if (ch == escape_) {
      if (f.raw) {
        if (words) words_.add_raw_char(char32_t(ch));
        append_rune(out_, char32_t(ch));
      }
      ch = sc_.next();
      if (ch == kEof) {  // a trailing escape is dropped
        end_of_word(f);
        return;
      }
      if (words) words_.add_raw_char(char32_t(ch));
    } else if (words) {
      words_.add_char(char32_t(ch));
    }
    append_rune(out_, char32_t(ch));
  }

  void end_of_word(const Frame& f) {
    if (f.stop == kEof) {
      done_ = true;
      return;
    }
    fail("unexpected end of statement while looking for matching " + rune_or_error(f.stop),
         sc_.offset());
  }

  // --- processSingleQuote --------------------------------------------------------------------
  void single_quote() {
    const size_t open = sc_.offset();
    sc_.next();
    const size_t start = out_.size();
    if (opt_.raw_quotes) out_.push_back('\'');
    for (;;) {
      const int32_t ch = sc_.next();
      if (ch == kEof) {
        fail("unexpected end of statement while looking for matching single-quote", open);
        return;
      }
      if (ch == '\'') {
        if (opt_.raw_quotes) out_.push_back('\'');
        break;
      }
      append_rune(out_, char32_t(ch));
    }
    if (want_words_ && top_level()) words_.add_raw_string(std::string_view(out_).substr(start));
  }

  // --- processDoubleQuote --------------------------------------------------------------------
  void open_double_quote(bool raw) {
    Frame q;
    q.kind = Kind::DQuote;
    q.open = sc_.offset();
    q.raw = raw;
    sc_.next();
    q.start = out_.size();
    if (opt_.raw_quotes) out_.push_back('"');
    stack_.push_back(std::move(q));
  }

  void step_dquote() {
    Frame& f = stack_.back();
    int32_t ch = sc_.peek();
    if (ch == kEof) {
      fail("unexpected end of statement while looking for matching double-quote", f.open);
      return;
    }
    if (ch == '"') {
      sc_.next();
      if (opt_.raw_quotes) out_.push_back('"');
      const size_t start = f.start;
      stack_.pop_back();
      if (want_words_ && top_level())
        words_.add_raw_string(std::string_view(out_).substr(start));
      return;
    }
    if (ch == '$') {
      dollar();
      return;
    }
    if (ch < 0x80 && ch != escape_) {
      // A run of ordinary ASCII characters, appended at once (the same as one step each).
      out_.append(sc_.take_ascii_run([&](unsigned char b) { return b != '"' && b != '$' && b != escape_; }));
      return;
    }
    ch = sc_.next();
    if (ch == escape_) {
      if (f.raw) append_rune(out_, char32_t(ch));
      const int32_t p = sc_.peek();
      if (p == kEof) return;  // an escape at the very end is ignored (the quote is unclosed)
      if (p == '"' || p == '$' || p == escape_) ch = sc_.next();
    }
    append_rune(out_, char32_t(ch));
  }

  // --- processName ---------------------------------------------------------------------------
  std::string process_name() {
    std::string name;
    for (;;) {
      const int32_t ch = sc_.peek();
      if (ch == kEof) break;
      if (name.empty() && is_digit(char32_t(ch))) {
        while (sc_.peek() != kEof && is_digit(char32_t(sc_.peek())))
          append_rune(name, char32_t(sc_.next()));
        return name;
      }
      if (name.empty() && is_special_param(ch)) {
        sc_.next();
        return rune_string(char32_t(ch));
      }
      if (!is_letter(char32_t(ch)) && !is_digit(char32_t(ch)) && ch != '_') break;
      append_rune(name, char32_t(sc_.next()));
    }
    return name;
  }

  // --- processDollar -------------------------------------------------------------------------
  void dollar() {
    const size_t at = sc_.offset();
    sc_.next();  // '$'
    if (sc_.peek() != '{') {
      const std::string name = process_name();
      const size_t from = out_.size();
      if (name.empty()) {
        out_.push_back('$');
      } else {
        const std::string* v = lookup(name);
        if (!v && opt_.skip_unset) {
          out_.push_back('$');
          out_.append(name);
        } else if (v && !append_value(*v, at)) {
          return;
        }
      }
      value_added(from);
      return;
    }
    sc_.next();  // '{'
    const int32_t p = sc_.peek();
    if (p == kEof) return fail("syntax error: missing '}'", at);
    if (p == '{' || p == '}' || p == ':') return fail("syntax error: bad substitution", at);

    std::string name = process_name();
    int32_t ch = sc_.next();
    std::string chs = rune_or_error(ch);
    bool null_is_unset = false;
    switch (ch) {
      case '}': {
        const size_t from = out_.size();
        const std::string* v = lookup(name);
        if (!v && opt_.skip_unset) {
          out_.append("${").append(name).push_back('}');
        } else if (v && !append_value(*v, at)) {
          return;
        }
        value_added(from);
        return;
      }
      case ':':
        null_is_unset = true;
        ch = sc_.next();
        chs += rune_or_error(ch);
        [[fallthrough]];
      case '+': case '-': case '?': case '#': case '%': {
        const bool raw = ch == '#' || ch == '%';
        if (null_is_unset && raw)
          return fail("unsupported modifier (" + chs + ") in substitution", at);
        Frame d;
        d.kind = Kind::Dollar;
        d.dollar = at;
        d.value_start = out_.size();
        d.op = ch;
        d.null_is_unset = null_is_unset;
        d.keep = opt_.skip_unset && !env_.contains(name);
        if (d.keep) out_.append("${").append(name).append(chs);
        d.name = std::move(name);
        d.chs = std::move(chs);
        stack_.push_back(std::move(d));
        push_word('}', raw);
        return;
      }
      case '/': {
        Frame d;
        d.kind = Kind::Dollar;
        d.dollar = at;
        d.value_start = out_.size();
        d.op = '/';
        d.stage = 1;
        d.replace_all = sc_.peek() == '/';
        if (d.replace_all) sc_.next();
        d.keep = opt_.skip_unset && !env_.contains(name);
        if (d.keep) out_.append("${").append(name).push_back('/');
        d.name = std::move(name);
        d.chs = std::move(chs);
        stack_.push_back(std::move(d));
        push_word('/', true);
        return;
      }
      default:
        return fail("unsupported modifier (" + chs + ") in substitution", at);
    }
  }

  // A nested word (stop '}' or '/') was read: hand it to its ${...}.
  void word_completed() {
    const size_t word_start = stack_.back().start;
    stack_.pop_back();
    Frame& top = stack_.back();  // always a Dollar frame

    if (top.stage == 1) {  // the pattern of ${NAME/pattern/replacement}
      top.stage = 2;
      if (top.keep) {
        out_.push_back('/');
      } else {
        top.pattern.assign(out_, word_start);
        out_.resize(top.value_start);
      }
      push_word('}', true);
      return;
    }

    // The ${...} is complete: take it off the stack (its own errors are not rewritten by
    // fail(), only those of enclosing ones are), then compute its value at out_[value_start..].
    Frame d = std::move(top);
    stack_.pop_back();
    const size_t at = d.dollar;
    const std::string* v = lookup(d.name);
    if (d.keep) {
      out_.push_back('}');
      value_added(d.value_start);
      return;
    }
    const bool unset_or_null = !v || (d.null_is_unset && v->empty());
    const std::string_view value = v ? std::string_view(*v) : std::string_view();

    if (d.stage == 2) {
      const std::string replacement(out_, word_start);
      out_.resize(d.value_start);
      PatternResult r = replace(d.pattern, value, replacement, d.replace_all, budget_);
      if (budget_.exceeded) return fail_budget(at);
      if (!r.ok) return fail(std::move(r.message), at);
      if (append_value(r.value, at)) value_added(d.value_start);
      return;
    }

    switch (d.op) {
      case '-':
        if (!unset_or_null) {
          out_.resize(d.value_start);
          if (!append_value(value, at)) return;
        }  // else: the word, already in place, is the value
        break;
      case '+':
        if (unset_or_null) out_.resize(d.value_start);
        break;
      case '?':
        if (unset_or_null) {
          const std::string word(out_, word_start);
          const char* fallback = !v ? "is not allowed to be unset" : "is not allowed to be empty";
          return fail(d.name + ": " + (word.empty() ? std::string(fallback) : word), at);
        }
        out_.resize(d.value_start);
        if (!append_value(value, at)) return;
        break;
      case '#':
      case '%': {
        std::string pattern(out_, word_start);
        const bool greedy = !pattern.empty() && static_cast<unsigned char>(pattern[0]) == d.op;
        if (greedy) pattern.erase(0, 1);
        out_.resize(d.value_start);
        PatternResult r = d.op == '%' ? trim_suffix(pattern, value, greedy, budget_)
                                      : trim_prefix(pattern, value, greedy, budget_);
        if (budget_.exceeded) return fail_budget(at);
        if (!r.ok) return fail(std::move(r.message), at);
        if (!append_value(r.value, at)) return;
        break;
      }
      default:
        return fail("unsupported modifier (" + d.chs + ") in substitution", at);
    }
    value_added(d.value_start);
  }

  Scanner sc_;
  const Env& env_;
  const Options& opt_;
  const bool want_words_;
  const int32_t escape_;
  WorkBudget budget_;
  std::vector<Frame> stack_;
  std::string out_;
  Words words_;
  std::vector<std::string> referenced_, undefined_;
  std::unordered_set<std::string> seen_;
  bool done_ = false, failed_ = false;
  std::string error_;
  size_t error_offset_ = 0, error_end_ = 0;
};

}  // namespace

namespace {
Expansion expand(std::string_view input, const Env& env, const Options& options, bool want_words) {
  if (!options.shared_budget) return Expander(input, env, options, want_words).run();
  Options o = options;
  o.work_limit = std::min(o.work_limit, *options.shared_budget);
  Expander x(input, env, o, want_words);
  Expansion e = x.run();
  *options.shared_budget = x.work_left();
  return e;
}
}  // namespace

Expansion expand_word(std::string_view input, const Env& env, const Options& options) {
  return expand(input, env, options, /*want_words=*/false);
}

Expansion expand_words(std::string_view input, const Env& env, const Options& options) {
  return expand(input, env, options, /*want_words=*/true);
}

}  // namespace dfplay::shell
