#include <doctest/doctest.h>

#include <string>

#include "catalog/reference.h"
#include "catalog/sha256.h"

using dfplay::catalog::normalize_platform;
using dfplay::catalog::parse_reference;

namespace {

std::string canonical(const char* text) {
  std::string err;
  auto r = parse_reference(text, &err);
  return r ? r->canonical() : "error: " + err;
}

std::string error_of(const std::string& text) {
  std::string err;
  auto r = parse_reference(text, &err);
  return r ? "ok: " + r->canonical() : err;
}

const std::string kHex64 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

}  // namespace

TEST_CASE("reference: Docker Hub names are normalised like ParseNormalizedNamed") {
  CHECK(canonical("node") == "docker.io/library/node:latest");
  CHECK(canonical("node:20") == "docker.io/library/node:20");
  CHECK(canonical("library/node:20") == "docker.io/library/node:20");
  CHECK(canonical("docker.io/node:20") == "docker.io/library/node:20");
  CHECK(canonical("docker.io/library/node:20") == "docker.io/library/node:20");
  CHECK(canonical("index.docker.io/library/node") == "docker.io/library/node:latest");
  CHECK(canonical("myorg/app:1.0") == "docker.io/myorg/app:1.0");
  CHECK(canonical("myorg/team/app") == "docker.io/myorg/team/app:latest");

  auto r = parse_reference("node");
  REQUIRE(r);
  CHECK(r->domain == "docker.io");
  CHECK(r->path == "library/node");
  CHECK(r->tag.empty());
  CHECK(r->tag_defaulted());
  CHECK(r->effective_tag() == "latest");
  CHECK(r->familiar() == "node:latest");
  CHECK(r->familiar_name() == "node");
  CHECK(r->basename() == "node");

  auto m = parse_reference("docker.io/myorg/app:2");
  REQUIRE(m);
  CHECK(m->familiar() == "myorg/app:2");
}

TEST_CASE("reference: registry hosts") {
  auto g = parse_reference("gcr.io/distroless/static:nonroot");
  REQUIRE(g);
  CHECK(g->domain == "gcr.io");
  CHECK(g->path == "distroless/static");
  CHECK(g->tag == "nonroot");
  CHECK(g->familiar() == "gcr.io/distroless/static:nonroot");
  CHECK(g->basename() == "static");

  CHECK(canonical("mcr.microsoft.com/dotnet/sdk:8.0") == "mcr.microsoft.com/dotnet/sdk:8.0");
  CHECK(canonical("localhost/foo") == "localhost/foo:latest");
  CHECK(canonical("localhost:5000/foo/bar:tag") == "localhost:5000/foo/bar:tag");
  CHECK(canonical("[::1]:5000/x") == "[::1]:5000/x:latest");
  CHECK(canonical("registry.example.com:443/team/app:v1") == "registry.example.com:443/team/app:v1");
  // A single word with a colon is name:tag, not host:port.
  CHECK(canonical("localhost:5000") == "docker.io/library/localhost:5000");
  // An upper-case first component is taken as a host.
  CHECK(canonical("Foo/bar") == "Foo/bar:latest");
  // Go's regexp cannot read foo_bar.com as a host, so the whole name is a path.
  auto odd = parse_reference("foo_bar.com/x");
  REQUIRE(odd);
  CHECK(odd->domain.empty());
  CHECK(odd->path == "foo_bar.com/x");
}

TEST_CASE("reference: separators in path components") {
  CHECK(canonical("my--org/a__b/c.d-e") == "docker.io/my--org/a__b/c.d-e:latest");
  CHECK(error_of("a___b") == "invalid reference format");
  CHECK(error_of("a..b") == "invalid reference format");
  CHECK(error_of("-a") == "invalid reference format");
  CHECK(error_of("a/") == "invalid reference format");
  CHECK(error_of("/a") == "invalid reference format");
  CHECK(error_of("a//b") == "invalid reference format");
}

TEST_CASE("reference: tags") {
  CHECK(canonical("node:20.11.0-alpine3.19") == "docker.io/library/node:20.11.0-alpine3.19");
  CHECK(canonical("node:Latest_1") == "docker.io/library/node:Latest_1");  // tags may be upper case
  CHECK(error_of("node:") == "invalid reference format");
  CHECK(error_of("node:-x") == "invalid reference format");
  CHECK(error_of("node:.x") == "invalid reference format");
  CHECK(error_of("node:a b") == "invalid reference format");
  CHECK(error_of("node:20 ") == "invalid reference format");
  CHECK(error_of("node:" + std::string(128, 'a')) == "ok: docker.io/library/node:" + std::string(128, 'a'));
  CHECK(error_of("node:" + std::string(129, 'a')) == "invalid reference format");
  CHECK(error_of("node:1:2") == "invalid reference format");
}

TEST_CASE("reference: digests") {
  auto both = parse_reference("node:20@sha256:" + kHex64);
  REQUIRE(both);
  CHECK(both->tag == "20");
  CHECK(both->digest == "sha256:" + kHex64);
  CHECK(both->canonical() == "docker.io/library/node:20@sha256:" + kHex64);

  auto only = parse_reference("node@sha256:" + kHex64);
  REQUIRE(only);
  CHECK(only->tag.empty());
  CHECK_FALSE(only->tag_defaulted());
  CHECK(only->effective_tag().empty());
  CHECK(only->canonical() == "docker.io/library/node@sha256:" + kHex64);

  CHECK(error_of("node@sha256:abc") == "invalid reference format");  // fewer than 32 hex digits
  CHECK(error_of("node@sha256:" + kHex64.substr(0, 32)) == "invalid checksum digest length");
  std::string upper = kHex64;
  for (auto& c : upper)
    if (c >= 'a' && c <= 'f') c = static_cast<char>(c - 'a' + 'A');
  CHECK(error_of("node@sha256:" + upper) == "invalid checksum digest format");
  CHECK(error_of("node@md5:" + kHex64.substr(0, 32)) == "unsupported digest algorithm");
  // ParseNormalizedNamed checks the case of everything up to the first ':' first.
  CHECK(error_of("node@SHA256:" + kHex64) ==
        "invalid reference format: repository name (library/node@SHA256) must be lowercase");
  CHECK(error_of("gcr.io/x@SHA256:" + kHex64) == "invalid reference format: repository name (x@SHA256) must be lowercase");
  CHECK(error_of("node@sha512:" + kHex64) == "invalid checksum digest length");
  CHECK(error_of("node@sha256:" + kHex64 + "@x") == "invalid reference format");
}

TEST_CASE("reference: Docker's error messages") {
  CHECK(error_of("") == "repository name must have at least one component");
  CHECK(error_of(kHex64) == "invalid repository name (" + kHex64 +
                                "), cannot specify 64-byte hexadecimal strings");
  CHECK(error_of("Node:20") == "invalid reference format: repository name (library/Node) must be lowercase");
  CHECK(error_of("myorg/App") == "invalid reference format: repository name (myorg/App) must be lowercase");
  CHECK(error_of(std::string(256, 'a')) == "repository name must not be more than 255 characters");
  CHECK(error_of("a b") == "invalid reference format");
  CHECK(error_of("node\xff") == "invalid reference format");
}

TEST_CASE("reference: scratch is only special as the exact word") {
  CHECK(dfplay::catalog::is_scratch_literal("scratch"));
  CHECK_FALSE(dfplay::catalog::is_scratch_literal("scratch:latest"));
  CHECK_FALSE(dfplay::catalog::is_scratch_literal("SCRATCH"));
  CHECK(canonical("scratch") == "docker.io/library/scratch:latest");
}

TEST_CASE("reference: long input is linear, not a crash") {
  std::string big(1 << 20, 'a');
  CHECK(error_of(big) == "repository name must not be more than 255 characters");
  std::string slashes;
  for (int i = 0; i < 100000; ++i) slashes += "a/";
  CHECK(error_of(slashes) == "invalid reference format");
}

TEST_CASE("platform: normalisation like containerd") {
  CHECK(normalize_platform("linux/amd64") == "linux/amd64");
  CHECK(normalize_platform("amd64") == "linux/amd64");
  CHECK(normalize_platform("x86_64") == "linux/amd64");
  CHECK(normalize_platform("linux/arm64/v8") == "linux/arm64");
  CHECK(normalize_platform("linux/aarch64") == "linux/arm64");
  CHECK(normalize_platform("linux/arm") == "linux/arm/v7");
  CHECK(normalize_platform("linux/arm/6") == "linux/arm/v6");
  CHECK(normalize_platform("armhf") == "linux/arm/v7");
  CHECK(normalize_platform("linux/i386") == "linux/386");
  CHECK(normalize_platform("Linux/AMD64") == "linux/amd64");
  CHECK(normalize_platform("windows/amd64") == "windows/amd64");
  CHECK(normalize_platform("") == "");
  CHECK(normalize_platform("linux//amd64") == "");
  CHECK(normalize_platform("a/b/c/d") == "");
}

TEST_CASE("sha256: FIPS 180-4 test vectors") {
  using dfplay::catalog::sha256_hex;
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(sha256_hex(std::string(1000000, 'a')) ==
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  // 55, 56 and 64 bytes: the padding boundaries.
  CHECK(sha256_hex(std::string(55, 'a')).size() == 64);
  CHECK(sha256_hex(std::string(56, 'a')) != sha256_hex(std::string(55, 'a')));
  CHECK(sha256_hex(std::string(64, 'a')) == "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
}
