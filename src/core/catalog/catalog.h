// The base-image catalog: what a FROM line starts from. Sizes, platforms, OS and libc, shell and
// package manager, image config (user, workdir, env, entrypoint, cmd, ports, stop signal), main
// directories with their sizes, the tools an image ships, slimmer variants, and the source of
// every figure. Data lives in catalog/images.json, compiled to data at build time (blob.h,
// catalog_compiler_main.cpp) and built into dfplay_core; users add or override images with the
// same JSON shape (Catalog::add_json). Shape, digest and estimate rules:
// docs/catalog.md.
//
// Typical use:
//   const auto& cat = catalog::Catalog::builtin();
//   auto r = cat.lookup("node:20-alpine");      // r.image.uncompressed_size, r.image.config.env ...
//   if (r.estimated) note(r.reason);
//
// Users of this module: simulation (sizes, directories, env, user, shell), checks (slimmer
// variants, platforms, build tools), the UI (listing) and the JS API (to_json).
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "catalog/reference.h"
#include "syntax/diagnostic.h"

namespace dfplay::catalog {

// ---- tools ------------------------------------------------------------------------------------

// What a tool in Image::tools is for. Checks such as "the final stage ships build tools or an
// SDK" use is_build_tool().
enum class ToolKind {
  Unknown,
  Shell,                   // sh, bash, ash, pwsh
  SystemPackageManager,    // apt, apk, microdnf
  LanguagePackageManager,  // npm, yarn, pip, gem, composer, pecl
  Compiler,                // gcc, g++, go, rustc, cargo, javac, dotnet-sdk
  BuildTool,               // make, mvn, gradle, cmake, pkg-config, autoconf
  Runtime,                 // node, python, java, dotnet, ruby, php
  Server,                  // nginx, httpd, redis-server, postgres, caddy
  Network,                 // curl, wget, git, ssh
  Utility,                 // busybox, tar, openssl
};
std::string_view tool_kind_name(ToolKind k);  // "compiler", "build-tool", ...
ToolKind tool_kind(std::string_view tool);
bool is_build_tool(std::string_view tool);  // Compiler or BuildTool

// ---- images -----------------------------------------------------------------------------------

// What an image is for.
enum class Role {
  Unknown,
  Empty,    // scratch
  Minimal,  // distroless static/base/cc, chainguard static: files, no shell
  Os,       // alpine, debian, ubuntu, busybox
  Runtime,  // node:20-alpine, python:3.12-slim, aspnet, eclipse-temurin jre, distroless nodejs
  Sdk,      // golang, rust, dotnet sdk, temurin jdk, maven, and the full "buildpack" variants
            // (node:20, python:3.12) that ship gcc, make and headers
  Service,  // nginx, httpd, redis, postgres
};
std::string_view role_name(Role r);
std::optional<Role> role_from(std::string_view name);

struct Directory {
  std::string path;
  uint64_t size = 0;  // bytes on disk (uncompressed)
  std::string note;
  std::string source;  // "estimate: ..." when estimated
  bool estimated() const;
};

// A login in the image's /etc/passwd worth knowing (root always exists and is not listed).
struct Account {
  std::string name;
  uint32_t uid = 0;
  uint32_t gid = 0;
  std::string home;
};

// The image config (OCI config fields a Dockerfile inherits).
struct ImageConfig {
  std::string user;                        // Config.User; "" means root
  std::string workdir;                     // Config.WorkingDir; "" means "/"
  std::vector<std::string> env;            // "KEY=value", in image order
  std::vector<std::string> entrypoint;     // empty: none
  std::vector<std::string> cmd;            // empty: none
  std::vector<std::string> exposed_ports;  // "80/tcp"
  std::vector<std::string> volumes;
  std::string stop_signal;                 // "" means SIGTERM

  std::optional<std::string> env_value(std::string_view key) const;
  std::string effective_workdir() const { return workdir.empty() ? "/" : workdir; }
  std::string effective_user() const { return user.empty() ? "root" : user; }
};

enum class Origin { Builtin, User, Estimate };
std::string_view origin_name(Origin o);

struct Image {
  std::string reference;             // primary reference as written in the JSON ("node:20")
  ImageReference ref;                // parsed primary
  std::vector<std::string> aliases;  // other references for the same image ("node:iron")
  std::string description;
  std::string family;                // node, python, golang, dotnet, nginx, alpine, distroless...
  Role role = Role::Unknown;
  std::string version;               // upstream version the figures describe ("20.18.1")
  std::string snapshot;              // when the figures were taken ("2025-01")
  std::string os;                    // alpine, debian, ubuntu, distroless, scratch, wolfi, ...
  std::string os_version;
  std::string libc;                  // glibc, musl, none
  std::vector<std::string> platforms;  // normalised ("linux/amd64", "linux/arm/v7"); empty: unknown
  uint64_t compressed_size = 0;      // bytes pulled for linux/amd64 (sum of gzip layers)
  uint64_t uncompressed_size = 0;    // bytes on disk for linux/amd64 (`docker images` SIZE)
  std::string shell;                 // the POSIX shell RUN uses (/bin/sh, /busybox/sh); "" if none
  std::vector<std::string> shells;   // every shell present
  std::string package_manager;       // apt, apk, microdnf, none
  ImageConfig config;
  std::vector<Account> users;
  std::vector<Directory> directories;
  std::vector<std::string> tools;
  std::vector<std::string> slimmer;         // smaller images for the same purpose
  std::vector<std::string> runtime_images;  // final-stage bases for what this image builds
  std::string deprecated;                   // why not to use it; "" if fine
  // Where each figure comes from: keys "compressed", "uncompressed", "platforms", "config" (and
  // any other). A value starting with "estimate" marks an estimate.
  std::map<std::string, std::string> sources;
  std::string digest;  // synthetic "sha256:<64 hex>" unless the JSON gives one
  Origin origin = Origin::Builtin;

  bool is_scratch() const { return os == "scratch"; }
  bool has_shell() const { return !shell.empty(); }
  bool has_tool(std::string_view tool) const;
  std::vector<std::string> build_tools() const;  // tools with is_build_tool()
  // True when the image has a manifest for `platform` (normalised first). An empty platform
  // list means unknown and answers true. A plain "linux/amd64" image serves amd64 variants
  // (v2, v3, v4); an arm/v6 image serves arm/v7 as containerd does.
  bool supports_platform(std::string_view platform) const;
  const Directory* directory(std::string_view path) const;
  const Account* account(std::string_view name_or_uid) const;
  bool figure_estimated(std::string_view figure) const;
};

// How a reference was resolved.
enum class Match {
  Exact,              // the primary reference of a catalog image
  Alias,              // one of its aliases (nginx = nginx:latest)
  Digest,             // name@sha256:... equal to a catalog image's digest
  Scratch,            // FROM scratch
  SameRepository,     // another tag of a repository in the catalog (python:3.13-slim)
  SiblingRepository,  // a neighbour under the same registry namespace (distroless/nodejs22-...)
  Family,             // the name says which family (myorg/node-app -> node)
  Variant,            // only the tag says something (alpine, slim, bookworm, distroless...)
  Generic,            // nothing known: a generic Linux image
};
std::string_view match_name(Match m);

struct Resolution {
  bool ok = false;          // false when the reference does not parse (see error)
  std::string error;        // Docker's message, e.g. "invalid reference format"
  std::string input;        // the reference as given
  ImageReference ref;       // parsed; ref.canonical() gives the defaulted form
  Image image;              // what the stage starts from (estimates are synthesised)
  Match match = Match::Generic;
  bool estimated = false;   // true unless Exact, Alias, Digest or Scratch
  std::string reason;       // one lower-case sentence: how the image was found or estimated
  std::string template_reference;  // for estimates: the catalog image the estimate copies
  std::vector<std::string> warnings;  // deprecations, scratch misuse, digest not in catalog...
};

class Catalog {
 public:
  Catalog() = default;

  // The compiled-in catalog: images.json checked and compiled to data at build time (blob.h),
  // copied into place on first use (no JSON is parsed at run time).
  static const Catalog& builtin();
  // Loads catalog JSON under the built-in catalog's strict rules (every figure sourced, platforms
  // normalised...): what the build-time catalog compiler does with images.json. Problems go to
  // `diagnostics` (expected empty for images.json: the build fails otherwise).
  static Catalog from_builtin_json(std::string_view text, Diagnostics* diagnostics = nullptr);

  // Adds images in the catalog JSON shape (an object with an "images" array, or the array
  // itself). An image whose reference is already present replaces it ("user images override
  // built-ins"); "extends": "node:20" starts from an existing image. Broken images are skipped;
  // the diagnostics carry the line and column inside `text`. Never throws.
  Diagnostics add_json(std::string_view text);

  // Resolves a reference: catalog image, alias or digest, `scratch`, or an estimate.
  Resolution lookup(std::string_view reference) const;
  Resolution lookup(const ImageReference& ref) const;
  // Exact look-up (primary reference, alias or digest); nullptr when not in the catalog.
  const Image* find(std::string_view reference) const;
  const Image* find(const ImageReference& ref) const;

  const std::vector<Image>& images() const { return images_; }
  size_t size() const { return images_.size(); }

  // Every image in the catalog JSON shape plus "digest" and "origin".
  nlohmann::json to_json() const;

  // For estimates.
  struct Candidate {
    const Image* image;
    std::string tag;  // the tag under which the image is listed in that repository
  };
  std::vector<Candidate> in_repository(std::string_view name) const;
  std::vector<std::string> repositories() const;  // sorted names ("docker.io/library/node", ...)

 private:
  enum class Mode { Builtin, User };
  Diagnostics load(std::string_view text, Mode mode);
  void reindex();                 // rebuilds every index from images_
  void index_image(size_t index);  // adds one image's keys (during a load)
  void offer_key(const std::string& key, size_t index, bool primary);

  std::vector<Image> images_;
  std::unordered_map<std::string, size_t> by_key_;     // canonical "name:tag" -> image
  std::unordered_map<std::string, size_t> by_digest_;  // "sha256:..." -> image
  std::map<std::string, std::vector<std::pair<size_t, std::string>>> by_repo_;
  std::unordered_map<std::string, size_t> primary_;  // primary key -> image (replacement)
  std::unordered_map<std::string, int> key_rank_;    // priority of the image behind a key
};

nlohmann::json to_json(const Image& image);
nlohmann::json to_json(const Resolution& resolution);

// "sha256:" + SHA-256 of "dfplay-catalog-v1\n<canonical reference>\n<version>" (docs/catalog.md).
std::string synthetic_digest(std::string_view canonical_reference, std::string_view version);

}  // namespace dfplay::catalog
