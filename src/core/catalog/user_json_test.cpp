#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include <fmt/format.h>

#include "catalog/catalog.h"

using namespace dfplay::catalog;

namespace {

// The builtin catalog plus user JSON.
struct UserCatalog {
  Catalog cat = Catalog::builtin();
  dfplay::Diagnostics diags;
  explicit UserCatalog(std::string_view text) : diags(cat.add_json(text)) {}
  std::string dump() const {
    std::string s;
    for (const auto& d : diags) s += dfplay::format_diagnostic(d, "images.json") + "\n";
    return s;
  }
};

}  // namespace

TEST_CASE("user json: a minimal image") {
  UserCatalog u(R"({"images": [{"reference": "registry.example.com/team/base:1.0",
                                 "size": {"uncompressed": 50000000}}]})");
  CAPTURE(u.dump());
  CHECK(u.diags.empty());
  auto r = u.cat.lookup("registry.example.com/team/base:1.0");
  CHECK(r.match == Match::Exact);
  CHECK_FALSE(r.estimated);
  CHECK(r.image.origin == Origin::User);
  CHECK(r.image.uncompressed_size == 50000000);
  CHECK(r.image.compressed_size == 20000000);
  CHECK(r.image.figure_estimated("compressed"));
  CHECK_FALSE(r.image.figure_estimated("uncompressed"));
  CHECK(r.image.shell == "/bin/sh");
  CHECK(r.image.os == "unknown");
  CHECK(r.image.sources.at("uncompressed") == "user catalog");
  CHECK(r.image.digest == synthetic_digest("registry.example.com/team/base:1.0", ""));
  // The array form works too.
  UserCatalog arr(R"([{"reference": "x/y", "size": {"uncompressed": 1, "compressed": 1}}])");
  CHECK(arr.diags.empty());
  CHECK(arr.cat.find("x/y:latest"));
}

TEST_CASE("user json: user images override built-ins") {
  UserCatalog u(R"({"images": [
    {"reference": "node:20", "extends": "node:20", "size": {"uncompressed": 1234},
     "sources": {"uncompressed": "measured on our CI"}},
    {"reference": "nginx:alpine", "description": "our own", "size": {"uncompressed": 5, "compressed": 2},
     "shell": null, "platforms": ["linux/arm64"]}
  ]})");
  CAPTURE(u.dump());
  CHECK(u.diags.empty());
  CHECK(u.cat.size() == Catalog::builtin().size());  // replaced in place
  auto node = u.cat.lookup("node:20");
  CHECK(node.image.uncompressed_size == 1234);
  CHECK(node.image.origin == Origin::User);
  CHECK(node.image.sources.at("uncompressed") == "measured on our CI");
  // Only the uncompressed size was given: the compressed one scales with it.
  CHECK(node.image.compressed_size == 446);
  CHECK(node.image.figure_estimated("compressed"));
  CHECK(node.image.config.cmd == std::vector<std::string>{"node"});  // inherited via extends
  CHECK(u.cat.lookup("node:iron").image.uncompressed_size == 1234);  // aliases kept
  auto ng = u.cat.lookup("nginx:alpine");
  CHECK(ng.image.description == "our own");
  CHECK_FALSE(ng.image.has_shell());
  CHECK(ng.image.supports_platform("linux/arm64"));
  CHECK_FALSE(ng.image.supports_platform("linux/amd64"));
  CHECK(ng.image.digest != Catalog::builtin().find("nginx:alpine")->digest);
  // The builtin catalog itself is untouched.
  CHECK(Catalog::builtin().find("node:20")->uncompressed_size > 1000000000);
}

TEST_CASE("user json: an alias added by a user beats a built-in reference") {
  UserCatalog u(R"({"images": [{"reference": "myorg/node:20", "aliases": ["node:22-alpine"],
                                 "size": {"uncompressed": 7}}]})");
  CHECK(u.diags.empty());
  auto r = u.cat.lookup("node:22-alpine");
  CHECK(r.match == Match::Alias);
  CHECK(r.image.reference == "myorg/node:20");
}

TEST_CASE("user json: extends a built-in under a new name") {
  UserCatalog u(R"({"images": [{"reference": "myorg/node-base:3", "extends": "node:20-alpine",
     "config": {"user": "node", "workdir": "/app", "env": {"NODE_ENV": "production"}, "entrypoint": null,
                "cmd": ["node", "server.js"], "exposed_ports": ["3000/tcp"], "volumes": [], "stop_signal": null},
     "size": {"uncompressed": 150000000}}]})");
  CAPTURE(u.dump());
  CHECK(u.diags.empty());
  auto r = u.cat.lookup("myorg/node-base:3");
  CHECK_FALSE(r.estimated);
  CHECK(r.image.os == "alpine");
  CHECK(r.image.aliases.empty());  // node:iron-alpine stays with node:20-alpine
  CHECK(r.image.config.user == "node");
  CHECK(r.image.config.env == std::vector<std::string>{"NODE_ENV=production"});
  CHECK(r.image.config.entrypoint.empty());
  CHECK(r.image.sources.at("config") == "user catalog");
  CHECK(r.image.sources.at("uncompressed") == "user catalog");
  CHECK(r.image.figure_estimated("compressed"));
  CHECK(r.image.compressed_size > 50000000);  // 48 MB scaled by 150/135.7
  CHECK(r.image.compressed_size < 56000000);
  CHECK(r.image.sources.at("platforms") == Catalog::builtin().find("node:20-alpine")->sources.at("platforms"));
}

TEST_CASE("user json: syntax errors carry the line and column") {
  UserCatalog u("{\n  \"images\": [\n    {\"reference\": \"x\",, }\n  ]\n}\n");
  REQUIRE(u.diags.size() == 1);
  const auto& d = u.diags.items().front();
  CHECK(d.severity == dfplay::Severity::Error);
  CHECK(d.code == "catalog/json-syntax");
  CHECK(d.range.begin.line == 3);
  CHECK(d.range.begin.column == 23);  // the second comma
  CHECK(d.message.rfind("invalid JSON: ", 0) == 0);
  CHECK(d.message.back() != '.');
  CHECK(u.cat.size() == Catalog::builtin().size());

  UserCatalog empty("");
  REQUIRE(empty.diags.size() == 1);
  CHECK(empty.diags.items().front().range.begin.line == 1);
  CHECK(empty.diags.items().front().range.begin.column == 1);

  UserCatalog eof("{\"images\": [");
  REQUIRE(eof.diags.size() == 1);
  CHECK(eof.diags.items().front().range.begin.column == 13);

  UserCatalog utf("{\"images\": [\"\xff\"]}");
  REQUIRE(utf.diags.size() == 1);
  CHECK(utf.diags.items().front().code == "catalog/json-syntax");
}

TEST_CASE("user json: schema errors point at the value") {
  std::string text =
      "{\"images\": [\n"
      "  {\"reference\": \"good:1\", \"size\": {\"uncompressed\": 10}},\n"
      "  {\"reference\": \"bad:1\",\n"
      "   \"size\": {\"uncompressed\": \"big\"}},\n"
      "  {\"reference\": \"Bad:Ref\", \"size\": {\"uncompressed\": 1}},\n"
      "  {\"reference\": \"ext:1\", \"extends\": \"nope:9\"},\n"
      "  {\"reference\": \"typo:1\", \"size\": {\"uncompressed\": 1, \"compresed\": 1}},\n"
      "  {\"reference\": \"nosize:1\"},\n"
      "  {\"reference\": \"plat:1\", \"size\": {\"uncompressed\": 1}, \"platforms\": [\"linux/amd64\", \"???\"]},\n"
      "  {\"reference\": \"neg:1\", \"size\": {\"uncompressed\": -1}},\n"
      "  {\"reference\": \"role:1\", \"size\": {\"uncompressed\": 1}, \"role\": \"database\"},\n"
      "  42\n"
      "]}\n";
  UserCatalog u(text);
  std::string all = u.dump();
  CAPTURE(all);
  CHECK(u.cat.find("good:1"));
  CHECK(u.cat.find("typo:1"));  // unknown fields only warn
  for (const char* skipped : {"bad:1", "ext:1", "nosize:1", "plat:1", "neg:1", "role:1"}) {
    CAPTURE(skipped);
    CHECK_FALSE(u.cat.find(skipped));
  }
  CHECK(all.find("images.json:4:29: error: images[1].size.uncompressed: expected a size in bytes") != std::string::npos);
  CHECK(all.find("images.json:5:17: error: images[2].reference: invalid reference \"Bad:Ref\": invalid reference format: repository name (library/Bad) must be lowercase") != std::string::npos);
  CHECK(all.find("images.json:6:37: error: images[3].extends: \"nope:9\" is not in the catalog") != std::string::npos);
  CHECK(all.find("images.json:7:68: warning: images[4].size.compresed: unknown field (ignored)") != std::string::npos);
  CHECK(all.find("images.json:8:3: error: images[5]: missing \"size\"") != std::string::npos);
  CHECK(all.find("images[6].platforms[1]: \"???\" is not a platform") != std::string::npos);
  CHECK(all.find("images[7].size.uncompressed: expected a size in bytes") != std::string::npos);
  CHECK(all.find("images[8].role: unknown role \"database\"") != std::string::npos);
  CHECK(all.find("images.json:12:3: error: images[9]: expected an image object, got a number") != std::string::npos);
  for (const auto& d : u.diags) {
    CHECK(d.message.back() != '.');
    CHECK(d.range.begin.line >= 1);
  }
}

TEST_CASE("user json: duplicates and shape") {
  UserCatalog dup(R"({"images": [{"reference": "a:1", "size": {"uncompressed": 1}},
                                   {"reference": "docker.io/library/a:1", "size": {"uncompressed": 2}}]})");
  REQUIRE(dup.diags.size() == 1);
  CHECK(dup.diags.items().front().code == "catalog/duplicate");
  CHECK(dup.cat.find("a:1")->uncompressed_size == 2);

  UserCatalog shape(R"({"imgs": []})");
  CHECK(shape.diags.has_errors());
  CHECK(shape.dump().find("expected an object with an \"images\" array") != std::string::npos);
  UserCatalog scalar("42");
  CHECK(scalar.diags.has_errors());
}

TEST_CASE("user json: hostile input stays linear and bounded") {
  // Deep nesting: no recursion in our code, nlohmann's SAX parser is iterative.
  std::string deep(200000, '[');
  deep += std::string(200000, ']');
  UserCatalog d(deep);
  CHECK(d.diags.has_errors());

  // Many images, many errors: diagnostics are capped, time stays linear.
  std::string many = "{\"images\": [";
  for (int i = 0; i < 20000; ++i) {
    if (i) many += ",";
    many += fmt::format("{{\"reference\": \"img{}:1\", \"size\": {{\"uncompressed\": {}}}}}", i, i % 3 == 0 ? "\"x\"" : "1");
  }
  many += "]}";
  auto start = std::chrono::steady_clock::now();
  UserCatalog m(many);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  MESSAGE("20000 user images: " << seconds << " s");
  CHECK(m.diags.size() == 101);  // 100 problems and a note
  CHECK(m.cat.find("img1:1"));
  CHECK_FALSE(m.cat.find("img0:1"));

  // The same reference 20000 times: replacement is O(1), not a rebuild per entry.
  std::string same = "[";
  for (int i = 0; i < 20000; ++i) same += std::string(i ? "," : "") + "{\"reference\": \"same:1\", \"size\": {\"uncompressed\": 1}}";
  same += "]";
  start = std::chrono::steady_clock::now();
  UserCatalog s(same);
  seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  MESSAGE("20000 images of one name: " << seconds << " s");
  CHECK(s.cat.size() == Catalog::builtin().size() + 1);
}
