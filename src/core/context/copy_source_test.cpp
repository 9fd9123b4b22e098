#include "context/copy_source.h"

#include <doctest/doctest.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

using namespace dfplay;
using namespace dfplay::context;

namespace {

BuildContext make(const std::vector<std::pair<std::string, std::string>>& files) {
  ContextBuilder b;
  for (const auto& [p, c] : files) b.add_file(p, c);
  return b.build();
}

// "rel" of every item, in order.
std::vector<std::string> rels(const BuildContext& ctx, const CopySource& s) {
  std::vector<std::string> out;
  for (const auto& it : s.items) out.emplace_back(s.rel(ctx, it));
  return out;
}

std::vector<std::string> roots(const CopySource& s) {
  std::vector<std::string> out;
  for (const auto& r : s.roots) out.push_back(r.path);
  return out;
}

}  // namespace

TEST_CASE("Docker 26 oracle scenario: cleaning, ** in COPY, directory contents, empty wildcard") {
  // Context and results of shared/oracle `build` (COPY ../x.txt /o1/, COPY **/*.txt /o2/, ...).
  BuildContext ctx = make({{"x.txt", "X"}, {"a/b/c.txt", "C"}, {"a/d.txt", "D"}, {"top.txt", "T"},
                           {"d1/in1.txt", "I1"}, {"d2/in2.txt", "I2"}, {"Dockerfile", "FROM alpine\n"},
                           {".dockerignore", "Dockerfile\n"}});
  IgnoreFile ignore = load_dockerignore(ctx);
  FilteredContext view(ctx, ignore);

  CopySource up = resolve_copy_source(view, "../x.txt");
  CHECK(up.ok());
  CHECK(up.escaped);
  CHECK(up.cleaned == "x.txt");
  CHECK(rels(ctx, up) == std::vector<std::string>{"x.txt"});
  REQUIRE(up.diagnostics.size() == 1);
  CHECK(up.diagnostics.items()[0].code == "copy/source-outside-context");
  CHECK(up.diagnostics.items()[0].severity == Severity::Warning);

  CopySource stars = resolve_copy_source(view, "**/*.txt");
  CHECK(stars.ok());
  CHECK(stars.wildcard);
  CHECK(roots(stars) == std::vector<std::string>{"a/d.txt", "d1/in1.txt", "d2/in2.txt"});
  CHECK(rels(ctx, stars) == std::vector<std::string>{"d.txt", "in1.txt", "in2.txt"});

  CopySource dirs = resolve_copy_source(view, "d*");
  CHECK(roots(dirs) == std::vector<std::string>{"d1", "d2"});
  CHECK(dirs.roots[0].dir);
  CHECK(rels(ctx, dirs) == std::vector<std::string>{"in1.txt", "in2.txt"});

  CopySource none = resolve_copy_source(view, "nomatch*");
  CHECK(none.ok());
  CHECK(none.items.empty());
  REQUIRE(none.diagnostics.size() == 1);
  CHECK(none.diagnostics.items()[0].code == "copy/no-match");

  CopySource dotdot = resolve_copy_source(view, "/a/../top.txt");
  CHECK(dotdot.ok());
  CHECK_FALSE(dotdot.escaped);
  CHECK(rels(ctx, dotdot) == std::vector<std::string>{"top.txt"});

  CopySource dir = resolve_copy_source(view, "a/");
  CHECK(rels(ctx, dir) == std::vector<std::string>{"b", "b/c.txt", "d.txt"});
  CHECK(dir.files == 2);
  CHECK(dir.bytes == 2);

  // COPY . . copies what was sent: .dockerignore yes, Dockerfile no (it is excluded here)
  CopySource all = resolve_copy_source(view, ".");
  std::vector<std::string> r = rels(ctx, all);
  CHECK(std::find(r.begin(), r.end(), ".dockerignore") != r.end());
  CHECK(std::find(r.begin(), r.end(), "Dockerfile") == r.end());
  CHECK(all.files == 7);
}

TEST_CASE("a missing source is an error; an excluded one names the .dockerignore line") {
  BuildContext ctx = make({{"x.txt", "X"}, {"secret/key.pem", "K"}, {".dockerignore", "# keys\nsecret\n"}});
  IgnoreFile ignore = load_dockerignore(ctx);
  FilteredContext view(ctx, ignore);
  Range where{{3, 6, 40}, {3, 10, 44}};
  CopySource nope = resolve_copy_source(view, "nope", {{}, false, where});
  CHECK_FALSE(nope.ok());
  REQUIRE(nope.diagnostics.size() == 1);
  const Diagnostic& d = nope.diagnostics.items()[0];
  CHECK(d.code == "copy/source-not-found");
  CHECK(d.range == where);
  CHECK(format_diagnostic(d, "Dockerfile") ==
        "Dockerfile:3:6: error: source \"nope\" not found in the build context");

  CopySource key = resolve_copy_source(view, "./secret/key.pem");
  CHECK_FALSE(key.ok());
  REQUIRE(key.diagnostics.size() == 1);
  CHECK(key.diagnostics.items()[0].code == "copy/source-excluded");
  CHECK(key.diagnostics.items()[0].message ==
        "source \"secret/key.pem\" not found in the build context: it is excluded by .dockerignore line 2 (\"secret\")");

  CopySource bad = resolve_copy_source(view, "a[");
  CHECK_FALSE(bad.ok());
  CHECK(bad.diagnostics.items()[0].code == "copy/bad-pattern");
}

TEST_CASE("file roots, escaped wildcards, the context root") {
  BuildContext ctx = make({{"arr[0].txt", "0"}, {"app/main.go", "m"}, {"app/util/u.go", "u"}, {"a*b", "s"}});
  FilteredContext view(ctx);
  CopySource lit = resolve_copy_source(view, "arr[[]0].txt");  // the documented way to escape '['
  CHECK(roots(lit) == std::vector<std::string>{"arr[0].txt"});
  CopySource esc = resolve_copy_source(view, "a\\*b");
  // no wildcard: the literal name "a\*b" (with the backslash) is looked up, as in BuildKit
  CHECK_FALSE(esc.wildcard);
  CHECK_FALSE(esc.ok());
  CopySource root = resolve_copy_source(view, "/");
  CHECK(root.roots.size() == 1);
  CHECK(root.roots[0].path == "");
  CHECK(root.items.size() == ctx.size() - 1);
  CopySource deep = resolve_copy_source(view, "app/*/u.go");
  CHECK(rels(ctx, deep) == std::vector<std::string>{"u.go"});
  CopySource file = resolve_copy_source(view, "app/main.go");
  CHECK(rels(ctx, file) == std::vector<std::string>{"main.go"});
  CHECK_FALSE(file.roots[0].dir);
}

TEST_CASE("symlinks named by the source are followed; inside a directory they are copied") {
  ContextBuilder b;
  b.add_file("real/a.txt", "a");
  b.add_symlink("real/link", "a.txt");
  b.add_symlink("alias", "real");
  b.add_symlink("file-link", "real/a.txt");
  BuildContext ctx = b.build();
  FilteredContext view(ctx);
  CopySource s = resolve_copy_source(view, "alias");
  REQUIRE(s.ok());
  CHECK(s.roots[0].dir);
  CHECK(rels(ctx, s) == std::vector<std::string>{"a.txt", "link"});
  CHECK(ctx.is_symlink(s.items[1].entry));
  CopySource f = resolve_copy_source(view, "file-*");
  REQUIRE(f.roots.size() == 1);
  CHECK(f.roots[0].path == "file-link");
  CHECK(ctx.path(f.roots[0].entry) == "real/a.txt");
  // the file lands under the name the source matched, with the target's content
  CHECK(rels(ctx, f) == std::vector<std::string>{"file-link"});
}

TEST_CASE("--exclude filters below each matched source") {
  BuildContext ctx = make({{"src/a.go", "a"}, {"src/notes.md", "n"}, {"src/sub/b.go", "b"}, {"src/sub/c.md", "c"},
                           {"src/gen/x.go", "x"}, {"home.txt", "h"}, {"homedir/in.txt", "i"}, {"homedir/in.go", "g"}});
  FilteredContext view(ctx);
  CopyOptions o;
  o.excludes = {"*.md"};
  CopySource s = resolve_copy_source(view, "src/", o);
  CHECK(rels(ctx, s) == std::vector<std::string>{"a.go", "gen", "gen/x.go", "sub", "sub/b.go", "sub/c.md"});
  o.excludes = {"**/*.md", "gen"};
  s = resolve_copy_source(view, "src", o);
  CHECK(rels(ctx, s) == std::vector<std::string>{"a.go", "sub", "sub/b.go"});
  o.excludes = {"sub", "!sub/b.go"};
  s = resolve_copy_source(view, "src", o);
  CHECK(rels(ctx, s) == std::vector<std::string>{"a.go", "gen", "gen/x.go", "notes.md", "sub", "sub/b.go"});
  // the matched source itself is not tested: home.txt stays, homedir/in.txt goes
  o.excludes = {"*.txt"};
  s = resolve_copy_source(view, "hom*", o);
  CHECK(roots(s) == std::vector<std::string>{"home.txt", "homedir"});
  CHECK(rels(ctx, s) == std::vector<std::string>{"home.txt", "in.go"});
  o.excludes = {"["};
  s = resolve_copy_source(view, "src", o);
  CHECK_FALSE(s.ok());
  CHECK(s.diagnostics.items()[0].code == "copy/bad-exclude");
}

TEST_CASE("--parents keeps the path from the pivot") {
  BuildContext ctx = make({{"x/a.txt", "a"}, {"y/a.txt", "b"}, {"x/y/a.txt", "c"}, {"x/y/b.txt", "d"},
                           {"src/a.txt", "1"}, {"src/x/b.txt", "2"}, {"src/x/y/c.txt", "3"}, {"src/x/y/d.go", "4"}});
  FilteredContext view(ctx);
  CopyOptions o;
  o.parents = true;
  // the two documented examples
  CopySource a = resolve_copy_source(view, "./x/a.txt", o);
  CopySource b = resolve_copy_source(view, "./y/a.txt", o);
  CHECK(rels(ctx, a) == std::vector<std::string>{"x", "x/a.txt"});
  CHECK(rels(ctx, b) == std::vector<std::string>{"y", "y/a.txt"});
  CopySource pivot = resolve_copy_source(view, "./x/./y/*.txt", o);
  CHECK(pivot.pivot == "x");
  CHECK(pivot.pattern == "y/*.txt");
  CHECK(rels(ctx, pivot) == std::vector<std::string>{"y", "y/a.txt", "y/b.txt"});
  CopySource rec = resolve_copy_source(view, "./src/**/*.txt", o);
  CHECK(rels(ctx, rec) == std::vector<std::string>{"src", "src/a.txt", "src/x", "src/x/b.txt", "src/x/y",
                                                   "src/x/y/c.txt"});
  CopySource dir = resolve_copy_source(view, "src/x", o);
  CHECK(rels(ctx, dir) == std::vector<std::string>{"src", "src/x", "src/x/b.txt", "src/x/y", "src/x/y/c.txt",
                                                   "src/x/y/d.go"});
  CopySource missing = resolve_copy_source(view, "./x/nope.txt", o);
  CHECK_FALSE(missing.ok());
  CHECK(missing.diagnostics.items()[0].code == "copy/source-not-found");
  o.excludes = {"**/*.go"};
  CopySource ex = resolve_copy_source(view, "src", o);
  CHECK(rels(ctx, ex).size() == 6);
}

TEST_CASE("ignore_rule_for_source mirrors BuildKit's CopyIgnoredFile test") {
  IgnoreFile f = parse_dockerignore("*/tmp/*\n");
  CHECK(ignore_rule_for_source(f, "./tmp/helloworld.txt") == -1);
  CHECK(ignore_rule_for_source(f, "a/tmp/helloworld.txt") == 0);
  CHECK(ignore_rule_for_source(f, "forever/helloworld.txt") == -1);
  IgnoreFile g = parse_dockerignore("build\n");
  CHECK(ignore_rule_for_source(g, "build/out/x") == 0);
  CHECK(ignore_rule_for_source(g, "/build") == -1);  // BuildKit does not strip the '/'
}

TEST_CASE("globs over a million files stay near-linear") {
  // Not a timed test; it has to finish in bounded time.
  ContextBuilder b(2'000'000);  // over the pipeline's limit: this tests the structure's scaling
  char buf[64];
  for (int d = 0; d < 100; ++d)
    for (int e = 0; e < 100; ++e)
      for (int f = 0; f < 100; ++f) {
        int n = std::snprintf(buf, sizeof buf, "d%02d/e%02d/f%02d.txt", d, e, f);
        b.add_file_meta(std::string_view(buf, static_cast<size_t>(n)), 1);
      }
  BuildContext ctx = b.build();
  REQUIRE(ctx.file_count() == 1000000);
  FilteredContext view(ctx);
  auto t0 = std::chrono::steady_clock::now();
  CopySource s = resolve_copy_source(view, "**/**/*");  // "**" is "*": three components
  CHECK(s.roots.size() == 1000000);
  CopySource four = resolve_copy_source(view, "**/**/**/*");  // four components: no match
  CHECK(four.roots.empty());
  CHECK(four.ok());
  CopySource one = resolve_copy_source(view, "d5?/e1[0-4]/f0*.txt");
  CHECK(one.roots.size() == 10 * 5 * 10);
  CopyOptions o;
  o.excludes = {"**/**/**/f9*", "*/e0*"};
  CopySource all = resolve_copy_source(view, ".", o);
  CHECK(all.files == 100 * 90 * 90);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
  MESSAGE("1M-file globs: " << ms << " ms");
}

TEST_CASE("Docker 26 oracle scenario: a symlink leaving the context is resolved inside it") {
  // BuildKit: failed to calculate checksum of ref <id>: "/etc/passwd": not found
  ContextBuilder b;
  b.add_file("a.txt", "A");
  b.add_symlink("outside", "/etc/passwd");
  b.add_symlink("inlink", "a.txt");
  BuildContext ctx = b.build();
  FilteredContext view(ctx);
  CopySource in = resolve_copy_source(view, "inlink");
  CHECK(in.ok());
  CHECK(rels(ctx, in) == std::vector<std::string>{"inlink"});
  CopySource out = resolve_copy_source(view, "outside");
  CHECK_FALSE(out.ok());
  CHECK(out.diagnostics.items()[0].message ==
        "source \"outside\" is a symlink to \"/etc/passwd\", which is not in the build context (symlink targets "
        "resolve inside the context)");
}
