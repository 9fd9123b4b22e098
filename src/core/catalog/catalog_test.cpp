#include <doctest/doctest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "../../../tests/unit/shared_dir.h"
#include "catalog/catalog.h"
#include "catalog/sha256.h"

using namespace dfplay::catalog;

namespace {

constexpr uint64_t kMB = 1000000;

const Image& must_find(const char* ref) {
  const Image* img = Catalog::builtin().find(ref);
  if (!img) FAIL("not in the catalog: " << ref);
  return *img;
}

const char* const kSeedImages[] = {
    "node:20",
    "node:20-alpine",
    "node:22-alpine",
    "mcr.microsoft.com/dotnet/sdk:8.0",
    "mcr.microsoft.com/dotnet/aspnet:8.0",
    "nginx:alpine",
    "golang:1.22-alpine",
    "gcr.io/distroless/static:nonroot",
    "scratch",
};

}  // namespace

TEST_CASE("catalog: the built-in JSON loads without problems") {
  std::ifstream in(DFPLAY_SOURCE_DIR "/src/core/catalog/images.json", std::ios::binary);
  REQUIRE(in);
  std::stringstream text;
  text << in.rdbuf();
  dfplay::Diagnostics diags;
  Catalog loaded = Catalog::from_builtin_json(text.str(), &diags);
  for (const auto& d : diags) MESSAGE(dfplay::format_diagnostic(d, "images.json"));
  CHECK(diags.empty());
  CHECK(loaded.size() >= 40);
}

TEST_CASE("catalog: every image has all fields and a source for every figure") {
  std::set<std::string> references, digests;
  for (const auto& img : Catalog::builtin().images()) {
    CAPTURE(img.reference);
    CHECK(references.insert(img.ref.canonical() + "|" + img.reference).second);
    CHECK(digests.insert(img.digest).second);
    CHECK(img.digest.size() == 71);
    CHECK(img.digest.rfind("sha256:", 0) == 0);
    CHECK_FALSE(img.description.empty());
    CHECK_FALSE(img.family.empty());
    CHECK(img.role != Role::Unknown);
    CHECK_FALSE(img.os.empty());
    CHECK_FALSE(img.libc.empty());
    CHECK_FALSE(img.package_manager.empty());
    CHECK(img.origin == Origin::Builtin);
    for (const char* figure : {"compressed", "uncompressed", "platforms", "config"}) {
      CAPTURE(figure);
      REQUIRE(img.sources.count(figure));
      CHECK(img.sources.at(figure).size() > 10);
    }
    CHECK(img.compressed_size <= img.uncompressed_size);
    if (img.is_scratch()) {
      CHECK(img.uncompressed_size == 0);
      continue;
    }
    CHECK_FALSE(img.version.empty());
    CHECK_FALSE(img.snapshot.empty());
    CHECK_FALSE(img.platforms.empty());
    CHECK(img.supports_platform("linux/amd64"));
    CHECK(img.uncompressed_size > 0);
    CHECK(img.compressed_size > 0);
    CHECK_FALSE(img.config.env.empty());
    if (img.has_shell()) {
      CHECK(std::find(img.shells.begin(), img.shells.end(), img.shell) != img.shells.end());
      CHECK(img.package_manager != "");
    } else {
      CHECK(img.shells.empty());
    }
    for (const auto& d : img.directories) {
      CAPTURE(d.path);
      CHECK(d.path.front() == '/');
      CHECK_FALSE(d.source.empty());
      CHECK(d.size <= img.uncompressed_size);
    }
    for (const auto& s : img.slimmer) {
      CAPTURE(s);
      CHECK(parse_reference(s));
    }
    for (const auto& s : img.runtime_images) {
      CAPTURE(s);
      CHECK((is_scratch_literal(s) || parse_reference(s)));
    }
  }
}

TEST_CASE("catalog: aliases do not collide between images") {
  std::map<std::string, std::string> owner;
  for (const auto& img : Catalog::builtin().images()) {
    if (img.reference == "scratch") continue;
    std::vector<std::string> refs = img.aliases;
    refs.push_back(img.reference);
    for (const auto& r : refs) {
      auto parsed = parse_reference(r);
      REQUIRE(parsed);
      std::string key = parsed->canonical();
      CAPTURE(key);
      auto [it, inserted] = owner.emplace(key, img.reference);
      CHECK((inserted || it->second == img.reference));
    }
  }
}

TEST_CASE("catalog: every image of the seed page is present and exact") {
  for (const char* ref : kSeedImages) {
    CAPTURE(ref);
    auto r = Catalog::builtin().lookup(ref);
    CHECK(r.ok);
    CHECK_FALSE(r.estimated);
    CHECK((r.match == Match::Exact || r.match == Match::Scratch));
  }
}

TEST_CASE("catalog: every FROM of the seed page resolves without an estimate") {
  DFPLAY_REQUIRE_SHARED("seed/docker-multi-stage-builds.txt");
  std::ifstream in(dfplay::testing::shared_dir() / "seed/docker-multi-stage-builds.txt");
  std::string line;
  int froms = 0;
  while (std::getline(in, line)) {
    if (line.rfind("FROM ", 0) != 0) continue;
    std::istringstream words(line.substr(5));
    std::string image;
    words >> image;
    // ARG NODE_VERSION=20 / --build-arg NODE_VERSION=22: both values must be in the catalog.
    if (auto at = image.find("${NODE_VERSION}"); at != std::string::npos) {
      for (const char* v : {"20", "22"}) {
        std::string expanded = image;
        expanded.replace(at, 15, v);
        CAPTURE(expanded);
        CHECK_FALSE(Catalog::builtin().lookup(expanded).estimated);
        ++froms;
      }
      continue;
    }
    CAPTURE(image);
    auto r = Catalog::builtin().lookup(image);
    CHECK(r.ok);
    CHECK_FALSE(r.estimated);
    ++froms;
  }
  CHECK(froms >= 9);
}

TEST_CASE("catalog: figures are sane (seed page and researched figures)") {
  const Image& node20 = must_find("node:20");
  CHECK(node20.uncompressed_size >= 1000 * kMB);  // "node:20 image = 1.1 GB"
  CHECK(node20.uncompressed_size <= 1200 * kMB);
  const Image& node20a = must_find("node:20-alpine");
  CHECK(node20a.uncompressed_size * 4 < node20.uncompressed_size);
  CHECK(node20a.uncompressed_size < 200 * kMB);  // "node:20-alpine + only runtime files = ~200 MB"
  const Image& sdk = must_find("mcr.microsoft.com/dotnet/sdk:8.0");
  CHECK(sdk.uncompressed_size >= 700 * kMB);  // "The SDK image (~800 MB)"
  CHECK(sdk.uncompressed_size <= 900 * kMB);
  const Image& aspnet = must_find("mcr.microsoft.com/dotnet/aspnet:8.0");
  CHECK(aspnet.uncompressed_size >= 180 * kMB);  // "The runtime image (~200 MB)"
  CHECK(aspnet.uncompressed_size <= 250 * kMB);
  const Image& st = must_find("gcr.io/distroless/static:nonroot");
  CHECK(st.uncompressed_size >= 1 * kMB);
  CHECK(st.uncompressed_size <= 3 * kMB);
  const Image& goa = must_find("golang:1.22-alpine");
  CHECK(goa.uncompressed_size >= 200 * kMB);
  CHECK(goa.uncompressed_size <= 260 * kMB);
  CHECK(must_find("golang:1.22").uncompressed_size > 3 * goa.uncompressed_size);
  CHECK(must_find("nginx:alpine").uncompressed_size < 80 * kMB);
  CHECK(must_find("alpine:3.21").uncompressed_size < 10 * kMB);
  CHECK(must_find("scratch").uncompressed_size == 0);
  // Compressed is always well below uncompressed for these layers.
  for (const auto& img : Catalog::builtin().images())
    if (img.uncompressed_size > 10 * kMB) {
      CAPTURE(img.reference);
      CHECK(img.compressed_size * 10 >= img.uncompressed_size);  // at least 10%
      CHECK(img.compressed_size * 10 <= img.uncompressed_size * 7);  // at most 70%
    }
}

TEST_CASE("catalog: config, users, shell and tools of the seed images") {
  const Image& node = must_find("node:20-alpine");
  CHECK(node.os == "alpine");
  CHECK(node.libc == "musl");
  CHECK(node.shell == "/bin/sh");
  CHECK(node.package_manager == "apk");
  CHECK(node.config.entrypoint == std::vector<std::string>{"docker-entrypoint.sh"});
  CHECK(node.config.cmd == std::vector<std::string>{"node"});
  CHECK(node.config.effective_user() == "root");
  CHECK(node.config.effective_workdir() == "/");
  CHECK(node.config.env_value("NODE_VERSION").has_value());
  CHECK_FALSE(node.config.env_value("NOPE").has_value());
  REQUIRE(node.account("node"));
  CHECK(node.account("node")->uid == 1000);
  CHECK(node.account("1000") == node.account("node"));
  CHECK(node.has_tool("npm"));
  CHECK(node.build_tools().empty());
  CHECK(node.role == Role::Runtime);

  const Image& full = must_find("node:20");
  CHECK(full.role == Role::Sdk);
  CHECK(full.has_tool("gcc"));
  CHECK_FALSE(full.build_tools().empty());
  CHECK(full.slimmer == std::vector<std::string>{"node:20-slim", "node:20-alpine"});
  REQUIRE(full.directory("/usr/local/bin/node"));
  CHECK(full.directory("/usr/local/bin/node")->size > 50 * kMB);
  CHECK_FALSE(full.directory("/usr/local/bin/node")->estimated());
  REQUIRE(full.directory("/usr/local/lib/node_modules/npm"));
  CHECK(full.directory("/usr/local/lib/node_modules/npm")->estimated());

  const Image& sdk = must_find("mcr.microsoft.com/dotnet/sdk:8.0");
  CHECK(sdk.has_tool("dotnet-sdk"));
  CHECK(is_build_tool("dotnet-sdk"));
  CHECK(std::find(sdk.slimmer.begin(), sdk.slimmer.end(), "mcr.microsoft.com/dotnet/sdk:8.0-alpine") != sdk.slimmer.end());
  CHECK(sdk.runtime_images.front() == "mcr.microsoft.com/dotnet/aspnet:8.0");
  REQUIRE(sdk.directory("/usr/share/dotnet"));
  CHECK(sdk.config.env_value("ASPNETCORE_HTTP_PORTS") == "8080");
  const Image& aspnet = must_find("mcr.microsoft.com/dotnet/aspnet:8.0");
  CHECK_FALSE(aspnet.has_tool("dotnet-sdk"));
  CHECK(aspnet.account("app"));

  const Image& ng = must_find("nginx:alpine");
  CHECK(ng.config.stop_signal == "SIGQUIT");
  CHECK(ng.config.exposed_ports == std::vector<std::string>{"80/tcp"});
  CHECK(ng.directory("/usr/share/nginx/html"));

  const Image& go = must_find("golang:1.22-alpine");
  CHECK(go.config.workdir == "/go");
  CHECK(go.has_tool("go"));
  CHECK(go.role == Role::Sdk);
  CHECK(go.directory("/usr/local/go"));

  const Image& dl = must_find("gcr.io/distroless/static:nonroot");
  CHECK_FALSE(dl.has_shell());
  CHECK(dl.package_manager == "none");
  CHECK(dl.config.user == "65532");
  CHECK(dl.config.workdir == "/home/nonroot");
  CHECK(dl.libc == "none");
  CHECK_FALSE(dl.deprecated.empty());  // unsuffixed distroless tags are deprecated

  const Image& scratch = must_find("scratch");
  CHECK(scratch.is_scratch());
  CHECK_FALSE(scratch.has_shell());
  CHECK(scratch.role == Role::Empty);
}

TEST_CASE("catalog: platforms") {
  const Image& node = must_find("node:20");
  CHECK(node.supports_platform("linux/amd64"));
  CHECK(node.supports_platform("linux/arm64"));
  CHECK(node.supports_platform("linux/arm64/v8"));
  CHECK(node.supports_platform("linux/amd64/v3"));  // amd64 images serve v2..v4
  CHECK_FALSE(node.supports_platform("linux/386"));
  CHECK_FALSE(node.supports_platform("windows/amd64"));
  CHECK_FALSE(node.supports_platform("linux/riscv64"));
  const Image& alpine = must_find("alpine:3.21");
  CHECK(alpine.supports_platform("linux/arm/v7"));
  CHECK(alpine.supports_platform("linux/riscv64"));
  const Image& dotnet = must_find("mcr.microsoft.com/dotnet/aspnet:8.0");
  CHECK_FALSE(dotnet.supports_platform("linux/s390x"));
  CHECK(must_find("scratch").supports_platform("linux/s390x"));  // no manifest: any platform
  CHECK_FALSE(node.supports_platform("not a platform"));
}

TEST_CASE("catalog: aliases and default tags") {
  const auto& cat = Catalog::builtin();
  auto a = cat.lookup("nginx");  // the default tag makes it the primary reference
  CHECK(a.match == Match::Exact);
  CHECK(a.image.reference == "nginx:latest");
  auto m = cat.lookup("nginx:mainline");
  CHECK(m.match == Match::Alias);
  CHECK(m.image.reference == "nginx:latest");
  CHECK_FALSE(a.estimated);
  auto b = cat.lookup("docker.io/library/nginx:latest");
  CHECK(b.match == Match::Exact);
  CHECK(b.image.reference == "nginx:latest");
  auto c = cat.lookup("node:iron");
  CHECK(c.match == Match::Alias);
  CHECK(c.image.reference == "node:20");
  auto d = cat.lookup("index.docker.io/library/node:20-alpine");
  CHECK(d.match == Match::Exact);
  CHECK(d.image.reference == "node:20-alpine");
  CHECK(cat.find("gcr.io/distroless/static-debian12:latest") == cat.find("gcr.io/distroless/static-debian12"));
  CHECK(cat.find("node:does-not-exist") == nullptr);
}

TEST_CASE("catalog: scratch") {
  auto r = Catalog::builtin().lookup("scratch");
  CHECK(r.ok);
  CHECK(r.match == Match::Scratch);
  CHECK_FALSE(r.estimated);
  CHECK(r.image.uncompressed_size == 0);
  CHECK(r.warnings.empty());
  // Only the exact word is the empty image.
  for (const char* s : {"scratch:latest", "docker.io/library/scratch"}) {
    CAPTURE(s);
    auto x = Catalog::builtin().lookup(s);
    CHECK(x.ok);
    CHECK(x.estimated);
    CHECK(x.match != Match::Scratch);
    CHECK_FALSE(x.warnings.empty());
  }
}

TEST_CASE("catalog: digests are synthetic and documented") {
  const Image& node = must_find("node:20");
  CHECK(node.digest == synthetic_digest("docker.io/library/node:20", node.version));
  CHECK(node.digest == "sha256:" + sha256_hex("dfplay-catalog-v1\ndocker.io/library/node:20\n" + node.version));
  // Looking an image up by its digest.
  auto r = Catalog::builtin().lookup("node@" + node.digest);
  CHECK(r.match == Match::Digest);
  CHECK(r.image.reference == "node:20");
  CHECK_FALSE(r.estimated);
  // Tag plus an unknown digest: the tag decides, with a warning.
  std::string unknown = "sha256:" + std::string(64, '0');
  auto u = Catalog::builtin().lookup("node:20@" + unknown);
  CHECK(u.match == Match::Exact);
  CHECK_FALSE(u.warnings.empty());
}

TEST_CASE("catalog: invalid references give Docker's error, never a throw") {
  auto r = Catalog::builtin().lookup("Node:20");
  CHECK_FALSE(r.ok);
  CHECK(r.error == "invalid reference format: repository name (library/Node) must be lowercase");
  auto e = Catalog::builtin().lookup("");
  CHECK_FALSE(e.ok);
  auto bad = Catalog::builtin().lookup("bad\xff\xfe name");
  CHECK_FALSE(bad.ok);
  CHECK_NOTHROW((void)to_json(bad).dump());
}

TEST_CASE("catalog: deprecated images warn") {
  auto r = Catalog::builtin().lookup("node:18");
  CHECK_FALSE(r.estimated);
  REQUIRE_FALSE(r.warnings.empty());
  CHECK(r.warnings.front().find("end of life") != std::string::npos);
}

TEST_CASE("catalog: tool kinds") {
  CHECK(tool_kind("gcc") == ToolKind::Compiler);
  CHECK(tool_kind("make") == ToolKind::BuildTool);
  CHECK(tool_kind("npm") == ToolKind::LanguagePackageManager);
  CHECK(tool_kind("apk") == ToolKind::SystemPackageManager);
  CHECK(tool_kind("node") == ToolKind::Runtime);
  CHECK(tool_kind("nginx") == ToolKind::Server);
  CHECK(tool_kind("whatever") == ToolKind::Unknown);
  CHECK(is_build_tool("go"));
  CHECK_FALSE(is_build_tool("node"));
  CHECK(tool_kind_name(ToolKind::Compiler) == "compiler");
  // Every tool the catalog names has a kind.
  for (const auto& img : Catalog::builtin().images())
    for (const auto& t : img.tools) {
      CAPTURE(img.reference);
      CAPTURE(t);
      CHECK(tool_kind(t) != ToolKind::Unknown);
    }
}

TEST_CASE("catalog: JSON export round-trips through add_json") {
  auto exported = Catalog::builtin().to_json();
  CHECK(exported["images"].size() == Catalog::builtin().size());
  std::string text = exported.dump(1);
  Catalog copy;
  auto diags = copy.add_json(text);
  for (const auto& d : diags) MESSAGE(dfplay::format_diagnostic(d, "export.json"));
  CHECK(diags.empty());
  REQUIRE(copy.size() == Catalog::builtin().size());
  for (size_t i = 0; i < copy.size(); ++i) {
    const Image& a = Catalog::builtin().images()[i];
    const Image& b = copy.images()[i];
    CAPTURE(a.reference);
    CHECK(a.reference == b.reference);
    CHECK(a.digest == b.digest);
    CHECK(a.uncompressed_size == b.uncompressed_size);
    CHECK(a.compressed_size == b.compressed_size);
    CHECK(a.config.env == b.config.env);
    CHECK(a.config.entrypoint == b.config.entrypoint);
    CHECK(a.platforms == b.platforms);
    CHECK(a.sources == b.sources);
    CHECK(a.directories.size() == b.directories.size());
    CHECK(a.shell == b.shell);
    CHECK(b.origin == Origin::User);
  }
  // A resolution exports too.
  auto r = to_json(Catalog::builtin().lookup("node:20-alpine"));
  CHECK(r["match"] == "exact");
  CHECK(r["image"]["size"]["uncompressed"].get<uint64_t>() == must_find("node:20-alpine").uncompressed_size);
  CHECK(r["reference"] == "docker.io/library/node:20-alpine");
}
