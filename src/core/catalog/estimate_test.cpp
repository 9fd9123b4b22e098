#include <doctest/doctest.h>

#include "catalog/catalog.h"
#include "catalog/detail.h"

using namespace dfplay::catalog;

namespace {
Resolution look(const char* ref) { return Catalog::builtin().lookup(ref); }
}  // namespace

TEST_CASE("estimate: tag analysis") {
  auto t = detail::analyze_tag("3.12-slim-bookworm");
  CHECK(t.version == std::vector<int>{3, 12});
  CHECK(t.tokens == std::vector<std::string>{"slim", "bookworm"});
  auto a = detail::analyze_tag("20.11.0-alpine3.19");
  CHECK(a.version == std::vector<int>{20, 11, 0});
  CHECK(a.tokens == std::vector<std::string>{"alpine"});
  auto l = detail::analyze_tag("lts-alpine");
  CHECK(l.version.empty());
  CHECK(l.tokens == std::vector<std::string>{"alpine"});
  CHECK(detail::name_tokens("myorg/node-app") == std::vector<std::string>{"myorg", "node", "app"});
  CHECK(detail::name_tokens("distroless/nodejs22-debian12") ==
        std::vector<std::string>{"distroless", "nodejs", "debian"});
}

TEST_CASE("estimate: an application image named after a family (myorg/node-app:1.2-alpine)") {
  auto r = look("myorg/node-app:1.2-alpine");
  CHECK(r.ok);
  CHECK(r.estimated);
  CHECK(r.match == Match::Family);
  CHECK(r.template_reference == "node:22-alpine");
  CHECK(r.image.os == "alpine");
  CHECK(r.image.has_tool("node"));
  CHECK(r.image.reference == "myorg/node-app:1.2-alpine");
  CHECK(r.image.origin == Origin::Estimate);
  CHECK(r.reason.find("node") != std::string::npos);
  CHECK(r.reason.find("alpine") != std::string::npos);
  CHECK(r.image.slimmer.empty());  // suggestions about node:22-alpine do not apply to the app
  for (const auto& [figure, source] : r.image.sources) {
    const auto& figure_ = figure;  // clang 14: a structured binding cannot be captured
    CAPTURE(figure_);
    CHECK(source.rfind("estimate", 0) == 0);
  }
  CHECK(r.image.figure_estimated("uncompressed"));
  CHECK(r.image.digest != Catalog::builtin().find("node:22-alpine")->digest);
}

TEST_CASE("estimate: another tag of a known repository (python:3.13-slim)") {
  auto r = look("python:3.13-slim");
  CHECK(r.estimated);
  CHECK(r.match == Match::SameRepository);
  CHECK(r.template_reference == "python:3.12-slim");
  CHECK(r.image.version == "3.13");
  CHECK(r.image.slimmer == std::vector<std::string>{"python:3.13-alpine"});
  CHECK(r.reason.find("python:3.12-slim") != std::string::npos);

  CHECK(look("golang:1.24-alpine").template_reference == "golang:1.23-alpine");
  CHECK(look("golang:1.21").template_reference == "golang:1.22");
  CHECK(look("node:24").template_reference == "node:22");
  CHECK(look("node:lts-alpine").template_reference == "node:22-alpine");
  CHECK(look("node:20.11.1-alpine3.19").template_reference == "node:20-alpine");
  CHECK(look("node:20-bullseye").template_reference == "node:20");
  CHECK(look("alpine").template_reference == "alpine:3.21");
  CHECK(look("alpine:3.22").template_reference == "alpine:3.21");
  CHECK(look("debian:trixie-slim").template_reference == "debian:bookworm-slim");
  CHECK(look("mcr.microsoft.com/dotnet/sdk:9.0").template_reference == "mcr.microsoft.com/dotnet/sdk:8.0");
  CHECK(look("mcr.microsoft.com/dotnet/aspnet:9.0-alpine").template_reference ==
        "mcr.microsoft.com/dotnet/aspnet:8.0-alpine");
  CHECK(look("eclipse-temurin:17-jre-alpine").template_reference == "eclipse-temurin:21-jre-alpine");
}

TEST_CASE("estimate: deprecations stay with their major version") {
  auto same = look("node:18.20-alpine");
  CHECK(same.template_reference == "node:18-alpine");
  CHECK_FALSE(same.image.deprecated.empty());
  auto newer = look("node:16-alpine");
  CHECK(newer.template_reference == "node:18-alpine");
  CHECK(newer.image.deprecated.empty());
}

TEST_CASE("estimate: sibling repositories (distroless)") {
  auto r = look("gcr.io/distroless/nodejs22-debian12");
  CHECK(r.match == Match::SiblingRepository);
  CHECK(r.template_reference == "gcr.io/distroless/nodejs20-debian12");
  CHECK_FALSE(r.image.has_shell());
  auto j = look("gcr.io/distroless/java17-debian12:nonroot");
  CHECK(j.match == Match::SiblingRepository);
  CHECK(j.template_reference == "gcr.io/distroless/java21-debian12");
  auto b = look("gcr.io/distroless/base-nossl-debian12");
  CHECK(b.template_reference.rfind("gcr.io/distroless/base-debian12", 0) == 0);
}

TEST_CASE("estimate: family words and versions") {
  auto o = look("openjdk:17-jdk-slim");
  CHECK(o.match == Match::Family);
  CHECK(o.template_reference == "eclipse-temurin:17-jdk");
  CHECK_FALSE(o.warnings.empty());  // openjdk is deprecated
  auto ecr = look("public.ecr.aws/docker/library/node:20-alpine");
  CHECK(ecr.match == Match::Family);
  CHECK(ecr.template_reference == "node:20-alpine");
  auto java = look("registry.example.com/team/java-service:3.1");
  CHECK(java.template_reference.find("-jre") != std::string::npos);
  auto py = look("myorg/flask-api:latest");
  CHECK(py.image.family == "python");
  auto go = look("ghcr.io/acme/go-builder:1");
  CHECK(go.image.family == "golang");
  CHECK(look("myorg/dotnet-sdk:8").template_reference == "mcr.microsoft.com/dotnet/sdk:8.0");
  CHECK(look("mongo:7").match != Match::Family);  // "go" is a word, not a substring
}

TEST_CASE("estimate: the tag alone (variant)") {
  auto a = look("myorg/service:1.0-alpine");
  CHECK(a.match == Match::Variant);
  CHECK(a.template_reference == "alpine:3.21");
  CHECK(look("myorg/service:1.0-slim").template_reference == "debian:bookworm-slim");
  CHECK(look("myorg/service:2-bookworm").template_reference == "debian:bookworm");
  CHECK(look("myorg/service:2-noble").template_reference == "ubuntu:24.04");
}

TEST_CASE("estimate: Windows images") {
  auto w = look("mcr.microsoft.com/dotnet/aspnet:8.0-nanoserver-ltsc2022");
  CHECK(w.estimated);
  CHECK(w.image.os == "windows");
  CHECK(w.image.supports_platform("windows/amd64"));
  CHECK_FALSE(w.image.supports_platform("linux/amd64"));
  CHECK_FALSE(w.image.has_shell());
  auto s = look("mcr.microsoft.com/windows/servercore:ltsc2022");
  CHECK(s.image.os == "windows");
  CHECK(s.image.uncompressed_size > w.image.uncompressed_size);
}

TEST_CASE("estimate: nothing known (generic)") {
  auto r = look("myorg/app:1.0");
  CHECK(r.ok);
  CHECK(r.estimated);
  CHECK(r.match == Match::Generic);
  CHECK(r.template_reference.empty());
  CHECK(r.image.uncompressed_size == 120000000);
  CHECK(r.image.has_shell());
  CHECK(r.image.supports_platform("linux/arm64"));
  CHECK(r.reason.find("generic") != std::string::npos);
  CHECK(r.image.figure_estimated("compressed"));
  // Deterministic: the same reference gives the same digest.
  CHECK(look("myorg/app:1.0").image.digest == r.image.digest);
  CHECK(look("myorg/app:1.1").image.digest != r.image.digest);
}

TEST_CASE("estimate: every resolution exports to JSON") {
  for (const char* ref : {"myorg/node-app:1.2-alpine", "python:3.13-slim", "myorg/app", "scratch",
                          "gcr.io/distroless/nodejs22-debian12", "Bad:Ref"}) {
    CAPTURE(ref);
    auto j = to_json(look(ref));
    CHECK_NOTHROW((void)j.dump());
    if (j["ok"].get<bool>()) {
      CHECK(j["image"]["size"].contains("uncompressed"));
      CHECK(j.contains("reason"));
    }
  }
}
