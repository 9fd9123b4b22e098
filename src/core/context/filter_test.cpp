#include "context/filter.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace dfplay::context;

namespace {

// The paths BuildKit would send (visible entries, without the root).
std::vector<std::string> sent(const FilteredContext& view) {
  std::vector<std::string> out;
  const BuildContext& ctx = view.context();
  for (uint32_t i = 1; i < ctx.size(); ++i)
    if (view.visible(i)) out.emplace_back(ctx.path(i));
  return out;
}

BuildContext make(const std::vector<std::pair<std::string, std::string>>& files) {
  ContextBuilder b;
  for (const auto& [p, c] : files) b.add_file(p, c);
  return b.build();
}

}  // namespace

TEST_CASE("Docker 26 oracle scenario: anchoring, exceptions, suffix quirk, comments") {
  // shared/oracle `build` of this context with `COPY . /ctx/` sent exactly these paths.
  BuildContext ctx = make({{"a.md", "A"},
                           {"docs/b.md", "B"},
                           {"q/b", "Q"},
                           {"q/c", "C"},
                           {"xfoo", "X"},
                           {"sub/yfoo", "Y"},
                           {"keep/k.txt", "K"},
                           {"keep/other.txt", "O"},
                           {"#c", "H"},
                           {"e/f/g.txt", "G"},
                           {"Dockerfile", "FROM alpine:3.20\nCOPY . /ctx/\n"},
                           {".dockerignore", "*.md\nq\n!q/b\nq\n**foo\n  #c\nkeep/**\n!keep/k.txt\ne/**\n"}});
  IgnoreFile ignore = load_dockerignore(ctx);
  CHECK(ignore.diagnostics.empty());
  FilteredContext view(ctx, ignore);
  const std::vector<std::string> want = {".dockerignore", "Dockerfile", "docs", "docs/b.md", "e", "keep",
                                         "keep/k.txt",    "q",          "q/b",  "sub"};
  CHECK(sent(view) == want);
  CHECK(view.visibility(ctx.find("q")) == Visibility::Parent);  // excluded, but q/b is inside
  CHECK(view.visibility(ctx.find("e")) == Visibility::Included);
  CHECK(view.visibility(ctx.find("e/f")) == Visibility::Excluded);
  // which line excluded what
  const IgnoreRule* r = view.rule(ctx.find("a.md"));
  REQUIRE(r);
  CHECK(r->line == 1);
  r = view.rule(ctx.find("q/c"));
  REQUIRE(r);
  CHECK(r->line == 2);  // the first "q"; the last one was skipped for q/b's parent
  r = view.rule(ctx.find("q/b"));
  REQUIRE(r);
  CHECK(r->pattern == "!q/b");
  r = view.rule(ctx.find("xfoo"));
  REQUIRE(r);
  CHECK(r->line_text == "**foo");
  CHECK(view.rule(ctx.find("#c"))->line == 6);
  CHECK(view.before().files == 12);
  CHECK(view.after().files == 5);
  CHECK(view.after().bytes == view.context().file_size(ctx.find("Dockerfile")) +
                                  view.context().file_size(ctx.find(".dockerignore")) + 3);
}

TEST_CASE("the Dockerfile and .dockerignore are sent unless excluded") {
  BuildContext ctx = make({{"Dockerfile", "FROM x\n"}, {".dockerignore", "Dockerfile\n.dockerignore\n"}, {"a", "a"}});
  IgnoreFile ignore = load_dockerignore(ctx);
  FilteredContext view(ctx, ignore);
  CHECK(sent(view) == std::vector<std::string>{"a"});
  BuildContext ctx2 = make({{"Dockerfile", "FROM x\n"}, {".dockerignore", "*.txt\n"}, {"a.txt", "a"}});
  IgnoreFile ignore2 = load_dockerignore(ctx2);
  FilteredContext view2(ctx2, ignore2);
  CHECK(sent(view2) == std::vector<std::string>{".dockerignore", "Dockerfile"});
}

TEST_CASE("directory patterns exclude everything below; exceptions re-include") {
  BuildContext ctx = make({{"node_modules/a/index.js", "x"},
                           {"node_modules/keep/k.js", "k"},
                           {"build/out.o", "o"},
                           {"build/keep.txt", "k"},
                           {"docs/api/x.md", "m"},
                           {"docs/README.md", "r"},
                           {"src/main.c", "c"}});
  IgnoreFile ignore = parse_dockerignore(
      "node_modules\n!node_modules/keep\nbuild/\n!build/*.txt\ndocs\n!docs/README.md\n");
  CHECK(ignore.diagnostics.empty());
  FilteredContext view(ctx, ignore);
  const std::vector<std::string> want = {"build",        "build/keep.txt",        "docs",
                                         "docs/README.md", "node_modules",        "node_modules/keep",
                                         "node_modules/keep/k.js", "src",         "src/main.c"};
  CHECK(sent(view) == want);
  CHECK(view.visibility(ctx.find("node_modules")) == Visibility::Parent);
  CHECK_FALSE(view.visible(ctx.find("docs/api")));
}

TEST_CASE("! ordering: the last matching line decides") {
  BuildContext ctx = make({{"a.md", "a"}, {"KEEP.md", "k"}, {"x.txt", "x"}});
  {
    IgnoreFile f = parse_dockerignore("*.md\n!KEEP.md\n");
    FilteredContext view(ctx, f);
    CHECK(sent(view) == std::vector<std::string>{"KEEP.md", "x.txt"});
  }
  {
    IgnoreFile f = parse_dockerignore("!KEEP.md\n*.md\n");
    FilteredContext view(ctx, f);
    CHECK(sent(view) == std::vector<std::string>{"x.txt"});
  }
  {
    IgnoreFile f = parse_dockerignore("*\n!*.txt\n");
    FilteredContext view(ctx, f);
    CHECK(sent(view) == std::vector<std::string>{"x.txt"});
  }
}

TEST_CASE("a pattern matching a parent directory excludes its children") {
  BuildContext ctx = make({{"a/b/c/d.txt", "d"}, {"a/x.txt", "x"}, {"other/b/c/e.txt", "e"}});
  IgnoreFile f = parse_dockerignore("*/b\n");
  FilteredContext view(ctx, f);
  CHECK(sent(view) == std::vector<std::string>{"a", "a/x.txt", "other"});
  IgnoreFile g = parse_dockerignore("**/c\n!other/b/c/e.txt\n");
  FilteredContext view2(ctx, g);
  CHECK(sent(view2) == std::vector<std::string>{"a", "a/b", "a/x.txt", "other", "other/b", "other/b/c",
                                                "other/b/c/e.txt"});
}

TEST_CASE("without an ignore file everything is sent") {
  BuildContext ctx = make({{"a", "1"}, {"b/c", "22"}});
  FilteredContext view(ctx);
  CHECK(sent(view) == std::vector<std::string>{"a", "b", "b/c"});
  CHECK(view.after().bytes == 3);
  CHECK(view.decided_by(1) == -1);
  IgnoreFile comment_only = parse_dockerignore("# only a comment\n");
  FilteredContext empty_rules(ctx, comment_only);
  CHECK(sent(empty_rules).size() == 3);
}

TEST_CASE("resolve on a filtered view hides excluded entries") {
  ContextBuilder b;
  b.add_file("secret/key", "k");
  b.add_symlink("link", "secret/key");
  b.add_file("ok", "o");
  BuildContext ctx = b.build();
  IgnoreFile f = parse_dockerignore("secret\n");
  FilteredContext view(ctx, f);
  CHECK(view.resolve("ok", true) == ctx.find("ok"));
  CHECK(view.resolve("secret/key", true) == BuildContext::npos);
  CHECK(view.resolve("link", true) == BuildContext::npos);  // the target is not sent
  CHECK(view.resolve("link", false) == ctx.find("link"));
}

TEST_CASE("Docker 26 oracle scenario: excluded Dockerfile, regexp quirks") {
  // shared/oracle `build` with `COPY . /ctx/` sent: ax/ (empty), axb, keepme, star, x/ (empty).
  BuildContext ctx = make({{"ab", "A"}, {"axb", "B"}, {"ax/b", "C"}, {"x/a.md", "M"}, {"]", "R"}, {"star", "S"},
                           {"keepme", "K"}, {"Dockerfile", "FROM alpine:3.20\nCOPY . /ctx/\n"},
                           {".dockerignore", "Dockerfile\n.dockerignore\na**b\n[*]\n**/*.md\n"}});
  IgnoreFile ignore = load_dockerignore(ctx);
  FilteredContext view(ctx, ignore);
  CHECK(sent(view) == std::vector<std::string>{"ax", "axb", "keepme", "star", "x"});
}

TEST_CASE("Docker 26 oracle scenario: a pattern BuildKit's regexp rejects fails the build") {
  // BuildKit: error from sender: failed to match excludepatterns: syntax error in pattern
  IgnoreFile f = parse_dockerignore("[z-a]*\n");
  CHECK(f.diagnostics.has_errors());
}
