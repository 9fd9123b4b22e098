#include "syntax/heredoc.h"

#include <string>

#include "pipeline_limits.h"
#include "syntax/text.h"

namespace dfplay::syntax::detail {
namespace {

constexpr int32_t kEof = -1;

// Word accumulation (BuildKit's wordsStruct): unquoted white space separates words, quoted
// text and escaped characters never do; empty words are dropped.
struct Words {
  std::vector<ShellWord>* out = nullptr;  // null: words are not wanted
  std::string word;
  bool in_word = false;
  uint32_t begin = 0;

  void push(uint32_t at) {
    out->push_back({std::move(word), begin, at});
    word.clear();
    in_word = false;
  }
  void add_raw_char(char32_t ch, uint32_t at) {
    if (!out) return;
    if (word.empty()) begin = at;
    text::append_rune(word, ch);
    in_word = true;
  }
  void add_char(char32_t ch, uint32_t at) {
    if (!out) return;
    bool space = text::is_space(ch);
    if (space && in_word) {
      if (!word.empty()) push(at);
    } else if (!space) {
      add_raw_char(ch, at);
    }
  }
  void add_string(std::string_view s, uint32_t at) {
    if (!out) return;
    for (size_t i = 0; i < s.size();) {
      text::Rune r = text::decode(s, i);
      add_char(r.cp, at);
      i += r.width;
    }
  }
  void add_raw_string(std::string_view s, uint32_t at) {
    if (!out) return;
    if (word.empty()) begin = at;
    word += s;
    in_word = true;
  }
  void finish(uint32_t at) {
    if (out && !word.empty()) push(at);
  }
};

class Lexer {
 public:
  Lexer(std::string_view s, ShellLexOptions o) : s_(s), raw_quotes_(o.raw_quotes), raw_escapes_(o.raw_escapes) {
    // text/scanner skips a byte order mark at the very start.
    if (s_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
  }

  bool run(std::vector<ShellWord>& out, std::string* error) {
    Words words;
    words.out = &out;
    std::string result;
    if (!stop_on(kEof, raw_escapes_, &words, result)) {
      out.clear();
      if (error) *error = std::move(error_);
      return false;
    }
    return true;
  }

 private:
  int32_t peek() const {
    if (pos_ >= s_.size()) return kEof;
    auto c = static_cast<unsigned char>(s_[pos_]);
    if (c < 0x80) return c;
    return static_cast<int32_t>(text::decode(s_, pos_).cp);
  }
  int32_t next() {
    if (pos_ >= s_.size()) return kEof;
    auto c = static_cast<unsigned char>(s_[pos_]);
    if (c < 0x80) {
      ++pos_;
      return c;
    }
    text::Rune r = text::decode(s_, pos_);
    pos_ += r.width;
    return static_cast<int32_t>(r.cp);
  }
  static void put(std::string& out, int32_t ch) {
    text::append_rune(out, ch < 0 ? text::kRuneError : static_cast<char32_t>(ch));
  }
  bool fail(const char* msg) {
    error_ = msg;
    return false;
  }

  // processStopOn: up to `stop` (consumed) or the end of the text.
  bool stop_on(int32_t stop, bool raw_escapes, Words* words, std::string& result) {
    bool saved = raw_escapes_;
    raw_escapes_ = raw_escapes;
    bool ok = stop_on_inner(stop, words, result);
    raw_escapes_ = saved;
    return ok;
  }

  bool stop_on_inner(int32_t stop, Words* words, std::string& result) {
    Words none;
    if (!words) words = &none;
    std::string tmp;
    while (peek() != kEof) {
      int32_t ch = peek();
      auto at = static_cast<uint32_t>(pos_);
      if (stop != kEof && ch == stop) {
        next();
        words->finish(at);
        return true;
      }
      if (ch == '$' || ch == '\'' || ch == '"' || ch == '<') {
        tmp.clear();
        bool ok = ch == '$'    ? dollar(tmp)
                  : ch == '<'  ? possible_heredoc(tmp)
                  : ch == '\'' ? single_quote(tmp)
                               : double_quote(tmp);
        if (!ok) return false;
        result += tmp;
        if (ch == '$') words->add_string(tmp, at);
        else words->add_raw_string(tmp, at);
        continue;
      }
      ch = next();
      if (ch == '\\') {
        if (raw_escapes_) {
          words->add_raw_char(ch, at);
          put(result, ch);
        }
        ch = next();
        if (ch == kEof) break;
        words->add_raw_char(static_cast<char32_t>(ch), at);
      } else {
        words->add_char(static_cast<char32_t>(ch), at);
      }
      put(result, ch);
    }
    if (stop != kEof) {
      error_ = "unexpected end of statement while looking for matching ";
      put(error_, stop);
      return false;
    }
    words->finish(static_cast<uint32_t>(pos_));
    return true;
  }

  // processPossibleHeredoc: "<<" keeps the blanks after it in its word, so that `<< EOF`
  // is one word.
  bool possible_heredoc(std::string& out) {
    next();
    out += '<';
    if (peek() != '<') return true;
    next();
    out += '<';
    for (int32_t p = peek(); p == ' ' || p == '\t' || p == '\r' || p == '\n'; p = peek()) put(out, next());
    return true;
  }

  bool single_quote(std::string& out) {
    int32_t ch = next();
    if (raw_quotes_) put(out, ch);
    for (;;) {
      ch = next();
      if (ch == kEof) return fail("unexpected end of statement while looking for matching single-quote");
      if (ch == '\'') {
        if (raw_quotes_) put(out, ch);
        return true;
      }
      put(out, ch);
    }
  }

  bool double_quote(std::string& out) {
    int32_t ch = next();
    if (raw_quotes_) put(out, ch);
    std::string value;
    for (;;) {
      int32_t p = peek();
      if (p == kEof) return fail("unexpected end of statement while looking for matching double-quote");
      if (p == '"') {
        ch = next();
        if (raw_quotes_) put(out, ch);
        return true;
      }
      if (p == '$') {
        value.clear();
        if (!dollar(value)) return false;
        out += value;
        continue;
      }
      ch = next();
      if (ch == '\\') {
        if (raw_escapes_) put(out, ch);
        int32_t q = peek();
        if (q == kEof) continue;
        if (q == '"' || q == '$' || q == '\\') ch = next();
      }
      put(out, ch);
    }
  }

  static bool is_name_char(int32_t ch) {
    if (ch < 0) return false;
    if (ch < 0x80) return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_';
    // Go uses unicode.IsLetter/IsDigit; printable non-ASCII runes that are not white space
    // are a close enough stand-in for heredoc detection.
    return text::is_print(static_cast<char32_t>(ch)) && !text::is_space(static_cast<char32_t>(ch));
  }

  std::string name() {
    std::string n;
    while (peek() != kEof) {
      int32_t ch = peek();
      if (n.empty() && ch >= '0' && ch <= '9') {
        while (peek() >= '0' && peek() <= '9') put(n, next());
        return n;
      }
      if (n.empty() && (ch == '@' || ch == '*' || ch == '#' || ch == '?' || ch == '-' || ch == '$' ||
                        ch == '!' || ch == '0')) {
        put(n, next());
        return n;
      }
      if (!is_name_char(ch)) break;
      put(n, next());
    }
    return n;
  }

  // processDollar with every variable unset and SkipUnsetEnv: the reference is kept as text.
  bool dollar(std::string& out) {
    next();  // '$'
    if (peek() != '{') {
      out += '$';
      out += name();
      return true;
    }
    next();  // '{'
    // Each ${ nests a call (stop_on -> dollar): bounded, or a line of `${a:-${a:-...` exhausts the
    // stack (fuzz_build found one). BuildKit's Go stack grows instead; no real line comes close.
    if (nesting_ == limits::kMaxSubstitutionNesting) {
      error_ = "syntax error: ${...} nested more than " + std::to_string(limits::kMaxSubstitutionNesting) + " deep";
      return false;
    }
    ++nesting_;
    struct Leave {
      int& depth;
      ~Leave() { --depth; }
    } leave{nesting_};
    int32_t p = peek();
    if (p == kEof) return fail("syntax error: missing '}'");
    if (p == '{' || p == '}' || p == ':') return fail("syntax error: bad substitution");
    std::string nm = name();
    int32_t ch = next();
    std::string chs;
    put(chs, ch);
    switch (ch) {
      case '}':
        out += "${" + nm + "}";
        return true;
      case ':':
        ch = next();
        put(chs, ch);
        [[fallthrough]];
      case '+':
      case '-':
      case '?':
      case '#':
      case '%': {
        std::string word;
        if (!stop_on('}', ch == '#' || ch == '%', nullptr, word)) {
          if (peek() == kEof) error_ = "syntax error: missing '}'";
          return false;
        }
        out += "${" + nm + chs + word + "}";
        return true;
      }
      case '/': {
        if (peek() == '/') next();
        std::string pattern, replacement;
        if (!stop_on('/', true, nullptr, pattern)) {
          if (peek() == kEof) error_ = "syntax error: missing '/' in ${}";
          return false;
        }
        if (!stop_on('}', true, nullptr, replacement)) {
          if (peek() == kEof) error_ = "syntax error: missing '}'";
          return false;
        }
        out += "${" + nm + "/" + pattern + "/" + replacement + "}";
        return true;
      }
      default:
        error_ = "unsupported modifier (" + chs + ") in substitution";
        return false;
    }
  }

  std::string_view s_;
  size_t pos_ = 0;
  bool raw_quotes_;
  bool raw_escapes_;
  std::string error_;
  int nesting_ = 0;  // ${ ... } levels open
};

size_t count_quotes(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (c == '\'' || c == '"');
  return n;
}

}  // namespace

bool lex_shell_words(std::string_view s, ShellLexOptions opts, std::vector<ShellWord>& out,
                     std::string* error) {
  out.clear();
  Lexer lx(s, opts);
  return lx.run(out, error);
}

std::optional<HeredocOpener> parse_heredoc_word(std::string_view word, std::string* error) {
  // ^(\d*)<<(-?)\s*([^<]*)$
  size_t i = 0;
  while (i < word.size() && word[i] >= '0' && word[i] <= '9') ++i;
  std::string_view digits = word.substr(0, i);
  if (word.substr(i, 2) != "<<") return std::nullopt;
  i += 2;
  HeredocOpener h;
  if (i < word.size() && word[i] == '-') {
    h.chomp = true;
    ++i;
  }
  while (i < word.size() && (word[i] == ' ' || word[i] == '\t' || word[i] == '\n' || word[i] == '\f' || word[i] == '\r')) ++i;
  std::string_view rest = word.substr(i);
  if (rest.find('<') != std::string_view::npos || rest.empty()) return std::nullopt;
  uint64_t fd = 0;
  for (char c : digits) {
    fd = fd * 10 + static_cast<uint64_t>(c - '0');
    if (fd > 0xFFFFFFFFu) fd = 0xFFFFFFFFu;
  }
  h.fd = static_cast<uint32_t>(fd);

  std::vector<ShellWord> words, raw;
  std::string err;
  if (!lex_shell_words(rest, {false, false}, words, &err)) {
    if (error) *error = "failed to process " + text::go_quote(rest) + ": " + err;
    return std::nullopt;
  }
  if (words.size() != 1) return std::nullopt;
  if (!lex_shell_words(rest, {true, false}, raw, &err)) {
    if (error) *error = "failed to process " + text::go_quote(rest) + ": " + err;
    return std::nullopt;
  }
  if (raw.size() != words.size()) {
    if (error) *error = "internal lexing of heredoc produced inconsistent results: " + std::string(rest);
    return std::nullopt;
  }
  h.expand = count_quotes(words[0].text) == count_quotes(raw[0].text);
  h.name = std::move(words[0].text);
  return h;
}

bool heredocs_from_line(std::string_view line, std::vector<HeredocOpener>& out, std::string* error) {
  out.clear();
  std::vector<ShellWord> words;
  lex_shell_words(line, {true, true}, words, nullptr);  // a line that does not lex has no heredocs
  for (auto& w : words) {
    std::string err;
    auto h = parse_heredoc_word(w.text, &err);
    if (!err.empty()) {
      if (error) *error = std::move(err);
      return false;
    }
    if (h) {
      h->begin = w.begin;
      h->end = w.end;
      out.push_back(std::move(*h));
    }
  }
  return true;
}

}  // namespace dfplay::syntax::detail
