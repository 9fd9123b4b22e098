// ADD of a local archive, end to end through simulate_build (rules in sim/archive_extract.h; the
// engine's own results are tests/oracle-builds/016 and 017).
#include "sim/archive_extract.h"

#include <doctest/doctest.h>

#include <string>

#include "context/archive_test_util.h"
#include "sim/build.h"
#include "sim/build_test_util.h"

namespace {

using namespace dfplay;
using namespace dfplay::context::testutil;
using namespace dfplay::sim::testutil;

const sim::FileNode* node(const sim::BuildResult& b, std::string_view path) {
  return b.stages[b.target].fs.find(path);
}

bool has_note(const sim::Step& s, std::string_view part) {
  for (const auto& n : s.notes)
    if (n.find(part) != std::string::npos) return true;
  return false;
}

std::string vendor_tar() {
  return tar_of({{.name = "vendor/", .type = '5', .mode = 0755},
                 {.name = "vendor/lib.sh", .data = "echo vendor\n\n", .mode = 0644},
                 {.name = "vendor/VERSION", .data = "1.2.3\n", .mode = 0644}});
}

}  // namespace

TEST_SUITE("sim/archive_extract") {
  TEST_CASE("ADD extracts a local tar.gz; --chown owns only the destination it creates") {
    auto ctx = ctx_of({{"vendor.tar.gz", gzip_stored(vendor_tar())}});
    auto b = sim_build("FROM alpine:3.20\nADD --chown=1000:1000 vendor.tar.gz /opt/\n", ctx);
    REQUIRE(b->ok);
    REQUIRE(file(*b, "/opt"));
    CHECK(file(*b, "/opt")->uid == 1000);
    CHECK(file(*b, "/opt")->gid == 1000);
    CHECK(file(*b, "/opt")->mode == 0755);
    REQUIRE(file(*b, "/opt/vendor"));
    CHECK(file(*b, "/opt/vendor")->uid == 0);  // members keep the archive's owners
    CHECK(file(*b, "/opt/vendor")->type == sim::NodeType::Dir);
    REQUIRE(file(*b, "/opt/vendor/lib.sh"));
    CHECK(file(*b, "/opt/vendor/lib.sh")->size == 13);
    CHECK(file(*b, "/opt/vendor/lib.sh")->uid == 0);
    CHECK(file(*b, "/opt/vendor/VERSION")->size == 6);
    CHECK_FALSE(file(*b, "/opt/vendor.tar.gz"));
    CHECK_FALSE(file(*b, "/opt/vendor.tar.gz.contents"));
    const auto& st = step_at_line(*b, 2);
    CHECK(st.layer_bytes == 19);
    CHECK(has_note(st, "--chown applies to the destination only"));
    REQUIRE(node(*b, "/opt/vendor/VERSION"));
    REQUIRE(node(*b, "/opt/vendor/VERSION")->content);
    CHECK(*node(*b, "/opt/vendor/VERSION")->content == "1.2.3\n");  // small text members keep their bytes
  }

  TEST_CASE("an existing destination directory keeps its owner (node:20-alpine has /opt)") {
    // The real node:20-alpine ships /opt/yarn-v1.22.22, and BuildKit's MkdirAll leaves an existing
    // directory alone; the oracle's stand-in image has no /opt, hence 1000:1000 in case 017.
    auto ctx = ctx_of({{"vendor.tar.gz", gzip_stored(vendor_tar())}});
    auto b = sim_build("FROM node:20-alpine\nADD --chown=node:node vendor.tar.gz /opt/\n", ctx);
    REQUIRE(b->ok);
    REQUIRE(node(*b, "/opt"));
    CHECK(node(*b, "/opt")->uid == 0);
    CHECK(node(*b, "/opt")->layer == 0);
    CHECK_FALSE(file(*b, "/opt"));
    REQUIRE(file(*b, "/opt/vendor/lib.sh"));
    CHECK(file(*b, "/opt/vendor/lib.sh")->uid == 0);
    CHECK(file(*b, "/opt/vendor")->uid == 0);
    CHECK(has_note(step_at_line(*b, 2), "(/opt already exists)"));
  }

  TEST_CASE("content decides, not the name; COPY never extracts; no slash still means a directory") {
    auto ctx = ctx_of({{"vendor.tar", vendor_tar()},
                       {"not-really.tar", "this is text, not an archive\n"},
                       {"notes.txt.gz", gzip_stored("plain text, gzipped\n")},
                       {"renamed.bin", vendor_tar()}});
    auto b = sim_build(
        "FROM alpine:3.20\n"
        "COPY vendor.tar /c/\n"
        "ADD not-really.tar /e/\n"
        "ADD notes.txt.gz /g/\n"
        "ADD renamed.bin /r/\n"
        "ADD vendor.tar /f\n",
        ctx);
    REQUIRE(b->ok);
    REQUIRE(file(*b, "/c/vendor.tar"));
    CHECK(file(*b, "/c/vendor.tar")->size == vendor_tar().size());
    CHECK(file(*b, "/e/not-really.tar"));
    CHECK(file(*b, "/g/notes.txt.gz"));  // gzip without a tar inside: copied as it is
    CHECK(file(*b, "/r/vendor/lib.sh"));  // a tar by content, whatever its name
    CHECK(file(*b, "/f")->type == sim::NodeType::Dir);
    CHECK(file(*b, "/f/vendor/VERSION"));
  }

  TEST_CASE("member names cannot leave the destination") {
    auto ctx = ctx_of({{"evil.tar", tar_of({{.name = "../../etc/passwd", .data = "evil\n"},
                                             {.name = "/abs", .data = "a"},
                                             {.name = "ok/../../../x", .data = "x"}})}});
    auto b = sim_build("FROM alpine:3.20\nADD evil.tar /dst/\n", ctx);
    REQUIRE(b->ok);
    CHECK(file(*b, "/dst/etc/passwd"));
    CHECK(file(*b, "/dst/abs"));
    CHECK(file(*b, "/dst/x"));
    CHECK_FALSE(file(*b, "/etc/passwd"));  // the base's file is untouched
    CHECK_FALSE(file(*b, "/x"));
  }

  TEST_CASE("symlinks, hard links, merged directories, a directory replaced by a file") {
    auto ctx = ctx_of({{"pre/d/keep.txt", "kept"},
                       {"pre/x/child", "gone"},
                       {"a.tar", tar_of({{.name = "d/", .type = '5', .mode = 0700, .uid = 5, .gid = 6},
                                         {.name = "d/f", .data = "content", .mode = 0600, .uid = 7, .gid = 8},
                                         {.name = "d/l", .type = '2', .link = "f"},
                                         {.name = "d/h", .type = '1', .uid = 7, .gid = 8, .link = "d/f"},
                                         {.name = "x", .data = "now a file"},
                                         {.name = "dev", .type = '3'}})}});
    auto b = sim_build("FROM alpine:3.20\nCOPY pre/ /dst/\nADD a.tar /dst/\n", ctx);
    REQUIRE(b->ok);
    REQUIRE(file(*b, "/dst/d"));
    CHECK(file(*b, "/dst/d")->mode == 0700);
    CHECK(file(*b, "/dst/d")->uid == 5);
    CHECK(file(*b, "/dst/d")->gid == 6);
    CHECK(file(*b, "/dst/d/keep.txt"));  // merged, not replaced
    CHECK(file(*b, "/dst/d/f")->mode == 0600);
    CHECK(file(*b, "/dst/d/f")->uid == 7);
    REQUIRE(file(*b, "/dst/d/l"));
    CHECK(file(*b, "/dst/d/l")->type == sim::NodeType::Symlink);
    CHECK(file(*b, "/dst/d/l")->link == "f");
    REQUIRE(file(*b, "/dst/d/h"));
    CHECK(file(*b, "/dst/d/h")->size == 7);
    CHECK(node(*b, "/dst/d/h")->hash == node(*b, "/dst/d/f")->hash);
    CHECK(file(*b, "/dst/x")->type == sim::NodeType::File);
    CHECK_FALSE(file(*b, "/dst/x/child"));
    CHECK_FALSE(file(*b, "/dst/dev"));
    CHECK(has_note(step_at_line(*b, 3), "1 device, FIFO or metadata entries not modelled"));
  }

  TEST_CASE("a damaged archive or a dangling hard link fails the ADD") {
    std::string two = tar_of({{.name = "a", .data = "aaa"}, {.name = "b", .data = "bbb"}});
    std::string bad = two;
    bad[1024] ^= 1;
    auto ctx = ctx_of({{"bad.tar", bad}, {"link.tar", tar_of({{.name = "h", .type = '1', .link = "nowhere"}})}});
    auto b = sim_build("FROM alpine:3.20\nADD bad.tar /dst/\n", ctx);
    CHECK_FALSE(b->ok);
    CHECK(has_diag(*b, "build/archive-corrupt"));
    CHECK(step_at_line(*b, 2).failed);
    auto l = sim_build("FROM alpine:3.20\nADD link.tar /dst/\n", ctx);
    CHECK_FALSE(l->ok);
    CHECK(has_diag(*l, "build/archive-corrupt"));
  }

  TEST_CASE("bzip2/xz/zstd and digest-only archives keep the flagged estimate") {
    context::ContextBuilder cb;
    cb.add_file("a.tar.xz", std::string("\xfd" "7zXZ\x00\x00\x04", 8) + std::string(992, '\x01'));
    cb.add_file_meta("big.tar.gz", 50'000'000, {}, 0644, nullptr, context::Sniff::Gzip);
    cb.add_file_meta("blob.bin", 1000, {}, 0644, nullptr, context::Sniff::Binary);
    auto ctx = cb.build();
    auto b = sim_build("FROM alpine:3.20\nADD a.tar.xz /x/\nADD big.tar.gz /g/\nADD blob.bin /b/\n", ctx);
    REQUIRE(b->ok);
    const auto* xz = file(*b, "/x/a.tar.xz.contents");
    REQUIRE(xz);
    CHECK(xz->summary);
    CHECK(xz->estimated);
    CHECK(xz->size == 3000);
    CHECK(has_note(step_at_line(*b, 2), "compressed archive (xz), members not read"));
    CHECK(step_at_line(*b, 2).estimated);
    REQUIRE(file(*b, "/g/big.tar.gz.contents"));
    CHECK(file(*b, "/g/big.tar.gz.contents")->size == 150'000'000);
    CHECK(has_note(step_at_line(*b, 3), "the context keeps only its digest"));
    CHECK(file(*b, "/b/blob.bin"));  // not an archive by its sniffed kind: copied
  }

  TEST_CASE("the cache key covers the archive's bytes") {
    auto one = ctx_of({{"v.tar", vendor_tar()}});
    auto same = ctx_of({{"v.tar", vendor_tar()}});
    auto other = ctx_of({{"v.tar", tar_of({{.name = "vendor/VERSION", .data = "1.2.4\n"}})}});
    const char* df = "FROM alpine:3.20\nADD v.tar /v/\n";
    auto a = sim_build(df, one), b = sim_build(df, same), c = sim_build(df, other);
    CHECK(step_at_line(*a, 2).key == step_at_line(*b, 2).key);
    CHECK(step_at_line(*a, 2).key != step_at_line(*c, 2).key);
  }
}
