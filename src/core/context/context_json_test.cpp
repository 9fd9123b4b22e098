#include "context/context_json.h"

#include <doctest/doctest.h>

using namespace dfplay;
using namespace dfplay::context;
using json = nlohmann::json;

TEST_CASE("context_to_json round-trips through context_from_json") {
  ContextBuilder b;
  b.add_file("Dockerfile", "FROM scratch\n");
  b.add_file_meta("big.bin", 1 << 20);
  b.add_file_meta("img.iso", 7, "sha256:aa", 0600);
  Digest d{0x0123456789abcdefull, 0xfedcba9876543210ull};
  b.add_file_meta("loaded.bin", 9, {}, 0755, &d, Sniff::Gzip);
  b.add_dir("cache", 0700);
  b.add_symlink("cur", "releases/v1");
  b.add_file("a/b/c.txt", "c");
  BuildContext ctx = b.build();
  json j = context_to_json(ctx);
  Diagnostics diags;
  BuildContext back = context_from_json(j.dump(), &diags);
  CHECK(diags.empty());
  REQUIRE(back.size() == ctx.size());
  for (uint32_t i = 0; i < ctx.size(); ++i) {
    CAPTURE(ctx.path(i));
    CHECK(back.path(i) == ctx.path(i));
    CHECK(back.type(i) == ctx.type(i));
    CHECK(back.mode(i) == ctx.mode(i));
    CHECK(back.file_size(i) == ctx.file_size(i));
    CHECK(back.digest(i) == ctx.digest(i));
    CHECK(back.symlink_target(i) == ctx.symlink_target(i));
  }
  CHECK(j.dump().find("\"hash\":\"xxh3-128:0123456789abcdeffedcba9876543210\"") != std::string::npos);
}

TEST_CASE("filtered_context_json and copy_source_json") {
  ContextBuilder b;
  b.add_file("Dockerfile", "FROM scratch\n");
  b.add_file(".dockerignore", "*.log\n!keep.log\n");
  b.add_file("a.log", "x");
  b.add_file("keep.log", "k");
  b.add_file("src/m.go", "package m\n");
  BuildContext ctx = b.build();
  IgnoreFile ignore = load_dockerignore(ctx);
  FilteredContext view(ctx, ignore);
  json j = filtered_context_json(view);
  CHECK(j["ignore_file"] == ".dockerignore");
  CHECK(j["rules"].size() == 2);
  CHECK(j["before"]["files"] == 5);
  CHECK(j["after"]["files"] == 4);
  CHECK(j["truncated"] == false);
  bool found = false;
  for (const auto& e : j["entries"])
    if (e["path"] == "a.log") {
      found = true;
      CHECK(e["status"] == "excluded");
      CHECK(e["rule_line"] == 1);
      CHECK(e["mode"] == "0644");
    }
  CHECK(found);
  CHECK(filtered_context_json(view, 2)["truncated"] == true);

  CopySource src = resolve_copy_source(view, "src");
  json c = copy_source_json(ctx, src);
  REQUIRE(c["items"].size() == 1);
  CHECK(c["items"][0]["path"] == "m.go");
  CHECK(c["items"][0]["from"] == "src/m.go");
  CHECK(c["roots"][0]["dir"] == true);
  CopySource missing = resolve_copy_source(view, "a.log");
  CHECK(copy_source_json(ctx, missing)["diagnostics"][0]["code"] == "copy/source-excluded");
}
