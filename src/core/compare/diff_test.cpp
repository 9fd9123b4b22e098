// The seed tutorial's comparisons (../shared/seed/docker-multi-stage-builds.txt) on the built-in
// examples, and the parts of a comparison on small inputs.
#include "compare/diff.h"

#include <algorithm>
#include <cstdlib>

#include <doctest/doctest.h>

#include "compare/comparer.h"
#include "compare/compare_test_util.h"

namespace {

using namespace dfplay;
using namespace dfplay::compare;
using compare::test::example_input;
using compare::test::with_text;

const FileChange* find_file(const Diff& d, std::string_view path) {
  for (const auto& f : d.files)
    if (f.path == path) return &f;
  return nullptr;
}

const ConfigChange* find_config(const Diff& d, std::string_view field) {
  for (const auto& c : d.config)
    if (c.field == field) return &c;
  return nullptr;
}

constexpr double MB = 1e6;

TEST_CASE("compare: the seed's naive single-stage Node image against the multi-stage one") {
  Comparer c;
  c.set_a(example_input("node-naive"));
  c.set_b(example_input("node-multistage"));
  const Diff& d = c.finish();
  // Seed: naive 1.2-1.5 GB (node:20 alone 1.1 GB), multi-stage ~150-250 MB; the difference
  // between those ranges is 0.95-1.35 GB.
  CHECK(d.a.size_bytes >= 1100 * MB);
  CHECK(d.a.size_bytes <= 1500 * MB);
  CHECK(d.b.size_bytes >= 150 * MB);
  CHECK(d.b.size_bytes <= 250 * MB);
  CHECK(d.size_delta <= -static_cast<int64_t>(950 * MB));
  CHECK(d.size_delta >= -static_cast<int64_t>(1350 * MB));
  CHECK(d.compressed_delta < 0);
  CHECK(d.a.base == "node:20");
  CHECK(d.b.base == "node:20-alpine");
  // The TypeScript sources and the devDependencies (typescript's tsc) are gone; node_modules shrinks.
  const FileChange* ts = find_file(d, "/app/src/server.ts");
  REQUIRE(ts != nullptr);
  CHECK(ts->change == Change::Removed);
  const FileChange* tsc = find_file(d, "/app/node_modules/.bin/tsc");
  REQUIRE(tsc != nullptr);
  CHECK(tsc->change == Change::Removed);
  const FileChange* nm = find_file(d, "/app/node_modules");
  REQUIRE(nm != nullptr);
  CHECK(nm->change == Change::Changed);
  CHECK(nm->b_size < nm->a_size);
  CHECK(nm->summary);
  // Biggest first.
  for (size_t i = 1; i < d.files.size(); ++i) CHECK(d.files[i - 1].weight() >= d.files[i].weight());
  CHECK(d.removed > 0);
  // The compiled output ships on both sides.
  CHECK(find_file(d, "/app/dist/server.js") == nullptr);
  // Config: root -> node.
  const ConfigChange* user = find_config(d, "user");
  REQUIRE(user != nullptr);
  CHECK(user->a == "root");
  CHECK(user->b == "node");
  CHECK(find_config(d, "cmd") == nullptr);
  // Findings the multi-stage build fixes (the root user at least).
  CHECK_FALSE(d.fixed.empty());
  // B's build after A's: different bases, so nothing but the cache key of nothing is shared.
  CHECK(d.cache.run > 0);
  // Layers side by side: the base row first, then A's and B's layers.
  REQUIRE_FALSE(d.layers.empty());
  CHECK(d.layers[0].base);
  CHECK(d.layers[0].a_stage == "node:20");
  CHECK(d.layers[0].b_stage == "node:20-alpine");
  size_t a_rows = 0, b_rows = 0, both = 0;
  for (size_t i = 1; i < d.layers.size(); ++i) {
    a_rows += d.layers[i].in_a;
    b_rows += d.layers[i].in_b;
    both += d.layers[i].in_a && d.layers[i].in_b;
  }
  CHECK(a_rows == d.a.layers);
  CHECK(b_rows == d.b.layers);
  CHECK(both >= 1);  // WORKDIR /app (and more) in both
}

TEST_CASE("compare: .NET on the SDK image against the runtime image") {
  WorkspaceInput runtime = example_input("dotnet-multistage");
  WorkspaceInput sdk = with_text(runtime, "FROM mcr.microsoft.com/dotnet/aspnet:8.0 AS production",
                                 "FROM mcr.microsoft.com/dotnet/sdk:8.0 AS production");
  Comparer c;
  c.set_a(sdk);
  c.set_b(runtime);
  const Diff& d = c.finish();
  CHECK(d.a.base == "mcr.microsoft.com/dotnet/sdk:8.0");
  CHECK(d.b.base == "mcr.microsoft.com/dotnet/aspnet:8.0");
  // Seed: the SDK image ~800 MB, the runtime image ~200 MB.
  CHECK(d.a.size_bytes >= 600 * MB);
  CHECK(d.b.size_bytes <= 300 * MB);
  CHECK(d.size_delta <= -static_cast<int64_t>(400 * MB));
  // The published app is the same on both sides: no file differs.
  CHECK(d.added == 0);
  CHECK(d.removed == 0);
  // Same layers, different base: the layer rows pair up.
  for (size_t i = 1; i < d.layers.size(); ++i) CHECK((d.layers[i].in_a && d.layers[i].in_b));
  // The builder stage is the same: B's build reuses it from A's cache.
  CHECK(d.cache.cached >= 5);
}

TEST_CASE("compare: Go on golang against distroless") {
  WorkspaceInput distroless = example_input("go-distroless");
  WorkspaceInput golang = with_text(distroless, "FROM gcr.io/distroless/static:nonroot AS production",
                                    "FROM golang:1.22-alpine AS production");
  Comparer c;
  c.set_a(golang);
  c.set_b(distroless);
  const Diff& d = c.finish();
  // Seed: ~5-20 MB on distroless.
  CHECK(d.b.size_bytes >= 5 * MB);
  CHECK(d.b.size_bytes <= 20 * MB);
  CHECK(d.a.size_bytes >= 200 * MB);
  CHECK(d.size_delta < -static_cast<int64_t>(180 * MB));
  const ConfigChange* user = find_config(d, "user");
  REQUIRE(user != nullptr);  // distroless :nonroot runs as nonroot
  CHECK(user->a == "root");
  CHECK(user->b != "root");
}

TEST_CASE("compare: a variant against itself changes nothing and reuses every step") {
  WorkspaceInput in = example_input("node-multistage");
  Comparer c;
  c.set_a(in);
  c.set_b(in);
  const Diff& d = c.finish();
  CHECK(d.size_delta == 0);
  CHECK(d.time_delta == 0);
  CHECK(d.files.empty());
  CHECK(d.config.empty());
  CHECK(d.fixed.empty());
  CHECK(d.introduced.empty());
  CHECK(d.cache.run == 0);
  CHECK(d.cache.cached > 0);
}

TEST_CASE("compare: a source edit in B misses at COPY . . and says why") {
  WorkspaceInput a = example_input("node-multistage");
  WorkspaceInput b = a;
  for (auto& f : b.files)
    if (f.path == "src/server.ts") f.content += "\n// edited\n";
  Comparer c;
  c.set_a(a);
  c.set_b(b);
  const Diff& d = c.finish();
  bool why = false;
  for (const auto& s : d.cache.steps)
    if (s.first_miss && s.reason && s.reason->kind == "context-files-changed") why = true;
  CHECK(why);
  CHECK(d.cache.cached > 0);
  CHECK(std::abs(d.size_delta) < 100);  // a comment: the compiled output barely changes
  // Editing B again recomputes; the same B does not.
  uint64_t rev = c.revision();
  c.set_b(b);
  c.finish();
  CHECK(c.revision() == rev);
  c.set_b(a);
  c.finish();
  CHECK(c.revision() == rev + 1);
}

TEST_CASE("compare: config changes per field, env per variable") {
  WorkspaceInput a;
  a.dockerfile = "FROM alpine:3.20\nENV A=1 B=2\nWORKDIR /srv\nEXPOSE 80\nCMD [\"sh\"]\n";
  WorkspaceInput b;
  b.dockerfile = "FROM alpine:3.20\nENV A=1 C=3\nWORKDIR /app\nUSER 1000\nEXPOSE 8080\nENTRYPOINT [\"/bin/app\"]\n";
  Comparer c;
  c.set_a(a);
  c.set_b(b);
  const Diff& d = c.finish();
  auto f = [&](const char* name) { return find_config(d, name); };
  REQUIRE(f("workdir"));
  CHECK(f("workdir")->a == "/srv");
  CHECK(f("workdir")->b == "/app");
  REQUIRE(f("user"));
  CHECK(f("user")->b == "1000");
  REQUIRE(f("exposed_ports"));
  CHECK(f("exposed_ports")->b == "[\"8080/tcp\"]");
  REQUIRE(f("entrypoint"));
  CHECK_FALSE(f("entrypoint")->a_set);
  REQUIRE(f("cmd"));
  CHECK_FALSE(f("cmd")->b_set);
  CHECK(f("env.A") == nullptr);
  REQUIRE(f("env.B"));
  CHECK_FALSE(f("env.B")->b_set);
  REQUIRE(f("env.C"));
  CHECK_FALSE(f("env.C")->a_set);
  CHECK(f("env.C")->b == "3");
}

TEST_CASE("compare: findings fixed and introduced are matched by rule and message, not line") {
  WorkspaceInput a;
  a.dockerfile = "FROM alpine:3.20 as base\nRUN echo hi\n";
  WorkspaceInput b;
  b.dockerfile = "# a comment moves every line\nFROM alpine:3.20 AS base\nRUN echo hi\nMAINTAINER me\n";
  Comparer c;
  c.set_a(a);
  c.set_b(b);
  const Diff& d = c.finish();
  auto has = [](const std::vector<FindingRef>& v, std::string_view id) {
    return std::any_of(v.begin(), v.end(), [&](const FindingRef& f) { return f.id == id; });
  };
  CHECK(has(d.fixed, "FromAsCasing"));
  CHECK(has(d.introduced, "MaintainerDeprecated"));
  CHECK_FALSE(has(d.fixed, "MaintainerDeprecated"));
}

TEST_CASE("compare: a finding whose message names the changed base is the same finding") {
  // RootUser says "node:20 defaults to root" in A and "node:20-alpine defaults to root" in B.
  WorkspaceInput a = example_input("node-naive");
  WorkspaceInput b = with_text(a, "FROM node:20\n", "FROM node:20-alpine\n");
  Comparer c;
  c.set_a(a);
  c.set_b(b);
  const Diff& d = c.finish();
  auto has = [](const std::vector<FindingRef>& v, std::string_view id) {
    return std::any_of(v.begin(), v.end(), [&](const FindingRef& f) { return f.id == id; });
  };
  CHECK_FALSE(has(d.fixed, "RootUser"));
  CHECK_FALSE(has(d.introduced, "RootUser"));
  CHECK(has(d.fixed, "LargeBaseImage"));
}

TEST_CASE("compare: the JSON has the documented fields") {
  WorkspaceInput a = example_input("node-naive");
  WorkspaceInput b = example_input("node-multistage");
  auto j = compare_inputs(a, b);
  for (const char* k : {"a", "b", "size_delta_bytes", "compressed_delta_bytes", "build_time_delta_s", "files",
                        "config_changes", "findings", "cache", "layers", "layer_count_delta"})
    CHECK_MESSAGE(j.contains(k), k);
  CHECK(j["a"]["size_bytes"].get<uint64_t>() > j["b"]["size_bytes"].get<uint64_t>());
  CHECK(j["size_delta_bytes"].get<int64_t>() ==
        static_cast<int64_t>(j["b"]["size_bytes"].get<uint64_t>()) - static_cast<int64_t>(j["a"]["size_bytes"].get<uint64_t>()));
  CHECK(j["files"]["removed"].is_array());
  CHECK(j["files"]["removed"][0].contains("size_bytes"));
  CHECK(j["files"]["changed"][0].contains("a_size_bytes"));
  CHECK(j["files"]["changed"][0].contains("b_size_bytes"));
  CHECK(j["cache"]["steps"].is_array());
  CHECK(j["cache"]["summary"].contains("cached"));
  CHECK_FALSE(j["a"].contains("files"));
  CHECK(j["a"]["config"]["user"] == "");
  CHECK(j["findings"]["fixed"].is_array());
}

TEST_CASE("compare: broken variants compare without crashing") {
  WorkspaceInput a;
  a.dockerfile = "FROM\nRUN \\";
  WorkspaceInput b;
  b.dockerfile = "";
  Comparer c;
  c.set_a(a);
  c.set_b(b);
  const Diff& d = c.finish();
  CHECK(d.files.empty());
  auto j = compare_inputs(a, b);
  CHECK(j["a"]["ok"].is_boolean());
}

}  // namespace
