#include <doctest/doctest.h>

#include "sim/effects.h"
#include "sim/effects/test_util.h"

using namespace dfplay::sim;
using namespace dfplay::sim::testing;

namespace {
Step alpine() {
  Step s;
  s.os_family = "alpine";
  s.package_manager = "apk";
  return s;
}
}  // namespace

TEST_SUITE("effects.pkg") {
  TEST_CASE("apt-get install without cleaning leaves /var/lib/apt/lists in the layer") {
    Vfs fs;
    Effect dirty = run(fs, "apt-get update && apt-get install -y --no-install-recommends curl");
    CHECK_FALSE(dirty.would_fail);
    CHECK_FALSE(dirty.unknown);
    const FileChange* lists = put_of(dirty, "/var/lib/apt/lists");
    REQUIRE(lists);
    CHECK(lists->node.size == 20'000'000);
    CHECK(lists->node.source.find("rm -rf /var/lib/apt/lists") != std::string::npos);
    const FileChange* curl = put_of(dirty, "/usr/share/dfplay/packages/curl");
    REQUIRE(curl);
    CHECK(curl->node.size == static_cast<uint64_t>(11 * 1048576.0));
    Effect clean = run(fs, "apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*");
    CHECK(written_under(clean, "/var/lib/apt/lists") == 0);
    CHECK(clean.layer_bytes + 20'000'000 == dirty.layer_bytes);
    CHECK(has_tool(clean, "apt-get update"));
    CHECK(has_tool(clean, "apt-get install"));
    // In a later RUN, rm -rf of the lists from an earlier layer empties them (the bytes stay below).
    Vfs later = after(fs, dirty);
    Effect rm = run(later, "rm -rf /var/lib/apt/lists/*");
    CHECK(rm.removed_bytes >= 20'000'000);
    CHECK(after(later, rm).size_under("/var/lib/apt/lists") == 0);
  }

  TEST_CASE("apt-get install without update, without -y, or on Alpine fails") {
    Vfs fs;
    CHECK(has_failure(run(fs, "apt-get install -y curl"), "Unable to locate package curl"));
    CHECK(has_failure(run(fs, "apt-get update && apt-get install curl"), "without -y"));
    CHECK(has_failure(run(fs, "apt-get update", alpine()), "apt-get: not found (this image uses apk)"));
    CHECK(has_failure(run(fs, "apk add curl"), "apk: not found"));
    Step none;
    none.package_manager = "none";
    CHECK(has_failure(run(fs, "apk add curl", none), "no package manager"));
  }

  TEST_CASE("recommends make installs bigger; unknown packages get the default estimate") {
    Vfs fs;
    Effect with = run(fs, "apt-get update && apt-get install -y git");
    Effect without = run(fs, "apt-get update && apt-get install -y --no-install-recommends git");
    CHECK(written_under(with, "/usr/share/dfplay/packages") > written_under(without, "/usr/share/dfplay/packages"));
    CHECK(has_note(with, "--no-install-recommends"));
    Effect other = run(fs, "apt-get update && apt-get install -y --no-install-recommends libfoo-dev=1.2-3");
    const FileChange* p = put_of(other, "/usr/share/dfplay/packages/libfoo-dev");
    REQUIRE(p);
    CHECK(p->node.estimated);
    CHECK(p->node.source.find("dfplay estimate") != std::string::npos);
  }

  TEST_CASE("apk add --no-cache vs the index cache; virtual packages are removed with apk del") {
    Vfs fs;
    Effect nc = run(fs, "apk add --no-cache curl ca-certificates", alpine());
    CHECK_FALSE(nc.would_fail);
    CHECK_FALSE(put_of(nc, "/var/cache/apk"));
    CHECK(put_of(nc, "/usr/share/dfplay/packages/curl")->node.size == static_cast<uint64_t>(5 * 1048576.0));
    Effect c = run(fs, "apk update && apk add curl", alpine());
    REQUIRE(put_of(c, "/var/cache/apk"));
    CHECK(put_of(c, "/var/cache/apk")->node.size == 2'000'000);
    CHECK(has_note(c, "--no-cache"));
    Effect v = run(fs, "apk add --no-cache --virtual .build-deps build-base gcc && make --version; apk del .build-deps", alpine());
    CHECK(written_under(v, "/usr/share/dfplay/packages") < 1000);
    CHECK(written_under(run(fs, "apk add --no-cache build-base", alpine()), "/usr/share/dfplay/packages") ==
          static_cast<uint64_t>(230 * 1048576.0));
    Effect rm = run(after(fs, c), "rm -rf /var/cache/apk/*", alpine());
    CHECK(rm.removed_bytes == 2'000'000);
  }

  TEST_CASE("apt-get clean, dpkg -i, yum") {
    Vfs fs;
    CHECK(has_tool(run(fs, "apt-get clean"), "apt-get clean"));
    FileNode deb;
    deb.size = 1'000'000;
    deb.hash = 5;
    fs.put("/tmp/x.deb", deb);
    Effect d = run(fs, "dpkg -i /tmp/x.deb");
    CHECK(put_of(d, "/usr/share/dfplay/packages/x.deb"));
    Effect y = run(fs, "yum install -y git && yum clean all");
    CHECK(written_under(y, "/var/cache/yum") == 0);
    CHECK(put_of(y, "/usr/share/dfplay/packages/git"));
  }
}
