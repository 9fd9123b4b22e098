#include "model/highlight.h"

#include <algorithm>

namespace dfplay::app {
namespace {

bool ident_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool ident_char(char c) { return ident_start(c) || (c >= '0' && c <= '9'); }

// The token of each byte of the window [begin, end) of the text; paints outside it are cut off.
class Painter {
 public:
  Painter(std::string_view text, char escape, uint32_t begin, uint32_t end)
      : text_(text), begin_(begin), cls_(end - begin, Token::Plain), escape_(escape) {}

  void paint(uint32_t b, uint32_t e, Token t) {
    const uint32_t n = static_cast<uint32_t>(cls_.size());
    b = b > begin_ ? std::min(b - begin_, n) : 0;
    e = e > begin_ ? std::clamp(e - begin_, b, n) : b;
    std::fill(cls_.begin() + b, cls_.begin() + e, t);
  }
  void paint(const Range& r, Token t) { paint(r.begin.offset, r.end.offset, t); }

  // A variable reference starting at text_[i] == '$' (up to `end`); returns its end.
  uint32_t variable(uint32_t i, uint32_t end) {
    uint32_t j = i + 1;
    if (j < end && text_[j] == '{') {
      int depth = 0;
      for (; j < end; ++j) {
        if (text_[j] == '{') ++depth;
        else if (text_[j] == '}' && --depth == 0) { ++j; break; }
        else if (text_[j] == '\n') break;
      }
    } else if (j < end && ident_start(text_[j])) {
      while (j < end && ident_char(text_[j])) ++j;
    } else {
      return i + 1;  // a lone '$'
    }
    paint(i, j, Token::Variable);
    return j;
  }

  // Quotes and variables in shell-form words (BuildKit's quoting: the escape character escapes
  // the next byte outside single quotes; no variables inside single quotes).
  void shell_words(uint32_t b, uint32_t e) {
    e = std::min<uint32_t>(e, static_cast<uint32_t>(text_.size()));
    uint32_t i = b;
    while (i < e) {
      char c = text_[i];
      if (c == escape_) {
        i += 2;
      } else if (c == '\'') {
        uint32_t j = i + 1;
        while (j < e && text_[j] != '\'' && text_[j] != '\n') ++j;
        j = std::min(e, j + 1);
        paint(i, j, Token::String);
        i = j;
      } else if (c == '"') {
        uint32_t j = i + 1;
        std::vector<std::pair<uint32_t, uint32_t>> vars;
        while (j < e && text_[j] != '"' && text_[j] != '\n') {
          if (text_[j] == escape_) j += 2;
          else if (text_[j] == '$') {
            uint32_t k = variable_end(j, e);
            vars.push_back({j, k});
            j = std::max(k, j + 1);
          } else ++j;
        }
        j = std::min(e, j + 1);
        paint(i, j, Token::String);
        for (auto [vb, ve] : vars) paint(vb, ve, Token::Variable);
        i = j;
      } else if (c == '$') {
        i = variable(i, e);
      } else {
        ++i;
      }
    }
  }

  std::vector<Span> spans() const {
    std::vector<Span> out;
    for (uint32_t i = 0; i < cls_.size();) {
      uint32_t j = i;
      while (j < cls_.size() && cls_[j] == cls_[i]) ++j;
      if (cls_[i] != Token::Plain) out.push_back({begin_ + i, begin_ + j, cls_[i]});
      i = j;
    }
    return out;
  }

  std::string_view text_;

 private:
  uint32_t variable_end(uint32_t i, uint32_t end) {
    uint32_t j = i + 1;
    if (j < end && text_[j] == '{') {
      while (j < end && text_[j] != '}' && text_[j] != '"' && text_[j] != '\n') ++j;
      return j < end && text_[j] == '}' ? j + 1 : j;
    }
    while (j < end && ident_char(text_[j])) ++j;
    return j == i + 1 ? i + 1 : j;
  }

  uint32_t begin_;
  std::vector<Token> cls_;
  char escape_;
};

// Arguments: strings and variables (JSON arrays: each element is a string).
void arguments(Painter& p, const syntax::Node& n) {
  if (n.json) {
    for (const auto& w : n.args)
      if (w.range.end.offset > w.range.begin.offset) p.paint(w.range, Token::String);
  } else if (n.args_range.end.offset > n.args_range.begin.offset) {
    // The whole argument text, so that a quoted string spanning words ("/b c") is one string.
    p.shell_words(n.args_range.begin.offset, n.args_range.end.offset);
  }
  if (n.trigger) arguments(p, *n.trigger);
}

// Keywords, flags and heredocs, over the arguments and comments.
void structure(Painter& p, const syntax::Node& n) {
  if (n.keyword == syntax::Keyword::From && n.args.size() >= 3) {
    // FROM image AS name: the AS keyword.
    const auto& as = n.args[1];
    if (as.text.size() == 2 && (as.text[0] == 'a' || as.text[0] == 'A') && (as.text[1] == 's' || as.text[1] == 'S'))
      p.paint(as.range, Token::Keyword);
  }
  for (const auto& f : n.flags) {
    uint32_t b = f.range.begin.offset, e = f.range.end.offset;
    // The flag's name and '='; the value is an argument (variables, quotes).
    uint32_t eq = b;
    while (eq < e && eq < p.text_.size() && p.text_[eq] != '=') ++eq;
    p.paint(b, std::min(e, eq + 1), Token::Flag);
    if (eq + 1 < e) p.shell_words(eq + 1, e);
  }
  for (const auto& h : n.heredocs) {
    p.paint(h.opener_range, Token::Heredoc);
    p.paint(h.range, Token::Heredoc);
  }
  p.paint(n.keyword_range, Token::Keyword);
  if (n.trigger) structure(p, *n.trigger);
}

}  // namespace

std::vector<Span> highlight(std::string_view text, const syntax::Dockerfile& df, uint32_t begin, uint32_t end) {
  const uint32_t size = static_cast<uint32_t>(text.size());
  end = std::min(end, size);
  begin = std::min(begin, end);
  Painter p(text, df.escape, begin, end);
  // The instructions that reach into the window (in text order, none overlapping another); each is
  // painted whole, cut to the window.
  const auto first = std::partition_point(df.nodes.begin(), df.nodes.end(),
                                          [&](const syntax::Node& n) { return n.range.end.offset < begin; });
  auto last = first;
  while (last != df.nodes.end() && last->range.begin.offset < end) ++last;
  for (auto n = first; n != last; ++n) arguments(p, *n);
  // Comments: lines whose first non-blank byte is '#' (BuildKit: anywhere a line starts, also
  // between continuation lines); heredoc bodies and instruction keywords painted after them win.
  uint32_t i = begin;
  while (i > 0 && text[i - 1] != '\n') --i;  // the start of the window's first line
  while (i < end) {
    uint32_t j = i;
    while (j < size && (text[j] == ' ' || text[j] == '\t')) ++j;
    uint32_t eol = j;
    while (eol < size && text[eol] != '\n') ++eol;
    if (j < size && text[j] == '#') p.paint(j, eol, Token::Comment);
    i = eol + 1;
  }
  for (auto n = first; n != last; ++n) structure(p, *n);
  for (const auto& d : df.directives) p.paint(d.range, Token::Directive);
  return p.spans();
}

}  // namespace dfplay::app
