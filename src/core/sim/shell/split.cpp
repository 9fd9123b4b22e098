// The shell parser: a RUN's script to the syntax tree of sim/shell/split.h (words expanded
// later by expand.cpp).
#include "sim/shell/split.h"

#include <array>
#include <iterator>

#include <fmt/format.h>

#include "sim/shell/chars.h"

namespace dfplay::sim::sh {

int Redirect::target_fd() const {
  if (fd >= 0) return fd;
  switch (op) {
    case RedirOp::In:
    case RedirOp::Heredoc:
    case RedirOp::HereString:
    case RedirOp::DupIn:
    case RedirOp::ReadWrite:
      return 0;
    default:
      return 1;
  }
}

namespace {


class Parser {
 public:
  Parser(std::string_view s, Script& out) : s_(s), out_(out) {}

  void run() {
    out_.root = parse_list();
    skip_separators();
    while (i_ < s_.size()) {
      // Something the grammar could not place (a stray `)`, `fi`, `;;`...): report, skip, go on.
      size_t before = i_;
      problem(fmt::format("syntax error near unexpected token `{}'", peek_token_text()));
      skip_token();
      if (i_ == before) ++i_;
      uint32_t more = parse_list();
      auto& root = out_.nodes[out_.root];
      const auto& extra = out_.nodes[more];
      for (size_t k = 0; k < extra.kids.size(); ++k) {
        root.kids.push_back(extra.kids[k]);
        root.seps.push_back(extra.seps[k]);
      }
      skip_separators();
    }
    for (size_t h : pending_) {
      auto& hd = out_.heredocs[h];
      if (!hd.closed)
        problem(fmt::format("here-document delimited by end-of-file (wanted `{}')", hd.delimiter));
    }
  }

 private:
  std::string_view s_;
  Script& out_;
  size_t i_ = 0;
  int depth_ = 0;
  bool too_deep_ = false;
  std::vector<size_t> pending_;  // heredocs waiting for their bodies
  std::vector<Word> words_scratch_;  // see parse_simple

  void problem(std::string msg) {
    if (out_.problems.size() < 32) out_.problems.push_back({static_cast<uint32_t>(i_), std::move(msg)});
  }

  char at(size_t k) const { return k < s_.size() ? s_[k] : '\0'; }

  static Node empty_list() {
    Node n;
    n.kind = NodeKind::List;
    return n;
  }

  uint32_t add(Node&& n) {
    out_.nodes.push_back(std::move(n));
    return static_cast<uint32_t>(out_.nodes.size() - 1);
  }

  // Skips blanks, line continuations and comments (not newlines).
  void skip_blanks() {
    while (i_ < s_.size()) {
      char c = s_[i_];
      if (is_blank(c)) {
        ++i_;
      } else if (c == '\\' && at(i_ + 1) == '\n') {
        i_ += 2;
      } else if (c == '\\' && at(i_ + 1) == '\r' && at(i_ + 2) == '\n') {
        i_ += 3;
      } else if (c == '#') {
        while (i_ < s_.size() && s_[i_] != '\n') ++i_;
      } else {
        break;
      }
    }
  }

  // Consumes one newline and reads the bodies of pending heredocs.
  void take_newline() {
    ++i_;
    if (pending_.empty()) return;
    for (size_t h : pending_) read_heredoc_body(out_.heredocs[h]);
    pending_.clear();
  }

  void read_heredoc_body(HeredocBody& hd) {
    while (i_ < s_.size()) {
      size_t eol = s_.find('\n', i_);
      size_t line_end = eol == std::string_view::npos ? s_.size() : eol;
      std::string_view line = s_.substr(i_, line_end - i_);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      std::string_view cmp = line;
      if (hd.strip_tabs)
        while (!cmp.empty() && cmp.front() == '\t') cmp.remove_prefix(1);
      i_ = eol == std::string_view::npos ? s_.size() : eol + 1;
      if (cmp == hd.delimiter) {
        hd.closed = true;
        return;
      }
      hd.body.append(hd.strip_tabs ? cmp : line);
      hd.body += '\n';
    }
    problem(fmt::format("here-document delimited by end-of-file (wanted `{}')", hd.delimiter));
  }

  // Skips blanks and newlines (a "linebreak").
  void skip_linebreaks() {
    for (;;) {
      skip_blanks();
      if (at(i_) == '\n')
        take_newline();
      else
        break;
    }
  }

  void skip_separators() {
    for (;;) {
      skip_blanks();
      char c = at(i_);
      if (c == '\n') {
        take_newline();
      } else if (c == ';' && at(i_ + 1) != ';') {
        ++i_;
      } else {
        break;
      }
    }
  }

  // The raw extent of a plain word at i_ (letters etc. up to a metacharacter), used to look for
  // reserved words. Returns "" if the word starts with a quote or is not plain.
  std::string_view peek_plain_word() const {
    size_t j = i_;
    while (j < s_.size() && !is_meta(s_[j])) {
      char c = s_[j];
      if (c == '\'' || c == '"' || c == '\\' || c == '$' || c == '`') return {};
      ++j;
    }
    return s_.substr(i_, j - i_);
  }

  bool at_reserved(std::string_view w) const { return peek_plain_word() == w; }

  std::string peek_token_text() const {
    if (i_ >= s_.size()) return "EOF";
    if (s_.compare(i_, 2, ";;") == 0) return ";;";
    if (is_meta(s_[i_])) return std::string(1, s_[i_]);
    auto w = peek_plain_word();
    if (!w.empty()) return std::string(w);
    return std::string(1, s_[i_]);
  }

  void skip_token() {
    if (i_ >= s_.size()) return;
    if (s_.compare(i_, 2, ";;") == 0) {
      i_ += 2;
      return;
    }
    auto w = peek_plain_word();
    i_ += w.empty() ? 1 : w.size();
  }

  // True at a token that ends a list: EOF, ')', ';;', or a closing reserved word.
  bool at_list_end() const {
    if (i_ >= s_.size()) return true;
    char c = s_[i_];
    if (c == ')') return true;
    if (c == ';' && at(i_ + 1) == ';') return true;
    auto w = peek_plain_word();
    return w == "then" || w == "else" || w == "elif" || w == "fi" || w == "do" || w == "done" ||
           w == "esac" || w == "}";
  }

  bool enter() {
    if (depth_ >= kMaxDepth) {
      if (!too_deep_) problem("commands nested too deeply");
      too_deep_ = true;
      return false;
    }
    ++depth_;
    return true;
  }

  // ---- grammar ----

  uint32_t parse_list() {
    Node list;
    list.kind = NodeKind::List;
    list.begin = static_cast<uint32_t>(i_);
    list.kids.reserve(8);  // (growing them one by one was a good part of the parser's allocations)
    list.seps.reserve(8);
    uint32_t idx = add(std::move(list));
    if (!enter()) {
      // Too deep: swallow the rest so that callers terminate.
      i_ = s_.size();
      return idx;
    }
    for (;;) {
      skip_separators();
      if (at_list_end() || too_deep_) break;
      size_t before = i_;
      uint32_t item = parse_and_or();
      skip_blanks();
      Sep sep = Sep::Seq;
      if (at(i_) == '&' && at(i_ + 1) != '&' && at(i_ + 1) != '>') {
        ++i_;
        sep = Sep::Background;
      } else if (at(i_) == ';' && at(i_ + 1) != ';') {
        ++i_;
      } else if (at(i_) == '\n') {
        take_newline();
      }
      out_.nodes[idx].kids.push_back(item);
      out_.nodes[idx].seps.push_back(sep);
      if (i_ == before) {
        // No progress: an unexpected token. Report it and skip it.
        if (at_list_end()) break;
        problem(fmt::format("syntax error near unexpected token `{}'", peek_token_text()));
        skip_token();
      }
    }
    --depth_;
    out_.nodes[idx].end = static_cast<uint32_t>(i_);
    return idx;
  }

  uint32_t parse_and_or() {
    uint32_t first = parse_pipeline();
    skip_blanks();
    if (!((at(i_) == '&' && at(i_ + 1) == '&') || (at(i_) == '|' && at(i_ + 1) == '|')))
      return first;
    Node n;
    n.kind = NodeKind::AndOr;
    n.begin = out_.nodes[first].begin;
    n.kids.reserve(4);
    n.seps.reserve(4);
    n.kids.push_back(first);
    for (;;) {
      skip_blanks();
      Sep op;
      if (at(i_) == '&' && at(i_ + 1) == '&')
        op = Sep::And;
      else if (at(i_) == '|' && at(i_ + 1) == '|')
        op = Sep::Or;
      else
        break;
      i_ += 2;
      skip_linebreaks();
      if (at_list_end() || i_ >= s_.size()) {
        problem("syntax error: a command is missing after `&&' or `||'");
        break;
      }
      n.seps.push_back(op);
      n.kids.push_back(parse_pipeline());
    }
    n.end = static_cast<uint32_t>(i_);
    return add(std::move(n));
  }

  uint32_t parse_pipeline() {
    skip_blanks();
    bool negate = false;
    if (at_reserved("!")) {
      negate = true;
      ++i_;
      skip_blanks();
    }
    uint32_t first = parse_command();
    skip_blanks();
    if (!(at(i_) == '|' && at(i_ + 1) != '|')) {
      if (negate) {
        Node n;
        n.kind = NodeKind::Pipeline;
        n.negate = true;
        n.kids.push_back(first);
        n.begin = out_.nodes[first].begin;
        n.end = out_.nodes[first].end;
        return add(std::move(n));
      }
      return first;
    }
    Node n;
    n.kind = NodeKind::Pipeline;
    n.negate = negate;
    n.begin = out_.nodes[first].begin;
    n.kids.push_back(first);
    while (at(i_) == '|' && at(i_ + 1) != '|') {
      ++i_;
      if (at(i_) == '&') ++i_;  // |& (bash)
      skip_linebreaks();
      if (at_list_end()) {
        problem("syntax error: a command is missing after `|'");
        break;
      }
      n.kids.push_back(parse_command());
      skip_blanks();
    }
    n.end = static_cast<uint32_t>(i_);
    return add(std::move(n));
  }

  uint32_t parse_command() {
    skip_blanks();
    uint32_t begin = static_cast<uint32_t>(i_);
    char c = at(i_);
    if (c == '(') {
      ++i_;
      if (at(i_) == '(') {
        // (( arithmetic )): kept as a simple command named "((".
        size_t close = s_.find("))", i_);
        if (close == std::string_view::npos) problem("syntax error: `((' is not closed");
        Node n;
        n.kind = NodeKind::Simple;
        n.cmd.words.push_back({"((", begin, begin + 2});
        size_t stop = close == std::string_view::npos ? s_.size() : close + 2;
        n.cmd.words.push_back({std::string(s_.substr(i_ + 1, stop - i_ - 1)), begin, static_cast<uint32_t>(stop)});
        i_ = stop;
        n.begin = begin;
        n.end = static_cast<uint32_t>(i_);
        return add(std::move(n));
      }
      Node n;
      n.kind = NodeKind::Subshell;
      n.begin = begin;
      uint32_t body = parse_list();
      skip_linebreaks();
      if (at(i_) == ')')
        ++i_;
      else
        problem("syntax error: `(' is not closed");
      n.kids.push_back(body);
      return finish_compound(std::move(n));
    }
    auto w = peek_plain_word();
    if (w == "{") {
      ++i_;
      Node n;
      n.kind = NodeKind::Group;
      n.begin = begin;
      n.kids.push_back(parse_list());
      skip_linebreaks();
      if (at_reserved("}"))
        ++i_;
      else
        problem("syntax error: `{' is not closed");
      return finish_compound(std::move(n));
    }
    if (w == "if") return parse_if(begin);
    if (w == "for") return parse_for(begin);
    if (w == "while" || w == "until") return parse_while(begin, w == "until");
    if (w == "case") return parse_case(begin);
    if (w == "function") {
      i_ += w.size();
      skip_blanks();
      Word name = read_word();
      skip_blanks();
      if (at(i_) == '(' && at(i_ + 1) == ')') i_ += 2;
      return parse_function_body(begin, std::move(name));
    }
    return parse_simple(begin);
  }

  uint32_t finish_compound(Node&& n) {
    // Redirections after a compound command.
    for (;;) {
      skip_blanks();
      Redirect r;
      if (!try_redirect(r)) break;
      n.redirects.push_back(std::move(r));
    }
    n.end = static_cast<uint32_t>(i_);
    return add(std::move(n));
  }

  bool expect_reserved(std::string_view w) {
    skip_separators();
    if (at_reserved(w)) {
      i_ += w.size();
      return true;
    }
    problem(fmt::format("syntax error: `{}' expected", w));
    return false;
  }

  uint32_t parse_if(uint32_t begin) {
    i_ += 2;  // if
    Node n;
    n.kind = NodeKind::If;
    n.begin = begin;
    for (;;) {
      n.kids.push_back(parse_list());
      if (!expect_reserved("then")) break;
      n.kids.push_back(parse_list());
      skip_separators();
      if (at_reserved("elif")) {
        i_ += 4;
        continue;
      }
      if (at_reserved("else")) {
        i_ += 4;
        n.kids.push_back(parse_list());
        n.has_else = true;
      }
      expect_reserved("fi");
      break;
    }
    return finish_compound(std::move(n));
  }

  // `do list done`, the body of for/while/until (an empty list when `do` is missing).
  void parse_do_group(Node& n) {
    if (expect_reserved("do")) {
      n.kids.push_back(parse_list());
      expect_reserved("done");
    } else {
      n.kids.push_back(add(empty_list()));
    }
  }

  uint32_t parse_for(uint32_t begin) {
    i_ += 3;  // for
    skip_blanks();
    Node n;
    n.kind = NodeKind::For;
    n.begin = begin;
    n.name = read_word();
    skip_linebreaks();
    if (at_reserved("in")) {
      i_ += 2;
      n.has_in = true;
      for (;;) {
        skip_blanks();
        char c = at(i_);
        if (c == '\0' || c == '\n' || c == ';') break;
        if (is_meta(c)) break;
        size_t before = i_;
        n.items.push_back(read_word());
        if (i_ == before) break;
      }
    }
    parse_do_group(n);
    return finish_compound(std::move(n));
  }

  uint32_t parse_while(uint32_t begin, bool until) {
    i_ += 5;  // "while" and "until" have 5 letters
    Node n;
    n.kind = until ? NodeKind::Until : NodeKind::While;
    n.begin = begin;
    n.kids.push_back(parse_list());
    parse_do_group(n);
    return finish_compound(std::move(n));
  }

  uint32_t parse_case(uint32_t begin) {
    i_ += 4;  // case
    skip_blanks();
    Node n;
    n.kind = NodeKind::Case;
    n.begin = begin;
    n.name = read_word();
    skip_linebreaks();
    if (!at_reserved("in")) {
      problem("syntax error: `in' expected after case word");
      return finish_compound(std::move(n));
    }
    i_ += 2;
    for (;;) {
      skip_linebreaks();
      if (at_reserved("esac")) {
        i_ += 4;
        break;
      }
      if (i_ >= s_.size()) {
        problem("syntax error: `esac' expected");
        break;
      }
      if (at(i_) == '(') ++i_;
      std::vector<Word> pats;
      for (;;) {
        skip_blanks();
        size_t before = i_;
        Word p = read_word();
        if (i_ == before) break;
        pats.push_back(std::move(p));
        skip_blanks();
        if (at(i_) == '|') {
          ++i_;
          continue;
        }
        break;
      }
      skip_blanks();
      if (at(i_) != ')') {
        problem("syntax error: `)' expected in case pattern");
        // Skip to the end to guarantee progress.
        size_t esac = s_.find("esac", i_);
        i_ = esac == std::string_view::npos ? s_.size() : esac;
        continue;
      }
      ++i_;
      n.patterns.push_back(std::move(pats));
      n.kids.push_back(parse_list());
      skip_linebreaks();
      if (at(i_) == ';' && at(i_ + 1) == ';') i_ += 2;
    }
    return finish_compound(std::move(n));
  }

  uint32_t parse_function_body(uint32_t begin, Word name) {
    skip_linebreaks();
    Node n;
    n.kind = NodeKind::Function;
    n.begin = begin;
    n.name = std::move(name);
    if (i_ < s_.size() && !at_list_end())
      n.kids.push_back(parse_command());
    else
      problem("syntax error: function body expected");
    n.end = static_cast<uint32_t>(i_);
    return add(std::move(n));
  }

  // Tries to read a redirection at i_ (after blanks).
  bool try_redirect(Redirect& r) {
    size_t j = i_;
    int fd = -1;
    if (is_digit(at(j))) {
      size_t k = j;
      int v = 0;
      while (is_digit(at(k)) && k - j < 4) v = v * 10 + (at(k++) - '0');
      if (at(k) == '<' || at(k) == '>') {
        fd = v;
        j = k;
      } else {
        return false;
      }
    }
    // The operators, longest first where one is a prefix of another.
    struct OpText {
      std::string_view text;
      RedirOp op;
    };
    static constexpr OpText kOps[] = {
        {"&>>", RedirOp::AppendOutErr}, {"&>", RedirOp::OutErr}, {">>", RedirOp::Append},   {">|", RedirOp::Out},
        {">&", RedirOp::DupOut},        {">", RedirOp::Out},     {"<<<", RedirOp::HereString}, {"<<-", RedirOp::Heredoc},
        {"<<", RedirOp::Heredoc},       {"<&", RedirOp::DupIn},  {"<>", RedirOp::ReadWrite},  {"<", RedirOp::In},
    };
    const OpText* found = nullptr;
    for (const auto& o : kOps) {
      if (o.text[0] == '&' && fd >= 0) continue;  // `2&>x` is not a redirection
      if (s_.substr(j).starts_with(o.text)) {
        found = &o;
        break;
      }
    }
    if (!found) return false;
    RedirOp op = found->op;
    size_t len = found->text.size();
    bool strip = found->text == "<<-";
    i_ = j + len;
    skip_blanks();
    r.fd = fd;
    r.op = op;
    size_t before = i_;
    r.target = read_word();
    if (i_ == before) {
      problem("syntax error: a file name is missing after a redirection");
      return true;
    }
    if (op == RedirOp::Heredoc) {
      HeredocBody hd;
      bool quoted = false;
      std::string delim;
      const std::string& t = r.target.text;
      for (size_t k = 0; k < t.size(); ++k) {
        char ch = t[k];
        if (ch == '\'' || ch == '"') {
          quoted = true;
          continue;
        }
        if (ch == '\\' && k + 1 < t.size()) {
          quoted = true;
          delim += t[++k];
          continue;
        }
        delim += ch;
      }
      hd.delimiter = std::move(delim);
      hd.expand = !quoted;
      hd.strip_tabs = strip;
      out_.heredocs.push_back(std::move(hd));
      r.heredoc = static_cast<int>(out_.heredocs.size() - 1);
      pending_.push_back(out_.heredocs.size() - 1);
    }
    return true;
  }

  uint32_t parse_simple(uint32_t begin) {
    Node n;
    n.kind = NodeKind::Simple;
    n.begin = begin;
    SimpleCommand& cmd = n.cmd;
    cmd.begin = begin;
    // Words are collected in a reused vector, then moved into the command with one allocation.
    std::vector<Word> words = std::move(words_scratch_);
    words.clear();
    for (;;) {
      skip_blanks();
      if (i_ >= s_.size()) break;
      char c = s_[i_];
      if (c == '\n' || c == ';' || c == ')' || c == '|' || (c == '&' && at(i_ + 1) != '>')) break;
      if (c == '(') {
        // name() { ...; }: a function definition.
        if (words.size() == 1 && cmd.assigns.empty() && at(i_ + 1) == ')') {
          i_ += 2;
          return parse_function_body(begin, std::move(words[0]));
        }
        problem("syntax error near unexpected token `('");
        ++i_;
        continue;
      }
      Redirect r;
      if (try_redirect(r)) {
        cmd.redirects.push_back(std::move(r));
        continue;
      }
      if (c == '<' || c == '>') {  // unreachable: try_redirect takes these
        ++i_;
        continue;
      }
      size_t before = i_;
      Word w = read_word();
      if (i_ == before) {
        ++i_;
        continue;
      }
      if (words.empty() && is_assignment(w.text))
        cmd.assigns.push_back(std::move(w));
      else
        words.push_back(std::move(w));
    }
    cmd.words.assign(std::make_move_iterator(words.begin()), std::make_move_iterator(words.end()));
    words.clear();
    words_scratch_ = std::move(words);
    cmd.end = static_cast<uint32_t>(i_);
    n.end = cmd.end;
    return add(std::move(n));
  }

  // ---- words ----

  // A backslash at the cursor (not the last character): a line continuation is dropped, any other
  // escape is appended verbatim. Returns true if it consumed something.
  bool read_escape(std::string& out) {
    if (s_[i_] != '\\' || i_ + 1 >= s_.size()) return false;
    if (s_[i_ + 1] != '\n') {
      out += s_[i_];
      out += s_[i_ + 1];
    }
    i_ += 2;
    return true;
  }

  // Skips a $( ... ) / $(( ... )) / ${ ... } / `...` construct starting at i_ (at the opening
  // character after '$', or at the backquote), appending its text to `out`.
  void read_balanced(char open, char close, std::string& out) {
    int level = 0;
    while (i_ < s_.size()) {
      char c = s_[i_];
      if (read_escape(out)) continue;
      if (c == '\'' && open == '(') {
        size_t e = s_.find('\'', i_ + 1);
        size_t stop = e == std::string_view::npos ? s_.size() : e + 1;
        out.append(s_.substr(i_, stop - i_));
        i_ = stop;
        continue;
      }
      if (c == '"') {
        out += c;
        ++i_;
        read_double_quoted(out);
        continue;
      }
      if (c == '`' && open != '`') {
        out += c;
        ++i_;
        read_backquoted(out);
        continue;
      }
      out += c;
      ++i_;
      if (c == open) {
        ++level;
      } else if (c == close) {
        if (--level == 0) return;
      }
    }
    problem(fmt::format("syntax error: `{}' is not closed", open));
  }

  void read_backquoted(std::string& out) {
    while (i_ < s_.size()) {
      char c = s_[i_];
      if (c == '\\' && i_ + 1 < s_.size()) {
        out += c;
        out += s_[i_ + 1];
        i_ += 2;
        continue;
      }
      out += c;
      ++i_;
      if (c == '`') return;
    }
    problem("syntax error: ``' is not closed");
  }

  // After an opening '"' (already appended): up to and including the closing '"'.
  void read_double_quoted(std::string& out) {
    while (i_ < s_.size()) {
      char c = s_[i_];
      if (read_escape(out)) continue;
      if (read_substitution(out)) continue;
      if (c == '"') {
        out += c;
        ++i_;
        return;
      }
      // A run of ordinary characters at once.
      size_t j = i_ + 1;
      while (j < s_.size() && s_[j] != '"' && s_[j] != '\\' && s_[j] != '$' && s_[j] != '`') ++j;
      out.append(s_.data() + i_, j - i_);
      i_ = j;
    }
    problem("syntax error: unterminated double quote");
  }

  // `$(...)`, `${...}` or `` `...` `` at the cursor: appends it verbatim and returns true.
  bool read_substitution(std::string& out) {
    char c = s_[i_];
    if (c == '$' && (at(i_ + 1) == '(' || at(i_ + 1) == '{')) {
      out += c;
      ++i_;
      char open = s_[i_];
      read_balanced(open, open == '(' ? ')' : '}', out);
      return true;
    }
    if (c == '`') {
      out += c;
      ++i_;
      read_backquoted(out);
      return true;
    }
    return false;
  }

  Word read_word() {
    Word w;
    w.begin = static_cast<uint32_t>(i_);
    std::string& out = w.text;
    while (i_ < s_.size()) {
      char c = s_[i_];
      if (is_meta(c)) break;
      if (c == '\\') {
        if (at(i_ + 1) == '\n') {
          i_ += 2;
          continue;
        }
        if (at(i_ + 1) == '\r' && at(i_ + 2) == '\n') {
          i_ += 3;
          continue;
        }
        out += c;
        if (i_ + 1 < s_.size()) out += s_[i_ + 1];
        i_ += 2;
        continue;
      }
      if (c == '\'') {
        size_t e = s_.find('\'', i_ + 1);
        if (e == std::string_view::npos) {
          problem("syntax error: unterminated single quote");
          e = s_.size() - 1;
          out.append(s_.substr(i_));
          out += '\'';
          i_ = s_.size();
          break;
        }
        out.append(s_.substr(i_, e + 1 - i_));
        i_ = e + 1;
        continue;
      }
      if (c == '"') {
        out += c;
        ++i_;
        read_double_quoted(out);
        continue;
      }
      if (read_substitution(out)) continue;
      // A run of ordinary characters at once (c itself may be a '$' that starts nothing).
      size_t j = i_ + 1;
      while (j < s_.size() && !is_meta(s_[j]) && s_[j] != '\\' && s_[j] != '\'' && s_[j] != '"' && s_[j] != '$' &&
             s_[j] != '`')
        ++j;
      out.append(s_.data() + i_, j - i_);
      i_ = j;
    }
    w.end = static_cast<uint32_t>(i_);
    return w;
  }
};

}  // namespace

Script parse(std::string_view script) {
  Script out;
  // About one node per 32 bytes of script (measured on big.Dockerfile's RUNs: growing the
  // vector moved every node again).
  out.nodes.reserve(16 + script.size() / 32);
  Parser p(script, out);
  p.run();
  return out;
}

}  // namespace dfplay::sim::sh
