// Splitting a shell command line (POSIX sh, as /bin/sh or bash sees a RUN's script) into a tree
// of commands, and expanding words against an environment. No command is run: command
// substitutions `$(...)` and backquotes are kept as text and marked dynamic.
//
// Grammar (POSIX "Shell Command Language", roughly):
//   list      := and_or ((';' | '&' | newline) and_or)*
//   and_or    := pipeline (('&&' | '||') linebreak pipeline)*
//   pipeline  := ['!'] command ('|' linebreak command)*
//   command   := simple | '(' list ')' | '{' list '}' | if | for | while | until | case
//                | name '()' command          (each compound may carry redirections)
//   simple    := (NAME=value | redirect)* word (word | redirect)*
// Quotes ('...', "...", \x), line continuations (backslash-newline), comments (#...),
// heredocs (<<EOF, <<-EOF, <<'EOF' with their bodies read after the next newline), here-strings,
// IO numbers (2>&1) are understood. Syntax errors are reported as problems; whatever could be
// read is still returned (the parser always makes progress and never recurses deeper than
// kMaxDepth).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace dfplay::sim::sh {

inline constexpr int kMaxDepth = 100;

struct Word {
  std::string text;              // as written: quotes and escapes kept, continuations removed
  uint32_t begin = 0, end = 0;   // byte offsets in the script
};

enum class RedirOp : uint8_t {
  Out,           // >  and >|
  Append,        // >>
  In,            // <
  Heredoc,       // << and <<-
  HereString,    // <<<
  DupOut,        // >&
  DupIn,         // <&
  OutErr,        // &>
  AppendOutErr,  // &>>
  ReadWrite,     // <>
};

struct Redirect {
  int fd = -1;       // explicit descriptor (2 in `2>`), -1 when not written
  RedirOp op = RedirOp::Out;
  Word target;       // file name, descriptor, or heredoc delimiter (as written)
  int heredoc = -1;  // index into Script::heredocs for RedirOp::Heredoc
  // The descriptor this redirection applies to (the written one, or 0/1 by default).
  int target_fd() const;
};

struct HeredocBody {
  std::string delimiter;   // quotes removed
  std::string body;        // lines up to the delimiter line, newlines kept; tabs stripped for <<-
  bool expand = true;      // delimiter unquoted: $ expansions apply to the body
  bool strip_tabs = false; // <<-
  bool closed = false;     // the delimiter line was found
};

struct SimpleCommand {
  std::vector<Word> assigns;   // NAME=value prefixes
  std::vector<Word> words;     // command name and arguments
  std::vector<Redirect> redirects;
  uint32_t begin = 0, end = 0;
};

enum class NodeKind : uint8_t {
  Simple, Pipeline, AndOr, List, Subshell, Group, If, For, While, Until, Case, Function,
};
enum class Sep : uint8_t { Seq, Background, And, Or };

struct Node {
  NodeKind kind = NodeKind::Simple;
  bool negate = false;              // `! pipeline`
  SimpleCommand cmd;                // Simple
  // Children (indices into Script::nodes):
  //   List/AndOr/Pipeline: the items; Subshell/Group/Function: the body list;
  //   If: cond, then, [cond, then]..., [else]; For: body; While/Until: cond, body;
  //   Case: one body per arm (patterns in `patterns`).
  std::vector<uint32_t> kids;
  // List: one separator after each item (Seq or Background); AndOr: kids.size()-1 operators.
  std::vector<Sep> seps;
  bool has_else = false;            // If
  bool has_in = false;              // For: `in words` was given
  Word name;                        // For: variable; Function: name; Case: the subject word
  std::vector<Word> items;          // For: the words after `in`
  std::vector<std::vector<Word>> patterns;  // Case: patterns of each arm
  std::vector<Redirect> redirects;  // redirections on a compound command
  uint32_t begin = 0, end = 0;
};

struct Problem {
  uint32_t offset = 0;
  std::string message;  // lower case, no final period
};

struct Script {
  std::vector<Node> nodes;
  uint32_t root = 0;                 // a List
  std::vector<HeredocBody> heredocs;
  std::vector<Problem> problems;
  bool ok() const { return problems.empty(); }
  const Node& node(uint32_t i) const { return nodes[i]; }
};

Script parse(std::string_view script);

// ---- expansion ----

class Env {
 public:
  virtual ~Env() = default;
  // The variable's value, or nullptr when unset.
  virtual const std::string* get(std::string_view name) const = 0;
};

struct Field {
  std::string value;     // after expansion and quote removal
  std::string pattern;   // when `glob`: the glob pattern (quoted metacharacters escaped by '\')
  bool glob = false;     // has an unquoted *, ? or [
  bool dynamic = false;  // holds a command substitution, arithmetic, or special parameter
};

// Expands one word: tilde (~, ~/x with HOME), parameters ($X, ${X}, ${X:-w}, ${X-w}, ${X:=w},
// ${X:+w}, ${X+w}, ${#X}, ${X#p}, ${X##p}, ${X%p}, ${X%%p}), quote removal, and field splitting
// of unquoted expansions on blanks. Appends 0..n fields to `out` (an unquoted empty expansion
// gives no field; "" gives one empty field).
void expand(std::string_view word, const Env& env, std::vector<Field>& out);
// Expands a word that must give exactly one string (assignment values, redirect targets): no
// field splitting, no globbing. `dynamic` is set if a substitution was involved.
std::string expand_one(std::string_view word, const Env& env, bool* dynamic = nullptr);
// Expands a heredoc body ($ expansions and \$ \` \\ escapes) when `expand` is set.
std::string expand_heredoc(std::string_view body, const Env& env, bool* dynamic = nullptr);

// fnmatch(3) on one name without FNM_PATHNAME/FNM_PERIOD subtleties except that a leading '.'
// must be matched explicitly: *, ?, [abc], [a-z], [!x], [^x], and '\' escapes.
bool glob_match(std::string_view pattern, std::string_view name);
// True if `pattern` can match anything but itself unescaped: an unescaped * or ?, or an unescaped
// '[' that has its closing ']' (glob_match takes a '[' without one literally).
bool has_glob_magic(std::string_view pattern);
// True for `NAME=...` with a valid unquoted name.
bool is_assignment(std::string_view word);
// `NAME=value` -> NAME (the word must satisfy is_assignment).
std::string_view assignment_name(std::string_view word);
std::string_view assignment_value(std::string_view word);

}  // namespace dfplay::sim::sh
