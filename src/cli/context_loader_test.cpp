// The loader is CLI code (file I/O) and is not part of dfplay_core, so this test compiles it in.
#include "context_loader.cpp"  // NOLINT(bugprone-suspicious-include)

#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <random>

#include "context/copy_source.h"
#include "context/filter.h"

using namespace dfplay;

namespace {

struct TempDir {
  std::filesystem::path path;
  TempDir() {
    std::random_device rd;
    path = std::filesystem::temp_directory_path() / ("dfplay-ctx-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
    std::filesystem::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  void write(const std::string& rel, const std::string& bytes) const {
    std::filesystem::path p = path / rel;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << bytes;
  }
};

}  // namespace

TEST_CASE("load_context_dir loads files, modes, symlinks and hashes") {
  TempDir t;
  t.write("Dockerfile", "FROM alpine\nCOPY . /app\n");
  t.write(".dockerignore", "*.log\n");
  t.write("src/main.go", "package main\n");
  t.write("debug.log", "noise");
  t.write("bin/blob", std::string("\x7f" "ELF\0\0\0", 7));
  t.write("big.txt", std::string(3000, 'x'));
  std::filesystem::create_directories(t.path / "empty");
  ::chmod((t.path / "src/main.go").c_str(), 0755);
  std::filesystem::create_symlink("src/main.go", t.path / "link");
  std::filesystem::create_symlink("/etc/passwd", t.path / "outside");  // recorded, not followed

  context::BuildContext ctx;
  cli::ContextLoadOptions opts;
  opts.keep_limit = 2048;
  cli::ContextLoadReport rep;
  std::string err;
  REQUIRE(cli::load_context_dir(t.path.string(), ctx, opts, &rep, &err));
  CHECK(rep.files == 6);
  CHECK(rep.dirs == 3);
  CHECK(rep.symlinks == 2);
  CHECK(rep.skipped == 0);
  CHECK(ctx.file_count() == 6);

  uint32_t main_go = ctx.find("src/main.go");
  REQUIRE(main_go != context::BuildContext::npos);
  CHECK(ctx.content(main_go) == "package main\n");
  CHECK((ctx.mode(main_go) & 0777) == 0755);
  uint32_t blob = ctx.find("bin/blob");
  CHECK_FALSE(ctx.has_content(blob));
  CHECK(ctx.sniff(blob) == context::Sniff::Binary);
  CHECK(ctx.digest(blob) == context::digest_of_content(std::string("\x7f" "ELF\0\0\0", 7)));
  uint32_t big = ctx.find("big.txt");
  CHECK_FALSE(ctx.has_content(big));
  CHECK(ctx.file_size(big) == 3000);
  CHECK(ctx.digest(big) == context::digest_of_content(std::string(3000, 'x')));
  CHECK(ctx.symlink_target(ctx.find("link")) == "src/main.go");
  CHECK(ctx.symlink_target(ctx.find("outside")) == "/etc/passwd");
  CHECK(ctx.is_dir(ctx.find("empty")));

  // the core applies .dockerignore; the Dockerfile stays in the context
  context::IgnoreFile ignore = context::load_dockerignore(ctx);
  context::FilteredContext view(ctx, ignore);
  CHECK_FALSE(view.visible(ctx.find("debug.log")));
  context::CopySource all = context::resolve_copy_source(view, ".");
  bool has_dockerfile = false;
  for (const auto& item : all.items) has_dockerfile |= all.rel(ctx, item) == "Dockerfile";
  CHECK(has_dockerfile);
}

TEST_CASE("load_context_dir refuses what is not a directory") {
  TempDir t;
  t.write("file", "x");
  context::BuildContext ctx;
  std::string err;
  CHECK_FALSE(cli::load_context_dir((t.path / "file").string(), ctx, {}, nullptr, &err));
  CHECK(err.find("cannot read directory") == 0);
  CHECK_FALSE(cli::load_context_dir((t.path / "missing").string(), ctx, {}, nullptr, &err));
}
