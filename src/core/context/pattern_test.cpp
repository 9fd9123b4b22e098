#include "context/pattern.h"

#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <vector>

#include "context/path.h"

using namespace dfplay::context;

namespace {

PatternMatcher make(std::vector<std::string> patterns) {
  std::vector<PatternMatcher::Error> errors;
  PatternMatcher m = PatternMatcher::build(patterns, &errors);
  REQUIRE(errors.empty());
  return m;
}

// Go's filepath.Dir on a slash path.
std::string go_dir(const std::string& p) {
  size_t i = p.rfind('/');
  if (i == std::string::npos) return ".";
  return clean_path(p.substr(0, i + 1));
}

// MatchesUsingParentResults applied to each parent directory, then to `text` (the way
// moby/patternmatcher's own test walks a path).
bool walk_match(const PatternMatcher& m, const std::string& text) {
  std::string parent = go_dir(text);
  std::vector<uint64_t> bits(m.words() + 1), next(m.words() + 1);
  bool have = false;
  if (parent != ".") {
    size_t start = 0;
    for (;;) {
      size_t slash = parent.find('/', start);
      std::string prefix = parent.substr(0, slash);
      m.match_in_walk(prefix, have ? bits.data() : nullptr, next.data());
      bits.swap(next);
      have = true;
      if (slash == std::string::npos) break;
      start = slash + 1;
    }
  }
  return m.match_in_walk(text, have ? bits.data() : nullptr, next.data());
}

enum Expect { Fail, Exact, Inexact };

}  // namespace

TEST_CASE("patternmatcher vectors: exact, parent and walk matching") {
  struct Case {
    const char* pattern;
    const char* text;
    Expect pass;
  };
  // moby/patternmatcher's TestMatches table (Unix), written out as our own table.
  const Case cases[] = {
      {"**", "file", Exact},
      {"**", "file/", Exact},
      {"**/", "file", Exact},
      {"**/", "file/", Exact},
      {"**", "/", Exact},
      {"**/", "/", Exact},
      {"**", "dir/file", Exact},
      {"**/", "dir/file", Exact},
      {"**", "dir/file/", Exact},
      {"**/", "dir/file/", Exact},
      {"**/**", "dir/file", Exact},
      {"**/**", "dir/file/", Exact},
      {"dir/**", "dir/file", Exact},
      {"dir/**", "dir/file/", Exact},
      {"dir/**", "dir/dir2/file", Exact},
      {"dir/**", "dir/dir2/file/", Exact},
      {"**/dir", "dir", Exact},
      {"**/dir", "dir/file", Inexact},
      {"**/dir2/*", "dir/dir2/file", Exact},
      {"**/dir2/*", "dir/dir2/file/", Inexact},
      {"**/dir2/**", "dir/dir2/dir3/file", Exact},
      {"**/dir2/**", "dir/dir2/dir3/file/", Exact},
      {"**file", "file", Exact},
      {"**file", "dir/file", Exact},
      {"**/file", "dir/file", Exact},
      {"**file", "dir/dir/file", Exact},
      {"**/file", "dir/dir/file", Exact},
      {"**/file*", "dir/dir/file", Exact},
      {"**/file*", "dir/dir/file.txt", Exact},
      {"**/file*txt", "dir/dir/file.txt", Exact},
      {"**/file*.txt", "dir/dir/file.txt", Exact},
      {"**/file*.txt*", "dir/dir/file.txt", Exact},
      {"**/**/*.txt", "dir/dir/file.txt", Exact},
      {"**/**/*.txt2", "dir/dir/file.txt", Fail},
      {"**/*.txt", "file.txt", Exact},
      {"**/**/*.txt", "file.txt", Exact},
      {"a**/*.txt", "a/file.txt", Exact},
      {"a**/*.txt", "a/dir/file.txt", Exact},
      {"a**/*.txt", "a/dir/dir/file.txt", Exact},
      {"a/*.txt", "a/dir/file.txt", Fail},
      {"a/*.txt", "a/file.txt", Exact},
      {"a/*.txt**", "a/file.txt", Exact},
      {"a[b-d]e", "ae", Fail},
      {"a[b-d]e", "ace", Exact},
      {"a[b-d]e", "aae", Fail},
      {"a[^b-d]e", "aze", Exact},
      {".*", ".foo", Exact},
      {".*", "foo", Fail},
      {"abc.def", "abcdef", Fail},
      {"abc.def", "abc.def", Exact},
      {"abc.def", "abcZdef", Fail},
      {"abc?def", "abcZdef", Exact},
      {"abc?def", "abcdef", Fail},
      {"**/foo/bar", "foo/bar", Exact},
      {"**/foo/bar", "dir/foo/bar", Exact},
      {"**/foo/bar", "dir/dir2/foo/bar", Exact},
      {"abc/**", "abc", Fail},
      {"abc/**", "abc/def", Exact},
      {"abc/**", "abc/def/ghi", Exact},
      {"**/.foo", ".foo", Exact},
      {"**/.foo", "bar.foo", Fail},
      {"a(b)c/def", "a(b)c/def", Exact},
      {"a(b)c/def", "a(b)c/xyz", Fail},
      {"a.|)$(}+{bc", "a.|)$(}+{bc", Exact},
      {"dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl",
       "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", Exact},
      {"dist/*.whl", "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", Exact},
      {"a\\\\", "a\\", Exact},
      {"a\\*b", "a*b", Exact},
  };
  for (const auto& c : cases) {
    CAPTURE(c.pattern);
    CAPTURE(c.text);
    PatternMatcher m = make({c.pattern});
    CHECK(m.matches_exact(c.text) == (c.pass == Exact));
    CHECK(m.matches_or_parent_matches(c.text) == (c.pass != Fail));
    CHECK(walk_match(m, c.text) == (c.pass != Fail));
    std::vector<uint64_t> out(m.words());
    CHECK(m.match_in_walk(c.text, nullptr, out.data()) == (c.pass != Fail));  // no parent info
  }
}

TEST_CASE("patternmatcher vectors: several patterns and exceptions") {
  struct Case {
    std::vector<std::string> patterns;
    const char* text;
    bool pass;
  };
  const Case cases[] = {
      {{"**", "!util/docker/web"}, "util/docker/web/foo", false},
      {{"**", "!util/docker/web", "util/docker/web/foo"}, "util/docker/web/foo", true},
      {{"**", "!dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl"},
       "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", false},
      {{"**", "!dist/*.whl"}, "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", false},
      {{"*"}, "fileutils.go", true},
      {{"*.go"}, "fileutils.go", true},
      {{"!fileutils.go", "*.go"}, "fileutils.go", true},
      {{"docs", "!docs/README.md"}, "docs/README.md", false},
      {{"docs/", "!docs/README.md"}, "docs/README.md", false},
      {{"docs/*", "!docs/README.md"}, "docs/README.md", false},
      {{"*.go", "!fileutils.go"}, "fileutils.go", false},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    PatternMatcher m = make(c.patterns);
    CHECK(m.matches_or_parent_matches(c.text) == c.pass);
    CHECK(walk_match(m, c.text) == c.pass);
  }
}

TEST_CASE("patterns are classified and translated like BuildKit") {
  struct Case {
    const char* pattern;
    Pattern::Kind kind;
    const char* re;
  };
  // moby/patternmatcher's TestCompile table (Unix column).
  const Case cases[] = {
      {"*", Pattern::Kind::Regexp, "^[^/]*$"},
      {"file*", Pattern::Kind::Regexp, "^file[^/]*$"},
      {"*file", Pattern::Kind::Regexp, "^[^/]*file$"},
      {"a*/b", Pattern::Kind::Regexp, "^a[^/]*/b$"},
      {"**", Pattern::Kind::Suffix, ""},
      {"**/**", Pattern::Kind::Regexp, "^(.*/)?.*$"},
      {"dir/**", Pattern::Kind::Prefix, ""},
      {"**/dir", Pattern::Kind::Suffix, ""},
      {"**/dir2/*", Pattern::Kind::Regexp, "^(.*/)?dir2/[^/]*$"},
      {"**/dir2/**", Pattern::Kind::Regexp, "^(.*/)?dir2/.*$"},
      {"**file", Pattern::Kind::Suffix, ""},
      {"**/file*txt", Pattern::Kind::Regexp, "^(.*/)?file[^/]*txt$"},
      {"**/**/*.txt", Pattern::Kind::Regexp, "^(.*/)?(.*/)?[^/]*\\.txt$"},
      {"a[b-d]e", Pattern::Kind::Regexp, "^a[b-d]e$"},
      {".*", Pattern::Kind::Regexp, "^\\.[^/]*$"},
      {"abc.def", Pattern::Kind::Exact, ""},
      {"abc?def", Pattern::Kind::Regexp, "^abc[^/]def$"},
      {"**/foo/bar", Pattern::Kind::Suffix, ""},
      {"a(b)c/def", Pattern::Kind::Exact, ""},
      {"a.|)$(}+{bc", Pattern::Kind::Exact, ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.pattern);
    std::string err;
    auto p = Pattern::compile(clean_path(c.pattern), false, &err);
    REQUIRE(p);
    CHECK(p->kind() == c.kind);
    if (c.kind == Pattern::Kind::Regexp) CHECK(p->regexp() == c.re);
  }
}

TEST_CASE("BuildKit's matcher quirks are reproduced") {
  // "**foo" is a suffix test: it matches "xfoo" (checked with Docker 26)
  PatternMatcher m = make({"**foo"});
  CHECK(m.matches_exact("xfoo"));
  CHECK(m.matches_exact("sub/yfoo"));
  // the anchoring trap: "*.md" is anchored at the root
  PatternMatcher md = make({"*.md"});
  CHECK(md.matches_exact("a.md"));
  CHECK_FALSE(md.matches_exact("docs/a.md"));
  CHECK(make({"**/*.md"}).matches_exact("docs/a.md"));
  // '!' is not a class negation; '^' is
  CHECK(make({"[!a]"}).matches_exact("!"));
  CHECK_FALSE(make({"[!a]"}).matches_exact("b"));
  CHECK(make({"[^a]"}).matches_exact("b"));
  // classes may match '/' (they come from Go regexp syntax)
  CHECK(make({"a[^x]b"}).matches_exact("a/b"));
  // "**" in the middle without a slash: "a**b" is ^a(.*/)?b$
  PatternMatcher ab = make({"a**b"});
  CHECK(ab.matches_exact("ab"));
  CHECK(ab.matches_exact("ax/b"));
  CHECK_FALSE(ab.matches_exact("axb"));
  // '[' with a star inside becomes a broken regular expression in BuildKit: "[*]" is
  // ^[[^/]*]$, i.e. the class {'[', '^', '/'} repeated, then ']'
  PatternMatcher star = make({"[*]"});
  CHECK(star.matches_exact("]"));
  CHECK(star.matches_exact("[^]"));
  CHECK_FALSE(star.matches_exact("*"));
  // a reversed range passes Go's filepath.Match check but breaks the regular expression
  std::vector<PatternMatcher::Error> errors;
  PatternMatcher::build({"[Local-Only]"}, &errors);
  CHECK(errors.size() == 1);
  // POSIX class names work inside brackets (Go regexp)
  CHECK(make({"[[:digit:]]x"}).matches_exact("7x"));
  // escapes: "\." is a literal dot, "\d" a digit class in BuildKit's regexp
  CHECK(make({"a\\.b*"}).matches_exact("a.bc"));
  CHECK(make({"v\\d*"}).matches_exact("v1x"));
  CHECK_FALSE(make({"v\\d*"}).matches_exact("vx"));
}

TEST_CASE("PatternMatcher::build reports bad patterns") {
  std::vector<PatternMatcher::Error> errors;
  PatternMatcher m = PatternMatcher::build({"ok", "!", "a[", "", "  ", "[]a]", "x\\q*"}, &errors);
  CHECK(m.size() == 1);
  REQUIRE(errors.size() == 4);
  CHECK(errors[0].index == 1);
  CHECK(errors[0].message == "illegal exclusion pattern: \"!\"");
  CHECK(errors[1].index == 2);
  CHECK(errors[1].message.rfind("syntax error in pattern", 0) == 0);
  CHECK(errors[2].index == 5);
  CHECK(errors[3].index == 6);  // \q is an invalid escape in Go regexp
  // "!/" cleans to "!" and is rejected too
  errors.clear();
  PatternMatcher::build({"!/"}, &errors);
  CHECK(errors.size() == 1);
}

TEST_CASE("last matching pattern wins, with the walk's skipping quirk") {
  PatternMatcher m = make({"q", "!q/b", "q"});
  // the parent-result walk (what BuildKit does, checked with Docker 26): q/b is included
  CHECK_FALSE(walk_match(m, "q/b"));
  CHECK(walk_match(m, "q/c"));
  CHECK(walk_match(m, "q"));
  // the simpler "any parent matches" rule would exclude it
  CHECK(m.matches_or_parent_matches("q/b"));
  int decided = -2;
  std::vector<uint64_t> out(m.words());
  CHECK(m.match_in_walk("q", nullptr, out.data(), &decided));
  CHECK(decided == 0);
}

TEST_CASE("regular expressions run in linear time") {
  std::string pattern;
  for (int i = 0; i < 40; ++i) pattern += "**/a*";
  pattern += "b";
  PatternMatcher m = make({pattern});
  std::string path;
  for (int i = 0; i < 300; ++i) path += "aaaaaaaaa/";
  path += "aaaa";
  auto t0 = std::chrono::steady_clock::now();
  CHECK_FALSE(m.matches_exact(path));
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
  MESSAGE(ms << " ms");
}

TEST_CASE("the DFA and the Pike VM agree") {
  const std::vector<std::string> patterns = {"*.md",       "**/*.md",     "a/**/b",       "**/dir2/*",  "a[b-d]e",
                                             "[^a-c]?x*",  "**/**/*.txt", "[[:alpha:]]*", "a**b",       "x\\d\\w*",
                                             "[*]",        "é*/ü?",       "a^b",          "**/.*"};
  const std::vector<std::string> paths = {"a.md",  "docs/a.md", "a/b",   "a/x/y/b", "ab",        "ace",  "d/dir2/f",
                                          "zqx",   "zq/x",      "t.txt", "a/b.txt", "x1_",       "x1",   "]",
                                          "[^]",   "éa/üb",     "é/ü/x", "a^b",     "dir/.hidden", "",   "\xff/x"};
  for (const auto& p : patterns) {
    PatternMatcher m = make({p});
    for (const auto& path : paths) {
      CAPTURE(p);
      CAPTURE(path);
      detail::dfa_enabled() = true;
      bool dfa = m.matches_exact(path);
      detail::dfa_enabled() = false;
      bool vm = m.matches_exact(path);
      detail::dfa_enabled() = true;
      CHECK(dfa == vm);
    }
  }
  // word boundaries only run on the VM
  PatternMatcher wb = make({"a\\bb*"});
  CHECK_FALSE(wb.matches_exact("ab"));
  PatternMatcher nwb = make({"a\\Bb*"});
  CHECK(nwb.matches_exact("abc"));
}
