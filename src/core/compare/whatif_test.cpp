// Every ready what-if on the built-in examples (or an example with one thing taken away), with
// its effect measured by the comparison.
#include "compare/whatif.h"

#include <algorithm>
#include <set>

#include <doctest/doctest.h>

#include "compare/compare_test_util.h"
#include "workspace.h"

namespace {

using namespace dfplay;
using namespace dfplay::compare;
using compare::test::example_input;
using compare::test::with_text;
using compare::test::without_file;

const WhatIf* find(const std::vector<WhatIf>& v, std::string_view id) {
  for (const auto& w : v)
    if (w.id == id) return &w;
  return nullptr;
}

size_t count_kind(const std::vector<WhatIf>& v, std::string_view kind) {
  return std::count_if(v.begin(), v.end(), [&](const WhatIf& w) { return w.kind == kind; });
}

bool contains(const std::string& s, std::string_view part) { return s.find(part) != std::string::npos; }

constexpr double MB = 1e6;

TEST_CASE("what-if smaller-base: the naive image's node:20 -> its slim and alpine variants") {
  auto list = ready_what_ifs(example_input("node-naive"));
  const WhatIf* alpine = find(list, "smaller-base:node:20-alpine");
  REQUIRE(alpine != nullptr);
  CHECK(contains(alpine->variant.dockerfile, "FROM node:20-alpine\n"));
  CHECK(alpine->effect.ok);
  CHECK(alpine->effect.size_delta < -static_cast<int64_t>(500 * MB));
  CHECK(alpine->effect.compressed_delta < 0);
  CHECK(alpine->line == 4);
  const WhatIf* slim = find(list, "smaller-base:node:20-slim");
  REQUIRE(slim != nullptr);
  CHECK(slim->effect.size_delta < 0);
  CHECK(slim->effect.size_delta > alpine->effect.size_delta);  // alpine saves more
}

TEST_CASE("what-if smaller-base: .NET's aspnet runtime -> alpine / chiseled; none for distroless") {
  auto list = ready_what_ifs(example_input("dotnet-multistage"));
  const WhatIf* w = find(list, "smaller-base:mcr.microsoft.com/dotnet/aspnet:8.0-alpine");
  REQUIRE(w != nullptr);
  CHECK(w->effect.size_delta < 0);
  // The builder stage is unchanged: B's first build reuses it from A's cache.
  CHECK(w->effect.cached >= 5);
  CHECK(count_kind(ready_what_ifs(example_input("go-distroless")), "smaller-base") == 0);
}

TEST_CASE("what-if smaller-base: a final stage that runs nothing gets the SDK's runtime image") {
  WorkspaceInput in = with_text(example_input("dotnet-multistage"), "FROM mcr.microsoft.com/dotnet/aspnet:8.0 AS production",
                                "FROM mcr.microsoft.com/dotnet/sdk:8.0 AS production");
  auto list = ready_what_ifs(in);
  const WhatIf* w = find(list, "smaller-base:mcr.microsoft.com/dotnet/aspnet:8.0");
  REQUIRE(w != nullptr);
  CHECK(w->effect.size_delta < -static_cast<int64_t>(400 * MB));
}

TEST_CASE("what-if manifest-first: the naive cache order copies package*.json and installs first") {
  WorkspaceInput in = example_input("cache-order-naive");
  auto list = ready_what_ifs(in);
  const WhatIf* w = find(list, "manifest-first:0");
  REQUIRE(w != nullptr);
  const std::string& df = w->variant.dockerfile;
  auto copy_manifest = df.find("COPY package*.json ./\nRUN npm ci\n");
  auto copy_all = df.find("COPY . .");
  REQUIRE(copy_manifest != std::string::npos);
  REQUIRE(copy_all != std::string::npos);
  CHECK(copy_manifest < copy_all);
  CHECK(std::count(df.begin(), df.end(), '\n') == std::count(in.dockerfile.begin(), in.dockerfile.end(), '\n') + 1);
  // The effect: a source edit no longer re-runs npm ci.
  CHECK(w->effect.edited_file == "src/app.ts");  // the first source file that is no test
  CHECK(w->effect.b_edit_seconds < w->effect.a_edit_seconds);
  CHECK(w->effect.size_delta >= 0);  // one more small layer
  // The node-naive example gets it too (in the same single stage).
  CHECK(find(ready_what_ifs(example_input("node-naive")), "manifest-first:0") != nullptr);
  // Not where the manifest is already copied first.
  CHECK(count_kind(ready_what_ifs(example_input("cache-order")), "manifest-first") == 0);
  CHECK(count_kind(ready_what_ifs(example_input("node-multistage")), "manifest-first") == 0);
}

TEST_CASE("what-if manifest-first: Go modules and go.sum") {
  WorkspaceInput in = example_input("go-distroless");
  in = with_text(in, "COPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\n", "COPY . .\nRUN go mod download\n");
  auto list = ready_what_ifs(in);
  const WhatIf* w = find(list, "manifest-first:builder");
  REQUIRE(w != nullptr);
  CHECK(contains(w->variant.dockerfile, "COPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\n"));
}

TEST_CASE("what-if builder-stage: the naive Node image ships only dist/ from a builder stage") {
  WorkspaceInput in = example_input("node-naive");
  auto list = ready_what_ifs(in);
  const WhatIf* w = find(list, "builder-stage");
  REQUIRE(w != nullptr);
  const std::string& df = w->variant.dockerfile;
  CHECK(contains(df, "FROM node:20 AS builder\n"));
  CHECK(contains(df, "FROM node:20-alpine AS production\n"));
  CHECK(contains(df, "RUN npm ci --omit=dev\n"));
  CHECK(contains(df, "COPY --from=builder /app/dist /app/dist\n"));
  CHECK(contains(df, "CMD [\"node\", \"dist/server.js\"]"));
  CHECK(w->effect.ok);
  // The seed's claim: from 1.2-1.5 GB down to ~150-250 MB.
  CHECK(w->effect.b_size >= 150 * MB);
  CHECK(w->effect.b_size <= 250 * MB);
  CHECK(w->effect.size_delta < -static_cast<int64_t>(900 * MB));
  // Not offered when the final stage already copies from another stage.
  CHECK(count_kind(ready_what_ifs(example_input("node-multistage")), "builder-stage") == 0);
}

TEST_CASE("what-if builder-stage: a single-stage Go build ships only the binary") {
  WorkspaceInput in = example_input("go-distroless");
  in.dockerfile = "FROM golang:1.22-alpine\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\n"
                  "RUN CGO_ENABLED=0 GOOS=linux go build -o /app/server ./cmd/server\nEXPOSE 8080\nENTRYPOINT [\"/app/server\"]\n";
  auto list = ready_what_ifs(in);
  const WhatIf* w = find(list, "builder-stage");
  REQUIRE(w != nullptr);
  CHECK(contains(w->variant.dockerfile, "FROM golang:1.22-alpine AS builder\n"));
  CHECK(contains(w->variant.dockerfile, "COPY --from=builder /app /app\n"));  // /app is new in the build layer
  CHECK(contains(w->variant.dockerfile, "ENTRYPOINT [\"/app/server\"]"));
  CHECK(w->effect.b_size <= 20 * MB);
}

TEST_CASE("what-if dockerignore: a context without .dockerignore that holds node_modules and .git") {
  WorkspaceInput in = without_file(example_input("node-multistage"), ".dockerignore");
  in.files.push_back({"node_modules/express/index.js", std::string(200000, 'x'), 0644});
  in.files.push_back({".git/HEAD", "ref: refs/heads/main\n", 0644});
  auto list = ready_what_ifs(in);
  const WhatIf* w = find(list, "dockerignore");
  REQUIRE(w != nullptr);
  const WorkspaceFile* ignore = nullptr;
  for (const auto& f : w->variant.files)
    if (f.path == ".dockerignore") ignore = &f;
  REQUIRE(ignore != nullptr);
  CHECK(contains(ignore->content, "node_modules\n"));
  CHECK(contains(ignore->content, ".git\n"));
  CHECK(contains(ignore->content, "Dockerfile\n"));
  CHECK(w->effect.context_delta < -200000);
  // Not offered when a .dockerignore exists, nor when there is nothing to ignore.
  CHECK(count_kind(ready_what_ifs(example_input("node-multistage")), "dockerignore") == 0);
  CHECK(count_kind(ready_what_ifs(without_file(example_input("node-multistage"), ".dockerignore")), "dockerignore") == 0);
}

TEST_CASE("what-if build-arg: NODE_VERSION picks another node:*-alpine the catalog knows") {
  WorkspaceInput in = example_input("build-arg");
  // The example suggests --build-arg NODE_VERSION=22; the catalog has node:20-alpine and node:18-alpine.
  REQUIRE(in.options.build_args.size() == 1);
  CHECK(in.options.build_args[0].second == "22");
  auto list = ready_what_ifs(in);
  CHECK(count_kind(list, "build-arg") == 2);
  CHECK(find(list, "build-arg:NODE_VERSION=22") == nullptr);
  const WhatIf* w = find(list, "build-arg:NODE_VERSION=20");
  REQUIRE(w != nullptr);
  CHECK(find(list, "build-arg:NODE_VERSION=18") != nullptr);
  CHECK(w->variant.dockerfile == in.dockerfile);
  bool set = false;
  for (const auto& [k, v] : w->variant.options.build_args) set |= k == "NODE_VERSION" && v == "20";
  CHECK(set);
  CHECK(w->effect.ok);
  CHECK(w->effect.run > 0);  // a new base: nothing from A's cache
  CHECK(w->line == 3);
  // Without the suggested value, the default (20) is the current one.
  in.options.build_args.clear();
  list = ready_what_ifs(in);
  CHECK(find(list, "build-arg:NODE_VERSION=22") != nullptr);
  CHECK(find(list, "build-arg:NODE_VERSION=20") == nullptr);
}

TEST_CASE("what-ifs: on every built-in example, each one a real edit whose build succeeds") {
  for (const auto& ex : examples::builtin()) {
    CAPTURE(ex.id);
    WorkspaceInput in = example_input(ex.id);
    auto list = ready_what_ifs(in);
    std::set<std::string> ids;
    for (const auto& w : list) {
      CAPTURE(w.id);
      CHECK(ids.insert(w.id).second);
      CHECK(w.effect.evaluated);
      CHECK(w.effect.ok);
      CHECK_FALSE(w.title.empty());
      CHECK_FALSE(w.description.empty());
      bool differs = w.variant.dockerfile != in.dockerfile || w.variant.files.size() != in.files.size() ||
                     w.variant.options.build_args != in.options.build_args;
      CHECK(differs);
    }
  }
  // The static site: nginx:alpine's `slimmer` entry (nginx:alpine-slim) has no figures in the
  // catalog, so no smaller base is offered (an unknown size is no saving); nothing else applies.
  CHECK(ready_what_ifs(example_input("static-nginx")).empty());
}

TEST_CASE("what-ifs: none for a broken Dockerfile, JSON carries the variant and the effect") {
  WorkspaceInput broken;
  broken.dockerfile = "FROM\n";
  CHECK(ready_what_ifs(broken).empty());
  auto list = ready_what_ifs(example_input("node-naive"));
  REQUIRE_FALSE(list.empty());
  auto j = what_ifs_json(list);
  REQUIRE(j.is_array());
  CHECK(j[0].contains("variant"));
  CHECK(j[0]["variant"].contains("dockerfile"));
  CHECK(j[0]["effect"]["estimated"] == true);
  CHECK(j[0]["effect"].contains("size_delta_bytes"));
  std::set<std::string> ids;
  for (const auto& w : list) CHECK(ids.insert(w.id).second);
}

TEST_CASE("input_json: a file known by its size only stays {size} (state().compare.a, share links)") {
  WorkspaceInput in;
  in.dockerfile = "FROM alpine\nCOPY . .\n";
  in.files.push_back({"a.txt", "text\n"});
  WorkspaceFile bin{"model.bin", ""};
  bin.size = 12'000'000;
  in.files.push_back(bin);
  auto j = input_json(in);
  CHECK(j["files"]["a.txt"] == "text\n");
  CHECK(j["files"]["model.bin"] == nlohmann::json{{"size", 12'000'000}});
  CHECK(j["dockerfile"] == in.dockerfile);
}

}  // namespace
