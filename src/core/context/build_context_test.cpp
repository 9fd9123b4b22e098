#include "context/build_context.h"

#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <vector>

#include "context/filter.h"
#include "pipeline_limits.h"

using namespace dfplay;
using namespace dfplay::context;

namespace {
std::vector<std::string> all_paths(const BuildContext& ctx) {
  std::vector<std::string> out;
  for (uint32_t i = 0; i < ctx.size(); ++i) out.emplace_back(ctx.path(i));
  return out;
}
}  // namespace

TEST_CASE("the builder cleans paths, sorts, creates implied directories") {
  ContextBuilder b;
  b.add_file("src/app/main.go", "package main\n", 0644);
  b.add_file("./go.mod", "module x\n");
  b.add_file("/README.md", "# hi\n");
  b.add_dir("empty/", 0700);
  b.add_symlink("link", "src/app");
  b.add_file("src/app.txt", "t");
  b.add_file_meta("big.bin", 5u << 20, "sha256:abc", 0755);
  BuildContext ctx = b.build();
  const std::vector<std::string> want = {"",        "README.md",    "big.bin",     "empty", "go.mod",
                                         "link",    "src",          "src/app",     "src/app/main.go",
                                         "src/app.txt"};
  CHECK(all_paths(ctx) == want);
  CHECK(ctx.file_count() == 5);
  CHECK(ctx.dir_count() == 3);
  CHECK(ctx.symlink_count() == 1);
  CHECK(ctx.total_bytes() == 13 + 9 + 5 + 1 + (5u << 20));

  uint32_t src = ctx.find("src");
  REQUIRE(src != BuildContext::npos);
  CHECK(ctx.is_dir(src));
  CHECK(ctx.implied(src));
  CHECK(ctx.mode(src) == 0755);
  CHECK(ctx.subtree_end(src) == ctx.size());
  CHECK(ctx.depth(src) == 1);
  uint32_t main_go = ctx.find("src/app/main.go");
  REQUIRE(main_go != BuildContext::npos);
  CHECK(ctx.has_content(main_go));
  CHECK(ctx.content(main_go) == "package main\n");
  CHECK(ctx.digest(main_go) == digest_of_content("package main\n"));
  CHECK(ctx.sniff(main_go) == Sniff::Text);
  CHECK(ctx.name(main_go) == "main.go");
  CHECK(ctx.depth(main_go) == 3);
  CHECK(ctx.path(ctx.parent(main_go)) == "src/app");
  uint32_t big = ctx.find("big.bin");
  CHECK_FALSE(ctx.has_content(big));
  CHECK(ctx.hash_text(big) == "sha256:abc");
  CHECK(ctx.digest(big) == digest_of_hash_text("sha256:abc"));
  CHECK(ctx.mode(big) == 0755);
  CHECK(ctx.mode(ctx.find("empty")) == 0700);
  CHECK_FALSE(ctx.implied(ctx.find("empty")));
  CHECK(ctx.symlink_target(ctx.find("link")) == "src/app");
  CHECK(ctx.find("nope") == BuildContext::npos);
  CHECK(ctx.find("") == BuildContext::root);

  // children of the root, in name order
  std::vector<std::string> kids;
  for (uint32_t c = ctx.first_child(BuildContext::root); c != BuildContext::npos; c = ctx.next_sibling(c))
    kids.emplace_back(ctx.name(c));
  CHECK(kids == std::vector<std::string>{"README.md", "big.bin", "empty", "go.mod", "link", "src"});
  CHECK(ctx.first_child(ctx.find("empty")) == BuildContext::npos);

  // prefix range: everything starting with "src/app" (the dir, its file, and src/app.txt)
  auto [lo, hi] = ctx.prefix_range("src/app");
  CHECK(hi - lo == 3);
  CHECK(ctx.path(lo) == "src/app");
}

TEST_CASE("the builder rejects bad paths and resolves duplicates and conflicts") {
  ContextBuilder b;
  b.add_file("../escape", "x");
  b.add_file("", "x");
  b.add_file(std::string("nul\0byte", 8), "x");
  b.add_file("dup", "first");
  b.add_file("dup", "second");
  b.add_file("f", "file");
  b.add_file("f/inside", "conflict");
  BuildContext ctx = b.build();
  CHECK(ctx.diagnostics().size() == 4);
  CHECK(ctx.content(ctx.find("dup")) == "second");
  CHECK(ctx.find("f/inside") == BuildContext::npos);
  CHECK(ctx.is_file(ctx.find("f")));
  CHECK(ctx.find("escape") == BuildContext::npos);
}

TEST_CASE("symlinks resolve inside the context like BuildKit's scoped root") {
  ContextBuilder b;
  b.add_file("real/file.txt", "x");
  b.add_symlink("rel", "real");
  b.add_symlink("abs", "/real/file.txt");
  b.add_symlink("up", "../../../real");  // ".." stops at the root
  b.add_symlink("chain", "rel");
  b.add_symlink("loop1", "loop2");
  b.add_symlink("loop2", "loop1");
  b.add_symlink("dangling", "missing");
  BuildContext ctx = b.build();
  uint32_t file = ctx.find("real/file.txt");
  CHECK(ctx.resolve("rel/file.txt", true) == file);
  CHECK(ctx.resolve("abs", true) == file);
  CHECK(ctx.resolve("abs", false) == ctx.find("abs"));
  CHECK(ctx.resolve("up/file.txt", true) == file);
  CHECK(ctx.resolve("chain/file.txt", true) == file);
  std::string err;
  CHECK(ctx.resolve("loop1", true, &err) == BuildContext::npos);
  CHECK(err == "too many links");
  CHECK(ctx.resolve("dangling", true, &err) == BuildContext::npos);
  CHECK(err == "not found");
  CHECK(ctx.resolve("real/file.txt/x", true, &err) == BuildContext::npos);
}

TEST_CASE("context_from_json: object form") {
  Diagnostics d;
  BuildContext ctx = context_from_json(R"({"Dockerfile": "FROM scratch\n", "src/a.go": "package a",
      "empty/": null, "bin/tool": {"size": 1048576, "hash": "sha256:00ff", "mode": "0755"}})", &d);
  CHECK(d.empty());
  CHECK(ctx.file_count() == 3);
  CHECK(ctx.content(ctx.find("Dockerfile")) == "FROM scratch\n");
  CHECK(ctx.is_dir(ctx.find("empty")));
  uint32_t tool = ctx.find("bin/tool");
  CHECK(ctx.file_size(tool) == 1048576);
  CHECK(ctx.mode(tool) == 0755);
  CHECK(ctx.hash_text(tool) == "sha256:00ff");
}

TEST_CASE("context_from_json: list form and its errors") {
  Diagnostics d;
  BuildContext ctx = context_from_json(R"([
      {"path": "a.txt", "content": "hello", "mode": 384},
      {"path": "big.iso", "size": 4294967296},
      {"path": "link", "symlink": "a.txt"},
      {"path": "d", "type": "dir", "mode": "700"},
      {"path": "bad-mode", "content": "", "mode": "999"},
      {"content": "no path"},
      {"path": "../out", "content": "x"},
      {"path": "sized", "content": "abc", "size": 10}
  ])", &d);
  CHECK(ctx.mode(ctx.find("a.txt")) == 0600);
  CHECK(ctx.file_size(ctx.find("big.iso")) == 4294967296ull);
  CHECK_FALSE(ctx.has_content(ctx.find("big.iso")));
  CHECK(ctx.digest(ctx.find("big.iso")) == digest_of_unknown(4294967296ull));
  CHECK(ctx.is_symlink(ctx.find("link")));
  CHECK(ctx.mode(ctx.find("d")) == 0700);
  CHECK(ctx.find("bad-mode") == BuildContext::npos);
  CHECK(ctx.file_size(ctx.find("sized")) == 3);
  CHECK(d.size() == 4);  // bad mode, missing path, leaves the context, size mismatch
  CHECK_FALSE(d.has_errors());

  Diagnostics bad;
  context_from_json("{\"a\": ", &bad);
  REQUIRE(bad.size() == 1);
  CHECK(bad.items()[0].severity == Severity::Error);
  CHECK(bad.items()[0].message.rfind("invalid JSON at byte", 0) == 0);
  Diagnostics wrong;
  context_from_json("42", &wrong);
  CHECK(wrong.has_errors());
}

TEST_CASE("sniffing archives and binaries") {
  CHECK(sniff_bytes(std::string("\x1f\x8b\x08\x00", 4)) == Sniff::Gzip);
  CHECK(sniff_bytes("BZh91AY") == Sniff::Bzip2);
  CHECK(sniff_bytes(std::string("\xfd" "7zXZ\0\0", 7)) == Sniff::Xz);
  CHECK(sniff_bytes(std::string("\x28\xb5\x2f\xfd\x00", 5)) == Sniff::Zstd);
  std::string tar(512, '\0');
  tar.replace(257, 5, "ustar");
  CHECK(sniff_bytes(tar) == Sniff::Tar);
  CHECK(sniff_bytes(std::string("ab\0cd", 5)) == Sniff::Binary);
  CHECK(sniff_bytes("hello") == Sniff::Text);
  ContentHasher h;
  h.update("hel");
  h.update("lo");
  CHECK(h.finish() == digest_of_content("hello"));
  CHECK(digest_of_content("hello").hex().size() == 32);
}

TEST_CASE("a synthetic context of one million files loads and answers queries") {
  // Not a timed test: it only has to finish in bounded time (about a second in Release).
  auto t0 = std::chrono::steady_clock::now();
  ContextBuilder b(2'000'000);  // over the pipeline's limit: this tests the structure's scaling
  const int kDirs = 1000, kFiles = 1000;
  char buf[64];
  for (int d = kDirs - 1; d >= 0; --d) {  // reverse order: the builder sorts
    for (int f = 0; f < kFiles; ++f) {
      int n = std::snprintf(buf, sizeof buf, "pkg%03d/sub%d/file%04d.%s", d, f % 10, f, (f % 3) ? "go" : "md");
      b.add_file_meta(std::string_view(buf, static_cast<size_t>(n)), 100 + f);
    }
  }
  b.add_file("Dockerfile", "FROM scratch\nCOPY . .\n");
  b.add_file(".dockerignore", "**/*.md\n!pkg000/**/file0000.md\npkg999\n");
  BuildContext ctx = b.build();
  auto t1 = std::chrono::steady_clock::now();
  CHECK(ctx.file_count() == kDirs * kFiles + 2);
  CHECK(ctx.dir_count() == kDirs + kDirs * 10);
  uint32_t i = ctx.find("pkg500/sub7/file0007.go");
  REQUIRE(i != BuildContext::npos);
  CHECK(ctx.file_size(i) == 107);
  CHECK(ctx.path(ctx.parent(i)) == "pkg500/sub7");
  auto [lo, hi] = ctx.prefix_range("pkg123/");
  CHECK(hi - lo == kFiles + 10);

  IgnoreFile ignore = load_dockerignore(ctx);
  FilteredContext view(ctx, ignore);
  auto t2 = std::chrono::steady_clock::now();
  // every .md (a third) goes, except pkg000's file0000.md; pkg999 goes whole
  const uint32_t md_per_dir = 334;
  CHECK(view.after().files == ctx.file_count() - (md_per_dir * (kDirs - 1) - 1) - kFiles);
  CHECK(view.visible(ctx.find("pkg000/sub0/file0000.md")));
  CHECK_FALSE(view.visible(ctx.find("pkg001/sub0/file0000.md")));
  CHECK_FALSE(view.visible(ctx.find("pkg999")));
  MESSAGE("1M files: build " << std::chrono::duration<double>(t1 - t0).count() << " s, dockerignore "
                             << std::chrono::duration<double>(t2 - t1).count() << " s");
}

TEST_CASE("the builder keeps at most limits::kMaxContextEntries entries, with one error") {
  const size_t limit = limits::kMaxContextEntries;
  auto name = [](size_t i) {
    std::string n = std::to_string(i);
    return "f" + std::string(7 - n.size(), '0') + n;
  };
  SUBCASE("files given past the limit") {
    ContextBuilder b;
    for (size_t i = 0; i < limit + 10; ++i) {
      CHECK_EQ(b.full(), i >= limit);
      b.add_file(name(i), "");
    }
    BuildContext ctx = b.build();
    CHECK(ctx.size() - 1 == limit);
    CHECK(ctx.file_count() == limit);
    CHECK(ctx.find(name(limit - 1)) != BuildContext::npos);
    CHECK(ctx.find(name(limit)) == BuildContext::npos);
    REQUIRE(ctx.diagnostics().size() == 1);
    const Diagnostic& d = *ctx.diagnostics().begin();
    CHECK(d.severity == Severity::Error);
    CHECK(d.code == "limits/context-files");
    CHECK(d.message.find("more than 50000 files and directories") != std::string::npos);
    CHECK(d.message.find("\"" + name(limit) + "\" and 9 more are left out") != std::string::npos);
  }
  SUBCASE("implied directories count: the entries that do not fit are left out in path order") {
    ContextBuilder b;
    for (size_t i = 0; i < limit / 2 + 1; ++i) b.add_file("d" + name(i) + "/x", "");  // 2 entries each
    BuildContext ctx = b.build();
    CHECK(ctx.size() - 1 == limit);
    CHECK(ctx.dir_count() == limit / 2);
    CHECK(ctx.find("d" + name(limit / 2)) == BuildContext::npos);  // the last in path order
    REQUIRE(ctx.diagnostics().size() == 1);
    CHECK(ctx.diagnostics().begin()->message.find("\"d" + name(limit / 2) + "/x\" is left out") != std::string::npos);
  }
  SUBCASE("a walk that stops at the limit") {
    ContextBuilder b;
    for (size_t i = 0; i < limit && !b.full(); ++i) b.add_file(name(i), "");
    REQUIRE(b.full());
    b.stop_at("z/next");
    BuildContext ctx = b.build();
    CHECK(ctx.size() - 1 == limit);
    REQUIRE(ctx.diagnostics().size() == 1);
    CHECK(ctx.diagnostics().begin()->message.find("\"z/next\" and everything after it are left out") != std::string::npos);
  }
  SUBCASE("at the limit: no error") {
    ContextBuilder b;
    for (size_t i = 0; i < limit; ++i) b.add_file(name(i), "");
    BuildContext ctx = b.build();
    CHECK(ctx.size() - 1 == limit);
    CHECK(ctx.diagnostics().empty());
  }
}
