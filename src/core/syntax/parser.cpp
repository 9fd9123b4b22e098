// The Dockerfile parser. It follows BuildKit's frontend/dockerfile/parser rule by rule (line
// scanning, directives, comments, continuations, splitCommand/extractBuilderFlags, the
// per-instruction argument parsers, heredocs), in a single pass over the text, and records
// source ranges on the way. Unlike BuildKit it does not stop at the first error: each broken
// instruction gets a diagnostic and parsing goes on with the next line.
#include "syntax/parser.h"

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "pipeline_limits.h"
#include "syntax/heredoc.h"
#include "syntax/json_array.h"
#include "syntax/text.h"

namespace dfplay::syntax {

namespace {
constexpr std::string_view kNames[] = {
    "", "add", "arg", "cmd", "copy", "entrypoint", "env", "expose", "from", "healthcheck",
    "label", "maintainer", "onbuild", "run", "shell", "stopsignal", "user", "volume", "workdir"};
constexpr int kKeywordCount = static_cast<int>(Keyword::Workdir);
}  // namespace

std::string_view keyword_name(Keyword k) { return kNames[static_cast<int>(k)]; }

Keyword keyword_from(std::string_view word) {
  // BuildKit looks instructions up with strings.ToLower: ASCII letters, plus the two non-ASCII
  // runes whose simple lower-case mapping is an ASCII letter (KELVIN SIGN -> k, I WITH DOT -> i).
  char lower[16];
  size_t n = 0;
  for (size_t i = 0; i < word.size();) {
    if (n >= sizeof lower) return Keyword::Unknown;
    auto c = static_cast<unsigned char>(word[i]);
    if (c < 0x80) {
      lower[n++] = static_cast<char>((c >= 'A' && c <= 'Z') ? c + 32 : c);
      ++i;
      continue;
    }
    text::Rune r = text::decode(word, i);
    if (r.cp == 0x212A) lower[n++] = 'k';
    else if (r.cp == 0x130) lower[n++] = 'i';
    else return Keyword::Unknown;
    i += r.width;
  }
  std::string_view l(lower, n);
  for (int i = 1; i <= kKeywordCount; ++i)
    if (kNames[i] == l) return static_cast<Keyword>(i);
  return Keyword::Unknown;
}

namespace {

constexpr size_t kMaxLine = 65535;     // bufio.MaxScanTokenSize - 1
constexpr int kMaxTriggerDepth = 16;   // ONBUILD ONBUILD ... nesting kept in the AST

struct PhysLine {
  std::string_view raw;  // the line without its "\n" (may end with "\r")
  uint32_t offset = 0;   // byte offset of raw[0]
  uint32_t line = 0;     // 1-based
};

// A piece of a physical line copied into the logical line.
struct Segment {
  uint32_t logical;
  uint32_t length;
  uint32_t source;
  uint32_t line;
  uint32_t column;
};

// A word of parseWords. Its text is buf_[begin, text_end) unless `dirty` (an invalid UTF-8
// byte, written as U+FFFD), then it is built by word_text().
struct ParsedWord {
  uint32_t begin, end, text_end;
  uint32_t eq;  // offset of the first '=' written to the word, or UINT32_MAX
  bool dirty;
};

constexpr uint32_t kNone = UINT32_MAX;

std::string_view trim_newline(std::string_view s) {
  while (!s.empty() && (s.back() == '\r' || s.back() == '\n')) s.remove_suffix(1);
  return s;
}

bool is_re_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_alnum(char c) { return is_alpha(c) || (c >= '0' && c <= '9'); }

std::string ascii_upper(std::string_view s) {
  std::string r(s);
  for (char& c : r)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
  return r;
}

// Levenshtein distance over runes (the suggestion of BuildKit's suggest.WrapError).
size_t levenshtein(std::string_view a, std::string_view b) {
  std::vector<char32_t> x, y;
  for (size_t i = 0; i < a.size();) {
    auto r = text::decode(a, i);
    x.push_back(r.cp);
    i += r.width;
  }
  for (size_t i = 0; i < b.size();) {
    auto r = text::decode(b, i);
    y.push_back(r.cp);
    i += r.width;
  }
  std::vector<size_t> prev(y.size() + 1), cur(y.size() + 1);
  for (size_t j = 0; j <= y.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= x.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= y.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1)});
    std::swap(prev, cur);
  }
  return prev[y.size()];
}

std::string unknown_instruction_message(std::string_view value) {
  std::string msg = fmt::format("unknown instruction: {}", value);
  // Cheap bound first: the distance is at least the difference in length.
  if (value.size() > 40) return msg;
  std::string lower = text::to_lower(value);
  std::string_view match;
  size_t best = 3;
  // Alphabetical order, so that ties are stable.
  static constexpr std::string_view sorted[] = {"add", "arg", "cmd", "copy", "entrypoint", "env",
                                                "expose", "from", "healthcheck", "label",
                                                "maintainer", "onbuild", "run", "shell",
                                                "stopsignal", "user", "volume", "workdir"};
  for (auto opt : sorted) {
    size_t d = levenshtein(lower, opt);
    if (d < best) {
      best = d;
      match = opt;
    }
  }
  if (match.empty()) return msg;
  std::string m(match);
  if (value == text::to_lower(value)) {
    // keep lower case
  } else if (value == ascii_upper(value)) {
    m = ascii_upper(m);
  }
  return msg + " (did you mean " + m + "?)";
}

// Go's `string(rune(line[pos]))`: a byte >= 0x80 becomes the code point U+0080..U+00FF.
inline char* put_latin1(char* out, unsigned char b) {
  if (b < 0x80) {
    *out++ = static_cast<char>(b);
  } else {
    *out++ = static_cast<char>(0xC0 | (b >> 6));
    *out++ = static_cast<char>(0x80 | (b & 0x3F));
  }
  return out;
}

// memchr(p, '\n', n). glibc's is vectorised; in wasm a word-at-a-time scan beats musl's.
inline const char* find_newline(const char* p, size_t n) {
#if defined(__EMSCRIPTEN__)
  const char* end = p + n;
  while (p + 8 <= end) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    uint64_t x = w ^ 0x0A0A0A0A0A0A0A0AULL;
    if ((x - 0x0101010101010101ULL) & ~x & 0x8080808080808080ULL) break;
    p += 8;
  }
  for (; p < end; ++p)
    if (*p == '\n') return p;
  return nullptr;
#else
  return static_cast<const char*>(std::memchr(p, '\n', n));
#endif
}

class Parser {
 public:
  Parser(std::string_view text, Dockerfile& df) : text_(text), df_(df) {}

  void run() {
    while (!step(UINT32_MAX)) {
    }
  }

  // Parses whole instructions until at least `max_lines` more physical lines were read or the
  // text ends; true once the whole text is parsed (and the Dockerfile complete). The same work as
  // one run(), in the same order, however it is cut: what carries over from one call to the next
  // is the parser's state (position, line number, directives, pending comments).
  bool step(uint32_t max_lines) {
    if (done_) return true;
    const uint64_t stop = static_cast<uint64_t>(line_no_) + std::max<uint32_t>(max_lines, 1);
    PhysLine l;
    std::vector<std::string>& comments = comments_;
    for (;;) {
      if (line_no_ >= stop) return false;
      if (!next_line(l)) break;
      std::string_view b = l.raw;
      uint32_t boff = l.offset;
      if (l.line == 1 && b.substr(0, 3) == "\xEF\xBB\xBF") {
        b.remove_prefix(3);
        boff += 3;
      }
      std::string_view c = trim_newline(b);
      size_t lead = text::space_prefix(c);
      std::string_view t = c.substr(lead);
      bool is_comment = !t.empty() && t[0] == '#';
      if (is_comment) {
        // BuildKit: strings.TrimSpace(line[1:]) of the untrimmed line.
        std::string_view cm = text::trim(b.substr(1));
        if (cm.empty()) comments.clear();
        else comments.emplace_back(cm);
      }
      if (!dir_done_ && directive(t, l, boff + static_cast<uint32_t>(lead)) && !comments.empty())
        comments.pop_back();
      if (is_comment || t.empty()) continue;

      // A logical line: this line and its continuation lines.
      buf_.clear();
      segs_.clear();
      bool cont = trim_continuation(t);
      append_segment(t, boff + static_cast<uint32_t>(lead), l);
      PhysLine last = l;
      PhysLine cl;
      while (cont && next_line(cl)) {
        last = cl;
        std::string_view c2 = trim_newline(cl.raw);
        size_t lead2 = text::space_prefix(c2);
        if (lead2 < c2.size() && c2[lead2] == '#') continue;  // comment lines are dropped
        if (lead2 == c2.size()) {                              // empty continuation line
          df_.empty_continuation_lines.push_back(line_range(cl));
          continue;
        }
        cont = trim_continuation(c2);
        append_segment(c2, cl.offset, cl);
      }

      if (df_.nodes.size() >= limits::kMaxInstructions) {
        Range r{{l.line, static_cast<uint32_t>(lead) + 1, boff + static_cast<uint32_t>(lead)}, line_end(last)};
        df_.diagnostics.error(r, "limits/instructions",
                              fmt::format("more than {} instructions: the playground analyses the first {} and stops here",
                                          limits::kMaxInstructions, limits::kMaxInstructions));
        break;
      }
      Node& n = df_.nodes.emplace_back();
      build_node(n, 0, static_cast<uint32_t>(buf_.size()), 0);
      if (n.keyword == Keyword::From && ++stages_ > limits::kMaxStages) {
        df_.diagnostics.error(Range{n.range.begin, line_end(last)}, "limits/stages",
                              fmt::format("more than {} stages: the playground analyses the first {} and stops here",
                                          limits::kMaxStages, limits::kMaxStages));
        df_.nodes.pop_back();
        break;
      }
      n.original = buf_;
      n.comments = std::move(comments);
      comments.clear();
      n.range.end = line_end(last);
      read_heredocs(n);
    }
    if (df_.nodes.empty()) {
      Position end = end_position();
      df_.diagnostics.error({end, end}, "parse/no-instructions", "file with no instructions");
    }
    df_.escape = escape_;
    done_ = true;
    return true;
  }

 private:
  // ---- lines -------------------------------------------------------------------------------

  bool next_line(PhysLine& l) {
    if (pos_ >= text_.size()) return false;
    const char* base = text_.data();
    const char* nl = find_newline(base + pos_, text_.size() - pos_);
    size_t end = nl ? static_cast<size_t>(nl - base) : text_.size();
    l.raw = text_.substr(pos_, end - pos_);
    l.offset = static_cast<uint32_t>(pos_);
    l.line = ++line_no_;
    pos_ = nl ? end + 1 : end;
    if (l.raw.size() > kMaxLine) {
      Position p{l.line, 1, l.offset};
      df_.diagnostics.error({p, p}, "parse/line-too-long",
                            fmt::format("dockerfile line greater than max allowed size of {}", kMaxLine));
    }
    return true;
  }

  static Position line_end(const PhysLine& l) {
    auto len = static_cast<uint32_t>(trim_newline(l.raw).size());
    return {l.line, len + 1, l.offset + len};
  }
  static Range line_range(const PhysLine& l) { return {{l.line, 1, l.offset}, line_end(l)}; }

  Position end_position() const {
    // The position just after the last byte of the text.
    size_t nl = text_.rfind('\n');
    size_t start = nl == std::string_view::npos ? 0 : nl + 1;
    uint32_t line = 1;
    for (char ch : text_) line += ch == '\n';
    return {line, static_cast<uint32_t>(text_.size() - start + 1), static_cast<uint32_t>(text_.size())};
  }

  // BuildKit's line continuation regex: ([^E])E[ \t]*$ | ^E[ \t]*$ with E the escape token.
  bool trim_continuation(std::string_view& s) const {
    size_t e = s.size();
    while (e > 0 && (s[e - 1] == ' ' || s[e - 1] == '\t')) --e;
    if (e == 0 || s[e - 1] != escape_) return false;
    if (e >= 2 && s[e - 2] == escape_) return false;
    s = s.substr(0, e - 1);
    return true;
  }

  void append_segment(std::string_view piece, uint32_t source, const PhysLine& l) {
    segs_.push_back({static_cast<uint32_t>(buf_.size()), static_cast<uint32_t>(piece.size()), source,
                     l.line, source - l.offset + 1});
    buf_.append(piece);
  }

  // ---- positions of logical-line offsets ------------------------------------------------

  Position pos_begin(uint32_t lo) const {
    if (segs_.size() == 1) {
      const Segment& s = segs_.front();
      uint32_t d = std::min(lo, s.length);
      return {s.line, s.column + d, s.source + d};
    }
    auto it = std::upper_bound(segs_.begin(), segs_.end(), lo,
                               [](uint32_t v, const Segment& s) { return v < s.logical; });
    const Segment& s = it == segs_.begin() ? segs_.front() : *(it - 1);
    uint32_t d = std::min(lo - std::min(lo, s.logical), s.length);
    return {s.line, s.column + d, s.source + d};
  }
  Position pos_end(uint32_t lo) const {
    if (segs_.size() == 1) {
      const Segment& s = segs_.front();
      uint32_t d = std::min(lo, s.length);
      return {s.line, s.column + d, s.source + d};
    }
    auto it = std::lower_bound(segs_.begin(), segs_.end(), lo,
                               [](const Segment& s, uint32_t v) { return s.logical < v; });
    if (it == segs_.begin()) return {segs_.front().line, segs_.front().column, segs_.front().source};
    const Segment& s = *(it - 1);
    uint32_t d = std::min(lo - s.logical, s.length);
    return {s.line, s.column + d, s.source + d};
  }
  Range range(uint32_t b, uint32_t e) const { return {pos_begin(b), pos_end(e)}; }

  // ---- directives --------------------------------------------------------------------------

  // BuildKit's DirectiveParser.ParseLine on a line (left-trimmed). True when it is a directive.
  bool directive(std::string_view t, const PhysLine& l, uint32_t src) {
    if (t.empty() || t[0] != '#') {
      dir_done_ = true;
      return false;
    }
    std::string_view r = text::trim_left(t.substr(1));
    size_t i = 0;
    if (r.empty() || !is_alpha(r[0])) {
      dir_done_ = true;
      return false;
    }
    while (i < r.size() && is_alnum(r[i])) ++i;
    std::string_view name = r.substr(0, i);
    while (i < r.size() && is_re_space(r[i])) ++i;
    if (i >= r.size() || r[i] != '=') {
      dir_done_ = true;
      return false;
    }
    std::string_view v = r.substr(i + 1);
    if (v.empty()) {
      dir_done_ = true;
      return false;
    }
    size_t vb = 0, ve = v.size();
    while (vb < ve && is_re_space(v[vb])) ++vb;
    while (ve > vb && is_re_space(v[ve - 1])) --ve;
    if (vb == ve) {  // only white space: the lazy (.+?) takes the last character
      vb = v.size() - 1;
      ve = v.size();
    }
    std::string key = text::to_lower(name);
    bool* seen = key == "syntax" ? &seen_syntax_ : key == "escape" ? &seen_escape_ : key == "check" ? &seen_check_ : nullptr;
    if (!seen) {
      dir_done_ = true;
      return false;
    }
    Range rg{{l.line, src - l.offset + 1, src},
             {l.line, static_cast<uint32_t>(src - l.offset + 1 + t.size()), static_cast<uint32_t>(src + t.size())}};
    if (*seen) {
      df_.diagnostics.error(rg, "parse/duplicate-directive",
                            fmt::format("only one {} parser directive can be used", key));
      return false;
    }
    *seen = true;
    std::string value(v.substr(vb, ve - vb));
    if (key == "escape") {
      if (value != "`" && value != "\\") {
        df_.diagnostics.error(rg, "parse/invalid-escape",
                              fmt::format("invalid escape token '{}' does not match ` or \\", value));
        return false;
      }
      escape_ = value[0];
    }
    df_.directives.push_back({std::move(key), std::move(value), rg});
    return true;
  }

  // ---- instructions ------------------------------------------------------------------------

  void error(Node& n, Range r, const char* code, std::string msg) {
    n.has_error = true;
    df_.diagnostics.error(r, code, std::move(msg));
  }

  void add_arg(Node& n, uint32_t b, uint32_t e) {
    n.args.push_back({buf_.substr(b, e - b), range(b, e)});
  }

  // newNodeFromLine on buf_[b, e).
  void build_node(Node& n, uint32_t b, uint32_t e, int depth) {
    std::string_view line(buf_.data() + b, e - b);
    uint32_t a = b + static_cast<uint32_t>(text::space_prefix(line));
    uint32_t z = e - static_cast<uint32_t>(text::space_suffix(line));
    if (z < a) z = a;
    uint32_t k = a;
    while (k < z && !text::is_ws_class(buf_[k])) ++k;
    n.keyword_text.assign(buf_, a, k - a);
    n.keyword = keyword_from(n.keyword_text);
    n.keyword_range = range(a, k);
    n.range.begin = n.keyword_range.begin;
    uint32_t rs = z, re = z;
    if (k < z) {
      uint32_t f = k;
      while (f < z && text::is_ws_class(buf_[f])) ++f;
      rs = extract_flags(n, f, z);
      std::string_view rest(buf_.data() + rs, z - rs);
      rs += static_cast<uint32_t>(text::space_prefix(rest));
      re = z - static_cast<uint32_t>(text::space_suffix(rest));
      if (re < rs) re = rs;
    }
    n.args_range = range(rs, re);
    switch (n.keyword) {
      case Keyword::From:
      case Keyword::Expose: whitespace_words(n, rs, re); break;
      case Keyword::Add:
      case Keyword::Copy:
      case Keyword::Volume: maybe_json_to_list(n, rs, re); break;
      case Keyword::Run:
      case Keyword::Cmd:
      case Keyword::Entrypoint:
      case Keyword::Shell: maybe_json(n, rs, re); break;
      case Keyword::Arg: name_or_name_val(n, rs, re); break;
      case Keyword::Env: name_val(n, rs, re, "ENV"); break;
      case Keyword::Label: name_val(n, rs, re, "LABEL"); break;
      case Keyword::Healthcheck: health(n, rs, re); break;
      case Keyword::Maintainer:
      case Keyword::Stopsignal:
      case Keyword::User:
      case Keyword::Workdir:
        if (rs < re) add_arg(n, rs, re);
        break;
      case Keyword::Onbuild: sub_command(n, rs, re, depth); break;
      case Keyword::Unknown:
        n.args.push_back({std::string(), range(rs, rs)});
        if (depth == 0) {
          error(n, n.keyword_range, "parse/unknown-instruction", unknown_instruction_message(n.keyword_text));
        } else {
          df_.diagnostics.warning(n.keyword_range, "parse/unknown-instruction",
                                  unknown_instruction_message(n.keyword_text));
        }
        break;
    }
    if (depth > 0) n.range.end = pos_end(re > rs ? re : std::max(k, re));
  }

  // extractBuilderFlags on buf_[from, to): returns where the arguments start.
  uint32_t extract_flags(Node& n, uint32_t from, uint32_t to) {
    enum { InSpaces, InWord, InQuote } phase = InSpaces;
    // The word is built in a scratch buffer: every byte becomes at most two.
    if (flag_buf_.size() < 2 * size_t(to - from) + 1) flag_buf_.resize(2 * size_t(to - from) + 1);
    char* const wbeg = flag_buf_.data();
    char* w = wbeg;
    auto word_is = [&](std::string_view v) { return std::string_view(wbeg, w - wbeg) == v; };
    bool blank_ok = false;
    unsigned char quote = 0;
    uint32_t wstart = from;
    for (uint32_t pos = from; pos <= to; ++pos) {
      unsigned char ch = pos != to ? static_cast<unsigned char>(buf_[pos]) : 0;
      if (phase == InSpaces) {
        if (pos == to) break;
        if (text::is_space_byte(ch)) continue;
        if (ch != '-' || pos + 1 == to || buf_[pos + 1] != '-') return pos;
        phase = InWord;
        wstart = pos;
      }
      if ((phase == InWord || phase == InQuote) && pos == to) {
        if (!word_is("--") && (blank_ok || w != wbeg))
          n.flags.push_back({std::string(wbeg, w - wbeg), range(wstart, pos)});
        break;
      }
      if (phase == InWord) {
        if (text::is_space_byte(ch)) {
          phase = InSpaces;
          if (word_is("--")) return pos;
          if (blank_ok || w != wbeg) n.flags.push_back({std::string(wbeg, w - wbeg), range(wstart, pos)});
          w = wbeg;
          blank_ok = false;
          continue;
        }
        if (ch == '\'' || ch == '"') {
          quote = ch;
          blank_ok = true;
          phase = InQuote;
          continue;
        }
        if (ch == '\\') {
          if (pos + 1 == to) continue;
          ++pos;
          ch = static_cast<unsigned char>(buf_[pos]);
        }
        w = put_latin1(w, ch);
        continue;
      }
      // InQuote
      if (ch == quote) {
        phase = InWord;
        continue;
      }
      if (ch == '\\') {
        if (pos + 1 == to) {
          phase = InWord;
          continue;
        }
        ++pos;
        ch = static_cast<unsigned char>(buf_[pos]);
      }
      w = put_latin1(w, ch);
    }
    return to;
  }

  // parseStringsWhitespaceDelimited: split on [\t\v\f\r ]+.
  void whitespace_words(Node& n, uint32_t rs, uint32_t re) {
    uint32_t i = rs;
    while (i < re) {
      uint32_t j = i;
      while (j < re && !text::is_ws_class(buf_[j])) ++j;
      add_arg(n, i, j);
      while (j < re && text::is_ws_class(buf_[j])) ++j;
      i = j;
    }
  }

  // parseJSON. Returns the status; on Ok the elements are added as args.
  JsonArrayStatus json_array(Node& n, uint32_t rs, uint32_t re) {
    std::string_view rest(buf_.data() + rs, re - rs);
    size_t lead = text::space_prefix(rest);
    if (lead >= rest.size() || rest[lead] != '[') return JsonArrayStatus::NotJson;
    uint32_t base = rs + static_cast<uint32_t>(lead);
    auto st = parse_json_array(rest.substr(lead), elems_);
    if (st == JsonArrayStatus::NotAllStrings) {
      Range r = range(base, re);
      for (const auto& el : elems_)
        if (!el.is_string) {
          r = range(base + el.begin, base + el.end);
          break;
        }
      error(n, r, "parse/json-not-strings",
            "when using JSON array syntax, arrays must be comprised of strings only");
    } else if (st == JsonArrayStatus::Ok) {
      n.json = true;
      for (const auto& el : elems_) {
        Word w;
        decode_json_string(std::string_view(buf_.data() + base + el.begin, el.end - el.begin), w.text);
        w.range = range(base + el.begin, base + el.end);
        n.args.push_back(std::move(w));
      }
    }
    return st;
  }

  void maybe_json(Node& n, uint32_t rs, uint32_t re) {
    if (rs == re) return;
    if (json_array(n, rs, re) == JsonArrayStatus::NotJson) add_arg(n, rs, re);
  }

  void maybe_json_to_list(Node& n, uint32_t rs, uint32_t re) {
    if (json_array(n, rs, re) == JsonArrayStatus::NotJson) whitespace_words(n, rs, re);
  }

  void health(Node& n, uint32_t rs, uint32_t re) {
    uint32_t sep = rs;
    while (sep < re && !text::is_space_byte(static_cast<unsigned char>(buf_[sep]))) ++sep;
    uint32_t next = sep;
    while (next < re && text::is_space_byte(static_cast<unsigned char>(buf_[next]))) ++next;
    if (sep == rs) return;
    add_arg(n, rs, sep);
    maybe_json(n, next, re);
    if (n.has_error) n.args.clear();
  }

  // parseWords: words separated by white space, quotes and escapes kept.
  void parse_words(uint32_t from, uint32_t to, std::vector<ParsedWord>& out) {
    out.clear();
    enum { InSpaces, InWord, InQuote } phase = InSpaces;
    char32_t quote = 0, ch = 0;
    uint32_t chw = 1;
    bool blank_ok = false;
    ParsedWord w{0, 0, 0, kNone, false};
    std::string_view s(buf_.data(), to);
    // Every character is written to the word in order, so the text is a slice of buf_;
    // only the position just past the last written character is tracked.
    auto write = [&](uint32_t pos) {
      if (ch == '=' && w.eq == kNone) w.eq = pos;
      if (ch == text::kRuneError && chw == 1) w.dirty = true;
      w.text_end = pos + chw;
    };
    auto decode_at = [&](uint32_t pos) {
      auto c = static_cast<unsigned char>(s[pos]);
      if (c < 0x80) {
        ch = c;
        chw = 1;
      } else {
        text::Rune r = text::decode(s, pos);
        ch = r.cp;
        chw = r.width;
      }
    };
    auto push = [&](uint32_t end) {
      if (blank_ok || w.text_end > w.begin) {
        w.end = end;
        out.push_back(w);
      }
      w = ParsedWord{0, 0, 0, kNone, false};
    };
    for (uint32_t pos = from; pos <= to; pos += chw) {
      if (pos != to) decode_at(pos);
      if (phase == InSpaces) {
        if (pos == to) break;
        if (text::is_space(ch)) continue;
        phase = InWord;
        w.begin = w.text_end = pos;
      }
      if ((phase == InWord || phase == InQuote) && pos == to) {
        push(pos);
        break;
      }
      if (phase == InWord) {
        if (text::is_space(ch)) {
          phase = InSpaces;
          push(pos);
          blank_ok = false;
          continue;
        }
        if (ch == '\'' || ch == '"') {
          quote = ch;
          blank_ok = true;
          phase = InQuote;
        }
        if (ch == static_cast<unsigned char>(escape_)) {
          if (pos + chw == to) continue;
          write(pos);
          pos += chw;
          decode_at(pos);
        }
        write(pos);
        continue;
      }
      // InQuote
      if (ch == quote) phase = InWord;
      if (ch == static_cast<unsigned char>(escape_) && quote != '\'') {
        if (pos + chw == to) {
          phase = InWord;
          continue;
        }
        write(pos);
        pos += chw;
        decode_at(pos);
      }
      write(pos);
    }
  }

  std::string word_text(const ParsedWord& w, uint32_t b, uint32_t e) const {
    std::string_view v(buf_.data() + b, e - b);
    return w.dirty ? text::sanitize_utf8(v) : std::string(v);
  }

  void name_or_name_val(Node& n, uint32_t rs, uint32_t re) {
    parse_words(rs, re, words_);
    n.args.reserve(words_.size());
    for (const auto& w : words_) n.args.push_back({word_text(w, w.begin, w.text_end), range(w.begin, w.end)});
  }

  void name_val(Node& n, uint32_t rs, uint32_t re, const char* key) {
    parse_words(rs, re, words_);
    if (words_.empty()) return;
    if (words_[0].eq == kNone) {  // legacy `ENV key value`
      uint32_t k = rs;
      while (k < re && !text::is_ws_class(buf_[k])) ++k;
      if (k == re) {
        error(n, range(rs, re), "parse/missing-value", fmt::format("{} must have two arguments", key));
        return;
      }
      uint32_t v = k;
      while (v < re && text::is_ws_class(buf_[v])) ++v;
      add_arg(n, rs, k);
      add_arg(n, v, re);
      n.args.push_back({std::string(), range(k, k)});
      return;
    }
    n.args.reserve(words_.size() * 3);
    for (const auto& w : words_) {
      if (w.eq == kNone) {
        error(n, range(w.begin, w.end), "parse/missing-equals",
              fmt::format("syntax error - can't find = in {}. Must be of the form: name=value",
                          text::go_quote(word_text(w, w.begin, w.text_end))));
        n.args.clear();
        return;
      }
      n.args.push_back({word_text(w, w.begin, w.eq), range(w.begin, w.eq)});
      n.args.push_back({word_text(w, w.eq + 1, std::max(w.eq + 1, w.text_end)), range(w.eq + 1, w.end)});
      n.args.push_back({"=", range(w.eq, w.eq + 1)});
    }
  }

  void sub_command(Node& n, uint32_t rs, uint32_t re, int depth) {
    if (rs == re || depth >= kMaxTriggerDepth) return;
    n.trigger = std::make_unique<Node>();
    Node& t = *n.trigger;
    build_node(t, rs, re, depth + 1);
    t.original.assign(buf_, rs, re - rs);
    if (depth > 0) return;
    std::string up = ascii_upper(t.keyword_text);
    if (up == "ONBUILD") {
      error(n, t.keyword_range, "parse/onbuild-trigger", "chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
    } else if (up == "MAINTAINER" || up == "FROM") {
      error(n, t.keyword_range, "parse/onbuild-trigger", fmt::format("{} isn't allowed as an ONBUILD trigger", up));
    }
    if (t.has_error) n.has_error = true;
  }

  // ---- heredocs ----------------------------------------------------------------------------

  void read_heredocs(Node& n) {
    const Node* h = &n;
    if (n.keyword == Keyword::Onbuild && n.trigger) h = n.trigger.get();
    if (h->keyword != Keyword::Run && h->keyword != Keyword::Copy && h->keyword != Keyword::Add) return;
    if (h->json || buf_.find("<<") == std::string::npos) return;
    std::string err;
    if (!detail::heredocs_from_line(buf_, openers_, &err)) {
      error(n, n.args_range, "parse/heredoc", std::move(err));
      return;
    }
    for (auto& o : openers_) {
      Heredoc hd;
      hd.name = std::move(o.name);
      hd.expand = o.expand;
      hd.chomp = o.chomp;
      hd.fd = o.fd;
      hd.opener_range = range(o.begin, o.end);
      size_t body = pos_;
      hd.range.begin = {line_no_ + 1, 1, static_cast<uint32_t>(body)};
      size_t content_end = body;
      bool terminated = false;
      PhysLine l;
      while (next_line(l)) {
        std::string_view t = trim_newline(l.raw);
        if (hd.chomp) {
          size_t i = 0;
          while (i < t.size() && t[i] == '\t') ++i;
          t.remove_prefix(i);
        }
        if (t == hd.name) {
          terminated = true;
          hd.range.end = line_end(l);
          break;
        }
        content_end = pos_;
      }
      hd.content.assign(text_.data() + body, content_end - body);
      if (!terminated) {
        hd.range.end = end_position();
        error(n, hd.opener_range, "parse/unterminated-heredoc", "unterminated heredoc");
      }
      n.range.end = hd.range.end;
      n.heredocs.push_back(std::move(hd));
      if (!terminated) break;
    }
  }

  std::string_view text_;
  Dockerfile& df_;
  size_t pos_ = 0;
  uint32_t line_no_ = 0;
  bool dir_done_ = false;
  bool seen_syntax_ = false, seen_escape_ = false, seen_check_ = false;
  char escape_ = '\\';
  std::string buf_;  // the current logical line
  std::vector<Segment> segs_;
  std::vector<JsonElement> elems_;
  std::vector<ParsedWord> words_;
  std::vector<detail::HeredocOpener> openers_;
  std::string flag_buf_;
  size_t stages_ = 0;  // FROM instructions so far (limits::kMaxStages)
  std::vector<std::string> comments_;  // comment lines seen since the last instruction (step())
  bool done_ = false;
};

}  // namespace

namespace {
// What parse() does before the parser runs: the size limit (true: over it, `df` says so) and the
// reservation of the nodes.
bool prepare(std::string_view text, Dockerfile& df) {
  if (text.size() > limits::kMaxInputBytes) {
    Position p{1, 1, 0};
    df.diagnostics.error({p, p}, "limits/input-size",
                         fmt::format("the Dockerfile is {:.1f} MiB: the playground analyses Dockerfiles up to {} MiB",
                                     static_cast<double>(text.size()) / (1 << 20), limits::kMaxInputBytes >> 20));
    return true;
  }
  // Typical Dockerfiles hold one instruction per 100-200 bytes: reserving up front avoids
  // moving the nodes (and large reallocations) while parsing.
  // (Never more than the number of lines: a huge single line does not reserve megabytes.)
  size_t lines = static_cast<size_t>(std::count(text.begin(), text.end(), '\n')) + 1;
  df.nodes.reserve(std::min(text.size() / 160 + 8, lines));
  return false;
}
}  // namespace

Dockerfile parse(std::string_view text) {
  Dockerfile df;
  if (prepare(text, df)) return df;
  Parser(text, df).run();
  return df;
}

struct StepParser::Impl {
  explicit Impl(std::string_view text) : over_limit(prepare(text, df)), parser(text, df) {}
  Dockerfile df;  // (before the parser, which refers to it)
  bool over_limit;
  Parser parser;
};

StepParser::StepParser(std::string_view text) : impl_(std::make_unique<Impl>(text)) {}
StepParser::~StepParser() = default;

bool StepParser::step(uint32_t lines) {
  if (done_) return true;
  done_ = impl_->over_limit || impl_->parser.step(lines);
  return done_;
}

Dockerfile StepParser::take() {
  while (!step(UINT32_MAX)) {
  }
  return std::move(impl_->df);
}

}  // namespace dfplay::syntax
