#include "sim/shell/split.h"

#include <doctest/doctest.h>

#include <map>

using namespace dfplay::sim::sh;

namespace {

struct MapEnv : Env {
  std::map<std::string, std::string, std::less<>> vars;
  const std::string* get(std::string_view n) const override {
    auto it = vars.find(n);
    return it == vars.end() ? nullptr : &it->second;
  }
};

// Flattens the simple commands of a script in execution order (words joined by spaces).
void collect(const Script& s, uint32_t i, std::vector<std::string>& out) {
  const Node& n = s.nodes[i];
  if (n.kind == NodeKind::Simple) {
    std::string line;
    for (const auto& a : n.cmd.assigns) line += (line.empty() ? "" : " ") + a.text;
    for (const auto& w : n.cmd.words) line += (line.empty() ? "" : " ") + w.text;
    out.push_back(line);
    return;
  }
  for (uint32_t k : n.kids) collect(s, k, out);
}

std::vector<std::string> commands(std::string_view text) {
  Script s = parse(text);
  std::vector<std::string> out;
  collect(s, s.root, out);
  return out;
}

std::vector<std::string> fields(std::string_view word, const Env& env) {
  std::vector<Field> f;
  expand(word, env, f);
  std::vector<std::string> out;
  for (auto& x : f) out.push_back(x.value);
  return out;
}

}  // namespace

TEST_SUITE("shell_split") {
  TEST_CASE("&&, ||, ; and | split commands") {
    CHECK(commands("npm ci && npm run build") == std::vector<std::string>{"npm ci", "npm run build"});
    CHECK(commands("a || b; c | d") == std::vector<std::string>{"a", "b", "c", "d"});
    Script s = parse("a && b || c");
    const Node& root = s.nodes[s.root];
    REQUIRE(root.kind == NodeKind::List);
    REQUIRE(root.kids.size() == 1);
    const Node& ao = s.nodes[root.kids[0]];
    CHECK(ao.kind == NodeKind::AndOr);
    CHECK(ao.seps == std::vector<Sep>{Sep::And, Sep::Or});
    Script p = parse("curl -fsSL https://x | tar -xz -C /opt");
    CHECK(p.nodes[p.nodes[p.root].kids[0]].kind == NodeKind::Pipeline);
  }

  TEST_CASE("line continuations, newlines and comments") {
    CHECK(commands("apt-get update \\\n && apt-get install -y curl \\\n && rm -rf /var/lib/apt/lists/*") ==
          std::vector<std::string>{"apt-get update", "apt-get install -y curl", "rm -rf /var/lib/apt/lists/*"});
    CHECK(commands("a\nb # comment && c\n# only a comment\nd") == std::vector<std::string>{"a", "b", "d"});
    CHECK(commands("echo a#b") == std::vector<std::string>{"echo a#b"});
    CHECK(commands("a &&\n  b") == std::vector<std::string>{"a", "b"});
  }

  TEST_CASE("environment prefixes are assignments") {
    Script s = parse("CGO_ENABLED=0 GOOS=linux go build -o /app/server ./cmd/server");
    const Node& n = s.nodes[s.nodes[s.root].kids[0]];
    REQUIRE(n.kind == NodeKind::Simple);
    REQUIRE(n.cmd.assigns.size() == 2);
    CHECK(n.cmd.assigns[0].text == "CGO_ENABLED=0");
    CHECK(n.cmd.words.size() == 5);
    CHECK(n.cmd.words[0].text == "go");
    CHECK(is_assignment("A_1=x"));
    CHECK_FALSE(is_assignment("1A=x"));
    CHECK_FALSE(is_assignment("--x=y"));
    CHECK(assignment_name("A=b=c") == "A");
    CHECK(assignment_value("A=b=c") == "b=c");
  }

  TEST_CASE("quotes are kept in words and removed by expansion") {
    MapEnv env;
    env.vars["HOME"] = "/root";
    env.vars["V"] = "1.2";
    env.vars["FLAGS"] = "-s -w";
    Script s = parse("echo 'a && b' \"x;y\" c\\ d");
    REQUIRE(s.ok());
    const Node& n = s.nodes[s.nodes[s.root].kids[0]];
    REQUIRE(n.cmd.words.size() == 4);
    CHECK(fields(n.cmd.words[1].text, env) == std::vector<std::string>{"a && b"});
    CHECK(fields(n.cmd.words[2].text, env) == std::vector<std::string>{"x;y"});
    CHECK(fields(n.cmd.words[3].text, env) == std::vector<std::string>{"c d"});
    CHECK(fields("~/x", env) == std::vector<std::string>{"/root/x"});
    CHECK(fields("v$V", env) == std::vector<std::string>{"v1.2"});
    CHECK(fields("${V}-${MISSING:-def}", env) == std::vector<std::string>{"1.2-def"});
    CHECK(fields("${V:+set}${MISSING:+no}", env) == std::vector<std::string>{"set"});
    CHECK(fields("$FLAGS", env) == std::vector<std::string>{"-s", "-w"});     // split
    CHECK(fields("\"$FLAGS\"", env) == std::vector<std::string>{"-s -w"});   // not split
    CHECK(fields("$MISSING", env).empty());                                  // no field
    CHECK(fields("\"\"", env) == std::vector<std::string>{""});              // one empty field
    CHECK(fields("${#V}", env) == std::vector<std::string>{"3"});
    CHECK(fields("${V%.*}", env) == std::vector<std::string>{"1"});
    CHECK(fields("${V#*.}", env) == std::vector<std::string>{"2"});
    CHECK(expand_one("a $FLAGS b", env) == "a -s -w b");
  }

  TEST_CASE("command substitutions and globs are flagged") {
    MapEnv env;
    std::vector<Field> f;
    expand("main.date=$(date -u +%Y)", env, f);
    REQUIRE(f.size() == 1);
    CHECK(f[0].dynamic);
    f.clear();
    expand("/var/lib/apt/lists/*", env, f);
    REQUIRE(f.size() == 1);
    CHECK(f[0].glob);
    CHECK(f[0].pattern == "/var/lib/apt/lists/*");
    f.clear();
    expand("'*.txt'", env, f);
    REQUIRE(f.size() == 1);
    CHECK_FALSE(f[0].glob);
    CHECK(f[0].value == "*.txt");
    bool dyn = false;
    CHECK(expand_one("`uname -m`", env, &dyn) == "`uname -m`");
    CHECK(dyn);
  }

  TEST_CASE("redirections and heredocs") {
    Script s = parse("cat <<EOF > /etc/motd\nhello $USER\nEOF\necho done 2>&1 >/dev/null");
    REQUIRE(s.ok());
    auto cmds = commands("cat <<EOF > /etc/motd\nhello\nEOF\necho done");
    CHECK(cmds == std::vector<std::string>{"cat", "echo done"});
    const Node& cat = s.nodes[s.nodes[s.root].kids[0]];
    REQUIRE(cat.cmd.redirects.size() == 2);
    CHECK(cat.cmd.redirects[0].op == RedirOp::Heredoc);
    REQUIRE(cat.cmd.redirects[0].heredoc == 0);
    CHECK(s.heredocs[0].body == "hello $USER\n");
    CHECK(s.heredocs[0].expand);
    CHECK(cat.cmd.redirects[1].op == RedirOp::Out);
    CHECK(cat.cmd.redirects[1].target.text == "/etc/motd");
    const Node& echo = s.nodes[s.nodes[s.root].kids[1]];
    REQUIRE(echo.cmd.redirects.size() == 2);
    CHECK(echo.cmd.redirects[0].op == RedirOp::DupOut);
    CHECK(echo.cmd.redirects[0].fd == 2);
    CHECK(echo.cmd.redirects[1].target_fd() == 1);

    Script q = parse("cat <<-'EOF' >> f\n\tliteral $X\n\tEOF\n");
    REQUIRE(q.ok());
    CHECK(q.heredocs[0].body == "literal $X\n");
    CHECK_FALSE(q.heredocs[0].expand);
    CHECK(q.heredocs[0].strip_tabs);

    MapEnv env;
    env.vars["USER"] = "node";
    CHECK(expand_heredoc("hi $USER \\$HOME\n", env) == "hi node $HOME\n");
  }

  TEST_CASE("subshells, groups, if, for, case") {
    Script s = parse("(cd web && npm ci) && { echo a; echo b; }");
    REQUIRE(s.ok());
    const Node& ao = s.nodes[s.nodes[s.root].kids[0]];
    CHECK(s.nodes[ao.kids[0]].kind == NodeKind::Subshell);
    CHECK(s.nodes[ao.kids[1]].kind == NodeKind::Group);

    Script i = parse("if [ -f package-lock.json ]; then npm ci; elif true; then x; else npm install; fi");
    REQUIRE(i.ok());
    const Node& ifn = i.nodes[i.nodes[i.root].kids[0]];
    CHECK(ifn.kind == NodeKind::If);
    CHECK(ifn.kids.size() == 5);
    CHECK(ifn.has_else);

    Script f = parse("for p in a b c; do echo $p; done");
    REQUIRE(f.ok());
    const Node& forn = f.nodes[f.nodes[f.root].kids[0]];
    CHECK(forn.kind == NodeKind::For);
    CHECK(forn.name.text == "p");
    CHECK(forn.items.size() == 3);

    Script c = parse("case \"$TARGETARCH\" in\n amd64) A=x86_64 ;;\n arm64|aarch64) A=aarch64 ;;\n *) exit 1 ;;\nesac");
    REQUIRE(c.ok());
    const Node& casen = c.nodes[c.nodes[c.root].kids[0]];
    CHECK(casen.kind == NodeKind::Case);
    CHECK(casen.patterns.size() == 3);
    CHECK(casen.patterns[1].size() == 2);

    Script w = parse("while read -r l; do echo $l; done < file");
    REQUIRE(w.ok());
    CHECK(w.nodes[w.nodes[w.root].kids[0]].kind == NodeKind::While);
    CHECK(w.nodes[w.nodes[w.root].kids[0]].redirects.size() == 1);

    Script fn = parse("f() { echo hi; }; f");
    REQUIRE(fn.ok());
    CHECK(fn.nodes[fn.nodes[fn.root].kids[0]].kind == NodeKind::Function);

    CHECK(commands("set -eux; npm ci") == std::vector<std::string>{"set -eux", "npm ci"});
    CHECK(commands("echo done; echo fi") == std::vector<std::string>{"echo done", "echo fi"});
  }

  TEST_CASE("syntax errors are reported, never fatal") {
    CHECK_FALSE(parse("echo 'unterminated").ok());
    CHECK_FALSE(parse("echo \"unterminated").ok());
    CHECK_FALSE(parse("a &&").ok());
    CHECK_FALSE(parse("if true; then echo").ok());
    CHECK_FALSE(parse("cat <<EOF\nno end").ok());
    CHECK_FALSE(parse("echo $(unclosed").ok());
    Script s = parse(") echo a");
    CHECK_FALSE(s.ok());
    CHECK(commands(") echo a") == std::vector<std::string>{"echo a"});
    CHECK(parse("fi").problems.size() == 1);
    CHECK(parse(";;").problems.size() == 1);
  }

  TEST_CASE("deep nesting and long inputs stay bounded") {
    std::string deep;
    for (int i = 0; i < 5000; ++i) deep += "( ";
    Script s = parse(deep);
    CHECK_FALSE(s.ok());
    CHECK_FALSE(parse(std::string(5000, '(')).ok());  // "((" opens an unclosed arithmetic command
    std::string braces;
    for (int i = 0; i < 3000; ++i) braces += "{ ";
    CHECK_FALSE(parse(braces).ok());
    std::string ifs;
    for (int i = 0; i < 3000; ++i) ifs += "if true; then ";
    CHECK_FALSE(parse(ifs).ok());
    std::string subst = "echo ";
    for (int i = 0; i < 3000; ++i) subst += "$(";
    CHECK_FALSE(parse(subst).ok());
    std::string long_chain;
    for (int i = 0; i < 20000; ++i) long_chain += "a && ";
    long_chain += "b";
    Script l = parse(long_chain);
    CHECK(l.ok());
    CHECK(commands(long_chain).size() == 20001);
  }

  TEST_CASE("glob_match") {
    CHECK(glob_match("*", "abc"));
    CHECK_FALSE(glob_match("*", ".hidden"));
    CHECK(glob_match(".*", ".hidden"));
    CHECK(glob_match("*.ts", "a.ts"));
    CHECK_FALSE(glob_match("*.ts", "a.tsx"));
    CHECK(glob_match("a?c", "abc"));
    CHECK(glob_match("[ab]x", "bx"));
    CHECK(glob_match("[!ab]x", "cx"));
    CHECK_FALSE(glob_match("[!ab]x", "ax"));
    CHECK(glob_match("[a-c]*", "cat"));
    CHECK(glob_match("\\*", "*"));
    CHECK_FALSE(glob_match("\\*", "a"));
    CHECK(glob_match("package*.json", "package-lock.json"));
    CHECK(glob_match("*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaab"));
    CHECK_FALSE(glob_match("*a*a*a*a*b", std::string(2000, 'a')));
  }

  TEST_CASE("has_glob_magic: only what can match more than the text itself") {
    CHECK(has_glob_magic("*.ts"));
    CHECK(has_glob_magic("a?c"));
    CHECK(has_glob_magic("[ab]x"));
    CHECK(has_glob_magic("[]]"));    // ']' first in a class is a member
    CHECK(has_glob_magic("[!]]x"));
    CHECK_FALSE(has_glob_magic("["));  // `[ -n x ]`: no closing bracket, a literal '['
    CHECK_FALSE(has_glob_magic("]"));
    CHECK_FALSE(has_glob_magic("[]"));  // the ']' is the class's first member: still open
    CHECK_FALSE(has_glob_magic("\\*"));
    CHECK_FALSE(has_glob_magic("a\\[b]"));
    CHECK_FALSE(has_glob_magic("plain"));
    // Consistent with glob_match: without magic, a pattern matches exactly its unescaped text.
    CHECK(glob_match("[", "["));
    CHECK(glob_match("[]", "[]"));
    CHECK_FALSE(glob_match("[]", "]"));
  }
}
