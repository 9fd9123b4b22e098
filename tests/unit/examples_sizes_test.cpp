// The seed's claims about image sizes, checked on the built-in examples (issue 4): the naive Node
// image 1.1-1.5 GB; the multi-stage Node final image 140-250 MB; the .NET SDK stage about 800 MB
// against a 200-250 MB final image; the nginx final image is nginx:alpine plus the static files,
// with no Node.js inside; Go on distroless 5-20 MB.
#include <doctest/doctest.h>

#include "catalog/catalog.h"
#include "examples/examples.h"
#include "pipeline.h"
#include "sim/build.h"

namespace {

using namespace dfplay;
constexpr double kMB = 1e6;

struct Built {
  context::BuildContext ctx;
  std::unique_ptr<sim::BuildResult> b;
};

Built build_example(const char* id) {
  const examples::Example* ex = examples::find(id);
  REQUIRE_MESSAGE(ex, "no built-in example " << id);
  Built out;
  out.ctx = examples::to_context(*ex);
  Request in;
  in.dockerfile = ex->dockerfile;
  in.context = &out.ctx;
  out.b = simulate(in);
  REQUIRE(out.b->ok);
  return out;
}

const sim::StageResult& stage(const sim::BuildResult& b, std::string_view name) {
  for (const auto& s : b.stages)
    if (s.name == name) return s;
  FAIL("no stage " << name);
  return b.stages.front();
}

}  // namespace

TEST_SUITE("examples: the seed's size claims") {
  TEST_CASE("naive Node image: 1.1 to 1.5 GB") {
    auto x = build_example("node-naive");
    CHECK(x.b->size_bytes >= 1100 * kMB);
    CHECK(x.b->size_bytes <= 1500 * kMB);
  }

  TEST_CASE("multi-stage Node: final image 140 to 250 MB, and smaller than shipping the builder") {
    auto x = build_example("node-multistage");
    CHECK(x.b->size_bytes >= 140 * kMB);
    CHECK(x.b->size_bytes <= 250 * kMB);
    CHECK(x.b->single_stage_size_bytes > x.b->size_bytes);
    CHECK(x.b->saving_bytes == x.b->single_stage_size_bytes - x.b->size_bytes);
    // Only the compiled output and production dependencies: no TypeScript sources, no typescript.
    for (const auto& f : x.b->files) {
      CHECK_MESSAGE(f.path.find("/src/") == std::string::npos, f.path);
      CHECK_MESSAGE(f.path.find("node_modules/typescript") == std::string::npos, f.path);
    }
  }

  TEST_CASE(".NET: SDK stage about 800 MB, runtime image 200 to 250 MB") {
    auto x = build_example("dotnet-multistage");
    const auto& sdk = stage(*x.b, "builder");
    CHECK(sdk.size_bytes >= 700 * kMB);
    CHECK(sdk.size_bytes <= 950 * kMB);
    CHECK(x.b->size_bytes >= 200 * kMB);
    CHECK(x.b->size_bytes <= 250 * kMB);
  }

  TEST_CASE("static site: nginx:alpine plus the built files, no Node.js inside") {
    auto x = build_example("static-nginx");
    const catalog::Image* nginx = catalog::Catalog::builtin().find("nginx:alpine");
    REQUIRE(nginx);
    uint64_t base = x.b->stages[x.b->target].base_bytes;
    CHECK(base == nginx->uncompressed_size);
    CHECK(x.b->size_bytes > base);
    CHECK(x.b->size_bytes - base < 5 * kMB);  // a static site's files, estimated
    for (const auto& f : x.b->files) {
      CHECK_MESSAGE(f.path.find("node_modules") == std::string::npos, f.path);
      CHECK_MESSAGE(f.path.find("/usr/local/bin/node") == std::string::npos, f.path);
    }
  }

  TEST_CASE("Go on distroless: 5 to 20 MB") {
    auto x = build_example("go-distroless");
    CHECK(x.b->size_bytes >= 5 * kMB);
    CHECK(x.b->size_bytes <= 20 * kMB);
  }
}
