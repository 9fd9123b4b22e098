#include "context/regexp.h"

#include <map>

#include "context/path.h"
#include "syntax/text.h"

namespace dfplay::context::detail {

void normalize(std::vector<Range32>& rs) {
  std::sort(rs.begin(), rs.end());
  std::vector<Range32> out;
  for (const auto& r : rs) {
    if (!out.empty() && r.first <= out.back().second + 1) {
      out.back().second = std::max(out.back().second, r.second);
    } else {
      out.push_back(r);
    }
  }
  rs.swap(out);
}

std::vector<Range32> complement(std::vector<Range32> rs) {
  normalize(rs);
  std::vector<Range32> out;
  char32_t next = 0;
  for (const auto& r : rs) {
    if (r.first > next) out.push_back({next, r.first - 1});
    next = r.second + 1;
  }
  if (next <= kMaxRune) out.push_back({next, kMaxRune});
  return out;
}

bool is_word(char32_t r) {
  return (r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || r == '_';
}

// AST --------------------------------------------------------------------------------------
struct Node {
  enum Kind : uint8_t { SetN, Concat, Star, Plus, Quest, Begin, End, WordB, NotWordB, Empty } kind;
  uint32_t set = 0;                // SetN
  std::vector<uint32_t> children;  // Concat: sequence; Star/Plus/Quest: one child
};

class Parser {
 public:
  Parser(std::string_view re, Program& prog) : re_(re), prog_(prog) {}

  bool parse(uint32_t* root, std::string* error) {
    uint32_t r = 0;
    if (!parse_seq(0, &r)) {
      *error = error_;
      return false;
    }
    if (pos_ != re_.size()) {
      *error = "unexpected )";
      return false;
    }
    *root = r;
    return true;
  }

  std::vector<Node> nodes;

 private:
  std::string_view re_;
  size_t pos_ = 0;
  Program& prog_;
  std::string error_;

  uint32_t add_node(Node n) {
    nodes.push_back(std::move(n));
    return static_cast<uint32_t>(nodes.size() - 1);
  }
  uint32_t add_set(std::vector<Range32> ranges) {
    normalize(ranges);
    prog_.sets.push_back(RuneSet{std::move(ranges)});
    return add_node(Node{Node::SetN, static_cast<uint32_t>(prog_.sets.size() - 1), {}});
  }
  bool fail(std::string msg) {
    error_ = std::move(msg);
    return false;
  }
  char32_t next_rune() {
    size_t w = 0;
    char32_t r = decode_rune(re_, pos_, &w);
    pos_ += w;
    return r;
  }

  bool parse_seq(int depth, uint32_t* out) {
    if (depth > 64) return fail("expression nests too deeply");
    std::vector<uint32_t> items;
    while (pos_ < re_.size() && re_[pos_] != ')') {
      char c = re_[pos_];
      uint32_t atom = 0;
      if (c == '*' || c == '+' || c == '?') {
        if (items.empty()) return fail("missing argument to repetition operator");
        ++pos_;
        Node::Kind k = c == '*' ? Node::Star : c == '+' ? Node::Plus : Node::Quest;
        const Node& prev = nodes[items.back()];
        if (prev.kind == Node::Star || prev.kind == Node::Plus || prev.kind == Node::Quest) {
          return fail("invalid nested repetition operator");
        }
        uint32_t child = items.back();
        items.back() = add_node(Node{k, 0, {child}});
        if (pos_ < re_.size() && re_[pos_] == '?') ++pos_;  // non-greedy: same match set
        continue;
      }
      if (c == '(') {
        ++pos_;
        if (re_.substr(pos_, 2) == "?:") pos_ += 2;
        if (!parse_seq(depth + 1, &atom)) return false;
        if (pos_ >= re_.size() || re_[pos_] != ')') return fail("missing closing )");
        ++pos_;
      } else if (c == '[') {
        if (!parse_class(&atom)) return false;
      } else if (c == '.') {
        ++pos_;
        atom = add_set({{0, '\n' - 1}, {'\n' + 1, kMaxRune}});
      } else if (c == '^') {
        ++pos_;
        atom = add_node(Node{Node::Begin, 0, {}});
      } else if (c == '$') {
        ++pos_;
        atom = add_node(Node{Node::End, 0, {}});
      } else if (c == '|') {
        return fail("alternation is not supported");
      } else if (c == '\\') {
        if (!parse_escape(&atom, &items)) return false;
        if (atom == UINT32_MAX) continue;  // \Q...\E appended its literals already
      } else {
        char32_t r = next_rune();
        atom = add_set({{r, r}});
      }
      items.push_back(atom);
    }
    *out = add_node(Node{Node::Concat, 0, std::move(items)});
    return true;
  }

  // Perl classes \d \s \w and their negations.
  static bool perl_class(char c, std::vector<Range32>* out) {
    std::vector<Range32> rs;
    switch (c | 0x20) {
      case 'd': rs = {{'0', '9'}}; break;
      case 's': rs = {{'\t', '\n'}, {'\f', '\r'}, {' ', ' '}}; break;
      case 'w': rs = {{'0', '9'}, {'A', 'Z'}, {'_', '_'}, {'a', 'z'}}; break;
      default: return false;
    }
    if (c >= 'A' && c <= 'Z') rs = complement(rs);
    *out = std::move(rs);
    return true;
  }

  // One escaped character (after the backslash has been consumed) as a rune. Handles octal,
  // hex, the C escapes and escaped punctuation.
  bool escaped_rune(char32_t* out) {
    if (pos_ >= re_.size()) return fail("trailing backslash at end of expression");
    char c = re_[pos_];
    if (c >= '1' && c <= '7') {
      if (pos_ + 1 >= re_.size() || re_[pos_ + 1] < '0' || re_[pos_ + 1] > '7') {
        return fail("invalid escape sequence: \\" + std::string(1, c));
      }
    }
    if (c >= '0' && c <= '7') {
      char32_t v = 0;
      int n = 0;
      while (n < 3 && pos_ < re_.size() && re_[pos_] >= '0' && re_[pos_] <= '7') {
        v = v * 8 + char32_t(re_[pos_] - '0');
        ++pos_;
        ++n;
      }
      *out = v;
      return true;
    }
    ++pos_;
    switch (c) {
      case 'a': *out = 7; return true;
      case 'f': *out = '\f'; return true;
      case 'n': *out = '\n'; return true;
      case 'r': *out = '\r'; return true;
      case 't': *out = '\t'; return true;
      case 'v': *out = '\v'; return true;
      case 'x': {
        auto hex = [](char h) -> int {
          if (h >= '0' && h <= '9') return h - '0';
          if (h >= 'a' && h <= 'f') return h - 'a' + 10;
          if (h >= 'A' && h <= 'F') return h - 'A' + 10;
          return -1;
        };
        char32_t v = 0;
        if (pos_ < re_.size() && re_[pos_] == '{') {
          ++pos_;
          int n = 0;
          while (pos_ < re_.size() && re_[pos_] != '}') {
            int h = hex(re_[pos_]);
            if (h < 0 || ++n > 8) return fail("invalid escape sequence: \\x");
            v = v * 16 + char32_t(h);
            ++pos_;
          }
          if (pos_ >= re_.size() || n == 0 || v > kMaxRune) return fail("invalid escape sequence: \\x");
          ++pos_;
        } else {
          if (pos_ + 2 > re_.size()) return fail("invalid escape sequence: \\x");
          int h1 = hex(re_[pos_]), h2 = hex(re_[pos_ + 1]);
          if (h1 < 0 || h2 < 0) return fail("invalid escape sequence: \\x");
          v = char32_t(h1 * 16 + h2);
          pos_ += 2;
        }
        *out = v;
        return true;
      }
      default: break;
    }
    if (static_cast<unsigned char>(c) < 0x80 &&
        !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
      *out = static_cast<unsigned char>(c);
      return true;
    }
    if (c == 'p' || c == 'P') return fail("unicode class escapes (\\p, \\P) are not supported by dfplay");
    --pos_;
    size_t w = 0;
    decode_rune(re_, pos_, &w);
    return fail("invalid escape sequence: \\" + std::string(re_.substr(pos_, w)));
  }

  // After a backslash outside a class. Sets *atom (UINT32_MAX when \Q..\E pushed its own).
  bool parse_escape(uint32_t* atom, std::vector<uint32_t>* items) {
    ++pos_;  // the backslash
    if (pos_ >= re_.size()) return fail("trailing backslash at end of expression");
    char c = re_[pos_];
    std::vector<Range32> rs;
    if (perl_class(c, &rs)) {
      ++pos_;
      *atom = add_set(std::move(rs));
      return true;
    }
    switch (c) {
      case 'A': ++pos_; *atom = add_node(Node{Node::Begin, 0, {}}); return true;
      case 'z': ++pos_; *atom = add_node(Node{Node::End, 0, {}}); return true;
      case 'b': ++pos_; *atom = add_node(Node{Node::WordB, 0, {}}); return true;
      case 'B': ++pos_; *atom = add_node(Node{Node::NotWordB, 0, {}}); return true;
      case 'Q': {
        ++pos_;
        size_t end = re_.find("\\E", pos_);
        std::string_view lit = re_.substr(pos_, end == std::string_view::npos ? std::string_view::npos : end - pos_);
        for (size_t i = 0; i < lit.size();) {
          size_t w = 0;
          char32_t r = decode_rune(lit, i, &w);
          items->push_back(add_set({{r, r}}));
          i += w;
        }
        pos_ = end == std::string_view::npos ? re_.size() : end + 2;
        *atom = UINT32_MAX;
        return true;
      }
      default: break;
    }
    char32_t r = 0;
    if (!escaped_rune(&r)) return false;
    *atom = add_set({{r, r}});
    return true;
  }

  bool parse_class(uint32_t* atom) {
    ++pos_;  // '['
    bool negated = false;
    if (pos_ < re_.size() && re_[pos_] == '^') {
      negated = true;
      ++pos_;
    }
    std::vector<Range32> rs;
    bool first = true;
    for (;;) {
      if (pos_ >= re_.size()) return fail("missing closing ]");
      if (re_[pos_] == ']' && !first) {
        ++pos_;
        break;
      }
      first = false;
      // POSIX class [:name:] / [:^name:]
      if (re_[pos_] == '[' && pos_ + 1 < re_.size() && re_[pos_ + 1] == ':') {
        size_t close = re_.find(":]", pos_ + 2);
        if (close != std::string_view::npos) {
          std::string_view name = re_.substr(pos_ + 2, close - pos_ - 2);
          bool neg = !name.empty() && name[0] == '^';
          if (neg) name.remove_prefix(1);
          std::vector<Range32> p;
          if (name == "alnum") p = {{'0', '9'}, {'A', 'Z'}, {'a', 'z'}};
          else if (name == "alpha") p = {{'A', 'Z'}, {'a', 'z'}};
          else if (name == "ascii") p = {{0, 0x7F}};
          else if (name == "blank") p = {{'\t', '\t'}, {' ', ' '}};
          else if (name == "cntrl") p = {{0, 0x1F}, {0x7F, 0x7F}};
          else if (name == "digit") p = {{'0', '9'}};
          else if (name == "graph") p = {{'!', '~'}};
          else if (name == "lower") p = {{'a', 'z'}};
          else if (name == "print") p = {{' ', '~'}};
          else if (name == "punct") p = {{'!', '/'}, {':', '@'}, {'[', '`'}, {'{', '~'}};
          else if (name == "space") p = {{'\t', '\r'}, {' ', ' '}};
          else if (name == "upper") p = {{'A', 'Z'}};
          else if (name == "word") p = {{'0', '9'}, {'A', 'Z'}, {'_', '_'}, {'a', 'z'}};
          else if (name == "xdigit") p = {{'0', '9'}, {'A', 'F'}, {'a', 'f'}};
          else return fail("invalid character class range: [:" + std::string(name) + ":]");
          if (neg) p = complement(p);
          rs.insert(rs.end(), p.begin(), p.end());
          pos_ = close + 2;
          continue;
        }
      }
      if (re_[pos_] == '\\' && pos_ + 1 < re_.size()) {
        std::vector<Range32> p;
        if (perl_class(re_[pos_ + 1], &p)) {
          pos_ += 2;
          rs.insert(rs.end(), p.begin(), p.end());
          continue;
        }
      }
      char32_t lo = 0;
      if (!class_rune(&lo)) return false;
      char32_t hi = lo;
      if (pos_ + 1 < re_.size() && re_[pos_] == '-' && re_[pos_ + 1] != ']') {
        ++pos_;
        if (!class_rune(&hi)) return false;
        if (hi < lo) return fail("invalid character class range");
      }
      rs.push_back({lo, hi});
    }
    if (negated) rs = complement(rs);
    *atom = add_set(std::move(rs));
    return true;
  }

  bool class_rune(char32_t* out) {
    if (pos_ >= re_.size()) return fail("missing closing ]");
    if (re_[pos_] == '\\') {
      ++pos_;
      return escaped_rune(out);
    }
    *out = next_rune();
    return true;
  }
};

// Thompson construction into Program::code.
class Compiler {
 public:
  Compiler(const std::vector<Node>& nodes, Program& prog) : nodes_(nodes), prog_(prog) {}

  bool compile(uint32_t root) {
    if (!emit(root, 0)) return false;
    prog_.code.push_back({Inst::Match});
    return true;
  }

 private:
  const std::vector<Node>& nodes_;
  Program& prog_;

  uint32_t here() const { return static_cast<uint32_t>(prog_.code.size()); }

  bool emit(uint32_t id, int depth) {
    if (depth > 200) return false;
    const Node& n = nodes_[id];
    auto& code = prog_.code;
    switch (n.kind) {
      case Node::SetN: code.push_back({Inst::Set, n.set}); break;
      case Node::Begin: code.push_back({Inst::Begin}); break;
      case Node::End: code.push_back({Inst::End}); break;
      case Node::WordB: code.push_back({Inst::WordB}); break;
      case Node::NotWordB: code.push_back({Inst::NotWordB}); break;
      case Node::Empty: break;
      case Node::Concat:
        for (uint32_t c : n.children)
          if (!emit(c, depth + 1)) return false;
        break;
      case Node::Star: {
        // L1: split L2, L3; L2: child; jmp L1; L3:
        uint32_t l1 = here();
        code.push_back({Inst::Split});
        uint32_t l2 = here();
        if (!emit(n.children[0], depth + 1)) return false;
        code.push_back({Inst::Jmp, l1});
        code[l1].a = l2;
        code[l1].b = here();
        break;
      }
      case Node::Plus: {
        // L1: child; split L1, L2; L2:
        uint32_t l1 = here();
        if (!emit(n.children[0], depth + 1)) return false;
        code.push_back({Inst::Split, l1, here() + 1});
        break;
      }
      case Node::Quest: {
        uint32_t l1 = here();
        code.push_back({Inst::Split});
        uint32_t l2 = here();
        if (!emit(n.children[0], depth + 1)) return false;
        code[l1].a = l2;
        code[l1].b = here();
        break;
      }
    }
    return true;
  }
};

void build_dfa(Program& p, uint64_t* budget);

bool& dfa_enabled() {
  static bool enabled = true;
  return enabled;
}

bool compile_regexp(std::string_view re, Program& prog, std::string* error, uint64_t* dfa_budget) {
  Parser parser(re, prog);
  uint32_t root = 0;
  if (!parser.parse(&root, error)) return false;
  Compiler compiler(parser.nodes, prog);
  if (!compiler.compile(root)) {
    *error = "expression nests too deeply";
    return false;
  }
  build_dfa(prog, dfa_budget);
  return true;
}

// Pike VM: the set of live program counters advances one rune at a time. Scratch buffers are
// per thread and reused, so a match allocates nothing once warmed up.
class Vm {
 public:
  explicit Vm(const Program& p) : p_(p) {
    size_t n = p.code.size();
    Scratch& s = scratch();
    if (s.dense_a.size() < n) {
      s.dense_a.resize(n);
      s.dense_b.resize(n);
      s.sparse_a.resize(n);
      s.sparse_b.resize(n);
    }
  }

  bool run(std::string_view s) {
    Scratch& sc = scratch();
    List cur{sc.dense_a.data(), sc.sparse_a.data(), 0}, next{sc.dense_b.data(), sc.sparse_b.data(), 0};
    char32_t prev = 0;
    bool has_prev = false;
    size_t pos = 0;
    size_t w = 0;
    char32_t r = s.empty() ? 0 : decode_rune(s, 0, &w);
    add(cur, 0, pos, s.size(), has_prev, prev, !s.empty(), r);
    while (pos < s.size()) {
      if (cur.n == 0) return false;
      size_t npos = pos + w;
      size_t w2 = 0;
      char32_t r2 = npos < s.size() ? decode_rune(s, npos, &w2) : 0;
      next.n = 0;
      for (size_t i = 0; i < cur.n; ++i) {
        const Inst& in = p_.code[cur.dense[i]];
        if (in.op == Inst::Set && p_.sets[in.a].contains(r)) {
          add(next, cur.dense[i] + 1, npos, s.size(), true, r, npos < s.size(), r2);
        }
      }
      std::swap(cur, next);
      prev = r;
      has_prev = true;
      pos = npos;
      r = r2;
      w = w2;
    }
    for (size_t i = 0; i < cur.n; ++i)
      if (p_.code[cur.dense[i]].op == Inst::Match) return true;
    return false;
  }

 private:
  struct Scratch {
    std::vector<uint32_t> dense_a, dense_b, sparse_a, sparse_b, stack;
  };
  static Scratch& scratch() {
    thread_local Scratch s;
    return s;
  }

  struct List {
    uint32_t* dense;
    uint32_t* sparse;
    size_t n;
    bool has(uint32_t pc) const { return sparse[pc] < n && dense[sparse[pc]] == pc; }
    void insert(uint32_t pc) {
      sparse[pc] = static_cast<uint32_t>(n);
      dense[n++] = pc;
    }
  };

  void add(List& l, uint32_t pc0, size_t pos, size_t len, bool has_prev, char32_t prev, bool has_next,
           char32_t next) {
    std::vector<uint32_t>& stack = scratch().stack;
    stack.clear();
    stack.push_back(pc0);
    while (!stack.empty()) {
      uint32_t pc = stack.back();
      stack.pop_back();
      if (l.has(pc)) continue;
      l.insert(pc);
      const Inst& in = p_.code[pc];
      switch (in.op) {
        case Inst::Jmp: stack.push_back(in.a); break;
        case Inst::Split:
          stack.push_back(in.b);
          stack.push_back(in.a);
          break;
        case Inst::Begin:
          if (pos == 0) stack.push_back(pc + 1);
          break;
        case Inst::End:
          if (pos == len) stack.push_back(pc + 1);
          break;
        case Inst::WordB:
        case Inst::NotWordB: {
          bool b = (has_prev && is_word(prev)) != (has_next && is_word(next));
          if (b == (in.op == Inst::WordB)) stack.push_back(pc + 1);
          break;
        }
        case Inst::Set:
        case Inst::Match: break;
      }
    }
  }

  const Program& p_;
};

// Follows the epsilon transitions from `pcs`; keeps the pcs that consume a rune, accept, or
// wait for the end of the input.
std::vector<uint32_t> closure(const Program& p, const std::vector<uint32_t>& pcs, bool at_begin, bool at_end) {
  std::vector<uint8_t> seen(p.code.size(), 0);
  std::vector<uint32_t> stack(pcs.rbegin(), pcs.rend()), out;
  while (!stack.empty()) {
    uint32_t pc = stack.back();
    stack.pop_back();
    if (seen[pc]) continue;
    seen[pc] = 1;
    const Inst& in = p.code[pc];
    switch (in.op) {
      case Inst::Jmp: stack.push_back(in.a); break;
      case Inst::Split:
        stack.push_back(in.b);
        stack.push_back(in.a);
        break;
      case Inst::Begin:
        if (at_begin) stack.push_back(pc + 1);
        break;
      case Inst::End:
        if (at_end) stack.push_back(pc + 1);
        else out.push_back(pc);
        break;
      case Inst::Set:
      case Inst::Match: out.push_back(pc); break;
      case Inst::WordB:
      case Inst::NotWordB: break;
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

bool accepts(const Program& p, const std::vector<uint32_t>& state, bool at_begin) {
  for (uint32_t pc : closure(p, state, at_begin, true))
    if (p.code[pc].op == Inst::Match) return true;
  return false;
}

void build_dfa(Program& p, uint64_t* budget) {
  constexpr size_t kMaxStates = 512, kMaxClasses = 2048, kMaxTable = 1u << 16;
  // Each closure costs about the program's size: the construction gives up (the Pike VM
  // matches instead) beyond this much work, so a long pattern with many character classes
  // cannot make it take seconds (found by fuzz/fuzz_dockerignore.cpp). `budget`, when given, is
  // shared by the patterns of one matcher: 1,000 such patterns in one .dockerignore spend it
  // once, not 1,000 times (each gave up after ~23 ms natively).
  constexpr uint64_t kMaxWork = uint64_t{1} << 23;
  const uint64_t max_work = budget ? std::min(kMaxWork, *budget) : kMaxWork;
  uint64_t work = 0;
  struct Charge {
    uint64_t* budget;
    const uint64_t& work;
    ~Charge() {
      if (budget) *budget -= std::min(*budget, work);
    }
  } charge{budget, work};
  if (max_work == 0) return;
  for (const Inst& in : p.code)
    if (in.op == Inst::WordB || in.op == Inst::NotWordB) return;
  Dfa& d = p.dfa;
  std::vector<char32_t> pts{0, kMaxRune + 1};
  for (const RuneSet& set : p.sets)
    for (const auto& r : set.ranges) {
      pts.push_back(r.first);
      pts.push_back(r.second + 1);
    }
  std::sort(pts.begin(), pts.end());
  pts.erase(std::unique(pts.begin(), pts.end()), pts.end());
  if (pts.size() - 1 > kMaxClasses) return;
  d.bounds = pts;
  d.nclasses = pts.size() - 1;
  for (char32_t r = 0; r < 128; ++r) {
    auto it = std::upper_bound(pts.begin(), pts.end(), r);
    d.ascii[r] = static_cast<uint16_t>(it - pts.begin() - 1);
  }
  // membership[set][class]
  std::vector<std::vector<uint8_t>> member(p.sets.size(), std::vector<uint8_t>(d.nclasses));
  for (size_t s = 0; s < p.sets.size(); ++s)
    for (size_t k = 0; k < d.nclasses; ++k) member[s][k] = p.sets[s].contains(pts[k]) ? 1 : 0;

  std::vector<std::vector<uint32_t>> states;
  std::map<std::vector<uint32_t>, int32_t> ids;
  auto intern = [&](std::vector<uint32_t> st) -> int32_t {
    if (st.empty()) return -1;
    auto it = ids.find(st);
    if (it != ids.end()) return it->second;
    int32_t id = static_cast<int32_t>(states.size());
    ids.emplace(st, id);
    states.push_back(std::move(st));
    return id;
  };
  d.start = intern(closure(p, {0}, true, false));
  d.accept_empty = accepts(p, {0}, true);
  for (size_t i = 0; i < states.size(); ++i) {
    if (states.size() > kMaxStates || states.size() * d.nclasses > kMaxTable) {
      d = Dfa();
      return;
    }
    d.next.resize((i + 1) * d.nclasses, -1);
    d.accept.push_back(accepts(p, states[i], false) ? 1 : 0);
    for (size_t k = 0; k < d.nclasses; ++k) {
      work += p.code.size() + states[i].size();
      if (work > max_work) {
        d = Dfa();
        return;
      }
      std::vector<uint32_t> moved;
      for (uint32_t pc : states[i]) {
        const Inst& in = p.code[pc];
        if (in.op == Inst::Set && member[in.a][k]) moved.push_back(pc + 1);
      }
      if (moved.empty()) continue;
      d.next[i * d.nclasses + k] = intern(closure(p, moved, false, false));
    }
  }
  d.ok = states.size() <= kMaxStates && states.size() * d.nclasses <= kMaxTable;
  if (!d.ok) d = Dfa();
}

bool run_program(const Program& p, std::string_view s) {
  const Dfa& d = p.dfa;
  if (d.ok && dfa_enabled()) {
    if (s.empty()) return d.accept_empty;
    int32_t st = d.start;
    if (st < 0) return false;
    for (size_t i = 0; i < s.size();) {
      const unsigned char c = static_cast<unsigned char>(s[i]);
      size_t k;
      if (c < 0x80) {
        k = d.ascii[c];
        ++i;
      } else {
        size_t w = 0;
        k = d.class_of(decode_rune(s, i, &w));
        i += w;
      }
      st = d.next[static_cast<size_t>(st) * d.nclasses + k];
      if (st < 0) return false;
    }
    return d.accept[static_cast<size_t>(st)] != 0;
  }
  Vm vm(p);
  return vm.run(s);
}

}  // namespace dfplay::context::detail
